"""DTS 1.0 conformance, written from the specification text
(https://dtsapi.org/specifications/versions/v1.0/; sections named in each test), on our tei/
and on the samples in tests/samples (citeStructure, teiCorpus, a play, ParlaMint)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from lxml import etree

from pactarchive.dts import DTS_NS
from pactarchive.tei import NS

CONTEXT = "https://dtsapi.org/context/v1.0.json"
LD = "application/ld+json"


def ld(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.get_data(as_text=True)[:500])
    assert r.mimetype == LD, url
    body = json.loads(r.get_data(as_text=True))
    assert body["@context"] == CONTEXT and body["dtsVersion"] == "1.0"
    return body


def res(doc_id):
    return quote(f"http://localhost/documents/{doc_id}", safe="")


# -- Entry endpoint ----------------------------------------------------------------------------

def test_entry_has_the_three_absolute_uri_templates(client):
    body = ld(client, "/api/dts")
    assert body["@type"] == "EntryPoint" and body["@id"] == "http://localhost/api/dts"
    assert body["collection"] == "http://localhost/api/dts/collection{?id,page,nav}"
    assert body["navigation"] == "http://localhost/api/dts/navigation{?resource,ref,start,end,down,tree,page}"
    assert body["document"] == "http://localhost/api/dts/document{?resource,ref,start,end,tree,mediaType}"


# -- Collection endpoint -----------------------------------------------------------------------

def test_root_collection_holds_our_edition_as_a_collection(client):
    root = ld(client, "/api/dts/collection")
    assert root["@type"] == "Collection" and root["totalParents"] == 0
    [edition] = [m for m in root["member"] if m["@type"] == "Collection"]
    assert edition["@id"] == "http://localhost/collections/pactarchive"
    body = ld(client, "/api/dts/collection?id=" + quote(edition["@id"], safe=""))
    assert [m["@id"].rsplit("/", 1)[1] for m in body["member"]] == ["hen", "lv", "lv-en"]
    assert body["totalChildren"] == 3 and body["totalParents"] == 1


def test_a_resource_member_has_what_dts_requires(client):
    body = ld(client, "/api/dts/collection?id=" + res("lv"))
    assert body["@type"] == "Resource" and body["totalChildren"] == 0 and body["totalParents"] == 1
    for key in ("collection", "navigation", "document", "citationTrees", "title", "dublinCore", "mediaTypes", "download"):
        assert key in body, key
    assert body["navigation"].startswith("http://localhost/api/dts/navigation?resource=" + res("lv"))
    assert body["citationTrees"] == [{"@type": "CitationTree", "citeStructure": [
        {"@type": "CiteStructure", "citeType": "section", "citeStructure": [
            {"@type": "CiteStructure", "citeType": "paragraph", "citeStructure": [
                {"@type": "CiteStructure", "citeType": "sentence"}]}]},
        {"@type": "CiteStructure", "citeType": "appendix", "citeStructure": [
            {"@type": "CiteStructure", "citeType": "entry"}]}]}]
    assert body["dublinCore"]["title"] == [{"lang": "lv", "value": body["title"]}]
    assert "application/tei+xml" in body["mediaTypes"]


def test_nav_parents_of_a_resource_lists_its_collection(client):
    body = ld(client, "/api/dts/collection?id=" + res("hen") + "&nav=parents")
    assert [m["@id"] for m in body["member"]] == ["http://localhost/collections/pactarchive"]


def test_collection_errors(client):
    assert ld(client, "/api/dts/collection?id=nope", 404)["@type"] == "Error"
    assert ld(client, "/api/dts/collection?nav=sideways", 400)["statusCode"] == 400
    assert ld(client, "/api/dts/collection?page=x", 400)["statusCode"] == 400
    assert ld(client, "/api/dts/collection?page=9", 404)["statusCode"] == 404


def test_a_large_collection_is_paginated_with_a_view(client, monkeypatch):
    from pactarchive import dts
    monkeypatch.setattr(dts, "PAGE_SIZE", 2)
    coll = quote("http://localhost/collections/pactarchive", safe="")
    body = ld(client, f"/api/dts/collection?id={coll}&page=2")
    assert len(body["member"]) == 1
    view = body["view"]
    assert view["@type"] == "Pagination" and view["first"].endswith("page=1") and view["previous"].endswith("page=1")
    assert view["last"].endswith("page=2") and "next" not in view


# -- Navigation endpoint: the table "Usage of down, ref, start and end" -------------------------

def nav(client, query, status=200):
    return ld(client, f"/api/dts/navigation?resource={res('lv')}&{query}", status)


def ids(body):
    return [m["identifier"] for m in body.get("member", [])]


def test_navigation_rows_of_the_table(client, corpus):
    lv = corpus.document("lv")
    assert nav(client, "", 400)["statusCode"] == 400                       # nothing
    one = nav(client, "ref=3.1")                                            # ref only
    assert one["ref"]["identifier"] == "3.1" and "member" not in one
    assert one["ref"]["parent"] == "3" and one["ref"]["level"] == 2 and one["ref"]["citeType"] == "paragraph"
    pair = nav(client, "start=1&end=2")                                     # start/end only
    assert pair["start"]["identifier"] == "1" and pair["end"]["identifier"] == "2" and "member" not in pair
    assert nav(client, "down=0", 400)["statusCode"] == 400                  # down=0 alone
    assert ids(nav(client, "ref=3.1&down=0")) == [p.path for p in lv.passage("3").children]  # siblings
    assert nav(client, "start=1&end=2&down=0", 400)["statusCode"] == 400
    assert ids(nav(client, "down=1")) == [p.path for p in lv.passages]       # top level
    assert ids(nav(client, "ref=3&down=1")) == ["3"] + [p.path for p in lv.passage("3").children]
    assert ids(nav(client, "down=-1")) == [p.path for p in lv.all_passages()]
    assert ids(nav(client, "ref=3.1&down=-1")) == [p.path for p in lv.passage("3.1").iter()]
    rng = ids(nav(client, "start=1&end=2&down=1"))
    assert rng == [p.path for top in lv.passages[:2] for p in [top, *top.children]]
    assert ids(nav(client, "start=1&end=2&down=-1")) == [p.path for top in lv.passages[:2] for p in top.iter()]


def test_navigation_units_are_in_document_order_with_parents(client, corpus):
    units = nav(client, "down=-1")["member"]
    seen = set()
    for u in units:
        assert u["@type"] == "CitableUnit"
        assert u["parent"] is None or u["parent"] in seen  # pre-order: a parent comes first
        seen.add(u["identifier"])
        assert u["level"] == u["identifier"].count(".") + 1
    heads = [u for u in units if "dublinCore" in u]
    assert heads and heads[0]["dublinCore"]["title"][0]["lang"] == "lv"


def test_navigation_errors(client):
    assert nav(client, "ref=9.9.9", 404)["statusCode"] == 404
    assert nav(client, "ref=1&start=1&end=2", 400)["statusCode"] == 400
    assert nav(client, "start=1", 400)["statusCode"] == 400
    assert nav(client, "start=2&end=1&down=1", 400)["statusCode"] == 400
    assert nav(client, "down=x", 400)["statusCode"] == 400
    assert nav(client, "down=1&tree=pages", 404)["statusCode"] == 404
    assert ld(client, "/api/dts/navigation?down=1", 400)["statusCode"] == 400
    assert ld(client, "/api/dts/navigation?resource=nope&down=1", 404)["statusCode"] == 404


def test_navigation_pages(client, monkeypatch):
    from pactarchive import dts
    monkeypatch.setattr(dts, "NAV_PAGE_SIZE", 50)
    first = nav(client, "down=-1")
    assert len(first["member"]) == 50 and first["view"]["next"].endswith("page=2")
    last = ld(client, first["view"]["last"].replace("http://localhost", ""))
    assert "next" not in last["view"] and last["member"]
    assert nav(client, "down=-1&page=99", 404)["statusCode"] == 404


# -- Document endpoint -------------------------------------------------------------------------

def fragment(client, doc_id, query):
    r = client.get(f"/api/dts/document?resource={res(doc_id)}&{query}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/tei+xml"
    assert 'rel="collection"' in r.headers["Link"]
    root = etree.fromstring(r.data)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
    return root


def test_document_ref_is_wrapped_and_its_text_is_the_passage_text(client, corpus):
    from pactarchive.tei.text import plain_text
    root = fragment(client, "lv", "ref=3.1.2")
    [wrapper] = root.findall(f"{{{DTS_NS}}}wrapper")
    assert wrapper.get("ref") == "3.1.2"
    [el] = list(wrapper)
    assert plain_text(el) == corpus.resolve("lv:3.1.2")[0].passage.text()


def test_document_range_across_levels(client, corpus):
    root = fragment(client, "lv", "start=2.1.2&end=2.2.1")
    wrapper = root.find(f"{{{DTS_NS}}}wrapper")
    got = [e.get("{http://www.w3.org/XML/1998/namespace}id") for e in wrapper]
    lv = corpus.document("lv")
    want = [p.xml_id for p in (*lv.passage("2.1").children[1:], lv.passage("2.2.1"))]
    assert got == want


def test_document_whole_and_other_media_types(client, corpus):
    whole = fragment(client, "hen", "")
    assert whole.find("tei:text", namespaces=NS) is not None
    r = client.get(f"/api/dts/document?resource={res('hen')}&ref=1.1.1&mediaType=text/plain")
    assert r.mimetype == "text/plain" and r.get_data(as_text=True).strip() == corpus.resolve("hen:1.1.1")[0].passage.text()
    r = client.get(f"/api/dts/document?resource={res('hen')}&ref=1.1&mediaType=text/html")
    assert r.mimetype == "text/html" and 'id="hen:1.1.1"' in r.get_data(as_text=True)


def test_document_errors(client):
    assert ld(client, "/api/dts/document", 400)["statusCode"] == 400
    assert ld(client, f"/api/dts/document?resource={res('lv')}&ref=1&start=1&end=2", 400)["statusCode"] == 400
    assert ld(client, f"/api/dts/document?resource={res('lv')}&start=1", 400)["statusCode"] == 400
    assert ld(client, f"/api/dts/document?resource={res('lv')}&ref=0", 404)["statusCode"] == 404
    assert ld(client, f"/api/dts/document?resource={res('lv')}&ref=1&mediaType=application/pdf", 404)["statusCode"] == 404
    assert ld(client, f"/api/dts/document?resource={res('lv')}&ref=1&tree=pages", 404)["statusCode"] == 404


# -- Any TEI archive: the samples --------------------------------------------------------------

@pytest.fixture(scope="module")
def samples_client(tmp_path_factory):
    from pathlib import Path
    from pactarchive.web import create_app
    samples = Path(__file__).resolve().parents[1] / "samples"
    app = create_app({"TESTING": True, "TEI_DIR": samples, "INDEX_DIR": tmp_path_factory.mktemp("dts-samples-index")})
    return app.test_client()


def test_every_sample_resource_navigates_and_its_fragments_are_well_formed(samples_client):
    client = samples_client
    root = ld(client, "/api/dts/collection")
    folders = [m for m in root["member"] if m["@type"] == "Collection"]
    assert {f["title"] for f in folders} >= {"pair-lysias34-grc-eng", "ner-dracor-aeschylus-persians"}
    resources = []
    for f in folders:
        body = ld(client, "/api/dts/collection?id=" + quote(f["@id"], safe=""))
        resources += [m for m in body["member"] if m["@type"] == "Resource"]
    assert len(resources) >= 5
    for r in resources:
        tree = ld(client, f"/api/dts/navigation?resource={quote(r['@id'], safe='')}&down=-1")
        units = tree["member"]
        assert units, r["@id"]
        first, last = units[0]["identifier"], units[-1]["identifier"]
        for q in (f"ref={quote(first)}", f"start={quote(first)}&end={quote(units[min(3, len(units) - 1)]['identifier'])}"):
            x = client.get(f"/api/dts/document?resource={quote(r['@id'], safe='')}&{q}")
            assert x.status_code == 200, (r["@id"], q)
            assert etree.fromstring(x.data).find(f"{{{DTS_NS}}}wrapper") is not None
        assert r["citationTrees"][0]["citeStructure"], r["@id"]


# -- A citation made here resolves in any DTS client -------------------------------------------

def test_passage_page_and_csl_json_carry_the_dts_address(client):
    rec = client.get("/api/passages/lv:3.1.2").get_json()["citation"]["csl"]
    assert rec["custom"]["dts"] == {"resource": "http://localhost/documents/lv", "ref": "3.1.2",
                                    "document": "http://localhost/api/dts/document?resource=http://localhost/documents/lv&ref=3.1.2"}
    rng = client.get("/api/passages/lv:3.1-3.2").get_json()["citation"]["csl"]["custom"]["dts"]
    assert (rng["start"], rng["end"]) == ("3.1", "3.2")
    html = client.get("/passage/lv:3.1.2").get_data(as_text=True)
    assert "resource <code>http://localhost/documents/lv</code>" in html and "ref <code>3.1.2</code>" in html
    # and the address resolves to the same passage
    x = client.get(rec["custom"]["dts"]["document"].replace("http://localhost", "", 1) + "&mediaType=text/plain")
    assert x.get_data(as_text=True).strip() == client.get("/api/passages/lv:3.1.2").get_json()["text"]


# -- Several citation trees (refsDecl/@n; DTS 1.0 "Usage of tree") ------------------------------

@pytest.fixture(scope="module")
def trees_client(tmp_path_factory):
    import shutil
    from pathlib import Path
    from pactarchive.web import create_app
    tei = tmp_path_factory.mktemp("trees-tei")
    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "multiple_trees.xml", tei)
    app = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": tmp_path_factory.mktemp("trees-index")})
    return app.test_client()


def test_a_resource_lists_its_default_tree_first_and_names_the_others(trees_client):
    body = ld(trees_client, "/api/dts/collection?id=trees")
    default, other = body["citationTrees"]
    assert "identifier" not in default and default["citeStructure"][0]["citeType"] == "poem"
    assert other == {"@type": "CitationTree", "identifier": "lines", "citeStructure": [
        {"@type": "CiteStructure", "citeType": "stanza", "citeStructure": [{"@type": "CiteStructure", "citeType": "line"}]}]}


def test_navigation_and_document_follow_the_tree_asked_for(trees_client):
    assert ids(ld(trees_client, "/api/dts/navigation?resource=trees&down=-1")) == ["I", "II"]
    lines = ld(trees_client, "/api/dts/navigation?resource=trees&down=-1&tree=lines")
    assert ids(lines) == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert [u["citeType"] for u in lines["member"]][:2] == ["stanza", "line"]
    r = trees_client.get("/api/dts/document?resource=trees&ref=2.1&tree=lines&mediaType=text/plain")
    assert r.status_code == 200 and r.get_data(as_text=True).strip() == "Ships wait in the ice for the spring,"
    r = trees_client.get("/api/dts/document?resource=trees&ref=II&mediaType=text/plain")
    assert "lighthouse" in r.get_data(as_text=True)
    assert ld(trees_client, "/api/dts/navigation?resource=trees&down=1&tree=pages", 404)["statusCode"] == 404
    assert ld(trees_client, "/api/dts/navigation?resource=trees&ref=2.1&tree=poems", 404)["statusCode"] == 404
