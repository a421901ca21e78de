"""A build that reads only the changed file and the files it links with
(pactarchive.incremental) makes what a full build of every file makes: the same store rows,
index records, lookup, vocabulary and warnings. Where it cannot know that (a passage added, a
register or a note changed), it declines and the build reads every file.

Real data: a copy of the edition's tei/ and of real-world samples, edited as editors edit."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from pactarchive import build, incremental
from pactarchive.corpus import Corpus
from pactarchive.search import current_generation, search

from .test_incremental_index import _lookup, _records, _reading_order, _same_as_full, _store

HEN_SENTENCE = "30,000 troops"


@pytest.fixture()
def counted(monkeypatch):
    """The files every Corpus.load of the test read."""
    read: list = []
    load = Corpus.load.__func__

    def counting(cls, tei_dir, progress=None, only=None):
        corpus = load(cls, tei_dir, progress, only)
        read.extend(corpus.files)
        return corpus
    monkeypatch.setattr(Corpus, "load", classmethod(counting))
    return read


def _full(tei, index):
    return build.build(Corpus.load(tei), index, incremental=False)


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(gen) -> list:
    return sorted(map(repr, json.loads((gen / build.PROBLEMS).read_text(encoding="utf-8"))))


def _same(tei, index, tmp_path):
    _same_as_full(tei, index, tmp_path)
    full, gen = current_generation(tmp_path / "full"), current_generation(index)
    assert _problems(gen) == _problems(full)
    assert json.loads((gen / "manifest.json").read_text())["files"] == json.loads((full / "manifest.json").read_text())["files"]


def test_an_edited_sentence_reads_its_file_and_those_it_links_with_only(tei, tmp_path, counted):
    index = tmp_path / "index"
    _full(tei, index)
    counted.clear()
    _edit(tei / "hen.xml", HEN_SENTENCE, "thirty thousand troops")
    done = incremental.rebuild_changed(tei, index)
    assert done is not None
    names = sorted(p.name for p in counted)
    assert "hen.xml" in names and len(names) < len(list(tei.glob("*.xml"))) + 1, names
    assert (done.result.incremental, done.result.reindexed) == (True, 1)
    assert [d.id for d in done.documents] == ["hen"]
    assert [h["ref"] for h in search(index, "\"thirty thousand troops\"").hits] == ["hen:1.1.2"]
    _same(tei, index, tmp_path)


def test_a_sentence_of_the_latvian_article_changes_its_words_and_vocabulary(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "lv.xml", "Līgums kalpoja par pamatu", "Līgums kalpojis par pamatu")  # a new word form
    assert incremental.rebuild_changed(tei, index) is not None
    _same(tei, index, tmp_path)


def test_the_words_of_a_mention_are_the_files_own(tei, tmp_path):
    """A mention's words are shown with its passage (the register lists it with them), so an
    edit of them changes the file's own rows only."""
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "lv.xml", "okupācijai</name>", "okupācijas</name>")
    assert incremental.rebuild_changed(tei, index) is not None
    _same(tei, index, tmp_path)


