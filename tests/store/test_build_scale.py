"""The build at scale (issue 10): what the build asks of the corpus for every passage or entry
is a lookup (no scan of every note or file), the multiprocessing index writer gives the same
answers as the single writer, and the command line shows progress and a summary."""

from __future__ import annotations

import json
from pathlib import Path

from pactarchive import cli
from pactarchive.corpus import Corpus
from pactarchive.search import indexer, records, search

ROOT = Path(__file__).resolve().parents[2]


def test_notes_for_is_the_notes_annotating_the_passage_in_corpus_order(corpus):
    for ref in {t for n in corpus.notes for t in n.targets} | {"lv:1.1.1", "hen:1"}:
        assert corpus.notes_for(ref) == [n for n in corpus.notes if ref in n.targets]


def test_notes_for_follows_a_replaced_notes_list(corpus):
    copy = Corpus(corpus.tei_dir)
    copy.notes = list(corpus.notes)
    some = next(t for n in corpus.notes for t in n.targets)
    assert copy.notes_for(some)
    copy.notes = []
    assert copy.notes_for(some) == []


def test_register_files_are_read_once_per_corpus(corpus, monkeypatch):
    calls = []
    roots = corpus.roots

    def counted():
        calls.append(1)
        return roots()
    fresh = Corpus.load(corpus.tei_dir)
    monkeypatch.setattr(fresh, "roots", counted)
    names = {records._register_file(fresh, e.file) for e in fresh.entities.values()}
    assert ("register", "Register") not in names and len(calls) == 1


def test_note_order_is_that_of_the_first_record_below_it():
    rows = [{"ref": "d:1.1", "order": 5}, {"ref": "d:1.2", "order": 3}, {"ref": "d:2.1", "order": 9},
            {"ref": "e.x:1", "order": 1}]
    order = records._orders(rows)
    assert [order(r) for r in ("d:1.1", "d:1", "d:2", "d:3", "d", "e.x", "e")] == [5, 3, 9, 0, 0, 0, 1]
    scan = {r["ref"]: r["order"] for r in rows}  # the definition: the smallest order of a ref below
    for ref in ("d:1", "d:2", "d", "e", "e.x", "d:1.1.1"):
        assert order(ref) == min((o for r, o in scan.items() if r.startswith(ref + ".")), default=0)


def _search_all(ix: Path, queries) -> list:
    found = [search(ix, q, size=100) for q in queries]
    return [(r.total, json.dumps(r.hits, sort_keys=True, default=str), json.dumps(r.facets, sort_keys=True)) for r in found]


def test_the_multiprocessing_writer_answers_as_the_single_writer(corpus, tmp_path, monkeypatch):
    queries = ["Soviet", "Molotovs", "\"mutual assistance\"", "okupāc*", "1939-09-28", "person:selter"]
    monkeypatch.setattr(indexer, "PARALLEL_RECORDS", 1)
    one = indexer.build_index(corpus, tmp_path / "one").generation  # not asked for: one writer
    two = indexer.build_index(corpus, tmp_path / "two", parallel=True).generation
    # really written by several processes: more segments (one term index, *.trm, each)
    assert len(list(two.glob("*.trm"))) > len(list(one.glob("*.trm"))) >= 1
    assert _search_all(tmp_path / "two", queries) == _search_all(tmp_path / "one", queries)
    assert [r[0] for r in _search_all(tmp_path / "two", queries)][:2] != [0, 0]


def test_build_prints_stages_and_a_summary_when_not_on_a_terminal(make_tei, tmp_path, capsys):
    tei = make_tei("aligned_a.xml", "aligned_b.xml")
    assert cli.main(["build", "--no-validate", "--tei", str(tei), "--index", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr()
    for stage in ("Reading files: 2 in", "Linking across files: 1 in", "Making search records: 2 in", "Indexing records:", "Writing the index: 1 in",
                  "Compiling the store: 2 in"):
        assert stage in out.err
    assert "\r" not in out.err and "\x1b" not in out.err  # plain lines, no terminal control
    assert "Built index: 2 documents," in out.out and "2 files read" in out.out


def test_progress_on_a_terminal_draws_a_bar_per_stage(monkeypatch):
    import io

    from rich.console import Console
    screen = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(file=screen, force_terminal=True, width=100))
    with cli._Progress(tty=True) as progress:
        for i in range(1, 4):
            progress("reading", i, 3)
        progress("indexing", 1, 10)
    text = screen.getvalue()
    assert "Reading files" in text and "3/3" in text and "Indexing records" in text
