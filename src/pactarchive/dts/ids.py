"""Identifiers and URI templates (DTS 1.0, "About URI Templates"; RFC 6570).

A Resource's ``@id`` is the absolute URL of its document page (``{base}/documents/hen``), so a
DTS client that dereferences it reaches the reading edition. Collections are named under
``{base}/collections/``; the root collection is the archive itself, ``{base}/``. ``base`` is
``PACTARCHIVE_BASE_URL`` where set (stable across hosts), else the request's own root.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

ROOT = ""  # the key of the root collection


class Ids:
    """URIs and templates under one base URL (no trailing slash)."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    # -- identifiers --------------------------------------------------------------------
    def resource(self, doc_id: str) -> str:
        return f"{self.base}/documents/{quote(doc_id, safe='')}"

    def collection(self, key: str) -> str:
        return f"{self.base}/" if key == ROOT else f"{self.base}/collections/{quote(key, safe='/')}"

    def parse(self, value: str) -> tuple[str, str] | None:
        """``("resource", doc_id)`` or ``("collection", key)`` for an identifier this server
        gives out, whatever host it was given out under; a bare document id is taken as a
        resource. None when ``value`` is empty.

        >>> Ids("http://x").parse("https://example.org/documents/lv-en")
        ('resource', 'lv-en')
        >>> Ids("http://x").parse("http://x/collections/edition")
        ('collection', 'edition')
        >>> Ids("http://x").parse("http://x/")
        ('collection', '')
        >>> Ids("http://x").parse("/documents/hen")
        ('resource', 'hen')
        >>> Ids("http://x").parse("hen")
        ('resource', 'hen')
        """
        value = (value or "").strip()
        if not value:
            return None
        parts = urlsplit(value)
        if (parts.scheme and parts.netloc) or value.startswith("/"):
            path = unquote(parts.path)
            m = re.search(r"/documents/([^/]+)/?$", path)
            if m:
                return "resource", m.group(1)
            m = re.search(r"/collections/(.+?)/?$", path)
            if m:
                return "collection", m.group(1)
            if path in ("", "/") or path.rstrip("/") == urlsplit(self.base).path.rstrip("/"):
                return "collection", ROOT
            return "resource", path.rstrip("/").rsplit("/", 1)[-1]
        return "resource", value

    # -- URI templates ------------------------------------------------------------------
    def entry_templates(self) -> dict:
        """The Entry endpoint's templates, with the parameters DTS 1.0 lists for each."""
        api = f"{self.base}/api/dts"
        return {"collection": f"{api}/collection{{?id,page,nav}}",
                "navigation": f"{api}/navigation{{?resource,ref,start,end,down,tree,page}}",
                "document": f"{api}/document{{?resource,ref,start,end,tree,mediaType}}"}

    def collection_template(self, ident: str) -> str:
        return f"{self.base}/api/dts/collection?id={quote(ident, safe='')}{{&page,nav}}"

    def navigation_template(self, ident: str) -> str:
        return f"{self.base}/api/dts/navigation?resource={quote(ident, safe='')}{{&ref,down,start,end,tree,page}}"

    def document_template(self, ident: str) -> str:
        return f"{self.base}/api/dts/document?resource={quote(ident, safe='')}{{&ref,start,end,tree,mediaType}}"
