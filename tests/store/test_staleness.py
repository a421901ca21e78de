"""A build records what it read, and nothing it did not: the manifest and the store's hashes
are of the bytes parsed (not of the files when the build ends), every XIncluded file is in
them (of any extension, in any folder, or missing), builds that publish at once take turns,
and a killed build's leftovers are removed by the next build, never a running build's.

Real data: a copy of the edition's tei/ (as test_incremental_edges.py)."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys

import pytest

from pactarchive import build
from pactarchive.corpus import Corpus, fingerprint
from pactarchive.search import current_generation, is_stale, search
from pactarchive.search import store as generations

from .test_incremental_edges import HEN_SENTENCE, KILLED_BUILD, TEI_NS, XI_NS, _edit, _python
from .test_incremental_index import _build, _same_as_full


def _include(tei, href: str, parse: str = "xml", fallback: str = "") -> None:
    """hen.xml XIncludes ``href`` after its sentence about the troops."""
    body = f"<xi:fallback>{fallback}</xi:fallback>" if fallback else ""
    _edit(tei / "hen.xml", HEN_SENTENCE,
          f'{HEN_SENTENCE} <xi:include {XI_NS} href="{href}" parse="{parse}">{body}</xi:include>')


# -- what a build read is what it records -------------------------------------------------------

def test_the_manifest_holds_the_bytes_parsed_not_the_file_saved_since(tei, tmp_path):
    """hen.xml is saved again after Corpus.load read it: the manifest of the build of that
    corpus records the version read (so is_stale says stale), and the store's files table
    and fragment key are of that version too."""
    index = tmp_path / "index"
    corpus = Corpus.load(tei)
    read = generations.tei_manifest(tei)["hen.xml"]
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 men")
    result = build.build(corpus, index)
    manifest = json.loads((result.generation / generations.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"]["hen.xml"] == read
    assert is_stale(index, tei)
    import sqlite3
    db = sqlite3.connect(result.generation / "store.sqlite")
    try:
        assert db.execute("SELECT sha256 FROM files WHERE path = 'hen.xml'").fetchone() == (read,)
    finally:
        db.close()


def test_the_validation_key_is_of_the_bytes_parsed(tei):
    """build.input_key with the corpus's hashes: a save after the load does not give the
    validation of the old version the key of the new one."""
    corpus = Corpus.load(tei)
    hen = tei / "hen.xml"
    before = build.input_key(hen, [], corpus.sha256)
    assert before == build.input_key(hen, [])  # (the same key from the disk while it is unchanged)
    _edit(hen, HEN_SENTENCE, "30,000 men")
    assert build.input_key(hen, [], corpus.sha256) == before
    assert build.input_key(hen, []) != before


def test_a_file_read_twice_differently_matches_no_version(tei, tmp_path, monkeypatch):
    """hen.xml XIncludes parts/inner.txt twice: one load reads it twice. Saved between the two
    reads, the manifest records neither version (the document holds both): the generation is
    stale whichever version the disk then holds, and the next build makes it fresh."""
    from pactarchive.tei import xinclude
    (tei / "parts").mkdir()
    inner = tei / "parts" / "inner.txt"
    inner.write_text("innerword one", encoding="utf-8")
    _include(tei, "parts/inner.txt", parse="text")
    _include(tei, "parts/inner.txt", parse="text")
    real, reads = xinclude.Includer._text, []

    def read_and_save(self, target, inc, name):
        text = real(self, target, inc, name)
        reads.append(text)
        if len(reads) == 1:
            inner.write_text("innerword two", encoding="utf-8")
        return text
    monkeypatch.setattr(xinclude.Includer, "_text", read_and_save)
    corpus = Corpus.load(tei)
    monkeypatch.undo()
    assert reads == ["innerword one", "innerword two"]
    assert corpus.sha256[inner.resolve()].startswith("changed while read")
    index = tmp_path / "index"
    build.build(corpus, index)
    assert is_stale(index, tei)
    _build(tei, index)
    assert not is_stale(index, tei)


# -- every XIncluded file is in the manifest and seen by the watcher -----------------------------

def test_an_xincluded_fragment_in_a_hidden_folder_is_watched(tei, tmp_path):
    """hen.xml XIncludes .parts/inner.xml: a walk of tei/ skips hidden folders, so the file is
    in the manifest (is_stale sees its edit) and the server's watcher stats the manifest's
    files (the edit is served on the next request)."""
    from pactarchive.web import source as served
    index = tmp_path / "index"
    (tei / ".parts").mkdir()
    (tei / ".parts" / "inner.xml").write_text(f"<seg {TEI_NS}>innerword one</seg>", encoding="utf-8")
    _include(tei, ".parts/inner.xml")
    _build(tei, index)
    assert ".parts/inner.xml" in json.loads((current_generation(index) / generations.MANIFEST).read_text())["files"]
    edition = served.EditionSource(tei, index, logging.getLogger("test"), watch=True, every=0)
    edition.get()
    seen = fingerprint(tei, [tei / ".parts" / "inner.xml"])
    (tei / ".parts" / "inner.xml").write_text(f"<seg {TEI_NS}>innerword quuxified</seg>", encoding="utf-8")
    assert fingerprint(tei, [tei / ".parts" / "inner.xml"]) != seen
    assert is_stale(index, tei)
    edition.get()
    assert [h["ref"] for h in search(index, "quuxified").hits] == ["hen:1.1.2"]
    assert not is_stale(index, tei)


def test_a_missing_xincluded_text_file_that_arrives_makes_the_index_stale(tei, tmp_path):
    """hen.xml XIncludes parts/later.txt (parse="text") with a fallback; the file is missing
    at the build (the manifest says so: None), then arrives: the index is stale, and
    ``build.unchanged`` (nothing to do) holds only before it arrives."""
    index = tmp_path / "index"
    (tei / "parts").mkdir()
    _include(tei, "parts/later.txt", parse="text", fallback="Fallback words.")
    _build(tei, index)
    assert generations.read_manifest(index)["files"]["parts/later.txt"] is None
    assert not is_stale(index, tei)
    assert build.unchanged(tei, index, validate=False) is not None
    (tei / "parts" / "later.txt").write_text("Laterquux words.", encoding="utf-8")
    assert is_stale(index, tei)
    assert build.unchanged(tei, index, validate=False) is None
    _build(tei, index)
    assert [h["ref"] for h in search(index, "laterquux").hits] == ["hen:1.1.2"]


def test_nothing_changed_with_an_xincluded_text_file(tei, tmp_path):
    """A build of unchanged files with an XIncluded text file: ``build.unchanged`` finds the
    generation (the manifest's text file is compared with the disk, not missed)."""
    index = tmp_path / "index"
    (tei / "parts").mkdir()
    (tei / "parts" / "inner.txt").write_text("innerword one", encoding="utf-8")
    _include(tei, "parts/inner.txt", parse="text")
    _build(tei, index)
    assert build.unchanged(tei, index, validate=False) is not None
    (tei / "parts" / "inner.txt").write_text("innerword two", encoding="utf-8")
    assert build.unchanged(tei, index, validate=False) is None


# -- two builds publishing at once --------------------------------------------------------------

PUBLISH = """
import json, sys
from pathlib import Path
from pactarchive.search import store
store.publish(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]))
"""


def test_a_publish_waits_for_the_one_in_progress(tei, tmp_path, monkeypatch):
    """This build has moved its generation in and is about to point CURRENT at it when
    another process publishes a generation: that one waits for the publish lock (without the
    lock it ran at once and removed this build's generation as neither its own nor the
    previous one: CURRENT then named a directory that was gone). Afterwards CURRENT names the
    other process's generation, and this one is kept as the previous one."""
    index = tmp_path / "index"
    served = _build(tei, index).generation
    other = generations.new_generation(index)
    for f in served.iterdir():
        if f.name != generations.MANIFEST:
            shutil.copy2(f, other / f.name)
    manifest = json.loads((served / generations.MANIFEST).read_text(encoding="utf-8"))
    real, started = generations._named, []

    def another_process_publishes_now(index_dir):
        if not started:
            started.append(_publisher(index, other, manifest))
            try:  # it finishes at once without the lock; with it, it waits for us
                started[0].wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        return real(index_dir)
    monkeypatch.setattr(generations, "_named", another_process_publishes_now)
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 men")
    mine = _build(tei, index).generation
    assert started
    _, err = started[0].communicate(timeout=60)
    assert started[0].returncode == 0, err
    theirs = other.parent / other.name.replace(".building-", "gen-")
    assert current_generation(index) == theirs
    assert (mine / generations.MANIFEST).is_file()


def _publisher(index, tmp, manifest) -> subprocess.Popen:
    import os
    from .test_incremental_edges import SRC
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p))
    return subprocess.Popen([sys.executable, "-c", PUBLISH, str(index), str(tmp), json.dumps(manifest)],
                            env=env, stderr=subprocess.PIPE, text=True)


