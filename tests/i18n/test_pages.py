"""The interface in English and Latvian (issue 15): every page in each language, the switcher,
the ``?ui=`` parameter, the cookie, Accept-Language, ``lang`` attributes, Babel dates and numbers,
caches keyed by the language. Real data: the edition's own tei/."""

from __future__ import annotations

import re

import pytest

# one URL per page of the site (each HTML page, as the readers reach it)
PAGES = ["/", "/about", "/accessibility", "/read", "/read?left=hen&right=lv", "/documents/lv", "/documents/hen",
         "/passage/lv:1.1.1", "/passage/lv:1.1.1?with=aligned", "/passage/lv:1", "/passage/lv:1.1.1-1.1.3",
         "/search", "/search?q=Molotovs", "/search?q=Molotovs&group=passage", "/search?q=%22%22%22",
         "/entities", "/entities?kind=person", "/entities?lang=lv", "/notes", "/timeline", "/timeline?at=1939",
         "/timeline?at=1939-09", "/map", "/changes", "/api", "/no/such/page"]

# words of the English interface that must not survive on a Latvian page outside text columns
ENGLISH_UI = ["Skip to content", "Read side by side", "Search the edition", "This page as JSON", "Registers",
              "Timeline", "passages found", "Editorial notes", "Cite this passage", "Key to the marks"]


def html_lang(body: str) -> str:
    return re.search(r'<html lang="([^"]+)"', body).group(1)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("ui", ["en", "lv"])
def test_each_page_in_each_language(client, url, ui):
    sep = "&" if "?" in url else "?"
    r = client.get(f"{url}{sep}ui={ui}")
    assert r.status_code in (200, 400, 404), (url, r.status_code)
    body = r.get_data(as_text=True)
    assert html_lang(body) == ui
    other, label = ("lv", "Latviski") if ui == "en" else ("en", "English")
    switch = re.search(r'<a href="([^"]+)" hreflang="%s" lang="%s" rel="alternate">%s</a>' % (other, other, label), body)
    assert switch, f"{url}: no switcher to {other}"
    assert f"ui={other}" in switch.group(1)
    if ui == "lv":
        ui_parts = re.sub(r'<(article|section|ol|blockquote|div|p|span|dd|td|li|a|q)[^>]*\slang="(en|und)".*?</\1>', "",
                          body, flags=re.S)  # text columns and English-only data keep their own language
        for phrase in ENGLISH_UI:
            assert phrase not in ui_parts, f"{url}: English {phrase!r} on the Latvian page"


def test_switcher_keeps_the_other_parameters(client):
    body = client.get("/search?q=Molotovs&lang=lv&ui=en").get_data(as_text=True)
    href = re.search(r'<a href="([^"]+)" hreflang="lv"', body).group(1).replace("&amp;", "&")
    assert href.startswith("/search?") and "q=Molotovs" in href and "lang=lv" in href and href.endswith("ui=lv")


def test_ui_parameter_sets_a_cookie_that_is_remembered(app):
    c = app.test_client()
    r = c.get("/?ui=lv")
    assert "ui=lv" in r.headers.get("Set-Cookie", "")
    assert html_lang(c.get("/about").get_data(as_text=True)) == "lv"  # no parameter: the cookie
    assert html_lang(c.get("/about?ui=en").get_data(as_text=True)) == "en"
    assert html_lang(c.get("/about").get_data(as_text=True)) == "en"


@pytest.mark.parametrize("header, lang", [("lv-LV,lv;q=0.9,en;q=0.5", "lv"), ("en-GB,en;q=0.9", "en"),
                                          ("de-DE,de;q=0.9", "en"), ("lv;q=0.4,en;q=0.8", "en"), (None, "en")])
def test_accept_language_chooses_when_nothing_else_does(app, header, lang):
    headers = {"Accept-Language": header} if header else {}
    assert html_lang(app.test_client().get("/", headers=headers).get_data(as_text=True)) == lang


def test_parameter_wins_over_cookie_and_header(app):
    c = app.test_client()
    c.set_cookie("ui", "en")
    r = c.get("/?ui=lv", headers={"Accept-Language": "en"})
    assert html_lang(r.get_data(as_text=True)) == "lv"
    assert html_lang(c.get("/?ui=xx").get_data(as_text=True)) == "lv"  # an unknown value is ignored; the new cookie holds


def test_text_columns_keep_their_own_language(client):
    body = client.get("/read?left=hen&right=lv&ui=lv").get_data(as_text=True)
    assert re.search(r'<article class="column column-\w+" lang="en"', body)
    assert re.search(r'<article class="column column-\w+" lang="lv"', body)
    assert '<header class="column-head" lang="lv">' in body


