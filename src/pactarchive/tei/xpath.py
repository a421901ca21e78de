"""Evaluate the XPaths TEI files declare (citeStructure/@match, @use, cRefPattern) safely.

TEI writes these paths without namespace prefixes (``/TEI/text/body/div``) meaning TEI
elements; lxml needs prefixes, so unprefixed element names are rewritten to ``tei:``.
"""

from __future__ import annotations

import re

from lxml import etree

from . import NS, local

_TOKEN = re.compile(
    r"""('[^']*'|"[^"]*")"""            # string literal
    r"""|(\d+(?:\.\d+)?)"""               # number
    r"""|([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)"""  # name (maybe prefixed)
    r"""|(::|//|!=|<=|>=|\S)"""          # operators and punctuation
    r"""|(\s+)"""
)
_OPERATORS = {"and", "or", "div", "mod"}
_ENDS_OPERAND = {")", "]", ".", "*", ".."}


def tei_xpath(expr: str) -> str:
    """Prefix unprefixed element names with ``tei:``.

    >>> tei_xpath("/TEI/text/body/div[@type='section']")
    "/tei:TEI/tei:text/tei:body/tei:div[@type='section']"
    >>> tei_xpath("p | ab")
    'tei:p | tei:ab'
    """
    tokens = [m.group(0) for m in _TOKEN.finditer(expr)]
    sig = [i for i, t in enumerate(tokens) if not t.isspace()]
    out = list(tokens)
    for pos, i in enumerate(sig):
        tok = tokens[i]
        if not re.match(r"[A-Za-z_]", tok) or ":" in tok:
            continue
        prev = tokens[sig[pos - 1]] if pos else ""
        nxt = tokens[sig[pos + 1]] if pos + 1 < len(sig) else ""
        if nxt in ("(", "::") or prev == "@":
            continue
        if prev == "::" and pos >= 2 and tokens[sig[pos - 2]] == "attribute":
            continue
        ends_operand = prev in _ENDS_OPERAND or (prev and (prev[0] in "'\"" or prev[0].isdigit()
                                                             or re.match(r"[A-Za-z_]", prev)))
        if tok in _OPERATORS and ends_operand:
            continue
        out[i] = "tei:" + tok
    return "".join(out)


def select(context, expr: str) -> list:
    """Elements matched by a TEI XPath ``expr`` from ``context``.

    An absolute path is evaluated from the enclosing ``TEI`` element, so that documents inside
    a ``teiCorpus`` answer ``/TEI/text/body`` as they would on their own.
    Raises etree.XPathError for an expression that is not XPath.
    """
    path = tei_xpath(expr.strip())
    if path.startswith("/tei:TEI"):
        tei_el = context if local(context) == "TEI" else next(
            (a for a in context.iterancestors() if local(a) == "TEI"), context)
        return [n for n in tei_el.xpath("self::tei:TEI" + path[len("/tei:TEI"):], namespaces=NS)
                if isinstance(n, etree._Element)]
    if path.startswith("//"):
        path = "." + path
    result = context.xpath(path, namespaces=NS)
    return [n for n in result if isinstance(n, etree._Element)] if isinstance(result, list) else []


def value(context, expr: str) -> str:
    """String value of a TEI XPath ``expr`` (e.g. ``@n``) evaluated on ``context``."""
    return str(context.xpath(f"string({tei_xpath(expr.strip())})", namespaces=NS)).strip()
