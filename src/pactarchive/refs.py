"""The passage-ref grammar, one for every document:

    ref   := DOC ":" PATH | DOC ":" PATH "-" PATH
    DOC   := the document id (no colon, no slash, no white space)
    PATH  := LEVEL ("." LEVEL)*   e.g. "2.3.1" = section 2, paragraph 3, sentence 1
             | an xml:id of a passage element (an alias)
    LEVEL := one or more characters other than ".", ":", "-" at either end, white space
             or control characters

``lv:2.3.1`` is one sentence; ``lv:2.3.1-2.3.4`` the sentences 1 to 4 of that paragraph;
``hen:1.2`` a whole paragraph. A PATH is first looked up whole, so an xml:id alias containing
``-`` still resolves; otherwise a ``-`` separates the start and end of a range.

A string that breaks this grammar (``lv:``, ``lv:1.1-``, ``:1``, ``lv:1..2``, white space
anywhere) raises MalformedRef, which the web answers with 400 and ``GRAMMAR``; a well-formed ref
that names no passage raises UnknownDocument or UnknownPassage (404).
"""

from __future__ import annotations

import re

from .errors import MalformedRef, UnknownPassage

GRAMMAR = ("refs look like DOC:PATH (e.g. lv:2.3.1, levels joined by dots, or an xml:id) "
           "or DOC:START-END (e.g. lv:2.3.1-2.3.4), without spaces")
_BAD_CHAR = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_DOC = re.compile(r"^[^:/]+$")


def format_ref(doc_id: str, path: str) -> str:
    return f"{doc_id}:{path}"


def split(ref: str) -> tuple[str, str]:
    """``("lv", "2.3.1")`` from ``"lv:2.3.1"``. Raises MalformedRef (a RefError) when ``ref``
    breaks the grammar above; the message quotes the ref and states the grammar.

    >>> split("lv:2.3.1-2.3.4")
    ('lv', '2.3.1-2.3.4')
    >>> split("lv:1.1-")
    Traceback (most recent call last):
    pactarchive.errors.MalformedRef: 'lv:1.1-' is not a passage ref: the range has no end; refs look like DOC:PATH (e.g. lv:2.3.1, levels joined by dots, or an xml:id) or DOC:START-END (e.g. lv:2.3.1-2.3.4), without spaces
    """
    problem = _problem(ref)
    if problem:
        raise MalformedRef(f"{ref!r} is not a passage ref: {problem}; {GRAMMAR}")
    doc_id, _, path = ref.partition(":")
    return doc_id, path


def _problem(ref: str) -> str | None:
    """What is wrong with ``ref`` by the grammar, or None."""
    doc_id, sep, path = ref.partition(":")
    if _BAD_CHAR.search(ref):
        return "it contains white space or a control character"
    if not sep:
        return "there is no ':' between the document id and the passage"
    if not doc_id or not _DOC.match(doc_id):
        return "the document id before ':' is missing or contains '/'"
    if not path:
        return "the passage after ':' is missing"
    if ":" in path:
        return "there is more than one ':'"
    if path.startswith("-") or path.endswith("-"):
        return "the range has no " + ("start" if path.startswith("-") else "end")
    if path.startswith(".") or path.endswith(".") or ".." in path:
        return "a level between dots is empty"
    return None


def select(doc, path: str) -> list:
    """The passages of ``doc`` a PATH names (a single passage or a range).
    Raises UnknownPassage."""
    if doc.has_passage(path):
        return [doc.passage(path)]
    for m in re.finditer("-", path):
        start, end = path[:m.start()], path[m.end():]
        if doc.has_passage(start) and doc.has_passage(end):
            return doc.range(start, end)
    raise UnknownPassage(f"document '{doc.id}' has no passage '{path}'")
