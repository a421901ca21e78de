"""What ties the files of a corpus together: pointers checked across files, the alignment of
passages across documents, editorial notes attached to passages, entity mentions.

Each function reads a loaded Corpus (its files, ids and passages) and returns plain data;
``Corpus.load`` calls them once. Knows nothing of Flask or Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .tei import NS, TEI_NS, XML_ID, local
from .tei.document import Document, Located
from .tei.pointers import POINTER_ATTRS, unresolved
from .tei.text import content_text, plain_text


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


def check_pointers(corpus) -> None:
    """A warning, naming both places, for every local @ref/@corresp/@target/@who pointer
    (``#id``, ``file#id``, a bare id, a prefixDef'd ``prefix:value``) that names no element."""
    for path, root in corpus.roots():
        header = {e for h in root.iter(f"{{{TEI_NS}}}teiHeader") for e in h.iter()}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in POINTER_ATTRS:
                for ptr in (el.get(attr) or "").split():
                    why = unresolved(ptr, path, corpus.prefixes.get(path), corpus._ids, corpus._first_id,
                                     corpus.display_name, bare_names=el in header)
                    if why:
                        corpus.warn(path, el.sourceline, f"<{local(el)} {attr}=\"{ptr}\">: {why}")


def alignment_pairs(corpus) -> list[tuple[Located, Located]]:
    """Pairs of passages in different documents that tell the same thing: every two targets of
    a ``link`` (in any file), a passage and what its ``@corresp`` points at, and the passages
    with equal refs in versions of one CTS work (unless that pair is aligned explicitly)."""
    pairs: list[tuple[Located, Located]] = []
    for path, root in corpus.roots():
        for link in root.iter(f"{{{TEI_NS}}}link"):
            locs = [corpus.locate(corpus.target(p, path)) for p in (link.get("target") or "").split()]
            locs = [l for l in locs if l]
            pairs += [(a, b) for i, a in enumerate(locs) for b in locs[i + 1:] if a.doc is not b.doc]
        for el in root.xpath("//*[@corresp]"):
            here = corpus.passage_element(el)
            for ptr in (el.get("corresp").split() if here else []):
                there = corpus.locate(corpus.target(ptr, path))
                if there and there.doc is not here.doc:
                    pairs.append((here, there))
    return pairs + same_work_pairs(corpus, {frozenset((a.doc.id, b.doc.id)) for a, b in pairs})


def same_work_pairs(corpus, explicit: set) -> list[tuple[Located, Located]]:
    """Versions of one work (CTS URNs that differ only in the version, e.g. Perseus'
    ...perseus-grc2 and ...perseus-eng2), aligned passage by passage where their refs are equal."""
    works: dict[str, list[Document]] = {}
    for doc in corpus.documents.values():
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


def cts_urn(tei) -> str | None:
    """The CTS URN a document declares (``idno[@type='CTS']`` or ``body/@xml:base``)."""
    found = tei.xpath("tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:idno[@type='CTS']/text()"
                      " | tei:text/tei:body/@xml:base", namespaces=NS)
    urns = [str(u).strip() for u in found if str(u).strip().startswith("urn:cts:")]
    return urns[0] if urns else None


def read_notes(corpus) -> list[Note]:
    """Notes outside the header that point (@target) at passages, or stand inside one."""
    notes = []
    for path, root in corpus.roots():
        for note in root.iter(f"{{{TEI_NS}}}note"):
            if any(local(a) == "teiHeader" for a in note.iterancestors()):
                continue
            if note.get("target"):
                targets = [corpus.locate(corpus.target(p, path)) for p in note.get("target").split()]
            else:
                targets = [corpus.locate(note.getparent())]
            refs = [t.ref for t in targets if t]
            if refs:
                notes.append(_note(note, refs, corpus.display_name(path)))
    return notes


def _note(note, refs: list[str], file: str) -> Note:
    label = note.find(f"{{{TEI_NS}}}label")
    if label is None:
        label = note.find(f"{{{TEI_NS}}}head")
    return Note(note.get(XML_ID), note.get("type", "note"), note.get("subtype", ""),
                content_text(note, skip=("label", "head")), refs, file, note.sourceline,
                plain_text(label) if label is not None else "")


def read_mentions(corpus) -> dict[str, list[Mention]]:
    """Entity id -> its mentions (@ref, @who) in the documents' texts, in reading order."""
    mentions: dict[str, list[Mention]] = {}
    for doc in corpus.documents.values():
        for el in doc.element.xpath(".//tei:text//*[@ref or @who]", namespaces=NS):
            for ptr in (el.get("ref") or el.get("who") or "").split():
                target = corpus.target(ptr, doc.path)
                entity_id = target.get(XML_ID) if target is not None else None
                loc = corpus.locate(el) if entity_id in corpus.entities else None
                if loc:
                    mentions.setdefault(entity_id, []).append(Mention(entity_id, loc.ref, plain_text(el), el))
    return mentions
