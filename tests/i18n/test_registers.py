"""The register pages list names in the interface language by default (Latvian names in
Latvian collation on a Latvian page); ``?lang=`` still chooses; the JSON twins stay English
unless asked, and each page links the twin that holds what it shows."""

from __future__ import annotations

import re

from pactarchive import registers


def _labels(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/entities/[^"]+"[^>]*>([^<]+)</a></th>', html)


def test_entities_in_latvian_names_and_sorts_in_latvian(client):
    html = client.get("/entities?ui=lv").get_data(as_text=True)
    labels = _labels(html)
    assert "Anastass Mikojans" in labels and "Anastas Mikoyan" not in labels
    assert labels == sorted(labels, key=registers.collation_key("lv"))
    assert labels != sorted(labels, key=registers.collation_key("en"))  # the tailoring shows in the data
    assert "<strong>latviešu</strong>" in html and 'href="/entities?lang=en"' in html
    assert 'href="/api/entities?lang=lv"' in html  # the twin of what the page shows


def test_entities_in_english_by_default_on_an_english_page(client):
    html = client.get("/entities?ui=en").get_data(as_text=True)
    assert "Anastas Mikoyan" in _labels(html) and "Anastass Mikojans" not in _labels(html)
    assert 'href="/entities?lang=lv"' in html and 'href="/api/entities"' in html


def test_lang_still_overrides_the_interface_language(client):
    lv_in_en = _labels(client.get("/entities?ui=en&lang=lv").get_data(as_text=True))
    en_in_lv = _labels(client.get("/entities?ui=lv&lang=en").get_data(as_text=True))
    assert "Anastass Mikojans" in lv_in_en and "Anastas Mikoyan" in en_in_lv
    assert en_in_lv == sorted(en_in_lv, key=registers.collation_key("en"))
    html = client.get("/entities?ui=lv&lang=en").get_data(as_text=True)
    assert '<a href="/entities/mikoyan" lang="en">' in html  # names in another language than the page's


def test_the_json_twins_stay_english_whatever_the_interface(client):
    headers = {"Cookie": "ui=lv", "Accept-Language": "lv"}
    data = client.get("/api/entities", headers=headers).get_json()
    assert data["lang"] == "en" and any(e["label"] == "Anastas Mikoyan" for e in data["entries"])
    assert client.get("/api/entities?lang=lv", headers=headers).get_json()["lang"] == "lv"
    assert client.get("/api/entities/mikoyan", headers=headers).get_json()["label"] == "Anastas Mikoyan"


def test_entity_page_links_the_twin_in_its_name_language(client):
    assert 'href="/api/entities/mikoyan?lang=lv"' in client.get("/entities/mikoyan?ui=lv").get_data(as_text=True)
    assert 'href="/api/entities/mikoyan"' in client.get("/entities/mikoyan?ui=en").get_data(as_text=True)


def test_an_unknown_lang_is_a_clear_400(client):
    r = client.get("/entities?ui=lv&lang=et")
    assert r.status_code == 400 and "lang must be one of en, lv" in r.get_data(as_text=True)
