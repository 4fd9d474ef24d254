"""Report helpers: escaping, formatting, the JSON record, the reader's HTML view."""

from __future__ import annotations

import json
import math

import nbformat
import pandas as pd
import pytest

from wxshop.report import document as rp
from wxshop.report.html import export_html
from wxshop.report.index import build_index


def test_format_value():
    assert rp.format_value(1234567, "int") == "1,234,567"
    assert rp.format_value(1234.5, "cny") == "¥1,234.50"
    assert rp.format_value(0.1234, "share") == "12.3%"
    assert rp.format_value(float("nan"), "share") == "—"
    assert rp.format_value(None, "cny") == "—"


def test_table_escapes_data(monkeypatch):
    shown = []
    monkeypatch.setattr(rp, "_html", shown.append)
    r = rp.Report("s", "nb", "en", report_dir="/tmp/x")
    r.table(pd.DataFrame({"category": ["<script>alert(1)</script>"], "gmv_share": [0.5]}),
            {"category": "col.category", "gmv_share": "col.gmv_share"}, {"gmv_share": "share"})
    assert "<script>" not in shown[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown[0]
    assert "<th>Category</th>" in shown[0] and "50.0%" in shown[0]


def test_every_kpi_row_names_its_window(monkeypatch):
    # Before, 复购率 over 24 months and over 90 days carried one label and no window.
    shown = []
    monkeypatch.setattr(rp, "_html", shown.append)
    r = rp.Report("s", "nb", "zh", report_dir="/tmp/x")
    values = {"customers": 10, "repurchase_rate": 0.25}
    spec = [("customers", "int"), ("repurchase_rate", "share")]
    r.kpis(values, spec, window="近 90 天 2026-08-03 至 2026-10-31")
    assert shown[-1].count("【近 90 天 2026-08-03 至 2026-10-31】") == 2
    r.kpis(values, spec, window={"customers": "截至 2026-10-31 的全部历史"})
    assert "【截至 2026-10-31 的全部历史】" in shown[-1] and shown[-1].count("【") == 1
    assert "不同的 2 天及以上" in shown[-1]  # 复购率's definition counts purchase days


def test_headings_escape_store_names(monkeypatch):
    shown = []
    monkeypatch.setattr(rp, "_html", shown.append)
    r = rp.Report("<img src=x onerror=alert(1)>", "nb", "zh", report_dir="/tmp/x")
    r.title("overview.title", store=r.store)
    assert "<img" not in shown[0] and "&lt;img" in shown[0]


def test_json_record_round_trip(tmp_path, monkeypatch):
    monkeypatch.setattr(rp, "_html", lambda _: None)
    r = rp.Report("s1", "store_overview", "zh", report_dir=tmp_path, parameters={"lang": "zh"})
    r.record("gmv", 12.5)
    r.record("aov", float("nan"))
    r.record_table("t", pd.DataFrame({"a": [1, 2], "b": ["x", None]}))
    r.skip("overview.categories", "products")
    r.save()
    data = json.loads(r.json_path.read_text(encoding="utf-8"))
    assert data["headline"] == {"gmv": 12.5, "aov": None}
    assert data["tables"]["t"] == [{"a": 1, "b": "x"}, {"a": 2, "b": None}]
    assert data["skipped"] == [{"section": "overview.categories", "table": "products"}]
    assert data["schema"] == 1 and data["store"] == "s1"
    assert not math.isnan(data["headline"]["gmv"])


def _executed_notebook(path):
    nb = nbformat.v4.new_notebook()
    md = nbformat.v4.new_markdown_cell("analyst note", metadata={"tags": ["analyst"]})
    code = nbformat.v4.new_code_cell("secret_code_here = 1")
    code.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy"),
        nbformat.v4.new_output("display_data", data={"text/html": "<h2>Visible</h2>"}),
    ]
    nb.cells = [md, code]
    nbformat.write(nb, path)


def test_reader_view_hides_code_analyst_cells_and_stderr(tmp_path):
    _executed_notebook(tmp_path / "a.ipynb")
    html = export_html(tmp_path / "a.ipynb", tmp_path / "a.html").read_text(encoding="utf-8")
    assert "<h2>Visible</h2>" in html
    for hidden in ("secret_code_here", "analyst note", "noisy"):
        assert hidden not in html
    with_code = export_html(tmp_path / "a.ipynb", tmp_path / "b.html", with_code=True)
    assert "secret_code_here" in with_code.read_text(encoding="utf-8")


