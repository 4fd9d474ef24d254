"""Item lines (wxshop.analysis.products.lines) on a hand-made shop with exact expected frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from product_frames import assert_frame

from wxshop.analysis import products as pr
from wxshop.analysis.products import lines as lines_mod

CATEGORICAL = ["order_id", "customer_id", "sku_id", "name", "category"]


def as_str(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The categorical id columns as plain ``str`` (codes and category order are internal)."""
    return df.astype({c: "str" for c in columns})


# Orders (period_end 2024-01-10):
#   o1 c1 01-01 10:00 paid      A×2@10, B×1@30
#   o2 c1 01-01 18:00 paid      A×1@10
#   o3 c2 01-05 refunded        A×5@10            → left out (not paid)
#   o4 c2 01-10 23:59:59 paid   Z×1@7.5, B×1@30   → in (the whole last day counts)
#   o5 c3 01-11 00:00 paid      A×1@10            → left out (after period_end)
#   o6 no customer, paid        A×1@10            → left out
#   o7 c3 no timestamp, paid    B×1@30            → left out
#   lines of o99 have no order                    → left out
# Products: A 咖啡豆/食品 cost 4, B 面膜/美妆 cost 12, C never sold, a second A row is ignored
# (first row wins). Z is not in products: category "—", no name, NaN cost.
@pytest.fixture
def shop() -> dict[str, pd.DataFrame]:
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5", "o6", "o7"],
            "customer_id": ["c1", "c1", "c2", "c2", "c3", None, "c3"],
            "ordered_at": pd.to_datetime(
                ["2024-01-01 10:00:00", "2024-01-01 18:00:00", "2024-01-05 09:00:00",
                 "2024-01-10 23:59:59", "2024-01-11 00:00:00", "2024-01-03 12:00:00", None]
            ),
            "status": ["paid", "paid", "refunded", "paid", "paid", "paid", "paid"],
        }
    )
    items = pd.DataFrame(
        [("o1", "A", 2, 10.0), ("o1", "B", 1, 30.0), ("o2", "A", 1, 10.0), ("o3", "A", 5, 10.0),
         ("o4", "Z", 1, 7.5), ("o4", "B", 1, 30.0), ("o5", "A", 1, 10.0), ("o6", "A", 1, 10.0),
         ("o7", "B", 1, 30.0), ("o99", "A", 1, 10.0)],
        columns=["order_id", "sku_id", "quantity", "unit_price"],
    )
    products = pd.DataFrame(
        {
            "sku_id": ["A", "B", "C", "A"],
            "name": ["咖啡豆", "面膜", "坚果", "别的名字"],
            "category": ["食品", "美妆", "食品", "其他"],
            "unit_cost": [4.0, 12.0, 5.0, 99.0],
        }
    )
    return {"orders": orders, "order_items": items, "products": products}


ITEM_LINE_COLUMNS = ["order_id", "customer_id", "ordered_at", "sku_id", "name", "category",
                     "quantity", "unit_price", "unit_cost", "gmv", "cost"]


def test_item_lines_hand_computed(shop):
    got = pr.item_lines(shop["orders"], shop["order_items"], shop["products"], "2024-01-10")
    for col in CATEGORICAL:
        assert isinstance(got[col].dtype, pd.CategoricalDtype), col
    at = pd.to_datetime(["2024-01-01 10:00:00", "2024-01-01 10:00:00", "2024-01-01 18:00:00",
                         "2024-01-10 23:59:59", "2024-01-10 23:59:59"])
    want = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o4", "o4"],
            "customer_id": ["c1", "c1", "c1", "c2", "c2"],
            "ordered_at": at.astype(shop["orders"]["ordered_at"].dtype),
            "sku_id": ["A", "B", "A", "Z", "B"],
            "name": ["咖啡豆", "面膜", "咖啡豆", None, "面膜"],
            "category": ["食品", "美妆", "食品", "—", "美妆"],
            "quantity": np.array([2, 1, 1, 1, 1], np.int64),
            "unit_price": [10.0, 30.0, 10.0, 7.5, 30.0],
            "unit_cost": [4.0, 12.0, 4.0, np.nan, 12.0],
            # gmv = quantity × unit_price, cost = quantity × unit_cost
            "gmv": [20.0, 30.0, 10.0, 7.5, 30.0],
            "cost": [8.0, 12.0, 4.0, np.nan, 12.0],
        }
    ).astype({c: "str" for c in CATEGORICAL})
    assert pr.UNKNOWN_CATEGORY == "—"
    assert_frame(as_str(got, CATEGORICAL), want)


