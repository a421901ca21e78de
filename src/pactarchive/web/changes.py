"""The edition's public changelog and the "changed in <version>" marks.

    /changes          every recorded change of every TEI file, newest version first (HTML),
                      one page at a time (``?page=&size=``, paging.py)
    /api/changes      the same dict as JSON (docs/api.md), with Link and X-Total-Count

The changelog is built from each file's ``teiHeader/revisionDesc//change`` as
``tei.revisions.changes`` reads it (one contract for what a change is, docs/citation.md), computed
at build time by ``changelog.compute`` and kept in the edition store. A
change *since publication* is one whose ``@n`` is later than the version in which the file's
document was published (``tei/published-refs.json``; for stand-off files, the earliest version
published there). Its ``@target`` pointers (``#xml-id`` in the same file) are resolved to

* passages — the passage itself, or the passage containing the element (kind ``text``);
* editorial notes in stand-off files — the passages the note annotates (kind ``note``);
* register entries — entity ids.

Every passage so reached gets a mark (``marks``) linking to the change's anchor on /changes,
shown on /passage/<ref> and in the reading view. The changelog comes in pages, so every link to a
change names the page that holds it (``anchor``: ``/changes?page=N#<id>``). The outside sources
the notes cite (``listBibl[@type='editorial-sources']`` in any stand-off file) are listed on every
page with their addresses.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, field

from flask import Blueprint, current_app, jsonify, render_template, url_for
from markupsafe import Markup, escape

from .. import refs
from .. import changelog as changelog_data
from . import corpus, paging

bp = Blueprint("changes", __name__)


@dataclass
class Record:
    """One change of one file, resolved against the corpus."""

    id: str
    file: str
    version: str
    when: str
    text: str
    since_publication: bool
    passages: list[str] = field(default_factory=list)  # refs whose own encoding changed
    notes: dict[str, list[str]] = field(default_factory=dict)  # note id -> refs it annotates
    entities: list[str] = field(default_factory=list)

    def to_dict(self, position: int, size: int | None = None) -> dict:
        """The record as /api/changes shows it; ``position`` is its index in the whole changelog
        and ``size`` the page size its ``url`` assumes (``anchor``)."""
        return {"id": self.id, "file": self.file, "version": self.version, "when": self.when,
                "text": self.text, "since_publication": self.since_publication,
                "url": anchor(self.id, position, size),
                "passages": [{"ref": r, "url": url_for("citing.passage", ref=r)} for r in self.passages],
                "notes": [{"id": n, "passages": targets} for n, targets in self.notes.items()],
                "entities": self.entities}


def _data(c) -> dict:
    """The changelog data of the served generation (computed at build, ``changelog.compute``,
    kept in the edition store); for a corpus loaded in memory (tests, tools), computed here."""
    stored = getattr(c, "changelog", None)
    return stored() if callable(stored) else changelog_data.compute(c)


def records(c) -> list[Record]:
    """Every change of every file, newest version first, then by file order."""
    return [Record(**r) for r in _data(c)["records"]]


def page_size() -> int:
    """How many changes a page of /changes and /api/changes holds without ``?size=`` (app setting
    ``CHANGES_PAGE_SIZE``, default ``paging.DEFAULT_SIZE``): also the page size the links to a
    change from elsewhere (the marks) assume."""
    return current_app.config.get("CHANGES_PAGE_SIZE", paging.DEFAULT_SIZE)


def anchor(record_id: str, position: int, size: int | None = None) -> str:
    """The link to a change's entry on /changes: the page that holds the record at ``position``
    (its index in the whole changelog, from 0) when a page holds ``size`` records (default:
    ``page_size()``, then left out of the URL), and ``#<id>``. Every link to a change is built
    here, so it lands on the page that shows it."""
    default = page_size()
    size = size or default
    page = position // size + 1
    return url_for("changes.changelog_page", page=page if page > 1 else None,
                   size=size if size != default else None) + f"#{record_id}"


_indexes: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # corpus or Edition -> (marks, positions)
_indexes_lock = threading.Lock()


def _compiled(c) -> tuple[dict[str, dict[str, list[dict]]], dict[str, int]]:
    """``(_index, _positions)`` of a generation: one walk over its changelog, computed once per
    generation (an Edition is immutable) and kept while it is served."""
    found = _indexes.get(c)
    if found is not None:
        return found
    by_doc: dict[str, dict[str, list[dict]]] = {}
    positions: dict[str, int] = {}
    for position, rec in enumerate(records(c)):
        positions.setdefault(rec.id, position)
        if not rec.since_publication:
            continue
        reached = [(r, "text") for r in rec.passages]
        reached += [(r, "note") for targets in rec.notes.values() for r in targets]
        for ref, kind in dict.fromkeys(reached):
            by_doc.setdefault(ref.split(":", 1)[0], {}).setdefault(ref, []).append(
                {"id": rec.id, "version": rec.version, "when": rec.when, "kind": kind})
    with _indexes_lock:
        _indexes[c] = found = (by_doc, positions)
    return found


def _index(c) -> dict[str, dict[str, list[dict]]]:
    """Document id -> passage ref -> the changes since publication that reached the passage
    (``{"id", "version", "when", "kind"}``, in changelog order): a page looks its passages up in
    it instead of walking every record of the archive's changelog."""
    return _compiled(c)[0]


