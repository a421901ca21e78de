"""Benchmark (not a test): how long a plain search takes while 8 heavy searches run (case 11).

Indexes a vocabulary like case 11's (5,000 sentences of invented words, ~60,000 word types),
then measures the latency of a plain one-word search alone, and while 8 clients keep sending a
heavy query: the case's 32 fuzzy words, and the heaviest query the budget still lets through
(4 fuzzy words ~2). Two ways: in one process (8 threads calling ``search()``, as waitress's
worker threads do), and over HTTP against ``pactarchive serve --threads 8`` (where heavy
requests can also take every worker thread). Prints medians of several runs and the ratio to
the plain search alone; the ratios are what to compare (the machine is shared).

    python benchmarks/query_budget.py [--workdir DIR] [--runs 7] [--no-http]

"Before" is measured by running the same script with the code of an older commit first on the
path, e.g. ``git archive 2ff86b2 src | tar -x -C /tmp/base`` and
``PYTHONPATH=/tmp/base/src python benchmarks/query_budget.py --workdir DIR`` (same index).
Figures: docs/performance.md, "Query budget".
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

LIGHT = "bababa"
FUZZY32 = ("bababx~2 bezasx~2 bovemx~2 datifx~2 disivx~2 duropx~2 fepukx~2 fopabx~2 ganasx~2 gimemx~2 gulifx~2 "
           "kekivx~2 kogopx~2 lafukx~2 lifabx~2 ludasx~2 mebemx~2 mizifx~2 muvivx~2 netopx~2 nosukx~2 pasabx~2 "
           "pirasx~2 pupemx~2 renifx~2 romivx~2 salopx~2 sikukx~2 sukabx~2 tegasx~2 tofemx~2 vadifx~2")
FUZZY4 = "bababx~2 bezasx~2 bovemx~2 datifx~2"
HEAVY_THREADS = 8


def write_vocabulary(tei_dir: Path) -> None:
    """Case 11's input: 5,000 sentences of 12 distinct invented words each."""
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = ("".join(t) for t in itertools.product(syllables, repeat=3))
    pick = itertools.islice(words, 0, 60000 * 5, 5)
    sentences = ["<s>" + " ".join(next(pick) for _ in range(12)).capitalize() + ".</s>" for _ in range(5000)]
    paras = "\n".join(f"<p>{''.join(sentences[i:i + 10])}</p>" for i in range(0, 5000, 10))
    tei_dir.mkdir(parents=True, exist_ok=True)
    (tei_dir / "vocab.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="vocab" xml:lang="en"><teiHeader><fileDesc>'
        "<titleStmt><title>Large vocabulary</title></titleStmt><publicationStmt><p>Benchmark input.</p>"
        "</publicationStmt><sourceDesc><p>Invented words.</p></sourceDesc></fileDesc></teiHeader>"
        f"<text><body>{paras}</body></text></TEI>", encoding="utf-8")


def timed(index: Path, query: str) -> tuple[float, str]:
    """Seconds and outcome of one search, in this process."""
    from pactarchive.errors import QueryError
    from pactarchive.search import search
    start = time.perf_counter()
    try:
        outcome = f"{search(index, query).total} hits"
    except QueryError:
        outcome = "refused (400)"
    return time.perf_counter() - start, outcome


def http_timed(url: str, query: str) -> tuple[float, str]:
    """Seconds and outcome of one search over HTTP."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url + "/api/search?" + urllib.parse.urlencode({"q": query}), timeout=60) as r:
            outcome = f"{json.loads(r.read())['total']} hits"
    except urllib.error.HTTPError as exc:
        outcome = f"refused ({exc.code})"
    except OSError:  # no answer within 60 s: counted as 60 s
        outcome = "no answer in 60 s"
    return time.perf_counter() - start, outcome


def light_while(run, heavy: str | None, runs: int) -> dict:
    """Median and worst latency of LIGHT while HEAVY_THREADS threads loop ``heavy``; ``run(q)``
    is ``timed`` or ``http_timed`` bound to an index or a server."""
    stop = threading.Event()
    heavy_times: list[float] = []
    outcomes: set[str] = set()

    def loop():
        while not stop.is_set():
            seconds, outcome = run(heavy)
            heavy_times.append(seconds)
            outcomes.add(outcome)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(HEAVY_THREADS if heavy else 0)]
    for t in threads:
        t.start()
    time.sleep(0.3 if heavy else 0)
    light = [run(LIGHT)[0] for _ in range(runs)]
    stop.set()
    for t in threads:
        t.join()
    return {"median": statistics.median(light), "worst": max(light),
            "heavy_median": statistics.median(heavy_times) if heavy_times else None,
            "heavy_outcome": ", ".join(sorted(outcomes)) or "-"}


def report(title: str, run, runs: int) -> None:
    run(LIGHT)  # open the generation
    alone = light_while(run, None, runs)
    print(f"\n{title}\n{'while 8 clients send':<28} {'light median':>12} {'worst':>8} {'ratio':>6}   heavy query (median, outcome)")
    print(f"{'nothing':<28} {alone['median'] * 1000:>10.0f}ms {alone['worst'] * 1000:>6.0f}ms {1:>6.1f}")
    for name, heavy in (("32 fuzzy words (case 11)", FUZZY32), ("4 fuzzy words ~2", FUZZY4)):
        r = light_while(run, heavy, runs)
        print(f"{name:<28} {r['median'] * 1000:>10.0f}ms {r['worst'] * 1000:>6.0f}ms "
              f"{r['median'] / alone['median']:>6.1f}   {r['heavy_median']:.2f}s, {r['heavy_outcome']}", flush=True)


def serve(tei_dir: Path, index: Path):
    """``pactarchive serve --threads 8`` of this Python path in a subprocess; returns (proc, url)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pactarchive.cli", "serve", "--tei", str(tei_dir), "--index",
                             str(index), "--port", str(port), "--threads", "8"], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/api/documents", timeout=5)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workdir", type=Path, help="holds tei/ and index/ (made here when missing; reuse it)")
    ap.add_argument("--runs", type=int, default=7, help="light searches per measurement (median)")
    ap.add_argument("--no-http", action="store_true", help="only the in-process measurement")
    args = ap.parse_args()
    import pactarchive
    from pactarchive.corpus import Corpus
    from pactarchive.search import build_index, current_generation
    work = args.workdir or Path(tempfile.mkdtemp())
    tei_dir, index = work / "tei", work / "index"
    if current_generation(index) is None:
        write_vocabulary(tei_dir)
        print(f"building the index into {index} ...", flush=True)
        build_index(Corpus.load(tei_dir), index)
    print(f"pactarchive from {Path(pactarchive.__file__).parent}")
    report("in one process (8 threads)", lambda q: timed(index, q), args.runs)
    if not args.no_http:
        proc, url = serve(tei_dir, index)
        try:
            report("over HTTP (pactarchive serve --threads 8)", lambda q: http_timed(url, q), min(args.runs, 3))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
