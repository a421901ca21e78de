"""Citable passages: the permalink page /passage/<ref> (one passage or a range), "cite both
sides" (?with=aligned), the passage as plain text and as a TEI fragment, the alignment of a
document pair, and the citation metadata every citable page carries in its head.

    /passage/<ref>                     page (?format=json: its JSON; txt, xml: downloads)
    /passage/<ref>?with=aligned        the passage and its aligned counterparts cited together
    /passage/<ref>.txt, .xml           plain text; TEI fragment
    /api/alignment?left=A&right=B      alignment of two documents (JSON)
    /alignment/<left>/<right>.xml      the same as a TEI linkGrp
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import date
from types import SimpleNamespace

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for

from .. import cite, refs
from ..cite import context, csl, downloads
from ..errors import PactArchiveError
from . import corpus, data, i18n

bp = Blueprint("citing", __name__)
FORMATS = ("html", "json", "txt", "xml")
LABELS = dict(cite.styles.LABELS, bibtex="BibTeX", ris="RIS")


@bp.get("/passage/<path:ref>")
def passage(ref):
    fmt = request.args.get("format", "html")
    if fmt not in FORMATS:
        abort(400, f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt == "txt":
        return passage_txt(ref)
    if fmt == "xml":
        return passage_xml(ref)
    if request.args.get("with") == "aligned":
        return _both_sides(ref, fmt)
    d = data.passage(corpus(), ref)
    if fmt == "json":
        return jsonify(d)
    _in_ui_language(d)
    return render_template("passage.html", p=d, view=_view(d), json_url=url_for("api.passage", ref=ref))


@bp.get("/passage/<path:ref>.txt")
def passage_txt(ref):
    located = corpus().resolve(ref)
    lang = i18n.ui_lang()
    body = downloads.plain_text(located, cached_citations(citation_record(located, ref, lang), lang)["chicago"])
    g.ui_dependent = True  # the citation is in the interface language: i18n adds Vary and a language-keyed ETag
    return Response(body, mimetype="text/plain", headers=_disposition(ref, "txt"))


@bp.get("/passage/<path:ref>.xml")
def passage_xml(ref):
    located = corpus().resolve(ref)
    version = edition_of(located[0].doc).version
    body = downloads.tei_fragment(located, ref, version, permalink(ref))
    return Response(body, mimetype="application/tei+xml", headers=_disposition(ref, "xml"))


@bp.get("/api/alignment")
def alignment_json():
    left, right = _pair()
    return jsonify(_alignment(left, right))


@bp.get("/alignment/<left>/<right>.xml")
def alignment_xml(left, right):
    body = downloads.alignment_tei(corpus(), _alignment(left, right), permalink)
    return Response(body, mimetype="application/tei+xml",
                    headers={"Content-Disposition": f'inline; filename="align-{left}-{right}.xml"'})


# -- helpers shared with data.py and the templates ------------------------------------------

def permalink(ref: str) -> str:
    """The absolute permalink of a ref: BASE_URL (config) when set, else this request's host."""
    return absolute(url_for("citing.passage", ref=ref))


def absolute(path: str) -> str:
    base = current_app.config.get("BASE_URL")
    path = path[len(request.script_root):] if path.startswith(request.script_root) else path
    return (base.rstrip("/") if base else request.url_root.rstrip("/")) + path


def citation_record(located: list, ref: str, lang: str = "en") -> dict:
    """The CSL-JSON record; a single passage named by an xml:id alias is cited by its path.
    (``cite.record`` with the edition facts read from the stored header, not the TEI file.)
    For ``lang`` other than English the title ("Sentence lv:1.1.1") is translated into the
    interface language of this request (``i18n.term``: "Teikums lv:1.1.1")."""
    ref = located[0].ref if len(located) == 1 else ref
    unit, count = located[0].passage.unit, len(located)
    title = i18n.term(csl.title_for(unit, ref, count)) if lang != "en" else None
    return csl.record(edition_of(located[0].doc), ref, unit, permalink(ref), cite.today(), count=count,
                      dts=dts_address(located, ref), title=title)


def dts_address(located: list, ref: str) -> dict:
    """The passage as a DTS client addresses it (docs/dts.md): the Resource's ``@id`` (its
    document page's URL), ``ref`` (or ``start``/``end`` for a range) and the Document endpoint
    URL that returns it."""
    doc_id = located[0].doc.id
    resource = absolute(url_for("pages.document", doc_id=doc_id))
    if len(located) == 1:
        where = {"ref": located[0].passage.path}
    else:
        where = {"start": located[0].passage.path, "end": located[-1].passage.path}
    return {"resource": resource, **where,
            "document": absolute(url_for("dts.document", resource=resource, **where))}


