"""Index generations on disk.

``index/gen-<stamp>/`` holds one complete Whoosh index plus ``manifest.json``;
``index/CURRENT`` names the generation being served. A build writes a new generation and
replaces CURRENT atomically only when it succeeded, so a failed build never touches the index
being served, and a running server picks up the new one on its next request.

A build writes into ``index/.building-<stamp>-<pid>``; a build that is killed leaves it behind,
and the next build removes it (``new_generation``: only those of processes that are gone).
Publishing (rename, CURRENT, removal of old generations) holds ``index/.publish.lock``: two
builds that finish at once publish one after the other (``publish``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Iterable

from ..changelog import PUBLISHED
from ..corpus import Corpus, discover, links_out
from ..tei.xinclude import file_sha256, record

SCHEMA_VERSION = 7  # bump when the schema, analysis or generation layout changes: the index is then stale
CURRENT = "CURRENT"
MANIFEST = "manifest.json"
REFUSED = "refused: a symbolic link out of the TEI directory"  # a manifest's value for such a link


def tei_manifest(tei_dir: Path, corpus: Corpus | None = None, also: Iterable[str] = ()) -> dict[str, str | None]:
    """The files a build of ``tei_dir`` is made of, keyed by path relative to ``tei_dir``, with
    the SHA-256 hex of their bytes (None: missing or unreadable).

    With ``corpus`` (``Corpus.load(tei_dir)``): what that load read, as it read it
    (``Corpus.sha256``): every ``*.xml`` it found and every file its documents XInclude, of
    whatever extension and in whatever folder (one that was missing: None). A file saved after
    it was read keeps the hash of the version read: the manifest written with the generation
    (search/indexer.py) then differs from the disk, and the generation is stale.
    Without: the disk as it is now: every ``*.xml`` (``corpus.discover``) and the files named in
    ``also`` (a manifest's keys: the XIncluded files ``discover`` does not list). Reads every file.
    Either way, ``published-refs.json`` beside the files (``changelog.PUBLISHED``: which version
    of each document was published, read by the build for the changelog) is listed when it is
    there, and a symbolic link refused as leading outside ``tei_dir`` (``corpus.links_out``:
    the build reports it as an error) is listed as ``REFUSED``: one that appears makes the
    generation stale."""
    tei_dir = Path(tei_dir)
    refused = {str(p.relative_to(tei_dir)): REFUSED
               for p in (links_out(tei_dir) if corpus is None else corpus.links_out)}
    published = tei_dir / PUBLISHED  # read by the build beside the TEI (the changelog's baselines)
    if corpus is None:
        names = {str(p.relative_to(tei_dir)): p for p in discover(tei_dir)}
        if published.is_file():
            names[PUBLISHED] = published
        names.update((n, tei_dir / n) for n in also if n not in names and n not in refused)
        return dict(sorted({**{n: file_sha256(p) for n, p in names.items()}, **refused}.items()))
    real = Path(os.path.realpath(tei_dir))
    out: dict[str, str | None] = dict(refused)
    for p in corpus.files:
        record(out, _relative(p, tei_dir, real), corpus.sha256.get(p))
    for p, digest in corpus.sha256.items():
        record(out, _relative(p, tei_dir, real), digest)  # a file read twice, differently: never fresh
    if published.is_file():
        out.setdefault(PUBLISHED, file_sha256(published))
    return dict(sorted(out.items()))


def _relative(path: Path, tei_dir: Path, real: Path) -> str:
    for base in (tei_dir, real):
        try:
            return str(Path(path).relative_to(base))
        except ValueError:
            pass
    return str(Path(os.path.realpath(path)).relative_to(real))  # (XInclude reads nothing outside tei_dir)


def same_files(files: dict | None, tei_dir: Path) -> bool:
    """True when ``files`` (a manifest's, ``tei_manifest``) is what ``tei_dir`` holds now: the
    same ``*.xml`` files and the same included files, with the same SHA-256."""
    return files is not None and files == tei_manifest(tei_dir, also=files)


def current_generation(index_dir: Path) -> Path | None:
    """The directory of the index being served, or None when none has been built."""
    marker = Path(index_dir) / CURRENT
    if not marker.is_file():
        return None
    gen = Path(index_dir) / marker.read_text(encoding="utf-8").strip()
    return gen if (gen / MANIFEST).is_file() else None


def _named(index_dir: Path) -> str:
    """The name CURRENT holds ("" without one), whether or not that generation is complete."""
    try:
        return (Path(index_dir) / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def read_manifest(index_dir: Path) -> dict | None:
    gen = current_generation(index_dir)
    return json.loads((gen / MANIFEST).read_text(encoding="utf-8")) if gen else None


def is_stale(index_dir: Path, tei_dir: Path) -> bool:
    """True when there is no index, it was built by another schema version, or the TEI files
    differ from those it was built from."""
    manifest = read_manifest(index_dir)
    return (manifest is None or manifest.get("schema_version") != SCHEMA_VERSION
            or not same_files(manifest.get("files"), tei_dir))


def new_generation(index_dir: Path) -> Path:
    """A new, empty ``index_dir/.building-<stamp>-<pid>`` for a build to write into (made
    with ``index_dir`` if need be), after removing those of builds that were killed
    (``remove_abandoned``). Raises OSError."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned(index_dir)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
    tmp = index_dir / f".building-{stamp}-{os.getpid()}"
    tmp.mkdir()
    return tmp


_BUILDING = re.compile(r"^\.building-.*-(\d+)$")


def remove_abandoned(index_dir: Path) -> list[Path]:
    """Remove the ``.building-<stamp>-<pid>`` directories of builds whose process is gone (a
    killed build's: hard links to segments and a partial store), and their ``.CURRENT.<pid>``
    markers (killed between writing one and swapping it in), never one of a process that
    runs (another build in progress, or one of this process). Returns those removed. A pid
    taken again by another process keeps its directory until that process ends. On Windows,
    where no signal-0 probe exists, nothing is removed."""
    if os.name != "posix":
        return []
    gone = []
    for tmp in Path(index_dir).glob(".building-*"):
        m = _BUILDING.match(tmp.name)
        if m and tmp.is_dir() and not _running(int(m.group(1))):
            shutil.rmtree(tmp, ignore_errors=True)
            gone.append(tmp)
    for marker in Path(index_dir).glob(f".{CURRENT}.*"):  # killed between writing it and the swap
        pid = marker.name.rsplit(".", 1)[-1]
        if pid.isdigit() and marker.is_file() and not _running(int(pid)):
            marker.unlink(missing_ok=True)
            gone.append(marker)
    return gone


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (EPERM: it runs, as another user)
        return True
    return True


LOCK = ".publish.lock"


@contextlib.contextmanager
def _publishing(index_dir: Path):
    """Hold ``index_dir/.publish.lock`` exclusively (waiting for it): one build at a time moves
    its generation in, points CURRENT at it and removes old ones. POSIX: ``fcntl.flock`` (let go
    by the system when the process dies). Windows: ``msvcrt.locking`` of the file's first
    byte, tried again until it is free (not tested here); elsewhere, no lock."""
    with open(Path(index_dir) / LOCK, "a+b") as f:
        if sys.platform == "win32":
            import msvcrt
            while True:
                try:
                    f.seek(0)
                    msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)  # (itself retries for 10 s, then raises)
                    break
                except OSError as exc:  # still held by another build: wait on; anything else is raised
                    if exc.errno not in (errno.EDEADLK, errno.EACCES):
                        raise
            try:
                yield
            finally:
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
            return
        try:
            import fcntl
        except ImportError:
            yield
            return
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def publish(index_dir: Path, tmp: Path, manifest: dict) -> Path:
    """Move a finished build into place and point CURRENT at it; keep the generation CURRENT
    named until then (a searcher may still hold it open) and remove older ones. The three
    steps hold the publish lock (``_publishing``): another build's removal of old generations
    never runs between this build's move and its CURRENT. Raises OSError."""
    index_dir = Path(index_dir)
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    final = index_dir / tmp.name.replace(".building-", "gen-")
    with _publishing(index_dir):
        tmp.rename(final)
        marker_tmp = index_dir / f".{CURRENT}.{os.getpid()}"
        marker_tmp.write_text(final.name + "\n", encoding="utf-8")
        previous = _named(index_dir)
        os.replace(marker_tmp, index_dir / CURRENT)
        keep = {final.name, previous}
        for old in index_dir.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
    return final


def discard(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
