"""Incremental builds at their edges: sequences of edits and builds after which the generation
an incremental build made must equal a full build of the same files (records, reading order,
lookup rows, store tables, search answers), and builds that are killed, race with an edit or
with each other.

Real data: a copy of the edition's tei/ (as test_incremental_index.py), edited the ways an
editor edits it. Tests marked xfail show a break of that contract (the reason names its cause);
the others guard what held."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pactarchive import build
from pactarchive.corpus import Corpus
from pactarchive.errors import QueryError
from pactarchive.search import current_generation, indexer, is_stale, search
from pactarchive.search import store as generations

from .test_incremental_index import _build, _manifest, _same_as_full

HEN_SENTENCE = "30,000 troops"
XI_NS = 'xmlns:xi="http://www.w3.org/2001/XInclude"'
TEI_NS = 'xmlns="http://www.tei-c.org/ns/1.0"'
SRC = str(Path(build.__file__).resolve().parents[1])  # the package a subprocess must import


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _answer(index, q: str, **filters):
    """What a reader sees of a search: the refs in order, the total and the did-you-mean, or
    the error."""
    try:
        r = search(index, q, size=50, **filters)
    except QueryError as exc:
        return ("error", str(exc))
    return ([h["ref"] for h in r.hits], r.total, r.suggestion)


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p))
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)


BUILD = """
import sys
from pathlib import Path
from pactarchive import build
from pactarchive.corpus import Corpus
build.build(Corpus.load(Path(sys.argv[1])), Path(sys.argv[2]))
"""

KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from pactarchive import build
from pactarchive.corpus import Corpus
stage, at = sys.argv[3], int(sys.argv[4])
def progress(s, done, total):
    if s == stage and done >= min(at, total):
        os.kill(os.getpid(), signal.SIGKILL)
build.build(Corpus.load(Path(sys.argv[1])), Path(sys.argv[2]), progress=progress)
"""


# -- what the fragment key leaves out ----------------------------------------------------------

def test_a_note_added_in_one_document_renumbers_the_notes_of_the_others(tei, tmp_path):
    """Notes are numbered across the edition (files in path order): a note added in hen.xml
    moves every note of lv.xml and lv-en.xml one number on. Their files did not change, so
    their fragments are copied from the previous store with the old numbers ("note 24" where
    a full build says "note 25")."""
    index = tmp_path / "index"
    _build(tei, index)
    _edit(tei / "hen.xml", HEN_SENTENCE, HEN_SENTENCE + "<note>An added note.</note>")
    again = _build(tei, index)
    assert again.incremental
    _same_as_full(tei, index, tmp_path)


def test_a_passage_id_named_in_a_note_moves_to_another_passage(tei, tmp_path):
    """A note in hen.xml says "Compare lv-s63."; rendered, the id is a link labelled with the
    passage's ref (lv:5.2.1). The ids lv-s63 and lv-s70 swap places in lv.xml: a full build
    labels the link lv:5.3.4, the incremental one keeps hen's fragment with lv:5.2.1."""
    index = tmp_path / "index"
    _edit(tei / "hen.xml", HEN_SENTENCE, HEN_SENTENCE + "<note>Compare lv-s63.</note>")
    _build(tei, index)
    lv = tei / "lv.xml"
    _edit(lv, 'xml:id="lv-s63"', 'xml:id="swap"')
    _edit(lv, 'xml:id="lv-s70"', 'xml:id="lv-s63"')
    _edit(lv, 'xml:id="swap"', 'xml:id="lv-s70"')
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


# -- a file saved while a build runs -------------------------------------------------------------

def _build_while_an_editor_saves(tei, index):
    """Build, and save hen.xml again while the build runs (after the files were read, before
    the generation is published)."""
    hen, saved = tei / "hen.xml", []

    def progress(stage, done, total):
        if stage == "committing" and not saved:
            saved.append(True)
            _edit(hen, "30,000 men", "thirty thousand men")
    _edit(hen, HEN_SENTENCE, "30,000 men")
    corpus = Corpus.load(tei)
    build.build(corpus, index, progress=progress)
    assert saved


