"""Search: /search (HTML, works without JavaScript), its JSON twin /api/search, and the
export of a whole result list as CSV or JSON (/search/export.csv, /search/export.json).

Each turns the request into one call of ``search.search`` (or ``search_all``) and its result
into one dict; the page adds the links it shows (facet filters, pages, did-you-mean) to it.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..errors import IndexMissing, PactArchiveError, QueryError
from . import exporting
from .citing import absolute

bp = Blueprint("searching", __name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

FILTERS = ("lang", "doc", "person", "place", "from", "to", "type")  # URL parameters that narrow a search
KEPT = FILTERS + ("sort", "size", "group")  # parameters a link to another page of results keeps
LABELS = {"lang": "Language", "doc": "Document", "person": "Person", "place": "Place",
          "from": "From", "to": "To", "type": "Found"}


def _params() -> dict:
    a = request.args
    return {"lang": a.get("lang") or None, "doc": a.get("doc") or None, "person": a.get("person") or None,
            "place": a.get("place") or None, "date_from": a.get("from") or None, "date_to": a.get("to") or None,
            "type": a.get("type") or None, "sort": a.get("sort") or None, "group": a.get("group") or None}


def _run():
    """Raises QueryError (400) or IndexMissing (503)."""
    from ..search import search
    a = request.args
    return search(current_app.config["INDEX_DIR"], a.get("q", ""), page=a.get("page", "1"),
                  size=a.get("size", "10"), **_params())


def reading_link(ref: str, hl: list[str]) -> str:
    """The reading-view deep link of a hit: /read?at=<ref>&hl=<marked words>."""
    return url_for("reading.read", at=ref, hl=" ".join(hl) if hl else None)


def shown_link(hit: dict) -> str | None:
    """Where a note or a register entry is shown: a note in the permalink page of the passage
    it annotates, at the note; a register entry on the entity's page when the edition has one
    (a route /entities/<id>), else its card in the reading view at its first mention."""
    if hit["type"] == "note":
        return url_for("citing.passage", ref=hit["at"]) + (f"#note-{hit['note_id']}" if hit.get("note_id") else "")
    if hit["type"] == "register":
        page = _entity_page(hit["entity"])
        if page:
            return page
        return url_for("reading.read", at=hit["at"]) + f"#entity-{hit['entity']}" if hit.get("at") else \
            url_for("context.api_entity", entity_id=hit["entity"])
    return None


def _entity_page(entity_id: str) -> str | None:
    for rule in current_app.url_map.iter_rules():
        if rule.rule.startswith("/entities/<") and "GET" in rule.methods and not rule.rule.endswith(">.json"):
            return url_for(rule.endpoint, **{next(iter(rule.arguments)): entity_id})
    return None


@bp.get("/api/search")
def api_search():
    return jsonify(_run().to_dict(url=reading_link, link=shown_link))


@bp.get("/search/export.<fmt>")
def export(fmt):
    """Every result of the search (all pages) as CSV (one row per result, a column group per
    language) or JSON, for a historian's notes. Raises QueryError (400) or IndexMissing (503)."""
    from ..search import search_all
    if fmt not in exporting.FORMATS:
        raise QueryError("export as one of: " + ", ".join(exporting.FORMATS))
    results = search_all(current_app.config["INDEX_DIR"], request.args.get("q", ""), **_params())
    data = exporting.rows(results.to_dict(url=reading_link, link=shown_link), absolute,
                          lambda ref: url_for("citing.passage", ref=ref))
    name = exporting.filename(results.query, fmt)
    if fmt == "json":
        body = jsonify(data).get_data()
    else:
        body = exporting.as_csv(data).encode("utf-8")
    return Response(body, mimetype=exporting.FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/search")
def search_page():
    q = _CONTROL.sub("\ufffd", request.args.get("q", ""))  # shown back; the search itself refuses them
    filtered = any(request.args.get(k) for k in FILTERS)
    page, status = {"q": q, "results": None, "error": None}, 200
    if q.strip() or filtered:
        try:
            page["results"] = _decorate(_run().to_dict(url=reading_link, link=shown_link))
        except PactArchiveError as exc:
            status = 503 if isinstance(exc, IndexMissing) else 400 if isinstance(exc, QueryError) else 500
            page["error"] = str(exc)
    page["active"] = _active(page["results"])
    json_url = url_for("searching.api_search", **request.args) if page["results"] else None
    if page["results"] and page["results"]["total"]:
        args = {k: v for k, v in request.args.items() if k not in ("page", "size")}
        page["export"] = {fmt: url_for("searching.export", fmt=fmt, **args) for fmt in exporting.FORMATS}
    args = {k: _CONTROL.sub("\ufffd", v) for k, v in request.args.items()}
    return render_template("search.html", page=page, q=q, json_url=json_url, args=args), status


def _active(results: dict | None) -> list[dict]:
    """The filters in use, each with a readable value and a link that removes it."""
    facets = results["facets"] if results else {}
    return [{"name": k, "label": LABELS[k], "value": v, "href": _link(**{k: None, "page": None}),
             "display": next((e["label"] for e in facets.get(k, []) if e["value"] == v), v)}
            for k in FILTERS if (v := request.args.get(k))]


def _link(**changes) -> str:
    """This search's URL with some parameters changed (None removes one)."""
    args = {k: v for k, v in request.args.items() if v and (k in KEPT or k == "q")}
    args.update(changes)
    return url_for("searching.search_page", **{k: v for k, v in args.items() if v is not None})


def _decorate(data: dict) -> dict:
    for name, entries in data["facets"].items():
        for e in entries:
            e["selected"] = request.args.get(name) == e["value"]
            e["href"] = _link(**{name: None if e["selected"] else e["value"], "page": None})
    data["page_links"] = [{"page": n, "href": _link(page=n), "current": n == data["page"]}
                          for n in _page_numbers(data["page"], data["pages"])]
    data["prev"] = _link(page=data["page"] - 1) if data["page"] > 1 else None
    data["next"] = _link(page=data["page"] + 1) if data["page"] < data["pages"] else None
    data["suggestion_href"] = _link(q=data["suggestion"], page=None) if data["suggestion"] else None
    data["first"] = (data["page"] - 1) * data["size"] + 1
    flat = data["group"] == "passage"
    data["group_href"] = _link(group=None if flat else "passage", page=None)
    return data


def _page_numbers(current: int, last: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last and those near the current page."""
    return sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
