"""The query language: what parses into what, and a helpful QueryError for everything else."""

from __future__ import annotations

import pytest

from pactarchive.errors import QueryError
from pactarchive.search.syntax import And, Field, Not, Or, Phrase, Word, clean, parse


def texts(node):
    if isinstance(node, (And, Or)):
        return (type(node).__name__, [texts(n) for n in node.items])
    if isinstance(node, Not):
        return ("Not", texts(node.item))
    if isinstance(node, Field):
        return (node.name, texts(node.value))
    return node.text


@pytest.mark.parametrize("q, tree", [
    ("Selters", "Selters"),
    ("Selters Molotovs", ("And", ["Selters", "Molotovs"])),
    ("Selters AND Molotovs", ("And", ["Selters", "Molotovs"])),
    ("Selters OR Seltera Molotovs", ("Or", ["Selters", ("And", ["Seltera", "Molotovs"])])),
    ("Selters NOT Molotovs", ("And", ["Selters", ("Not", "Molotovs")])),
    ("(flote OR kuģi) Tallina", ("And", [("Or", ["flote", "kuģi"]), "Tallina"])),
    ('"Baltijas flote" lang:lv', ("And", ["Baltijas flote", ("lang", "lv")])),
    ("„Baltijas flote“", "Baltijas flote"),
    ('person:"Konstantin Päts"', ("person", "Konstantin Päts")),
    ("25 000 kareivju", ("And", ["25 000", "kareivju"])),
    ("date:1939-09-20..1939-09-30", ("date", "1939-09-20..1939-09-30")),
    ("21:00", "21:00"),
    ("Sel\u00adters", "Selters"),  # a soft hyphen pasted with the word
    ("and or not", ("And", ["and", "or", "not"])),  # operators are upper case only
])
def test_parses(q, tree):
    assert texts(parse(q)) == tree


def test_words_keep_their_place_in_the_query_and_their_options():
    tree = parse("okupāc* Molotow~2")
    assert tree.items[0] == Word("okupāc*", 0, 7) and tree.items[0].wildcard
    assert tree.items[1].fuzzy == 2 and tree.items[1].text == "Molotow"
    assert isinstance(parse('"a b"'), Phrase)


@pytest.mark.parametrize("q, message", [
    ("", "type one or more words"),
    ("   ", "type one or more words"),
    ('"Baltijas flote', "quotation mark is not closed"),
    ('""', "quotation marks are empty"),
    ("(Selters OR Molotovs", "parenthesis '(' is not closed"),
    ("Selters)", "')' has no opening '('"),
    ("()", "parentheses '()' are empty"),
    ("AND", "AND needs a word or phrase on both sides"),
    ("OR Selters", "OR needs a word or phrase on both sides"),
    ("Selters AND", "AND must be followed by a word or phrase"),
    ("Selters AND OR Molotovs", "AND must be followed by a word or phrase, not 'OR'"),
    ("Selters NOT", "NOT must be followed"),
    ("NOT Molotovs", "NOT needs something to exclude from"),
    ("Selters OR NOT Molotovs", "NOT needs something to exclude from"),
    ("*", "wildcard needs at least two letters"),
    ("?*", "wildcard needs at least two letters"),
    ("a*", "wildcard needs at least two letters"),
    ("Molotow~3", "fuzzy search"),
    ("~", "fuzzy search"),
    ("ok*~", "wildcards or ~, not both"),
    ("author:Selters", "unknown field 'author:'"),
    ("lang:", "'lang:' needs a value"),
    ("person: Päts", "'person:' needs a value"),
    ("x" * 501, "at most 500"),
    ("Selters\x00", "control character (U+0000)"),
    ("Sel\x1bters", "control character (U+001B)"),
    ("(" * 13 + "a" + ")" * 13, "nested more than"),
    (" ".join(f"w{i}" for i in range(33)), "more than 32 words"),
])
def test_bad_queries_say_how_to_fix_them(q, message):
    with pytest.raises(QueryError) as info:
        parse(q)
    assert message in str(info.value)


def test_line_breaks_and_tabs_are_spaces():
    assert clean("Selters\tMolotovs\n") == "Selters Molotovs"


def test_unknown_field_message_lists_the_fields_and_the_way_out():
    with pytest.raises(QueryError) as info:
        parse("note:x")
    assert "lang:, doc:, person:, place:, date:" in str(info.value) and '"note:"' in str(info.value)
