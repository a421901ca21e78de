"""The public changelog (/changes, /api/changes) and the "changed in 1.1" marks on passages
(web/changes.py), on the edition's own tei/ and on a tiny corpus without a published list."""

from __future__ import annotations

import re

import pytest

from pactarchive.web import changes, create_app


def test_api_changes_lists_edition_1_1_first_with_its_passages(client):
    d = client.get("/api/changes").get_json()
    assert [v["version"] for v in d["versions"]][:2] == ["1.1", "1.0"]
    by_id = {c["id"]: c for v in d["versions"] for c in v["changes"]}
    rei = by_id["ch11-lv-s39"]
    assert rei["since_publication"] and rei["when"] == "2026-12-01" and rei["file"] == "lv.xml"
    assert [p["ref"] for p in rei["passages"]] == ["lv:4.2.3"]
    assert rei["url"] == "/changes#ch11-lv-s39"
    assert by_id["ch11-align-n6"]["notes"][0]["id"] == "align-n6"
    assert "lv:6.3.3" in by_id["ch11-align-n6"]["notes"][0]["passages"]
    assert by_id["ch11-reg-rei"]["entities"] == ["rei"]
    first = [c for v in d["versions"] if v["version"] == "1.0" for c in v["changes"]]
    assert first and not any(c["since_publication"] for c in first)


def test_changed_passages_are_those_a_later_change_reached_in_reading_order(client):
    changed = client.get("/api/changes").get_json()["changed_passages"]
    assert {"lv:4.2.3", "lv:6.2.1", "lv:6.3.3", "lv-en:5.2.1", "lv-en:3.1.5"} <= set(changed)
    assert "lv:2.1.1" not in changed  # neither its text nor a note on it changed
    assert changed.index("lv:4.2.3") < changed.index("lv:6.3.3")


def test_sources_carry_their_address_and_the_sentence_relied_on(client):
    sources = {s["id"]: s for s in client.get("/api/changes").get_json()["sources"]}
    hist = sources["src-histrodamus-3249"]
    assert hist["url"].startswith("http://www.histrodamus.ee/")
    assert "18. oktoobril" in hist["relied_on"]
    assert {"text": "Baasidelepingu sõlmimine Eesti ja NSV Liidu vahel", "lang": "et"} in hist["parts"]
    assert ". ." not in hist["text"]


def test_the_changes_page_has_an_anchor_per_change_and_its_json_twin(client):
    html = client.get("/changes").get_data(as_text=True)
    assert '<li id="ch11-lv-s39">' in html
    assert 'href="/passage/lv:4.2.3"' in html
    assert 'rel="alternate" type="application/json" href="/api/changes"' in html
    assert 'id="src-postimees-ratification"' in html and 'href="https://leht.postimees.ee/' in html
    assert '<span lang="et">Baasidelepingu sõlmimine' in html


def test_the_passage_page_and_its_json_show_the_change(client):
    d = client.get("/api/passages/lv:4.2.3").get_json()
    assert [(m["id"], m["version"], m["kind"]) for m in d["changes"]] == [("ch11-lv-s39", "1.1", "text")]
    html = client.get("/passage/lv:4.2.3").get_data(as_text=True)
    assert re.search(r'<a class="changed-mark" href="/changes#ch11-lv-s39">changed in 1\.1</a>', html)
    # a paragraph shows the changes of the sentences inside it, with their refs
    para = client.get("/passage/lv:4.2").get_data(as_text=True)
    assert "<code>lv:4.2.3</code>: <a class=\"changed-mark\" href=\"/changes#ch11-lv-s39\">" in para
    assert client.get("/api/passages/lv:2.1.1").get_json()["changes"] == []


def test_the_reading_view_marks_each_changed_passage_inside_its_element(client):
    html = client.get("/read?left=lv&right=lv-en").get_data(as_text=True)
    start = html.index('id="lv:4.2.3"')
    end = html.index('id="lv:4.2.4"', start)
    assert 'class="changed-mark"' in html[html.index("uzbrukums.", start):end]
    assert 'href="/changes#ch11-lv-s39"' in html[start:end]
    unchanged = html.index('id="lv:2.1.1"')
    assert "changed-mark" not in html[unchanged:html.index('id="lv:2.1.2"')]
    assert 'href="/changes#ch11-lv-en-s63"' in html


