"""Demo orders (wxshop.demo.orders, .products): money to the fen, planted margins, statuses,
channels, campaigns and seasons."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from demo_shared_store import shared_lines, shared_store

from wxshop import demo


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return shared_store()[0]


@pytest.fixture(scope="module")
def truth() -> dict:
    return shared_store()[1]


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    return shared_lines()


# ----------------------------------------------------------------------------------- money


def test_amount_is_items_minus_discount_to_the_fen(tables, lines):
    orders = tables["orders"].set_index("order_id")
    gross = lines.groupby("order_id")["value"].sum().loc[orders.index]
    expected = (gross - orders["discount"]).round(2)
    assert np.abs(orders["amount"] - expected).max() < 0.005
    assert (orders["amount"] >= 0).all()
    assert (orders["discount"] <= gross + 1e-9).all()
    cents = orders["amount"] * 100
    assert np.abs(cents - cents.round()).max() < 1e-6


def test_unit_price_is_always_list_price(lines):
    assert (lines["unit_price"] == lines["list_price"]).all()


def test_sku_margins_are_the_planted_ones(tables, truth):
    p = tables["products"]
    margin = 1 - p["unit_cost"] / p["list_price"]
    planted = pd.Series(truth["sku_margins"]).loc[p["sku_id"]].to_numpy()
    np.testing.assert_allclose(margin.to_numpy(), planted, rtol=0, atol=1e-12)
    sizes = p.groupby("category").size()
    assert sizes.between(10, 20).all() and len(sizes) >= 5
    for cat, spec in truth["categories"].items():
        m = margin[p["category"] == cat]
        lo, hi = spec["margin_range_planted"]
        assert m.between(lo - 0.005, hi + 0.005).all(), cat
    assert truth["categories"]["食品饮料"]["margin_range_planted"] == [0.45, 0.60]
    assert truth["categories"]["美妆护肤"]["margin_range_planted"] == [0.65, 0.80]


def test_category_margin_from_lines_equals_truth(lines, truth):
    lines = lines.assign(cost=lines["quantity"] * lines["unit_cost"])
    for basis, rows in [("all", lines), ("paid", lines[lines["status"] == "paid"])]:
        by_cat = rows.groupby("category")[["cost", "value"]].sum()
        margin = 1 - by_cat["cost"] / by_cat["value"]
        for cat, value in margin.items():
            got = truth["categories"][cat][f"gmv_weighted_margin_{basis}"]
            assert value == pytest.approx(got, abs=1e-9), (basis, cat)


def test_order_values_are_realistic(tables, truth):
    paid = tables["orders"][tables["orders"]["status"] == "paid"]
    assert 100 <= paid["amount"].mean() <= 250
    assert truth["orders"]["aov_paid_realised"] == pytest.approx(paid["amount"].mean())
    per_order = tables["order_items"].groupby("order_id").size()
    assert per_order.max() <= 3 and 1.3 < per_order.mean() < 2.0


# ----------------------------------------------------------------------------------- orders


def test_refund_and_cancel_rates(tables, truth):
    status = tables["orders"]["status"].value_counts(normalize=True)
    assert 0.04 <= status["refunded"] <= 0.06
    assert 0.008 <= status["cancelled"] <= 0.025
    assert status["refunded"] == pytest.approx(truth["orders"]["refund_rate_realised"])
    assert status["cancelled"] == pytest.approx(truth["orders"]["cancel_rate_realised"])
    live = tables["orders"]["channel"] == "视频号直播"
    by_live = tables["orders"].groupby(live)["status"].apply(lambda s: (s == "refunded").mean())
    assert by_live[True] > 1.4 * by_live[False]  # planted 9 % vs 4.5 %


def test_orders_mostly_come_through_the_customers_channel(tables):
    o = tables["orders"].merge(tables["customers"][["customer_id", "acquisition_channel"]],
                               on="customer_id")
    same = (o["channel"] == o["acquisition_channel"]).mean()
    assert 0.7 < same < 0.9
    # the shop's channels, and 企业微信 for the orders SOP touches brought (ids T…)
    assert set(o["channel"]) == {*demo.CHANNELS, "企业微信"}
    assert set(o.loc[o["channel"] == "企业微信", "order_id"].str[0]) == {"T"}


def test_campaigns_and_discounts(tables, truth):
    o = tables["orders"]
    with_campaign = o["campaign_id"].notna()
    assert ((o["discount"] > 0) == with_campaign).all()
    assert 0.03 < with_campaign.mean() < 0.4
    known = {c["campaign_id"]: c for c in truth["campaigns"]}
    assert set(o.loc[with_campaign, "campaign_id"]) <= set(known)
    assert {"满减", "节日", "会员日"} <= {c["type"] for c in truth["campaigns"]}
    for cid, group in o[with_campaign].groupby("campaign_id"):
        rule = known[cid]
        assert len(group) == rule["orders"]
        assert group["discount"].sum() == pytest.approx(rule["discount_total"])
        if "start" in rule:  # shop campaigns, not experiment coupons
            day = group["ordered_at"].dt.strftime("%Y-%m-%d")
            assert day.between(rule["start"], rule["end"]).all(), cid
        if "threshold" in rule:
            assert (group["discount"] == rule["off"]).all()
            assert (group["amount"] + group["discount"] >= rule["threshold"]).all()
    s11 = known["CP251101S11"]
    assert s11["rule"] == "满199减30" and s11["type"] == "节日"


def test_seasonality_is_visible(tables):
    ts = tables["orders"]["ordered_at"]
    daily = ts.dt.floor("D").value_counts().sort_index()
    median_day = daily["2025-01-01":].median()
    assert daily["2025-11-01":"2025-11-11"].mean() > 1.2 * median_day
    assert daily["2026-06-01":"2026-06-18"].mean() > 1.15 * median_day
    assert daily["2025-11-11"] > daily["2025-11-01":"2025-11-10"].mean()
    spring = daily["2026-02-16":"2026-02-23"].mean()  # 春节 2026-02-17: couriers stop
    assert spring < 0.75 * daily["2026-02-24":"2026-03-31"].mean()
    hour = ts.dt.hour.value_counts(normalize=True)
    assert hour[[20, 21]].mean() > 5 * hour[[3, 4]].mean()
    assert hour[[20, 21]].mean() > 1.5 * hour[[15, 16]].mean()  # planted 1.85 vs 0.93
    assert hour[12] > 1.2 * hour[[10, 15]].max()  # lunch peak
    # acquisition grows: more first orders in the second year
    first = tables["orders"].groupby("customer_id")["ordered_at"].min()
    assert (first >= "2025-11-01").mean() > 0.55
