"""Incremental builds of the index and the store: a build that starts from the generation
being served reindexes and re-renders only what changed, and gives what a full build of the
same files gives (the same records, lookup rows, store tables and search answers).

Real data: a copy of the edition's tei/ (two articles, a translation, the register and the
alignment), edited the ways an editor edits it."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from whoosh import index as whoosh_index

from pactarchive import build
from pactarchive.corpus import Corpus
from pactarchive.search import current_generation, search
from pactarchive.search.records import document_positions

HEN_SENTENCE = "30,000 troops"


def _build(tei, index, incremental=True):
    return build.build(Corpus.load(tei), index, incremental=incremental)


def _records(gen) -> dict[str, dict]:
    """ref -> stored fields of every live record (``order`` left out: see _reading_order)."""
    ix = whoosh_index.open_dir(str(gen))
    try:
        with ix.searcher() as s:
            return {f["ref"]: {k: v for k, v in f.items() if k != "order"} for _, f in s.reader().iter_docs()}
    finally:
        ix.close()


def _reading_order(gen) -> list[str]:
    ix = whoosh_index.open_dir(str(gen))
    try:
        with ix.searcher() as s:
            return [f["ref"] for _, f in sorted(s.reader().iter_docs(), key=lambda nf: (nf[1]["order"], nf[1]["ref"]))]
    finally:
        ix.close()


def _store(gen) -> dict[str, list]:
    db = sqlite3.connect(gen / "store.sqlite")
    try:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(map(repr, db.execute(f"SELECT * FROM {n}"))) for n in names}
    finally:
        db.close()


def _lookup(gen) -> dict[str, list]:
    """Every table of the lookup (document numbers left out: an incremental build adds records
    after those it deletes)."""
    db = sqlite3.connect(gen / "lookup.sqlite")
    try:
        tables = {n: sorted(db.execute(f"SELECT * FROM {n}"))
                  for n in ("titles", "entities", "entity_tokens", "vocabulary", "written")}
        return {**tables, "passages": sorted(db.execute("SELECT ref, lang, doc, persons, places, unit FROM passages"))}
    finally:
        db.close()


def _live_docnums_match(gen) -> bool:
    """Every lookup row names the live Whoosh record with its ref (what facets and aligned
    passages are read by)."""
    db = sqlite3.connect(gen / "lookup.sqlite")
    ix = whoosh_index.open_dir(str(gen))
    try:
        with ix.searcher() as s:
            r = s.reader()
            rows = list(db.execute("SELECT docnum, ref FROM passages"))
            return len(rows) == r.doc_count() and all(not r.is_deleted(n) and r.stored_fields(n)["ref"] == ref
                                                      for n, ref in rows)
    finally:
        db.close()
        ix.close()


def _same_as_full(tei, index, tmp_path):
    """The generation in ``index`` equals a full build of ``tei`` (reading order compared as
    an order, not as numbers: an added document takes a free number)."""
    full = _build(tei, tmp_path / "full", incremental=False).generation
    gen = current_generation(index)
    assert _records(gen) == _records(full)
    assert _reading_order(gen) == _reading_order(full)
    assert _lookup(gen) == _lookup(full)
    assert _live_docnums_match(gen)
    assert _store(gen) == _store(full)
    assert json.loads((gen / "entities.json").read_text()) == json.loads((full / "entities.json").read_text())


def _manifest(result) -> dict:
    return json.loads((result.generation / "manifest.json").read_text())


def test_an_edited_sentence_reindexes_and_rerenders_its_document_only(tei, tmp_path):
    index = tmp_path / "index"
    first = _build(tei, index)
    assert (first.incremental, first.reindexed) == (False, first.units)
    hen = tei / "hen.xml"
    hen.write_text(hen.read_text(encoding="utf-8").replace(HEN_SENTENCE, "thirty thousand troops"), encoding="utf-8")
    again = _build(tei, index)
    assert (again.incremental, again.reindexed) == (True, 1)
    assert _manifest(again)["store"]["rendered"] == 1
    assert [h["ref"] for h in search(index, "\"thirty thousand troops\"").hits] == ["hen:1.1.2"]
    assert "hen:1.1.2" not in [h["ref"] for h in search(index, '"30,000 troops"').hits]  # (a note still quotes it)
    _same_as_full(tei, index, tmp_path)


def test_nothing_changed_reuses_everything(tei, tmp_path):
    index = tmp_path / "index"
    _build(tei, index)
    again = _build(tei, index)
    assert (again.incremental, again.reindexed, _manifest(again)["store"]["rendered"]) == (True, 0, 0)
    _same_as_full(tei, index, tmp_path)


def test_a_register_change_reaches_every_document_that_names_the_entity(tei, tmp_path):
    """Renaming an entity in the register changes the records and the rendered fragments of
    the passages mentioning it, in other files: their units are rebuilt too."""
    index = tmp_path / "index"
    first = _build(tei, index)
    register = tei / "register.xml"
    text = register.read_text(encoding="utf-8")
    assert "Selter" in text
    register.write_text(text.replace("Selter", "Selterr"), encoding="utf-8")
    again = _build(tei, index)
    assert again.incremental and 1 < again.reindexed < first.units
    assert _manifest(again)["store"]["rendered"] >= 2
    _same_as_full(tei, index, tmp_path)


def test_an_added_and_a_removed_document(tei, tmp_path, tei_dir):
    index = tmp_path / "index"
    _build(tei, index)
    (tei / "lv-en.xml").rename(tei / "zz-lv-en.xml")  # now last in reading order: a new file, one gone
    shutil.copy(tei_dir / "hen.xml", tei / "hen-copy.xml")
    text = (tei / "hen-copy.xml").read_text(encoding="utf-8")
    (tei / "hen-copy.xml").write_text(text.replace('xml:id="hen', 'xml:id="copy-hen'), encoding="utf-8")
    again = _build(tei, index)
    assert again.incremental
    _same_as_full(tei, index, tmp_path)
    (tei / "hen-copy.xml").unlink()
    assert _build(tei, index).incremental
    _same_as_full(tei, index, tmp_path)


def test_other_code_means_a_full_build(tei, tmp_path, monkeypatch):
    index = tmp_path / "index"
    _build(tei, index)
    monkeypatch.setattr(build, "code_fingerprint", lambda: "another version of the code")
    again = _build(tei, index)
    assert (again.incremental, again.reindexed) == (False, again.units)


def test_full_is_asked_for(tei, tmp_path):
    index = tmp_path / "index"
    _build(tei, index)
    assert not _build(tei, index, incremental=False).incremental


def test_document_positions_keep_their_place_and_stay_in_reading_order():
    first = document_positions(["a", "b", "c"])
    assert first == {"a": 0, "b": 1024, "c": 2048}
    assert document_positions(["a", "x", "b", "c"], first) == {"a": 0, "x": 1, "b": 1024, "c": 2048}
    assert document_positions(["b", "c"], first) == {"b": 1024, "c": 2048}  # a removal moves nobody
    # no room left between two neighbours: the later ones move on (and are reindexed)
    tight = {"a": 0, "b": 1}
    assert document_positions(["a", "x", "b"], tight) == {"a": 0, "x": 1, "b": 2}
    # reordered documents: the numbers still increase in reading order
    assert document_positions(["c", "a"], first) == {"c": 2048, "a": 2049}
