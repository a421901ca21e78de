"""Index generations: a build swaps in a new index only on success; searches during and after
a rebuild keep answering; staleness follows the TEI files."""

import pytest

from pactarchive.corpus import Corpus
from pactarchive.search import build_index, current_generation, is_stale, search
from pactarchive.search import indexer


def test_stale_until_built_then_fresh_until_a_file_changes(make_tei, tmp_path):
    tei, ix = make_tei("aligned_a.xml"), tmp_path / "ix"
    assert is_stale(ix, tei)
    build_index(Corpus.load(tei), ix)
    assert not is_stale(ix, tei)
    (tei / "aligned_a.xml").write_text((tei / "aligned_a.xml").read_text().replace("Unmatched", "Changed"))
    assert is_stale(ix, tei)


def test_a_failed_build_leaves_the_served_index_alone(make_tei, tmp_path, monkeypatch):
    tei, ix = make_tei("aligned_a.xml"), tmp_path / "ix"
    build_index(Corpus.load(tei), ix)
    before = current_generation(ix)

    def explode(corpus, *args, **kwargs):
        yield {"ref": "a:1.1.1", "doc": "a", "lang": "en", "order": 1, "text": "x"}
        raise RuntimeError("disk full")
    monkeypatch.setattr(indexer, "records", explode)
    with pytest.raises(RuntimeError):
        build_index(Corpus.load(tei), ix)
    assert current_generation(ix) == before
    assert sorted(p.name for p in ix.iterdir() if p.name.startswith(".building")) == []
    assert search(ix, "troops").total == 1


def test_searches_keep_answering_across_a_rebuild(make_tei, tmp_path):
    tei, ix = make_tei("aligned_a.xml", "aligned_b.xml"), tmp_path / "ix"
    build_index(Corpus.load(tei), ix)
    assert search(ix, "troops").total == 1
    (tei / "aligned_b.xml").unlink()
    build_index(Corpus.load(tei), ix)
    assert search(ix, "troops").total == 1
    assert search(ix, "kareivju").total == 0  # the new generation is the one answering
    assert len(list(ix.glob("gen-*"))) == 2  # the previous one is kept for open searchers
    build_index(Corpus.load(tei), ix)
    assert len(list(ix.glob("gen-*"))) == 2
