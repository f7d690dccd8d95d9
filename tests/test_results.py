"""Run records and reference results (results/<chapter>.json, book/results.md).

A record is written by a chapter's own last cell (save_results in the set-up cell). The
committed ones in results/ are reference runs: full profile, on a GPU, from a committed
state. The nbmake runs of this suite write quick-profile records to _build/run-results/, which
exercises the same pipeline on every CI run.
"""
import ast
import copy
import datetime
import json
import math
import os
import re
import sys

import nbformat
import pytest
import yaml
from conftest import EXECUTED, ROOT, RUN_RESULTS, SESSION_START

sys.path.insert(0, str(ROOT / "_ext"))
import dlmath_results  # noqa: E402  (the results page's directive)

RESULTS = ROOT / "results"
REFERENCE_MARKER = "# dlmath reference run"
MODEL_CHAPTERS = sorted(md.stem for md in (ROOT / "book").glob("*.md")
                        if REFERENCE_MARKER in md.read_text(encoding="utf-8"))
BACKEND_PACKAGE = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def results_spec():
    """The entries of the dlmath-results directive in book/results.md."""
    text = (ROOT / "book" / "results.md").read_text(encoding="utf-8")
    body = re.search(r"```\{dlmath-results\}\n(.*?)```", text, re.S)
    assert body, "book/results.md has no dlmath-results directive"
    return yaml.safe_load(body.group(1))


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def curve_problems(curves, path="curves"):
    """Every leaf of the curves is a non-empty list of finite numbers."""
    if isinstance(curves, list):
        ok = curves and all(is_number(v) for v in curves)
        return [] if ok else [f"{path} is not a non-empty list of finite numbers"]
    if isinstance(curves, dict) and curves:
        return [p for key, value in curves.items() for p in curve_problems(value, f"{path}.{key}")]
    return [f"{path} is neither a list of numbers nor a non-empty dict"]


def problems(record, chapter, reference=False):
    """What is wrong with a run record, as a list of sentences (empty: valid).

    reference=True adds what a committed reference run needs: the full profile, a GPU and a
    clean commit.
    """
    found = []
    required = {"schema": int, "chapter": str, "profile": str, "date": str, "device": str,
                "gpu": bool, "backend": str, "keras": str, "versions": dict, "git_commit": str,
                "notebook_seconds": (int, float), "train_seconds": dict, "metrics": dict,
                "curves": dict, "details": dict, "data": dict}
    for key, kind in required.items():
        if not isinstance(record.get(key), kind):
            found.append(f"{key} is missing or not a {kind}")
    if found:
        return found
    if record["schema"] != 1:
        found.append(f"schema {record['schema']} is not 1")
    if record["chapter"] != chapter:
        found.append(f"chapter {record['chapter']!r} is not {chapter!r}")
    if record["profile"] not in ("quick", "full"):
        found.append(f"profile {record['profile']!r} is neither quick nor full")
    try:
        date = datetime.datetime.fromisoformat(record["date"])
        if date.tzinfo is None or date > datetime.datetime.now(datetime.UTC):
            found.append(f"date {record['date']} has no time zone or lies in the future")
    except ValueError:
        found.append(f"date {record['date']!r} is not an ISO 8601 date and time")
    if not record["device"].strip():
        found.append("device is empty")
    if record["backend"] not in BACKEND_PACKAGE:
        found.append(f"backend {record['backend']!r} is not tensorflow, jax or torch")
    for package in ("python", "numpy", "keras", BACKEND_PACKAGE.get(record["backend"], "?")):
        if package not in record["versions"]:
            found.append(f"versions lacks {package}")
    if record["versions"].get("keras") != record["keras"]:
        found.append("keras and versions.keras disagree")
    if not re.fullmatch(r"[0-9a-f]{40}(-dirty)?|unknown", record["git_commit"]):
        found.append(f"git_commit {record['git_commit']!r} is not a commit")
    if not is_number(record["notebook_seconds"]) or record["notebook_seconds"] <= 0:
        found.append("notebook_seconds is not a positive number")
    seconds = record["train_seconds"]
    if not seconds or not all(is_number(v) and v > 0 for v in seconds.values()):
        found.append("train_seconds is empty or holds a value that is not a positive number")
    elif sum(seconds.values()) > record["notebook_seconds"]:
        found.append("the training times add up to more than the whole notebook")
    if not record["metrics"] or not all(is_number(v) for v in record["metrics"].values()):
        found.append("metrics is empty or holds a value that is not a finite number")
    for entry in results_spec():
        if entry["chapter"] == chapter and dlmath_results.lookup(record, entry["metric"]) is None:
            found.append(f"{entry['metric']} is missing (the results page shows it)")
    found += curve_problems(record["curves"])
    if not record["data"]:
        found.append("data names no data set")
    for name, data in record["data"].items():
        if data.get("source") not in ("mirror", "official") or not data.get("files"):
            found.append(f"data.{name} lacks its source (mirror or official) or its files")
        if name == "cifar10" and not data.get("copy"):
            found.append("data.cifar10 does not say which copy of CIFAR-10 was read")
    if reference:
        if record["profile"] != "full":
            found.append(f"a reference run must use the full profile, not {record['profile']!r}")
        if not record["gpu"]:
            found.append("a reference run must run on a GPU")
        if not re.fullmatch(r"[0-9a-f]{40}", record["git_commit"]):
            found.append(f"a reference run must name a clean commit, not {record['git_commit']!r}")
    return found


