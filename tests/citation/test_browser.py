"""The Cite box in a real browser (Debian's chromium via Playwright): choosing a style, the
copy buttons by keyboard with an announced confirmation, the page without JavaScript, and
axe. Run with the other browser tests (`-m browser`)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
REF = "lv:2.3.1"


@pytest.fixture()
def clip_page(browser, live_server):
    """A page whose context may read and write the clipboard, at the passage REF."""
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
    pg = context.new_page()
    pg.requests_made = []
    pg.on("request", lambda r: pg.requests_made.append(r.url))
    pg.goto(f"{live_server}/passage/{REF}")
    yield pg
    context.close()


def clipboard(pg) -> str:
    return pg.evaluate("navigator.clipboard.readText()")


def press(pg, name: str, key: str = "Enter"):
    """Operate a button from the keyboard: focus it, then press ``key``."""
    pg.get_by_role("button", name=name).focus()
    pg.keyboard.press(key)


def test_copy_buttons_copy_and_announce(clip_page, live_server):
    pg = clip_page
    status = pg.locator(".cite-status")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"

    press(pg, "Copy permalink")
    pg.wait_for_function("() => document.querySelector('.cite-status').textContent.includes('Permalink copied')")
    assert clipboard(pg) == f"{live_server}/passage/{REF}"

    pg.select_option("#cite-style", "mla")
    mla = pg.locator('.cite-format[data-style="mla"]')
    assert mla.is_visible() and not pg.locator('.cite-format[data-style="chicago"]').is_visible()
    press(pg, "Copy citation", " ")
    pg.wait_for_function("() => document.querySelector('.cite-status').textContent.includes('MLA')")
    copied = clipboard(pg)
    assert copied == mla.locator(".cite-text").text_content()
    assert REF in copied and f"{live_server}/passage/{REF}" in copied and "Accessed" in copied

    press(pg, "Copy quotation with citation")
    pg.wait_for_function("() => document.querySelector('.cite-status').textContent.includes('Quotation')")
    quote = clipboard(pg)
    text = pg.locator(f'blockquote[id="{REF}"]').inner_text().strip()
    assert quote.startswith(f"“{text}”\n") and quote.endswith(copied)
    assert all(u.startswith(live_server) for u in pg.requests_made), "no external requests"


def test_the_chosen_style_is_remembered(clip_page, live_server):
    clip_page.select_option("#cite-style", "apa")
    clip_page.goto(f"{live_server}/passage/lv:1.1.1")
    assert clip_page.locator("#cite-style").input_value() == "apa"
    assert clip_page.locator('.cite-format[data-style="apa"]').is_visible()


def test_cite_both_sides_copies_every_side(clip_page, live_server):
    pg = clip_page
    pg.goto(f"{live_server}/passage/hen:1.1.1?with=aligned")
    pg.select_option("#cite-style", "chicago")
    press(pg, "Copy citation")
    pg.wait_for_function("() => document.querySelector('.cite-status').textContent.includes('Chicago')")
    copied = clipboard(pg)
    assert "hen:1.1.1" in copied and "lv:1.1.1" in copied and len(copied.splitlines()) >= 2


def test_without_javascript_all_formats_show_and_the_controls_do_not(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{live_server}/passage/{REF}")
    for style in ("chicago", "mla", "apa", "bibtex", "ris"):
        assert pg.locator(f'.cite-format[data-style="{style}"]').is_visible(), style
    assert not pg.locator(".cite-controls").is_visible()
    context.close()


@pytest.mark.parametrize("path", [f"/passage/{REF}", "/passage/lv:2.3", "/passage/hen:1.1.1?with=aligned"])
def test_axe_finds_nothing_serious(page, live_server, path):
    from axe_playwright_python.sync_playwright import Axe
    page.goto(live_server + path)
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, bad


def test_narrow_screen_has_no_horizontal_scroll(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(f"{live_server}/passage/{REF}")
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()
