"""A conditional GET is answered 304 before the view runs (web/http.py ``view_tag``): the tag
is known from the generation, the code, the URL, the UI language and the date, not from the body."""

from __future__ import annotations

import pytest

from pactarchive.web import create_app

ROUTES = {"page": "/about", "document page": "/documents/lv", "read": "/read?at=lv:1.1.2",
          "passage page": "/passage/lv:1.1.1", "json": "/api/documents", "json passage": "/api/passages/lv:1.1.1",
          "tei": "/tei/lv.xml", "dts": "/api/dts/collection", "dts html": "/api/dts/document?resource=lv&ref=1&mediaType=text/html"}


@pytest.fixture(scope="module")
def counted(tei_dir, index_dir):
    """An app whose views count their calls."""
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir})
    calls: dict[str, int] = {}

    def counting(endpoint, view):
        def run(*args, **kwargs):
            calls[endpoint] = calls.get(endpoint, 0) + 1
            return view(*args, **kwargs)
        return run
    for endpoint, view in list(app.view_functions.items()):
        app.view_functions[endpoint] = counting(endpoint, view)
    return app, calls


@pytest.mark.parametrize("url", ROUTES.values(), ids=ROUTES.keys())
def test_a_revalidation_does_not_run_the_view(counted, url):
    app, calls = counted
    client = app.test_client()
    first = client.get(url)
    endpoint = app.url_map.bind("localhost").match(url.split("?")[0])[0]
    ran = calls[endpoint]
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    assert calls[endpoint] == ran, "the view ran for a 304"
    assert again.headers.get("Vary") == first.headers.get("Vary"), "a 304 says what the 200 varies with"
    assert again.headers["Cache-Control"] == "no-cache"
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert calls[endpoint] == ran + 1


def test_the_compressed_tag_is_revalidated_before_the_view_too(counted):
    app, calls = counted
    client = app.test_client()
    r = client.get("/documents/lv", headers={"Accept-Encoding": "gzip"})
    assert r.headers["ETag"].endswith(':gzip"')
    ran = calls["pages.document"]
    again = client.get("/documents/lv", headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == r.headers["ETag"] and calls["pages.document"] == ran


def test_the_tag_varies_with_what_the_body_varies_with(app):
    def tag(url, **headers):  # a client without a cookie jar: ?ui= would set the ui cookie
        return app.test_client(use_cookies=False).get(url, headers=headers).headers["ETag"]
    assert tag("/about?ui=en") != tag("/about?ui=lv")
    assert tag("/about", **{"Accept-Language": "lv"}) != tag("/about")
    assert tag("/about", **{"Accept-Language": "lv"}) == tag("/about", Cookie="ui=lv"), "the UI language, however chosen"
    assert tag("/api/documents") != tag("/api/documents?page=1&size=2")
    assert tag("/api/passages/lv:1.1.1") != tag("/api/passages/lv:1.1.1", Host="127.0.0.1"), "absolute links name the host"
    assert tag("/api/documents?ui=lv") == tag("/api/documents?ui=lv"), "the same request, the same tag"
    assert tag("/api/accessibility?ui=lv") != tag("/api/accessibility?ui=en")


def test_an_error_is_not_tagged(client):
    r = client.get("/documents/nope")
    assert r.status_code == 404 and "ETag" not in r.headers


def test_a_new_day_is_a_new_tag(client, monkeypatch):
    import datetime
    from pactarchive import cite
    before = client.get("/passage/lv:1.1.1").headers["ETag"]
    monkeypatch.setattr(cite, "today", lambda: datetime.date(2099, 1, 1))
    after = client.get("/passage/lv:1.1.1")
    assert after.headers["ETag"] != before, "citations carry the access date"
    assert client.get("/passage/lv:1.1.1", headers={"If-None-Match": before}).status_code == 200


def test_a_json_answer_in_the_ui_language_says_so_in_vary(app):
    client = app.test_client(use_cookies=False)
    first = client.get("/api/accessibility", headers={"Accept-Language": "lv"})
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in first.headers["Vary"].split(",")}
    again = client.get("/api/accessibility", headers={"Accept-Language": "lv", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Vary"] == first.headers["Vary"]
    assert client.get("/api/accessibility", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200, \
        "an English reader never gets a 304 for the Latvian statement"
