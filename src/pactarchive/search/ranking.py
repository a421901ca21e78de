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
   score), then reading order.

Grouping: walk the ranked records; each one not yet shown leads a result, with its directly
aligned passages (``aligned``) as counterparts, except those already shown: no passage is
shown twice in the results of one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import analysis
from .schema import KINDS

NAMED = 0.5  # a query names an entity when it says at least half of one of its names
_WORDS = analysis.words_analyzer()
_NAMES = analysis.names_analyzer()

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
        return (0, _kind_rank(m), frame, -_typed(m.stored["text"], typed),
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
