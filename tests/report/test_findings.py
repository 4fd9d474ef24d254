"""Key findings: every number comes from the report's JSON figures, with the action it implies."""

from __future__ import annotations

import re

import nbformat
import pytest

from wxshop.report import findings
from wxshop.report.html import summary_first
from wxshop.report.i18n import Translator

CJK = re.compile(r"[\u4e00-\u9fff]")
OVERVIEW = {
    "customers": 238,
    "orders": 930,
    "gmv": 157362.12,
    "aov": 169.21,
    "spend_per_buyer": 661.19,
    "repurchase_rate": 0.689,
    "refund_rate": 0.048,
}
CATEGORIES = [{"category": "Food", "sales_share": 0.41}, {"category": "Beauty", "sales_share": 0.31}]


def test_overview_findings_quote_the_figures_and_the_playbook_line():
    lines = findings.store_overview(OVERVIEW, {"categories": CATEGORIES}, Translator("en"))
    assert 3 <= len(lines) <= 5
    assert lines[0] == "This period: GMV ¥157,362 from 930 orders by 238 customers."
    # the playbook's line is on 客单价, GMV per buyer (157,362 / 238), not on the value per order
    assert "Spend per buyer ¥661.19 meets the ¥150.00 good line" in lines[1]
    assert "68.9%" in lines[2] and "Food with 41.0%" in lines[3] and "4.8%" in lines[4]
    low = findings.store_overview({**OVERVIEW, "spend_per_buyer": 120.0, "aov": 200.0}, {},
                                  Translator("zh"))
    assert "客单价（每位买家）¥120.00，低于 ¥150.00 的良好线" in low[1]
    assert not any(CJK.search(line) for line in lines)


def test_the_refund_finding_says_which_rate_it_quotes():
    # Before, "(by amount)" was filled with the rate by orders.
    by_amount = findings.store_overview({**OVERVIEW, "refund_rate_amount": 0.031}, {}, Translator("en"))
    assert any("Refund rate 3.1% (by amount: refunds ÷ gross GMV)" in line for line in by_amount)
    by_orders = findings.store_overview(OVERVIEW, {}, Translator("zh"))
    assert any("退款率 4.8%（按订单）" in line for line in by_orders)


def test_profiling_findings_count_who_to_win_back_and_the_vips():
    stages = [
        {"stage": "new", "customers": 19},
        {"stage": "active", "customers": 24},
        {"stage": "silent", "customers": 30},
        {"stage": "dormant", "customers": 165},
        {"stage": "lost", "customers": 400},
    ]
    segments = [{"segment": "important_value", "customers": 42, "customer_share": 0.176, "gmv_share": 0.385}]
    head = {
        "customers": 638,
        "active_customers": 75,
        "period_days": 90,
        "new_customers": 42,
        "expected_purchases_90_total": 117.3,
        "expected_value_90_total": 19705.7,
    }
    lines = findings.user_profiling(head, {"stages": stages, "segments": segments}, Translator("en"))
    assert lines[0].startswith("75 of 638 customers bought in the last 90 days, 42 of them for the first")
    assert lines[1].startswith("195 customers need winning back (30 silent, 165 dormant)")
    assert lines[1].endswith("400 more are lost: low-cost reach only.")
    assert lines[2].startswith("42 important-value customers (17.6%) bring 38.5% of GMV")
    assert "117 more times" in lines[3] and "¥19,706" in lines[3]


def test_product_findings_pick_the_biggest_repeat_category_and_its_reminder_day():
    cats = [
        {
            "category": "Rice",
            "role": "repeat",
            "gmv": 10.0,
            "cycle_days": 20.0,
            "repurchase_rate": 0.5,
            "reminder_day": 15,
        },
        {
            "category": "Milk",
            "role": "repeat",
            "gmv": 30.0,
            "cycle_days": 11.0,
            "repurchase_rate": 0.65,
            "reminder_day": 8,
        },
        {
            "category": "Cream",
            "role": "profit",
            "gmv": 90.0,
            "cycle_days": 47.0,
            "repurchase_rate": 0.5,
            "reminder_day": 27,
        },
    ]
    head = {
        "skus": 67,
        "a_skus": 25,
        "a_gmv_share": 0.808,
        "gross_margin": 0.57,
        "cost_coverage": 1.0,
        "profit_skus": 19,
    }
    bundles = [
        {
            "sku_id_a": "S1",
            "name_a": "Dates",
            "sku_id_b": "S2",
            "name_b": "Nuts",
            "lift": 4.09,
            "orders_together": 9,
            "extra_orders": 6.8,
        }
    ]
    lines = findings.product_selection(head, {"categories": cats, "bundles": bundles}, Translator("en"))
    assert lines[0].startswith("25 class-A products (of 67) make 80.8% of item GMV")
    assert lines[1].startswith(
        "Repeat driver Milk: cycle about 11 days, repurchase rate 65.0%; remind buyers on day 8"
    )
    assert "Dates + Nuts (9 orders together, 7 more than by chance, lift 4.1)" in lines[3]
    assert findings.product_selection({}, {}, Translator("zh")) == [Translator("zh")("finding.no_items")]


def _cell(*htmls):
    outs = [nbformat.v4.new_output("display_data", data={"text/html": h}) for h in htmls]
    return nbformat.v4.new_code_cell("x", outputs=outs)


def test_reader_view_puts_cards_findings_and_contents_under_the_title_and_metadata_last():
    cells = [
        _cell("<h1>T</h1>", '<table class="wx-header"></table>', '<div class="wx-banner">!</div>'),
        _cell('<h2 id="wx-s1">One</h2>', '<div class="wx-cards"><div class="wx-card">1</div></div>',
              "<p>a</p>"),
        _cell('<h2 id="wx-s2">Two</h2>'),
        _cell('<h2 id="wx-s3">Three</h2>', '<div class="wx-findings"><ol><li>f</li></ol></div>'),
    ]
    out = summary_first(cells, "Contents")
    assert [o["data"]["text/html"] for o in out[0].outputs] == ["<h1>T</h1>"]
    opening = out[1].outputs
    assert "wx-banner" in opening[0]["data"]["text/html"]  # a red warning before anything else
    assert "wx-cards" in opening[1]["data"]["text/html"]
    assert "wx-findings" in opening[2]["data"]["text/html"]
    toc = opening[3]["data"]["text/html"]
    assert toc.index('href="#wx-s1"') < toc.index('href="#wx-s2"') < toc.index('href="#wx-s3"')
    assert "<h2>Contents</h2>" in toc
    moved = ("wx-findings", "wx-cards", "wx-header", "wx-banner")
    assert all(m not in o["data"]["text/html"] for c in out[2:-1] for o in c.outputs for m in moved)
    assert [o["data"]["text/html"] for o in out[-1].outputs] == ['<table class="wx-header"></table>']
    assert len(out) == 6


@pytest.mark.parametrize("cells", [[], [nbformat.v4.new_markdown_cell("# no header")]])
def test_without_a_header_nothing_moves(cells):
    assert summary_first(list(cells), "Contents") == cells