def _positions(c) -> dict[str, int]:
    """Change id -> its index in the whole changelog (the first, should two files reuse an id):
    what ``anchor`` needs to name the page of /changes that holds it."""
    return _compiled(c)[1]


def _linked(c, by_ref: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The marks with the ``url`` of their change on /changes (this request's script root; the
    page that holds the change, ``anchor``)."""
    at = _positions(c)
    return {ref: [dict(m, url=anchor(m["id"], at.get(m["id"], 0))) for m in found] for ref, found in by_ref.items()}


def marks(c) -> dict[str, list[dict]]:
    """Passage ref -> the changes since publication that reached it:
    ``{"id", "version", "when", "kind": "text"|"note", "url"}``, in changelog order (every
    passage of the archive: prefer ``marks_in``)."""
    return _linked(c, {ref: found for per_doc in _index(c).values() for ref, found in per_doc.items()})


def marks_in(c, doc_ids) -> dict[str, list[dict]]:
    """``marks`` of the passages of the documents ``doc_ids`` only (a lookup per document)."""
    index = _index(c)
    return _linked(c, {ref: found for d in dict.fromkeys(doc_ids) for ref, found in index.get(d, {}).items()})


def marks_for(c, shown: list[str]) -> list[dict]:
    """The marks of the given passages, of the passages inside them and of those containing them
    (a passage page: the passage, or every passage of a range), each with its ``ref``."""
    def related(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")
    every = marks_in(c, (r.split(":", 1)[0] for r in shown))
    return list({m["id"] + ref: dict(m, ref=ref) for ref, found in every.items()
                 if any(related(ref, r) for r in shown) for m in found}.values())


def changelog(c, page: int = 1, size: int | None = None) -> tuple[dict, int]:
    """The dict /changes and /api/changes show, with one page of the changes (``page`` from 1,
    ``size`` changes a page, default ``page_size()``): its ``versions`` group the changes of
    that page; ``changed_passages`` and ``sources`` are whole. Returns ``(dict, total)``, total
    being the number of changes in the whole changelog."""
    size = size or page_size()
    every = _data(c)["records"]
    start = (page - 1) * size
    versions: dict[str, list[dict]] = {}
    for position, r in enumerate(every[start:start + size], start):
        rec = Record(**r)
        versions.setdefault(rec.version or "unversioned", []).append(rec.to_dict(position, size))
    return {"versions": [{"version": v, "changes": items} for v, items in versions.items()],
            "changed_passages": _in_reading_order(c, marks(c)),
            "sources": sources(c),
            "url": url_for("changes.changelog_page"), "api": url_for("changes.changelog_json")}, len(every)


def sources(c) -> list[dict]:
    """The outside sources the editorial notes cite: ``{"id", "file", "text", "url", "relied_on",
    "parts", "relied_on_parts"}`` (``changelog.sources``)."""
    return _data(c)["sources"]


_IDS = re.compile(r'\sid="([^"]+)"')


def mark_html(html: str, c) -> Markup:
    """``html`` (a rendered reading column) with a "changed in <version>" link added at the end
    of every passage element (``id="<ref>"``) that a change since publication reached. Only the
    documents whose passages the column holds are looked up."""
    out = str(html)
    docs = {m.group(1).split(":", 1)[0] for m in _IDS.finditer(out) if ":" in m.group(1)}
    for ref, found in marks_in(c, sorted(docs)).items():
        start = out.find(f'id="{escape(ref)}"')
        if start >= 0:
            out = _insert(out, start, "".join(_mark(m) for m in _per_change(found)))
    return Markup(out)


# -- helpers ---------------------------------------------------------------------------------

def _mark(m: dict) -> str:
    from .i18n import gettext, isodate, ui_lang  # the mark speaks the interface's language
    what = (gettext("note changed in %(version)s", version=m["version"]) if m["kind"] == "note"
            else gettext("changed in %(version)s", version=m["version"]))
    title = gettext("See the change of %(when)s in the changelog", when=isodate(m["when"]))
    return (f'<a class="changed-mark" lang="{ui_lang()}" href="{escape(m["url"])}" '
            f'title="{escape(title)}">{escape(what)}</a>')


def _per_change(found: list[dict]) -> list[dict]:
    return list({m["id"]: m for m in found}.values())


def _insert(html: str, start: int, marks_html: str) -> str:
    """Put ``marks_html`` at the end of the element whose id attribute begins at ``start``,
    just before its end tag (after its text and note markers, where a click on the sentence
    cannot land on it); unchanged when the element is not closed."""
    tag_start = html.rfind("<", 0, start)
    name = re.match(r"<([A-Za-z][\w-]*)", html[tag_start:]).group(1)
    opening, closing = re.compile(rf"<{name}[\s>]"), f"</{name}>"
    depth, i = 1, html.find(">", start) + 1
    while depth:
        nxt_close = html.find(closing, i)
        if nxt_close < 0:
            return html
        found = opening.search(html, i, nxt_close)
        if found:
            depth, i = depth + 1, found.end()
        else:
            depth, i = depth - 1, nxt_close + len(closing)
    end = i - len(closing)
    return html[:end] + marks_html + html[end:]


def _in_reading_order(c, found) -> list[str]:
    in_order = getattr(c, "in_reading_order", None)
    if in_order is not None:  # the edition store knows every passage's position
        return in_order(found)
    wanted = set(found)
    return [ref for doc in c.documents.values() for p in doc.all_passages()
            if (ref := refs.format_ref(doc.id, p.path)) in wanted]


@bp.get("/changes")
def changelog_page():
    page, size = paging.params(default=page_size())
    log, total = changelog(corpus(), page, size)
    first = min((page - 1) * size + 1, total)
    shown = {"first": first, "last": min(page * size, total), "total": total,
             "pages": paging.nav("changes.changelog_page", page, size, total, default=page_size())}
    return render_template("changes.html", log=log, shown=shown,
                           json_url=url_for("changes.changelog_json", page=page if page > 1 else None,
                                            size=size if size != page_size() else None))


@bp.get("/api/changes")
def changelog_json():
    """The changelog's dict; its ``versions`` hold one page of the changes (``?page=&size=``,
    default 100; Link, X-Total-Count: paging.py)."""
    page, size = paging.params(default=page_size())
    log, total = changelog(corpus(), page, size)
    return jsonify(log), paging.headers(page, size, total)


@bp.app_template_filter("changed_marks")
def changed_marks_filter(html):
    """Jinja filter for the reading view: ``{{ col.html|changed_marks }}``."""
    return mark_html(html, corpus())
