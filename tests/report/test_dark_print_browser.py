"""Reports follow the phone's dark setting and print on A4 without cut tables (real Chromium, the
shared demo batch's pages). Screenshots of both, for review, are committed under docs/screenshots/."""

from __future__ import annotations

import pytest
from test_pages_browser import CHROMIUM
from test_report_scans import page_path

from conftest import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped")]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the `test` extra")

PAGES = ["private_domain", "store_overview", "growth", "index"]
A4_WIDTH = 794  # CSS px of an A4 page at 96 dpi (portrait); the index prints landscape
A4_LANDSCAPE = 1123

COLOURS = """() => {
  const lum = (css) => {
    const [r, g, b] = css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const body = getComputedStyle(document.body);
  const card = document.querySelector(".wx-card");
  return {background: lum(body.backgroundColor), text: lum(body.color),
          card: card ? lum(getComputedStyle(card).backgroundColor) : null};
}"""
# Tables whose content is wider than their box (so a printout would cut them), and the page width.
PRINT = """() => ({
  page: document.documentElement.scrollWidth,
  cut: [...document.querySelectorAll("table")].filter(t => t.scrollWidth > t.clientWidth + 1).length,
  tables: document.querySelectorAll("table").length,
})"""


@pytest.fixture(scope="module")
def chromium():
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _open(chromium, path, **context):
    ctx = chromium.new_context(**context)
    page = ctx.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    return ctx, page


@pytest.mark.parametrize("name", PAGES)
def test_dark_setting_gives_a_dark_page_with_light_text(demo_project, chromium, name):
    path = page_path(demo_project, "zh", name)
    for scheme, dark in (("dark", True), ("light", False)):
        ctx, page = _open(chromium, path, viewport={"width": 390, "height": 844}, color_scheme=scheme)
        try:
            c = page.evaluate(COLOURS)
        finally:
            ctx.close()
        if dark:
            assert c["background"] < 0.05 and c["text"] > 0.6, (scheme, c)
            assert c["card"] is None or c["card"] < 0.05, (scheme, c)
        else:
            assert c["background"] > 0.9 and c["text"] < 0.1, (scheme, c)


@pytest.mark.parametrize("name", PAGES)
def test_print_on_a4_cuts_no_table(demo_project, chromium, name):
    width = A4_LANDSCAPE if name == "index" else A4_WIDTH
    path = page_path(demo_project, "zh", name)
    ctx, page = _open(chromium, path, viewport={"width": width, "height": 1123})
    try:
        page.emulate_media(media="print")
        p = page.evaluate(PRINT)
    finally:
        ctx.close()
    assert p["tables"] >= 1 and p["cut"] == 0 and p["page"] <= width, p


def test_dark_and_print_screenshots_are_committed_for_review():
    shots = ROOT / "docs" / "screenshots"
    for name in ("private_domain", "store_overview", "index"):
        for kind in ("dark-390", "print-a4"):
            path = shots / f"{name}-{kind}.png"
            assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


ROWS = """() => [...document.querySelectorAll("table.cmp tr.store-row")].map(tr => ({
  store: tr.dataset.store, hidden: tr.hidden, v: tr.cells[1].dataset.v}))"""


def test_the_index_sorts_by_a_column_and_filters_stores(demo_project, chromium):
    """Inline script, nothing fetched: tap a figure's header to sort the stores by it, largest
    first (again to reverse; stores without the figure last), type in the box to keep matching
    stores only."""
    path = page_path(demo_project, "zh", "index")
    ctx, page = _open(chromium, path, viewport={"width": 390, "height": 844})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        header = page.locator("table.cmp thead th").nth(1)  # 下单客户数
        header.click()
        down = page.evaluate(ROWS)
        header.click()
        up = page.evaluate(ROWS)
        page.fill("#wx-filter", "demo")
        filtered = page.evaluate(ROWS)
        shown_reports = page.evaluate("""() => [
            ...document.querySelectorAll("table:not(.cmp) tr[data-store]")
        ].filter(tr => !tr.hidden).map(tr => tr.dataset.store)""")
        sort_state = header.get_attribute("aria-sort")
    finally:
        ctx.close()
    values = [float(r["v"]) for r in up if r["v"]]
    assert values == sorted(values) and len(values) >= 2
    assert [float(r["v"]) for r in down if r["v"]] == sorted(values, reverse=True)
    assert down[0]["store"] == "demo_01" and sort_state == "ascending"
    assert [r["store"] for r in filtered if not r["hidden"]] == ["demo_01"]
    assert shown_reports == ["demo_01"] and not errors
