"""The order of the matching records, and their grouping into results (docs/search.md,
"Ranking" and "Results").

Ranking, by relevance:

1. a record mentioning an entity the query names (any form, any language: the register's
   names and the texts' ``@ref``; the query names an entity when it says at least half of one
   of its names, see ``_coverage``) before one that only shares a word;
2. sentence-level before section-level: passages, then notes, heads, register entries
   (``schema.KINDS``); the text before its front and back matter (a bibliography);
3. for a query of names only, among records mentioning a named entity: the form typed (the
   surface word) first, then the fullest naming of the entity the query names best ("Karls
   Selters" before "Selters"), then reading order: every mention is an answer, and BM25's
   length normalisation is no reason to hide a long sentence. Otherwise BM25F (Whoosh's
   score, with the statistics of the records not deleted: ``LiveBM25F``), then reading order.

Grouping: walk the ranked records; each one not yet shown leads a result, with its directly
aligned passages (``aligned``) as counterparts, except those already shown: no passage is
shown twice in the results of one query.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from math import log

from whoosh import scoring

from . import analysis
from .compiler import Lexicon
from .schema import KINDS

NAMED = 0.5  # a query names an entity when it says at least half of one of its names
_WORDS = analysis.words_analyzer()
_NAMES = analysis.names_analyzer()


class LiveBM25F(scoring.BM25F):
    """Whoosh's BM25F over the records not deleted: after an incremental build the segments
    are not merged (indexer.py ``_update``) and Whoosh's statistics still count the deleted
    records, so scores, and at times the order of results, would differ from a full build's of
    the same files.

    When the searcher's reader has no deletions (a full build) everything is Whoosh's own:
    ``BM25F.idf`` and ``BM25FScorer``, no lookup more. Otherwise, per term and field:

    - inverse document frequency ``log(N / (n + 1)) + 1`` (Whoosh's formula) with ``N`` the
      records not deleted (``doc_count``, not ``doc_count_all``) and ``n`` those holding the
      term (``Lexicon.doc_frequency``), remembered per searcher (``Searcher.idf`` caches
      what this returns);
    - average field length: ``Lexicon.field_length`` over ``N``, once per reader and field.
      Whoosh keeps a record's length as one lossy byte from 11 tokens up, so this average is
      approximate when long records were deleted (by at most a tenth of their lengths in the
      total).

    ``B``, ``K1`` and ``<field>_B`` as Whoosh's ``BM25F``. Block-quality bounds are Whoosh's
    (``setup``, from the term info, which counts the deleted records): searches collect without
    them (query.py ``_run``: ``usequality=False``). One per searcher (``weighting()``)."""

    def __init__(self, B: float = 0.75, K1: float = 1.2, **kwargs):
        super().__init__(B=B, K1=K1, **kwargs)
        self._lengths: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # reader -> {field: average}

    def idf(self, searcher, fieldname: str, text) -> float:
        """The inverse document frequency of ``text`` in ``fieldname`` (called by
        ``Searcher.idf``, which caches it per searcher)."""
        parent = searcher.get_parent()
        reader = parent.reader()
        if not reader.has_deletions():
            return super().idf(searcher, fieldname, text)
        n = Lexicon(reader).doc_frequency(fieldname, text)
        return log((reader.doc_count() or 1) / (n + 1)) + 1

    def scorer(self, searcher, fieldname: str, text, qf=1):
        """The scorer of ``text`` in ``fieldname`` for ``searcher`` (a leaf of the generation's
        searcher, or itself): Whoosh's when there are no deletions or the field is not scored."""
        parent = searcher.get_parent()
        if not searcher.schema[fieldname].scorable or not parent.reader().has_deletions():
            return super().scorer(searcher, fieldname, text, qf=qf)
        B = self._field_B.get(fieldname, self.B)
        return _LiveScorer(searcher, fieldname, text, B, self.K1, qf, self.avg_field_length(parent, fieldname))

    def avg_field_length(self, searcher, fieldname: str) -> float:
        """The average length of ``fieldname`` in the records not deleted (Whoosh's
        ``Searcher.avg_field_length`` when there are no deletions)."""
        reader = searcher.get_parent().reader()
        if not reader.has_deletions():
            return searcher.get_parent().avg_field_length(fieldname)
        lengths = self._lengths.get(reader)
        if lengths is None:
            lengths = self._lengths[reader] = {}
        if fieldname not in lengths:
            lengths[fieldname] = Lexicon(reader).field_length(fieldname) / (reader.doc_count() or 1)
        return lengths[fieldname]


class _LiveScorer(scoring.BM25FScorer):
    """Whoosh's ``BM25FScorer`` given the average field length (``LiveBM25F``); its idf comes
    from the searcher (``Searcher.idf``: cached, computed by ``LiveBM25F.idf``)."""

    def __init__(self, searcher, fieldname, text, B, K1, qf, avgfl):
        self.idf = searcher.get_parent().idf(fieldname, text)
        self.avgfl = avgfl or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)


