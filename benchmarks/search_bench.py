"""Search latency and throughput through the HTTP API, beside a trivial endpoint as the floor.

    .venv/bin/python benchmarks/search_bench.py [--clients 1 4 8] [--requests 200] [--url URL]

Starts `pactarchive serve` (waitress, 8 threads) on 127.0.0.1 with a freshly built index of
--tei (unless --url names a running server), then for each number of concurrent clients sends
a bounded number of requests per client (keep-alive connections):

* search: GET /api/search with the query mix of benchmarks/search-quality.json (every
  category: inflection, entities, numbers, dates, phrases, operators, filters, wildcards,
  fuzzy words, several-word questions), each client starting at another query;
* floor: GET /api/documents, a small JSON answer from the same server and framework.

Reports median and p95 latency (ms) and throughput (requests/s), and the ratio search/floor.
Not a test: timings depend on the machine; docs/search.md records one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
PARAMS = ("lang", "doc", "person", "place", "from", "to")


def query_mix() -> list[str]:
    cases = json.loads((HERE / "search-quality.json").read_text(encoding="utf-8"))["cases"]
    return ["/api/search?" + urlencode({"q": c["q"], **{p: c[p] for p in PARAMS if c.get(p)}}) for c in cases]


def run(base: str, paths: list[str], clients: int, per_client: int) -> dict:
    """Latencies (s) of ``clients`` threads sending ``per_client`` requests each."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    host = urlsplit(base)

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        mine = []
        for i in range(per_client):
            path = paths[(n * 7 + i) % len(paths)]
            started = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - started)
            if resp.status != 200:
                errors.append(f"{resp.status} {path}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "median": statistics.median(latencies) * 1000,
            "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000, "rps": len(latencies) / wall, "errors": errors}


def serve(tei: Path, index: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index", str(index),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/documents", timeout=2).read()
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server exited; run `pactarchive serve` by hand to see why")
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start within 120 s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tei", type=Path, default=Path("tei"))
    ap.add_argument("--url", help="benchmark a running server instead of starting one")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8])
    ap.add_argument("--requests", type=int, default=200, help="requests per client and endpoint (default 200)")
    args = ap.parse_args()
    paths = query_mix()
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = (None, args.url.rstrip("/")) if args.url else serve(args.tei, Path(tmp) / "index")
        try:
            run(base, paths + ["/api/documents"] * 20, 2, 60)  # warm up caches and the index
            rows = [(c, run(base, paths, c, args.requests), run(base, ["/api/documents"], c, args.requests))
                    for c in args.clients]
        finally:
            if proc:
                proc.terminate()
                proc.wait(timeout=20)
    print(f"{len(paths)} search queries in the mix; {args.requests} requests per client and endpoint\n")
    print("| clients | search median ms | search p95 ms | search req/s | floor median ms | floor p95 ms "
          "| floor req/s | median × floor | p95 × floor | throughput ÷ floor |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c, s, f in rows:
        print(f"| {c} | {s['median']:.1f} | {s['p95']:.1f} | {s['rps']:.0f} | {f['median']:.1f} | {f['p95']:.1f} "
              f"| {f['rps']:.0f} | {s['median'] / f['median']:.1f} | {s['p95'] / f['p95']:.1f} | {s['rps'] / f['rps']:.2f} |")
    errors = [e for _, s, f in rows for e in s["errors"] + f["errors"]]
    if errors:
        print(f"\n{len(errors)} requests failed, e.g. {errors[:3]}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
