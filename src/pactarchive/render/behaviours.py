"""The fixed vocabulary of behaviours, part 1: structure. Each behaviour is a function
``(element, context, **params) -> HTML`` registered under its name; the rules table
(rules.py) refers to them by name. Part 2 (annotations.py) adds the edition's annotations.

    pass      render the content only             omit     render nothing
    block     a block element (tag, cls)           inline   a phrase element (tag, cls, title)
    heading   h2–h6 by section depth               passage  a citable passage: id, label, notes
    link      a TEI pointer through the link hook  break    line/page/column breaks
    neutral   the fallback: span/div with the TEI name and attributes
"""

from __future__ import annotations

from typing import Callable

from ..tei import local
from ..tei.citation import DIVS
from . import html, walker
from .notes import flush_notes, note_marker

BEHAVIOURS: dict[str, Callable] = {}
BLOCKISH = {"p", "ab", "lg", "sp", "u", "list", "listBibl", "table", "head", "figure", "floatingText",
            "div", "body", "front", "back", "text", "group", "castList", "spGrp", *DIVS}


def behaviour(fn: Callable) -> Callable:
    """Register ``fn`` in the vocabulary under its name (a trailing ``_`` is dropped)."""
    BEHAVIOURS[fn.__name__.rstrip("_")] = fn
    return fn


@behaviour
def pass_(el, ctx) -> str:
    return walker.children(el, ctx)


@behaviour
def omit(el, ctx) -> str:
    return ""


@behaviour
def block(el, ctx, tag: str = "div", cls: str | None = None, title: str | None = None) -> str:
    return _wrapper(el, ctx, tag, cls, title)


@behaviour
def inline(el, ctx, tag: str = "span", cls: str | None = None, title: str | None = None) -> str:
    return _wrapper(el, ctx, tag, cls, title)


def _wrapper(el, ctx, tag: str, cls: str | None, title: str | None) -> str:
    """The element's children inside ``tag`` carrying its TEI name and attributes."""
    attrs = walker.base_attrs(el, cls)
    if title:
        attrs["title"] = ctx.t(title)
    return html.element(tag, attrs, walker.children(el, ctx))


@behaviour
def heading(el, ctx) -> str:
    """``h3``–``h6`` by section depth; a heading that is a passage of its own (the nesting
    fallback) is wrapped in a passage (id, label), its text staying the heading's alone."""
    depth = sum(1 for a in el.iterancestors() if local(a) in DIVS)
    level = min(6, ctx.base_level + max(depth, 1) - 1)
    def h() -> str:
        return html.element(f"h{level}", walker.base_attrs(el), walker.children(el, ctx))
    return passage(el, ctx, inner=h) if ctx.ref_of(el) is not None else h()


@behaviour
def passage(el, ctx, tag: str = "div", label: str = "margin", inner=None) -> str:
    """A citable passage: ``id="<ref>"``, its ref as a label linking to the permalink,
    alignment state, note markers; block passages are followed by their notes. ``inner`` (a
    function giving HTML) renders the content instead of the children: the walker wraps an
    element rendered by another behaviour (a ``list``, a ``table``) in a passage this way."""
    ref = ctx.ref_of(el)
    aligned = ctx.aligned(ref)
    was_marking = ctx.marking
    ctx.marking = was_marking or ctx.is_target(ref)
    if ctx.marking and not was_marking and ctx.word_pattern is not None:
        ctx.mark_plan.update(walker.mark_plan(el, ctx.word_pattern))
    body = inner() if inner is not None else walker.children(el, ctx)
    ctx.marking = was_marking
    markers = "".join(note_marker(ctx, ref, n) for n in ctx.notes_for(ref))
    label_html = ref_label(ctx, ref, aligned, label, el)
    if tag == "tr":  # a table row: the label in its first cell, its notes in its last
        return html.element(tag, _passage_attrs(el, ctx, ref, aligned), _in_cells(body, label_html, markers + flush_notes(ctx)))
    inside = flush_notes(ctx) if tag in NOTES_INSIDE else ""
    out = html.element(tag, _passage_attrs(el, ctx, ref, aligned), label_html + body + markers + inside)
    return out if tag == "span" or tag in NOTES_INSIDE else out + flush_notes(ctx)


