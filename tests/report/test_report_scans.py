"""Static scans over every demo report, in both languages (the shared demo batch, see
``demo_project`` in conftest.py): nothing is loaded from the network, no planted personal data
reaches any file of demo_01's reports or the index, every page stays small
enough to send in a chat, and the executed notebooks drew their charts without missing glyphs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import DEMO_REPORTS, DEMO_STORE, demo_report_names, tell
from wxshop.data.schema import HEADER_ALIASES, PERSONAL_COLUMNS

pytestmark = pytest.mark.slow

MAX_HTML_BYTES = 2 * 1024 * 1024
PAGES = [(lang, name) for lang in DEMO_REPORTS for name in [*demo_report_names(), "index"]]
PAGE_IDS = [f"{lang}-{name}" for lang, name in PAGES]
# The personal columns the demo generator plants in customers.parquet (wxshop.demo).
PLANTED = ("phone", "openid", "nickname", "address")
SCANNED_SUFFIXES = {".html", ".json", ".csv", ".ipynb"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.S)
CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
GLYPH_WARNING = re.compile(r"Glyph \d+.{0,120}?missing from (?:current )?font", re.S)


def page_path(project: Path, lang: str, name: str) -> Path:
    reports = project / DEMO_REPORTS[lang]
    return reports / "index.html" if name == "index" else reports / DEMO_STORE / f"{name}.html"


class Loads(HTMLParser):
    """Every URL a browser would fetch while showing the page: ``src``/``srcset``/``poster``/
    ``data`` attributes, ``<link href>``, SVG ``<image>``/``<use>`` hrefs, and CSS ``url(…)`` and
    ``@import`` in ``<style>`` and ``style=""`` (CSS comments ignored). Links a reader clicks
    (``<a href>``) are not loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (where, url)
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("src", "poster", "data", "background"):
            if a.get(name):
                self.urls.append((f"<{tag} {name}>", a[name]))
        if a.get("srcset"):
            self.urls += [(f"<{tag} srcset>", c.split()[0]) for c in a["srcset"].split(",") if c.strip()]
        if tag in ("link", "image", "use"):
            for name in ("href", "xlink:href"):
                if a.get(name):
                    self.urls.append((f"<{tag} {name}>", a[name]))
        if a.get("style"):
            self._css(a["style"], f"<{tag} style>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data, "<style>")

    def _css(self, css: str, where: str) -> None:
        css = CSS_COMMENT.sub("", css)
        self.urls += [(f"{where} url()", m.group(2).strip()) for m in CSS_URL.finditer(css)]
        self.urls += [(f"{where} @import", m.group(2).strip()) for m in CSS_IMPORT.finditer(css)]


def is_local(url: str) -> bool:
    """data:, a #fragment, or a path relative to the page (no scheme, no //host)."""
    if url.startswith(("data:", "#")) or not url:
        return True
    return not url.startswith("//") and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url)


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_page_loads_nothing_from_the_network(demo_project, lang, name):
    """Failing means the HTML points a browser at a URL (a CDN script, a web font, a picture):
    the report breaks offline and tells a third party that someone read it. Embed it as data:
    or drop it (lib/wxshop/report/templates/report/)."""
    parser = Loads()
    parser.feed(page_path(demo_project, lang, name).read_text(encoding="utf-8"))
    external = [(where, url[:120]) for where, url in parser.urls if not is_local(url)]
    assert not external, external
    if name != "index":
        charts = [url for where, url in parser.urls if where == "<img src>" and url.startswith("data:image/")]
        assert charts, "no embedded chart found: is this the report?"


