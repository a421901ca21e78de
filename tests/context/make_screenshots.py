"""Write the screenshots of the registers, an entity page, the timeline and the map for the docs
(docs/screenshots/entities-1280.png, entity-1280.png, timeline-1280.png, map-1280.png and
map-390.png) from a running edition:

    pactarchive serve --port 5077 &
    .venv/bin/python tests/context/make_screenshots.py http://127.0.0.1:5077

Uses Debian's chromium (/usr/bin/chromium or PACTARCHIVE_CHROMIUM)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM = os.environ.get("PACTARCHIVE_CHROMIUM", "/usr/bin/chromium")
SHOTS = [("entities", "/entities", 1280), ("entity", "/entities/selter", 1280),
         ("timeline", "/timeline?at=1939-09-28", 1280), ("map", "/map", 1280), ("map", "/map#map-region", 390)]


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
            if "#" in path:
                page.locator(path.split("#")[1].join(("#", ""))).scroll_into_view_if_needed()
            done.append(OUT / f"{name}-{width}.png")
            page.screenshot(path=str(done[-1]))
            page.close()
        browser.close()
    return done


if __name__ == "__main__":
    for path in shoot(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:5000"):
        print(path)
