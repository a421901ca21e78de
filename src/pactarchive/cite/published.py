"""Ref stability: the published-refs list and the rule that protects it.

``tei/published-refs.json`` lists every ref the edition has published — every section,
paragraph and sentence of every document — with the passage's xml:id and the SHA-256 of its
edited text (white space normalised), and each document's edition version at the time.

The rule (docs/citation.md): a published ref must keep resolving, to the same text, unless the
change is recorded in that document's changelog, ``teiHeader/revisionDesc//change``, by a
``change`` that

* has ``@n`` = the edition version that made the change, later than the version the ref was
  published in and not later than the document's current version (editionStmt/edition/@n), and
* has ``@target`` pointing (``lv.xml#lv-s12`` or ``#lv-s12``) at the passage, at a passage
  inside it or at a passage containing it — by xml:id, which for a removed passage is the one
  recorded in the list.

Versions compare as dotted numbers (1.10 > 1.9); "unversioned" precedes every version.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .. import refs
from ..errors import PactArchiveError
from ..tei import NS, XML_ID
from ..tei.revisions import Change, changes, version_key  # noqa: F401  (re-exported)
from .edition import UNVERSIONED

FILENAME = "published-refs.json"
ABOUT = ("Every published passage ref of the edition, with the xml:id of its element and the SHA-256 "
         "of its edited text (white space normalised). A test fails when a ref disappears or its text "
         "changes without a revisionDesc/change recording it. Regenerate deliberately with "
         "`python -m pactarchive.cite --update-published`; see docs/citation.md.")


class PublishedRefsError(PactArchiveError):
    """The published-refs list cannot be read, or published refs changed without a record."""


@dataclass(frozen=True)
class Breach:
    ref: str
    kind: str  # "missing" or "changed"
    message: str

    def __str__(self) -> str:
        return f"{self.ref}: {self.message}"


def text_hash(text: str) -> str:
    """SHA-256 of the white-space-normalised text.

    >>> text_hash("a  b")[:12] == text_hash(" a b ")[:12]
    True
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def snapshot(corpus) -> dict:
    """The list as it would be published now."""
    docs = {}
    for doc in corpus.documents.values():
        entries = {refs.format_ref(doc.id, p.path): {"id": p.xml_id, "sha256": text_hash(p.text())}
                   for p in doc.all_passages()}
        docs[doc.id] = {"file": doc.path.name, "version": doc.metadata.get("edition_n") or UNVERSIONED,
                        "refs": entries}
    return {"about": ABOUT, "format": 1, "documents": docs}


def load(path: Path) -> dict:
    """Raises PublishedRefsError when the file is missing or not a published-refs list."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishedRefsError(f"cannot read the published-refs list {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("documents"), dict):
        raise PublishedRefsError(f"{path} is not a published-refs list (format 1)")
    return data


def save(data: dict, path: Path) -> None:
    """Write the list with one line per ref, so that a diff shows exactly the refs changed."""
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)
    docs = []
    for doc_id, entry in data["documents"].items():
        entries = ",\n".join(f"    {dump(ref)}: {dump(e)}" for ref, e in entry["refs"].items())
        docs.append(f'  {dump(doc_id)}: {{"file": {dump(entry["file"])}, "version": {dump(entry["version"])}, '
                    f'"refs": {{\n{entries}\n  }}}}')
    body = ",\n".join(docs)
    text = f'{{\n "about": {dump(data["about"])},\n "format": {data["format"]},\n "documents": {{\n{body}\n }}\n}}\n'
    Path(path).write_text(text, encoding="utf-8")


def check(corpus, published: dict) -> list[Breach]:
    """Every published ref that disappeared or whose text changed without a recorded change."""
    now = snapshot(corpus)["documents"]
    breaches: list[Breach] = []
    for doc_id, entry in published["documents"].items():
        current = now.get(doc_id, {}).get("refs", {})
        for ref, old in entry["refs"].items():
            if ref in current and current[ref]["sha256"] == old["sha256"]:
                continue
            if _excused(corpus.documents.get(doc_id), entry, ref):
                continue
            kind = "changed" if ref in current else "missing"
            breaches.append(Breach(ref, kind, _message(kind, entry["version"])))
    return breaches


def unpublished(corpus, published: dict) -> list[str]:
    """Refs of the corpus the list does not contain yet."""
    known = {r for e in published["documents"].values() for r in e["refs"]}
    return [r for e in snapshot(corpus)["documents"].values() for r in e["refs"] if r not in known]


def update(corpus, path: Path, force: bool = False) -> dict:
    """Write the current list to ``path``. Raises PublishedRefsError, listing the refs, when
    published refs changed without a recorded change (unless ``force``)."""
    if Path(path).exists() and not force:
        breaches = check(corpus, load(path))
        if breaches:
            raise PublishedRefsError("published refs changed without a revisionDesc/change recording them "
                                     "(record them, or pass --force before first publication):\n"
                                     + "\n".join(f"  {b}" for b in breaches))
    data = snapshot(corpus)
    save(data, path)
    return data


def _message(kind: str, version: str) -> str:
    what = "no longer resolves" if kind == "missing" else "has a different text"
    return (f"{what} than when published (version {version}), and no revisionDesc/change with a later "
            f"@n targets it or a passage containing it or within it")


def _excused(doc, entry: dict, ref: str) -> bool:
    if doc is None:
        return False
    published, current = version_key(entry["version"]), version_key(doc.metadata.get("edition_n"))
    ids = {e["id"]: r for r, e in entry["refs"].items() if e.get("id")}
    for change in changes(doc.element, doc.path.name):
        if not published < version_key(change.version) <= current:
            continue
        for target in change.targets:
            tref = refs.format_ref(doc.id, doc.passage(target).path) if doc.has_passage(target) else ids.get(target)
            if tref and (tref == ref or ref.startswith(tref + ".") or tref.startswith(ref + ".")):
                return True
    return False


