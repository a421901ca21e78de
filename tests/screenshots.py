"""Screenshots for the docs (docs/screenshots/), shared by the make_screenshots.py scripts of
tests/context, tests/i18n and tests/reading: each lists its shots and calls ``shoot``.

Uses Debian's chromium (/usr/bin/chromium or PACTARCHIVE_CHROMIUM), with the flags of the
browser tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM = os.environ.get("PACTARCHIVE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def shoot(base: str, shots: list[tuple[str, str, int]], prepare: Callable | None = None) -> list[Path]:
    """Write ``OUT/<name>-<width>.png`` for each ``(name, path, width)`` of ``shots``, the page
    ``base + path`` in a window ``width`` CSS pixels wide (900 high, 844 at phone widths). A
    ``#fragment`` in the path is scrolled into view; ``prepare(page)`` runs before each shot.
    Returns the files written."""
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    done = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, path, width in shots:
            page = browser.new_page(viewport={"width": width, "height": 900 if width > 400 else 844})
            page.goto(base.rstrip("/") + path)
            if "#" in path:
                page.locator("#" + path.split("#")[1]).scroll_into_view_if_needed()
            if prepare:
                prepare(page)
            done.append(OUT / f"{name}-{width}.png")
            page.screenshot(path=str(done[-1]))
            page.close()
        browser.close()
    return done
