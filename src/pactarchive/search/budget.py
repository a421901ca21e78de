"""The cost budget of one search: what its wildcard and fuzzy words may cost.

A word like ``x~2`` or ``ka*`` is expanded against the index's vocabulary of several fields; each
expansion costs far more than a plain word (a Levenshtein automaton walked over the lexicon:
~0.1 s for one fuzzy word over 60,000 word types, case 11), and every expanded term becomes a
clause of the query. The 500-character limit bounds the length of a query, not its cost, so one
search is also bounded by (Lucene's maxClauseCount / max_expansions, Elasticsearch's
``indices.query.bool.max_clause_count`` do the same):

- ``MAX_WORDS`` wildcard and fuzzy words in one query (checked before any work);
- ``MAX_TERMS`` indexed terms all of them together may stand for;
- ``SECONDS`` of time to expand them, waiting for a turn included;
- ``SEARCH_SECONDS`` to run the query once expanded (collecting its matches);
- ``SLOTS`` expansions running at once in the process: the others wait (sleeping, so plain
  searches keep the CPU: Python runs one thread at a time, and eight CPU-bound expansions would
  otherwise each take an eighth of it away from every plain search).

Each limit is a QueryError (HTTP 400) that says what to narrow; waiting too long for a turn is a
SearchBusy (a QueryError too, so a 400 unless the web layer maps it to 503 with Retry-After).
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from ..errors import QueryError, SearchBusy

MAX_WORDS = 4
MAX_TERMS = 300
SECONDS = 2.0
SEARCH_SECONDS = 5.0  # running the whole query once expanded (search/query.py): a last bound
SLOTS = 1
_slots = threading.BoundedSemaphore(SLOTS)

NARROW = "use fewer wildcard (*, ?) and fuzzy (~) words, or make them more specific (more letters, ~1 instead of ~2)"


class Budget:
    """What one search may still spend. ``clock`` is for tests."""

    def __init__(self, max_words: int | None = None, max_terms: int | None = None,
                 seconds: float | None = None, clock=time.monotonic):
        self.max_words = MAX_WORDS if max_words is None else max_words
        self.max_terms = MAX_TERMS if max_terms is None else max_terms
        self.seconds = SECONDS if seconds is None else seconds
        self.clock = clock
        self.deadline = clock() + self.seconds
        self.terms = 0
        self.spent: dict[str, int] = {}  # word as typed -> terms it stands for

    def words(self, words: list[str]) -> None:
        """Check the number of wildcard and fuzzy words before expanding any. Raises QueryError."""
        if len(words) > self.max_words:
            shown = ", ".join(words[:6]) + (", ..." if len(words) > 6 else "")
            raise QueryError(f"this query has {len(words)} wildcard or fuzzy words ({shown}); at most "
                             f"{self.max_words} are allowed in one search: remove some, or type the words in full")

    def charge(self, word: str, terms: int = 1) -> None:
        """Count ``terms`` more indexed terms for ``word``. Raises QueryError over the cap."""
        self.terms += terms
        self.spent[word] = self.spent.get(word, 0) + terms
        if self.terms > self.max_terms:
            each = ", ".join(f"{w}: {n}" for w, n in self.spent.items())
            raise QueryError(f"the wildcard and fuzzy words of this query stand for more than {self.max_terms} "
                             f"indexed words together ({each}); {NARROW}")

    def check(self, word: str) -> None:
        """Raises QueryError when the time budget is spent."""
        if self.clock() > self.deadline:
            raise QueryError(f"this query took more than {self.seconds:g} s to expand its wildcard and fuzzy "
                             f"words (stopped at '{word}'); {NARROW}")

    @contextmanager
    def expanding(self, word: str):
        """Hold one of the process's expansion slots while expanding ``word``; waiting counts
        against the time budget. Raises QueryError when no slot frees up in time."""
        if not _slots.acquire(timeout=max(0.0, self.deadline - self.clock())):
            raise SearchBusy("the server is busy expanding the wildcard and fuzzy words of other searches; "
                             "try again in a moment, or search without * ? ~")
        try:
            self.check(word)
            yield self
        finally:
            _slots.release()
