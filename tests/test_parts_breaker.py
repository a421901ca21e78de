"""Breaker tests for building an archive in parts (pactarchive.parts, build.build_in_parts):
small archives, each file in a folder of its own, where the plan cuts between files and the
generation built in parts is compared with the one a build of the whole archive makes.
The first three were differences (the plan split files a note's words or a ``@who`` link),
fixed in ``parts._keys``; the others held from the start (regression tests)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from pactarchive import parts
from pactarchive.build import build, build_in_parts
from pactarchive.corpus import Corpus
from pactarchive.search.store import current_generation
from tests.test_parts import _records, _rows

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def _differences(tei: Path, out: Path) -> dict[str, object]:
    """Build ``tei`` whole and in the parts of ``plan(part_bytes=1)``; what differs, by name
    (``store.<table>``, ``lookup.<table>``, ``records``, ``problems``, ``manifest.<key>``)."""
    build(Corpus.load(tei), out / "whole")
    build_in_parts(tei, parts.plan(tei, part_bytes=1).parts, out / "parts")
    whole, in_parts = current_generation(out / "whole"), current_generation(out / "parts")
    diff: dict[str, object] = {}
    for name, skip in (("store", {}), ("lookup", {"passages": ("docnum",)})):
        a, b = _rows(whole / f"{name}.sqlite", skip), _rows(in_parts / f"{name}.sqlite", skip)
        for table in sorted(set(a) | set(b)):
            if a.get(table) != b.get(table):
                diff[f"{name}.{table}"] = (sorted(set(a.get(table, [])) - set(b.get(table, []))),
                                          sorted(set(b.get(table, [])) - set(a.get(table, []))))
    ra, rb = _records(whole), _records(in_parts)
    if ra != rb:
        diff["records"] = (sorted(set(ra) - set(rb)), sorted(set(rb) - set(ra)))
    pa, pb = ((g / "problems.json").read_text() for g in (whole, in_parts))
    if pa != pb:
        diff["problems"] = (pa, pb)
    ma, mb = (json.loads((g / "manifest.json").read_text()) for g in (whole, in_parts))
    for key in ("files", "documents", "passages", "store"):
        if ma[key] != mb[key]:
            diff[f"manifest.{key}"] = (ma[key], mb[key])
    return diff


def _names(tei: Path) -> list[list[str]]:
    return [[f.relative_to(tei).as_posix() for f in p] for p in parts.plan(tei, part_bytes=1).parts]


def _write(tei: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = tei / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tei


def tei_doc(title: str, body: str, header: str = "", attrs: str = "", after: str = "") -> str:
    return (f'<TEI {NS}{attrs}><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
            f'<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>{header}</teiHeader>'
            f'<text><body>{body}</body></text>{after}</TEI>')


def standoff(title: str, content: str, header: str = "") -> str:
    return (f'<TEI {NS}><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>'
            f'<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>{header}</teiHeader>'
            f'<standOff>{content}</standOff></TEI>')


REGISTER = standoff("Register", '<listPerson><person xml:id="aino"><persName xml:lang="en">Aino Kallas</persName>'
                                '<note>A writer.</note></person></listPerson>'
                                '<listEvent><event xml:id="ev1" when="1939-09-28"><label>The pact</label></event></listEvent>')


def _same(tmp_path: Path, files: dict[str, str], split: bool = True) -> None:
    """Write ``files``; with ``split``, the plan keeps at least two parts; the builds agree."""
    tei = _write(tmp_path / "tei", files)
    if split:
        assert len(parts.plan(tei, part_bytes=1).parts) >= 2, _names(tei)
    assert _differences(tei, tmp_path / "out") == {}


# -- differences found by breaking it, fixed in parts._keys (the plan now joins these files) ---


def test_a_note_whose_text_names_a_passage_id_of_another_file(tmp_path):
    tei = _write(tmp_path / "tei", {
        "a/one.xml": tei_doc("One", '<p xml:id="one-s1">First text<note>Compare two-s1 for this.</note></p>'),
        "b/two.xml": tei_doc("Two", '<p xml:id="two-s1">Second text.</p>')})
    assert len(parts.plan(tei, part_bytes=1).parts) == 1
    assert _differences(tei, tmp_path / "out") == {}


def test_a_who_web_address_whose_fragment_is_an_entity_of_another_file(tmp_path):
    tei = _write(tmp_path / "tei", {
        "a/reg.xml": REGISTER,
        "b/speech.xml": tei_doc("Speech", '<sp who="https://example.org/people#aino"><p>Hello all.</p></sp>')})
    assert len(parts.plan(tei, part_bytes=1).parts) == 1
    assert _differences(tei, tmp_path / "out") == {}


def test_a_who_into_a_missing_file_whose_fragment_is_an_entity_of_another_file(tmp_path):
    tei = _write(tmp_path / "tei", {
        "a/reg.xml": REGISTER,
        "b/speech.xml": tei_doc("Speech", '<sp who="persons.xml#aino"><p>Hello all.</p></sp>')})
    assert len(parts.plan(tei, part_bytes=1).parts) == 1
    assert _differences(tei, tmp_path / "out") == {}


# -- phenomena that hold ----------------------------------------------------------------------


def test_a_standoff_file_of_notes_on_another_folders_document(tmp_path):
    _same(tmp_path, {
        "a/alone.xml": tei_doc("Alone", '<p>Nothing.</p>'),
        "b/two.xml": tei_doc("Two", '<p xml:id="two-s1">Second text.</p><p xml:id="two-s2">More.</p>'),
        "c/notes.xml": standoff("Notes", '<listAnnotation><note xml:id="n1" target="../b/two.xml#two-s1">On the '
                                         'second.</note><note target="two-s2">Bare.</note></listAnnotation>'),
        "d/after.xml": tei_doc("After", '<p>Also nothing.<note>Inline.</note></p>')})


def test_a_link_and_a_linkgrp_in_a_third_file(tmp_path):
    _same(tmp_path, {
        "a/one.xml": tei_doc("One", '<p xml:id="one-s1">First.</p>', attrs=' xml:lang="lv"'),
        "b/two.xml": tei_doc("Two", '<p xml:id="two-s1">Second.</p>', attrs=' xml:lang="en"'),
        "c/links.xml": standoff("Links", '<linkGrp type="translation"><link target="../a/one.xml#one-s1 '
                                         '../b/two.xml#two-s1"/></linkGrp>'),
        "d/alone.xml": tei_doc("Alone", '<p>Nothing.</p>')})


def test_corresp_on_a_tei_element_and_a_passage(tmp_path):
    _same(tmp_path, {
        "a/one.xml": tei_doc("One", '<p xml:id="one-s1" corresp="../b/two.xml#two-s1">First.</p>',
                             attrs=' corresp="../b/two.xml"'),
        "b/two.xml": tei_doc("Two", '<p xml:id="two-s1">Second.</p>'),
        "c/alone.xml": tei_doc("Alone", '<p>Nothing.</p>')})


def test_change_targets_published_refs_and_a_list_of_sources(tmp_path):
    rev = ('<revisionDesc><change n="1.1" when="2024-01-01" target="#one-s1 ../b/one.xml#two-s1">Fixed.</change>'
           '<change n="1.0" when="2023-01-01">First.</change></revisionDesc>')
    files = {
        "a/one.xml": tei_doc("One", '<p xml:id="one-s1">First.<note xml:id="na">A note.</note></p>', header=rev),
        "b/one.xml": tei_doc("Two", '<p xml:id="two-s1">Second.</p>', attrs=' xml:id="two"',
                             header='<revisionDesc><change n="1.1" target="#two-s1">Also.</change></revisionDesc>'),
        "c/sources.xml": standoff("Sources", '<listBibl type="editorial-sources"><bibl xml:id="b1">A book. '
                                             '<idno type="URI">https://example.org/b</idno><note type="relied-on">'
                                             'That.</note></bibl></listBibl>',
                                  header='<revisionDesc><change n="1.2" target="#b1">New source.</change></revisionDesc>'),
        "d/three.xml": tei_doc("Three", '<p xml:id="three-s1">Third.</p>',
                               header='<revisionDesc><change n="1.1" target="#three-s1">Same version.</change></revisionDesc>')}
    tei = _write(tmp_path / "tei", files)
    (tei / "published-refs.json").write_text(json.dumps({"documents": {"one": {"file": "one.xml", "version": "1.0"},
                                                                       "three": {"file": "three.xml", "version": "1.0"}}}))
    assert len(parts.plan(tei, part_bytes=1).parts) >= 2
    assert _differences(tei, tmp_path / "out") == {}


def test_two_files_with_one_stem_and_notes_without_ids_on_one_line(tmp_path):
    _same(tmp_path, {
        "a/letter.xml": tei_doc("A", '<p>Alpha text<note>First note.</note></p>'),
        "b/letter.xml": tei_doc("B", '<p>Beta text<note>Second note.</note></p>', attrs=' xml:id="letter-b"'),
        "c/letter-3.xml": tei_doc("C", '<p>Gamma<note xml:id="letter-1">Third note.</note></p>')})


def test_a_teicorpus_beside_a_register_and_another_file(tmp_path):
    head = ('<teiHeader><fileDesc><titleStmt><title>C</title></titleStmt><publicationStmt><p/></publicationStmt>'
            '<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>')
    _same(tmp_path, {
        "a/coll.xml": f'<teiCorpus {NS}>{head}' + tei_doc("C1", '<p xml:id="c1">One <persName ref="aino">Aino</persName></p>')
                      + tei_doc("C2", '<p>Two<note>In the corpus.</note></p>') + '</teiCorpus>',
        "b/reg.xml": REGISTER,
        "c/other.xml": tei_doc("O", '<p>Other <date when="1939-09-28">28 Sept</date></p>')})


def test_an_xinclude_of_a_shared_fragment(tmp_path):
    inc = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../.shared/frag.xml"/>'
    tei = _write(tmp_path / "tei", {
        ".shared/frag.xml": f'<p {NS}>A shared paragraph <date when="1939-09-28">then</date>.</p>',
        "a/one.xml": tei_doc("One", f'<p>First.</p>{inc}'),
        "b/two.xml": tei_doc("Two", f'<p>Second.</p>{inc}')})
    assert _names(tei) == [["a/one.xml"], ["b/two.xml"]]
    assert _differences(tei, tmp_path / "out") == {}


def test_an_xinclude_of_a_fragment_with_ids_joins_the_files(tmp_path):
    inc = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../z/frag.xml"/>'
    tei = _write(tmp_path / "tei", {
        "a/one.xml": tei_doc("One", f'<p>First.</p>{inc}'),
        "b/alone.xml": tei_doc("Alone", '<p>Nothing.</p>'),
        "c/two.xml": tei_doc("Two", f'<p>Second.</p>{inc}'),
        "z/frag.xml": f'<p {NS} xml:id="shared-s1">A shared paragraph.</p>'})
    assert _differences(tei, tmp_path / "out") == {}


def test_attributes_the_corpus_never_resolves(tmp_path):
    """@key, @sameAs, @ana, @synch, @prev/@next, a <relation>, xml:base: read by nothing that
    crosses files (and the plan may split them)."""
    _same(tmp_path, {
        "a/reg.xml": REGISTER,
        "b/one.xml": tei_doc("One", '<p xml:id="one-s1" ana="#aino" next="two-s1" xml:base="../a/">First '
                                    '<persName key="aino" sameAs="aino">Aino</persName>.</p>'),
        "c/two.xml": tei_doc("Two", '<p xml:id="two-s1" synch="one-s1 #aino" prev="one-s1">Second.</p>'
                                    '<listRelation><relation name="knows" active="aino" passive="#one-s1"/></listRelation>')},
        split=False)


def test_a_ptr_to_a_whole_file_and_relative_paths(tmp_path):
    _same(tmp_path, {
        "a/one.xml": tei_doc("One", '<p xml:id="one-s1">See <ptr target="../b/sub/../two.xml"/> and '
                                    '<ref target="./../b/two.xml#two-s1">there</ref>.</p>'),
        "b/two.xml": tei_doc("Two", '<p xml:id="two-s1">Second.</p>'),
        "c/alone.xml": tei_doc("Alone", '<p>Nothing <ref target="https://example.org/#two-s1">out</ref>.</p>')})


def test_versions_of_one_cts_work_in_two_folders(tmp_path):
    cts = '<publicationStmt><p/><idno type="CTS">urn:cts:latinLit:phi0001.phi001.{v}</idno></publicationStmt>'
    doc = (f'<TEI {NS}><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>{{pub}}<sourceDesc><p/>'
           '</sourceDesc></fileDesc></teiHeader><text><body><div n="1"><p>{t}</p></div></body></text></TEI>')
    _same(tmp_path, {
        "a/lat.xml": doc.format(pub=cts.format(v="lat1"), t="Arma virumque."),
        "b/alone.xml": tei_doc("Alone", '<p>Nothing.</p>'),
        "c/eng.xml": doc.format(pub=cts.format(v="eng1"), t="Arms and the man."),
        "d/other.xml": tei_doc("Other", '<p xml:base="urn:cts:latinLit:phi0002.phi001.lat1">Else.</p>')})


def test_prefixdef_pointers_and_bare_ids_to_a_register(tmp_path):
    prefix = ('<encodingDesc><listPrefixDef><prefixDef ident="psn" matchPattern="([a-z]+)" '
              'replacementPattern="../a/reg.xml#$1"/></listPrefixDef></encodingDesc>')
    _same(tmp_path, {
        "a/reg.xml": REGISTER,
        "b/one.xml": tei_doc("One", '<p><persName ref="psn:aino">Aino</persName> in <date when="1939">1939</date>.</p>',
                             header=prefix),
        "c/two.xml": tei_doc("Two", '<p><persName ref="aino">Aino</persName> and <rs ref="#ev1">the pact</rs>.</p>'),
        "d/three.xml": tei_doc("Three", '<sp who="#aino"><p>I speak.</p></sp><sp who="#nobody"><p>Me too.</p></sp>'),
        "e/alone.xml": tei_doc("Alone", '<sp who="#stranger"><p>Who am I.</p></sp>')})


def test_events_of_one_day_in_registers_of_two_parts(tmp_path):
    reg = lambda i, label: standoff("R", f'<listEvent><event xml:id="ev-{i}" when="1939-09-28"><label>{label}'  # noqa: E731
                                         '</label></event></listEvent>')
    _same(tmp_path, {"a/r.xml": reg("a", "Zeta"), "b/r.xml": reg("b", "Alpha"),
                     "c/doc.xml": tei_doc("D", '<p><date when="1939-09-28">that day</date></p>')})


def test_a_first_part_without_documents(tmp_path):
    _same(tmp_path, {
        "a/sources.xml": standoff("Sources", '<listBibl type="editorial-sources"><bibl xml:id="b1">A book.</bibl></listBibl>'),
        "b/one.xml": tei_doc("One", '<p>First.</p>')})


def _outcome(make, *args):
    try:
        make(*args)
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


def test_a_symbolic_link_to_a_file_of_the_archive(tmp_path):
    """The link and its target are both discovered; the plan joins them (one real path). Today
    both builds stop alike (store.compile: files.path is the resolved path, written twice:
    IntegrityError); whatever the whole build does, the build in parts does the same."""
    tei = _write(tmp_path / "tei", {
        "a/one.xml": tei_doc("One", '<p>First.</p>', attrs=' xml:id="one"'),
        "b/alone.xml": tei_doc("Alone", '<p>Nothing.</p>'),
        "d/last.xml": tei_doc("Last", '<p>Last.</p>')})
    (tei / "c").mkdir()
    os.symlink(tei / "b" / "alone.xml", tei / "c" / "alias.xml")
    assert ["b/alone.xml", "c/alias.xml"] in _names(tei)
    whole = _outcome(lambda: build(Corpus.load(tei), tmp_path / "whole"))
    in_parts = _outcome(lambda: build_in_parts(tei, parts.plan(tei, part_bytes=1).parts, tmp_path / "parts"))
    assert whole == in_parts
    if whole is None:
        assert _differences(tei, tmp_path / "out") == {}


def test_a_span_of_ids_in_a_notes_words(tmp_path):
    """``x-s1–2`` in a note: linked when both ids are in one document; the span's last id
    also declared in another file (which joins the two files) changes nothing either way."""
    _same(tmp_path, {
        "a/x.xml": tei_doc("X", '<p xml:id="x-s1">One.</p><p xml:id="x-s2">Two.<note>See x-s1–2.</note></p>'),
        "b/alone.xml": tei_doc("Alone", '<p>Nothing.</p>'),
        "c/y.xml": tei_doc("Y", '<p xml:id="y-s1">Why.<note>Compare x-s1–2 and y-s1–9.</note></p>'),
        "d/z.xml": tei_doc("Z", '<p xml:id="x-s2">Also two.</p>')}, split=False)
