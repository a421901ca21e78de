"""Reading files: every failure a message, XInclude details, encodings, entity references, the
corpus cache under failing reloads, a large file."""

from __future__ import annotations

import time

import pytest
from lxml import etree

from pactarchive.cli import main
from pactarchive.corpus import Corpus, CorpusCache
from pactarchive.errors import CorpusError, TEIError
from pactarchive.tei import parse as parse_mod
from pactarchive.tei.parse import declared_encoding, parse_file


def texts(corpus, doc_id):
    return [p.text() for p in corpus.documents[doc_id].leaves()]


# -- XInclude that is allowed --------------------------------------------------------------------

def test_text_include_xpointer_and_a_fallback_holding_an_include(archive, kit):
    tei_dir, _, _ = archive
    (tei_dir / "parts").mkdir()
    (tei_dir / "parts" / "note.txt").write_text("Päts signed.", encoding="utf-8")
    (tei_dir / "parts" / "lib.xml").write_text(kit.fragment('<p xml:id="wanted">Wanted.</p><p xml:id="other">Other.</p>'))
    body = ('<p>Before <xi:include href="parts/note.txt" parse="text"/> after.</p>\n'
            '<xi:include href="parts/lib.xml" xpointer="wanted"/>\n'
            '<xi:include href="parts/missing.xml"><xi:fallback><xi:include href="parts/lib.xml" '
            'xpointer="element(other)"/></xi:fallback></xi:include>')
    (tei_dir / "inc.xml").write_text(kit.tei("inc", body))
    c = Corpus.load(tei_dir)
    assert not c.errors, c.errors
    assert texts(c, "inc") == ["Before Päts signed. after.", "Wanted.", "Other."]
    (w,) = c.warnings
    assert w.file.endswith("inc.xml") and w.line == 5 and "no such file" in w.message


def test_two_documents_including_each_other_are_both_reported(archive, kit):
    tei_dir, _, _ = archive
    (tei_dir / "a.xml").write_text(kit.tei("a", '<xi:include href="b.xml"/>'))
    (tei_dir / "b.xml").write_text(kit.tei("b", '<xi:include href="a.xml"/>'))
    c = Corpus.load(tei_dir)
    assert sorted(e.file.rsplit("/", 1)[-1] for e in c.errors) == ["a.xml", "b.xml"]
    assert all("XInclude loop" in e.message for e in c.errors)


def test_size_is_counted_after_inclusion_of_files_each_under_the_limit(archive, kit, monkeypatch):
    tei_dir, _, _ = archive
    monkeypatch.setattr(parse_mod, "MAX_BYTES", 100_000)
    (tei_dir / "part.txt").write_text("x" * 40_000)
    (tei_dir / "big.xml").write_text(kit.tei("big", '<p><xi:include href="part.txt" parse="text"/></p>\n' * 3))
    with pytest.raises(TEIError) as info:
        parse_file(tei_dir / "big.xml", tei_dir)
    p = info.value.problem
    assert p.line == 5 and "over 100000 bytes with what it XIncludes" in p.message


def test_a_text_include_that_is_not_valid_in_its_encoding_names_the_include(archive, kit):
    tei_dir, _, _ = archive
    (tei_dir / "bad.txt").write_bytes(b"caf\xe9")
    (tei_dir / "t.xml").write_text(kit.tei("t", '<p><xi:include href="bad.txt" parse="text"/></p>'))
    with pytest.raises(TEIError) as info:
        parse_file(tei_dir / "t.xml", tei_dir)
    assert info.value.problem.line == 3 and "is not valid utf-8" in info.value.problem.message
    (tei_dir / "t.xml").write_text(kit.tei("t", '<p><xi:include href="bad.txt" parse="text" encoding="latin-1"/></p>'))
    assert "café" in etree.tostring(parse_file(tei_dir / "t.xml", tei_dir), encoding="unicode")


# -- every read error is a message ---------------------------------------------------------------