def test_a_mark_goes_at_the_end_of_the_passage_element():
    nested = '<span id="d:1" class="x"><span class="refs"><a>1<span>h</span></a></span>Text<span>n</span></span> after'
    assert changes._insert(nested, nested.index('id="d:1"'), "<M>") == \
        '<span id="d:1" class="x"><span class="refs"><a>1<span>h</span></a></span>Text<span>n</span><M></span> after'
    para = '<p id="d:2">Text <span>s</span></p><p>next</p>'
    assert changes._insert(para, para.index('id="d:2"'), "<M>") == '<p id="d:2">Text <span>s</span><M></p><p>next</p>'
    unclosed = '<p id="d:3">Text'
    assert changes._insert(unclosed, unclosed.index('id="d:3"'), "<M>") == unclosed


def test_a_corpus_without_a_published_list_has_a_changelog_but_no_marks(make_tei, tmp_path):
    d = make_tei("plain_div_p.xml")
    app = create_app({"TESTING": True, "TEI_DIR": d, "INDEX_DIR": tmp_path / "index"})
    with app.test_client() as client:
        assert client.get("/changes").status_code == 200
        data = client.get("/api/changes").get_json()
        assert data["changed_passages"] == [] and data["sources"] == []
        html = client.get("/read").get_data(as_text=True)
        assert "changed-mark" not in html


# -- pages (issue 10: the changelog of an archive of 5,000 documents comes in pages) ---------

def _ids(d: dict) -> list[str]:
    return [c["id"] for v in d["versions"] for c in v["changes"]]


def _links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def test_api_changes_keeps_its_shape_and_says_how_many_changes_there_are(client):
    r = client.get("/api/changes")
    d = r.get_json()
    assert set(d) == {"versions", "changed_passages", "sources", "url", "api"}
    every = _ids(d)  # our tei/ has fewer than 100 changes: one page holds them all
    assert r.headers["X-Total-Count"] == str(len(every)) and len(every) > 2
    assert _links(r.headers["Link"]) == {"first": "/api/changes?page=1&size=100",
                                         "last": "/api/changes?page=1&size=100"}


def test_api_changes_page_2_of_size_1_holds_the_second_change(client):
    every = _ids(client.get("/api/changes").get_json())
    r = client.get("/api/changes?page=2&size=1")
    d = r.get_json()
    assert _ids(d) == [every[1]] and len(d["versions"]) == 1
    assert set(d) == {"versions", "changed_passages", "sources", "url", "api"}
    whole = client.get("/api/changes").get_json()
    assert d["sources"] == whole["sources"] and d["changed_passages"] == whole["changed_passages"]
    assert d["versions"][0]["changes"][0]["url"] == f"/changes?page=2&size=1#{every[1]}"
    assert r.headers["X-Total-Count"] == str(len(every))
    assert _links(r.headers["Link"]) == {
        "first": "/api/changes?page=1&size=1", "prev": "/api/changes?page=1&size=1",
        "next": "/api/changes?page=3&size=1", "last": f"/api/changes?page={len(every)}&size=1"}
    last = client.get(f"/api/changes?page={len(every)}&size=1")
    assert _ids(last.get_json()) == [every[-1]] and 'rel="next"' not in last.headers["Link"]


@pytest.mark.parametrize("query", ["size=0", "page=abc", "page=0", "size=1001", "size=x"])
def test_a_bad_page_or_size_is_a_400(client, query):
    r = client.get(f"/api/changes?{query}")
    assert r.status_code == 400 and r.get_json()["status"] == 400
    assert client.get(f"/changes?{query}").status_code == 400


