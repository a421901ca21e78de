"""Write the reading view's screenshots for the docs (docs/screenshots/read-1280.png,
read-390.png) from a running edition:

    pactarchive serve --port 5077 &
    .venv/bin/python tests/reading/make_screenshots.py http://127.0.0.1:5077

Uses Debian's chromium (/usr/bin/chromium or PACTARCHIVE_CHROMIUM)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM = os.environ.get("PACTARCHIVE_CHROMIUM", "/usr/bin/chromium")


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    done = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        for width, height in ((1280, 900), (390, 844)):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "/read")
            ref = "hen:1.1.2"
            page.locator(f'[id="{ref}"]').scroll_into_view_if_needed()
            x, y = page.eval_on_selector(f'[id="{ref}"]', "el => { const r = el.getClientRects()[0];"
                                         " return [r.left + r.width / 2, r.top + r.height / 2]; }")
            page.mouse.move(x, y)  # show a sentence and its counterpart highlighted
            page.evaluate("window.scrollTo(0, 0)")
            done.append(OUT / f"read-{width}.png")
            page.screenshot(path=str(done[-1]))
            page.close()
        browser.close()
    return done


if __name__ == "__main__":
    for path in shoot(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:5000"):
        print(path)
