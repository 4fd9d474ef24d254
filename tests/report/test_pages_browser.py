"""Every demo report opened in a real browser the way a store operator opens it: headless
Chromium at a phone's size (390 × 844), from a file, with the network cut off.

Each page is loaded once (file://, every request other than the file itself and data: URIs
aborted and recorded, ``alert``/``confirm``/``prompt`` replaced before any page script runs)
(and, when asked, a full-page screenshot saved); the tests then check one thing each: the page fits the
screen, logs no error, loads nothing but itself, and runs no script smuggled in through the
data. A store whose product names and channel are markup checks the last point for real.
All pages come from the shared demo batch (``demo_project`` in conftest.py).

Driver: Playwright for Python, launched with ``executable_path`` on the system's Chromium
(Debian's ``chromium`` package; ``.ci/run`` installs it). No browser is ever downloaded. The
tests skip when no Chromium is found (``chromium``, ``chromium-browser``, ``google-chrome`` on
PATH, or the path in WXSHOP_CHROMIUM: :func:`wxshop.report.pdf.find_chromium`, the lookup of
``wxshop run --pdf``). Screenshots are taken when WXSHOP_ARTIFACTS names a folder for them (a
full-page PNG of each page costs CPU and nobody looks at them in a routine run).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import DEMO_REPORTS, DEMO_STORE, IMG, SCRIPT, demo_report_names, tell
from wxshop.report import plots
from wxshop.report.pdf import find_chromium
from wxshop.report.tables import SCROLL_SELECTOR

CHROMIUM = find_chromium()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (apt-get install chromium, or set "
                       "WXSHOP_CHROMIUM to the browser's path): browser tests skipped"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the `test` extra")

PHONE = {"width": 390, "height": 844}
PAGES = [(lang, name) for lang in DEMO_REPORTS for name in [*demo_report_names(), "index"]]
PAGE_IDS = [f"{lang}-{name}" for lang, name in PAGES]

# Runs before any script of the page: a script that calls alert() (the usual payload) is
# recorded instead of opening a dialog.
TRAP = """
window.__wxDialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (...args) => { window.__wxDialogs.push(name + "(" + args.join(",") + ")"); };
}
"""
# Elements reaching past the right edge of the screen that no deliberate sideways-scrolling box
# holds (the nearest box that clips them must scroll and be one of wxshop's scroll containers,
# wxshop.report.tables.SCROLL_SELECTOR): they widen the page or are cut off.
STICKING_OUT = """() => {
  const width = window.innerWidth, out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let up = el.parentElement, scrolls = false;
    for (; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow !== "visible") {
        scrolls = (overflow === "auto" || overflow === "scroll") && up.matches(SELECTOR);
        break;
      }
    }
    const tag = `<${el.tagName.toLowerCase()} class="${el.className}">`;
    if (!scrolls) out.push(`${tag} right edge at ${Math.round(box.right)}px`);
  }
  return out;
}""".replace("SELECTOR", json.dumps(SCROLL_SELECTOR))
MEASURE = """() => ({
  innerWidth: window.innerWidth,
  html: document.documentElement.scrollWidth,
  body: document.body.scrollWidth,
  dialogs: window.__wxDialogs,
  text: document.body.innerText,
  injectedImages: document.querySelectorAll('img[src="x"]').length,
  injectedScripts: [...document.scripts].filter(s => s.textContent.includes("alert(")).length,
  cards: [...document.querySelectorAll(".wx-card")].map(c => {
    const box = c.getBoundingClientRect();
    const y = window.scrollY;
    return {top: box.top + y, bottom: box.bottom + y, left: box.left, right: box.right};
  }),
  headerTop: (() => { const h = document.querySelector(".wx-header");
                      return h ? h.getBoundingClientRect().top + window.scrollY : null; })(),
})"""


@dataclass
class Visit:
    """What happened while one page loaded, offline, at phone size."""

    url: str
    screenshot: Path | None
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    dialogs: list[str] = field(default_factory=list)
    measured: dict = field(default_factory=dict)
    sticking_out: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        return sorted({u for u in self.requests if u != self.url and not u.startswith("data:")})


class Shots:
    """Where screenshots go: the folder in WXSHOP_ARTIFACTS; without it, none are taken."""

    def __init__(self, folder: str | None):
        self.folder = Path(folder) if folder else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def __truediv__(self, name: str) -> Path | None:
        return None if self.folder is None else self.folder / name


@pytest.fixture(scope="module")
def shots() -> Shots:
    return Shots(os.environ.get("WXSHOP_ARTIFACTS"))


class Browser:
    """Opens report files in a fresh context each (phone viewport, network cut off)."""

    def __init__(self, browser):
        self.browser = browser
        self.shot_folders: set[Path] = set()

    def visit(self, path: Path, screenshot: Path | None = None) -> Visit:
        url = path.resolve().as_uri()
        v = Visit(url=url, screenshot=screenshot)
        context = self.browser.new_context(viewport=PHONE)
        try:
            context.add_init_script(TRAP)

            def only_the_file(route):
                v.requests.append(route.request.url)
                if route.request.url == url or route.request.url.startswith("data:"):
                    route.continue_()
                else:
                    route.abort()

            def console(message):
                if message.type == "error":
                    v.console_errors.append(message.text)

            def dialog(d):
                v.dialogs.append(f"{d.type}({d.message})")
                d.dismiss()

            context.route("**/*", only_the_file)
            page = context.new_page()
            page.on("request", lambda r: v.requests.append(r.url))
            page.on("console", console)
            page.on("pageerror", lambda e: v.page_errors.append(str(e)))
            page.on("dialog", dialog)
            page.goto(url, wait_until="load")
            v.measured = page.evaluate(MEASURE)
            v.dialogs += v.measured.pop("dialogs")
            v.sticking_out = page.evaluate(STICKING_OUT)
            if screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
                self.shot_folders.add(screenshot.parent)
        finally:
            context.close()
        return v


def fontconfig_with_cjk(folder: Path) -> Path:
    """A fontconfig file: the system's fonts plus the Noto Sans CJK SC file that mplfonts ships
    (the charts' font). Every phone that reads Chinese has such a font (PingFang SC, Noto Sans
    CJK …); a bare CI machine has none, and its screenshots would show Chinese as boxes."""
    fonts = folder / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    (fonts / plots.cjk_font_path().name).symlink_to(plots.cjk_font_path())
    conf = folder / "fonts.conf"
    # Our cache directory first, so fontconfig never writes one for this folder into the system's.
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f"  <cachedir>{folder / 'cache'}</cachedir>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{fonts}</dir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


@pytest.fixture(scope="module")
def browser(request, tmp_path_factory):
    """Playwright driving the system Chromium; prints where the screenshots went."""
    conf = fontconfig_with_cjk(tmp_path_factory.mktemp("fontconfig"))
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      env={**os.environ, "FONTCONFIG_FILE": str(conf)})
        driver = Browser(chromium)
        try:
            yield driver
        finally:
            chromium.close()
    for folder in sorted(driver.shot_folders):
        tell(request.config, f"\nscreenshots of the reports at phone size: {folder}")


@pytest.fixture(scope="module")
def demo_visits(demo_project, browser, shots) -> dict[tuple[str, str], Visit]:
    """Each demo report (both languages) and each index, loaded once."""
    visits = {}
    for lang, name in PAGES:
        reports = demo_project / DEMO_REPORTS[lang]
        path = reports / "index.html" if name == "index" else reports / DEMO_STORE / f"{name}.html"
        assert path.is_file(), f"the demo build wrote no {path}"
        visits[lang, name] = browser.visit(path, shots / f"{lang}-{name}.png")
    return visits


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_page_fits_a_phone_screen(demo_visits, lang, name):
    """Failing means a reader on a phone must scroll the whole page sideways (or part of it is
    cut off): some chart, table or text is wider than 390 px and not inside a box of its own
    that scrolls. The message names the elements; see the screenshot."""
    v = demo_visits[lang, name]
    widths = {k: v.measured[k] for k in ("innerWidth", "html", "body")}
    assert widths["html"] <= widths["innerWidth"] and widths["body"] <= widths["innerWidth"], (
        widths, v.sticking_out[:10], v.screenshot)
    assert not v.sticking_out, (v.sticking_out[:10], v.screenshot)


@pytest.mark.parametrize("lang, name", [(lang, name) for lang, name in PAGES if name != "index"],
                         ids=[i for i in PAGE_IDS if not i.endswith("index")])
def test_key_figure_cards_fill_the_first_screen(demo_visits, lang, name):
    """Failing means a store owner opening the report on a phone does not see the answer without
    scrolling: the key-figure cards (4–6) must lie wholly inside the first 390 × 844 screen, and
    the metadata table (period, version, parameters) comes after everything else."""
    v = demo_visits[lang, name]
    cards = v.measured["cards"]
    assert 4 <= len(cards) <= 6, (len(cards), v.screenshot)
    assert all(c["top"] >= 0 and c["bottom"] <= PHONE["height"] for c in cards), (cards, v.screenshot)
    assert all(c["left"] >= 0 and c["right"] <= PHONE["width"] for c in cards), (cards, v.screenshot)
    assert v.measured["headerTop"] is not None and v.measured["headerTop"] > 2 * PHONE["height"]


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_page_logs_no_error(demo_visits, lang, name):
    """Failing means the browser reported an error while showing the report: a script that
    throws, a resource that failed to load, a malformed style or image."""
    v = demo_visits[lang, name]
    assert not v.console_errors and not v.page_errors, (v.console_errors, v.page_errors)


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_page_loads_nothing_but_itself(demo_visits, lang, name):
    """Failing means the report asks for something beyond its own file (a CDN script, a web
    font, a picture by URL): it would be broken offline or in a chat attachment, and a request
    to a third party tells it who reads the report."""
    v = demo_visits[lang, name]
    assert v.url in v.requests, "the recorder saw not even the page itself"
    assert not v.foreign_requests, v.foreign_requests


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_page_runs_no_dialog_script(demo_visits, lang, name):
    """Failing means some script on the page called alert/confirm/prompt; reports carry no
    script of their own, so it came from the data."""
    v = demo_visits[lang, name]
    assert not v.dialogs, v.dialogs


# ------------------------------------------------------------------ markup in the store's data


@pytest.fixture(scope="module")
def markup_visits(demo_project, browser, shots) -> dict[str, Visit]:
    """The committed sample store with its two best-selling products named ``<script>…`` and
    ``<img … onerror>`` and its 社群 channel named ``<img … onerror>`` (the ``markup`` store of
    the shared build), its product_selection and store_overview reports each loaded once."""
    reports = demo_project / DEMO_REPORTS["zh"] / "markup"
    return {name: browser.visit(reports / f"{name}.html", shots / f"markup-{name}.png")
            for name in ("product_selection", "store_overview")}


@pytest.mark.parametrize("name, shown", [("product_selection", (SCRIPT, IMG)), ("store_overview", (IMG,))])
def test_markup_in_the_data_is_shown_as_text_and_never_runs(markup_visits, name, shown):
    """Failing means a product or channel name reached the page as HTML: a store's export
    could run script in the reader's browser (or the name is lost from the page)."""
    v = markup_visits[name]
    assert not v.dialogs, v.dialogs
    assert v.measured["injectedImages"] == 0 and v.measured["injectedScripts"] == 0
    assert not v.foreign_requests, v.foreign_requests  # an injected <img src=x> would ask for "x"
    for markup in shown:
        assert markup in v.measured["text"], f"{markup} not visible as text"
    assert not v.console_errors and not v.page_errors, (v.console_errors, v.page_errors)


# ------------------------------------------------------------------ the checks themselves


def test_the_checks_catch_a_bad_page(tmp_path, browser):
    """The recorder sees what the tests above look for: a too-wide box, a console error, a
    request to the network (aborted, it never leaves the machine) and an alert. If this fails,
    the tests above prove nothing."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body><div style="width:1000px">wide</div>'
        '<div class="wx-scroll" style="overflow-x:auto"><p id="ok" style="width:900px">in a box</p></div>'
        '<div style="overflow-x:auto"><p id="stray" style="width:900px">in a stray box</p></div>'
        '<img src="https://example.invalid/pixel.png">'
        "<script>console.error('boom'); alert('hi')</script></body></html>",
        encoding="utf-8",
    )
    v = browser.visit(page)
    assert v.measured["html"] > PHONE["width"] and v.sticking_out
    # a wide element in one of wxshop's scroll boxes is fine; in any other scrolling box it is not
    assert len([s for s in v.sticking_out if s.startswith("<p ")]) == 1, v.sticking_out
    assert any("boom" in e for e in v.console_errors)
    assert v.foreign_requests == ["https://example.invalid/pixel.png"]
    assert v.dialogs == ["alert(hi)"]
