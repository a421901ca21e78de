"""The Document facade: one TEI text, parsed once, with its citable passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import UnknownPassage
from . import XML_ID, header, local
from .citation import Passage, Structure, find_structure
from .coverage import Coverage, coverage
from .text import plain_text


@dataclass(eq=False)
class Document:
    """A readable TEI document.

    ``id`` is ``TEI/@xml:id`` or, failing that, derived from the file name; ``lang`` is an
    ISO 639-1 code where one exists.
    """

    id: str
    path: Path
    element: etree._Element = field(repr=False)
    title: str = ""
    lang: str = "und"
    metadata: dict = field(default_factory=dict, repr=False)
    structure: Structure | None = field(default=None, repr=False)
    coverage: Coverage | None = field(default=None, repr=False)  # how the text lies in passages
    _by_path: dict[str, Passage] = field(default_factory=dict, repr=False)
    _by_id: dict[str, Passage] = field(default_factory=dict, repr=False)
    _order: list[Passage] = field(default_factory=list, repr=False)
    _elements: set = field(default_factory=set, repr=False)  # the elements that are passages

    @classmethod
    def from_element(cls, doc_id: str, path: Path, tei: etree._Element) -> "Document":
        lang = header.language(tei)
        doc = cls(doc_id, path, tei, header.title(tei, lang), lang, header.metadata(tei))
        doc.structure = find_structure(tei)
        for root in doc.structure.passages:
            for p in root.iter():
                doc._order.append(p)
                doc._elements.add(p.element)
                doc._by_path[p.path] = p
                if p.xml_id:
                    doc._by_id[p.xml_id] = p
        doc.coverage = coverage(tei, doc._order)
        return doc

    @property
    def line(self) -> int | None:
        return self.element.sourceline

    @property
    def passages(self) -> list[Passage]:
        """Top-level passages (the root of the tree)."""
        return self.structure.passages if self.structure else []

    def all_passages(self) -> list[Passage]:
        """Every passage at every level, in reading order (parents before children)."""
        return list(self._order)

    def leaves(self) -> list[Passage]:
        """Every citable passage at the finest level, in reading order."""
        return [p for p in self._order if not p.children]

    def headings_before(self, leaf: Passage) -> list[str]:
        """Text of the headings that belong to no finest passage (a ``head`` of a division cited
        by a declared structure) and open at ``leaf``: the headings of every passage whose first
        finest passage ``leaf`` is, outermost first. Search indexes them with ``leaf``, so a
        division's heading is found (and cited) with the division's first passage."""
        out: list[str] = []
        node = leaf
        while node.parent is not None and _first_leaf(node.parent) is leaf:
            node = node.parent
            out[:0] = [plain_text(h) for h in node.element if local(h) == "head" and h not in self._elements]
        return [h for h in out if h]

    def passage(self, path: str) -> Passage:
        """The passage at ``path`` (``2.3.1``) or with that xml:id.

        Raises UnknownPassage."""
        found = self._by_path.get(path) or self._by_id.get(path)
        if found is None:
            raise UnknownPassage(f"document '{self.id}' has no passage '{path}'")
        return found

    def has_passage(self, path: str) -> bool:
        return path in self._by_path or path in self._by_id

    def range(self, start: str, end: str) -> list[Passage]:
        """The passages from ``start`` to ``end`` inclusive, at ``start``'s level or below it,
        in reading order. Raises UnknownPassage, or UnknownPassage when end precedes start."""
        a, b = self.passage(start), self.passage(end)
        i, j = self._order.index(a), self._order.index(b)
        if j < i:
            raise UnknownPassage(f"range {start}-{end} in '{self.id}' ends before it starts")
        depth = _depth(a)
        return [p for p in self._order[i:j + 1] if _depth(p) == depth]

    def neighbours(self, p: Passage) -> tuple[Passage | None, Passage | None]:
        """Previous and next passage at the same level."""
        same = [q for q in self._order if _depth(q) == _depth(p)]
        i = same.index(p)
        return (same[i - 1] if i else None, same[i + 1] if i + 1 < len(same) else None)

    def element_by_id(self, xml_id: str):
        found = self.element.xpath("//*[@xml:id=$i]", i=xml_id)
        return found[0] if found else None


@dataclass(frozen=True)
class Located:
    """A passage together with its document."""

    doc: Document
    passage: Passage

    @property
    def ref(self) -> str:
        return f"{self.doc.id}:{self.passage.path}"


def _first_leaf(p: Passage) -> Passage:
    while p.children:
        p = p.children[0]
    return p


def _depth(p: Passage) -> int:
    d = 0
    while p.parent is not None:
        p, d = p.parent, d + 1
    return d


def derive_id(path: Path, tei: etree._Element, position: int | None = None) -> str:
    """``TEI/@xml:id``, else the file stem (with ``-N`` for the Nth TEI of a teiCorpus)."""
    explicit = tei.get(XML_ID)
    if explicit:
        return explicit
    stem = "".join(c if c.isalnum() or c in "._-" else "-" for c in path.stem)
    return f"{stem}-{position}" if position else stem