def test_the_load_scan_sees_external_urls():
    """The scanner itself: it finds each kind of load, and ignores links and CSS comments."""
    parser = Loads()
    parser.feed('<link rel="stylesheet" href="https://cdn.example/x.css"><img src="//cdn.example/a.png">'
                '<style>/* url(https://in.a.comment/) */ .a { background: url("http://x.example/b.png") }'
                '@import "https://fonts.example/f.css";</style><a href="https://link.example/">read</a>'
                '<div style="background:url(data:image/png;base64,AAAA)"></div><img src="demo_01/p.png">')
    external = sorted(url for _, url in parser.urls if not is_local(url))
    assert external == ["//cdn.example/a.png", "http://x.example/b.png", "https://cdn.example/x.css",
                        "https://fonts.example/f.css"]


# ------------------------------------------------------------------ personal data


@pytest.fixture(scope="module")
def planted(demo_project) -> pd.DataFrame:
    customers = pd.read_parquet(demo_project / "data" / "demo" / DEMO_STORE / "customers.parquet")
    assert set(PLANTED) <= set(customers.columns), "the demo generator no longer plants personal data"
    return customers[list(PLANTED)].astype(str)


@pytest.fixture(scope="module")
def report_files(demo_project) -> dict[Path, str]:
    """Every HTML, JSON, CSV (exports included) and executed notebook of demo_01 (whose customers
    are planted above) and every page beside the stores' folders (the index), in both languages."""
    files = {f: f.read_text(encoding="utf-8-sig")
             for reports in DEMO_REPORTS.values()
             for f in sorted([*(demo_project / reports).glob("*"),
                              *(demo_project / reports / DEMO_STORE).rglob("*")])
             if f.is_file() and f.suffix in SCANNED_SUFFIXES}
    assert any(f.parent.name == "exports" for f in files), "the demo build wrote no 企业微信 exports"
    return files


def _windows(text: str, run: str, width: int) -> set[str]:
    """Every ``width``-long piece of every maximal run of the characters ``run``: a value made of
    those characters occurs in ``text`` exactly when it is one of these."""
    return {m[i:i + width] for m in re.findall(f"[{run}]{{{width},}}", text)
            for i in range(len(m) - width + 1)}


def test_no_phone_or_openid_anywhere_in_reports(planted, report_files):
    """Failing means a customer's phone number or WeChat openid (planted by the demo generator)
    is in a report, its JSON, an export or an executed notebook: personal data leaked past the
    loader, which must drop these columns. Checks every customer, as substrings."""
    phones, openids = set(planted["phone"]), set(planted["openid"])
    assert {len(p) for p in phones} == {11} and {len(o) for o in openids} == {28}
    leaks = {}
    for f, text in report_files.items():
        found = (_windows(text, "0-9", 11) & phones) | (_windows(text, "A-Za-z0-9_-", 28) & openids)
        if found:
            leaks[str(f)] = sorted(found)[:3]
    assert not leaks, leaks


def test_no_personal_value_as_a_word_in_reports(planted, report_files):
    """Failing means some customer's phone, openid, nickname or address stands as a whole word
    (a table cell, a CSV field, a JSON string) in a file under reports/. Checks every value of
    every customer through a set lookup over each file's words."""
    values = set().union(*(set(planted[c]) for c in PLANTED))
    leaks = {}
    for f, text in report_files.items():
        found = set(re.findall(r"[\w-]+", text)) & values
        if found:
            leaks[str(f)] = sorted(found)[:3]
    assert not leaks, leaks


# What cannot be inside one planted value: whitespace and the separators of HTML, JSON and CSV.
SEPARATOR = re.compile(r'[\s,"<>{}\[\]:;]+')


