"""The index vocabulary a search sees is the words of the records still indexed
(``compiler.Lexicon``): after an incremental build Whoosh's lexicon and term statistics still
hold the words of the records it deleted (segments are never merged, indexer.py).

Real data: a copy of the edition's tei/ in which an editor corrects a word, built once in full
and once incrementally after the edit; what a reader sees of a search must be the same in both
(the contract of tests/store/test_incremental_edges.py)."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from whoosh import reading

from pactarchive import build
from pactarchive.corpus import Corpus
from pactarchive.errors import QueryError
from pactarchive.search import compiler, generation, search, syntax
from pactarchive.search.compiler import Compiler, Lexicon

HEN_SENTENCE = "30,000 troops"  # hen:1.1.2
LV_EN_SENTENCE = "Soviet</rs> troops moving"  # lv-en: an English passage of another document


@pytest.fixture()
def tei(tmp_path, tei_dir):
    copy = tmp_path / "tei"
    shutil.copytree(tei_dir, copy)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(tei: Path, index: Path, incremental: bool = True):
    return build.build(Corpus.load(tei), index, incremental=incremental)


def _both(tei: Path, tmp_path: Path, before, after) -> tuple[Path, Path]:
    """``before(tei)`` edits and builds; ``after(tei)`` edits again: the incremental index of
    the second build (checked to be one, with deletions) and a full build of the same files."""
    index, full = tmp_path / "index", tmp_path / "full"
    before(tei)
    _build(tei, index)
    after(tei)
    assert _build(tei, index).incremental
    _build(tei, full, incremental=False)
    assert generation.current(index).searcher().reader().has_deletions()
    return index, full


def _answer(index: Path, q: str, **filters):
    try:
        r = search(index, q, size=50, **filters)
    except QueryError as exc:
        return ("error", str(exc))
    return ([h["ref"] for h in r.hits], r.total, r.suggestion)


def _four_letter_words(letters: str, n: int) -> str:
    return " ".join("zq" + a + b for a, b in itertools.islice(itertools.product(letters, repeat=2), n))


def test_a_fuzzy_word_stands_only_for_words_still_indexed(tei, tmp_path):
    """70 words "zq??" are replaced by 40 others, all within two edits of "zqaa": a full build
    expands zqaa~2 to the 40 and finds hen:1.1.2; the incremental index's lexicon has 110 such
    words, and the 60 kept (``MAX_EXPANSION``, in alphabetical order) were all deleted ones."""
    old, new = _four_letter_words("abcdefghi", 70), _four_letter_words("qrstuvwx", 40)
    index, full = _both(tei, tmp_path, lambda t: _edit(t / "hen.xml", HEN_SENTENCE, f"{HEN_SENTENCE} {old}"),
                        lambda t: _edit(t / "hen.xml", old, new))
    assert "hen:1.1.2" in _answer(full, "zqaa~2")[0]
    assert _answer(index, "zqaa~2") == _answer(full, "zqaa~2")


def test_did_you_mean_ranks_its_corrections_by_the_words_still_indexed(tei, tmp_path):
    """Whoosh's corrector prefers, among the words near a misspelling, the most frequent. hen.xml
    says "Zanzibarian" three times, lv-en.xml once; the editor corrects hen's to "Zanzibarien"
    (twice). A full build then offers "Zanzibarien" (2) for "Zanzibarun", not "Zanzibarian"
    (1); counted with the three deleted, "Zanzibarian" would win (4)."""
    def before(t):
        _edit(t / "lv-en.xml", LV_EN_SENTENCE, "Soviet</rs> Zanzibarian troops moving")
        _edit(t / "hen.xml", HEN_SENTENCE, f"{HEN_SENTENCE} Zanzibarian, Zanzibarian, Zanzibarian")
    index, full = _both(tei, tmp_path, before, lambda t: _edit(t / "hen.xml", "Zanzibarian, Zanzibarian, Zanzibarian",
                                                               "Zanzibarien, Zanzibarien"))
    assert _answer(full, "Zanzibarun") == ([], 0, "Zanzibarien")
    assert _answer(index, "Zanzibarun") == _answer(full, "Zanzibarun")


def test_a_language_filter_knows_the_languages_of_the_records_still_indexed(tei, tmp_path):
    """``lang`` is checked against the lexicon like ``doc``: a sentence of hen.xml is marked as
    German (``xml:lang`` on the ``s``, the only German record), then the mark is taken off:
    lang=de is then an unknown language, with the languages there are."""
    german = '<s xml:id="hen-s2" n="2" xml:lang="de">'
    index, full = _both(tei, tmp_path, lambda t: _edit(t / "hen.xml", '<s xml:id="hen-s2" n="2">', german),
                        lambda t: _edit(t / "hen.xml", german, '<s xml:id="hen-s2" n="2">'))
    answer = _answer(full, "", lang="de")
    assert answer[0] == "error" and "there is no language 'de'" in answer[1]
    assert _answer(index, "", lang="de") == answer


# -- what it costs ------------------------------------------------------------------------------

@pytest.fixture()
def postings_read(monkeypatch):
    """How many times the Lexicon reads a term's postings or term info in a segment."""
    calls = {"postings": 0, "term_info": 0}
    for name in calls:
        real = getattr(reading.SegmentReader, name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(reading.SegmentReader, name, counted)
    return calls


def test_without_deletions_a_wildcard_costs_no_lookup_more(index_dir, postings_read):
    """In a full build (no deletions) the Lexicon is Whoosh's lexicon: expanding a wildcard,
    a fuzzy word and a doc filter reads no postings and no term statistics."""
    reader = generation.current(index_dir).searcher().reader()
    assert not Lexicon(reader).deletions
    comp = Compiler(reader, {})
    comp.compile(syntax.parse("Igaun* OR Molotow~"))
    comp.filters({"doc": "hen"})
    assert postings_read == {"postings": 0, "term_info": 0}


def test_with_deletions_each_word_is_checked_once_per_reader(tei, tmp_path, postings_read):
    """After an incremental build a wildcard checks only the words its pattern matches, each at
    most once per reader (remembered): compiled again, it reads nothing."""
    old, new = _four_letter_words("abcdefgh", 40), _four_letter_words("ijklmnop", 40)
    index, _ = _both(tei, tmp_path, lambda t: _edit(t / "hen.xml", HEN_SENTENCE, f"{HEN_SENTENCE} {old}"),
                     lambda t: _edit(t / "hen.xml", old, new))
    reader = generation.current(index).searcher().reader()
    assert len(list(reader.leaf_readers())) == 2  # the incremental build added a segment
    compiler._live.pop(reader, None)  # searches above may have checked some
    for name in postings_read:
        postings_read[name] = 0
    comp = Compiler(reader, {})
    comp.compile(syntax.parse("zq*"))
    assert len(comp.marks.terms["words"]) == 40
    # the 80 matches: 40 live ones in the new segment (no deletions: decided at once), 40 dead
    # ones in the old segment, each in one deleted record there (decided by its term info)
    assert postings_read == {"postings": 0, "term_info": 40}
    Compiler(reader, {}).compile(syntax.parse("zq*"))
    assert postings_read == {"postings": 0, "term_info": 40}


# -- the rule, against the stored records ---------------------------------------------------------

def _index(segments: list[list[str]], deleted):
    """A Whoosh index in RAM: one segment per list of records (each a string of words),
    committed without merging as an incremental build does, then the records numbered in
    ``deleted`` (in the order given) deleted."""
    from whoosh.fields import ID, KEYWORD, Schema
    from whoosh.filedb.filestore import RamStorage

    ix = RamStorage().create_index(Schema(ref=ID(stored=True), words=KEYWORD(stored=True, scorable=True)))
    n = 0
    for records in segments:
        w = ix.writer()
        for words in records:
            w.add_document(ref=str(n), words=words)
            n += 1
        w.commit(merge=False)
    w = ix.writer()
    for n in deleted:
        w.delete_by_term("ref", str(n))
    w.commit(merge=False)
    return ix


def _live_words(reader) -> dict[str, int]:
    """Word -> occurrences in the records not deleted, from their stored words."""
    live = [f["words"].split() for _, f in reader.iter_docs()]  # iter_docs skips the deleted
    return {w: sum(ws.count(w) for ws in live) for ws in live for w in ws}


def test_a_term_between_deleted_records_is_decided_as_its_postings_say():
    """One segment (an incremental build that only removed records). "a" is in two deleted
    records with a live one between (as many records as deleted ones between its first and
    last: its postings decide, dead); "h" is in three records, the middle one live (all but one
    between its first and last deleted: live); "e" ends in a live record."""
    records = ["a b c", "b", "a c d", "e", "e f", "f g", "g", "h", "h", "h"]
    deleted = [0, 2, 4, 5, 6, 7, 9]
    ix = _index([records], deleted)
    with ix.searcher() as s:
        reader = s.reader()
        lexicon = Lexicon(reader)
        truth = _live_words(reader)
        assert {t.decode(): lexicon.alive("words", t) for t in reader.lexicon("words")} == \
            {w: w in truth for w in "abcdefgh"}
        assert {w: lexicon.frequency("words", w) for w in truth} == truth


def _random_index(seed: int):
    """Two segments of 30 records of 1-6 words out of 40, a random third of them deleted."""
    import random

    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(40)]
    segments = [[" ".join(rng.choices(vocabulary, k=rng.randint(1, 6))) for _ in range(30)] for _ in range(2)]
    return _index(segments, rng.sample(range(60), 20))


