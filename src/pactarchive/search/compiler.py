"""Syntax tree -> Whoosh query, and what to mark in the passages it finds.

A word or phrase is looked for in every field at once, each analysing it its own way: the
Latvian and English text (stemmed), the surface words (exact form, ranked higher), the names of
the entities a passage mentions (so "Päts" finds "Petsu"), the section headings, and, when it is
a number or an ISO date, the passage's quantities and dates. Wildcards and fuzzy words are
expanded against the surface words, within the search's cost budget (budget.py: how many such
words, how many terms they stand for together, how long expanding them may take).

Every word looked up in the index's vocabulary (a wildcard's, a fuzzy word's, a document or a
language named in a filter, did-you-mean's) is looked up through ``Lexicon``, which knows only
the terms that a record still indexed holds: after an incremental build the lexicon of Whoosh
still lists the terms of the records it deleted (indexer.py: segments are never merged).
"""

from __future__ import annotations

import bisect
import re
import threading
import weakref
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.spelling import ReaderCorrector

from ..errors import QueryError
from . import analysis, values
from .budget import Budget
from .schema import make_schema
from .syntax import And, Field, Not, Or, Phrase, Word, leaves

MAX_EXPANSION = 60  # words a wildcard may stand for
CACHE_SIZE = 4096  # fuzzy expansions remembered per index reader
_expansions: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # reader -> {(field, token, dist): terms}
_cache_lock = threading.Lock()
LIVE_CACHE_SIZE = 65536  # terms whose liveness is remembered per index reader with deletions
# reader -> ([per segment: its deleted documents], {(field, term bytes): live})
_live: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
# (field, boost) searched for a bare word or phrase
TEXT_FIELDS = (("text_lv", 1.0), ("text_en", 1.0), ("words", 0.8), ("names", 0.8))  # words: the form typed ranks first
CONTEXT_BOOST = 0.3  # words found in a passage's section heading rank it higher, never find it
_SCHEMA = make_schema()
RANGE = re.compile(r"^(\d{4}(?:-\d{2}){0,2})\.\.(\d{4}(?:-\d{2}){0,2})$")