def test_a_file_saved_during_a_build_is_rendered_by_the_next_build(tei, tmp_path):
    """The racing build renders the old hen.xml under the key of the new one; the next build
    finds that key unchanged and copies the old fragments (its search records are right: the
    store shows "30,000 men" where the index finds "thirty thousand men")."""
    index = tmp_path / "index"
    _build(tei, index)
    _build_while_an_editor_saves(tei, index)
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


def test_a_file_saved_during_a_build_leaves_the_index_stale(tei, tmp_path):
    """After the racing build, is_stale (what the server's watcher asks) must say the index
    is stale: it was built from the file as it was before the last save."""
    index = tmp_path / "index"
    _build(tei, index)
    _build_while_an_editor_saves(tei, index)
    assert is_stale(index, tei)


def test_a_file_saved_during_a_servers_rebuild_is_served_after_it(tei, tmp_path, monkeypatch):
    """The server's rebuild (EditionSource, checking tei/ on each request: every=0) has read
    the files when the editor saves hen.xml again and a request comes in: that request's
    check finds the files changed and the index stale, and its rebuild is skipped while one
    runs. Afterwards no request rebuilds: the files' fingerprint is the one already seen (and
    is_stale says fresh: see test_a_file_saved_during_a_build_leaves_the_index_stale)."""
    import logging
    from pactarchive.web import source as served
    index = tmp_path / "index"
    _build(tei, index)
    edition = served.EditionSource(tei, index, logging.getLogger("test"), watch=True, every=0)
    edition.get()
    saved = []

    def while_an_editor_saves(real):
        def build(*args, **kw):
            if not saved:
                saved.append(True)
                _edit(tei / "hen.xml", "30,000 men", "thirty thousand men")
                edition.get()  # a request meanwhile
            return real(*args, **kw)
        return build
    # the rebuild of the changed files only (incremental.py), or of every file
    monkeypatch.setattr(served, "build", while_an_editor_saves(served.build))
    monkeypatch.setattr(served, "rebuild_changed", while_an_editor_saves(served.rebuild_changed))
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 men")
    for _ in range(3):  # the request that rebuilds, then two more
        edition.get()
    assert saved
    assert [h["ref"] for h in search(index, '"thirty thousand men"').hits] == ["hen:1.1.2"]


def test_an_edit_of_an_xincluded_text_file_makes_the_index_stale(tei, tmp_path):
    """hen.xml XIncludes parts/inner.txt (parse="text"). An explicit build picks an edit of
    it up (test_only_an_xincluded_fragment_changes); the server does not: is_stale says the
    index is fresh and the watcher's fingerprint of tei/ has not changed."""
    from pactarchive.corpus import fingerprint
    index = tmp_path / "index"
    (tei / "parts").mkdir()
    (tei / "parts" / "inner.txt").write_text("innerword one", encoding="utf-8")
    _edit(tei / "hen.xml", HEN_SENTENCE, f'{HEN_SENTENCE} <xi:include {XI_NS} href="parts/inner.txt" parse="text"/>')
    _build(tei, index)
    seen = fingerprint(tei)
    (tei / "parts" / "inner.txt").write_text("innerword two", encoding="utf-8")
    assert is_stale(index, tei)
    assert fingerprint(tei) != seen


# (two builds at once: tests/store/test_staleness.py, test_a_publish_waits_for_the_one_in_progress)


# -- search answers ---------------------------------------------------------------------------------

def test_a_removed_document_is_no_filter_value_any_more(tei, tmp_path, tei_dir):
    """After a document is removed, doc=<its id> is an unknown document for a full build (an
    error naming the documents there are); the incremental index answers 0 results, and its
    error for an unknown id lists the removed document among the documents."""
    index = tmp_path / "index"
    (tei / "hen-copy.xml").write_text((tei_dir / "hen.xml").read_text(encoding="utf-8")
                                      .replace('xml:id="hen', 'xml:id="copy-hen'), encoding="utf-8")
    _build(tei, index)
    (tei / "hen-copy.xml").unlink()
    assert _build(tei, index).incremental
    full = tmp_path / "full"
    _build(tei, full, incremental=False)
    for filters in ({"doc": "copy-hen"}, {"doc": "nosuch"}):
        assert _answer(index, "", **filters) == _answer(full, "", **filters)


