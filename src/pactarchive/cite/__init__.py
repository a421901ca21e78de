"""Citing the edition: CSL-JSON records, formatted citations, stable refs, downloads. Pure:
no Flask, no Whoosh.

    edition.py    what a citation needs from a document's teiHeader (Edition)
    csl.py        one CSL-JSON record per passage
    styles.py     Chicago, MLA, APA via citeproc-py
    export.py     BibTeX and RIS
    published.py  the published-refs list (tei/published-refs.json) and the stability rule
    downloads.py  plain text, TEI fragments, alignment as TEI linkGrp and JSON, text fragments
    context.py    a passage's place in its document (breadcrumb, siblings)

``python -m pactarchive.cite --update-published`` regenerates the published-refs list.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from . import csl, export, styles
from .edition import UNVERSIONED, Edition, from_document

FORMATS = ("chicago", "mla", "apa", "bibtex", "ris", "csl")
__all__ = ["FORMATS", "UNVERSIONED", "Edition", "from_document", "record", "citations", "combined", "today"]


def today() -> date:
    """The access date: today in UTC."""
    return datetime.now(timezone.utc).date()


def record(located: list, ref: str, permalink: str, accessed: date | None = None,
           dts: dict | None = None) -> dict:
    """The CSL-JSON record of ``ref``, given ``corpus.resolve(ref)`` (one Located, or several
    for a range)."""
    first = located[0]
    return csl.record(from_document(first.doc), ref, first.passage.unit, permalink,
                      accessed or today(), count=len(located), dts=dts)


def citations(rec: dict, lang: str = "en") -> dict:
    """``{"chicago", "mla", "apa", "bibtex", "ris"}`` as strings and ``"csl"`` the record; the
    styles in the language ``lang`` (``styles.LOCALES``: "en" or "lv"). BibTeX and RIS are
    the same in every language."""
    out = {style: styles.render([rec], style, lang) for style in styles.STYLES}
    out["bibtex"] = export.bibtex(rec)
    out["ris"] = export.ris(rec)
    out["csl"] = rec
    return out


def combined(records: list[dict], lang: str = "en") -> dict:
    """Citations of several passages together ("cite both sides"): the entries one per line
    in the given order (in ``lang``), BibTeX and RIS concatenated, csl the list of records."""
    out = {style: styles.render(records, style, lang) for style in styles.STYLES}
    out["bibtex"] = "\n".join(export.bibtex(r) for r in records)
    out["ris"] = "\n".join(export.ris(r) for r in records)
    out["csl"] = records
    return out