def test_pages_vary_by_language_and_their_etags_differ(client):
    en, lv = client.get("/about?ui=en"), client.get("/about?ui=lv")
    for r in (en, lv):
        assert {"accept-language", "cookie"} <= {v.strip().lower() for v in r.headers["Vary"].split(",")}
    assert en.headers["ETag"] != lv.headers["ETag"]
    assert en.headers["ETag"].strip('"').endswith("-en") and lv.headers["ETag"].strip('"').endswith("-lv")
    again = client.get("/about?ui=lv", headers={"If-None-Match": lv.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/about?ui=en", headers={"If-None-Match": lv.headers["ETag"]}).status_code == 200


def test_dates_and_numbers_are_formatted_by_babel(app):
    from pactarchive.web.i18n import isodate, number
    for ui, day, month, big in (("en", "28 September 1939", "September 1939", "25,000"),
                                ("lv", "1939. gada 28. septembris", "1939. gada septembris", "25\u00a0000")):
        with app.test_request_context(f"/?ui={ui}"):
            assert isodate("1939-09-28") == day
            assert isodate("1939-09") == month
            assert isodate("1939") == "1939"
            assert isodate("not a date") == "not a date"
            assert number(25000) == big
    home = app.test_client().get("/?ui=lv").get_data(as_text=True)
    assert "1939. gada 28. septembris" in home, re.search(r"home-context.*?</a>", home, re.S).group(0)
    home = app.test_client().get("/?ui=en").get_data(as_text=True)
    assert "28 September 1939" in home, home[1200:3000]


def test_latvian_plurals_follow_the_catalogue(app):
    from flask import render_template_string
    with app.test_request_context("/?ui=lv"):
        forms = [render_template_string('{{ ngettext("%(num)s mention", "%(num)s mentions", n) }}', n=n)
                 for n in (1, 2, 10, 21)]
    assert forms == ["1 pieminējums", "2 pieminējumi", "10 pieminējumi", "21 pieminējums"]


def test_timeline_and_search_numbers_in_latvian(client):
    tl = client.get("/timeline?at=1939-09&ui=lv").get_data(as_text=True)
    assert "septembris" in tl and "Laika ass" in tl
    s = client.get("/search?q=Molotovs&ui=lv").get_data(as_text=True)
    assert re.search(r"Atrast[si] \d+ fragment", s) or re.search(r"\d+ rezultāt", s)


def test_script_messages_travel_in_a_data_attribute(client):
    import json

    from lxml import html
    body = client.get("/passage/lv:1.1.1?ui=lv").get_data(as_text=True)
    msgs = json.loads(html.document_fromstring(body).body.get("data-ui-messages"))
    assert msgs["permalink_copied"] == "Pastāvīgā saite nokopēta."
    assert "%(style)s" in msgs["citation_copied"]


def test_accessibility_statement_and_its_json_twin(client):
    for ui in ("en", "lv"):
        page = client.get(f"/accessibility?ui={ui}").get_data(as_text=True)
        assert "WCAG 2.1" in page and 'href="/api/accessibility"' in page
        data = client.get(f"/api/accessibility?ui={ui}").get_json()
        assert data["level"] == "AA" and data["lang"] == ui and data["contact_is_placeholder"]
        assert len(data["tested"]) >= 4 and data["limitations"]
    assert "Paziņojums par piekļūstamību" in client.get("/accessibility?ui=lv").get_data(as_text=True)


def test_register_names_in_the_ui_language_with_a_visible_fallback(client):
    lv = client.get("/entities/selter?ui=lv").get_data(as_text=True)
    assert re.search(r'<h1><span class="kind-label">Persona</span> <span lang="lv">Karls Selters</span></h1>', lv)
    en = client.get("/entities/selter?ui=en").get_data(as_text=True)
    assert re.search(r'<h1><span class="kind-label">Person</span> <span lang="en">Karl Selter</span></h1>', en)


def test_a_name_without_a_latvian_form_falls_back_marked_english(app):
    from pactarchive.web.i18n import ui_name
    with app.test_request_context("/?ui=lv"):
        assert str(ui_name([{"lang": "en", "names": ["Nikitin"]}], "Nikitin")) == '<span lang="en">Nikitin</span>'
        assert str(ui_name({"lv": ["Ņikitins"]}, "Nikitin")) == '<span lang="lv">Ņikitins</span>'
