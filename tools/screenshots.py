"""Screenshots for review (docs/screenshots/): reports and the index of a finished batch at a
phone's size (390 × 844) in the light and dark schemes, first screen and a chart, and in print
media at A4 width. Real Chromium (wxshop.report.pdf.find_chromium), offline.

    .venv/bin/python tools/screenshots.py reports/ demo_01 [docs/screenshots]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from wxshop.report.pdf import find_chromium

PHONE = {"width": 390, "height": 844}
A4 = {"portrait": 794, "landscape": 1123}  # CSS px at 96 dpi
PAGES = ("store_overview", "user_profiling", "private_domain", "index")


def _only(url: str):
    """A route handler letting through the page itself and data: URIs, nothing else."""

    def handle(route) -> None:
        wanted = route.request.url
        route.continue_() if wanted == url or wanted.startswith("data:") else route.abort()

    return handle


def shoot(reports: Path, store: str, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), headless=True)
        try:
            for name in PAGES:
                path = reports / "index.html" if name == "index" else reports / store / f"{name}.html"
                url = path.resolve().as_uri()
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
                    context.route("**/*", _only(url))
                    page = context.new_page()
                    page.goto(url, wait_until="load")
                    page.evaluate("document.fonts.ready")
                    target = out / f"{name}-{scheme}-390.png"
                    page.screenshot(path=str(target))
                    written.append(target)
                    chart = page.query_selector("img.wx-chart")
                    if scheme == "light" and chart is not None:
                        chart.scroll_into_view_if_needed()
                        target = out / f"{name}-chart-390.png"
                        page.screenshot(path=str(target))
                        written.append(target)
                    context.close()
                width = A4["landscape" if name == "index" else "portrait"]
                context = browser.new_context(viewport={"width": width, "height": 1123})
                page = context.new_page()
                page.goto(url, wait_until="load")
                page.emulate_media(media="print")
                target = out / f"{name}-print-a4.png"
                page.screenshot(path=str(target))
                written.append(target)
                context.close()
        finally:
            browser.close()
    return written


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    folder = Path(sys.argv[3]) if len(sys.argv) > 3 else Path("docs/screenshots")
    for shot in shoot(Path(sys.argv[1]), sys.argv[2], folder):
        print(shot)
