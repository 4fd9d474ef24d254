"""`wxshop run` on generated demo stores, the product-selection reports, in both languages,
and on stores without costs or without a products table (the shared demo batch,
``demo_project`` in conftest.py)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import DEMO_STORE, DEMO_STORES

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")
NB = "product_selection"


@pytest.fixture(scope="module")
def project(demo_project):
    """The shared demo batch (read-only): demo_01 in Chinese and in
    English into reports_en/; no_costs and no_products are the committed sample store without
    the unit_cost column and without products.csv."""
    return demo_project


def _json(project, store, reports="reports"):
    return json.loads((project / reports / store / f"{NB}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("store, reports", [(DEMO_STORE, "reports_en"),
                                            *((store, "reports") for store in DEMO_STORES)])
def test_report_and_json_for_every_demo_store(project, store, reports):
    out = project / reports / store
    assert (out / f"{NB}.html").stat().st_size > 10_000
    data = _json(project, store, reports)
    skus, cats = data["tables"]["skus"], data["tables"]["categories"]
    for row in skus:
        assert row["role"] in {"repeat", "traffic", "profit", "tail"}
        assert row["role_rule"].startswith(row["role"] + ":")
        assert row["abc_class"] in {"A", "B", "C"}
    for row in cats:  # the demo's five categories each have hundreds of repurchases
        assert row["km_median_days"] >= row["naive_median_days"] > 0
        assert isinstance(row["reminder_day"], int) and 1 <= row["reminder_day"] <= row["km_median_days"]
    head = data["headline"]
    assert head["skus"] == len(skus) and head["categories"] == len(cats)
    assert head["item_gmv"] == pytest.approx(sum(r["gmv"] for r in skus), abs=0.01)
    assert head["cost_coverage"] == 1.0
    assert sum(head[f"{r}_skus"] for r in ("repeat", "traffic", "profit", "tail")) == len(skus)
    assert {"bundles", "reminders", "abc_gmv", "abc_profit", "category_km_curves"} <= set(data["tables"])


@pytest.mark.parametrize("store", DEMO_STORES)
def test_planted_margins_exactly(project, store):
    truth = json.loads((project / "data" / "demo" / store / "truth.json").read_text(encoding="utf-8"))
    skus = _json(project, store)["tables"]["skus"]
    assert len(skus) > 30
    for row in skus:
        assert row["gross_margin"] == pytest.approx(truth["sku_margins"][row["sku_id"]], abs=1e-9)


def test_chinese_report_speaks_chinese(project):
    html = (project / "reports" / "demo_01" / f"{NB}.html").read_text(encoding="utf-8")
    for text in ("复购周期", "利润款", "社群团购", "提醒", "提升度", "ABC"):
        assert text in html
    assert "tail:no_rule" not in html and "group_buying" not in html  # codes stay in the JSON


def test_english_report_has_no_chinese_headings_or_labels(project):
    html = (project / "reports_en" / DEMO_STORE / f"{NB}.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, flags=re.S)
    assert len(headings) >= 9
    for h in headings:
        assert not CJK.search(re.sub(r"<[^>]+>", "", h)), h
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html, flags=re.S)
    assert headers and not [h for h in headers if CJK.search(h)]
    assert "Repeat driver" in html or "Profit maker" in html


def test_store_without_costs_says_so_and_skips_margins(project):
    data = _json(project, "no_costs")
    html = (project / "reports" / "no_costs" / f"{NB}.html").read_text(encoding="utf-8")
    assert "缺少成本价" in html
    assert data["headline"]["cost_coverage"] == 0.0
    assert all(r["gross_margin"] is None and r["role"] in {"repeat", "tail"} for r in data["tables"]["skus"])
    assert "abc_profit" not in data["tables"]


def test_store_without_products_still_reports_skus(project):
    data = _json(project, "no_products")
    assert {s["table"] for s in data["skipped"]} == {"products"}
    # every SKU is sold; none has a category without a products table ("—" is not one)
    assert data["headline"]["skus"] > 30 and data["headline"]["categories"] == 0