def test_item_lines_categories_are_those_pandas_would_check(shop):
    got = pr.item_lines(shop["orders"], shop["order_items"], shop["products"], "2024-01-10")
    for col in CATEGORICAL:
        categories = got[col].cat.categories
        assert categories.is_unique and not categories.hasnans, col
        assert got[col].dtype == pd.CategoricalDtype(categories), col  # the checked build


def test_distinct_categories_without_pandas_fast_path(monkeypatch):
    fast = lines_mod.distinct_categories(["b", "a"])
    monkeypatch.delattr(pd.CategoricalDtype, "_from_fastpath")
    checked = lines_mod.distinct_categories(["b", "a"])
    assert fast == checked and list(checked.categories) == ["b", "a"]
    with pytest.raises(ValueError, match="unique"):  # the fallback still checks
        lines_mod.distinct_categories(["a", "a"])


def test_item_lines_period_end_and_status(shop):
    # a day earlier: o4 (2024-01-10 23:59:59) drops out, only o1 and o2 remain
    got = pr.item_lines(shop["orders"], shop["order_items"], shop["products"], "2024-01-09")
    assert got["order_id"].astype("str").tolist() == ["o1", "o1", "o2"]
    # a timestamp within the day is the same day
    same = pr.item_lines(shop["orders"], shop["order_items"], shop["products"],
                         pd.Timestamp("2024-01-10 08:00"))
    assert same["order_id"].astype("str").tolist() == ["o1", "o1", "o2", "o4", "o4"]
    # without a status column every order counts: the refunded o3 comes back
    orders = shop["orders"].drop(columns="status")
    got = pr.item_lines(orders, shop["order_items"], shop["products"], "2024-01-10")
    assert got["order_id"].astype("str").tolist() == ["o1", "o1", "o2", "o3", "o4", "o4"]
    assert got["gmv"].sum() == pytest.approx(20 + 30 + 10 + 50 + 7.5 + 30)
    # without unit_cost every cost is NaN
    got = pr.item_lines(shop["orders"], shop["order_items"],
                        shop["products"].drop(columns="unit_cost"), "2024-01-10")
    assert got["cost"].isna().all() and got["unit_cost"].isna().all()


def test_item_lines_errors(shop):
    with pytest.raises(KeyError, match="unit_price"):
        pr.item_lines(shop["orders"], shop["order_items"].drop(columns="unit_price"),
                      shop["products"], "2024-01-10")
    with pytest.raises(KeyError, match="category"):
        pr.item_lines(shop["orders"], shop["order_items"], shop["products"].drop(columns="category"),
                      "2024-01-10")
    dup = shop["orders"].copy()
    dup.loc[1, "order_id"] = "o1"  # two paid orders o1
    with pytest.raises(ValueError, match="'o1' appears more than once"):
        pr.item_lines(dup, shop["order_items"], shop["products"], "2024-01-10")
    # a duplicate among the left-out orders is harmless
    dup = shop["orders"].copy()
    dup.loc[2, "order_id"] = "o1"  # o3 is refunded
    assert len(pr.item_lines(dup, shop["order_items"], shop["products"], "2024-01-10")) == 5
    with pytest.raises(ValueError, match="period_end"):
        pr.item_lines(shop["orders"], shop["order_items"], shop["products"], "")


def test_unknown_sku_is_its_own_category_with_unknown_cost(shop):
    lines = pr.item_lines(shop["orders"], shop["order_items"], shop["products"], "2024-01-10")
    cats = pr.product_table(lines, "category").set_index("category")
    # 美妆: B in o1 and o4 = 60; 食品: A 20 + 10 = 30; "—": Z 7.5 without cost
    assert cats["gmv"].to_dict() == {"美妆": 60.0, "食品": 30.0, "—": 7.5}
    assert cats.loc["美妆", "gross_margin"] == pytest.approx(1 - 24 / 60)
    assert not cats.loc["—", "cost_complete"] and np.isnan(cats.loc["—", "gross_margin"])
