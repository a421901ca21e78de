"""registers.py on tiny fixtures and on the edition: collation, KWIC, roles, note numbers and
refs for xml:ids, dates and their windows, coordinates."""

import pytest

from pactarchive import registers


def test_latvian_collation_puts_c_caron_after_every_c():
    key = registers.collation_key("lv")
    assert sorted(["čaula", "dzērve", "cukurs", "Cēsis"], key=key) == ["Cēsis", "cukurs", "čaula", "dzērve"]
    assert sorted(["šķēps", "tauta", "sāls", "Sz"], key=key) == ["sāls", "Sz", "šķēps", "tauta"]
    assert sorted(["ņaudēt", "nz", "o"], key=key) == ["nz", "ņaudēt", "o"]
    # long vowels are not letters of their own: ā sorts with a (secondary difference only)
    assert sorted(["āzis", "ab", "az"], key=key) == ["ab", "az", "āzis"]


def test_root_collation_is_not_code_point_order():
    key = registers.collation_key("en")
    assert sorted(["Zulu", "Ädam", "adam", "Ōsaka", "Oslo"], key=key) == ["adam", "Ädam", "Ōsaka", "Oslo", "Zulu"]


def test_initials_follow_the_language():
    assert registers.initial("Ļeņingrada", "lv") == "Ļ"
    assert registers.initial("Ļeņingrada", "en") == "L"
    assert registers.initial("Ärzte", "en") == "A"


def test_kwic_finds_the_word_not_a_part_of_another():
    line, _ = registers.kwic("The theory: he said the rest.", "he")
    assert (line["left"], line["match"]) == ("The theory: ", "he")
    line, _ = registers.kwic("x" * 100 + " Molotov " + "y" * 100, "Molotov")
    assert line["left"].startswith("… ") and line["right"].endswith(" …")
    assert len(line["left"]) <= registers.KWIC + 2


def test_a_quotation_attributed_with_who_is_not_a_mention(fx_corpus):
    page = registers.entity_page(fx_corpus, "chamberlain")
    assert (page["mentions"], page["quoted"]) == (2, 1)
    (group,) = page["groups"]
    assert [l["ref"] for l in group["mention"]] == ["q:1.1.1", "q:1.1.3"]
    assert group["quoted"][0]["match"] == "This country is at war with Germany."
    assert group["mention"][1]["match"] == "he" and group["mention"][1]["left"].endswith("October ")


def test_note_text_names_passages_by_ref_never_by_xml_id(fx_corpus):
    (note,) = [n for g in registers.notes_index(fx_corpus)["groups"] for n in g["notes"]]
    assert note["n"] == 1
    assert [p["text"] for p in note["parts"] if p["ref"]] == ["q:1.1.1", "q:1.1.1-1.1.2"]
    assert "q-s1" not in "".join(p["text"] for p in note["parts"])


def test_dates_ranges_months_and_events(fx_corpus):
    got = [(d.start, d.end, d.kind) for d in registers.dated(fx_corpus)]
    assert got == [("1939-08-01", "1939-10-31", "mention"), ("1939-08-12", "1939-08-12", "event"),
                   ("1939-09-01", "1939-09-30", "mention"), ("1939-09-03", "1939-09-03", "mention")]


@pytest.mark.parametrize("value,start,end", [("1939", "1939-01-01", "1939-12-31"), ("1940-02", "1940-02-01", "1940-02-29"),
                                             ("1939-09-28T21:00:00", "1939-09-28", "1939-09-28"), ("-0472", None, None),
                                             ("1939-13", None, None), ("soon", None, None)])
def test_iso_span(value, start, end):
    assert (registers.iso_span(value), registers.iso_span(value, end=True)) == (start, end)


def test_timeline_windows_and_spans(fx_corpus):
    month = registers.timeline(fx_corpus, "1939-09")
    assert month["scale"] == "day" and len(month["groups"]) == 30
    days = {g["key"]: [i["label"] for i in g["items"]] for g in month["groups"] if g["items"]}
    assert days == {"1939-09-03": ["3 September 1939"]}
    assert [s["when"] for s in month["spans"]] == ["1939-08-01/1939-10-31", "1939-09"]
    year = registers.timeline(fx_corpus, "1939")
    assert {g["key"]: len(g["items"]) for g in year["groups"] if g["items"]} == {"1939-08": 1, "1939-09": 2}
    with pytest.raises(ValueError):
        registers.timeline(fx_corpus, "September")


def test_places_with_and_without_coordinates(fx_corpus):
    found = registers.places(fx_corpus)
    assert [(p["id"], p["lat"], p["lon"]) for p in found["located"]] == [("london", 51.5, -0.12)]
    assert [p["id"] for p in found["unlocated"]] == ["europe"]


# -- the edition --------------------------------------------------------------------------------

def test_every_entity_of_the_edition_is_in_the_register(corpus):
    index = registers.entity_index(corpus)
    assert index["total"] == len(corpus.entities) == len(index["entries"]) == 87
    assert sum(index["counts"].values()) == 87


def test_edition_notes_are_numbered_once(corpus):
    numbers = registers.note_numbers(corpus)
    assert sorted(numbers.values()) == list(range(1, len(corpus.notes) + 1))


def test_every_xml_id_in_the_edition_notes_becomes_a_ref(corpus):
    ids = registers.id_refs(corpus)
    for note in corpus.notes:
        plain = "".join(t for t, _ in registers.split_pointers(corpus, note.text))
        left = [w for w in plain.replace("(", " ").replace(")", " ").replace(",", " ").split() if w.strip(".;:") in ids]
        assert not left, (note.id, left)


def test_pats_is_quoted_and_mentioned(corpus):
    page = registers.entity_page(corpus, "pats")
    assert page["quoted"] >= 2 and page["mentions"] >= 2
    quoted_refs = {l["ref"] for g in page["groups"] for l in g["quoted"]}
    mention_refs = {l["ref"] for g in page["groups"] for l in g["mention"]}
    assert "lv:4.3.2" in quoted_refs and not quoted_refs & mention_refs


def test_the_signature_is_on_the_timeline_in_both_languages(corpus):
    day = registers.timeline(corpus, "1939-09-28")
    items = next(g["items"] for g in day["groups"] if g["key"] == "1939-09-28")
    assert any(i["entity"] == "pact-ee-su" for i in items)
    first = next(i for i in items if i["kind"] == "mention")
    assert {p["doc"] for p in first["passages"]} == {"lv", "lv-en"}


def test_register_places_have_the_coordinates_the_header_names(corpus):
    geo = {e.id: e.geo for e in corpus.entities.values() if e.geo}
    assert geo["tallinn"] == (59.43696, 24.75353) and geo["paldiski"] == (59.35667, 24.05306)
    assert {"saaremaa", "hiiumaa", "muhu"} <= set(geo)
    assert "estonia" not in geo and "kremlin" not in geo
