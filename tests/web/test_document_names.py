"""/documents/<id> lists the names of its text and fetches a card when a reader asks for it, as
/read does (issue 10: an inlined card listed and counted its entity's mentions across the
archive, so the page grew with it)."""

from __future__ import annotations

import pytest
from lxml import html as lhtml


def tree(client, url: str):
    r = client.get(url)
    assert r.status_code == 200, url
    return lhtml.document_fromstring(r.get_data(as_text=True))


def test_the_document_page_lists_names_and_inlines_no_card(client):
    page = tree(client, "/documents/lv")
    assert not page.xpath("//section[contains(@class,'entity-card')]"), "cards are fetched, not inlined"
    entry = page.xpath("//section[@class='entity-index']//li[@id='entity-stalin']/a")
    assert [a.get("href") for a in entry] == ["/read/entities/stalin"], "without JavaScript: the full card"
    assert page.xpath("//section[contains(@class,'doc-text')]//a[@href='#entity-stalin']"), "a name links to its entry"
    assert page.xpath("//dialog[@id='entity-dialog']") and page.xpath("//script[starts-with(@src,'/static/cards.js')]")
    kinds = page.xpath("//section[@class='entity-index']//h3/text()")
    assert "Person" in kinds and len(kinds) == len(set(kinds))


def test_the_card_it_fetches_links_the_mentions_into_the_page(client):
    card = tree(client, "/read/entities/stalin?shown=lv").xpath("//section[contains(@class,'entity-card')]")[0]
    hrefs = card.xpath(".//ul[@class='mention-list']//a/@href")
    assert hrefs and all(h.startswith("#lv:") for h in hrefs)
    page_ids = set(tree(client, "/documents/lv").xpath("//@id"))
    assert {h[1:] for h in hrefs} <= page_ids


def test_a_document_without_names_has_no_index_and_no_script(make_tei, tmp_path):
    from pactarchive.web import create_app
    tei = make_tei(plain__xml=_PLAIN)
    client = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path / "index"}).test_client()
    page = tree(client, "/documents/plain")
    assert not page.xpath("//section[@class='entity-index']") and not page.xpath("//script[starts-with(@src,'/static/cards.js')]")


_PLAIN = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="plain" xml:lang="en"><teiHeader><fileDesc>
<titleStmt><title>Plain</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc>
</fileDesc></teiHeader><text><body><div><p>No names here.</p></div></body></text></TEI>"""


@pytest.mark.browser
def test_a_name_opens_its_card_in_the_dialog(live_server, page):
    page.goto(live_server + "/documents/lv")
    page.click(".doc-text a[href='#entity-stalin'] >> nth=0")
    page.wait_for_selector("#entity-dialog[open] .entity-card")  # fetched: /read/entities/stalin?shown=lv
    dialog = page.locator("#entity-dialog")
    assert "Stalin" in dialog.inner_text()
    hrefs = dialog.locator(".mention-list a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("#lv:") for h in hrefs)
    assert any("/read/entities/stalin?shown=lv" in u for u in page.requests_made)
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    dialog_link = hrefs[0]
    page.click(".doc-text a[href='#entity-stalin'] >> nth=0")  # from the cache this time
    page.wait_for_selector("#entity-dialog[open] .entity-card")
    page.click(f"#entity-dialog a[href='{dialog_link}']")
    assert not dialog.is_visible() and page.evaluate("location.hash") == dialog_link
