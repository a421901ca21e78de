"""Corpus -> Whoosh index, built into a new generation and swapped in on success."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from ..corpus import Corpus
from ..tei import NS
from ..tei.text import plain_text
from . import store
from .schema import make_schema


@dataclass
class BuildResult:
    documents: int
    passages: int
    seconds: float
    generation: Path


def records(corpus: Corpus):
    """One dict per finest-level passage, in corpus reading order."""
    order = 0
    for doc in corpus.documents.values():
        for p in doc.leaves():
            order += 1
            ref = f"{doc.id}:{p.path}"
            heads = [plain_text(h) for a in p.element.iterancestors()
                     for h in a.xpath("tei:head", namespaces=NS)]
            yield {
                "ref": ref, "doc": doc.id, "lang": doc.lang, "order": order,
                "text": p.text(), "context": " ".join(heads),
                "entities": " ".join(corpus.entities_in(ref)), "title": doc.title,
            }


def build_index(corpus: Corpus, index_dir: Path, progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Index every passage of ``corpus`` into a new generation under ``index_dir`` and make it
    current. On any failure the new generation is discarded and the current one is kept."""
    started = time.perf_counter()
    rows = list(records(corpus))
    tmp = store.new_generation(index_dir)
    try:
        ix = whoosh_index.create_in(str(tmp), make_schema())
        with ix.writer() as writer:  # a failure inside cancels the writer
            for i, row in enumerate(rows, 1):
                writer.add_document(**row)
                if progress:
                    progress(i, len(rows))
        ix.close()
        manifest = {"schema_version": store.SCHEMA_VERSION, "files": store.tei_manifest(corpus.tei_dir),
                    "documents": len(corpus.documents), "passages": len(rows),
                    "built": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        final = store.publish(index_dir, tmp, manifest)
    except BaseException:
        store.discard(tmp)
        raise
    return BuildResult(len(corpus.documents), len(rows), time.perf_counter() - started, final)
