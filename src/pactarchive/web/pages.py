"""Reading pages: home, about, one document. (The parallel view /read is in reading.py.)
Each page renders the dict its JSON twin returns (see data.py) and links to it."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup

from .. import render
from ..errors import RefError
from ..render.entities import language_name
from ..render.parallel import pair_with
from . import cards, corpus, data, paging
from .reading import options, words

bp = Blueprint("pages", __name__)


@bp.get("/")
def home():
    c = corpus()
    page, size = paging.params()
    found, total = data.documents(c, page, size)
    docs = [dict(d, language=language_name(d["lang"]), read=_read_url(c, d["id"])) for d in found]
    more = {rel: url_for("pages.home", page=n, size=size if size != paging.DEFAULT_SIZE else None)
            for rel, n in (("prev", page - 1 if page > 1 else None), ("next", page + 1 if page * size < total else None)) if n}
    return render_template("home.html", documents=docs, pages=more, total=total,
                           json_url=url_for("api.documents", page=page if page > 1 else None))


@bp.get("/about")
def about():
    c = corpus()
    sources = [{"id": d.id, "title": d.title, "lang": d.lang, "source": d.metadata.get("source", []),
                "url": url_for("pages.document", doc_id=d.id)} for d in c.documents.values()]
    return render_template("about.html", sources=sources)


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
    ctx = render.Context(doc, c, links, side=doc.id, target=targets, words=tuple(words(request.args)))
    body = Markup(render.render_text(doc, ctx))
    toc = render.toc(doc, render.Context(doc, c, links, side=doc.id + "-toc"))
    return render_template("document.html", doc=d, body=body, toc=toc, opts=options(request.args),
                           language=language_name(doc.lang), read_url=_read_url(c, doc.id),
                           cards=cards.page_cards(c, list(ctx.mentioned), links.shown, links), json_url=d["api"])


def _read_url(c, doc_id: str) -> str | None:
    left, right = pair_with(c, doc_id)
    return url_for("reading.read", left=left, right=right) if left and right else None