@dataclass
class Marks:
    """What matched, per kind: analysed terms per text field, entity ids, quantities, date keys
    and day ranges. Only the positive parts of a query contribute (nothing under NOT)."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    phrases: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    entities: set[str] = field(default_factory=set)
    quantities: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    ranges: list[tuple[str, str]] = field(default_factory=list)  # ISO days

    def add_terms(self, fieldname: str, terms) -> None:
        self.terms.setdefault(fieldname, set()).update(terms)

    def add_phrase(self, fieldname: str, tokens) -> None:
        self.phrases.setdefault(fieldname, set()).add(tuple(tokens))


class Lexicon:
    """The terms of ``reader``'s fields that a record not deleted still holds.

    Whoosh deletes a record by marking its document number deleted: its postings are skipped
    (``IndexReader.postings`` filters the deleted documents out), but its terms stay in the
    lexicon (``expand_prefix``, ``lexicon``, ``terms_within``) and in the term statistics
    (``doc_frequency``, ``frequency``) until segments are merged, which an incremental build
    never does (indexer.py ``_update``). Here a term is *live* when one of its postings is not
    deleted; what the index vocabulary shows a reader (a wildcard's or fuzzy word's words,
    the documents and languages a filter knows, did-you-mean's corrections) is its live terms,
    as in a full build of the same files.

    Cost: nothing beyond Whoosh's own lookups when no segment has deletions (a full build).
    Otherwise, per term, per segment holding it: a hash lookup where the segment has no
    deletions; else its term info (Whoosh's ``TermInfo``: the first and last document
    holding the term, how many): live when the first or the last is not deleted, or when
    more documents hold it than are deleted between them; dead when every document between
    them is deleted (a unit's records are consecutive, so a word only in a reindexed document is
    decided here); only otherwise are its postings read, up to the first live one. What
    was found is remembered per reader (``LIVE_CACHE_SIZE`` terms)."""

    def __init__(self, reader):
        self.reader = reader
        self.schema = reader.schema
        self.deletions = reader.has_deletions()
        if self.deletions:
            with _cache_lock:
                state = _live.get(reader)
                if state is None:  # per segment: its deleted documents, sorted and as a set
                    state = _live[reader] = ([_deleted(leaf) for leaf, _ in reader.leaf_readers()], {})
            deleted, self._known = state
            leaves = zip((leaf for leaf, _ in reader.leaf_readers()), deleted)
            self._leaves = sorted(leaves, key=lambda pair: bool(pair[1][0]))  # no deletions: decided at once

    def alive(self, fieldname: str, term) -> bool:
        """Whether ``term`` (str or bytes), a term of ``fieldname`` in the reader's lexicon,
        is held by a record not deleted. (A term not in the lexicon at all: False when the
        reader has deletions, else see ``has``.)"""
        if not self.deletions:
            return True
        key = (fieldname, self.schema[fieldname].to_bytes(term))
        found = self._known.get(key)
        if found is None:
            found = any(_alive_in(leaf, deleted, *key) for leaf, deleted in self._leaves)
            if len(self._known) >= LIVE_CACHE_SIZE:
                self._known.clear()
            self._known[key] = found
        return found

    def has(self, fieldname: str, term) -> bool:
        """Whether a record not deleted holds ``term`` (str or bytes) in ``fieldname``
        (Whoosh's ``doc_frequency`` > 0 counts deleted records)."""
        return (fieldname, term) in self.reader and self.alive(fieldname, term)

    def terms(self, fieldname: str, prefix: str = ""):
        """The live terms of ``fieldname`` starting with ``prefix``, as bytes, in order
        (Whoosh's ``expand_prefix``, or ``lexicon`` for no prefix)."""
        source = self.reader.expand_prefix(fieldname, prefix) if prefix else self.reader.lexicon(fieldname)
        return source if not self.deletions else (t for t in source if self.alive(fieldname, t))

    def terms_within(self, fieldname: str, text: str, maxdist: int, prefix: int = 0):
        """The live terms of ``fieldname`` within ``maxdist`` edits of ``text`` sharing its
        first ``prefix`` letters, as str, in no order (Whoosh's ``terms_within``)."""
        found = self.reader.terms_within(fieldname, text, maxdist, prefix=prefix)
        return found if not self.deletions else (t for t in found if self.alive(fieldname, t))

    def frequency(self, fieldname: str, text) -> float:
        """How often ``text`` occurs in ``fieldname`` in the records not deleted (Whoosh's
        ``frequency`` counts the deleted ones too): per segment, its term statistics when no
        document between the term's first and last is deleted, else its postings added up."""
        if not self.deletions:
            return self.reader.frequency(fieldname, text)
        return self._live_total(fieldname, text, lambda info: info.weight(), lambda m: m.weight())

    def doc_frequency(self, fieldname: str, text) -> int:
        """How many records not deleted hold ``text`` (str or bytes) in ``fieldname`` (Whoosh's
        ``doc_frequency`` counts the deleted ones too): per segment, its term info when no
        document between the term's first and last is deleted, else its postings counted (Whoosh
        skips the deleted documents). BM25's inverse document frequency (``ranking.LiveBM25F``)."""
        if not self.deletions:
            return self.reader.doc_frequency(fieldname, text)
        return self._live_total(fieldname, text, lambda info: info.doc_frequency(), lambda m: 1)

    def _live_total(self, fieldname: str, text, whole, each):
        """The sum over the segments of ``whole(term info)`` where no document between the
        term's first and last is deleted, else of ``each(matcher)`` over its postings (which
        skip the deleted documents)."""
        total = 0
        for leaf, (ordered, _) in self._leaves:
            try:
                info = leaf.term_info(fieldname, text)
            except TermNotFound:
                continue
            if bisect.bisect_right(ordered, info.max_id()) == bisect.bisect_left(ordered, info.min_id()):
                total += whole(info)
                continue
            m = leaf.postings(fieldname, text)
            while m.is_active():
                total += each(m)
                m.next()
        return total

    def field_length(self, fieldname: str) -> int:
        """The total length (tokens) of ``fieldname`` in the records not deleted (Whoosh's
        ``field_length`` counts the deleted ones too): each segment's total (exact) less the
        lengths of its deleted records. Whoosh keeps a record's length as one byte
        (``whoosh.util.numeric.length_to_byte``): exact up to 10 tokens, rounded up beyond, by at
        most a tenth; so the total can fall short of the exact one by up to a tenth of the
        deleted records' lengths. BM25's average field length (``ranking.LiveBM25F``)."""
        total = self.reader.field_length(fieldname)
        if self.deletions:
            for leaf, (ordered, _) in self._leaves:
                total -= sum(leaf.doc_field_length(n, fieldname) or 0 for n in ordered)  # None: no tokens
        return total

    def corrector(self, fieldname: str):
        """Whoosh's ``ReaderCorrector`` of ``fieldname`` over the live terms, ranked by their
        live frequency (it asks this object for ``terms_within``, ``frequency`` and
        ``schema``)."""
        return ReaderCorrector(self if self.deletions else self.reader, fieldname, self.schema[fieldname])


def _deleted(leaf) -> tuple[tuple[int, ...], frozenset]:
    """The deleted document numbers of a segment's reader, sorted and as a set (the set is
    Whoosh's own, which ``postings`` filters with)."""
    gone = getattr(leaf, "deleted_docs_set", None)
    if gone is None:
        gone = frozenset(n for n in range(leaf.doc_count_all()) if leaf.is_deleted(n))
    return tuple(sorted(gone)), gone


def _alive_in(leaf, deleted: tuple[tuple[int, ...], frozenset], fieldname: str, term: bytes) -> bool:
    """Whether a document of the segment ``leaf`` holds ``term`` and is not deleted (see
    ``Lexicon``)."""
    ordered, gone = deleted
    if not ordered:
        return (fieldname, term) in leaf
    try:
        info = leaf.term_info(fieldname, term)
    except TermNotFound:
        return False
    first, last = info.min_id(), info.max_id()
    if first not in gone or last not in gone:
        return True
    between = bisect.bisect_right(ordered, last) - bisect.bisect_left(ordered, first)
    if between == last - first + 1:
        return False
    if info.doc_frequency() > between:
        return True
    return leaf.postings(fieldname, term).is_active()  # Whoosh skips the deleted documents


class Compiler:
    """Turns one syntax tree into a Whoosh query, filling ``marks``. ``reader`` expands
    wildcards and checks filter values (through ``Lexicon``: the words of the records not
    deleted); ``entities`` is the entity table of the index (a
    ``generation.Entities``, or a dict of ``records.entity_table``'s shape);
    ``budget`` bounds what expanding wildcard and fuzzy words may cost (default: budget.py's)."""

    def __init__(self, reader, entities: dict[str, dict], budget: Budget | None = None):
        self.reader, self.entities, self.marks = reader, entities, Marks()
        self.lexicon = Lexicon(reader)
        self.budget = budget or Budget()
        self._negated = False
        self._context: list = []

    def compile(self, node):
        """Raises QueryError (unknown language/document, bad date, a wildcard standing for too
        many words, a query over its cost budget)."""
        self.budget.words([_label(w) for w, _ in leaves(node) if isinstance(w, Word) and (w.fuzzy or w.wildcard)])
        q = self._node(node)
        if q is None:
            raise QueryError("the query has only very common words (such as 'the', 'un'); add a more specific word")
        return wq.AndMaybe(q, wq.Or(self._context)) if self._context else q

    def _node(self, node):
        if isinstance(node, (And, Or)):
            parts = [q for q in (self._node(n) for n in node.items) if q is not None]
            if all(isinstance(p, wq.Not) for p in parts):  # nothing left to exclude from
                return None
            return parts[0] if len(parts) == 1 else (wq.And if isinstance(node, And) else wq.Or)(parts)
        if isinstance(node, Not):
            was, self._negated = self._negated, True
            inner = self._node(node.item)
            self._negated = was
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, Field):
            return getattr(self, "_field_" + node.name)(node.value)
        if isinstance(node, Word) and node.fuzzy:
            return self._fuzzy(node)
        if isinstance(node, Word) and node.wildcard:
            return self._wildcard(node)
        return self._text(node.text)

    # -- words and phrases ---------------------------------------------------------------

    def _text(self, text: str):
        if values.ISO_DATE.match(text) and "-" in text:
            return self._date_term(text)
        clauses = [q for name, boost in TEXT_FIELDS if (q := self._analysed(name, text, boost)) is not None]
        if clauses and not self._negated:
            self._context += [c for c in [self._analysed("context", text, CONTEXT_BOOST)] if c is not None]
        if (number := values.normalise_number(text)) is not None:
            clauses.append(wq.Term("quantity", number, boost=2.0))
            self._mark(quantities={number})
        if values.ISO_DATE.match(text):
            clauses.append(self._date_term(text))
        if clauses and not self._negated and any(c.fieldname == "names" for c in _leaf_queries(clauses)):
            self._mark(entities=self._entities_named("names", text))
        return wq.Or(clauses) if clauses else None

    def _analysed(self, fieldname: str, text: str, boost: float = 1.0):
        """Term (one token) or Phrase (several) of ``text`` analysed for ``fieldname``."""
        toks = analysis.tokens(_SCHEMA[fieldname].analyzer, text)
        if not toks:
            return None
        if len(toks) == 1:
            if not self._negated:
                self.marks.add_terms(fieldname, toks)
            return wq.Term(fieldname, toks[0], boost=boost)
        if not self._negated:
            self.marks.add_phrase(fieldname, toks)
        return wq.Phrase(fieldname, toks, boost=boost)

    def _wildcard(self, word: Word):
        pattern = analysis.fold(word.text.lower())
        prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        regex = re.compile(".*?".join(".".join(map(re.escape, part.split("?"))) for part in pattern.split("*")) + "$")
        label, found = _label(word), []
        from_bytes = _SCHEMA["words"].from_bytes
        source = self.reader.expand_prefix("words", prefix) if prefix else self.reader.lexicon("words")
        alive = self.lexicon.alive  # asked only of the words the pattern matches
        with self.budget.expanding(label):
            for n, raw in enumerate(source):
                if n % 256 == 0:
                    self.budget.check(label)
                if regex.match(term := from_bytes(raw)) and alive("words", raw):
                    found.append(term)
                    if len(found) > MAX_EXPANSION:
                        raise QueryError(f"'{word.text}' stands for more than {MAX_EXPANSION} different words; "
                                         "add letters to narrow it down")
        self.budget.charge(label, len(found))
        return self._any_of("words", found)

    def _fuzzy(self, word: Word):
        """Indexed words (and stems: "Laidonr~" reaches the Latvian "Laidoners" through its
        stem) up to ``word.fuzzy`` edits away, sharing the first letter."""
        if len(analysis.tokens(analysis.words_analyzer(), word.text)) != 1:
            return self._text(word.text)
        label, clauses = _label(word), []
        with self.budget.expanding(label):
            for fieldname in ("words", "text_lv", "text_en"):
                toks = analysis.tokens(_SCHEMA[fieldname].analyzer, word.text)
                near = self._near(fieldname, toks[0], word.fuzzy, label) if toks else []
                if near:
                    self.budget.charge(label, len(near))
                    clauses.append(self._any_of(fieldname, near))
        return wq.Or(clauses) if clauses else wq.NullQuery

    def _near(self, fieldname: str, token: str, dist: int, label: str) -> list[str]:
        """Up to MAX_EXPANSION indexed terms of ``fieldname`` within ``dist`` edits of ``token``
        (first letter shared), remembered per reader: a search repeated, or recompiled for
        did-you-mean, does not walk the lexicon again."""
        key = (fieldname, token, dist)
        with _cache_lock:
            known = _expansions.setdefault(self.reader, {}).get(key)
        if known is not None:
            return list(known)
        near = []
        for term in self.lexicon.terms_within(fieldname, token, dist, prefix=1):
            near.append(term)
            self.budget.check(label)
        near = sorted(near)[:MAX_EXPANSION]
        with _cache_lock:
            cache = _expansions.setdefault(self.reader, {})
            if len(cache) >= CACHE_SIZE:
                cache.clear()
            cache[key] = tuple(near)
        return near

    def _any_of(self, fieldname: str, terms: list[str]):
        if not self._negated:
            self.marks.add_terms(fieldname, terms)
        return wq.Or([wq.Term(fieldname, t) for t in terms]) if terms else wq.NullQuery

    def _lexicon(self, fieldname: str, prefix: str) -> list[str]:
        from_bytes = _SCHEMA[fieldname].from_bytes
        return [from_bytes(b) for b in self.lexicon.terms(fieldname, prefix)]

    # -- field filters ------------------------------------------------------------------

    def filters(self, params: dict):
        """The filter query of the URL parameters lang, doc, person, place, from, to (None when
        there are none). Raises QueryError for an unknown value or a malformed date."""
        parts = [getattr(self, "_field_" + name)(Word(params[name].strip()))
                 for name in ("lang", "doc", "person", "place") if (params.get(name) or "").strip()]
        if params.get("from") or params.get("to"):
            parts.append(self._range(params.get("from"), params.get("to")))
        return (wq.And(parts) if len(parts) > 1 else parts[0]) if parts else None

    def _range(self, start: str | None, end: str | None):
        lo = values.day_bound(start) if start else None
        hi = values.day_bound(end, end=True) if end else None
        if lo and hi and lo > hi:
            raise QueryError(f"the date range ends ({end}) before it starts ({start})")
        self._mark(ranges=[(lo or "0000-01-01", hi or "9999-12-31")])
        return wq.TermRange("days", lo, hi)

    def _field_lang(self, value):
        return self._known("lang", value.text.lower(), "language")

    def _field_doc(self, value):
        return self._known("doc", value.text, "document")

    def _known(self, fieldname: str, value: str, what: str):
        known = self._lexicon(fieldname, "")
        if value not in known:
            raise QueryError(f"there is no {what} '{value}'; the {what}s are: " + ", ".join(known))
        return wq.Term(fieldname, value)

    def _field_person(self, value):
        return self._entity_filter("person", value)

    def _field_place(self, value):
        return self._entity_filter("place", value)

    def _entity_filter(self, kind: str, value):
        clauses = [q for q in [self._analysed(kind, value.text)] if q is not None]
        if value.text in self.entities and self.entities[value.text]["kind"] == kind:
            clauses.append(wq.Term(f"{kind}_ids", value.text))
            self._mark(entities={value.text})
        if not clauses:
            raise QueryError(f"{kind}: needs a name, e.g. {kind}:{'Molotov' if kind == 'person' else 'Tallinn'}")
        self._mark(entities=self._entities_named(kind, value.text, kind))
        return wq.Or(clauses)

    def _field_date(self, value):
        m = RANGE.match(value.text)
        if m:
            return self._range(m[1], m[2])
        values.day_bound(value.text)  # raises QueryError for a malformed date
        return self._date_term(value.text)

    def _date_term(self, text: str):
        key = text.split("T")[0]
        self._mark(dates={key})
        return wq.Term("date", key, boost=2.0)

    # -- marks ----------------------------------------------------------------------------

    def _entities_named(self, fieldname: str, text: str, kind: str | None = None) -> set[str]:
        """The entities one of whose names holds every token of ``text`` (of ``kind`` if given):
        looked up per token, not by a walk over the whole register (12 ms a word at 500
        documents): in the generation's token index (``generation.Entities.with_tokens``), or
        in ``_by_token`` for an entity table given as a dict."""
        toks = set(analysis.tokens(_SCHEMA[fieldname].analyzer, text))
        if not toks:
            return set()
        if hasattr(self.entities, "with_tokens"):
            return self.entities.with_tokens(toks, kind)
        index = _by_token(self.entities)
        found = set.intersection(*(index.get(t, set()) for t in toks))
        return {i for i in found if kind in (None, self.entities[i]["kind"])}

    def _mark(self, entities=(), quantities=(), dates=(), ranges=()) -> None:
        if self._negated:
            return
        self.marks.entities.update(entities)
        self.marks.quantities.update(quantities)
        self.marks.dates.update(dates)
        self.marks.ranges.extend(ranges)


_token_index: dict[int, tuple[dict, dict[str, set[str]]]] = {}  # id(entities) -> (entities, token -> ids)


def _by_token(entities: dict[str, dict]) -> dict[str, set[str]]:
    """Name token -> the ids of the entities whose names hold it, built once per entity table
    given as a dict (a served generation's is looked up in SQLite instead; the few most recent
    are kept)."""
    hit = _token_index.get(id(entities))
    if hit is not None and hit[0] is entities:
        return hit[1]
    index: dict[str, set[str]] = {}
    for i, e in entities.items():
        for t in e["tokens"]:
            index.setdefault(t, set()).add(i)
    with _cache_lock:
        _token_index[id(entities)] = (entities, index)
        for old in list(_token_index)[:-4]:
            del _token_index[old]
    return index


def _label(word: Word) -> str:
    """A wildcard or fuzzy word as the reader typed it, for messages."""
    return f"{word.text}~{word.fuzzy}" if word.fuzzy else word.text


def _leaf_queries(clauses):
    return [c for c in clauses if hasattr(c, "fieldname")]
