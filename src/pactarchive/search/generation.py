"""The index generation being served, opened once per process and shared by its threads.

Opening a Whoosh searcher costs more than most searches, so each thread keeps one searcher
per generation (a searcher is not shared between threads). What the query side looks up for
each hit comes from the generation's files, not from memory: ``lookup.sqlite`` (written at
build time by ``write_lookup``) holds the Whoosh document number of each ref (aligned
passages), the facet values of each passage, the document titles, the entity table (kind,
labels, analysed name tokens, and an index from name token to entity) and the vocabulary
(folded word -> written form, for did-you-mean), read with one read-only SQLite connection per
thread. Counting facets from these is much faster than Whoosh's overlapping facets, which
re-read the postings on every search, and memory does not grow with the archive: a worker
holds the pages SQLite reads, in the OS page cache shared by every process.

A thread's searcher and connection are closed when the thread ends, when the generation is
dropped (``current`` keeps the last few; a generation still used by a request is dropped when
that request is done) or by ``Generation.close()``: with the index in separate segment files
(``indexer._write``), a searcher left to the garbage collector would leave its files open.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import weakref
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexMissing
from . import analysis, ranking, store
from .records import choose_forms, unit_of

ENTITIES = "entities.json"    # entity id -> kind, labels, analysed name tokens (read by write_lookup)
LOOKUP = "lookup.sqlite"      # passages (docnum, ref, facet values), titles, entities, vocabulary
FACETS = ("lang", "doc", "person", "place")
_CHUNK = 500  # docnums per facet query (SQLite's bound-parameter limit is 999 on old builds)
_lock = threading.Lock()
_open: dict[str, "Generation"] = {}


class _Handles:
    """One thread's open handles on one generation: its Whoosh searcher and its lookup.sqlite
    connection, each opened on first use. Closed by ``close()`` or when the last reference
    goes (the thread ended, or the generation was dropped)."""

    __slots__ = ("searcher", "lookup", "__weakref__")

    def __init__(self):
        self.searcher = None
        self.lookup = None

    def close(self) -> None:
        searcher, self.searcher = self.searcher, None
        lookup, self.lookup = self.lookup, None
        if searcher is not None:
            searcher.close()
        if lookup is not None:
            lookup.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit the modules may be gone already
            pass


class Generation:
    """An index generation (``path``) opened for searching: ``ix`` (Whoosh), ``entities`` and
    ``vocabulary`` (read-only mappings over lookup.sqlite), ``titles`` (document id -> title,
    ``.get``), a searcher and a lookup connection per thread."""

    def __init__(self, path: Path):
        self.path = path
        self.ix = whoosh_index.open_dir(str(path))
        self._local = threading.local()
        self._handles: "weakref.WeakSet[_Handles]" = weakref.WeakSet()  # every thread's (for close())
        self._handles_lock = threading.Lock()

    # made on each use, so that the generation holds no reference to itself: dropped, it is
    # freed at once (and its handles closed), not left for the cycle collector
    @property
    def entities(self) -> "Entities":
        return Entities(self.lookup)

    @property
    def vocabulary(self) -> "Vocabulary":
        return Vocabulary(self.lookup)

    @property
    def titles(self) -> "_Titles":
        return _Titles(self.lookup)

    def _mine(self) -> _Handles:
        h = getattr(self._local, "handles", None)
        if h is None:
            h = self._local.handles = _Handles()
            with self._handles_lock:
                self._handles.add(h)
        return h

    def searcher(self):
        """This thread's searcher of this generation."""
        h = self._mine()
        if h.searcher is None:
            h.searcher = self.ix.searcher(weighting=ranking.weighting())  # BM25F over the records not deleted
        return h.searcher

    def lookup(self) -> sqlite3.Connection:
        """This thread's read-only connection to the generation's lookup.sqlite."""
        h = self._mine()
        if h.lookup is None:
            uri = (self.path / LOOKUP).resolve().as_uri() + "?mode=ro&immutable=1"
            h.lookup = sqlite3.connect(uri, uri=True, check_same_thread=False)  # closed from any thread
        return h.lookup

    def close(self) -> None:
        """Close every thread's searcher and connection (a thread using the generation after
        this opens new ones)."""
        with self._handles_lock:
            handles = list(self._handles)
        for h in handles:
            h.close()

    def stored(self, ref: str) -> dict | None:
        """The stored fields of the passage ``ref`` (None when it is not indexed)."""
        row = self.lookup().execute("SELECT docnum FROM passages WHERE ref = ?", (ref,)).fetchone()
        return self.searcher().stored_fields(row[0]) if row else None

    def facet_counts(self, docnums) -> dict[str, Counter]:
        """Facet value -> number of the passages ``docnums`` that have it, per facet."""
        counts = {name: Counter() for name in FACETS}
        docnums = list(docnums)
        for i in range(0, len(docnums), _CHUNK):
            chunk = docnums[i:i + _CHUNK]
            rows = self.lookup().execute(f"SELECT lang, doc, persons, places FROM passages WHERE docnum IN "
                                         f"({','.join('?' * len(chunk))})", chunk)
            for lang, doc, persons, places in rows:
                counts["lang"][lang] += 1
                counts["doc"][doc] += 1
                counts["person"].update(persons.split())
                counts["place"].update(places.split())
        return counts


