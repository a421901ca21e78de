"""The context pages and their JSON twins through the Flask client: on the edition (87 entities,
every note, every dated mention), on tiny fixtures and on real-world samples."""

import re

import pytest
from lxml import html as lhtml

from pactarchive import registers

PAGES = ["/entities", "/entities/pats", "/notes", "/timeline", "/map"]


def doc(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.data[:300])
    return lhtml.document_fromstring(r.get_data(as_text=True))


@pytest.mark.parametrize("url", PAGES + ["/", "/read", "/search", "/about", "/documents/lv"])
def test_every_page_links_the_four_context_pages(client, url):
    nav = doc(client, url).xpath("//header//nav//a/text()")
    assert {"Registers", "Notes", "Timeline", "Map"} <= set(nav)


@pytest.mark.parametrize("url", PAGES)
def test_every_context_page_links_its_json_twin(client, url):
    page = doc(client, url)
    (twin,) = page.xpath("//link[@rel='alternate'][@type='application/json']/@href")
    assert twin.startswith("/api/") and client.get(twin).status_code == 200


def test_the_register_lists_all_87_entities(client):
    d = client.get("/api/entities").get_json()
    assert d["total"] == 87 and len(d["entries"]) == 87
    page = doc(client, "/entities")
    assert len(page.xpath("//table[@class='register']/tbody/tr")) == 87
    assert page.xpath("//a[@href='/entities/pats']")


def test_register_filters_by_kind_letter_and_document(client):
    people = client.get("/api/entities?kind=person").get_json()
    assert people["entries"] and {e["kind"] for e in people["entries"]} == {"person"}
    k = client.get("/api/entities?letter=K").get_json()
    assert k["entries"] and all(e["label"].startswith("K") for e in k["entries"])
    hen = client.get("/api/entities?doc=hen").get_json()
    assert 0 < len(hen["entries"]) < 87 and all("hen" in e["documents"] for e in hen["entries"])
    assert client.get("/api/entities?kind=dragon").status_code == 400
    assert client.get("/api/entities?doc=nope").status_code == 404
    assert client.get("/entities?lang=xx").status_code == 400


def test_latvian_order_files_l_cedilla_after_l(client):
    d = client.get("/api/entities?lang=lv").get_json()
    letters = d["letters"]
    assert letters.index("L") + 1 == letters.index("Ļ") < letters.index("M")
    labels = [e["label"] for e in d["entries"]]
    key = registers.collation_key("lv")
    assert labels == sorted(labels, key=key) and labels != sorted(labels)


def test_entity_page_has_kwic_lines_grouped_by_document_with_counterparts(client):
    d = client.get("/api/entities/selter").get_json()
    assert [g["doc"] for g in d["groups"]] == ["lv", "lv-en"]
    line = d["groups"][0]["mention"][0]
    assert line["match"] in ("Karls Selters", "Selters") and line["ref"].startswith("lv:")
    assert line["aligned"] and line["aligned"][0]["ref"].startswith("lv-en:")
    page = doc(client, "/entities/selter")
    assert page.xpath("//ol[@class='kwic-list']/li/a[@class='kwic-ref'][@href]")
    assert page.xpath("//strong[@class='kwic-match']")


def test_a_quotation_is_shown_as_quoted_not_counted(client):
    d = client.get("/api/entities/pats").get_json()
    assert d["counts"]["quoted"] >= 2
    assert d["counts"]["mention"] == sum(len(g["mention"]) for g in d["groups"])
    page = doc(client, "/entities/pats")
    assert page.xpath("//h4[.='Quoted']") and page.xpath("//ol[contains(@class,'quoted')]/li/q")


def test_unknown_entity_is_404_with_a_way_on(client):
    r = client.get("/api/entities/nobody")
    assert r.status_code == 404 and "/entities" in r.get_json()["error"]


def test_authority_ids_link_out(client):
    page = doc(client, "/entities/tallinn")
    assert page.xpath("//a[@href='https://www.geonames.org/588409']")
    assert page.xpath("//a[@href='https://www.wikidata.org/wiki/Q1770']")


