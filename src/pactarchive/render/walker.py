"""The walker: picks the first applicable rule of an element and applies its behaviour.
Text and attributes pass through here, so escaping and deep-link word marking live in one
place."""

from __future__ import annotations

import re
import sys

from .. import tei
from ..tei import XML_LANG, local
from ..tei.parse import MAX_DEPTH
from ..tei.text import clean, direction, role
from . import html
from .rules import RULES

TEI_PREFIX = "{" + tei.TEI_NS + "}"
# The walk recurses through the behaviours: at most this many Python frames per element level.
FRAMES_PER_LEVEL = 8
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
                if rule.behaviour in PASSAGE_AWARE or ctx.ref_of(el) is None:
                    return BEHAVIOURS[rule.behaviour](el, ctx, **rule.params)
                # a passage whose rule knows nothing of passages (a list, a table in a division)
                return BEHAVIOURS["passage"](el, ctx, inner=lambda: BEHAVIOURS[rule.behaviour](el, ctx, **rule.params))
    return BEHAVIOURS["neutral"](el, ctx)


# behaviours that render a passage's id and label themselves
PASSAGE_AWARE = {"passage", "neutral", "heading", "omit"}  # heading wraps itself


def children(el, ctx) -> str:
    """HTML of an element's content: its text, each child, each child's tail."""
    parts = [text(el.text, ctx, (el, "text"))]
    for child in el:
        parts.append(render(child, ctx))
        parts.append(text(child.tail, ctx, (child, "tail")))
    return "".join(parts)


def text(value: str | None, ctx, key: tuple | None = None) -> str:
    """Escaped text (NFC, no soft hyphens); inside the deep-linked passage, the words asked for
    are wrapped in mark: where the passage's joined text matches (``mark_plan``), so a word split
    across elements (``Tal<hi>linn</hi>``) is marked in each of its parts."""
    if not value:
        return ""
    value = clean(value)  # the text as search and citations read it
    if not (ctx.marking and ctx.word_pattern):
        return _squeeze(html.escape(value))
    spans = ctx.mark_plan.get(key) if key is not None else None
    if spans is None:
        spans = [m.span() for m in ctx.word_pattern.finditer(value)]
    out, pos = [], 0
    for start, end in spans:
        out += [_squeeze(html.escape(value[pos:start])), html.element("mark", {}, html.escape(value[start:end]))]
        pos = end
    return "".join(out) + _squeeze(html.escape(value[pos:]))


_RUN = re.compile(r"[ \t\r\n]{2,}")


def _squeeze(text: str) -> str:
    """Runs of ASCII white space (the TEI file's indentation) as one space or line break: HTML
    shows them so anyway (no ``pre`` is rendered), and they were ~3% of /read. No-break and
    other Unicode spaces are kept."""
    return _RUN.sub(lambda m: "\n" if "\n" in m.group() else " ", text)


_NOT_READ = ("note", "apparatus", "omitted")


def mark_plan(el, pattern) -> dict[tuple, list[tuple[int, int]]]:
    """``(node, "text"|"tail") -> [(start, end)]``: where ``pattern`` matches the joined text of
    ``el`` (its text nodes in reading order, notes and apparatus left out), cut at the text
    nodes. Iterative."""
    segments: list[tuple[tuple, str]] = []
    stack: list[tuple[str, object]] = [("node", el)]
    while stack:
        kind, node = stack.pop()
        if kind == "tail":
            segments.append(((node, "tail"), clean(node.tail or "")))
            continue
        if node is not el and role(node) in _NOT_READ:
            continue
        segments.append(((node, "text"), clean(node.text or "")))
        for child in reversed(node):
            stack.append(("tail", child))
            stack.append(("node", child))
    joined = "".join(t for _, t in segments)
    matches = [m.span() for m in pattern.finditer(joined)]
    plan, offset = {}, 0
    for key, seg in segments:
        end = offset + len(seg)
        plan[key] = [(max(s, offset) - offset, min(e, end) - offset) for s, e in matches if s < end and e > offset]
        offset = end
    return plan


def base_attrs(el, *extra_classes: str | None) -> dict:
    """``class="tei-NAME ..."``, ``lang`` (and ``dir``) from xml:lang, and every other TEI
    attribute as ``data-NAME`` (nothing the encoders wrote is dropped)."""
    attrs = {"class": html.classes(f"tei-{local(el) or 'node'}", *extra_classes)}
    if el.get(XML_LANG):
        attrs["lang"] = el.get(XML_LANG)
        attrs["dir"] = _dir(el)
    for key, value in el.attrib.items():
        if key != XML_LANG:
            attrs[html.data_name(_prefixed(key))] = value
    return attrs


def _dir(el) -> str | None:
    """``rtl`` for an element in a right-to-left language, ``ltr`` for one in a left-to-right
    language inside right-to-left text, else None. An element with ``dir`` is bidi-isolated
    (HTML's rendering rules), so a mixed line reads in the right order."""
    own = direction(el.get(XML_LANG))
    if own != "ltr":
        return own
    around = next((direction(a.get(XML_LANG)) for a in el.iterancestors() if a.get(XML_LANG)), None)
    return "ltr" if around == "rtl" else None


def effective_dir(el, default_lang: str | None) -> str | None:
    """``rtl`` when the language ``el`` is in (its own or its nearest ancestor's xml:lang, else
    ``default_lang``) is written right to left."""
    lang = next((a.get(XML_LANG) for a in (el, *el.iterancestors()) if a.get(XML_LANG)), default_lang)
    return "rtl" if direction(lang) == "rtl" else None


def _prefixed(key: str) -> str:
    if key.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml-" + key.rsplit("}", 1)[1]
    return key.rsplit("}", 1)[-1]