def test_a_path_that_cannot_be_read_is_a_message_not_an_oserror(tmp_path):
    (tmp_path / "dir.xml").mkdir()
    with pytest.raises(TEIError) as info:
        parse_file(tmp_path / "dir.xml")
    assert "cannot be read" in str(info.value) and "dir.xml" in str(info.value)


@pytest.mark.parametrize("exc", [RecursionError("maximum recursion depth exceeded"), OSError("Error reading file"),
                                 ValueError("bad"), etree.XIncludeError("x")])
def test_anything_lxml_raises_becomes_a_message(tmp_path, kit, monkeypatch, exc):
    (tmp_path / "x.xml").write_text(kit.tei("x", "<p>x</p>"))

    def boom(*args, **kwargs):
        raise exc
    monkeypatch.setattr(parse_mod.etree, "fromstring", boom)
    with pytest.raises(TEIError) as info:
        parse_file(tmp_path / "x.xml")
    assert "cannot be parsed" in str(info.value) and "x.xml" in str(info.value)


def test_invalid_utf8_names_line_and_column_and_what_to_do(archive, kit):
    tei_dir, _, _ = archive
    (tei_dir / "bad.xml").write_bytes(kit.tei("bad", "<p>caf\udce9</p>").encode("utf-8", "surrogateescape"))
    (err,) = Corpus.load(tei_dir).errors
    assert (err.line, err.column) == (3, 7)
    assert "not valid UTF-8" in err.message and "save the file as UTF-8" in err.message


def test_entity_references_are_warnings_once_per_name(archive, kit):
    tei_dir, _, _ = archive
    body = "<p>The &pact; of &year;.</p>\n<p>&pact; again, &amp; &#x41;.</p>"
    (tei_dir / "e.xml").write_text(kit.tei("e", body, '<!DOCTYPE TEI SYSTEM "tei.dtd">\n'))
    c = Corpus.load(tei_dir)
    assert sorted((w.line, w.message.split(";")[0]) for w in c.warnings) == [
        (4, "the entity reference &pact"), (4, "the entity reference &year")]
    assert "(2 times; first here)" in next(w.message for w in c.warnings if "&pact;" in w.message)
    assert texts(c, "e")[1] == "again, & A."


# -- downloads carry the file's encoding -----------------------------------------------------------

@pytest.mark.parametrize("data, charset", [
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><TEI/>', "ISO-8859-1"),
    (b"<?xml version='1.0' encoding='windows-1257' standalone='yes'?><TEI/>", "windows-1257"),
    (b'\xef\xbb\xbf<?xml version="1.0"?><TEI/>', "UTF-8"),
    ('<?xml version="1.0" encoding="UTF-16"?><TEI/>'.encode("utf-16"), "UTF-16"),
    ('<?xml version="1.0"?><TEI/>'.encode("utf-16-le"), "UTF-16LE"),
    (b"<TEI/>", "UTF-8"),
])
def test_declared_encoding(data, charset):
    assert declared_encoding(data) == charset


def test_download_carries_the_files_real_encoding(archive, kit):
    from pactarchive.web import create_app
    tei_dir, _, index_dir = archive
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?>\n' + kit.tei("latin", "<p>Päts and Laidoner.</p>")
    (tei_dir / "latin.xml").write_bytes(latin.encode("latin-1"))
    assert main(["build", "--no-validate", "--tei", str(tei_dir), "--index", str(index_dir)]) == 0
    client = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir}).test_client()
    r = client.get("/tei/latin.xml")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/tei+xml; charset=ISO-8859-1"
    assert r.data == latin.encode("latin-1")
    assert client.get("/tei/good.xml").headers["Content-Type"] == "application/tei+xml; charset=UTF-8"


# -- a running corpus cache ------------------------------------------------------------------------

