"""The Whoosh schema: one record per citable passage at the finest level."""

from __future__ import annotations

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema


def make_schema() -> Schema:
    return Schema(
        ref=ID(stored=True, unique=True),          # "lv:2.3.1": the key of a passage
        doc=ID(stored=True, sortable=True),        # facet and filter
        lang=ID(stored=True, sortable=True),       # facet and filter
        order=NUMERIC(stored=True, sortable=True),  # reading order within the corpus
        text=TEXT(stored=True, chars=True, analyzer=StemmingAnalyzer()),
        context=TEXT(analyzer=StemmingAnalyzer()),  # headings of the enclosing sections
        entities=KEYWORD(stored=True, commas=False, scorable=True),
        title=STORED(),
    )
