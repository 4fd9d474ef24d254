"""Reports printed to PDF (``wxshop run --pdf``, :mod:`wxshop.report.pdf`) by the system's Chromium.

The printing tests take a report and the index of the shared demo batch (``demo_project`` in
conftest.py), copied into their own folder since the batch is read-only, print them and read the
PDFs back with pypdf: A4 pages the right way round, and the page's Chinese title as text, which
only holds when the page's embedded font reached the PDF (this machine may have no Chinese font:
without the font the title would be boxes, or nothing). They are marked slow and skip when no
Chromium is found. The lookup and the messages of a machine without Playwright or a browser are
checked without one.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import DEMO_REPORTS, DEMO_STORE
from wxshop.errors import WxshopError
from wxshop.report import pdf

CHROMIUM = pdf.find_chromium()
needs_chromium = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (apt-get install chromium, or set "
                       "WXSHOP_CHROMIUM to the browser's path): PDF tests skipped"),
]
A4 = (595.3, 841.9)  # points; Chromium rounds A4 to whole CSS pixels, a point or so off
REPORT = "store_overview"


def _browser_test(fn):
    for mark in needs_chromium:
        fn = mark(fn)
    return fn


@pytest.fixture(scope="module")
def printer():
    pytest.importorskip("playwright.sync_api", reason="playwright is in the `pdf` and `test` extras")
    with pdf.PdfPrinter(CHROMIUM) as p:
        yield p


@pytest.fixture(scope="module")
def pages(demo_project, tmp_path_factory) -> dict[str, Path]:
    """A demo report and the index, copied out of the read-only shared batch."""
    folder = tmp_path_factory.mktemp("pdf_pages")
    reports = demo_project / DEMO_REPORTS["zh"]
    copied = {}
    sources = {"report": reports / DEMO_STORE / f"{REPORT}.html", "index": reports / "index.html"}
    for name, source in sources.items():
        assert source.is_file(), f"the demo build wrote no {source}"
        copied[name] = Path(shutil.copy(source, folder / source.name))
    return copied


@pytest.fixture(scope="module")
def printed(pages, printer) -> dict[str, Path]:
    return {name: printer.write_pdf(page) for name, page in pages.items()}


def read_pdf(path: Path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the `test` extra")
    assert path.read_bytes()[:5] == b"%PDF-", path
    return pypdf.PdfReader(path)


def page_sizes(reader) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}


def is_a4(size: tuple[int, int], landscape: bool) -> bool:
    width, height = A4[::-1] if landscape else A4
    return abs(size[0] - width) <= 2 and abs(size[1] - height) <= 2


def title(page: Path) -> str:
    """The page's first heading as a reader sees it (tags and entities gone)."""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(encoding="utf-8"), re.S)
    assert found, f"no <h1> in {page}"
    return htmllib.unescape(re.sub(r"<[^>]+>|¶", "", found.group(1))).strip()


def squeeze(text: str) -> str:
    """Text without white space: pypdf puts spaces between runs of glyphs (``概览： s1``)."""
    return re.sub(r"\s+", "", text)


@_browser_test
@pytest.mark.parametrize("name, landscape", [("report", False), ("index", True)])
def test_page_prints_on_a4_with_its_chinese_title_as_text(pages, printed, name, landscape):
    """Failing means the PDF is not a PDF, its pages are not A4 the way the template's print CSS
    says (a report portrait, the index landscape), or the title is missing from its text: the
    page's embedded Chinese font did not reach the PDF (printed before it loaded, or boxes)."""
    reader = read_pdf(printed[name])
    assert printed[name] == pages[name].with_suffix(".pdf")
    assert len(reader.pages) >= 1
    sizes = page_sizes(reader)
    assert all(is_a4(size, landscape) for size in sizes), sizes
    heading = title(pages[name])
    assert re.search(r"[\u4e00-\u9fff]", heading), f"expected a Chinese title, got {heading!r}"
    text = squeeze("".join(p.extract_text() for p in reader.pages[:2]))
    assert squeeze(heading) in text, (heading, text[:300])


@_browser_test
def test_a_long_report_runs_to_several_pages(printed):
    """The report is several screens long: printed on one page, it would be cut off."""
    assert len(read_pdf(printed["report"]).pages) >= 2


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self):
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@_browser_test
def test_printing_loads_nothing_but_the_file(printer, tmp_path):
    """Failing means a page being printed reached the network: a server on this machine that the
    page links a stylesheet, an image and a script from sees a request."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        page = tmp_path / "page.html"
        page.write_text(f'<!DOCTYPE html><html><head><link rel="stylesheet" href="{base}/a.css">'
                        f'<script src="{base}/b.js"></script></head><body><p>离线</p>'
                        f'<img src="{base}/c.png"><img src="data:image/gif;base64,'
                        'R0lGODlhAQABAAAAACw="></body></html>', encoding="utf-8")
        written = printer.write_pdf(page)
    finally:
        server.shutdown()
    assert written.read_bytes()[:5] == b"%PDF-"
    assert _Recorder.seen == []


@_browser_test
def test_a_page_that_fails_leaves_no_pdf_and_the_others_print(printer, tmp_path):
    """Failing means a failed page kept an earlier run's PDF (which would pass for this run's),
    stopped the pages after it, or left a temporary file behind."""
    good, gone = tmp_path / "good.html", tmp_path / "gone.html"
    good.write_text("<!DOCTYPE html><p>ok</p>", encoding="utf-8")
    (tmp_path / "gone.pdf").write_bytes(b"%PDF- of an earlier run")
    failed = pdf.print_pdfs([gone, good], printer)
    assert list(failed) == [gone] and "FileNotFoundError" in failed[gone]
    assert not (tmp_path / "gone.pdf").exists()
    assert (tmp_path / "good.pdf").read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.html", "good.pdf"]


# ---------------------------------------------------------------- no browser, no Playwright


def test_chromium_lookup_follows_wxshop_chromium(monkeypatch, tmp_path):
    """WXSHOP_CHROMIUM wins (a path or a command name); a bad one is named in the error with the
    fix; without it, the browsers on PATH, else an error saying how to install one."""
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pdf.ENV_CHROMIUM, str(fake))
    assert pdf.chromium_path() == str(fake)
    monkeypatch.setenv(pdf.ENV_CHROMIUM, "my-chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pdf.find_chromium() == str(fake)
    monkeypatch.setenv(pdf.ENV_CHROMIUM, str(tmp_path / "nothing"))
    with pytest.raises(WxshopError, match=r"WXSHOP_CHROMIUM is '.*nothing'.*apt-get install chromium"):
        pdf.chromium_path()
    monkeypatch.delenv(pdf.ENV_CHROMIUM)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert pdf.find_chromium() is None
    with pytest.raises(WxshopError, match=r"none was found.*apt-get install chromium.*WXSHOP_CHROMIUM"):
        pdf.chromium_path()


def test_without_playwright_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "playwright", None)  # import playwright fails
    with pytest.raises(WxshopError, match=r"Playwright.*\.\[pdf\]"):
        pdf.PdfPrinter("/usr/bin/chromium").open()
