"""Search capabilities on the real passages of tei/: inflection, diacritics, entities named in
any language, quantities, dates, phrases, boolean operators, field filters, wildcards, fuzzy
words, did-you-mean, facets, pagination, aligned passages and snippets."""

from __future__ import annotations

import re

import pytest

from pactarchive.errors import IndexMissing, QueryError
from pactarchive.search import search
from pactarchive.search import compiler

from .conftest import matched_refs


def hit(results, ref):
    """The result led by ``ref``, or the counterpart ``ref`` in a result."""
    return next(x for h in results.hits for x in [h, *h["aligned"]] if x["ref"] == ref)


def marks(h) -> list[str]:
    """The marked strings of a hit's snippet (a word, or a whole entity mention)."""
    return re.findall(r"<mark>(.*?)</mark>", h["snippet"])


# -- Latvian inflection and diacritics --------------------------------------------------------

@pytest.mark.parametrize("q, ref, marked", [
    ("līgums", "lv:4.4.1", "līgumu"),
    ("kareivis", "lv:5.3.6", "kareivji"),
    ("kareivis", "lv:1.1.2", "kareivju"),
    ("Seltera", "lv:5.2.3", "Selteram"),
    ("delegācija", "lv:5.3.4", "delegācija"),
    ("flote", "lv:3.2.2", "flotei"),
    ("vēstnieks", "lv:3.1.1", "vēstnieku"),
])
def test_a_latvian_word_finds_its_other_forms(results, q, ref, marked):
    r = results(q, lang="lv", size=100)
    assert any(marked in m.split() for m in marks(hit(r, ref)))


@pytest.mark.parametrize("q, ref, marked", [
    ("Stalins", "lv:5.1.7", "Staļins"), ("okupacija", "lv:1.1.4", "okupācijai"),
    ("delegacija", "lv:3.1.6", "delegācija"), ("Nikitins", "lv:3.1.1", "Ņikitinu")])
def test_latvian_typed_without_diacritics_finds_the_text(results, q, ref, marked):
    assert marked in hit(results(q, lang="lv", size=100), ref)["snippet"]


def test_the_form_typed_ranks_first(find):
    assert set(find("Selteram", lang="lv")[:3]) == {"lv:4.4.1", "lv:5.2.3", "lv:5.3.5"} or \
        find("Selteram", lang="lv")[0] in {"lv:4.4.1", "lv:5.2.3", "lv:5.3.5"}


def test_english_is_stemmed(find):
    assert {"hen:1.1.2", "hen:1.2.2"} <= set(find("troop", lang="en"))
    assert "hen:1.1.5" in find("alliance", lang="en")


# -- entities named in any language -----------------------------------------------------------

@pytest.mark.parametrize("q, ref, surface", [
    ("Molotov", "lv:3.2.2", "Molotovs"), ("Päts", "lv:3.1.3", "Petsu"), ("Saaremaa", "lv:3.2.7", "Sāremā"),
    ("Pärnu", "lv:3.2.5", "Pērnavas"), ("Königsberg", "lv:4.1.2", "Kēnigsbergā"), ("Tallinn", "lv:3.2.3", "Tallinā"),
    ("Lithuania", "lv:2.1.3", "Lietuva"), ("Selter", "lv:3.1.1", "Selters"), ("Petss", "lv-en:4.3.1", "Päts"),
    ("Maskavā", "lv-en:4.4.2", "Moscow")])
def test_a_name_in_any_language_finds_the_entity_in_the_other(results, q, ref, surface):
    lang = ref.split(":")[0].replace("lv-en", "en")
    assert surface in re.findall(r"<mark>(.*?)</mark>", hit(results(q, lang=lang, size=100), ref)["snippet"])[0]


def test_person_and_place_filters_use_the_register(find):
    assert set(find("person:Päts lang:lv")) == set(find("", person="pats", lang="lv")) >= {"lv:3.1.3", "lv:6.2.1"}
    assert set(find("place:Saaremaa")) >= {"lv:3.2.7", "lv-en:6.2.3"}
    assert "lv:3.2.7" not in find("place:Tallinn lang:lv")


# -- numbers and dates ------------------------------------------------------------------------

