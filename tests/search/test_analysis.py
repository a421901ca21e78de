"""Analysis: every analyzer documents its tokens (doctests), Latvian inflection families and
typed-without-diacritics forms meet, English stems, stop words vanish everywhere at once."""

from __future__ import annotations

import doctest
import inspect

import pytest

from pactarchive.search import analysis, snippets, syntax, values
from pactarchive.search.analysis import english_analyzer, latvian_analyzer, names_analyzer, tokens, words_analyzer


@pytest.mark.parametrize("module", [analysis, values, snippets, syntax])
def test_the_examples_in_the_docstrings_hold(module):
    result = doctest.testmod(module)
    assert result.failed == 0
    assert module is syntax or result.attempted > 0


@pytest.mark.parametrize("factory", [words_analyzer, latvian_analyzer, english_analyzer, names_analyzer])
def test_every_analyzer_shows_its_tokens_in_its_docstring(factory):
    assert ">>> tokens(" in inspect.getdoc(factory)


@pytest.mark.parametrize("family", [
    "līgums līgumu līguma līgumā", "kareivis kareivju kareivji", "Selters Seltera Selteram Selteru",
    "delegācija delegācijas delegāciju delegācijai", "flote flotes flotei", "vēstnieks vēstnieku vēstnieka",
    "okupācija okupācijai okupāciju", "Molotovs Molotova Molotovu", "Tallinā Tallinas Tallinai",
    "Petss Petsu Petsa", "Staļins Staļinu Staļina"])
def test_latvian_inflection_families_share_one_token(family):
    assert len({tuple(tokens(latvian_analyzer(), form)) for form in family.split()}) == 1


@pytest.mark.parametrize("typed, written", [
    ("Stalins", "Staļins"), ("okupacija", "okupācija"), ("delegacija", "delegācija"),
    ("vestniekam", "vēstnieks"), ("Nikitinu", "Ņikitinu"), ("Kenigsberga", "Kēnigsbergā"), ("Orzel", "Orzeł")])
def test_latvian_words_typed_without_diacritics_meet_the_text(typed, written):
    assert tokens(latvian_analyzer(), typed) == tokens(latvian_analyzer(), written)


def test_english_stems_and_folds():
    assert tokens(english_analyzer(), "troops alliances Päts") == tokens(english_analyzer(), "troop alliance Pats")


@pytest.mark.parametrize("factory", [words_analyzer, latvian_analyzer, english_analyzer, names_analyzer])
def test_function_words_of_both_languages_vanish_in_every_analyzer(factory):
    assert tokens(factory(), "the un in ar and par") == []


def test_different_words_stay_apart():
    a = latvian_analyzer()
    assert tokens(a, "kara") != tokens(a, "kareivji")
    assert tokens(a, "valsts") != tokens(a, "valdība")
