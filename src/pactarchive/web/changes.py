"""The edition's public changelog and the "changed in <version>" marks.

    /changes          every recorded change of every TEI file, newest version first (HTML)
    /api/changes      the same dict as JSON (docs/api.md)

The changelog is built from each file's ``teiHeader/revisionDesc//change`` as
``cite.published.changes`` reads it (one contract for what a change is, docs/citation.md). A
change *since publication* is one whose ``@n`` is later than the version in which the file's
document was published (``tei/published-refs.json``; for stand-off files, the earliest version
published there). Its ``@target`` pointers (``#xml-id`` in the same file) are resolved to

* passages — the passage itself, or the passage containing the element (kind ``text``);
* editorial notes in stand-off files — the passages the note annotates (kind ``note``);
* register entries — entity ids.

Every passage so reached gets a mark (``marks``) linking to the change's anchor on /changes,
shown on /passage/<ref> and in the reading view. The outside sources the notes cite
(``listBibl[@type='editorial-sources']`` in any stand-off file) are listed on the same page with
their addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, jsonify, render_template, url_for
from markupsafe import Markup, escape

from .. import refs
from ..cite import published
from ..tei import NS, XML_ID, local
from ..tei.text import content_text
from . import corpus

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

    def to_dict(self) -> dict:
        anchor = url_for("changes.changelog_page") + f"#{self.id}"
        return {"id": self.id, "file": self.file, "version": self.version, "when": self.when,
                "text": self.text, "since_publication": self.since_publication, "url": anchor,
                "passages": [{"ref": r, "url": url_for("citing.passage", ref=r)} for r in self.passages],
                "notes": [{"id": n, "passages": targets} for n, targets in self.notes.items()],
                "entities": self.entities}


_CACHE: dict[int, tuple[object, list[Record]]] = {}


def records(c) -> list[Record]:
    """Every change of every file of corpus ``c``, newest version first, then by file order.
    Never raises: a pointer that names nothing is left out (``check`` reports it). Computed once
    per loaded corpus."""
    cached = _CACHE.get(id(c))
    if cached is not None and cached[0] is c:
        return cached[1]
    _CACHE.clear()
    _CACHE[id(c)] = (c, _records(c))
    return _CACHE[id(c)][1]


def _records(c) -> list[Record]:
    baseline = _baselines(c)
    out: list[Record] = []
    for path, root in c.roots():
        for tei in _teis(root):
            base = baseline.get(path.name, baseline.get(None))
            for i, change in enumerate(published.changes(tei, path.name), 1):
                later = (base is not None and bool(change.version)
                         and published.version_key(change.version) > published.version_key(base))
                rec = Record(change.id or f"{path.stem}-change-{i}", path.name, change.version or "",
                             change.when, change.text, later)
                for target in change.targets:
                    _resolve(c, path, target, rec)
                out.append(rec)
    out.sort(key=lambda r: published.version_key(r.version), reverse=True)
    return out


def marks(c) -> dict[str, list[dict]]:
    """Passage ref -> the changes since publication that reached it:
    ``{"id", "version", "when", "kind": "text"|"note", "url"}``, in changelog order."""
    found: dict[str, list[dict]] = {}
    for rec in records(c):
        if not rec.since_publication:
            continue
        reached = [(r, "text") for r in rec.passages]
        reached += [(r, "note") for targets in rec.notes.values() for r in targets]
        for ref, kind in dict.fromkeys(reached):
            found.setdefault(ref, []).append({"id": rec.id, "version": rec.version, "when": rec.when,
                                              "kind": kind, "url": url_for("changes.changelog_page") + f"#{rec.id}"})
    return found


def marks_for(c, shown: list[str]) -> list[dict]:
    """The marks of the given passages, of the passages inside them and of those containing them
    (a passage page: the passage, or every passage of a range), each with its ``ref``."""
    def related(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")
    every = marks(c)
    return list({m["id"] + ref: dict(m, ref=ref) for ref, found in every.items()
                 if any(related(ref, r) for r in shown) for m in found}.values())


def changelog(c) -> dict:
    """The dict /changes and /api/changes show."""
    recs = records(c)
    versions: dict[str, list[dict]] = {}
    for rec in recs:
        versions.setdefault(rec.version or "unversioned", []).append(rec.to_dict())
    return {"versions": [{"version": v, "changes": items} for v, items in versions.items()],
            "changed_passages": _in_reading_order(c, marks(c)),
            "sources": sources(c),
            "url": url_for("changes.changelog_page"), "api": url_for("changes.changelog_json")}


def sources(c) -> list[dict]:
    """The outside sources the editorial notes cite: ``{"id", "file", "text", "url", "relied_on"}``."""
    out = []
    for path, root in c.roots():
        for bibl in root.iterfind(".//tei:standOff//tei:listBibl[@type='editorial-sources']/tei:bibl", NS):
            uri = bibl.find("tei:idno[@type='URI']", NS)
            relied = bibl.find("tei:note[@type='relied-on']", NS)
            out.append({"id": bibl.get(XML_ID), "file": path.name,
                        "text": _tidy(content_text(bibl, skip=("idno", "note"))).rstrip(" ."),
                        "url": (uri.text or "").strip() if uri is not None else None,
                        "relied_on": content_text(relied) if relied is not None else "",
                        "parts": _parts(bibl, skip=("idno", "note")),
                        "relied_on_parts": _parts(relied) if relied is not None else []})
    return out


def _parts(el, skip: tuple[str, ...] = ()) -> list[dict]:
    """The text of ``el`` as runs ``{"text", "lang"}``: a child with its own ``xml:lang`` (a
    title, a quotation) is a run in that language, so a page can mark it up; ``lang`` is None
    for the surrounding (English) text. Children named in ``skip`` are left out."""
    runs: list[list] = [[el.text or "", None]]
    for child in el:
        if isinstance(child.tag, str) and local(child) not in skip:
            lang = child.get("{http://www.w3.org/XML/1998/namespace}lang")
            runs.append([content_text(child), lang])
        runs.append([child.tail or "", None])
    merged: list[list] = []
    for text, lang in runs:
        if merged and merged[-1][1] == lang:
            merged[-1][0] += text
        elif text:
            merged.append([text, lang])
    out = [{"text": _tidy(text), "lang": lang} for text, lang in merged]
    if out:
        out[0]["text"], out[-1]["text"] = out[0]["text"].lstrip(), out[-1]["text"].rstrip()
    return [run for run in out if run["text"]]


def mark_html(html: str, c) -> Markup:
    """``html`` (a rendered reading column) with a "changed in <version>" link added at the end
    of every passage element (``id="<ref>"``) that a change since publication reached."""
    out = str(html)
    for ref, found in marks(c).items():
        start = out.find(f'id="{escape(ref)}"')
        if start >= 0:
            out = _insert(out, start, "".join(_mark(m) for m in _per_change(found)))
    return Markup(out)


# -- helpers ---------------------------------------------------------------------------------

def _tidy(text: str) -> str:
    """White space collapsed, and the ". ." left where an address was taken out made one."""
    return re.sub(r"\.\s+\.", ".", re.sub(r"\s+", " ", text))


def _mark(m: dict) -> str:
    what = "note changed" if m["kind"] == "note" else "changed"
    return (f'<a class="changed-mark" lang="en" href="{escape(m["url"])}" '
            f'title="See the change of {escape(m["when"])} in the changelog">{what} in {escape(m["version"])}</a>')


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


def _baselines(c) -> dict:
    """File name -> the version its document was published in; None -> the earliest version
    published (for stand-off files). Empty when the corpus has no published-refs list."""
    try:
        listed = published.load(c.tei_dir / published.FILENAME).get("documents", {})
    except Exception:  # no list, or an unreadable one: nothing counts as changed since publication
        return {}
    out = {entry["file"]: entry["version"] for entry in listed.values() if entry.get("file")}
    versions = sorted(out.values(), key=published.version_key)
    if versions:
        out[None] = versions[0]
    return out


def _in_reading_order(c, found) -> list[str]:
    wanted = set(found)
    return [ref for doc in c.documents.values() for p in doc.all_passages()
            if (ref := refs.format_ref(doc.id, p.path)) in wanted]


def _teis(root):
    return [root] if local(root) == "TEI" else root.iterfind(".//tei:TEI", NS)


def _resolve(c, path, target: str, rec: Record) -> None:
    el = c.target(f"#{target}", path)
    if el is None:
        return
    located = c.locate(el)
    if located is not None:
        rec.passages.append(located.ref)
    elif target in c.entities:
        rec.entities.append(target)
    elif local(el) == "note":
        rec.notes[target] = [r for n in c.notes if n.id == target for r in n.targets]


@bp.get("/changes")
def changelog_page():
    return render_template("changes.html", log=changelog(corpus()), json_url=url_for("changes.changelog_json"))


@bp.get("/api/changes")
def changelog_json():
    return jsonify(changelog(corpus()))


@bp.app_template_filter("changed_marks")
def changed_marks_filter(html):
    """Jinja filter for the reading view: ``{{ col.html|changed_marks }}``."""
    return mark_html(html, corpus())
