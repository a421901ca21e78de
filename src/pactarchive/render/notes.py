"""Notes at the passages they annotate: a numbered marker in the text, the note itself after
the enclosing block passage (a paragraph), as a disclosure that is folded to its first words
in the parallel view. A note that annotates several passages of one document is placed once;
its other passages get a marker pointing to it."""

from __future__ import annotations

from . import html
from .context import note_key_of

GIST = 72  # characters of a folded note shown in its summary


def note_marker(ctx, ref: str | None, note, body_html: str | None = None) -> str:
    """The marker for ``note`` at ``ref``; the first time, the note joins ``ctx.pending``."""
    key = getattr(note, "key", None) or note_key_of(note)
    if key in ctx.placed_notes:
        n, note_id = ctx.placed_notes[key]
        return _marker(n, note_id, None)
    n, note_id = ctx.next_note_id()
    ctx.placed_notes[key] = (n, note_id)
    body = body_html if body_html is not None else html.escape(note.text)
    ctx.pending.append(_note(ctx, n, note_id, ref, note, body))
    return _marker(n, note_id, f"{note_id}-ref")


def _marker(n: int, note_id: str, own_id: str | None) -> str:
    link = html.element("a", {"href": f"#{note_id}", "id": own_id}, f"note&nbsp;{n}")
    return html.element("sup", {"class": "note-ref", "lang": "en"}, link)


def _note(ctx, n: int, note_id: str, ref: str | None, note, body: str) -> str:
    kind = ", ".join(x for x in (f"{getattr(note, 'type', '') or ''} note".strip(), note.subtype) if x)
    where = f", at {ref}" if ref else ""
    short = len(note.text) <= GIST
    gist = note.text if short else _gist(note.text)
    summary = (f"<strong>Note {n}</strong> " + html.element("span", {"class": "note-kind"}, html.escape(f"({kind}{where})"))
               + " " + html.element("span", {"class": "note-gist" if not short else "note-text"}, html.escape(gist)))
    concerns = [t for t in getattr(note, "targets", []) if t != ref]
    also = (" " + html.element("span", {"class": "note-also"}, "Also at: " + ", ".join(
        html.element("a", {"href": ctx.links.passage(t)}, html.escape(t)) for t in concerns))) if concerns else ""
    back = html.element("a", {"class": "note-back", "href": f"#{note_id}-ref"},
                        '<span aria-hidden="true">↩</span> back to the text')
    return html.element("details", {"class": "ed-note", "id": note_id, "data-subtype": note.subtype or None,
                                    "open": ctx.notes_open},
                        html.element("summary", {}, summary) + html.element("div", {"class": "note-body"}, f"{'' if short else body}{also} {back}"))


def _gist(text: str) -> str:
    """The first words of a long note."""
    return text[:GIST].rsplit(" ", 1)[0] + " …"


def flush_notes(ctx) -> str:
    """The notes collected since the last flush, as a block after the passage."""
    if not ctx.pending:
        return ""
    out = html.element("div", {"class": "ed-notes", "lang": "en"}, "".join(ctx.pending))
    ctx.pending.clear()
    return out
