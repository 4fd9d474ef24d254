"""Reports as PDF: an HTML report printed on A4 by the system's Chromium (``wxshop run --pdf``).

Playwright for Python drives the browser the machine already has (Debian's ``chromium``, or the
one WXSHOP_CHROMIUM names) through ``executable_path``; no browser is ever downloaded. A page
prints as its print CSS says — A4 portrait for a report, the ``@page`` landscape rule for the
index — offline (every request other than the file itself and ``data:`` URIs is aborted), in
the light scheme, once its embedded WOFF2 font has loaded, so the Chinese text is in the PDF as
text, not boxes. One browser serves a whole batch (:class:`PdfPrinter`): starting Chromium
costs about as much as printing a report.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import Any

from wxshop.errors import WxshopError

ENV_CHROMIUM = "WXSHOP_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FIX_CHROMIUM = f"Fix: apt-get install chromium, or set {ENV_CHROMIUM} to the browser's path."
FIX_PLAYWRIGHT = ("Fix: pip install -e '.[pdf]' (Playwright for Python; it drives the system's Chromium, "
                  "never run `playwright install`).")
TIMEOUT_MS = 120_000  # loading and printing one page; the largest reports take a few seconds
FONTS_READY = "() => document.fonts.ready.then(() => document.fonts.status)"


def find_chromium() -> str | None:
    """The browser to drive: WXSHOP_CHROMIUM if set (a path or a command name), else the first
    of :data:`CHROMIUM_NAMES` on PATH; ``None`` when there is none.

    Examples
    --------
    >>> saved = os.environ.get(ENV_CHROMIUM)
    >>> os.environ[ENV_CHROMIUM] = "/no/such/browser"
    >>> find_chromium() is None
    True
    >>> _ = os.environ.pop(ENV_CHROMIUM) if saved is None else os.environ.update({ENV_CHROMIUM: saved})
    """
    configured = os.environ.get(ENV_CHROMIUM)
    if configured:
        return configured if Path(configured).is_file() else shutil.which(configured)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def chromium_path() -> str:
    """:func:`find_chromium`, or a :class:`WxshopError` saying how to get a browser."""
    found = find_chromium()
    if found is not None:
        return found
    configured = os.environ.get(ENV_CHROMIUM)
    if configured:
        raise WxshopError(f"--pdf: {ENV_CHROMIUM} is {configured!r}, which is neither a file nor a "
                          f"command on PATH. {FIX_CHROMIUM}")
    raise WxshopError(f"--pdf needs Chromium and none was found ({', '.join(CHROMIUM_NAMES)} on PATH). "
                      f"{FIX_CHROMIUM}")


def sync_api() -> Any:
    """``playwright.sync_api``, or a :class:`WxshopError` naming the extra to install."""
    try:
        from playwright import sync_api as api
    except ImportError:
        raise WxshopError("--pdf needs Playwright for Python, which is not installed. "
                          f"{FIX_PLAYWRIGHT}") from None
    return api


def pdf_path(html: str | Path) -> Path:
    """Where the PDF of ``html`` goes: beside it, same name.

    Examples
    --------
    >>> pdf_path("reports/demo_01/store_overview.html").as_posix()
    'reports/demo_01/store_overview.pdf'
    """
    return Path(html).with_suffix(".pdf")


class PdfPrinter:
    """One headless Chromium that prints HTML files to PDF, started on first use (or by
    :meth:`open`) and reused until :meth:`close`; use it with ``with``.

    ``executable`` defaults to :func:`chromium_path`. A browser that dies between two reports
    is started again for the next one. One printer open at a time in a thread: Playwright's
    sync API refuses a second while the first runs.
    """

    def __init__(self, executable: str | None = None, timeout_ms: int = TIMEOUT_MS) -> None:
        self.executable = executable
        self.timeout_ms = timeout_ms
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def open(self) -> PdfPrinter:
        """Start the browser; a :class:`WxshopError` with the fix when Playwright is missing, no
        Chromium is found or it would not start."""
        if self._browser is not None and self._browser.is_connected():
            return self
        self.close()
        api = sync_api()
        executable = self.executable or chromium_path()
        self._playwright = api.sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(executable_path=executable, headless=True)
        except api.Error as exc:
            self.close()
            why = str(exc).strip().partition("\n")[0]  # Playwright's messages run on with a call log
            raise WxshopError(f"--pdf: Chromium at {executable} would not start ({why}). "
                              f"{FIX_CHROMIUM}") from None
        return self

    def close(self) -> None:
        """Close the browser and Playwright's driver (nothing happens when neither runs)."""
        browser, playwright, self._browser, self._playwright = self._browser, self._playwright, None, None
        try:
            if browser is not None and browser.is_connected():
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()

    def write_pdf(self, html: str | Path, pdf: str | Path | None = None) -> Path:
        """Print the page ``html`` to ``pdf`` (default: :func:`pdf_path`) and return its path.

        The PDF is written under a temporary name and renamed into place, so an interrupted
        batch leaves the earlier PDF or none, never a part of one under the final name.
        """
        html = Path(html).resolve()
        target = Path(pdf) if pdf is not None else pdf_path(html)
        if not html.is_file():
            raise FileNotFoundError(f"no page to print: {html}")
        self.open()
        url = html.as_uri()
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        context = self._browser.new_context(color_scheme="light")  # not the phone's dark setting
        try:
            context.set_default_timeout(self.timeout_ms)

            def only_the_file(route: Any) -> None:
                wanted = route.request.url
                if wanted == url or wanted.startswith("data:"):
                    route.continue_()
                else:
                    route.abort()

            context.route("**/*", only_the_file)
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.evaluate(FONTS_READY)
            page.pdf(path=str(tmp), format="A4", print_background=True, prefer_css_page_size=True)
            with open(tmp, "rb") as written:  # on disk before it takes the final name
                os.fsync(written.fileno())
            os.replace(tmp, target)
        finally:
            context.close()
            tmp.unlink(missing_ok=True)
        return target


def print_pdfs(pages: list[Path], printer: PdfPrinter) -> dict[Path, str]:
    """Print each of ``pages`` beside itself (:func:`pdf_path`) with ``printer``; returns the
    pages that failed → why. One page failing does not stop the others, and leaves no PDF of
    an earlier run beside it that could pass for this one's.
    """
    failed: dict[Path, str] = {}
    for i, page in enumerate(pages):
        try:
            printer.write_pdf(page)
        except WxshopError as exc:  # no browser (it would not start again): the rest fail alike
            for rest in pages[i:]:
                failed[rest] = str(exc)
                pdf_path(rest).unlink(missing_ok=True)
            break
        except Exception as exc:  # a broken page or a browser that died: this page only
            why = str(exc).strip().partition("\n")[0]
            failed[page] = f"{type(exc).__name__}: {why}"
            pdf_path(page).unlink(missing_ok=True)
    return failed
