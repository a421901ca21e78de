"""Corpus (+ render) -> the edition store: one SQLite file written at build time.

``compile_store(corpus, path)`` writes every table of ``schema.sql`` from a loaded Corpus: the
documents with their header facts, the citation tree of each (refs, parents, order, depth,
unit, headings, both readings of the text, the rendered HTML of every finest passage), the
alignment in both directions, entities with their names, coordinates and mention counts by
role, mentions with their role and a keyword-in-context line, notes with their targets and
edition numbers, dates, the timeline's dated items, the @who speakers no register declares, file
hashes and every xml:id a pointer can name (the context pages' data: ``registers``).

Everything here depends only on the TEI, so it runs once per build and never on a request.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from .. import render
from ..corpus import Corpus
from .. import changelog, registers
from . import interface
from ..tei import NS, TEI_NS, XML_ID, local
from ..tei.pointers import POINTER_ATTRS
from ..tei.text import plain_text, readings

STORE_FILE = "store.sqlite"
STORE_VERSION = 6  # bump when schema.sql or what compile writes changes
SCHEMA = Path(__file__).with_name("schema.sql")
KWIC = 60  # characters of context on each side of a mention
_HIDDEN = {"note", "fw", "sic", "orig", "abbr", "del", "teiHeader"}  # as search/records.py
log = logging.getLogger("pactarchive.store")


@dataclass
class StoreCounts:
    documents: int
    passages: int
    entities: int
    mentions: int
    notes: int
    rendered: int = 0  # documents whose fragments were rendered (not reused from ``previous``)


def compile_store(corpus: Corpus, path: Path, html: bool = True,
                  progress: Callable[[str, int, int], None] | None = None,
                  previous: Path | None = None) -> StoreCounts:
    """Write the store of ``corpus`` to a new SQLite file ``path`` (which must not exist).

    ``html=False`` leaves the ``passages.html`` column empty (a faster build for tools that
    only need the data). ``previous``: the store of an earlier build by the same code, whose
    rendered fragments are reused for every document whose ``fragment_key`` is unchanged
    (rendering is most of this step's cost). ``progress("compiling", documents done,
    documents)`` is called after each document's passages. A ``previous`` store that cannot be
    read (damaged: "database disk image is malformed") is logged (logger
    ``pactarchive.store``) and left alone: the store is then compiled afresh. Raises
    sqlite3.Error or OSError when the file cannot be written; the caller (the generation build)
    then discards the whole generation. (``StoreBuild`` does the same part by part.)"""
    build = StoreBuild(path, corpus.tei_dir, html, previous)
    try:
        build.add(corpus, progress)
        return build.finish()
    except BaseException:
        build.close()
        raise


class Seqs(dict):
    """ref -> seq (reading order across the archive) of the passages of one part of the
    archive; ``base``: how many passages the parts before it hold."""

    def __init__(self, base: int = 0):
        super().__init__()
        self.base = base

    def add(self, ref: str) -> int:
        self[ref] = n = self.base + len(self)
        return n


class StoreBuild:
    """A new store made from the archive part by part (``pactarchive.parts``): ``add`` each
    part's corpus in reading order, then ``finish`` (or ``close`` to give up). What is numbered
    across the archive (documents' positions, passages' ``seq``, entities, notes and their
    numbers, speakers) continues from part to part; the changelog and the timeline, ordered
    across the archive, are written by ``finish``. ``html`` and ``previous`` as
    ``compile_store``. Raises sqlite3.Error or OSError."""

    def __init__(self, path: Path, tei_dir: Path, html: bool = True, previous: Path | None = None):
        self.path, self.tei_dir, self.html = Path(path), Path(tei_dir), html
        self.rel = Relative(tei_dir)
        self.counts = StoreCounts(0, 0, 0, 0, 0, 0)
        self.changelog: dict = {"records": [], "sources": []}
        self.dated: list = []
        self.speakers = 0
        self.db = sqlite3.connect(self.path.resolve().as_uri(), uri=True)  # (a URI: ATTACH then takes one too)
        # a journal in memory: a part's rows can be rolled back (a previous store found damaged)
        self.db.executescript("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;")
        self.db.executescript(SCHEMA.read_text(encoding="utf-8"))
        self.reuse = html and previous is not None and Path(previous).is_file()
        if self.reuse:
            try:
                self.db.execute("ATTACH DATABASE ? AS previous", (f"{Path(previous).resolve().as_uri()}?mode=ro&immutable=1",))
            except sqlite3.DatabaseError as exc:
                self._damaged(exc)

    def _damaged(self, exc: Exception) -> None:
        log.warning("the previous store cannot be read (%s): compiling the store afresh", exc)
        self.reuse = False
        try:
            self.db.execute("DETACH DATABASE previous")
        except sqlite3.Error:
            pass  # (it was never attached)

    def add(self, corpus: Corpus, progress: Callable[[str, int, int], None] | None = None) -> None:
        """Write the rows of a part (the next one in reading order). A previous store that
        turns out damaged is logged and detached, and the part written again without it."""
        _hashes.update(corpus.sha256)
        try:
            with self.db:
                self._fill(corpus, progress)
        except sqlite3.DatabaseError as exc:
            if not self.reuse:
                raise
            self._damaged(exc)
            with self.db:
                self._fill(corpus, progress)

    def _fill(self, corpus: Corpus, progress) -> None:
        db, rel, c = self.db, self.rel, self.counts
        notes_before = c.notes
        local = registers.note_numbers(corpus)
        if notes_before and not hasattr(corpus, "note_number"):  # notes are numbered across the archive
            corpus.note_number = lambda file, line: notes_before + local[(file, line)] if (file, line) in local else None
        db.executemany("INSERT INTO files VALUES (?, ?, ?)",
                       [(rel(f), _sha256(f), json.dumps([rel(i) for i in corpus.includes.get(f, [])]))
                        for f, _ in corpus.roots()])
        seqs, rendered = _passages(db, corpus, rel, self.html, progress, self.reuse, Seqs(c.passages), c.documents)
        _alignment(db, corpus, seqs)
        mentions = _mentions(db, corpus, seqs)
        _entities(db, corpus, mentions, c.entities)
        notes = _notes(db, corpus, rel, c.notes)
        _dates(db, corpus, seqs)
        self.dated += registers.build_dated(corpus)
        speakers = registers.speaker_rows(corpus)
        db.executemany("INSERT INTO speakers VALUES (?,?,?,?,?,?)",
                       [(self.speakers + i, r["pointer"], r["label"], r["doc"], r["count"], json.dumps(r["refs"], ensure_ascii=False))
                        for i, r in enumerate(speakers)])
        self.speakers += len(speakers)
        _ids(db, corpus, rel)
        db.executemany("INSERT INTO interfaces VALUES (?, ?)",
                       [(rel(f), interface.file_interface(corpus, f, rel)) for f, _ in corpus.roots()])
        db.executemany("INSERT INTO links VALUES (?, ?)", sorted(interface.file_links(corpus, rel)))
        log_part = changelog.compute(corpus)
        self.changelog["records"] += log_part["records"]
        self.changelog["sources"] += log_part["sources"]
        self.counts = StoreCounts(c.documents + len(corpus.documents), c.passages + len(seqs),
                                  c.entities + len(corpus.entities), c.mentions + sum(mentions.values()),
                                  c.notes + notes, c.rendered + rendered)

    def finish(self) -> StoreCounts:
        """Write what spans the archive (meta with the changelog, the timeline), analyse and
        close. Returns the counts."""
        db = self.db
        try:
            self.changelog["records"].sort(key=lambda r: changelog.version_key(r["version"]), reverse=True)
            with db:
                db.executemany("INSERT INTO meta VALUES (?, ?)", [
                    ("store_version", str(STORE_VERSION)), ("tei_dir", str(self.tei_dir.resolve())),
                    ("changelog", json.dumps(self.changelog, ensure_ascii=False))])
                db.executemany("INSERT INTO dated VALUES (?,?,?,?,?,?,?,?)",
                               [(i, d.start, d.end, d.when, d.label, d.kind, d.ref, d.entity)
                                for i, d in enumerate(sorted(self.dated, key=registers.dated_order))])
            if self.reuse:
                db.execute("DETACH DATABASE previous")
            db.execute("ANALYZE")
        finally:
            self.close()
        return self.counts

    def close(self) -> None:
        self.db.close()
        _hashes.clear()


class Relative:
    """A file's path relative to the TEI directory, '/'-separated (as stored): ``rel(path)``."""

    def __init__(self, tei_dir: Path):
        self.base = Path(tei_dir).resolve()
        self._known: dict[Path, str] = {}  # asked for every xml:id of the archive: once per file

    def __call__(self, path: Path) -> str:
        found = self._known.get(path)
        if found is None:
            p = Path(path).resolve()
            try:
                found = p.relative_to(self.base).as_posix()
            except ValueError:
                found = p.as_posix()
            self._known[path] = found
        return found


