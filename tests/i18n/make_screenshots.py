"""Write the screenshots of the Latvian interface for the docs (docs/screenshots/home-lv-1280.png,
read-lv-1280.png, read-lv-390.png) from a running edition:

    pactarchive serve --port 5078 &
    .venv/bin/python tests/i18n/make_screenshots.py http://127.0.0.1:5078

The browser and the files: tests/screenshots.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ holds screenshots.py
from screenshots import shoot  # noqa: E402

SHOTS = [("home-lv", "/?ui=lv", 1280), ("read-lv", "/read?ui=lv", 1280), ("read-lv", "/read?ui=lv", 390)]


if __name__ == "__main__":
    for path in shoot(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5078", SHOTS):
        print(path)
