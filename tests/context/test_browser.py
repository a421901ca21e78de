"""The registers, notes, timeline and map in Debian's chromium (Playwright) against `pactarchive
serve` on the real edition (fixtures live_server and page, tests/conftest.py): keyboard use with
visible focus, axe, 390 px without horizontal scrolling, nothing requested from elsewhere."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/entities", "/entities/selter", "/notes", "/timeline?at=1939-09", "/map"]


def serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
            if v["impact"] in ("serious", "critical")]


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_register_kind_filter_and_a_to_z_by_keyboard(live_server, page):
    page.goto(live_server + "/entities")
    tab_to(page, "nav.ctx-tabs a[href*='kind=person']")
    page.keyboard.press("Enter")
    page.wait_for_url("**kind=person**")
    kinds = page.locator("table.register tbody tr td:nth-child(2)").all_inner_texts()
    assert kinds and set(kinds) == {"Person"}
    tab_to(page, "nav.az a[href*='letter=K']")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**letter=K**")
    names = page.locator("table.register tbody th a").all_inner_texts()
    assert names and all(n.startswith("K") for n in names)


def test_timeline_markers_are_keyboard_links_with_visible_focus(live_server, page):
    page.goto(live_server + "/timeline?at=1939")
    tab_to(page, "svg a.tl-slot")
    width = page.evaluate("getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth")
    assert width == "5px"
    tab_to(page, "svg a.tl-slot[href*='at=1939-09']")
    page.keyboard.press("Enter")
    page.wait_for_url("**at=1939-09**")
    tab_to(page, "svg a.tl-slot[href='#t-1939-09-28']")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#t-1939-09-28"
    assert page.locator("tbody#t-1939-09-28").is_visible()


def test_map_markers_are_keyboard_links_with_visible_focus(live_server, page):
    page.goto(live_server + "/map")
    tab_to(page, "svg a.map-marker[href='/entities/tallinn']")
    width = page.evaluate("getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth")
    assert width == "5px"
    page.keyboard.press("Enter")
    page.wait_for_url("**/entities/tallinn")
    assert "Tallinn" in page.locator("h1").inner_text()


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_serious(live_server, page, path):
    page.goto(live_server + path)
    assert serious(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_390_and_axe_clean(live_server, browser, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + path)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"{path}: {wide}px wide"
    assert serious(page) == []
    context.close()


def test_no_request_leaves_the_server(live_server, page):
    for path in PAGES:
        page.goto(live_server + path)
    outside = [u for u in page.requests_made if not u.startswith(live_server) and not u.startswith("data:")]
    assert outside == []
