"""Search pages and API: /search (HTML) and /api/search (JSON)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from ..errors import PactArchiveError

bp = Blueprint("searching", __name__)


def _run():
    from ..search import search
    return search(current_app.config["INDEX_DIR"], request.args.get("q", ""),
                  lang=request.args.get("lang") or None, doc=request.args.get("doc") or None,
                  page=max(request.args.get("page", 1, type=int), 1),
                  size=min(max(request.args.get("size", 10, type=int), 1), 100))


@bp.get("/api/search")
def api_search():
    return jsonify(_run().to_dict())


@bp.get("/search")
def search_page():
    q = request.args.get("q", "")
    results, error = None, None
    if q.strip():
        try:
            results = _run()
        except PactArchiveError as exc:
            error = str(exc)
    return render_template("search.html", q=q, results=results, error=error)
