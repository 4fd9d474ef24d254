"""The product table per SKU and per category on hand-computed sales."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from product_frames import assert_frame, frame

from wxshop.analysis import products as pr

# Lines (every order paid; prices A 10, B 20, C 100; costs A 4, B 15, C 40 or missing):
#   o1 c1 03-01 09:00  A×2, B×1
#   o2 c1 03-01 20:00  A×1          same day as o1: one purchase of A
#   o3 c1 03-05        A×1          c1 buys A again on a later day → repeat buyer of A
#   o4 c2 03-02 10:00  A×3, C×1 (cost 40)
#   o5 c2 03-02 15:00  A×1          same day as o4: c2 is NOT a repeat buyer of A
#   o6 c3 03-03        C×1 (cost missing), B×2
#   o7 c3 03-10        B×1          c3 buys B again → repeat buyer of B
# SKU:  units        orders               buyers  gmv  cost  profit margin  repeat rate
#   A   2+1+1+3+1=8  o1..o5 = 5           c1 c2    80    32    48    0.60     1    1/2
#   B   1+2+1=4      o1 o6 o7 = 3         c1 c3    80    60    20    0.25     1    1/2
#   C   2            o4 o6 = 2            c2 c3   200   NaN   NaN    NaN      0    0
# One C line has no cost, so C's cost, profit and margin are unknown (cost_complete False).
# Total gmv 360: shares C 5/9, A 2/9, B 2/9; order by gmv, the tie A/B by key.
# Categories: 食品 = A + B: units 12, orders 7, buyers 3, gmv 160, cost 92, profit 68,
# margin 68/160 = 0.425; purchase days c1 {03-01, 03-05} c2 {03-02} c3 {03-03, 03-10}
# → 2 repeat buyers of 3. 美妆 = C: c2 {03-02}, c3 {03-03} → 0 repeat buyers.
SKU_NAMES = {"A": ("咖啡豆", "食品"), "B": ("坚果", "食品"), "C": ("面膜", "美妆")}
PRICE = {"A": 10.0, "B": 20.0, "C": 100.0}


@pytest.fixture
def sales() -> pd.DataFrame:
    rows = [
        ("o1", "c1", "2024-03-01 09:00", "A", 2, 4.0), ("o1", "c1", "2024-03-01 09:00", "B", 1, 15.0),
        ("o2", "c1", "2024-03-01 20:00", "A", 1, 4.0),
        ("o3", "c1", "2024-03-05 12:00", "A", 1, 4.0),
        ("o4", "c2", "2024-03-02 10:00", "A", 3, 4.0), ("o4", "c2", "2024-03-02 10:00", "C", 1, 40.0),
        ("o5", "c2", "2024-03-02 15:00", "A", 1, 4.0),
        ("o6", "c3", "2024-03-03 11:00", "C", 1, np.nan), ("o6", "c3", "2024-03-03 11:00", "B", 2, 15.0),
        ("o7", "c3", "2024-03-10 08:00", "B", 1, 15.0),
    ]
    df = pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "sku_id", "quantity",
                                     "unit_cost"])
    df["ordered_at"] = pd.to_datetime(df["ordered_at"])
    df["name"] = df["sku_id"].map(lambda s: SKU_NAMES[s][0])
    df["category"] = df["sku_id"].map(lambda s: SKU_NAMES[s][1])
    df["unit_price"] = df["sku_id"].map(PRICE)
    # the row order must not matter
    return df.sample(frac=1.0, random_state=3).reset_index(drop=True)


TABLE_COLUMNS = ["units", "orders", "buyers", "gmv", "cost", "gross_profit", "gross_margin",
                 "cost_complete", "gmv_share", "repeat_buyers", "repurchase_rate"]
TABLE_DTYPES = {"units": "int64", "orders": "int64", "buyers": "int64", "cost_complete": "bool",
                "repeat_buyers": "int64", "gmv": "float64", "cost": "float64",
                "gross_profit": "float64", "gross_margin": "float64", "gmv_share": "float64",
                "repurchase_rate": "float64"}


def test_product_table_sku_level(sales):
    got = pr.product_table(sales, "sku")
    want = frame(
        [("C", "面膜", "美妆", 2, 2, 2, 200.0, np.nan, np.nan, np.nan, False, 5 / 9, 0, 0.0),
         ("A", "咖啡豆", "食品", 8, 5, 2, 80.0, 32.0, 48.0, 0.60, True, 2 / 9, 1, 0.5),
         ("B", "坚果", "食品", 4, 3, 2, 80.0, 60.0, 20.0, 0.25, True, 2 / 9, 1, 0.5)],
        ["sku_id", "name", "category", *TABLE_COLUMNS],
        {"sku_id": "str", "name": "str", "category": "str", **TABLE_DTYPES},
    )
    assert_frame(got, want)


def test_product_table_category_level(sales):
    got = pr.product_table(sales, "category")
    want = frame(
        [("美妆", 2, 2, 2, 200.0, np.nan, np.nan, np.nan, False, 5 / 9, 0, 0.0),
         ("食品", 12, 7, 3, 160.0, 92.0, 68.0, 0.425, True, 4 / 9, 2, 2 / 3)],
        ["category", *TABLE_COLUMNS],
        {"category": "str", **TABLE_DTYPES},
    )
    assert_frame(got, want)


def test_product_table_from_item_lines_keeps_the_same_numbers(sales):
    """The same sales through orders/order_items/products and item_lines."""
    orders = sales.drop_duplicates("order_id")[["order_id", "customer_id", "ordered_at"]]
    items = sales[["order_id", "sku_id", "quantity", "unit_price"]]
    products = pd.DataFrame({"sku_id": ["A", "B", "C"], "name": ["咖啡豆", "坚果", "面膜"],
                             "category": ["食品", "食品", "美妆"], "unit_cost": [4.0, 15.0, np.nan]})
    lines = pr.item_lines(orders, items, products, "2024-03-31")
    got = pr.product_table(lines, "sku").set_index("sku_id")
    want = pr.product_table(sales, "sku").set_index("sku_id")
    pdt.assert_series_equal(got["units"], want["units"])
    pdt.assert_series_equal(got["repurchase_rate"], want["repurchase_rate"])
    assert np.isnan(got.loc["C", "gross_margin"])  # C has no cost in products at all
    with pytest.raises(ValueError, match="level"):
        pr.product_table(sales, "brand")
    with pytest.raises(KeyError, match="quantity"):
        pr.product_table(sales.drop(columns="quantity"), "sku")


def test_lines_grouped_by_order_give_the_same_table_as_shuffled_ones(sales):
    """Lines in order (the usual export) take the one-pass sort of (order, item) keys,
    shuffled ones the quicksort: the same table, orders per item included."""
    grouped = sales.sort_values(["order_id", "sku_id"], kind="stable").reset_index(drop=True)
    for level in ("sku", "category"):
        pdt.assert_frame_equal(pr.product_table(grouped, level), pr.product_table(sales, level),
                               check_exact=False, rtol=1e-12)
