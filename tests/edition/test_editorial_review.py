"""Edition 1.1: what the second reader's review (issue 17) changed, pinned on the edition's data.

- the notes on lv-s95 (the date of the Soviet entry) and lv-s89 (the ratification) exist, state
  the discrepancy and point to their sources; the note on lv-s39 names its source;
- the received "Rei" stands (no correction), "Reis" is a variant in the register;
- the register entries named in the review read as decided;
- every outside source is a bibl with an address, the date it was read and the sentence relied
  on; every note that cites one points to an existing bibl, and every bibl is cited;
- every change of edition 1.1 is dated, has an xml:id and the files carry version 1.1.
The fidelity of the received texts and the stability of the 1.0 refs are tested in
test_fidelity.py and tests/citation/test_published.py.
"""

from __future__ import annotations

import re

import pytest

from .conftest import NS, XML_ID

BIB = "bibliography.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def by_id(ids_by_file, file: str, xml_id: str):
    el = ids_by_file[file].get(xml_id)
    assert el is not None, f"{file} has no element {xml_id}"
    return el


def cited_sources(el) -> list[str]:
    """The bibliography ids a note points to with ref/@target."""
    return [t.split("#", 1)[1] for r in el.iterfind(".//t:ref", NS)
            for t in (r.get("target") or "").split() if t.startswith(BIB + "#")]


def inline_notes(s) -> list:
    return s.findall("t:note", NS)


# -- the notes the review asked for -----------------------------------------------------------

def test_the_note_on_lv_s95_states_both_dates_and_cites_estonian_sources(ids_by_file):
    (note,) = inline_notes(by_id(ids_by_file, "lv.xml", "lv-s95"))
    words = text(note)
    assert "17 October" in words and "18 October" in words
    assert note.get("subtype") == "external-disagreement"
    assert {"src-histrodamus-3249", "src-eestiajalugu-3249"} <= set(cited_sources(note))
    # the received date stays
    assert by_id(ids_by_file, "lv.xml", "lv-s95").find("t:date", NS).get("when") == "1939-10-17"


def test_the_note_on_lv_s89_describes_the_ratification_and_cites_its_sources(ids_by_file):
    (note,) = inline_notes(by_id(ids_by_file, "lv.xml", "lv-s89"))
    words = text(note)
    assert "2 October 1939" in words and "committees of both chambers" in words
    assert "not confirmed by a source available to the editors" in words
    assert "src-postimees-ratification" in cited_sources(note)


def test_the_note_on_lv_s39_names_its_source_and_the_correction_is_withdrawn(ids_by_file):
    s39 = by_id(ids_by_file, "lv.xml", "lv-s39")
    assert not s39.findall(".//t:choice", NS), "the received Rei is no longer corrected"
    assert text(s39.find("t:persName", NS)) == "Rei"
    (note,) = inline_notes(s39)
    assert note.get(XML_ID) == "lv-n4"
    assert {"src-lsm-meri", "src-latvietis-uzvardi"} <= set(cited_sources(note))
    assert "Lennarts Meri" in text(note)


def test_align_n7_no_longer_turns_signed_into_ratified_and_cites_sources(ids_by_file):
    note = by_id(ids_by_file, "align-hen-lv.xml", "align-n7")
    assert "signed (parakstīja)" in text(note)
    assert "src-postimees-ratification" in cited_sources(note)


@pytest.mark.parametrize(("note_id", "words", "sources"), [
    ("align-n1", ("confidential protocol", "set no number"), {"src-frus-wiley"}),
    ("align-n2", ("lv-s52", "lv-s53", "lv-s54", "misplaces the threat"), {"src-delfi-forte-043op"}),
    ("align-n4", ("recognition of independent political existence",), {"src-pact-text", "src-minutes-1939"}),
    ("align-n6", ("18 October",), {"src-histrodamus-3249"}),
])
def test_the_revised_alignment_notes_say_what_the_review_asked_and_cite_it(ids_by_file, note_id, words, sources):
    note = by_id(ids_by_file, "align-hen-lv.xml", note_id)
    for w in words:
        assert w in text(note), f"{note_id} does not say {w!r}"
    assert sources <= set(cited_sources(note))


