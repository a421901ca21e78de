"""DTS throughput: pactarchive against MyDapytains (PyPI ``dapytains`` 1.0.0rc4) on the same TEI
files, in one run (issue 13). Not a test: it prints ratios.

    python benchmarks/dts_bench.py --dapytains-python /path/to/venv/bin/python [--requests 200]

``--dapytains-python`` is a Python that has ``dapytains[web]==1.0.0rc4`` and waitress installed
(``python3 -m venv /tmp/dapy && /tmp/dapy/bin/pip install dapytains==1.0.0rc4 flask-sqlalchemy
waitress``). Both servers run under waitress with 8 threads on loopback, on the documents both can
navigate (our hen, lv and lv-en: see FILES for why not the Perseus samples). For
each server the same refs are requested (found through each server's own navigation endpoint);
navigation and document requests are timed at 1 and 8 concurrent clients, median of 3 rounds;
every non-2xx answer or connection failure is counted. The load generator shares the machine's
cores with the server: compare the ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# dapytains 1.0.0rc4 cannot ingest the Perseus Lysias files of tests/samples (KeyError: 'None' in
# dapytains/tei/citeStructure.py, line 320, while reading their citeStructure), so the documents
# both servers can serve are our own three.
FILES = [ROOT / "tei" / n for n in ("hen.xml", "lv.xml", "lv-en.xml", "register.xml")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(url: str, proc, seconds: int = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except (OSError, urllib.error.HTTPError):
            if proc.poll() is not None:
                raise RuntimeError(f"server exited ({url})")
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""
    except OSError:
        return 0, b""


def start_pactarchive(tei: Path, work: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei), "--index",
                             str(work / "index"), "--port", str(port), "--threads", "8"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait(base + "/api/dts", proc)
    return proc, base + "/api/dts"


def start_dapytains(python: str, tei: Path, work: Path) -> tuple[subprocess.Popen, str]:
    docs = [p for p in tei.glob("*.xml") if "citeStructure" in p.read_text(encoding="utf-8")]
    members = "".join(f'<resource identifier="{p.stem}" filepath="{p.name}"><title>{p.stem}</title></resource>'
                      for p in docs)
    (tei / "catalog.xml").write_text(f'<collection identifier="root"><title>root</title><members>{members}'
                                     "</members></collection>", encoding="utf-8")
    port = free_port()
    runner = work / "run_dapytains.py"
    runner.write_text(textwrap.dedent(f"""
        from flask import Flask
        from waitress import serve
        from dapytains.app.app import create_app
        from dapytains.app.ingest import store_catalog
        from dapytains.metadata.xml_parser import parse
        app = Flask("dapytains")
        _, db = create_app(app)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///{work / 'dapytains.db'}"
        db.init_app(app)
        with app.app_context():
            db.drop_all(); db.create_all()
            catalog, _ = parse({str(tei / 'catalog.xml')!r})
            store_catalog(catalog)
        serve(app, host="127.0.0.1", port={port}, threads=8)
        """), encoding="utf-8")
    proc = subprocess.Popen([python, str(runner)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, SERVER_ENV="prod"))
    base = f"http://127.0.0.1:{port}/"
    wait(base, proc)
    return proc, base


def expand(template: str, **params) -> str:
    """A minimal RFC 6570 expansion for the `{?a,b}` and `{&a,b}` forms both servers use."""
    import re

    def sub(m):
        op, names = m.group(1), m.group(2).split(",")
        pairs = [(n, params[n]) for n in names if params.get(n) is not None]
        if not pairs:
            return ""
        q = "&".join(f"{n}={urllib.parse.quote(str(v), safe='')}" for n, v in pairs)
        return ("?" if op == "?" else "&") + q
    return re.sub(r"\{([?&])([^}]*)\}", sub, template)


def workload(entry: str) -> dict[str, list[str]]:
    """URLs for the navigation and document endpoints of every resource that can be navigated."""
    ep = json.loads(get(entry)[1])
    root = json.loads(get(expand(ep["collection"]))[1])
    resources, queue = [], list(root.get("member", []))
    while queue:
        m = queue.pop(0)
        if m["@type"] == "Resource":
            resources.append(m)
        else:
            queue += json.loads(get(expand(ep["collection"], id=m["@id"]))[1]).get("member", [])
    nav, doc = [], []
    for r in resources:
        status, body = get(expand(ep["navigation"], resource=r["@id"], down=-1))
        if status != 200:
            continue
        units = json.loads(body)["member"]
        tops = [u["identifier"] for u in units if u["level"] == 1]
        leaves = [u["identifier"] for u in units][-5:]
        nav += [expand(ep["navigation"], resource=r["@id"], down=-1),
                expand(ep["navigation"], resource=r["@id"], ref=tops[0], down=1)]
        doc += [expand(ep["document"], resource=r["@id"], ref=x) for x in (tops[0], *leaves[:2])]
    return {"navigation": nav, "document": doc}


def run(urls: list[str], clients: int, total: int) -> tuple[float, int]:
    """``(successful requests per second, failed requests)`` for ``total`` requests by
    ``clients`` threads; a failure (error status, refused or dropped connection) does not count
    as served, however fast it came back."""
    todo = [urls[i % len(urls)] for i in range(total)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(lambda u: get(u)[0], todo))
    elapsed = time.perf_counter() - t0
    failed = sum(1 for s in statuses if not 200 <= s < 300)
    return (total - failed) / elapsed, failed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dapytains-python", required=True)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dts-bench-"))
    tei = work / "tei"
    tei.mkdir()
    for f in FILES:
        shutil.copy(f, tei / f.name)
    procs = []
    try:
        ours, ours_entry = start_pactarchive(tei, work)
        procs.append(ours)
        theirs, their_entry = start_dapytains(args.dapytains_python, tei, work)
        procs.append(theirs)
        loads = {"pactarchive": workload(ours_entry), "dapytains": workload(their_entry)}
        print(f"resources: pactarchive {len(loads['pactarchive']['document']) // 3}, "
              f"dapytains {len(loads['dapytains']['document']) // 3}; {args.requests} requests per cell, median of 3")
        print("| endpoint | clients | pactarchive answered/s | dapytains answered/s | ratio | failed of 3 rounds (ours / theirs) |")
        print("|---|---|---|---|---|---|")
        for kind in ("navigation", "document"):
            for clients in (1, 8):
                cells = {}
                for name, load in loads.items():
                    rounds = [run(load[kind], clients, args.requests) for _ in range(3)]
                    cells[name] = (statistics.median(r[0] for r in rounds), sum(r[1] for r in rounds))
                ours_rps, theirs_rps = cells["pactarchive"][0], cells["dapytains"][0]
                ratio = f"×{ours_rps / theirs_rps:.1f}" if theirs_rps else "∞ (none answered)"
                print(f"| {kind} | {clients} | {ours_rps:.0f} | {theirs_rps:.0f} | {ratio} | "
                      f"{cells['pactarchive'][1]} / {cells['dapytains'][1]} |", flush=True)
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
