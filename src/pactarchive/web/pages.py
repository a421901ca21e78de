"""Reading pages: home, about, one document. (The parallel view /read is in reading.py.)
Each page renders the dict its JSON twin returns (see data.py) and links to it."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from markupsafe import Markup

from .. import render
from ..errors import RefError
from ..render.entities import language_name
from ..render.parallel import pair_with
from . import cards, corpus, data, paging
from ..errors import PactArchiveError
from .i18n import ui_lang
from .reading import options, render_language, words
from .window import DEFAULT_WINDOW, Window, top_of

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    c = corpus()
    page, size = paging.params()
    found, total = data.documents(c, page, size)
    docs = [dict(d, language=language_name(d["lang"]), read=_read_url(c, d["id"])) for d in found]
    return render_template("home.html", documents=docs, pages=paging.nav("pages.home", page, size, total), total=total,
                           json_url=url_for("api.documents", page=page if page > 1 else None))


@bp.get("/about")
def about():
    """The editorial principles and the sources: one page (``?page=``, ``?size=``) of the
    documents' sources, as the home page lists documents."""
    c = corpus()
    page, size = paging.params()
    found, total = c.documents_page(page, size)
    sources = [{"id": d.id, "title": d.title, "lang": d.lang, "source": d.metadata.get("source", []),
                "url": url_for("pages.document", doc_id=d.id)} for d in found]
    return render_template("about.html", sources=sources, total=total,
                           pages=paging.nav("pages.about", page, size, total, anchor="#sources"))


@bp.get("/documents/<doc_id>")
def document(doc_id):
    c = corpus()
    d = data.document(c, doc_id)
    doc = c.parsed(doc_id)  # the page renders the TEI tree: this one file is parsed (and cached)
    links = render.Links(root=request.script_root, shown=(doc.id,))
    at = (request.args.get("at") or "").strip() or None  # a deep link: mark the words asked for
    try:
        targets = tuple(loc.ref for loc in c.resolve(at)) if at else ()
    except RefError:
        targets = ()
    ctx = render.Context(doc, c, links, side=doc.id, target=targets, words=tuple(words(request.args)),
                         **render_language())
    part = _part(c, doc_id)
    if part is None:
        body = Markup(render.render_text(doc, ctx))
    else:  # a long document: one top-level division per page (as in /read, window.py)
        body = Markup(render.render_fragment(doc.passage(part.path).element, ctx))
    toc = render.toc(doc, render.Context(doc, c, links, side=doc.id + "-toc"))
    nav = None
    if part is not None:
        nav = _link_parts(toc, part, doc_id)
    return render_template("document.html", doc=d, body=body, toc=toc, opts=options(request.args),
                           language=language_name(doc.lang), read_url=_read_url(c, doc.id), part=nav,
                           names=cards.name_index(c, list(ctx.mentioned), links.shown, ui_lang()), json_url=d["api"])


def _part(c, doc_id: str):
    """The top-level division a long document's page shows (the one holding ``?at=``, else the
    first), or None to show the whole document."""
    stored = c.document(doc_id)
    if stored.leaf_count <= current_app.config.get("READ_WINDOW", DEFAULT_WINDOW) or len(stored.passages) < 2:
        return None
    at = (request.args.get("at") or "").strip().lstrip("#")
    try:
        targets = [loc.ref for loc in c.resolve(at)] if at and at.startswith(doc_id + ":") else []
    except PactArchiveError:
        targets = []
    return Window(stored, [top_of(c, stored, targets)]).parts[0]


def _link_parts(toc: list[dict], part, doc_id: str) -> dict:
    """Contents entries outside the shown division link to the page of their division; returns
    the navigation to the previous and next division."""
    def mark(entries, top):
        for e in entries:
            e["href"] = url_for("pages.document", doc_id=doc_id, at=top) + "#" + e["ref"]
            mark(e.get("children", []), top)
    for t in toc:
        if t["ref"] != part.ref:
            mark([t], t["ref"])
    w = Window(part.edition.document(doc_id), [part])

    def url(ref):
        return url_for("pages.document", doc_id=doc_id, at=ref) + "#" + ref if ref else None
    return {"ref": part.ref, "prev": w.prev, "next": w.next, "prev_url": url(w.prev), "next_url": url(w.next)}


def _read_url(c, doc_id: str) -> str | None:
    left, right = pair_with(c, doc_id)
    return url_for("reading.read", left=left, right=right) if left and right else None
