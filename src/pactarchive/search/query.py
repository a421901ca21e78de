"""Run queries against the current index generation; results are plain data."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

from whoosh import collectors
from whoosh import query as wq

from ..errors import QueryError
from ..numbers import whole_number
from . import budget, generation, ranking, syntax
from .cache import CACHE
from .compiler import Compiler
from .schema import KINDS
from .snippets import marked_words, matched_spans, snippet
from .suggest import suggestion

MAX_SIZE = 100
RANK_LIMIT = 500  # matches ranked, grouped and counted in the facets: the best by score ("Search at scale")
COUNT_CAP = 10_000  # matching records counted exactly up to this; beyond, "10,000+" (a lower bound)
PARTIAL_SECONDS = 2.0  # a search still collecting after this answers with what it found (lower bounds)
MAX_PAGE = 1000
SORTS = ("relevance", "order")  # default: relevance, or reading order for a query of filters only
GROUPS = ("aligned", "passage")  # a passage with its aligned passages as one result (default), or each alone
TYPES = {"passage": "in the texts", "note": "in notes", "head": "in headings", "register": "in the register"}
LANGUAGES = {"en": "English", "lv": "Latvian", "et": "Estonian", "ru": "Russian", "de": "German"}


@dataclass
class SearchResults:
    """One page of results. ``total`` counts results (a passage with its aligned counterparts is
    one), ``passages`` the matching records they hold; ``hits`` are this page's results.

    At scale (docs/search.md, "Search at scale") only the best ``RANK_LIMIT`` matches are
    ranked, grouped and counted in the facets (``ranked`` of them): ``total_relation`` is
    ``"eq"`` when every match was (``total`` exact), ``"gte"`` when not (``total`` counts the
    results the ranked matches make, a lower bound, and the pages reach them all); the facets
    count the ``ranked`` matches. ``passages_relation`` is ``"gte"`` when more than
    ``COUNT_CAP`` records match (``passages`` is then the cap)."""

    query: str
    total: int
    page: int
    size: int
    hits: list[dict] = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    filters: dict = field(default_factory=dict)
    suggestion: str | None = None
    passages: int = 0
    group: str = "aligned"
    total_relation: str = "eq"
    passages_relation: str = "eq"
    ranked: int = 0

    @property
    def facets_complete(self) -> bool:
        """Whether the facets count every matching record (else the ``ranked`` best)."""
        return self.total_relation == "eq"

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def to_dict(self, url: Callable[[str, list[str]], str] | None = None,
                link: Callable[[dict], str | None] | None = None) -> dict:
        """The /api/search JSON; ``url(ref, marked_words)`` makes the reading-view links,
        ``link(hit)`` (when given and not None) the link of a note or register entry."""
        url = url or reading_url
        link = link or shown_at

        def where(h: dict) -> str:
            return (link(h) if h.get("type") in ("note", "register") else None) or url(h["at"], h["hl"])
        hits = [{**h, "url": where(h), "aligned": [{**a, "url": url(a["ref"], a["hl"])} for a in h["aligned"]]}
                for h in self.hits]
        return {"query": self.query, "total": self.total, "passages": self.passages, "group": self.group,
                "page": self.page, "size": self.size, "pages": self.pages, "hits": hits, "facets": self.facets,
                "filters": self.filters, "suggestion": self.suggestion, "total_relation": self.total_relation,
                "passages_relation": self.passages_relation, "ranked": self.ranked,
                "facets_complete": self.facets_complete}


def reading_url(ref: str, hl: list[str]) -> str:
    """The reading-view deep link ``/read?at=<ref>&hl=<words>#<ref>`` (the cross-feature
    contract; the fragment lets the browser scroll there even without JavaScript)."""
    args = {"at": ref, "hl": " ".join(hl)} if hl else {"at": ref}
    return "/read?" + urlencode(args, safe=":") + "#" + ref


def shown_at(hit: dict) -> str | None:
    """Where a note or register entry is shown: a note in the permalink page of the first
    passage it annotates (``/passage/<ref>#note-<id>``), a register entry in its card in the
    reading view at its first mention (``/read?at=<ref>#entity-<id>``)."""
    if hit["type"] == "note":
        return f"/passage/{hit['at']}" + (f"#note-{hit['note_id']}" if hit.get("note_id") else "")
    if hit["type"] == "register":
        return f"/read?at={hit['at']}#entity-{hit['entity']}" if hit.get("at") else f"/api/entities/{hit['entity']}"
    return None


def search(index_dir: Path, q: str, lang: str | None = None, doc: str | None = None,
           page: int = 1, size: int = 10, *, person: str | None = None, place: str | None = None,
           date_from: str | None = None, date_to: str | None = None, sort: str | None = None,
           type: str | None = None, group: str | None = None) -> SearchResults:
    """Passages, heads, notes and register entries matching ``q`` (see syntax.py), filtered by
    language, document, person, place, date range and record type (``schema.KINDS``), ranked
    (ranking.py) and grouped with their aligned passages (``group="aligned"``, the default) or
    listed one by one (``group="passage"``); one page of the results. An empty ``q`` with a
    filter lists what the filter selects. Raises QueryError for a query or parameter that
    cannot be understood, IndexMissing without an index."""
    page, size = _paging(page, size, sort)
    return _search(index_dir, q, page, size, sort, group, lang=lang, doc=doc, person=person, place=place,
                   date_from=date_from, date_to=date_to, type=type)


def search_all(index_dir: Path, q: str, *, sort: str | None = None, group: str | None = None, **filters) -> SearchResults:
    """Every result of a search (all pages at once, for an export); parameters and errors as
    ``search``."""
    _paging(1, 1, sort)
    return _search(index_dir, q, 1, None, sort, group, **filters)


def _search(index_dir, q, page, size, sort, group, *, lang=None, doc=None, person=None, place=None,
            date_from=None, date_to=None, type=None) -> SearchResults:
    group = _grouping(group)
    filters = {"lang": lang, "doc": doc, "person": person, "place": place, "from": date_from, "to": date_to,
               "type": type}
    tree = None if not (q or "").strip() and any(filters.values()) else syntax.parse(q)
    if sort is None:  # a query of filters only has no relevance to rank by
        sort = "order" if tree is None or all(isinstance(x, syntax.Field) for x, _ in syntax.leaves(tree)) else "relevance"
    gen = generation.current(index_dir)
    limit = RANK_LIMIT if size else None  # an export (size None) ranks every match
    key = (str(gen.path), syntax.clean(q) if tree else "", tuple(sorted((k, v) for k, v in filters.items() if v)),
           sort, group, page, size, limit, COUNT_CAP, PARTIAL_SECONDS,
           (budget.MAX_WORDS, budget.MAX_TERMS, budget.SECONDS, budget.SEARCH_SECONDS))  # a page is computed within these
    cached = CACHE.get(key)
    if cached is not None:
        return cached
    s = gen.searcher()
    comp = Compiler(s.reader(), gen.entities)
    query, filt = comp.compile(tree) if tree else wq.Every(), _filter(comp, filters)
    found = _run(s, query, filt, limit, sort)
    matches = [ranking.Match(d, s.stored_fields(d), score) for d, score in found.top]
    ranked = ranking.rank(matches, comp.marks, gen.entities, sort)
    results = (ranking.group if group == "aligned" else ranking.flat)(ranked)
    complete = found.exact and found.count == len(matches)  # every match ranked, grouped and counted in the facets
    size = size or max(1, len(results))
    matched = {m.ref for m in matches}
    hits = [_hit(gen, m, counterparts, comp, matched, sort)
            for m, counterparts in results[(page - 1) * size:page * size]]
    out = SearchResults(syntax.clean(q) if tree else "", len(results), page, size, hits,
                        _facets(gen, matches), {k: v for k, v in filters.items() if v},
                        passages=found.count, group=group, total_relation="eq" if complete else "gte",
                        passages_relation="eq" if found.exact else "gte", ranked=len(matches))
    if tree and not out.total and not found.partial:
        out.suggestion = suggestion(s, tree, out.query, gen.vocabulary, lambda alt: _count(gen, alt, filt))
    if not found.partial:  # how far a search gets in its time depends on the machine's load
        CACHE.put(key, out)
    return out


@dataclass
class _Found:
    """What ``_run`` collected: the best matches as ``(docnum, score)`` in the collector's
    order, and the number of matching records (``count``), exact when ``exact``, else a lower
    bound (``COUNT_CAP``)."""

    top: list[tuple[int, float]]
    count: int
    exact: bool
    partial: bool = False  # stopped by PARTIAL_SECONDS: only the matches found until then


def _run(s, query, filt, limit: int | None, sort: str) -> _Found:
    """The best ``limit`` matches of ``query`` (every match when ``limit`` is None) by score,
    or by reading order for ``sort="order"``, and how many records match, within the time
    budget of one search (``budget.SEARCH_SECONDS``: Whoosh's TimeLimitCollector, checked
    between matches, no signals: servers run searches in threads). Whoosh's top-N collector
    runs without its block-quality skipping: Whoosh then visits every match anyway (skipping
    saved nothing measurable on these queries, docs/search.md "Search at scale") and counts
    them in the same pass, so the count is exact. A search of one page (``limit`` given) still
    collecting after ``PARTIAL_SECONDS`` stops there and answers with the matches found so far
    (Whoosh visits them in index order): ``partial``, its counts lower bounds. An export
    (``limit`` None), or any search when ``budget.SEARCH_SECONDS`` is the shorter, has
    ``budget.SEARCH_SECONDS`` and raises QueryError (400) saying what to narrow when that
    runs out."""
    sortedby = "order" if sort == "order" and limit else None
    if limit is None or sortedby:
        inner = s.collector(limit=limit, sortedby=sortedby, terms=False)
    else:
        inner = collectors.TopCollector(limit, usequality=False, replace=0)  # replace(minscore) drops matches
    answers = limit is not None and PARTIAL_SECONDS < budget.SEARCH_SECONDS  # else the budget refuses
    seconds = PARTIAL_SECONDS if answers else budget.SEARCH_SECONDS
    timed = collectors.TimeLimitCollector(inner, timelimit=seconds, use_alarm=False)
    # the filter wraps last, as Searcher.collector does, so it sees every document first
    collector = collectors.FilterCollector(timed, filt) if filt else timed
    partial = False
    try:
        s.search_with_collector(query, collector)
    except collectors.TimeLimit:
        if not answers:
            raise QueryError(f"this search ran out of its {budget.SEARCH_SECONDS:g} seconds; "
                             f"{budget.NARROW}, or add words or filters that narrow it") from None
        partial = True
    results = collector.results()
    top = [(h.docnum, h.score if sortedby is None else 0.0) for h in results]
    count = len(results)  # the collector's count of every match, not only the top ones
    return _Found(top, min(count, COUNT_CAP), count <= COUNT_CAP and not partial, partial)


def _grouping(group: str | None) -> str:
    if group in (None, ""):
        return "aligned"
    if group not in GROUPS:
        raise QueryError("group must be one of: " + ", ".join(GROUPS))
    return group


def _filter(comp: Compiler, filters: dict):
    """The compiler's filters, and the record type. Raises QueryError for an unknown type."""
    filt = comp.filters(filters)
    kind = (filters.get("type") or "").strip()
    if not kind:
        return filt
    if kind not in KINDS:
        raise QueryError(f"there is no type '{kind}'; the types are: " + ", ".join(KINDS))
    return wq.And([filt, wq.Term("kind", kind)]) if filt is not None else wq.Term("kind", kind)


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
    """1 when the query ``q`` finds something under ``filt``, else 0 (did-you-mean asks only
    that: stopping at the first match keeps it cheap in a large archive)."""
    s = gen.searcher()
    try:
        query = Compiler(s.reader(), gen.entities).compile(syntax.parse(q))
    except QueryError:
        return 0
    both = wq.And([query, filt]) if filt is not None else query
    return sum(1 for _ in itertools.islice(s.docs_for_query(both), 1))


def _hit(gen, m: ranking.Match, counterparts: list[str], comp: Compiler, matched: set[str], sort: str) -> dict:
    stored = m.stored
    hit = _passage(stored, comp)
    hit.update({"type": m.kind, "at": _at(stored), "title": stored.get("title", ""),
                "context": stored.get("context", ""), "entities": (stored.get("entities") or "").split(),
                "score": round(m.score, 3) if sort == "relevance" else None})
    for key in ("targets", "note_id", "entity"):
        if stored.get(key):
            hit[key] = stored[key]
    aligned = [gen.stored(r) for r in counterparts]
    hit["aligned"] = [dict(_passage(a, comp), matched=a["ref"] in matched) for a in aligned if a]
    return hit


def _at(stored: dict) -> str:
    """The ref of the passage where a record is shown (itself, or what a note annotates, or
    where a register entry's entity is first mentioned)."""
    if stored.get("targets"):
        return stored["targets"][0]
    return stored.get("at") or stored["ref"]


def _passage(stored: dict, comp: Compiler) -> dict:
    text = stored.get("text") or ""  # a passage without text stores none (indexer._fields)
    spans = matched_spans(text, stored["lang"], comp.marks, stored.get("marks"))
    return {"ref": stored["ref"], "doc": stored["doc"], "lang": stored["lang"], "text": text,
            "snippet": snippet(text, spans), "hl": marked_words(text, spans)}


def _facets(gen, matches: list[ranking.Match]) -> dict:
    """Counts of the matching records ranked (not only this page; a counterpart that matches
    counts too), most frequent first; choosing one gives a search whose ``passages`` is its
    count. When more than ``RANK_LIMIT`` records match, these are the best ``RANK_LIMIT`` by
    score, not all: ``SearchResults.facets_complete`` says so."""
    out = {}
    every = dict(gen.facet_counts([m.docnum for m in matches]), type=Counter(m.kind for m in matches))
    for name, counts in every.items():
        out[name] = [{"value": k, "label": _label(gen, name, k), "count": n}
                     for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return out


def _label(gen, facet: str, value: str) -> str:
    if facet == "lang":
        return LANGUAGES.get(value, value)
    if facet == "doc":
        return gen.titles.get(value, value)
    if facet == "type":
        return TYPES.get(value, value)
    return gen.entities.get(value, {}).get("label", value)
