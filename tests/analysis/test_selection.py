"""The product-selection report tables: window, per-SKU / per-category assembly, headline, labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop.analysis import products as pr
from wxshop.analysis import selection as sel
from wxshop.report.i18n import Translator

END = "2024-03-31"

# Shop (all orders paid):
#   c1 buys A (食品, cost 6 of price 10) on Jan 1, Jan 11, Jan 21 (gaps 10, 10; last censored 70 days)
#   c2 buys A on Jan 1 and B (食品, cost 3 of 10) on Mar 31
#   c3 buys C (美妆, no cost, price 100) on Feb 1 and Mar 2 (gap 30), and B on Feb 1
# Lines: one unit each.


@pytest.fixture
def lines() -> pd.DataFrame:
    rows = [
        ("o1", "c1", "2024-01-01 09:00", "A"), ("o2", "c1", "2024-01-11 09:00", "A"),
        ("o3", "c1", "2024-01-21 09:00", "A"), ("o4", "c2", "2024-01-01 10:00", "A"),
        ("o5", "c2", "2024-03-31 23:00", "B"), ("o6", "c3", "2024-02-01 10:00", "C"),
        ("o6", "c3", "2024-02-01 10:00", "B"), ("o7", "c3", "2024-03-02 10:00", "C"),
    ]
    orders = pd.DataFrame(
        {"order_id": [r[0] for r in rows], "customer_id": [r[1] for r in rows],
         "ordered_at": pd.to_datetime([r[2] for r in rows]), "status": "paid"}
    ).drop_duplicates("order_id")
    items = pd.DataFrame({"order_id": [r[0] for r in rows], "sku_id": [r[3] for r in rows],
                          "quantity": 1})
    items["unit_price"] = items["sku_id"].map({"A": 10.0, "B": 10.0, "C": 100.0})
    products = pd.DataFrame({"sku_id": ["A", "B", "C"], "name": ["大米", "牛奶", "面膜"],
                             "category": ["食品", "食品", "美妆"], "unit_cost": [6.0, 3.0, np.nan]})
    return pr.item_lines(orders, items, products, END)


def test_window_keeps_the_last_days_inclusive(lines):
    kept = sel.window_lines(lines, END, 30)  # Mar 2 00:00 up to the end of Mar 31
    assert sorted(kept["order_id"].astype(str)) == ["o5", "o7"]
    assert len(sel.window_lines(lines, END, 0)) == len(lines)
    assert sorted(sel.window_lines(lines, "2024-01-11", 11)["order_id"].astype(str)) == ["o1", "o2", "o4"]


def test_sku_table_by_hand(lines):
    skus = sel.sku_table(lines, END, sel.SelectionOptions(min_repurchases=1)).set_index("sku_id")
    assert list(skus.index) == ["C", "A", "B"]  # gmv 200, 40, 20
    assert skus.loc["A", "gross_margin"] == pytest.approx(0.4)
    assert skus.loc["B", "gross_margin"] == pytest.approx(0.7)
    assert np.isnan(skus.loc["C", "gross_margin"]) and not skus.loc["C", "cost_complete"]
    # A: purchases c1 Jan 1, 11, 21 and c2 Jan 1 → gaps 10, 10; censored 70 (c1), 90 (c2).
    # KM: day 10: 2 of 4 at risk → S = 0.5, so the median is 10 (naive median 10 too).
    assert skus.loc["A", "repurchase_rate"] == pytest.approx(0.5)
    assert skus.loc["A", "km_median_days"] == 10 and skus.loc["A", "naive_median_days"] == 10
    # role: A cycle 10 ≤ 30 and rate 0.5 ≥ 0.3 → repeat; B margin 0.7 → profit;
    # C: margin unknown, one repurchase (gap 30, KM median 30 with 1 of 1 at risk ... S(30) = 0
    # ≤ 0.5) and rate 1 → repeat as well
    assert skus.loc["A", "role"] == "repeat" and skus.loc["B", "role"] == "profit"
    assert skus.loc["C", "role"] == "repeat" and skus.loc["C", "cycle_days"] == 30
    # category cycles for channel fit: 食品 purchase days c1 Jan 1/11/21, c2 Jan 1 and Mar 31,
    # c3 Feb 1 → gaps 10, 10, 90 and censored 70, 0, 59. KM: day 10 → S = 1 − 2/6 = 2/3;
    # day 90: at risk c2's Jan 1 only (durations ≥ 90: 90) → S = 0 → median 90.
    assert skus.loc["A", "category_cycle_days"] == 90
    assert skus.loc["A", "channel_rule"] == "default" and skus.loc["A", "scenes"] == "general"
    # ABC by GMV: C 200/260 = 0.769 (A), A crosses 0.8 (A), B (B, share before = 0.923 < 0.95)
    assert list(skus["abc_class"]) == ["A", "A", "B"]
    # by profit: A 16, B 14 → A's share 16/30 < 0.8, B's share before 0.53 < 0.8 → both A;
    # C has no profit → unknown (rows keep the GMV order here)
    assert list(skus["abc_class_profit"]) == ["unknown", "A", "A"]
    assert skus.loc["A", "reminder_day"] == 10


def test_sku_table_agrees_with_the_building_blocks(lines):
    opts = sel.SelectionOptions(roles={"high_margin": 0.5, "short_cycle_days": 5}, abc_a=0.7)
    skus = sel.sku_table(lines, END, opts)
    base = pr.product_table(lines, "sku")
    pdt.assert_series_equal(skus["gmv"], base["gmv"])
    cycles = pr.repurchase_cycles(lines, END, "sku")
    roles = pr.assign_roles(base.merge(cycles[["sku_id", "km_median_days", "naive_median_days"]]),
                            cycles, opts.thresholds)
    assert list(skus["role"]) == list(roles["role"].astype(str))
    # C: cycle 30 > 5 and margin unknown → tail; A: margin 0.4 < 0.45 and the most buyers (2,
    # tied with B; fewer than 0.2 × 3 items have more) → traffic; B: margin 0.7 ≥ 0.5 → profit
    assert list(skus["role"]) == ["tail", "traffic", "profit"]


def test_category_table(lines):
    cats = sel.category_table(lines, END).set_index("category")
    assert list(cats.index) == ["美妆", "食品"]
    assert cats.loc["食品", "gross_margin"] == pytest.approx(1 - (6 * 4 + 3 * 2) / 60)
    assert cats.loc["食品", "km_median_days"] == 90 and cats.loc["食品", "naive_median_days"] == 10
    assert cats.loc["食品", "cycle_days"] == cats.loc["食品", "category_cycle_days"]
    # 3 observed repurchases < 30: no reminder day by default
    assert pd.isna(cats.loc["食品", "reminder_day"])
    assert cats.loc["食品", "reminder_reason"] == "too_few_repurchases"


def test_headline_with_partial_costs(lines):
    head = sel.headline(sel.sku_table(lines, END))
    assert head["skus"] == 3 and head["categories"] == 2
    assert head["item_gmv"] == 260.0
    assert head["gross_profit"] == 30.0  # A 40 − 24, B 20 − 6; C has no cost
    assert head["gross_margin"] == pytest.approx(30 / 60)
    assert head["cost_coverage"] == pytest.approx(60 / 260)
    assert head["a_skus"] == 2 and head["a_gmv_share"] == pytest.approx(240 / 260)
    assert head["repeat_skus"] + head["profit_skus"] + head["traffic_skus"] + head["tail_skus"] == 3


def test_options_reject_bad_parameters_at_once():
    with pytest.raises(ValueError, match="unknown role threshold"):
        sel.SelectionOptions(roles={"hi_margin": 0.5})
    with pytest.raises(ValueError, match="scenes must be among"):
        sel.SelectionOptions(channel_rules=[{"rule": "x", "scenes": ["tv"]}])
    with pytest.raises(ValueError, match="abc_a"):
        sel.SelectionOptions(abc_a=0.96)


def test_options_record_the_rules_used():
    d = sel.SelectionOptions().to_dict()
    assert d["roles"]["high_margin"] == 0.6
    assert [r["rule"] for r in d["channel_rules"]] == [r["rule"] for r in pr.CHANNEL_RULES]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_labels_translate_every_code(lines, lang):
    tr = Translator(lang)
    skus = sel.sku_table(lines, END)
    shown = sel.labelled(skus, tr).set_index("sku_id")
    assert shown.loc["B", "role"] == tr("role.profit")
    assert shown.loc["B", "role_rule"] == ("毛利率 ≥ 60%" if lang == "zh" else "margin ≥ 60%")
    assert shown.loc["C", "role_rule"] == tr("rule.repeat", cycle="30", rate=0.3)
    assert shown.loc["A", "scenes"] == tr("scene.general")
    custom = skus.assign(scenes="group_buying+referral", channel_rule="my_rule")
    shown = sel.labelled(custom, tr)
    sep = "、" if lang == "zh" else ", "
    assert shown["scenes"].iloc[0] == tr("scene.group_buying") + sep + tr("scene.referral")
    assert shown["channel_rule"].iloc[0] == tr("channel_rule.custom", rule="my_rule")
    assert shown.loc[shown.index[0], "abc_class_profit"] == tr("abc.unknown")


def test_a_sku_missing_from_products_is_sold_but_is_not_a_category():
    orders = pd.DataFrame({"order_id": ["o1", "o2"], "customer_id": ["c1", "c2"],
                           "ordered_at": pd.to_datetime(["2024-01-01", "2024-01-02"]), "status": "paid"})
    items = pd.DataFrame({"order_id": ["o1", "o2"], "sku_id": ["A", "ghost"], "quantity": 1,
                          "unit_price": 10.0})
    products = pd.DataFrame({"sku_id": ["A"], "name": ["大米"], "category": ["食品"], "unit_cost": [6.0]})
    head = sel.headline(sel.sku_table(pr.item_lines(orders, items, products, END), END))
    assert head["skus"] == 2  # the unknown SKU was sold
    assert head["categories"] == 1  # its "—" is not a category


def test_item_tables_are_the_sku_and_category_tables():
    from order_frames import demo_store

    from wxshop.analysis.overview import resolve_period_end

    tables, _ = demo_store()
    end = resolve_period_end(tables["orders"])
    lines = pr.item_lines(tables["orders"], tables["order_items"], tables["products"], end)
    skus, categories = sel.item_tables(lines, end)
    pd.testing.assert_frame_equal(skus, sel.sku_table(lines, end), check_exact=True)
    pd.testing.assert_frame_equal(categories, sel.category_table(lines, end), check_exact=True)
