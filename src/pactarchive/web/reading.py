"""The parallel reading view: /read (HTML) and its JSON twin /api/read.

Query parameters (all optional): ``left``, ``right`` (document ids; default the English
article left, the Latvian right), ``at`` (a ref to open at and highlight), ``hl`` (words to
mark in that passage), ``reading`` (``edited``|``received``), ``names`` (``on``|``off``),
``show`` (``both``|``left``|``right``). See docs/reading.md.
"""

from __future__ import annotations

import re

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup

from .. import render
from ..tei.document import Located
from ..errors import QueryError, RefError
from ..render.entities import language_name
from ..render.parallel import choose_pair, rows
from . import cards, corpus, data, paging

bp = Blueprint("reading", __name__)
OPTIONS = {"reading": ("edited", "received"), "names": ("on", "off"), "show": ("both", "left", "right")}
MAX_WORDS = 12


def options(args) -> dict:
    """The display options; an unknown value falls back to the default (the first)."""
    return {k: args.get(k) if args.get(k) in values else values[0] for k, values in OPTIONS.items()}


def words(args) -> list[str]:
    return [w for w in re.split(r"[\s,]+", args.get("hl", ""))[:MAX_WORDS] if 0 < len(w) <= 60]


def read_data(c, args) -> dict:
    """The dict both /read and /api/read show. Raises UnknownDocument, RefError, QueryError."""
    at = (args.get("at") or "").strip().lstrip("#") or None
    left, right = choose_pair(c, args.get("left") or None, args.get("right") or None, at)
    if left is None or right is None:
        raise QueryError("the reading view needs two documents; this archive has fewer")
    targets = [loc.ref for loc in c.resolve(at)] if at else []
    texts = {loc.ref: loc.passage.text() for d in (left, right) for loc in _leaves(c, d)}
    return {
        "left": data.document_summary(c.document(left)), "right": data.document_summary(c.document(right)),
        "at": at, "targets": targets, "hl": words(args), "options": options(args),
        "rows": [{side: [{"ref": r, "text": texts[r]} for r in row[side]] for side in ("left", "right")}
                 for row in rows(c, left, right)],
        "notes": [n.to_dict() for n in c.notes_in((left, right))],
        "url": url_for("reading.read", left=left, right=right),
        "api": url_for("reading.api_read", left=left, right=right, at=at, hl=args.get("hl") or None),
    }


def _leaves(c, doc_id):
    doc = c.document(doc_id)
    return [Located(doc, p) for p in doc.leaves()]


@bp.get("/api/read")
def api_read():
    return jsonify(read_data(corpus(), request.args))


@bp.get("/read")
def read():
    c = corpus()
    if len(c.documents) == 1:  # nothing to put beside it: read the one document alone
        (only,) = c.documents
        at = (request.args.get("at") or "").strip()
        return redirect(url_for("pages.document", doc_id=only) + (f"#{at}" if at else ""))
    try:
        d = read_data(c, request.args)
    except (QueryError, RefError) as exc:
        status = 400 if isinstance(exc, QueryError) else 404
        return render_template("read.html", read=None, error=str(exc), choices=_choices(c),
                               opts=options(request.args)), status
    links = render.Links(root=request.script_root, shown=(d["left"]["id"], d["right"]["id"]))
    columns = [_column(c, d, side, links) for side in ("left", "right")]
    mentioned = list(dict.fromkeys(e for col in columns for e in col["mentioned"]))
    return render_template("read.html", read=d, columns=columns, choices=_choices(c), opts=d["options"],
                           cards=cards.page_cards(c, mentioned, links.shown, links), json_url=d["api"])


def _column(c, d: dict, side: str, links) -> dict:
    doc = c.parsed(d[side]["id"])  # the column renders the TEI tree of this one file
    other = d["right" if side == "left" else "left"]["id"]
    ctx = render.Context(doc, c, links, other=other, side=doc.id, target=tuple(d["targets"]), words=tuple(d["hl"]),
                         names=d["options"]["names"] == "on", notes_open=False)
    html = render.render_text(doc, ctx)
    return {"side": side, "doc": d[side], "language": language_name(doc.lang), "html": Markup(html),
            "mentioned": list(ctx.mentioned)}


@bp.get("/read/entities/<entity_id>")
def entity_card(entity_id):
    """One entity's full card: names and every mention in the archive (a page of them), the
    target of a card's "passages in other documents" link. JSON twin: /api/entities/<id>."""
    page, size = paging.params()
    card = cards.full_card(corpus(), entity_id, render.Links(root=request.script_root), page, size)
    return render_template("entity_card.html", c=card, json_url=url_for("api.entity", entity_id=entity_id))


def _choices(c) -> list[dict]:
    return [dict(d, language=language_name(d["lang"])) for d in c.titles()]

