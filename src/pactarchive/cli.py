"""The ``pactarchive`` command: build, serve, search, check.

Errors from below arrive as PactArchiveError and leave here as a message on stderr and a
non-zero exit code: never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .config import Settings
from .corpus import Corpus
from .errors import CorpusError, PactArchiveError, Problem

EXIT_INPUT = 1  # the TEI input has errors
EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    settings = Settings()
    args = _parser(settings).parse_args(argv)
    try:
        return args.func(args) or 0
    except CorpusError as exc:
        _report(exc.problems)
        print(f"pactarchive: {len(exc.problems)} problem(s) in {args.tei}; nothing was changed.", file=sys.stderr)
        return EXIT_INPUT
    except PactArchiveError as exc:
        print(f"pactarchive: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:  # an unwritable or misplaced directory, a port in use, a full disk
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"pactarchive: {exc.strerror or exc}{where}; check the --tei/--index paths and permissions"
              " (or, for serve, that the port is free)", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


def _parser(s: Settings) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pactarchive", description=(
        "A scholarly digital edition of documents on the Estonian-Soviet Mutual Assistance Pact "
        "of 1939: builds a search index from TEI P5 files and serves the parallel edition."),
        epilog="Environment: PACTARCHIVE_TEI, PACTARCHIVE_INDEX, PACTARCHIVE_HOST, PACTARCHIVE_PORT, "
               "PACTARCHIVE_BASE_URL set the same as the options.")
    p.add_argument("--version", action="version", version=f"pactarchive {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def dirs(cmd):
        cmd.add_argument("--tei", type=Path, default=s.tei_dir, metavar="DIR", help=f"TEI directory (default: {s.tei_dir})")
        cmd.add_argument("--index", type=Path, default=s.index_dir, metavar="DIR", help=f"index directory (default: {s.index_dir})")

    b = sub.add_parser("build", help="check every TEI file and build the search index",
                       description="Read every TEI file under --tei, check it, and build the search index into --index. "
                                   "The new index replaces the old one only if the build succeeds.")
    dirs(b)
    b.add_argument("--strict", action="store_true", help="treat warnings (invalid TEI, unresolved pointers) as errors")
    b.add_argument("--no-validate", action="store_true", help="skip validation against TEI P5 tei_all (faster)")
    b.add_argument("--full", action="store_true",
                   help="index and render every document afresh (default: reuse what the current index made of "
                        "the documents that did not change)")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="check the TEI files without building", description="Report every problem in the TEI files.")
    dirs(c)
    c.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")
    c.set_defaults(func=cmd_check)

    v = sub.add_parser("serve", help="serve the edition (builds the index first when missing or stale)",
                       description="Serve the edition with the waitress WSGI server, rebuilding the index first "
                                   "if it is missing or older than the TEI files.")
    dirs(v)
    v.add_argument("--host", default=s.host, help=f"address to bind (default: {s.host})")
    v.add_argument("--port", type=int, default=s.port, help=f"port (default: {s.port})")
    v.add_argument("--threads", type=int, default=8, help="threads per worker process (default: 8)")
    v.add_argument("--workers", type=int, default=0, metavar="N",
                   help="worker processes (default 0: one per core). More than one runs gunicorn (POSIX); "
                        "each worker picks up a new index generation by itself, one watcher rebuilds; "
                        "1 serves with waitress in one process")
    v.set_defaults(func=cmd_serve)

    q = sub.add_parser("search", help="search the edition from the command line",
                       description="Search the built index (run `pactarchive build` first). The query language is "
                                   "the one of the web page: words, \"phrases\", AND/OR/NOT, lang:/doc:/person:/place:/date:, "
                                   "wildcards (okupāc*) and fuzzy words (Molotow~); see docs/search.md.")
    dirs(q)
    q.add_argument("query", help='the query, e.g. "Soviet Union", Selters, Päts, 25000 or 1939-09-28')
    q.add_argument("--lang", help="only passages in this language (e.g. en, lv)")
    q.add_argument("--doc", help="only passages of this document (e.g. hen, lv)")
    q.add_argument("--person", help="only passages mentioning this person (register id or name)")
    q.add_argument("--place", help="only passages mentioning this place (register id or name)")
    q.add_argument("--from", dest="date_from", metavar="DATE", help="only passages dated on or after DATE (YYYY[-MM[-DD]])")
    q.add_argument("--to", dest="date_to", metavar="DATE", help="only passages dated on or before DATE")
    q.add_argument("--page", type=int, default=1, help="page of results (default: 1)")
    q.add_argument("--size", type=int, default=10, help="hits per page, 1-100 (default: 10)")
    q.add_argument("--json", action="store_true", help="print the JSON the API /api/search returns")
    q.set_defaults(func=cmd_search)
    return p


def load_checked(tei: Path, strict: bool, validate: bool, index: Path | None = None, progress=None) -> Corpus:
    """Load and check a corpus; print warnings; raise CorpusError on errors (or warnings
    with ``strict``). Validation results are cached in ``index`` (see build.validate_corpus).
    ``progress(stage, done, total)`` is told of the files read (see build.Progress)."""
    if not tei.is_dir():
        raise PactArchiveError(f"TEI directory {tei} does not exist; pass --tei DIR or set PACTARCHIVE_TEI")
    corpus = Corpus.load(tei, progress=progress)
    if validate:
        _validate(corpus, index)
    if corpus.errors or (strict and corpus.problems):
        corpus.raise_errors(strict)
    _report(corpus.warnings)
    if not corpus.documents:
        from .build import no_documents
        raise no_documents(tei)
    return corpus


def _validate(corpus: Corpus, index: Path | None = None) -> None:
    from .build import VALIDATION_CACHE, validate_corpus
    from .tei import validate
    if not validate.available():
        from .build import validation_skipped
        corpus.problems.append(validation_skipped(corpus.tei_dir))
        return
    run = validate_corpus(corpus, Path(index) / VALIDATION_CACHE if index else None)
    corpus.problems.extend(run.problems)
    if run.reused and sys.stderr.isatty():
        print(f"Validated {run.validated} file(s); {run.reused} unchanged file(s) not validated again.", file=sys.stderr)


def _report(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)


def _coverage(corpus: Corpus) -> None:
    for doc in corpus.documents.values():
        print(f"{doc.id}: {doc.coverage.summary()}")


def cmd_check(args) -> int:
    corpus = load_checked(args.tei, args.strict, validate=True, index=args.index)
    _coverage(corpus)
    print(f"{len(corpus.documents)} documents, {sum(len(d.leaves()) for d in corpus.documents.values())} passages, "
          f"{len(corpus.entities)} entities, {len(corpus.warnings)} warnings, 0 errors")
    return 0


def cmd_build(args) -> int:
    import time

    from .build import build, unchanged
    started = time.perf_counter()
    tty = sys.stderr.isatty()
    if tty:
        check = "reading and validating against TEI P5 tei_all" if not args.no_validate else "reading"
        print(f"Checking the TEI files in {args.tei} ({check})...", file=sys.stderr)
    if not args.full and (same := unchanged(args.tei, args.index, validate=not args.no_validate)):
        return _unchanged(same, args.strict, time.perf_counter() - started)
    if not args.full and not args.strict and args.tei.is_dir():
        from .incremental import rebuild_changed
        with _Progress(tty) as progress:
            part = rebuild_changed(args.tei, args.index, validate=not args.no_validate and _can_validate(), progress=progress)
        if part is not None:
            return _rebuilt(part, time.perf_counter() - started)
    if args.tei.is_dir() and (parts := _parts(args.tei, tty)) is not None:
        return _built_in_parts(args, parts, tty, started)
    with _Progress(tty) as progress:
        corpus = load_checked(args.tei, args.strict, validate=not args.no_validate, index=args.index, progress=progress)
        result = build(corpus, args.index, progress=progress, parallel=True,  # no other thread here: may fork
                       incremental=not args.full, validated=not args.no_validate)
    _coverage(corpus)
    reused = _reused(result)
    print(f"Built index: {result.documents} documents, {result.passages} passages, {len(corpus.files)} files read, "
          f"{time.perf_counter() - started:.1f} seconds{reused} ({result.generation}).")
    return 0


def _reused(result) -> str:
    """What an incremental build's summary line adds (nothing for a full build)."""
    return (f"; incremental: {result.reindexed} of {result.units} documents, notes and register entries "
            f"indexed again, the rest reused" if result.incremental else "")


