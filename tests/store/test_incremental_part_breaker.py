"""Attempts to make ``incremental.rebuild_changed`` publish a generation that differs from a
full build of the same files (or crash, or publish over an error), found by a tester who tried
to. Each failure found was fixed in incremental.py, store/interface.py or the manifest
(search/store.py) and is an ordinary test now, beside the cases that held."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pactarchive import incremental
from pactarchive.search import current_generation

from .test_incremental_part import _edit, _full, _same

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
XI = "http://www.w3.org/2001/XInclude"
HEADER = ("<teiHeader><fileDesc><titleStmt><title>{}</title></titleStmt><publicationStmt><p>x</p>"
          "</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>")


def _rebuilt(tei, index, tmp_path):
    """rebuild_changed publishes, and what it published equals a full build."""
    assert incremental.rebuild_changed(tei, index) is not None
    _same(tei, index, tmp_path)


def _include_hen_p2(tei, entity: bool = False):
    """hen.xml's second paragraph moved to an XIncluded file, hen-p2.xml (with a DOCTYPE and an
    entity reference left unexpanded when ``entity``)."""
    hen = (tei / "hen.xml").read_text(encoding="utf-8")
    m = re.search(r'        <p xml:id="hen-p2".*?</p>\n', hen, re.S)
    frag = m.group(0).strip().replace('<p xml:id="hen-p2"', '<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="hen-p2"', 1)
    prolog = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if entity:
        prolog += '<!DOCTYPE p SYSTEM "fragment.dtd">\n'
        frag = frag.replace("was profound", "was &foo; profound")
    (tei / "hen-p2.xml").write_text(prolog + frag + "\n", encoding="utf-8")
    (tei / "hen.xml").write_text(hen.replace(m.group(0), f'        <xi:include xmlns:xi="{XI}" href="hen-p2.xml"/>\n'),
                                 encoding="utf-8")


# -- failures ---------------------------------------------------------------------------------

def test_an_entity_reference_renamed_in_an_xincluded_file(tei, tmp_path):
    _include_hen_p2(tei, entity=True)
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen-p2.xml", "&foo;", "&bar;")  # the text (the entity is never expanded) and markup unchanged
    _rebuilt(tei, index, tmp_path)


def test_a_line_added_before_an_entity_reference_in_an_xincluded_file(tei, tmp_path):
    _include_hen_p2(tei, entity=True)
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen-p2.xml", "The impact", "The\nimpact")
    _rebuilt(tei, index, tmp_path)


def test_an_entity_id_declared_first_in_a_file_the_part_does_not_read(tei, tmp_path):
    (tei / "a-extra.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="a-extra">'
        + HEADER.format("Extra") + '<standOff><listPlace><place xml:id="stalin"><placeName xml:lang="en">Stalingrad'
        '</placeName></place></listPlace></standOff></TEI>\n', encoding="utf-8")
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen.xml", "assured", "told")  # hen-s4 mentions register.xml#stalin
    _rebuilt(tei, index, tmp_path)


PART = ('<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">'
        + HEADER.format("Part") + '<text><body><div n="1"><p n="1">The first paragraph of the part.</p>'
        '<p n="2">The second paragraph.</p></div></body></text></TEI>\n')
ALL = (f'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="{XI}">'
       + HEADER.format("All") + '<xi:include href="part.xml"/></teiCorpus>\n')


def test_a_tei_file_that_is_a_document_and_xincluded_into_a_tei_corpus(tei, tmp_path):
    (tei / "part.xml").write_text(PART, encoding="utf-8")
    (tei / "all.xml").write_text(ALL, encoding="utf-8")
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "part.xml", "first paragraph", "opening paragraph")
    _rebuilt(tei, index, tmp_path)


LV_OLD, LV_NEW = "Līgums kalpoja par pamatu", "Līgums kalpojis par pamatu"


def test_edits_one_after_another_of_a_large_document_never_raise(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    for i in range(3):
        _edit(tei / "lv.xml", *((LV_OLD, LV_NEW) if i % 2 == 0 else (LV_NEW, LV_OLD)))
        if incremental.rebuild_changed(tei, index) is None:
            _full(tei, index)  # what the caller does when the part declines
    _same(tei, index, tmp_path)


def test_many_edits_one_after_another_never_raise(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    for i in range(12):
        _edit(tei / "hen.xml", *(("assured", "told") if i % 2 == 0 else ("told", "assured")))
        if incremental.rebuild_changed(tei, index) is None:
            _full(tei, index)
    _same(tei, index, tmp_path)


def test_the_tei_directory_reached_through_a_symbolic_link_is_declined(tei, tmp_path, monkeypatch):
    """The store and the warnings name files as the TEI directory is spelled (display names):
    another spelling of the same directory declines (the manifest's ``tei_named``)."""
    monkeypatch.chdir(tmp_path)
    index = tmp_path / "index"
    _full(tei, index)
    alias = tmp_path / "alias"
    alias.symlink_to(tei)
    _edit(tei / "hen.xml", "assured", "told")
    assert incremental.rebuild_changed(alias, index) is None
    assert incremental.rebuild_changed(tei, index) is not None


def test_a_new_published_refs_list_is_a_change_of_the_build(tei, tmp_path):
    """published-refs.json (which version of each document was published: the changelog's
    "since publication") is in the manifest: with it changed the part declines, and a build
    with only it changed is not "up to date"."""
    from pactarchive import build
    index = tmp_path / "index"
    _full(tei, index)
    assert "published-refs.json" in json.loads((current_generation(index) / "manifest.json").read_text())["files"]
    for doc in ("hen", "lv", "lv-en"):
        _edit(tei / "published-refs.json", f'"{doc}": {{"file": "{doc}.xml", "version": "1.0"',
              f'"{doc}": {{"file": "{doc}.xml", "version": "1.1"')
    assert build.unchanged(tei, index, validate=False) is None
    _edit(tei / "hen.xml", "assured", "told")
    assert incremental.rebuild_changed(tei, index) is None


def test_a_validated_part_keeps_the_validation_results_of_the_files_it_did_not_read(tei, tmp_path):
    from pactarchive import build
    from pactarchive.corpus import Corpus
    (tei / "zz.xml").write_text(PART, encoding="utf-8")  # a document nothing links with
    index = tmp_path / "index"
    corpus = Corpus.load(tei)
    corpus.problems += build.validate_corpus(corpus, index / build.VALIDATION_CACHE).problems
    build.build(corpus, index, incremental=False, validated=True)
    cached = {p.name for p in (index / build.VALIDATION_CACHE).glob("*.json")}
    _edit(tei / "hen.xml", "assured", "told")
    done = incremental.rebuild_changed(tei, index, validate=True)
    assert done is not None and "zz.xml" not in {p.name for p in done.corpus.files}
    assert cached < {p.name for p in (index / build.VALIDATION_CACHE).glob("*.json")}  # kept, and hen's new one


SOURCE = (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="{XI}" xml:lang="en">'
          + HEADER.format("Source") + '<text><body><div n="1"><p n="1">The source of part.xml:</p><ab n="2">'
          '<xi:include parse="text" href="part.xml"/></ab></div></body></text></TEI>\n')


def test_an_edit_that_breaks_a_file_which_xincludes_a_document_as_text_is_declined(tei, tmp_path):
    from pactarchive.corpus import Corpus
    (tei / "part.xml").write_text(PART, encoding="utf-8")
    (tei / "source.xml").write_text(SOURCE, encoding="utf-8")
    index = tmp_path / "index"
    _full(tei, index)
    _recode_utf16(tei / "part.xml")
    assert Corpus.load(tei).errors  # a full build reports source.xml's error
    assert incremental.rebuild_changed(tei, index) is None

# -- cases that hold ------------------------------------------------------------------------------

def _recode_utf16(path):
    text = path.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    path.write_bytes(text.encode("utf-16"))


EDITS = {
    "head with a mention": [("hen.xml", ">Soviet Union</placeName></head>", ">USSR</placeName></head>")],
    "a line added (lines below shift)": [("hen.xml", "framework for military", "framework for\nmilitary")],
    "text after the last div: a coverage warning appears": [("hen.xml", "      </div>\n    </body>",
                                                              "      </div>\n    stray text</body>")],
    "a passage whose id a note names (hen-s2)": [("hen.xml", "30,000 troops", "30 000 troops")],
    "two files at once": [("hen.xml", "assured", "told"), ("lv.xml", LV_OLD, LV_NEW)],
}


@pytest.mark.parametrize("edits", EDITS.values(), ids=EDITS.keys())
def test_text_edits_that_hold(tei, tmp_path, edits):
    index = tmp_path / "index"
    _full(tei, index)
    for file, old, new in edits:
        _edit(tei / file, old, new)
    _rebuilt(tei, index, tmp_path)


def test_the_content_of_a_processing_instruction(tei, tmp_path, before="<?pa x?>", after="<?pa yy?>"):
    _edit(tei / "hen.xml", "assured", "assured" + before)
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen.xml", before, after)
    _rebuilt(tei, index, tmp_path)


def test_the_same_file_in_utf16(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    _recode_utf16(tei / "hen.xml")
    _rebuilt(tei, index, tmp_path)


def test_an_edit_then_its_revert(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen.xml", "assured", "told")
    _rebuilt(tei, index, tmp_path)
    _edit(tei / "hen.xml", "told", "assured")
    _rebuilt(tei, index, tmp_path)


def test_a_line_added_in_an_xincluded_file(tei, tmp_path, newline=True):
    _include_hen_p2(tei)
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen-p2.xml", "was profound", "was\nprofound" if newline else "was deep")
    _rebuilt(tei, index, tmp_path)


@pytest.mark.parametrize("sample, file, old, new", [
    ("hostile-tei-testcorpus", "testcorpus.xml", "<p> </p>", "<p>Now some text</p>"),  # teiCorpus, empty passage
    ("ner-dracor-aeschylus-persians", "aeschylus-persians.xml", "Τάδε μὲν Περσῶν", "Τάδε μὲν\nΠερσῶν"),  # @who speech
    ("baltic-parlamint-lv", "ParlaMint-LV_2021-02-11-PT13-2193.xml", "Lūdzu atvērt sadaļu", "Lūdzu atveriet sadaļu"),
])
def test_real_world_samples(tmp_path, sample, file, old, new):
    tei, index = tmp_path / "tei", tmp_path / "index"
    shutil.copytree(SAMPLES / sample, tei)
    _full(tei, index)
    _edit(tei / file, old, new)
    _rebuilt(tei, index, tmp_path)


def test_both_versions_of_a_cts_work_edited(tmp_path):
    tei, index = tmp_path / "tei", tmp_path / "index"
    shutil.copytree(SAMPLES / "pair-lysias34-grc-eng", tei)
    _full(tei, index)
    _edit(tei / "tlg0540.tlg034.perseus-eng2.xml", "It is not at them that I wonder", "It is not at them I wonder")
    _edit(tei / "tlg0540.tlg034.perseus-grc2.xml", "καὶ τούτων μὲν οὐ θαυμάζω", "καὶ τούτων δὲ οὐ θαυμάζω")
    _rebuilt(tei, index, tmp_path)


def test_a_word_removed_from_a_date_is_declined(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "lv-en.xml", "June 1940</date>", "Jun 1940</date>")
    before = current_generation(index)
    assert incremental.rebuild_changed(tei, index) is None
    assert current_generation(index) == before


def test_an_entity_reference_renamed_in_the_file_itself(tmp_path):
    """The contrast to the XIncluded file above: a warning filed under the changed file is made again."""
    tei, index = tmp_path / "tei", tmp_path / "index"
    shutil.copytree(SAMPLES / "hostile-tei-testcorpus", tei)  # it has a DOCTYPE: entity references stay
    _edit(tei / "testcorpus.xml", "la-dee da", "la-dee &foo; da")
    _full(tei, index)
    _edit(tei / "testcorpus.xml", "&foo;", "&bar;")
    _rebuilt(tei, index, tmp_path)