def test_a_corrected_word_gets_its_did_you_mean(tei, tmp_path):
    """An editor corrects "Zanzibarian" to "Zanzibarien": a full build offers "Zanzibarien"
    to a reader searching the old spelling, the incremental build offers nothing."""
    index = tmp_path / "index"
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 Zanzibarian troops")
    _build(tei, index)
    _edit(tei / "hen.xml", "Zanzibarian", "Zanzibarien")
    assert _build(tei, index).incremental
    full = tmp_path / "full"
    _build(tei, full, incremental=False)
    for q in ("Zanzibarian", "Zanzibarian troops"):
        assert _answer(index, q) == _answer(full, q)


def test_a_wildcard_counts_only_the_words_still_indexed(tei, tmp_path):
    """40 words starting with "zq" are replaced by 40 others: a full build has 40 such words
    and answers zq*; the incremental index has 80 in its lexicon and refuses the query ("stands
    for more than 60 different words")."""
    index = tmp_path / "index"
    old = " ".join("zq" + a + b for a, b in itertools.islice(itertools.product("abcdefgh", repeat=2), 40))
    new = " ".join("zq" + a + b for a, b in itertools.islice(itertools.product("ijklmnop", repeat=2), 40))
    _edit(tei / "hen.xml", HEN_SENTENCE, f"{HEN_SENTENCE} {old}")
    _build(tei, index)
    _edit(tei / "hen.xml", old, new)
    assert _build(tei, index).incremental
    full = tmp_path / "full"
    _build(tei, full, incremental=False)
    assert _answer(full, "zq*")[0] == ["hen:1.1.2"]
    assert _answer(index, "zq*") == _answer(full, "zq*")


def test_relevance_order_after_an_edit_in_another_document(tei, tmp_path):
    """One sentence of hen.xml is edited (11 of ~370 records deleted and added again): with
    Whoosh's statistics (counting the deleted records) the Latvian "pakt" then ranked lv:2.1.1
    first where a full build ranks lv:1.1.1 first (search.ranking.LiveBM25F)."""
    index = tmp_path / "index"
    _build(tei, index)
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 soldiers")
    assert _build(tei, index).incremental
    full = tmp_path / "full"
    _build(tei, full, incremental=False)
    assert _answer(index, "pakt") == _answer(full, "pakt")


def test_a_changed_dependency_means_a_full_build(tei, tmp_path, monkeypatch, request):
    """A new release of the Latvian stemmer (here: one that stems nothing) changes the terms
    indexed for every Latvian record, not the records: an incremental build would reindex
    nothing and keep the old stems ("Igaunija" found 20 results where a full build finds 75),
    so the release of every library that decides the terms is part of the build version."""
    import LatvianStemmer
    from pactarchive.search import analysis, compiler, ranking, snippets
    from pactarchive.search.schema import make_schema
    index = tmp_path / "index"
    _build(tei, index)
    monkeypatch.setattr(LatvianStemmer, "stem", lambda word: word)
    # (a new release says so by its version: build_version reads the installed releases)
    real = build.dependency_version
    monkeypatch.setattr(build, "dependency_version", lambda d: "2.0 (stems nothing)" if d == "LatvianStemmer" else real(d))
    build.code_fingerprint.cache_clear()
    request.addfinalizer(build.code_fingerprint.cache_clear)
    # the query side's analysers made afresh (their stem caches must not outlive the test)
    monkeypatch.setattr(compiler, "_SCHEMA", make_schema())
    monkeypatch.setattr(snippets, "_SCHEMA", make_schema())
    monkeypatch.setattr(ranking, "_NAMES", analysis.names_analyzer())
    request.addfinalizer(ranking._name_tokens.cache_clear)
    request.addfinalizer(snippets._spans.cache_clear)
    again = _build(tei, index)
    full = tmp_path / "full"
    _build(tei, full, incremental=False)
    assert _answer(index, "Igaunija") == _answer(full, "Igaunija")
    assert not again.incremental


