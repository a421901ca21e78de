"""Query text -> tokens: words (with wildcards, fuzzy ~, grouped numbers such as "25 000"),
"phrases", field:value filters, parentheses and the operators AND, OR, NOT. Raises QueryError
with a message saying how to fix what it cannot read."""

from __future__ import annotations

import re
import unicodedata

from ..errors import QueryError
from .tree import Field, Phrase, Word

MAX_LENGTH = 500
FIELDS = ("lang", "doc", "person", "place", "date")
OPERATORS = ("AND", "OR", "NOT")
QUOTES = '"“”„«»'
_STOP_CHARS = set(QUOTES) | {"(", ")"}
_FIELD = re.compile(r"([A-Za-z]+):")
_GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?=[\s()]|$)")
_FUZZY = re.compile(r"(.*?)~([12]?)")
_WILD = set("*?")


def clean(q: str | None) -> str:
    """``q`` with tabs and line breaks as spaces and invisible format characters removed.
    Raises QueryError for an empty or over-long query or one with control characters."""
    q = re.sub(r"[\t\r\n]", " ", q or "")
    bad = next((c for c in q if unicodedata.category(c) in ("Cc", "Cs")), None)
    if bad is not None:
        raise QueryError(f"the query contains a control character (U+{ord(bad):04X}); remove it and search again")
    q = "".join(c for c in q if unicodedata.category(c) != "Cf").strip()
    if not q:
        raise QueryError("type one or more words to search for")
    if len(q) > MAX_LENGTH:
        raise QueryError(f"the query is {len(q)} characters long; at most {MAX_LENGTH} are allowed")
    return q


def lex(q: str) -> list[tuple[str, object]]:
    """``(kind, value)`` tokens: "(", ")", AND, OR, NOT, WORD, PHRASE, FIELD."""
    out: list[tuple[str, object]] = []
    i = 0
    while i < len(q):
        c = q[i]
        if c.isspace():
            i += 1
        elif c in "()":
            out.append((c, i))
            i += 1
        elif c in QUOTES:
            phrase, i = _phrase(q, i)
            out.append(("PHRASE", phrase))
        elif (m := _FIELD.match(q, i)) and (i == 0 or not q[i - 1].isalnum()):
            value, i = _field_value(q, m)
            out.append(("FIELD", Field(m[1].lower(), value)))
        else:
            word, i = _word(q, i)
            out.append((word.text, word) if word.text in OPERATORS else ("WORD", word))
    return out


def _phrase(q: str, i: int) -> tuple[Phrase, int]:
    end = next((j for j in range(i + 1, len(q)) if q[j] in QUOTES), None)
    if end is None:
        raise QueryError("a quotation mark is not closed: put another \" at the end of the phrase")
    if not q[i + 1:end].strip():
        raise QueryError("the quotation marks are empty: put the words of the phrase between them")
    return Phrase(q[i + 1:end].strip(), i, end + 1), end + 1


def _field_value(q: str, m) -> tuple[Word | Phrase, int]:
    name, i = m[1].lower(), m.end()
    if name not in FIELDS:
        raise QueryError(f"unknown field '{m[1]}:'; the fields are " + ", ".join(f + ":" for f in FIELDS)
                         + f' (to search for the word itself, put it in quotes: "{m[0]}")')
    if i >= len(q) or q[i].isspace() or q[i] in "()":
        raise QueryError(f"'{m[0]}' needs a value right after the colon, e.g. {_EXAMPLES[name]}")
    if q[i] in QUOTES:
        return _phrase(q, i)
    word, end = _word(q, i)
    return word, end


_EXAMPLES = {"lang": "lang:lv", "doc": "doc:hen", "person": "person:Molotov", "place": "place:Tallinn",
             "date": "date:1939-09-28"}


def _word(q: str, i: int) -> tuple[Word, int]:
    if m := _GROUPED.match(q, i):
        return Word(m[0], i, m.end()), m.end()
    j = i
    while j < len(q) and not q[j].isspace() and q[j] not in _STOP_CHARS:
        j += 1
    return _checked_word(q[i:j], i, j), j


def _checked_word(text: str, start: int, end: int) -> Word:
    fuzzy = None
    if "~" in text:
        m = _FUZZY.fullmatch(text)
        if not m or not m[1] or "~" in m[1]:
            raise QueryError(f"'{text}': put ~ right after a word for a fuzzy search, e.g. Molotow~ "
                             "(or Molotow~2 to allow two different letters)")
        text, fuzzy = m[1], int(m[2] or 1)
    literal = [c for c in text if c.isalnum()]
    if _WILD & set(text):
        if fuzzy:
            raise QueryError(f"'{text}~': a word can have wildcards or ~, not both")
        if len(literal) < 2:
            raise QueryError(f"'{text}': a wildcard needs at least two letters with it, e.g. okupāc* or Sel?ers")
    return Word(text, start, end, fuzzy)
