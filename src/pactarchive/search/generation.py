"""The index generation being served, opened once per process and shared by its threads.

Opening a Whoosh searcher costs more than most searches, so each thread keeps one searcher
per generation (a searcher is not shared between threads). What the query side looks up for
each hit comes from the generation's files, not from memory: the entity table and vocabulary
(JSON), and ``lookup.sqlite`` (written at build time by ``write_lookup``): the Whoosh document
number of each ref (aligned passages) and the facet values of each passage, read with one
read-only SQLite connection per thread. Counting facets from these is much faster than
Whoosh's overlapping facets, which re-read the postings on every search, and memory does not
grow with the archive.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexMissing
from . import store
from .records import unit_of

ENTITIES = "entities.json"    # entity id -> kind, labels, analysed name tokens
VOCABULARY = "vocabulary.json"  # folded word -> written form, for did-you-mean
LOOKUP = "lookup.sqlite"      # docnum, ref and facet values of every passage; document titles
FACETS = ("lang", "doc", "person", "place")
_CHUNK = 500  # docnums per facet query (SQLite's bound-parameter limit is 999 on old builds)
_lock = threading.Lock()
_open: dict[str, "Generation"] = {}


class Generation:
    def __init__(self, path: Path):
        self.path = path
        self.ix = whoosh_index.open_dir(str(path))
        self.entities = _json(path / ENTITIES)
        self.vocabulary = _json(path / VOCABULARY)
        self._local = threading.local()
        self.titles = _Titles(self)  # document id -> title (.get)

    def searcher(self):
        """This thread's searcher of this generation."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    def lookup(self) -> sqlite3.Connection:
        """This thread's read-only connection to the generation's lookup.sqlite."""
        conn = getattr(self._local, "lookup", None)
        if conn is None:
            uri = (self.path / LOOKUP).resolve().as_uri() + "?mode=ro&immutable=1"
            conn = self._local.lookup = sqlite3.connect(uri, uri=True)
        return conn

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
    def __init__(self, gen: Generation):
        self._gen = gen

    def get(self, doc_id: str, default=None):
        row = self._gen.lookup().execute("SELECT title FROM titles WHERE doc = ?", (doc_id,)).fetchone()
        return row[0] if row else default


def write_lookup(path: Path, entities: dict, titles: dict[str, str], previous: Path | None = None) -> None:
    """Write ``lookup.sqlite`` into a generation whose Whoosh index is complete: every
    indexed record's document number, ref, language, document, unit (``records.unit_of``) and
    the persons and places it mentions (by ``entities``' kinds), and the title of every
    document. ``previous``: the generation whose index this one's extends (an incremental
    build, which never renumbers: see indexer.py): its lookup is copied, the rows of records
    deleted since are removed and those of the records added are inserted."""
    ix = whoosh_index.open_dir(str(path))
    if previous is not None:
        shutil.copyfile(Path(previous) / LOOKUP, path / LOOKUP)
    db = sqlite3.connect(path / LOOKUP)
    try:
        if previous is None:
            db.executescript("CREATE TABLE passages (docnum INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, lang TEXT NOT NULL,"
                             " doc TEXT NOT NULL, persons TEXT NOT NULL, places TEXT NOT NULL, unit TEXT NOT NULL);"
                             "CREATE INDEX passages_unit ON passages (unit);"
                             "CREATE TABLE titles (doc TEXT PRIMARY KEY, title TEXT NOT NULL);")
        with ix.searcher() as s, db:
            reader = s.reader()
            if previous is None:
                rows = reader.iter_docs()
            else:
                gone = [n for (n,) in db.execute("SELECT docnum FROM passages") if reader.is_deleted(n)]
                db.executemany("DELETE FROM passages WHERE docnum = ?", ((n,) for n in gone))
                last = db.execute("SELECT coalesce(max(docnum), -1) FROM passages").fetchone()[0]
                rows = ((n, reader.stored_fields(n)) for n in range(last + 1, reader.doc_count_all())
                        if not reader.is_deleted(n))
                db.execute("DELETE FROM titles")
            db.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?)",
                           (_lookup_row(n, f, entities) for n, f in rows))
            db.executemany("INSERT INTO titles VALUES (?, ?)", titles.items())
    finally:
        db.close()
        ix.close()


def _lookup_row(docnum: int, stored: dict, entities: dict) -> tuple:
    ids = (stored.get("entities") or "").split()
    kind = {i: entities.get(i, {}).get("kind") for i in ids}
    return (docnum, stored["ref"], stored["lang"], stored["doc"],
            " ".join(i for i in ids if kind[i] == "person"), " ".join(i for i in ids if kind[i] == "place"),
            unit_of(stored))


def current(index_dir: Path) -> Generation:
    """The generation ``index_dir/CURRENT`` names, opened once. Raises IndexMissing."""
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


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))