class _Titles:
    """Document id -> title, looked up in lookup.sqlite (``.get``)."""

    def __init__(self, lookup):
        self._lookup = lookup  # () -> this thread's connection

    def get(self, doc_id: str, default=None):
        row = self._lookup().execute("SELECT title FROM titles WHERE doc = ?", (doc_id,)).fetchone()
        return row[0] if row else default


class Entities:
    """The entity table of a generation as a read-only mapping: entity id -> ``{"kind",
    "label", "labels", "tokens"}`` (the shape of ``records.entity_table``), each access one
    indexed SELECT in lookup.sqlite; ``with_tokens`` finds the entities by name token.
    ``lookup()`` gives the calling thread's connection. The entities looked up are remembered by
    this object (make one per search); each access returns a copy."""

    def __init__(self, lookup):
        self._lookup = lookup
        self._seen: dict[str, dict | None] = {}  # this object's lookups (one search's: ranking asks again)

    def get(self, entity_id: str, default=None):
        if entity_id not in self._seen:
            if len(self._seen) > 10_000:
                self._seen.clear()
            row = self._lookup().execute("SELECT kind, label, labels, tokens FROM entities WHERE id = ?",
                                         (entity_id,)).fetchone()
            self._seen[entity_id] = row and {"kind": row[0], "label": row[1], "labels": json.loads(row[2]),
                                             "tokens": json.loads(row[3])}
        found = self._seen[entity_id]
        return default if found is None else dict(found)

    def __getitem__(self, entity_id: str) -> dict:
        found = self.get(entity_id)
        if found is None:
            raise KeyError(entity_id)
        return found

    def __contains__(self, entity_id) -> bool:
        return isinstance(entity_id, str) and self.get(entity_id) is not None

    def with_tokens(self, tokens, kind: str | None = None) -> set[str]:
        """The ids of the entities one of whose names holds every one of ``tokens`` (analysed
        name tokens), of ``kind`` if given: one SELECT over the token index."""
        tokens = sorted(set(tokens))
        if not tokens:
            return set()
        sql = (f"SELECT t.id FROM entity_tokens t JOIN entities e ON e.id = t.id "
               f"WHERE t.token IN ({','.join('?' * len(tokens))})" + (" AND e.kind = ?" if kind else "") +
               " GROUP BY t.id HAVING count(*) = ?")
        return {r[0] for r in self._lookup().execute(sql, [*tokens, *([kind] if kind else []), len(tokens)])}


class Vocabulary:
    """Folded indexed word -> its written form, looked up in lookup.sqlite (``.get``)."""

    def __init__(self, lookup):
        self._lookup = lookup

    def get(self, folded: str, default=None):
        row = self._lookup().execute("SELECT written FROM vocabulary WHERE folded = ?", (folded,)).fetchone()
        return row[0] if row else default


