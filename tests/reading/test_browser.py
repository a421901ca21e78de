"""The reading view in Debian's chromium (Playwright), against `pactarchive serve` on the real
edition (fixtures live_server and page, tests/conftest.py)."""

import pytest

pytestmark = pytest.mark.browser

LEFT, RIGHT = "#pane-left", "#pane-right"


def sel(ref: str) -> str:
    return f'[id="{ref}"]'


def classes(page, ref: str) -> list[str]:
    return page.eval_on_selector(sel(ref), "el => Array.from(el.classList)")


VISIBLE_TEXT = """el => { let out = ''; const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const p = n.parentElement;
        if (p.closest('.visually-hidden, .vh') || !p.getClientRects().length) continue;
        out += n.data; }
    return out; }"""


def visible_text(page, ref: str) -> str:
    """The text of a passage as seen on screen (no screen-reader-only text, nothing hidden)."""
    return page.eval_on_selector(sel(ref), VISIBLE_TEXT)


def point_at(page, ref: str) -> tuple[float, float]:
    """The middle of a sentence's first line fragment (a sentence is an inline span)."""
    page.locator(sel(ref)).scroll_into_view_if_needed()
    r = page.eval_on_selector(sel(ref), "el => { const r = el.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; }")
    return r[0], r[1]


def first_aligned(page, pane: str) -> tuple[str, list[str]]:
    ref, aligned = page.eval_on_selector(f"{pane} .passage.leaf[data-aligned]", "el => [el.id, el.dataset.aligned]")
    return ref, aligned.split()


def serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe
    found = Axe().run(page).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
            if v["impact"] in ("serious", "critical")]


def test_both_texts_side_by_side_at_1280(live_server, page):
    page.goto(live_server + "/read")
    left, right = page.locator("article.column-left"), page.locator("article.column-right")
    assert left.get_attribute("lang") == "en" and right.get_attribute("lang") == "lv"
    a, b = left.bounding_box(), right.bounding_box()
    assert a["x"] + a["width"] <= b["x"] and abs(a["y"] - b["y"]) < 2  # one row, two columns
    assert a["width"] > 450 and b["width"] > 450
    assert page.locator(f"{LEFT} {sel('hen:1.1.1')}").is_visible()
    assert page.locator(f"{RIGHT} {sel('lv:1.1.1')}").is_visible()


def test_hover_highlights_the_counterpart(live_server, page):
    page.goto(live_server + "/read")
    ref, counterparts = first_aligned(page, LEFT)
    page.mouse.move(*point_at(page, ref))
    assert "is-active" in classes(page, ref)
    assert all("is-linked" in classes(page, c) for c in counterparts)
    page.mouse.move(1, 1)
    page.wait_for_function("!document.querySelector('.is-linked')")


def test_keyboard_focus_highlights_and_arrows_move(live_server, page):
    page.goto(live_server + "/read")
    for _ in range(60):  # Tab from the top of the page to the first sentence of the left text
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaf')"):
            break
    ref = page.evaluate("document.activeElement.id")
    assert ref.startswith("hen:")
    page.keyboard.press("ArrowDown")
    ref2 = page.evaluate("document.activeElement.id")
    assert ref2.startswith("hen:") and ref2 != ref
    counterparts = page.evaluate("document.activeElement.dataset.aligned").split()
    assert counterparts and all("is-linked" in classes(page, c) for c in counterparts)
    page.keyboard.press("ArrowRight")  # jump to the counterpart in the other text
    assert page.evaluate("document.activeElement.id") == counterparts[0]
    assert page.is_visible(sel(counterparts[0]))


def test_activating_a_sentence_brings_its_counterpart_into_view(live_server, page):
    page.goto(live_server + "/read")
    ref = page.eval_on_selector_all(f"{LEFT} .passage.leaf[data-aligned]", "els => els[els.length - 1].id")
    page.mouse.click(*point_at(page, ref))
    target = page.eval_on_selector(sel(ref), "el => el.dataset.aligned.split(' ')[0]")
    inside = page.evaluate("""([t, p]) => { const r = document.getElementById(t).getBoundingClientRect(),
        q = document.querySelector(p).getBoundingClientRect(); return r.top >= q.top - 1 && r.top < q.bottom; }""",
                           [target, RIGHT])
    assert inside and "is-linked" in classes(page, target)


def test_panes_scroll_in_step_and_the_switch_turns_it_off(live_server, page):
    page.goto(live_server + "/read?left=lv&right=lv-en")
    page.hover(RIGHT)
    page.mouse.wheel(0, 1500)
    page.wait_for_function("document.querySelector('#pane-left').scrollTop > 500")
    gap = page.evaluate("""() => { const a = document.querySelector('#pane-right .passage.leaf[data-aligned]');
        const panes = ['#pane-left', '#pane-right'].map(s => document.querySelector(s));
        const first = pane => [...pane.querySelectorAll('.passage.leaf')].find(
            el => el.getBoundingClientRect().bottom > pane.getBoundingClientRect().top + 2);
        const r = first(panes[1]); const l = document.getElementById(r.dataset.aligned.split(' ')[0]);
        return Math.abs((l.getBoundingClientRect().top - panes[0].getBoundingClientRect().top)
                      - (r.getBoundingClientRect().top - panes[1].getBoundingClientRect().top)); }""")
    assert gap < 4  # the counterpart of the first visible sentence sits level with it
    page.uncheck("#sync")
    before = page.evaluate("document.querySelector('#pane-left').scrollTop")
    page.hover(RIGHT)
    page.mouse.wheel(0, 800)
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('#pane-left').scrollTop") == before