def _parts(tei: Path, tty: bool) -> list | None:
    """The parts to build a large archive in (``parts.parts_of_large``), or None."""
    from .parts import parts_of_large
    with _Progress(tty) as progress:
        return parts_of_large(tei, progress)


def _built_in_parts(args, parts: list, tty: bool, started: float) -> int:
    """``build`` of a large archive, one part at a time (``build.build_in_parts``): the
    warnings, each document's coverage, one line."""
    import time

    from .build import build_in_parts
    with _Progress(tty) as progress:
        made = build_in_parts(args.tei, parts, args.index, progress=progress, parallel=True,
                              incremental=not args.full, validate=not args.no_validate, strict=args.strict)
    _report(made.summary.warnings)
    for doc_id, summary in made.coverage:
        print(f"{doc_id}: {summary}")
    result = made.result
    reused = _reused(result)
    print(f"Built index: {result.documents} documents, {result.passages} passages, {len(made.summary.files)} files read "
          f"in {len(parts)} parts, {time.perf_counter() - started:.1f} seconds{reused} ({result.generation}).")
    return 0


def _can_validate() -> bool:
    from .tei import validate
    return validate.available()


def _rebuilt(part, seconds: float) -> int:
    """``build`` when a few files changed and only they and the files they link with were read
    (``incremental.rebuild_changed``): the archive's warnings, the coverage of the documents
    made again, one line saying what was read."""
    _report([p for p in part.problems if p.severity == "warning"])
    for doc in part.documents:
        print(f"{doc.id}: {doc.coverage.summary()}")
    r = part.result
    print(f"Built index: {r.documents} documents, {r.passages} passages; {len(part.documents)} document(s) changed, "
          f"{len(part.corpus.files)} file(s) read (the changed ones and those they link with), the rest reused; "
          f"{seconds:.1f} seconds ({r.generation}).")
    return 0


