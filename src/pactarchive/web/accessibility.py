"""The accessibility statement: ``/accessibility`` and its JSON twin ``/api/accessibility``,
in the UI language (web/i18n.py). The level claimed, how it is tested, the known limitations
and the publisher's contact (``PACTARCHIVE_ACCESSIBILITY_CONTACT``, else a placeholder the
edition's publisher fills in). Source of the claim: WCAG 2.1 (W3C Recommendation), level AA."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify, render_template, url_for

from .i18n import gettext, ui_lang

bp = Blueprint("accessibility", __name__)

PLACEHOLDER = "[publisher: name, e-mail address and postal address]"


def statement() -> dict:
    """``{"standard", "level", "conformance", "tested": [{"how", "what"}], "limitations": [str],
    "contact", "contact_is_placeholder", "lang", "api"}``; the texts in the UI language."""
    contact = (current_app.config.get("ACCESSIBILITY_CONTACT") or os.environ.get("PACTARCHIVE_ACCESSIBILITY_CONTACT")
               or PLACEHOLDER)
    return {
        "standard": "WCAG 2.1", "level": "AA",
        "conformance": gettext("The interface aims to conform to WCAG 2.1 at level AA; the tests below check it on every "
                               "page, in English and in Latvian."),
        "tested": [
            {"how": gettext("Automated checks"),
             "what": gettext("axe-core (through Playwright in headless Chromium) finds no violation on the pages, "
                             "in both interface languages.")},
            {"how": gettext("Keyboard"),
             "what": gettext("Every link, control and text is reached and used with the keyboard alone; focus is always "
                             "visible; the parallel texts are read sentence by sentence with the arrow keys.")},
            {"how": gettext("Small screens"),
             "what": gettext("At 390 CSS pixels wide (a phone) no page scrolls sideways, with the longer Latvian labels too.")},
            {"how": gettext("Screen readers"),
             "what": gettext("Every page has landmarks (banner, navigation, search, main, contentinfo), one first-level "
                             "heading, a link to skip to the content, and the language of each text marked.")},
            {"how": gettext("Without JavaScript"),
             "what": gettext("Every page is served as complete HTML and works without scripts; scripts only add comfort.")},
        ],
        "limitations": [
            gettext("The texts of the edition keep their own language: English and Latvian texts are not translated "
                    "with the interface, and editorial notes are in English only."),
            gettext("The maps are drawings: each place on them is also listed in text beside the map."),
            gettext("The timeline's axis is a drawing too: the table below it has the same data."),
            gettext("Error messages of the search engine and the descriptions of the API are in English."),
            gettext("The edition has not been audited by people with disabilities; reports of barriers are welcome."),
        ],
        "contact": contact, "contact_is_placeholder": contact == PLACEHOLDER,
        "lang": ui_lang(), "api": url_for("accessibility.api"),
    }


@bp.get("/accessibility")
def page():
    """The statement as a page (WCAG 2.1 AA claimed, tests, limitations, contact)."""
    s = statement()
    return render_template("accessibility.html", s=s, json_url=s["api"])


@bp.get("/api/accessibility")
def api():
    """The statement's JSON twin, in the UI language (``?ui=``, cookie, Accept-Language)."""
    return jsonify(statement())