def test_deep_link_opens_and_highlights(live_server, page):
    page.goto(live_server + "/read?at=lv:2.2.4&hl=Orzel")
    target = page.locator(sel("lv:2.2.4"))
    assert "is-target" in classes(page, "lv:2.2.4")
    assert target.locator("mark").first.inner_text() == "Orzel"
    page.wait_for_timeout(200)
    box, pane = target.bounding_box(), page.locator(RIGHT).bounding_box()
    assert pane["y"] - 1 <= box["y"] < pane["y"] + pane["height"]
    assert box["y"] < 900
    page.goto(live_server + "/read#hen:1.2.2")
    page.wait_for_function("document.getElementById('hen:1.2.2').classList.contains('is-target')")


def test_entity_card_opens_with_mentions_in_both_texts(live_server, page):
    page.goto(live_server + "/read")
    page.click(f"{LEFT} a[href='#entity-stalin'] >> nth=0")
    page.wait_for_selector("#entity-dialog[open]")  # the card is fetched (/read/entities/stalin?shown=hen,lv)
    dialog = page.locator("#entity-dialog")
    assert dialog.is_visible()
    assert "Joseph Stalin" in dialog.inner_text() and "Latvian" in dialog.inner_text()
    hrefs = dialog.locator(".mention-list a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert any(h.startswith("#hen:") for h in hrefs) and any(h.startswith("#lv:") for h in hrefs)
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus moved into the dialog
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#entity-stalin"  # focus comes back


def test_hovering_a_name_highlights_it_in_the_other_text(live_server, page):
    page.goto(live_server + "/read")
    page.hover(f"{LEFT} a[href='#entity-stalin'] >> nth=0")
    assert page.locator(f"{RIGHT} .same-entity[href='#entity-stalin']").count() > 0


def test_received_and_corrected_text_toggle(live_server, page):
    page.goto(live_server + "/read")
    text = visible_text(page, "lv:5.1.6")
    assert "mobilizācija" in text and "moblizācija" not in text
    page.check("#reading-received")
    text = visible_text(page, "lv:5.1.6")
    assert "moblizācija" in text and "mobilizācija" not in text
    assert "reading=received" in page.url
    page.check("#reading-edited")
    assert "mobilizācija" in visible_text(page, "lv:5.1.6")


def test_names_can_be_switched_off(live_server, page):
    page.goto(live_server + "/read")
    name = page.locator(f"{LEFT} a[href^='#entity-'] >> nth=0")
    assert name.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    page.check("#names-off")
    assert name.evaluate("a => getComputedStyle(a).textDecorationLine") == "none"


def test_no_request_leaves_the_machine(live_server, page):
    for url in ("/", "/read", "/read?at=lv:5.1.6", "/documents/lv", "/about"):
        page.goto(live_server + url)
        page.wait_for_load_state("networkidle")
    assert page.requests_made and all(u.startswith(live_server) for u in page.requests_made), \
        [u for u in page.requests_made if not u.startswith(live_server)]


@pytest.mark.parametrize("url", ["/read", "/read?left=lv&right=lv-en&reading=received", "/", "/about", "/documents/lv"])
def test_axe_finds_nothing_serious(live_server, page, url):
    page.goto(live_server + url)
    assert serious(page) == []


def test_axe_with_the_entity_dialog_open(live_server, page):
    page.goto(live_server + "/read")
    page.click(f"{LEFT} a[href^='#entity-'] >> nth=0")
    page.wait_for_selector("#entity-dialog[open] .entity-card")
    assert serious(page) == []


@pytest.mark.parametrize("url", ["/read", "/read?at=lv:6.1.1", "/", "/documents/lv", "/about"])
def test_no_horizontal_scroll_at_390(live_server, browser, url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        pg = context.new_page()
        pg.goto(live_server + url)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        if url.startswith("/read"):
            left, right = pg.locator("article.column-left").bounding_box(), pg.locator("article.column-right").bounding_box()
            assert right["y"] >= left["y"] + left["height"] - 1  # stacked
            assert not pg.is_visible("#show-right")  # the options are folded on a small screen
            pg.click(".read-panel > summary")
            pg.check("#show-right")
            assert not pg.locator("article.column-left").is_visible() and pg.locator("article.column-right").is_visible()
            assert serious(pg) == []
    finally:
        context.close()


def test_the_page_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        pg = context.new_page()
        pg.goto(live_server + "/read")
        assert pg.locator("article.column-left").is_visible() and pg.locator("article.column-right").is_visible()
        assert "mobilizācija" in visible_text(pg, "lv:5.1.6")
        assert pg.locator("#sync").is_hidden()
        pg.click(f"#pane-left a[href='#entity-stalin'] >> nth=0")  # a link to the card in the page
        assert pg.url.endswith("#entity-stalin") and pg.locator("#entity-stalin").is_visible()
        pg.check("#reading-received")
        pg.click(".read-controls button[type=submit]")
        assert "reading=received" in pg.url
        assert "moblizācija" in visible_text(pg, "lv:5.1.6") and "mobilizācija" not in visible_text(pg, "lv:5.1.6")
        pg.click("a.swap")
        assert pg.locator("article.column-left").get_attribute("lang") == "lv"
        pg.goto(live_server + "/read#lv:3.1.1")
        box = pg.locator(sel("lv:3.1.1")).bounding_box()
        assert 0 <= box["y"] < 900
    finally:
        context.close()
