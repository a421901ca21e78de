"""What a citation needs to know about one document of the edition, read from its teiHeader.

The *edition* is the TEI document (its title, the people responsible for it, its version
``editionStmt/edition/@n``, its year — publicationStmt/date, else the edition's date, else the
latest revisionDesc change — and its publisher); the *source* is the received text the
edition presents (``sourceDesc/bibl``: author, publisher, title). Header values that only say
"unknown" are treated as absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..tei import NS
from ..tei.text import normalise_space

from ..tei.revisions import UNVERSIONED  # one definition, beside the revisionDesc reader
DEFAULT_PUBLISHER = "pactarchive"
_FD = "tei:teiHeader/tei:fileDesc/"
_BIBL = _FD + "tei:sourceDesc//tei:bibl[1]/"
_UNKNOWN = re.compile(r"^\s*(unknown|anonymous|n\.\s?d\.|\[?unknown\]?)\b", re.I)
_TRANSLATED = re.compile(r"^\s*translated\b", re.I)


@dataclass(frozen=True)
class Edition:
    """One document of the edition as a citation names it."""

    doc_id: str
    title: str
    lang: str
    version: str = UNVERSIONED
    year: str | None = None
    publisher: str = DEFAULT_PUBLISHER
    editors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    source_authors: tuple[str, ...] = ()
    source_publisher: str | None = None
    source_title: str | None = None
    file: str = ""

    @property
    def authors(self) -> tuple[str, ...]:
        """Who a citation names first: the source's authors, else its publisher, else nobody
        (the citation then begins with the title, as for any anonymous text)."""
        if self.source_authors:
            return self.source_authors
        return (self.source_publisher,) if self.source_publisher else ()


def from_document(doc) -> Edition:
    """The Edition facts of a ``tei.document.Document`` (never raises on missing fields)."""
    tei, meta = doc.element, doc.metadata
    editors, translators = _responsible(tei)
    source_title = _known(tei, _BIBL + "tei:title[not(@type='desc')]")
    return Edition(
        doc_id=doc.id, title=doc.title, lang=doc.lang,
        version=meta.get("edition_n") or UNVERSIONED,
        year=_year(meta.get("date")) or _year(_edition_date(tei)) or _year(_latest_change(tei)),
        publisher=meta.get("publisher") or _authority(tei) or DEFAULT_PUBLISHER,
        editors=editors, translators=translators,
        source_authors=tuple(_all_known(tei, _BIBL + "tei:author")),
        source_publisher=_known(tei, _BIBL + "tei:publisher"),
        source_title=source_title if source_title != doc.title else None,
        file=doc.path.name,
    )


def _responsible(tei) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(editors, translators): titleStmt/editor and the names of every titleStmt/respStmt;
    a respStmt whose resp begins "Translated" names translators."""
    editors = _all_known(tei, _FD + "tei:titleStmt/tei:editor")
    translators: list[str] = []
    for resp in tei.xpath(_FD + "tei:titleStmt/tei:respStmt", namespaces=NS):
        names = _all_known(resp, "tei:persName|tei:name|tei:orgName")
        target = translators if _TRANSLATED.match(_text(resp.find(f"{{{NS['tei']}}}resp"))) else editors
        target.extend(n for n in names if n not in target)
    return tuple(editors), tuple(translators)


def _text(el) -> str:
    if el is None:
        return ""
    return normalise_space(el if isinstance(el, str) else "".join(el.itertext()))


def _all_known(el, xpath: str) -> list[str]:
    found = [_text(n) for n in el.xpath(xpath, namespaces=NS)]
    return [t for t in dict.fromkeys(found) if t and not _UNKNOWN.match(t)]


def _known(el, xpath: str) -> str | None:
    found = _all_known(el, xpath)
    return found[0] if found else None


def _authority(tei) -> str | None:
    """The short name of publicationStmt/authority ("pactarchive (digital edition of …)" ->
    "pactarchive")."""
    name = _known(tei, _FD + "tei:publicationStmt/tei:authority")
    return name.split(" (")[0].strip() if name else None


def _edition_date(tei) -> str | None:
    found = tei.xpath(_FD + "tei:editionStmt/tei:edition//tei:date/@when", namespaces=NS)
    return str(found[0]) if found else None


def _latest_change(tei) -> str | None:
    whens = sorted(str(w) for w in tei.xpath("tei:teiHeader/tei:revisionDesc//tei:change/@when", namespaces=NS))
    return whens[-1] if whens else None


def _year(date: str | None) -> str | None:
    m = re.match(r"^\s*(\d{4})", date or "")
    return m.group(1) if m else None
