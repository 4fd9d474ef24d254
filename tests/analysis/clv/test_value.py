"""Customer value on gross margin, discounted: margin rates from costs and coupons, the discrete
discounted sum checked by hand, and the totals the report prints."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop.analysis import clv
from wxshop.analysis.clv.bgnbd import BGNBDFit, expected_purchases

FIT = BGNBDFit(r=0.5, alpha=60.0, a=0.8, b=2.5, log_likelihood=float("nan"), n_customers=3,
               converged=True, iterations=0, seconds=0.0, model="mbgnbd")


def _store():
    orders = pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4", "o5"],
        "customer_id": ["a", "a", "b", "c", "d"],
        "ordered_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-10", "2025-01-15",
                                      "2025-03-01"]),
        # o2 had a 20-yuan coupon: 100 of goods, 80 paid; o5 was refunded
        "amount": [100.0, 80.0, 60.0, 50.0, 500.0],
        "status": ["paid", "paid", "paid", "paid", "refunded"],
    })
    items = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4", "o4", "o5"],
                          "sku_id": ["t", "t", "t", "t", "x", "t"],
                          "quantity": [2, 2, 1, 1, 1, 10],
                          "unit_price": [50.0, 50.0, 60.0, 30.0, 20.0, 50.0]})
    products = pd.DataFrame({"sku_id": ["t", "x"], "unit_cost": [30.0, None]})
    return orders, items, products


def test_margin_rates_count_coupons_and_skip_orders_without_costs():
    orders, items, products = _store()
    got = clv.margin_rates(orders, items, products, "2025-03-31")
    # a: paid 180 for 4 × 30 = 120 of goods → 1/3 (without the coupon it would be 0.4);
    # b: 60 − 30 → 0.5; c: o4 has a line without cost → the store's rate (240 − 150) / 240.
    store = 1 - 150 / 240
    want = pd.DataFrame({"customer_id": pd.array(["a", "b", "c"], dtype="str"),
                         "margin_rate": [1 - 120 / 180, 0.5, store],
                         "orders_costed": np.array([2, 1, 0], np.int64)})
    pdt.assert_frame_equal(got, want)
    assert got.attrs["store_rate"] == pytest.approx(store, abs=1e-15)


def test_discounted_margin_is_the_monthly_sum_by_hand():
    c = pd.DataFrame({"frequency": [3, 0], "recency": [200.0, 0.0], "T": [250.0, 40.0],
                      "expected_spend": [100.0, 70.0]})
    got = clv.discounted_margin(FIT, c, np.array([0.4, 0.25]), horizon=90, annual_rate=0.12)
    d = 1.12 ** (30 / 365) - 1
    e = [expected_purchases(FIT, t, c["frequency"], c["recency"], c["T"]) for t in (0, 30, 60, 90)]
    want = sum((e[k] - e[k - 1]) / (1 + d) ** k for k in (1, 2, 3)) * c["expected_spend"] * [0.4, 0.25]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    flat = clv.discounted_margin(FIT, c, np.array([0.4, 0.25]), horizon=90, annual_rate=0.0)
    np.testing.assert_allclose(flat, e[3] * c["expected_spend"] * [0.4, 0.25], rtol=1e-12)
    assert np.all(got < flat)
    # a horizon that is not a whole number of steps ends its last step at the horizon
    np.testing.assert_allclose(clv.discounted_margin(FIT, c, 1.0, horizon=45, annual_rate=0.0),
                               expected_purchases(FIT, 45, c["frequency"], c["recency"], c["T"])
                               * c["expected_spend"], rtol=1e-12)
    with pytest.raises(ValueError, match="discount"):
        clv.discounted_margin(FIT, c, 1.0, annual_rate=-0.1)


def test_with_margin_totals_and_no_costs():
    pred = pd.DataFrame({"customer_id": ["a", "b", "z"], "frequency": [3, 0, 1],
                         "recency": [200.0, 0.0, 10.0], "T": [250.0, 40.0, 30.0],
                         "expected_spend": [100.0, 70.0, 50.0], "expected_value_90": [12.0, 3.0, 5.0]})
    rates = pd.DataFrame({"customer_id": ["a", "b"], "margin_rate": [0.4, 0.25], "orders_costed": [2, 1]})
    rates.attrs["store_rate"] = 0.3
    out, totals = clv.with_margin(pred, FIT, rates, annual_rate=0.0)
    assert out["margin_rate"].tolist() == [0.4, 0.25, 0.3]  # z: the store's rate
    flat = expected_purchases(FIT, 90, pred["frequency"], pred["recency"], pred["T"]) * pred["expected_spend"]
    np.testing.assert_allclose(out["expected_margin_90"], flat * [0.4, 0.25, 0.3], rtol=1e-12)
    assert totals["revenue"] == 20.0
    assert totals["margin"] == pytest.approx(float((flat * [0.4, 0.25, 0.3]).sum()))
    _, none = clv.with_margin(pred, FIT, None)
    assert np.isnan(none["margin"]) and none["revenue"] == 20.0


def _reference_margin_rates(orders, items, products, end):
    """The definition in plain pandas, to hold the DuckDB query to."""
    upto = orders["ordered_at"] < pd.Timestamp(end) + pd.Timedelta(days=1)
    paid = orders[(orders["status"] == "paid") & upto]
    cost = products.drop_duplicates("sku_id").set_index("sku_id")["unit_cost"]
    lines = items.assign(cost=items["quantity"] * items["sku_id"].map(cost))
    per_order = lines.assign(missing=lines["cost"].isna()).groupby("order_id").agg(
        cost=("cost", "sum"), missing=("missing", "sum"))
    costed = paid.join(per_order, on="order_id")
    costed = costed[costed["missing"] == 0]
    store = 1 - costed["cost"].sum() / costed["amount"].sum()
    g = costed.groupby("customer_id").agg(amount=("amount", "sum"), cost=("cost", "sum"))
    rate = (1 - g["cost"] / g["amount"]).clip(-1, 1)
    ids = sorted(set(paid["customer_id"]))
    return rate.reindex(ids).fillna(store).to_numpy(), store


def test_margin_rates_match_a_pandas_reference_on_a_demo_store():
    from wxshop import demo

    tables, truth = demo.generate_store(1500, seed=5)
    orders, items, products = tables["orders"], tables["order_items"], tables["products"]
    products = products.assign(unit_cost=products["unit_cost"].where(products.index % 7 != 0))  # gaps
    end = truth["window"]["end"]
    got = clv.margin_rates(orders, items, products, end)
    want, store = _reference_margin_rates(orders, items, products, end)
    np.testing.assert_allclose(got["margin_rate"].to_numpy(), want, rtol=0, atol=1e-12)
    assert got.attrs["store_rate"] == pytest.approx(store, abs=1e-12)
    assert 0 < (got["orders_costed"] == 0).sum() < len(got)  # some buyers take the store's rate