def test_a_failing_reload_is_not_retried_until_the_files_change(archive, kit):
    tei_dir, _, _ = archive
    cache = CorpusCache(tei_dir)
    good = cache.get()
    (tei_dir / "bad.xml").write_bytes(b"<TEI>\xff</TEI>")
    for _ in range(5):
        assert cache.get() is good
    assert cache.loads == 2 and "not valid UTF-8" in cache.last_problems[0].message
    (tei_dir / "bad.xml").unlink()
    assert list(cache.get().documents) == ["good"] and cache.loads == 3


def test_the_cache_survives_a_load_that_raises(archive, monkeypatch):
    tei_dir, _, _ = archive
    cache = CorpusCache(tei_dir)
    good = cache.get()

    def explode(cls, tei_dir):
        raise RecursionError("maximum recursion depth exceeded")
    monkeypatch.setattr(Corpus, "load", classmethod(explode))
    (tei_dir / "new.xml").write_text("<TEI/>")
    assert cache.get() is good and cache.get() is good and cache.loads == 2
    assert "RecursionError" in cache.last_problems[0].message
    fresh = CorpusCache(tei_dir)
    with pytest.raises(CorpusError):  # nothing was ever loaded: a clear error, not a traceback
        fresh.get()
    with pytest.raises(CorpusError):
        fresh.get()
    assert fresh.loads == 1


# -- case 24: a large file -------------------------------------------------------------------------

def _large(divs: int = 100, paras: int = 90, sents: int = 10) -> str:
    words = "harbour delegation treaty fleet minister garrison border commission".split()
    body = "\n".join(
        f'<div n="{d}"><head>Part {d}</head>' + "".join(
            "<p>" + "".join(f"<s>The {words[(d + p + s) % 8]} of day {d} met the {words[(p + s) % 8]} near the "
                            f"{words[(d + s) % 8]} number {p * 10 + s}.</s>"
                            for s in range(sents)) + "</p>" for p in range(paras)) + "</div>"
        for d in range(1, divs + 1))
    return body


def test_a_large_file_and_the_same_text_in_xincluded_parts_read_alike(tmp_path, kit):
    """Case 24 (6.8 MB, 90,000 sentences) is well within the limits; the checks after
    inclusion are linear (one walk), so the split version costs about the same."""
    one, split = tmp_path / "one", tmp_path / "split"
    one.mkdir(), split.mkdir()
    (one / "big.xml").write_text(kit.tei("big", _large()))
    (split / "parts").mkdir()
    includes = []
    for d in range(1, 101):
        (split / "parts" / f"d{d}.xml").write_text(kit.fragment(_large(1, 90, 10).replace('n="1"', f'n="{d}"', 1)
                                                                .replace("<div", "<div xmlns='http://www.tei-c.org/ns/1.0'", 1)))
        includes.append(f'<xi:include href="parts/d{d}.xml"/>')
    (split / "big.xml").write_text(kit.tei("big", "\n".join(includes)))
    assert (one / "big.xml").stat().st_size > 6_000_000
    timings = []
    for folder in (one, split):
        start = time.perf_counter()
        tree = parse_file(folder / "big.xml", folder)
        timings.append(time.perf_counter() - start)
        assert len(tree.getroot().findall(".//{http://www.tei-c.org/ns/1.0}s")) == 90_000
    assert timings[1] < 10 * timings[0], timings  # a ratio, not a time


def test_a_symlink_loop_in_the_tei_directory_is_skipped_not_a_crash(archive, kit):
    import os
    tei_dir, _, _ = archive
    os.symlink("b.xml", tei_dir / "a.xml")
    os.symlink("a.xml", tei_dir / "b.xml")
    (tei_dir / "inc.xml").write_text(kit.tei("inc", '<xi:include href="a.xml"><xi:fallback><p>F.</p></xi:fallback></xi:include>'))
    c = Corpus.load(tei_dir)
    assert sorted(c.documents) == ["good", "inc"] and not c.errors
    assert "no such file" in c.warnings[0].message
    assert CorpusCache(tei_dir).get().documents.keys() == c.documents.keys()
