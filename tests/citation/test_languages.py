"""Citations in the interface language (issue 15): the CSL locale follows it (citeproc-py's
``lv-LV``), access dates are written for the language, the unit in the title is translated on
Latvian pages, every cache of citations is keyed by the language, and rendering from several
threads at once (no lock: issue 10) gives what one thread gives."""

from __future__ import annotations

import re
import sys
import threading
from datetime import date

import pytest

from pactarchive import cite
from pactarchive.cite import csl, styles
from pactarchive.cite.edition import from_document
from pactarchive.web import citing

URL = "https://edition.example.org/passage/lv:1.1.1"
ACCESSED = date(2025, 3, 4)

# lv:1.1.1 of the edition's own tei/, accessed on 4 March 2025, in Chicago
CHICAGO_EN = ("“Sentence lv:1.1.1”. In Igaunijas un PSRS Savstarpējās palīdzības pakts, version 1.1, edited by "
              "the pactarchive editorial team. Pactarchive, 2026. Accessed March 4, 2025. " + URL + ".")
CHICAGO_LV = ("“Teikums lv:1.1.1”. No Igaunijas un PSRS Savstarpējās palīdzības pakts, versija 1.1, sagatavoja "
              "the pactarchive editorial team. Pactarchive, 2026. Skatīts 2025. gada 4. martā. " + URL + ".")


def record(corpus, ref="lv:1.1.1", accessed=ACCESSED, title=None, url=URL):
    loc = corpus.resolve(ref)[0]
    return csl.record(from_document(loc.doc), ref, loc.passage.unit, url, accessed, title=title)


def test_chicago_in_english_and_in_latvian(corpus):
    assert cite.citations(record(corpus))["chicago"] == CHICAGO_EN
    assert cite.citations(record(corpus, title="Teikums lv:1.1.1"), "lv")["chicago"] == CHICAGO_LV


def test_each_style_writes_the_access_date_in_its_own_form_per_language(corpus):
    en, lv = cite.citations(record(corpus)), cite.citations(record(corpus), "lv")
    assert en["mla"].endswith(f"{URL}. Accessed 4 Mar. 2025.")
    assert en["apa"].endswith(f"Retrieved March 4, 2025, from {URL}")
    assert lv["mla"].endswith(f"{URL}. Skatīts 2025. gada 4. martā.")
    assert lv["apa"].endswith(f"Iegūts 2025. gada 4. martā no {URL}")
    assert "Versija 1.1" in lv["mla"] and "(Versija 1.1)" in lv["apa"]  # the lv-LV locale's terms
    for text in (lv["chicago"], lv["mla"], lv["apa"]):
        assert "Accessed" not in text and "Retrieved" not in text and "edited by" not in text
    assert lv["bibtex"] == en["bibtex"] and lv["ris"] == en["ris"]  # exchange formats: one language


@pytest.mark.parametrize("d, text", [(date(1939, 9, 28), "1939. gada 28. septembrī"),
                                     (date(2026, 1, 1), "2026. gada 1. janvārī"),
                                     (date(2030, 10, 31), "2030. gada 31. oktobrī")])
def test_latvian_access_dates_take_the_locative(d, text):
    assert styles.accessed_phrase(d, "chicago", "lv") == "Skatīts " + text
    assert styles.date_forms(d, "lv") == [text]


def test_an_unknown_language_is_refused(corpus):
    with pytest.raises(KeyError, match="no citation locale"):
        styles.render([record(corpus)], "chicago", "et")


@pytest.mark.parametrize("lang", ["en", "lv"])
@pytest.mark.parametrize("accessed", [date(2026, 12, 1), date(2027, 3, 9), date(2030, 5, 31)])
@pytest.mark.parametrize("ref", ["lv:1.1.2", "hen:1.1", "lv-en:3"])
def test_the_citation_cache_gives_what_citeproc_gives_in_each_language(corpus, ref, accessed, lang):
    rec = record(corpus, ref, accessed, url=f"https://example.org/passage/{ref}")
    assert citing.cached_citations(rec, lang) == cite.citations(rec, lang)
    assert citing.cached_citations(rec, lang) == cite.citations(rec, lang)  # a hit too


def test_the_citation_cache_is_keyed_by_language(corpus):
    rec = record(corpus, "lv:2.1.1")
    en, lv = citing.cached_citations(rec, "en"), citing.cached_citations(rec, "lv")
    assert "Accessed March 4, 2025" in en["chicago"] and "Skatīts 2025. gada 4. martā" in lv["chicago"]
    assert citing.cached_citations(rec, "en") == en


