"""The Latvian interface in Debian's chromium (Playwright) against `pactarchive serve` on the real
edition (fixtures live_server, browser and page, tests/conftest.py): the language switcher by
keyboard, axe clean in Latvian, no horizontal scroll at 390 px with the longer Latvian labels."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/read", "/search?q=Molotovs", "/passage/lv:1.1.1", "/documents/lv", "/entities", "/entities/selter",
         "/notes", "/timeline?at=1939-09", "/map", "/changes", "/about", "/accessibility", "/api"]


def serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
            if v["impact"] in ("serious", "critical")]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_switcher_by_keyboard_and_the_language_is_remembered(live_server, page):
    page.goto(live_server + "/about?ui=en")
    assert page.get_attribute("html", "lang") == "en"
    tab_to(page, "li.ui-switch a[hreflang='lv']")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**ui=lv**")
    assert page.get_attribute("html", "lang") == "lv"
    assert page.locator("h1").inner_text() == "Par šo izdevumu"
    page.goto(live_server + "/search")  # no parameter: the cookie remembers
    assert page.get_attribute("html", "lang") == "lv"
    assert page.locator("h1").inner_text() == "Meklēt izdevumā"
    tab_to(page, "li.ui-switch a[hreflang='en']")
    page.keyboard.press("Enter")
    page.wait_for_url("**ui=en**")
    assert page.get_attribute("html", "lang") == "en"


def test_script_messages_in_latvian(live_server, page):
    page.goto(live_server + "/search?q=Molotovs&ui=lv")
    more = page.locator("button.facet-more")
    if more.count():
        assert more.first.inner_text().startswith("Rādīt visus")


@pytest.mark.parametrize("path", PAGES)
def test_axe_clean_in_latvian(live_server, page, path):
    page.goto(live_server + path + ("&" if "?" in path else "?") + "ui=lv")
    assert page.get_attribute("html", "lang") == "lv"
    assert serious(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_no_horizontal_scroll_at_390_in_latvian(live_server, browser, path):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(live_server + path + ("&" if "?" in path else "?") + "ui=lv")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path}: {wide}px wide in Latvian"
    finally:
        context.close()
