"""Channel fit: default and custom rules, category cycles applied to SKUs, rule checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from product_frames import assert_frame

from wxshop.analysis import products as pr

# SKU-level cycles so that every item has its own.
#  sku  category  margin cycle (source)   rule
#  f1   食品饮料   0.30   10 km            short_cycle_food
#  f2   食品饮料   0.70   15 km            short_cycle_food (edge ≤ 15)
#  f3   食品饮料   0.70   16 km            default
#  b1   美妆护肤   0.65   10 km            high_margin_beauty (edge ≥ 0.65)
#  b2   美妆护肤   0.64   10 km            default
#  b3   美妆护肤   NaN    10 km            default (a bound on a missing margin does not match)
#  a1   数码配件   0.50   60 km            long_cycle_accessories (edge ≥ 60)
#  a2   数码配件   0.50   none             default (a bound on a missing cycle does not match)
#  a3   数码配件   0.50   70 naive         long_cycle_accessories
#  x1   母婴用品   0.90    5 km            default
#  x2   食品饮料   0.80   12 km            not beauty: short_cycle_food
FIT_ROWS = [
    ("f1", "食品饮料", 0.30, 10.0, 8.0), ("f2", "食品饮料", 0.70, 15.0, 8.0),
    ("f3", "食品饮料", 0.70, 16.0, 8.0), ("b1", "美妆护肤", 0.65, 10.0, 8.0),
    ("b2", "美妆护肤", 0.64, 10.0, 8.0), ("b3", "美妆护肤", np.nan, 10.0, 8.0),
    ("a1", "数码配件", 0.50, 60.0, 30.0), ("a2", "数码配件", 0.50, np.nan, np.nan),
    ("a3", "数码配件", 0.50, np.nan, 70.0), ("x1", "母婴用品", 0.90, 5.0, 3.0),
    ("x2", "食品饮料", 0.80, 12.0, 8.0),
]


@pytest.fixture
def fit_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pd.DataFrame(FIT_ROWS, columns=["sku_id", "category", "gross_margin", "km_median_days",
                                           "naive_median_days"])
    return rows[["sku_id", "category", "gross_margin"]], rows[["sku_id", "km_median_days",
                                                               "naive_median_days"]]


FOOD, BEAUTY = "group_buying+moments_showcase", "live_stream+tutorial_seeding"
ACCESSORIES = "mini_program_mall+referral"


def test_channel_fit_default_rules(fit_inputs):
    table, cycles = fit_inputs
    got = pr.channel_fit(table, cycles)
    want = table.copy()
    want["cycle_days"] = [10.0, 15.0, 16.0, 10.0, 10.0, 10.0, 60.0, np.nan, 70.0, 5.0, 12.0]
    want["cycle_source"] = pd.array(["km_median"] * 7 + ["none", "naive_median"] + ["km_median"] * 2,
                                    dtype="str")
    rules = ["short_cycle_food", "short_cycle_food", "default", "high_margin_beauty", "default",
             "default", "long_cycle_accessories", "default", "long_cycle_accessories", "default",
             "short_cycle_food"]
    scenes = {"short_cycle_food": FOOD, "high_margin_beauty": BEAUTY,
              "long_cycle_accessories": ACCESSORIES, "default": "general"}
    want["channel_rule"] = pd.array(rules, dtype="str")
    want["scenes"] = pd.array([scenes[r] for r in rules], dtype="str")
    want["primary_scene"] = pd.array([scenes[r].split("+")[0] for r in rules], dtype="str")
    assert_frame(got, want)
    assert set(got["primary_scene"]) <= set(pr.SCENES)


def test_channel_fit_category_cycles_apply_to_skus(fit_inputs):
    table, _ = fit_inputs
    cycles = pd.DataFrame({"category": ["食品饮料", "数码配件"], "km_median_days": [20.0, 90.0],
                           "naive_median_days": [9.0, 40.0]})
    got = pr.channel_fit(table, cycles).set_index("sku_id")
    # food cycle 20 > 15: no food rule; every accessory takes the 90-day cycle
    assert got.loc[["f1", "f2", "f3", "x2"], "channel_rule"].eq("default").all()
    assert got.loc[["a1", "a2", "a3"], "channel_rule"].eq("long_cycle_accessories").all()
    assert got.loc["b1", "channel_rule"] == "high_margin_beauty"  # needs no cycle
    assert got.loc["x1", "cycle_source"] == "none"


def test_channel_fit_custom_rules_first_match_wins(fit_inputs):
    table, cycles = fit_inputs
    rules = [
        {"rule": "cheap", "max_margin": 0.5, "scenes": "referral"},
        {"rule": "food", "categories": "食品饮料", "scenes": ["group_buying", "live_stream"]},
        {"rule": "mid_cycle", "min_cycle_days": 8, "max_cycle_days": 12, "min_margin": 0.6,
         "scenes": ["moments_showcase"]},
    ]
    got = pr.channel_fit(table, cycles, rules).set_index("sku_id")
    # f1 (0.30) is cheap before it is food; a1..a3 (0.50) are cheap (edge ≤ 0.5);
    # b1 (0.65, cycle 10) mid_cycle; b2 (0.64) mid_cycle; b3 (margin NaN) and x1 (cycle 5) none
    assert got["channel_rule"].to_dict() == {
        "f1": "cheap", "f2": "food", "f3": "food", "b1": "mid_cycle", "b2": "mid_cycle",
        "b3": "none", "a1": "cheap", "a2": "cheap", "a3": "cheap", "x1": "none", "x2": "food"}
    assert got.loc["f2", "scenes"] == "group_buying+live_stream"
    assert got.loc["f2", "primary_scene"] == "group_buying"
    assert got.loc["x1", "scenes"] == "" and got.loc["x1", "primary_scene"] == ""


@pytest.mark.parametrize(
    ("rules", "match"),
    [
        ([{"rule": "x", "scenes": ["general"], "max_cycle": 3}],
         r"channel rule #0: unknown key\(s\) \['max_cycle'\]; known: \['rule', 'scenes'"),
        ([{"rule": "x"}], "channel rule #0 needs 'scenes'"),
        ([{"rule": "ok", "scenes": ["general"]}, {"scenes": ["general"]}], "channel rule #1 needs 'rule'"),
        ([{"rule": "x", "scenes": ["tiktok"]}], r"channel rule 'x': scenes must be among .*tiktok"),
        ([{"rule": "x", "scenes": []}], "scenes must be among"),
        (["default"], "channel rule #0 must be a mapping, got str"),
        ({"rule": "x", "scenes": ["general"]}, "rules must be a list"),
    ],
)
def test_channel_fit_rejects_bad_rules(fit_inputs, rules, match):
    table, cycles = fit_inputs
    with pytest.raises(ValueError, match=match):
        pr.channel_fit(table, cycles, rules)
