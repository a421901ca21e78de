"""Write the screenshots of the Latvian interface for the docs (docs/screenshots/home-lv-1280.png,
read-lv-1280.png, read-lv-390.png) from a running edition:

    pactarchive serve --port 5078 &
    .venv/bin/python tests/i18n/make_screenshots.py http://127.0.0.1:5078

Uses Debian's chromium (/usr/bin/chromium or PACTARCHIVE_CHROMIUM)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM = os.environ.get("PACTARCHIVE_CHROMIUM", "/usr/bin/chromium")
SHOTS = [("home-lv", "/?ui=lv", 1280), ("read-lv", "/read?ui=lv", 1280), ("read-lv", "/read?ui=lv", 390)]


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    done = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        for name, path, width in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": 900 if width > 400 else 844})
            page.goto(base + path)
            done.append(OUT / f"{name}-{width}.png")
            page.screenshot(path=str(done[-1]))
            page.close()
        browser.close()
    return done


if __name__ == "__main__":
    for p in shoot(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5078"):
        print(p)
