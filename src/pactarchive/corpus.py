"""The corpus: every TEI file under a directory, loaded once, checked, and cross-linked.

Discovers ``*.xml`` under the TEI directory (a ``teiCorpus`` yields each of its ``TEI``
documents; a ``TEI`` without ``text`` is a stand-off file whose entities, links and notes are
read). Resolves pointers between files, the alignment of passages across documents, editorial
notes attached to passages, and entity mentions. Knows nothing of Flask or Whoosh.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Callable, Iterable

from . import crosslinks, refs
from .crosslinks import Mention, Note
from .errors import CorpusError, Problem, TEIError, UnknownDocument
from .tei import NS, XML_ID, local
from .tei.citation import Mismatch
from .tei.document import Document, Located, derive_id
from .tei.entities import Entity, read_entities
from .tei import pointers
from .tei.parse import display, parse_file

__all__ = ["Corpus", "CorpusCache", "Located", "Note", "Mention", "discover", "refused_links", "links_out",
           "fingerprint"]


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
        self.prefixes: dict[Path, dict] = {}  # file -> its prefixDef declarations
        self._by_element: dict[object, Located] = {}
        self._position: dict[str, tuple[int, int]] = {}  # ref -> (document, passage) in reading order
        self.includes: dict[Path, list[Path]] = {}  # file -> the files it XIncludes
        # every file read (``files`` as found, XIncluded ones by resolved path) -> SHA-256 of the
        # bytes parsed, None: missing or unreadable (tei.parse.parse_file). What a build made of
        # this corpus is made of these versions, whatever the disk holds when the build ends.
        self.sha256: dict[Path, str | None] = {}
        self.links_out: list[Path] = []  # symbolic links refused as leading outside (``links_out``)
        self._notes_by_ref: dict[str, list[Note]] = {}  # target ref -> notes (see notes_for)
        self._notes_key: tuple | None = None

    # -- loading -----------------------------------------------------------------------

    @classmethod
    def load(cls, tei_dir: Path, progress: Callable[[str, int, int], None] | None = None,
             only: set[Path] | None = None) -> "Corpus":
        """Read every TEI file under ``tei_dir``. Files that cannot be read are recorded as
        error Problems and left out; nothing is raised (see ``raise_errors``).
        ``progress("reading", files read, files)`` is called after each file, then
        ``progress("linking", 0 or 1, 1)`` before and after the links across files.
        ``only``: read only these of the files (paths as ``discover`` gives them), in the
        archive's order: a part of the archive (``pactarchive.incremental`` reads a changed file
        and the files it links with; what the part says of files outside it is not the
        archive's)."""
        corpus = cls(tei_dir)
        corpus.files = discover(corpus.tei_dir)
        if only is not None:
            corpus.files = [f for f in corpus.files if f in only]
        corpus.links_out = links_out(corpus.tei_dir)
        corpus.problems += refused_links(corpus.tei_dir)
        included: set[Path] = set()
        failed = []
        for i, path in enumerate(corpus.files, 1):
            failed += corpus._load_file(path, included)
            if progress:
                progress("reading", i, len(corpus.files))
        # a fragment XIncluded by another file is part of that file, not a document of its own
        corpus.problems += [p for path, p in failed if path.resolve() not in included]
        corpus.problems.sort(key=lambda p: (p.severity, p.file, p.line or 0))
        if progress:
            progress("linking", 0, 1)
        corpus._index_passages()
        crosslinks.check_pointers(corpus)
        for a, b in crosslinks.alignment_pairs(corpus):
            corpus._link(a.ref, b.ref)
            corpus._link(b.ref, a.ref)
        corpus.notes = crosslinks.read_notes(corpus)
        corpus.mentions = crosslinks.read_mentions(corpus)
        if progress:
            progress("linking", 1, 1)
        return corpus

    def _load_file(self, path: Path, included: set) -> list:
        """Read one file; returns [(path, Problem)] when it cannot be read. Its warnings
        (entity references left out, an xi:fallback used) go to ``problems``."""
        warnings: list[Problem] = []
        mine: set[Path] = set()
        try:
            tree = parse_file(path, self.tei_dir, mine, warnings, self.sha256)
        except TEIError as exc:
            return [(path, exc.problem)]
        finally:
            included |= mine
        self.problems += warnings
        self.includes[path] = sorted(mine)
        root = tree.getroot()
        if not self._index_ids(path, root):
            return []
        self._roots[path] = root
        self.prefixes[path] = pointers.prefix_defs(root)
        teis = root.xpath("descendant-or-self::tei:TEI", namespaces=NS) if local(root) == "teiCorpus" else [root]
        for n, tei in enumerate(teis, 1):
            if tei.find("{http://www.tei-c.org/ns/1.0}text") is not None:
                self._add_document(path, tei, n if len(teis) > 1 or local(root) == "teiCorpus" else None)
        for entity in read_entities(root, self.display_name(path)):
            if entity.id in self.entities:
                other = self.entities[entity.id]
                self.warn(path, entity.line, f"entity id '{entity.id}' is declared again; first declared at {other.file}:{other.line}")
                continue
            self.entities[entity.id] = entity
        return []

    def _add_document(self, path: Path, tei, position: int | None) -> None:
        doc_id = derive_id(path, tei, position)
        if doc_id in self.documents:
            other = self.documents[doc_id]
            self._error(path, tei.sourceline, f"document id '{doc_id}' is already used by {self.display_name(other.path)}:{other.line}; give one of them another xml:id on <TEI>")
            return
        try:
            doc = Document.from_element(doc_id, path, tei)
        except Mismatch as exc:
            self._error(path, tei.sourceline, f"no citable passages ({exc}): give the body div, p, ab, lg, sp, u "
                                              "or l elements, or declare a citeStructure that matches")
            return
        for note in doc.structure.notes:
            self.warn(path, tei.sourceline, note)
        if not doc.coverage.complete:  # text that no passage holds can be neither found nor cited
            name, line = doc.coverage.first_uncovered
            self.warn(path, line, f"<{name}>: text in no passage ({doc.id} {doc.coverage.summary()})")
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
                self.warn(path, el.sourceline, f"xml:id '{xml_id}' is also used in {self.display_name(first[0])}:{first[1]}; "
                                                "pointers with a file name still resolve, but keep ids unique across the archive")
        return ok

    def _index_passages(self) -> None:
        for d, doc in enumerate(self.documents.values()):
            for i, p in enumerate(doc.all_passages()):
                loc = Located(doc, p)
                self._by_element[p.element] = loc
                self._position[loc.ref] = (d, i)

    # -- pointers ----------------------------------------------------------------------

    def target(self, pointer: str, from_file: Path):
        """The element a local pointer names, or None when it is external or unresolved."""
        return pointers.find(pointer, from_file, self.prefixes.get(from_file), self._ids, self._first_id)

    def locate(self, el) -> Located | None:
        """The innermost passage whose element is ``el`` or contains it."""
        while el is not None:
            if el in self._by_element:
                return self._by_element[el]
            el = el.getparent()
        return None

    def passage_element(self, el) -> Located | None:
        """The passage whose element is exactly ``el``, if it is one."""
        return self._by_element.get(el)

    def ids(self):
        """``((file, xml_id), element)`` of every xml:id of every file that was read."""
        return self._ids.items()

    def has_id(self, file: Path, xml_id: str) -> bool:
        return (file, xml_id) in self._ids

    def roots(self):
        """``(path, root element)`` of every file that was read."""
        return self._roots.items()

    # -- alignment ---------------------------------------------------------------------

    def _link(self, a: str, b: str) -> None:
        lst = self._aligned.setdefault(a, [])
        if b not in lst:
            lst.append(b)

    def aligned(self, ref: str) -> list[str]:
        """Refs aligned with the passage ``ref`` in other documents (reading order of the
        other documents)."""
        return sorted(self._aligned.get(ref, []), key=self._sort_key)

    def aligned_within(self, ref: str) -> list[str]:
        """What ``aligned`` gives, or, for a section or paragraph without an alignment of its
        own, the passages aligned with its sentences — a whole paragraph or section of the
        other document standing for all of its sentences when every one of them is there."""
        own = self.aligned(ref)
        doc_id, path = refs.split(ref)
        passage = self.document(doc_id).passage(path)
        if own or not passage.children:
            return own
        found = {a for leaf in passage.iter() if not leaf.children
                 for a in self.aligned(refs.format_ref(doc_id, leaf.path))}
        return sorted(self._collapse(found), key=self._sort_key)

    def _collapse(self, found: set[str]) -> set[str]:
        for ref in list(found):
            doc_id, path = refs.split(ref)
            parent = self.document(doc_id).passage(path).parent
            if parent is None:
                continue
            kids = {refs.format_ref(doc_id, c.path) for c in parent.children}
            if kids <= found:
                return self._collapse((found - kids) | {refs.format_ref(doc_id, parent.path)})
        return found

    def _sort_key(self, ref: str) -> tuple[int, int]:
        return self._position[ref]

    # -- notes and mentions --------------------------------------------------------------

    def notes_for(self, ref: str) -> list[Note]:
        """The notes annotating the passage ``ref`` (in the order of ``notes``). A lookup in an
        index of the notes by target, rebuilt when ``notes`` is replaced or grows (rendering
        asks this for every passage: a scan of every note would make the build quadratic)."""
        key = (id(self.notes), len(self.notes))
        if self._notes_key != key:
            by_ref: dict[str, list[Note]] = {}
            for n in self.notes:
                for target in dict.fromkeys(n.targets):
                    by_ref.setdefault(target, []).append(n)
            self._notes_by_ref, self._notes_key = by_ref, key
        return list(self._notes_by_ref.get(ref, ()))

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
        """A file's path as messages show it: relative to the working directory where it can be."""
        return _display_name(Path(path), os.getcwd())

    def _error(self, path: Path, line, message: str) -> None:
        self.problems.append(Problem("error", self.display_name(path), line, message))

    def warn(self, path: Path, line, message: str) -> None:
        self.problems.append(Problem("warning", self.display_name(path), line, message))