def test_rendering_in_several_threads_at_once_equals_rendering_in_one(corpus):
    refs = ["lv:1.1.1", "lv:1.1.2", "lv:2.1.1", "hen:1.1", "hen:1.1.1", "lv-en:1.1.1", "lv-en:3", "lv:2.2.4"]
    jobs = [(record(corpus, r, date(2025, 1 + i % 12, 1 + i)), style, lang)
            for i, r in enumerate(refs) for style in styles.STYLES for lang in styles.LOCALES]

    def run(job):
        rec, style, lang = job
        return styles.render([rec], style, lang)

    styles._render_json.cache_clear()
    serial = [run(j) for j in jobs]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: interleave the renders
    try:
        _render_in_threads(jobs, run, serial)
    finally:
        sys.setswitchinterval(switch)


def _render_in_threads(jobs, run, serial):
    for _ in range(3):
        styles._render_json.cache_clear()
        results: dict[int, str] = {}
        start = threading.Barrier(6)

        def worker(k):
            start.wait()
            for n in range(k, len(jobs), 6):
                results[n] = run(jobs[n])

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [results[n] for n in range(len(jobs))] == serial


def test_rendering_takes_no_module_lock_and_each_thread_has_its_own_styles():
    assert not any(isinstance(v, type(threading.Lock())) for v in vars(styles).values())
    found = []
    t = threading.Thread(target=lambda: found.append(styles._style("chicago", "lv")))
    t.start()
    t.join()
    assert found[0] is not styles._style("chicago", "lv")
    assert styles._style("chicago", "lv") is styles._style("chicago", "lv")


# -- pages ------------------------------------------------------------------------------------

def _cite_texts(html: str) -> list[str]:
    return re.findall(r'<p class="cite-text">(.*?)</p>', html, re.S)


def test_the_passage_page_cites_in_its_interface_language(client):
    lv = client.get("/passage/lv:1.1.1?ui=lv").get_data(as_text=True)
    chicago, mla, apa = _cite_texts(lv)
    assert chicago.startswith("“Teikums lv:1.1.1”. No Igaunijas un PSRS Savstarpējās palīdzības pakts, versija 1.1, sagatavoja")
    assert "Skatīts " in chicago and "Skatīts " in mla and "Iegūts " in apa
    assert "<h1>Teikums lv:1.1.1</h1>" in lv
    assert ">Chicago (18. izd., piezīmes un bibliogrāfija)<" in lv and ">APA (7. izd.)<" in lv
    en = client.get("/passage/lv:1.1.1?ui=en").get_data(as_text=True)
    assert _cite_texts(en)[0].startswith("“Sentence lv:1.1.1”. In Igaunijas")


def test_the_json_twin_cites_in_english_whatever_the_interface(client):
    data = client.get("/api/passages/lv:1.1.1", headers={"Cookie": "ui=lv", "Accept-Language": "lv"}).get_json()
    assert data["citation"]["chicago"].startswith("“Sentence lv:1.1.1”. In ")
    assert data["citation"]["csl"]["title"] == "Sentence lv:1.1.1"


def test_both_sides_cite_in_the_interface_language(client):
    html = client.get("/passage/lv:1.1.1?with=aligned&ui=lv").get_data(as_text=True)
    chicago = _cite_texts(html)[0]
    assert chicago.count("Skatīts") == chicago.count("\n") + 1 > 1 and "Accessed" not in chicago
    assert "“Teikums hen:" in chicago
    assert "Accessed" in client.get("/passage/lv:1.1.1?with=aligned&format=json&ui=lv").get_json()["citation"]["chicago"]


def test_the_plain_text_download_cites_in_the_interface_language_and_varies_with_it(client):
    lv = client.get("/passage/lv:1.1.1.txt?ui=lv")
    en = client.get("/passage/lv:1.1.1.txt?ui=en")
    assert "“Teikums lv:1.1.1”. No " in lv.get_data(as_text=True) and "Skatīts" in lv.get_data(as_text=True)
    assert "“Sentence lv:1.1.1”. In " in en.get_data(as_text=True)
    for r in (lv, en):
        assert r.mimetype == "text/plain"
        assert "Accept-Language" in r.headers["Vary"] and "Cookie" in r.headers["Vary"]
    assert lv.headers["ETag"] != en.headers["ETag"]
    # the Latvian answer's tag does not revalidate the English one
    assert client.get("/passage/lv:1.1.1.txt?ui=en", headers={"If-None-Match": lv.headers["ETag"]}).status_code == 200
    assert client.get("/passage/lv:1.1.1.txt?ui=lv", headers={"If-None-Match": lv.headers["ETag"]}).status_code == 304
