"""The text model on one tiny fixture per phenomenon (tests/fixtures/, named after it): the exact
plain text of every finest passage, its refs, a search that finds it, and full coverage.

The cases in ../shared/cases (01, 03, 04, 05, 12, 14, 18, 22) are among these phenomena."""

from __future__ import annotations

import unicodedata

import pytest
from lxml import etree

from pactarchive.corpus import Corpus
from pactarchive.search import build_index, search
from pactarchive.tei import TEI_NS
from pactarchive.tei.text import plain_text, role

# fixture -> (document id, {ref path: exact edited text of the finest passage}, {query: ref path})
PHENOMENA = {
    "nfd_decomposed_text.xml": ("nfd", {
        "1.1.1": "Delegācija ieradās Tallinā pēc okupācijas sākuma.",
        "1.1.2": "Prezidents Päts runāja ar Seltera delegāciju.",
    }, {"okupācijas": "1.1.1", "okupacija": "1.1.1", "sākuma": "1.1.1", "Tallinā": "1.1.1", "Päts": "1.1.2",
        "Pats": "1.1.2", unicodedata.normalize("NFD", "Päts"): "1.1.2"}),
    "soft_hyphen_in_words.xml": ("shy", {
        "1.1.1": "The international commission met in the harbour town.",
        "1.1.2": "Nobody signed the memorandum that week.",
    }, {"international": "1.1.1", "harbour": "1.1.1", "har\u00adbour": "1.1.1", "memo\u200brandum": "1.1.2", '"international commission"': "1.1.1", "memorandum": "1.1.2"}),
    "lb_break_no_indented.xml": ("lbno", {
        "1.1.1": "The delegates reached the harbour before dawn and waited for the commission.",
        "1.1.2": "Their ship was anchored at the pier and waited.",
    }, {"harbour": "1.1.1", "commission": "1.1.1", "anchored": "1.1.2"}),
    "app_lem_rdg.xml": ("app", {
        "1.1.1": "The treaty was signed in autumn by both delegations.",
        "1.1.2": "The fleet left quietly.",
        "1.1.3": "The envoys waited a week.",
    }, {"autumn": "1.1.1", "quietly": "1.1.2", "waited": "1.1.3"}),
    "choice_one_child.xml": ("choice", {
        "1.1.1": "The commission met.",
        "1.1.2": "It met on Monday in Tallinn.",
        "1.1.3": "The ship was Orzeł from Gdynia.",
        "1.1.4": "first wins.",
    }, {"commission": "1.1.1", "Monday": "1.1.2", "Orzel": "1.1.3"}),
    "division_blocks.xml": ("blocks", {
        "1.head": "Report of the harbour committee",
        "1.opener": "Riga, 5 October Dear colleagues,",
        "1.1": "The committee met in the harbour office.",
        "1.list.1": "Inspect the lighthouse.",
        "1.list.2": "Repair the breakwater.",
        "1.table.1": "Tugboats three",
        "1.table.2": "Pilots seven",
        "1.listBibl.1": "Annual pilotage report",
        "1.2": "A second paragraph about dredging.",
        "1.closer": "Yours faithfully Juhan Kask Harbour Street 1 Tallinn",
        "1.postscript.1": "The minutes follow by courier.",
    }, {"Riga": "1.opener", "lighthouse": "1.list.1", "Tugboats": "1.table.1", "pilotage": "1.listBibl.1",
        "Kask": "1.closer", "courier": "1.postscript.1", "dredging": "1.2", "Report": "1.head"}),
    "edition_wrapper_div.xml": ("epidoc", {
        "1.1.1": "The first chapter of the first book.",
        "1.2.1": "The second chapter of the first book.",
        "2.1.1": "The first chapter of the second book.",
    }, {'"second book"': "2.1.1"}),
    "urn_wrapper_div.xml": ("capitains", {
        "1.1": "Alpha paragraph of the first section.",
        "2.1": "Beta paragraph of the second section.",
    }, {"Beta": "2.1"}),
    "stage_in_speech.xml": ("drama", {
        "1.stage": "Enter the Chorus.",
        "1.1.1": "We guard the golden hall.",
        "1.1.stage": "They kneel.",
        "1.1.2": "The king is far away.",
    }, {"Chorus": "1.stage", "kneel": "1.1.stage", "golden": "1.1.1"}),
    "deep_inline_nesting.xml": ("deep", {"1.1.1": "Start harbour end."}, {"harbour": "1.1.1"}),
    "rtl_hebrew_arabic.xml": ("rtl", {
        "1.1.1": "בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם",
        "1.2.1": "ذَهَبَ الوَلَدُ إِلَى المَدْرَسَةِ",
        "1.3.1": "The word שָׁלוֹם means peace.",
    }, {"בראשית": "1.1.1", "בְּרֵאשִׁית": "1.1.1", unicodedata.normalize("NFD", "הַשָּׁמַיִם"): "1.1.1",
        "المدرسة": "1.2.1", "שלום": "1.3.1"}),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Every phenomenon fixture in one TEI directory, loaded and indexed once."""
    from tests.conftest import FIXTURES
    tei = tmp_path_factory.mktemp("tei")
    for name in [*PHENOMENA, "prefixdef_pointers.xml", "prefixdef_register.xml"]:
        (tei / name).write_bytes((FIXTURES / name).read_bytes())
    corpus = Corpus.load(tei)
    index = tmp_path_factory.mktemp("index")
    build_index(corpus, index)
    return corpus, index


@pytest.mark.parametrize("fixture", sorted(PHENOMENA))
def test_exact_text_and_refs_of_each_phenomenon(archive, fixture):
    corpus, _ = archive
    doc_id, texts, _ = PHENOMENA[fixture]
    doc = corpus.documents[doc_id]
    assert {p.path: p.text() for p in doc.leaves()} == texts
    assert [p.path for p in doc.leaves()] == list(texts)


@pytest.mark.parametrize("fixture", sorted(PHENOMENA))
def test_every_word_of_the_body_is_in_one_finest_passage(archive, fixture):
    corpus, _ = archive
    doc = corpus.documents[PHENOMENA[fixture][0]]
    assert doc.coverage.complete, doc.coverage.summary()
    assert doc.coverage.summary().startswith("coverage: 100.0% of ")


@pytest.mark.parametrize("fixture,query,path", [(f, q, p) for f, (_, _, qs) in sorted(PHENOMENA.items())
                                                for q, p in qs.items()])
def test_a_search_finds_the_passage(archive, fixture, query, path):
    corpus, index = archive
    doc_id = PHENOMENA[fixture][0]
    refs = [h["ref"] for h in search(index, query, doc=doc_id).hits]
    assert refs[:1] == [f"{doc_id}:{path}"], (query, refs)


def test_other_readings_of_an_apparatus_are_not_text_but_are_counted(archive):
    corpus, index = archive
    assert search(index, "spring", doc="app").hits == []
    assert search(index, "slowly", doc="app").hits == []
    assert corpus.documents["app"].coverage.apparatus == len("spring") + len("slowly") + len("wated") + len("erased")


def test_the_diplomatic_reading_takes_the_received_child_of_every_choice(archive):
    corpus, _ = archive
    doc = corpus.documents["choice"]
    assert [p.text("diplomatic") for p in doc.leaves()] == [
        "The comission met.", "It met on Mon. in Reval.", "The ship was Orzeł from Gdynia.", "first wins."]


def test_the_edition_wrapper_is_not_a_level_and_book_two_is_not_reached_by_book_one(archive):
    corpus, _ = archive
    doc = corpus.documents["epidoc"]
    assert doc.passage("1.2").text() == "The second chapter of the first book."
    assert doc.passage("2.1").text() == "The first chapter of the second book."
    assert [p.path for p in doc.passages] == ["1", "2"]


def test_prefixdef_and_bare_id_pointers_resolve_and_an_unresolvable_one_is_a_warning(archive):
    corpus, index = archive
    assert [m.ref for m in corpus.mentions["p-aino"]] == ["letter:1.1.1"]
    assert [m.ref for m in corpus.mentions["p-juhan"]] == ["letter:1.1.2"]
    assert [h["ref"] for h in search(index, "Tamma", type="passage").hits] == ["letter:1.1.1"]  # the register entry is found too (type=register)
    (warning,) = [p for p in corpus.warnings if "psn:p-nobody" in p.message]
    assert warning.file.endswith("prefixdef_pointers.xml") and warning.line == 6
    assert "prefixdef_register.xml#p-nobody" in warning.message


def test_an_undeclared_pattern_of_a_declared_prefix_is_reported(make_tei):
    fixture = (make_tei("prefixdef_pointers.xml", "prefixdef_register.xml") / "prefixdef_pointers.xml")
    fixture.write_text(fixture.read_text(encoding="utf-8").replace("psn:p-aino", "psn:P_AINO"), encoding="utf-8")
    corpus = Corpus.load(fixture.parent)
    assert any("no matchPattern matches 'P_AINO'" in p.message for p in corpus.warnings)


def test_less_than_full_coverage_is_a_warning_naming_the_first_uncovered_element(make_tei):
    d = make_tei(loose__xml='<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
                            '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
                            '</teiHeader>\n<text><body><div><p>Held.</p>\n<p><s>In.</s> loose words</p></div></body></text></TEI>')
    corpus = Corpus.load(d)
    cov = corpus.documents["loose"].coverage
    assert (cov.characters, cov.covered, cov.first_uncovered) == (len("Held.In.loosewords"), len("Held.In."), ("p", 3))
    (warning,) = [p for p in corpus.warnings if "text in no passage" in p.message]
    assert warning.line == 3 and "coverage: 44.4% of 18 characters in 2 passages" in warning.message


def test_a_deep_document_renders_without_recursion_error(archive):
    from pactarchive.web import create_app
    corpus, index = archive
    app = create_app({"TESTING": True, "TEI_DIR": corpus.tei_dir, "INDEX_DIR": index})
    client = app.test_client()
    for url in ("/documents/deep", "/passage/deep:1.1.1", "/read?at=deep:1.1.1", "/documents/epidoc", "/passage/epidoc:2.1"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("xml,expected", [
    ('<p>a<lb/>b</p>', "a b"),
    ('<p>a<lb break="no"/>b</p>', "ab"),
    ('<p>har  <lb break="no"/>\n   bour</p>', "harbour"),
    ('<p><list><item>one</item><item>two</item></list></p>', "one two"),
    ('<p>see <bibl>Smith 1999</bibl>.</p>', "see Smith 1999."),
    ('<div><bibl>Smith</bibl><bibl>Jones</bibl></div>', "Smith Jones"),
    ('<p>a<note>not text</note> b<fw>12</fw></p>', "a b"),
    ('<p><choice> <sic>x</sic> <corr>y</corr> </choice>z</p>', "yz"),
    ('<p>A<hi>B</hi>C</p>', "ABC"),
])
def test_roles_in_isolation(xml, expected):
    el = etree.fromstring(xml.replace("<p>", f'<p xmlns="{TEI_NS}">', 1).replace("<div>", f'<div xmlns="{TEI_NS}">', 1))
    assert plain_text(el) == expected


def test_the_rules_table_gives_a_role_to_every_element_the_docs_list():
    from pathlib import Path
    doc = (Path(__file__).parent.parent / "docs" / "text-model.md").read_text(encoding="utf-8")
    roles = {"text", "separator", "break", "alternative", "apparatus", "note", "omitted", "gap"}
    rows = [row for row in (line.split("|") for line in doc.splitlines() if line.startswith("| `"))
            if row[2].strip() in roles]
    assert len(rows) > 10
    for row in rows:
        expected = row[2].strip()
        for name in row[1].replace("`", "").split(","):
            name = name.strip()
            if not name.isidentifier():
                continue  # "… (any other)"
            el = etree.fromstring(f'<div xmlns="{TEI_NS}"><{name}/></div>')[0]
            assert role(el) == expected, (name, role(el), expected)


def test_a_heading_the_editors_supplied_is_a_passage_labelled_editorial(make_tei):
    d = make_tei(ed__xml='<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title>'
                         '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
                         '</teiHeader><text><body><div><head><supplied reason="omitted">Ievads</supplied></head>'
                         '<p>Teksts.</p></div><div><head>Own</head><p>More.</p></div></body></text></TEI>')
    doc = Corpus.load(d).documents["ed"]
    assert [(p.path, p.unit, p.text()) for p in doc.leaves()] == [
        ("1.head", "editorial heading", "Ievads"), ("1.1", "paragraph", "Teksts."),
        ("2.head", "heading", "Own"), ("2.1", "paragraph", "More.")]


def test_pointer_kinds_resolve_or_say_why_not():
    from pathlib import Path
    from pactarchive.tei.pointers import find, is_bare, unresolved
    import re
    here, reg = Path("/t/letter.xml"), Path("/t/people.xml")
    ids = {(reg, "p-aino"): "AINO", (here, "s1"): "S1"}
    first = {"p-aino": (reg, 3), "s1": (here, 9)}
    prefixes = {"psn": [(re.compile("([a-z-]+)"), "people.xml#$1")]}
    assert [find(p, here, prefixes, ids, first) for p in ("psn:p-aino", "p-aino", "#s1", "people.xml#p-aino")] == \
        ["AINO", "AINO", "S1", "AINO"]
    assert not is_bare("register.xml") and not is_bare("https://x.org") and is_bare("p-aino")
    assert unresolved("wikidata:Q1", here, prefixes, ids, first) is None  # an undeclared prefix is external
    assert "no element with xml:id 'p-juhan' in the archive" in unresolved("p-juhan", here, prefixes, ids, first)
    assert unresolved("Lisa", here, prefixes, ids, first, bare_names=True) is None
    assert "no matchPattern matches 'P1'" in unresolved("psn:P1", here, prefixes, ids, first)


@pytest.mark.parametrize("folder", ["tei", "tests/fixtures", "tests/samples"])
def test_a_passage_is_read_once_only_when_its_readings_cannot_differ(folder):
    """``readings`` (the store's shortcut) gives what two full readings give, for every
    element of our tei/, the phenomenon fixtures and the real-world samples."""
    from tests.conftest import ROOT
    from pactarchive.tei.text import readings, readings_differ
    seen = differ = 0
    for path in sorted((ROOT / folder).rglob("*.xml")):
        try:
            tree = etree.parse(str(path))
        except etree.XMLSyntaxError:
            continue  # the hostile samples' malformed files: not text
        for el in tree.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}s", f"{{{TEI_NS}}}l", f"{{{TEI_NS}}}ab",
                            f"{{{TEI_NS}}}seg", f"{{{TEI_NS}}}head", f"{{{TEI_NS}}}div", f"{{{TEI_NS}}}u"):
            assert readings(el) == (plain_text(el), plain_text(el, "diplomatic")), (path.name, el.sourceline)
            seen += 1
            differ += readings_differ(el)
    assert seen and (differ or folder == "tests/samples")
