"""Where the app's data comes from: the current index generation's edition store.

``EditionSource.get()`` returns the ``store.Edition`` of the generation ``index/CURRENT``
names (one read of that small file per request, so every process picks up a new generation on
its next request, without a restart and without a failed request: the previous generation
stays on disk while it may be in use). When there is no generation yet, it builds one. With
``watch`` on (one process per archive: the single-process server, or the watcher of
``serve --workers``), it also notices changed TEI files (a stat of each, every ``every``
seconds) and rebuilds; a build that fails keeps the generation being served. A change seen
while a build runs is built when that build ends (``rebuild``). The stat of every
file grows with the archive, so it runs in a background thread, never in a request: a request
costs one read of ``CURRENT`` (with ``every`` = 0, as in tests, a request checks the files
itself, so a changed file is seen on the very next request).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ..build import build, build_in_parts
from ..corpus import Corpus, fingerprint
from ..incremental import rebuild_changed
from ..parts import parts_of_large
from ..errors import CorpusError, IndexMissing
from ..search import current_generation, is_stale
from ..search.store import read_manifest
from ..store import STORE_FILE, Edition, StaleStore, open_edition

KEEP_OPEN = 3  # generations kept open (requests in flight may still read the previous one)


WATCH_SHARE = 0.02  # at most this share of the time goes to checking tei/ for changes


def watch_interval(every: float, took: float) -> float:
    """Seconds until the next check of tei/: ``every``, or more when the last check took
    ``took`` seconds to walk tei/, so that walking takes at most ``WATCH_SHARE`` of the time
    (a check walks and stats every file: its cost grows with the archive; the requests'
    must not). A rebuild's time does not count (``EditionSource.walked`` is the walk's).

    >>> watch_interval(2.0, 0.001), watch_interval(2.0, 0.2)
    (2.0, 9.8)
    """
    return max(every, took / WATCH_SHARE - took)


class EditionSource:
    def __init__(self, tei_dir: Path, index_dir: Path, logger, watch: bool = True, every: float = 2.0):
        self.tei_dir, self.index_dir, self.logger = Path(tei_dir), Path(index_dir), logger
        self.watch, self.every = watch, every
        self.thread: threading.Thread | None = None  # the last rebuild
        self.last_problems: list = []  # problems found by the last rebuild
        self._open: dict[str, Edition] = {}
        self._fp: tuple | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._wanted = False  # a rebuild was asked for while one ran: run another after it
        self._watcher: threading.Thread | None = None
        self.walked = 0.0  # seconds the last check of tei/ took to walk it (not to rebuild)

    def get(self) -> Edition:
        """The Edition being served. Raises IndexMissing when none exists and none could be built."""
        if self.watch and self.every <= 0:
            self._watch()
        elif self.watch and self._watcher is None:
            self._start_watcher()
        edition = self._current()
        if edition is None:
            self.rebuild(force=True)
            edition = self._current()
        if edition is None:
            why = "; ".join(str(p) for p in self.last_problems[:3])
            raise IndexMissing(f"no edition store in {self.index_dir}; run `pactarchive build`" + (f" ({why})" if why else ""))
        return edition

    def _current(self) -> Edition | None:
        gen = current_generation(self.index_dir)
        if gen is None or not (gen / STORE_FILE).is_file():
            return None
        key = str(gen)
        found = self._open.get(key)
        if found is None:
            try:
                found = open_edition(gen, self.tei_dir)
            except StaleStore:
                return None
            with self._lock:
                self._open[key] = found
                for old in list(self._open)[:-KEEP_OPEN]:
                    del self._open[old]
        return found

    def _start_watcher(self) -> None:
        with self._lock:
            if self._watcher is not None:
                return
            self._watcher = threading.Thread(target=self._watch_forever, name="pactarchive-watcher", daemon=True)
            self._watcher.start()

    def _watch_forever(self) -> None:
        """The watcher thread: check tei/ every ``every`` seconds, or less often when a check
        takes long (``watch_interval``: a walk of 5,500 files takes about 0.2 s, and holds the
        GIL the requests need), until ``watch`` is turned off. A failed check is logged."""
        while self.watch:
            try:
                self._watch()
            except Exception:
                self.logger.exception("watching %s failed; trying again in %s s", self.tei_dir, self.every)
            time.sleep(watch_interval(self.every, self.walked))

    def _watch(self) -> None:
        now = time.monotonic()
        if now - self._checked < self.every:
            return
        self._checked = now
        hidden = self._hidden_includes()
        fp = fingerprint(self.tei_dir, hidden) if hidden else fingerprint(self.tei_dir)
        self.walked = time.monotonic() - now
        if fp == self._fp:
            return
        self._fp = fp
        if is_stale(self.index_dir, self.tei_dir):
            self.rebuild()

    def _hidden_includes(self) -> list[Path]:
        """The files the served generation's build read (its manifest) that a walk of tei/
        skips (``corpus.fingerprint``: hidden files and folders), XIncluded from there: the
        watcher stats them too."""
        try:
            files = (read_manifest(self.index_dir) or {}).get("files") or {}
        except (OSError, ValueError):
            return []
        return [self.tei_dir / name for name in files if any(part.startswith(".") for part in Path(name).parts)]

    def rebuild(self, force: bool = False) -> None:
        """Rebuild from tei/ in a thread and wait for it. While one rebuild runs, other callers
        go on with the generation being served (``force``: wait for it instead); the running
        one is then followed by another, which reads the files as they are by then (the first
        may have read them before the change its callers saw)."""
        self._wanted = True
        while self._wanted:
            if not self._building.acquire(blocking=force):
                return  # the rebuild running sees _wanted when it ends
            try:
                self._wanted = False
                self.thread = threading.Thread(target=self._build, name="pactarchive-rebuild", daemon=True)
                self.thread.start()
                self.thread.join()
            finally:
                self._building.release()

    def _build_in_parts(self, parts: list) -> None:
        """``build.build_in_parts``; with errors, the previous generation stays (or, when there
        is none, the files without errors are built, as the whole archive's build does)."""
        try:
            made = build_in_parts(self.tei_dir, parts, self.index_dir,
                                  errors_stop=current_generation(self.index_dir) is not None)
        except CorpusError as exc:
            self.last_problems = exc.problems
            self.logger.warning("tei/ has errors; the previous generation is still served: %s",
                                "; ".join(str(p) for p in exc.problems[:3]))
            return
        self.last_problems = made.summary.problems
        self.logger.info("generation built: %s documents, %s passages, in %s parts",
                         made.result.documents, made.result.passages, len(parts))

    def _build(self) -> None:
        try:
            part = rebuild_changed(self.tei_dir, self.index_dir)  # a few files changed: read those only
            if part is not None:
                self.last_problems = part.problems
                self.logger.info("generation built: %s of %s documents made again (%s files read)",
                                 len(part.documents), part.result.documents, len(part.corpus.files))
                return
            if (parts := parts_of_large(self.tei_dir)) is not None:  # a large archive: a part at a time
                self._build_in_parts(parts)
                return
            corpus = Corpus.load(self.tei_dir)
            self.last_problems = corpus.problems
            if corpus.errors and current_generation(self.index_dir) is not None:
                self.logger.warning("tei/ has errors; the previous generation is still served: %s",
                                    "; ".join(str(p) for p in corpus.errors[:3]))
                return
            result = build(corpus, self.index_dir)
            self.logger.info("generation built: %s documents, %s passages", result.documents, result.passages)
        except Exception:  # a failed rebuild leaves the served generation as it was
            self.logger.exception("rebuild failed; the previous generation is still served")
