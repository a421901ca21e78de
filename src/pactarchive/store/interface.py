"""What the rest of an archive's build depends on in one file (its *interface*), and which
files depend on which (the *links*): what lets a build of 5,000 documents redo one changed
file and copy everything else (``pactarchive.incremental``).

A build makes two kinds of things from a file. Some are the file's own and nothing else uses
them: the text, both readings, the heading and the rendered fragment of each of its passages,
its search records, the words of the mentions in it and their keyword-in-context lines, its
SHA-256. The others
enter what the build makes of *other* files, or of the archive as a whole: its documents and
their citation trees (refs, order, alignment, the heads a translation's heads align with), its
xml:ids and the passages holding them, its pointers and what each resolves to, the entities it
declares, its notes (numbered across the edition, shown beside other documents), which entity
each mention in its texts names (register pages, counts), its dates (the timeline), its teiHeader (titles,
citations, the changelog) and its ``standOff`` (registers, sources).

``file_interface`` is a SHA-256 of the second kind, and of the file's markup with the text of
its passages left out (a tag or attribute added anywhere counts, even one nothing above reads
today). While a changed file's interface is the one the previous build stored, the new build
differs from the previous one only in that file's own rows and records. A file without
documents (a register, a stand-off file of notes or links) is all interface: its SHA-256 is.

``file_links`` lists, for every file, the files its pointers name (resolved or not) and the
files of the documents aligned with its own: what must be read beside a changed file for its
pointers, mentions, notes and alignment to come out as in a build of the whole archive.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from pathlib import Path

from lxml import etree

from ..tei import NS, TEI_NS, XML_ID, local
from ..tei.pointers import POINTER_ATTRS, resolve
from ..tei.text import plain_text

_HEAD = f"{{{TEI_NS}}}head"
_DATE = f"{{{TEI_NS}}}date"


def file_interface(corpus, path: Path, rel) -> str:
    """SHA-256 hex of what other files' outputs depend on in the file ``path`` of ``corpus``
    (see the module). ``rel(path)``: a file's path as the store names it (relative to the TEI
    directory). The same for a Corpus of the whole archive and for one of the file and the
    files it links with (``file_links``, both ways): everything hashed is resolved within them.

    Hashed: the file's markup without its text (every element's tag, attributes and number of
    children, in order: the tree's shape,
    what decides its passages, the role of a mention and whether it is visible, the passage
    each id, date and mention is in), the XIncluded files' names, its teiHeaders and standOffs
    whole, and the facts that hold text or depend on other files: each document's id, title,
    language, line and citation tree (refs, units, whether a division's head has text, the
    refs aligned with each passage), where each pointer leads (file, id, passage), the entity
    and passage of each mention (not its words: those are shown with the file's passages
    only), the text of each date, its notes and entities (their text and lines), the lines of
    xml:ids other files declare too (duplicate-id warnings name them)."""
    path = Path(path)
    facts_of = _Archive.of(corpus, rel)
    docs = facts_of.documents.get(path, [])
    root = facts_of.roots.get(path)
    h = hashlib.sha256(rel(path).encode() + b"\0")
    if not docs or root is None:  # a register, a stand-off file: everything in it is interface
        for f in [path, *corpus.includes.get(path, [])]:
            h.update(f"{rel(f)}\0{corpus.sha256.get(f)}\0".encode())
        return "file:" + h.hexdigest()
    display = corpus.display_name(path)
    facts: list = [[rel(i) for i in corpus.includes.get(path, [])]]
    for doc in docs:
        facts.append(["document", doc.id, doc.title, doc.lang, doc.line, doc.element is root,
                      doc.structure.method, doc.metadata, len(doc.leaves())])
        for p in doc.all_passages():
            ref = f"{doc.id}:{p.path}"
            head = p.element.find(_HEAD) if p.children else None
            titled = head is not None and bool(plain_text(head))
            facts.append([ref, p.xml_id, p.unit, len(p.children), titled, corpus.aligned(ref)])
            if titled:  # what its head record's counterparts are made of (search.records._align_heads)
                facts.append(["head", facts_of.counterparts(doc, p, ref)])
    skeleton = hashlib.sha256()
    for el in root.iter():
        if not isinstance(el.tag, str):
            skeleton.update(b"<?>")
            continue
        # tag, attributes and number of children, in document order: the tree's whole shape
        skeleton.update(f"<{el.tag} {sorted(el.attrib.items())} {len(el)}>".encode())
        xml_id = el.get(XML_ID)
        if xml_id and xml_id in facts_of.shared:
            facts.append(["id", xml_id, el.sourceline])
        for attr in POINTER_ATTRS:
            for ptr in (el.get(attr) or "").split():
                facts.append(["pointer", ptr, facts_of.target(ptr, path)])
        if el.tag == _DATE:
            facts.append(["date", plain_text(el)])
    for tei in [root, *root.iterfind(".//tei:TEI", NS)]:  # headers (titles, revisions) and stand-off parts
        for part in tei.iterchildren(f"{{{TEI_NS}}}teiHeader", f"{{{TEI_NS}}}standOff"):
            facts.append([local(part), etree.tostring(part, encoding="unicode")])
    facts += [["note", repr(n)] for n in facts_of.notes.get(display, ())]
    facts += [["entity", repr(e)] for e in facts_of.entities.get(display, ())]
    # which entity each mention names, in which passage (its words are the file's own: a speech's are its text)
    facts += [["mention", m.entity, m.ref] for m in facts_of.mentions.get(path, ())]
    h.update(skeleton.digest())
    h.update(json.dumps(facts, ensure_ascii=False, default=repr).encode())
    return h.hexdigest()


def file_links(corpus, rel) -> set[tuple[str, str]]:
    """``(file, file it links to)`` pairs, as ``rel`` names them: every file a pointer of a file
    names (``file.xml#id``, resolved or not; a bare or ``#id`` pointer: the file of the element
    it resolves to) and, both ways, the files of documents aligned with each other (by
    pointers or, for versions of one CTS work, by their refs)."""
    archive = _Archive.of(corpus, rel)
    out: set[tuple[str, str]] = set()
    for path, root in archive.roots.items():
        prefixes = corpus.prefixes.get(path)
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in POINTER_ATTRS:
                for ptr in (el.get(attr) or "").split():
                    key = resolve(ptr, path, prefixes)
                    if key is None:
                        continue
                    target = corpus.target(ptr, path)
                    to = archive.owner(target) if target is not None else (key[0] if key[0] in archive.roots else None)
                    if to is not None and to != path:
                        out.add((rel(path), rel(to)))
    docs = corpus.documents
    for doc in docs.values():
        for p in doc.all_passages():
            for other in corpus.aligned(f"{doc.id}:{p.path}"):
                there = docs[other.split(":", 1)[0]].path
                if there != doc.path:
                    out |= {(rel(doc.path), rel(there)), (rel(there), rel(doc.path))}
    return out


class _Archive:
    """What both functions ask of a corpus for every file, computed once per corpus."""

    def __init__(self, corpus, rel):
        # (weakly: ``_ARCHIVES`` keeps this as long as the corpus lives, and a strong reference
        # from here would keep the corpus, every tree of it, alive for ever)
        self._corpus, self.rel = weakref.ref(corpus), rel
        self.roots = dict(corpus.roots())
        self._owners = {root: path for path, root in self.roots.items()}  # (lxml keeps one proxy per element)
        self._within: dict[str, list[str]] = {}  # ref -> Corpus.aligned_within(ref)
        self.documents: dict[Path, list] = {}  # file -> its documents
        for d in corpus.documents.values():
            self.documents.setdefault(d.path, []).append(d)
        self.notes: dict[str, list] = {}  # display name -> the notes in that file
        for n in corpus.notes:
            self.notes.setdefault(n.file, []).append(n)
        self.entities: dict[str, list] = {}  # display name -> the entities it declares
        for e in corpus.entities.values():
            self.entities.setdefault(e.file, []).append(e)
        self.mentions: dict[Path, list] = {}  # file -> the mentions in it, entity by entity
        for ms in corpus.mentions.values():
            for m in ms:
                if m.element is not None and (owner := self.owner(m.element)) is not None:
                    self.mentions.setdefault(owner, []).append(m)
        seen: dict[str, object] = {}
        self.shared: set[str] = set()  # xml:ids declared in more than one file
        for file, xml_id in (key for key, _ in corpus.ids()):
            if seen.setdefault(xml_id, file) != file:
                self.shared.add(xml_id)

    @property
    def corpus(self):
        return self._corpus()

    @classmethod
    def of(cls, corpus, rel) -> "_Archive":
        found = _ARCHIVES.get(corpus)
        if found is None:
            found = _ARCHIVES[corpus] = cls(corpus, rel)
        return found

    def counterparts(self, doc, division, ref: str) -> list:
        """The divisions of other documents aligned with the whole of ``division`` (its ref:
        ``ref``) either way (``Corpus.aligned_within`` of it, and those whose
        ``aligned_within`` holds it): what the counterparts of its head are chosen from."""
        corpus = self.corpus
        others: set[str] = set()
        for leaf in division.iter():
            for other in corpus.aligned(f"{doc.id}:{leaf.path}"):
                other_doc, path = other.split(":", 1)
                q = corpus.document(other_doc).passage(path)
                while q is not None:
                    if q.children:
                        others.add(f"{other_doc}:{q.path}")
                    q = q.parent
        return [self.within(ref), sorted(x for x in others if ref in self.within(x))]

    def within(self, ref: str) -> list[str]:
        found = self._within.get(ref)
        if found is None:
            found = self._within[ref] = self.corpus.aligned_within(ref)
        return found

    def owner(self, element) -> Path | None:
        return self._owners.get(element.getroottree().getroot())

    def target(self, ptr: str, path: Path) -> list | None:
        """Where a pointer leads: [file, xml:id, the passage holding the element, the file and
        line of the entity of that id (the archive's first declaration of it)], or None."""
        target = self.corpus.target(ptr, path)
        if target is None:
            return None
        owner = self.owner(target)
        located = self.corpus.locate(target)
        entity = self.corpus.entities.get(target.get(XML_ID))
        return [self.rel(owner) if owner else None, target.get(XML_ID), located.ref if located else None,
                [entity.file, entity.line] if entity else None]


_ARCHIVES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
