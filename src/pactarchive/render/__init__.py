"""TEI → HTML, declaratively: a table of rules (rules.py) mapping each TEI element to a
behaviour from a small fixed vocabulary (behaviours.py, annotate.py), applied by a walker
(walker.py). Links are made in one hook (context.Links). Uses tei/ and the corpus; knows
nothing of Flask or Whoosh.

    render_text(doc, ctx)   the HTML of a document's <text> (body and back matter)
    render_inline(el, ctx)  the HTML of an element's content (e.g. a heading for a TOC)
    toc(doc, ctx)           the table of contents: sections with their rendered headings
"""

from __future__ import annotations

from ..tei import tei
from .behaviours import BEHAVIOURS, flush_notes
from .context import Context, Links
from .rules import RULES, Rule
from .walker import children, render

__all__ = ["BEHAVIOURS", "Context", "Links", "RULES", "Rule", "render", "render_text",
           "render_inline", "render_fragment", "toc"]


def render_fragment(el, ctx: Context) -> str:
    """An element and any notes still waiting to be shown."""
    return render(el, ctx) + flush_notes(ctx)


def render_text(doc, ctx: Context) -> str:
    """The document's ``<text>`` (body, back matter), notes included."""
    text = doc.element.find(tei("text"))
    return render_fragment(text, ctx) if text is not None else ""


def render_inline(el, ctx: Context) -> str:
    return children(el, ctx)


def toc(doc, ctx: Context) -> list[dict]:
    """Sections that have a heading: ``{"ref", "label" (HTML), "children"}``, nested."""
    def entry(p):
        head = p.element.find(tei("head"))
        if head is None:
            return None
        kids = [e for e in (entry(c) for c in p.children) if e]
        return {"ref": f"{doc.id}:{p.path}", "label": render_inline(head, ctx), "children": kids}
    return [e for e in (entry(p) for p in doc.passages) if e]
