"""The parallel view's structure: which two documents to show, and how their finest passages
pair up through the alignment (``Corpus.aligned``)."""

from __future__ import annotations

from collections import Counter

from .. import refs
from ..errors import QueryError

DEFAULT_PAIR = ("hen", "lv")  # the English article left, the Latvian article right


def choose_pair(corpus, left: str | None = None, right: str | None = None,
                at: str | None = None) -> tuple[str | None, str | None]:
    """The documents to show side by side. Explicit choices win; ``at`` (a ref) makes sure its
    document is one of the two. Raises UnknownDocument for an unknown id, RefError for a bad
    ``at``, QueryError when the same document is asked for on both sides."""
    for doc_id in (left, right):
        if doc_id:
            corpus.document(doc_id)
    at_doc = corpus.resolve(at)[0].doc.id if at else None
    if at_doc and at_doc not in (left, right):
        left, right = _place(corpus, at_doc, left, right)
    if left and left == right:
        raise QueryError(f"'{left}' is chosen on both sides: choose two different documents")
    left = left or _default(corpus, 0, avoid=right)
    right = right or _default(corpus, 1, avoid=left)
    return left, right


def _place(corpus, at_doc: str, left, right):
    if left and right:  # replace the side in the same language, else the right one
        return (at_doc, right) if corpus.documents[left].lang == corpus.documents[at_doc].lang else (left, at_doc)
    if left or right:
        return (left, at_doc) if left else (at_doc, right)
    return pair_with(corpus, at_doc)


def pair_with(corpus, doc_id: str) -> tuple[str | None, str | None]:
    """The default pair when it contains ``doc_id``; else ``doc_id`` and the document most
    aligned with it, the Latvian one on the right."""
    if doc_id in DEFAULT_PAIR and all(d in corpus.documents for d in DEFAULT_PAIR):
        return DEFAULT_PAIR
    at_doc, partner = doc_id, partner_of(corpus, doc_id)
    return (partner, at_doc) if corpus.documents[at_doc].lang == "lv" else (at_doc, partner)


def partner_of(corpus, doc_id: str) -> str | None:
    """The document most aligned with ``doc_id`` (else another default document)."""
    counted = getattr(corpus, "aligned_counts", None)  # the edition store: one GROUP BY query
    if counted is not None:
        counts = Counter(dict(counted(doc_id)))
    else:
        counts = Counter(r.split(":", 1)[0] for p in corpus.documents[doc_id].leaves()
                         for r in corpus.aligned(refs.format_ref(doc_id, p.path)))
    if counts:
        return counts.most_common(1)[0][0]
    return _default(corpus, 1 if doc_id == DEFAULT_PAIR[0] else 0, avoid=doc_id)


def _default(corpus, side: int, avoid: str | None) -> str | None:
    wanted = DEFAULT_PAIR[side]
    if wanted in corpus.documents and wanted != avoid:
        return wanted
    return next((d for d in corpus.documents if d != avoid and d not in DEFAULT_PAIR), None) \
        or next((d for d in corpus.documents if d != avoid), None)


def rows(corpus, left: str, right: str) -> list[dict]:
    """The two documents' finest passages as rows ``{"left": [refs], "right": [refs]}`` in the
    left document's reading order: each row is a group of passages aligned with each other (a
    connected component of the alignment); runs of passages without counterpart form rows of
    their own, placed after the row of the passage that precedes them."""
    lrefs = [refs.format_ref(left, p.path) for p in corpus.documents[left].leaves()]
    rrefs = [refs.format_ref(right, p.path) for p in corpus.documents[right].leaves()]
    group = _components(corpus, lrefs, set(rrefs), right)
    out, row_of = [], {}
    for ref in lrefs:
        key = group.get(ref)
        if key is None:
            _append_loose(out, "left", ref)
        elif key not in row_of:
            row_of[key] = len(out)
            out.append({"left": [r for r in lrefs if group.get(r) == key],
                        "right": [r for r in rrefs if group.get(r) == key]})
    return _insert_unaligned(out, rrefs, group, row_of)


def _components(corpus, lrefs, rset, right) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x
    for ref in lrefs:
        for other in corpus.aligned(ref):
            if other in rset:
                parent[find(ref)] = find(other)
    return {ref: find(ref) for ref in parent}


def _append_loose(out: list, side: str, ref: str) -> None:
    other = "right" if side == "left" else "left"
    if out and out[-1].get("loose") == side:
        out[-1][side].append(ref)
    else:
        out.append({side: [ref], other: [], "loose": side})


def _insert_unaligned(out: list, rrefs: list, group: dict, row_of: dict) -> list:
    at, pending = 0, []
    for ref in rrefs + [None]:
        if ref is not None and ref not in group:
            pending.append(ref)
            continue
        if pending:
            out.insert(at, {"left": [], "right": pending, "loose": "right"})
            row_of = {k: (i + 1 if i >= at else i) for k, i in row_of.items()}
            at, pending = at + 1, []
        if ref is not None:
            at = max(at, row_of[group[ref]] + 1)
    for row in out:
        row.pop("loose", None)
    return out
