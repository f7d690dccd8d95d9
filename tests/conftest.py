"""Shared helpers of the dlmath test suite."""
import pathlib
import subprocess
import sys
import time

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
# Page names, in the order of the table of contents (each chapter issue adds its own).
PAGE_ORDER = ["intro", "getting_started", "activations", "gradient_descent", "loss_functions",
              "recursive_networks", "errata", "glossary", "references", "results"]
SETUP_MARKER = "# dlmath set-up cell"
# Notebooks executed by nbmake in this session, handed over to the book build.
EXECUTED = ROOT / "_build" / "executed"
# Their run records (save_results, the chapters' last cell), checked by test_standalone.py.
RUN_RESULTS = ROOT / "_build" / "run-results"
SESSION_START = time.time()


def toc_pages():
    """Page names of _toc.yml in order, e.g. ['intro', 'activations']."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(node):
        for entry in node.get("chapters", []) + node.get("sections", []):
            pages.append(entry["file"])
            walk(entry)
        for part in node.get("parts", []):
            walk(part)

    walk(toc)
    return [pathlib.PurePosixPath(p).with_suffix("").name for p in pages]


def is_setup_cell(cell):
    """The set-up cell: its marker is in its first lines (after Colab's '# @title' line)."""
    return cell.cell_type == "code" and SETUP_MARKER in "\n".join(cell.source.splitlines()[:3])


def is_notebook_page(md):
    """A book page is a notebook when its front matter has a jupytext header."""
    return "jupytext:" in md.read_text(encoding="utf-8")[:500]


def chapter_pages():
    """The pages of the table of contents that are notebooks."""
    return [p for p in toc_pages() if is_notebook_page(ROOT / "book" / f"{p}.md")]


def pytest_collection_modifyitems(items):
    """Run the nbmake executions first: the book build, later on the same worker, reuses them."""
    items.sort(key=lambda item: 0 if item.originalname == "test_notebook_runs_alone_under_nbmake"
               else 1)


def cache_executed_notebooks():
    """Put this session's nbmake-executed notebooks into the build's jupyter-cache.

    MyST-NB then finds each chapter's code in the cache (the key is a hash of the code cells
    and their metadata, identical for book/<page>.md and its paired notebook) and takes the
    outputs from there instead of executing the chapter a second time.
    """
    import nbformat
    from records import dlmath_results  # _ext/dlmath_results.py

    for path in sorted(EXECUTED.glob("*.ipynb")):
        if path.stat().st_mtime > SESSION_START:
            dlmath_results.cache_executed(ROOT / "_build" / ".jupyter_cache",
                                          nbformat.read(path, as_version=4), path.stem)


@pytest.fixture(scope="session")
def built_book(testrun_uid):
    """Build the book as `make book` does (warnings are errors) and return _build/html.

    Once per test run, whichever worker process asks first. CI twice saw a second build in one
    run (after the first had succeeded, a later test's set-up built again, and the incremental
    build failed on a search-index warning), although a per-process guard was in place: so the
    guard is a lock and a marker file named after the run (xdist's testrun_uid), which any
    process sees. Later callers wait for the first build and reuse it.
    """
    from filelock import FileLock

    html = ROOT / "_build" / "html"
    html.parent.mkdir(exist_ok=True)
    marker = ROOT / "_build" / f".built-{testrun_uid}"
    with FileLock(str(ROOT / "_build" / ".build.lock")):
        if marker.is_file():
            return html
        cache_executed_notebooks()
        cmd = [str(BIN / "jupyter-book"), "build", ".", "-W", "-n", "--keep-going"]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            log = (done.stdout + done.stderr)[-6000:]
            pytest.fail(f"`{' '.join(cmd[1:])}` failed (exit {done.returncode}):\n{log}")
        for old in marker.parent.glob(".built-*"):
            old.unlink()
        marker.touch()
    return html
