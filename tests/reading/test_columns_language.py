"""The interface words inside the text columns follow the UI language (issue 15): note markers,
the notes' frames, screen-reader text of dates, corrections and gaps, titles. The texts and the
notes themselves keep their own language (``lang``). Real data: the edition's own tei/."""

from __future__ import annotations

import pytest
from lxml import html as lhtml

# interface phrases the renderer writes in English (render/labels.py)
ENGLISH = ["Note ", "note ", "back to the text", "Also at", "compares", "at hen:", "at lv:", "date:",
           "quantity:", "by the editors", "as in the source", "Gap in the text", "beside the other text",
           "Other readings", "not shown here"]
# the interface parts of a column (the rest is the document's text, in its own language)
INTERFACE = ("//sup[contains(@class,'note-ref')] | //details[contains(@class,'ed-note')]/summary/strong"
             " | //span[@class='note-kind'] | //span[@class='note-compares'] | //span[@class='note-also']"
             " | //a[@class='note-back'] | //span[@class='vh'] | //div[@class='note-body']/a[not(@class)]")


def columns(client, url):
    page = lhtml.document_fromstring(client.get(url).data)
    return page.xpath("//article[contains(@class,'column')] | //section[contains(@class,'doc-text')]")


def lang_of(el) -> str:
    return next(a.get("lang") for a in (el, *el.iterancestors()) if a.get("lang"))


def interface_text(el) -> str:
    """The element's text without the parts marked as another language (the note's own words)."""
    own = lang_of(el)
    parts = [el.text or ""]
    for child in el:
        if not child.get("lang") or child.get("lang") == own:
            parts.append(interface_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


@pytest.mark.parametrize("url", ["/read?left=hen&right=lv", "/read?left=lv-en&right=lv", "/documents/lv", "/documents/hen"])
def test_a_latvian_page_has_no_english_interface_words_in_its_columns(client, url):
    found = []
    for column in columns(client, url + "&ui=lv" if "?" in url else url + "?ui=lv"):
        parts = column.xpath("." + INTERFACE.replace(" | //", " | .//"))
        assert parts, f"{url}: no interface parts in the column"
        for el in parts:
            text = interface_text(el)
            assert lang_of(el) == "lv", (url, text[:60])
            found += [(phrase, text[:80]) for phrase in ENGLISH if phrase in text]
        for attr in column.xpath(".//@title | .//@aria-label"):
            found += [(phrase, str(attr)) for phrase in ENGLISH if phrase in attr]
    assert not found, f"{url}: English interface words in the text columns: {found[:10]}"


def test_the_same_parts_are_english_on_an_english_page(client):
    """The check above can fail: on the English page the same parts hold the English words."""
    texts = [interface_text(el) for column in columns(client, "/read?left=hen&right=lv&ui=en")
             for el in column.xpath("." + INTERFACE.replace(" | //", " | .//"))]
    assert any("back to the text" in t for t in texts) and any("note " in t for t in texts)


def test_notes_keep_their_own_language_on_a_latvian_page(client):
    (_, right) = columns(client, "/read?left=hen&right=lv&ui=lv")
    note = right.xpath(".//details[contains(@class,'ed-note')]//span[@class='note-gist' or @class='note-text']")[0]
    assert lang_of(note) == "en" and note.get("lang") == "en"
