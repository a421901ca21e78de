"""Fixtures of the reading-view tests: a tiny corpus (tests/reading/fixtures: hen, lv, a
register and an alignment with the phenomena the edition renders) and helpers to render TEI
snippets and to query the HTML that comes out."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html as lhtml

from pactarchive.corpus import Corpus
from pactarchive.render import Context, Links, render_text
from pactarchive.tei.document import Document

FIXTURES = Path(__file__).parent / "fixtures"
TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="t" xml:lang="{lang}"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>'


@pytest.fixture(scope="session")
def fx_corpus():
    c = Corpus.load(FIXTURES)
    assert not c.problems, c.problems
    return c


@pytest.fixture()
def fx_client(tmp_path):
    from pactarchive.web import create_app
    return create_app({"TESTING": True, "TEI_DIR": FIXTURES, "INDEX_DIR": tmp_path / "index"}).test_client()


def snippet(body: str, lang: str = "en", **ctx) -> str:
    """HTML of a one-document TEI whose body is ``body`` (no corpus: no entities, no alignment)."""
    tei = etree.fromstring(TEI.format(body=body, lang=lang))
    doc = Document.from_element("t", Path("t.xml"), tei)
    return render_text(doc, Context(doc, None, Links(shown=("t",)), **ctx))


def sentence(inner: str, **ctx) -> str:
    """HTML of a TEI sentence t:1.1.1 whose content is ``inner``."""
    return snippet(f'<div n="1"><p n="1"><s n="1">{inner}</s></p></div>', **ctx)


def rendered(corpus, doc_id: str, other: str | None = None, **ctx) -> str:
    doc = corpus.documents[doc_id]
    shown = tuple(d for d in (doc_id, other) if d)
    return render_text(doc, Context(doc, corpus, Links(shown=shown), other=other, side=doc_id, **ctx))


def tree(html: str):
    """The HTML as an element tree (a fragment gets a div around it) for XPath assertions."""
    if html.lstrip().lower().startswith("<!doctype"):
        return lhtml.document_fromstring(html)
    return lhtml.fragment_fromstring(html, create_parent="div")


def one(html: str, xpath: str):
    found = tree(html).xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} matches in {html[:400]}"
    return found[0]


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


def has_class(cls: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"