def reference_cell(chapter):
    nb = nbformat.read(ROOT / "notebooks" / f"{chapter}.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and
             c.source.startswith(REFERENCE_MARKER)]
    assert len(cells) == 1, f"{chapter} has {len(cells)} reference-run cells, not one"
    return cells[0]


def test_the_model_chapters_are_the_four():
    assert MODEL_CHAPTERS == ["activations", "gradient_descent", "loss_functions",
                              "recursive_networks"]
    assert {e["chapter"] for e in results_spec()} == set(MODEL_CHAPTERS)


def test_results_holds_reference_runs_of_model_chapters_only():
    names = sorted(p.name for p in RESULTS.iterdir())
    allowed = {"README.md"} | {f"{c}.json" for c in MODEL_CHAPTERS}
    assert set(names) <= allowed, f"unexpected files in results/: {set(names) - allowed}"


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*.json")), ids=lambda p: p.stem)
def test_reference_run_is_valid(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    assert problems(record, path.stem, reference=True) == []


@pytest.mark.parametrize("chapter", MODEL_CHAPTERS)
def test_reference_cell_is_a_copy_of_the_results_file(chapter):
    """The notebook carries the file's record (it must stand alone); `make sync` copies it."""
    cell = reference_cell(chapter)
    assignment = cell.source.split("REFERENCE = ", 1)[1]
    path = RESULTS / f"{chapter}.json"
    if path.is_file():
        assert ast.literal_eval(assignment) == json.loads(path.read_text(encoding="utf-8")), (
            f"the reference cell of {chapter} differs from {path.name}: run `make sync`")
        assert cell.metadata.get("tags") == ["hide-input"]
    else:
        assert assignment.split("#")[0].strip() == "None", (
            f"{chapter} has reference data but no results/{chapter}.json")
        assert cell.metadata.get("tags") == ["remove-cell"]


def valid_record(chapter="activations"):
    """A made-up record that satisfies every rule for a reference run of `chapter`."""
    record = {"schema": 1, "chapter": chapter, "profile": "full",
              "date": "2026-11-26T10:00:00+00:00", "device": "NVIDIA H100 80GB HBM3",
              "gpu": True, "backend": "jax", "keras": "3.15.1",
              "versions": {"python": "3.12.3", "numpy": "2.1.0", "keras": "3.15.1",
                           "jax": "0.11.2"},
              "git_commit": "0123456789abcdef0123456789abcdef01234567",
              "notebook_seconds": 55.0, "train_seconds": {"mnist": 20.0},
              "metrics": {}, "curves": {"mnist_train": {"loss": [0.5, 0.2]}}, "details": {},
              "data": {"mnist": {"source": "mirror", "copy": "", "files": ["mnist.npz"]}}}
    for entry in results_spec():
        if entry["chapter"] == chapter:
            keys = entry["metric"].split(".")
            node = record
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node.setdefault(keys[-1], 0.5)
    return record


@pytest.mark.parametrize("breakage, expected", [
    (lambda r: r.update(profile="quick"), "full profile"),
    (lambda r: r.update(gpu=False), "on a GPU"),
    (lambda r: r.update(git_commit=r["git_commit"] + "-dirty"), "clean commit"),
    (lambda r: r.pop("device"), "device is missing"),
    (lambda r: r["metrics"].update(digits_test_accuracy=float("nan")), "finite number"),
    (lambda r: r["metrics"].pop("mnist_test_error"), "mnist_test_error is missing"),
    (lambda r: r["curves"]["mnist_train"].update(loss=[]), "curves.mnist_train.loss"),
    (lambda r: r.update(date="2026-11-26 10:00"), "no time zone"),
    (lambda r: r["data"]["mnist"].update(source="somewhere"), "data.mnist"),
    (lambda r: r["train_seconds"].update(mnist=99.0), "add up to more"),
])
def test_the_validator_rejects_a_broken_record(breakage, expected):
    record = valid_record()
    assert problems(record, "activations", reference=True) == []
    broken = copy.deepcopy(record)
    breakage(broken)
    assert any(expected in p for p in problems(broken, "activations", reference=True))


def test_the_results_table_shows_the_records():
    """The directive's table, from a made-up record and a pending chapter."""
    spec = results_spec()
    record = valid_record("activations")
    record["metrics"].update(digits_test_accuracy=0.9912, mnist_test_error=0.0081)
    record["train_seconds"].update(digits_ensemble=12.3)
    records = {chapter: None for chapter in MODEL_CHAPTERS} | {"activations": record}
    text = "\n".join(dlmath_results.table_lines(spec, records))
    digits = next(line for line in text.splitlines() if "scikit-learn digits" in line)
    assert "| 99.1% | 12 s | ≥ 99.0% | yes |" in digits
    mnist = next(line for line in text.splitlines() if "MNIST, test error" in line)
    assert "| 0.81% | 20 s | ≤ 0.70% | **no** |" in mnist
    rnt = next(line for line in text.splitlines() if "RNTN, SST, 5 classes" in line)
    assert "| pending |" in rnt
    assert "NVIDIA H100 80GB HBM3, 2026-11-26 | 3.15.1 on jax | mnist: mirror | `0123456789`" in text


@pytest.mark.xdist_group("book")  # after the nbmake runs, on the same worker
@pytest.mark.parametrize("chapter", MODEL_CHAPTERS)
def test_this_suites_runs_wrote_valid_records(chapter):
    """The nbmake run of each model chapter (test_standalone.py) wrote its record."""
    executed = EXECUTED / f"{chapter}.ipynb"
    if not executed.is_file() or executed.stat().st_mtime < SESSION_START:
        pytest.skip(f"nbmake did not run {chapter} in this session")
    path = RUN_RESULTS / f"{chapter}.json"
    assert path.is_file() and path.stat().st_mtime > SESSION_START, (
        f"the run of {chapter} wrote no record to {path}")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert problems(record, chapter) == []
    assert record["profile"] == (os.environ.get("DLMATH_PROFILE") or record["profile"])


@pytest.mark.xdist_group("book")
def test_the_pages_show_what_the_files_say(built_book):
    from bs4 import BeautifulSoup

    records = dlmath_results.load_records(MODEL_CHAPTERS)
    for chapter, record in records.items():
        text = BeautifulSoup((built_book / "book" / f"{chapter}.html").read_text(
            encoding="utf-8"), "html.parser").get_text(" ")
        text = " ".join(text.split())
        if record is None:
            assert "The reference run is pending" in text, chapter
        else:
            assert (f"Reference run: full profile on {record['device']}, "
                    f"{record['date'][:10]}") in text, chapter
    page = BeautifulSoup((built_book / "book" / "results.html").read_text(encoding="utf-8"),
                         "html.parser")
    table = page.find("div", class_="dlmath-results").find("table")
    rows = [[" ".join(td.get_text(" ").replace("\u2019", "'").split()) for td in tr.find_all("td")]
            for tr in table.find_all("tr")]
    rows = [row for row in rows if row]  # the header row has th cells only
    spec = results_spec()
    assert len(rows) == len(spec)
    for entry, row in zip(spec, rows):
        assert row[1] == " ".join(entry["model"].split()), row
        record = records[entry["chapter"]]
        if record is None:
            assert row[2] == "pending", row
        else:
            value = dlmath_results.lookup(record, entry["metric"])
            assert row[2] == dlmath_results.formatted(value, entry["format"]), row
    if not any(records.values()):
        assert "pending" in page.get_text()


def test_the_set_up_cell_shows_a_reference_run(tmp_path, monkeypatch):
    """The chapters' helpers with a reference record present (no GPU run exists yet to
    exercise them through a chapter), and save_results writing a record."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setenv("DLMATH_RESULTS", str(tmp_path))
    monkeypatch.setenv("DLMATH_PROFILE", "quick")
    monkeypatch.setenv("DLMATH_GIT_COMMIT", "f" * 40)
    ns = {}
    exec(compile((ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8"),
                 "setup_cell", "exec"), ns)
    assert "pending" in ns["reference_note"]("activations")
    ns["REFERENCE"] = valid_record("activations")
    ns["RESULTS"]["metrics"]["mnist_test_error"] = 0.088
    rows = [("MNIST, test error", "metrics.mnist_test_error", lambda v: f"{100 * v:.2f}%",
             "≤ 0.7%", ""),
            ("whole notebook", "notebook_seconds", lambda v: f"{v:.0f} s", "", "")]
    table = ns["results_table"]("activations", rows)
    assert "| this run (quick profile) | reference run (NVIDIA H100 80GB HBM3, 2026-11-26) |" in table
    assert "| MNIST, test error | 8.80% | 50.00% | ≤ 0.7% |" in table
    assert "| whole notebook | — | 55 s |" in table
    assert "Reference run: full profile on NVIDIA H100 80GB HBM3, 2026-11-26" in table
    fig, ax = plt.subplots()
    assert ns["plot_reference"](ax, "mnist_train.loss", color="C0")
    assert not ns["plot_reference"](ax, "no_such.curve")
    assert list(ax.lines[0].get_ydata()) == [0.5, 0.2] and ax.lines[0].get_linestyle() == "--"
    plt.close(fig)
    ns["RESULTS"]["train_seconds"]["mnist"] = 0.5
    ns["RESULTS"]["curves"]["mnist_train"] = {"loss": [0.3, 0.1]}
    ns["record_data"]("cifar10", "mirror", {"x": tmp_path / "cifar10_jpeg_q75.tar.gz"})
    ns["save_results"]("activations")
    record = json.loads((tmp_path / "activations.json").read_text(encoding="utf-8"))
    assert record["git_commit"] == "f" * 40 and record["profile"] == "quick"
    assert record["metrics"] == {"mnist_test_error": 0.088}
    assert record["data"]["cifar10"] == {"source": "mirror", "files": ["cifar10_jpeg_q75.tar.gz"],
                                         "copy": "JPEG copy, quality 75 (lossy pixels)"}
    assert [p for p in problems(record, "activations") if "is missing" not in p] == []
