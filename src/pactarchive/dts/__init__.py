"""Distributed Text Services (DTS) 1.0 on the archive: collections, citation trees and
passages in the API the TEI community shares (https://dtsapi.org/specifications/versions/v1.0/).
Pure: plain data and bytes, no Flask; ``web/dts.py`` turns requests into calls here.

    ids.py          resource and collection identifiers (URIs) and the endpoints' URI templates
    collections.py  the collection tree: the archive, its folders, the documents of one edition
    navigation.py   citation trees as CitableUnits: ``ref``, ``start``/``end``, ``down``, paging
    document.py     TEI fragments in ``<TEI><dts:wrapper>``, plain text and HTML

Every response dict carries ``@context`` and ``dtsVersion``; errors are ``DTSError`` with the
HTTP status the specification asks for.
"""

from __future__ import annotations

CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
DTS_NS = "https://w3id.org/api/dts#"  # DTS 1.0, "XML/TEI encoding and sub-tree representation"
PAGE_SIZE = 100   # members of a collection per page
NAV_PAGE_SIZE = 1000  # CitableUnits per page of a navigation response


class DTSError(Exception):
    """A request the specification answers with a 4xx status. ``status`` is 400 (a bad
    combination of parameters) or 404 (no such resource, tree, ref or media type)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    def to_dict(self) -> dict:
        """The JSON-LD error body: ``{"@context", "@type": "Error", "statusCode", "title",
        "description"}`` (the shape of the DTS drafts' error object)."""
        title = {400: "Bad Request", 404: "Not Found"}.get(self.status, "Error")
        return {"@context": CONTEXT, "dtsVersion": VERSION, "@type": "Error",
                "statusCode": self.status, "title": title, "description": self.message}


def base(obj: dict) -> dict:
    """``obj`` with ``@context`` and ``dtsVersion`` first, as every top-level response has."""
    return {"@context": CONTEXT, "dtsVersion": VERSION, **obj}
