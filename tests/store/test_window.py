"""Long documents in the reading view, a division at a time (READ_WINDOW finest passages)."""

from __future__ import annotations

import pytest
from lxml import html as lhtml

from pactarchive.web import create_app


@pytest.fixture()
def small_window(tei_dir, index_dir):
    """The real edition with a window of 40 finest passages: lv (about 130) is 'long'."""
    return create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir, "READ_WINDOW": 40}).test_client()


def test_a_deep_link_into_a_long_document_shows_its_division(small_window):
    page = lhtml.document_fromstring(small_window.get("/read?at=lv:3.1.2").data)
    right = page.xpath("//article[contains(@class,'column-right')]")[0]
    ids = right.xpath(".//*[@id]/@id")
    assert "lv:3.1.2" in ids and not any(i.startswith(("lv:2.", "lv:4.")) for i in ids)
    assert right.xpath(".//a[@rel='prev']/@href")[0].endswith("at=lv:2#lv:2")
    assert right.xpath(".//a[@rel='next']/@href")[0].endswith("at=lv:4#lv:4")
    left = page.xpath("//article[contains(@class,'column-left')]")[0]
    assert left.xpath(".//*[@id='hen:1.1.1']") and not left.xpath(".//nav")  # hen is short: whole


def test_the_json_twin_lists_the_window(small_window):
    d = small_window.get("/api/read?at=lv:3.1.2").get_json()
    assert d["window"]["right"]["parts"] == ["lv:3"] and "left" not in d["window"]
    shown = {p["ref"] for row in d["rows"] for p in row["right"]}
    assert "lv:3.1.2" in shown and not any(r.startswith("lv:5.") for r in shown)
    assert all(any(t.startswith(("hen:", "lv:3")) for t in n["targets"]) for n in d["notes"])


def test_short_documents_are_shown_whole(client):
    d = client.get("/api/read?at=lv:3.1.2").get_json()
    assert "window" not in d
    assert any(p["ref"].startswith("lv:5.") for row in d["rows"] for p in row["right"])


def test_two_long_documents_show_the_counterparts_division(small_window):
    d = small_window.get("/api/read?left=lv-en&right=lv&at=lv:3.1.2").get_json()
    assert d["window"]["right"]["parts"] == ["lv:3"] and d["window"]["left"]["parts"] == ["lv-en:3"]


def test_a_long_documents_page_shows_one_division_and_links_the_others(small_window):
    page = lhtml.document_fromstring(small_window.get("/documents/lv?at=lv:3.1.2").data)
    text = page.xpath("//section[contains(@class,'doc-text')]")[0]
    ids = text.xpath(".//*[@id]/@id")
    assert "lv:3.1.2" in ids and not any(i.startswith(("lv:2.", "lv:5.")) for i in ids)
    toc = page.xpath("//nav[@class='toc']//a/@href")
    assert "#lv:3" in toc and "/documents/lv?at=lv:5#lv:5" in toc
    assert page.xpath("//nav[@class='window-nav']//a[@rel='next']/@href") == ["/documents/lv?at=lv:4#lv:4"]
    first = lhtml.document_fromstring(small_window.get("/documents/lv").data)
    assert first.xpath("//*[@id='lv:1.1.1']") and not first.xpath("//nav[@class='window-nav']//a[@rel='prev']")


def test_short_documents_pages_are_whole(client):
    page = lhtml.document_fromstring(client.get("/documents/lv").data)
    assert page.xpath("//*[@id='lv:1.1.1']") and page.xpath("//*[@id='lv:5.1.6']")
    assert not page.xpath("//nav[@class='window-nav']")
