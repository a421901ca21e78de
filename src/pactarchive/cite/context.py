"""A passage's place in its document: breadcrumb, heading and the passages around it.

Each entry is ``{"ref", "unit", "path", "heading"}`` (``heading`` the section's ``head``, in
the document's language, or None), plus ``text`` and ``current`` for siblings.
"""

from __future__ import annotations

from .. import refs
from ..tei import TEI_NS
from ..tei.text import plain_text


def heading(p) -> str | None:
    if hasattr(p, "heading"):  # a passage read from the edition store carries its heading
        return p.heading or None
    head = p.element.find(f"{{{TEI_NS}}}head")
    return (plain_text(head) or None) if head is not None else None


def entry(doc, p) -> dict:
    return {"ref": refs.format_ref(doc.id, p.path), "unit": p.unit, "path": p.path, "heading": heading(p)}


def breadcrumb(doc, p) -> list[dict]:
    """The passages containing ``p`` and ``p`` itself, outermost first."""
    chain = []
    while p is not None:
        chain.append(entry(doc, p))
        p = p.parent
    return chain[::-1]


def surroundings(doc, p) -> dict:
    """``{"parent": entry or None, "siblings": [entry + text, current]}``: the passage among
    the other passages of its parent. Top-level siblings (whole sections) carry no text."""
    parent = p.parent
    siblings = parent.children if parent else doc.passages
    return {"parent": entry(doc, parent) if parent else None,
            "siblings": [dict(entry(doc, s), current=s == p, text=s.text() if parent else None) for s in siblings]}


def children(doc, p) -> list[dict]:
    """The passages directly inside ``p`` (e.g. the sentences of a paragraph), with their text."""
    return [dict(entry(doc, c), text=c.text()) for c in p.children]
