"""The corpus across files: ids, pointers, alignment, notes, entities, bad input."""

import pytest

from pactarchive.corpus import Corpus, CorpusCache
from pactarchive.errors import RefError

HEADER = ('<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p/>'
          '</publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>')


def tei(body: str, xml_id: str = "") -> str:
    attr = f' xml:id="{xml_id}"' if xml_id else ""
    return f'<TEI xmlns="http://www.tei-c.org/ns/1.0"{attr}>{HEADER}<text><body>{body}</body></text></TEI>'


def test_alignment_links_and_corresp_go_both_ways(make_tei):
    c = Corpus.load(make_tei("aligned_a.xml", "aligned_b.xml", "aligned_links.xml"))
    assert not c.errors, c.errors
    assert list(c.documents) == ["a", "b"]  # the stand-off file is not a reading document
    assert c.aligned("a:1.1.1") == ["b:1.1.1"]
    assert c.aligned("b:1.1.1") == ["a:1.1.1"]
    assert c.aligned("b:1.1.2") == ["a:1.1.2"]
    assert [n.targets for n in c.notes_for("b:1.1.1")] == [["a:1.1.1", "b:1.1.1"]]
    assert c.entities["stalin"].names == {"en": ["Stalin"], "lv": ["Staļins"]}


def test_ranges_and_unknown_refs(make_tei):
    c = Corpus.load(make_tei("aligned_a.xml", "aligned_b.xml"))
    assert [l.ref for l in c.resolve("a:1.1.1-1.1.2")] == ["a:1.1.1", "a:1.1.2"]
    assert [l.ref for l in c.resolve("a:a-s2")] == ["a:1.1.2"]  # xml:id alias
    for bad in ("a:9", "zz:1", "no-colon", "a:"):
        with pytest.raises(RefError):
            c.resolve(bad)


def test_malformed_file_is_an_error_with_file_line_and_column(make_tei):
    d = make_tei("aligned_a.xml", **{"bad__xml": '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p>oops</div></TEI>'})
    c = Corpus.load(d)
    (err,) = c.errors
    assert err.file.endswith("bad.xml") and err.line == 2 and err.column
    assert "not well-formed" in err.message and "tag mismatch" in err.message
    assert list(c.documents) == ["a"]  # the good file is still read


def test_not_tei_is_refused(make_tei):
    c = Corpus.load(make_tei(**{"x__xml": "<html><body/></html>"}))
    (err,) = c.errors
    assert "not a TEI document" in err.message and "<html>" in err.message


def test_external_entities_and_dtds_are_never_loaded(make_tei, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xml = (f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
           + tei(f"<p>&x;</p>", "ent"))
    c = Corpus.load(make_tei(**{"ent__xml": xml}))
    texts = [p.text() for d in c.documents.values() for p in d.leaves()]
    assert "TOP-SECRET" not in " ".join(texts)


def test_billion_laughs_does_not_expand(make_tei):
    lol = '<!DOCTYPE TEI [<!ENTITY a "lollollollollol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' \
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    c = Corpus.load(make_tei(**{"lol__xml": lol + tei("<p>&c;</p>", "lol")}))
    assert all(len(p.text()) < 100 for d in c.documents.values() for p in d.leaves())


def test_xinclude_outside_the_tei_directory_is_refused(make_tei, tmp_path):
    (tmp_path / "outside.xml").write_text("<p xmlns='http://www.tei-c.org/ns/1.0'>outside</p>")
    body = '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../outside.xml"/>'
    c = Corpus.load(make_tei(**{"inc__xml": tei(body, "inc")}))
    (err,) = c.errors
    assert "outside the TEI directory" in err.message


def test_deep_nesting_is_refused(make_tei):
    deep = "<hi>" * 300 + "x" + "</hi>" * 300
    c = Corpus.load(make_tei(**{"deep__xml": tei(f"<p>{deep}</p>", "deep")}))
    (err,) = c.errors
    assert "nested deeper than 256" in err.message


def test_duplicate_document_ids_name_both_files(make_tei):
    c = Corpus.load(make_tei(**{"one__xml": tei("<p>1</p>", "same"), "two__xml": tei("<p>2</p>", "same")}))
    (err,) = c.errors
    assert "two.xml" in err.file and "one.xml" in err.message


def test_duplicate_xml_ids_name_both_lines(make_tei):
    c = Corpus.load(make_tei(**{"dup__xml": tei('<p xml:id="x">1</p>\n<p xml:id="x">2</p>', "dup")}))
    (err,) = c.errors
    assert "used twice" in err.message and "first at line 1" in err.message and err.line == 2


def test_unresolved_pointer_is_a_warning_naming_both_places(make_tei):
    c = Corpus.load(make_tei(**{"p__xml": tei('<p><persName ref="reg.xml#nobody">X</persName></p>', "p")}))
    (w,) = c.warnings
    assert "p.xml" in w.file and "'nobody'" in w.message and "reg.xml" in w.message
    assert not c.errors


def test_cache_keeps_the_last_good_corpus_when_a_file_breaks(make_tei):
    d = make_tei("aligned_a.xml")
    cache = CorpusCache(d)
    first = cache.get()
    (d / "broken.xml").write_text("<TEI")
    assert cache.get() is first
    assert cache.last_problems and cache.last_problems[0].severity == "error"
    (d / "broken.xml").unlink()
    assert list(cache.get().documents) == ["a"]


def test_xml_id_used_in_two_files_is_a_warning_naming_both(make_tei):
    c = Corpus.load(make_tei(**{"one__xml": tei('<p xml:id="same-p">1</p>', "one"),
                                "two__xml": tei('<p xml:id="same-p">2</p>', "two")}))
    (w,) = c.warnings
    assert "two.xml" in w.file and "one.xml:1" in w.message and "same-p" in w.message


def test_xinclude_inside_the_tei_directory_is_honoured(make_tei):
    d = make_tei(**{"inc__xml": tei('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="parts/p.xml"/>', "inc")})
    (d / "parts").mkdir()
    (d / "parts" / "p.xml").write_text("<p xmlns='http://www.tei-c.org/ns/1.0'>Included paragraph.</p>")
    c = Corpus.load(d)
    assert not c.problems, c.problems  # the fragment is not reported as a non-TEI document
    assert [p.text() for p in c.documents["inc"].leaves()] == ["Included paragraph."]


def test_a_document_with_nothing_to_cite_is_an_error_saying_what_to_do(make_tei):
    c = Corpus.load(make_tei(**{"empty__xml": tei("", "empty")}))
    (err,) = c.errors
    assert "no citable passages" in err.message and "citeStructure" in err.message
    assert not c.documents
