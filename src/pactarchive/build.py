"""The build pipeline: a checked Corpus -> one new index generation holding the Whoosh index
(search/) and the edition store (store/), swapped in atomically on success.

    parse + model + link   corpus.Corpus.load (tei/, crosslinks)
    index                  search.build_index: Whoosh, tables, lookup.sqlite, manifest
    compile                store.compile_store: store.sqlite, inside the same generation,
                           before the swap (search/store.py's build-then-swap scheme)

A failure anywhere discards the new generation; the one being served stays.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .corpus import Corpus
from .search import BuildResult, build_index
from .store import STORE_FILE, STORE_VERSION, compile_store


def build(corpus: Corpus, index_dir: Path, progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build a new generation of ``corpus`` under ``index_dir`` and make it current.
    Raises whatever the index or the store raised (the served generation is untouched)."""
    def store(tmp: Path) -> dict:
        counts = compile_store(corpus, tmp / STORE_FILE)
        return {"store_version": STORE_VERSION, "store": vars(counts)}
    return build_index(corpus, index_dir, progress, extra=store)
