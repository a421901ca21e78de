"""Profile of the hot path: /read, /passage/<ref> and /api/search, in process, each request
served N times after one warm-up request (so the caches are warm), with cProfile. Prints the
median time of each route and the functions with the most cumulative time.

    .venv/bin/python benchmarks/hot_path.py --tei tei --index /tmp/ix [--top 12]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

ROUTES = ["/read", "/passage/lv:1.1.2", "/api/search?q=Soviet"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tei", type=Path, default=Path("tei"))
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    from pactarchive.web import create_app
    app = create_app({"TEI_DIR": args.tei, "INDEX_DIR": args.index})
    client = app.test_client()
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
