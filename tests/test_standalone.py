"""Each notebook stands alone: copied by itself into an empty folder, it executes there."""
import re
import shutil

import nbformat
import pytest
from conftest import ROOT, chapter_pages
from nbclient import NotebookClient

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


@pytest.mark.parametrize("page", chapter_pages())
def test_notebook_runs_alone_in_an_empty_folder(page, tmp_path):
    alone = tmp_path / f"{page}.ipynb"
    shutil.copy(ROOT / "notebooks" / f"{page}.ipynb", alone)
    nb = nbformat.read(alone, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert sorted(p.name for p in tmp_path.iterdir()) == [alone.name], (
        f"{page} left files in its folder: write caches under the Keras cache instead")
