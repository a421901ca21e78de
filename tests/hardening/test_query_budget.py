"""The cost budget of a search (search/budget.py, case 11): how many wildcard and fuzzy words,
how many terms they stand for together, how long expanding them may take, one expansion at a
time; each limit a 400 saying what to narrow. Latency under load: benchmarks/query_budget.py."""

from __future__ import annotations

import itertools
import threading

import pytest

from pactarchive.errors import QueryError, SearchBusy
from pactarchive.search import budget, search
from pactarchive.search.compiler import Compiler
from pactarchive.search import generation, syntax


@pytest.fixture(scope="module")
def vocab_index(tmp_path_factory):
    """A small index of invented words like case 11's (600 sentences of 12 distinct words)."""
    from pactarchive.corpus import Corpus
    from pactarchive.search import build_index
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = ("".join(t) for t in itertools.product(syllables, repeat=3))
    pick = itertools.islice(words, 0, 7200 * 5, 5)
    sents = ["<s>" + " ".join(next(pick) for _ in range(12)) + ".</s>" for _ in range(600)]
    paras = "".join(f"<p>{''.join(sents[i:i + 10])}</p>" for i in range(0, 600, 10))
    tei_dir = tmp_path_factory.mktemp("vocab")
    (tei_dir / "vocab.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="vocab" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
        "<title>V</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>"
        f"</fileDesc></teiHeader><text><body>{paras}</body></text></TEI>")
    index = tmp_path_factory.mktemp("vocab-index")
    build_index(Corpus.load(tei_dir), index)
    return index


FUZZY32 = " ".join(f"{w}x~2" for w in "babab bezas bovem datif disiv durop fepuk fopab ganas gimem gulif kekiv "
                                         "kogop lafuk lifab ludas mebem mizif muviv netop nosuk pasab piras pupem "
                                         "renif romiv salop sikuk sukab tegas tofem vadif".split())


def test_more_wildcard_and_fuzzy_words_than_allowed_are_refused_before_any_work(vocab_index, monkeypatch):
    calls = []
    monkeypatch.setattr(Compiler, "_fuzzy", lambda self, word: calls.append(word))
    with pytest.raises(QueryError) as info:
        search(vocab_index, FUZZY32)
    assert "this query has 32 wildcard or fuzzy words (bababx~2, bezasx~2," in str(info.value)
    assert f"at most {budget.MAX_WORDS} are allowed" in str(info.value)
    assert calls == []


def test_four_fuzzy_words_are_answered(vocab_index):
    assert search(vocab_index, "bababa~1 bababe~1 bababi~1 babado~1").total > 0


def test_the_terms_of_all_expanding_words_together_are_capped(vocab_index, monkeypatch):
    monkeypatch.setattr(budget, "MAX_TERMS", 5)
    assert search(vocab_index, "babab~1").total  # a few terms: fine
    with pytest.raises(QueryError) as info:
        search(vocab_index, "bababa~2 bab*")
    message = str(info.value)
    assert "stand for more than 5 indexed words together (bababa~2:" in message
    assert "more letters, ~1 instead of ~2" in message


def test_the_time_budget_stops_a_slow_expansion_with_a_message(vocab_index, monkeypatch):
    monkeypatch.setattr(budget, "SECONDS", 0.0)
    assert search(vocab_index, "bababa").total == 1  # no expansion, no cost
    with pytest.raises(QueryError) as info:
        search(vocab_index, "zizizi~2")
    assert "took more than 0 s to expand its wildcard and fuzzy words (stopped at 'zizizi~2')" in str(info.value)


def test_expansions_take_turns_and_plain_searches_do_not_wait(vocab_index, monkeypatch):
    monkeypatch.setattr(budget, "SECONDS", 0.3)
    budget._slots.acquire()  # another search is expanding
    try:
        assert search(vocab_index, "bababa").total == 1
        with pytest.raises(QueryError) as info:
            search(vocab_index, "fofofo~2")
        assert "busy" in str(info.value) and isinstance(info.value, SearchBusy)
    finally:
        budget._slots.release()
    assert search(vocab_index, "fofofo~2").total >= 0


def test_a_repeated_fuzzy_word_does_not_walk_the_lexicon_again(vocab_index, monkeypatch):
    gen = generation.current(vocab_index)
    reader = gen.searcher().reader()
    walks = []
    original = type(reader).terms_within

    def counting(self, *args, **kwargs):
        walks.append(args[:2])
        return original(self, *args, **kwargs)
    monkeypatch.setattr(type(reader), "terms_within", counting)
    first = Compiler(reader, gen.entities).compile(syntax.parse("kelomo~2"))
    assert len(walks) == 3  # words, text_lv, text_en
    again = Compiler(reader, gen.entities).compile(syntax.parse("kelomo~2"))
    assert len(walks) == 3 and repr(first) == repr(again)


def test_the_limits_are_a_400_saying_what_to_narrow(vocab_index, tei_dir):
    from pactarchive.web import create_app
    # WATCH_TEI off: this index is not built from tei_dir, and must not be rebuilt from it
    client = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": vocab_index, "WATCH_TEI": False}).test_client()
    r = client.get("/api/search", query_string={"q": FUZZY32})
    assert r.status_code == 400 and "at most 4 are allowed" in r.get_json()["error"]


def test_heavy_queries_in_threads_leave_plain_searches_answering(vocab_index):
    """Eight threads sending the heaviest allowed query: every plain search still answers
    (times are measured by the benchmark, not asserted here)."""
    stop, errors = threading.Event(), []

    def heavy():
        while not stop.is_set():
            try:
                search(vocab_index, "bababa~2 bezasa~2 bovema~2 datifa~2")
            except QueryError as exc:  # refused for cost or busy: allowed
                errors.append(str(exc))
    threads = [threading.Thread(target=heavy) for _ in range(8)]
    for t in threads:
        t.start()
    try:
        assert all(search(vocab_index, "bababa").total == 1 for _ in range(5))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert all("busy" in e or "more than" in e for e in errors)