def test_notes_page_lists_every_note_once_with_refs(client, corpus):
    d = client.get("/api/notes").get_json()
    numbers = [n["n"] for g in d["groups"] for n in g["notes"]]
    assert sorted(numbers) == list(range(1, len(corpus.notes) + 1))
    first = next(n for g in d["groups"] for n in g["notes"] if n["id"] == "align-n1")
    assert first["label"] == "Size of the Soviet garrison"
    assert {"ref": "lv:5.1.2", "url": "/read?at=lv:5.1.2#lv:5.1.2"} in first["cited"]
    assert [c["id"] for c in first["compares"]] == ["hen", "lv"]
    assert client.get("/api/notes?doc=hen").get_json()["groups"]
    translation = client.get("/api/notes?kind=translation").get_json()
    assert [g["kind"] for g in translation["groups"]] == ["translation"]


def _passage_ids(corpus):
    return set(registers.id_refs(corpus))


@pytest.mark.parametrize("url", ["/notes", "/read", "/read?left=lv-en&right=lv", "/documents/lv", "/documents/hen",
                                 "/entities/rei"])
def test_no_rendered_note_speaks_in_xml_ids(client, corpus, url):
    page = doc(client, url)
    ids = _passage_ids(corpus)
    notes = page.xpath("//*[contains(@class,'ed-note')] | //*[contains(@class,'entity-note')]")
    assert notes, url
    for el in notes:
        words = set(re.findall(r"[\w.-]+", el.text_content()))
        assert not words & ids, (url, words & ids)


def test_a_note_has_the_same_number_in_both_columns(client):
    page = doc(client, "/read")
    def numbers(side):
        return {s.xpath("string(../..//span[@class='note-gist'] | ../..//span[@class='note-text'])")[:40]:
                s.text_content() for s in page.xpath(f"//article[contains(@class,'column-{side}')]//details[contains(@class,'ed-note')]/summary/strong")}
    left, right = numbers("left"), numbers("right")
    shared = set(left) & set(right)
    assert shared, "the two columns share no note"
    assert all(left[k] == right[k] for k in shared)
    assert "Note 1" in left.values() and "Note 1" in right.values()


def test_a_comparing_note_says_what_it_compares(client):
    page = doc(client, "/read?left=lv-en&right=lv").xpath("//span[@class='note-compares']/text()")
    assert page and all("hen" in t and "not shown here" in t for t in page)


def test_timeline_has_every_dated_mention(client, corpus):
    d = client.get("/api/timeline").get_json()
    dates = 0
    for doc_ in corpus.documents.values():
        for el in doc_.element.iter("{http://www.tei-c.org/ns/1.0}date"):
            in_header = any(a.tag.endswith("teiHeader") for a in el.iterancestors())
            if not in_header and el.get("type") not in ("accessed", "archived") and registers.date_range(el):
                dates += 1
    events = sum(1 for e in corpus.entities.values() if e.kind == "event" and e.dates)
    assert d["total"] == dates + events
    shown = sum(len(g["items"]) for g in d["groups"]) + len(d["spans"])
    assert 0 < shown <= d["total"]  # a date and its aligned counterpart are one item


def test_timeline_zooms_year_month_day_by_links(client):
    years = doc(client, "/timeline")
    assert years.xpath("//svg//a[@href='/timeline?at=1939']")
    months = doc(client, "/timeline?at=1939")
    assert months.xpath("//svg//a[@href='/timeline?at=1939-09']")
    days = doc(client, "/timeline?at=1939-09")
    assert days.xpath("//svg//a[@href='#t-1939-09-28']") and days.xpath("//tbody[@id='t-1939-09-28']")
    assert client.get("/timeline?at=28.09.1939").status_code == 400


def test_the_signature_is_one_click_from_home(client):
    home = doc(client, "/")
    (href,) = home.xpath("//main//a[contains(@href,'/timeline?at=1939-09-28')]/@href")
    day = doc(client, href.split("#")[0])
    rows = day.xpath("//tbody[@id='t-1939-09-28']//a/@href")
    assert "/entities/pact-ee-su" in rows
    assert any(h.startswith("/read?at=lv:") for h in rows) and any(h.startswith("/read?at=lv-en:") for h in rows)


def test_timeline_table_twin_has_the_same_items_as_the_axis(client):
    page = doc(client, "/timeline?at=1939-09")
    circles = {a.get("href")[3:]: int(a.xpath("string(.//*[@class='tl-count'])")) for a in page.xpath("//svg//a[contains(@class,'tl-slot')]")}
    rows = {t.get("id")[2:]: len(t.xpath("tr")) - 1 for t in page.xpath("//table[@class='tl-table']/tbody[starts-with(@id,'t-')]")}
    assert circles == rows


