"""Whole numbers from URLs and command lines, read strictly.

Python's ``int()`` accepts far more than a reader types as a page number: ``int("٣")`` is 3
(Arabic-Indic digits), ``int("1_0")`` is 10 (PEP 515 underscores), ``int(" 7 ")`` is 7 and
``int("+5")`` is 5. A URL parameter such as ``page`` or ``size`` takes ASCII digits only, so that
one number has one spelling (and one cache key).
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,9}")


def whole_number(value: object, name: str) -> int:
    """``value`` (an int, or a string of 1-9 ASCII digits) as an int. Raises ValueError with a
    message naming the parameter ``name`` for anything else.

    >>> whole_number("12", "page")
    12
    >>> whole_number("1_0", "page")
    Traceback (most recent call last):
    ValueError: page takes whole numbers written with the digits 0-9 (got '1_0')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    raise ValueError(f"{name} takes whole numbers written with the digits 0-9 (got {value!r})")
