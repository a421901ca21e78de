"""Corpus -> Whoosh index, built into a new generation and swapped in on success.

``build_index`` writes the Whoosh index, the tables the query side needs and a small SQLite
lookup (``lookup.sqlite``: Whoosh document number, ref and facet values of every passage) into
a new generation; ``extra(tmp)``, when given, writes more into that generation before it is
swapped in (the build pipeline, build.py, compiles the edition store there)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from ..corpus import Corpus
from . import store
from .generation import ENTITIES, VOCABULARY, write_lookup
from .records import entity_table, passages, records, vocabulary
from .schema import make_schema


@dataclass
class BuildResult:
    documents: int
    passages: int
    seconds: float
    generation: Path


def build_index(corpus: Corpus, index_dir: Path, progress: Callable[[str, int, int], None] | None = None,
                extra: Callable[[Path], dict] | None = None, parallel: bool = False) -> BuildResult:
    """Index every passage of ``corpus`` into a new generation under ``index_dir`` and make it
    current. ``extra(generation_dir)`` runs before the swap; the dict it returns is added to
    the manifest. ``progress(stage, done, total)`` is told of the records made (``"records"``,
    per document), indexed (``"indexing"``, per record) and committed (``"committing"``, 0 or 1
    of 1). ``parallel`` lets Whoosh's
    multiprocessing writer write a large index (see ``PARALLEL_RECORDS``): it forks, so only a
    process without other threads should ask for it (the command line, not a server's rebuild).
    On any failure the new generation is discarded, the current one is kept and the error is
    raised again."""
    started = time.perf_counter()
    rows = list(records(corpus, progress))
    count = passages(rows)
    tmp = store.new_generation(index_dir)
    try:
        _write(tmp, rows, progress, None if parallel else 1)
        _dump(tmp / VOCABULARY, vocabulary(rows))
        rows = None  # the records are written: free them before the store is compiled (peak memory)
        table = entity_table(corpus)
        _dump(tmp / ENTITIES, table)
        write_lookup(tmp, table, {d.id: d.title for d in corpus.documents.values()})
        manifest = {"schema_version": store.SCHEMA_VERSION, "files": store.tei_manifest(corpus.tei_dir),
                    "documents": len(corpus.documents), "passages": count,
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        manifest.update(extra(tmp) if extra else {})
        final = store.publish(index_dir, tmp, manifest)
    except BaseException:
        store.discard(tmp)
        raise
    return BuildResult(len(corpus.documents), count, time.perf_counter() - started, final)


# From this many records on, the index is written by Whoosh's multiprocessing writer: each of
# ``procs`` processes analyses and writes a segment of its own (no final merge: a search reads
# every segment; scores use the statistics of the whole index, and ties are ranked by reading
# order, not by document number). Below it, starting processes costs more than it saves.
PARALLEL_RECORDS = 5000
LIMIT_MB = 256  # memory for each writer's posting pool before it spills to a temporary file


def _write(path: Path, rows: list[dict], progress, procs: int | None = None) -> None:
    """Add ``rows`` to a new Whoosh index in ``path``: one writer, or ``procs`` processes
    (default: one per core, at most 4, when there are ``PARALLEL_RECORDS`` rows or more)."""
    if procs is None:
        procs = min(os.cpu_count() or 1, 4) if len(rows) >= PARALLEL_RECORDS else 1
    ix = whoosh_index.create_in(str(path), make_schema())
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    try:
        with ix.writer(limitmb=LIMIT_MB, compound=False, **options) as writer:  # an exception inside cancels the writer
            for i, row in enumerate(rows, 1):
                writer.add_document(**{k: v for k, v in row.items() if v not in ("", [], None)})
                if progress:
                    progress("indexing", i, len(rows))
            if progress:  # the writer's commit sorts and writes the postings: long for a large index
                progress("committing", 0, 1)
        if progress:
            progress("committing", 1, 1)
    finally:
        ix.close()


def _dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
