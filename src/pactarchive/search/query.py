"""Run queries against the current index generation; results are plain data."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.qparser import MultifieldParser, OrGroup

from ..errors import IndexMissing, QueryError
from . import store

_lock = threading.Lock()
_open: dict[str, object] = {}


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    size: int
    hits: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page, "size": self.size,
                "hits": self.hits, "facets": self.facets}


def _index(index_dir: Path):
    gen = store.current_generation(index_dir)
    if gen is None:
        raise IndexMissing(f"no search index in {index_dir}; run `pactarchive build`")
    key = str(gen)
    with _lock:
        if key not in _open:
            _open.clear()
            _open[key] = whoosh_index.open_dir(key)
        return _open[key]


def search(index_dir: Path, q: str, lang: str | None = None, doc: str | None = None,
           page: int = 1, size: int = 10) -> SearchResults:
    """Passages matching ``q``. Raises QueryError for an empty query, IndexMissing without an
    index."""
    q = (q or "").strip()
    if not q:
        raise QueryError("type one or more words to search for")
    ix = _index(index_dir)
    parser = MultifieldParser(["text", "context"], ix.schema, group=OrGroup.factory(0.9))
    query = parser.parse(q)
    with ix.searcher() as s:
        filt = None
        from whoosh.query import And, Term
        terms = [Term(f, v) for f, v in (("lang", lang), ("doc", doc)) if v]
        if terms:
            filt = And(terms) if len(terms) > 1 else terms[0]
        res = s.search_page(query, max(page, 1), pagelen=size, filter=filt)
        hits = [{"ref": h["ref"], "doc": h["doc"], "lang": h["lang"], "text": h["text"],
                 "snippet": h.highlights("text") or h["text"][:200], "score": round(h.score, 3)} for h in res]
        return SearchResults(q, res.total, page, size, hits)
