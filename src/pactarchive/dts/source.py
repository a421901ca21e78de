"""What DTS reads of the archive, in one place: the resources, their citation trees and their
passage elements. Today it reads the corpus model (tei/ parsed once per generation); it is the
one module to change when these lookups come from the edition store.
"""

from __future__ import annotations

from pathlib import Path

from ..tei import NS
from ..tei.text import plain_text
from .collections import ResourceInfo
from .navigation import Tree, Unit, cite_structure


def tree(doc) -> Tree:
    """The document's citation tree as Units, in document order."""
    units = []
    for p in doc.all_passages():
        level, q = 1, p
        while q.parent is not None:
            level, q = level + 1, q.parent
        head = p.element.find("tei:head", namespaces=NS) if p.children else None
        title = plain_text(head) if head is not None else None
        units.append(Unit(p.path, level, p.parent.path if p.parent else None, p.unit, title or None, doc.lang))
    return Tree(units)


def _group(doc) -> str | None:
    for xp in ("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:authority",
               "tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:publisher"):
        value = doc.element.xpath(f"normalize-space({xp})", namespaces=NS)
        if value:
            return value
    return None


def resources(corpus) -> list[ResourceInfo]:
    """A ResourceInfo for every document, in the archive's order."""
    out = []
    for doc in corpus.documents.values():
        try:
            folder = doc.path.resolve().parent.relative_to(Path(corpus.tei_dir).resolve()).as_posix()
        except ValueError:
            folder = ""
        t = tree(doc)
        out.append(ResourceInfo(doc.id, doc.title, doc.lang, "" if folder == "." else folder, _group(doc),
                                doc.metadata, cite_structure(t.units), len(t.units)))
    return out


def elements(doc, identifiers: list[str]) -> list:
    """The passage elements of ``doc`` with these identifiers, in the order given."""
    return [doc.passage(i).element for i in identifiers]


def text(el) -> str:
    return plain_text(el)
