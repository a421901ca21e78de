"""Every file we have (the real samples in tests/samples, the same as ../shared/tei-samples, the
edition's tei/, and every fixture in tests/fixtures): each document's reading text lies wholly in
its finest passages (or the reason it does not is recorded here), and every finest passage is
found by a search for one of its rarest words."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from pactarchive.corpus import Corpus
from pactarchive.search import analysis, build_index, search

ROOT = Path(__file__).parent
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "fixtures"
# fixture files that only make sense together
TOGETHER = {"prefixdef_pointers.xml": ["prefixdef_register.xml"], "aligned_a.xml": ["aligned_b.xml", "aligned_links.xml"]}
COMPANIONS = {c for cs in TOGETHER.values() for c in cs}
# documents whose text is not wholly in passages, and why
INCOMPLETE: dict[str, str] = {
    "wrong_cref_pattern": "its cRefPattern fails; the nesting fallback finds only what it can",
}
ARCHIVES = ([pytest.param(SAMPLES / d.name, id=d.name) for d in sorted(SAMPLES.iterdir()) if d.is_dir()]
            + [pytest.param(ROOT.parent / "tei", id="tei")]
            + [pytest.param(f.name, id=f.stem) for f in sorted(FIXTURES.glob("*.xml")) if f.name not in COMPANIONS])
MAX_HITS = 50


def _load(which, tmp_path) -> Corpus:
    tei = tmp_path / "tei"
    if isinstance(which, Path):
        shutil.copytree(which, tei, ignore=shutil.ignore_patterns("*.json", "sources"))
    else:
        tei.mkdir()
        for name in [which, *TOGETHER.get(which, [])]:
            shutil.copy(FIXTURES / name, tei / name)
    return Corpus.load(tei)


@pytest.mark.parametrize("which", ARCHIVES)
def test_every_word_lies_in_a_passage_and_every_passage_is_found(which, tmp_path):
    corpus = _load(which, tmp_path)
    assert corpus.documents, corpus.problems
    for doc in corpus.documents.values():
        assert doc.coverage.complete or doc.id in INCOMPLETE, f"{doc.id}: {doc.coverage.summary()}"
    build_index(corpus, tmp_path / "index")
    words = analysis.words_analyzer()
    for doc in corpus.documents.values():
        leaves = doc.leaves()
        freq = Counter(t for p in leaves for t in set(analysis.tokens(words, p.text())))
        missed = []
        for p in leaves:
            word = _rarest(p.text(), freq, words)
            if word is None:
                continue  # no searchable word: numbers only, stop words only
            refs = [h["ref"] for h in search(tmp_path / "index", word, doc=doc.id, size=MAX_HITS).hits]
            if f"{doc.id}:{p.path}" not in refs:
                missed.append((p.path, word))
        assert not missed, f"{doc.id}: passages not found by one of their rare words: {missed[:10]}"


def _rarest(text: str, freq: Counter, words) -> str | None:
    """The surface form of the passage's rarest searchable word (when it is rare enough to
    come back in one page of MAX_HITS)."""
    best = None
    for start, end in analysis.word_spans(text):
        surface = text[start:end]
        toks = analysis.tokens(words, surface)
        if len(toks) != 1 or len(toks[0]) < 3 or toks[0].isdigit():
            continue
        key = (freq[toks[0]], -len(toks[0]))
        if key[0] <= MAX_HITS and (best is None or key < best[0]):
            best = (key, surface)
    return best[1] if best else None
