"""The result cache: the pages of results the process computed lately, per index generation.

A generation never changes once built (store.py: a build writes a new one and swaps), so a
page of results computed from it stays true as long as that generation is served: the key
holds the generation's directory name, and a new generation simply misses (its old entries
age out of the LRU). The key is everything a page of results depends on: the generation, the
normalised query (``syntax.clean``: spaces collapsed), the filters, the order, the grouping,
the page, its size, and the limits it was computed within (how many matches are ranked, the
count cap, the time and the cost budget of budget.py: constants in a server, changed by tests)
(docs/search.md, "Search at scale").

Bounded LRU of ``PACTARCHIVE_SEARCH_CACHE`` entries (default 256; 0 turns it off), one per
process and shared by its threads. Values are copied in and out (``copy.deepcopy``): callers
decorate the dicts they get (web/searching.py adds links to facets), and a cached page must not
see that. Errors are never cached.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from typing import Any, Hashable

DEFAULT_SIZE = 256


def _size_from_env() -> int:
    raw = os.environ.get("PACTARCHIVE_SEARCH_CACHE", "")
    try:
        return max(0, int(raw)) if raw.strip() else DEFAULT_SIZE
    except ValueError:
        return DEFAULT_SIZE


class ResultCache:
    """A thread-safe bounded LRU of deep-copied values. ``hits`` and ``misses`` count lookups."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = size
        self.hits = self.misses = 0
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        """A copy of the value cached under ``key``, or None."""
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
        return copy.deepcopy(value)

    def put(self, key: Hashable, value) -> None:
        """Cache a copy of ``value`` (nothing when the cache is off), dropping the least recently
        used entries beyond ``size``."""
        if self.size <= 0:
            return
        value = copy.deepcopy(value)
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def resize(self, size: int) -> None:
        """Change the bound (0: off); drops what no longer fits."""
        with self._lock:
            self.size = max(0, size)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


CACHE = ResultCache(_size_from_env())
