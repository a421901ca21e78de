"""Malformed refs are 400 with the ref grammar (refs.py); well-formed unknown refs are 404;
page numbers are ASCII digits."""

from __future__ import annotations

import pytest

from pactarchive import refs
from pactarchive.errors import MalformedRef

MALFORMED = ["lv:", "lv:1.1-", ":1", " lv:1.1", "lv:1.1 ", "lv: 1.1", "lv:1 .1", "nocolon", "no-colon",
             "lv:-1.1", "lv:1..1", "lv:1.1.", "lv:.1", "lv:1:2", "lv:1.1\t"]


@pytest.mark.parametrize("ref", MALFORMED)
def test_malformed_refs_raise_with_the_grammar(ref):
    with pytest.raises(MalformedRef) as exc:
        refs.split(ref)
    assert repr(ref) in str(exc.value) and "DOC:PATH" in str(exc.value) and "DOC:START-END" in str(exc.value)


@pytest.mark.parametrize("ref", ["lv:1.1.1", "lv:2.3.1-2.3.4", "lv:lv-s1-lv-s2", "hen:1", "a_b.c:x"])
def test_well_formed_refs_split(ref):
    doc, path = refs.split(ref)
    assert f"{doc}:{path}" == ref


@pytest.mark.parametrize("ref", ["lv:", "lv:1.1-", ":1", "lv:1.1%20", "%20lv:1.1", "nocolon"])
def test_malformed_refs_are_400_on_api_page_and_downloads(client, ref):
    api = client.get(f"/api/passages/{ref}")
    assert api.status_code == 400 and "refs look like DOC:PATH" in api.get_json()["error"]
    page = client.get(f"/passage/{ref}")
    assert page.status_code == 400 and b"refs look like DOC:PATH" in page.data
    assert client.get(f"/passage/{ref}.txt").status_code == 400
    if "%20" not in ref:  # the reading view trims its `at` parameter (a query value, not a path)
        assert client.get(f"/read?at={ref}").status_code == 400
        assert client.get(f"/api/read?at={ref}").status_code == 400


@pytest.mark.parametrize("ref", ["lv:99", "zz:1", "lv:1.1.1-9.9.9", "lv:2.3.4-2.3.1"])
def test_unknown_well_formed_refs_stay_404(client, ref):
    assert client.get(f"/api/passages/{ref}").status_code == 404


@pytest.mark.parametrize("page", ["٣", "1_0", "+1", " 1", "1.0", "0x1", "²"])
def test_page_takes_ascii_digits_only(client, page):
    r = client.get("/api/search", query_string={"q": "Soviet", "page": page})
    assert r.status_code == 400 and "digits 0-9" in r.get_json()["error"]
    assert client.get("/search", query_string={"q": "Soviet", "page": page}).status_code == 400
    assert client.get("/api/search", query_string={"q": "Soviet", "size": page}).status_code == 400


def test_plain_page_numbers_still_work(client):
    assert client.get("/api/search?q=Soviet&page=1&size=5").get_json()["size"] == 5