def write_lookup(path: Path, entities: dict | None, titles: dict[str, str] | None, previous: Path | None = None,
                 written: Counter | None = None) -> None:
    """Write ``lookup.sqlite`` into a generation whose Whoosh index is complete: every
    indexed record's document number, ref, language, document, unit (``records.unit_of``) and
    the persons and places it mentions (by ``entities``' kinds); the title of every document;
    the entity table ``entities`` (``records.entity_table``) with an index of its name tokens;
    and, from ``written`` (``records.written_forms`` of every record), the count of every
    written form and the vocabulary (``records.choose_forms``). ``previous``: the generation whose index this one's extends (an
    incremental build, which never renumbers: see indexer.py): its lookup is copied, the rows
    of records deleted since are removed and those of the records added are inserted; titles,
    entities and the written forms with the vocabulary are written again whole, each unless it
    is None (``entities``, ``titles``, ``written``: the previous generation's are kept)."""
    ix = whoosh_index.open_dir(str(path))
    if previous is not None:
        shutil.copyfile(Path(previous) / LOOKUP, path / LOOKUP)
    db = sqlite3.connect(path / LOOKUP)
    try:
        if previous is None:
            db.executescript("CREATE TABLE passages (docnum INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, lang TEXT NOT NULL,"
                             " doc TEXT NOT NULL, persons TEXT NOT NULL, places TEXT NOT NULL, unit TEXT NOT NULL);"
                             "CREATE INDEX passages_unit ON passages (unit);"
                             "CREATE TABLE titles (doc TEXT PRIMARY KEY, title TEXT NOT NULL);"
                             "CREATE TABLE entities (id TEXT PRIMARY KEY, kind TEXT, label TEXT,"
                             " labels TEXT NOT NULL, tokens TEXT NOT NULL) WITHOUT ROWID;"
                             "CREATE TABLE entity_tokens (token TEXT NOT NULL, id TEXT NOT NULL,"
                             " PRIMARY KEY (token, id)) WITHOUT ROWID;"
                             "CREATE TABLE vocabulary (folded TEXT PRIMARY KEY, written TEXT NOT NULL) WITHOUT ROWID;"
                             "CREATE TABLE written (form TEXT PRIMARY KEY, folded TEXT NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;"
                             "CREATE INDEX written_by_folded ON written (folded);")
        with ix.searcher() as s, db:
            reader = s.reader()
            if previous is None:
                rows = reader.iter_docs()
            else:
                # the records deleted (in any segment): their rows go (a deleted record's row is
                # gone already when an earlier generation deleted it)
                gone = [offset + n for leaf, offset in reader.leaf_readers() for n in _deleted_in(leaf)]
                db.executemany("DELETE FROM passages WHERE docnum = ?", ((n,) for n in gone))
                last = db.execute("SELECT coalesce(max(docnum), -1) FROM passages").fetchone()[0]
                rows = ((n, reader.stored_fields(n)) for n in range(last + 1, reader.doc_count_all())
                        if not reader.is_deleted(n))
                for table, given in (("titles", titles), ("entities", entities), ("entity_tokens", entities),
                                     ("vocabulary", written), ("written", written)):
                    if given is not None:
                        db.execute(f"DELETE FROM {table}")
            kinds = entities if entities is not None else {i: {"kind": k} for i, k in db.execute("SELECT id, kind FROM entities")}
            db.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?)",
                           (_lookup_row(n, f, kinds) for n, f in rows))
            if titles is not None:
                db.executemany("INSERT INTO titles VALUES (?, ?)", titles.items())
            if entities is not None:
                db.executemany("INSERT INTO entities VALUES (?,?,?,?,?)",
                               ((i, e.get("kind"), e.get("label"), json.dumps(e.get("labels") or {}, ensure_ascii=False),
                                 json.dumps(e.get("tokens") or [], ensure_ascii=False)) for i, e in entities.items()))
                db.executemany("INSERT INTO entity_tokens VALUES (?, ?)",
                               ((t, i) for i, e in entities.items() for t in set(e.get("tokens") or ())))
            if written is not None:
                db.executemany("INSERT INTO written VALUES (?, ?, ?)",
                               ((w, analysis.fold(w), n) for w, n in written.items() if n > 0))
                db.executemany("INSERT INTO vocabulary VALUES (?, ?)", choose_forms(written).items())
    finally:
        db.close()
        ix.close()


def _deleted_in(leaf) -> list[int]:
    """The deleted document numbers of one segment's reader (Whoosh keeps them with the
    segment: no walk of every document)."""
    segment = leaf.segment() if callable(getattr(leaf, "segment", None)) else None
    if segment is None:  # (another reader: ask it document by document)
        return [n for n in range(leaf.doc_count_all()) if leaf.is_deleted(n)]
    return sorted(segment.deleted_docs())


def update_vocabulary(lookup: Path, delta: Counter) -> None:
    """Add ``delta`` (written form -> change of its count: ``records.written_forms`` of the
    records added, less that of the records deleted) to the written forms of ``lookup`` and
    choose the vocabulary's form again for every folded word it touches
    (``records.choose_forms``, which does not depend on the order forms were counted in: the
    result is what ``write_lookup`` makes of all the records)."""
    db = sqlite3.connect(lookup)
    try:
        with db:
            touched = set()
            for form, change in delta.items():
                if not change:
                    continue
                folded = analysis.fold(form)
                touched.add(folded)
                found = db.execute("SELECT n FROM written WHERE form = ?", (form,)).fetchone()
                n = (found[0] if found else 0) + change
                if n > 0:
                    db.execute("INSERT OR REPLACE INTO written VALUES (?, ?, ?)", (form, folded, n))
                else:
                    db.execute("DELETE FROM written WHERE form = ?", (form,))
            for folded in touched:
                chosen = choose_forms(dict(db.execute("SELECT form, n FROM written WHERE folded = ?", (folded,))))
                if folded in chosen:
                    db.execute("INSERT OR REPLACE INTO vocabulary VALUES (?, ?)", (folded, chosen[folded]))
                else:
                    db.execute("DELETE FROM vocabulary WHERE folded = ?", (folded,))
    finally:
        db.close()


def _lookup_row(docnum: int, stored: dict, entities: dict) -> tuple:
    ids = (stored.get("entities") or "").split()
    kind = {i: entities.get(i, {}).get("kind") for i in ids}
    return (docnum, stored["ref"], stored["lang"], stored["doc"],
            " ".join(i for i in ids if kind[i] == "person"), " ".join(i for i in ids if kind[i] == "place"),
            unit_of(stored))


def current(index_dir: Path) -> Generation:
    """The generation ``index_dir/CURRENT`` names, opened once. Raises IndexMissing. The last
    few generations opened are kept; an older one is dropped, and its searchers and connections
    are closed when no request uses it any more."""
    path = store.current_generation(index_dir)
    if path is None:
        raise IndexMissing(f"no search index in {index_dir}; run `pactarchive build`")
    key = str(path)
    gen = _open.get(key)
    if gen is None:
        with _lock:
            gen = _open.get(key)
            if gen is None:
                gen = _open[key] = Generation(path)
                for old in list(_open)[:-4]:  # a few indexes may be in use (tests open several)
                    del _open[old]
    return gen

