"""Corpus -> Whoosh index, built into a new generation and swapped in on success.

``build_index`` writes the Whoosh index, the tables the query side needs and a small SQLite
lookup (``lookup.sqlite``: Whoosh document number, ref and facet values of every passage) into
a new generation; ``extra(tmp)``, when given, writes more into that generation before it is
swapped in (the build pipeline, build.py, compiles the edition store there).

Incremental: given the generation being served (``previous``, built by the same code), the new
generation starts as hard links to its Whoosh files (segments are never written again once
committed: Whoosh keeps deletions in its table of contents), deletes the records of every unit
whose records changed (a document, a note, a register entry: ``records.unit_of``; a unit's
records are compared by their SHA-256) and adds the new ones as one new segment. The lookup is
copied and updated the same way. Whoosh counts the deleted records in its statistics until it
merges segments; searches score with those of the records not deleted (``ranking.LiveBM25F``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from ..corpus import Corpus
from . import store
from .generation import ENTITIES, LOOKUP, update_vocabulary, write_lookup
from .records import document_positions, entity_table, passages, records, unit_of, written_forms
from .schema import make_schema


@dataclass
class BuildResult:
    documents: int
    passages: int
    seconds: float
    generation: Path
    units: int = 0  # documents, notes and register entries (``records.unit_of``)
    reindexed: int = 0  # units whose records were (re)indexed: all of them in a full build
    incremental: bool = False  # the previous generation's segments were reused


# An incremental build adds a segment; past this many, or when a quarter of the records are
# deleted ones, the next build is a full one (searches read every segment and skip the deleted
# records; BM25's statistics of the records not deleted cost more to compute the more are deleted).
MAX_SEGMENTS = 12
MAX_DELETED = 0.25


def build_index(corpus: Corpus, index_dir: Path, progress: Callable[[str, int, int], None] | None = None,
                extra: Callable[[Path], dict] | None = None, parallel: bool = False,
                previous: Path | None = None) -> BuildResult:
    """Index every passage of ``corpus`` into a new generation under ``index_dir`` and make it
    current. ``extra(generation_dir)`` runs before the swap; the dict it returns is added to
    the manifest. ``progress(stage, done, total)`` is told of the records made (``"records"``,
    per document), indexed (``"indexing"``, per record) and committed (``"committing"``, 0 or 1
    of 1). ``parallel`` lets Whoosh's
    multiprocessing writer write a large index (see ``PARALLEL_RECORDS``): it forks, so only a
    process without other threads should ask for it (the command line, not a server's rebuild).
    ``previous``: a generation built by this same code, whose unchanged units are reused (see
    the module; the caller vouches for the code, ``build.py`` compares fingerprints); None, or
    one that cannot be reused, means a full build.
    On any failure the new generation is discarded, the current one is kept and the error is
    raised again."""
    started = time.perf_counter()
    before = PreviousIndex.open(previous)
    positions = document_positions(list(corpus.documents), before.positions if before else None)
    rows = list(records(corpus, progress, positions))
    count = passages(rows)
    units = unit_hashes(rows)
    tmp = store.new_generation(index_dir)
    try:
        if before:
            reindexed = _update(tmp, before, rows, units, progress)
        else:
            _write(tmp, rows, progress, None if parallel else 1)
            reindexed = len(units)
        written = written_forms(rows)
        rows = None  # the records are written: free them before the store is compiled (peak memory)
        table = entity_table(corpus)
        _dump(tmp / ENTITIES, table)
        write_lookup(tmp, table, {d.id: d.title for d in corpus.documents.values()},
                     previous=before.path if before else None, written=written)
        _write_units(tmp / LOOKUP, units, positions)
        manifest = {"schema_version": store.SCHEMA_VERSION, "files": store.tei_manifest(corpus.tei_dir, corpus),
                    "documents": len(corpus.documents), "passages": count,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "index": {"incremental": bool(before), "units": len(units), "reindexed": reindexed}}
        manifest.update(extra(tmp) if extra else {})
        final = store.publish(index_dir, tmp, manifest)
    except BaseException:
        store.discard(tmp)
        raise
    return BuildResult(len(corpus.documents), count, time.perf_counter() - started, final,
                       len(units), reindexed, bool(before))


def patch_index(tmp: Path, before: "PreviousIndex", rows: list[dict], units: set[str], progress=None) -> tuple[int, int]:
    """Make the empty generation ``tmp`` the index of ``before`` (``PreviousIndex.open``: one
    that can be extended) with the records of
    ``units`` (``records.unit_of``) replaced by ``rows`` (every record of those units, made
    again), as ``build_index`` extends a generation, but without the records of any other
    unit: those are known unchanged (``pactarchive.incremental`` checks it). The lookup, the
    written forms and the vocabulary are copied and updated by what the replaced records held
    and what ``rows`` hold; the entity table, the titles and the documents' positions are
    the previous ones. Returns (units, units reindexed). Raises OSError or sqlite3.Error when
    writing fails."""
    fresh = unit_hashes(rows)
    hashes = {u: h for u, h in before.units.items() if u not in units or u in fresh}
    hashes.update(fresh)
    old_texts = _stored_texts(before.path, units)
    reindexed = _update(tmp, before, rows, hashes, progress)
    os.link(before.path / ENTITIES, tmp / ENTITIES)
    write_lookup(tmp, None, None, previous=before.path)  # the same entities and titles
    delta = written_forms(rows)
    delta.subtract(written_forms({"text": t} for t in old_texts))
    update_vocabulary(tmp / LOOKUP, delta)
    _write_units(tmp / LOOKUP, hashes, before.positions)
    return len(hashes), reindexed


def _stored_texts(gen: Path, units: set[str]) -> list[str]:
    """The stored text of every record of ``units`` in the generation ``gen``."""
    docnums = _docnums(gen, units)
    ix = whoosh_index.open_dir(str(gen))
    try:
        with ix.searcher() as s:
            return [s.reader().stored_fields(n).get("text") or "" for n in docnums]
    finally:
        ix.close()


def _docnums(gen: Path, units: set[str]) -> list[int]:
    """The Whoosh document numbers of every record of ``units`` in the generation ``gen``, by
    its lookup's index on ``unit`` (a few units of 76,000: not a scan of every row)."""
    found: list[int] = []
    if not units:
        return found
    db = sqlite3.connect(f"{(gen / LOOKUP).resolve().as_uri()}?mode=ro", uri=True)
    try:
        chosen = sorted(units)
        for i in range(0, len(chosen), 500):  # (SQLite's bound-parameter limit is 999 on old builds)
            part = chosen[i:i + 500]
            found += [n for (n,) in db.execute(f"SELECT docnum FROM passages WHERE unit IN ({','.join('?' * len(part))})", part)]
    finally:
        db.close()
    return found


def unit_hashes(rows: list[dict]) -> dict[str, str]:
    """Unit (``records.unit_of``) -> SHA-256 of its records (JSON, keys sorted), in the order of
    ``rows``: two builds that make equal records for a unit index it identically."""
    hashes: dict[str, "hashlib._Hash"] = {}
    for row in rows:
        h = hashes.get(unit := unit_of(row))
        if h is None:
            h = hashes[unit] = hashlib.sha256()
        h.update(json.dumps(row, sort_keys=True, ensure_ascii=False, default=list).encode())
    return {u: h.hexdigest() for u, h in hashes.items()}


@dataclass
class PreviousIndex:
    """What an incremental build reads of the generation it starts from (``open``)."""
    path: Path
    positions: dict[str, int]
    units: dict[str, str]

    @classmethod
    def open(cls, path: Path | None) -> "PreviousIndex | None":
        """None when ``path`` is None or its index cannot be extended (an older layout,
        too many segments or deleted records)."""
        if path is None or not (Path(path) / LOOKUP).is_file():
            return None
        try:
            db = sqlite3.connect(f"{(Path(path) / LOOKUP).resolve().as_uri()}?mode=ro", uri=True)
            try:
                positions = dict(db.execute("SELECT doc, position FROM positions"))
                units = dict(db.execute("SELECT unit, hash FROM units"))
            finally:
                db.close()
            ix = whoosh_index.open_dir(str(path))
            try:
                segments = ix._segments()
                total = sum(s.doc_count_all() for s in segments)
                deleted = sum(s.deleted_count() for s in segments)
            finally:
                ix.close()
        except (sqlite3.Error, OSError, ValueError, whoosh_index.IndexError):
            return None
        if len(segments) >= MAX_SEGMENTS or (total and deleted / total > MAX_DELETED):
            return None
        return cls(Path(path), positions, units)


def _update(tmp: Path, before: PreviousIndex, rows: list[dict], units: dict[str, str], progress) -> int:
    """Make ``tmp`` the index of ``before`` with the records of every changed or removed unit
    deleted and those of every changed or new unit added (one new segment). Returns how many
    units were (re)indexed."""
    changed = {u for u, h in units.items() if before.units.get(u) != h}
    stale = changed | (set(before.units) - set(units))
    for f in before.path.iterdir():  # Whoosh's files: the segments and the table of contents
        if f.is_file() and f.name.startswith(("_", "MAIN")) and not f.name.endswith("WRITELOCK"):
            os.link(f, tmp / f.name)
    docnums = _docnums(before.path, stale)
    fresh = [r for r in rows if unit_of(r) in changed]
    ix = whoosh_index.open_dir(str(tmp))
    try:
        writer = ix.writer(limitmb=LIMIT_MB, compound=False)  # as _write: read as needed, not copied whole
        try:
            for n in docnums:
                writer.delete_document(n)
            for i, row in enumerate(fresh, 1):
                writer.add_document(**_fields(row))
                if progress:
                    progress("indexing", i, len(fresh))
            if progress:
                progress("committing", 0, 1)
            writer.commit(merge=False)  # keep every document number: the lookup is copied
        except BaseException:
            writer.cancel()
            raise
        if progress:
            progress("committing", 1, 1)
    finally:
        ix.close()
    return len(changed)


def _write_units(lookup: Path, units: dict[str, str], positions: dict[str, int]) -> None:
    """The hash of every unit's records and the position of every document (what the next
    incremental build compares and keeps), into the generation's lookup."""
    db = sqlite3.connect(lookup)
    try:
        with db:
            db.executescript("DROP TABLE IF EXISTS units; DROP TABLE IF EXISTS positions;"
                             "CREATE TABLE units (unit TEXT PRIMARY KEY, hash TEXT NOT NULL);"
                             "CREATE TABLE positions (doc TEXT PRIMARY KEY, position INTEGER NOT NULL);")
            db.executemany("INSERT INTO units VALUES (?, ?)", units.items())
            db.executemany("INSERT INTO positions VALUES (?, ?)", positions.items())
    finally:
        db.close()


def _fields(row: dict) -> dict:
    return {k: v for k, v in row.items() if v not in ("", [], None)}


# From this many records on, the index is written by Whoosh's multiprocessing writer: each of
# ``procs`` processes analyses and writes a segment of its own (no final merge: a search reads
# every segment; scores use the statistics of the whole index, and ties are ranked by reading
# order, not by document number). Below it, starting processes costs more than it saves.
PARALLEL_RECORDS = 5000
LIMIT_MB = 256  # memory for each writer's posting pool before it spills to a temporary file


def _write(path: Path, rows: list[dict], progress, procs: int | None = None) -> None:
    """Add ``rows`` to a new Whoosh index in ``path``: one writer, or ``procs`` processes
    (default: one per core, at most 4, when there are ``PARALLEL_RECORDS`` rows or more)."""
    if procs is None:
        procs = min(os.cpu_count() or 1, 4) if len(rows) >= PARALLEL_RECORDS else 1
    ix = whoosh_index.create_in(str(path), make_schema())
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    try:
        with ix.writer(limitmb=LIMIT_MB, compound=False, **options) as writer:  # an exception inside cancels the writer
            for i, row in enumerate(rows, 1):
                writer.add_document(**_fields(row))
                if progress:
                    progress("indexing", i, len(rows))
            if progress:  # the writer's commit sorts and writes the postings: long for a large index
                progress("committing", 0, 1)
        if progress:
            progress("committing", 1, 1)
    finally:
        ix.close()


def _dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
