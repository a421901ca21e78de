"""Lists a page shows whatever the archive's size: ``Edition.titles(first, also)`` and
``Edition.pairs_of(ids)`` give what filtering every title and every pair gives."""

from __future__ import annotations

from pactarchive.corpus import Corpus
from pactarchive.store import Edition
from pactarchive.store.compile import compile_store


def test_titles_and_pairs_of_equal_the_filtered_whole_lists(tei_dir, tmp_path):
    compile_store(Corpus.load(tei_dir), tmp_path / "store.sqlite")
    e = Edition(tmp_path / "store.sqlite")
    every = e.titles()
    for first in (0, 1, 2, 10):
        for also in ((), ("lv-en",), ("hen", "lv-en"), ("nope",)):
            assert e.titles(first, also) == [d for i, d in enumerate(every) if i < first or d["id"] in also]
    for ids in ((), ("hen",), ("lv",), ("lv-en", "hen"), ("nope",)):
        assert e.pairs_of(ids) == [p for p in e.pairs() if set(p) & set(ids)]
    assert e.pairs_of(("lv",)), "lv is aligned with hen and lv-en"