def test_a_quantity_is_found_in_any_notation(results):
    want = {"lv:1.1.2", "lv:5.1.7", "lv-en:1.1.2", "lv-en:5.1.7"}
    for q in ("25000", "25 000", "25,000"):
        r = results(q, size=100)
        assert set(matched_refs(r)) >= want
        assert "<mark>25 000" in hit(r, "lv:1.1.2")["snippet"]


def test_an_ordinal_day_is_not_a_quantity(find):
    assert find("20", lang="lv")[0] == "lv:5.4.5"  # 20 pudeles, not 20. septembrī


def test_an_iso_date_finds_that_day_in_both_languages(results):
    r = results("1939-09-28", size=100)
    assert {"lv:1.1.1", "lv-en:1.1.1"} <= set(matched_refs(r))
    assert "<mark>1939. gada 28. septembrī</mark>" in hit(r, "lv:1.1.1")["snippet"]
    assert "lv:2.1.3" not in matched_refs(r)


def test_the_date_range_keeps_passages_dated_inside_it(results):
    r = results("Selters", date_from="1939-09-22", date_to="1939-09-23", lang="lv", size=100)
    assert {h["ref"] for h in r.hits} == {"lv:3.1.1", "lv:3.1.5"}
    assert r.filters == {"lang": "lv", "from": "1939-09-22", "to": "1939-09-23"}
    assert "lv:1.1.1" not in [h["ref"] for h in results("", date_from="1939-10", size=100).hits]


@pytest.mark.parametrize("params, message", [
    ({"date_from": "28.09.1939"}, "is not a date"), ({"date_from": "1939-10-01", "date_to": "1939-09-01"}, "before it starts"),
    ({"lang": "xx"}, "there is no language 'xx'"), ({"doc": "nope"}, "there is no document 'nope'"),
    ({"page": 0}, "page must be"), ({"size": 1000}, "size must be"), ({"page": "two"}, "whole number"),
    ({"sort": "date"}, "sort must be")])
def test_bad_parameters_raise_query_errors(index_dir, params, message):
    with pytest.raises(QueryError, match=message):
        search(index_dir, "Selters", **params)


# -- phrases, operators, wildcards, fuzzy ----------------------------------------------------

def test_a_phrase_keeps_its_word_order(results, find):
    r = results('"Baltijas flote"', size=100)
    assert {"lv:2.2.3", "lv:2.3.1"} <= {h["ref"] for h in r.hits}
    assert any(m.endswith("Baltijas flote") for m in marks(hit(r, "lv:2.2.3")))
    assert "lv:2.2.3" not in find('"flote Baltijas"')


def test_boolean_operators(find):
    selters, molotovs = set(find("Selters", lang="lv")), set(find("Molotovs", lang="lv"))
    assert set(find("Selters AND Molotovs", lang="lv")) == selters & molotovs
    assert set(find("Selters Molotovs", lang="lv")) == selters & molotovs
    assert set(find("Selters OR Molotovs", lang="lv")) == selters | molotovs
    assert set(find("Molotovs NOT Selters", lang="lv")) == molotovs - selters
    assert set(find("(Sāremā OR Hījumā) bāzes")) >= {"lv:3.2.7", "lv:6.2.3"}


def test_negated_words_are_not_marked(results):
    r = results("Molotovs NOT Selters", lang="lv")
    assert all("Selters</mark>" not in h["snippet"] for h in r.hits)


def test_wildcards_expand_within_a_bound(find, index_dir, monkeypatch):
    assert set(find("okupāc*")) == {"lv:1.1.4", "lv:5.1.4"}
    assert "lv:6.2.2" in find("Mereck?va")
    monkeypatch.setattr(compiler, "MAX_EXPANSION", 3)
    with pytest.raises(QueryError, match="stands for more than 3 different words"):
        search(index_dir, "pa*")


def test_fuzzy_words_reach_near_spellings(find):
    assert "lv-en:3.2.1" in find("Molotow~", lang="en")
    assert "lv:4.2.7" in find("Laidonr~", lang="lv")
    assert find("Zzzzzz~") == []


