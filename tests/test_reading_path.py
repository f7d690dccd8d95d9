"""The reading path (issue 13): the web page shows the mathematics, the plumbing steps aside.

Measured on book/*.md: visible code cells (not tagged hide-input, remove-input, remove-cell or
hide-cell) are short, each chapter's visible code stays within its budget, no helper is defined
in two pages outside the set-up cell, and errors that are the point are asserted by
expect_error instead of being shown as tracebacks.
"""
import ast
import collections

import jupytext
import pytest
from conftest import ROOT, chapter_pages, is_setup_cell

HIDDEN = {"hide-input", "remove-input", "remove-cell", "hide-cell"}
LONGEST_VISIBLE_CELL = 30
# 60 % of each chapter's visible code lines when issue 13 was filed (all lines of the cells),
# plus what the second editions (issues 15-18) added as new sections, each of which derives,
# implements and checks: gradient descent's reverse-mode engine, layer backward passes,
# saddles and rates, optimisers' lineage and measured schedules (360 lines); loss functions'
# calibration, clipping, GRU and truncated BPTT, and losses from likelihoods (210 lines).
SECOND_EDITION = {"gradient_descent": 360, "loss_functions": 210}
VISIBLE_BUDGET = {page: int(0.6 * lines) + SECOND_EDITION.get(page, 0) for page, lines in
                  {"activations": 755, "gradient_descent": 1333, "loss_functions": 954,
                   "recursive_networks": 1046}.items()}


def code_cells(page):
    nb = jupytext.read(ROOT / "book" / f"{page}.md")
    return [c for c in nb.cells if c.cell_type == "code"]


def visible(cell):
    return not HIDDEN & set(cell.metadata.get("tags", []))


def visible_lines(page):
    """Line counts of the page's visible code cells."""
    return [len(c.source.rstrip("\n").splitlines()) for c in code_cells(page) if visible(c)]


@pytest.mark.parametrize("page", chapter_pages())
def test_no_visible_code_cell_is_long(page):
    long = [n for n in visible_lines(page) if n > LONGEST_VISIBLE_CELL]
    assert not long, (f"book/{page}.md: visible code cells of {long} lines; split them (one "
                      f"idea each, at most {LONGEST_VISIBLE_CELL} lines) or, if they are "
                      "plumbing, tag them hide-input with a sentence saying what they do")


@pytest.mark.parametrize("page", sorted(VISIBLE_BUDGET))
def test_visible_code_within_budget(page):
    total = sum(visible_lines(page))
    assert total <= VISIBLE_BUDGET[page], (
        f"book/{page}.md shows {total} lines of code; the reading path allows "
        f"{VISIBLE_BUDGET[page]}: hide plumbing (hide-input) rather than delete it")


def test_no_helper_is_defined_twice():
    """Functions and classes live once: shared ones in the set-up cell, the rest in one page."""
    homes = collections.defaultdict(list)
    for page in chapter_pages():
        for cell in code_cells(page):
            if is_setup_cell(cell):
                continue
            source = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.col_offset == 0:
                    homes[node.name].append(page)
    setup = (ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8")
    shared = {n.name for n in ast.parse(setup).body
              if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    twice = {name: pages for name, pages in homes.items() if len(pages) > 1}
    assert not twice, f"defined in more than one cell of book/: {twice}; move them to the set-up cell"
    shadowed = {name: pages for name, pages in homes.items() if name in shared}
    assert not shadowed, f"these pages redefine set-up cell helpers: {shadowed}"


@pytest.mark.parametrize("page", chapter_pages())
def test_errors_are_asserted_not_shown(page):
    """A reproduced error runs through expect_error, which fails when the error goes away; a
    raises-exception cell would pass silently instead."""
    for cell in code_cells(page):
        tags = cell.metadata.get("tags", [])
        assert "raises-exception" not in tags, (
            f"book/{page}.md: a raises-exception cell ({cell.source.splitlines()[0][:60]!r}); "
            "use expect_error(call, ErrorType, 'fragment of its message')")


def expect_error_helper():
    """The set-up cell's expect_error, compiled alone (without importing Keras)."""
    setup = ast.parse((ROOT / "tools" / "setup_cell.py").read_text(encoding="utf-8"))
    node = next(n for n in setup.body if isinstance(n, ast.FunctionDef) and n.name == "expect_error")
    namespace = {}
    exec(compile(ast.Module([node], []), "setup_cell.py", "exec"), namespace)
    return namespace["expect_error"]


def test_expect_error_fails_when_the_error_goes_away(capsys):
    expect_error = expect_error_helper()

    def fails():
        raise TypeError("missing a required argument: 'states'")

    err = expect_error(fails, TypeError, "required argument")
    assert isinstance(err, TypeError)
    assert capsys.readouterr().out.count("\n") == 1  # one line, no traceback
    with pytest.raises(AssertionError, match="nothing was raised"):
        expect_error(lambda: None, TypeError, "required argument")
    with pytest.raises(AssertionError, match="lacks"):
        expect_error(fails, TypeError, "another message")
    with pytest.raises(TypeError):  # another type is not swallowed
        expect_error(fails, ValueError, "required argument")