@pytest.mark.parametrize("seed", range(20))
def test_a_term_is_live_when_a_record_not_deleted_holds_it(seed):
    """For every term of the index, ``Lexicon`` says live exactly when a record not deleted
    holds it (by the stored words), and counts its occurrences in those records only; its
    terms, terms within an edit distance and corrector agree."""
    ix = _random_index(seed)
    with ix.searcher() as s:
        reader = s.reader()
        assert reader.has_deletions() and len(list(reader.leaf_readers())) == 2
        truth = _live_words(reader)
        lexicon = Lexicon(reader)
        indexed = [t.decode() for t in reader.lexicon("words")]
        assert {t for t in indexed if lexicon.alive("words", t)} == set(truth)
        assert {t for t in indexed if lexicon.has("words", t)} == set(truth)
        assert not lexicon.has("words", "nosuch")
        assert [t.decode() for t in lexicon.terms("words")] == sorted(truth)
        assert {t: lexicon.frequency("words", t) for t in truth} == truth
        assert set(lexicon.terms_within("words", "w1", 1)) == {t for t in truth if len(t) <= 3 and t.startswith("w")
                                                               and _within_one(t, "w1")}
        assert all(s in truth for s in lexicon.corrector("words").suggest("w1x", limit=10, maxdist=2))


def _within_one(a: str, b: str) -> bool:
    from whoosh.support.levenshtein import distance
    return distance(a, b) <= 1