_EDITIONS: OrderedDict = OrderedDict()
_EDITIONS_LOCK = threading.Lock()


def edition_of(doc) -> cite.Edition:
    """What a citation needs of a stored document (``cite.from_document`` on the teiHeader kept
    in the store), computed once per generation and document."""
    key = (str(doc.edition.path), doc.id)
    found = _EDITIONS.get(key)
    if found is None:
        header = SimpleNamespace(id=doc.id, title=doc.title, lang=doc.lang, metadata=doc.metadata,
                                 path=doc.path, element=doc.edition.header(doc.id))
        found = cite.from_document(header)
        with _EDITIONS_LOCK:
            _EDITIONS[key] = found
            while len(_EDITIONS) > 4096:
                _EDITIONS.popitem(last=False)
    return found


def citation(located: list, ref: str, lang: str = "en") -> dict:
    """The "citation" object of /api/passages/<ref>: chicago, mla, apa, bibtex, ris, csl; in
    English (the JSON twin), or in ``lang`` for a page in that interface language."""
    return cached_citations(citation_record(located, ref, lang), lang)


# Citations are cached per record *without* its access date, and per language (citeproc costs
# ~40 ms a style): the record is rendered once with a placeholder date, and each request writes
# its own access date into the cached texts. A hit takes no lock; a miss renders without one
# (cite.styles keeps a style object per thread) and locks only to insert.
_PLACEHOLDER = date(1111, 11, 11)
_CITATIONS: OrderedDict = OrderedDict()
_CITATIONS_LOCK = threading.Lock()
CITATION_CACHE = 10_000  # records (about 3 KB each)


def cached_citations(rec: dict, lang: str = "en") -> dict:
    """``cite.citations(rec, lang)``, from a cache keyed by the language and the record
    without its access date."""
    accessed = csl.accessed_date(rec)
    placeholder = dict(rec, accessed={"date-parts": [[_PLACEHOLDER.year, _PLACEHOLDER.month, _PLACEHOLDER.day]]})
    key = lang + json.dumps(placeholder, sort_keys=True, ensure_ascii=False)
    texts = _CITATIONS.get(key)
    if texts is None:
        texts = {k: v for k, v in cite.citations(placeholder, lang).items() if k != "csl"}
        with _CITATIONS_LOCK:
            _CITATIONS[key] = texts
            while len(_CITATIONS) > CITATION_CACHE:
                _CITATIONS.popitem(last=False)
    forms = list(zip(_date_forms(_PLACEHOLDER, lang), _date_forms(accessed, lang)))
    out = {}
    for k, text in texts.items():
        for old, new in forms:
            text = text.replace(old, new)
        out[k] = text
    out["csl"] = rec
    return out


def _date_forms(d: date, lang: str) -> list[str]:
    """The ways the styles and formats write an access date (cite.styles, cite.export)."""
    return cite.styles.date_forms(d, lang) + [d.isoformat(), f"{d.year}/{d.month:02d}/{d.day:02d}"]


@bp.app_template_global("example_ref")
def example_ref() -> str | None:
    """The ref the pages give as an example of a permalink: the first passage, at the finest
    level, of the archive's first document (``lv:1.1.1`` in this edition); None for an
    archive without passages."""
    doc = next(iter(corpus().documents.values()), None)
    p = doc.passages[0] if doc is not None and doc.passages else None
    if p is None:
        return None
    while p.children:
        p = p.children[0]
    return refs.format_ref(doc.id, p.path)


@bp.app_template_global("cite_meta")
def cite_meta(doc: dict | None = None, p: dict | None = None) -> dict | None:
    """Canonical URL, JSON and TEI links and Highwire Press ``citation_*`` tags for a document
    page (``doc``, a dict with ``id``) or a passage page (``p``, a dict with ``ref``)."""
    try:
        if p and p.get("ref"):
            return _passage_meta(p["ref"])
        if doc and doc.get("id"):
            return _document_meta(doc["id"])
    except PactArchiveError:  # nothing to describe: the page itself reports the error
        return None
    return None


def _passage_meta(ref: str) -> dict:
    located = corpus().resolve(ref)
    rec = citation_record(located, ref)
    edition = edition_of(located[0].doc)
    canonical = rec["URL"] + ("?with=aligned" if request.args.get("with") == "aligned" else "")
    return {"canonical": canonical, "json": url_for("api.passage", ref=ref),
            "tei": url_for("citing.passage_xml", ref=ref),
            "tags": _tags(edition, rec["title"], rec["URL"]) + [("citation_inbook_title", edition.title)]}


