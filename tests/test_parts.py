"""A large archive is built one part at a time (pactarchive.parts, build.build_in_parts): the
plan never splits files that link with each other, and a build in parts makes the generation a
build of the whole archive makes — the same store rows, search records, problems and manifest.
Real data: the edition's tei/ (in a folder of its own), the real-world samples and the cases of
../shared/cases, each in its folder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from pactarchive import cli, parts
from pactarchive.build import build, build_in_parts
from pactarchive.corpus import Corpus
from pactarchive.errors import CorpusError
from pactarchive.search import search
from pactarchive.search.store import current_generation
from pactarchive.store.compile import Relative
from pactarchive.store.interface import file_links

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent.parent / "shared" / "cases"
if not CASES.is_dir():
    CASES = Path("/work/shared/cases")


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """tei/ in edition/, every sample and every case (its tei/) in a folder of its own."""
    root = tmp_path_factory.mktemp("archive")
    shutil.copytree(ROOT / "tei", root / "edition")
    for sample in sorted((ROOT / "tests" / "samples").iterdir()):
        if sample.is_dir():
            shutil.copytree(sample, root / sample.name)
    for case in sorted(CASES.glob("*/tei")):
        shutil.copytree(case, root / f"case-{case.parent.name}")
    return root


@pytest.fixture(scope="module")
def whole_and_parts(archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("builds")
    build(Corpus.load(archive), out / "whole")
    plan = parts.plan(archive, part_bytes=1)
    made = build_in_parts(archive, plan.parts, out / "parts")
    return current_generation(out / "whole"), current_generation(out / "parts"), plan, made


def test_the_plan_never_splits_what_the_corpus_links(archive):
    plan = parts.plan(archive, part_bytes=1)
    assert len(plan.parts) >= 10 and sum(plan.parts, []) == plan.files  # runs, in reading order, every file once
    part_of = {f: i for i, p in enumerate(plan.parts) for f in p}
    corpus = Corpus.load(archive)
    rel = Relative(archive)
    by_rel = {rel(f): part_of[f] for f in plan.files}
    links = file_links(corpus, rel)
    assert len(links) >= 15  # alignment, register, bibliography, prefixDef pointers, CTS versions
    assert [(a, b) for a, b in links if by_rel[a] != by_rel[b]] == []
    edition = {part_of[f] for f in plan.files if f.parent.name == "edition"}
    assert len(edition) == 1  # hen, lv, lv-en, the register, the bibliography, the alignment link each other


def _rows(db: Path, skip: dict) -> dict[str, list]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        out = {}
        for t in tables:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] not in skip.get(t, ())]
            out[t] = sorted(map(repr, con.execute(f"SELECT {', '.join(columns)} FROM {t}")))
        return out
    finally:
        con.close()


def _records(gen: Path) -> list[str]:
    ix = whoosh_index.open_dir(str(gen))
    try:
        with ix.searcher() as s:
            return sorted(json.dumps(f, sort_keys=True, default=str) for f in s.all_stored_fields())
    finally:
        ix.close()


def test_a_build_in_parts_makes_what_the_whole_build_makes(whole_and_parts):
    whole, in_parts, plan, made = whole_and_parts
    store_whole, store_parts = _rows(whole / "store.sqlite", {}), _rows(in_parts / "store.sqlite", {})
    assert sorted(store_whole) == sorted(store_parts)
    for table in store_whole:
        assert store_whole[table] == store_parts[table], table
    assert len(store_whole["passages"]) > 1300 and store_whole["dated"] and store_whole["notes"]
    # Whoosh's document numbers depend on the order records were written in (ties are ranked
    # by reading order, never by them): everything else of the lookup is the same
    skip = {"passages": ("docnum",)}
    assert _rows(whole / "lookup.sqlite", skip) == _rows(in_parts / "lookup.sqlite", skip)
    assert _records(whole) == _records(in_parts)
    assert (whole / "problems.json").read_text() == (in_parts / "problems.json").read_text()
    m_whole, m_parts = (json.loads((g / "manifest.json").read_text()) for g in (whole, in_parts))
    for key in ("files", "documents", "passages", "store", "store_version", "schema_version", "index"):
        assert m_whole[key] == m_parts[key], key
    assert made.result.documents == m_whole["documents"] and len(made.coverage) == m_whole["documents"]


def test_a_search_finds_the_same_in_both(whole_and_parts):
    whole, in_parts, *_ = whole_and_parts
    for query in ("Soviet", "Estonia", "ἀνδρες", "\"mutual assistance\"", "lēm*"):
        a, b = search(whole.parent, query), search(in_parts.parent, query)
        assert (a.total, [h["ref"] for h in a.hits]) == (b.total, [h["ref"] for h in b.hits]), query


def test_files_that_link_stay_in_one_part_with_what_lies_between(make_tei):
    """A pointer by prefixDef into another folder, a bare id, a CTS work shared: one part,
    with the files between them (a part is a run in reading order); the rest apart."""
    tei = make_tei()
    (tei / "a").mkdir(); (tei / "b").mkdir(); (tei / "c").mkdir(); (tei / "d").mkdir()
    head = ('<teiHeader><fileDesc><titleStmt><title>{t}</title></titleStmt><publicationStmt><p/>'
            '</publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>{extra}</teiHeader>')
    doc = ('<TEI xmlns="http://www.tei-c.org/ns/1.0">' + head + '<text><body><p>{body}</p></body></text></TEI>')
    (tei / "a" / "people.xml").write_text(doc.format(t="People", extra="", body='<persName xml:id="p-aino">Aino</persName>'))
    (tei / "b" / "other.xml").write_text(doc.format(t="Other", extra="", body="Nothing here."))
    prefix = ('<encodingDesc><listPrefixDef><prefixDef ident="psn" matchPattern="([a-z-]+)" '
              'replacementPattern="../a/people.xml#$1"/></listPrefixDef></encodingDesc>')
    (tei / "c" / "letter.xml").write_text(doc.format(t="Letter", extra=prefix, body='<persName ref="psn:p-aino">Aino</persName>'))
    (tei / "d" / "alone.xml").write_text(doc.format(t="Alone", extra="", body='<persName ref="p-nobody">Nobody</persName>'))
    plan = parts.plan(tei, part_bytes=1)
    names = [[f.relative_to(tei).as_posix() for f in p] for p in plan.parts]
    assert names == [["a/people.xml", "b/other.xml", "c/letter.xml"], ["d/alone.xml"]]
    (tei / "d" / "alone.xml").write_text(doc.format(t="Alone", extra="", body='<persName ref="p-aino">Aino</persName>'))
    assert len(parts.plan(tei, part_bytes=1).parts) == 1  # a bare id: the one file declaring it


def test_the_command_builds_a_large_archive_in_parts(archive, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(parts, "PART_BYTES", 1)
    index = tmp_path / "index"
    assert cli.main(["build", "--no-validate", "--tei", str(archive), "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert " parts, " in out and "Built index: 19 documents" in out, out
    assert search(index, "Molotov").total > 0
    assert cli.main(["build", "--no-validate", "--tei", str(archive), "--index", str(index)]) == 0
    assert "Index up to date" in capsys.readouterr().out


def test_an_error_in_one_part_publishes_nothing(archive, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(parts, "PART_BYTES", 1)
    broken = tmp_path / "tei"
    shutil.copytree(archive, broken)
    index = tmp_path / "index"
    assert cli.main(["build", "--no-validate", "--tei", str(broken), "--index", str(index)]) == 0
    served = current_generation(index)
    (broken / "zz-broken").mkdir()
    (broken / "zz-broken" / "bad.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>')
    capsys.readouterr()
    assert cli.main(["build", "--no-validate", "--full", "--tei", str(broken), "--index", str(index)]) == 1
    err = capsys.readouterr().err
    assert "zz-broken/bad.xml:1:48: error: not well-formed XML" in err and "nothing was changed" in err
    assert current_generation(index) == served and len(list(index.glob("gen-*"))) == 1
    assert not list(index.glob(".building-*"))  # the new generation discarded
    with pytest.raises(CorpusError):  # every error of the archive, after reading all of it
        build_in_parts(broken, parts.plan(broken, part_bytes=1).parts, index)


def test_a_generation_built_in_parts_is_extended_by_a_part_rebuild(archive, tmp_path):
    """What the part rebuild (pactarchive.incremental) reads of the generation, the files'
    interfaces and links, a build in parts writes too: one changed sentence is rebuilt from it,
    reading only the edition's files, and searches find the new words."""
    from pactarchive import incremental
    tei = tmp_path / "tei"
    shutil.copytree(archive, tei)
    index = tmp_path / "index"
    build_in_parts(tei, parts.plan(tei, part_bytes=1).parts, index)
    hen = tei / "edition" / "hen.xml"
    hen.write_text(hen.read_text(encoding="utf-8").replace("30,000 troops", "30,000 soldiers", 1), encoding="utf-8")
    done = incremental.rebuild_changed(tei, index)
    assert done is not None and [d.id for d in done.documents] == ["hen"]
    assert {f.parent.name for f in done.corpus.files} == {"edition"}
    assert [h["ref"] for h in search(index, '"30,000 soldiers"').hits][:1] == ["hen:1.1.5"] or \
        search(index, '"30,000 soldiers"').total == 1


def test_the_servers_watcher_builds_a_large_archive_in_parts(archive, tmp_path, monkeypatch, caplog):
    """The watcher of a server (web/source.py) rebuilds a large archive part by part too; an
    error keeps the generation being served."""
    import logging

    from pactarchive.web import source
    monkeypatch.setattr(parts, "PART_BYTES", 1)
    tei = tmp_path / "tei"
    shutil.copytree(archive, tei)
    index = tmp_path / "index"
    watcher = source.EditionSource(tei, index, logging.getLogger("test"), watch=True, every=0)
    with caplog.at_level(logging.INFO, logger="test"):
        watcher._build()
    assert "documents" in caplog.text and " parts" in caplog.text, caplog.text
    served = current_generation(index)
    assert served is not None and search(index, "Molotov").total > 0
    (tei / "zz-broken").mkdir()
    (tei / "zz-broken" / "bad.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>')
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="test"):
        watcher._build()
    assert "previous generation is still served" in caplog.text and current_generation(index) == served
    assert any("bad.xml" in p.file for p in watcher.last_problems)
