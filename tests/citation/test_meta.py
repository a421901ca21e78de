"""The metadata reference managers read: canonical link, Highwire Press citation_* tags, the
JSON twin and the TEI source, parsed with lxml.html."""

from __future__ import annotations

import re

import pytest
from flask import render_template
from lxml import html

REQUIRED = ("citation_title", "citation_author", "citation_publisher", "citation_language", "citation_public_url")


def head_of(text: str):
    tree = html.fromstring(text)
    (head,) = tree.xpath("/html/head")
    return head


def metas(head) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in head.xpath("meta[starts-with(@name, 'citation_')]"):
        out.setdefault(m.get("name"), []).append(m.get("content"))
    return out


def link(head, rel: str, type_: str | None = None) -> list[str]:
    xp = f"link[@rel='{rel}']" + (f"[@type='{type_}']" if type_ else "")
    return [el.get("href") for el in head.xpath(xp)]


def check_head(client, head, canonical: str, lang: str):
    assert link(head, "canonical") == [canonical]
    tags = metas(head)
    for name in REQUIRED:
        assert tags.get(name) and all(v and v.strip() == v for v in tags[name]), name
    assert tags["citation_public_url"] == [canonical.split("?")[0]]
    assert tags["citation_language"] == [lang]
    for date in tags.get("citation_publication_date", []):
        assert re.fullmatch(r"\d{4}(/\d{2}/\d{2})?", date)
    (json_href,) = link(head, "alternate", "application/json")
    assert client.get(json_href).status_code == 200
    (tei_href,) = link(head, "alternate", "application/tei+xml")
    assert client.get(tei_href).status_code == 200


@pytest.mark.parametrize("ref, lang", [("lv:2.3.1", "lv"), ("hen:1", "en"), ("lv:2.3.1-2.3.2", "lv")])
def test_passage_pages_carry_canonical_highwire_and_json_twin(client, ref, lang):
    head = head_of(client.get(f"/passage/{ref}").get_data(as_text=True))
    check_head(client, head, f"http://localhost/passage/{ref}", lang)
    tags = metas(head)
    assert tags["citation_title"][0].endswith(ref)
    assert tags["citation_inbook_title"] and tags["citation_editor"]


def test_cite_both_sides_page_is_its_own_canonical(client):
    head = head_of(client.get("/passage/hen:1.1.1?with=aligned").get_data(as_text=True))
    check_head(client, head, "http://localhost/passage/hen:1.1.1?with=aligned", "en")


def test_document_metadata_renders_from_a_document_dict(app):
    with app.test_request_context("/documents/lv"):
        head = head_of("<html><head>" + render_template("_cite_meta.html", doc={"id": "lv"}) + "</head></html>")
    assert link(head, "canonical") == ["http://localhost/documents/lv"]
    tags = metas(head)
    assert tags["citation_title"] == ["Igaunijas un PSRS Savstarpējās palīdzības pakts"]
    assert tags["citation_public_url"] == ["http://localhost/documents/lv"] and tags["citation_language"] == ["lv"]
    assert link(head, "alternate", "application/tei+xml") == ["/tei/lv.xml"]


def test_document_pages_include_the_metadata(client):
    head = head_of(client.get("/documents/lv").get_data(as_text=True))
    assert link(head, "canonical") == ["http://localhost/documents/lv"], \
        'document.html must {% include "_cite_meta.html" ignore missing %} in {% block head %}'
    check_head(client, head, "http://localhost/documents/lv", "lv")


def test_pages_without_a_document_or_passage_get_no_metadata(client):
    head = head_of(client.get("/passage/zz:1").get_data(as_text=True))
    assert not metas(head) and not link(head, "canonical")
