"""Charts as a phone shows them (real Chromium, 390 × 844): the smallest text of every chart on
every demo report, in CSS px, computed from the chart's smallest font size (pt), the DPI it was
rendered at and the width the browser displays it at:

    smallest px = min_text_pt × dpi / 72 × displayed width / natural width

(pt × dpi / 72 is the text's height in the PNG's pixels; the browser scales those by displayed ÷
natural width). The page carries the first two on each chart (``data-min-text-pt``,
``data-dpi``, written by wxshop.report.chartfit); the browser measures the rest. Also: each chart
has alt text from its data, and none is wider than the screen."""

from __future__ import annotations

import pytest
from test_pages_browser import CHROMIUM, pytestmark  # noqa: F401  (slow; skipped without Chromium)
from test_report_scans import page_path

from conftest import DEMO_REPORTS, demo_report_names
from wxshop.report.chartfit import MIN_TEXT_PX

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the `test` extra")

PHONE = {"width": 390, "height": 844}
PAGES = [(lang, name) for lang in DEMO_REPORTS for name in demo_report_names()]
NBCONVERT_ALT = "No description has been provided for this image"
CHARTS = """() => [...document.querySelectorAll("img")].map(img => ({
  chart: img.classList.contains("wx-chart"),
  alt: img.getAttribute("alt") || "",
  pt: parseFloat(img.dataset.minTextPt), dpi: parseFloat(img.dataset.dpi),
  natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
  right: img.getBoundingClientRect().right,
}))"""


def smallest_px(chart: dict) -> float:
    """The smallest chart text in CSS px (see the module's docstring)."""
    return chart["pt"] * chart["dpi"] / 72 * chart["shown"] / chart["natural"]


@pytest.fixture(scope="module")
def measured(demo_project):
    """Every demo report page's pictures, measured once at phone size."""
    out = {}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            for lang, name in PAGES:
                context = browser.new_context(viewport=PHONE)
                page = context.new_page()
                page.goto(page_path(demo_project, lang, name).resolve().as_uri(), wait_until="load")
                out[lang, name] = page.evaluate(CHARTS)
                context.close()
        finally:
            browser.close()
    return out


@pytest.mark.parametrize("lang, name", PAGES, ids=[f"{lang}-{name}" for lang, name in PAGES])
def test_every_chart_text_is_at_least_11_css_px_on_a_phone(measured, lang, name):
    """Failing names the charts whose smallest text a phone shows under 11 CSS px: a chart drawn
    wider than the phone's column (and shrunk), or with a font size under 8.25 pt."""
    images = measured[lang, name]
    assert all(i["chart"] for i in images), "a picture not drawn through Report.figure"
    small = [(i["alt"][:40], round(smallest_px(i), 2)) for i in images if smallest_px(i) < MIN_TEXT_PX]
    assert not small, small
    assert all(i["right"] <= PHONE["width"] for i in images), [i["right"] for i in images]


@pytest.mark.parametrize("lang, name", PAGES, ids=[f"{lang}-{name}" for lang, name in PAGES])
def test_every_chart_has_alt_text_from_its_data(measured, lang, name):
    """Failing means a screen reader (or a reader whose image did not load) gets nbconvert's
    placeholder or nothing instead of what the chart shows."""
    for image in measured[lang, name]:
        assert image["alt"] and NBCONVERT_ALT not in image["alt"], image["alt"]
        assert any(ch.isdigit() for ch in image["alt"]), image["alt"]


def test_the_demo_reports_have_charts(measured):
    """The checks above look at something: most demo reports show charts."""
    with_charts = [key for key, images in measured.items() if images]
    assert len(with_charts) >= len(PAGES) // 2, with_charts


def test_the_measure_catches_a_shrunk_desktop_chart(tmp_path):
    """A chart drawn 7.5 in wide at 96 dpi with 8 pt ticks (as before) and squeezed into the
    phone's column measures under 11 px; the same text at the phone's width passes."""
    from PIL import Image

    Image.new("RGB", (720, 364), "white").save(tmp_path / "desktop.png")  # 7.5 × 3.8 in at 96 dpi
    page = tmp_path / "desktop.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
        '<style>body{margin:0 12px} img{max-width:100%;height:auto}</style></head><body>'
        '<img class="wx-chart" alt="x 1" data-min-text-pt="8" data-dpi="96" src="desktop.png">'
        "</body></html>", encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            context = browser.new_context(viewport=PHONE)
            p = context.new_page()
            p.goto(page.as_uri(), wait_until="load")
            (image,) = p.evaluate(CHARTS)
        finally:
            browser.close()
    assert image["natural"] == 720 and abs(image["shown"] - 366) < 1
    assert smallest_px(image) < MIN_TEXT_PX  # 8 pt at 96 dpi, 720 px shown at 366: 5.4 px
    assert smallest_px({**image, "shown": 720, "pt": 8.25}) >= MIN_TEXT_PX
