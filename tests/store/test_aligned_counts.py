"""``Edition.aligned_counts``: the documents a document is aligned with, counted in one query,
give the same partner as counting ``aligned`` of every finest passage (render/parallel.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pactarchive import refs
from pactarchive.corpus import Corpus
from pactarchive.store import Edition
from pactarchive.store.compile import compile_store

ROOT = Path(__file__).resolve().parents[2]
PAIRED = [ROOT / "tei", Path("/work/shared/tei-samples/pair-lysias34-grc-eng")]


@pytest.fixture(scope="module", params=[p for p in PAIRED if p.is_dir()], ids=lambda p: p.name)
def edition(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "store.sqlite"
    compile_store(Corpus.load(request.param), path)
    return Edition(path)


def test_counts_are_those_of_every_leaf_in_reading_order(edition):
    some = False
    for doc_id in edition.documents:
        walked = Counter(r.split(":", 1)[0] for p in edition.documents[doc_id].leaves()
                         for r in edition.aligned(refs.format_ref(doc_id, p.path)))
        counted = edition.aligned_counts(doc_id)
        assert dict(counted) == dict(walked)
        assert [n for _, n in counted] == sorted((n for _, n in counted), reverse=True)
        if walked:
            some = True
            assert counted[0][0] == walked.most_common(1)[0][0]
    assert some, "the corpus has aligned documents"
