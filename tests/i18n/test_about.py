"""/about's example permalink is taken from the archive (the first passage, at the finest
level, of its first document), inside a translated message: it resolves in any archive."""

from __future__ import annotations

import re

import pytest

from pactarchive.build import build
from pactarchive.corpus import Corpus


def _example(html: str) -> tuple[str, str]:
    m = re.search(r'<li>[^<]*<code>/passage/DOC:PATH</code> \([^<]*<a href="([^"]+)"><code>([^<]+)</code></a>\)', html)
    assert m, "no example permalink on /about"
    return m.group(1), m.group(2)


@pytest.mark.parametrize("lang, words", [("en", "Permalink of a passage"), ("lv", "Fragmenta pastāvīgā saite")])
def test_the_example_is_this_editions_first_passage(client, corpus, lang, words):
    html = client.get(f"/about?ui={lang}").get_data(as_text=True)
    assert words in html
    doc = next(iter(corpus.documents.values()))
    ref = f"{doc.id}:{doc.leaves()[0].path}"  # hen:1.1.1 in this edition
    assert _example(html) == (f"/passage/{ref}", f"/passage/{ref}")
    assert client.get(f"/passage/{ref}").status_code == 200


def test_another_archive_gets_its_own_example(make_tei, tmp_path):
    from pactarchive.web import create_app
    tei = make_tei("plain_div_p.xml")
    ix = tmp_path / "ix"
    corpus = Corpus.load(tei)
    build(corpus, ix)
    doc = next(iter(corpus.documents.values()))
    client = create_app({"TESTING": True, "TEI_DIR": tei, "INDEX_DIR": ix}).test_client()
    for lang in ("en", "lv"):
        href, shown = _example(client.get(f"/about?ui={lang}").get_data(as_text=True))
        assert shown == href and href.startswith(f"/passage/{doc.id}:") and "lv:1.1.1" not in href
        assert client.get(href).status_code == 200, href
