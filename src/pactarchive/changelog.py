"""The edition's changelog as plain data, computed at build time from every file's
``revisionDesc`` (tei/revisions.py) and stored in the edition store; ``web/changes.py`` shows it.

A change *since publication* is one whose ``@n`` is later than the version in which the file's
document was published (``tei/published-refs.json``; for stand-off files, the earliest version
published there). Its ``@target`` pointers (``#xml-id`` in the same file) are resolved to

* passages — the passage itself, or the passage containing the element (kind ``text``);
* editorial notes in stand-off files — the passages the note annotates (kind ``note``);
* register entries — entity ids.

The outside sources the notes cite (``listBibl[@type='editorial-sources']`` in any stand-off
file) are listed with their addresses and the sentence the edition relies on.
"""

from __future__ import annotations

import json
import re

from .tei import NS, XML_ID, local
from .tei.revisions import changes, version_key
from .tei.text import content_text

PUBLISHED = "published-refs.json"  # cite/published.py's FILENAME; the list lives beside the TEI


def compute(corpus) -> dict:
    """``{"records": [record], "sources": [source]}`` for a loaded Corpus. A record is
    ``{"id", "file", "version", "when", "text", "since_publication", "passages": [ref],
    "notes": {note id: [ref]}, "entities": [id]}``, newest version first; a pointer that names
    nothing is left out (``check`` reports it)."""
    return {"records": _records(corpus), "sources": sources(corpus)}


def _records(c) -> list[dict]:
    baseline = _baselines(c)
    out: list[dict] = []
    for path, root in c.roots():
        for tei in _teis(root):
            base = baseline.get(path.name, baseline.get(None))
            for i, change in enumerate(changes(tei, path.name), 1):
                later = (base is not None and bool(change.version)
                         and version_key(change.version) > version_key(base))
                rec = {"id": change.id or f"{path.stem}-change-{i}", "file": path.name,
                       "version": change.version or "", "when": change.when, "text": change.text,
                       "since_publication": later, "passages": [], "notes": {}, "entities": []}
                for target in change.targets:
                    _resolve(c, path, target, rec)
                out.append(rec)
    out.sort(key=lambda r: version_key(r["version"]), reverse=True)
    return out


def sources(c) -> list[dict]:
    """The outside sources the editorial notes cite: ``{"id", "file", "text", "url", "relied_on",
    "parts", "relied_on_parts"}``."""
    out = []
    for path, root in c.roots():
        for bibl in root.iterfind(".//tei:standOff//tei:listBibl[@type='editorial-sources']/tei:bibl", NS):
            uri = bibl.find("tei:idno[@type='URI']", NS)
            relied = bibl.find("tei:note[@type='relied-on']", NS)
            out.append({"id": bibl.get(XML_ID), "file": path.name,
                        "text": tidy(content_text(bibl, skip=("idno", "note"))).rstrip(" ."),
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
    out = [{"text": tidy(text), "lang": lang} for text, lang in merged]
    if out:
        out[0]["text"], out[-1]["text"] = out[0]["text"].lstrip(), out[-1]["text"].rstrip()
    return [run for run in out if run["text"]]


def tidy(text: str) -> str:
    """White space collapsed, and the ". ." left where an address was taken out made one."""
    return re.sub(r"\.\s+\.", ".", re.sub(r"\s+", " ", text))


def _baselines(c) -> dict:
    """File name -> the version its document was published in; None -> the earliest version
    published (for stand-off files). Empty when the corpus has no published-refs list."""
    try:
        listed = json.loads((c.tei_dir / PUBLISHED).read_text(encoding="utf-8")).get("documents", {})
    except Exception:  # no list, or an unreadable one: nothing counts as changed since publication
        return {}
    out = {entry["file"]: entry["version"] for entry in listed.values() if entry.get("file")}
    versions = sorted(out.values(), key=version_key)
    if versions:
        out[None] = versions[0]
    return out


def _teis(root):
    return [root] if local(root) == "TEI" else root.iterfind(".//tei:TEI", NS)


def _resolve(c, path, target: str, rec: dict) -> None:
    el = c.target(f"#{target}", path)
    if el is None:
        return
    located = c.locate(el)
    if located is not None:
        rec["passages"].append(located.ref)
    elif target in c.entities:
        rec["entities"].append(target)
    elif local(el) == "note":
        rec["notes"][target] = [r for n in c.notes if n.id == target for r in n.targets]
