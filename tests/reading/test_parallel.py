"""Which documents the reading view pairs, and how their passages line up (render/parallel.py)."""

import pytest

from pactarchive.errors import QueryError, RefError, UnknownDocument
from pactarchive.render.parallel import choose_pair, pair_with, rows


def test_default_pair_is_english_left_latvian_right(fx_corpus, corpus):
    assert choose_pair(fx_corpus) == ("hen", "lv")
    assert choose_pair(corpus) == ("hen", "lv")


def test_explicit_sides_win_and_the_other_side_is_filled(fx_corpus):
    assert choose_pair(fx_corpus, "lv", "hen") == ("lv", "hen")
    assert choose_pair(fx_corpus, right="hen") == ("lv", "hen")


def test_at_opens_a_pair_containing_its_document(corpus):
    assert choose_pair(corpus, at="lv:2.2.4") == ("hen", "lv")
    assert choose_pair(corpus, at="lv-en:2.2.4") == ("lv-en", "lv")
    assert choose_pair(corpus, "hen", "lv", at="lv-en:1.1.1") == ("lv-en", "lv")  # replaces the side in its language
    assert choose_pair(corpus, left="lv", at="lv-en:1.1.1") == ("lv", "lv-en")
    assert pair_with(corpus, "lv-en") == ("lv-en", "lv")


@pytest.mark.parametrize("args,error", [(("lv", "lv"), QueryError), (("nope", None), UnknownDocument),
                                        ((None, None, "lv:99"), RefError), ((None, None, "garbage"), RefError)])
def test_bad_choices_raise_domain_errors(fx_corpus, args, error):
    with pytest.raises(error):
        choose_pair(fx_corpus, *args)


def test_rows_pair_aligned_passages_and_keep_the_rest_in_order(fx_corpus):
    # the fixtures cite by nesting: division heads and back matter are passages of their own
    assert rows(fx_corpus, "hen", "lv") == [
        {"left": [], "right": ["lv:1.head"]},
        {"left": ["hen:1.head"], "right": []},
        {"left": ["hen:1.1.1"], "right": ["lv:1.1.1"]},
        {"left": ["hen:1.1.2"], "right": ["lv:1.1.2"]},
        {"left": [], "right": ["lv:2.head"]},
        {"left": ["hen:1.1.3"], "right": ["lv:2.1.1"]},
        {"left": [], "right": ["lv:2.1.2", "lv:2.1.3", "lv:2.1.4", "lv:back.1.head", "lv:back.1.listBibl.1"]},
        {"left": ["hen:1.2.1"], "right": []},
    ]


def test_every_passage_is_in_exactly_one_row(corpus):
    for left, right in (("hen", "lv"), ("lv", "hen"), ("lv", "lv-en")):
        got = rows(corpus, left, right)
        for side, doc in (("left", left), ("right", right)):
            listed = [r for row in got for r in row[side]]
            assert listed == [f"{doc}:{p.path}" for p in corpus.documents[doc].leaves()] or \
                sorted(listed) == sorted(f"{doc}:{p.path}" for p in corpus.documents[doc].leaves())


def test_translation_pairs_every_sentence_one_to_one(corpus):
    got = rows(corpus, "lv", "lv-en")
    assert len(got) == len(corpus.documents["lv"].leaves())
    assert all(row["right"] == [row["left"][0].replace("lv:", "lv-en:")] for row in got)
