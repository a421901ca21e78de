"""Permalinks, ranges, "cite both sides", downloads and the citation in the API."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from pactarchive import refs
from pactarchive.cite.downloads import DTS_NS

TEI = "{http://www.tei-c.org/ns/1.0}"


def all_refs(corpus) -> list[str]:
    return [refs.format_ref(d.id, p.path) for d in corpus.documents.values() for p in d.all_passages()]


def test_every_ref_resolves_on_page_and_api(client, corpus):
    every = all_refs(corpus)
    assert len(every) > 100  # sections, paragraphs and sentences of every document
    bad = []
    for ref in every:
        page, api = client.get(f"/passage/{ref}"), client.get(f"/api/passages/{ref}")
        if page.status_code != 200 or api.status_code != 200 or api.json["ref"] != ref:
            bad.append((ref, page.status_code, api.status_code))
        elif f'id="{ref}"' not in page.get_data(as_text=True):
            bad.append((ref, "no element with id=ref on the page"))
    assert not bad, bad[:10]


def test_api_citation_has_every_format_with_absolute_permalink(client):
    cit = client.get("/api/passages/lv:2.3.1").json["citation"]
    assert set(cit) == {"chicago", "mla", "apa", "bibtex", "ris", "csl"}
    assert all(isinstance(cit[k], str) for k in ("chicago", "mla", "apa", "bibtex", "ris"))
    assert isinstance(cit["csl"], dict) and cit["csl"]["URL"] == "http://localhost/passage/lv:2.3.1"
    for k in ("chicago", "mla", "apa", "bibtex", "ris"):
        assert "lv:2.3.1" in cit[k] and "http://localhost/passage/lv:2.3.1" in cit[k], k


def test_base_url_makes_the_permalinks(tei_dir, index_dir):
    from pactarchive.web import create_app
    app = create_app({"TESTING": True, "TEI_DIR": tei_dir, "INDEX_DIR": index_dir,
                      "BASE_URL": "https://edition.example.org/pact/"})
    cit = app.test_client().get("/api/passages/hen:1.1").json["citation"]
    assert cit["csl"]["URL"] == "https://edition.example.org/pact/passage/hen:1.1"
    assert "https://edition.example.org/pact/passage/hen:1.1" in cit["mla"]


def test_an_xml_id_alias_is_cited_by_its_path(client):
    cit = client.get("/api/passages/lv:lv-s1").json["citation"]
    assert cit["csl"]["id"] == "lv:1.1.1" and cit["csl"]["URL"].endswith("/passage/lv:1.1.1")


@pytest.mark.parametrize("ref, expected", [
    ("lv:2.3.1-2.3.4", ["lv:2.3.1", "lv:2.3.2", "lv:2.3.3", "lv:2.3.4"]),
    ("lv:2.2.4-2.3.2", ["lv:2.2.4", "lv:2.2.5", "lv:2.3.1", "lv:2.3.2"]),
    ("lv:1-2", ["lv:1", "lv:2"]),
    ("lv:lv-s1-lv-s2", ["lv:1.1.1", "lv:1.1.2"]),
])
def test_ranges_resolve_on_page_and_api(client, ref, expected):
    api = client.get(f"/api/passages/{ref}")
    assert api.status_code == 200 and [p["ref"] for p in api.json["passages"]] == expected
    assert ref in api.json["citation"]["chicago"]
    page = client.get(f"/passage/{ref}").get_data(as_text=True)
    assert all(f'id="{r}"' in page for r in expected)


@pytest.mark.parametrize("ref", ["lv:99", "zz:1", "lv:2.3.4-2.3.1", "lv:1.1.1-9.9.9"])
def test_unknown_refs_are_404_on_page_and_api(client, ref):
    page = client.get(f"/passage/{ref}")
    assert page.status_code == 404 and page.content_type.startswith("text/html")
    api = client.get(f"/api/passages/{ref}")
    assert api.status_code == 404 and api.json["status"] == 404 and api.json["error"]
    assert client.get(f"/passage/{ref}.txt").status_code == 404
    assert client.get(f"/passage/{ref}?format=json").json["status"] == 404


def test_bad_format_is_a_400_not_a_500(client):
    r = client.get("/passage/lv:1.1.1?format=pdf")
    assert r.status_code == 400 and "unknown format" in r.get_data(as_text=True)


def test_cite_both_sides_cites_the_passage_with_its_aligned_counterparts(client, corpus):
    ref = "hen:1.1.1"
    aligned = corpus.aligned(ref)
    assert aligned, "hen:1.1.1 is aligned with the Latvian text"
    data = client.get(f"/passage/{ref}?with=aligned&format=json").json
    assert [p["ref"] for p in data["passages"]] == [ref, *aligned]
    for r in [ref, *aligned]:
        for k in ("chicago", "mla", "apa", "bibtex", "ris"):
            assert r in data["citation"][k], (r, k)
    assert [c["id"] for c in data["citation"]["csl"]] == [ref, *aligned]
    page = client.get(f"/passage/{ref}?with=aligned").get_data(as_text=True)
    assert "Cite both sides" in page and all(f'id="{r}"' in page for r in [ref, *aligned])
    assert f'href="/passage/{ref}?with=aligned"' in client.get(f"/passage/{ref}").get_data(as_text=True)


def test_plain_text_download(client, corpus):
    for url in ("/passage/lv:2.3.1.txt", "/passage/lv:2.3.1?format=txt"):
        r = client.get(url)
        assert r.status_code == 200 and r.content_type.startswith("text/plain")
        text = r.get_data(as_text=True)
        assert text.startswith(corpus.resolve("lv:2.3.1")[0].passage.text())
        assert "http://localhost/passage/lv:2.3.1" in text


def test_tei_fragment_download_keeps_the_elements_and_names_file_and_ref(client, corpus):
    r = client.get("/passage/lv:2.3.1-2.3.2.xml")
    assert r.status_code == 200 and r.content_type.startswith("application/tei+xml")
    root = etree.fromstring(r.data)
    assert root.tag == f"{{{DTS_NS}}}wrapper" and root.get("source") == "lv.xml" and root.get("ref") == "lv:2.3.1-2.3.2"
    assert [s.get("{http://www.w3.org/XML/1998/namespace}id") for s in root] == ["lv-s14", "lv-s15"]
    assert all(s.tag == TEI + "s" for s in root)
    comment = root.getprevious()
    assert isinstance(comment, etree._Comment) and "lv.xml" in comment.text and "lv:2.3.1-2.3.2" in comment.text
    assert client.get("/passage/lv:2.3.1?format=xml").data.count(b"<s ") == 1


def test_alignment_downloads_as_json_and_tei(client, corpus):
    data = client.get("/api/alignment?left=hen&right=lv").json
    assert data["left"] == "hen" and data["right"] == "lv" and data["links"]
    for link in data["links"]:
        assert link["right"] == [r for r in corpus.aligned(link["left"]) if r.startswith("lv:")]
    tei = etree.fromstring(client.get("/alignment/hen/lv.xml").data)
    assert tei.tag == TEI + "linkGrp" and tei.get("type") == "alignment"
    assert len(tei) == len(data["links"])
    first = tei[0].get("target").split()
    assert first[0].startswith("hen.xml#hen-s") and all(t.startswith("lv.xml#lv-s") for t in first[1:])


@pytest.mark.parametrize("url, status", [("/api/alignment?left=hen", 400), ("/api/alignment?left=hen&right=zz", 404),
                                         ("/alignment/zz/lv.xml", 404)])
def test_alignment_errors_are_clear(client, url, status):
    r = client.get(url)
    assert r.status_code == status
    if url.startswith("/api/"):
        assert r.json["status"] == status and r.json["error"]


def test_passage_page_links_the_downloads_and_the_whole_document(client):
    page = client.get("/passage/lv:2.3.1").get_data(as_text=True)
    for href in ("/passage/lv:2.3.1.txt", "/passage/lv:2.3.1.xml", "/tei/lv.xml",
                 "/alignment/hen/lv.xml", "/api/alignment?left=hen&amp;right=lv"):
        assert f'href="{href}"' in page, href


def test_without_javascript_every_citation_text_is_on_the_page(client):
    page = client.get("/passage/lv:2.3.1").get_data(as_text=True)
    cit = client.get("/api/passages/lv:2.3.1").json["citation"]
    from markupsafe import escape
    for k in ("chicago", "mla", "apa", "bibtex", "ris"):
        assert str(escape(cit[k])) in page, k
    assert "#:~:text=" in page and json.dumps(cit["csl"]["id"]) in page
