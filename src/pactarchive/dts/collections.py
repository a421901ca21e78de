"""The archive as DTS collections (DTS 1.0, "Collection Endpoint").

The rule, so that any archive maps without configuration:

- the **root** collection is the archive (every file under the TEI directory);
- each **folder** of the TEI directory is a collection inside its parent folder's;
- at the top level, documents whose teiHeader names the same publishing body
  (``publicationStmt/authority``, else ``publisher``) form a collection named after it — our
  edition (hen, lv, lv-en) is one; any other document is a member of the root directly.

Members are listed in the archive's order (by path); a collection of more than ``PAGE_SIZE``
members is paginated with a ``view`` object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import DTSError, base
from .ids import ROOT, Ids


@dataclass(frozen=True)
class ResourceInfo:
    """What a Resource object needs of a document (from the corpus or the edition store)."""

    id: str
    title: str
    lang: str
    folder: str                 # the file's folder relative to the TEI directory; "" at the top
    group: str | None           # the publishing body, for grouping top-level documents
    metadata: dict              # tei.header.metadata()
    cite_structure: list        # navigation.cite_structure() of its tree
    units: int                  # how many citable units it has
    other_trees: list = field(default_factory=list)  # [{"identifier", "citeStructure"}]: named trees


@dataclass
class Collection:
    key: str
    title: str
    parent: str | None
    description: str | None = None
    children: list[str] = field(default_factory=list)   # collection keys
    resources: list[str] = field(default_factory=list)  # document ids

    @property
    def total(self) -> int:
        return len(self.children) + len(self.resources)


def slug(text: str) -> str:
    """A collection key from a publishing body's name: its words before any parenthesis or
    comma, lower-cased and joined by hyphens.

    >>> slug("pactarchive (digital edition of two texts)")
    'pactarchive'
    """
    head = re.split(r"[(,;:]", text, maxsplit=1)[0]
    return "-".join(re.findall(r"\w+", head.lower()))[:60] or "edition"


def build(resources: list[ResourceInfo], archive_title: str) -> dict[str, Collection]:
    """Every collection by key, the root under ``ROOT``."""
    cols: dict[str, Collection] = {ROOT: Collection(ROOT, archive_title, None,
                                                    "Every document of the archive")}

    def folder(path: str) -> str:
        if path in cols:
            return path
        parent = folder(path.rsplit("/", 1)[0]) if "/" in path else ROOT
        cols[path] = Collection(path, path.rsplit("/", 1)[-1], parent, f"The documents in the folder {path}/ of the archive")
        cols[parent].children.append(path)
        return path

    groups: dict[str, list[ResourceInfo]] = {}
    for r in resources:
        if not r.folder and r.group:
            groups.setdefault(r.group, []).append(r)
    grouped = {}
    for name, members in groups.items():
        if len(members) > 1:
            key = slug(name)
            while key in cols or key in grouped.values():
                key += "-"
            grouped[name] = key
    for r in resources:
        if r.folder:
            cols[folder(r.folder)].resources.append(r.id)
        elif r.group in grouped:
            key = grouped[r.group]
            if key not in cols:
                cols[key] = Collection(key, r.group, ROOT, f"The documents published by {r.group}")
                cols[ROOT].children.append(key)
            cols[key].resources.append(r.id)
        else:
            cols[ROOT].resources.append(r.id)
    return cols


def parents_of_resource(cols: dict[str, Collection], doc_id: str) -> list[str]:
    return [c.key for c in cols.values() if doc_id in c.resources]


# -- JSON-LD objects ---------------------------------------------------------------------

def dublin_core(r: ResourceInfo) -> dict:
    """DTS MetadataObject from the teiHeader: title (with its language), creator, language,
    date, publisher, rights. Textual values are arrays; absent fields are left out."""
    m = r.metadata
    dc: dict = {"title": [{"lang": r.lang, "value": r.title}]}
    if m.get("authors"):
        dc["creator"] = list(m["authors"])
    if m.get("editors"):
        dc["contributor"] = list(m["editors"])
    dc["language"] = [r.lang] + [l["ident"] for l in m.get("languages", []) if l.get("ident") and l["ident"] != r.lang]
    if m.get("date"):
        dc["date"] = m["date"]
    publisher = m.get("publisher") or r.group
    if publisher:
        dc["publisher"] = [publisher]
    rights = m.get("licence") or m.get("availability")
    if rights:
        dc["rights"] = [rights]
    return dc


def resource_object(r: ResourceInfo, ids: Ids, total_parents: int, download: str,
                    media_types: list[str]) -> dict:
    ident = ids.resource(r.id)
    obj = {"@id": ident, "@type": "Resource", "title": r.title,
           "totalParents": total_parents, "totalChildren": 0,
           "dublinCore": dublin_core(r),
           "collection": ids.collection_template(ident),
           "navigation": ids.navigation_template(ident),
           "document": ids.document_template(ident),
           "download": download,
           "citationTrees": ([{"@type": "CitationTree", "citeStructure": r.cite_structure}] if r.cite_structure else [])
           + [{"@type": "CitationTree", "identifier": t["identifier"], "citeStructure": t["citeStructure"]}
              for t in r.other_trees],
           "mediaTypes": media_types}
    return obj


def collection_object(c: Collection, ids: Ids) -> dict:
    ident = ids.collection(c.key)
    obj = {"@id": ident, "@type": "Collection", "title": c.title,
           "totalParents": 0 if c.parent is None else 1, "totalChildren": c.total,
           "collection": ids.collection_template(ident)}
    if c.description:
        obj["description"] = c.description
    return obj


def paginate(members: list, page: int | None, url_for_page, size: int | None = None) -> tuple[list, dict | None]:
    """``(members of the page, view or None)``; a view only when there is more than one
    page or a page was asked for. Raises DTSError(404) past the last page."""
    from .. import dts  # read at call time, so the page size can be set (tests do)
    size = size or dts.PAGE_SIZE
    last = max(1, -(-len(members) // size))
    if page is None and last == 1:
        return members, None
    page = page or 1
    if page > last:
        raise DTSError(404, f"page {page} does not exist; pages run from 1 to {last}")
    view = {"@id": url_for_page(page), "@type": "Pagination", "first": url_for_page(1),
            "previous": url_for_page(page - 1) if page > 1 else None,
            "next": url_for_page(page + 1) if page < last else None,
            "last": url_for_page(last)}
    return members[(page - 1) * size: page * size], {k: v for k, v in view.items() if v is not None}


def response(top: dict, members: list[dict] | None, view: dict | None) -> dict:
    out = base(top)
    if members is not None:
        out["member"] = members
    if view:
        out["view"] = view
    return out

