"""Index generations on disk.

``index/gen-<stamp>/`` holds one complete Whoosh index plus ``manifest.json``;
``index/CURRENT`` names the generation being served. A build writes a new generation and
replaces CURRENT atomically only when it succeeded, so a failed build never touches the index
being served, and a running server picks up the new one on its next request.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from ..corpus import discover

SCHEMA_VERSION = 7  # bump when the schema, analysis or generation layout changes: the index is then stale
CURRENT = "CURRENT"
MANIFEST = "manifest.json"


def tei_manifest(tei_dir: Path) -> dict[str, str]:
    """SHA-256 of every TEI file, keyed by path relative to ``tei_dir``."""
    tei_dir = Path(tei_dir)
    return {str(p.relative_to(tei_dir)): hashlib.sha256(p.read_bytes()).hexdigest() for p in discover(tei_dir)}


def current_generation(index_dir: Path) -> Path | None:
    """The directory of the index being served, or None when none has been built."""
    marker = Path(index_dir) / CURRENT
    if not marker.is_file():
        return None
    gen = Path(index_dir) / marker.read_text(encoding="utf-8").strip()
    return gen if (gen / MANIFEST).is_file() else None


def read_manifest(index_dir: Path) -> dict | None:
    gen = current_generation(index_dir)
    return json.loads((gen / MANIFEST).read_text(encoding="utf-8")) if gen else None


def is_stale(index_dir: Path, tei_dir: Path) -> bool:
    """True when there is no index, it was built by another schema version, or the TEI files
    differ from those it was built from."""
    manifest = read_manifest(index_dir)
    return (manifest is None or manifest.get("schema_version") != SCHEMA_VERSION
            or manifest.get("files") != tei_manifest(tei_dir))


def new_generation(index_dir: Path) -> Path:
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{time.time_ns() % 1_000_000_000:09d}"
    tmp = index_dir / f".building-{stamp}-{os.getpid()}"
    tmp.mkdir()
    return tmp


def publish(index_dir: Path, tmp: Path, manifest: dict) -> Path:
    """Move a finished build into place and point CURRENT at it; keep one previous
    generation (a searcher may still hold it open) and remove older ones."""
    index_dir = Path(index_dir)
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    final = index_dir / tmp.name.replace(".building-", "gen-")
    tmp.rename(final)
    marker_tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    marker_tmp.write_text(final.name + "\n", encoding="utf-8")
    previous = current_generation(index_dir)
    os.replace(marker_tmp, index_dir / CURRENT)
    keep = {final.name, previous.name if previous else ""}
    for old in index_dir.glob("gen-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return final


def discard(tmp: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
