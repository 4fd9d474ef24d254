"""The batch runner end to end: good stores, a store with bad rows, a broken store."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLE, add_store, new_project, run_wxshop
from wxshop import batch as runner

pytestmark = pytest.mark.slow


ZH_HEADERS = {"order_id": "订单号", "customer_id": "买家ID", "ordered_at": "下单时间",
              "amount": "实付金额", "status": "订单状态", "channel": "渠道",
              "campaign_id": "活动ID", "discount": "优惠金额"}


def _orders(folder):
    return pd.read_csv(folder / "orders.csv", dtype=str, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One run of the store overview over: a good store; 5 negative amounts; orders without
    `amount`; orders with Chinese headers in GBK."""
    project = new_project(tmp_path_factory.mktemp("proj"))
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
    gbk = add_store(project, "gbk_chinese_headers")
    zh = _orders(gbk).rename(columns=ZH_HEADERS)
    zh["订单状态"] = zh["订单状态"].map({"paid": "已支付", "refunded": "已退款", "cancelled": "已取消"})
    (gbk / "orders.csv").unlink()
    zh.to_csv(gbk / "订单.csv", index=False, encoding="gbk")
    # The store overview only: it reads and checks every table, as each notebook does; every
    # notebook of a good store runs in the shared demo batch (conftest.demo_project).
    proc = run_wxshop("run", "--jobs", "2", "-n", "store_overview", cwd=project,
                      env={"WXSHOP_HOME": str(project)})
    return project, proc, orders.loc[picked, "order_id"].tolist()


def test_exit_code_2_and_short_error_for_broken_store(batch):
    _, proc, _ = batch
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "IPKernelApp" not in proc.stderr + proc.stdout, "kernel chatter belongs in the job log"
    line = next(x for x in proc.stderr.splitlines() if x.startswith("FAILED broken"))
    assert "orders.csv" in line and "amount" in line
    assert len(line) < 400


def test_kernel_output_is_kept_in_a_log_per_job(batch):
    project, _, _ = batch
    logs = sorted((project / "reports").glob("*/*.kernel.log"))
    assert {p.parent.name for p in logs} >= {"good", "broken"}


def test_other_stores_still_get_reports(batch):
    project, _, _ = batch
    jobs = runner.plan_jobs(["good", "negatives", "gbk_chinese_headers"], ["store_overview"], root=project)
    for job in jobs:
        assert job.output_html.stat().st_size > 10_000
        assert (Path(job.report_dir) / f"{job.name}.json").is_file()
    assert not (project / "reports" / "broken" / "store_overview.html").exists()


def test_rejected_rows_saved_and_counted(batch):
    project, _, neg_ids = batch
    with open(project / "reports" / "negatives" / "rejected_rows.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    orders = [r for r in rows if r["table"] == "orders"]
    assert sorted(r["order_id"] for r in orders) == sorted(neg_ids)
    assert all(r["reason"] == "negative amount" for r in orders)
    # their item lines cannot be used either, and say why
    items = [r for r in rows if r["table"] == "order_items"]
    sample_items = pd.read_csv(SAMPLE / "order_items.csv", dtype=str, encoding="utf-8-sig")
    assert len(items) == sample_items["order_id"].isin(neg_ids).sum() > 0
    assert {r["reason"] for r in items} == {"order_id not in orders"}
    assert len(rows) == len(orders) + len(items)

    report = json.loads(
        (project / "reports" / "negatives" / "store_overview.json").read_text(encoding="utf-8")
    )
    dq = report["data_quality"]
    by_table = {t["table"]: t for t in dq["tables"]}
    assert by_table["orders"]["rows_rejected"] == 5
    assert by_table["orders"]["rows_read"] == by_table["orders"]["rows_used"] + 5
    assert dq["rows_rejected"] == len(rows)
    assert dq["rows_read"] == dq["rows_used"] + dq["rows_rejected"]
    html = (project / "reports" / "negatives" / "store_overview.html").read_text(encoding="utf-8")
    read, used, rej = (f"{dq[k]:,}" for k in ("rows_read", "rows_used", "rows_rejected"))
    assert re.search(rf"读取 {read} 行 = 使用 {used} 行 \+ 剔除 {rej} 行", html)
    assert "amount 为负数" in html


def _body(html: str) -> str:
    """The page body without <style> and <script> blocks."""
    body = html.split("<body", 1)[1]
    return re.sub(r"<(style|script)\b.*?</\1>", "", body, flags=re.S)


def test_reports_show_no_code(batch):
    project, _, _ = batch
    htmls = list((project / "reports").glob("*/*.html"))
    assert htmls
    for html_file in htmls:
        body = _body(html_file.read_text(encoding="utf-8"))
        assert "jp-InputArea" not in body and 'class="highlight' not in body, html_file
        for code in ("load_store(", "import ", "report.section(", "store: str ="):
            assert code not in body, (html_file, code)


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


def test_gbk_orders_with_chinese_headers_give_the_same_figures(batch):
    project, _, _ = batch
    (project / "data" / "gbk_chinese_headers" / "订单.csv").read_bytes().decode("gbk")
    read = {
        store: json.loads((project / "reports" / store / "store_overview.json").read_text("utf-8"))
        for store in ("good", "gbk_chinese_headers")
    }
    assert read["gbk_chinese_headers"]["headline"] == read["good"]["headline"]
    assert read["good"]["headline"]["orders"] > 100