def test_sampled_nicknames_and_addresses_nowhere_in_reports(planted, report_files):
    """Failing means one of 500 customers' nicknames or addresses occurs anywhere, even inside
    other text. Nicknames of two characters (大雪, 小明 …) are ordinary words and left to the
    whole-word check above."""
    nicknames = planted["nickname"].drop_duplicates()
    nicknames = nicknames[nicknames.str.len() >= 3]
    sample = [*nicknames.sample(min(500, len(nicknames)), random_state=7),
              *planted["address"].sample(500, random_state=7)]
    text = "\n".join(report_files.values())
    # A value without separators that occurs anywhere lies inside one separator-free run of the
    # text; a value with a non-ASCII character only inside such a run that has one too. So those
    # are looked for in the distinct non-ASCII runs (a small text), the others in the whole text.
    runs = "\n".join({run for run in SEPARATOR.split(text) if not run.isascii()})
    leaked = [v for v in sample
              if v in (text if v.isascii() or SEPARATOR.search(v) else runs)]
    assert not leaked, leaked[:5]


def test_exports_identify_customers_by_id_only(demo_project):
    """Failing means a 企业微信 tag-list export has a column for a personal field (phone,
    openid, nickname, address … or a Chinese header meaning one) rather than only the customer
    id that 企业微信 matches on."""
    personal = set(PERSONAL_COLUMNS) | {k for k, v in HEADER_ALIASES.items() if v in PERSONAL_COLUMNS}
    exports = [f for reports in DEMO_REPORTS.values()
               for f in sorted((demo_project / reports / DEMO_STORE / "exports").glob("*.csv"))]
    assert exports
    for f in exports:
        columns = pd.read_csv(f, encoding="utf-8-sig", nrows=0).columns
        assert columns[0] in ("customer_id", "客户ID"), (f.name, list(columns))
        assert not {c.lower() for c in columns} & personal, (f.name, list(columns))


# ------------------------------------------------------------------ size and fonts


@pytest.fixture(scope="module")
def sizes(request) -> dict[str, int]:
    """Collects each page's size; prints them all once the module is done."""
    measured: dict[str, int] = {}
    yield measured
    table = ", ".join(f"{page} {size / 1024:.0f} KiB" for page, size in measured.items())
    tell(request.config, f"\nreport sizes (limit {MAX_HTML_BYTES // 1024} KiB): {table}")


@pytest.mark.parametrize("lang, name", PAGES, ids=PAGE_IDS)
def test_page_is_at_most_2_mb(demo_project, sizes, lang, name):
    """Failing means the report grew past 2 MB (charts drawn too large or at too high a dpi, a
    table with every row): slow to open on a phone and to send in a chat."""
    size = sizes[f"{lang}-{name}"] = page_path(demo_project, lang, name).stat().st_size
    assert size <= MAX_HTML_BYTES, f"{size / 1024 / 1024:.2f} MB"


@pytest.mark.parametrize("lang, name", [p for p in PAGES if p[1] != "index"],
                         ids=[i for i, p in zip(PAGE_IDS, PAGES, strict=True) if p[1] != "index"])
def test_notebook_drew_every_glyph(demo_project, lang, name):
    """Failing means matplotlib warned "Glyph … missing from font" while drawing a chart: some
    Chinese (or other) text in a chart shows as empty boxes. The chart font comes from mplfonts
    (wxshop.report.plots); stderr is hidden from the HTML, so only the executed notebook shows it."""
    nb = nbformat.read(page_path(demo_project, lang, name).with_suffix(".ipynb"), as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert outputs, "the notebook was not executed"
    texts = []
    for o in outputs:
        if o.output_type == "stream":
            texts.append(o.text)
        elif o.output_type == "error":
            texts.append("\n".join(o.traceback))
        else:
            texts.append(str(o.get("data", {}).get("text/plain", "")))
    warnings = [m.group(0) for t in texts for m in GLYPH_WARNING.finditer(t)]
    assert not warnings, warnings[:5]


def test_glyph_warning_pattern_matches_matplotlib():
    """The pattern above matches what matplotlib says (current and older wording)."""
    assert GLYPH_WARNING.search("UserWarning: Glyph 23458 (\\N{CJK UNIFIED IDEOGRAPH-5BA2}) missing from "
                                "font(s) DejaVu Sans.")
    assert GLYPH_WARNING.search("Glyph 23458 missing from current font.")
