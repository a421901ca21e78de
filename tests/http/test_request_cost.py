"""What one request costs does not grow with the archive: per-generation work is done once per
generation, not per request (issue 10, the serving side)."""

from __future__ import annotations

from pactarchive.web import changes


def test_the_changed_marks_are_computed_once_per_generation(client, monkeypatch):
    calls = []
    real = changes.records
    monkeypatch.setattr(changes, "records", lambda c: calls.append(1) or real(c))
    changes._indexes.clear()
    read = client.get("/read")
    assert read.status_code == 200 and 'class="changed-mark"' in read.get_data(as_text=True)
    assert len(calls) == 1, "the marks of one /read were computed more than once"
    assert client.get("/passage/lv:1.1.2").status_code == 200 and client.get("/api/read").status_code == 200
    assert len(calls) == 1, "the marks are computed once per generation"


def test_marks_in_gives_the_marks_of_the_documents_asked_for(app):
    with app.test_request_context("/"):
        from pactarchive.web import edition
        c = edition()
        every = changes.marks(c)
        assert every, "our tei/ has changes since publication"
        for doc in {r.split(":", 1)[0] for r in every}:
            assert changes.marks_in(c, [doc]) == {r: m for r, m in every.items() if r.startswith(doc + ":")}
        assert changes.marks_in(c, ["no-such-document"]) == {}


def test_no_request_stats_the_tei_files_the_watcher_thread_does(tei_dir, index_dir, monkeypatch):
    import threading
    import time

    from pactarchive.web import create_app, source
    seen = []
    real = source.fingerprint
    monkeypatch.setattr(source, "fingerprint", lambda d: seen.append(threading.current_thread().name) or real(d))
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir, "WATCH_SECONDS": 0.05})
    try:
        for url in ("/api/documents", "/about", "/api/passages/lv:1.1.2"):
            assert app.test_client().get(url).status_code == 200
        time.sleep(0.3)
        assert seen, "the watcher looks at tei/"
        assert set(seen) == {"pactarchive-watcher"}, "a walk of tei/ ran on a request thread"
    finally:
        app.extensions["edition"].watch = False  # ends the watcher thread


def test_about_lists_one_page_of_sources(client):
    whole = client.get("/about").get_data(as_text=True)
    assert all(f"<code>{d}</code>" in whole for d in ("hen", "lv", "lv-en")) and 'rel="next"' not in whole
    first = client.get("/about?size=2").get_data(as_text=True)
    assert "<code>hen</code>" in first and "<code>lv-en</code>" not in first
    assert 'href="/about?page=2&amp;size=2#sources" rel="next"' in first
    second = client.get("/about?page=2&size=2").get_data(as_text=True)
    assert "<code>lv-en</code>" in second and "<code>hen</code>" not in second and 'rel="prev"' in second
