"""Copy the canonical set-up cell into every chapter, fill each model chapter's reference-run
cell from results/<chapter>.json, then re-pair book/*.md with notebooks/.

Usage: python tools/sync.py   (what `make sync` runs)

The chapters are the source of truth (book/*.md, MyST notebooks); notebooks/*.ipynb are
their jupytext-paired copies without outputs, for Jupyter and Colab. A notebook must stand
alone, so it cannot read results/ itself: its reference-run cell carries a copy of the file.
"""
import json
import pathlib
import pprint
import subprocess
import sys

import jupytext

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = "# dlmath set-up cell"
REFERENCE_MARKER = "# dlmath reference run"


def chapters():
    """The book pages that are notebooks (their front matter has a jupytext header)."""
    return [md for md in sorted((ROOT / "book").glob("*.md"))
            if "jupytext:" in md.read_text(encoding="utf-8")[:500]]


def canonical_setup():
    return (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8").rstrip("\n")


def reference_cell(chapter, path=None):
    """Source and tags of a chapter's reference-run cell, from results/<chapter>.json (or path)."""
    path = path or ROOT / "results" / f"{chapter}.json"
    head = (f"{REFERENCE_MARKER}: `make sync` copies results/{chapter}.json here; do not edit.\n"
            "# The full profile on a GPU, made by this notebook's own code (see save_results).\n")
    if not path.is_file():
        return head + "REFERENCE = None  # pending: no reference run is stored yet", ["remove-cell"]
    record = json.loads(path.read_text(encoding="utf-8"))
    return (head + "REFERENCE = " + pprint.pformat(record, width=96, compact=True),
            ["hide-input"])


def main():
    setup = canonical_setup()
    for md in chapters():
        nb = jupytext.read(md)
        cells = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(MARKER)]
        if len(cells) != 1:
            sys.exit(f"{md.relative_to(ROOT)}: expected one set-up cell starting with "
                     f"{MARKER!r}, found {len(cells)}")
        changed = cells[0].source != setup
        cells[0].source = setup
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source.startswith(REFERENCE_MARKER):
                source, tags = reference_cell(md.stem)
                changed |= (cell.source, cell.metadata.get("tags")) != (source, tags)
                cell.source, cell.metadata["tags"] = source, tags
        if changed:
            jupytext.write(nb, md, fmt="md:myst")
            print(f"updated the set-up or reference cell of {md.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(md)],
                       check=True, cwd=ROOT)
    print(f"{len(chapters())} chapters in sync with notebooks/")


if __name__ == "__main__":
    main()
