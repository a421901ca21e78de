"""Results a historian can scan (issue 16), on the real tei/: one result per aligned group, no
passage twice; notes, heads, bibliography and register entries findable, each linking to where
it is shown; entity-first ranking; the export of a whole result list; the snippet window."""

from __future__ import annotations

import csv
import io
import re

import pytest

from pactarchive.search import snippets

from .conftest import matched_refs


def held(results) -> list[str]:
    """Every ref a search shows: each result's lead and all its counterparts."""
    return [r for h in results.hits for r in [h["ref"], *(a["ref"] for a in h["aligned"])]]


# -- grouping ----------------------------------------------------------------------------------

def test_molotov_gives_14_results_holding_28_passages_none_twice(results):
    r = results("Molotov", type="passage", size=100)
    assert (r.total, r.passages) == (14, 28)
    shown = held(r)
    assert len(shown) == len(set(shown))
    assert set(matched_refs(r)) == {x for x in shown if x.startswith(("lv:", "lv-en:"))}
    for h in r.hits:  # a Latvian sentence with its English translation, the matches marked in each
        langs = {h["lang"]} | {a["lang"] for a in h["aligned"] if a["matched"]}
        assert langs == {"lv", "en"}, h["ref"]
        assert "<mark>" in h["snippet"] and all("<mark>" in a["snippet"] for a in h["aligned"] if a["matched"])


@pytest.mark.parametrize("q, params", [("Molotov", {}), ("Selters", {}), ("Päts", {"lang": "lv"}),
                                       ("Igaunija", {}), ("", {"person": "stalin"})])
def test_no_passage_is_shown_twice_across_all_pages(results, q, params):
    first = results(q, size=5, **params)
    shown = [ref for n in range(1, first.pages + 1) for ref in held(results(q, size=5, page=n, **params))]
    assert len(shown) == len(set(shown))
    every = results(q, size=100, **params)
    assert len(matched_refs(every, kinds=("passage", "head", "note", "register"))) == every.passages


def test_the_grouping_rule():
    from pactarchive.search.ranking import Match, flat, group

    def m(ref, *aligned):
        return Match(0, {"ref": ref, "aligned": list(aligned)})
    ranked = [m("lv:1", "en:1", "hen:1"), m("en:1", "lv:1"), m("lv:2", "hen:1", "en:2"), m("en:2", "lv:2")]
    assert [(x.ref, cps) for x, cps in group(ranked)] == [("lv:1", ["en:1", "hen:1"]), ("lv:2", ["en:2"])]
    assert [(x.ref, cps) for x, cps in flat(ranked)][2] == ("lv:2", ["hen:1", "en:2"])


def test_a_counterpart_is_shown_for_context_even_when_it_does_not_match(results):
    h = next(x for x in results("Molotov", lang="lv", size=100).hits if x["ref"] == "lv:6.2.4")
    assert {(a["ref"], a["matched"]) for a in h["aligned"]} == {("hen:1.2.5", False), ("lv-en:6.2.4", False)}


def test_group_passage_gives_the_flat_list(results, client):
    flat = results("Molotov", type="passage", group="passage", size=100)
    assert flat.total == flat.passages == 28 and flat.group == "passage"
    assert {h["ref"] for h in flat.hits} == set(matched_refs(results("Molotov", type="passage", size=100)))
    data = client.get("/api/search?q=Molotov&type=passage&group=passage").get_json()
    assert data["total"] == data["passages"] == 28 and data["group"] == "passage"
    assert client.get("/api/search?q=Molotov&group=pairs").status_code == 400


def test_facets_count_passages_and_agree_with_the_filtered_search(client):
    data = client.get("/api/search?q=Molotov").get_json()
    types = {f["value"]: f["count"] for f in data["facets"]["type"]}
    assert types["passage"] == 28 and types["note"] >= 1 and sum(types.values()) == data["passages"]
    for f in data["facets"]["lang"]:
        assert client.get(f"/api/search?q=Molotov&lang={f['value']}").get_json()["passages"] == f["count"]


# -- everything readable is findable -------------------------------------------------------------

def test_a_word_only_in_a_note_is_found_as_a_note(results, client):
    r = results("ungrammatical")
    assert [(h["type"], h["ref"]) for h in r.hits] == [("note", "note:lv-en-n2")]
    assert r.hits[0]["targets"] == ["lv-en:3.2.7"] and "<mark>ungrammatical</mark>" in r.hits[0]["snippet"]
    data = client.get("/api/search?q=ungrammatical").get_json()
    assert data["hits"][0]["url"] == "/passage/lv-en:3.2.7#note-lv-en-n2"
    assert data["facets"]["type"] == [{"value": "note", "label": "in notes", "count": 1}]
    page = client.get(data["hits"][0]["url"].split("#")[0]).get_data(as_text=True)
    assert 'id="note-lv-en-n2"' in page  # where the link leads, the note is


def test_a_division_head_is_found_with_its_counterpart(results, client):
    r = results("Ievads")
    h = r.hits[0]
    assert (h["type"], h["ref"], h["text"]) == ("head", "lv:1", "Ievads")
    assert "lv-en:1" in [a["ref"] for a in h["aligned"]]
    url = client.get("/api/search?q=Ievads").get_json()["hits"][0]["url"]
    assert url.startswith("/read?at=lv:1&hl=Ievads")
    assert [h["ref"] for h in results("Introduction", type="head").hits] == ["lv-en:1"]


