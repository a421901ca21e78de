"""The interface words the renderer writes inside a text column (issue 15): margin labels, note
markers and notes' frames, the titles and screen-reader text of names, dates, corrections, gaps.

Each is an English gettext message id with ``%(name)s`` placeholders. ``render/`` cannot call
the web layer's translations (the architecture test forbids it), so the web layer passes
``Context(labels={msgid: translation}, ui_lang=...)``, filled from its catalogue
(``web.reading.render_labels``); without them the renderer writes English. ``N_`` marks the
messages for pybabel (babel.cfg lists this file), which puts them in the web catalogue.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for extraction; returns it unchanged."""
    return message


MESSAGES = (
    # notes
    N_("note %(n)s"), N_("Note %(n)s"), N_("at %(ref)s"), N_("compares %(docs)s"),
    N_("%(docs)s not shown here"), N_("Also at:"), N_("back to the text"),
    N_("The note in full, beside the other text"),
    # names, dates, quantities
    N_("%(kind)s: %(name)s"), N_("Person"), N_("Place"), N_("Organisation"), N_("Ship"), N_("Object"),
    N_("Event"), N_("Treaty"), N_("Date"), N_("Time"), N_("Number"), N_("Quantity"), N_("%(start)s to %(end)s"),
    # the editors' interventions
    N_("corrected"), N_("regularised"), N_("expanded"),
    N_("%(verb)s by the editors; the source has “%(other)s”"), N_("%(verb)s by the editors"),
    N_("as in the source; %(verb)s: “%(other)s”"), N_("as in the source"),
    N_("Gap in the text"), N_("gap in the text"), N_("Supplied by the editors"), N_("supplied by the editors"),
    N_("Other possible readings: %(readings)s"), N_("Other readings: %(readings)s"), N_("(omitted)"),
    N_("unclear in the source"), N_("Page furniture of the received text"),
    N_("page"), N_("column"), N_("milestone"), N_("%(kind)s break"),
)

KINDS = {"person": N_("Person"), "place": N_("Place"), "org": N_("Organisation"), "ship": N_("Ship"),
         "object": N_("Object"), "event": N_("Event"), "treaty": N_("Treaty")}


def translate(labels: dict | None, message: str, **values) -> str:
    """``message`` from ``labels`` (else as it is), with ``values`` put in. A message the
    catalogue does not know stays English: the renderer never fails for want of a word."""
    text = (labels or {}).get(message) or message
    return text % values if values else text
