"""The CSL-JSON record and the formats made from it (pure: no Flask)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from pactarchive import cite
from pactarchive.corpus import Corpus

URL = "https://edition.example.org/passage/"
ACCESSED = date(2025, 3, 4)
FORMATS = ("chicago", "mla", "apa", "bibtex", "ris")


def cited(corpus, ref):
    rec = cite.record(corpus.resolve(ref), ref, URL + ref, ACCESSED)
    return rec, cite.citations(rec)


@pytest.fixture()
def fixture_corpus(cited_dir):
    return Corpus.load(cited_dir())


def test_record_names_edition_source_ref_permalink_and_access_date(fixture_corpus):
    rec, _ = cited(fixture_corpus, "doc:1.1.2")
    assert rec["id"] == "doc:1.1.2" and rec["type"] == "chapter"
    assert rec["title"] == "Sentence doc:1.1.2"
    assert rec["container-title"] == "A Report on the Pact"
    assert rec["author"] == [{"literal": "Anna Author"}]
    assert rec["editor"] == [{"literal": "Jane Editor"}, {"literal": "the test editorial team"}]
    assert rec["version"] == "1.0" and rec["issued"] == {"date-parts": [[2025]]}
    assert rec["publisher"] == "Test Edition Press"
    assert rec["original-title"] == "Report on the Mutual Assistance Pact"
    assert rec["URL"] == URL + "doc:1.1.2"
    assert rec["accessed"] == {"date-parts": [[2025, 3, 4]]} and rec["language"] == "en"


def test_every_format_carries_ref_permalink_version_and_access_date(fixture_corpus):
    _, out = cited(fixture_corpus, "doc:1.1.2")
    accessed = {"chicago": "Accessed March 4, 2025", "mla": "Accessed 4 Mar. 2025",
                "apa": "Retrieved March 4, 2025, from", "bibtex": "urldate = {2025-03-04}", "ris": "Y2  - 2025/03/04"}
    for fmt in FORMATS:
        text = out[fmt]
        assert "doc:1.1.2" in text and URL + "doc:1.1.2" in text, fmt
        assert "1.0" in text and "Anna Author" in text and "A Report on the Pact" in text, fmt
        assert accessed[fmt] in text and text.count("Accessed") <= 2, (fmt, text)  # bibtex/ris note repeats it
    assert out["chicago"].startswith("Author, Anna.") or out["chicago"].startswith("Anna Author.")
    assert "edited by Jane Editor" in out["chicago"] and "Test Edition Press, 2025" in out["chicago"]
    assert out["csl"]["id"] == "doc:1.1.2"


def test_an_anonymous_text_begins_with_its_title_and_names_the_editors_once(cited_dir):
    c = Corpus.load(cited_dir({"<author>Anna Author</author>": "<author>unknown</author>",
                               "<publisher>Baltic Review</publisher>": "<publisher>unknown</publisher>"}))
    rec, out = cited(c, "doc:1")
    assert "author" not in rec
    assert out["chicago"].startswith("“Section doc:1”.")
    assert out["mla"].startswith("“Section doc:1”.")
    assert out["apa"].startswith("Section doc:1. (2025).")
    for style in ("chicago", "mla", "apa"):
        assert out[style].count("Jane Editor") == 1, out[style]


def test_publisher_stands_in_for_an_unknown_author(cited_dir):
    c = Corpus.load(cited_dir({"<author>Anna Author</author>": "<author>unknown</author>"}))
    rec, out = cited(c, "doc:1.1")
    assert rec["author"] == [{"literal": "Baltic Review"}]
    assert out["apa"].startswith("Baltic Review. (2025). Paragraph doc:1.1.")


def test_without_edition_number_the_version_is_unversioned_and_dates_come_from_the_changelog(cited_dir):
    c = Corpus.load(cited_dir({'<edition n="1.0">First edition</edition>': "<edition>First edition</edition>",
                               '<date when="2025-02-01">1 February 2025</date>': "",
                               '<change when="2025-02-01"': '<change when="2024-12-24"'}))
    rec, out = cited(c, "doc:2.1.1")
    assert rec["version"] == "unversioned" and rec["issued"] == {"date-parts": [[2024]]}
    assert all("unversioned" in out[f] for f in FORMATS)


def test_an_undated_edition_gets_the_access_date_from_the_style_itself(cited_dir):
    c = Corpus.load(cited_dir({'<date when="2025-02-01">1 February 2025</date>': "",
                               '<change when="2025-02-01" n="1.0">First published.</change>': ""}))
    rec, out = cited(c, "doc:1.1.1")
    assert "issued" not in rec
    assert out["chicago"].count("Accessed March 4, 2025") == 1
    assert out["mla"].count("Accessed 4 Mar. 2025") == 1
    assert out["apa"].count("Retrieved March 4, 2025") == 1 and "(n.d.)" in out["apa"]


def test_ranges_are_cited_with_a_plural_title(fixture_corpus):
    rec, out = cited(fixture_corpus, "doc:1.1.1-1.2.1")
    assert rec["title"] == "Sentences doc:1.1.1-1.2.1"
    assert "doc:1.1.1-1.2.1" in out["bibtex"] and URL + "doc:1.1.1-1.2.1" in out["ris"]


def test_translations_name_their_translators(cited_dir):
    c = Corpus.load(cited_dir({"<resp>Encoded and annotated by</resp>": "<resp>Translated by</resp>"}))
    rec, out = cited(c, "doc:1")
    assert rec["translator"] == [{"literal": "the test editorial team"}]
    assert rec["editor"] == [{"literal": "Jane Editor"}]
    assert "A4  - the test editorial team" in out["ris"] and "translator = {{the test editorial team}}" in out["bibtex"]


def test_bibtex_escapes_latex_and_keeps_braces_balanced(cited_dir):
    c = Corpus.load(cited_dir({"<title type=\"main\">A Report on the Pact</title>":
                               "<title type=\"main\">50% of {the} Pact &amp; Co_1 #2</title>"}))
    _, out = cited(c, "doc:1.1.1")
    bib = out["bibtex"]
    assert r"booktitle = {50\% of \{the\} Pact \& Co\_1 \#2}" in bib
    assert bib.startswith("@incollection{doc:1.1.1,\n")
    depth = 0
    for ch in re.sub(r"\\[{}]", "", bib):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0


def test_ris_is_one_well_formed_record(fixture_corpus):
    _, out = cited(fixture_corpus, "doc:1.1.1")
    lines = out["ris"].rstrip("\n").split("\n")
    assert lines[0] == "TY  - CHAP" and lines[-1] == "ER  - "
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines)
    assert "T2  - A Report on the Pact" in lines and "ET  - version 1.0" in lines and "AU  - Anna Author" in lines


def test_unknown_style_is_refused():
    with pytest.raises(KeyError, match="unknown citation style"):
        cite.styles.render([], "harvard")


@pytest.mark.parametrize("ref", ["lv:2.3.1", "hen:1.2", "lv:1", "lv-en:2.3.1-2.3.2"])
def test_real_corpus_citations_carry_ref_and_permalink(corpus, ref):
    if ref.split(":")[0] not in corpus.documents:
        pytest.skip(f"{ref.split(':')[0]} is not in tei/ yet")
    rec, out = cited(corpus, ref)
    for fmt in FORMATS:
        assert ref in out[fmt] and URL + ref in out[fmt], (fmt, out[fmt])
    assert out["csl"] is rec and rec["version"]
