"""The exported report: self-contained (nothing loaded from the network), laid out for a phone,
the reader's view kept, and data that looks like markup shown as text."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import papermill as pm
import pytest

from wxshop.report.html import export_html, report_language

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

SETUP = '''\
import warnings
import matplotlib.pyplot as plt
import pandas as pd
from wxshop.report import plots
from wxshop.report.document import Report
plots.setup_theme()
evil = {evil!r}
r = Report(evil[0], "demo", lang, report_dir=report_dir)
'''
SHOW = '''\
r.title("overview.title", store=r.store)
r.header("2024-01-01", "2024-12-31")
r.section("overview.title", store=evil[1])
r.text("report.skipped", section=evil[0], table=evil[1])
r.kpis({{"gmv": evil[1]}}, [("gmv", "text")])
wide = pd.DataFrame({{f"商品列_{{i}}": ["长商品名称" * 4] * 3 for i in range(30)}})
wide.insert(0, "product", [evil[0], evil[1], "普通商品"])
r.table(wide)
r.table(pd.DataFrame({{evil[0]: [1], "GMV": [evil[1]]}}))  # markup as a column header too
fig, ax = plt.subplots()
ax.bar(["一月", "二月", "三月"], [-1200, 800, 1500])
ax.set_title("月度 GMV（¥）")
r.figure(fig)
warnings.warn("noisy analyst warning")
secret_code_marker = 1
'''


class Page(HTMLParser):
    """Every loaded URL, image, style and visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        for name in ("src", "srcset", "poster", "data", "action", "formaction", "background"):
            if a.get(name) is not None:
                self.loads.append((tag, name, a[name]))
        if tag in ("link", "base", "image", "use") and a.get("href") is not None:
            self.loads.append((tag, "href", a["href"]))
        if a.get("style"):
            self.styles.append(a["style"])
        self._in.append(tag)

    def handle_endtag(self, tag):
        if tag in self._in:
            del self._in[len(self._in) - 1 - self._in[::-1].index(tag):]

    def handle_data(self, data):
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif not (self._in and self._in[-1] == "script"):
            self.text.append(data)

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def is_local(url: str) -> bool:
    """A data: URI, a fragment or a relative path: nothing fetched from another host."""
    parts = urlsplit(url.strip())
    if parts.scheme == "data":
        return True
    return not parts.scheme and not parts.netloc and not url.strip().startswith("//")


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Path:
    """A small report notebook run through papermill, as the batch does."""
    folder = tmp_path_factory.mktemp("report")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell('lang: str = "zh"  # report language\nreport_dir: str = ""  # outputs',
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("analyst-only note", metadata={"tags": ["analyst"]}),
        nbformat.v4.new_code_cell(SETUP.format(evil=(SCRIPT, IMG))),
        nbformat.v4.new_code_cell(SHOW.format()),
        nbformat.v4.new_markdown_cell("读者可见的说明文字。"),
    ]
    nbformat.write(nb, folder / "in.ipynb")
    pm.execute_notebook(str(folder / "in.ipynb"), str(folder / "demo.ipynb"), kernel_name="python3",
                        parameters={"lang": "zh", "report_dir": str(folder)}, progress_bar=False,
                        cwd=str(folder))
    return folder / "demo.ipynb"


@pytest.fixture(scope="module", params=[False, True], ids=["reader", "with_code"])
def exported(request, executed) -> Path:
    name = "with_code.html" if request.param else "reader.html"
    return export_html(executed, executed.parent / name, with_code=request.param)


@pytest.mark.slow
def test_page_loads_nothing_from_the_network(exported):
    page = parse(exported)
    assert page.loads, "expected at least the chart image"
    for tag, attr, value in page.loads:
        assert is_local(value), (tag, attr, value[:120])
        if not value.startswith("data:"):  # base64 may spell anything
            for bad in ("cdn", "http://", "https://"):
                assert bad not in value.lower(), (tag, attr, value)
    assert not [s for s in page.find("script") if s.get("src") is not None]
    css = "\n".join(page.styles)
    assert "@import" not in css
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css):
        assert url.startswith("data:"), url[:120]


