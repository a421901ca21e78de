"""The collection endpoint answers from per-document aggregates of the edition store (one
query: ``Edition.cite_chains``), the same typology and unit counts as walking every citation
tree (dts/source.py ``with_trees``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactarchive.corpus import Corpus
from pactarchive.dts import source
from pactarchive.dts.navigation import cite_structure
from pactarchive.store import Edition
from pactarchive.store.compile import compile_store

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path("/work/shared/tei-samples")
CORPORA = [ROOT / "tei", ROOT / "tests" / "fixtures"] + (sorted(p for p in SHARED.iterdir() if p.is_dir()) if SHARED.is_dir() else [])


@pytest.mark.parametrize("tei", CORPORA, ids=lambda p: p.name)
def test_aggregates_equal_the_walked_trees(tei, tmp_path):
    corpus = Corpus.load(tei)
    if corpus.errors:
        pytest.skip("a corpus with errors is never compiled")
    compile_store(corpus, tmp_path / "store.sqlite")
    edition = Edition(tmp_path / "store.sqlite")
    stored = {r.id: (r.cite_structure, r.units) for r in source.resources(edition)}
    assert stored
    for doc_id, (structure, units) in stored.items():
        tree = source.tree(edition.documents[doc_id])
        assert units == len(tree.units), doc_id
        assert structure == cite_structure(tree.units), doc_id


def test_a_collection_request_walks_no_citation_tree(client, monkeypatch):
    from pactarchive.web import dts as web_dts

    def refuse(doc):
        raise AssertionError(f"walked the citation tree of {doc.id}")
    web_dts._Archive._cache = {}
    monkeypatch.setattr(source, "tree", refuse)
    r = client.get("/api/dts/collection?id=pactarchive")
    assert r.status_code == 200, r.get_data(as_text=True)
    members = r.get_json()["member"]
    assert members and all(m["citationTrees"][0]["citeStructure"] for m in members if m["@type"] == "Resource")
