"""Plain text of a TEI element in one of two readings.

* ``edited`` (default): what the edition displays, indexes and cites — ``corr``, ``reg``,
  ``expan``, ``supplied`` kept; ``sic``, ``orig``, ``abbr`` inside ``choice`` dropped; ``note``,
  ``fw`` and ``del`` dropped; a ``gap`` becomes ``[…]``.
* ``diplomatic``: the text as received — ``sic``, ``orig``, ``abbr`` kept; ``corr``, ``reg``,
  ``expan``, ``supplied``, ``note``, ``fw`` dropped; a ``gap`` contributes nothing.

>>> from lxml import etree
>>> el = etree.fromstring('<s xmlns="http://www.tei-c.org/ns/1.0">a <choice><sic>moblizācija</sic>'
...                       '<corr>mobilizācija</corr></choice> <gap/>.</s>')
>>> plain_text(el), plain_text(el, "diplomatic")
('a mobilizācija […].', 'a moblizācija .')
"""

from __future__ import annotations

import re

from . import local

GAP_MARK = "[…]"
_ALWAYS_DROPPED = {"note", "fw", "teiHeader", "standOff", "facsimile"}
_IN_CHOICE = {
    "edited": {"sic", "orig", "abbr"},
    "diplomatic": {"corr", "reg", "expan"},
}
_DROPPED = {
    "edited": _ALWAYS_DROPPED | {"del"},
    "diplomatic": _ALWAYS_DROPPED | {"supplied"},
}
_WS = re.compile(r"\s+")
# Elements that stand apart from their neighbours: a space separates them even where the
# markup has none (<p>A.</p><p>B.</p> reads "A. B.", not "A.B.").
BLOCKS = {"p", "ab", "head", "s", "l", "lg", "sp", "speaker", "stage", "u", "item", "list",
          "listBibl", "table", "row", "cell", "lb", "cb", "pb",
          "byline", "docTitle", "titlePart", "docImprint", "closer", "opener", "postscript", "text",
          "body", "front", "back", "group", "trailer", "argument", "epigraph", "floatingText",
          *("div",), *(f"div{i}" for i in range(1, 8))}


def plain_text(element, reading: str = "edited") -> str:
    """Whitespace-normalised text of ``element`` in the given reading ("edited"/"diplomatic")."""
    if reading not in _DROPPED:
        raise ValueError(f"unknown reading {reading!r}; use 'edited' or 'diplomatic'")
    parts: list[str] = []
    _walk(element, reading, parts, top=True)
    return normalise_space("".join(parts))


def content_text(element, reading: str = "edited", skip: tuple[str, ...] = ()) -> str:
    """Text of ``element``'s content even when the element itself is of a kind the readings
    drop (a ``note``, an ``fw``); children named in ``skip`` are left out."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if local(child) in skip:
            parts.append(child.tail or "")
        else:
            _walk(child, reading, parts)
    return normalise_space("".join(parts))


def normalise_space(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _walk(el, reading: str, parts: list[str], top: bool = False) -> None:
    name = local(el)
    block = name in BLOCKS and el.get("break") != "no"
    if name and not _skipped(el, name, reading):
        if block:
            parts.append(" ")
        if name == "gap":
            if reading == "edited":
                parts.append(GAP_MARK)
        else:
            if el.text:
                parts.append(el.text)
            for child in el:
                _walk(child, reading, parts)
        if block:
            parts.append(" ")
    if not top and el.tail:
        parts.append(el.tail)


def _skipped(el, name: str, reading: str) -> bool:
    if name in _DROPPED[reading]:
        return True
    parent = el.getparent()
    return parent is not None and local(parent) == "choice" and name in _IN_CHOICE[reading]
