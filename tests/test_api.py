"""Flask test-client tests of the backbone routes and their JSON shapes (the contract other
tools rely on; documented in docs/api.md)."""

import pytest

from pactarchive.search import build_index
from pactarchive.corpus import Corpus
from pactarchive.web import create_app


@pytest.fixture()
def small(make_tei, tmp_path):
    tei = make_tei("aligned_a.xml", "aligned_b.xml", "aligned_links.xml", "tei_corpus.xml")
    build_index(Corpus.load(tei), tmp_path / "index")
    return create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path / "index"}).test_client()


def test_documents_lists_id_title_lang(small):
    docs = small.get("/api/documents").get_json()
    assert [(d["id"], d["lang"]) for d in docs] == [("a", "en"), ("b", "lv"), ("tei_corpus-1", "und"), ("second", "de")]
    assert all(d["title"] == "T" for d in docs)


def test_document_has_every_finest_passage_with_alignment(small):
    doc = small.get("/api/documents/b").get_json()
    assert (doc["id"], doc["lang"], doc["title"]) == ("b", "lv", "T")
    assert doc["passages"] == [
        {"ref": "b:1.1.1", "text": "25 000 kareivju.", "aligned": ["a:1.1.1"]},
        {"ref": "b:1.1.2", "text": "Otrs.", "aligned": ["a:1.1.2"]},
    ]


def test_passage_with_aligned_texts(small):
    p = small.get("/api/passages/a:1.1.1").get_json()
    assert {k: p[k] for k in ("ref", "doc", "lang", "text")} == {
        "ref": "a:1.1.1", "doc": "a", "lang": "en", "text": "Thirty thousand troops."}
    assert p["aligned"] == [{"ref": "b:1.1.1", "doc": "b", "lang": "lv", "text": "25 000 kareivju.",
                             "url": "/passage/b:1.1.1"}]
    assert p["notes"][0]["subtype"] == "disagreement"


def test_passage_range(small):
    p = small.get("/api/passages/a:1.1.1-1.1.2").get_json()
    assert p["text"] == "Thirty thousand troops. Unmatched."
    assert [x["ref"] for x in p["passages"]] == ["a:1.1.1", "a:1.1.2"]
    assert [x["ref"] for x in p["aligned"]] == ["b:1.1.1", "b:1.1.2"]


@pytest.mark.parametrize("ref", ["a:9", "zz:1.1", "a:1.1.2-1.1.1"])
def test_unknown_ref_is_404_json(small, ref):
    r = small.get(f"/api/passages/{ref}")
    assert r.status_code == 404 and r.is_json and r.get_json()["error"]


def test_unknown_document_is_404_json_and_html(small):
    assert small.get("/api/documents/nope").get_json()["status"] == 404
    r = small.get("/documents/nope")
    assert r.status_code == 404 and b"no document with id" in r.data and b"<html" in r.data


def test_tei_source_is_served_and_corpus_members_are_cut_out(small, make_tei):
    r = small.get("/tei/a.xml")
    assert r.status_code == 200 and r.mimetype == "application/tei+xml"
    assert r.data == (make_tei() / "aligned_a.xml").read_bytes()
    member = small.get("/tei/second.xml").data
    assert b'xml:id="second"' in member and b"Document one" not in member


def test_entities(small):
    assert small.get("/api/entities").get_json()["entries"][0]["id"] == "stalin"
    assert small.get("/api/entities/stalin").get_json()["names"]["lv"] == ["Staļins"]
    assert small.get("/api/entities/nobody").status_code == 404


def test_real_edition_documents_are_served(client):
    docs = {d["id"]: d for d in client.get("/api/documents").get_json()}
    assert list(docs) == ["hen", "lv", "lv-en"]  # originals before their translations
    assert docs["hen"]["lang"] == "en" and docs["lv"]["lang"] == "lv"
    lv = client.get("/api/documents/lv").get_json()
    assert lv["passages"][0]["ref"] == "lv:1.1.1"
    assert lv["passages"][0]["text"].startswith("Igaunijas un PSRS Savstarpējās palīdzības pakts")


def test_a_file_dropped_into_a_running_archive_is_listed_and_becomes_searchable(make_tei, tmp_path):
    tei = make_tei("aligned_a.xml")
    app = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path / "index"})
    c = app.test_client()
    assert [d["id"] for d in c.get("/api/documents").get_json()] == ["a"]
    app.extensions["index_keeper"].thread.join(30)
    (tei / "aligned_b.xml").write_bytes((make_tei() / "aligned_a.xml").read_bytes()
                                         .replace(b'xml:id="a"', b'xml:id="b"').replace(b"a-s", b"b-s")
                                         .replace(b"Thirty thousand", b"Twenty-five thousand"))
    assert [d["id"] for d in c.get("/api/documents").get_json()] == ["a", "b"]
    app.extensions["index_keeper"].thread.join(30)
    hits = c.get("/api/search?q=Twenty-five").get_json()["hits"]
    assert [h["ref"] for h in hits] == ["b:1.1.1"]


def test_a_paragraph_is_aligned_through_its_sentences(client):
    """lv-en:3.1 translates lv:3.1 sentence by sentence: the whole paragraph stands for them."""
    assert [a["ref"] for a in client.get("/api/passages/lv-en:3.1").get_json()["aligned"]] == ["lv:3.1"]
    assert [a["ref"] for a in client.get("/api/passages/lv-en:3").get_json()["aligned"]] == ["lv:3"]
    hen = [a["ref"] for a in client.get("/api/passages/hen:1.1").get_json()["aligned"]]
    assert "lv:1.1.2" in hen and "lv:1.1" not in hen  # lv:1.1.4 has no English counterpart
