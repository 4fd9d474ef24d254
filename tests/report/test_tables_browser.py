"""Tables that fit (issue 21), in a real browser: every demo report page (zh and en) opened from its
file in headless Chromium at 390 × 844 with the network cut off, as in test_pages_browser.py.

Nothing reaches past the right edge of the screen unless it lies in a deliberate scroll container
(:data:`wxshop.report.tables.SCROLL_CONTAINERS`); a table wider than the screen keeps its first
column at the box's left edge when scrolled sideways and shows the swipe hint; every table links a
CSV that exists beside the page and holds the table's columns and rows. All pages come from the
shared demo batch (``demo_project`` in conftest.py); Chromium is the system's, never downloaded.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from test_pages_browser import CHROMIUM, PHONE, fontconfig_with_cjk
from test_report_scans import page_path

from conftest import DEMO_REPORTS, demo_report_names
from wxshop.report.tables import SCROLL_SELECTOR

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped")]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the `test` extra")

PAGES = [(lang, name) for lang in DEMO_REPORTS for name in demo_report_names()]
PAGE_IDS = [f"{lang}-{name}" for lang, name in PAGES]

# Elements whose right edge lies past the screen's, unless the nearest ancestor that clips them
# sideways is a deliberate scroll container (one that scrolls and matches the selector list).
OUTSIDE = """(selector) => {
  const width = window.innerWidth, out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let up = el.parentElement, held = false;
    for (; up && up !== document.documentElement; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow !== "visible") {
        held = (overflow === "auto" || overflow === "scroll") && up.matches(selector);
        break;
      }
    }
    if (!held) out.push(`<${el.tagName.toLowerCase()} class="${el.className}"> right edge at `
                        + `${Math.round(box.right)}px`);
  }
  return {out, page: document.documentElement.scrollWidth, width};
}"""
# Each table box of Report.table: does it overflow, is its hint shown, its CSV link, its shape.
BOXES = """() => ({
  tables: document.querySelectorAll("table.wx-table").length,
  boxed: document.querySelectorAll(".wx-scroll > table.wx-table.wx-pin").length,
  boxes: [...document.querySelectorAll(".wx-tablebox")].map(box => {
    const scroll = box.querySelector(".wx-scroll"), hint = box.querySelector(".wx-scroll-hint");
    if (!scroll) return {region: false};
    const table = scroll.querySelector("table"), link = box.querySelector(".wx-table-csv a");
    const style = getComputedStyle(scroll), image = style.backgroundImage;
    return {
      overflows: scroll.scrollWidth > scroll.clientWidth + 1,
      hint: !!hint && !hint.hidden && hint.getBoundingClientRect().height > 0
            && getComputedStyle(hint).visibility === "visible" && hint.textContent.trim().length > 0,
      region: scroll.getAttribute("role") === "region" && scroll.tabIndex === 0
              && !!scroll.getAttribute("aria-label"),
      scrolls: style.overflowX === "auto" || style.overflowX === "scroll",
      shadow: image.includes("radial-gradient") && style.backgroundAttachment.includes("local"),
      headers: [...table.querySelectorAll("thead th")].map(th => th.textContent.trim()),
      rows: table.querySelectorAll("tbody tr").length,
      href: link ? link.getAttribute("href") : null,
    };
  }),
})"""
# In each table wider than its box: scroll the box to its end and see where the first column went.
PINNED = """() => {
  const out = [];
  for (const scroll of document.querySelectorAll(".wx-scroll")) {
    if (scroll.scrollWidth <= scroll.clientWidth + 1) continue;
    scroll.scrollIntoView({block: "start"});
    const rows = [...scroll.querySelectorAll("tr")].filter(r => r.cells.length > 1);
    const lefts = () => rows.map(r => [r.cells[0].getBoundingClientRect().left,
                                       r.cells[1].getBoundingClientRect().left]);
    const before = lefts();
    scroll.scrollLeft = scroll.scrollWidth;
    const after = lefts();
    const head = rows[0].cells[0].getBoundingClientRect();
    const hit = document.elementFromPoint(head.left + 3, head.top + head.height / 2);
    out.push({
      edge: scroll.getBoundingClientRect().left + scroll.clientLeft,
      moved: scroll.scrollLeft, before, after,
      onTop: !!hit && rows[0].cells[0].contains(hit),
      colours: rows.map(r => getComputedStyle(r.cells[0]).backgroundColor),
    });
    scroll.scrollLeft = 0;
  }
  return out;
}"""


def _alpha(css: str) -> float:
    parts = re.findall(r"[\d.]+", css)
    return float(parts[3]) if css.startswith("rgba") and len(parts) >= 4 else 1.0


def _luminance(css: str) -> float:
    """Relative luminance (WCAG) of a CSS rgb()/rgba() colour: 0 black, 1 white."""
    r, g, b = ((v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
               for v in (float(x) / 255 for x in re.findall(r"[\d.]+", css)[:3]))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


class Phone:
    """Opens files in a fresh context each: phone viewport, network cut off (every request but
    the file itself and ``data:`` aborted)."""

    def __init__(self, browser):
        self.browser = browser

    def open(self, path: Path, **context):
        url = path.resolve().as_uri()
        ctx = self.browser.new_context(viewport=PHONE, **context)
        ctx.route("**/*", lambda route: route.continue_() if route.request.url == url
                  or route.request.url.startswith("data:") else route.abort())
        page = ctx.new_page()
        page.goto(url, wait_until="load")
        return ctx, page


@pytest.fixture(scope="module")
def phone(tmp_path_factory):
    conf = fontconfig_with_cjk(tmp_path_factory.mktemp("fontconfig"))  # Chinese text as wide as on a phone
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        try:
            yield Phone(chromium)
        finally:
            chromium.close()


def measure(phone: Phone, path: Path, **context) -> dict:
    ctx, page = phone.open(path, **context)
    try:
        return {"outside": page.evaluate(OUTSIDE, SCROLL_SELECTOR), **page.evaluate(BOXES),
                "pinned": page.evaluate(PINNED)}
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def pages(demo_project, phone) -> dict[tuple[str, str], dict]:
    """Every demo report page, measured once."""
    out = {}
    for lang, name in PAGES:
        path = page_path(demo_project, lang, name)
        assert path.is_file(), f"the demo build wrote no {path}"
        out[lang, name] = {"path": path, **measure(phone, path)}
    return out


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_nothing_is_wider_than_the_screen_outside_a_scroll_container(pages, lang, name):
    """Failing means something on the page (a table, a chart, a line of text) reaches past the
    right edge of a 390 px screen without being in a deliberate sideways-scrolling box: the
    reader must scroll the whole page sideways, or part of it is cut off."""
    m = pages[lang, name]
    assert m["outside"]["page"] <= m["outside"]["width"], m["outside"]
    assert not m["outside"]["out"], m["outside"]["out"][:10]


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_every_table_is_in_its_box_with_a_hint_when_wider_than_the_screen(pages, lang, name):
    """Failing means a table of the report is not in its scrolling box (its first column pinned),
    or a table wider than the screen shows no swipe hint (or a table that fits shows one)."""
    m = pages[lang, name]
    assert m["tables"] >= 1 and m["boxed"] == m["tables"] == len(m["boxes"]), m
    for box in m["boxes"]:
        assert box["region"] and box["scrolls"] and box["shadow"], box
        assert box["hint"] == box["overflows"], box


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_first_column_stays_pinned_when_a_wide_table_scrolls(pages, lang, name):
    """Failing means that after swiping a wide table sideways its first column (what each row
    is) slides out of view, or the columns passing under it show through it."""
    for t in pages[lang, name]["pinned"]:
        assert t["moved"] > 0, t
        for (first0, second0), (first1, second1) in zip(t["before"], t["after"], strict=True):
            assert abs(first1 - t["edge"]) <= 1 and abs(first0 - t["edge"]) <= 1, t
            assert second0 - second1 >= t["moved"] - 1, t  # the other columns did scroll
        assert t["onTop"], t
        assert all(_alpha(c) == 1.0 for c in t["colours"]), t["colours"]


def test_some_demo_tables_are_wider_than_the_screen(pages):
    """The two tests above check the pinned column and the hint on wide tables: the demo pages
    must hold some (in both languages), or those checks would pass on nothing."""
    for lang in DEMO_REPORTS:
        wide = sum(len(m["pinned"]) for (la, _), m in pages.items() if la == lang)
        assert wide >= 3, (lang, wide)


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_every_csv_link_opens_a_file_with_the_tables_columns_and_rows(pages, lang, name):
    """Failing means a table's CSV link leads nowhere, or the file is not the table shown."""
    m = pages[lang, name]
    for box in m["boxes"]:
        assert box["href"] and not box["href"].startswith(("/", "file:", "http")), box
        target = m["path"].parent / unquote(box["href"])
        assert target.is_file(), target
        raw = target.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), target
        header, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig")))  # headers may repeat
        assert header == box["headers"] and len(rows) == box["rows"], (target, header, box)


