"""A build that reads only the changed files of a large archive, and the files they link with.

``build.build`` makes a generation from a Corpus of every file; at 5,000 documents reading
and linking them all takes minutes even when one sentence changed. ``rebuild_changed`` makes
the same generation (the same store rows, index records, lookup and vocabulary; the tests
compare them with a full build's) from the previous one and the changed files:

1. The files' SHA-256 against the manifest of the generation being served (built by this
   same code, from this directory): which files changed (an XIncluded file stands for the
   files that include it). Files added or removed, a symbolic link refused, too many changed
   files: not this path.
2. A Corpus of a part of the archive (``Corpus.load(only=...)``): the changed files, the files
   they name and the files that name them (the store's ``links``: registers, stand-off notes,
   aligned translations), the files those name in turn, and the files that declare one of their
   xml:ids too. The edition's note numbers and the ids named in notes are answered for the whole
   archive by the previous store (``registers.note_number``, ``registers.split_pointers``).
3. Each changed file's interface (``store.interface.file_interface``: its markup, documents,
   citation trees, ids, pointers, notes, entities, mentions and dates, what other files' outputs
   depend on) against the one the previous build stored. Equal: only the file's own rows and
   records differ from the previous generation. Different (a passage added, a note edited, a
   register changed), or an error in the files read: not this path.
4. A new generation: the previous index extended by the changed documents' records
   (``search.indexer.patch_index``), the previous store with their rows made again
   (``store.compile.patch_store``), the warnings of the other files carried over, and the
   manifest updated; swapped in as every build is.

``None`` means "not this path": the caller builds as before (``build.build`` on a Corpus of
every file), which is always right, only slower.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from . import build
from .build import PROBLEMS, VALIDATION_CACHE, input_key, sorted_problems, validate_in_background
from .corpus import Corpus
from .errors import Problem
from .search import BuildResult
from .search import store as generations
from .search.indexer import PreviousIndex, patch_index
from .search.records import records, unit_of
from .search.store import MANIFEST, REFUSED, SCHEMA_VERSION, current_generation, tei_manifest
from .store import STORE_FILE, STORE_VERSION
from .store.compile import Relative, patch_store
from .store.interface import file_interface
from .store.queries import open_edition

log = logging.getLogger("pactarchive.build")

MAX_CHANGED = 50  # changed files beyond which a build of every file is as quick
MAX_READ = 500  # files read (the changed ones and those they link with) beyond which likewise


@dataclass
class Plan:
    """What ``plan`` found: the generation to start from and the files to read."""
    generation: Path
    manifest: dict
    files: dict[str, str | None]  # the manifest's files, as they are now
    changed: list[Path]  # the TEI files whose rows and records are made again
    read: set[Path]  # those and the files they link with
    includes: dict[str, list[str]]  # file -> the files it XIncludes (relative paths, as stored)


def plan(tei_dir: Path, index_dir: Path, validate: bool) -> Plan | None:
    """The changed files and those to read with them (steps 1 and 2 of the module), or None
    when this path does not apply (see the module)."""
    tei_dir = Path(tei_dir)
    gen = current_generation(index_dir)
    if gen is None or not (gen / STORE_FILE).is_file():
        return None
    try:
        manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (manifest.get("code") != build.code_fingerprint() or manifest.get("schema_version") != SCHEMA_VERSION
            or manifest.get("store_version") != STORE_VERSION or manifest.get("cwd") != os.getcwd()
            or manifest.get("tei_dir") != str(tei_dir.resolve()) or manifest.get("tei_named") != str(tei_dir)
            or (validate and not manifest.get("validated"))):
        return None
    before = manifest.get("files") or {}
    now = tei_manifest(tei_dir, also=before)
    names = [n for n in now if now[n] != before.get(n)]
    if not names or set(now) != set(before) or any(now[n] in (None, REFUSED) for n in names):
        return None
    try:
        db = sqlite3.connect(f"{(gen / STORE_FILE).resolve().as_uri()}?mode=ro", uri=True)
        try:
            includes = {path: json.loads(inc) for path, inc in db.execute("SELECT path, includes FROM files")}
            changed = set()
            for name in names:
                # the file itself when it was read as a file, and every file that XIncludes it
                holders = ([name] if name in includes else []) + [f for f, inc in includes.items() if name in inc]
                if not holders:
                    return None  # a file no file read (yet every file of the manifest was read)
                changed.update(holders)
            if len(changed) > MAX_CHANGED:
                return None
            read = set(changed) | _linked(db, changed, "source", "target") | _linked(db, changed, "target", "source")
            read |= _linked(db, read - changed, "source", "target")
            # the files declaring an xml:id of a changed file too (duplicate-id warnings), or an
            # entity of a file read (the archive's first declaration of an entity id is the entity)
            q, r = ",".join("?" * len(changed)), ",".join("?" * len(read))
            read |= {f for (f,) in db.execute(
                f"SELECT DISTINCT file FROM ids WHERE xml_id IN (SELECT xml_id FROM ids WHERE file IN ({q}) "
                f"UNION SELECT xml_id FROM ids WHERE file IN ({r}) AND entity IS NOT NULL)", [*sorted(changed), *sorted(read)])}
        finally:
            db.close()
    except (sqlite3.Error, ValueError):
        return None
    if len(read) > MAX_READ:
        return None
    return Plan(gen, manifest, now, [tei_dir / f for f in sorted(changed)], {tei_dir / f for f in read}, includes)


def _linked(db, files: set[str], this: str, other: str) -> set[str]:
    if not files:
        return set()
    q = ",".join("?" * len(files))
    return {f for (f,) in db.execute(f"SELECT {other} FROM links WHERE {this} IN ({q})", sorted(files))}


def rebuild_changed(tei_dir: Path, index_dir: Path, validate: bool = False, progress=None) -> "Rebuilt | None":
    """Build a new generation of ``tei_dir`` under ``index_dir`` from the one being served by
    reading only the changed files and those they link with (see the module), and make it
    current. ``validate``: validate the changed files against tei_all, in a worker process
    started at once (``build.validation_worker``); the other files' results are those the
    previous build reported (it must have validated). ``progress``: as ``build.Progress``
    (reading the part, records). Returns None, having changed nothing,
    when this path does not apply; raises what writing the generation raised (the served
    generation is untouched)."""
    started = time.perf_counter()
    worker = build.validation_worker() if validate else None  # compiling tei_all meanwhile
    try:
        found = plan(tei_dir, index_dir, validate)
        before = PreviousIndex.open(found.generation) if found else None  # None: it cannot be extended
    except BaseException:
        if worker is not None:
            worker.terminate()
        raise
    if before is None:
        if worker is not None:
            worker.terminate()
        return None
    validation = _validate(found, Path(tei_dir), Path(index_dir), worker) if validate else None
    corpus = Corpus.load(tei_dir, progress=progress, only=found.read)
    # the changed files' warnings, and those filed under the files they XInclude
    mine = {corpus.display_name(p) for f in found.changed for p in [f, *corpus.includes.get(f, [])]}
    if corpus.errors or not all(p in dict(corpus.roots()) for p in found.changed):
        return None
    read = tei_manifest(tei_dir, corpus)  # what was read, as it was read
    if any(found.files.get(name) != digest for name, digest in read.items()):
        return None  # a file was saved since plan() hashed it: what changed is not known
    edition = open_edition(found.generation, tei_dir)
    try:
        rel = Relative(tei_dir)
        stored = edition.interfaces()
        if any(file_interface(corpus, p, rel) != stored.get(rel(p)) for p in found.changed):
            return None
        # the edition's note numbers and passage ids, for the whole archive (see the module)
        corpus.note_number, corpus.ref_of_id = edition.note_number, edition.ref_of_id
        problems = [p for p in corpus.problems if p.file in mine]
        documents = [d for d in corpus.documents.values() if d.path in set(found.changed)]
        units = {f"doc:{d.id}" for d in documents}
        rows = [r for r in records(corpus, progress, before.positions) if unit_of(r) in units]
        tmp = generations.new_generation(index_dir)
        try:
            total, reindexed = patch_index(tmp, before, rows, units, progress)
            counts = patch_store(corpus, documents, tmp / STORE_FILE, found.generation / STORE_FILE)
            if validation is not None:
                problems += [p for p in validation(corpus.sha256) if p.file in mine]
                validation = None
            before = [Problem(**p) for p in json.loads((found.generation / PROBLEMS).read_text(encoding="utf-8"))]
            problems = sorted_problems([p for p in before if p.file not in mine] + problems)
            (tmp / PROBLEMS).write_text(json.dumps([vars(p) for p in problems], ensure_ascii=False), encoding="utf-8")
            manifest = dict(found.manifest)
            files = dict(found.manifest["files"])
            files.update(read)  # what this build read, as it read it (what plan() hashed)
            manifest.update(files=dict(sorted(files.items())), built=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            index={"incremental": True, "units": total, "reindexed": reindexed, "files_read": len(corpus.files)},
                            store=vars(counts), validated=validate)
            final = generations.publish(index_dir, tmp, manifest)
        except ValueError as exc:  # the store's rows are not those of the part's mentions (patch_store)
            generations.discard(tmp)
            log.info("a build of the changed files only is not possible (%s): building every file", exc)
            return None
        except BaseException:
            generations.discard(tmp)
            raise
    finally:
        edition.close()
        if validation is not None:  # declined before its results were needed
            worker.terminate()
    result = BuildResult(manifest["documents"], manifest["passages"], time.perf_counter() - started, final,
                         total, reindexed, True)
    return Rebuilt(result, problems, corpus, documents)


@dataclass
class Rebuilt:
    result: BuildResult
    problems: list[Problem]  # of the whole archive: the files read, and the others' as their build reported them
    corpus: Corpus  # the part of the archive that was read
    documents: list  # the documents made again


def _validate(found: Plan, tei_dir: Path, index_dir: Path, worker):
    """Validation of the changed files against tei_all, started in another process at once
    (``build.validate_in_background``: the schema's compilation takes as long as the rest of
    this build); the files read besides have their results cached by the previous build."""
    sha256 = {tei_dir / name: digest for name, digest in found.files.items()}
    keys = {p: input_key(p, [tei_dir / i for i in found.includes.get(p.relative_to(tei_dir).as_posix(), [])], sha256)
            for p in found.changed}
    return validate_in_background(found.changed, tei_dir, keys, index_dir / VALIDATION_CACHE, worker)
