"""Search quality: recall@10 and MRR per category over benchmarks/search-quality.json.

    .venv/bin/python benchmarks/search_quality.py [--tei tei] [--index DIR] [--failures]

Builds the index from --tei into a temporary directory (or uses --index), runs every case
through ``pactarchive.search.search`` with its parameters, and reports per category:

* recall@10  share of the expected refs found among the first 10 results (mean over cases),
* MRR        mean reciprocal rank of the first result holding an expected ref (0 if none),
* perfect    cases with every expected ref in the first 10.

A result holds its lead passage and its counterparts (the passages aligned with it, shown
with it): an expected ref shown as a counterpart of the 3rd result is found at rank 3.

tests/search/test_quality.py imports ``load_cases`` and ``evaluate`` and holds the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "search-quality.json"
PARAMS = {"lang": "lang", "doc": "doc", "person": "person", "place": "place", "from": "date_from", "to": "date_to"}


def load_cases(path: Path = CASES) -> tuple[int, list[dict]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data.get("k", 10), data["cases"]


def run_case(index_dir: Path, case: dict, k: int) -> dict:
    from pactarchive.search import search
    kwargs = {PARAMS[p]: case[p] for p in PARAMS if case.get(p)}
    hits = search(index_dir, case["q"], size=k, **kwargs).hits
    rank = {}
    for i, h in enumerate(hits, 1):
        for ref in [h["ref"]] + [a["ref"] for a in h["aligned"]]:
            rank.setdefault(ref, i)
    expected = case["expect"]
    found = [r for r in expected if r in rank]
    first = min((rank[r] for r in found), default=None)
    return {"recall": len(found) / len(expected), "rr": 1 / first if first else 0.0,
            "missing": [r for r in expected if r not in rank], "top": [h["ref"] for h in hits]}


def evaluate(index_dir: Path, cases: list[dict], k: int = 10) -> dict:
    """Figures per category and overall: {"categories": {cat: {...}}, "overall": {...},
    "failures": [...]}."""
    per: dict[str, list[dict]] = defaultdict(list)
    failures = []
    for case in cases:
        result = run_case(index_dir, case, k)
        per[case["category"]].append(result)
        if result["missing"]:
            failures.append({**case, "missing": result["missing"], "top": result["top"]})
    summary = {cat: _summary(rs) for cat, rs in per.items()}
    return {"categories": summary, "overall": _summary([r for rs in per.values() for r in rs]),
            "failures": failures}


def _summary(results: list[dict]) -> dict:
    n = len(results)
    return {"cases": n, "recall": sum(r["recall"] for r in results) / n,
            "mrr": sum(r["rr"] for r in results) / n, "perfect": sum(not r["missing"] for r in results)}


def report(figures: dict, k: int) -> str:
    lines = [f"| category | cases | recall@{k} | MRR | all found |", "|---|---|---|---|---|"]
    rows = list(figures["categories"].items()) + [("**overall**", figures["overall"])]
    for cat, f in rows:
        lines.append(f"| {cat} | {f['cases']} | {f['recall']:.3f} | {f['mrr']:.3f} | {f['perfect']}/{f['cases']} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tei", type=Path, default=Path("tei"))
    ap.add_argument("--index", type=Path, help="use this built index instead of building one")
    ap.add_argument("--cases", type=Path, default=CASES)
    ap.add_argument("--failures", action="store_true", help="list the cases that missed a passage")
    args = ap.parse_args()
    k, cases = load_cases(args.cases)
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or _build(args.tei, Path(tmp))
        figures = evaluate(index, cases, k)
    print(f"{len(cases)} queries, k={k}\n")
    print(report(figures, k))
    if args.failures:
        for f in figures["failures"]:
            print(f"\n[{f['category']}] {f['q']!r} {({p: f[p] for p in PARAMS if f.get(p)})}: missing {f['missing']}\n"
                  f"   top: {f['top']}")
    return 0


def _build(tei: Path, into: Path) -> Path:
    from pactarchive.corpus import Corpus
    from pactarchive.search import build_index
    build_index(Corpus.load(tei), into)
    return into


if __name__ == "__main__":
    sys.exit(main())
