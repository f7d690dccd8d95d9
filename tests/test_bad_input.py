"""Bad input stops a chapter with one clear sentence, not a traceback, and never fakes data.

The data and profile logic lives in the set-up cell, which every chapter carries as an exact
copy of tools/setup_cell.py (test_pairing checks that), so it is tested here through that file.
"""
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

SETUP = ROOT / "tools" / "setup_cell.py"
MIRROR = ROOT.parent / "shared" / "data"

DRIVER = """
import sys
source = open(sys.argv[1], encoding="utf-8").read()
scope = {}
try:
    exec(compile(source, "setup_cell", "exec"), scope)
    if len(sys.argv) > 2:
        if sys.argv[2] == "unreachable":  # an official URL that cannot answer
            scope["DATASETS"]["mnist"]["official"]["mnist.npz"] = (
                "http://127.0.0.1:9/mnist.npz",
                scope["DATASETS"]["mnist"]["official"]["mnist.npz"][1])
        print("SOURCE", scope["data_files"]("mnist")[0])
except scope.get("DlmathError", RuntimeError) as err:
    print("DLMATH-ERROR", err)
    sys.exit(3)
"""


def run_setup(env_changes, *args, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DLMATH_DATA", "DLMATH_PROFILE")}
    env.update(env_changes, KERAS_HOME=str(tmp_path / "keras-home"))
    done = subprocess.run([sys.executable, "-c", DRIVER, str(SETUP), *args], env=env,
                          capture_output=True, text=True, timeout=300)
    return done


def one_sentence(done):
    assert done.returncode == 3, f"expected a DlmathError:\n{done.stdout}\n{done.stderr}"
    line = done.stdout.split("DLMATH-ERROR ", 1)[1].strip()
    assert "\n" not in line and line.endswith(".") and "Traceback" not in line, line
    return line


def test_bogus_profile(tmp_path):
    msg = one_sentence(run_setup({"DLMATH_PROFILE": "bogus"}, tmp_path=tmp_path))
    assert msg.startswith("DLMATH_PROFILE is 'bogus', but the valid values are 'quick' and 'full'")


def test_data_folder_missing(tmp_path):
    missing = tmp_path / "no-such-mirror"
    msg = one_sentence(run_setup({"DLMATH_DATA": str(missing)}, "mnist", tmp_path=tmp_path))
    assert msg.startswith(f"DLMATH_DATA is {str(missing)!r}, which is not a folder;")
    assert "offline mirror" in msg and "unset it to download the official files" in msg


def test_data_file_missing(tmp_path):
    (tmp_path / "mirror" / "mnist").mkdir(parents=True)
    msg = one_sentence(run_setup({"DLMATH_DATA": str(tmp_path / "mirror")}, "mnist",
                                 tmp_path=tmp_path))
    assert msg.startswith("the offline mirror lacks mnist/mnist.npz (looked for")


def test_corrupted_mirror_file(tmp_path):
    if not (MIRROR / "mnist" / "mnist.npz").is_file():
        pytest.skip(f"no mirror at {MIRROR} to corrupt a copy of")
    (tmp_path / "mirror" / "mnist").mkdir(parents=True)
    corrupt = tmp_path / "mirror" / "mnist" / "mnist.npz"
    data = bytearray((MIRROR / "mnist" / "mnist.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    corrupt.write_bytes(bytes(data))
    msg = one_sentence(run_setup({"DLMATH_DATA": str(tmp_path / "mirror")}, "mnist",
                                 tmp_path=tmp_path))
    assert msg.startswith(f"{str(corrupt)!r} is corrupt or not the expected file (sha256")
    assert "replace it with the mirror's copy" in msg


def test_failed_download(tmp_path):
    msg = one_sentence(run_setup({}, "unreachable", tmp_path=tmp_path))
    assert msg.startswith("downloading http://127.0.0.1:9/mnist.npz into")
    assert "failed" in msg and "set DLMATH_DATA to an offline mirror" in msg


def test_good_mirror_is_used(tmp_path):
    if not MIRROR.is_dir():
        pytest.skip(f"no mirror at {MIRROR}")
    (tmp_path / "mirror").mkdir()
    shutil.copytree(MIRROR / "mnist", tmp_path / "mirror" / "mnist")
    done = run_setup({"DLMATH_DATA": str(tmp_path / "mirror")}, "mnist", tmp_path=tmp_path)
    assert done.returncode == 0 and "SOURCE mirror" in done.stdout, done.stdout + done.stderr


def test_notebook_shows_the_sentence_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("DLMATH_PROFILE", "bogus")
    nb = nbformat.read(ROOT / "notebooks" / "intro.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError):
        client.execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert len(errors) == 1 and errors[0].ename == "DlmathError"
    assert errors[0].traceback == [f"DlmathError: {errors[0].evalue}"]
    assert errors[0].evalue.startswith("DLMATH_PROFILE is 'bogus'")