def test_a_bibliography_entry_is_found_after_the_narrative(results):
    refs = [h["ref"] for h in results("Selter", lang="lv", size=100).hits]
    assert "lv:refs.1" in refs and refs.index("lv:refs.1") == len([r for r in refs if not r.startswith("lv:refs")])


def test_a_register_entry_is_found_by_its_note(client):
    data = client.get("/api/search?q=jurist").get_json()
    found = {h["ref"]: h for h in data["hits"]}
    assert {"entity:uluots", "entity:piip"} <= set(found)
    uluots = found["entity:uluots"]
    assert uluots["type"] == "register" and uluots["entity"] == "uluots"
    assert uluots["url"].endswith("/entities/uluots") and "<mark>jurist</mark>" in uluots["snippet"]
    page = client.get(uluots["url"])
    assert page.status_code == 200 and "Uluots" in page.get_data(as_text=True)  # the register's page


# -- ranking ---------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["Molotov", "Selter", "Päts", "Moscow", "Tallinna"])
def test_passages_naming_the_entity_come_first(results, q, index_dir):
    from pactarchive.search import generation
    from pactarchive.search.compiler import Compiler
    from pactarchive.search.syntax import parse
    gen = generation.current(index_dir)
    comp = Compiler(gen.searcher().reader(), gen.entities)
    comp.compile(parse(q))
    r = results(q, size=100)
    naming = [bool(comp.marks.entities & set(h["entities"])) for h in r.hits if h["type"] == "passage"]
    assert naming == sorted(naming, reverse=True) and naming[0]


def test_sentences_before_heads_notes_and_register_entries(results):
    kinds = [h["type"] for h in results("Moscow", size=100).hits]
    assert kinds.index("head") > max(i for i, k in enumerate(kinds) if k == "passage" and i < kinds.index("register"))
    assert kinds[0] == "passage"


def test_a_one_name_query_lists_the_full_naming_first_then_reading_order(find):
    refs = find("Selter", lang="lv")
    assert refs[:2] == ["lv:3.1.1", "lv:5.4.7"]  # "Karls Selters"
    body = [r for r in refs[2:] if not r.startswith("lv:refs")]
    assert body == sorted(body, key=lambda r: tuple(int(x) for x in r.split(":")[1].split(".")))


def test_the_form_typed_still_ranks_first(find):
    assert set(find("Selteram", lang="lv")[:3]) == {"lv:4.4.1", "lv:5.2.3", "lv:5.3.5"}


# -- export ----------------------------------------------------------------------------------

def test_the_csv_has_one_row_per_result_with_both_languages(client):
    r = client.get("/search/export.csv?q=Molotov&type=passage&size=5&page=2")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="search-Molotov.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data().decode("utf-8-sig"))))
    assert len(rows) == 14  # every result, not one page
    for row in rows:
        assert row["ref (lv)"].startswith("lv:") and row["ref (en)"].startswith(("lv-en:", "hen:"))
        assert row["text (lv)"] and row["text (en)"]
        assert row["permalink (lv)"] == "http://localhost/passage/" + row["ref (lv)"]
    assert {row["result"] for row in rows} == {str(n) for n in range(1, 15)}


def test_the_json_export_holds_every_result_with_its_passages(client):
    data = client.get("/search/export.json?q=Molotov").get_json()
    api = client.get("/api/search?q=Molotov").get_json()
    assert len(data["results"]) == data["total"] == api["total"] > api["size"]
    first = data["results"][0]
    assert {p["lang"] for p in first["passages"]} == {"en", "lv"}
    assert all(p["permalink"].startswith("http://localhost/") and p["text"] for p in first["passages"])
    note = next(x for x in data["results"] if x["type"] == "note")
    assert "#note-" in note["url"]


def test_export_refuses_what_search_refuses(client):
    assert client.get("/search/export.csv?q=%22Baltijas").status_code == 400
    assert client.get("/search/export.xls?q=Molotov").status_code == 400


def test_a_cell_that_a_spreadsheet_would_run_is_defused():
    from pactarchive.web.exporting import _cell
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("Selters") == "Selters"


def test_the_page_shows_results_in_passages_and_links_the_export(client):
    html = client.get("/search?q=Molotov&type=passage").get_data(as_text=True)
    assert "14 results in 28 passages" in html
    assert 'href="/search/export.csv?q=Molotov&amp;type=passage"' in html
    assert 'href="/search/export.json?q=Molotov&amp;type=passage"' in html
    assert 'class="kwic kwic-pair"' in html
    flat = client.get("/search?q=Molotov&type=passage&group=passage").get_data(as_text=True)
    assert "28 passages found" in flat
    notes = client.get("/search?q=ungrammatical").get_data(as_text=True)
    assert '<span class="hit-type">Note</span> <a class="hit-ref" href="/passage/lv-en:3.2.7#note-lv-en-n2">' in notes


# -- the snippet window ----------------------------------------------------------------------

def test_a_long_passage_is_cut_to_a_window_around_its_match(results):
    h = next(x for x in results("mobilizāciju", lang="lv").hits if x["ref"] == "lv:4.2.6")
    assert len(h["text"]) > snippets.WIDTH + 100  # the window has something to cut
    shown = re.sub(r"</?mark>", "", h["snippet"]).replace("&quot;", '"')
    assert shown.startswith("…") and len(shown) <= snippets.WIDTH + 2
    assert "<mark>mobilizāciju</mark>" in h["snippet"]
    assert shown.strip("…") in h["text"]