def weighting() -> LiveBM25F:
    """The weighting a generation's searcher scores with (generation.py opens each searcher
    with a new one: it remembers per reader the average field lengths). Whoosh's defaults:
    ``B=0.75``, ``K1=1.2``."""
    return LiveBM25F()


@dataclass
class Match:
    """One matching record: its document number, stored fields and BM25F score."""

    docnum: int
    stored: dict = field(repr=False)
    score: float = 0.0

    @property
    def ref(self) -> str:
        return self.stored["ref"]

    @property
    def kind(self) -> str:
        return self.stored.get("kind") or "passage"

    @property
    def order(self) -> int:
        return self.stored.get("order") or 0

    @property
    def aligned(self) -> list[str]:
        return list(self.stored.get("aligned") or ())


def rank(matches: list[Match], marks, entities: dict[str, dict], by: str = "relevance") -> list[Match]:
    """``matches`` ordered by relevance (see the module) or by reading order (``by="order"``).
    ``marks`` is what the query matched (``compiler.Marks``: the entities it names, its
    surface words and name tokens), ``entities`` the index's entity table."""
    if by == "order":
        return sorted(matches, key=lambda m: (m.order, _kind_rank(m), m.ref))
    said = set(marks.terms.get("names") or ())
    cover = _coverage(set(marks.entities), said, entities)
    named = {e for e, c in cover.items() if c >= NAMED}
    primary = {e for e in named if cover[e] == max(cover.values())}
    only_names = bool(named) and said <= {t for e in named for t in entities[e].get("tokens", ())}
    typed = set(marks.terms.get("words") or ())
    return sorted(matches, key=lambda m: _relevance(m, named, primary if only_names else None, typed, entities))


def _coverage(candidates: set[str], tokens: set[str], entities: dict) -> dict[str, float]:
    """How much of an entity's name the query says: the largest share of the words of one of
    its names (in any language) among the query's name tokens. "Molotov" says half of
    "Vjačeslavs Molotovs" and a third of "Molotova-Ribentropa pakts"; "līgums" a third of
    "Tartu miera līgums"."""
    out = {}
    for e in candidates:
        names = [_name_tokens(n) for n in entities.get(e, {}).get("labels", {}).values()]
        out[e] = max((len(n & tokens) / len(n) for n in names if n), default=0.0)
    return out


def _relevance(m: Match, named: set[str], primary: set[str] | None, typed: set[str], entities: dict) -> tuple:
    """The sort key. ``primary`` is None when the query says more than names: then the
    records mentioning a named entity are ranked among themselves by score."""
    frame = 1 if m.stored.get("frame") else 0
    if named & set((m.stored.get("entities") or "").split()):
        if primary is None:
            return (0, _kind_rank(m), frame, 0, 0, -m.score, m.order, m.ref)
        return (0, _kind_rank(m), frame, -_typed(m.stored.get("text") or "", typed),
                -_fullness(m.stored.get("marks") or (), primary, entities), 0.0, m.order, m.ref)
    return (1, _kind_rank(m), frame, 0, 0, -m.score, m.order, m.ref)


def _kind_rank(m: Match) -> int:
    return KINDS.index(m.kind) if m.kind in KINDS else len(KINDS)


def _typed(text: str, typed: set[str]) -> int:
    """How many of the typed surface words the text holds as written."""
    return len(typed & _words(text)) if typed else 0


@lru_cache(maxsize=8192)
def _words(text: str) -> frozenset[str]:
    return frozenset(analysis.tokens(_WORDS, text))


def _fullness(marks, mentioned: set[str], entities: dict) -> int:
    """The most name tokens of a named entity in one of its mentions here ("Vjačeslavs
    Molotovs": 2, "Molotovu": 1)."""
    best = 0
    for kind, keys, surface in marks:
        if kind == "entity" and keys[0] in mentioned:
            own = set(entities.get(keys[0], {}).get("tokens", ()))
            best = max(best, len(_name_tokens(surface) & own))
    return best


@lru_cache(maxsize=8192)
def _name_tokens(surface: str) -> frozenset[str]:
    return frozenset(analysis.tokens(_NAMES, surface))


def group(ranked: list[Match]) -> list[tuple[Match, list[str]]]:
    """``(lead, counterpart refs)`` per result: each record not yet shown leads one, with
    its aligned passages not yet shown (the rule of docs/search.md, "Results")."""
    shown: set[str] = set()
    out = []
    for m in ranked:
        if m.ref in shown:
            continue
        shown.add(m.ref)
        counterparts = [r for r in m.aligned if r not in shown]
        shown.update(counterparts)
        out.append((m, counterparts))
    return out


def flat(ranked: list[Match]) -> list[tuple[Match, list[str]]]:
    """One result per matching record, each with all its aligned passages (``group=passage``)."""
    return [(m, m.aligned) for m in ranked]