def test_edits_one_after_another_keep_equal_to_a_full_build(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    for new in ("thirty thousand troops", "30 000 troops", HEN_SENTENCE):
        old = next(o for o in (HEN_SENTENCE, "thirty thousand troops", "30 000 troops") if o in (tei / "hen.xml").read_text())
        _edit(tei / "hen.xml", old, new)
        assert incremental.rebuild_changed(tei, index) is not None
    _same(tei, index, tmp_path)


@pytest.mark.parametrize("file, old, new", [
    ("register.xml", "Selter", "Selterr"),             # a register: every document naming it
    ("hen.xml", "<p ", "<p rend='x' "),                  # markup: not known to be the file's own
    ("lv.xml", "not to the signing of", "not to the signature of"),  # a note (numbered, listed)
    ("lv.xml", "1940. gada jūnijā", "1940. g. jūnijā"),   # a date (the timeline)
    ("align-hen-lv.xml", "<link ", "<link type='x' "),   # the alignment
])
def test_what_the_part_cannot_answer_is_declined(tei, tmp_path, file, old, new):
    index = tmp_path / "index"
    _full(tei, index)
    text = (tei / file).read_text(encoding="utf-8")
    if old not in text:
        pytest.skip(f"{old!r} not in {file}")
    (tei / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    before = current_generation(index)
    assert incremental.rebuild_changed(tei, index) is None
    assert current_generation(index) == before  # nothing was published


def test_a_file_with_an_error_is_declined_and_the_full_build_reports_it(tei, tmp_path):
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 <troops")
    assert incremental.rebuild_changed(tei, index) is None


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_a_word_edited_in_a_real_world_sample(sample, tmp_path):
    """Perseus, DraCor, ParlaMint, a hostile test corpus: a word of a passage edited, the part
    rebuilt equals the full build. Words are tried in reading order until one is the file's own
    (a word inside a mention or a date is declined: see above)."""
    tei, index = tmp_path / "tei", tmp_path / "index"
    shutil.copytree(SAMPLES / sample, tei)
    _full(tei, index)
    db = sqlite3.connect(current_generation(index) / "store.sqlite")
    try:
        leaves = db.execute("SELECT d.path, p.text FROM passages p JOIN documents d ON d.id = p.doc "
                            "WHERE p.is_leaf ORDER BY p.seq LIMIT 40").fetchall()
    finally:
        db.close()
    for path, text in leaves:
        for word in re.findall(r"[^\W\d_]{5,}", text)[:3]:
            file = tei / path
            raw = file.read_text(encoding="utf-8")
            at = raw.find(word, raw.find("<text"))
            if at < 0:
                continue
            file.write_text(raw[:at] + word + "q" + raw[at + len(word):], encoding="utf-8")
            if incremental.rebuild_changed(tei, index) is not None:
                _same(tei, index, tmp_path)
                return
            file.write_text(raw, encoding="utf-8")
    pytest.fail(f"no word of the first passages of {sample} could be rebuilt on its own")


def test_an_xincluded_text_changed_rebuilds_the_file_that_includes_it(tei, tmp_path, counted):
    """An XIncluded file is part of the file that includes it: its change is that file's."""
    xi = 'xmlns:xi="http://www.w3.org/2001/XInclude"'
    (tei / "parts").mkdir()
    (tei / "parts" / "inner.txt").write_text("innerword one", encoding="utf-8")
    _edit(tei / "hen.xml", HEN_SENTENCE, f'{HEN_SENTENCE} <xi:include {xi} href="parts/inner.txt" parse="text"/>')
    index = tmp_path / "index"
    _full(tei, index)
    counted.clear()
    (tei / "parts" / "inner.txt").write_text("innerword two", encoding="utf-8")
    done = incremental.rebuild_changed(tei, index)
    assert done is not None and [d.id for d in done.documents] == ["hen"]
    assert [h["ref"] for h in search(index, "innerword two").hits] == ["hen:1.1.2"]
    _same(tei, index, tmp_path)



def test_with_validation_only_the_changed_file_is_validated_and_the_cache_kept(tei, tmp_path):
    """``pactarchive build`` validates against tei_all: the part validates the changed file (in
    another process, while it builds), keeps the other files' cached results, and reports what
    a validated full build reports. odd.xml is not valid (a ``bogus`` element): its warning is
    found again after its text is edited."""
    from pactarchive.cli import main
    from pactarchive.tei import validate
    if not validate.available():
        pytest.skip("tei_all is not installed")
    (tei / "odd.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="odd"><teiHeader/><text><body>'
                                 '<p>Some words <bogus>here</bogus>.</p></body></text></TEI>', encoding="utf-8")
    index, full = tmp_path / "index", tmp_path / "full"
    assert main(["build", "--tei", str(tei), "--index", str(index)]) == 0
    cached = {p.name for p in (index / build.VALIDATION_CACHE).glob("*.json")}
    _edit(tei / "odd.xml", "Some words", "Other words")
    assert main(["build", "--tei", str(tei), "--index", str(index)]) == 0
    now = {p.name for p in (index / build.VALIDATION_CACHE).glob("*.json")}
    assert cached < now and len(now - cached) == 1  # odd.xml's new result, no other file's forgotten
    manifest = json.loads((current_generation(index) / "manifest.json").read_text())
    assert manifest["validated"] and manifest["index"].get("files_read")  # (the part was built)
    problems = _problems(current_generation(index))
    assert any("odd.xml" in p and "tei_all" in p for p in problems)
    assert main(["build", "--full", "--tei", str(tei), "--index", str(full)]) == 0
    assert problems == _problems(current_generation(full))


def test_past_the_segment_limit_the_part_declines_and_the_full_build_merges(tei, tmp_path, monkeypatch):
    """Each part adds a segment to the index; past ``indexer.MAX_SEGMENTS`` it declines (the
    build of every file writes one index again) and publishes nothing."""
    from pactarchive.search import indexer
    monkeypatch.setattr(indexer, "MAX_SEGMENTS", 2)
    index = tmp_path / "index"
    _full(tei, index)
    _edit(tei / "hen.xml", HEN_SENTENCE, "thirty thousand troops")
    assert incremental.rebuild_changed(tei, index) is not None  # 2 segments now
    served = current_generation(index)
    _edit(tei / "hen.xml", "thirty thousand troops", HEN_SENTENCE)
    assert incremental.rebuild_changed(tei, index) is None
    assert current_generation(index) == served and not list(index.glob(".building-*"))
