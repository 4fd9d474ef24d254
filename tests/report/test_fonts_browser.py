"""Chinese text reads on a machine without Chinese fonts: every demo page, opened in real Chromium
whose fontconfig knows only matplotlib's DejaVu fonts (a bare desktop or container), draws no
character of its text (or of a search box's placeholder) as an empty box (tofu), thanks to the
glyph subset each page embeds (:mod:`wxshop.report.webfont`). The check draws each character on a
canvas in the page's own font stack and compares it with the box the browser draws for a
character no font has (U+E000, private use); the same check on a page whose embedded font was
removed finds boxes, so it can fail. Pages stay within the 2 MB a chat attachment should be,
font included."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from test_pages_browser import CHROMIUM
from test_report_scans import page_path

from conftest import DEMO_REPORTS, demo_report_names

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: browser tests skipped")]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the `test` extra")

ZH_PAGES = [*demo_report_names(), "index"]
ALL_PAGES = [(lang, name) for lang in DEMO_REPORTS for name in ZH_PAGES]
MAX_BYTES = 2_000_000

# Characters from the CJK radicals up in the page's text, each drawn in the font stack of the
# element that shows it, compared with the drawing of a character no font has.
TOFU = """async () => {
  await document.fonts.ready;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (c, family) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = `32px ${family}`;
    ctx.fillText(c, 4, 36);
    return ctx.getImageData(0, 0, 48, 48).data.join(",");
  };
  const seen = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !parent.getClientRects().length) continue;
    const family = getComputedStyle(parent).fontFamily;
    for (const c of node.textContent) {
      if (c.codePointAt(0) >= 0x2E80 && !seen.has(c)) seen.set(c, family);
    }
  }
  for (const el of document.querySelectorAll("[placeholder]")) {  // a search box's hint shows too
    if (!el.getClientRects().length) continue;
    const family = getComputedStyle(el).fontFamily;
    for (const c of el.getAttribute("placeholder")) {
      if (c.codePointAt(0) >= 0x2E80 && !seen.has(c)) seen.set(c, family);
    }
  }
  await Promise.all([...seen].map(([c, family]) => document.fonts.load(`32px ${family}`, c)));
  const tofu = [];
  for (const [c, family] of seen) {
    if (draw(c, family) === draw("\\uE000", family)) tofu.push(c);
  }
  return {checked: seen.size, tofu: tofu.join("")};
}"""


def bare_fontconfig(folder: Path) -> Path:
    """A fontconfig that knows matplotlib's DejaVu fonts and nothing else: no Chinese font."""
    conf = folder / "fonts.conf"
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <cachedir>{folder / 'cache'}</cachedir>\n  <dir>{dejavu}</dir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    conf = bare_fontconfig(tmp_path_factory.mktemp("bare_fonts"))
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin",
                                           "HOME": str(conf.parent)})
        try:
            yield chromium
        finally:
            chromium.close()


def tofu_of(browser, path: Path, drop_font: bool = False) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        local = ("file:", "data:")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local)
                      else route.abort())
        page = context.new_page()
        page.goto(path.resolve().as_uri(), wait_until="load")
        if drop_font:
            page.evaluate("() => document.getElementById('wx-font').remove()")
        return page.evaluate(TOFU)
    finally:
        context.close()


@pytest.mark.parametrize("name", ZH_PAGES)
def test_no_tofu_without_chinese_system_fonts(demo_project, bare, name):
    found = tofu_of(bare, page_path(demo_project, "zh", name))
    assert found["checked"] > 30, found  # a Chinese page: hundreds of distinct characters
    assert found["tofu"] == "", f"drawn as boxes: {found['tofu']}"


def test_the_check_sees_boxes_when_the_page_brings_no_font(demo_project, bare):
    found = tofu_of(bare, page_path(demo_project, "zh", "private_domain"), drop_font=True)
    assert len(found["tofu"]) > 0.9 * found["checked"] > 30, found


@pytest.mark.parametrize("lang, name", ALL_PAGES, ids=[f"{lang}-{name}" for lang, name in ALL_PAGES])
def test_pages_stay_within_two_megabytes(demo_project, lang, name):
    path = page_path(demo_project, lang, name)
    assert path.stat().st_size <= MAX_BYTES, f"{path.name}: {path.stat().st_size:,} bytes"
    if lang == "zh":
        assert '<style id="wx-font">@font-face' in path.read_text(encoding="utf-8")
