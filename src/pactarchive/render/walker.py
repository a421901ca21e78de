"""The walker: picks the first applicable rule of an element and applies its behaviour.
Text and attributes pass through here, so escaping and deep-link word marking live in one
place."""

from __future__ import annotations

import sys

from .. import tei
from ..tei import XML_LANG, local
from ..tei.parse import MAX_DEPTH
from ..tei.text import clean
from . import html
from .rules import RULES

TEI_PREFIX = "{" + tei.TEI_NS + "}"
# The walk recurses through the behaviours: at most this many Python frames per element level.
FRAMES_PER_LEVEL = 6
STACK_MARGIN = 1000  # frames below the renderer: WSGI server, Flask, the view, templates


def ensure_depth(levels: int = MAX_DEPTH) -> None:
    """Make room for rendering elements nested ``levels`` deep (the parser's limit by default):
    raise the interpreter's recursion limit if it is lower than the walk needs (never lower it).
    Python 3.11 runs Python-to-Python calls without growing the C stack, so the room is real."""
    needed = levels * FRAMES_PER_LEVEL + STACK_MARGIN
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


ensure_depth()


def render(el, ctx) -> str:
    """HTML of one element (its tail belongs to the parent: see ``children``)."""
    if not isinstance(el.tag, str):
        return ""  # comments and processing instructions
    from .behaviours import BEHAVIOURS
    if el.tag.startswith(TEI_PREFIX):
        for rule in RULES.get(local(el), ()):
            if rule.applies(el, ctx):
                return BEHAVIOURS[rule.behaviour](el, ctx, **rule.params)
    return BEHAVIOURS["neutral"](el, ctx)


def children(el, ctx) -> str:
    """HTML of an element's content: its text, each child, each child's tail."""
    parts = [text(el.text, ctx)]
    for child in el:
        parts.append(render(child, ctx))
        parts.append(text(child.tail, ctx))
    return "".join(parts)


def text(value: str | None, ctx) -> str:
    """Escaped text; inside the deep-linked passage, the words asked for are wrapped in mark."""
    if not value:
        return ""
    value = clean(value)  # NFC, no soft hyphens: the text as search and citations read it
    if not (ctx.marking and ctx.word_pattern):
        return html.escape(value)
    out, pos = [], 0
    for m in ctx.word_pattern.finditer(value):
        out += [html.escape(value[pos:m.start()]), html.element("mark", {}, html.escape(m.group()))]
        pos = m.end()
    return "".join(out) + html.escape(value[pos:])


def base_attrs(el, *extra_classes: str | None) -> dict:
    """``class="tei-NAME ..."``, ``lang`` from xml:lang, and every other TEI attribute as
    ``data-NAME`` (nothing the encoders wrote is dropped)."""
    attrs = {"class": html.classes(f"tei-{local(el) or 'node'}", *extra_classes)}
    if el.get(XML_LANG):
        attrs["lang"] = el.get(XML_LANG)
    for key, value in el.attrib.items():
        if key != XML_LANG:
            attrs[html.data_name(_prefixed(key))] = value
    return attrs


def _prefixed(key: str) -> str:
    if key.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml-" + key.rsplit("}", 1)[1]
    return key.rsplit("}", 1)[-1]
