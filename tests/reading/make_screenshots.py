"""Write the reading view's screenshots for the docs (docs/screenshots/read-1280.png,
read-390.png) from a running edition:

    pactarchive serve --port 5077 &
    .venv/bin/python tests/reading/make_screenshots.py http://127.0.0.1:5077

The browser and the files: tests/screenshots.py."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: tests/ holds screenshots.py
from screenshots import shoot  # noqa: E402

SHOTS = [("read", "/read", 1280), ("read", "/read", 390)]


def prepare(page) -> None:
    """Show a sentence and its counterpart highlighted, as a pointer over it does."""
    ref = "hen:1.1.2"
    page.locator(f'[id="{ref}"]').scroll_into_view_if_needed()
    x, y = page.eval_on_selector(f'[id="{ref}"]', "el => { const r = el.getClientRects()[0];"
                                 " return [r.left + r.width / 2, r.top + r.height / 2]; }")
    page.mouse.move(x, y)
    page.evaluate("window.scrollTo(0, 0)")


if __name__ == "__main__":
    for path in shoot(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000", SHOTS, prepare):
        print(path)
