"""Throughput with 1 and with 2 worker processes (issue 10): 16 concurrent clients (threads of
this process) run a mixed workload against `pactarchive serve --workers N` for a fixed time.
The script prints requests per second for each N and the ratio. It also prints the CPU seconds
the server used per request, because the load generator shares the machine's cores with the
server.

    .venv/bin/python benchmarks/throughput.py --index /tmp/ix [--seconds 20] [--clients 16]
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import socket
import subprocess
import sys
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


def run(workers: int, tei: Path, index: Path, seconds: float, clients: int) -> tuple[float, float]:
    p = port()
    url = f"http://127.0.0.1:{p}"
    proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index", str(index),
                             "--port", str(p), "--workers", str(workers), "--threads", "8"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                for path in MIX:  # warm every route in every worker's caches a little
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
                urllib.request.urlopen(url + path, timeout=120).read()
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
    args = ap.parse_args()
    rows = {n: run(n, args.tei, args.index, args.seconds, args.clients) for n in (1, 2)}
    print("| workers | requests/s | server CPU ms per request |\n|---|---|---|")
    for n, (rps, cpu) in rows.items():
        print(f"| {n} | {rps:.1f} | {cpu * 1000:.1f} |")
    print(f"\n2 workers / 1 worker: ×{rows[2][0] / rows[1][0]:.2f} requests per second")


if __name__ == "__main__":
    main()
