"""Throughput with 1 and with 2 worker processes (issue 10): 16 concurrent clients (threads of
this process, a new connection for each request, as the kernel then spreads them over
the workers) run a mixed workload against the
server for a fixed time. Both runs use the same server, gunicorn (``serving.serve``, gthread
workers of 8 threads), so the ratio measures the workers and not waitress against gunicorn.
The load generator is pinned to the last CPU (``--no-pin`` to let it float); the server may
use every CPU. The script prints requests per second for each N, the ratio, and the CPU
seconds the server used per request (the load generator and other work share the cores).
``--runs`` repeats each measurement and prints the median.

    .venv/bin/python benchmarks/throughput.py --index /tmp/ix [--seconds 20] [--clients 16] [--runs 3]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import signal
import socket
import subprocess
import sys
import statistics
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIX = ["/passage/lv:1.1.2", "/api/passages/hen:1.1.3", "/api/search?q=Soviet", "/documents/hen",
       "/api/documents", "/read?at=lv:2.2.4", "/api/passages/lv:3.1", "/api/search?q=Molotovs"]


def port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (gunicorn workers), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(proc.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


SERVE = "import sys; from pathlib import Path; from pactarchive import serving; " \
        "serving.serve(Path(sys.argv[1]), Path(sys.argv[2]), '127.0.0.1', int(sys.argv[3]), int(sys.argv[4]), 8)"


def run(workers: int, tei: Path, index: Path, seconds: float, clients: int) -> tuple[float, float]:
    p = port()
    url = f"http://127.0.0.1:{p}"
    everywhere = os.sched_getaffinity(0) | set(range(os.cpu_count() or 1))
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(tei.resolve()), str(index.resolve()), str(p), str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=lambda: os.sched_setaffinity(0, everywhere))
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                for path in MIX * (2 * workers):  # warm every route in (likely) every worker's caches
                    urllib.request.urlopen(url + path, timeout=60).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
        done, stop = [0], time.monotonic() + seconds
        routes = itertools.cycle(MIX)
        lock = threading.Lock()

        def client():
            while time.monotonic() < stop:
                with lock:
                    path = next(routes)
                conn = http.client.HTTPConnection("127.0.0.1", p, timeout=120)  # a new connection a
                conn.request("GET", path)  # request: the kernel spreads them over the workers
                r = conn.getresponse()
                r.read()
                conn.close()
                if r.status != 200:
                    raise SystemExit(f"{path}: {r.status}")
                with lock:
                    done[0] += 1
        cpu0 = cpu_seconds(proc.pid)
        started = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        return done[0] / elapsed, (cpu_seconds(proc.pid) - cpu0) / max(done[0], 1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tei", type=Path, default=ROOT / "tei")
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-pin", action="store_true", help="do not pin the load generator to one CPU")
    args = ap.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    if not args.no_pin and len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[-1]})  # the server still gets every CPU (run())
    runs = {n: [] for n in (1, 2)}
    for _ in range(args.runs):  # interleaved, so drifting load on the machine hits both alike
        for n in (1, 2):
            runs[n].append(run(n, args.tei, args.index, args.seconds, args.clients))
    rows = {n: (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs)) for n, rs in runs.items()}
    print("| workers | requests/s | server CPU ms per request |\n|---|---|---|")
    for n, (rps, cpu) in rows.items():
        print(f"| {n} | {rps:.1f} | {cpu * 1000:.1f} |")
    print(f"\n2 workers / 1 worker: ×{rows[2][0] / rows[1][0]:.2f} requests per second (median of {args.runs})")
    for n, rs in runs.items():
        print(f"  {n} worker(s), each run: " + ", ".join(f"{r[0]:.1f}" for r in rs), file=sys.stderr)


if __name__ == "__main__":
    main()
