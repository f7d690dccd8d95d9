"""Each notebook stands alone: copied by itself into an empty folder, nbmake executes it there."""
import json
import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from conftest import EXECUTED, ROOT, RUN_RESULTS, chapter_pages
from records import MODEL_CHAPTERS, problems

# Patterns that would tie a notebook to the repository's files.
REPO_TIES = [r"\.\./", r"sys\.path", r"\bfrom (book|tools|tests)\b", r"\bimport (tools|tests)\b"]


@pytest.mark.parametrize("page", chapter_pages())
def test_notebook_code_does_not_reach_into_the_repository(page):
    nb = nbformat.read(ROOT / "notebooks" / f"{page}.ipynb", as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in cell.source.splitlines()
                         if not line.lstrip().startswith("#"))
        for pattern in REPO_TIES:
            assert not re.search(pattern, code), f"{page} cell {i} matches {pattern!r}"


@pytest.mark.xdist_group("book")  # same worker as the build, which reuses the executed copy
@pytest.mark.parametrize("page", chapter_pages())
def test_notebook_runs_alone_under_nbmake(page, tmp_path):
    """nbmake executes the notebook, copied alone into an empty folder.

    This is the suite's one execution of each notebook: running the copy rather than
    notebooks/<page>.ipynb in place also proves that the notebook needs nothing else from the
    repository. The executed copy goes to EXECUTED, where the book build (which runs after
    these tests, see conftest.py) takes its outputs instead of executing the chapter again.
    """
    EXECUTED.mkdir(parents=True, exist_ok=True)
    handed_over = EXECUTED / f"{page}.ipynb"
    handed_over.unlink(missing_ok=True)
    alone = tmp_path / f"{page}.ipynb"
    started = time.time()
    shutil.copy(ROOT / "notebooks" / f"{page}.ipynb", alone)
    # The per-cell timeout also caps a known nbclient stall after a cell that shows an
    # ipywidget (jupyter/nbclient#312): once in a while the client waits the whole timeout
    # before the next cell, then goes on. Quick-profile cells take well under a minute.
    # The model chapters' last cell writes the run's record to DLMATH_RESULTS.
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbmake", "--nbmake-timeout=240", "--overwrite",
         "-q", "-p", "no:cacheprovider", "-o", "addopts=", alone.name],
        cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "DLMATH_RESULTS": str(RUN_RESULTS)})
    assert done.returncode == 0, f"nbmake failed on {page}:\n{(done.stdout + done.stderr)[-5000:]}"
    if page in MODEL_CHAPTERS:  # its last cell wrote this run's record (tests/records.py)
        record_path = RUN_RESULTS / f"{page}.json"
        assert record_path.is_file() and record_path.stat().st_mtime >= started, (
            f"the run of {page} wrote no record to {record_path}")
        record = json.loads(record_path.read_text(encoding="utf-8"))
        assert problems(record, page) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [alone.name], (
        f"{page} left files in its folder: write caches under the Keras cache instead")
    shutil.copy(alone, handed_over)
