"""Searching from the page in Debian's chromium (Playwright) against `pactarchive serve` on the
real edition: type, submit, read the hits, follow one into the reading view; accessible,
keyboard-operable, no external requests, usable at 390 px and without JavaScript."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def passages(title: str) -> int:
    """The passage count of the results heading ("14 results in 28 passages, page 1 of 2")."""
    return int(re.search(r"in (\d+) passages?", title)[1])


def serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found]


def test_search_from_the_page_and_follow_a_hit_into_the_reading_view(live_server, page):
    page.goto(live_server + "/search")
    page.fill("#q", "Päts")
    page.select_option("#s-lang", "lv")
    page.press("#q", "Enter")
    page.wait_for_selector("li.hit")
    assert re.search(r"^\d+ results? in \d+ passages?", page.inner_text("#hits-title"))
    first = page.locator("li.hit").first
    ref = first.locator("a.hit-ref").first.inner_text()
    assert ref.startswith("lv:") and first.locator(".snippet mark").count() >= 1
    marked = first.locator(".snippet mark").first.inner_text()
    first.locator("a.hit-ref").first.click()
    page.wait_for_url("**/read?at=*")
    assert any(f"/read?at={ref}" in u for u in page.requests_made)
    target = page.locator(f'[id="{ref}"]')
    page.wait_for_function(f"document.getElementById('{ref}').classList.contains('is-target')")
    assert marked.split()[-1] in target.locator("mark").all_inner_texts()


def test_the_results_page_is_accessible_and_fetches_nothing_from_elsewhere(live_server, page):
    page.goto(live_server + "/search?q=Selters&size=5")
    assert serious(page) == []
    assert all(u.startswith(live_server) or u.startswith("data:") for u in page.requests_made)
    page.goto(live_server + "/search?q=%22Baltijas")
    assert page.locator("[role=alert]").is_visible() and serious(page) == []


def test_facets_and_pages_work_by_keyboard(live_server, page):
    page.goto(live_server + "/search?q=Selters&size=5")
    total = passages(page.inner_text("#hits-title"))
    page.locator('.facets a:has-text("Latvian")').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**lang=lv**")
    assert passages(page.inner_text("#hits-title")) < total
    page.locator('.pagination a[rel=next]').focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2**")
    assert page.locator('.pagination a[aria-current=page]').inner_text() == "2"


def test_usable_at_390_px_and_without_javascript(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/search?q=kareivis")
    assert page.locator("li.hit").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    facets, hits = page.locator(".facets").bounding_box(), page.locator(".search-hits").bounding_box()
    assert facets["y"] >= hits["y"] + hits["height"] - 1  # stacked under the hits
    context.close()


def test_long_facet_lists_fold_with_javascript(live_server, page):
    page.goto(live_server + "/search?q=Igaunija")
    button = page.locator("button.facet-more").first
    assert button.get_attribute("aria-expanded") == "false"
    hidden = page.locator("ul.facet li[hidden]").count()
    assert hidden > 0
    button.click()
    assert button.get_attribute("aria-expanded") == "true" and page.locator("ul.facet li[hidden]").count() < hidden


def test_a_result_shows_both_languages_side_by_side_and_stacks_at_390_px(browser, live_server, page):
    page.goto(live_server + "/search?q=Molotov&size=30")
    assert serious(page) == []  # results of every type: passages, notes, register entries
    first = page.locator("li.hit").first
    lead, counterpart = first.locator(".kwic-side").nth(0).bounding_box(), first.locator(".kwic-side").nth(1).bounding_box()
    assert counterpart["x"] > lead["x"] + lead["width"] - 1 and abs(counterpart["y"] - lead["y"]) < 30
    assert page.locator("li.hit-note .hit-type").first.inner_text().lower() == "note"
    narrow = browser.new_context(viewport={"width": 390, "height": 844})
    small = narrow.new_page()
    small.goto(live_server + "/search?q=Molotov")
    first = small.locator("li.hit").first
    lead, counterpart = first.locator(".kwic-side").nth(0).bounding_box(), first.locator(".kwic-side").nth(1).bounding_box()
    assert counterpart["y"] >= lead["y"] + lead["height"] - 1
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    narrow.close()
