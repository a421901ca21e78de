"""How serving cost grows with the archive (issue 10).

Generates synthetic archives of about 50, 500 and 5,000 documents by copying the edition's
tei/ and the real-world samples in ../shared/tei-samples. Copy 0 is kept as it is, so
``hen``, ``lv`` and the default /read exist in every archive. In copy k, every ``TEI/@xml:id``,
every xml:id, every ``#pointer`` and every xml:id named in a note's words gets the suffix ``_k``, and every CTS work is renamed, so
the copies do not align with each other. Files of copy k are renamed ``<name>-k.xml`` (document
ids derived from file names stay unique). The script builds each archive (index and store,
without tei_all validation), serves it with ``pactarchive serve`` in a subprocess, and prints
a table. It gives each figure as the median of 3 runs and as a ratio to the 3-document
archive (our tei/) measured in the same run.

    .venv/bin/python benchmarks/scale.py                 # 50, 500, 5000
    .venv/bin/python benchmarks/scale.py --sizes 50 500  # fewer
    .venv/bin/python benchmarks/scale.py --rss TEI INDEX  # a worker's RSS after a mixed workload
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent.parent / "shared" / "tei-samples"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/tei-samples")
PY = sys.executable
ROUTES = {  # name -> URL (the figures the issue asks for)
    "/passage": "/passage/lv:1.1.2",
    "/api/passages": "/api/passages/lv:1.1.2",
    "/read?at": "/read?at=lv:1.1.2",
    "/documents/lv": "/documents/lv",
    "/api/documents": "/api/documents",
    "/api/search": "/api/search?q=Soviet",
    # a static file (265 bytes): the cost of the request pipeline alone (/about, used before,
    # lists a page of 100 documents' sources and grew with the archive)
    "trivial": "/static/favicon.svg",
}
_ATTR = re.compile(rb'\b(ref|corresp|target|who|sameAs|ana|prev|next|source|facs|start|end|from|to)="([^"]*)"')


def sources() -> list[Path]:
    files = sorted((ROOT / "tei").glob("*.xml"))
    if SAMPLES.is_dir():
        files += sorted(SAMPLES.glob("*/*.xml"))
    return files


_TEXT = re.compile(rb">([^<]+)<")
# a passage's xml:id named in a note's words (registers._ID_TOKEN: ``lv-s57``), made a link by the build
_ID_WORD = re.compile(rb"(?<![\w:#/.-])([A-Za-z][\w.-]*?[A-Za-z_-]\d+)(?![\w-])")
_DECLARED: set[bytes] = set()


def rewrite(data: bytes, k: int) -> bytes:
    """Copy k of a file: ids, pointers, ids named in text and CTS works made unique to the
    copy (a copy links only with itself: pactarchive.parts can build it as a part)."""
    if k == 0:
        return data
    # ids take "_k" (an id written "lv-s57-7" in a note's words would read as the span
    # lv-s57–7: registers.split_pointers), file names "-k"
    s, f_s = f"_{k}".encode(), f"-{k}".encode()
    if not _DECLARED:
        _DECLARED.update(m.group(1) for f in sources() for m in re.finditer(rb'xml:id="([^"]+)"', f.read_bytes()))
    data = _TEXT.sub(lambda m: b">" + _ID_WORD.sub(lambda w: w.group(1) + s if w.group(1) in _DECLARED else w.group(1),
                                                   m.group(1)) + b"<", data)
    data = re.sub(rb'xml:id="([^"]+)"', lambda m: b'xml:id="' + m.group(1) + s + b'"', data)
    data = _ATTR.sub(lambda m: m.group(1) + b'="' + _pointers(m.group(2), s, f_s) + b'"', data)
    return re.sub(rb"(urn:cts:[^:\s\"<]+:[^.\s\"<]+\.[^.\s\"<]+)", lambda m: m.group(1) + f"c{k}".encode(), data)


def _pointers(value: bytes, s: bytes, f_s: bytes) -> bytes:
    """``#id`` -> ``#id_k``, ``file.xml#id`` -> ``file-k.xml#id_k`` (files are renamed too)."""
    value = re.sub(rb"([\w.-]+)\.xml#", lambda m: m.group(1) + f_s + b".xml#", value)
    return re.sub(rb"#([^\s#]+)", lambda m: b"#" + m.group(1) + s, value)


def make_archive(target: Path, documents: int) -> int:
    """Write copies of the sources under ``target`` until it holds about ``documents``
    documents; returns the number of copies."""
    files = sources()
    per_copy = sum(max(1, f.read_bytes().count(b"<TEI ") + f.read_bytes().count(b"<TEI>")) for f in files
                   if b"<text" in f.read_bytes())
    copies = max(1, round(documents / per_copy))
    for k in range(copies):
        for f in files:
            name = f.name if k == 0 else f"{f.stem}-{k}{f.suffix}"  # ids derived from file names stay unique
            out = target / f"copy-{k}" / (f.parent.name if f.parent.parent == SAMPLES else "") / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(rewrite(f.read_bytes(), k))
    return copies


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[float, bytes]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as r:
        body = r.read()
    return time.perf_counter() - t, body


