"""Passages for the Document endpoint (DTS 1.0, "Document Endpoint").

TEI is the default media type: the whole ``<TEI>`` when no ref is given, else the passage
elements exactly as encoded, inside ``<TEI><dts:wrapper>`` ("XML/TEI encoding and sub-tree
representation"), with the document's ``teiHeader`` kept beside the wrapper so the fragment
still says what it is. Plain text and HTML are the same passages through the archive's one
text model and renderer.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..tei import TEI_NS
from . import DTS_NS, DTSError

TEI = "application/tei+xml"
MEDIA_TYPES = (TEI, "text/plain", "text/html")


def media_type(value: str | None) -> str:
    """The media type asked for (``mediaType``), TEI when absent. Raises DTSError(404) for
    one the resource is not available in (DTS 1.0, Document endpoint "Errors")."""
    if not value:
        return TEI
    v = value.strip().lower()
    if v in ("application/xml", "text/xml", "tei", "xml"):
        return TEI
    if v not in MEDIA_TYPES:
        raise DTSError(404, f"mediaType '{value}' is not available; choose one of {', '.join(MEDIA_TYPES)}")
    return v


def tei_document(tei_element) -> bytes:
    """The whole document: its ``TEI`` element (from a teiCorpus, just that one)."""
    return etree.tostring(tei_element, xml_declaration=True, encoding="UTF-8")


def tei_fragment(tei_element, elements: list, ref: str | None = None, start: str | None = None,
                 end: str | None = None) -> bytes:
    """``<TEI>`` holding the document's teiHeader and ``<dts:wrapper>`` with deep copies of
    ``elements`` (their tails dropped). The wrapper carries the ``ref`` or ``start``/``end``
    asked for. The result is well-formed XML in UTF-8."""
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS, "dts": DTS_NS})
    header = tei_element.find(f"{{{TEI_NS}}}teiHeader")
    if header is not None:
        root.append(copy.deepcopy(header))
    wrapper = etree.SubElement(root, f"{{{DTS_NS}}}wrapper")
    for name, value in (("ref", ref), ("start", start), ("end", end)):
        if value:
            wrapper.set(name, value)
    for el in elements:
        el = copy.deepcopy(el)
        el.tail = None
        wrapper.append(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def html_page(title: str, lang: str, body_html: str) -> str:
    """A minimal, valid HTML document around rendered passages."""
    from html import escape
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body>\n{body_html}\n</body></html>\n")