def _document_meta(doc_id: str) -> dict:
    edition = edition_of(corpus().document(doc_id))
    url = absolute(url_for("pages.document", doc_id=doc_id))
    return {"canonical": url, "json": url_for("api.document", doc_id=doc_id),
            "tei": url_for("api.tei_source", doc_id=doc_id), "tags": _tags(edition, edition.title, url)}


def _tags(edition, title: str, url: str) -> list[tuple[str, str]]:
    tags = [("citation_title", title)]
    tags += [("citation_author", a) for a in edition.authors or edition.editors]
    tags += [("citation_editor", e) for e in edition.editors]
    if edition.year:
        tags.append(("citation_publication_date", edition.year))
    tags += [("citation_publisher", edition.publisher), ("citation_language", edition.lang),
             ("citation_public_url", url)]
    return tags


# -- page views -------------------------------------------------------------------------------

def _view(d: dict) -> dict:
    """What passage.html shows beyond the passage dict: context, cite box, downloads."""
    c = corpus()
    located = c.resolve(d["ref"])
    doc, p = located[0].doc, located[0].passage
    view = {"edition": edition_of(doc), "permalink": permalink(d["ref"]),
            "breadcrumb": context.breadcrumb(doc, p), "cite": _cite_box([d], d["citation"]),
            "fragment_link": url_for("reading.read", at=d["ref"]) + downloads.text_fragment(d["text"]),
            "downloads": _downloads(d["ref"], doc.id)}
    if len(located) == 1:
        view["surroundings"] = context.surroundings(doc, p)
        view["children"] = context.children(doc, p)
    return view


def _both_sides(ref: str, fmt: str):
    c = corpus()
    d = data.passage(c, ref)
    items = [d] + [data.passage(c, a["ref"]) for a in d["aligned"]]
    for i in items:
        i["version"] = i["citation"]["csl"]["version"]
    if fmt == "json":
        combined = cite.combined([i["citation"]["csl"] for i in items])
        return jsonify({"ref": ref, "passages": items, "citation": combined})
    for i in items:
        _in_ui_language(i)
    combined = cite.combined([i["citation"]["csl"] for i in items], i18n.ui_lang())
    view = _view(d)
    view["cite"] = _cite_box(items, combined)
    view["permalink"] = absolute(url_for("citing.passage", ref=ref, **{"with": "aligned"}))
    view["both"] = items
    json_url = url_for("citing.passage", ref=ref, **{"with": "aligned", "format": "json"})
    return render_template("passage.html", p=d, view=view, json_url=json_url)


def _in_ui_language(d: dict) -> None:
    """Give a passage dict (``data.passage``: its citation in English, as the JSON twin has
    it) the citation in this request's interface language, for its page."""
    lang = i18n.ui_lang()
    if lang != "en":
        d["citation"] = citation(corpus().resolve(d["ref"]), d["ref"], lang)


def _cite_box(items: list[dict], citation: dict) -> dict:
    """The citation texts per format and, per style, the quotation(s) with citation."""
    texts = {k: citation[k] for k in ("chicago", "mla", "apa", "bibtex", "ris")}
    quotes = {style: "\n\n".join(f"“{i['text']}”\n{i['citation'][style]}" for i in items)
              for style in ("chicago", "mla", "apa")}
    return {"texts": texts, "quotations": quotes, "csl": citation["csl"], "labels": LABELS}


def _downloads(ref: str, doc_id: str) -> list[dict]:
    out = [{"label": "Passage as plain text", "href": url_for("citing.passage_txt", ref=ref), "type": "text/plain"},
           {"label": "Passage as TEI fragment", "href": url_for("citing.passage_xml", ref=ref), "type": "application/tei+xml"},
           {"label": "Whole document as TEI", "href": url_for("api.tei_source", doc_id=doc_id), "type": "application/tei+xml"}]
    for left, right in corpus().pairs_of((doc_id,)):  # this document's pairs (an index lookup), not every pair
        out.append({"label": f"Alignment {left}–{right} as TEI linkGrp", "type": "application/tei+xml",
                    "href": url_for("citing.alignment_xml", left=left, right=right)})
        out.append({"label": f"Alignment {left}–{right} as JSON", "type": "application/json",
                    "href": url_for("citing.alignment_json", left=left, right=right)})
    return out


def _pair() -> tuple[str, str]:
    left, right = request.args.get("left", "").strip(), request.args.get("right", "").strip()
    if not left or not right:
        abort(400, "give two document ids: /api/alignment?left=hen&right=lv")
    return left, right


def _alignment(left: str, right: str) -> dict:
    """As ``downloads.alignment``, from the store in one query. Raises UnknownDocument."""
    return corpus().alignment(left, right)


def _disposition(ref: str, ext: str) -> dict:
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in ref)
    return {"Content-Disposition": f'inline; filename="{safe}.{ext}"'}
