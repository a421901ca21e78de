"""The DTS 1.0 endpoints (docs/dts.md): Entry, Collection, Navigation, Document.

Thin: parameters in, ``dts`` package out. JSON responses are ``application/ld+json``;
errors are JSON-LD error objects with the status the specification asks for.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, url_for

from .. import dts, render
from ..dts import DTSError, collections as dcol, document as ddoc, navigation as nav, source
from ..dts.ids import ROOT, Ids
from ..errors import RefError
from . import corpus
from .citing import absolute

bp = Blueprint("dts", __name__)
LD = "application/ld+json"


def _ld(obj: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False, indent=None), status=status,
                    mimetype=LD, headers=headers or {})


@bp.errorhandler(DTSError)
def _dts_error(exc: DTSError):
    return _ld(exc.to_dict(), exc.status)


def _ids() -> Ids:
    return Ids(absolute("/").rstrip("/"))


def _this_url(**params) -> str:
    """This endpoint's absolute URL with ``params`` (None values left out)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return absolute(request.path) + ("?" + query if query else "")


class _Archive:
    """The collections of the current corpus, computed once per corpus object (an Edition is
    one generation) from the documents' rows alone; each resource's citation-tree summary
    (typology, number of units) is looked up when a response shows it, then kept."""

    _cache: dict = {}

    @classmethod
    def of(cls, c):
        key = id(c)
        hit = cls._cache.get(key)
        if hit is None or hit[0] is not c:
            infos = source.resources(c, trees=False)
            title = current_app.config.get("ARCHIVE_TITLE", "pactarchive: the archive")
            hit = (c, {r.id: r for r in infos}, dcol.build(infos, title), {})
            cls._cache = {key: hit}
        return hit[1], hit[2]

    @classmethod
    def summarised(cls, c, doc_ids) -> dict:
        """Document id -> its ResourceInfo with its tree's summary (one query for those not
        yet summarised)."""
        infos, _ = cls.of(c)
        done = cls._cache[id(c)][3]
        missing = [infos[d] for d in dict.fromkeys(doc_ids) if d not in done and d in infos]
        if missing:
            if len(done) > 20_000:  # bounded: a generation's resources, summarised once each
                done.clear()
            done.update((r.id, r) for r in source.with_trees(c, missing))
        return {d: done[d] for d in doc_ids if d in done}


@bp.get("/api/dts/", endpoint="entry_slash")
@bp.get("/api/dts")
def entry():
    ids = _ids()
    return _ld(dts.base({"@id": absolute(url_for("dts.entry")), "@type": "EntryPoint", **ids.entry_templates()}))


def _resource(c, ids: Ids, infos, cols, doc_id: str) -> dict:
    r = _Archive.summarised(c, [doc_id])[doc_id]
    return dcol.resource_object(r, ids, len(dcol.parents_of_resource(cols, doc_id)),
                                absolute(url_for("api.tei_source", doc_id=doc_id)), list(ddoc.MEDIA_TYPES))


@bp.get("/api/dts/collection")
def collection():
    c = corpus()
    ids = _ids()
    infos, cols = _Archive.of(c)
    wanted = ids.parse(request.args.get("id", "")) or ("collection", ROOT)
    navigate = request.args.get("nav") or "children"
    if navigate not in ("children", "parents"):
        raise DTSError(400, f"nav must be 'children' or 'parents', not '{navigate}'")
    page = nav.parse_page(request.args.get("page"))
    kind, key = wanted
    if kind == "resource" and key in infos:
        top = _resource(c, ids, infos, cols, key)
        parents = dcol.parents_of_resource(cols, key)
        members = [dcol.collection_object(cols[p], ids) for p in parents] if navigate == "parents" else None
        return _ld(dcol.response(top, members, None))
    if kind == "resource" and key in cols:  # a bare collection key
        kind = "collection"
    if kind != "collection" or key not in cols:
        raise DTSError(404, f"no collection or resource with id '{request.args.get('id')}'; "
                            "the root collection lists them all")
    col = cols[key]
    top = dcol.collection_object(col, ids)
    if navigate == "parents":
        members = [dcol.collection_object(cols[col.parent], ids)] if col.parent is not None else []
        return _ld(dcol.response(top, members, None))
    members = [("c", k) for k in col.children] + [("r", d) for d in col.resources]
    shown, view = dcol.paginate(members, page, lambda n: _this_url(id=request.args.get("id"), page=n))
    _Archive.summarised(c, [k for t, k in shown if t == "r"])  # the page's resources, in one query
    out = [dcol.collection_object(cols[k], ids) if t == "c" else _resource(c, ids, infos, cols, k) for t, k in shown]
    return _ld(dcol.response(top, out, view))