def test_index_escapes_errors_and_links_only_existing_reports(tmp_path):
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / "store_overview.html").write_text("<html></html>")
    (tmp_path / "s1" / "store_overview.status.json").write_text(json.dumps(
        {"store": "s1", "notebook": "store_overview", "status": "ok", "html": "store_overview.html"}))
    (tmp_path / "s1" / "store_overview.json").write_text(json.dumps({"headline": {"gmv": 1000.0}}))
    (tmp_path / "s2").mkdir()
    (tmp_path / "s2" / "store_overview.status.json").write_text(json.dumps(
        {"store": "s2", "notebook": "store_overview", "status": "failed", "cell": 3,
         "error": "ValueError: <script>x</script>", "html": None}))
    html = build_index(tmp_path, lang="en").read_text(encoding="utf-8")
    assert 'href="s1/store_overview.html"' in html and "¥1,000.00" in html
    assert 'href="s2/' not in html
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "1 reports written, 1 failed" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_language(tmp_path, lang):
    html = build_index(tmp_path, lang=lang).read_text(encoding="utf-8")
    assert ("报告索引" in html) == (lang == "zh")


def test_banner_is_shown_escaped_and_recorded(tmp_path, capsys):
    from wxshop.report.document import Report

    r = Report("s", "nb", "en", tmp_path)
    r.banner("ab.srm_banner", p=1e-6, threshold=0.001)
    assert r.warnings[0]["key"] == "ab.srm_banner" and "SRM" in r.warnings[0]["text"]
    assert r.to_dict()["warnings"] == r.warnings


def test_header_shows_freshness_and_parameters_without_long_rule_tables():
    from wxshop.report.document import _param_text

    assert _param_text({"control": {"users": 10}}) == '{"control": {"users": 10}}'
    rules = [{"rule": f"r{i}", "scenes": ["group_buying", "moments_showcase"]} for i in range(5)]
    assert _param_text(rules) == "[5 …]"
    assert _param_text("x" * 200).endswith("…") and len(_param_text("x" * 200)) == 120
    assert _param_text(0.05) == "0.05" and _param_text(True) == "true"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_quality_warns_red_about_unknown_statuses_and_says_ids_are_pseudonyms(tmp_path, monkeypatch,
                                                                              lang):
    from wxshop.data.load import load_store

    shown = []
    monkeypatch.setattr(rp, "_html", shown.append)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "orders.csv").write_text(
        "订单号,用户标识,下单时间,实付金额,订单状态\nA1,oA,2024-06-01,10,待发货\nA2,oB,2024-06-01,99,拼团中\n",
        encoding="utf-8")
    store = load_store(tmp_path / "d", name="shop", cache=False)
    r = rp.Report("shop", "store_overview", lang, report_dir=tmp_path / "r")
    r.quality(store)
    # one of two rows set aside: the unknown status, and too large a share set aside
    assert [w["key"] for w in r.warnings] == ["report.unknown_statuses", "report.rejected_share"]
    text = r.warnings[0]["text"]
    assert "拼团中 (1)" in text and "statuses: {拼团中: paid}" in text and "params/stores/shop.yaml" in text
    assert any("openid" in h and ("HMAC" in h) for h in shown)
    assert r.data_quality["rows_rejected"] == 1 and r.data_quality["rows_merged"] == 0


def test_a_store_with_too_many_rows_set_aside_gets_a_red_banner_and_an_index_flag(tmp_path, monkeypatch):
    from wxshop.data.load import load_store

    monkeypatch.setattr(rp, "_html", lambda _: None)
    (tmp_path / "d").mkdir()
    rows = "".join(f"A{i},{'1.38E+10' if i < 3 else f'c{i}'},2024-06-01,10\n" for i in range(20))
    (tmp_path / "d" / "orders.csv").write_text("order_id,customer_id,ordered_at,amount\n" + rows)
    store = load_store(tmp_path / "d", name="shop", cache=False)
    reports = tmp_path / "reports"
    r = rp.Report("shop", "store_overview", "zh", report_dir=reports / "shop")
    r.quality(store)
    assert [w["key"] for w in r.warnings] == ["report.rejected_share"]
    assert "3 / 20 行（15.0%，超过 5%）" in r.warnings[0]["text"]
    r.save()
    (reports / "shop" / "store_overview.html").write_text("<html></html>")
    (reports / "shop" / "store_overview.status.json").write_text(json.dumps(
        {"store": "shop", "notebook": "store_overview", "status": "ok", "html": "store_overview.html"}))
    page = build_index(reports, lang="zh").read_text(encoding="utf-8")
    assert "⚠ 1 条警告" in page and "3 / 20 行" in page
