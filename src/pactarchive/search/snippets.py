"""Keyword-in-context snippets: the passage text with what matched in ``<mark>``, everything
else HTML-escaped, cut around the first match when the passage is long.

What matched is found by re-analysing the stored text with character offsets (the same
analyzers as the index, so "Seltera" is marked for the query "Selteram"), plus the recorded
surfaces of matched entities ("Petsu" for "Päts"), dates and quantities.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ..tei.text import has_rtl
from . import analysis
from .compiler import Marks
from .schema import TEXT_FIELDS, make_schema

WIDTH = 260    # characters shown of a long passage
BEFORE = 80    # of which before the first match
_SCHEMA = make_schema()


def matched_spans(text: str, lang: str, marks: Marks, recorded: list[tuple]) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` character spans of ``text`` to mark."""
    found: list[tuple[int, int]] = []
    for fieldname in (TEXT_FIELDS.get(lang), "words"):
        terms, phrases = marks.terms.get(fieldname, ()), marks.phrases.get(fieldname, ())
        if fieldname and (terms or phrases):
            toks = _spans(fieldname, text)
            found += [(s, e) for tok, s, e in toks if tok in terms]
            found += _phrase_spans(toks, phrases)
    for kind, keys, surface in recorded or ():
        if surface and _matched(kind, keys, marks):
            found += _occurrences(text, surface)
    return _merge(found)


@lru_cache(maxsize=8192)
def _spans(fieldname: str, text: str) -> list[tuple[str, int, int]]:
    """The analysed tokens of a passage with their offsets (passages recur across searches)."""
    return analysis.spans(_SCHEMA[fieldname].analyzer, text)


def _phrase_spans(toks: list[tuple[str, int, int]], phrases) -> list[tuple[int, int]]:
    """Spans of the runs of consecutive tokens that spell one of ``phrases``."""
    words = [t for t, _, _ in toks]
    return [(toks[i][1], toks[i + len(p) - 1][2]) for p in phrases
            for i in range(len(words) - len(p) + 1) if tuple(words[i:i + len(p)]) == p]


def _matched(kind: str, keys: tuple, marks: Marks) -> bool:
    if kind == "entity":
        return keys[0] in marks.entities
    if kind == "quantity":
        return keys[0] in marks.quantities
    if kind == "date":
        days = [k for k in keys if len(k) == 10]
        return bool(marks.dates & set(keys)) or any(lo <= d <= hi for d in days for lo, hi in marks.ranges)
    return False


def _occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    out, i = [], text.find(surface)
    while i >= 0:
        out.append((i, i + len(surface)))
        i = text.find(surface, i + 1)
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def snippet(text: str, spans: list[tuple[int, int]], width: int = WIDTH) -> str:
    """HTML: ``text`` (or a window of it around the first span) with the spans in <mark>.

    >>> snippet("Selters <b> Seltera", [(0, 7), (12, 19)])
    '<mark>Selters</mark> &lt;b&gt; <mark>Seltera</mark>'
    >>> snippet("שָׁלוֹם עוֹלָם", [(0, 7)])
    '<bdi dir="auto"><mark>שָׁלוֹם</mark> עוֹלָם</bdi>'
    """
    start, end = _window(text, spans, width)
    out, pos = ["…" if start > 0 else ""], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out += [html.escape(text[pos:end]), "…" if end < len(text) else ""]
    # right-to-left text is isolated, so that it reads in its order next to the ref and labels
    return f'<bdi dir="auto">{"".join(out)}</bdi>' if has_rtl(text[start:end]) else "".join(out)


def _window(text: str, spans, width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, min(first - BEFORE, len(text) - width))
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    return start, end


def marked_words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The distinct marked strings, in order (the ``hl`` of the reading-view link)."""
    return list(dict.fromkeys(text[s:e] for s, e in spans))


def as_text(snippet_html: str) -> str:
    """A snippet as plain text for a terminal, the marked words between [ ].

    >>> as_text('<mark>Selters</mark> &amp; Molotovs')
    '[Selters] & Molotovs'
    """
    plain = re.sub(r'</?bdi[^>]*>', "", snippet_html)
    return html.unescape(re.sub(r"</?mark>", lambda m: "]" if m[0][1] == "/" else "[", plain))
