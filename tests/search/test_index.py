"""Building: one record per finest passage with its context, entities (all their names), dates
and quantities from the markup; what the edited reading leaves out is not indexed; the index
carries the tables the query side needs. Query compilation on an in-memory index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from whoosh.filedb.filestore import RamStorage

from pactarchive.corpus import Corpus
from pactarchive.search import build_index, current_generation, generation, indexer, is_stale, search, store
from pactarchive.search.compiler import Compiler
from pactarchive.search.records import entity_table, records
from pactarchive.search.schema import make_schema
from pactarchive.search.syntax import parse

HEAD = ('<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p/></publicationStmt>'
        '<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>')
DOC = (f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="x" xml:lang="lv">{HEAD}<text><body>'
       '<div n="1"><head>Otrā sarunu kārta</head><p n="1">'
       '<s n="1" xml:id="x-s1"><persName ref="reg.xml#selter">Selteram</persName> ziņoja <date when="1939-09-27">27. septembrī</date>'
       ' par <measure quantity="35000" unit="soldier">35 000</measure> kareivju.</s>'
       '<s n="2" xml:id="x-s2">Teksts<note>piezīme <date when="1941-01-01">1941</date> <persName ref="reg.xml#molotov">Molotovs</persName></note>'
       ' ar <choice><sic>moblizācija</sic><corr>mobilizācija</corr></choice>.</s></p></div></body></text></TEI>')
REGISTER = (f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="reg">{HEAD}<standOff><listPerson>'
            '<person xml:id="selter"><persName xml:lang="en">Karl Selter</persName><persName xml:lang="lv">Karls Selters</persName></person>'
            '<person xml:id="molotov"><persName xml:lang="en">Vyacheslav Molotov</persName></person>'
            '</listPerson></standOff></TEI>')


@pytest.fixture()
def small(make_tei):
    return Corpus.load(make_tei(x__xml=DOC, reg__xml=REGISTER))


def passages(corpus) -> list[dict]:
    return [r for r in records(corpus) if r["kind"] == "passage"]


def test_one_record_per_sentence_with_context_entities_dates_and_quantities(small):
    head, first, second = passages(small)  # the division's head is a passage of its own (nesting fallback)
    assert (head["ref"], head["text"], head["order"]) == ("x:1.head", "Otrā sarunu kārta", 1)
    assert (first["ref"], first["lang"], first["context"], first["order"]) == ("x:1.1.1", "lv", "Otrā sarunu kārta", 2)
    assert first["person_ids"] == "selter" and "Karl Selter" in first["person"] and "Karls Selters" in first["names"]
    assert first["date"] == "1939 1939-09 1939-09-27" and first["days"] == "1939-09-27"
    assert first["quantity"] == "35000"
    assert ("entity", ("selter",), "Selteram") in first["marks"]
    assert first["text_lv"] == first["text"] and "text_en" not in first


def test_what_the_edited_reading_leaves_out_is_not_indexed(small):
    second = passages(small)[2]
    assert "moblizācija" not in second["text"] and "mobilizācija" in second["text"]
    assert "date" not in second and second["entities"] == ""


def test_the_index_answers_and_carries_its_tables(small, tmp_path):
    result = build_index(small, tmp_path)
    assert (result.documents, result.passages) == (1, 3)  # the head is a passage here; notes, entries besides
    assert [r["kind"] for r in records(small)] == ["passage", "passage", "passage", "note", "register", "register"]
    gen = current_generation(tmp_path)
    assert json.loads((gen / "entities.json").read_text())["selter"]["tokens"] == ["karl", "selter"]  # Karls -> karl
    assert generation.current(tmp_path).vocabulary.get("mobilizacija") == "mobilizācija"
    assert [h["ref"] for h in search(tmp_path, "Selter").hits] == ["x:1.1.1", "entity:selter"]
    molotov = search(tmp_path, "Molotov")  # named in a note, and in the register
    assert [(h["type"], h["ref"]) for h in molotov.hits] == [("register", "entity:molotov"), ("note", "note:x-1")]
    assert search(tmp_path, "moblizācija").total == 0 and search(tmp_path, "mobilizacija").total == 1


def test_segments_are_not_compound_files(small, tmp_path):
    """A compound segment (``*.seg``) is copied whole into memory by every searcher that opens
    it (docs/performance.md, "RSS at 5,000 documents"); separate segment files are read as
    needed. Both writers, the single one and the multiprocessing one, write them."""
    for parallel, procs in ((tmp_path / "one", 1), (tmp_path / "many", 2)):
        gen = tmp_path / parallel.name / "gen"
        gen.mkdir(parents=True)
        indexer._write(gen, records(small), None, procs)
        files = [p.name for p in gen.iterdir()]
        assert any(n.endswith("._stored.col") for n in files), files  # the segments are there
        assert not [n for n in files if n.endswith(".seg")], files


def test_the_served_generation_looks_its_tables_up_in_sqlite(small, tmp_path):
    """The entity table and the vocabulary are read from lookup.sqlite on demand, not loaded
    from entities.json into every worker: a search works without it."""
    build_index(small, tmp_path)
    gen_dir = current_generation(tmp_path)
    (gen_dir / "entities.json").unlink()
    gen = generation.current(tmp_path)
    try:
        assert gen.entities["selter"] == entity_table(small)["selter"]
        assert gen.entities.get("nobody") is None and "nobody" not in gen.entities and "molotov" in gen.entities
        assert gen.entities.with_tokens({"karl", "selter"}) == {"selter"} == gen.entities.with_tokens({"selter"}, "person")
        assert gen.entities.with_tokens({"karl", "molotov"}) == set() == gen.entities.with_tokens({"selter"}, "place")
        assert gen.vocabulary.get("mobilizacija") == "mobilizācija" and gen.vocabulary.get("nothing") is None
        assert search(tmp_path, "Seltera").hits[0]["entities"] == ["selter"]
        assert search(tmp_path, "mobilizacjia").suggestion == "mobilizācija"
        assert search(tmp_path, "Selter").facets["person"] == [{"value": "selter", "label": "Karl Selter", "count": 2}]  # the passage, the entry
    finally:
        gen.close()


def test_a_generation_closes_the_files_its_searchers_opened(small, tmp_path):
    """Dropped, or closed, a generation leaves no file open for the garbage collector (a
    ResourceWarning, an error in this suite); a thread that ends closes its own."""
    import gc
    import threading
    build_index(small, tmp_path)
    gen = generation.Generation(current_generation(tmp_path))

    def opened() -> set[str]:
        import os
        fds = Path(f"/proc/{os.getpid()}/fd")
        out = set()
        for fd in fds.iterdir():
            try:
                out.add(os.readlink(fd))
            except OSError:
                pass
        return {p for p in out if p.startswith(str(tmp_path))}

    assert search_stored(gen) and opened()
    gen.close()
    assert opened() == set()
    worker = threading.Thread(target=search_stored, args=(gen,))
    worker.start()
    worker.join()
    gc.collect()
    assert opened() == set()
    search_stored(gen)
    del gen
    assert opened() == set()


def search_stored(gen) -> dict:
    return gen.stored("x:1.1.1")


def test_a_new_schema_version_makes_the_index_stale(small, tmp_path, monkeypatch):
    build_index(small, tmp_path)
    assert not is_stale(tmp_path, small.tei_dir)
    monkeypatch.setattr(store, "SCHEMA_VERSION", store.SCHEMA_VERSION + 1)
    assert is_stale(tmp_path, small.tei_dir)


def test_a_note_on_a_paragraph_is_indexed_after_its_first_sentence(make_tei):
    doc = DOC.replace('<p n="1">', '<p n="1" xml:id="x-p1">').replace(
        '</p></div>', '</p><note target="#x-p1" xml:id="x-n2">Paragrāfa piezīme</note></div>')
    rows = records(Corpus.load(make_tei(x__xml=doc, reg__xml=REGISTER)))
    note = next(r for r in rows if r["ref"] == "note:x-n2")
    assert note["targets"] == ["x:1.1"] and note["order"] == next(r["order"] for r in rows if r["ref"] == "x:1.1.1")


def test_a_note_is_found_in_the_language_it_declares_else_english(make_tei):
    doc = DOC.replace('</p></div>', '</p><note target="#x-s1" xml:id="x-n3" xml:lang="lv">Kareivju skaits</note></div>')
    rows = {r["ref"]: r for r in records(Corpus.load(make_tei(x__xml=doc, reg__xml=REGISTER)))}
    assert rows["note:x-n3"]["lang"] == "lv" and rows["note:x-n3"]["text_lv"] == "Kareivju skaits"
    assert rows["note:x-1"]["lang"] == "en" and "text_en" in rows["note:x-1"]


def test_entity_table_lists_every_name_analysed(small):
    table = entity_table(small)
    assert table["molotov"] == {"kind": "person", "label": "Vyacheslav Molotov", "labels": {"en": "Vyacheslav Molotov"},
                                "tokens": ["molotov", "vyacheslav"]}


@pytest.fixture()
def ram(small):
    """The small corpus in an in-memory index."""
    ix = RamStorage().create_index(make_schema())
    with ix.writer() as w:
        for row in records(small):
            w.add_document(**{k: v for k, v in row.items() if v not in ("", [], None)})
    return ix, entity_table(small)


def compiled(ram, q):
    ix, entities = ram
    with ix.searcher() as s:
        comp = Compiler(s.reader(), entities)
        query = comp.compile(parse(q))
        return [h["ref"] for h in s.search(query)], comp.marks


def test_a_word_is_looked_for_in_every_analysis_and_marks_what_it_met(ram):
    refs, marks = compiled(ram, "Seltera")
    assert refs == ["x:1.1.1", "entity:selter"]  # the passage, and the register entry
    assert marks.terms["text_lv"] == {"selter"} and marks.entities == {"selter"}


def test_a_phrase_marks_its_run_of_words(ram):
    refs, marks = compiled(ram, '"sarunu kārta"')
    assert refs == ["x:1.head"]  # a heading is found: here a passage of its own (docs/text-model.md)
    refs, marks = compiled(ram, '"35 000 kareivju"')
    assert refs == ["x:1.1.1"] and ("35", "000", "kareivju") in marks.phrases["words"]


def test_numbers_and_dates_become_their_fields(ram):
    assert compiled(ram, "35,000")[0] == ["x:1.1.1"]
    refs, marks = compiled(ram, "1939-09-27")
    assert refs == ["x:1.1.1"] and marks.dates == {"1939-09-27"}
    assert compiled(ram, "date:1939-09-01..1939-09-30")[0] == ["x:1.1.1"]
    assert compiled(ram, "date:1941")[0] == []