def _first_wide_page(pages) -> Path:
    return next(m["path"] for m in pages.values() if m["pinned"])


def test_dark_mode_pins_the_column_on_the_dark_page(pages, phone):
    """The pinned column hides what scrolls under it with the page's own colour, dark too."""
    m = measure(phone, _first_wide_page(pages), color_scheme="dark")
    t = m["pinned"][0]
    assert all(_alpha(c) == 1.0 and _luminance(c) < 0.05 for c in t["colours"]), t["colours"]


def test_without_the_script_the_page_still_fits_and_scrolls(pages, phone):
    """The hint's script is extra: with scripts off nothing sticks out, wide tables still scroll
    with their first column pinned and the edge shadow, and the hint stays hidden."""
    m = measure(phone, _first_wide_page(pages), java_script_enabled=False)
    assert not m["outside"]["out"] and m["outside"]["page"] <= PHONE["width"], m["outside"]
    assert m["pinned"] and all(t["moved"] > 0 and abs(t["after"][0][0] - t["edge"]) <= 1
                               for t in m["pinned"]), m["pinned"]
    assert all(box["shadow"] and not box["hint"] for box in m["boxes"]), m["boxes"]


def test_the_width_check_catches_a_table_out_of_its_box(pages, phone, tmp_path):
    """The first check can fail: the same page with its tables' boxes taken away (each table then
    scrolls by itself, which a check that allows any scrolling ancestor would let pass) is caught,
    and so is the page whose tables then neither scroll nor fit."""
    source = _first_wide_page(pages).read_text(encoding="utf-8")
    unboxed = source.replace('class="wx-scroll" role="region"', 'class="wx-plain" role="region"')
    assert unboxed != source
    (tmp_path / "unboxed.html").write_text(unboxed, encoding="utf-8")
    m = measure(phone, tmp_path / "unboxed.html")
    assert m["outside"]["out"] and m["boxes"] and not m["boxed"], m["outside"]
    stretched = unboxed.replace("</head>", "<style>body.jp-Notebook .jp-RenderedHTMLCommon table.wx-table "
                                           "{ display: table; overflow: visible; }</style></head>", 1)
    (tmp_path / "stretched.html").write_text(stretched, encoding="utf-8")
    m = measure(phone, tmp_path / "stretched.html")
    # the page itself may not widen (an outer box clips it) but the table is then cut off: caught
    assert any("wx-table" in line for line in m["outside"]["out"]), m["outside"]
