"""Copy the canonical set-up cell into every chapter, then re-pair book/*.md with notebooks/.

Usage: python tools/sync.py   (what `make sync` runs)

The chapters are the source of truth (book/*.md, MyST notebooks); notebooks/*.ipynb are
their jupytext-paired copies without outputs, for Jupyter and Colab.
"""
import pathlib
import subprocess
import sys

import jupytext

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = "# dlmath set-up cell"


def chapters():
    """The book pages that are notebooks (their front matter has a jupytext header)."""
    return [md for md in sorted((ROOT / "book").glob("*.md"))
            if "jupytext:" in md.read_text(encoding="utf-8")[:500]]


def canonical_setup():
    return (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8").rstrip("\n")


def main():
    setup = canonical_setup()
    for md in chapters():
        nb = jupytext.read(md)
        cells = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(MARKER)]
        if len(cells) != 1:
            sys.exit(f"{md.relative_to(ROOT)}: expected one set-up cell starting with "
                     f"{MARKER!r}, found {len(cells)}")
        if cells[0].source != setup:
            cells[0].source = setup
            jupytext.write(nb, md, fmt="md:myst")
            print(f"updated the set-up cell of {md.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "jupytext", "--sync", "--quiet", str(md)],
                       check=True, cwd=ROOT)
    print(f"{len(chapters())} chapters in sync with notebooks/")


if __name__ == "__main__":
    main()
