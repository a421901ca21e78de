"""Write the screenshots of the registers, an entity page, the timeline and the map for the docs
(docs/screenshots/entities-1280.png, entity-1280.png, timeline-1280.png, map-1280.png and
map-390.png) from a running edition:

    pactarchive serve --port 5077 &
    .venv/bin/python tests/context/make_screenshots.py http://127.0.0.1:5077

The browser and the files: tests/screenshots.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ holds screenshots.py
from screenshots import shoot  # noqa: E402

SHOTS = [("entities", "/entities", 1280), ("entity", "/entities/selter", 1280),
         ("timeline", "/timeline?at=1939-09-28", 1280), ("map", "/map", 1280), ("map", "/map#map-region", 390)]


if __name__ == "__main__":
    for path in shoot(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000", SHOTS):
        print(path)
