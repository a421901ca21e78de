"""The interface language: English or Latvian, with Flask-Babel and gettext catalogues
(``web/translations/messages.pot``, ``lv/LC_MESSAGES/messages.po`` and its compiled ``.mo``).

``init_app(app)`` is called by ``create_app`` after ``http.init_app`` (so its after-request hook
runs before the one that sets ETags). Only the interface is translated: text columns keep
the language of their text, JSON twins and CLI messages stay English.

| concern | rule |
|---|---|
| choice | ``?ui=lv`` / ``?ui=en`` (shareable URLs), else the ``ui`` cookie, else ``Accept-Language``, else English |
| memory | a request with a valid ``?ui=`` sets the ``ui`` cookie (a year, ``SameSite=Lax``) |
| caches | pages (and a response whose view sets ``g.ui_dependent``) carry ``Vary: Accept-Language, Cookie``; their ETag names the UI language |
| dates, numbers | Babel (CLDR): ``28 September 1939`` / ``1939. gada 28. septembris``; ``25,000`` / ``25 000`` |
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal
from flask import g, request
from jinja2 import pass_context
from markupsafe import Markup
from flask_babel import Babel, get_locale, gettext, ngettext  # noqa: F401 (re-exported for views)
from werkzeug.urls import urlencode

LANGUAGES = ("en", "lv")
DEFAULT = "en"
COOKIE = "ui"
COOKIE_AGE = 365 * 24 * 3600  # seconds
SWITCH_LABEL = {"en": "English", "lv": "Latviski"}  # each in its own language
MONTH_PATTERN = {"en": "MMMM y", "lv": "y. 'gada' MMMM"}  # LDML date patterns
ALIGNMENT_DOWNLOAD = re.compile(r"^Alignment (\S+) as (TEI linkGrp|JSON)$")
ISO_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel's default keyword) without translating it."""
    return message


# The fixed vocabulary the data layers hand the templates in English (language names from
# render.entities.LANGUAGES, kinds of entity, citation units, kinds of note): translated by
# the ``term`` and ``language`` filters; a word not listed is shown as it came.
TERMS = frozenset([
    N_("English"), N_("Latvian"), N_("Estonian"), N_("Russian"), N_("Polish"), N_("German"),
    N_("Finnish"), N_("Lithuanian"), N_("Swedish"), N_("French"), N_("Unspecified language"),
    N_("Person"), N_("Place"), N_("Organisation"), N_("Ship"), N_("Object"), N_("Event"), N_("Treaty"),
    N_("People"), N_("Places"), N_("Organisations"), N_("Objects and ships"), N_("Events and treaties"),
    N_("Section"), N_("Paragraph"), N_("Sentence"), N_("Chapter"), N_("Part"), N_("Line"), N_("Entry"),
    N_("section"), N_("paragraph"), N_("sentence"), N_("chapter"), N_("part"), N_("line"), N_("entry"),
    N_("Editorial"), N_("Translation"), N_("Relied on"), N_("Comment"), N_("Source error"),
    N_("Regularisation"), N_("Name form"), N_("External disagreement"), N_("Lost numbering"),
    N_("Ambiguity"), N_("Disagreement"), N_("Inaccuracy"), N_("Birth"), N_("Death"), N_("When"),
    N_("Date"), N_("From"), N_("To"), N_("Not before"), N_("Not after"), N_("Identifier"),
    N_("Wikidata"), N_("VIAF"), N_("GeoNames"), N_("place"), N_("city"), N_("country"),
    N_("region"), N_("island"), N_("settlement"), N_("town"), N_("corrected"), N_("as received"),
    N_("Passage as plain text"), N_("Passage as TEI fragment"), N_("Whole document as TEI"),
    N_("passage"), N_("note"), N_("head"), N_("register"), N_("Passage"), N_("Heading"),
    N_("in the texts"), N_("in notes"), N_("in headings"), N_("in the register"), N_("Found"),
    N_("Language"), N_("Document"), N_("Sections"), N_("Paragraphs"), N_("Sentences"), N_("Passages"),
    N_("Omission"), N_("Imprecision"),
    # citation units (tei.citation.UNIT_NAMES) as cite.csl.title_for names them, and the styles
    N_("Lines"), N_("Stanza"), N_("Stanzas"), N_("stanza"), N_("Speech"), N_("Speeches"), N_("speech"),
    N_("Utterance"), N_("Utterances"), N_("utterance"), N_("Segment"), N_("Segments"), N_("segment"),
    N_("Block"), N_("Blocks"), N_("block"), N_("Text"), N_("Texts"), N_("text"),
    N_("Chicago (18th ed., notes and bibliography)"), N_("MLA (9th ed.)"), N_("APA (7th ed.)"),
])


def init_app(app) -> None:
    """Install Flask-Babel (translations in ``web/translations``), the template helpers
    (``ui_lang``, ``ui_switch``, ``js_messages``; filters ``isodate``, ``num``, ``term``,
    ``language``, ``shortmonth``, ``uiname``) and the
    after-request hook (cookie, ``Vary``, language-keyed ETag)."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
    Babel(app, locale_selector=select_locale)
    for name, func in (("isodate", isodate), ("num", number), ("term", term), ("language", term),
                       ("shortmonth", short_month)):
        app.jinja_env.filters[name] = _per_request(func)
    app.jinja_env.filters["uiname"] = pass_context(lambda _context, names, fallback: ui_name(names, fallback))
    app.context_processor(lambda: {"ui_lang": ui_lang(), "ui_switch": switch_link(),
                                   "js_messages": js_messages()})
    app.after_request(_remember_and_vary)


def _per_request(func):
    """The filter as Jinja must see it: taking the context keeps Jinja's optimiser from
    folding ``"1939-09-28"|isodate`` into the template once, in the first request's language."""
    @pass_context
    def filtered(_context, value):
        return func(value)
    filtered.__doc__ = func.__doc__
    return filtered


