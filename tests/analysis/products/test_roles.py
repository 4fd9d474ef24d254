"""Product roles and their thresholds on hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from product_frames import assert_frame

from wxshop.analysis import products as pr

# Default thresholds: margin ≥ 0.60 high, < 0.45 low; cycle ≤ 30 d short; rate ≥ 0.30 high;
# many buyers = fewer than 0.2 × 10 = 2 items have strictly more buyers.
# Category cycles: 食品 KM 12; 美妆 KM not reached, naive 25; 家居 KM 45; 日用 KM 30; 其他 none.
# buyers 100 90 90 80 10 10 10 5 5 0 → items with more buyers 0 1 1 3 4 4 4 7 7 9:
# s1, s2, s3 have many buyers (s2 and s3 tie at the edge and are both in).
#  sku cat  buyers margin rate  cycle      repeat traffic profit → role
#  s1  食品  100   0.30  0.50   12 km       yes    yes     no      repeat (beats traffic)
#  s2  美妆   90   0.30  0.10   25 naive    no     yes     no      traffic
#  s3  家居   90   0.40  0.10   45 km       no     yes     no      traffic
#  s4  其他   80   0.30  0.50   none        no     no      no      tail:no_rule
#  s5  家居   10   0.60  0.10   45          no     no      yes     profit (edge)
#  s6  美妆   10   NaN   0.20   25          no     no      no      tail:margin_unknown
#  s7  食品   10   NaN   0.50   12          yes    no      no      repeat (margin unknown)
#  s8  家居    5   0.90  0.30   45          no     no      yes     profit
#  s9  食品    5   0.90  0.30   12          yes    no      yes     repeat (beats profit)
#  s10 日用    0   0.20  0.30   30          yes    no      no      repeat (both edges)
ROLE_ROWS = [
    ("s1", "食品", 100, 0.30, 0.50), ("s2", "美妆", 90, 0.30, 0.10), ("s3", "家居", 90, 0.40, 0.10),
    ("s4", "其他", 80, 0.30, 0.50), ("s5", "家居", 10, 0.60, 0.10), ("s6", "美妆", 10, np.nan, 0.20),
    ("s7", "食品", 10, np.nan, 0.50), ("s8", "家居", 5, 0.90, 0.30), ("s9", "食品", 5, 0.90, 0.30),
    ("s10", "日用", 0, 0.20, 0.30),
]


@pytest.fixture
def role_table() -> pd.DataFrame:
    t = pd.DataFrame(ROLE_ROWS, columns=["sku_id", "category", "buyers", "gross_margin",
                                         "repurchase_rate"])
    t["gmv"] = np.arange(10, 0, -1) * 100.0  # an extra column that must be kept
    return t


@pytest.fixture
def category_cycles() -> pd.DataFrame:
    return pd.DataFrame({"category": ["食品", "美妆", "家居", "日用"],
                         "km_median_days": [12.0, np.nan, 45.0, 30.0],
                         "naive_median_days": [8.0, 25.0, 20.0, 20.0]})


REPEAT = "repeat:cycle<=30&rate>=0.30"
TRAFFIC = "traffic:margin<0.45&buyers_top20pct"
PROFIT = "profit:margin>=0.60"


def test_assign_roles_hand_computed(role_table, category_cycles):
    got = pr.assign_roles(role_table, category_cycles)
    want = role_table.copy()
    want["cycle_days"] = [12.0, 25.0, 45.0, np.nan, 45.0, 25.0, 12.0, 45.0, 12.0, 30.0]
    want["cycle_source"] = pd.array(["km_median", "naive_median", "km_median", "none", "km_median",
                                     "naive_median", "km_median", "km_median", "km_median",
                                     "km_median"], dtype="str")
    want["margin_known"] = [True, True, True, True, True, False, False, True, True, True]
    want["many_buyers"] = [True, True, True] + [False] * 7
    want["is_repeat"] = [True, False, False, False, False, False, True, False, True, True]
    want["is_traffic"] = [True, True, True] + [False] * 7
    want["is_profit"] = [False, False, False, False, True, False, False, True, True, False]
    want["role"] = pd.array(["repeat", "traffic", "traffic", "tail", "profit", "tail", "repeat",
                             "profit", "repeat", "repeat"], dtype="str")
    want["role_rule"] = pd.array([REPEAT, TRAFFIC, TRAFFIC, "tail:no_rule", PROFIT,
                                  "tail:margin_unknown", REPEAT, PROFIT, REPEAT, REPEAT], dtype="str")
    assert_frame(got, want)
    assert set(got["role"]) == set(pr.ROLES)


def test_assign_roles_thresholds_from_a_mapping(role_table, category_cycles):
    # top 40 %: fewer than 4 items with more buyers → s1..s4 (s4 has 3 above it) are many;
    # s4 (margin 0.30) becomes traffic; high margin 0.50 does not change who is profit here
    got = pr.assign_roles(role_table, category_cycles,
                          {"top_buyers_share": 0.4, "high_margin": 0.5}).set_index("sku_id")
    assert got["many_buyers"].tolist() == [True] * 4 + [False] * 6
    assert got.loc["s4", "role"] == "traffic"
    assert got.loc["s4", "role_rule"] == "traffic:margin<0.45&buyers_top40pct"
    assert got.loc["s5", "role_rule"] == "profit:margin>=0.50"
    same = pr.assign_roles(role_table, category_cycles,
                           pr.RoleThresholds(top_buyers_share=0.4, high_margin=0.5))
    pdt.assert_frame_equal(same.set_index("sku_id"), got)
    # a longer short cycle makes 家居 (45 d) repeat for s8 (rate 0.30)
    longer = pr.assign_roles(role_table, category_cycles, {"short_cycle_days": 45}).set_index("sku_id")
    assert longer.loc["s8", "role_rule"] == "repeat:cycle<=45&rate>=0.30"
    with pytest.raises(ValueError, match=r"unknown role threshold\(s\) \['high_margn'\]"):
        pr.assign_roles(role_table, category_cycles, {"high_margn": 0.7})
    with pytest.raises(ValueError, match="low_margin"):
        pr.RoleThresholds(low_margin=0.7, high_margin=0.6)
    with pytest.raises(ValueError, match="top_buyers_share"):
        pr.RoleThresholds(top_buyers_share=1.5)


def test_assign_roles_cycles_per_sku_and_none(role_table, category_cycles):
    # without cycles repeat never fires: s1 becomes traffic, s9 profit, s7 tail:margin_unknown
    got = pr.assign_roles(role_table, None).set_index("sku_id")
    assert got["cycle_source"].eq("none").all() and got["cycle_days"].isna().all()
    assert got.loc[["s1", "s7", "s9", "s10"], "role_rule"].tolist() == [
        TRAFFIC, "tail:margin_unknown", PROFIT, "tail:no_rule"]
    # SKU-level cycles: each SKU its own (s4 gets a 20-day cycle and becomes repeat)
    sku_cycles = pd.DataFrame({"sku_id": ["s4", "s1"], "km_median_days": [20.0, 200.0],
                               "naive_median_days": [10.0, 10.0]})
    got = pr.assign_roles(role_table, sku_cycles).set_index("sku_id")
    assert got.loc["s4", "role"] == "repeat" and got.loc["s1", "role"] == "traffic"
    assert got.loc["s2", "cycle_source"] == "none"
    with pytest.raises(ValueError, match="cycles are per SKU"):
        pr.assign_roles(role_table.drop(columns="sku_id"), sku_cycles)
    with pytest.raises(KeyError, match="repurchase_rate"):
        pr.assign_roles(role_table.drop(columns="repurchase_rate"), category_cycles)