def test_map_draws_places_with_coordinates_and_lists_the_rest(client):
    d = client.get("/api/map").get_json()
    located = {p["id"] for p in d["located"]}
    assert {"tallinn", "moscow", "paldiski", "saaremaa"} <= located
    assert {"estonia", "baltic-sea"} <= {p["id"] for p in d["unlocated"]}
    assert "not those of 1939" in d["borders"] and "public domain" in d["licence"]
    page = doc(client, "/map")
    markers = page.xpath("//svg//a[contains(@class,'map-marker')]/@href")
    assert "/entities/tallinn" in markers and len(set(markers)) == len([p for p in d["located"] if p["on_map"]])
    assert page.xpath("//svg//g[@class='map-land']/path")
    assert page.xpath("//li[@id='place-estonia']/a[@href='/entities/estonia']")
    assert "Petseri" in page.xpath("string(//p[contains(@class,'borders')])")


def test_map_filters_by_document(client):
    hen = client.get("/api/map?doc=hen").get_json()
    everything = client.get("/api/map").get_json()
    assert len(hen["located"]) + len(hen["unlocated"]) < len(everything["located"]) + len(everything["unlocated"])


def test_no_page_loads_anything_from_elsewhere(client):
    for url in PAGES:
        page = doc(client, url)
        for attr in page.xpath("//script/@src | //link/@href | //img/@src | //image/@href | //use/@href"):
            assert not attr.startswith(("http:", "https:", "//")), (url, attr)


def test_search_facets_and_cards_link_to_the_register(client):
    page = doc(client, "/read/entities/molotov?shown=hen,lv")  # the card /read's dialog fetches
    assert page.xpath("//section[contains(@class,'entity-card')]//a[@href='/entities/molotov']")
    found = doc(client, "/search?q=Molotov")
    assert found.xpath("//ul[@class='facet']//a[@class='facet-entity'][@href='/entities/molotov']")


# -- any TEI archive ------------------------------------------------------------------------

def test_dracor_person_list_is_a_register_of_speakers(sample_client):
    c = sample_client("ner-dracor-aeschylus-persians")
    d = c.get("/api/entities").get_json()
    assert d["counts"]["person"] == 5
    atossa = c.get("/api/entities/atossa").get_json()
    assert atossa["counts"]["speaker"] > 0 and atossa["groups"][0]["speaker"]
    for url in PAGES[:1] + ["/entities/atossa", "/notes", "/timeline", "/map"]:
        assert c.get(url).status_code == 200, url


def test_parlamint_speakers_without_a_person_list_are_listed_apart(sample_client):
    c = sample_client("baltic-parlamint-lv")
    d = c.get("/api/entities").get_json()
    assert d["total"] == 0 and d["entries"] == []
    assert [u["label"] for u in d["unregistered"]] == ["Beitnere-LeGallaDagmāra", "FeldmansKrišjānis", "ZariņšIvars"]
    assert d["unregistered"][0]["count"] == 2 and d["unregistered"][0]["refs"][0]["ref"].endswith(":1.1")
    page = c.get("/entities").get_data(as_text=True)
    assert "No entries" in page and "Speakers not in a register" in page and "FeldmansKrišjānis" in page
    assert c.get("/api/notes").get_json()["total"] >= 1
    for url in ("/notes", "/timeline", "/map"):
        assert c.get(url).status_code == 200, url


def test_fixture_archive_counts_the_quotation_apart(fx_client):
    d = fx_client.get("/api/entities").get_json()
    chamberlain = next(e for e in d["entries"] if e["id"] == "chamberlain")
    assert (chamberlain["mentions"], chamberlain["quoted"]) == (2, 1)
    page = fx_client.get("/entities/chamberlain").get_data(as_text=True)
    assert "quoted:" in page and "This country is at war with Germany." in page


def test_register_entries_and_entity_mentions_come_in_pages(client):
    whole = client.get("/api/entities").get_json()["entries"]
    r = client.get("/api/entities?size=10&page=2")
    assert r.get_json()["entries"] == whole[10:20] and r.headers["X-Total-Count"] == "87"
    assert 'rel="next"' in r.headers["Link"] and r.get_json()["counts"] == client.get("/api/entities").get_json()["counts"]
    people = client.get("/api/entities?kind=person&size=1")
    assert people.headers["X-Total-Count"] == str(len(client.get("/api/entities?kind=person").get_json()["entries"]))
    pats = client.get("/api/entities/pats?size=2").get_json()
    assert len(pats["mentions"]) == 2 and {m["role"] for m in client.get("/api/entities/pats").get_json()["mentions"]} >= {"mention", "quoted"}
