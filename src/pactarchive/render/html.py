"""Small, safe HTML-building helpers: every string that reaches the page passes through
``escape`` or ``attributes`` here, so a behaviour cannot forget to escape.

>>> element("a", {"class": "ref", "href": "/passage/lv:1", "title": 'say "hi"'}, "1")
'<a class="ref" href="/passage/lv:1" title="say &quot;hi&quot;">1</a>'
>>> element("br", {"data-n": None})
'<br>'
"""

from __future__ import annotations

import re
from html import escape as _escape

VOID = {"br", "hr", "wbr", "img"}
_DATA_NAME = re.compile(r"[^a-z0-9-]+")


def escape(text: str | None) -> str:
    """Text content, escaped (&, <, >)."""
    return _escape(text or "", quote=False)


def attributes(attrs: dict) -> str:
    """`` k="v"`` for every attribute whose value is not None/False (True gives ``k``)."""
    out = []
    for key, value in attrs.items():
        if value is None or value is False or value == "" and key == "class":
            continue
        out.append(f" {key}" if value is True else f' {key}="{_escape(str(value), quote=True)}"')
    return "".join(out)


def element(tag: str, attrs: dict | None = None, content: str = "") -> str:
    """``<tag attrs>content</tag>`` (content must already be HTML)."""
    start = f"<{tag}{attributes(attrs or {})}>"
    return start if tag in VOID else f"{start}{content}</{tag}>"


def data_name(tei_attr: str) -> str:
    """The ``data-`` attribute that carries a TEI attribute: ``subtype`` -> ``data-subtype``,
    ``xml:id`` -> ``data-xml-id``."""
    return "data-" + _DATA_NAME.sub("-", tei_attr.lower()).strip("-")


def hidden(text: str, lang: str | None = None) -> str:
    """Text for screen readers only; ``lang`` when it differs from the enclosing element's."""
    return element("span", {"class": "vh", "lang": lang}, escape(text))  # .vh = .visually-hidden, short


def classes(*names: str | None) -> str:
    return " ".join(n for n in names if n)
