"""Data builders: each returns the plain dict one view shows. The same dict is the JSON twin
of the HTML page (Datasette's pattern), so the two can never disagree."""

from __future__ import annotations

from flask import url_for

from .. import refs
from ..corpus import Corpus, Located
from ..tei.text import plain_text
from . import changes


def document_summary(doc) -> dict:
    return {"id": doc.id, "title": doc.title, "lang": doc.lang,
            "passages": len(doc.leaves()), "citation_method": doc.structure.method,
            "url": url_for("pages.document", doc_id=doc.id), "api": url_for("api.document", doc_id=doc.id),
            "tei": url_for("api.tei_source", doc_id=doc.id)}


def documents(corpus: Corpus) -> list[dict]:
    return [document_summary(d) for d in corpus.documents.values()]


def document(corpus: Corpus, doc_id: str) -> dict:
    """Raises UnknownDocument."""
    doc = corpus.document(doc_id)
    data = document_summary(doc)
    data["metadata"] = doc.metadata
    data["toc"] = [_toc(p, doc.id) for p in doc.passages]
    data["passages"] = [{"ref": refs.format_ref(doc.id, p.path), "text": p.text(),
                         "aligned": corpus.aligned(refs.format_ref(doc.id, p.path))} for p in doc.leaves()]
    return data


def _toc(p, doc_id: str) -> dict:
    head = p.element.find("{http://www.tei-c.org/ns/1.0}head")
    entry = {"ref": refs.format_ref(doc_id, p.path), "unit": p.unit,
             "label": plain_text(head) if head is not None else f"{p.unit} {p.path}"}
    kids = [_toc(c, doc_id) for c in p.children if c.children]
    if kids:
        entry["children"] = kids
    return entry


def brief(corpus: Corpus, ref: str) -> dict:
    loc = corpus.resolve(ref)[0]
    return {"ref": ref, "doc": loc.doc.id, "lang": loc.doc.lang, "text": loc.passage.text(),
            "url": url_for("citing.passage", ref=ref)}


def passage(corpus: Corpus, ref: str) -> dict:
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
        data["parent"] = refs.format_ref(doc.id, p.parent.path) if p.parent else None
        data["children"] = [refs.format_ref(doc.id, c.path) for c in p.children]
        data["prev"] = refs.format_ref(doc.id, prev.path) if prev else None
        data["next"] = refs.format_ref(doc.id, nxt.path) if nxt else None
    from .citing import citation  # citing.py imports this module
    data["citation"] = citation(located, ref)
    return data