def test_a_damaged_previous_store_means_a_full_build(tei, tmp_path):
    """The served generation's store.sqlite is cut short (a full disk, an interrupted copy):
    the next build compiles the store afresh (it failed, "database disk image is malformed",
    until someone asked for --full), as a damaged lookup.sqlite makes the index part a full
    build."""
    index = tmp_path / "index"
    served = _build(tei, index).generation / "store.sqlite"
    data = served.read_bytes()
    served.write_bytes(data[:len(data) // 3])
    _build(tei, index)
    _same_as_full(tei, index, tmp_path)


# -- a full build of valid TEI fails (not incremental: found on the way) -----------------------------

def test_two_notes_without_ids_on_one_line(tei, tmp_path):
    """Two notes without xml:id on one line made the same search ref (note:hen-<line>) and the
    build failed (lookup.sqlite: UNIQUE constraint failed). Both are found now. (Both still
    show one number: the edition numbers notes by file and line, and lxml gives no column.)"""
    line = next(n for n, text in enumerate((tei / "hen.xml").read_text(encoding="utf-8").splitlines(), 1)
                if HEN_SENTENCE in text)
    _edit(tei / "hen.xml", HEN_SENTENCE, HEN_SENTENCE + "<note>First zorbling.</note><note>Second zorbling.</note>")
    _build(tei, tmp_path / "index", incremental=False)
    found = search(tmp_path / "index", "zorbling", size=50)
    assert sorted((h["ref"], h["text"]) for h in found.hits) == [(f"note:hen-{line}", "First zorbling."),
                                                                  (f"note:hen-{line}-2", "Second zorbling.")]


# -- what held ------------------------------------------------------------------------------------------

def test_only_an_xincluded_fragment_changes(tei, tmp_path):
    """hen's second paragraph lives in parts/hen-p2.xml (XIncluded); the fragment is edited,
    then XIncludes a text file that is edited in turn, then hen XIncludes a missing file
    with a fallback, and the file arrives."""
    index = tmp_path / "index"
    hen = tei / "hen.xml"
    text = hen.read_text(encoding="utf-8")
    start, end = text.index('<p xml:id="hen-p2"'), text.index("</p>", text.index('<p xml:id="hen-p2"')) + 4
    (tei / "parts").mkdir()
    (tei / "parts" / "hen-p2.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                                             + text[start:end].replace("<p ", f"<p {TEI_NS} {XI_NS} ", 1), encoding="utf-8")
    hen.write_text(text[:start] + f'<xi:include {XI_NS} href="parts/hen-p2.xml"/>' + text[end:], encoding="utf-8")
    _build(tei, index)
    fragment = tei / "parts" / "hen-p2.xml"
    _edit(fragment, "profound", "deep")
    again = _build(tei, index)
    assert (again.incremental, again.reindexed, _manifest(again)["store"]["rendered"]) == (True, 1, 1)
    _same_as_full(tei, index, tmp_path)
    (tei / "parts" / "inner.txt").write_text("innerword one", encoding="utf-8")
    _edit(fragment, "was deep", 'was <xi:include href="inner.txt" parse="text"/> deep')
    _build(tei, index)
    (tei / "parts" / "inner.txt").write_text("innerword two", encoding="utf-8")
    assert _build(tei, index).reindexed == 1
    _same_as_full(tei, index, tmp_path)
    _edit(hen, '<s xml:id="hen-s5" n="5">', f'<s xml:id="hen-s5" n="5"><xi:include {XI_NS} href="parts/later.xml">'
                                            '<xi:fallback>Fallback words.</xi:fallback></xi:include> ')
    _build(tei, index)
    (tei / "parts" / "later.xml").write_text(f'<seg {TEI_NS}>Later words.</seg>', encoding="utf-8")
    assert _build(tei, index).reindexed == 1
    _same_as_full(tei, index, tmp_path)


@pytest.mark.parametrize("file, old, new", [
    ("register.xml", "Konstantīns Petss", "Konstantīns Pētss"),  # a name form in one language
    ("register.xml", '<person xml:id="pats">', '<person xml:id="pats-gone">'),  # an entity lv names is gone
    ("register.xml", '<listPerson type="persons">',  # an entity added before all others
     '<listPerson type="persons"><person xml:id="aa-new"><persName xml:lang="en">Newman</persName></person>'),
    ("align-hen-lv.xml", 'target="hen.xml#hen-s2 lv.xml#lv-s2 lv.xml#lv-s57',  # a stand-off note's target
     'target="hen.xml#hen-s3 lv.xml#lv-s2 lv.xml#lv-s57'),
    ("align-hen-lv.xml", 'target="hen.xml#hen-s1 lv.xml#lv-s81"', 'target="hen.xml#hen-s1 lv.xml#lv-s82"'),  # a link
    ("hen.xml", '<title type="main">Estonia Signs', '<title type="main">Estonia Signed'),  # a title others show
], ids=["name-form", "entity-removed", "entity-added-first", "note-target", "link", "title"])
def test_a_change_of_the_register_alignment_or_a_title(tei, tmp_path, file, old, new):
    index = tmp_path / "index"
    _build(tei, index)
    _edit(tei / file, old, new)
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


def test_two_documents_swap_their_ids(tei, tmp_path, tei_dir):
    index = tmp_path / "index"
    copy = tei / "hen-copy.xml"
    copy.write_text((tei_dir / "hen.xml").read_text(encoding="utf-8").replace('xml:id="hen', 'xml:id="copy-hen'),
                    encoding="utf-8")
    _build(tei, index)
    _edit(tei / "hen.xml", f'<TEI {TEI_NS} xml:id="hen"', f'<TEI {TEI_NS} xml:id="copy-hen"')
    _edit(copy, f'<TEI {TEI_NS} xml:id="copy-hen"', f'<TEI {TEI_NS} xml:id="hen"')
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


def test_a_tei_corpus_gains_a_tei_before_its_first(tei, tmp_path, tei_dir):
    """Documents without xml:id in a teiCorpus are named by position (coll-1, coll-2): a TEI
    added first gives the old coll-1's text the id coll-2."""
    index = tmp_path / "index"
    hen = (tei_dir / "hen.xml").read_text(encoding="utf-8")

    def member(prefix: str, word: str) -> str:
        text = hen.replace(' xml:id="hen"', "").replace('xml:id="', f'xml:id="{prefix}').replace('"#', f'"#{prefix}')
        return text[text.index("<TEI"):].replace(HEN_SENTENCE, f"30,000 {word}")
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus {TEI_NS}><teiHeader><fileDesc><titleStmt><title>Coll'
            '</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc>'
            '</fileDesc></teiHeader>')
    coll = tei / "coll.xml"
    coll.write_text(head + member("a-", "alphas") + "</teiCorpus>", encoding="utf-8")
    _build(tei, index)
    coll.write_text(head + member("b-", "betas") + member("a-", "alphas") + "</teiCorpus>", encoding="utf-8")
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


def test_a_document_moves_into_a_tei_corpus(tei, tmp_path, tei_dir):
    """lv-en.xml becomes a teiCorpus holding a new TEI (first) and the lv-en document: same
    document id, another file content, one document more before it."""
    index = tmp_path / "index"
    _build(tei, index)
    hen = (tei_dir / "hen.xml").read_text(encoding="utf-8")
    new = hen.replace(' xml:id="hen"', "").replace('xml:id="', 'xml:id="c-').replace('"#', '"#c-')
    lv_en = (tei / "lv-en.xml").read_text(encoding="utf-8")
    (tei / "lv-en.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus {TEI_NS}><teiHeader><fileDesc><titleStmt><title>C</title>'
        '</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>'
        '</teiHeader>' + new[new.index("<TEI"):] + lv_en[lv_en.index("<TEI"):] + "</teiCorpus>", encoding="utf-8")
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


@pytest.mark.parametrize("sample, file, old, new", [
    # versions of one CTS work aligned by equal refs: a section only the translation has
    ("pair-lysias34-grc-eng", "tlg0540.tlg034.perseus-eng2.xml", '<div n="3" type="section">',
     '<div n="2a" type="section"><p>An inserted section.</p></div><div n="3" type="section">'),
    # a teiCorpus of TEI without xml:id (named by position): an empty TEI first moves every name on
    ("hostile-tei-testcorpus", "testcorpus.xml", "<TEI>", "<TEI><!-- --></TEI><TEI>"),
], ids=["lysias-section", "testcorpus"])
def test_real_world_samples(tmp_path, sample, file, old, new):
    tei = tmp_path / "tei"
    shutil.copytree(Path(__file__).resolve().parents[1] / "samples" / sample, tei)
    for f in tei.iterdir():
        f.chmod(0o644)
    index = tmp_path / "index"
    _build(tei, index)
    _edit(tei / file, old, new)
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


@pytest.mark.parametrize("stage, at", [("indexing", 3), ("committing", 1), ("compiling", 2)])
def test_a_killed_build_leaves_the_served_generation_and_the_next_build_right(tei, tmp_path, stage, at):
    """SIGKILL during a build: CURRENT still names the generation served before (complete),
    the .building-* left behind does not stop the next build, which equals a full one."""
    index = tmp_path / "index"
    served = _build(tei, index).generation
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 men")
    killed = _python(KILLED_BUILD, str(tei), str(index), stage, str(at))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert current_generation(index) == served
    assert "hen:1.1.2" in [h["ref"] for h in search(index, '"30,000 troops"').hits]
    assert list(index.glob(".building-*"))
    again = _build(tei, index)
    assert again.incremental
    assert [h["ref"] for h in search(index, '"30,000 men"').hits] == ["hen:1.1.2"]
    _same_as_full(tei, index, tmp_path)


def test_incremental_builds_past_the_segment_limit(tei, tmp_path, monkeypatch):
    """Every incremental build adds a segment; at MAX_SEGMENTS (3 here) the next build is a
    full one. Searches answer like a full build's all along (records, order, lookup, store:
    _same_as_full at the end)."""
    monkeypatch.setattr(indexer, "MAX_SEGMENTS", 3)
    index = tmp_path / "index"
    _build(tei, index)
    word, kinds = "troops", []
    for i in range(4):
        _edit(tei / "hen.xml", f"30,000 {word}", f"30,000 troops{i}x")
        word = f"troops{i}x"
        kinds.append(_build(tei, index).incremental)
    assert kinds == [True, True, False, True]
    full = tmp_path / "full"
    _build(tei, full, incremental=False)
    for q in ("troops3x", "Estonia", "Selter", '"Soviet Union"'):  # (not troops2x: see the did-you-mean test)
        assert _answer(index, q) == _answer(full, q)
    _same_as_full(tei, index, tmp_path)


def test_a_changed_python_or_sql_file_means_a_full_build(tei, tmp_path, monkeypatch, request):
    """code_fingerprint hashes every .py and .sql file of the package (here a copy of it,
    edited): either edit makes the next build a full one; a template is not code."""
    package = Path(build.__file__).resolve().parent
    copy = tmp_path / "pkg"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    request.addfinalizer(build.code_fingerprint.cache_clear)  # the next build hashes the package again
    monkeypatch.setattr(build, "__file__", str(copy / "build.py"))
    build.code_fingerprint.cache_clear()
    index = tmp_path / "index"
    _build(tei, index)
    templates = sorted((copy / "web" / "templates").rglob("*.html"))
    templates[0].write_text(templates[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build.code_fingerprint.cache_clear()
    assert _build(tei, index).incremental
    for f in (copy / "search" / "records.py", copy / "store" / "schema.sql"):
        f.write_text(f.read_text(encoding="utf-8") + "\n-- edited\n" if f.suffix == ".sql" else
                     f.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        build.code_fingerprint.cache_clear()
        again = _build(tei, index)
        assert (again.incremental, again.reindexed) == (False, again.units)
        assert _manifest(again)["store"]["rendered"] == len(Corpus.load(tei).documents)
