"""Executed notebook → the HTML report a stakeholder reads.

The page stands alone: JupyterLab's CSS is inlined, pictures are ``data:`` URIs, the Chinese
glyphs the text uses are embedded (:mod:`wxshop.report.webfont`) and no script, style or font is
fetched from the network (the ``report`` template in
``wxshop/templates`` drops the CDN scripts of nbconvert's ``lab`` template), so a report
opens offline, from a chat attachment or a file share, and reads on a phone.
"""

from __future__ import annotations

import ast
import functools
import html
import os
import re
from pathlib import Path
from typing import Any

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

from wxshop.report import webfont
from wxshop.report.i18n import DEFAULT_LANG

# Cells with these tags are for analysts working in JupyterLab, not for readers.
ANALYST_TAGS = ("analyst", "parameters", "injected-parameters")
TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "report"
# Report language → the page's <html lang>, so browsers pick Chinese glyph forms and voices.
HTML_LANG = {"zh": "zh-CN", "en": "en"}


class ReaderView(Preprocessor):
    """Drop analyst-only cells and stderr output (warnings, logs) from the reader's view."""

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & set(ANALYST_TAGS):
                continue
            if cell.cell_type == "code":
                cell.outputs = [
                    o
                    for o in cell.get("outputs", [])
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ]
                if not cell.outputs:
                    continue
            kept.append(cell)
        nb.cells = summary_first(kept, resources.get("toc_title", ""))
        return nb, resources


_SECTION_RE = re.compile(r'<h2 id="(wx-s\d+)">(.*?)</h2>', re.S)


def _html_of(output: Any) -> str:
    text = output.get("data", {}).get("text/html", "")
    return "".join(text) if isinstance(text, list) else str(text)


def summary_first(cells: list[Any], toc_title: str) -> list[Any]:
    """Readers see the answer first: under the report's title any red warning (``Report.banner``:
    results not to be trusted), the key-figure cards, then the key findings, then a table of
    contents linking every section; the header's metadata table
    (period, data date, generation time, version, parameters) moves to the end. Analysts'
    notebooks keep their natural order.

    The cards (``Report.cards``, class ``wx-cards``) and findings (``Report.key_findings``, class
    ``wx-findings``) are moved out of whatever cell made them; the contents list the ``<h2
    id="wx-s…">`` headings of ``Report.section``. Without a header (class ``wx-header``) the
    cells are left as they are.
    """
    header_at = next((i for i, c in enumerate(cells) if c.cell_type == "code"
                      and any('class="wx-header"' in _html_of(o) for o in c.outputs)), None)
    if header_at is None:
        return cells
    banners, cards, moved, metadata = [], [], [], []
    split = 0  # where the header was among its cell's remaining outputs: the opening goes there
    for i, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        keep = []
        for o in cell.outputs:
            text = _html_of(o)
            if i == header_at and 'class="wx-header"' in text:
                split = len(keep)
            where = (banners if 'class="wx-banner"' in text else cards if 'class="wx-cards"' in text
                     else moved if 'class="wx-findings"' in text
                     else metadata if 'class="wx-header"' in text else keep)
            where.append(o)
        cell.outputs = keep
    sections = [m for c in cells if c.cell_type == "code" for o in c.outputs
                for m in _SECTION_RE.findall(_html_of(o))]
    outputs = [*banners, *cards[:1], *moved]
    if len(sections) >= 3:
        items = "".join(f'<li><a href="#{sid}">{text}</a></li>' for sid, text in sections)
        outputs.append(nbformat.v4.new_output(
            "display_data", data={"text/html": f'<nav class="wx-toc"><h2>{html.escape(toc_title)}</h2>'
                                                 f"<ol>{items}</ol></nav>"}))
    opening = nbformat.v4.new_code_cell("", outputs=outputs)
    closing = nbformat.v4.new_code_cell("", outputs=metadata)
    head = cells[header_at]  # its title stays above the opening, what it showed after the header below
    after = nbformat.v4.new_code_cell("", outputs=head.outputs[split:])
    head.outputs = head.outputs[:split]
    rest = []
    for c in cells:
        rest += [head, after] if c is head else [c]
    rest = [c for c in rest if c.cell_type != "code" or c.outputs]
    at = rest.index(head) + 1 if head in rest else 0
    return [*rest[:at], *([opening] if outputs else []), *rest[at:], closing]


def _literal(source: str, name: str) -> Any:
    """The literal assigned to ``name`` in ``source`` (``name: T = v`` or ``name = v``), else None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                try:
                    return ast.literal_eval(node.value)
                except ValueError:
                    return None
    return None


def report_language(nb: Any) -> str:
    """The ``lang`` the notebook ran with: papermill's injected value, else the literal in the
    cell tagged ``parameters``, else the default (zh)."""
    injected = nb.metadata.get("papermill", {}).get("parameters", {}).get("lang")
    if isinstance(injected, str):
        return injected
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            value = _literal(cell.source, "lang")
            if isinstance(value, str):
                return value
    return DEFAULT_LANG


def export_html(ipynb: Path, html_path: Path, with_code: bool = False) -> Path:
    """Write ``html_path`` from the executed notebook ``ipynb``.

    Reader view (default): no code, no prompts, no analyst cells, no stderr. ``with_code=True``
    keeps every cell and its code for analysts. Either way the page is self-contained (images
    embedded, nothing loaded from the network) and laid out for a phone.
    """
    nb = nbformat.read(str(ipynb), as_version=4)
    body = _render(nb, Path(ipynb).stem, with_code)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_name(f".{html_path.name}.{os.getpid()}.tmp")  # one per writing process
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html_path)
    return html_path


def warm_up() -> None:
    """Render a two-cell notebook and throw the page away: nbconvert's first page in a process
    builds the exporter, compiling its templates, and the Markdown parser (about 0.5 s), which a
    batch process can do while its kernel is still starting (:func:`wxshop.batch.execute.prepare`)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 标题 · *title*\n\n- **a** `b` [c](#d)\n\n| x |\n|---|\n| 1 |"),
        nbformat.v4.new_code_cell("1", outputs=[
            nbformat.v4.new_output("display_data", {"text/html": "<p>x</p>", "text/plain": "x"}),
            nbformat.v4.new_output("stream", name="stdout", text="x\n"),
        ]),
    ])
    _render(nb, "warm-up", with_code=False)


@functools.lru_cache(maxsize=2)
def _exporter(with_code: bool) -> HTMLExporter:
    """The page's exporter, made once per process and kind: building one compiles its Jinja
    templates (about 0.4 s), and an exporter converts any number of notebooks."""
    c = Config()
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.theme = "light"
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_input = not with_code
    exporter = HTMLExporter(config=c)
    if not with_code:
        exporter.register_preprocessor(ReaderView(), enabled=True)
    return exporter


def _render(nb: Any, stem: str, with_code: bool) -> str:
    """The HTML page of notebook node ``nb`` (see :func:`export_html`)."""
    exporter = _exporter(with_code)
    from wxshop.report.i18n import t

    lang = report_language(nb)
    toc_title = t("report.toc", lang if lang in HTML_LANG else DEFAULT_LANG)
    title = nb.metadata.get("wxshop", {}).get("title") or stem
    html_lang = HTML_LANG.get(lang, HTML_LANG[DEFAULT_LANG])
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title}, "html_lang": html_lang, "toc_title": toc_title})
    return webfont.embed(body)
