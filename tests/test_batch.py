"""The batch runner end to end: good stores, a store with bad rows, a broken store."""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

from conftest import SAMPLE, add_store, run_wxshop
from wxshop import runner

pytestmark = pytest.mark.slow


def _orders(folder):
    return pd.read_csv(folder / "orders.csv", dtype=str, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One run over: a good store; 5 negative amounts; orders without `amount`."""
    import shutil

    from conftest import ROOT

    project = tmp_path_factory.mktemp("proj")
    (project / "params" / "stores").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "defaults.yaml", project / "params" / "defaults.yaml")
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    add_store(project, "good")
    neg = add_store(project, "negatives")
    orders = _orders(neg)
    picked = orders.index[:: max(1, len(orders) // 5)][:5]
    orders.loc[picked, "amount"] = "-" + orders.loc[picked, "amount"].str.lstrip("-")
    orders.to_csv(neg / "orders.csv", index=False, encoding="utf-8-sig")
    broken = add_store(project, "broken")
    _orders(broken).drop(columns="amount").to_csv(
        broken / "orders.csv", index=False, encoding="utf-8-sig"
    )
    proc = run_wxshop("run", "--jobs", "2", cwd=project, env={"WXSHOP_HOME": str(project)})
    return project, proc, orders.loc[picked, "order_id"].tolist()


def test_exit_code_2_and_short_error_for_broken_store(batch):
    _, proc, _ = batch
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    line = next(x for x in proc.stderr.splitlines() if x.startswith("FAILED broken"))
    assert "orders.csv" in line and "amount" in line
    assert len(line) < 400


def test_other_stores_still_get_reports(batch):
    project, _, _ = batch
    notebooks = list(runner.discover_notebooks(project))
    for store in ("good", "negatives"):
        for nb in notebooks:
            assert (project / "reports" / store / f"{nb}.html").stat().st_size > 10_000
            assert (project / "reports" / store / f"{nb}.json").is_file()
    assert not (project / "reports" / "broken" / "store_overview.html").exists()


def test_rejected_rows_saved_and_counted(batch):
    project, _, neg_ids = batch
    with open(project / "reports" / "negatives" / "rejected_rows.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["order_id"] for r in rows) == sorted(neg_ids)
    assert all("negative amount" in r["reason"] for r in rows)
    report = json.loads(
        (project / "reports" / "negatives" / "store_overview.json").read_text(encoding="utf-8")
    )
    dq = report["data_quality"]
    assert dq["rows_rejected"] == 5
    assert dq["rows_read"] == dq["rows_used"] + 5
    html = (project / "reports" / "negatives" / "store_overview.html").read_text(encoding="utf-8")
    read, used = f"{dq['rows_read']:,}", f"{dq['rows_used']:,}"
    assert re.search(rf"读取 {read} 行 = 使用 {used} 行 \+ 剔除 5 行", html)


def test_reports_show_no_code(batch):
    project, _, _ = batch
    for html_file in (project / "reports").glob("*/*.html"):
        html = html_file.read_text(encoding="utf-8")
        assert "jp-InputArea" not in html and "input_area" not in html, html_file
        assert "load_store(" not in html and "import " not in html, html_file
        assert "parameters" not in html.split("<body", 1)[1].split("wx-header")[0]


def test_index_links_every_report_and_lists_the_failure(batch):
    project, _, _ = batch
    html = (project / "reports" / "index.html").read_text(encoding="utf-8")
    for store in ("good", "negatives"):
        assert f'href="{store}/store_overview.html"' in html
    assert "broken" in html and "amount" in html
    assert 'href="broken/' not in html


def test_personal_columns_never_reach_a_report(batch):
    project, _, _ = batch
    customers = pd.read_csv(SAMPLE / "customers.csv", dtype=str, encoding="utf-8-sig")
    planted = [v for col in ("phone", "openid", "nickname") if col in customers
               for v in customers[col].dropna().head(50)]
    assert planted, "the sample store should carry personal columns to test this"
    for f in (project / "reports").rglob("*"):
        if f.suffix in {".html", ".json", ".csv", ".ipynb"}:
            text = f.read_text(encoding="utf-8-sig")
            leaked = [v for v in planted if v in text]
            assert not leaked, f"{f}: {leaked[:3]}"
