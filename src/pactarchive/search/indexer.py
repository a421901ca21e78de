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

import gc
import hashlib
import json
import os
import sqlite3
import time
from collections import Counter
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
    raised again. (``IndexBuild`` does the same part by part.)"""
    build = IndexBuild(index_dir, previous, parallel)
    try:
        build.add(corpus, progress)
        return build.publish(corpus, extra, progress)
    except BaseException:
        build.discard()
        raise


class IndexBuild:
    """A new generation's index made from the archive part by part (``pactarchive.parts``):
    ``add`` each part's corpus in reading order, then ``publish`` (or ``discard``). Only the
    records of one part are held at a time; what spans the archive (documents' positions,
    register entries' numbers, note keys, units' hashes, written forms, entities, titles) is
    carried from part to part. ``previous`` and ``parallel`` as ``build_index``; ``large``:
    the archive is known to be large (built in parts): a full build's writer then starts its
    processes at once, before any part is read (a forked process is charged with every page
    of memory its parent holds when it forks)."""

    def __init__(self, index_dir: Path, previous: Path | None = None, parallel: bool = False, large: bool = False):
        self.started = time.perf_counter()
        self.index_dir = Path(index_dir)
        self.parallel = parallel
        self.before = PreviousIndex.open(previous)
        self.positions: dict[str, int] = {}
        self.units: dict[str, str] = {}
        self.written: Counter = Counter()
        self.table: dict[str, dict] = {}
        self.titles: dict[str, str] = {}
        self.note_keys: Counter = Counter()
        self.documents = self.passages = self.entries = self.reindexed = 0
        self._ix = self._writer = None
        self.tmp = store.new_generation(self.index_dir)
        if self.before:
            _link_segments(self.before.path, self.tmp)
        elif large and parallel:
            self._ix = whoosh_index.create_in(str(self.tmp), make_schema())
            self._writer = _new_writer(self._ix, PARALLEL_RECORDS)
            while hasattr(self._writer, "tasks") and len(self._writer.tasks) < self._writer.procs:
                self._writer._new_task()  # (whoosh.multiproc.MpWriter starts them at its first batch otherwise)

    def add(self, corpus: Corpus, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Make the records of a part (the next one in reading order) and index those of
        every new or changed unit."""
        last = max(self.positions.values(), default=-1)
        positions = document_positions(list(corpus.documents), self.before.positions if self.before else None, last)
        rows = records(corpus, progress, positions, self.entries, self.note_keys)
        self.positions.update(positions)
        self.documents += len(corpus.documents)
        self.passages += passages(rows)
        self.entries += sum(1 for r in rows if r.get("kind") == "register")
        units = unit_hashes(rows)
        self.units.update(units)
        if self.before:
            changed = _changed(units, self.before)[0]
            rows_to_index = [r for r in rows if unit_of(r) in changed]
            self.reindexed += len(changed)
        else:
            rows_to_index = rows
            self.reindexed += len(units)
        self._index(rows_to_index, progress)
        self.written.update(written_forms(rows))
        rows = rows_to_index = None  # the records are written: free them before the store is compiled (peak memory)
        self.table.update((k, v) for k, v in entity_table(corpus).items() if k not in self.table)
        self.titles.update((d.id, d.title) for d in corpus.documents.values())

    def _index(self, rows: list[dict], progress) -> None:
        if self._writer is None:
            if self.before:
                self._ix = whoosh_index.open_dir(str(self.tmp))
                # as a full build: postings read as needed, not copied whole
                self._writer = self._ix.writer(limitmb=LIMIT_MB, compound=False)
            else:
                self._ix = whoosh_index.create_in(str(self.tmp), make_schema())
                self._writer = _new_writer(self._ix, len(rows), None if self.parallel else 1)
        frozen = hasattr(self._writer, "tasks") and len(self._writer.tasks) < self._writer.procs
        if frozen:  # the writer forks its processes while these rows are added: keep the cyclic
            gc.freeze()  # garbage collector of those processes off this part's objects (copy on write)
        try:
            for i, row in enumerate(rows, 1):
                self._writer.add_document(**_fields(row))
                if progress:
                    progress("indexing", i, len(rows))
        finally:
            if frozen:
                gc.unfreeze()

    def _commit(self, progress) -> None:
        if self._writer is None:
            self._index([], None)
        if self.before:
            for n in _docnums(self.before.path, _changed(self.units, self.before)[1]):
                self._writer.delete_document(n)
        if progress:  # the writer's commit sorts and writes the postings: long for a large index
            progress("committing", 0, 1)
        writer, self._writer = self._writer, None
        if self.before:
            writer.commit(merge=False)  # keep every document number: the lookup is copied
        else:
            writer.commit()
        self._ix.close()
        self._ix = None
        if progress:
            progress("committing", 1, 1)

    def publish(self, summary: Corpus, extra: Callable[[Path], dict] | None = None,
                progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
        """Commit the index, write the lookup and the manifest (of the files ``summary`` says
        were read: ``store.tei_manifest``), run ``extra(generation)`` and make the generation
        current. Raises what writing raised; the caller then ``discard``s."""
        self._commit(progress)
        before = self.before
        _dump(self.tmp / ENTITIES, self.table)
        write_lookup(self.tmp, self.table, self.titles, previous=before.path if before else None, written=self.written)
        self.written = None
        _write_units(self.tmp / LOOKUP, self.units, self.positions)
        manifest = {"schema_version": store.SCHEMA_VERSION, "files": store.tei_manifest(summary.tei_dir, summary),
                    "documents": self.documents, "passages": self.passages,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "index": {"incremental": bool(before), "units": len(self.units), "reindexed": self.reindexed}}
        manifest.update(extra(self.tmp) if extra else {})
        final = store.publish(self.index_dir, self.tmp, manifest)
        return BuildResult(self.documents, self.passages, time.perf_counter() - self.started, final,
                           len(self.units), self.reindexed, bool(before))

    def discard(self) -> None:
        """Give up: the writer cancelled, the new generation removed (the current one stays)."""
        try:
            if self._writer is not None:
                self._writer.cancel()
                for task in getattr(self._writer, "tasks", ()):  # (MpWriter's cancel does not reach
                    task.terminate()  # its processes: they would wait for work for ever)
                    task.join()
        finally:
            self._writer = None
            if self._ix is not None:
                self._ix.close()
            store.discard(self.tmp)


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
    changed, stale = _changed(units, before)
    _link_segments(before.path, tmp)
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


def _changed(units: dict[str, str], before: PreviousIndex) -> tuple[set[str], set[str]]:
    """(units whose records are new or changed since ``before``, units whose records in
    ``before`` are to be deleted: the changed ones and those gone)."""
    changed = {u for u, h in units.items() if before.units.get(u) != h}
    return changed, changed | (set(before.units) - set(units))


def _link_segments(source: Path, target: Path) -> None:
    """Hard-link Whoosh's files of the generation ``source`` (its segments and table of
    contents: never written again once committed) into the new generation ``target``."""
    for f in source.iterdir():
        if f.is_file() and f.name.startswith(("_", "MAIN")) and not f.name.endswith("WRITELOCK"):
            os.link(f, target / f.name)


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


def _new_writer(ix, rows: int, procs: int | None = None):
    """A writer for a new index: one, or ``procs`` processes (default: one per core, at most 4,
    when there are ``PARALLEL_RECORDS`` ``rows`` or more)."""
    if procs is None:
        procs = min(os.cpu_count() or 1, 4) if rows >= PARALLEL_RECORDS else 1
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    return ix.writer(limitmb=LIMIT_MB, compound=False, **options)


def _write(path: Path, rows: list[dict], progress, procs: int | None = None) -> None:
    """Add ``rows`` to a new Whoosh index in ``path`` (``_new_writer``)."""
    ix = whoosh_index.create_in(str(path), make_schema())
    try:
        with _new_writer(ix, len(rows), procs) as writer:  # an exception inside cancels the writer
            for i, row in enumerate(rows, 1):
                writer.add_document(**_fields(row))
                if progress:
                    progress("indexing", i, len(rows))
    finally:
        ix.close()


def _dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
