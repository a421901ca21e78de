"""The context around the texts: registers (/entities, /entities/<id>), editorial notes
(/notes), the timeline (/timeline) and the map (/map), each with its JSON twin under /api/.

Thin: the data comes from ``registers`` (plain dicts); this module adds URLs, checks the query
parameters and renders. See docs/context.md.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for

from .. import registers
from ..errors import QueryError, RefError
from ..render.entities import IDNO_URLS, language_name
from . import corpus, i18n, mapping, paging

bp = Blueprint("context", __name__)
UI_LANGS = ("en", "lv")


def _doc(c) -> str | None:
    """The ``doc`` filter; raises UnknownDocument (404) for an id the archive does not have."""
    doc = (request.args.get("doc") or "").strip() or None
    if doc:
        c.document(doc)
    return doc


def _lang(default: str = "en") -> str:
    """The register's name language and collation: ``?lang=``, else ``default`` (the page's
    interface language; English for the JSON twins). Raises QueryError (400)."""
    lang = request.args.get("lang") or default
    if lang not in UI_LANGS:
        raise QueryError(f"lang must be one of {', '.join(UI_LANGS)}; got '{lang}'")
    return lang


def _passage(ref: str) -> str:
    return url_for("reading.read", at=ref) + f"#{ref}"


def _docs(c) -> list[dict]:
    return [{"id": d.id, "title": d.title, "lang": d.lang} for d in c.documents.values()]


def _idnos(idnos: list[dict]) -> list[dict]:
    out = []
    for i in idnos:
        value, pattern = i.get("value", ""), IDNO_URLS.get(i.get("type", "").lower())
        url = value if value.startswith(("http://", "https://")) else pattern.format(value) if pattern and value else None
        out.append(dict(i, url=url))
    return out


# -- registers ------------------------------------------------------------------------------

def entities_data(c, default_lang: str = "en") -> dict:
    """The dict /entities and /api/entities show (docs/api.md); names in ``?lang=``, else
    ``default_lang``. Raises QueryError (400), UnknownDocument (404)."""
    kind = request.args.get("kind") or None
    if kind and kind not in registers.KINDS:
        raise QueryError(f"kind must be one of {', '.join(registers.KINDS)}; got '{kind}'")
    letter = (request.args.get("letter") or "").strip() or None
    lang = _lang(default_lang)
    data = registers.entity_index(c, lang, kind, _doc(c), letter)
    for e in data["entries"]:
        entity = c.entities[e["id"]]
        e.update(forms=e.pop("names"), names=entity.names, note=entity.note, idnos=_idnos(e["idnos"]),
                 url=url_for("context.entity_page", entity_id=e["id"]),
                 api=url_for("context.api_entity", entity_id=e["id"]))
    data["unregistered"] = [dict(u, refs=[{"ref": r, "url": _passage(r)} for r in u["refs"]])
                            for u in registers.unregistered_speakers(c, data["doc"])] if kind in (None, "person") else []
    data.update(kinds=[{"kind": k, "label": registers.KIND_NAMES.get(k, k), "count": n} for k, n in data["counts"].items()],
                documents=_docs(c), url=url_for("context.entities_page", **request.args),
                api=url_for("context.api_entities", **_twin_args(lang)))
    return data


def entity_data(c, entity_id: str, page: int = 1, size: int | None = None, default_lang: str = "en") -> dict:
    """The dict /entities/<id> and its twin show; ``mentions`` is the page ``page`` of ``size``
    mentions (all without ``size``), ``mentions_total`` how many there are; names in
    ``?lang=``, else ``default_lang``. Raises RefError (404) for an unknown id."""
    if entity_id not in c.entities:
        raise RefError(f"no entity with id '{entity_id}': see /entities for the register")
    lang = _lang(default_lang)
    d = registers.entity_page(c, entity_id, _doc(c), lang)
    d["forms"] = d.pop("names")
    d["names"] = c.entities[entity_id].names
    d["idnos"] = _idnos(d["idnos"])
    d["note_parts"] = _parts(c, d["note"])
    d["counts"] = {"mention": d.pop("mentions"), "quoted": d.pop("quoted"), "speaker": d.pop("speaker")}
    d["mentions"] = [{"ref": m.ref, "text": m.text, "role": registers.role(m)} for m in _mentions(c, entity_id, page, size)]
    d["mentions_total"] = c.mention_count(entity_id) if hasattr(c, "mention_count") else len(c.mentions.get(entity_id, []))
    for g in d["groups"]:
        g["language"] = language_name(g["lang"])
        for line in g["mention"] + g["quoted"] + g["speaker"]:
            line["url"] = _passage(line["ref"])
            for a in line["aligned"]:
                a["url"] = _passage(a["ref"])
    d["all_names"] = [dict(n, language=language_name(n["lang"])) for n in d["all_names"]]
    d.update(documents=_docs(c), url=url_for("context.entity_page", entity_id=entity_id),
             api=url_for("context.api_entity", entity_id=entity_id, **_twin_args(lang)),
             register=url_for("context.entities_page"))
    return d


def _twin_args(lang: str) -> dict:
    """The query of the JSON twin of this page: the page's arguments, with the name language
    the page used (the twins default to English, the pages to the interface language)."""
    args = request.args.to_dict()
    args.pop("ui", None)
    if lang != "en":
        args["lang"] = lang
    else:
        args.pop("lang", None)
    return args


def _mentions(c, entity_id: str, page: int, size: int | None) -> list:
    if hasattr(c, "mentions_of"):  # the store: one page, one query
        return c.mentions_of(entity_id, page, size)
    every = c.mentions.get(entity_id, [])
    return every[(page - 1) * size:page * size] if size else every


def _parts(c, text: str) -> list[dict]:
    return [{"text": t, "ref": r, "url": _passage(r) if r else None} for t, r in registers.split_pointers(c, text)]


@bp.get("/entities")
def entities_page():
    c = corpus()
    d = entities_data(c, i18n.ui_lang())
    return render_template("entities.html", d=d, json_url=d["api"])


@bp.get("/api/entities")
def api_entities():
    """The register's dict; its ``entries`` come in pages (``?page=&size=``, default 100; Link,
    X-Total-Count: paging.py), the counts and letters are of the whole filtered register."""
    page, size = paging.params()
    d = entities_data(corpus())
    total = len(d["entries"])
    d["entries"] = d["entries"][(page - 1) * size:page * size]
    return jsonify(d), paging.headers(page, size, total)


@bp.get("/entities/<entity_id>")
def entity_page(entity_id):
    c = corpus()
    d = entity_data(c, entity_id, default_lang=i18n.ui_lang())
    return render_template("entity.html", d=d, json_url=d["api"])


@bp.get("/api/entities/<entity_id>")
def api_entity(entity_id):
    """The entity's dict; its ``mentions`` list comes in pages (``?page=&size=``, default 100;
    Link, X-Total-Count: paging.py)."""
    page, size = paging.params()
    d = entity_data(corpus(), entity_id, page, size)
    total = d.pop("mentions_total")
    return jsonify(d), paging.headers(page, size, total)


# -- notes ----------------------------------------------------------------------------------

def notes_data(c) -> dict:
    """The dict /notes and /api/notes show. Raises UnknownDocument (404)."""
    d = registers.notes_index(c, _doc(c), request.args.get("kind") or None)
    titles = {doc.id: doc.title for doc in c.documents.values()}
    for g in d["groups"]:
        for n in g["notes"]:
            for p in n["parts"]:
                p["url"] = _passage(p["ref"]) if p["ref"] else None
            n["targets"] = [{"ref": r, "url": _passage(r)} for r in n["targets"]]
            n["cited"] = [{"ref": r, "url": _passage(r)} for r in n["cited"]]
            n["compares"] = [{"id": x, "title": titles[x]} for x in n["documents"]]
    d.update(documents=_docs(c), url=url_for("context.notes_page", **request.args),
             api=url_for("context.api_notes", **request.args))
    return d


@bp.get("/notes")
def notes_page():
    d = notes_data(corpus())
    return render_template("notes.html", d=d, json_url=d["api"])


@bp.get("/api/notes")
def api_notes():
    return jsonify(notes_data(corpus()))


# -- timeline -------------------------------------------------------------------------------

def timeline_data(c) -> dict:
    """The dict /timeline and /api/timeline show. Raises QueryError (400) for a bad ``at``."""
    at = (request.args.get("at") or "").strip() or None
    try:
        d = registers.timeline(c, at, _doc(c))
    except ValueError as exc:
        raise QueryError(str(exc)) from None
    doc = d["doc"]
    for item in [i for g in d["groups"] for i in g["items"]] + d["spans"]:
        for p in item["passages"]:
            p["url"] = _passage(p["ref"])
        item["aligned"] = [{"ref": r, "url": _passage(r)} for r in item["aligned"]]
        item["entity_url"] = url_for("context.entity_page", entity_id=item["entity"]) if item["entity"] else None
    d["zoom"] = _zoom(d, doc)
    d.update(documents=_docs(c), url=url_for("context.timeline_page", at=at, doc=doc),
             api=url_for("context.api_timeline", at=at, doc=doc))
    return d


def _zoom(d: dict, doc) -> dict:
    """Links to the coarser and finer views of the same time."""
    at = d["at"] or ""
    year = at[:4] or next((g["key"][:4] for g in d["groups"] if g["items"]), None)
    month = at[:7] if len(at) >= 7 else None
    return {"year": url_for("context.timeline_page", doc=doc),
            "month": url_for("context.timeline_page", at=year, doc=doc) if year else None,
            "day": url_for("context.timeline_page", at=month, doc=doc) if month else None,
            "year_label": "All years", "month_label": year, "day_label": month}


@bp.get("/timeline")
def timeline_page():
    c = corpus()
    d = timeline_data(c)
    return render_template("timeline.html", d=d, axis=timeline_axis(d), json_url=d["api"])


@bp.get("/api/timeline")
def api_timeline():
    return jsonify(timeline_data(corpus()))


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def group_label(key: str) -> str:
    """``1939`` → 1939; ``1939-09`` → Sep 1939; ``1939-09-28`` → 28 Sep 1939."""
    parts = key.split("-")
    if len(parts) == 1:
        return key
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"


def timeline_axis(d: dict) -> dict:
    """SVG geometry of the time axis: one slot per group (year, month or day), a marker per
    group with items (radius by count), bars for the spans. Width 1000 units."""
    n = len(d["groups"])
    left, right, base = 20.0, 980.0, 150.0
    step = (right - left) / max(n, 1)
    slots, ticks = [], []
    every = 1 if n <= 16 else 2 if n <= 40 else 5
    for i, g in enumerate(d["groups"]):
        x = left + step * (i + 0.5)
        count = len(g["items"])
        label = group_label(g["key"])
        slots.append({"key": g["key"], "x": round(x, 1), "count": count, "r": round(min(6 + 3 * count, step * 0.48, 22), 1),
                      "label": label, "href": _group_href(d, g["key"])})
        if i % every == 0 or count:
            ticks.append({"x": round(x, 1), "label": label.split(" ")[0] if d["scale"] == "day" else
                          label.split(" ")[0] if d["scale"] == "month" else label})
    bars = []
    keys = [g["key"] for g in d["groups"]]
    size = len(keys[0]) if keys else 4
    for j, s in enumerate(d["spans"]):
        lo = max(s["start"], d["start"])[:size]
        hi = min(s["end"], d["end"])[:size]
        a, b = keys.index(lo), keys.index(hi)
        if (a, b) == (0, len(keys) - 1) and d["scale"] != "year":
            continue  # a date covering the whole window (the year, the month) says nothing here: table only
        bars.append({"x": round(left + step * a + 2, 1), "w": round(step * (b - a + 1) - 4, 1), "y": 20 + 11 * (len(bars) % 8),
                     "label": s["label"], "when": s["when"], "href": f"#span-{j + 1}"})
    return {"slots": slots, "ticks": ticks, "bars": bars, "base": base, "left": left, "right": right,
            "height": 200}


def _group_href(d: dict, key: str) -> str:
    if d["scale"] == "day":
        return f"#t-{key}"
    return url_for("context.timeline_page", at=key, doc=d["doc"])


# -- map ------------------------------------------------------------------------------------

def map_data(c) -> dict:
    """The dict /map and /api/map show: places with their SVG positions on each map."""
    d = registers.places(c, _doc(c))
    base = mapping.basemap()
    detail = mapping.WINDOWS["estonia"]
    for p in d["located"]:
        p["maps"] = {}
        for name, m in base["maps"].items():
            x, y = mapping.project(p["lat"], p["lon"], m["window"])
            p["maps"][name] = {"x": x, "y": y, "on_map": mapping.inside(p["lat"], p["lon"], m["window"]),
                               "label_end": x > m["width"] * 0.85,  # label left of the marker, not cut off
                               "labelled": name != "region" or not mapping.inside(p["lat"], p["lon"], detail)}
        p["on_map"] = any(v["on_map"] for v in p["maps"].values())
    for p in d["located"] + d["unlocated"]:
        p["url"] = url_for("context.entity_page", entity_id=p["id"])
        p.pop("names", None)
    d.update(source=base["source"], licence=base["licence"], borders=base["borders"],
             windows={k: m["window"] for k, m in base["maps"].items()},
             documents=_docs(c), url=url_for("context.map_page", doc=d["doc"]),
             api=url_for("context.api_map", doc=d["doc"]))
    return d


def map_frames() -> list[dict]:
    """The maps drawn on /map, in order: the region, then Estonia in detail (with the detail's
    frame drawn on the region map)."""
    base = mapping.basemap()["maps"]
    region, detail = base["region"], base["estonia"]
    x0, y0 = mapping.project(detail["window"][3], detail["window"][0], region["window"])
    x1, y1 = mapping.project(detail["window"][1], detail["window"][2], region["window"])
    return [dict(region, name="region", title="The Baltic region", frame={"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0}),
            dict(detail, name="estonia", title="Estonia in detail", frame=None)]


@bp.get("/map")
def map_page():
    d = map_data(corpus())
    return render_template("map.html", d=d, frames=map_frames(), json_url=d["api"])


@bp.get("/api/map")
def api_map():
    return jsonify(map_data(corpus()))