def test_align_n2_points_at_the_riga_sentences(ids_by_file):
    targets = by_id(ids_by_file, "align-hen-lv.xml", "align-n2").get("target").split()
    assert {"lv.xml#lv-s52", "lv.xml#lv-s53", "lv.xml#lv-s54"} <= set(targets)


def test_the_attribution_of_the_quotation_to_pats_is_marked_as_an_inference(ids_by_file):
    for qid in ("lv-q1", "lv-q2"):
        q = by_id(ids_by_file, "lv.xml", qid)
        assert q.get("who") == "register.xml#pats"
        assert q.get("cert") == "medium" and q.get("resp") == "#ed"
    assert "inference" in text(by_id(ids_by_file, "lv.xml", "lv-n6"))


# -- the register -----------------------------------------------------------------------------

def names(entry, lang: str, kind: str | None = None) -> list[str]:
    return [text(n) for n in entry.xpath("t:persName|t:placeName|t:objectIdentifier/t:objectName", namespaces=NS)
            if n.get(XML_LANG) == lang and n.get("type") == kind]


def test_the_register_names_as_decided(ids_by_file):
    reg = ids_by_file["register.xml"]
    assert names(reg["rei"], "lv") == ["Augusts Rei"]
    assert names(reg["rei"], "lv", "text-form") == ["Augusts Reis"]
    assert names(reg["metalist"], "en") == ["Metallist"]
    uluots = text(reg["uluots"].find("t:note", NS))
    assert "chairman of the Riigivolikogu (the lower chamber of the parliament), 1938–39" in uluots
    vilnius = text(reg["vilnius-region"].find("t:note", NS))
    assert "October 1920" in vilnius and "annexed by Poland in 1922" in vilnius


def test_the_register_header_says_what_the_states_authority_ids_name(docs):
    decl = text(docs["register.xml"].getroot().find("t:teiHeader/t:encodingDesc/t:editorialDecl", NS))
    assert "Authority identifiers of states" in decl and "present-day country" in decl
    assert "Germany Q183" in decl and "Poland Q36" in decl


# -- the sources --------------------------------------------------------------------------------

def bibls(docs) -> dict:
    root = docs[BIB].getroot()
    return {b.get(XML_ID): b for b in root.iterfind(".//t:listBibl[@type='editorial-sources']/t:bibl", NS)}


def test_every_source_has_an_address_the_date_it_was_read_and_the_sentence_relied_on(docs):
    found = bibls(docs)
    assert len(found) >= 15
    for bid, bibl in found.items():
        uri = bibl.find("t:idno[@type='URI']", NS)
        assert uri is not None and re.match(r"https?://\S+$", text(uri)), f"{bid}: no address"
        assert bibl.find("t:date[@type='accessed']", NS) is not None, f"{bid}: no date read"
        relied = bibl.find("t:note[@type='relied-on']", NS)
        assert relied is not None and relied.find(".//t:quote", NS) is not None, f"{bid}: no quotation"
        assert bibl.find("t:title", NS) is not None, f"{bid}: no title"


def test_every_source_is_cited_and_every_citation_names_a_source(docs):
    found = bibls(docs)
    cited = {sid for name, tree in docs.items() if name != BIB
             for sid in cited_sources(tree.getroot())}
    assert cited <= set(found), f"citations of unknown sources: {sorted(cited - set(found))}"
    assert set(found) <= cited, f"sources never cited: {sorted(set(found) - cited)}"


# -- versions and changes -----------------------------------------------------------------------

def test_every_file_is_at_version_1_1_with_dated_changes(docs):
    for name, tree in docs.items():
        root = tree.getroot()
        edition = root.find("t:teiHeader/t:fileDesc/t:editionStmt/t:edition", NS)
        assert edition is not None and edition.get("n") == "1.1", name
        changes = root.findall("t:teiHeader/t:revisionDesc/t:change[@n='1.1']", NS)
        assert changes, f"{name}: no change of edition 1.1"
        for change in changes:
            assert change.get(XML_ID) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", change.get("when") or ""), name
