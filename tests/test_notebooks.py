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

from conftest import ROOT

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


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_run_all_on_defaults_from_the_notebooks_folder(path, tmp_path):
    """What Run All does in JupyterLab: defaults, working directory notebooks/."""
    out = tmp_path / path.name
    report_dir = tmp_path / "reports"
    pm.execute_notebook(
        str(path), str(out), parameters={"report_dir": str(report_dir)},
        cwd=str(ROOT / "notebooks"), kernel_name="python3", progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    data = json.loads((report_dir / f"{report_name(path)}.json").read_text(encoding="utf-8"))
    assert data["store"] == "sample" and data["lang"] == "zh"
    assert 3 <= len(data["findings"]) <= 5, data["findings"]  # summary first: 3-5 key findings
    dq = data["data_quality"]
    assert dq["rows_read"] == dq["rows_used"] + dq["rows_rejected"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_plain_papermill_cli_with_a_store_yaml(path, tmp_path):
    """`papermill nb out -f params/stores/<store>.yaml`, in English, orders only."""
    data = tmp_path / "orders_only"
    data.mkdir()
    (data / "orders.csv").write_bytes((ROOT / "data" / "sample" / "orders.csv").read_bytes())
    yaml_file = tmp_path / "store.yaml"
    yaml_file.write_text(
        f"store: orders_only\ndata_dir: {data}\nlang: en\nreport_dir: {tmp_path / 'r'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.ipynb"
    papermill = Path(sys.executable).parent / "papermill"
    proc = subprocess.run(
        [str(papermill), str(path), str(out), "-f", str(yaml_file), "-k", "python3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ}, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((tmp_path / "r" / f"{report_name(path)}.json").read_text(encoding="utf-8"))
    assert report["lang"] == "en"
    assert report["skipped"], "orders alone: the report must say what it skipped"
    assert 1 <= len(report["findings"]) <= 5 and not any(CJK.search(f) for f in report["findings"])
    assert {s["table"] for s in report["skipped"]} <= {
        "order_items", "products", "customers", "experiments", "events"}


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
