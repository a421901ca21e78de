"""Data builders: each returns the plain dict one view shows. The same dict is the JSON twin
of the HTML page (Datasette's pattern), so the two can never disagree."""

from __future__ import annotations

from flask import url_for

from .. import refs
from ..store import Edition
from ..tei.document import Located
from . import changes


def document_summary(doc) -> dict:
    """The summary of a ``store.StoredDocument`` that lists show."""
    return {"id": doc.id, "title": doc.title, "lang": doc.lang,
            "passages": doc.leaf_count, "citation_method": doc.structure.method,
            "url": url_for("pages.document", doc_id=doc.id), "api": url_for("api.document", doc_id=doc.id),
            "tei": url_for("api.tei_source", doc_id=doc.id)}


def documents(corpus: Edition, page: int = 1, size: int | None = None) -> tuple[list[dict], int]:
    """One page of document summaries (all of them without ``size``) and how many there are."""
    if size is None:
        docs = [corpus.document(d) for d in corpus.documents]
        return [document_summary(d) for d in docs], len(docs)
    docs, total = corpus.documents_page(page, size)
    return [document_summary(d) for d in docs], total


def document(corpus: Edition, doc_id: str, page: int = 1, size: int | None = None) -> dict:
    """The document with every finest passage (or one page of ``size`` of them; the caller
    then pops ``passages_total`` into a header). Raises UnknownDocument."""
    doc = corpus.document(doc_id)
    data = document_summary(doc)
    data["metadata"] = doc.metadata
    data["toc"] = toc(corpus, doc.id)
    if size is None:
        leaves, aligned = doc.leaves(), corpus.aligned_map(doc.id)
    else:
        leaves = corpus.passages_where("doc = ? AND is_leaf = 1 ORDER BY position LIMIT ? OFFSET ?",
                                       (doc.id, size, (page - 1) * size))
        aligned = {p.ref: corpus.aligned(p.ref) for p in leaves}
    data["passages"] = [{"ref": p.ref, "text": p.text(), "aligned": aligned.get(p.ref, [])} for p in leaves]
    if size is not None:
        data["passages_total"] = doc.leaf_count
    return data


def toc(corpus: Edition, doc_id: str) -> list[dict]:
    """The top-level passages and every passage with children below them, nested:
    ``{"ref", "unit", "label" (its heading, else unit and path), "children"?}``."""
    entries: dict[str, dict] = {}
    top = []
    for p in corpus.passages_where("doc = ? AND (depth = 0 OR is_leaf = 0) ORDER BY position", (doc_id,)):
        entry = entries[p.ref] = {"ref": p.ref, "unit": p.unit, "label": p.heading if p.heading is not None else f"{p.unit} {p.path}"}
        parent = entries.get(p.parent_ref)
        if p.depth == 0:
            top.append(entry)
        elif parent is not None and not p.is_leaf:
            parent.setdefault("children", []).append(entry)
    return top


def brief(corpus: Edition, ref: str) -> dict:
    loc = corpus.resolve(ref)[0]
    return {"ref": ref, "doc": loc.doc.id, "lang": loc.doc.lang, "text": loc.passage.text(),
            "url": url_for("citing.passage", ref=ref)}


def passage(corpus: Edition, ref: str) -> dict:
    """One passage or a range. Raises RefError (404)."""
    located = corpus.resolve(ref)
    first: Located = located[0]
    doc = first.doc
    own = [loc.ref for loc in located]
    aligned = list(dict.fromkeys(a for r in own for a in corpus.aligned_within(r)))
    data = {
        "ref": ref, "doc": doc.id, "lang": doc.lang, "title": doc.title,
        "unit": first.passage.unit, "is_range": len(located) > 1 or ref != first.ref,
        "text": " ".join(loc.passage.text() for loc in located),
        "text_diplomatic": " ".join(loc.passage.text("diplomatic") for loc in located),
        "url": url_for("citing.passage", ref=ref),
        "aligned": [brief(corpus, a) for a in aligned],
        "notes": [n.to_dict() for r in own for n in corpus.notes_for(r)],
        "changes": changes.marks_for(corpus, own),
        "entities": [corpus.entities[e].to_dict()
                     for e in dict.fromkeys(e for r in own for e in corpus.entities_in(r))],
    }
    if len(located) > 1:
        data["passages"] = [{"ref": loc.ref, "text": loc.passage.text()} for loc in located]
    else:
        p = first.passage
        prev, nxt = doc.neighbours(p)
        data["xml_id"] = p.xml_id
        data["parent"] = p.parent_ref
        data["children"] = [c.ref for c in p.children]
        data["prev"] = refs.format_ref(doc.id, prev.path) if prev else None
        data["next"] = refs.format_ref(doc.id, nxt.path) if nxt else None
    from .citing import citation  # citing.py imports this module
    data["citation"] = citation(located, ref)
    return data
