"""Store overview KPIs on a hand-computable fixture."""

import math

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop.analysis import overview


@pytest.fixture
def orders() -> pd.DataFrame:
    # c1: 2 paid orders (Jan, Feb) + 1 refunded; c2: 1 paid (Jan); c3: 1 cancelled only;
    # c4: 1 paid (Mar). Paid amounts 100, 50, 30, 20 → GMV 200 over 4 paid orders.
    return pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5", "o6"],
            "customer_id": ["c1", "c1", "c1", "c2", "c3", "c4"],
            "ordered_at": pd.to_datetime(
                ["2025-01-05", "2025-02-10", "2025-02-11", "2025-01-20", "2025-02-01",
                 "2025-03-31 23:59:00"],
                format="ISO8601",
            ),
            "amount": [100.0, 50.0, 80.0, 30.0, 60.0, 20.0],
            "status": ["paid", "paid", "refunded", "paid", "cancelled", "paid"],
            "channel": ["社群", "朋友圈", "社群", "社群", None, None],
        }
    )


def test_store_kpis_hand_computed(orders):
    k = overview.store_kpis(orders)
    assert (k.customers, k.orders) == (3, 4)
    assert k.gmv == 200.0
    assert k.aov == pytest.approx(50.0)
    assert k.frequency == pytest.approx(4 / 3)
    assert k.repurchase_rate == pytest.approx(1 / 3)  # only c1 has ≥ 2 paid orders
    assert k.refund_rate == pytest.approx(1 / 5)  # 1 refunded / (4 paid + 1 refunded)
    assert (k.period_start, k.period_end) == ("2025-01-05", "2025-03-31")


def test_gross_and_net_gmv_spend_per_buyer_and_refund_rates(orders):
    # o2 (paid, 50) had 10 refunded: it stays paid; o3 (80) was refunded whole
    k = overview.store_kpis(orders.assign(refund_amount=[0.0, 10.0, 80.0, 0.0, 0.0, 0.0]))
    assert k.gmv_gross == 280.0  # payments: 100 + 50 + 80 + 30 + 20
    assert k.refunds == 90.0 and k.gmv == 190.0  # 280 − 80 − 10
    assert k.aov == pytest.approx(190 / 4)  # 笔单价: per paid order
    assert k.spend_per_buyer == pytest.approx(190 / 3)  # 客单价: per buying customer
    assert k.refund_rate == pytest.approx(1 / 5)  # by orders
    assert k.refund_rate_amount == pytest.approx(90 / 280)  # by amount
    # without refund_amount the refunded orders are the refunds
    plain = overview.store_kpis(orders)
    assert (plain.gmv_gross, plain.refunds, plain.gmv) == (280.0, 80.0, 200.0)
    # without status or refund amounts nothing is known of refunds: not 0%
    assert math.isnan(overview.store_kpis(orders.drop(columns="status")).refund_rate_amount)


def test_store_kpis_without_status_counts_every_order(orders):
    k = overview.store_kpis(orders.drop(columns="status"))
    assert (k.orders, k.customers, k.gmv) == (6, 4, 340.0)
    assert math.isnan(k.refund_rate)


def test_monthly_trend_exact(orders):
    got = overview.monthly_trend(orders)
    want = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02", "2025-03"],
            "orders": [2, 1, 1],
            "customers": [2, 1, 1],
            "new_customers": [2, 0, 1],
            "gmv": [130.0, 50.0, 20.0],
            "aov": [65.0, 50.0, 20.0],
        }
    )
    pdt.assert_frame_equal(got, want, check_dtype=False)


def test_monthly_trend_fills_empty_months(orders):
    got = overview.monthly_trend(orders.loc[orders["order_id"] != "o2"])
    assert got["month"].tolist() == ["2025-01", "2025-02", "2025-03"]
    feb = got.set_index("month").loc["2025-02"]
    assert feb["orders"] == 0 and np.isnan(feb["aov"])


def test_channel_mix_groups_missing_channel(orders):
    got = overview.channel_mix(orders, unknown="?")
    assert got["channel"].tolist() == ["社群", "朋友圈", "?"]
    assert got["gmv"].tolist() == [130.0, 50.0, 20.0]
    assert got["gmv_share"].sum() == pytest.approx(1.0)


def test_in_period_includes_the_whole_last_day(orders):
    assert len(overview.in_period(orders, "2025-03-31")) == 6
    assert len(overview.in_period(orders, "2025-03-30")) == 5
    assert len(overview.in_period(orders, "")) == 6


def test_category_mix(orders):
    items = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o3", "o4"],
            "sku_id": ["A", "B", "A", "A", "Z"],
            "quantity": [1, 2, 1, 5, 1],
            "unit_price": [60.0, 20.0, 50.0, 16.0, 30.0],
        }
    )
    products = pd.DataFrame({"sku_id": ["A", "B"], "category": ["食品饮料", "美妆护肤"]})
    got = overview.category_mix(orders, items, products)
    # o3 is refunded: its item is left out; Z has no product row
    assert got["category"].tolist() == ["食品饮料", "美妆护肤", "—"]
    assert got["item_sales"].tolist() == [110.0, 40.0, 30.0]
    assert got["units"].tolist() == [2, 2, 1]


