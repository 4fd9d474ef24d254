"""Notebooks: committed clean, thin, and runnable on their defaults and under papermill."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest
import yaml

from conftest import ROOT, run_on_pool
from wxshop.data.schema import PRIVATE_TABLES

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.name for p in NOTEBOOKS]
CJK = re.compile(r"[\u4e00-\u9fff]")


def report_name(path: Path) -> str:
    """The JSON stem a notebook writes on its defaults (ab_test names it after the experiment)."""
    name = path.stem.split("_", 1)[1]
    if name == "ab_test":
        return f"{name}-{pm.inspect_notebook(str(path))['experiment_id']['default'].strip(chr(34))}"
    return name


def test_there_are_notebooks():
    assert any(p.name == "00_store_overview.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_parameters_cell_holds_typed_literals_only(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    tree = ast.parse(tagged[0].source)
    for node in tree.body:
        assert isinstance(node, ast.AnnAssign), ast.dump(node)
        ast.literal_eval(node.value)  # plain literals only
    lines = [line for line in tagged[0].source.splitlines() if line.strip()]
    assert all("#" in line for line in lines), "every parameter has a comment"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
            assert not defs, f"{path.name}: move functions into lib/wxshop/"
            assert "sys.path" not in cell.source


def cell_sources(nb) -> list[tuple[str, str]]:
    """(cell type, source) of every cell but papermill's injected parameters."""
    return [(c.cell_type, c.source) for c in nb.cells
            if "injected-parameters" not in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_nbval_reference_is_this_notebook_run_all(path):
    """nbval re-runs tests/notebooks/<name> cell by cell on the notebook's defaults (what Run All
    does in JupyterLab) and compares the outputs: that copy must hold this notebook's cells, so a
    changed notebook needs `make nbval-refs` (and a reviewed diff) before the suite passes."""
    reference = ROOT / "tests" / "notebooks" / path.name
    assert reference.is_file(), f"no nbval reference for {path.name}: run `make nbval-refs`"
    ref = nbformat.read(reference, as_version=4)
    assert cell_sources(ref) == cell_sources(nbformat.read(path, as_version=4)), (
        f"tests/notebooks/{path.name} is out of date: run `make nbval-refs` and review the diff")
    injected = [c for c in ref.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "report_dir" in injected[0].source, "only report_dir is set"
    errors = [o for c in ref.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors, f"the reference of {path.name} holds an error"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_a_store_yaml_with_orders_only_in_english(path, tmp_path, warm_pool):
    """`papermill nb out -f store.yaml`, in English, orders only. The plain papermill command
    line runs the first notebook; the others get the same YAML as parameters through
    papermill's Python API on a warm kernel (what `-f` does), which saves a kernel start each."""
    data = tmp_path / "orders_only"
    data.mkdir()
    (data / "orders.csv").write_bytes((ROOT / "data" / "sample" / "orders.csv").read_bytes())
    yaml_file = tmp_path / "store.yaml"
    yaml_file.write_text(
        f"store: orders_only\ndata_dir: {data}\nlang: en\nreport_dir: {tmp_path / 'r'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.ipynb"
    if path == NOTEBOOKS[0]:
        papermill = Path(sys.executable).parent / "papermill"
        proc = subprocess.run(
            [str(papermill), str(path), str(out), "-f", str(yaml_file), "-k", "python3"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
            env={**os.environ}, stdin=subprocess.DEVNULL,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
    else:
        run_on_pool(warm_pool, path, out, ROOT, **yaml.safe_load(yaml_file.read_text("utf-8")))
    report = json.loads((tmp_path / "r" / f"{report_name(path)}.json").read_text(encoding="utf-8"))
    assert report["lang"] == "en"
    assert report["skipped"], "orders alone: the report must say what it skipped"
    assert 1 <= len(report["findings"]) <= 5 and not any(CJK.search(f) for f in report["findings"])
    assert {s["table"] for s in report["skipped"]} <= {  # growth also names tables still to come
        "order_items", "products", "customers", "experiments", "events", "campaigns", "group_buys",
        *PRIVATE_TABLES}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_papermill_can_inspect_every_parameter(path, caplog):
    """papermill's parser skips lines it cannot read (e.g. a second '=' in a comment),
    then warns "unknown parameter" on every run."""
    params = pm.inspect_notebook(str(path))
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = {n.target.id for n in ast.parse(cell.source).body}
    assert set(params) == names
    assert all(p["help"] for p in params.values()), "every parameter has help text"


def markdown_and_code(path):
    return nbformat.read(path, as_version=4).cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_store_line_switches_store(path):
    """`STORE: str = ""` opens the parameters cell; the next cell hands it to params.notebook_params."""
    cells = markdown_and_code(path)
    index = next(i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", []))
    first = ast.parse(cells[index].source).body[0]
    assert first.target.id == "STORE" and ast.literal_eval(first.value) == ""
    assert "params.notebook_params(STORE, globals())" in cells[index + 1].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_reads_as_an_analyst_document(path):
    """Each section opens with a markdown cell: the question it answers and how to read it;
    the first cell says which files Run All writes."""
    cells = markdown_and_code(path)
    top = cells[0]
    assert top.cell_type == "markdown" and "analyst" in top.metadata.get("tags", [])
    json_stem = report_name(path).split("-")[0]
    for needed in ("Run All", json_stem, "rejected_rows.csv", ".cache/wxshop/tables", "STORE"):
        assert needed in top.source, needed
    sections = [c for c in cells[1:] if c.cell_type == "markdown"]
    assert len(sections) >= 4
    for cell in sections:
        assert cell.source.startswith("## ") and "**问题**" in cell.source and "**怎么读**" in cell.source
        assert "analyst" in cell.metadata.get("tags", []), "analyst notes stay out of the reader's HTML"
    for before, cell in zip(cells, cells[1:], strict=False):
        if cell.cell_type == "code" and "report.section(" in cell.source:
            assert before.cell_type == "markdown", cell.source[:80]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_report_assembly_lives_in_views(path):
    """No column → label dicts in report.table calls, no underscore names reached into."""
    for cell in markdown_and_code(path):
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "table":
                arguments = [*node.args, *(k.value for k in node.keywords)]
                assert not any(isinstance(a, ast.Dict) for a in arguments), "labels belong in a view"
            if isinstance(node, ast.Attribute):
                assert not node.attr.startswith("_"), node.attr


@pytest.mark.slow
def test_store_line_loads_the_store_and_injected_values_win(tmp_path, monkeypatch):
    """STORE = "s1" reads params/stores/s1.yaml (through WXSHOP_HOME); papermill's values win."""
    (tmp_path / "params" / "stores").mkdir(parents=True)
    (tmp_path / "params" / "defaults.yaml").write_text("lang: zh\n", encoding="utf-8")
    (tmp_path / "params" / "stores" / "s1.yaml").write_text(
        f"data_dir: {ROOT / 'data' / 'sample'}\nlang: en\n", encoding="utf-8")
    monkeypatch.setenv("WXSHOP_HOME", str(tmp_path))
    monkeypatch.setenv("WXSHOP_STORE_CACHE", "0")
    path = ROOT / "notebooks" / "00_store_overview.ipynb"
    out = tmp_path / "out"
    pm.execute_notebook(str(path), str(tmp_path / "out.ipynb"),  # the YAML says en; zh is injected
                        parameters={"STORE": "s1", "report_dir": str(out), "lang": "zh"},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    data = json.loads((out / "store_overview.json").read_text(encoding="utf-8"))
    assert data["store"] == "s1" and data["lang"] == "zh"
    assert data["parameters"]["data_dir"] == str(ROOT / "data" / "sample")