@functools.lru_cache(maxsize=65536)
def _display_name(path: Path, cwd: str) -> str:
    """(Asked for every note, pointer and register entry: pathlib's relative_to is not cheap.)"""
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def discover(tei_dir: Path) -> list[Path]:
    """Every ``*.xml`` under ``tei_dir`` (not in hidden folders), sorted by path without the
    extension (so ``lv.xml`` comes before ``lv-en.xml``). Symbolic links whose target is
    outside ``tei_dir`` are left out (``refused_links`` lists them); linked folders are not
    entered."""
    return _walk(Path(tei_dir))[0]


def links_out(tei_dir: Path) -> list[Path]:
    """The symbolic links under ``tei_dir`` (to a ``*.xml`` file or a folder) that lead outside
    it, sorted as ``discover`` sorts: the files ``refused_links`` refuses."""
    return [link for link, _ in _walk(Path(tei_dir))[1]]


def refused_links(tei_dir: Path) -> list[Problem]:
    """An error for every symbolic link under ``tei_dir`` (to a ``*.xml`` file or a folder)
    that leads outside it: a file from elsewhere would be published, so it is refused."""
    tei_dir = Path(tei_dir)
    return [Problem("error", display(link), None,
                    f"a symbolic link to {target}, outside the TEI directory {display(tei_dir)}: refused; "
                    "copy the file into the TEI directory instead (or remove the link)")
            for link, target in _walk(tei_dir)[1]]


