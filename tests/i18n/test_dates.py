"""One date form across the pages (docs/i18n.md, "Dates"): in Latvian CLDR's long date,
"1939. gada 28. septembris" (year, "gada", the day as an ordinal, the month), never the
"28. septembris 1939" of the issue's wording; in English "28 September 1939". Every
``<time datetime>`` the interface writes shows its date in that form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from babel.dates import format_date

PAGES = ["/timeline", "/changes", "/entities/mikoyan", "/documents/lv", "/documents/hen"]


def expected(iso: str, lang: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return format_date(dt.date(*parts), "long" if lang == "lv" else "d MMMM y", locale=lang)
    if len(parts) == 2:
        return format_date(dt.date(*parts, 1), "y. 'gada' MMMM" if lang == "lv" else "MMMM y", locale=lang)
    return str(parts[0])


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_interface_date_is_written_in_the_one_form_of_its_language(client, lang):
    seen = 0
    for url in PAGES:
        html = client.get(f"{url}?ui={lang}").get_data(as_text=True)
        for iso, text in re.findall(r'<time datetime="(\d{4}(?:-\d{2}){0,2})"[^>]*>([^<]*)</time>', html):
            start = text.split(" – ")[0]  # a range: its start
            if re.fullmatch(r"\d{4}", start):  # the timeline's year ranges ("1939 – 1940", datetime 1939-01-01)
                assert iso.startswith(start), (url, iso, text)
            else:
                assert start == expected(iso, lang), (url, iso, text)
            seen += 1
    assert seen > 50


def test_the_latvian_form_is_cldrs_not_the_day_first_form():
    assert expected("1939-09-28", "lv") == "1939. gada 28. septembris"
    html_form = "28. septembris 1939"
    assert expected("1939-09-28", "lv") != html_form


def test_a_latvian_page_shows_no_english_or_day_first_date_in_its_interface(client):
    html = client.get("/changes?ui=lv").get_data(as_text=True)
    times = re.findall(r'<time datetime="[^"]+"[^>]*>([^<]*)</time>', html)
    assert times and all(re.fullmatch(r"\d{4}\. gada( \d{1,2}\.)? [a-zāēīūšžčņļķģ]+|\d{4}", t) for t in times), times
