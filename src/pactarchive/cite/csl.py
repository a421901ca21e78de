"""One CSL-JSON record per passage (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).

A passage is cited as a *chapter* of the document's edition: the passage is the part, the
edition of the document the whole.

    id               the ref ("lv:2.3.1")
    type             "chapter"
    title            unit and ref: "Sentence lv:2.3.1", "Sentences lv:2.3.1-2.3.4"
    container-title  the document's title in the edition
    author           the source's authors, else its publisher (absent for anonymous texts)
    editor           the people responsible for the edition (titleStmt editor/respStmt)
    translator       those whose respStmt says "Translated by" (the edition's translations)
    version          editionStmt/edition/@n, or "unversioned"
    issued           the edition's year (publicationStmt/date, else the latest change)
    publisher        publicationStmt/publisher, else the authority's short name
    original-title   the source's own title, where it differs from the edition's
    URL              the permalink (absolute)
    accessed         the access date
    language         the document's language (ISO 639-1)
"""

from __future__ import annotations

from datetime import date

from .edition import Edition

_PLURAL = {"speech": "speeches"}


def title_for(unit: str, ref: str, count: int = 1) -> str:
    """The record's title: the unit name and the ref.

    >>> title_for("sentence", "lv:2.3.1"), title_for("sentence", "lv:2.3.1-2.3.4", 4)
    ('Sentence lv:2.3.1', 'Sentences lv:2.3.1-2.3.4')
    """
    name = unit if count == 1 else _PLURAL.get(unit, unit + "s")
    return f"{name[:1].upper()}{name[1:]} {ref}"


def record(edition: Edition, ref: str, unit: str, permalink: str, accessed: date, count: int = 1,
           dts: dict | None = None, title: str | None = None) -> dict:
    """The CSL-JSON record of the passage ``ref`` (``count`` passages when it is a range).
    ``dts`` (the passage as a DTS client addresses it: ``{"resource", "ref"}`` or
    ``{"resource", "start", "end"}``, plus ``"document"``, its URL) goes into CSL-JSON's
    ``custom`` object, the place CSL-JSON 1.0.2 keeps for extensions. ``title`` replaces
    ``title_for``'s English title (the web layer's translation of it, for a Latvian page)."""
    rec: dict = {"id": ref, "type": "chapter", "title": title or title_for(unit, ref, count),
                 "container-title": edition.title}
    for variable, names in (("author", edition.authors), ("editor", edition.editors),
                            ("translator", edition.translators)):
        if names:
            rec[variable] = [{"literal": n} for n in names]
    rec["version"] = edition.version
    if edition.year:
        rec["issued"] = {"date-parts": [[int(edition.year)]]}
    rec["publisher"] = edition.publisher
    if edition.source_title:
        rec["original-title"] = edition.source_title
    rec["URL"] = permalink
    rec["accessed"] = {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    rec["language"] = edition.lang
    if dts:
        rec["custom"] = {"dts": dts}
    return rec


def accessed_date(rec: dict) -> date:
    y, m, d = rec["accessed"]["date-parts"][0]
    return date(y, m, d)


def names(rec: dict, variable: str) -> list[str]:
    return [n.get("literal") or " ".join(filter(None, (n.get("given"), n.get("family"))))
            for n in rec.get(variable, [])]


def year(rec: dict) -> str | None:
    parts = rec.get("issued", {}).get("date-parts") or [[]]
    return str(parts[0][0]) if parts[0] else None