_hashes: dict[Path, str] = {}  # filled from Corpus.sha256 when a compile starts


def _sha256(path: Path) -> str:
    """SHA-256 hex of a file as the corpus read it (``Corpus.sha256``: the bytes parsed, not
    the file on disk now, which may have been saved since). Only a file the corpus did not read
    (a Corpus not made by ``Corpus.load``) is hashed from the disk."""
    found = _hashes.get(Path(path))
    if found is None:
        found = _hashes[Path(path)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return found


def _passages(db, corpus: Corpus, rel: Relative, html: bool, progress=None,
              reuse: bool = False, seqs: Seqs | None = None, documents_before: int = 0) -> tuple[Seqs, int]:
    """Documents and their passages; returns (ref -> seq, the reading order across the archive;
    how many documents were rendered). With ``reuse``, the attached ``previous`` store's
    passage rows of a document whose ``fragment_key`` is unchanged are copied (fragments
    included), not read from the tree and rendered again."""
    seqs = Seqs() if seqs is None else seqs
    rendered = 0
    for position, doc in enumerate(corpus.documents.values(), documents_before):
        if progress:
            progress("compiling", position - documents_before, len(corpus.documents))
        db.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (
            doc.id, position, doc.title, doc.lang, rel(doc.path), doc.line,
            int(doc.element.getroottree().getroot() is doc.element), _sha256(doc.path),
            doc.structure.method, json.dumps(doc.metadata, ensure_ascii=False), header_xml(doc.element),
            len(doc.leaves())))
        fragments = None
        if html:
            key = fragment_key(corpus, doc)
            db.execute("INSERT INTO fragment_keys VALUES (?, ?)", (doc.id, key))
            if reuse and db.execute("SELECT 1 FROM previous.fragment_keys WHERE doc = ? AND key = ?",
                                    (doc.id, key)).fetchone():
                _copy_passages(db, doc.id, seqs)
                continue
            fragments = _fragments(corpus, doc)
            rendered += 1
        db.executemany("INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       list(_passage_rows(doc, seqs, fragments or {})))
    if progress:
        progress("compiling", len(corpus.documents), len(corpus.documents))
    return seqs, rendered


def _copy_passages(db, doc_id: str, seqs: Seqs) -> None:
    """Copy a document's passage rows from the attached ``previous`` store, renumbering
    ``seq`` (reading order across the archive) from the next of ``seqs``. Only for a document whose
    ``fragment_key`` is unchanged: the key covers its file and the files it XIncludes, and
    every other column (refs, tree, headings, both readings) is made from those alone."""
    start = seqs.base + len(seqs)
    seqs.update((ref, start + position) for ref, position in db.execute(
        "SELECT ref, position FROM previous.passages WHERE doc = ? ORDER BY position", (doc_id,)))
    db.execute("INSERT INTO passages SELECT ref, doc, path, xml_id, parent, ? + position, position, last, sibling, "
               "depth, unit, is_leaf, heading, text, text_diplomatic, html FROM previous.passages WHERE doc = ?",
               (start, doc_id))


def patch_store(corpus: Corpus, documents: list, path: Path, previous: Path) -> StoreCounts:
    """Write to ``path`` (which must not exist) the store ``previous`` with the rows of
    ``documents`` (of ``corpus``) made again from their files: each file's and document's
    SHA-256, each passage's heading, readings and rendered fragment, each mention's words and
    keyword-in-context line, each document's ``fragment_key``. Only for documents whose files'
    ``interface.file_interface`` is the one ``previous`` holds: every other row, and every
    row's place, is then what a full build makes (``pactarchive.incremental``). ``corpus``
    may be a part of the archive answering ``note_number`` and ``ref_of_id`` for the whole of
    it (``registers.note_number``, ``registers.split_pointers``). Raises sqlite3.Error or
    OSError."""
    path = Path(path)
    shutil.copyfile(previous, path)
    _hashes.clear()
    _hashes.update(corpus.sha256)
    rel = Relative(corpus.tei_dir)
    db = sqlite3.connect(path)
    try:
        with db:
            for f in dict.fromkeys(d.path for d in documents):
                db.execute("UPDATE files SET sha256 = ? WHERE path = ?", (_sha256(f), rel(f)))
            for doc in documents:
                db.execute("UPDATE documents SET sha256 = ? WHERE id = ?", (_sha256(doc.path), doc.id))
                db.execute("UPDATE fragment_keys SET key = ? WHERE doc = ?", (fragment_key(corpus, doc), doc.id))
                fragments = _fragments(corpus, doc)
                texts = {}
                for p in doc.all_passages():
                    ref = f"{doc.id}:{p.path}"
                    texts[ref] = (*readings(p.element),)
                    db.execute("UPDATE passages SET heading = ?, text = ?, text_diplomatic = ?, html = ? WHERE ref = ?",
                               (heading(p.element), *texts[ref], fragments.get(ref), ref))
                _patch_mentions(db, corpus, doc.id, {ref: t[0] for ref, t in texts.items()})
        counts = dict(db.execute("SELECT 'documents', count(*) FROM documents UNION ALL "
                                 "SELECT 'passages', count(*) FROM passages UNION ALL "
                                 "SELECT 'entities', count(*) FROM entities UNION ALL "
                                 "SELECT 'mentions', count(*) FROM mentions UNION ALL "
                                 "SELECT 'notes', count(*) FROM notes"))
    finally:
        db.close()
        _hashes.clear()
    return StoreCounts(**counts, rendered=len(documents))


def _patch_mentions(db, corpus: Corpus, doc_id: str, texts: dict[str, str]) -> None:
    """The words, keyword-in-context line, visibility and role of each mention in the document
    ``doc_id``, made again. Its rows are those of the same mentions (the file's interface holds
    each mention's entity and passage), written entity by entity in reading order: the n-th row
    of an entity in the document is its n-th mention there."""
    mine = {}
    for entity_id, mentions in corpus.mentions.items():
        mine[entity_id] = [m for m in mentions if m.ref.split(":", 1)[0] == doc_id]
    rows = db.execute("SELECT rowid, entity, ref FROM mentions WHERE doc = ? ORDER BY rowid", (doc_id,)).fetchall()
    seen: dict[str, int] = {}
    updates = []
    for rowid, entity_id, ref in rows:
        i = seen[entity_id] = seen.get(entity_id, -1) + 1
        m = mine[entity_id][i]
        if m.ref != ref:
            raise ValueError(f"the mentions of {entity_id} in {doc_id} are not those the store holds")
        updates.append((*_mention_columns(m, texts), rowid))
    db.executemany("UPDATE mentions SET text = ?, kwic = ?, visible = ?, role = ? WHERE rowid = ?", updates)


def fragment_key(corpus: Corpus, doc) -> str:
    """SHA-256 of everything a document's rendered fragments are made from besides the code
    (the caller compares code fingerprints: build.code_fingerprint): its file and the files
    that file XIncludes, and what the corpus says of its passages and pointers — the passages
    aligned with each, the notes on each, the entity or passage every pointer of the document
    names (and that entity's register entry). A note counts with its number in the edition
    (``registers.note_numbers``: a note added to an earlier document renumbers it) and the
    refs of the passage ids its text names (``registers.split_pointers``: they become links)."""
    h = hashlib.sha256(doc.id.encode() + b"\0")
    for f in [doc.path, *corpus.includes.get(doc.path, [])]:
        h.update(_sha256(f).encode())
    for p in doc.all_passages():
        ref = f"{doc.id}:{p.path}"
        notes = [(n.id, n.type, n.subtype, n.label, n.text, n.targets, n.file, n.line,
                  registers.note_number(corpus, n.file, n.line),
                  [r for _, r in registers.split_pointers(corpus, n.text) if r]) for n in corpus.notes_for(ref)]
        h.update(json.dumps([ref, corpus.aligned(ref), notes], ensure_ascii=False).encode())
    for el in doc.element.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in POINTER_ATTRS:
            for ptr in (el.get(attr) or "").split():
                target = corpus.target(ptr, doc.path)
                entity = corpus.entities.get(target.get(XML_ID)) if target is not None else None
                located = corpus.locate(target) if target is not None and entity is None else None
                h.update(f"{ptr}\0{entity!r}\0{located.ref if located else None}\0".encode())
    return h.hexdigest()


def _passage_rows(doc, seqs: Seqs, fragments: dict) -> Iterable[tuple]:
    order = {id(p): i for i, p in enumerate(doc.all_passages())}
    rank = {id(c): i for i, c in enumerate(doc.passages)}  # a passage's place among its siblings
    rank.update((id(c), i) for p in doc.all_passages() for i, c in enumerate(p.children))
    for position, p in enumerate(doc.all_passages()):
        ref = f"{doc.id}:{p.path}"
        seqs.add(ref)
        parent = f"{doc.id}:{p.parent.path}" if p.parent is not None else None
        last = p
        while last.children:
            last = last.children[-1]
        yield (ref, doc.id, p.path, p.xml_id, parent, seqs[ref], position, order[id(last)],
               rank[id(p)], _depth(p), p.unit, int(not p.children),
               heading(p.element), *readings(p.element), fragments.get(ref))


def _depth(p) -> int:
    d = 0
    while p.parent is not None:
        p, d = p.parent, d + 1
    return d


def heading(element) -> str | None:
    """Plain text of an element's own ``<head>`` (None without one)."""
    head = element.find(f"{{{TEI_NS}}}head")
    return plain_text(head) if head is not None else None


def header_xml(tei) -> str:
    """The ``TEI`` element with only its ``teiHeader``: what citations read from a document."""
    shell = etree.Element(tei.tag, dict(tei.attrib), nsmap=tei.nsmap)
    head = tei.find(f"{{{TEI_NS}}}teiHeader")
    if head is not None:
        shell.append(copy.deepcopy(head))
    return etree.tostring(shell, encoding="unicode")


def _fragments(corpus: Corpus, doc) -> dict[str, str]:
    """The HTML of each finest passage, rendered on its own (links in the document's page)."""
    ctx = render.Context(doc, corpus, render.Links(shown=(doc.id,)), side=doc.id)
    return {f"{doc.id}:{p.path}": render.render_fragment(p.element, ctx) for p in doc.leaves()}


def _alignment(db, corpus: Corpus, seqs: dict[str, int]) -> None:
    rows = []
    for ref in seqs:
        rows += [(ref, other, seqs[other]) for other in corpus.aligned(ref)]
    db.executemany("INSERT OR IGNORE INTO alignment VALUES (?,?,?)", rows)
    order = {d: i for i, d in enumerate(corpus.documents)}
    pairs: dict[tuple[str, str], int] = {}
    for ref, other, _ in rows:
        pair = tuple(sorted((ref.split(":", 1)[0], other.split(":", 1)[0]), key=order.__getitem__))
        pairs[pair] = pairs.get(pair, 0) + 1
    db.executemany("INSERT INTO doc_pairs VALUES (?,?,?)",
                   [(a, b, n // 2) for (a, b), n in sorted(pairs.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))])


def _mentions(db, corpus: Corpus, seqs: dict[str, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    texts = {ref: text for d in corpus.documents  # this part's (by index: not a scan of the archive's)
             for ref, text in db.execute("SELECT ref, text FROM passages WHERE doc = ?", (d,))}
    rows = []
    for entity_id, mentions in corpus.mentions.items():
        counts[entity_id] = len(mentions)
        for m in mentions:
            rows.append((entity_id, m.ref, m.ref.split(":", 1)[0], seqs[m.ref], *_mention_columns(m, texts)))
    db.executemany("INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)", rows)
    return counts


def _mention_columns(m, texts: dict[str, str]) -> tuple:
    """A mention's words, keyword-in-context line (``texts``: ref -> passage text), visibility
    (0 inside markup the edited reading leaves out) and role: the ``mentions`` columns made
    from the mention itself."""
    visible = m.element is None or _visible(m.element)
    return m.text, kwic(texts.get(m.ref, ""), m.text), int(visible), registers.role(m)


def kwic(text: str, words: str, width: int = KWIC) -> str:
    """``text`` cut to ``width`` characters on each side of the first occurrence of ``words``
    (the whole text when it is short or ``words`` is not in it), cuts marked with "…"."""
    at = text.find(words) if words else -1
    if at < 0 or len(text) <= 2 * width + len(words):
        return text
    start, end = max(0, at - width), min(len(text), at + len(words) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _visible(el) -> bool:
    return not any(local(a) in _HIDDEN for a in el.iterancestors())


def _entities(db, corpus: Corpus, mentions: dict[str, int], before: int = 0) -> None:
    stats = registers.register_stats(corpus)
    none = {"mention": 0, "quoted": 0, "speaker": 0, "documents": []}
    db.executemany("INSERT INTO entities VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        (e.id, i, e.kind, e.type, e.label("en"), json.dumps(e.names, ensure_ascii=False),
         json.dumps({"note": e.note, "dates": e.dates, "idnos": e.idnos, "file": e.file, "line": e.line},
                    ensure_ascii=False), *(e.geo or (None, None)), mentions.get(e.id, 0),
         s["mention"], s["quoted"], s["speaker"], json.dumps(s["documents"]))
        for i, e in enumerate(corpus.entities.values(), before) for s in [stats.get(e.id, none)]])


def _notes(db, corpus: Corpus, rel: Relative, before: int = 0) -> int:
    files = {corpus.display_name(f): rel(f) for f, _ in corpus.roots()}
    for nid, n in enumerate(corpus.notes, before):
        db.execute("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?)",
                   (nid, registers.note_number(corpus, n.file, n.line), n.id, n.type, n.subtype, n.label, n.text, files.get(n.file, n.file), n.line))
        db.executemany("INSERT INTO note_targets VALUES (?,?,?,?)",
                       [(nid, i, ref, ref.split(":", 1)[0]) for i, ref in enumerate(n.targets)])
    return len(corpus.notes)


def _dates(db, corpus: Corpus, seqs: dict[str, int]) -> None:
    rows = []
    for doc in corpus.documents.values():
        for d in doc.element.xpath("tei:text//tei:date", namespaces=NS):
            loc = corpus.locate(d)
            start = d.get("when") or d.get("from") or d.get("notBefore")
            end = d.get("when") or d.get("to") or d.get("notAfter")
            if loc and (start or end):
                rows.append((loc.ref, doc.id, seqs[loc.ref], start, end, plain_text(d)))
    db.executemany("INSERT INTO dates VALUES (?,?,?,?,?,?)", rows)


def _ids(db, corpus: Corpus, rel: Relative) -> None:
    rows = []
    for (file, xml_id), el in corpus.ids():
        loc = corpus.locate(el)
        rows.append((rel(file), xml_id, loc.ref if loc else None, xml_id if xml_id in corpus.entities else None))
    db.executemany("INSERT OR IGNORE INTO ids VALUES (?,?,?,?)", rows)
