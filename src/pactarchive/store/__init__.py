"""The edition store: the archive compiled once at build time into one SQLite file per index
generation (``index/gen-*/store.sqlite``, beside the Whoosh index), served by lookups.

    schema.sql   the tables (documents, passages, alignment, entities, mentions, notes, dates,
                 files, ids), each column explained
    compile.py   Corpus (+ render) -> store.sqlite, at build time
    queries.py   Edition: the read-only facade the web layer asks (Corpus's method names), one
                 connection per thread, indexed SELECTs only

Knows nothing of Flask; uses corpus, render and tei below it. See docs/architecture.md.
"""

from .compile import STORE_FILE, STORE_VERSION, StoreBuild, StoreCounts, compile_store
from .queries import Edition, StaleStore, StoredDocument, StoredPassage, open_edition

__all__ = ["STORE_FILE", "STORE_VERSION", "StoreBuild", "StoreCounts", "compile_store", "Edition", "StaleStore",
           "StoredDocument", "StoredPassage", "open_edition"]
