"""Quantities and dates as the index stores them and as queries name them (pure Python).

Quantities are normalised numbers: "25 000", "25,000" and ``measure/@quantity="25000"`` all
become ``"25000"``. Dates are ISO 8601 strings at day, month or year precision; a date is
indexed under each of its days (for exact search and the range filter), its months and years.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from ..errors import QueryError

# A number as readers and texts write it: 25000, 25 000 (also with no-break or thin spaces),
# 25,000, 2.5. Grouped digits need groups of exactly three.
NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?!\d)|\d+(?:\.\d+)?(?![\d])")
# In running text: not glued to letters, times (21.00), ISO dates (1939-09-28) or other digits.
_TEXT_NUMBER = re.compile(r"(?<![\w.,:\-])(?:\d{1,3}(?:[ \u00a0\u202f,]\d{3})+|\d+)(?![\w,]|[.:\-]\d)")
_ORDINAL_AFTER = re.compile(r"\.\s+(\w)")  # Latvian ordinals: "28. septembrī", "1939. gada"
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MAX_SPAN_DAYS = 31  # longer spans are left to the month and year keys


def normalise_number(text: str) -> str | None:
    """The canonical form of a number, or None when ``text`` is not one.

    >>> [normalise_number(s) for s in ("25000", "25 000", "25,000", "2.50", "1939", "x")]
    ['25000', '25000', '25000', '2.5', '1939', None]
    """
    text = text.strip()
    if not NUMBER.fullmatch(text):
        return None
    try:
        value = Decimal(re.sub(r"[ \u00a0\u202f,]", "", text))
    except InvalidOperation:
        return None
    return format(value.normalize(), "f")


def numbers_in(text: str) -> list[tuple[str, str]]:
    """``(value, surface)`` of every cardinal number written in digits in running text;
    ordinals ("28. septembrī"), times ("21.00") and ISO dates are left out.

    >>> numbers_in("ar 25 000 kareivju 1939. gada 28. septembrī 21.00, 30,000 troops; 500.")
    [('25000', '25 000'), ('30000', '30,000'), ('500', '500')]
    """
    out = []
    for m in _TEXT_NUMBER.finditer(text):
        after = _ORDINAL_AFTER.match(text, m.end())
        if after and after[1].islower():
            continue
        value = normalise_number(m.group())
        if value:
            out.append((value, m.group()))
    return out


def parse_iso(text: str, end: bool = False) -> date:
    """The first (or with ``end`` the last) day of an ISO date at day, month or year
    precision; a time part is ignored. Raises ValueError for anything else."""
    m = ISO_DATE.match(text.strip().split("T")[0])
    if not m:
        raise ValueError(f"not an ISO date: {text!r}")
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
    last = calendar.monthrange(year, month)[1]
    return date(year, month, int(day) if day else (last if end else 1))


def date_keys(start: str, end: str | None = None) -> tuple[set[str], list[str]]:
    """Keyword keys and days (ISO, for the range filter) of a date or span, as indexed.
    Raises ValueError for a malformed date.

    Keys: every day of a day-precise date or span of up to a month, the months of a date or
    span of up to a year given at least to the month, the years. Days (for the range filter) only for spans of up to a month, so a
    passage dated just "1939" does not turn up for every range within 1939 (``date:1939``
    finds it).

    >>> keys, days = date_keys("1939-09-24T21:00")
    >>> sorted(keys), days
    (['1939', '1939-09', '1939-09-24'], ['1939-09-24'])
    >>> sorted(date_keys("1939-09-30", "1939-10-01")[0])
    ['1939', '1939-09', '1939-09-30', '1939-10', '1939-10-01']
    >>> date_keys("1939")
    ({'1939'}, [])
    """
    first, last = parse_iso(start), parse_iso(end or start, end=True)
    if last < first:
        first, last = last, first
    span = (last - first).days + 1
    days = [first + timedelta(n) for n in range(span)] if span <= MAX_SPAN_DAYS else []
    precision = min(len(d.split("T")[0]) for d in (start, end or start))  # 4, 7 or 10
    keys = {d.isoformat() for d in days} if precision == 10 else set()
    if span <= 366 and precision >= 7:
        keys |= {f"{d.year}-{d.month:02d}" for d in (first + timedelta(n) for n in range(span))}
    keys |= {str(y) for y in range(first.year, min(last.year, first.year + 50) + 1)}
    return keys, [d.isoformat() for d in days]


def day_bound(text: str, end: bool = False) -> str:
    """The first (``end``: last) day, as YYYY-MM-DD, of an ISO date given in a query or a
    from/to parameter. ISO days sort as they follow in time, so a range of them is a range of
    keywords. Raises QueryError.

    >>> day_bound("1939-09"), day_bound("1939-09", end=True), day_bound("1940", end=True)
    ('1939-09-01', '1939-09-30', '1940-12-31')
    """
    try:
        return parse_iso(text, end).isoformat()
    except ValueError:
        raise QueryError(f"'{text}' is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD "
                         "(e.g. 1939-09-28)") from None
