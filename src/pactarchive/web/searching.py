"""Search: /search (HTML, works without JavaScript) and its JSON twin /api/search.

Both turn the request into one call of ``search.search`` and its result into one dict; the
page adds the links it shows (facet filters, pages, did-you-mean) to that dict.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from ..errors import IndexMissing, PactArchiveError, QueryError

bp = Blueprint("searching", __name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

FILTERS = ("lang", "doc", "person", "place", "from", "to")  # URL parameters that narrow a search
KEPT = FILTERS + ("sort", "size")  # parameters a link to another page of results keeps
LABELS = {"lang": "Language", "doc": "Document", "person": "Person", "place": "Place",
          "from": "From", "to": "To"}


def _run():
    """Raises QueryError (400) or IndexMissing (503)."""
    from ..search import search
    a = request.args
    return search(current_app.config["INDEX_DIR"], a.get("q", ""), lang=a.get("lang") or None,
                  doc=a.get("doc") or None, page=a.get("page", "1"), size=a.get("size", "10"),
                  person=a.get("person") or None, place=a.get("place") or None,
                  date_from=a.get("from") or None, date_to=a.get("to") or None, sort=a.get("sort") or None)


def reading_link(ref: str, hl: list[str]) -> str:
    """The reading-view deep link of a hit: /read?at=<ref>&hl=<marked words>."""
    return url_for("reading.read", at=ref, hl=" ".join(hl) if hl else None)


@bp.get("/api/search")
def api_search():
    return jsonify(_run().to_dict(url=reading_link))


@bp.get("/search")
def search_page():
    q = _CONTROL.sub("\ufffd", request.args.get("q", ""))  # shown back; the search itself refuses them
    filtered = any(request.args.get(k) for k in FILTERS)
    page, status = {"q": q, "results": None, "error": None}, 200
    if q.strip() or filtered:
        try:
            page["results"] = _decorate(_run().to_dict(url=reading_link))
        except PactArchiveError as exc:
            status = 503 if isinstance(exc, IndexMissing) else 400 if isinstance(exc, QueryError) else 500
            page["error"] = str(exc)
    page["active"] = _active(page["results"])
    json_url = url_for("searching.api_search", **request.args) if page["results"] else None
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
    return data


def _page_numbers(current: int, last: int, around: int = 2) -> list[int]:
    """Page numbers to link: the first, the last and those near the current page."""
    return sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
