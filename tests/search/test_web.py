"""/api/search (the JSON contract, 400 for bad input) and /search (HTML without JavaScript,
everything the user typed escaped, a friendly note for a bad query, facets, pages)."""

from __future__ import annotations

import re
import pytest

BAD = ["", "   ", '"Baltijas flote', "(Selters", "Selters)", "()", "AND", "Selters OR", "NOT Selters", "*",
       "x" * 501, "Sel\x00ters", "Sel\x07ters", "author:Selters", "lang:", "Molotow~7"]
BAD_PARAMS = ["q=Selters&page=0", "q=Selters&page=x", "q=Selters&size=500", "q=Selters&from=yesterday",
              "q=Selters&from=1940&to=1939", "q=Selters&lang=xx", "q=Selters&doc=nope", "q=Selters&sort=up"]


def test_api_search_contract(client):
    data = client.get("/api/search?q=P%C3%A4ts&lang=lv&size=3").get_json()
    assert set(data) >= {"query", "total", "passages", "group", "page", "size", "pages", "hits", "facets", "filters",
                         "suggestion"}
    assert data["query"] == "Päts" and data["page"] == 1 and len(data["hits"]) == 3 and data["total"] >= 5
    h = data["hits"][0]
    assert set(h) >= {"ref", "doc", "lang", "text", "snippet", "url", "aligned", "hl", "context", "title"}
    assert h["url"].startswith("/read?at=" + h["ref"] + "&hl=")
    assert all(set(a) >= {"ref", "doc", "lang", "text", "snippet", "url"} for x in data["hits"] for a in x["aligned"])
    assert set(data["facets"]) == {"lang", "doc", "person", "place", "type"}
    assert data["facets"]["lang"] == [{"value": "lv", "label": "Latvian", "count": data["passages"]}]


def test_api_search_filters(client):
    data = client.get("/api/search?q=Selters&from=1939-09-22&to=1939-09-23&lang=lv").get_json()
    assert {h["ref"] for h in data["hits"]} == {"lv:3.1.1", "lv:3.1.5"}
    data = client.get("/api/search?q=&person=pats&place=&doc=lv").get_json()
    assert {h["ref"] for h in data["hits"]} >= {"lv:3.1.3", "lv:6.2.1"} and data["filters"] == {"doc": "lv", "person": "pats"}


@pytest.mark.parametrize("q", BAD)
def test_bad_queries_are_400_with_a_message(client, q):
    r = client.get("/api/search", query_string={"q": q})
    assert r.status_code == 400
    assert r.get_json()["error"] and "Traceback" not in r.get_data(as_text=True)


@pytest.mark.parametrize("params", BAD_PARAMS)
def test_bad_parameters_are_400_with_a_message(client, params):
    r = client.get("/api/search?" + params)
    assert r.status_code == 400 and r.get_json()["error"]


@pytest.mark.parametrize("q", [q for q in BAD if q.strip()])  # an empty one shows the form
def test_the_page_explains_a_bad_query_without_a_traceback(client, q):
    r = client.get("/search", query_string={"q": q})
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'role="alert"' in html and "could not be run" in html
    assert "Traceback" not in html and "\x00" not in html


def test_odd_input_is_never_a_500(client):
    for q in ["<script>", "&amp;", "%", "\\", "'", "a:b:c", "lang:lv:lv", "date:1939-13-45", "date:x..y",
              "person:", "--", "!!", "~~", "**", "\u200b", "𝔄", "NOT NOT x", "(((x)))", "x" * 500, "\"\"\"",
              "date:1939..1938", "1939-02-30", "person:nobody", "place:\"\"", "Selters~2 AND okup*"]:
        for path in ("/api/search", "/search"):
            assert client.get(path, query_string={"q": q}).status_code in (200, 400), (path, q)


def test_the_page_escapes_what_the_user_typed(client):
    r = client.get("/search", query_string={"q": '<script>alert("x")</script> "', "lang": '"><b>'})
    html = r.get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert '"><b>' not in html


def test_the_page_without_a_query_shows_the_form_and_the_guide(client):
    html = client.get("/search").get_data(as_text=True)
    assert 'id="q"' in html and 'id="guide"' in html and 'class="hit"' not in html


def test_the_page_lists_hits_with_reading_links_aligned_passages_and_facets(client):
    html = client.get("/search?q=P%C3%A4ts&lang=lv").get_data(as_text=True)
    assert re.search(r'<a class="hit-ref" href="/read\?at=lv:3\.1\.3&amp;hl=[^"]*Petsu', html)
    assert '<mark>Konstantin Päts</mark>' in html  # the aligned English passage
    assert 'href="/passage/lv:3.1.3"' in html
    assert 'rel="alternate" type="application/json" href="/api/search?' in html
    assert re.search(r'<a href="/search\?q=P%C3%A4ts&amp;lang=lv&amp;person=pats"', html)
    assert "Filters in use" in html and "Latvian" in html


def test_a_facet_link_narrows_the_search(client):
    everything = client.get("/api/search?q=Stalin").get_json()
    lv = next(f for f in everything["facets"]["lang"] if f["value"] == "lv")
    assert client.get("/api/search?q=Stalin&lang=lv").get_json()["passages"] == lv["count"] < everything["passages"]


def test_the_page_links_further_pages(client):
    html = client.get("/search?q=Selters&size=5&page=2").get_data(as_text=True)
    assert 'aria-label="Result pages"' in html and 'aria-current="page">2<' in html
    assert 'rel="prev" href' not in html and re.search(r'href="/search\?q=Selters&amp;size=5&amp;page=3" rel="next"', html)
    assert '<ol class="hits" start="6">' in html


def test_the_page_offers_a_suggestion(client):
    html = client.get("/search?q=Seltrs").get_data(as_text=True)
    assert "No passage found" in html and "Did you mean" in html and 'href="/search?q=' in html


def test_a_missing_index_is_503_with_a_message(tmp_path, tei_dir):
    from pactarchive.web import create_app
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": tmp_path})
    c = app.test_client()
    assert c.get("/api/search?q=Selters").status_code == 503
    r = c.get("/search?q=Selters")
    assert r.status_code == 503 and "pactarchive build" in r.get_data(as_text=True)