def test_the_changes_page_says_which_changes_it_shows_and_links_the_next_page(client):
    total = int(client.get("/api/changes").headers["X-Total-Count"])
    every = _ids(client.get("/api/changes").get_json())
    html = client.get("/changes?page=2&size=2").get_data(as_text=True)
    assert f"Changes 3 to 4 of {total}, newest first." in html
    assert [i for i in every if f'<li id="{i}">' in html] == every[2:4]
    nav = re.search(r'<nav class="pages" aria-label="More changes">(.*?)</nav>', html, re.S).group(1)
    assert '<a href="/changes?page=1&amp;size=2" rel="prev">' in nav
    assert '<a href="/changes?page=3&amp;size=2" rel="next">' in nav
    assert 'rel="alternate" type="application/json" href="/api/changes?page=2&amp;size=2"' in html
    whole = client.get("/changes").get_data(as_text=True)  # one page holds them all: no navigation
    assert f"Changes 1 to {total} of {total}, newest first." in whole and 'aria-label="More changes"' not in whole
    beyond = client.get("/changes?page=99").get_data(as_text=True)
    assert f"This page lists no changes: the changelog has {total} changes." in beyond


@pytest.mark.parametrize("url", ["/changes?page=2&size=2", "/api/changes?page=2&size=2"])
def test_a_page_of_the_changelog_is_cached_as_every_route_is(client, url):
    r = client.get(url)
    tag = r.headers["ETag"]
    assert tag.startswith('"') and r.headers["Cache-Control"] == "no-cache"
    assert tag != client.get(url.replace("page=2", "page=3")).headers["ETag"], "each page has its own tag"
    if not url.startswith("/api/"):
        assert "Accept-Language" in r.headers["Vary"] and "Cookie" in r.headers["Vary"]
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag


@pytest.fixture()
def small_pages(tei_dir, index_dir):
    """The edition with two changes a page, so that the marks' changes lie on later pages."""
    return create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir,
                       "CHANGES_PAGE_SIZE": 2}).test_client()


def test_a_mark_links_to_the_page_of_the_changelog_that_holds_its_change(small_pages):
    every = _ids(small_pages.get("/api/changes?size=1000").get_json())
    page = every.index("ch11-lv-s39") // 2 + 1
    assert page > 1
    anchor = f"/changes?page={page}#ch11-lv-s39"
    html = small_pages.get("/passage/lv:4.2.3").get_data(as_text=True)
    assert f'<a class="changed-mark" href="{anchor}">changed in 1.1</a>' in html
    assert [m["url"] for m in small_pages.get("/api/passages/lv:4.2.3").get_json()["changes"]] == [anchor]
    assert f'href="{anchor}"'.replace("&", "&amp;") in small_pages.get("/read?left=lv&right=lv-en").get_data(as_text=True)
    assert '<li id="ch11-lv-s39">' in small_pages.get(anchor.split("#")[0]).get_data(as_text=True)
    # a change's own url on /changes and /api/changes is the same link
    d = small_pages.get(anchor.split("#")[0].replace("/changes", "/api/changes")).get_json()
    assert {c["id"]: c["url"] for v in d["versions"] for c in v["changes"]}["ch11-lv-s39"] == anchor
    assert small_pages.get("/api/changes").headers["X-Total-Count"] == str(len(every))
    assert len(_ids(small_pages.get("/api/changes").get_json())) == 2


# -- in a real browser (run with the other browser tests: CI=true, `-m browser`) --------------

@pytest.mark.browser
@pytest.mark.parametrize("path", ["/changes", "/passage/lv:4.2.3", "/read?left=lv&right=lv-en&at=lv:4.2.3"])
def test_axe_finds_nothing_serious_where_changes_are_shown(page, live_server, path):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(live_server + path)
    assert page.locator(".changed-mark").count() >= 1 or path == "/changes"
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad


@pytest.mark.browser
def test_the_changes_page_fits_a_narrow_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(f"{live_server}/changes")
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    pg.goto(f"{live_server}/changes#ch11-lv-s39")
    assert pg.locator("#ch11-lv-s39").is_visible()
    context.close()


def test_the_reading_views_json_twin_carries_the_marks(client):
    d = client.get("/api/read?left=lv&right=lv-en").get_json()
    assert [m["id"] for m in d["changes"]["lv:4.2.3"]] == ["ch11-lv-s39"]
    assert all(r.split(":")[0] in ("lv", "lv-en") for r in d["changes"])