def test_missing_column_is_named(orders):
    with pytest.raises(KeyError, match="amount"):
        overview.store_kpis(orders.drop(columns="amount"))


def test_kpis_on_a_generated_store_match_its_planted_truth(tmp_path):
    """Generator → files → loader → KPIs agree with what the generator planted."""
    from wxshop import demo
    from wxshop.data.load import load_store

    tables, truth = demo.generate_store(1500, seed=11, store_id="t")
    folder = demo.write_store(tables, truth, tmp_path / "t", "parquet")
    store = load_store(folder)
    assert store.rejected.empty
    k = overview.store_kpis(store.orders)
    assert k.gmv == pytest.approx(truth["orders"]["gmv_paid"], abs=0.005)
    assert k.aov == pytest.approx(truth["orders"]["aov_paid_realised"], rel=1e-12)
    # every planted customer buys; a few have only refunded or cancelled orders
    assert 0.95 * truth["sizes"]["customers"] <= k.customers <= truth["sizes"]["customers"]


def test_resolve_period_end(orders):
    assert overview.resolve_period_end(orders) == pd.Timestamp("2025-03-31")
    assert overview.resolve_period_end(orders, "2025-02-01") == pd.Timestamp("2025-02-01")


def test_monthly_trend_matches_a_pandas_groupby_on_a_generated_store():
    """The numpy version against the plain pandas definition, including orders without a
    time or a customer and a time-zone-aware column."""
    from wxshop import demo

    tables, _ = demo.generate_store(3000, seed=11)
    orders = tables["orders"].copy()
    orders.loc[orders.index[::97], "ordered_at"] = pd.NaT
    orders.loc[orders.index[5::89], "customer_id"] = None
    got = overview.monthly_trend(orders)
    paid = orders[(orders["status"] == "paid") & orders["ordered_at"].notna()]
    month = paid["ordered_at"].dt.to_period("M")
    first = paid.groupby("customer_id")["ordered_at"].transform("min").dt.to_period("M")
    g = pd.DataFrame({"month": month, "c": paid["customer_id"], "a": paid["amount"],
                      "new": month == first}).groupby("month")
    want = pd.DataFrame({"orders": g.size(), "customers": g["c"].nunique(),
                         "gmv": g["a"].sum().round(2)})
    want["new_customers"] = (pd.DataFrame({"month": month, "c": paid["customer_id"]})[month == first]
                             .groupby("month")["c"].nunique().reindex(want.index, fill_value=0))
    want = want.reindex(pd.period_range(want.index.min(), want.index.max(), freq="M"), fill_value=0)
    assert got["month"].tolist() == [str(p) for p in want.index]
    for col in ("orders", "customers", "new_customers"):
        assert got[col].tolist() == want[col].astype(int).tolist(), col
    np.testing.assert_allclose(got["gmv"], want["gmv"], atol=0.006)
    aware = orders.assign(ordered_at=orders["ordered_at"].dt.tz_localize("Asia/Shanghai"))
    pd.testing.assert_frame_equal(overview.monthly_trend(aware), got)


def test_category_mix_matches_a_pandas_groupby_on_a_generated_store():
    from wxshop import demo

    tables, _ = demo.generate_store(3000, seed=12)
    orders, items, products = tables["orders"], tables["order_items"].copy(), tables["products"].copy()
    products.loc[products.index[0], "category"] = None  # a product without a category
    items.loc[items.index[::50], "sku_id"] = "SKU-not-listed"
    got = overview.category_mix(orders, items, products)
    paid = items[items["order_id"].isin(orders.loc[orders["status"] == "paid", "order_id"])]
    cat = paid["sku_id"].map(products.set_index("sku_id")["category"]).fillna("—")
    want = (pd.DataFrame({"category": cat, "units": paid["quantity"],
                          "item_sales": paid["quantity"] * paid["unit_price"]})
            .groupby("category")[["units", "item_sales"]].sum())
    assert "—" in want.index and len(want) > 3
    got = got.set_index("category").sort_index()
    want = want.sort_index()
    assert list(got.index) == list(want.index)
    np.testing.assert_allclose(got["units"], want["units"])
    np.testing.assert_allclose(got["item_sales"], want["item_sales"], atol=0.006)
    assert got["sales_share"].sum() == pytest.approx(1.0)


def test_a_basket_split_into_two_orders_on_one_day_is_not_a_repurchase():
    # Platforms split one checkout into several orders (by warehouse or shop): two orders on
    # one day are one purchase, as the product and lifecycle figures count them.
    orders = pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4"],
        "customer_id": ["split", "split", "back", "back"],
        "ordered_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-01 10:01", "2025-03-01 12:00",
                                      "2025-03-09 12:00"]),
        "amount": [50.0, 30.0, 20.0, 20.0],
    })
    kpis = overview.store_kpis(orders)
    assert kpis.repurchase_rate == 0.5  # "back" only (before: 1.0)
    assert kpis.orders == 4 and kpis.frequency == 2.0  # orders still count as orders
