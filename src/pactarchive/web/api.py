"""The JSON API (documented in docs/api.md; a test keeps the two in step). Lists come in
pages (``?page=&size=``, paging.py); every answer is a lookup in the edition store."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from lxml import etree

from ..tei.parse import declared_encoding
from . import corpus, data, paging

bp = Blueprint("api", __name__)


@bp.get("/api/documents")
def documents():
    page, size = paging.params()
    found, total = data.documents(corpus(), page, size)
    return jsonify(found), paging.headers(page, size, total)


@bp.get("/api/documents/<doc_id>")
def document(doc_id):
    """The whole document; with ``page``/``size`` one page of its ``passages`` (Link, X-Total-Count)."""
    page, size = paging.params(default=None)
    d = data.document(corpus(), doc_id, page, size)
    total = d.pop("passages_total", None)
    return jsonify(d), paging.headers(page, size, total) if size else {}


@bp.get("/api/passages/<path:ref>")
def passage(ref):
    return jsonify(data.passage(corpus(), ref))


@bp.get("/tei/<doc_id>.xml")
def tei_source(doc_id):
    doc = corpus().document(doc_id)
    headers = {"Content-Disposition": f'inline; filename="{doc_id}.xml"'}
    if doc.whole_file:  # the file's bytes, never parsed
        body = doc.path.read_bytes()
    else:  # one TEI of a teiCorpus: just its element
        body = etree.tostring(doc.element, xml_declaration=True, encoding="UTF-8")
    # the file's own encoding (BOM or XML declaration), not Flask's default utf-8
    return Response(body, content_type=f"application/tei+xml; charset={declared_encoding(body)}", headers=headers)