def _document_for(c, ids: Ids):
    value = request.args.get("resource")
    if not value:
        raise DTSError(400, "the resource parameter is required: the @id of a Resource from the collection endpoint")
    parsed = ids.parse(value)
    if not parsed or parsed[0] != "resource" or parsed[1] not in c.documents:
        raise DTSError(404, f"no resource with id '{value}'; the collection endpoint lists every resource")
    return c.documents[parsed[1]]


def _tree(c, doc):
    """``(Tree, elements or None)``: the default citation tree (from the store's rows), or the
    one ``tree`` names (``elements`` then maps its identifiers to their TEI elements)."""
    name = request.args.get("tree")
    if not name:
        return source.tree(doc), None
    return source.named_tree(c, doc, name)


@bp.get("/api/dts/navigation")
def navigation():
    c = corpus()
    ids = _ids()
    doc = _document_for(c, ids)
    infos, cols = _Archive.of(c)
    tree, _ = _tree(c, doc)
    a = request.args
    down = nav.parse_down(a.get("down"))
    page = nav.parse_page(a.get("page"))
    found = nav.select(tree, a.get("ref"), a.get("start"), a.get("end"), down)
    resource = _resource(c, ids, infos, cols, doc.id)
    resource.pop("totalParents", None), resource.pop("totalChildren", None)
    params = {k: a.get(k) for k in ("resource", "ref", "start", "end", "down", "tree", "page")}
    out = dts.base({"@type": "Navigation", "@id": _this_url(**params), "resource": resource})
    for key in ("ref", "start", "end"):
        if key in found:
            out[key] = found[key].to_dict()
    if "member" in found:
        members = found["member"]
        if page is not None or len(members) > dts.NAV_PAGE_SIZE:
            members, page, last = nav.page_of(members, page)
            link = lambda n: _this_url(**dict(params, page=n))
            out["view"] = {k: v for k, v in {"@id": link(page), "@type": "Pagination", "first": link(1),
                           "previous": link(page - 1) if page > 1 else None,
                           "next": link(page + 1) if page < last else None, "last": link(last)}.items() if v}
        out["member"] = [u.to_dict() for u in members]
    return _ld(out)


@bp.get("/api/dts/document")
def document():
    c = corpus()
    ids = _ids()
    doc = _document_for(c, ids)
    a = request.args
    mtype = ddoc.media_type(a.get("mediaType"))
    ref, start, end = a.get("ref"), a.get("start"), a.get("end")
    if ref and (start or end):
        raise DTSError(400, "ref cannot be combined with start or end")
    if bool(start) != bool(end):
        raise DTSError(400, "start and end go together: give both to ask for a range")
    ident = ids.resource(doc.id)
    headers = {"Link": f'<{ids.collection_template(ident).split("{")[0]}>; rel="collection", '
                       f'<{ids.navigation_template(ident).split("{")[0]}&down=1>; rel="navigation"'}
    # DTS 1.0: tree has no effect without ref or start/end
    tree, named = _tree(c, doc) if (ref or start) else (source.tree(doc), None)
    if ref:
        chosen = [tree.unit(ref).identifier]
    elif start:
        span = tree.span(tree.unit(start, "start"), tree.unit(end, "end"), -1)
        inside = {u.identifier for u in span}
        chosen = [u.identifier for u in span if u.parent not in inside]
    else:
        chosen = None
    if mtype == ddoc.TEI:
        body = (ddoc.tei_document(doc.element) if chosen is None
                else ddoc.tei_fragment(doc.element, _elements(doc, chosen, named), ref, start, end))
        return Response(body, mimetype=ddoc.TEI, headers=headers)
    elements = _elements(doc, chosen, named) if chosen is not None else [p.element for p in doc.passages]
    if mtype == "text/plain":
        sep = "\n\n" if any(u for u in chosen or [] if tree.unit(u).level < tree.depth) or chosen is None else " "
        return Response(sep.join(source.text(el) for el in elements) + "\n", mimetype="text/plain", headers=headers)
    links = render.Links(root=request.script_root)
    parsed = c.parsed(doc.id) if hasattr(c, "parsed") else doc  # the renderer walks the TEI tree
    html = "\n".join(render.render_fragment(el, render.Context(parsed, c, links, side=doc.id)) for el in elements)
    label = f"{doc.title} {ref or (start + '–' + end if start else '')}".strip()
    return Response(ddoc.html_page(label, doc.lang, html), mimetype="text/html", headers=headers)


def _elements(doc, chosen: list[str], named: dict | None) -> list:
    return [named[i] for i in chosen] if named is not None else source.elements(doc, chosen)
