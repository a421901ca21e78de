"""The parallel reading view: /read (HTML) and its JSON twin /api/read.

Query parameters (all optional): ``left``, ``right`` (document ids; default the English
article left, the Latvian right), ``at`` (a ref to open at and highlight), ``hl`` (words to
mark in that passage), ``reading`` (``edited``|``received``), ``names`` (``on``|``off``),
``show`` (``both``|``left``|``right``). See docs/reading.md.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from .. import render
from ..errors import MalformedRef, QueryError, RefError
from ..render.entities import language_name
from ..render.parallel import choose_pair, rows
from ..render.labels import MESSAGES
from . import cards, changes, columns, corpus, data, paging
from .i18n import ui_lang
from .window import DEFAULT_WINDOW, WindowView, located, windows

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
    wins = windows(c, left, right, targets, current_app.config.get("READ_WINDOW", DEFAULT_WINDOW))
    texts = {loc.ref: loc.passage.text() for w in wins.values() for loc in located(w)}
    data_ = {
        "left": data.document_summary(c.document(left)), "right": data.document_summary(c.document(right)),
        "at": at, "targets": targets, "hl": words(args), "options": options(args),
        "rows": [{side: [{"ref": r, "text": texts[r]} for r in row[side]] for side in ("left", "right")}
                 for row in rows(WindowView(c, wins), left, right)],
        "notes": [n.to_dict() for n in c.notes_in((left, right)) if any(_shown(c, wins, t) for t in n.targets)],
        "changes": changes.marks_in(c, (left, right)),
        "url": url_for("reading.read", left=left, right=right),
        "api": url_for("reading.api_read", left=left, right=right, at=at, hl=args.get("hl") or None),
    }
    windowed = {side: w for side, w in wins.items() if w.parts is not None}
    if windowed:  # a long document: this page shows part of it (docs/reading.md)
        data_["window"] = {side: {"parts": [p.ref for p in w.parts], "prev": w.prev, "next": w.next,
                                  "prev_url": _at(left, right, w.prev), "next_url": _at(left, right, w.next)}
                           for side, w in windowed.items()}
    data_["_windows"] = wins
    return data_


def _shown(c, wins: dict, ref: str) -> bool:
    """Whether the passage ``ref`` is on the page (a document shown whole, or in a shown part)."""
    window = next((w for w in wins.values() if w.doc.id == ref.split(":", 1)[0]), None)
    if window is None or window.parts is None:
        return window is not None
    pos = c.resolve(ref)[0].passage.position
    return any(p.position <= pos <= p.last for p in window.parts)


def _at(left: str, right: str, ref: str | None) -> str | None:
    return url_for("reading.read", left=left, right=right, at=ref) + f"#{ref}" if ref else None


@bp.get("/api/read")
def api_read():
    d = read_data(corpus(), request.args)
    d.pop("_windows")
    return jsonify(d)


@bp.get("/read")
def read():
    c = corpus()
    if len(c.documents) == 1:  # nothing to put beside it: read the one document alone
        (only,) = c.documents
        at = (request.args.get("at") or "").strip()
        return redirect(url_for("pages.document", doc_id=only, at=at or None, hl=request.args.get("hl") or None)
                        + (f"#{at}" if at else ""))
    try:
        d = read_data(c, request.args)
    except (QueryError, RefError) as exc:
        status = 400 if isinstance(exc, (QueryError, MalformedRef)) else 404
        return render_template("read.html", read=None, error=str(exc), choices=_choices(c),
                               opts=options(request.args)), status
    links = render.Links(root=request.script_root, shown=(d["left"]["id"], d["right"]["id"]))
    wins = d.pop("_windows")
    left = _column(c, d, "left", links, wins["left"])
    # a note on both texts is printed in full once, in the left column (not when one text is shown alone)
    shared = left.pop("placed") if d["options"]["show"] == "both" else {}
    columns = [left, _column(c, d, "right", links, wins["right"], shared)]
    mentioned = list(dict.fromkeys(e for col in columns for e in col["mentioned"]))
    return render_template("read.html", read=d, columns=columns, choices=_choices(c, links.shown), opts=d["options"],
                           names=cards.name_index(c, mentioned, links.shown, ui_lang()), json_url=d["api"])


def _column(c, d: dict, side: str, links, window, elsewhere: dict | None = None) -> dict:
    """One text column (web.columns: rendered once per generation, the target marked after)."""
    other = d["right" if side == "left" else "left"]["id"]
    html, mentioned, placed = columns.column(
        c, d[side]["id"], other, links, window, targets=tuple(d["targets"]), words=tuple(d["hl"]),
        names=d["options"]["names"] == "on", language=render_language(), elsewhere=elsewhere or {})
    return {"side": side, "doc": d[side], "language": language_name(d[side]["lang"]), "html": Markup(html),
            "mentioned": mentioned, "window": d.get("window", {}).get(side), "placed": placed}


def render_language() -> dict:
    """``ui_lang`` and ``labels`` for ``render.Context``: the renderer's interface words
    (``render.labels.MESSAGES``) translated by the catalogue into the request's UI language."""
    lang = ui_lang()
    return {"ui_lang": lang, "labels": {} if lang == "en" else {m: gettext(m) for m in MESSAGES}}


@bp.get("/read/entities/<entity_id>")
def entity_card(entity_id):
    """One entity's full card: names and every mention in the archive (a page of them), the
    target of a card's "passages in other documents" link. JSON twin: /api/entities/<id>."""
    page, size = paging.params()
    c = corpus()
    shown = cards.shown_param(c, request.args.get("shown"))
    card = cards.full_card(c, entity_id, render.Links(root=request.script_root, shown=shown), page, size)
    return render_template("entity_card.html", c=card, json_url=url_for("context.api_entity", entity_id=entity_id))


CHOICES = 50  # documents offered in the chooser besides those paired with the shown ones


def _choices(c, shown: tuple[str, ...] = ()) -> list[dict]:
    """The documents the chooser offers: the first CHOICES of the archive, the shown ones and
    those aligned with them (a list that does not grow with the archive)."""
    pairs = c.pairs_of(shown)  # only the pairs of the shown documents, not every pair of the archive
    wanted = {d for pair in pairs if set(pair) & set(shown) for d in pair} | set(shown)
    return [dict(d, language=language_name(d["lang"])) for d in c.titles(CHOICES, sorted(wanted))]

