"""Every response family carries the security headers; ETag/304, Cache-Control and gzip per
route family; trusted hosts; CORS; the search rate limit (web/http.py)."""

from __future__ import annotations

import gzip
import re

import pytest

from pactarchive.web import create_app

# one URL of each response family: pages, JSON API, downloads (TEI, text), errors, static
FAMILIES = {
    "page": "/", "document page": "/documents/lv", "read page": "/read", "passage page": "/passage/lv:1.1.1",
    "search page": "/search?q=Soviet", "api page": "/api", "json": "/api/documents",
    "json passage": "/api/passages/lv:1.1.1", "json search": "/api/search?q=Soviet", "openapi": "/api/openapi.json",
    "tei download": "/tei/lv.xml", "text download": "/passage/lv:1.1.1.txt", "tei fragment": "/passage/lv:1.1.1.xml",
    "alignment tei": "/alignment/hen/lv.xml",
}
ERRORS = {"404 page": "/documents/nope", "404 json": "/api/documents/nope", "400 json": "/api/passages/lv:1.1-",
          "400 page": "/passage/lv:", "404 route": "/no/such/route"}


def _static(client) -> str:
    return re.search(r'href="(/static/style\.css\?v=[0-9a-f]+)"', client.get("/").get_data(as_text=True))[1]


@pytest.mark.parametrize("url", list(FAMILIES.values()) + list(ERRORS.values()), ids=list(FAMILIES) + list(ERRORS))
def test_every_response_family_carries_the_security_headers(client, url):
    r = client.get(url)
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "http" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r.headers["X-Frame-Options"] == "DENY"
    if r.mimetype == "text/html":
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "object-src 'none'" in csp
    else:  # JSON, TEI, text: nothing in them may ever run as a document of this origin
        assert "sandbox" in csp and "default-src 'none'" in csp


def test_static_files_carry_them_too(client):
    with client.get(_static(client)) as r:
        assert r.headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_raw_tei_is_sandboxed_so_no_script_in_a_source_file_can_run(client):
    r = client.get("/tei/lv.xml")
    assert r.mimetype == "application/tei+xml"
    assert "sandbox" in r.headers["Content-Security-Policy"] and "script-src" not in r.headers["Content-Security-Policy"]


def test_no_template_has_inline_script_or_style():
    from pathlib import Path
    templates = Path(__file__).resolve().parents[2] / "src" / "pactarchive" / "web" / "templates"
    for t in templates.glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{t.name}: inline <script>"
        assert "<style" not in text and not re.search(r"\sstyle=", text), f"{t.name}: inline style"
        assert not re.search(r"\son[a-z]+=", text), f"{t.name}: inline event handler"


# -- caching ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", FAMILIES.values(), ids=FAMILIES.keys())
def test_etag_and_304_per_route_family(client, url):
    r = client.get(url)
    assert r.status_code == 200
    tag = r.headers["ETag"]
    assert tag.startswith('"') and not tag.startswith("W/"), "a strong ETag"
    assert r.headers["Cache-Control"] == "no-cache"
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert again.headers["Content-Security-Policy"], "a 304 keeps the headers"
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize("url", FAMILIES.values(), ids=FAMILIES.keys())
def test_gzip_per_route_family_with_its_own_etag(client, url):
    plain = client.get(url)
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "Accept-Encoding" in r.headers["Vary"]
    if len(plain.data) < 500:  # too small to be worth compressing
        return
    assert r.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(r.data) == plain.data
    assert r.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"', "a compressed body is another representation"
    assert client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]}).status_code == 304


def test_brotli_when_the_client_accepts_it(client):
    import brotli
    r = client.get("/read", headers={"Accept-Encoding": "br, gzip"})
    assert r.headers["Content-Encoding"] == "br"
    assert brotli.decompress(r.data) == client.get("/read").data


def test_tei_download_etag_is_the_document_hash(client, tei_dir):
    import hashlib
    r = client.get("/tei/lv.xml")
    assert hashlib.sha256((tei_dir / "lv.xml").read_bytes()).hexdigest()[:32] in r.headers["ETag"]


def test_etag_names_the_served_generation(app, client):
    from pactarchive.web.http import generation_id
    with app.test_request_context():
        gen = generation_id()
    assert gen != "none" and client.get("/api/documents").headers["ETag"].startswith(f'"{gen}-')


def test_static_files_are_fingerprinted_and_immutable(client):
    url = _static(client)
    with client.get(url) as r:
        assert r.status_code == 200 and "immutable" in r.headers["Cache-Control"] and "max-age=31536000" in r.headers["Cache-Control"]
    with client.get(url.split("?")[0] + "?v=000000000000") as stale:
        assert stale.headers["Cache-Control"] == "no-cache", "only the current content hash is immutable"
    with client.get(url.split("?")[0]) as bare:
        assert bare.headers["Cache-Control"] == "no-cache"