def select_locale() -> str:
    """The UI language of this request: ``?ui=`` when it names a supported language, then the
    ``ui`` cookie, then the best match of ``Accept-Language`` (RFC 9110 §12.5.4), else English."""
    for asked in (request.args.get("ui"), request.cookies.get(COOKIE)):
        if asked in LANGUAGES:
            return asked
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def ui_lang() -> str:
    """The language code of the interface being served ("en" or "lv")."""
    return str(get_locale() or DEFAULT).split("_")[0]


def switch_link() -> dict:
    """The switcher's target: this URL in the other language (``?ui=`` replaced), its
    ``hreflang`` and its label in its own language."""
    other = "en" if ui_lang() == "lv" else "lv"
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "ui"] + [("ui", other)]
    return {"lang": other, "label": SWITCH_LABEL[other],
            "url": f"{request.script_root}{request.path}?{urlencode(args)}"}


def isodate(value) -> str:
    """An ISO 8601 date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; a range ``A/B``) written out
    for the UI language by Babel: "28 September 1939" / "1939. gada 28. septembris",
    "September 1939" / "1939. gada septembris". Anything else is returned unchanged."""
    text = str(value or "")
    if "/" in text:
        return " – ".join(isodate(part) for part in text.split("/"))
    m = ISO_DATE.match(text)
    if not m or m.group(1).startswith("-"):
        return text
    lang = ui_lang()
    try:
        if m.group(3):
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return format_date(day, "d MMMM y" if lang == "en" else "long", locale=lang)
        if m.group(2):
            # CLDR's lv yMMMM has a stray dot ("1939. gada. septembris"): the pattern is given
            return format_date(dt.date(int(m.group(1)), int(m.group(2)), 1), MONTH_PATTERN.get(lang, "MMMM y"), locale=lang)
    except ValueError:  # 1939-02-30: not a day, shown as written
        return text
    return m.group(1)


def term(value) -> str:
    """A word of the data layers' fixed English vocabulary (``TERMS``: language names, kinds,
    citation units, kinds of note) in the UI language; any other value unchanged."""
    text = str(value or "")
    if text in TERMS:
        return gettext(text)
    unit, _, ref = text.partition(" ")
    if ref and unit in TERMS and ":" in ref:  # cite.csl.title_for: "Sentence lv:2.3.1"
        return f"{gettext(unit)} {ref}"
    m = ALIGNMENT_DOWNLOAD.match(text)  # web/citing.py's download labels
    if m:
        return gettext("Alignment %(pair)s as %(format)s", pair=m.group(1), format=m.group(2))
    return text


ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_month(value) -> str:
    """An English month abbreviation (the timeline's axis labels: "Sep") as Babel abbreviates
    it in the UI language (standalone form: "Sep" / "sept."); anything else unchanged."""
    text = str(value)
    if text not in ENGLISH_MONTHS:
        return text
    return get_month_names("abbreviated", "stand-alone", locale=ui_lang())[ENGLISH_MONTHS.index(text) + 1]


def ui_name(names, fallback: str) -> Markup:
    """A register entry's name in the UI language, from its names (``[{"lang", "names"}]`` as
    render.entities and web.context give them, or ``{lang: [names]}``), marked with its
    language; without one the ``fallback`` (the English label) marked ``lang="en"``, so the
    fallback shows and is read right, never silently mixed."""
    lang = ui_lang()
    found = names.get(lang) if isinstance(names, dict) else next(
        (n.get("names") for n in names or [] if n.get("lang") == lang), None)
    name, used = (found[0], lang) if found else (fallback, "en")
    return Markup('<span lang="{}">{}</span>').format(used, name)


def number(value) -> str:
    """An integer written for the UI language by Babel: 25,000 / 25 000 (CLDR grouping)."""
    try:
        return format_decimal(value, locale=ui_lang())
    except (TypeError, ValueError, ArithmeticError):
        return str(value)


def js_messages() -> dict:
    """The messages the pages' scripts show, in the UI language; base.html carries them as
    JSON in ``<body data-ui-messages>`` (no inline script: the CSP forbids it). ``%(n)s`` and
    ``%(style)s`` are filled in by the script."""
    return {
        "permalink_copied": gettext("Permalink copied."),
        "quotation_copied": gettext("Quotation with citation copied (%(style)s).", style="%(style)s"),
        "citation_copied": gettext("Citation copied (%(style)s).", style="%(style)s"),
        "copy_refused": gettext("Could not copy: your browser refused. Select the text below and copy it by hand."),
        "show_all": gettext("Show all %(n)s", n="%(n)s"),
        "show_fewer": gettext("Show fewer"),
    }


def _remember_and_vary(response):
    asked = request.args.get("ui")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    # pages, and the responses a view marks with g.ui_dependent (the passage .txt: its citation)
    if response.mimetype == "text/html" or g.get("ui_dependent"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
        if (response.status_code == 200 and request.method in ("GET", "HEAD") and not response.is_streamed
                and "ETag" not in response.headers and request.endpoint != "static"):
            from .http import etag  # the tag http.py would give, with the language named in it
            response.set_etag(f"{etag(response.get_data())}-{ui_lang()}")
    return response
