"""Every entry of references.bib is cited by some page, and every citation has an entry.

(The -W build also fails on a citation whose key is missing; this test says which.)
"""
import re

from conftest import ROOT

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
ENTRY = re.compile(r"^@\w+\{([^,\s]+),", re.MULTILINE)


def cited_keys():
    keys = set()
    for md in (ROOT / "book").glob("*.md"):
        for group in CITE.findall(md.read_text(encoding="utf-8")):
            keys.update(k.strip() for k in group.split(","))
    return keys


def bib_keys():
    return set(ENTRY.findall((ROOT / "references.bib").read_text(encoding="utf-8")))


def test_every_citation_has_an_entry():
    missing = cited_keys() - bib_keys()
    assert not missing, f"cited but not in references.bib: {sorted(missing)}"


def test_every_entry_is_cited():
    unused = bib_keys() - cited_keys()
    assert not unused, f"in references.bib but cited nowhere (cite it or remove it): {sorted(unused)}"


# Entries with no known address: the source article's copy carries no title, platform, date or
# URL, and a search did not find the original; its entry must say so in a note.
NO_ADDRESS_KNOWN = {"source_article"}


def test_entries_have_a_doi_or_url():
    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    for block in re.split(r"\n(?=@)", text.strip()):
        key = ENTRY.search(block).group(1)
        if key in NO_ADDRESS_KNOWN:
            assert re.search(r"^\s*note\s*=.*no URL", block, re.MULTILINE), (
                f"{key}: an entry without an address must say why in its note")
            continue
        assert re.search(r"^\s*(doi|url|eprint)\s*=", block, re.MULTILINE | re.IGNORECASE), (
            f"{key}: give a DOI, a stable URL or an arXiv eprint")
