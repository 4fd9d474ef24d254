"""Discount depth and discount vs repurchase on hand-computed orders and a demo store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from basket_demo import demo_tables

from wxshop.analysis import baskets


# o1 paid, discount 30, campaign MJ1: P 1×100, Q 2×100      → P 10, Q 20 (pro rata)
# o2 paid, no discount, campaign "":  P 1×50, P 1×50       → 0
# o3 paid, discount 30, no campaign:  Q 1×100, R 2×25      → Q 20, R 10
# o4 refunded, discount 50:           P 1×100              → left out
# o5 paid, discount 5:                Z 1×0                → nothing to split by: 0
# P: 3 lines, 2 orders, gross 200, discount 10, depth 0.05, 1/3 discounted, 1/3 campaign
# Q: 2 lines, 2 orders, gross 300, discount 40, depth 2/15, all discounted, 1/2 campaign
# R: 1 line, gross 50, discount 10, depth 0.2;  Z: gross 0, depth NaN
@pytest.fixture
def sales() -> dict[str, pd.DataFrame]:
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5"],
            "status": ["paid", "paid", "paid", "refunded", "paid"],
            "discount": [30.0, 0.0, 30.0, 50.0, 5.0],
            "campaign_id": ["MJ1", "", None, "MJ1", None],
        }
    )
    items = pd.DataFrame(
        [("o1", "P", 1, 100.0), ("o1", "Q", 2, 100.0), ("o2", "P", 1, 50.0),
         ("o2", "P", 1, 50.0), ("o3", "Q", 1, 100.0), ("o3", "R", 2, 25.0),
         ("o4", "P", 1, 100.0), ("o5", "Z", 1, 0.0)],
        columns=["order_id", "sku_id", "quantity", "unit_price"],
    )
    products = pd.DataFrame({"sku_id": ["P", "Q", "R"], "name": ["大米", "面霜", "燕麦"],
                             "category": ["食品", "美妆", "食品"]})
    return {"orders": orders, "order_items": items, "products": products}


def depth_frame(rows: list[tuple], key: str = "sku_id", recorded: bool = True) -> pd.DataFrame:
    f = pd.DataFrame(rows, columns=[key, "lines", "orders", "gross_sales", "discount_allocated",
                                    "avg_discount_depth", "share_of_lines_discounted",
                                    "campaign_share"])
    f[key] = f[key].astype("str")
    f["discount_recorded"] = recorded
    return f.astype({"lines": "int64", "orders": "int64", "gross_sales": "float64",
                     "discount_allocated": "float64", "avg_discount_depth": "float64",
                     "share_of_lines_discounted": "float64", "campaign_share": "float64"})


DEPTH_ROWS = [
    ("Q", 2, 2, 300.0, 40.0, 2 / 15, 1.0, 0.5),
    ("P", 3, 2, 200.0, 10.0, 0.05, 1 / 3, 1 / 3),
    ("R", 1, 1, 50.0, 10.0, 0.2, 1.0, 0.0),
    ("Z", 1, 1, 0.0, 0.0, np.nan, 1.0, 0.0),
]


def test_discount_depth_hand_computed(sales):
    got = baskets.discount_depth(sales["orders"], sales["order_items"])
    pdt.assert_frame_equal(got, depth_frame(DEPTH_ROWS))


def test_discount_depth_allocates_pro_rata():
    # the textbook case: discount 30 on lines worth 100 and 200 → 10 and 20
    orders = pd.DataFrame({"order_id": ["x"], "discount": [30.0]})
    items = pd.DataFrame({"order_id": ["x", "x"], "sku_id": ["a", "b"], "quantity": [1, 1],
                          "unit_price": [100.0, 200.0]})
    got = baskets.discount_depth(orders, items).set_index("sku_id")
    assert got.loc["a", "discount_allocated"] == pytest.approx(10.0)
    assert got.loc["b", "discount_allocated"] == pytest.approx(20.0)
    assert got["avg_discount_depth"].tolist() == pytest.approx([0.1, 0.1])
    assert got["campaign_share"].isna().all()  # no campaign_id column


def test_discount_depth_category_and_products(sales):
    got = baskets.discount_depth(sales["orders"], sales["order_items"], level="category",
                                 products=sales["products"])
    # 食品 = P + R: 4 lines in o1, o2, o3; 25 of 250 → 0.1 (Z is unknown → "—")
    want = depth_frame([("美妆", 2, 2, 300.0, 40.0, 2 / 15, 1.0, 0.5),
                        ("食品", 4, 3, 250.0, 20.0, 0.08, 0.5, 0.25),
                        ("—", 1, 1, 0.0, 0.0, np.nan, 1.0, 0.0)], key="category")
    pdt.assert_frame_equal(got, want)
    named = baskets.discount_depth(sales["orders"], sales["order_items"],
                                   products=sales["products"])
    assert list(named.columns[:3]) == ["sku_id", "name", "category"]
    assert named["name"].tolist()[:3] == ["面霜", "大米", "燕麦"]
    assert named["category"].tolist()[3] == "—"


def test_discount_depth_without_discount_column(sales):
    got = baskets.discount_depth(sales["orders"].drop(columns=["discount", "campaign_id"]),
                                 sales["order_items"])
    want = depth_frame([(k, n, o, g, 0.0, 0.0 if g else np.nan, 0.0, np.nan)
                        for k, n, o, g, *_ in DEPTH_ROWS], recorded=False)
    pdt.assert_frame_equal(got, want)
    assert got.attrs["discount_recorded"] is False


REPURCHASE = pd.DataFrame({"sku_id": ["P", "Q", "R", "S"],
                           "repurchase_rate": [0.15, 0.5, 0.1, 0.3]})


def test_discount_vs_repurchase_flags(sales):
    depth = baskets.discount_depth(sales["orders"], sales["order_items"])
    got = baskets.discount_vs_repurchase(depth, REPURCHASE)
    # median over P, Q, R (Z has no rate, S is not sold) = 0.15; deep (≥ 0.15): R only
    assert got["sku_id"].tolist() == ["R", "Q", "P", "Z"]
    want = pd.DataFrame({"repurchase_rate": [0.1, 0.5, 0.15, np.nan],
                         "deep_discount_low_return": [True, False, False, False]})
    pdt.assert_frame_equal(got[want.columns], want)
    assert got.attrs["repurchase_median"] == pytest.approx(0.15)
    # deep but buyers return: Q is not flagged; P (0.15) is not below the median
    lower = baskets.discount_vs_repurchase(depth, REPURCHASE, threshold=0.04)
    assert lower["deep_discount_low_return"].tolist() == [True, False, False, False]
    none = baskets.discount_vs_repurchase(depth, REPURCHASE, threshold=0.25)
    assert not none["deep_discount_low_return"].any()


def test_discount_vs_repurchase_median_of_items_with_a_rate(sales):
    depth = baskets.discount_depth(sales["orders"], sales["order_items"])
    got = baskets.discount_vs_repurchase(depth, REPURCHASE[REPURCHASE["sku_id"] != "P"])
    # rates Q 0.5, R 0.1 → median 0.3; P has no rate and is not flagged
    assert got.attrs["repurchase_median"] == pytest.approx(0.3)
    assert got.set_index("sku_id")["deep_discount_low_return"].to_dict() == {
        "R": True, "Q": False, "P": False, "Z": False}
    with pytest.raises(ValueError, match="several rows"):
        baskets.discount_vs_repurchase(depth, pd.concat([REPURCHASE, REPURCHASE]))
    with pytest.raises(KeyError, match="repurchase_rate"):
        baskets.discount_vs_repurchase(depth, REPURCHASE.drop(columns="repurchase_rate"))


@pytest.fixture(scope="module")
def store() -> dict[str, pd.DataFrame]:
    return demo_tables()


def test_demo_store_discounts_add_up(store):
    o, i = store["orders"], store["order_items"]
    got = baskets.discount_depth(o, i, products=store["products"])
    paid = o[o["status"] == "paid"]
    # every paid order's discount lands on its lines, and gross − discount = amount
    # (up to half a fen per item: outputs are rounded to the fen)
    fen = 0.005 * len(got)
    assert got["discount_allocated"].sum() == pytest.approx(paid["discount"].sum(), abs=fen)
    assert (got["gross_sales"].sum() - got["discount_allocated"].sum()
            == pytest.approx(paid["amount"].sum(), abs=2 * fen))
    assert got["lines"].sum() == i["order_id"].isin(paid["order_id"]).sum()
    assert got["avg_discount_depth"].between(0, 1).all()
    assert (got["campaign_share"] <= got["share_of_lines_discounted"] + 1e-12).all()
    rep = pd.DataFrame({"sku_id": got["sku_id"],
                        "repurchase_rate": np.linspace(0, 0.5, len(got))})
    merged = baskets.discount_vs_repurchase(got, rep, threshold=0.0)
    assert merged["avg_discount_depth"].is_monotonic_decreasing
    assert merged["deep_discount_low_return"].sum() == (rep["repurchase_rate"]
                                                        < rep["repurchase_rate"].median()).sum()