def _in_cells(cells: str, first: str, last: str) -> str:
    start = cells.find("<td")
    if start < 0:
        return cells
    opened = cells.index(">", start) + 1
    cells = cells[:opened] + first + cells[opened:]
    end = cells.rfind("</td>")
    return cells[:end] + last + cells[end:]


# Passages whose parent may hold nothing else (a list holds only items): their notes go inside.
NOTES_INSIDE = {"li"}


def _passage_attrs(el, ctx, ref: str, aligned: list[str]) -> dict:
    leaf = ctx.is_leaf(el)
    state = "aligned" if aligned else ("unaligned" if leaf and ctx.other else None)
    attrs = walker.base_attrs(el, "passage", state, "leaf" if leaf else None,
                              "is-target" if ctx.is_target(ref) else None)
    attrs.update({"id": ref, "data-aligned": " ".join(aligned) or None})
    if attrs.get("data-n") and ref.endswith((":" + attrs["data-n"], "." + attrs["data-n"])):
        del attrs["data-n"]  # @n is the last step of the ref (the id): not repeated
    if not attrs.get("dir"):
        attrs["dir"] = walker.effective_dir(el, getattr(ctx.doc, "lang", None))
    return attrs


def ref_label(ctx, ref: str, aligned: list[str], placement: str, el) -> str:
    """The ref (its path) linking to the permalink; for an aligned passage a "cite both
    sides" link; for a finest passage without counterpart opposite, a visible ∅ mark. Labelled
    for screen readers in the UI language (the key to the marks explains the signs to the eye:
    no ``title`` repeated on every passage)."""
    path = ref.split(":", 1)[1]
    # the visible path is the link's name (each column is a region named after its document);
    # what the link is, the permalink, the key to the marks says once
    # "cite both sides" (⇄, /passage/<ref>?with=aligned) is added by read.js to the passages
    # with ``data-aligned``; without the script the permalink's page offers the same link
    parts = [html.element("a", {"class": "ref", "href": ctx.links.permalink(ref)}, html.escape(path))]
    # without a counterpart: the ∅ is drawn by CSS after the refs of a ``.unaligned`` passage,
    # its spoken text ("no counterpart in the other text") in style.css per UI language
    return html.element("span", {"class": "refs" if placement == "inline" else f"refs refs-{placement}"}, "".join(parts))


@behaviour
def link(el, ctx) -> str:
    target = (el.get("target") or "").split()
    href = ctx.links.pointer(target[0], ctx) if target else None
    if href is None or ctx.in_link:  # a link inside a link would be invalid HTML
        content = walker.children(el, ctx) or html.escape(" ".join(target))
        return html.element("span", walker.base_attrs(el, "unlinked"), content)
    ctx.in_link = True
    try:
        content = walker.children(el, ctx) or html.escape(" ".join(target))
    finally:
        ctx.in_link = False
    attrs = walker.base_attrs(el, "external" if href.startswith(("http:", "https:")) else None)
    attrs["href"] = href
    return html.element("a", attrs, content)


@behaviour
def break_(el, ctx, tag: str | None = None, marker: str | None = None) -> str:
    if tag:
        return html.element(tag, walker.base_attrs(el))
    n, word = el.get("n"), ctx.t(marker)
    text = f"[{word} {n}]" if n else "|"
    return html.element("span", dict(walker.base_attrs(el, "break-marker"), lang=ctx.ui_lang,
                                     title=ctx.t("%(kind)s break", kind=word)), html.escape(text))


@behaviour
def neutral(el, ctx) -> str:
    """No rule: keep the content in a wrapper that names the TEI element and its attributes."""
    tag = "div" if local(el) in BLOCKISH or any(local(c) in BLOCKISH for c in el) else "span"
    if ctx.ref_of(el) is not None:
        return passage(el, ctx, tag=tag, label="margin" if tag == "div" else "inline")
    return html.element(tag, walker.base_attrs(el, "tei-unmapped"), walker.children(el, ctx))


from . import annotate  # noqa: E402,F401  (registers part 2 of the vocabulary)