def _unchanged(same, strict: bool, seconds: float) -> int:
    """``build`` when nothing changed: the warnings the current generation's build reported,
    then one line saying so (``--strict`` with warnings fails, as the build would have)."""
    if strict and same.problems:
        raise CorpusError(same.problems)
    _report(same.problems)
    m = same.manifest
    print(f"Index up to date: {m.get('documents')} documents, {m.get('passages')} passages, built {m.get('built')} "
          f"from these {len(m.get('files', {}))} files, unchanged since; nothing read or rebuilt "
          f"({seconds:.1f} seconds; --full rebuilds) ({same.generation}).")
    return 0


def ensure_index(tei: Path, index: Path) -> None:
    """Build the index when it is missing or stale. When the build fails but an older index
    exists, say so and keep serving the old one; without any index, raise."""
    from .search import is_stale, current_generation
    if not is_stale(index, tei):
        return
    print(f"Index in {index} is missing or older than {tei}; building it...", file=sys.stderr)
    ns = argparse.Namespace(tei=tei, index=index, strict=False, no_validate=False, full=False)
    try:
        cmd_build(ns)
    except PactArchiveError as exc:
        if current_generation(index) is None:
            raise
        problems = exc.problems if isinstance(exc, CorpusError) else []
        _report(problems)
        print(f"pactarchive: the build failed ({exc.__class__.__name__}); serving the previous index.", file=sys.stderr)


def cmd_serve(args) -> int:
    import os

    from waitress import create_server

    from . import serving
    from .web import create_app
    ensure_index(args.tei, args.index)
    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    if workers > 1 and serving.available():
        print(f"Serving pactarchive on http://{args.host}:{args.port}/ with {workers} gunicorn workers (Ctrl+C to stop)",
              file=sys.stderr)
        serving.serve(args.tei.resolve(), args.index.resolve(), args.host, args.port, workers, args.threads)
        return 0
    if workers > 1:
        print("pactarchive: gunicorn cannot run here; serving with waitress in one process", file=sys.stderr)
    app = create_app({"TEI_DIR": args.tei, "INDEX_DIR": args.index, "BIND_HOST": args.host})  # a trusted Host
    server = create_server(app, host=args.host, port=args.port, threads=args.threads, ident="pactarchive")
    print(f"Serving pactarchive on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.run()
    finally:
        server.close()
    return 0


def cmd_search(args) -> int:
    """Print one page of hits (or the API's JSON). A query that cannot be understood is a usage
    error (exit 2) with the message saying how to fix it."""
    from .errors import QueryError
    from .search import search
    from .search.snippets import as_text
    try:
        results = search(args.index, args.query, lang=args.lang, doc=args.doc, page=args.page, size=args.size,
                         person=args.person, place=args.place, date_from=args.date_from, date_to=args.date_to)
    except QueryError as exc:
        print(f"pactarchive: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(results.to_dict(), ensure_ascii=False, indent=1))
        return 0
    plus = {"gte": "+"}  # a count that is a lower bound (over the cap, or the best ranked only: docs/search.md)
    print(f"{results.total:,}{plus.get(results.total_relation, '')} result(s) in "
          f"{results.passages:,}{plus.get(results.passages_relation, '')} passage(s) match {results.query!r}"
          + (f"; did you mean {results.suggestion!r}?" if results.suggestion else ""))
    if results.total_relation == "gte":
        print(f"  (only the best {results.ranked:,} matches are ranked and listed; add words or filters)")
    for h in results.hits:
        print(f"  {h['ref']:<14} {as_text(h['snippet'])}")
        for a in h["aligned"]:
            print(f"  {'':<14}   = {a['ref']}: {as_text(a['snippet'])}")
    return 0


class _Progress:
    """The build's progress (``progress(stage, done, total)``, see build.Progress): a bar per
    stage on a terminal (rich), else one plain line per stage when it ends, with its seconds
    (a log file gets no control characters)."""

    LABELS = {"planning": "Planning parts", "parts": "Building parts", "reading": "Reading files", "linking": "Linking across files", "records": "Making search records", "indexing": "Indexing records",
              "committing": "Writing the index",
              "compiling": "Compiling the store"}

    def __init__(self, tty: bool):
        self.tty = tty
        self.bar = None
        self.tasks: dict[str, object] = {}
        self.started: dict[str, float] = {}
        self.reported: set[str] = set()

    def __enter__(self) -> "_Progress":
        if self.tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True))
            self.bar.start()
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        import time
        label = self.LABELS.get(stage, stage)
        if stage not in self.started:
            self.started[stage] = time.perf_counter()
            if self.bar is not None:
                self.tasks[stage] = self.bar.add_task(label, total=total)
        if self.bar is not None:
            self.bar.update(self.tasks[stage], completed=done, total=total)
        elif done >= total and stage not in self.reported:
            self.reported.add(stage)
            print(f"{label}: {total} in {time.perf_counter() - self.started[stage]:.1f} s", file=sys.stderr)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


if __name__ == "__main__":
    sys.exit(main())
