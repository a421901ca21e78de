"""Search at scale (issue 10): the median time of /api/search per kind of query, uncached and
cached, and its ratio to a trivial route of the same server, for one archive.

    .venv/bin/python benchmarks/search_kinds.py --tei tei --index /tmp/ix3       # our tei/
    .venv/bin/python benchmarks/search_kinds.py --tei /tmp/a500/tei --index /tmp/a500/index
    .venv/bin/python benchmarks/search_kinds.py ... --profile Soviet           # cProfile, in process
    .venv/bin/python benchmarks/search_kinds.py ... --phases                   # ms per step, in process

The archive must be built already (``pactarchive build --tei ... --index ...``, or
``benchmarks/scale.py --keep DIR``); the script serves it with ``pactarchive serve`` twice in a
subprocess: once with the result cache off (``PACTARCHIVE_SEARCH_CACHE=0``, the uncached
figures: every request runs the search) and once with it on (the first request of each query
fills the cache, the median is of the requests after it). The trivial route is ``/about``.
Each figure is the median of ``--runs`` requests (default 7) after one warm-up request; the
ratios are to the trivial route's median in the same server. In-process figures (no HTTP,
``search()`` called directly with the cache off) are printed too: they show what the engine
costs apart from Flask and the network.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

PY = sys.executable
KINDS = {  # kind -> query (words of tei/, present in every copy of the synthetic archives)
    "rare word": "Narva",
    "common word": "Soviet",
    "phrase": '"mutual assistance"',
    "wildcard": "Molot*",
    "Latvian inflected": "Selteram",
}
TRIVIAL = "/about"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> float:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        r.read()
    return time.perf_counter() - t


def median_ms(url: str, runs: int) -> float:
    get(url)  # warm-up (and, with the cache on, the request that fills it)
    return statistics.median(get(url) for _ in range(runs)) * 1000


def serve(tei: Path, index: Path, runs: int, cache: bool) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PACTARCHIVE_SEARCH_CACHE="256" if cache else "0")
    proc = subprocess.Popen([PY, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index", str(index),
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        while True:
            try:
                get(base + TRIVIAL)
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 900:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
        out = {"trivial": median_ms(base + TRIVIAL, runs)}
        for kind, q in KINDS.items():
            out[kind] = median_ms(base + "/api/search?" + urllib.parse.urlencode({"q": q}), runs)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def in_process(index: Path, runs: int) -> dict[str, tuple[float, dict]]:
    from pactarchive.search import query, search
    query.CACHE.resize(0)
    out = {}
    for kind, q in KINDS.items():
        r = search(index, q)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            search(index, q)
            times.append(time.perf_counter() - t)
        out[kind] = (statistics.median(times) * 1000, r)
    return out


def profile(index: Path, kind: str) -> None:
    from pactarchive.search import query, search
    query.CACHE.resize(0)
    q = KINDS.get(kind, kind)  # a kind's name ("common word") or any query
    search(index, q)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        search(index, q)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def phases(index: Path, runs: int = 3) -> None:
    """Per kind, the median ms of each step of one search (query._search cut into its steps):
    compile, collect (Whoosh), stored fields, rank + group, the page's hits, facets."""
    from pactarchive.search import generation, query as Q, ranking, syntax
    from pactarchive.search.compiler import Compiler
    gen = generation.current(index)
    print("| kind | records | compile | collect | stored fields | rank + group | page hits | facets |")
    print("|---|---|---|---|---|---|---|---|")
    for kind, q in KINDS.items():
        rows = []
        for _ in range(runs):
            ph, t = {}, time.perf_counter()
            s = gen.searcher()
            comp = Compiler(s.reader(), gen.entities)
            query = comp.compile(syntax.parse(q))
            ph["compile"], t = time.perf_counter() - t, time.perf_counter()
            found = Q._run(s, query, None, Q.RANK_LIMIT, "relevance")
            ph["collect"], t = time.perf_counter() - t, time.perf_counter()
            matches = [ranking.Match(d, s.stored_fields(d), sc) for d, sc in found.top]
            ph["stored"], t = time.perf_counter() - t, time.perf_counter()
            results = ranking.group(ranking.rank(matches, comp.marks, gen.entities, "relevance"))
            ph["rank"], t = time.perf_counter() - t, time.perf_counter()
            matched = {m.ref for m in matches}
            [Q._hit(gen, m, c, comp, matched, "relevance") for m, c in results[:10]]
            ph["hits"], t = time.perf_counter() - t, time.perf_counter()
            Q._facets(gen, matches)
            ph["facets"] = time.perf_counter() - t
            rows.append(ph)
        cells = " | ".join(f"{statistics.median(r[k] for r in rows) * 1000:.0f}" for k in rows[0])
        print(f"| {kind} | {len(matches):,} | {cells} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tei", type=Path, required=True)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--profile", help="a kind (or a query): print a cProfile of 5 searches in process, then stop")
    ap.add_argument("--no-http", action="store_true", help="only the in-process figures")
    ap.add_argument("--phases", action="store_true", help="only the time of each step of a search, in process")
    args = ap.parse_args()
    if args.profile:
        profile(args.index, args.profile)
        return
    if args.phases:
        phases(args.index)
        return
    inproc = in_process(args.index, args.runs)
    print(f"in process, cache off (median of {args.runs}):")
    print("| kind | query | results | passages | ms |")
    print("|---|---|---|---|---|")
    for kind, (ms, r) in inproc.items():
        total = f"{r.total:,}" + ("+" if r.total_relation == "gte" else "")
        passages = f"{r.passages:,}" + ("+" if r.passages_relation == "gte" else "")
        print(f"| {kind} | `{KINDS[kind]}` | {total} | {passages} | {ms:.1f} |")
    if args.no_http:
        return
    uncached = serve(args.tei, args.index, args.runs, cache=False)
    cached = serve(args.tei, args.index, args.runs, cache=True)
    print(f"\nover HTTP (pactarchive serve, median of {args.runs}; ratio to {TRIVIAL} of the same server):")
    print(f"| kind | uncached ms | uncached × trivial | cached ms | cached × trivial |")
    print("|---|---|---|---|---|")
    for kind in ["trivial", *KINDS]:
        u, c = uncached[kind], cached[kind]
        print(f"| {kind} | {u:.1f} | ×{u / uncached['trivial']:.1f} | {c:.1f} | ×{c / cached['trivial']:.1f} |")


if __name__ == "__main__":
    main()
