"""The HTTP API described as OpenAPI 3.1: the document at /api/openapi.json and the same
document rendered for people at /api (a server-rendered page: no JavaScript, no CDN).

The description is data (``spec()``); tests/http/test_openapi.py fails when a route of the app is
missing from it and runs schemathesis over it (every operation: no 5xx, responses conform).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from .. import __version__
from ..refs import GRAMMAR

bp = Blueprint("apidocs", __name__)


@bp.get("/api/openapi.json")
def openapi_json():
    return jsonify(spec())


@bp.get("/api")
def api_page():
    return render_template("api.html", spec=spec(), operations=operations(spec()), json_url="/api/openapi.json")


def operations(doc: dict) -> list[dict]:
    """The operations of an OpenAPI document in path order: ``[{"method", "path", ...operation}]``."""
    return [dict(op, method=method.upper(), path=path)
            for path, item in doc["paths"].items() for method, op in item.items()]


# -- the document ---------------------------------------------------------------------------

def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(mime: str, description: str) -> dict:
    return {"description": description, "content": {mime: {"schema": {"type": "string"}}}}


def _param(name: str, description: str, where: str = "query", **schema) -> dict:
    return {"name": name, "in": where, "required": where == "path", "description": description,
            "schema": {"type": "string", **schema}}


JSON_ERROR = _json(_ref("Error"), "Error: what went wrong and what to do")
PAGE = _body("text/html", "An HTML page")
PAGE_ERROR = _body("text/html", "An HTML error page saying what went wrong")
REF = _param("ref", "A passage ref. " + GRAMMAR[0].upper() + GRAMMAR[1:] + ".", "path")
DOC_ID = _param("doc_id", "A document id, e.g. `lv`", "path")
READ_PARAMS = [
    _param("left", "Document id shown on the left (default: the English article)"),
    _param("right", "Document id shown on the right (default: the Latvian article)"),
    _param("at", "A ref to open at and highlight"),
    _param("hl", "Words to mark in that passage"),
    _param("reading", "Text as corrected (`edited`) or as received", enum=["edited", "received"]),
    _param("names", "Mark names", enum=["on", "off"]),
    _param("show", "Which columns to show", enum=["both", "left", "right"]),
]
SEARCH_PARAMS = [
    _param("q", "The query: words, \"phrases\", AND/OR/NOT, wildcards, fuzzy words (see docs/search.md)"),
    _param("lang", "Only passages in this language (`en`, `lv`)"),
    _param("doc", "Only passages of this document"),
    _param("person", "Only passages mentioning this person (register id or name)"),
    _param("place", "Only passages mentioning this place"),
    _param("from", "Only passages dated on or after (YYYY[-MM[-DD]])"),
    _param("to", "Only passages dated on or before"),
    _param("sort", "`order` for reading order; relevance otherwise"),
    _param("page", "Page of results, 1 or more, digits 0-9 only", pattern="^[0-9]+$"),
    _param("size", "Hits per page, 1-100, digits 0-9 only", pattern="^[0-9]+$"),
]
RATE_LIMITED = {"description": "Too many searches from this address: wait `Retry-After` seconds",
                "headers": {"Retry-After": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": _ref("Error")}, "text/html": {"schema": {"type": "string"}}}}

STR, INT = {"type": "string"}, {"type": "integer"}
NSTR = {"type": ["string", "null"]}
STRS = {"type": "array", "items": STR}


def _obj(required: dict, optional: dict | None = None) -> dict:
    return {"type": "object", "required": list(required), "properties": {**required, **(optional or {})}}


SCHEMAS = {
    "Error": _obj({"error": STR, "status": INT}),
    "DocumentSummary": _obj({"id": STR, "title": STR, "lang": STR, "passages": INT,
                             "citation_method": STR, "url": STR, "api": STR, "tei": STR}),
    "Document": {"allOf": [{"$ref": "#/components/schemas/DocumentSummary"},
                           _obj({"metadata": {"type": "object"}, "toc": {"type": "array", "items": _ref("TocEntry")},
                                 "passages": {"type": "array", "items": _obj({"ref": STR, "text": STR, "aligned": STRS})}})]},
    "TocEntry": _obj({"ref": STR, "unit": STR, "label": STR},
                     {"children": {"type": "array", "items": _ref("TocEntry")}}),
    "Brief": _obj({"ref": STR, "doc": STR, "lang": STR, "text": STR, "url": STR}),
    "Note": _obj({"id": NSTR, "text": STR, "targets": STRS}),
    "Entity": _obj({"id": STR, "kind": STR, "label": STR, "names": {"type": "object"}}),
    "Passage": _obj({"ref": STR, "doc": STR, "lang": STR, "title": STR, "unit": STR, "is_range": {"type": "boolean"},
                     "text": STR, "text_diplomatic": STR, "url": STR,
                     "aligned": {"type": "array", "items": _ref("Brief")},
                     "notes": {"type": "array", "items": _ref("Note")},
                     "entities": {"type": "array", "items": _ref("Entity")},
                     "citation": _obj({"chicago": STR, "mla": STR, "apa": STR, "bibtex": STR, "ris": STR,
                                       "csl": {"type": "object"}})},
                    {"passages": {"type": "array", "items": _obj({"ref": STR, "text": STR})},
                     "parent": NSTR, "prev": NSTR, "next": NSTR, "children": STRS, "xml_id": NSTR}),
    "SearchResults": _obj({"query": STR, "total": INT, "page": INT, "size": INT, "pages": INT,
                           "hits": {"type": "array", "items": {"type": "object"}},
                           "facets": {"type": "object"}},
                          {"total_relation": {"type": "string", "enum": ["eq", "gte"]},
                           "passages_relation": {"type": "string", "enum": ["eq", "gte"]},
                           "ranked": INT, "facets_complete": {"type": "boolean"}}),
    "Read": _obj({"left": _ref("DocumentSummary"), "right": _ref("DocumentSummary"), "at": NSTR,
                  "targets": STRS, "hl": STRS, "options": {"type": "object"},
                  "rows": {"type": "array", "items": _obj({"left": {"type": "array"}, "right": {"type": "array"}})},
                  "notes": {"type": "array", "items": _ref("Note")}, "url": STR, "api": STR}),
    "Alignment": _obj({"left": STR, "right": STR,
                       "links": {"type": "array", "items": _obj({"left": STR, "right": STRS})}}),
}
SCHEMAS["EntityWithCount"] = {"allOf": [_ref("Entity"), _obj({"mentions": INT})]}
SCHEMAS["EntityWithMentions"] = {"allOf": [_ref("Entity"), _obj(
    {"mentions": {"type": "array", "items": _obj({"ref": STR, "text": STR})}})]}


# every page (and the accessibility statement's JSON) answers in the interface language it names;
# without it: the `ui` cookie, then Accept-Language (web/i18n.py)
UI_PARAM = _param("ui", "Interface language (remembered in a cookie)", enum=["en", "lv"])


def _op(summary: str, responses: dict, params: list | None = None, tag: str = "API") -> dict:
    return {"get": {"summary": summary, "tags": [tag], "parameters": params or [], "responses": responses}}


OBJ = {"type": "object"}
LD = {"description": "JSON-LD (DTS 1.0)", "content": {"application/ld+json": {"schema": OBJ}}}
LD_ERROR = {"description": "A DTS error object: what went wrong and what to ask instead",
            "content": {"application/ld+json": {"schema": OBJ}}}
ENTITY_ID = _param("entity_id", "A register id, e.g. `molotov`", "path")
DOC_FILTER = _param("doc", "Only what this document names or dates")
UI_LANG = _param("lang", "The language names are shown and sorted in", enum=["en", "lv"])
PAGE_PARAM, SIZE_PARAM = _param("page", "Page number, from 1"), _param("size", "Items per page")
PAGED_HEADERS = {"Link": {"description": "RFC 8288 links to the first, previous, next and last page",
                           "schema": {"type": "string"}},
                 "X-Total-Count": {"description": "How many items the whole list holds", "schema": {"type": "string"}}}
REGISTER_PARAMS = [_param("kind", "person, place, org, object or event",
                          enum=["person", "place", "org", "object", "event"]),
                   _param("letter", "An initial"), UI_LANG, DOC_FILTER]


def _paths() -> dict:
    either = {"application/json": {"schema": {"oneOf": [_ref("Passage"), {"type": "object"}]}},
              "text/html": {"schema": STR}, "text/plain": {"schema": STR}, "application/tei+xml": {"schema": STR}}
    either_error = {"description": "Malformed ref or bad parameter (400), unknown passage (404)",
                    "content": {"application/json": {"schema": _ref("Error")}, "text/html": {"schema": STR}}}
    return {
        "/api/documents": _op("Every document, one page of them (default 100)",
                              {"200": dict(_json({"type": "array", "items": _ref("DocumentSummary")}), headers=PAGED_HEADERS),
                               "400": JSON_ERROR}, [PAGE_PARAM, SIZE_PARAM]),
        "/api/documents/{doc_id}": _op("One document with its header, contents and passages",
                                       {"200": _json(_ref("Document")), "404": JSON_ERROR}, [DOC_ID]),
        "/api/passages/{ref}": _op("One passage or a range, with alignment, notes, entities and citations",
                                   {"200": _json(_ref("Passage")), "400": JSON_ERROR, "404": JSON_ERROR}, [REF]),
        "/api/entities": _op("The registers: entities by kind and initial, sorted in the chosen language; "
                             "one page of the entries (default 100)",
                             {"200": dict(_json(OBJ), headers=PAGED_HEADERS), "400": JSON_ERROR, "404": JSON_ERROR},
                             REGISTER_PARAMS + [PAGE_PARAM, SIZE_PARAM]),
        "/api/entities/{entity_id}": _op("One entity: every name form, and every mention in context",
                                         {"200": _json(OBJ), "400": JSON_ERROR, "404": JSON_ERROR},
                                         [ENTITY_ID, DOC_FILTER, UI_LANG, PAGE_PARAM, SIZE_PARAM]),
        "/api/notes": _op("Every editorial note, numbered once across the edition",
                          {"200": _json(OBJ), "400": JSON_ERROR, "404": JSON_ERROR},
                          [_param("kind", "A note type or subtype"), DOC_FILTER]),
        "/api/timeline": _op("Every dated event and dated mention",
                             {"200": _json(OBJ), "400": JSON_ERROR, "404": JSON_ERROR},
                             [_param("at", "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the window shown"), DOC_FILTER]),
        "/api/map": _op("The register's places, with coordinates where known",
                        {"200": _json(OBJ), "404": JSON_ERROR}, [DOC_FILTER]),
        "/api/changes": _op("The edition's changelog, built from revisionDesc: one page of its changes",
                            {"200": dict(_json(OBJ), headers=PAGED_HEADERS), "400": JSON_ERROR},
                            [PAGE_PARAM, SIZE_PARAM]),
        "/api/dts": _op("DTS 1.0 entry point (docs/dts.md)", {"200": LD}, tag="DTS"),
        "/api/dts/": _op("DTS 1.0 entry point (the same, with a slash)", {"200": LD}, tag="DTS"),
        "/api/dts/collection": _op("DTS collection: the archive, its collections and resources",
                                   {"200": LD, "400": LD_ERROR, "404": LD_ERROR},
                                   [_param("id", "A collection or resource @id"), _param("page", "Page of members"),
                                    _param("nav", "children or parents", enum=["children", "parents"])], "DTS"),
        "/api/dts/navigation": _op("DTS navigation: a resource's citation tree as CitableUnits",
                                   {"200": LD, "400": LD_ERROR, "404": LD_ERROR},
                                   [_param("resource", "A resource @id (or a document id)"), _param("ref", "A unit"),
                                    _param("start", "First unit of a range"), _param("end", "Last unit of a range"),
                                    _param("down", "Levels below (-1: all)"), _param("tree", "A citation tree"),
                                    _param("page", "Page of members")], "DTS"),
        "/api/dts/document": _op("DTS document: the TEI (or text, HTML) of a resource or passage",
                                 {"200": {"description": "TEI, text or HTML", "content": {
                                     "application/tei+xml": {"schema": STR}, "text/plain": {"schema": STR},
                                     "text/html": {"schema": STR}}},
                                  "400": LD_ERROR, "404": LD_ERROR},
                                 [_param("resource", "A resource @id (or a document id)"), _param("ref", "A unit"),
                                  _param("start", "First unit of a range"), _param("end", "Last unit of a range"),
                                  _param("tree", "A citation tree"), _param("mediaType", "application/tei+xml, "
                                                                             "text/plain or text/html")], "DTS"),
        "/api/search": _op("Search the edition", {"200": _json(_ref("SearchResults")), "400": JSON_ERROR,
                                                  "429": RATE_LIMITED, "503": JSON_ERROR}, SEARCH_PARAMS),
        "/api/read": _op("The parallel reading view as data", {"200": _json(_ref("Read")), "400": JSON_ERROR,
                                                              "404": JSON_ERROR}, READ_PARAMS),
        "/api/alignment": _op("The sentence alignment of two documents",
                              {"200": _json(_ref("Alignment")), "400": JSON_ERROR, "404": JSON_ERROR},
                              [_param("left", "A document id"), _param("right", "A document id")]),
        "/api/openapi.json": _op("This description (OpenAPI 3.1)", {"200": _json({"type": "object"})}),
        "/tei/{doc_id}.xml": _op("The TEI source of a document", {"200": _body("application/tei+xml", "TEI P5 XML"),
                                                                  "404": PAGE_ERROR}, [DOC_ID], "Downloads"),
        "/passage/{ref}.txt": _op("A passage as plain text with its citation",
                                  {"200": _body("text/plain", "Plain text"), "400": PAGE_ERROR, "404": PAGE_ERROR},
                                  [REF], "Downloads"),
        "/passage/{ref}.xml": _op("A passage as a TEI fragment",
                                  {"200": _body("application/tei+xml", "TEI fragment"), "400": PAGE_ERROR,
                                   "404": PAGE_ERROR}, [REF], "Downloads"),
        "/alignment/{left}/{right}.xml": _op("The alignment of two documents as a TEI linkGrp",
                                             {"200": _body("application/tei+xml", "TEI linkGrp"), "404": PAGE_ERROR},
                                             [_param("left", "A document id", "path"),
                                              _param("right", "A document id", "path")], "Downloads"),
        "/api/accessibility": _op("The accessibility statement as data, in the UI language",
                                  {"200": _json({"type": "object"})}, [UI_PARAM]),
        "/": _op("Home: the documents", {"200": PAGE}, tag="Pages"),
        "/accessibility": _op("The accessibility statement (WCAG 2.1 AA)", {"200": PAGE}, [UI_PARAM], "Pages"),
        "/about": _op("Editorial principles, sources, how to cite", {"200": PAGE}, tag="Pages"),
        "/api": _op("This description as a page", {"200": PAGE}, tag="Pages"),
        "/documents/{doc_id}": _op("One document", {"200": PAGE, "404": PAGE_ERROR}, [DOC_ID], "Pages"),
        "/read": _op("The parallel reading view", {"200": PAGE, "302": {"description": "An archive of one document: "
                                                                        "its page"},
                                                   "400": PAGE_ERROR, "404": PAGE_ERROR}, READ_PARAMS, "Pages"),
        "/entities": _op("The registers", {"200": PAGE, "400": PAGE_ERROR, "404": PAGE_ERROR}, REGISTER_PARAMS, "Pages"),
        "/entities/{entity_id}": _op("One entity's page", {"200": PAGE, "400": PAGE_ERROR, "404": PAGE_ERROR},
                                     [ENTITY_ID, DOC_FILTER, UI_LANG], "Pages"),
        "/read/entities/{entity_id}": _op("One entity's full card (the reading view's, on demand)",
                                          {"200": PAGE, "400": PAGE_ERROR, "404": PAGE_ERROR},
                                          [ENTITY_ID, PAGE_PARAM, SIZE_PARAM,
                                           _param("shown", "The two documents of the reading page the card is shown in "
                                                  "(`hen,lv`): their mentions only, linked in that page")], "Pages"),
        "/notes": _op("The editorial notes", {"200": PAGE, "400": PAGE_ERROR, "404": PAGE_ERROR},
                      [_param("kind", "A note type or subtype"), DOC_FILTER], "Pages"),
        "/timeline": _op("The timeline", {"200": PAGE, "400": PAGE_ERROR, "404": PAGE_ERROR},
                         [_param("at", "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"), DOC_FILTER], "Pages"),
        "/map": _op("The map of places", {"200": PAGE, "404": PAGE_ERROR}, [DOC_FILTER], "Pages"),
        "/changes": _op("The changelog of the edition, one page of its changes", {"200": PAGE, "400": PAGE_ERROR},
                        [PAGE_PARAM, SIZE_PARAM], "Pages"),
        "/search/export.{fmt}": _op("Every result of a search as CSV or JSON",
                                    {"200": {"description": "CSV or JSON", "content": {
                                        "text/csv": {"schema": STR}, "application/json": {"schema": OBJ}}},
                                     "400": PAGE_ERROR, "404": PAGE_ERROR, "429": RATE_LIMITED, "503": PAGE_ERROR},
                                    [_param("fmt", "csv or json", "path", enum=["csv", "json"])] + SEARCH_PARAMS,
                                    "Downloads"),
        "/search": _op("Search page", {"200": PAGE, "400": PAGE_ERROR, "429": RATE_LIMITED, "503": PAGE_ERROR},
                       SEARCH_PARAMS, "Pages"),
        "/passage/{ref}": _op("The permalink page of a passage (and its JSON, text and TEI forms)",
                              {"200": {"description": "The page, or the form `format` asks for", "content": either},
                               "400": either_error, "404": either_error},
                              [REF, _param("format", "Form of the answer", enum=["html", "json", "txt", "xml"]),
                               _param("with", "`aligned`: cite together with the aligned passages",
                                      enum=["aligned"])], "Pages"),
    }


def spec() -> dict:
    """The OpenAPI 3.1 document of every route (``paths`` in the order of docs/api.md)."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "pactarchive", "version": __version__,
                 "description": "A digital edition of documents on the Estonian–Soviet Mutual Assistance Pact "
                                "of 1939: read-only JSON, TEI and HTML. Every page has a JSON twin; errors are "
                                "`{\"error\", \"status\"}`. Responses carry strong ETags (send `If-None-Match` "
                                "for a 304) and `Cache-Control: no-cache`; the JSON API and TEI downloads allow "
                                "any origin (CORS). Search is rate-limited per client address (429 with "
                                "`Retry-After`). Prose reference: docs/api.md."},
        "tags": [{"name": "API", "description": "JSON"}, {"name": "Downloads", "description": "TEI and text"},
                 {"name": "Pages", "description": "HTML pages (each has a JSON twin)"},
                 {"name": "DTS", "description": "Distributed Text Services 1.0 (docs/dts.md)"}],
        "paths": _paths(),
        "components": {"schemas": SCHEMAS},
    }
