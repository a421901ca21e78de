"""Are two index directories' current generations the same edition? Every row of every table
of their ``store.sqlite`` and ``lookup.sqlite`` compared in SQLite (``EXCEPT`` both ways, and
the counts), Whoosh's document numbers (``lookup.sqlite`` ``passages.docnum``, which depend on
the order records were written in) left out. Used to hold a build in parts to the build of the
whole archive at 5,000 documents (docs/performance.md, "The build in parts").

    .venv/bin/python benchmarks/same_generation.py INDEX_A INDEX_B
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from pactarchive.search.store import current_generation

SKIP = {"lookup.sqlite": {"passages": {"docnum"}}}


def compare(a: Path, b: Path) -> int:
    """Print one line per table; return how many tables differ."""
    ga, gb = current_generation(a), current_generation(b)
    bad = 0
    for name in ("store.sqlite", "lookup.sqlite"):
        con = sqlite3.connect(f"{(ga / name).resolve().as_uri()}?mode=ro", uri=True)
        try:
            con.execute("ATTACH DATABASE ? AS other", (f"{(gb / name).resolve().as_uri()}?mode=ro",))
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            for t in tables:
                skip = SKIP.get(name, {}).get(t, set())
                cols = ", ".join(c[1] for c in con.execute(f"PRAGMA table_info({t})") if c[1] not in skip)
                counts = [con.execute(f"SELECT count(*) FROM {db}.{t}").fetchone()[0] for db in ("main", "other")]
                only = [con.execute(f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{t} EXCEPT SELECT {cols} FROM {y}.{t})")
                        .fetchone()[0] for x, y in (("main", "other"), ("other", "main"))]
                same = counts[0] == counts[1] and only == [0, 0]
                bad += not same
                print(f"{name} {t}: {counts[0]} and {counts[1]} rows, {only[0]} and {only[1]} only in one"
                      f"{'' if same else '  DIFFERENT'}", flush=True)
        finally:
            con.close()
    return bad


if __name__ == "__main__":
    sys.exit(1 if compare(Path(sys.argv[1]), Path(sys.argv[2])) else 0)
