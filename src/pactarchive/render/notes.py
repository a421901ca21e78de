"""Notes at the passages they annotate: a numbered marker in the text, the note itself after
the enclosing block passage (a paragraph), as a disclosure that is folded to its first words
in the parallel view. A note that annotates several passages of one document is placed once;
its other passages get a marker pointing to it."""

from __future__ import annotations

import re

from .. import refs, registers
from . import html
from .context import note_key_of

GIST = 72  # characters of a folded note shown in its summary


def note_marker(ctx, ref: str | None, note, body_html: str | None = None) -> str:
    """The marker for ``note`` at ``ref``; the first time, the note joins ``ctx.pending``."""
    key = key_of(note)
    if key in ctx.placed_notes:
        n, note_id = ctx.placed_notes[key]
        return _marker(ctx, n, note_id, None)
    n, note_id = _number(ctx, key)
    ctx.placed_notes[key] = (n, note_id)
    body = with_refs(ctx, body_html if body_html is not None else html.escape(note.text))
    ctx.pending.append(_note(ctx, n, note_id, ref, note, body))
    return _marker(ctx, n, note_id, f"{note_id}-ref")


def _number(ctx, key: tuple) -> tuple[int, str]:
    """The note's number in the edition (the same in every column and page: registers.note_numbers),
    or, for a note outside a corpus, the next number of this rendering."""
    n = registers.note_number(ctx.corpus, key[0], key[1]) if ctx.corpus is not None else None
    if n is None:
        return ctx.next_note_id()
    return n, f"{ctx.side}-note-{n}"


_TAG = re.compile(r"(<[^>]*>)")


def with_refs(ctx, body: str) -> str:
    """The note's HTML with every passage xml:id named in its text (``lv-s57``) replaced by a
    link labelled with the passage's public ref (``lv:5.1.2``); tags are left alone."""
    if ctx.corpus is None:
        return body
    out = []
    for chunk in _TAG.split(body):
        if chunk.startswith("<"):
            out.append(chunk)
            continue
        out += [html.element("a", {"href": _href(ctx, ref)}, text) if ref else text
                for text, ref in registers.split_pointers(ctx.corpus, chunk)]
    return "".join(out)


def _href(ctx, ref: str) -> str:
    doc_id, path = refs.split(ref)
    start = path.split("-")[0]
    return ctx.links.passage(refs.format_ref(doc_id, start) if doc_id in ctx.links.shown else ref)


def plain_with_refs(ctx, text: str) -> str:
    """Plain text with passage xml:ids replaced by their refs (for the folded summary)."""
    if ctx.corpus is None:
        return text
    return "".join(t for t, _ in registers.split_pointers(ctx.corpus, text))


def _compares(ctx, note) -> str:
    """Which documents a note speaks about, when it concerns more than one; flagged when one of
    them is not on the page (the note then reads right only with that in mind)."""
    docs = list(dict.fromkeys(refs.split(t)[0] for t in getattr(note, "targets", []) or []))
    if len(docs) < 2:
        return ""
    missing = [d for d in docs if d not in ctx.links.shown]
    text = ctx.t("compares %(docs)s", docs=", ".join(docs))
    if missing:
        text += "; " + ctx.t("%(docs)s not shown here", docs=", ".join(missing))
    return " " + html.element("span", {"class": "note-compares"}, html.escape(f"({text})"))


def _marker(ctx, n: int, note_id: str, own_id: str | None) -> str:
    link = html.element("a", {"href": f"#{note_id}", "id": own_id}, html.escape(ctx.t("note %(n)s", n=n)))  # kept on one line by CSS
    return html.element("sup", {"class": "note-ref", "lang": ctx.ui_attr()}, link)


NOTES_LANG = "en"  # the edition's editorial notes are written in English (docs/i18n.md)


def _note(ctx, n: int, note_id: str, ref: str | None, note, body: str) -> str:
    """One note as a disclosure: its number, kind (the TEI ``type``/``subtype``, shown as
    encoded) and place in the UI language, its text in the notes' language (marked ``lang``
    when that differs), "also at" and "back to the text" links."""
    kind = ", ".join(x for x in (getattr(note, "type", "") or "", note.subtype) if x)
    where = ctx.t("at %(ref)s", ref=ref) if ref else ""
    text = plain_with_refs(ctx, note.text)
    short = len(text) <= GIST
    gist = text if short else _gist(text)
    own = None if ctx.ui_lang == NOTES_LANG else NOTES_LANG
    label = html.element("span", {"class": "note-kind"}, "("
                         + ((html.element("span", {"lang": own}, html.escape(kind)) if own else html.escape(kind)) + ", " if kind else "")
                         + html.escape(where) + ")")
    summary = (html.element("strong", {}, html.escape(ctx.t("Note %(n)s", n=n))) + " " + label + _compares(ctx, note) + " "
               + html.element("span", {"class": "note-gist" if not short else "note-text", "lang": own}, html.escape(gist)))
    back = html.element("a", {"class": "note-back", "href": f"#{note_id}-ref"}, html.escape(ctx.t("back to the text")))  # ↩ in CSS
    there = ctx.elsewhere.get(key_of(note))
    if there:  # printed in full beside the other text: not a second copy
        text_html, also = html.element("a", {"href": f"#{there}"}, html.escape(ctx.t("The note in full, beside the other text"))), ""
    else:
        text_html = "" if short else (html.element("span", {"lang": own}, body) if own else body)
        also = _also(ctx, note, ref, body)
    return html.element("details", {"class": "ed-note", "id": note_id, "data-subtype": note.subtype or None,
                                    "open": ctx.notes_open},
                        html.element("summary", {}, summary) + html.element("div", {"class": "note-body"}, f"{text_html}{also} {back}"))


def key_of(note) -> tuple:
    return getattr(note, "key", None) or note_key_of(note)


def _also(ctx, note, ref: str | None, body: str) -> str:
    """"Also at:" the note's other passages, those its text does not already link."""
    concerns = [t for t in getattr(note, "targets", []) if t != ref and f'href="{ctx.links.passage(t)}"' not in body]
    if not concerns:
        return ""
    return " " + html.element("span", {"class": "note-also"}, html.escape(ctx.t("Also at:")) + " " + ", ".join(
        html.element("a", {"href": ctx.links.passage(t)}, html.escape(t)) for t in concerns))


def _gist(text: str) -> str:
    """The first words of a long note."""
    return text[:GIST].rsplit(" ", 1)[0] + " …"


def flush_notes(ctx) -> str:
    """The notes collected since the last flush, as a block after the passage."""
    if not ctx.pending:
        return ""
    out = html.element("div", {"class": "ed-notes", "lang": ctx.ui_lang}, "".join(ctx.pending))
    ctx.pending.clear()
    return out
