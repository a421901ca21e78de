"""The citable structure: citeStructure, cRefPattern, nesting — on tiny fixtures."""

import pytest

from pactarchive.corpus import Corpus


def load_one(make_tei, name):
    corpus = Corpus.load(make_tei(name))
    assert not corpus.errors, corpus.errors
    (doc,) = corpus.documents.values()
    return doc


def paths(doc):
    return [p.path for p in doc.leaves()]


def test_cite_structure_gives_three_levels(make_tei):
    doc = load_one(make_tei, "cite_structure.xml")
    assert doc.structure.method == "citeStructure"
    assert paths(doc) == ["A.1.1", "A.1.2", "A.2.1", "B.1.1"]
    assert doc.passage("A.1.2").text() == "Troiae qui primus"
    assert doc.passage("A.1").unit == "poem"


def test_wrong_cref_pattern_falls_back_to_nesting(make_tei):
    doc = load_one(make_tei, "wrong_cref_pattern.xml")
    assert doc.structure.method == "nesting"
    assert "cRefPattern" in doc.structure.notes[0]
    assert paths(doc) == ["1.1", "2.1"]


def test_matching_cref_patterns_build_two_levels(make_tei):
    doc = load_one(make_tei, "good_cref_pattern.xml")
    assert doc.structure.method == "cRefPattern"
    assert paths(doc) == ["I.a", "I.b", "II.a"]
    assert doc.passage("I").text() == "One a. One b."


def test_plain_div_p_without_ids_or_n_uses_positions(make_tei):
    doc = load_one(make_tei, "plain_div_p.xml")
    assert doc.id == "plain_div_p" and doc.lang == "lv"
    # the division's head is a passage of its own, named so that the paragraphs keep 1, 2
    assert paths(doc) == ["1.head", "1.1", "1.2", "2.1"]
    assert doc.passage("1.head").text() == "Ievads"
    assert doc.passage("1").text() == "Ievads Pirmā rindkopa. Otrā rindkopa."


def test_nested_divs_and_sentences_with_xml_id_aliases(make_tei):
    doc = load_one(make_tei, "nested_divs.xml")
    assert paths(doc) == ["1.1.1.1", "1.1.1.2", "1.2.1"]
    assert doc.passage("n-s2") is doc.passage("1.1.1.2")


def test_utterances_with_segs(make_tei):
    doc = load_one(make_tei, "u_seg.xml")
    assert paths(doc) == ["1.1.1", "1.1.2", "1.2.1"]
    assert doc.passage("u1-p2").text() == "Turpinām sēdi."


def test_speeches_cite_by_position_not_by_speaker_name(make_tei):
    doc = load_one(make_tei, "sp_l.xml")
    assert paths(doc) == ["1.1.1", "1.1.2", "1.2.1"]


def test_tei_corpus_yields_each_document(make_tei):
    corpus = Corpus.load(make_tei("tei_corpus.xml"))
    assert list(corpus.documents) == ["tei_corpus-1", "second"]
    assert corpus.documents["second"].lang == "de"
    assert corpus.documents["tei_corpus-1"].lang == "und"


def test_edited_and_diplomatic_readings(make_tei):
    doc = load_one(make_tei, "edited_diplomatic.xml")
    s1, s2 = doc.leaves()
    assert s1.text() == "Netika veikta mobilizācija."
    assert s1.text("diplomatic") == "Netika veikta moblizācija."
    assert s2.text() == "[…]1. Punkts paredzēja."
    assert s2.text("diplomatic") == "Punkts paredzēja."


def test_range_is_at_the_start_level(make_tei):
    doc = load_one(make_tei, "cite_structure.xml")
    assert [p.path for p in doc.range("A.1.2", "B.1.1")] == ["A.1.2", "A.2.1", "B.1.1"]
    with pytest.raises(Exception, match="ends before it starts"):
        doc.range("B.1.1", "A.1.1")
