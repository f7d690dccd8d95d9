"""Copy the canonical set-up cell into every chapter, fill each model chapter's reference-run
cell from results/<chapter>.json (in the chapter and in results/<chapter>.ipynb alike), then
re-pair book/*.md with notebooks/.

Usage: python tools/sync.py   (what `make sync` runs)

The chapters are the source of truth (book/*.md, MyST notebooks); notebooks/*.ipynb are
their jupytext-paired copies without outputs, for Jupyter and Colab. A notebook must stand
alone, so it cannot read results/ itself: its reference-run cell carries a copy of the file.

The web book shows results/<chapter>.ipynb, the executed reference run, when its code is the
chapter's code (the same jupyter-cache key). The record is written into the reference cell of
both notebooks at once, so filling it in leaves the run current.
"""
import json
import pathlib
import pprint
import subprocess
import sys

import jupytext

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from dlmath_results import REFERENCE_MARKER, model_chapters  # noqa: E402,F401

MARKER = "# dlmath set-up cell"


def chapters():
    """The book pages that are notebooks (their front matter has a jupytext header)."""
    return [md for md in sorted((ROOT / "book").glob("*.md"))
            if "jupytext:" in md.read_text(encoding="utf-8")[:500]]


def canonical_setup():
    return (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8").rstrip("\n")


def is_setup_cell(cell):
    """The set-up cell: a code cell with the marker in its first lines (after Colab's title)."""
    return cell.cell_type == "code" and MARKER in "\n".join(cell.source.splitlines()[:3])


def set_setup_cell(cell, source):
    """Give a set-up cell the canonical source, hidden on the web page and a collapsed form
    in Colab (its '# @title' line names it). Returns True if anything changed."""
    old = (cell.source, dict(cell.metadata))
    cell.source = source
    cell.metadata["tags"] = ["hide-input"]
    cell.metadata["cellView"] = "form"
    return old != (cell.source, dict(cell.metadata))


def set_reference_cell(nb, chapter, path=None):
    """Fill a notebook's reference-run cell from the record; True if anything changed."""
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(REFERENCE_MARKER):
            source, tags = reference_cell(chapter, path)
            changed |= (cell.source, cell.metadata.get("tags")) != (source, tags)
            cell.source, cell.metadata["tags"] = source, tags
    return changed


def reference_cell(chapter, path=None):
    """Source and tags of a chapter's reference-run cell, from results/<chapter>.json (or path)."""
    path = path or ROOT / "results" / f"{chapter}.json"
    head = (f"{REFERENCE_MARKER}: `make sync` copies results/{chapter}.json here; do not edit.\n"
            "# The full profile, made by this notebook's own code (see save_results).\n")
    if not path.is_file():
        return head + "REFERENCE = None  # pending: no reference run is stored yet", ["remove-cell"]
    record = json.loads(path.read_text(encoding="utf-8"))
    return (head + "REFERENCE = " + pprint.pformat(record, width=96, compact=True),
            ["hide-input"])


def main():
    import nbformat

    setup = canonical_setup()
    for md in chapters():
        nb = jupytext.read(md)
        cells = [c for c in nb.cells if is_setup_cell(c)]
        if len(cells) != 1:
            sys.exit(f"{md.relative_to(ROOT)}: expected one set-up cell with "
                     f"{MARKER!r} in its first lines, found {len(cells)}")
        changed = set_setup_cell(cells[0], setup)
        changed |= set_reference_cell(nb, md.stem)
        if changed:
            jupytext.write(nb, md, fmt="md:myst")
            print(f"updated the set-up or reference cell of {md.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(md)],
                       check=True, cwd=ROOT)
        run = ROOT / "results" / f"{md.stem}.ipynb"
        if run.is_file():  # the reference run's own copy of the cell, so that its key matches
            executed = nbformat.read(run, as_version=4)
            if set_reference_cell(executed, md.stem):
                nbformat.write(executed, run)
                print(f"updated the reference cell of {run.relative_to(ROOT)}")
    print(f"{len(chapters())} chapters in sync with notebooks/")


if __name__ == "__main__":
    main()