# -- a killed build's leftovers ----------------------------------------------------------------

def test_a_killed_builds_directory_is_removed_by_the_next_build(tei, tmp_path):
    """A build killed while indexing leaves index/.building-<stamp>-<pid> (hard links to the
    segments, a partial index): the next build removes it. A .building-* of a process that
    runs (another build in progress) is left alone until that process has ended."""
    index = tmp_path / "index"
    _build(tei, index)
    _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 men")
    killed = _python(KILLED_BUILD, str(tei), str(index), "indexing", "3")
    assert killed.returncode < 0, killed.stderr
    left = list(index.glob(".building-*"))
    assert left
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        busy = index / f".building-20260101T000000-000000000-{running.pid}"
        busy.mkdir()
        (busy / "MAIN_x.toc").write_text("in progress", encoding="utf-8")
        _build(tei, index)
        assert not any(p.exists() for p in left)
        assert busy.is_dir() and (busy / "MAIN_x.toc").is_file()
    finally:
        running.kill()
        running.wait()
    _build(tei, index)
    assert not list(index.glob(".building-*"))
    _same_as_full(tei, index, tmp_path)


def test_a_killed_publishs_current_marker_is_removed_by_the_next_build(tei, tmp_path):
    """A build killed between writing index/.CURRENT.<pid> and swapping it in leaves that
    marker; the next build removes it, never a running process's."""
    index = tmp_path / "index"
    _build(tei, index)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        dead, alive = index / f".CURRENT.{gone.pid}", index / f".CURRENT.{running.pid}"
        for marker in (dead, alive):
            marker.write_text("gen-x\n", encoding="utf-8")
        _edit(tei / "hen.xml", HEN_SENTENCE, "30,000 men")
        _build(tei, index)
        assert not dead.exists() and alive.is_file()
    finally:
        running.kill()
        running.wait()
