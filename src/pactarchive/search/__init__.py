"""Full-text search over the corpus. The only package that imports whoosh.

    store.py     index generations on disk: build into a new directory, swap on success
    schema.py    the Whoosh schema and analyzers
    indexer.py   corpus -> index records
    query.py     parse and run queries; results as plain data
"""

from .indexer import build_index, BuildResult
from .query import search, SearchResults
from .store import is_stale, current_generation

__all__ = ["build_index", "BuildResult", "search", "SearchResults", "is_stale", "current_generation"]
