"""The edition store, read: one read-only SQLite connection per thread, indexed SELECTs.

``Edition(path)`` is the one object the web layer asks. It answers with the names ``Corpus``
uses (``documents``, ``document``, ``resolve``, ``aligned``, ``aligned_within``, ``notes_for``,
``entities_in``, ``entities``, ``mentions``, ``notes``), so code written against a Corpus runs
against the store; but nothing is loaded whole: each answer is a lookup. Documents and passages
come back as light objects (``StoredDocument``, ``StoredPassage``) with the attributes of
``tei.document.Document`` and ``tei.citation.Passage`` that do not need the XML tree; the tree
(``.element``) is parsed on demand, one file, kept in a small per-generation cache.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

from .. import refs
from ..crosslinks import Mention, Note
from ..registers import Dated
from ..errors import RefError, UnknownDocument, UnknownPassage
from ..tei import NS, XML_ID, local
from ..tei.document import Document, Located, derive_id
from ..tei.entities import Entity
from ..tei.parse import parse_bytes, parse_file
from ..tei.pointers import resolve as resolve_pointer
from .compile import STORE_FILE, STORE_VERSION

__all__ = ["Edition", "StoredDocument", "StoredPassage", "open_edition"]
PARSED_CACHE = 4  # documents whose XML tree is kept per generation (the pages being read)
_MISSING = object()
MEMO = 100_000  # pointers and entities remembered per generation (then forgotten at once)
_D_COLS = "id, title, lang, path, line, whole_file, sha256, citation_method, metadata, leaves, position"
_P_COLS = "ref, doc, path, xml_id, parent, position, last, depth, unit, is_leaf, heading, text, text_diplomatic"


@dataclass
class StoredMention(Mention):
    """A mention read from the store: no element, but the role the build found for it
    (``registers.role``: mention, quoted or speaker)."""
    role: str = "mention"


class StaleStore(Exception):
    """The store was written by another version of the build (rebuild the index)."""


class Edition:
    """A read-only view of one generation's ``store.sqlite``. Safe to share between threads
    (each thread gets its own connection). Raises StaleStore when the file is of another
    STORE_VERSION, sqlite3.Error when it is not a store."""

    def __init__(self, path: Path, tei_dir: Path | None = None):
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._parsed: OrderedDict[str, Document] = OrderedDict()
        meta = dict(self._all("SELECT key, value FROM meta"))
        if meta.get("store_version") != str(STORE_VERSION):
            raise StaleStore(f"{self.path} was written by store version {meta.get('store_version')}, not {STORE_VERSION}")
        self.tei_dir = Path(tei_dir) if tei_dir else Path(meta["tei_dir"])
        self._tei_prefix = str(self.tei_dir.resolve()) + "/"
        self._targets: dict[tuple[str, str], "_Target | None"] = {}  # the render layer asks per mention
        self._entities: dict[str, Entity] = {}
        self._names: dict[str, str] = {}  # file under tei/ -> its display_name
        self.generation = self.path.parent.name
        self.problems: list = []  # a store is only ever written from a corpus without errors
        self.documents = DocumentMap(self)
        self.entities = EntityMap(self)
        self.mentions = MentionMap(self)

    # -- connection ----------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            uri = self.path.resolve().as_uri() + "?mode=ro&immutable=1"
            conn = self._local.conn = sqlite3.connect(uri, uri=True)
        return conn

    def close(self) -> None:
        """Close this thread's connection (a server's threads keep theirs while they live)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()

    def _all(self, sql: str, args: tuple = ()) -> list[tuple]:
        return self._conn().execute(sql, args).fetchall()

    def _one(self, sql: str, args: tuple = ()) -> tuple | None:
        return self._conn().execute(sql, args).fetchone()

    # -- documents -----------------------------------------------------------------------------

    def document(self, doc_id: str) -> "StoredDocument":
        """Raises UnknownDocument."""
        row = self._one(f"SELECT {_D_COLS} FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            raise UnknownDocument(f"no document with id '{doc_id}'")
        return StoredDocument(self, *row)

    def documents_page(self, page: int = 1, size: int = 100) -> tuple[list["StoredDocument"], int]:
        """One page (1-based) of the documents in archive order, and how many there are."""
        total = self._one("SELECT count(*) FROM documents")[0]
        rows = self._all(f"SELECT {_D_COLS} FROM documents ORDER BY position LIMIT ? OFFSET ?", (size, (page - 1) * size))
        return [StoredDocument(self, *r) for r in rows], total

    def titles(self, first: int | None = None, also=()) -> list[dict]:
        """``{"id", "title", "lang"}`` of every document in archive order (one query); with
        ``first``, only the first ``first`` documents and those of ``also`` (a list that does
        not grow with the archive: the reading view's chooser)."""
        if first is None:
            rows = self._all("SELECT id, title, lang FROM documents ORDER BY position")
        else:
            ids = tuple(also)
            rows = self._all("SELECT id, title, lang FROM documents WHERE position IN"
                             " (SELECT position FROM documents ORDER BY position LIMIT ?)"
                             f" OR id IN ({','.join('?' * len(ids))}) ORDER BY position", (first, *ids))
        return [{"id": i, "title": t, "lang": l} for i, t, l in rows]

    def pairs_of(self, doc_ids) -> list[tuple[str, str]]:
        """The ``pairs`` that contain one of ``doc_ids`` (one indexed query)."""
        ids = tuple(doc_ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [(a, b) for a, b in self._all(
            "SELECT left, right FROM doc_pairs JOIN documents l ON l.id = left JOIN documents r ON r.id = right"
            f" WHERE left IN ({marks}) OR right IN ({marks}) ORDER BY l.position, r.position", ids + ids)]

    def header(self, doc_id: str):
        """The document's ``TEI`` element holding only its ``teiHeader`` (parsed from the store)."""
        row = self._one("SELECT header FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            raise UnknownDocument(f"no document with id '{doc_id}'")
        return parse_bytes(row[0].encode("utf-8"), doc_id).getroot()

    def parsed(self, doc_id: str) -> Document:
        """The document parsed from its TEI file (for rendering and TEI downloads); the last
        few are cached. Raises UnknownDocument, TEIError when the file cannot be read."""
        with self._lock:
            if doc_id in self._parsed:
                self._parsed.move_to_end(doc_id)
                return self._parsed[doc_id]
        stored = self.document(doc_id)
        root = parse_file(stored.path, self.tei_dir, set()).getroot()
        teis = root.xpath("descendant-or-self::tei:TEI", namespaces=NS) if local(root) == "teiCorpus" else [root]
        numbered = len(teis) > 1 or local(root) == "teiCorpus"
        tei = next((t for n, t in enumerate(teis, 1) if derive_id(stored.path, t, n if numbered else None) == doc_id), None)
        if tei is None:
            raise UnknownDocument(f"document '{doc_id}' is no longer in {stored.path}; rebuild the index")
        doc = Document.from_element(doc_id, stored.path, tei)
        with self._lock:
            self._parsed[doc_id] = doc
            while len(self._parsed) > PARSED_CACHE:
                self._parsed.popitem(last=False)
        return doc

    # -- passages ------------------------------------------------------------------------------

    def passage_row(self, doc_id: str, path: str) -> tuple | None:
        """The row of a passage by path, else by xml:id (as Document.passage looks it up)."""
        return (self._one(f"SELECT {_P_COLS} FROM passages WHERE ref = ?", (refs.format_ref(doc_id, path),))
                or self._one(f"SELECT {_P_COLS} FROM passages WHERE doc = ? AND xml_id = ?", (doc_id, path)))

    def passages_where(self, where: str, args: tuple) -> list["StoredPassage"]:
        return [StoredPassage(self, *r) for r in self._all(f"SELECT {_P_COLS} FROM passages WHERE {where}", args)]

    def resolve(self, ref: str) -> list[Located]:
        """The passages a ref names: one for ``DOC:PATH``, several for ``DOC:START-END``.
        Raises RefError (UnknownDocument, UnknownPassage) with a message for the user."""
        doc_id, path = refs.split(ref)
        doc = self.document(doc_id)
        return [Located(doc, p) for p in refs.select(doc, path)]

    def cite_chains(self, doc_ids) -> dict[str, tuple[list[tuple[str, ...]], int]]:
        """Per document of ``doc_ids``: the distinct chains of units from a top-level passage
        down to each passage (``("section", "paragraph")``), in the order first met in the
        document, and how many passages it has: its citation tree's typology and size, in one
        query (a recursive walk down ``parent`` and a GROUP BY), not one row per passage in
        Python. Documents without passages are left out."""
        ids = tuple(dict.fromkeys(doc_ids))
        out: dict[str, tuple[list[tuple[str, ...]], int]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self._all(
                "WITH RECURSIVE chain(ref, doc, position, units) AS ("
                f" SELECT ref, doc, position, coalesce(unit, '') FROM passages WHERE depth = 0 AND doc IN ({','.join('?' * len(chunk))})"
                " UNION ALL SELECT p.ref, p.doc, p.position, chain.units || char(31) || coalesce(p.unit, '')"
                " FROM passages p JOIN chain ON p.parent = chain.ref)"
                " SELECT doc, units, min(position) AS first, count(*) FROM chain GROUP BY doc, units ORDER BY doc, first", chunk)
            for doc, units, _, n in rows:
                chains, total = out.get(doc, ([], 0))
                out[doc] = (chains + [tuple(units.split("\x1f"))], total + n)
        return out

    def html(self, ref: str) -> str | None:
        """The rendered HTML fragment of a finest passage (None for larger units)."""
        row = self._one("SELECT html FROM passages WHERE ref = ?", (ref,))
        return row[0] if row else None

    # -- alignment -----------------------------------------------------------------------------

    def aligned(self, ref: str) -> list[str]:
        """Refs aligned with the passage ``ref`` in other documents (their reading order)."""
        return [r[0] for r in self._all("SELECT other FROM alignment WHERE ref = ? ORDER BY other_seq", (ref,))]

    def aligned_within(self, ref: str) -> list[str]:
        """What ``aligned`` gives, or, for a section or paragraph without an alignment of its
        own, the passages aligned with its sentences, a whole paragraph or section of the other
        document standing for all of its sentences when every one of them is there (as
        ``Corpus.aligned_within``)."""
        own = self.aligned(ref)
        p = self.resolve(ref)[0].passage
        if own or p.is_leaf:
            return own
        found = {r[0] for r in self._all(
            "SELECT DISTINCT a.other FROM passages p JOIN alignment a ON a.ref = p.ref"
            " WHERE p.doc = ? AND p.position BETWEEN ? AND ? AND p.is_leaf = 1", (p.doc_id, p.position, p.last))}
        return self._in_order(self._collapse(found))

    def pairs(self) -> list[tuple[str, str]]:
        """Document pairs with at least one aligned passage, each once, in archive order."""
        return [(a, b) for a, b in self._all(
            "SELECT left, right FROM doc_pairs JOIN documents l ON l.id = left JOIN documents r ON r.id = right"
            " ORDER BY l.position, r.position")]

    def alignment(self, left: str, right: str) -> dict:
        """``{"left", "right", "links": [{"left": ref, "right": [refs]}]}``: every passage of
        ``left`` aligned with passages of ``right``, in reading order (as
        ``cite.downloads.alignment``). Raises UnknownDocument."""
        self.document(left), self.document(right)
        links: dict[str, list[str]] = {}
        for ref, other in self._all("SELECT a.ref, a.other FROM alignment a JOIN passages p ON p.ref = a.ref"
                                    " JOIN passages o ON o.ref = a.other WHERE p.doc = ? AND o.doc = ?"
                                    " ORDER BY p.position, a.other_seq", (left, right)):
            links.setdefault(ref, []).append(other)
        return {"left": left, "right": right, "links": [{"left": k, "right": v} for k, v in links.items()]}

    def aligned_map(self, doc_id: str) -> dict[str, list[str]]:
        """Ref -> aligned refs, for every finest passage of a document that has any (one query)."""
        out: dict[str, list[str]] = {}
        for ref, other in self._all("SELECT p.ref, a.other FROM passages p JOIN alignment a ON a.ref = p.ref"
                                    " WHERE p.doc = ? AND p.is_leaf = 1 ORDER BY p.position, a.other_seq", (doc_id,)):
            out.setdefault(ref, []).append(other)
        return out

    def aligned_counts(self, doc_id: str) -> list[tuple[str, int]]:
        """``(other document, n)`` for every document a finest passage of ``doc_id`` is aligned
        with, n counting each aligned ref; most first, ties in the order they are first met in
        reading order (what ``Counter.most_common`` gives over ``aligned`` of every leaf). One
        GROUP BY query instead of one query per passage."""
        return [(d, n) for d, n, _ in self._all(
            "SELECT o.doc, count(*) AS n, min(p.position) AS first FROM passages p"
            " JOIN alignment a ON a.ref = p.ref JOIN passages o ON o.ref = a.other"
            " WHERE p.doc = ? AND p.is_leaf = 1 GROUP BY o.doc ORDER BY n DESC, first", (doc_id,))]

    def _collapse(self, found: set[str]) -> set[str]:
        for ref in list(found):
            row = self._one("SELECT parent FROM passages WHERE ref = ?", (ref,))
            if not row or row[0] is None:
                continue
            kids = {r[0] for r in self._all("SELECT ref FROM passages WHERE parent = ?", (row[0],))}
            if kids <= found:
                return self._collapse((found - kids) | {row[0]})
        return found

    def _in_order(self, found) -> list[str]:
        found = list(found)
        marks = ",".join("?" * len(found))
        return [r[0] for r in self._all(f"SELECT ref FROM passages WHERE ref IN ({marks}) ORDER BY seq", tuple(found))]

    # -- notes, entities, mentions, dates -----------------------------------------------------

    def notes_for(self, ref: str) -> list[Note]:
        """Notes attached to the passage ``ref`` (not to those below it), in reading order."""
        return self._notes("nid IN (SELECT note FROM note_targets WHERE ref = ?)", (ref,))

    def notes_in(self, doc_ids) -> list[Note]:
        """Notes with a target in any of the documents ``doc_ids``, in reading order."""
        ids = tuple(doc_ids)
        marks = ",".join("?" * len(ids))
        return self._notes(f"nid IN (SELECT note FROM note_targets WHERE doc IN ({marks}))", ids)

    @property
    def notes(self) -> list[Note]:
        """Every note (for pages that list them all; prefer notes_for/notes_in)."""
        return self._notes("1", ())

    def _notes(self, where: str, args: tuple) -> list[Note]:
        rows = self._all(f"SELECT nid, id, type, subtype, text, file, line, label FROM notes WHERE {where} ORDER BY nid", args)
        targets: dict[int, list[str]] = {}
        nids = [r[0] for r in rows]
        for i in range(0, len(nids), 500):  # the targets of all these notes, a few queries in all
            chunk = nids[i:i + 500]
            for note, ref in self._all(f"SELECT note, ref FROM note_targets WHERE note IN ({','.join('?' * len(chunk))})"
                                       " ORDER BY note, position", tuple(chunk)):
                targets.setdefault(note, []).append(ref)
        return [Note(nid_, typ, sub, text, targets.get(nid, []), self._display_name_of(file), line, label)
                for nid, nid_, typ, sub, text, file, line, label in rows]

    def _display_name_of(self, relpath: str) -> str:
        """``display_name`` of a file of the store (by its path under tei/), remembered: every
        note on a page names its file, and resolving a path against the working directory costs
        system calls."""
        found = self._names.get(relpath)
        if found is None:
            if len(self._names) > MEMO:
                self._names.clear()
            found = self._names[relpath] = self.display_name(self.tei_dir / relpath)
        return found

    def entities_in(self, ref: str) -> list[str]:
        """Ids of the entities mentioned in a passage (or below it), sorted."""
        p = self.resolve(ref)[0].passage
        return [r[0] for r in self._all(
            "SELECT DISTINCT m.entity FROM passages p JOIN mentions m ON m.ref = p.ref"
            " WHERE p.doc = ? AND p.position BETWEEN ? AND ? ORDER BY m.entity", (p.doc_id, p.position, p.last))]

    def entity(self, entity_id: str) -> Entity:
        """Raises RefError for an unknown id."""
        found = self.entities.get(entity_id)
        if found is None:
            raise RefError(f"no entity with id '{entity_id}'")
        return found

    def mention_count(self, entity_id: str) -> int:
        row = self._one("SELECT mentions FROM entities WHERE id = ?", (entity_id,))
        return row[0] if row else 0

    def mentions_of(self, entity_id: str, page: int = 1, size: int | None = None) -> list[StoredMention]:
        """The mentions of an entity in reading order (a page of ``size`` of them, or all),
        each with its ``role``."""
        limit = f" LIMIT {int(size)} OFFSET {(int(page) - 1) * int(size)}" if size else ""
        return [StoredMention(entity_id, ref, text, role=role) for ref, text, role in self._all(
            "SELECT ref, text, role FROM mentions WHERE entity = ? ORDER BY seq" + limit, (entity_id,))]

    def mentions_in(self, entity_id: str, doc_ids) -> list[StoredMention]:
        """The mentions of an entity in the documents ``doc_ids``, in reading order."""
        ids = tuple(doc_ids)
        return [StoredMention(entity_id, ref, text, role=role) for ref, text, role in self._all(
            f"SELECT ref, text, role FROM mentions WHERE entity = ? AND doc IN ({','.join('?' * len(ids))}) ORDER BY seq",
            (entity_id, *ids))]

    def passages_elsewhere(self, entity_id: str, doc_ids) -> int:
        """How many passages outside the documents ``doc_ids`` mention an entity."""
        ids = tuple(doc_ids)
        return self._one(f"SELECT count(DISTINCT ref) FROM mentions WHERE entity = ? AND doc NOT IN ({','.join('?' * len(ids))})",
                         (entity_id, *ids))[0]

    def kwic(self, entity_id: str) -> list[dict]:
        """``{"ref", "text", "kwic"}`` of each mention of an entity, in reading order."""
        return [{"ref": r, "text": t, "kwic": k} for r, t, k in self._all(
            "SELECT ref, text, kwic FROM mentions WHERE entity = ? ORDER BY seq", (entity_id,))]

    def dates(self) -> list[dict]:
        """``{"ref", "doc", "start", "end", "text"}`` of every dated phrase, by start date."""
        return [dict(zip(("ref", "doc", "start", "end", "text"), r)) for r in self._all(
            "SELECT ref, doc, start, end, text FROM dates ORDER BY start, seq")]

    # -- the context pages (registers.py) ------------------------------------------------------

    def register_stats(self) -> dict[str, dict]:
        """Entity id -> ``{"mention", "quoted", "speaker", "documents"}`` of every mentioned
        entity (counts by role, documents in reading order): ``registers.register_stats`` as
        the build computed it. One query over the entities."""
        return {i: {"mention": n, "quoted": q, "speaker": s, "documents": json.loads(d)}
                for i, n, q, s, d in self._all("SELECT id, named, quoted, speaker, documents FROM entities"
                                               " WHERE mentions > 0 ORDER BY position")}

    def speaker_rows(self, doc: str | None = None) -> list[dict]:
        """``registers.speaker_rows`` (of the document ``doc``, or all), as the build stored them."""
        where, args = ("WHERE doc = ?", (doc,)) if doc else ("", ())
        return [{"pointer": p, "label": l, "doc": d, "count": n, "refs": json.loads(r)} for p, l, d, n, r in self._all(
            f"SELECT pointer, label, doc, count, refs FROM speakers {where} ORDER BY seq", args)]

    def dated(self) -> list[Dated]:
        """``registers.build_dated``: every dated mention and dated register event, in date order."""
        return [Dated(start, end, value, label, kind, ref, entity) for start, end, value, label, kind, ref, entity
                in self._all("SELECT start, end, value, label, kind, ref, entity FROM dated ORDER BY seq")]

    def interfaces(self) -> dict[str, str]:
        """File (relative path) -> its ``interface.file_interface``, as the build stored them."""
        return dict(self._all("SELECT path, hash FROM interfaces"))

    def note_number(self, file: str, line) -> int | None:
        """The edition number of the note at ``file`` (as ``notes`` displays it) and ``line``
        (``registers.note_numbers``), or None for a note the store does not hold."""
        row = self._one("SELECT n FROM notes WHERE file = ? AND line IS ?",
                        (self._relative(Path(file) if Path(file).is_absolute() else Path.cwd() / file), line))
        return row[0] if row else None

    def ref_of_id(self, xml_id: str) -> str | None:
        """The public ref of the passage with this xml:id (the first in reading order), or None:
        what ``registers.split_pointers`` turns an id named in a note into."""
        row = self._one("SELECT ref FROM passages WHERE xml_id = ? ORDER BY seq LIMIT 1", (xml_id,))
        return row[0] if row else None

    # -- pointers (what the render layer asks a corpus) -----------------------------------------

    def target(self, pointer: str, from_file: Path):
        """What a local TEI pointer names: an object whose ``get(XML_ID)`` is the id, or None.
        (Remembered per generation: a page asks once per mention.)"""
        memo = (pointer, str(from_file))
        found = self._targets.get(memo, _MISSING)  # .get: another thread may clear the memo meanwhile
        if found is not _MISSING:
            return found
        key = resolve_pointer(pointer, Path(from_file))
        row = None if key is None else self._one("SELECT xml_id, ref FROM ids WHERE file = ? AND xml_id = ?",
                                                   (self._relative(key[0]), key[1]))
        found = _Target(row[0], row[1]) if row else None
        if len(self._targets) > MEMO:
            self._targets.clear()
        self._targets[memo] = found
        return found

    def locate(self, target) -> SimpleNamespace | None:
        """The passage containing a pointer's target (an object with ``ref``), or None."""
        ref = getattr(target, "ref", None)
        return SimpleNamespace(ref=ref) if ref else None

    def display_name(self, path: Path) -> str:
        """A file's path as messages show it: relative to the working directory where it can be."""
        try:
            return str(Path(path).relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def _relative(self, path: Path) -> str:
        p = str(path)
        if p.startswith(self._tei_prefix):  # the usual case: no file system calls
            return p[len(self._tei_prefix):]
        p = Path(path).resolve()
        try:
            return p.relative_to(self.tei_dir.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    # -- changelog -----------------------------------------------------------------------------

    @cached_property
    def _changelog(self) -> dict:
        row = self._one("SELECT value FROM meta WHERE key = 'changelog'")
        return json.loads(row[0]) if row else {"records": [], "sources": []}

    def changelog(self) -> dict:
        """``changelog.compute`` of the corpus, as the build stored it: ``{"records", "sources"}``.
        Read once per generation (the store is immutable): every /passage and /read asks for it."""
        return self._changelog

    def in_reading_order(self, refs) -> list[str]:
        """The given refs that exist, in the archive's reading order."""
        return self._in_order(refs) if refs else []

    # -- files ---------------------------------------------------------------------------------

    def files(self) -> dict[str, str]:
        """Relative path -> SHA-256 of every file the store was built from."""
        return dict(self._all("SELECT path, sha256 FROM files"))


class _Target:
    """A pointer's target as the render layer sees it: its xml:id and the passage holding it."""

    def __init__(self, xml_id: str, ref: str | None):
        self.xml_id, self.ref = xml_id, ref

    def get(self, attr: str, default=None):
        return self.xml_id if attr == XML_ID else default


class StoredDocument:
    """A document's row: the attributes of tei.document.Document that need no XML tree."""

    def __init__(self, edition: Edition, doc_id, title, lang, path, line, whole_file, sha256, method, metadata, leaves, position):
        self.edition, self.id, self.title, self.lang = edition, doc_id, title, lang
        self.relpath, self.line, self.whole_file, self.sha256 = path, line, bool(whole_file), sha256
        self.path = edition.tei_dir / path
        self.metadata = json.loads(metadata)
        self.structure = SimpleNamespace(method=method)
        self.leaf_count, self.position = leaves, position

    @property
    def element(self):
        """The ``TEI`` element, parsed from the file on first use."""
        return self.edition.parsed(self.id).element

    @cached_property
    def passages(self) -> list["StoredPassage"]:
        """Top-level passages."""
        return self.edition.passages_where("doc = ? AND depth = 0 ORDER BY position", (self.id,))

    def all_passages(self) -> list["StoredPassage"]:
        return self.edition.passages_where("doc = ? ORDER BY position", (self.id,))

    def leaves(self) -> list["StoredPassage"]:
        return self.edition.passages_where("doc = ? AND is_leaf = 1 ORDER BY position", (self.id,))

    def window(self, at: int, before: int, after: int) -> list["StoredPassage"]:
        """Finest passages around position ``at`` (``before`` before it, ``after`` from it)."""
        e = self.edition
        head = e.passages_where("doc = ? AND is_leaf = 1 AND position < ? ORDER BY position DESC LIMIT ?", (self.id, at, before))
        tail = e.passages_where("doc = ? AND is_leaf = 1 AND position >= ? ORDER BY position LIMIT ?", (self.id, at, after))
        return head[::-1] + tail

    def passage(self, path: str) -> "StoredPassage":
        """Raises UnknownPassage."""
        row = self.edition.passage_row(self.id, path)
        if row is None:
            raise UnknownPassage(f"document '{self.id}' has no passage '{path}'")
        return StoredPassage(self.edition, *row)

    def has_passage(self, path: str) -> bool:
        return self.edition.passage_row(self.id, path) is not None

    def range(self, start: str, end: str) -> list["StoredPassage"]:
        """As Document.range: from ``start`` to ``end`` at ``start``'s level. Raises UnknownPassage."""
        a, b = self.passage(start), self.passage(end)
        if b.position < a.position:
            raise UnknownPassage(f"range {start}-{end} in '{self.id}' ends before it starts")
        return self.edition.passages_where("doc = ? AND depth = ? AND position BETWEEN ? AND ? ORDER BY position",
                                           (self.id, a.depth, a.position, b.position))

    def neighbours(self, p: "StoredPassage") -> tuple["StoredPassage | None", "StoredPassage | None"]:
        """Previous and next passage at the same level."""
        e = self.edition
        prev = e.passages_where("doc = ? AND depth = ? AND position < ? ORDER BY position DESC LIMIT 1", (self.id, p.depth, p.position))
        nxt = e.passages_where("doc = ? AND depth = ? AND position > ? ORDER BY position LIMIT 1", (self.id, p.depth, p.position))
        return (prev[0] if prev else None, nxt[0] if nxt else None)


class StoredPassage:
    """A passage's row: the attributes of tei.citation.Passage that need no XML tree."""

    def __init__(self, edition: Edition, ref, doc_id, path, xml_id, parent, position, last, depth, unit, is_leaf,
                 heading, text, text_diplomatic):
        self.edition, self.ref, self.doc_id, self.path, self.xml_id = edition, ref, doc_id, path, xml_id
        self.parent_ref, self.position, self.last, self.depth, self.unit = parent, position, last, depth, unit
        self.is_leaf, self.heading = bool(is_leaf), heading
        self._texts = {"edited": text, "diplomatic": text_diplomatic}

    def __eq__(self, other):
        return isinstance(other, StoredPassage) and other.ref == self.ref

    def __hash__(self):
        return hash(self.ref)

    def __repr__(self):
        return f"StoredPassage({self.ref!r})"

    def text(self, reading: str = "edited") -> str:
        return self._texts["diplomatic" if reading == "diplomatic" else "edited"]

    @cached_property
    def parent(self) -> "StoredPassage | None":
        if self.parent_ref is None:
            return None
        return self.edition.passages_where("ref = ?", (self.parent_ref,))[0]

    @cached_property
    def children(self) -> list["StoredPassage"]:
        if self.is_leaf:
            return []
        return self.edition.passages_where("parent = ? ORDER BY position", (self.ref,))

    def iter(self):
        """This passage and all below it, in reading order."""
        return iter(self.edition.passages_where("doc = ? AND position BETWEEN ? AND ? ORDER BY position",
                                                (self.doc_id, self.position, self.last)))

    @property
    def element(self):
        """The passage's TEI element (parses the document's file on first use)."""
        return self.edition.parsed(self.doc_id).passage(self.path).element


class DocumentMap(Mapping):
    """Document id -> StoredDocument, in archive order; each access is a lookup."""

    def __init__(self, edition: Edition):
        self._e = edition

    def __getitem__(self, doc_id):
        try:
            return self._e.document(doc_id)
        except UnknownDocument:
            raise KeyError(doc_id) from None

    def __contains__(self, doc_id):
        return self._e._one("SELECT 1 FROM documents WHERE id = ?", (doc_id,)) is not None

    def __iter__(self):
        return iter([r[0] for r in self._e._all("SELECT id FROM documents ORDER BY position")])

    def __len__(self):
        return self._e._one("SELECT count(*) FROM documents")[0]

    def values(self):
        """Every document, in one query."""
        return [StoredDocument(self._e, *r) for r in self._e._all(f"SELECT {_D_COLS} FROM documents ORDER BY position")]

    def items(self):
        return [(d.id, d) for d in self.values()]


class EntityMap(Mapping):
    """Entity id -> tei.entities.Entity, in declaration order; each access is a lookup."""

    def __init__(self, edition: Edition):
        self._e = edition

    def __getitem__(self, entity_id):
        memo = self._e._entities
        found = memo.get(entity_id)
        if found is not None:
            return found
        row = self._e._one(f"SELECT {_E_COLS} FROM entities WHERE id = ?", (entity_id,))
        if row is None:
            raise KeyError(entity_id)
        if len(memo) > MEMO:
            memo.clear()
        memo[entity_id] = found = _entity(row)
        return found

    def __contains__(self, entity_id):
        return self._e._one("SELECT 1 FROM entities WHERE id = ?", (entity_id,)) is not None

    def __iter__(self):
        return iter([r[0] for r in self._e._all("SELECT id FROM entities ORDER BY position")])

    def __len__(self):
        return self._e._one("SELECT count(*) FROM entities")[0]

    def values(self):
        return [_entity(r) for r in self._e._all(f"SELECT {_E_COLS} FROM entities ORDER BY position")]

    def items(self):
        return [(e.id, e) for e in self.values()]


_E_COLS = "id, kind, type, names, data, lat, lon"


def _entity(row) -> Entity:
    entity_id, kind, typ, names, data, lat, lon = row
    d = json.loads(data)
    return Entity(entity_id, kind, typ, json.loads(names), d["note"], d["dates"], d["idnos"], d["file"], d["line"],
                  (lat, lon) if lat is not None else None)


class MentionMap(Mapping):
    """Entity id -> its mentions in reading order (only entities that are mentioned)."""

    def __init__(self, edition: Edition):
        self._e = edition

    def __getitem__(self, entity_id):
        found = self._e.mentions_of(entity_id)
        if not found:
            raise KeyError(entity_id)
        return found

    def __iter__(self):
        return iter([r[0] for r in self._e._all("SELECT id FROM entities WHERE mentions > 0 ORDER BY position")])

    def __len__(self):
        return self._e._one("SELECT count(*) FROM entities WHERE mentions > 0")[0]


def open_edition(generation: Path, tei_dir: Path | None = None) -> Edition:
    """The Edition of a generation directory. Raises FileNotFoundError without a store,
    StaleStore when it is of another version."""
    path = Path(generation) / STORE_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no {STORE_FILE} in {generation}")
    return Edition(path, tei_dir)