def build(tei: Path, index: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of `pactarchive build --no-validate` in a subprocess."""
    t = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M", PY, "-m", "pactarchive.cli", "build", "--no-validate",
                          "--tei", str(tei), "--index", str(index)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-2000:])
    return time.perf_counter() - t, int(out.stderr.strip().splitlines()[-1]) / 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def serve_and_measure(tei: Path, index: Path, runs: int) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index", str(index),
                             "--port", str(port), "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                get(url + "/api/documents")
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 900:
                    raise SystemExit("the server did not start")
                time.sleep(0.05)
        figures = {"start-up": time.perf_counter() - started}
        first = {name: get(url + path)[0] for name, path in ROUTES.items()}  # first view (cold caches)
        for name, path in ROUTES.items():
            figures[name] = statistics.median(get(url + path)[0] for _ in range(runs))
            figures[name + " (first)"] = first[name]
        body = get(url + "/read")[1]
        figures["/read KB"] = len(body) / 1024
        figures["/read gzip KB"] = len(gzip.compress(body)) / 1024
        figures["RSS MB"] = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return figures


# searches of every kind, each asked once (uncached): the mixed workload of --rss
SEARCHES = ["Soviet", '"mutual assistance"', "okupāc*", "Molotov~1", "Molotovs Ribentrops", "person:selter",
            "Soviet lang:en", "1939-09-28", "date:1939..1940 treaty", "Sovjet", "Laidoners", "bases"]


def mixed_rss(tei: Path, index: Path) -> dict:
    """One worker (``serve --workers 1``, its default threads) over a built archive: its RSS
    (MB) after the pages of ROUTES and /read, and after SEARCHES and the search page, with the
    milliseconds of each (first) search. Searches land on several threads, and each thread
    opens its own searcher: this is what a worker holds after a while in service."""
    from urllib.parse import urlencode
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([PY, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index", str(index),
                             "--port", str(port), "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    try:
        while True:
            try:
                get(url + "/api/documents")
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 900:
                    raise SystemExit("the server did not start")
                time.sleep(0.05)
        for path in [*ROUTES.values(), "/read"]:
            if not path.startswith("/api/search"):
                get(url + path)
        out = {"pages MB": rss_mb(proc.pid)}
        out["searches ms"] = {q: round(get(url + "/api/search?" + urlencode({"q": q}))[0] * 1000) for q in SEARCHES}
        get(url + "/search?q=Soviet")
        out["searches MB"] = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the generated archives here (and reuse those made before)")
    ap.add_argument("--rss", type=Path, nargs=2, metavar=("TEI", "INDEX"),
                    help="only measure a worker's RSS after a mixed workload over this built archive (--runs times)")
    args = ap.parse_args()
    if args.rss:
        for _ in range(args.runs):
            r = mixed_rss(*args.rss)
            print(f"RSS after the pages {r['pages MB']:.0f} MB, after {len(SEARCHES) + 1} searches "
                  f"{r['searches MB']:.0f} MB; first searches (ms): {r['searches ms']}", flush=True)
        return
    base = args.keep or Path(tempfile.mkdtemp(prefix="pactarchive-scale-"))
    print(f"baseline: tei/ (3 documents); runs: median of {args.runs}", file=sys.stderr)
    archives = {3: (ROOT / "tei", base / "base")}
    for n in args.sizes:
        tei = base / f"archive-{n}" / "tei"
        copies = make_archive(tei, n) if not tei.is_dir() else None  # --keep: an archive made before is reused
        print(f"archive-{n}: " + (f"{copies} copies" if copies else "reused"), file=sys.stderr)
        archives[n] = (tei, base / f"archive-{n}")
    # every archive is built first, then all are served one after the other: the serving figures
    # (and their ratios to the 3-document archive) are measured close together in time
    builds = {}
    for n, (tei, work) in archives.items():
        builds[n] = build(tei, work / "index")
        print(f"built {n}: {builds[n][0]:.0f} s, peak RSS {builds[n][1]:.0f} MB", file=sys.stderr)
    rows = {}
    for n, (tei, work) in archives.items():
        served = [serve_and_measure(tei, work / "index", args.runs) for _ in range(args.runs)]
        figures = {k: statistics.median(s[k] for s in served) for k in served[0]}
        figures["build s"], figures["build peak RSS MB"] = builds[n]
        docs = 3 if n == 3 else documents_in(work / "index")
        print(f"served {n}: {docs} documents", file=sys.stderr)
        rows[docs] = figures
    print(table(rows), flush=True)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


def documents_in(index: Path) -> int:
    """The number of documents of the built archive, read from its edition store (loading the
    corpus to count them would cost as much memory as the build)."""
    import sqlite3
    from pactarchive.search import current_generation
    gen = current_generation(index)
    with sqlite3.connect(f"file:{gen / 'store.sqlite'}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM documents").fetchone()[0]


def table(rows: dict) -> str:
    base = rows[3]
    cols = ["start-up", "RSS MB", "/passage", "/api/passages", "/read?at", "/documents/lv", "/api/documents",
            "/api/search", "trivial", "/read KB", "/read gzip KB", "build s", "build peak RSS MB"]
    lines = ["| documents | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for docs, r in rows.items():
        cells = []
        for c in cols:
            if c.endswith(("MB", "KB")) or c == "build s":
                cells.append(f"{r[c]:.0f}" if c != "build s" else f"{r[c]:.1f}")
            else:
                cells.append(f"{r[c] * 1000:.1f} ms" + ("" if docs == 3 else f" (×{r[c] / base[c]:.1f})"))
        lines.append(f"| {docs} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
