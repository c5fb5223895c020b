"""The site as a reader uses it, in headless Chromium: no WCAG 2.1 A/AA violation that
axe-core finds on any kind of page, the comparison table's header row in view while the table
scrolls, each row linked to its item's page, changes announced to a screen reader, and no
page wider than a phone's screen.

The published site is ``test_site``'s example (one realistic history, built once for the
module), and for the pages of an assessment with opinions, the fictional example of the whole
cycle (examples/cycle). Every test here is marked ``browser``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .test_example_cycle import CYCLE_SLUG
from .test_site import CHROMIUM, CHROMIUM_ARGS, SLUG, example, served
from .test_site_opinions import cycle_site, served_cycle

# the fixtures these tests take, by name
__all__ = ["cycle_site", "example", "served", "served_cycle"]

NO_CHROMIUM = "needs Debian's chromium at /usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM)]

#: One page of each kind the site publishes (URL relative to the site root). A new kind of
#: page goes here, and every test that walks the site covers it.
EVERY_KIND_OF_PAGE = {
    "home": "",
    "overview": f"{SLUG}/",
    "table": f"{SLUG}/table/",
    "changes (別添3)": f"{SLUG}/changes/",
    "item list": f"{SLUG}/items/",
    "item": f"{SLUG}/items/itaku2-name/",
    "document": f"{SLUG}/document/",
    "version": f"{SLUG}/versions/R2.6.30/",
    "draft": f"{SLUG}/draft/",
    "404": "404.html",
}

#: The pages of an assessment with opinions, on the site of the fictional example of the whole
#: cycle (examples/cycle, ``served_cycle``): test_site's example has none.
CYCLE_KINDS_OF_PAGE = {
    "opinions": f"{CYCLE_SLUG}/opinions/",
    "overview with opinions": f"{CYCLE_SLUG}/",
}

#: The pages a phone must show without sideways scrolling.
PHONE_PAGES = (
    "overview",
    "table",
    "item list",
    "document",
    "version",
    "changes (別添3)",
    "item",
    "draft",
)

#: axe-core's tags for WCAG 2.0 and 2.1, levels A and AA (JIS X 8341-3:2016 level AA).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any, url: str, viewport: dict[str, int]) -> Any:
    page = browser.new_page(viewport=viewport)
    page.goto(url)
    page.wait_for_load_state("load")
    return page


def every_page(served: str, served_cycle: str) -> list[tuple[str, str]]:
    """(kind, URL) of one page of each kind, on the site that has it."""
    return [(kind, served + url) for kind, url in EVERY_KIND_OF_PAGE.items()] + [
        (kind, served_cycle + url) for kind, url in CYCLE_KINDS_OF_PAGE.items()
    ]


def test_no_page_has_a_wcag_21_aa_violation(browser: Any, served: str, served_cycle: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found: dict[str, list[str]] = {}
    for kind, url in every_page(served, served_cycle):
        for viewport in (DESKTOP, PHONE):
            page = open_page(browser, url, viewport)
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
            violations = results.response["violations"]
            page.close()
            found.update(
                {
                    f"{kind} at {viewport['width']}px: {v['id']} ({v['impact']})": [
                        str(node["target"]) for node in v["nodes"][:5]
                    ]
                    for v in violations
                }
            )
            assert results.response["passes"] or violations, f"axe did not run on {kind}"
    assert found == {}


def test_the_table_header_stays_in_view_while_the_table_scrolls(browser: Any, served: str) -> None:
    for viewport in ({"width": 1440, "height": 300}, {"width": 390, "height": 300}):
        width = viewport["width"]
        page = open_page(browser, served + f"{SLUG}/table/", viewport)
        table = page.locator("table.piakit-table")
        header = table.locator("thead th").first
        first_row = table.locator("tbody tr").first
        assert table.bounding_box()["height"] > 2 * viewport["height"], "too short to scroll"
        # The reader has come down to the table (its top just under Material's header), then
        # scrolls on with the wheel over it.
        bar = page.locator(".md-header").bounding_box()
        top = page.locator(".piakit-table-wrap").bounding_box()["y"]
        page.evaluate(f"window.scrollBy(0, {top - bar['height']})")
        before = first_row.bounding_box()["y"]
        page.mouse.move(width / 2, viewport["height"] * 2 / 3)
        for _ in range(2):  # less than the frame can scroll, so the frame stays in place
            page.mouse.wheel(0, viewport["height"] // 2)
            page.wait_for_timeout(100)
        assert first_row.bounding_box()["y"] < before - 200, (width, "the rows did not move")
        now = header.bounding_box()
        assert bar["height"] - 1 <= now["y"] <= bar["height"] + 2, (width, "header gone", now)
        assert header.inner_text() == "対応する評価書の項目"
        page.close()


def test_on_a_phone_the_table_scrolls_sideways_in_its_frame_with_the_item_column(
    browser: Any, served: str
) -> None:
    page = open_page(browser, served + f"{SLUG}/table/", PHONE)
    frame = page.locator(".piakit-table-wrap")
    item = page.locator("table.piakit-table tbody th.item").first
    page_cell = page.locator("table.piakit-table tbody td.page").first
    before = item.bounding_box(), page_cell.bounding_box()
    frame.evaluate("e => e.scrollBy(300, 0)")
    page.wait_for_timeout(100)
    assert frame.evaluate("e => e.scrollLeft") > 0, "the table does not scroll in its frame"
    assert item.bounding_box()["x"] == before[0]["x"]  # the item column stays
    assert page_cell.bounding_box()["x"] < before[1]["x"] - 200  # the other columns move
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


def test_each_row_links_to_its_item_page(browser: Any, served: str) -> None:
    page = open_page(browser, served + f"{SLUG}/table/", DESKTOP)
    items = page.locator("table.piakit-table tbody th.item")
    assert items.count() >= 3
    assert items.locator("a").count() == items.count()
    row = items.filter(has_text="⑥委託先名").first
    link = row.locator("a")
    path = link.inner_text().replace("\n", " ")
    with page.expect_navigation():
        link.click()
    assert page.url.startswith(served + f"{SLUG}/items/")
    assert page.url.endswith("/") and page.locator("section.piakit-revision").count() >= 1
    assert path.split(" ")[-1] in page.locator("article").inner_text()
    page.close()


def test_changes_are_tinted_on_screen_underlined_in_print_and_heard(
    browser: Any, served: str
) -> None:
    page = open_page(browser, served + f"{SLUG}/table/", DESKTOP)
    mark = page.locator("table.piakit-table ins.chg").first
    style = "e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).backgroundColor]"
    line, tint = mark.evaluate(style)
    assert "underline" in line and tint not in ("rgba(0, 0, 0, 0)", "transparent")
    cell = page.locator("table.piakit-table td.text").filter(has=page.locator("ins.chg")).first
    heard = cell.aria_snapshot()
    assert f"insertion:［変更］{mark.inner_text()}［変更ここまで］" in heard.replace(" ", ""), heard
    caption = page.locator("table.piakit-table caption")
    assert caption.inner_text().startswith("修正等を要する部分とその内容")
    legend, frame = page.locator(".piakit-legend"), page.locator(".piakit-table-wrap")
    assert legend.bounding_box()["y"] < frame.bounding_box()["y"]  # the legend above the table
    page.emulate_media(media="print")
    line, tint = mark.evaluate(style)
    assert "underline" in line and tint == "rgba(0, 0, 0, 0)"
    header = page.locator("table.piakit-table thead th").first
    assert header.evaluate("e => getComputedStyle(e).position") == "static"
    page.close()


def test_no_page_is_wider_than_a_phone(browser: Any, served: str, served_cycle: str) -> None:
    pages = [(kind, served + EVERY_KIND_OF_PAGE[kind]) for kind in PHONE_PAGES]
    pages += [(kind, served_cycle + url) for kind, url in CYCLE_KINDS_OF_PAGE.items()]
    for kind, url in pages:
        page = open_page(browser, url, PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (kind, width)
        page.close()
    page = open_page(browser, served + f"{SLUG}/table/", PHONE)
    lines = "e => { const r = document.createRange(); r.selectNodeContents(e); "
    lines += "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    assert page.locator("table.piakit-table thead th").nth(1).inner_text() == "ページ"
    assert page.locator("table.piakit-table thead th").nth(1).evaluate(lines) == 1
    page.goto(served + f"{SLUG}/")
    # The milestone ids and commits are in the folded record: open it, as a reviewer does.
    page.locator("details.piakit-commit > summary").first.click()
    page.set_viewport_size(PHONE)  # the same width, laid out again with the record open
    ids = page.locator("details.piakit-commit[open] table.piakit-facts code")
    assert ids.count() >= 3
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], ("overview with the record open", width)
    assert [ids.nth(i).evaluate(lines) for i in range(ids.count())] == [1] * ids.count()
    page.close()
