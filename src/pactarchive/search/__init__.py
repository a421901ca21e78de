"""Full-text search over the corpus. The only package that imports whoosh (docs/search.md).

    analysis.py    the analyzers (Latvian, English, surface words, entity names), with their tokens
    values.py      quantities and dates, normalised for indexing and for queries
    schema.py      the Whoosh schema, every field option explained
    records.py     corpus -> one record per finest passage, entity table, vocabulary
    indexer.py     build a generation: records, tables, manifest; swap in on success
    store.py       index generations on disk: build into a new directory, swap on success
    generation.py  the generation being served: opened once, a searcher per thread, lookups
    tree.py        the query syntax tree
    lexer.py       query text -> tokens
    syntax.py      tokens -> tree (parse), with a QueryError saying how to fix a bad query
    compiler.py    tree -> Whoosh query across the fields, and what to mark in the hits
    budget.py      what one search may cost: wildcard/fuzzy words, expanded terms, time, turns
    snippets.py    keyword-in-context snippets with <mark>, everything else escaped
    suggest.py     did-you-mean
    ranking.py     the order of the matches, and their grouping with their aligned passages
    query.py       search(): filters, ranking, grouping, pages, facets -> plain data
"""

from .indexer import build_index, BuildResult, IndexBuild
from .query import search, search_all, SearchResults
from .store import is_stale, current_generation

__all__ = ["build_index", "BuildResult", "IndexBuild", "search", "search_all", "SearchResults", "is_stale", "current_generation"]
