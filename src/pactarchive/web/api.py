"""The JSON API (documented in docs/api.md; a test keeps the two in step)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from lxml import etree

from ..tei.parse import declared_encoding
from . import corpus, data

bp = Blueprint("api", __name__)


@bp.get("/api/documents")
def documents():
    return jsonify(data.documents(corpus()))


@bp.get("/api/documents/<doc_id>")
def document(doc_id):
    return jsonify(data.document(corpus(), doc_id))


@bp.get("/api/passages/<path:ref>")
def passage(ref):
    return jsonify(data.passage(corpus(), ref))


@bp.get("/tei/<doc_id>.xml")
def tei_source(doc_id):
    doc = corpus().document(doc_id)
    root = doc.element.getroottree().getroot()
    if root is doc.element:
        body = doc.path.read_bytes()
    else:  # a document inside a teiCorpus: serve just its TEI element
        body = etree.tostring(doc.element, xml_declaration=True, encoding="UTF-8")
    # the file's own encoding (BOM or XML declaration), not Flask's default utf-8
    return Response(body, content_type=f"application/tei+xml; charset={declared_encoding(body)}",
                    headers={"Content-Disposition": f'inline; filename="{doc_id}.xml"'})
