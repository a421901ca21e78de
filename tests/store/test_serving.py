"""Serving by lookups: requests read the store, never load the corpus; lists come in pages
with Link and X-Total-Count; a running app picks up a new generation on its next request."""

from __future__ import annotations

import time

import pytest

from pactarchive import corpus as corpus_module
from pactarchive.build import build
from pactarchive.corpus import Corpus
from pactarchive.web import create_app


@pytest.fixture()
def no_corpus_loading(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the corpus was loaded on the request path")
    monkeypatch.setattr(corpus_module.Corpus, "load", classmethod(refuse))


@pytest.mark.parametrize("url", ["/api/documents", "/api/documents/lv", "/api/passages/lv:1.1.2",
                                 "/api/passages/lv:1.1.1-1.1.3", "/passage/lv:1.1.2", "/passage/hen:1.1?with=aligned",
                                 "/api/entities", "/api/entities/stalin", "/read?at=lv:2.2.4", "/documents/hen",
                                 "/api/alignment?left=hen&right=lv", "/tei/lv.xml"])
def test_requests_are_answered_from_the_store(app, url, no_corpus_loading):
    app.extensions["edition"].watch = False  # the watcher would load the corpus if tei/ changed
    try:
        r = app.test_client().get(url)
    finally:
        app.extensions["edition"].watch = app.config["WATCH_TEI"]
    assert r.status_code == 200, r.data[:300]


def test_documents_come_in_pages_with_link_and_total_count(client):
    r = client.get("/api/documents?size=2")
    assert [d["id"] for d in r.get_json()] == ["hen", "lv"]
    assert r.headers["X-Total-Count"] == "3"
    links = dict((rel.split('"')[1], url.strip(" <>")) for url, rel in
                 (part.split(";") for part in r.headers["Link"].split(",")))
    assert links == {"first": "/api/documents?page=1&size=2", "next": "/api/documents?page=2&size=2",
                     "last": "/api/documents?page=2&size=2"}
    r = client.get(links["next"])
    assert [d["id"] for d in r.get_json()] == ["lv-en"]
    assert 'rel="prev"' in r.headers["Link"] and 'rel="next"' not in r.headers["Link"]
    assert [d["id"] for d in client.get("/api/documents").get_json()] == ["hen", "lv", "lv-en"]  # default 100


@pytest.mark.parametrize("query", ["size=0", "size=x", "page=0", "size=5000"])
def test_bad_paging_is_a_400_saying_what_to_give(client, query):
    r = client.get("/api/documents?" + query)
    assert r.status_code == 400 and "size" in r.get_json()["error"]


def test_entity_mentions_come_in_pages(client):
    whole = client.get("/api/entities/stalin").get_json()
    all_of_them = whole["mentions"]
    assert len(all_of_them) > 2 and set(all_of_them[0]) == {"ref", "text", "role"}
    r = client.get("/api/entities/stalin?size=1&page=2")
    paged = r.get_json()
    assert paged["mentions"] == all_of_them[1:2]
    assert r.headers["X-Total-Count"] == str(len(all_of_them)) and "mentions_total" not in paged
    assert 'rel="prev"' in r.headers["Link"] and "/api/entities/stalin?page=3&amp;size=1" not in r.headers["Link"]
    assert "</api/entities/stalin?page=3&size=1>; rel=\"next\"" in r.headers["Link"]
    # the register page's shape is kept: only the flat list is paged, the KWIC groups are whole
    assert paged["groups"] == whole["groups"] and paged["counts"] == whole["counts"]
    assert client.get("/api/entities/stalin?size=0").status_code == 400


@pytest.mark.parametrize("url", ["/entities", "/api/entities?doc=hen", "/entities/pats", "/api/entities/pats?doc=lv",
                                 "/notes", "/api/notes?doc=hen", "/timeline?at=1939-09", "/api/timeline?doc=lv",
                                 "/map", "/api/map?doc=hen"])
def test_context_pages_read_the_store_and_parse_no_tei(app, url, no_corpus_loading, monkeypatch):
    from pactarchive.store import queries

    def refuse(self, doc_id):
        raise AssertionError(f"{url} parsed the TEI of '{doc_id}' on the request path")
    monkeypatch.setattr(queries.Edition, "parsed", refuse)
    app.extensions["edition"].watch = False
    try:
        r = app.test_client().get(url)
    finally:
        app.extensions["edition"].watch = app.config["WATCH_TEI"]
    assert r.status_code == 200, r.data[:300]


def test_a_running_app_picks_up_a_new_generation(make_tei, tmp_path):
    tei, ix = make_tei("aligned_a.xml"), tmp_path / "ix"
    build(Corpus.load(tei), ix)
    app = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": ix, "WATCH_TEI": False})
    c = app.test_client()
    assert [d["id"] for d in c.get("/api/documents").get_json()] == ["a"]
    (tei / "aligned_b.xml").write_bytes((make_tei() / "aligned_a.xml").read_bytes()
                                         .replace(b'xml:id="a"', b'xml:id="b"').replace(b"a-s", b"b-s"))
    assert [d["id"] for d in c.get("/api/documents").get_json()] == ["a"]  # not watching: the old generation
    build(Corpus.load(tei), ix)  # another process (the watcher) builds
    assert [d["id"] for d in c.get("/api/documents").get_json()] == ["a", "b"]


def test_the_home_page_lists_documents_in_pages(client):
    first = client.get("/?size=2").data.decode()
    assert "/documents/lv\"" in first and "/documents/lv-en\"" not in first
    assert 'href="/?page=2&amp;size=2" rel="next"' in first
    assert "/documents/lv-en\"" in client.get("/?page=2&size=2").data.decode()
    assert 'rel="next"' not in client.get("/").data.decode()  # 3 documents: one page


def test_a_documents_passages_can_be_paged(client):
    whole = client.get("/api/documents/lv").get_json()
    r = client.get("/api/documents/lv?page=2&size=10")
    assert r.get_json()["passages"] == whole["passages"][10:20]
    assert r.headers["X-Total-Count"] == str(len(whole["passages"])) and "passages_total" not in r.get_json()
    assert r.get_json()["toc"] == whole["toc"]


def test_the_watcher_checks_a_large_archive_less_often(tei_dir, tmp_path, monkeypatch):
    """A check of tei/ walks and stats every file (about 0.2 s at 5,000 documents, holding the
    GIL the requests need): the watcher waits so that walking takes at most WATCH_SHARE of the
    time (web/source.py ``watch_interval``)."""
    import logging
    from pactarchive.web import source as served
    real = served.fingerprint

    def slow(*args):
        time.sleep(0.05)
        return real(*args)
    monkeypatch.setattr(served, "fingerprint", slow)
    edition = served.EditionSource(tei_dir, tmp_path / "index", logging.getLogger("test"), watch=True, every=0)
    edition._fp = real(tei_dir)  # (seen: no rebuild)
    edition._watch()
    assert edition.walked >= 0.05
    assert served.watch_interval(2.0, edition.walked) >= 0.05 / served.WATCH_SHARE - edition.walked >= 2.0
    assert served.watch_interval(2.0, 0.001) == 2.0