@pytest.mark.slow
def test_images_are_embedded_pngs(exported):
    images = parse(exported).find("img")
    assert images
    for img in images:
        src = img["src"] or ""
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_page_is_laid_out_for_a_phone(exported):
    page = parse(exported)
    viewport = [m for m in page.find("meta") if m.get("name") == "viewport"]
    assert len(viewport) == 1 and "width=device-width" in (viewport[0]["content"] or "")
    assert "initial-scale=1" in (viewport[0]["content"] or "")
    assert page.find("html")[0]["lang"] == "zh-CN"
    css = re.sub(r"\s+", " ", "\n".join(page.styles))
    # Our rules come last, so they win over JupyterLab's: pictures shrink, wide tables scroll.
    ours = css[css.rindex("color-scheme: light"):]
    assert re.search(r"img[^{]*\{[^}]*max-width: 100%;[^}]*height: auto", ours)
    assert re.search(r"\.jp-RenderedHTMLCommon table \{[^}]*display: block;[^}]*overflow-x: auto", ours)
    assert "--jp-content-font-size1: 16px" in ours and "@media print" in ours
    assert len([t for t, a in page.tags if t == "table"]) >= 2  # header and the wide table


@pytest.mark.slow
def test_size_is_sane(exported):
    size = exported.stat().st_size
    assert 50_000 < size < 1_000_000, size


@pytest.mark.slow
def test_reader_view_hides_code_analyst_cells_and_stderr(exported):
    html = exported.read_text(encoding="utf-8")
    with_code = exported.name == "with_code.html"
    assert "读者可见的说明文字" in html
    assert ("secret_code_marker" in html) == with_code
    assert ("analyst-only note" in html) == with_code
    assert ("noisy analyst warning" in html) == with_code


@pytest.mark.slow
def test_markup_in_data_is_shown_as_text(exported):
    page = parse(exported)
    # No element came from the data: the only <img> tags are the chart, the only scripts none.
    assert all((img.get("src") or "").startswith("data:image/png") for img in page.find("img"))
    assert not [a for t, a in page.tags if any(k.startswith("on") for k in a)]
    html = exported.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    text = "".join(page.text)
    # Store name (title, header), section, text, KPI value, table cells and a column header,
    # each as text.
    assert text.count(SCRIPT) >= 5 and text.count(IMG) >= 5, (text.count(SCRIPT), text.count(IMG))


def _notebook(parameters_source: str, injected: dict | None = None):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(parameters_source, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("text"),
    ]
    if injected is not None:
        nb.metadata["papermill"] = {"parameters": injected}
    return nb


@pytest.mark.parametrize(
    ("source", "injected", "expected"),
    [
        ('lang: str = "zh"  # language', {"lang": "en"}, "en"),  # papermill's value wins
        ('lang: str = "en"  # language', None, "en"),  # the notebook's default
        ('lang = "en"', {"store": "s1"}, "en"),
        ("x: int = 1", None, "zh"),  # no lang anywhere: the default
        ("lang: str = (", None, "zh"),  # unparsable parameters cell
    ],
)
def test_report_language(source, injected, expected):
    assert report_language(_notebook(source, injected)) == expected


@pytest.mark.parametrize(("lang", "html_lang"), [("zh", "zh-CN"), ("en", "en"), ("fr", "zh-CN")])
def test_html_lang_follows_the_report(tmp_path, lang, html_lang):
    nbformat.write(_notebook("x: int = 1", {"lang": lang}), tmp_path / "a.ipynb")
    page = parse(export_html(tmp_path / "a.ipynb", tmp_path / "a.html"))
    assert page.find("html")[0]["lang"] == html_lang


@pytest.mark.slow
def test_a_reused_exporter_writes_the_page_a_fresh_one_writes(executed, tmp_path):
    """The exporter is made once per process and kind: after a warm-up page and pages of the other
    kind, a report's page is the one a fresh exporter writes (cell ids aside: nbformat makes them
    up at each read of a notebook without them)."""
    from wxshop.report import html

    def page(name: str, with_code: bool) -> str:
        text = export_html(executed, tmp_path / name, with_code=with_code).read_text(encoding="utf-8")
        return re.sub(r'id="cell-id=[^"]*"', "", text)

    html._exporter.cache_clear()
    fresh = page("fresh.html", False)
    html.warm_up()
    code = page("code.html", True)
    assert page("again.html", False) == fresh
    assert html._exporter(False) is html._exporter(False)
    assert "analyst-only note" in code and "analyst-only note" not in fresh  # the kinds stay apart
