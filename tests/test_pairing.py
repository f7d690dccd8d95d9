"""Every chapter has its Markdown source and its paired, output-free notebook, in sync."""
import json

import jupytext
import nbformat
import pytest
from conftest import PAGE_ORDER, ROOT, chapter_pages, is_setup_cell, toc_pages

FIX = "run `make sync` (it copies the set-up cell and runs jupytext --sync on book/*.md)"


def test_toc_pages_exist_in_the_agreed_order():
    pages = toc_pages()
    assert pages[0] == "intro"
    for page in pages:
        assert (ROOT / "book" / f"{page}.md").is_file(), f"_toc.yml lists {page}: no book/{page}.md"
        assert page in PAGE_ORDER, f"{page} is not one of the agreed page names {PAGE_ORDER}"
    order = [PAGE_ORDER.index(p) for p in pages]
    assert order == sorted(order), f"_toc.yml order {pages} differs from {PAGE_ORDER}"


def test_every_book_page_is_in_the_toc():
    listed = set(toc_pages())
    for md in sorted((ROOT / "book").glob("*.md")):
        assert md.stem in listed, f"book/{md.name} is not in _toc.yml: add it or remove it"


def test_every_notebook_has_its_chapter():
    chapters = set(chapter_pages())
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert nb.stem in chapters, f"notebooks/{nb.name} has no chapter book/{nb.stem}.md in _toc.yml"


@pytest.mark.parametrize("page", chapter_pages())
def test_chapter_is_paired_and_in_sync(page):
    md, ipynb = ROOT / "book" / f"{page}.md", ROOT / "notebooks" / f"{page}.ipynb"
    assert ipynb.is_file(), f"notebooks/{page}.ipynb is missing: {FIX}"
    text, paired = jupytext.read(md), jupytext.read(ipynb)
    cells = [(c.cell_type, c.source.strip(), c.metadata.get("tags", [])) for c in text.cells]
    paired_cells = [(c.cell_type, c.source.strip(), c.metadata.get("tags", []))
                    for c in paired.cells]
    assert cells == paired_cells, f"book/{page}.md and notebooks/{page}.ipynb differ: {FIX}"


@pytest.mark.parametrize("page", chapter_pages())
def test_notebook_has_no_outputs(page):
    nb = json.loads((ROOT / "notebooks" / f"{page}.ipynb").read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, (
                f"notebooks/{page}.ipynb cell {i} has outputs: strip them with "
                f"`nbstripout notebooks/{page}.ipynb` (pre-commit does it for you)")
    assert "widgets" not in nb.get("metadata", {}), f"notebooks/{page}.ipynb stores widget state"


@pytest.mark.parametrize("page", chapter_pages())
def test_setup_cell_is_the_canonical_one(page):
    canonical = (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8").strip()
    nb = jupytext.read(ROOT / "book" / f"{page}.md")
    setup = [c.source.strip() for c in nb.cells if is_setup_cell(c)]
    assert setup == [canonical], f"book/{page}.md: its set-up cell is not tools/setup_cell.py: {FIX}"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert is_setup_cell(first_code), f"book/{page}.md: the set-up cell must come first"
    assert first_code.source.startswith("# @title "), (
        f"book/{page}.md: the set-up cell must open with Colab's '# @title' line")
    assert first_code.metadata.get("cellView") == "form", (
        f"book/{page}.md: the set-up cell must carry cellView: form (a collapsed form in Colab)")
    paired = nbformat.read(ROOT / "notebooks" / f"{page}.ipynb", as_version=4)
    first = next(c for c in paired.cells if c.cell_type == "code")
    assert is_setup_cell(first) and first.metadata.get("cellView") == "form", (
        f"notebooks/{page}.ipynb: jupytext lost the set-up cell's cellView: form")



def test_intro_is_a_notebook_chapter():
    assert "intro" in chapter_pages(), "book/intro.md must be a MyST notebook (jupytext header)"
