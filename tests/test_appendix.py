"""The errata table is ordered and counted; every glossary term is linked from a page; every term a
chapter defines in bold is in the glossary or deliberately minor."""
import re

from conftest import ROOT

BOOK = ROOT / "book"
VERDICTS = ("false", "misleading", "imprecise", "outdated")


def errata_rows():
    rows = []
    for line in (BOOK / "errata.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 5 and re.fullmatch(r"\d(\.\d)?", cells[0]):
            rows.append(cells)
    return rows


def test_errata_rows_are_ordered_by_section_and_have_evidence():
    rows = errata_rows()
    assert len(rows) >= 20
    sections = [tuple(int(p) for p in r[0].split(".")) for r in rows]
    assert sections == sorted(sections), "rows are not ordered by section"
    for section, claim, verdict, correction, evidence in rows:
        assert verdict in VERDICTS, f"{section} {claim[:40]}: verdict {verdict!r}"
        assert correction, f"{section} {claim[:40]}: no correction"
        assert re.search(r"\{(ref|cite:p|cite)\}`", evidence), f"{section} {claim[:40]}: no evidence"


def test_errata_counts_match_the_table():
    text = (BOOK / "errata.md").read_text(encoding="utf-8")
    counts = {v: sum(r[2] == v for r in errata_rows()) for v in VERDICTS}
    expected = (f"**Counts: {len(errata_rows())} rows; {counts['false']} false, "
                f"{counts['misleading']} misleading, {counts['imprecise']} imprecise, "
                f"{counts['outdated']} outdated.**")
    assert expected in text, f"the counts line should read: {expected}"


def glossary_terms():
    text = (BOOK / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip() and not line[0].isspace()]


def test_every_glossary_term_is_linked_from_a_page():
    linked = set()
    for md in BOOK.glob("*.md"):
        if md.name != "glossary.md":
            for target in re.findall(r"\{term\}`([^`]+)`", md.read_text(encoding="utf-8")):
                linked.add(re.sub(r"^.*<(.+)>$", r"\1", target).strip().lower())
    unlinked = [t for t in glossary_terms() if t.lower() not in linked]
    assert not unlinked, f"glossary terms no page links with {{term}}: {unlinked}"


CHAPTERS = ("activations", "gradient_descent", "loss_functions", "recursive_networks")
# Terms the chapters set in bold on purpose, as too minor for the glossary (CONTRIBUTING.md),
# and bold list lead-ins that name no term. Anything else a chapter defines in bold belongs in
# the glossary, linked with {term} where it is defined.
MINOR_BOLD_TERMS = {
    "scaled tanh", "our keras version",                          # activations
    "steepest descent",                                          # gradient descent
    "softplus", "bidirectional", "input gate", "forget gate", "output gate",  # loss functions
    "word vector", "post-order", "height", "step", "pack", "dimension", "regularisation",
}


def bold_terms(page):
    """Bold spans of one to three words (letters, hyphens) in the markdown cells of a chapter:
    the way a chapter defines a term. Bold sentences and lead-ins ending in a full stop,
    spans with math, code or a {term} link, and code cells are left out."""
    text = (BOOK / f"{page}.md").read_text(encoding="utf-8")
    text = re.sub(r"^```\{code-cell\}.*?^```$", "", text, flags=re.MULTILINE | re.DOTALL)
    spans = re.findall(r"\*\*([A-Za-z][A-Za-z -]*[A-Za-z])\*\*", text)
    return {s.lower() for s in spans if len(s.split()) <= 3}


def test_every_bold_term_is_in_the_glossary_or_deliberately_minor():
    glossary = {t.lower() for t in glossary_terms()}
    for page in CHAPTERS:
        missing = bold_terms(page) - glossary - MINOR_BOLD_TERMS
        assert not missing, (f"{page}: terms defined in bold are neither in the glossary nor in "
                             f"MINOR_BOLD_TERMS: {sorted(missing)}")
