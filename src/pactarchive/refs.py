"""The passage-ref grammar, one for every document:

    ref   := DOC ":" PATH | DOC ":" PATH "-" PATH
    DOC   := the document id (no colon, no slash, no white space)
    PATH  := LEVEL ("." LEVEL)*   e.g. "2.3.1" = section 2, paragraph 3, sentence 1
             | an xml:id of a passage element (an alias)

``lv:2.3.1`` is one sentence; ``lv:2.3.1-2.3.4`` the sentences 1 to 4 of that paragraph;
``hen:1.2`` a whole paragraph. A PATH is first looked up whole, so an xml:id alias containing
``-`` still resolves; otherwise a ``-`` separates the start and end of a range.
"""

from __future__ import annotations

import re

from .errors import RefError, UnknownPassage

_DOC = re.compile(r"^[^:/\s]+$")


def format_ref(doc_id: str, path: str) -> str:
    return f"{doc_id}:{path}"


def split(ref: str) -> tuple[str, str]:
    """``("lv", "2.3.1")`` from ``"lv:2.3.1"``. Raises RefError for a malformed ref.

    >>> split("lv:2.3.1-2.3.4")
    ('lv', '2.3.1-2.3.4')
    """
    doc_id, sep, path = ref.strip().partition(":")
    if not sep or not _DOC.match(doc_id) or not path or any(c.isspace() for c in path):
        raise RefError(f"'{ref}' is not a passage ref; refs look like DOC:PATH (e.g. lv:2.3.1) "
                       f"or DOC:START-END (e.g. lv:2.3.1-2.3.4)")
    return doc_id, path


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
