"""Run queries against the current index generation; results are plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from whoosh import query as wq

from ..errors import QueryError
from ..numbers import whole_number
from . import generation, syntax
from .compiler import Compiler
from .snippets import marked_words, matched_spans, snippet
from .suggest import suggestion

MAX_SIZE = 100
MAX_PAGE = 1000
SORTS = ("relevance", "order")  # default: relevance, or reading order for a query of filters only
LANGUAGES = {"en": "English", "lv": "Latvian", "et": "Estonian", "ru": "Russian", "de": "German"}


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    size: int
    hits: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def to_dict(self, url: Callable[[str, list[str]], str] | None = None) -> dict:
        """The /api/search JSON; ``url(ref, marked_words)`` makes the reading-view links."""
        url = url or reading_url
        hits = [{**h, "url": url(h["ref"], h["hl"]),
                 "aligned": [{**a, "url": url(a["ref"], a["hl"])} for a in h["aligned"]]} for h in self.hits]
        return {"query": self.query, "total": self.total, "page": self.page, "size": self.size,
                "pages": self.pages, "hits": hits, "facets": self.facets, "filters": self.filters,
                "suggestion": self.suggestion}


def reading_url(ref: str, hl: list[str]) -> str:
    """The reading-view deep link ``/read?at=<ref>&hl=<words>#<ref>`` (the cross-feature
    contract; the fragment lets the browser scroll there even without JavaScript)."""
    args = {"at": ref, "hl": " ".join(hl)} if hl else {"at": ref}
    return "/read?" + urlencode(args, safe=":") + "#" + ref


def search(index_dir: Path, q: str, lang: str | None = None, doc: str | None = None,
           page: int = 1, size: int = 10, *, person: str | None = None, place: str | None = None,
           date_from: str | None = None, date_to: str | None = None, sort: str | None = None) -> SearchResults:
    """Passages matching ``q`` (see syntax.py), filtered by language, document, person, place
    and date range, one page of them; an empty ``q`` with a filter lists what the filter
    selects. Raises QueryError for a query or parameter that cannot be understood,
    IndexMissing without an index."""
    page, size = _paging(page, size, sort)
    filters = {"lang": lang, "doc": doc, "person": person, "place": place, "from": date_from, "to": date_to}
    tree = None if not (q or "").strip() and any(filters.values()) else syntax.parse(q)
    if sort is None:  # a query of filters only has no relevance to rank by
        sort = "order" if tree is None or all(isinstance(x, syntax.Field) for x, _ in syntax.leaves(tree)) else "relevance"
    gen = generation.current(index_dir)
    s = gen.searcher()
    comp = Compiler(s.reader(), gen.entities)
    query, filt = comp.compile(tree) if tree else wq.Every(), comp.filters(filters)
    res = s.search(query, filter=filt, limit=page * size, sortedby="order" if sort == "order" else None, terms=False)
    hits = [_hit(gen, h.fields(), comp, h.score) for h in res[(page - 1) * size:page * size]]
    results = SearchResults(syntax.clean(q) if tree else "", len(res), page, size, hits,
                            _facets(gen, res.docs()), {k: v for k, v in filters.items() if v})
    if tree and not results.total:
        results.suggestion = suggestion(s, tree, results.query, gen.vocabulary, lambda alt: _count(gen, alt, filt))
    return results


def _paging(page, size, sort) -> tuple[int, int]:
    try:
        page, size = whole_number(page, "page"), whole_number(size, "size")
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}")
    if not 1 <= size <= MAX_SIZE:
        raise QueryError(f"size must be between 1 and {MAX_SIZE}")
    if sort is not None and sort not in SORTS:
        raise QueryError("sort must be one of: " + ", ".join(SORTS))
    return page, size


def _count(gen, q: str, filt) -> int:
    s = gen.searcher()
    try:
        return len(s.search(Compiler(s.reader(), gen.entities).compile(syntax.parse(q)), filter=filt, limit=1))
    except QueryError:
        return 0


def _hit(gen, stored: dict, comp: Compiler, score: float | None) -> dict:
    hit = _passage(stored, comp)
    hit.update({"title": stored.get("title", ""), "context": stored.get("context", ""),
                "entities": (stored.get("entities") or "").split(),
                "score": round(score, 3) if score is not None else None})
    aligned = [gen.stored(r) for r in stored.get("aligned") or ()]
    hit["aligned"] = [_passage(a, comp) for a in aligned if a]
    return hit


def _passage(stored: dict, comp: Compiler) -> dict:
    text = stored["text"]
    spans = matched_spans(text, stored["lang"], comp.marks, stored.get("marks"))
    return {"ref": stored["ref"], "doc": stored["doc"], "lang": stored["lang"], "text": text,
            "snippet": snippet(text, spans), "hl": marked_words(text, spans)}


def _facets(gen, docnums) -> dict:
    """Counts over every matching passage (not only this page), most frequent first."""
    out = {}
    for name, counts in gen.facet_counts(docnums).items():
        out[name] = [{"value": k, "label": _label(gen, name, k), "count": n}
                     for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out


def _label(gen, facet: str, value: str) -> str:
    if facet == "lang":
        return LANGUAGES.get(value, value)
    if facet == "doc":
        return gen.titles.get(value, value)
    return gen.entities.get(value, {}).get("label", value)
