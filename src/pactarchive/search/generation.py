"""The index generation being served, opened once per process and shared by its threads.

Opening a Whoosh searcher costs more than most searches, so each thread keeps one searcher
per generation (a searcher is not shared between threads). A generation also holds what the
query side looks up for every hit: its tables (entities, vocabulary), the document number of
each ref (aligned passages) and the facet values of each passage (counting facets from these
is much faster than Whoosh's overlapping facets, which re-read the postings on every search).
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexMissing
from . import store

ENTITIES = "entities.json"    # entity id -> kind, labels, analysed name tokens
VOCABULARY = "vocabulary.json"  # folded word -> written form, for did-you-mean
FACETS = ("lang", "doc", "person", "place")
_lock = threading.Lock()
_open: dict[str, "Generation"] = {}


class Generation:
    def __init__(self, path: Path):
        self.path = path
        self.ix = whoosh_index.open_dir(str(path))
        self.entities = _json(path / ENTITIES)
        self.vocabulary = _json(path / VOCABULARY)
        self._local = threading.local()
        self.docnums: dict[str, int] = {}
        self.facet_values: dict[int, dict[str, tuple]] = {}
        self.titles: dict[str, str] = {}  # document id -> title
        for docnum, stored in self.searcher().reader().iter_docs():
            self.docnums[stored["ref"]] = docnum
            self.titles.setdefault(stored["doc"], stored.get("title") or stored["doc"])
            ids = (stored.get("entities") or "").split()
            kinds = {i: self.entities.get(i, {}).get("kind") for i in ids}
            self.facet_values[docnum] = {"lang": (stored["lang"],), "doc": (stored["doc"],),
                                         "person": tuple(i for i in ids if kinds[i] == "person"),
                                         "place": tuple(i for i in ids if kinds[i] == "place")}

    def searcher(self):
        """This thread's searcher of this generation."""
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self._local.searcher = self.ix.searcher()
        return s

    def stored(self, ref: str) -> dict | None:
        """The stored fields of the passage ``ref`` (None when it is not indexed)."""
        docnum = self.docnums.get(ref)
        return self.searcher().stored_fields(docnum) if docnum is not None else None

    def facet_counts(self, docnums) -> dict[str, Counter]:
        counts = {name: Counter() for name in FACETS}
        for n in docnums:
            for name, found in self.facet_values[n].items():
                counts[name].update(found)
        return counts


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
