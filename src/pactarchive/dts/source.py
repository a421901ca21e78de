"""What DTS reads of the archive, in one place: the resources, their citation trees and their
passage elements. Served, it reads the edition store (``store.Edition``: rows, no XML tree,
except the one document whose passages a Document request returns); the same functions take a
corpus loaded in memory (tests, tools).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..tei import NS
from ..tei.text import plain_text
from ..tei.citation import other_trees
from . import DTSError
from .collections import ResourceInfo
from .navigation import Tree, Unit, cite_structure, typology


def tree(doc) -> Tree:
    """The document's citation tree as Units, in document order."""
    units = []
    for p in doc.all_passages():
        if hasattr(p, "depth"):  # a stored passage: its row has all a unit needs
            level = p.depth + 1
            parent = p.parent_ref.split(":", 1)[1] if p.parent_ref else None
            title = p.heading if not p.is_leaf else None
            units.append(Unit(p.path, level, parent, p.unit, title or None, doc.lang))
        else:
            units.append(_unit(p, doc.lang))
    return Tree(units)


def _unit(p, lang: str) -> Unit:
    """The Unit of an in-memory passage (tei.citation.Passage): its level counted up its
    parents, its title the plain text of its own head (divisions only)."""
    level, q = 1, p
    while q.parent is not None:
        level, q = level + 1, q.parent
    head = p.element.find("tei:head", namespaces=NS) if p.children else None
    title = plain_text(head) if head is not None else None
    return Unit(p.path, level, p.parent.path if p.parent else None, p.unit, title or None, lang)


def _group(doc) -> str | None:
    """The publishing body the teiHeader names (``publicationStmt/authority``, else
    ``publisher``: tei.header.metadata), for grouping the top-level documents of the archive."""
    return doc.metadata.get("authority") or doc.metadata.get("publisher") or None


def resources(corpus, trees: bool = True) -> list[ResourceInfo]:
    """A ResourceInfo for every document, in the archive's order. Without ``trees`` its
    ``cite_structure`` and ``units`` are left empty (``with_trees`` fills them for the few
    resources a response shows): the collection tree needs only the documents' rows."""
    out = []
    for doc in corpus.documents.values():
        relpath = getattr(doc, "relpath", None)  # a stored document knows its path under tei/
        if relpath is not None:
            folder = Path(relpath).parent.as_posix()
        else:
            try:
                folder = doc.path.resolve().parent.relative_to(Path(corpus.tei_dir).resolve()).as_posix()
            except ValueError:
                folder = ""
        out.append(ResourceInfo(doc.id, doc.title, doc.lang, "" if folder == "." else folder, _group(doc),
                                doc.metadata, [], 0, doc.metadata.get("citation_trees", [])))
    return with_trees(corpus, out) if trees else out


def with_trees(corpus, infos: list[ResourceInfo]) -> list[ResourceInfo]:
    """``infos`` with the typology (``cite_structure``) and size (``units``) of each one's
    default citation tree: from the edition store's per-document aggregates (one query for
    all of them, ``Edition.cite_chains``), else by walking each tree of a corpus in memory."""
    chains = getattr(corpus, "cite_chains", None)
    if chains is not None:
        found = chains([r.id for r in infos])
        summary = {d: (typology(paths), n) for d, (paths, n) in found.items()}
    else:
        summary = {}
        for r in infos:
            units = tree(corpus.documents[r.id]).units
            summary[r.id] = (cite_structure(units), len(units))
    return [replace(r, cite_structure=summary.get(r.id, ([], 0))[0], units=summary.get(r.id, ([], 0))[1]) for r in infos]


def elements(doc, identifiers: list[str]) -> list:
    """The passage elements of ``doc`` with these identifiers, in the order given."""
    return [doc.passage(i).element for i in identifiers]


def text(el) -> str:
    return plain_text(el)


def named_tree(c, doc, name: str) -> tuple[Tree, dict]:
    """A citation tree other than the default (``refsDecl/@n``; tei.citation.other_trees) as
    ``(Tree, {identifier: element})``. The document's one file is parsed for it (kept parsed
    per generation, as for a Document request). Raises DTSError(404) for an unknown tree."""
    parsed = c.parsed(doc.id) if hasattr(c, "parsed") else doc
    trees = other_trees(parsed.element)
    if name not in trees:
        known = ", ".join(sorted(trees)) or "none besides the default"
        raise DTSError(404, f"no citation tree '{name}' in this resource (its other trees: {known}); "
                            "omit tree for the default one")
    passages = [p for root in trees[name] for p in root.iter()]
    return Tree([_unit(p, doc.lang) for p in passages]), {p.path: p.element for p in passages}
