"""The corpus: every TEI file under a directory, loaded once, checked, and cross-linked.

Discovers ``*.xml`` under the TEI directory (a ``teiCorpus`` yields each of its ``TEI``
documents; a ``TEI`` without ``text`` is a stand-off file whose entities, links and notes are
read). Resolves pointers between files, the alignment of passages across documents, editorial
notes attached to passages, and entity mentions. Knows nothing of Flask or Whoosh.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import refs
from .errors import CorpusError, Problem, TEIError, UnknownDocument
from .tei import NS, XML_ID, local
from .tei.citation import Passage
from .tei.document import Document, derive_id
from .tei.entities import Entity, read_entities
from .tei.parse import parse_file
from .tei.pointers import POINTER_ATTRS, resolve
from .tei.text import content_text, plain_text


@dataclass(frozen=True)
class Located:
    """A passage together with its document."""

    doc: Document
    passage: Passage

    @property
    def ref(self) -> str:
        return refs.format_ref(self.doc.id, self.passage.path)


@dataclass
class Note:
    id: str | None
    type: str
    subtype: str
    text: str
    targets: list[str]  # refs of the passages it annotates
    file: str
    line: int | None
    label: str = ""  # the note's own heading (label/head), if it has one

    def to_dict(self) -> dict:
        return {"id": self.id, "type": self.type, "subtype": self.subtype, "label": self.label,
                "text": self.text, "targets": self.targets}


@dataclass
class Mention:
    entity: str
    ref: str  # ref of the finest passage containing the mention
    text: str
    element: object = field(repr=False, default=None)


class Corpus:
    """All documents of a TEI directory. Build with ``Corpus.load(dir)``."""

    def __init__(self, tei_dir: Path):
        self.tei_dir = Path(tei_dir)
        self.files: list[Path] = []
        self.documents: dict[str, Document] = {}
        self.entities: dict[str, Entity] = {}
        self.problems: list[Problem] = []
        self.notes: list[Note] = []
        self.mentions: dict[str, list[Mention]] = {}
        self._aligned: dict[str, list[str]] = {}
        self._ids: dict[tuple[Path, str], object] = {}
        self._first_id: dict[str, tuple[Path, int | None]] = {}
        self._roots: dict[Path, object] = {}
        self._by_element: dict[object, Located] = {}

    # -- loading -----------------------------------------------------------------------

    @classmethod
    def load(cls, tei_dir: Path) -> "Corpus":
        """Read every TEI file under ``tei_dir``. Files that cannot be read are recorded as
        error Problems and left out; nothing is raised (see ``raise_errors``)."""
        corpus = cls(tei_dir)
        corpus.files = discover(corpus.tei_dir)
        included: set[Path] = set()
        failed = []
        for path in corpus.files:
            failed += corpus._load_file(path, included)
        # a fragment XIncluded by another file is part of that file, not a document of its own
        corpus.problems += [p for path, p in failed if path.resolve() not in included]
        corpus.problems.sort(key=lambda p: (p.severity, p.file, p.line or 0))
        corpus._index_passages()
        corpus._check_pointers()
        corpus._read_alignment()
        corpus._read_notes()
        corpus._read_mentions()
        return corpus

    def _load_file(self, path: Path, included: set) -> list:
        """Read one file; returns [(path, Problem)] when it cannot be read."""
        try:
            tree = parse_file(path, self.tei_dir, included)
        except TEIError as exc:
            return [(path, exc.problem)]
        root = tree.getroot()
        if not self._index_ids(path, root):
            return []
        self._roots[path] = root
        teis = root.xpath("descendant-or-self::tei:TEI", namespaces=NS) if local(root) == "teiCorpus" else [root]
        for n, tei in enumerate(teis, 1):
            if tei.find("{http://www.tei-c.org/ns/1.0}text") is not None:
                self._add_document(path, tei, n if len(teis) > 1 or local(root) == "teiCorpus" else None)
        for entity in read_entities(root, self._name(path)):
            if entity.id in self.entities:
                other = self.entities[entity.id]
                self._warn(path, entity.line, f"entity id '{entity.id}' is declared again; first declared at {other.file}:{other.line}")
                continue
            self.entities[entity.id] = entity
        return []

    def _add_document(self, path: Path, tei, position: int | None) -> None:
        doc_id = derive_id(path, tei, position)
        if doc_id in self.documents:
            other = self.documents[doc_id]
            self._error(path, tei.sourceline, f"document id '{doc_id}' is already used by {self._name(other.path)}:{other.line}; give one of them another xml:id on <TEI>")
            return
        try:
            doc = Document.from_element(doc_id, path, tei)
        except Exception as exc:  # a structure no method can cite is still an input problem
            self._error(path, tei.sourceline, f"cannot find citable passages: {exc}")
            return
        for note in doc.structure.notes:
            self._warn(path, tei.sourceline, note)
        self.documents[doc_id] = doc

    def _index_ids(self, path: Path, root) -> bool:
        seen: dict[str, int | None] = {}
        ok = True
        for el in root.iter():
            xml_id = el.get(XML_ID) if isinstance(el.tag, str) else None
            if not xml_id:
                continue
            if xml_id in seen:
                self._error(path, el.sourceline, f"xml:id '{xml_id}' is used twice in this file (first at line {seen[xml_id]}); make each xml:id unique")
                ok = False
            seen[xml_id] = el.sourceline
            self._ids[(path, xml_id)] = el
            first = self._first_id.setdefault(xml_id, (path, el.sourceline))
            if first[0] != path:
                self._warn(path, el.sourceline, f"xml:id '{xml_id}' is also used in {self._name(first[0])}:{first[1]}; "
                                                "pointers with a file name still resolve, but keep ids unique across the archive")
        return ok

    def _index_passages(self) -> None:
        for doc in self.documents.values():
            for p in doc.all_passages():
                self._by_element[p.element] = Located(doc, p)

    # -- pointers ----------------------------------------------------------------------

    def target(self, pointer: str, from_file: Path):
        """The element a local pointer names, or None when it is external or unresolved."""
        key = resolve(pointer, from_file)
        return self._ids.get(key) if key else None

    def _check_pointers(self) -> None:
        for path, root in self._roots.items():
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                for attr in POINTER_ATTRS:
                    for ptr in (el.get(attr) or "").split():
                        key = resolve(ptr, path)
                        if key and key not in self._ids:
                            where = "this file" if key[0] == path else self._name(key[0])
                            self._warn(path, el.sourceline, f"<{local(el)} {attr}=\"{ptr}\">: no element with xml:id '{key[1]}' in {where}")

    def _located(self, el) -> Located | None:
        """The innermost passage whose element is ``el`` or contains it."""
        while el is not None:
            if el in self._by_element:
                return self._by_element[el]
            el = el.getparent()
        return None

    # -- alignment ---------------------------------------------------------------------

    def _read_alignment(self) -> None:
        pairs: list[tuple[Located, Located]] = []
        for path, root in self._roots.items():
            for link in root.iter("{http://www.tei-c.org/ns/1.0}link"):
                locs = [self._located(self.target(p, path)) for p in (link.get("target") or "").split()]
                locs = [l for l in locs if l]
                pairs += [(a, b) for i, a in enumerate(locs) for b in locs[i + 1:] if a.doc is not b.doc]
            for el in root.xpath("//*[@corresp]"):
                here = self._by_element.get(el)
                if here:
                    for ptr in el.get("corresp").split():
                        there = self._located(self.target(ptr, path))
                        if there and there.doc is not here.doc:
                            pairs.append((here, there))
        pairs += self._same_work_pairs({frozenset((a.doc.id, b.doc.id)) for a, b in pairs})
        for a, b in pairs:
            self._link(a.ref, b.ref)
            self._link(b.ref, a.ref)

    def _same_work_pairs(self, explicit: set) -> list[tuple[Located, Located]]:
        """Versions of one work (CTS URNs that differ only in the version, e.g. Perseus'
        ...perseus-grc2 and ...perseus-eng2) are aligned passage by passage where their refs
        are equal, unless the pair is already aligned explicitly."""
        works: dict[str, list[Document]] = {}
        for doc in self.documents.values():
            urn = cts_urn(doc.element)
            if urn and urn.count(":") >= 3 and urn.split(":")[3].count(".") == 2:
                works.setdefault(urn.rsplit(".", 1)[0], []).append(doc)
        out = []
        for docs in works.values():
            for i, a in enumerate(docs):
                for b in docs[i + 1:]:
                    if frozenset((a.id, b.id)) not in explicit:
                        out += [(Located(a, p), Located(b, b.passage(p.path)))
                                for p in a.all_passages() if b.has_passage(p.path)]
        return out

    def _link(self, a: str, b: str) -> None:
        lst = self._aligned.setdefault(a, [])
        if b not in lst:
            lst.append(b)

    def aligned(self, ref: str) -> list[str]:
        """Refs aligned with the passage ``ref`` in other documents (reading order of the
        other documents)."""
        return sorted(self._aligned.get(ref, []), key=self._sort_key)

    def _sort_key(self, ref: str):
        doc_id, path = refs.split(ref)
        doc = self.documents[doc_id]
        return (list(self.documents).index(doc_id), doc._order.index(doc.passage(path)))

    # -- notes and mentions --------------------------------------------------------------

    def _read_notes(self) -> None:
        for path, root in self._roots.items():
            for note in root.iter("{http://www.tei-c.org/ns/1.0}note"):
                if any(local(a) == "teiHeader" for a in note.iterancestors()):
                    continue
                targets = [self._located(self.target(p, path)) for p in (note.get("target") or "").split()]
                targets = [t.ref for t in targets if t]
                if not note.get("target"):
                    inline = self._located(note.getparent())
                    targets = [inline.ref] if inline else []
                if targets:
                    label = note.find("{http://www.tei-c.org/ns/1.0}label")
                    if label is None:
                        label = note.find("{http://www.tei-c.org/ns/1.0}head")
                    self.notes.append(Note(note.get(XML_ID), note.get("type", "note"), note.get("subtype", ""),
                                           content_text(note, skip=("label", "head")), targets,
                                           self._name(path), note.sourceline,
                                           plain_text(label) if label is not None else ""))

    def notes_for(self, ref: str) -> list[Note]:
        return [n for n in self.notes if ref in n.targets]

    def _read_mentions(self) -> None:
        for doc in self.documents.values():
            for el in doc.element.xpath(".//tei:text//*[@ref or @who]", namespaces=NS):
                for ptr in (el.get("ref") or el.get("who") or "").split():
                    target = self.target(ptr, doc.path)
                    entity_id = target.get(XML_ID) if target is not None else None
                    if entity_id in self.entities:
                        loc = self._located(el)
                        if loc:
                            self.mentions.setdefault(entity_id, []).append(
                                Mention(entity_id, loc.ref, plain_text(el), el))

    def entities_in(self, ref: str) -> list[str]:
        """Ids of the entities mentioned in a passage (or below it)."""
        prefix = ref + "."
        return sorted({m.entity for ms in self.mentions.values() for m in ms
                       if m.ref == ref or m.ref.startswith(prefix)})

    # -- lookup ------------------------------------------------------------------------

    def document(self, doc_id: str) -> Document:
        """Raises UnknownDocument."""
        try:
            return self.documents[doc_id]
        except KeyError:
            raise UnknownDocument(f"no document with id '{doc_id}'") from None

    def resolve(self, ref: str) -> list[Located]:
        """The passages a ref names: one for ``DOC:PATH``, several for ``DOC:START-END``.
        Raises RefError (UnknownDocument, UnknownPassage) with a message for the user."""
        doc_id, path = refs.split(ref)
        doc = self.document(doc_id)
        return [Located(doc, p) for p in refs.select(doc, path)]

    def locate(self, element) -> Located | None:
        return self._located(element)

    # -- problems ----------------------------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_errors(self, strict: bool = False) -> None:
        """Raise CorpusError when there are errors (or, with ``strict``, warnings)."""
        bad = self.problems if strict else self.errors
        if bad:
            raise CorpusError(bad)

    def trees(self):
        """``(path, tree)`` of every file that was read."""
        return [(path, root.getroottree()) for path, root in self._roots.items()]

    def display_name(self, path: Path) -> str:
        return self._name(path)

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def _error(self, path: Path, line, message: str) -> None:
        self.problems.append(Problem("error", self._name(path), line, message))

    def _warn(self, path: Path, line, message: str) -> None:
        self.problems.append(Problem("warning", self._name(path), line, message))


def cts_urn(tei) -> str | None:
    """The CTS URN a document declares (``idno[@type='CTS']`` or ``body/@xml:base``)."""
    found = tei.xpath("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type='CTS']/text()"
                      " | tei:text/tei:body/@xml:base", namespaces=NS)
    urns = [str(u).strip() for u in found if str(u).strip().startswith("urn:cts:")]
    return urns[0] if urns else None


def discover(tei_dir: Path) -> list[Path]:
    """Every ``*.xml`` under ``tei_dir`` (not in hidden folders), sorted by path without the
    extension (so ``lv.xml`` comes before ``lv-en.xml``)."""
    tei_dir = Path(tei_dir)
    return sorted((p for p in tei_dir.rglob("*.xml")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(tei_dir).parts)),
                  key=lambda p: str(p.with_suffix("")))


def fingerprint(tei_dir: Path) -> tuple:
    """Cheap identity of a TEI directory's state (paths, sizes, mtimes)."""
    out = []
    for p in discover(tei_dir):
        st = p.stat()
        out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


class CorpusCache:
    """Hands out the current Corpus of a directory, reloading when its files change.

    When a reload finds errors and a previous good corpus exists, the previous one is kept
    (and the problems are available as ``last_problems``): a bad file never takes down what is
    being served."""

    def __init__(self, tei_dir: Path):
        self.tei_dir = Path(tei_dir)
        self._lock = threading.Lock()
        self._corpus: Corpus | None = None
        self._fp: tuple | None = None
        self.last_problems: list[Problem] = []

    def get(self) -> Corpus:
        fp = fingerprint(self.tei_dir)
        if fp == self._fp and self._corpus is not None:
            return self._corpus
        with self._lock:
            if fp != self._fp or self._corpus is None:
                fresh = Corpus.load(self.tei_dir)
                self.last_problems = fresh.problems
                if not fresh.errors or self._corpus is None:
                    self._corpus = fresh
                self._fp = fp
            return self._corpus
