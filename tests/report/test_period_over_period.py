"""The overview's period-over-period table, its notes and its key finding (环比, 同比)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from wxshop.analysis import periods
from wxshop.report import findings
from wxshop.report.document import table_records
from wxshop.report.i18n import STRINGS, Translator
from wxshop.report.views import overview as view

EN, ZH = Translator("en"), Translator("zh")
CJK = re.compile(r"[\u4e00-\u9fff]")
ROWS = [  # customer, ordered_at, amount, status
    ("x", "2024-03-01 09:00", 20.0, "paid"),  # the data's first day
    ("a", "2024-03-25 10:00", 100.0, "paid"),  # last year
    ("b", "2024-03-30 10:00", 50.0, "paid"),  # last year
    ("a", "2025-03-12 00:00", 100.0, "paid"),  # previous
    ("c", "2025-03-15 12:00", 40.0, "refunded"),  # previous
    ("a", "2025-03-21 23:59", 60.0, "paid"),  # previous
    ("a", "2025-03-22 00:00", 120.0, "paid"),  # current
    ("d", "2025-03-25 12:00", 100.0, "paid"),  # current
    ("b", "2025-03-31 23:59", 80.0, "paid"),  # current
]


def compared(since: str = "") -> pd.DataFrame:
    orders = pd.DataFrame(ROWS, columns=["customer_id", "ordered_at", "amount", "status"])
    orders.insert(0, "order_id", [f"o{i}" for i in range(len(orders))])
    orders["ordered_at"] = pd.to_datetime(orders["ordered_at"])
    if since:
        orders = orders[orders["ordered_at"] >= since].reset_index(drop=True)
    return periods.compare(orders, "2025-03-31", days=10)


def test_change_text_has_arrow_sign_and_unit():
    assert view.change_text(0.75, "relative", EN) == "↑ +75.0%"
    assert view.change_text(-0.0834, "relative", ZH) == "↓ -8.3%"
    assert view.change_text(-0.25, "pp", EN) == "↓ -25.0 pp"
    assert view.change_text(0.021, "pp", ZH) == "↑ +2.1 个百分点"
    assert view.change_text(-0.0004, "relative", EN) == "→ 0.0%"  # no "-0.0" and no arrow up or down
    assert view.change_text(None, "pp", EN) == view.change_text(float("nan"), "relative", EN) == "—"


def test_period_view_formats_each_figure_as_the_headline_does():
    got = view.period_view(compared(), EN).set_index("metric")
    assert list(got.columns) == ["current", "previous", "change_prev", "last_year", "change_yoy"]
    gmv = got.loc["Net GMV (after refunds)"]
    # current 120 + 100 + 80 = 300, previous 160 (the refunded 40 out), last year 150
    assert gmv.tolist() == ["¥300.00", "¥160.00", "↑ +87.5%", "¥150.00", "↑ +100.0%"]
    assert got.loc["Buying customers"].tolist() == ["3", "1", "↑ +200.0%", "2", "↑ +50.0%"]
    # a share changes in points: repurchase 100% (a twice) → 0%; refunds 1/3 → 0
    assert got.loc["Repurchase rate", "change_prev"] == "↓ -100.0 pp"
    assert got.loc["Refund rate (orders)"].tolist() == ["0.0%", "33.3%", "↓ -33.3 pp", "0.0%", "→ 0.0 pp"]


def test_without_last_year_the_columns_go_and_a_note_says_why():
    cmp = compared(since="2025-01-01")
    assert list(view.period_view(cmp, ZH).columns) == ["metric", "current", "previous", "change_prev"]
    notes = dict(view.period_notes(cmp))
    assert notes["overview.periods_no_last_year"] == {"data_start": "2025-03-12",
                                                      "last_year_start": "2024-03-22"}
    text = EN("overview.periods_no_last_year", **notes["overview.periods_no_last_year"])
    assert "starts on 2025-03-12, after the first day of the same period last year (2024-03-22)" in text
    assert "overview.periods_no_previous" not in notes


def test_notes_state_every_window_and_the_leap_day():
    notes = view.period_notes(compared())
    key, values = notes[0]
    assert EN(key, **values) == (
        "This period is 2025-03-22 to 2025-03-31 (10 days), against the previous 10 days, "
        "2025-03-12 to 2025-03-21, and the same dates last year, 2024-03-22 to 2024-03-31.")
    assert [k for k, _ in notes] == ["overview.periods_windows", "overview.periods_how"]
    leap = compared().assign(current_start="2024-02-23", current_end="2024-02-29", last_year_days=6)
    assert ("overview.periods_leap", {"n": 6}) in view.period_notes(leap)


def test_the_key_finding_gives_net_gmv_and_spend_per_buyer_against_the_previous_period():
    headline = {"customers": 5, "orders": 8, "gmv": 610.0, "spend_per_buyer": 122.0, "refund_rate": 0.1,
                "repurchase_rate": 0.2}
    categories = [{"category": "Tea", "sales_share": 0.6}]
    tables = {"period_over_period": table_records(compared()), "categories": categories}
    lines = findings.store_overview(headline, tables, EN)
    assert lines[1] == (
        "Last 10 days (2025-03-22 to 2025-03-31): net GMV ¥300.00, ↑ +87.5% on the previous 10 days: "
        "buyers ↑ +200.0%, spend per buyer ¥100.00 ↓ -37.5%; net GMV ↑ +100.0% on the same dates last year.")
    # six findings: the top category (its table is in the report) gives way, refunds stay
    assert len(lines) == 5 and not any("Tea" in line for line in lines) and "10.0%" in lines[-1]
    assert not any(CJK.search(line) for line in lines)
    zh = findings.store_overview(headline, tables, ZH)[1]
    assert zh.startswith("近 10 天（2025-03-22 至 2025-03-31）净 GMV ¥300.00，环比 ↑ +87.5%")
    assert "客单价 ¥100.00 环比 ↓ -37.5%；净 GMV 同比 ↑ +100.0%" in zh


def test_the_finding_says_when_there_is_no_year_over_year():
    tables = {"period_over_period": table_records(compared(since="2025-01-01"))}
    line = findings.store_overview({"customers": 3, "orders": 3, "gmv": 300.0}, tables, ZH)[1]
    assert line.endswith("；数据未覆盖去年同期，无同比。")
    # and no period finding at all without a previous period
    short = {"period_over_period": table_records(compared(since="2025-03-20"))}
    assert len(findings.store_overview({"customers": 3, "orders": 3, "gmv": 300.0}, short, ZH)) == 1


@pytest.mark.parametrize("key", sorted(set(view.LABELS.values())))
def test_every_label_is_translated(key):
    assert key in STRINGS