@pytest.mark.parametrize("q", ["the un", "the NOT Molotovs", '"in the"'])
def test_only_common_words_is_a_query_error(index_dir, q):
    with pytest.raises(QueryError, match="only very common words"):
        search(index_dir, q)


# -- did-you-mean ----------------------------------------------------------------------------

def test_nothing_found_offers_a_spelling_that_finds_something(results):
    r = results("Seltrs")
    assert r.total == 0 and r.suggestion
    assert results(r.suggestion).total > 0


def test_nothing_found_for_all_words_offers_or(results):
    r = results("Selters Zviedrija")
    assert r.total == 0 and r.suggestion == "Selters OR Zviedrija"


def test_no_suggestion_when_something_is_found(results):
    assert results("Selters").suggestion is None


# -- results: facets, pages, aligned passages, snippets, links --------------------------------

def test_facets_count_every_matching_passage_not_only_the_page(results):
    r = results("Päts", size=1)
    assert sum(f["count"] for f in r.facets["lang"]) == r.passages > r.total
    assert sum(f["count"] for f in r.facets["doc"]) == r.passages
    assert sum(f["count"] for f in r.facets["type"]) == r.passages
    people = {f["value"]: f for f in r.facets["person"]}
    notes = next(f["count"] for f in r.facets["type"] if f["value"] == "note")  # words, not mentions
    assert people["pats"]["count"] == r.passages - notes and people["pats"]["label"] == "Konstantin Päts"
    assert set(r.facets) == {"lang", "doc", "person", "place", "type"}


@pytest.mark.parametrize("facet", ["lang", "doc", "person", "type"])
def test_choosing_a_facet_value_gives_as_many_passages_as_it_counted(results, facet):
    everything = results("Molotov")
    for f in everything.facets[facet]:
        narrowed = results("Molotov", **{facet: f["value"]})
        assert narrowed.passages == f["count"], (facet, f)


def test_pages_partition_the_results(results):
    first, second = results("Selters", size=5), results("Selters", size=5, page=2)
    assert first.total == second.total > 10 and first.pages == second.pages
    assert not {h["ref"] for h in first.hits} & {h["ref"] for h in second.hits}
    assert results("Selters", size=5, page=first.pages + 1).hits == []


def test_reading_order_on_request_and_for_filters_alone(find):
    order = find("Selters", lang="lv", sort="order")
    assert order[:2] == ["lv:3.1.1", "lv:3.1.2"]
    assert find("place:Saaremaa lang:lv") == ["lv:3.2.7", "lv:6.2.3"]


def test_each_hit_shows_its_aligned_passages_with_their_matches(results):
    h = hit(results("Päts", lang="lv"), "lv:3.1.3")
    aligned = {a["ref"]: a for a in h["aligned"]}
    assert "<mark>Konstantin Päts</mark>" in aligned["lv-en:3.1.3"]["snippet"]


def test_snippets_escape_the_text_and_mark_only_matches(results):
    h = hit(results("Orzel", lang="lv"), "lv:2.2.4")
    assert "&quot;<mark>Orzel</mark>&quot;" in h["snippet"]
    assert re.sub(r"</?mark>", "", h["snippet"]).count("<") == 0


def test_hits_link_to_the_reading_view_with_the_marked_words(results):
    d = results("Päts", lang="lv").to_dict()
    h = next(x for x in d["hits"] if x["ref"] == "lv:3.1.3")
    assert h["url"] == "/read?at=lv:3.1.3&hl=Konstant%C4%ABnu+Petsu#lv:3.1.3"
    assert set(d) >= {"query", "total", "page", "hits", "facets"}
    assert set(h) >= {"ref", "doc", "lang", "text", "snippet", "url", "aligned"}


def test_no_index_is_index_missing(tmp_path):
    with pytest.raises(IndexMissing, match="pactarchive build"):
        search(tmp_path, "Selters")


def test_a_date_range_in_the_query_lists_each_passage_once(find):
    refs = find("date:1939-09-20..1939-09-30")
    assert len(refs) == len(set(refs))
    assert "lv:2.3.3" in refs and "lv:1.1.1" in refs and "lv:6.3.1" not in refs
    assert find("date:1939-09-28") == find("1939-09-28", sort="order")
