"""Executed notebook → the HTML report a stakeholder reads."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

# Cells with these tags are for analysts working in JupyterLab, not for readers.
ANALYST_TAGS = ("analyst", "parameters", "injected-parameters")


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
        nb.cells = kept
        return nb, resources


def export_html(ipynb: Path, html_path: Path, with_code: bool = False) -> Path:
    """Write ``html_path`` from the executed notebook ``ipynb``.

    Reader view (default): no code, no prompts, no analyst cells, no stderr; images
    embedded. ``with_code=True`` keeps everything for analysts.
    """
    nb = nbformat.read(str(ipynb), as_version=4)
    c = Config()
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.exclude_input = not with_code
    exporter = HTMLExporter(config=c)
    if not with_code:
        exporter.register_preprocessor(ReaderView(), enabled=True)
    title = nb.metadata.get("wxshop", {}).get("title") or Path(ipynb).stem
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    html_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(html_path)
    return html_path