def _walk(tei_dir: Path, every: bool = False) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """(the TEI files, [(link, target)] of links that leave the directory). ``every``: every
    file, not only ``*.xml`` (hidden files and folders are still left out)."""
    root = Path(os.path.realpath(tei_dir))
    files, refused = [], []

    def outside(p: Path) -> Path | None:
        real = Path(os.path.realpath(p))  # not Path.resolve: it raises on a symlink loop
        return None if real == root or root in real.parents else real

    for folder, dirs, names in os.walk(tei_dir):  # followlinks=False: a linked folder is not entered
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for d in dirs:
            if (here / d).is_symlink() and (target := outside(here / d)):
                refused.append((here / d, target))
        for n in names:
            p = here / n
            if n.startswith(".") or not (every or n.endswith(".xml")):
                continue
            if p.is_symlink() and (target := outside(p)):
                refused.append((p, target))
            elif p.is_file():
                files.append(p)
    key = lambda p: str(p.with_suffix(""))  # noqa: E731
    return sorted(files, key=key), sorted(refused, key=lambda lt: key(lt[0]))


def fingerprint(tei_dir: Path, also: Iterable[Path] = ()) -> tuple:
    """Cheap identity of a TEI directory's state (paths, sizes, mtimes; links included): of
    every file under it, whatever its extension (an XIncluded text file is part of a document;
    hidden files and folders are left out), and of the files ``also`` (the files a build
    XIncluded from hidden folders: the manifest's, see ``search.store.tei_manifest``)."""
    out = []
    files, refused = _walk(Path(tei_dir), every=True)
    found = set(files)
    for p in [*files, *sorted({Path(a) for a in also} - found)]:
        try:
            st = p.stat()
            out.append((str(p), st.st_size, st.st_mtime_ns))
        except OSError:  # removed while we looked: its absence is the state
            out.append((str(p), None, None))
    return tuple(out) + tuple((str(link), str(target)) for link, target in refused)


class CorpusCache:
    """Hands out the current Corpus of a directory, reloading when its files change.

    When a reload finds errors and a previous good corpus exists, the previous one is kept
    (and the problems are available as ``last_problems``): a bad file never takes down what is
    being served. A failed reload is not retried until the files change again. Raises
    CorpusError only when no corpus could ever be loaded."""

    def __init__(self, tei_dir: Path):
        self.tei_dir = Path(tei_dir)
        self._lock = threading.Lock()
        self._corpus: Corpus | None = None
        self._fp: tuple | None = None
        self.last_problems: list[Problem] = []
        self.loads = 0  # how many times the directory was read (a failing reload must not repeat)

    def get(self) -> Corpus:
        try:
            fp = fingerprint(self.tei_dir)
        except OSError as exc:  # the directory itself went away: keep serving what we have
            fp = ("unreadable", str(exc))
        if fp != self._fp:
            with self._lock:
                if fp != self._fp:
                    self._reload(fp)
        if self._corpus is None:
            raise CorpusError(self.last_problems)
        return self._corpus

    def _reload(self, fp: tuple) -> None:
        self.loads += 1
        try:
            fresh = Corpus.load(self.tei_dir)
        except Exception as exc:  # noqa: BLE001 -- whatever a hostile file provokes, the server keeps serving
            self.last_problems = [Problem("error", display(self.tei_dir), None,
                                          f"the TEI files could not be read ({exc.__class__.__name__}: {exc}); "
                                          "the previous corpus is still served")]
        else:
            self.last_problems = fresh.problems
            if not fresh.errors or self._corpus is None:
                self._corpus = fresh
        self._fp = fp
