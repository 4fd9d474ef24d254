"""Cost of goods per order by integer row positions, against a text-id groupby reference."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.ab.order_costs import order_costs


def _reference(orders: pd.DataFrame, items: pd.DataFrame, products: pd.DataFrame) -> np.ndarray:
    """The plain pandas definition: map unit costs, sum per order id, NaN when any is unknown."""
    unit = products.groupby("sku_id")["unit_cost"].first()
    line = items["quantity"].to_numpy(float) * items["sku_id"].map(unit).to_numpy(float)
    frame = pd.DataFrame({"order_id": items["order_id"].to_numpy(), "cost": line})
    per = frame.groupby("order_id")["cost"].agg(lambda c: c.sum() if c.notna().all() else np.nan)
    return orders["order_id"].map(per).to_numpy(float)


def test_costs_match_a_text_groupby_in_shuffled_order() -> None:
    rng = np.random.default_rng(3)
    orders = pd.DataFrame({"order_id": [f"o{i}" for i in rng.permutation(400)]})
    items = pd.DataFrame({
        "order_id": [f"o{i}" for i in rng.integers(0, 420, 1500)],  # some lines of unknown orders
        "sku_id": [f"s{i}" for i in rng.integers(0, 32, 1500)],  # s30, s31 are not products
        "quantity": rng.integers(1, 4, 1500),
    })
    cost = rng.uniform(1, 50, 30).round(2)
    cost[[4, 9]] = np.nan  # two SKUs without a unit cost
    products = pd.DataFrame({"sku_id": [f"s{i}" for i in rng.permutation(30)], "unit_cost": cost})
    got = order_costs(orders, items, products)
    want = _reference(orders, items, products)
    assert np.isnan(got).sum() == np.isnan(want).sum() > 0
    assert np.isfinite(got).sum() > 50  # the comparison is not all NaN
    np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)


def test_an_order_without_lines_or_with_an_unknown_sku_has_no_cost() -> None:
    orders = pd.DataFrame({"order_id": ["a", "b", "c", "d"]})
    items = pd.DataFrame({"order_id": ["a", "a", "b", "d"], "sku_id": ["x", "y", "zz", "x"],
                          "quantity": [2, 1, 1, 3]})
    products = pd.DataFrame({"sku_id": ["x", "y"], "unit_cost": [1.5, 4.0]})
    got = order_costs(orders, items, products)
    assert got[0] == 7.0 and got[3] == 4.5
    assert np.isnan(got[1]) and np.isnan(got[2])


def test_costs_of_some_orders_follow_the_rows_asked_for() -> None:
    rng = np.random.default_rng(5)
    orders = pd.DataFrame({"order_id": [f"o{i}" for i in rng.permutation(300)]})
    items = pd.DataFrame({"order_id": [f"o{i}" for i in rng.integers(0, 300, 900)],
                          "sku_id": [f"s{i}" for i in rng.integers(0, 12, 900)],
                          "quantity": rng.integers(1, 4, 900)})
    products = pd.DataFrame({"sku_id": [f"s{i}" for i in range(11)], "unit_cost": rng.uniform(1, 9, 11)})
    every = order_costs(orders, items, products)
    rows = rng.choice(300, 40, replace=False)
    np.testing.assert_array_equal(order_costs(orders, items, products, rows=rows), every[rows])
    assert np.isfinite(every[rows]).sum() > 5 and np.isnan(every[rows]).sum() > 5