def test_every_static_link_of_the_pages_is_fingerprinted(client):
    for url in ("/", "/read", "/passage/lv:1.1.1", "/search?q=Soviet", "/documents/lv"):
        html = client.get(url).get_data(as_text=True)
        for link in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
            assert re.search(r"\?v=[0-9a-f]{12}$", link), (url, link)


def test_errors_are_revalidated_and_not_tagged(client):
    r = client.get("/api/documents/nope")
    assert r.status_code == 404 and "ETag" not in r.headers and r.headers["Cache-Control"] == "no-cache"


# -- hosts, CORS, rate limit -------------------------------------------------------------------

def test_an_unknown_host_is_400(client):
    for url in ("/", "/api/documents", "/tei/lv.xml"):
        r = client.get(url, headers={"Host": "evil.example"})
        assert r.status_code == 400 and b"not trusted" in r.data and b"PACTARCHIVE_TRUSTED_HOSTS" in r.data
        assert r.headers["X-Content-Type-Options"] == "nosniff"


# (not "[::1]": werkzeug 3.1's host_is_trusted cuts a trusted "[::1]" at its first colon)
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:5000", "localhost:1234"])
def test_loopback_names_on_any_port_are_trusted(client, host):
    assert client.get("/api/documents", headers={"Host": host}).status_code == 200


def test_absolute_urls_never_come_from_an_untrusted_host(tei_dir, index_dir):
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir,
                      "BASE_URL": "https://pact.example.org"})
    c = app.test_client()
    assert c.get("/api/passages/lv:1.1.1", headers={"Host": "evil.example"}).status_code == 400
    p = c.get("/api/passages/lv:1.1.1", headers={"Host": "pact.example.org"}).get_json()
    assert "https://pact.example.org/passage/lv:1.1.1" in p["citation"]["chicago"]


def test_trusted_hosts_from_settings_and_the_bound_address(tei_dir, index_dir, monkeypatch):
    monkeypatch.setenv("PACTARCHIVE_TRUSTED_HOSTS", "archive.example.org, .example.net")
    c = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir}).test_client()
    assert c.get("/api/documents", headers={"Host": "archive.example.org"}).status_code == 200
    assert c.get("/api/documents", headers={"Host": "a.example.net"}).status_code == 200
    assert c.get("/api/documents", headers={"Host": "localhost"}).status_code == 400, "the list replaces the default"
    monkeypatch.delenv("PACTARCHIVE_TRUSTED_HOSTS")
    c = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir, "BIND_HOST": "192.0.2.7"}).test_client()
    assert c.get("/api/documents", headers={"Host": "192.0.2.7:5000"}).status_code == 200


def test_cors_on_the_read_only_api_and_tei_not_on_pages(client):
    for url in ("/api/documents", "/api/passages/lv:1.1.1", "/api/search?q=Soviet", "/tei/lv.xml", "/api/passages/zz:1"):
        r = client.get(url, headers={"Origin": "https://elsewhere.example"})
        assert r.headers["Access-Control-Allow-Origin"] == "*" and "ETag" in r.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/").headers
    pre = client.options("/api/documents", headers={"Origin": "https://elsewhere.example",
                                                   "Access-Control-Request-Method": "GET",
                                                   "Access-Control-Request-Headers": "if-none-match"})
    assert pre.status_code == 200 and "If-None-Match" in pre.headers["Access-Control-Allow-Headers"]


def test_search_is_rate_limited_per_client_with_retry_after(tei_dir, index_dir):
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir,
                      "RATELIMIT_ENABLED": True, "SEARCH_RATE_LIMIT": "3 per minute"})
    c = app.test_client()
    assert [c.get(u).status_code for u in ("/api/search?q=Soviet", "/search?q=Soviet", "/api/search?q=Päts")] == [200] * 3
    r = c.get("/api/search?q=Tallinn")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "too many searches" in r.get_json()["error"] and r.headers["Cache-Control"] == "no-store"
    page = c.get("/search?q=Tallinn")
    assert page.status_code == 429 and b"too many searches" in page.data and page.mimetype == "text/html"
    assert c.get("/api/documents").status_code == 200, "only search is limited"
    other = c.get("/api/search?q=Soviet", environ_overrides={"REMOTE_ADDR": "192.0.2.9"})
    assert other.status_code == 200, "the budget is per client address"


def test_a_streamed_download_with_its_own_tag_gets_304(tei_dir, index_dir):
    from flask import Response

    from pactarchive.web import http
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir})

    @app.get("/streamed-for-test")
    def streamed():
        r = Response((chunk for chunk in (b"<TEI/>",)), mimetype="application/tei+xml")
        r.set_etag(http.tag("ab" * 32))
        return r

    c = app.test_client()
    first = c.get("/streamed-for-test")
    assert first.status_code == 200 and "abab" in first.headers["ETag"]
    assert c.get("/streamed-for-test", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
