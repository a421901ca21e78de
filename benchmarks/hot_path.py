"""Profile of the hot path: /read, /passage/<ref> and /api/search, in process, each request
served N times after one warm-up request (so the caches are warm), with cProfile. Prints the
median time of each route and the functions with the most cumulative time.

    .venv/bin/python benchmarks/hot_path.py --tei tei --index /tmp/ix [--top 12]

With ``--archive TEI INDEX`` (repeated) it instead measures each archive in a fresh process
(the routes of ``SCALE``: the issue-10 routes, the home page, /about, DTS collections, a
revalidation answered 304), without the profiler, and prints a table: the median of ``--runs``
warm requests per route, its ratio to the first archive, and the process's RSS after the
routes (everything one worker holds for that archive):

    .venv/bin/python benchmarks/hot_path.py --runs 7 --archive tei /tmp/ix3 --archive /tmp/a500/tei /tmp/a500/index
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUTES = ["/read", "/passage/lv:1.1.2", "/api/search?q=Soviet"]
SCALE = ["/passage/lv:1.1.2", "/api/passages/lv:1.1.2", "/read?at=lv:1.1.2", "/documents/lv", "/api/documents",
         "/", "/about", "/api/dts/collection", "/api/search?q=Soviet", "304 /read?at=lv:1.1.2"]


def app_for(tei: Path, index: Path):
    from pactarchive.web import create_app
    return create_app({"TEI_DIR": tei, "INDEX_DIR": index})


def one_archive(tei: Path, index: Path, runs: int) -> dict:
    """Median seconds per route (warm) and the RSS in MB, for one archive in this process."""
    client = app_for(tei, index).test_client()
    out = {}
    for route in SCALE:
        conditional = route.startswith("304 ")
        url = route.split(" ", 1)[-1]
        first = client.get(url)
        assert first.status_code == 200, route
        headers = {"If-None-Match": first.headers["ETag"]} if conditional else {}
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            r = client.get(url, headers=headers)
            times.append(time.perf_counter() - t)
            assert r.status_code == (304 if conditional else 200), route
        out[route] = statistics.median(times)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            out["RSS MB"] = int(line.split()[1]) / 1024
    return out


def table(archives: list[tuple[Path, Path]], runs: int) -> str:
    rows = []
    for tei, index in archives:
        code = ("import json, sys; sys.path.insert(0, sys.argv[4]); import hot_path; "
                "print(json.dumps(hot_path.one_archive(*map(__import__('pathlib').Path, sys.argv[1:3]), int(sys.argv[3]))))")
        out = subprocess.run([sys.executable, "-c", code, str(tei), str(index), str(runs), str(Path(__file__).parent)],
                             capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(out.stderr[-2000:])
        n = int(subprocess.run([sys.executable, "-c", "import sqlite3, sys, pathlib; from pactarchive.search import current_generation; "
                                "g = current_generation(pathlib.Path(sys.argv[1])); "
                                "print(sqlite3.connect(g / 'store.sqlite').execute('SELECT count(*) FROM documents').fetchone()[0])",
                                str(index)], capture_output=True, text=True, check=True).stdout)
        rows.append((n, json.loads(out.stdout.strip().splitlines()[-1])))
    base = rows[0][1]
    head = "| documents | " + " | ".join(SCALE) + " | RSS MB |"
    lines = [head, "|---" * (len(SCALE) + 2) + "|"]
    for n, r in rows:
        cells = [f"{r[k] * 1000:.1f} ms" + ("" if r is base else f" (×{r[k] / base[k]:.1f})") for k in SCALE]
        lines.append(f"| {n} | " + " | ".join(cells) + f" | {r['RSS MB']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tei", type=Path, default=Path("tei"))
    ap.add_argument("--index", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--archive", nargs=2, type=Path, action="append", metavar=("TEI", "INDEX"),
                    help="measure this archive (repeat: ratios are to the first)")
    args = ap.parse_args()
    if args.archive:
        print(table(args.archive, args.runs))
        return
    if args.index is None:
        ap.error("--index is required (or --archive)")
    client = app_for(args.tei, args.index).test_client()
    for route in ROUTES:
        assert client.get(route).status_code == 200, route  # warm-up (and the index/store opened)
        times = []
        prof = cProfile.Profile()
        for _ in range(args.runs):
            t = time.perf_counter()
            prof.enable()
            client.get(route)
            prof.disable()
            times.append(time.perf_counter() - t)
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats("pactarchive/", args.top)
        print(f"## {route}: median {statistics.median(times) * 1000:.1f} ms of {args.runs}")
        print("\n".join(l.replace(str(Path.cwd()), ".") for l in out.getvalue().splitlines()[4:] if l.strip()))


if __name__ == "__main__":
    main()
