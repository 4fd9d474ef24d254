"""Churn by category cycle: thresholds per category, main category per customer, and stages that
follow them (a long-cycle buyer is not called lost on food's clock)."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from order_frames import demo_store as cached_demo_store

from wxshop.analysis import churn, lifecycle
from wxshop.analysis.products.lines import item_lines

END = pd.Timestamp("2025-12-31")


def _store() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """40 food buyers every 10 days (5 intervals each), 9 gadget buyers 150 days apart, and:
    gx (gadget, 150-day gap, last 120 days ago), fz (food, last 15 days ago), fl (food, last
    40 days ago), nx (bought an unknown SKU once, 200 days ago)."""
    rows = []  # customer, days before END, sku
    for i in range(40):
        rows += [(f"f{i:02d}", 2 + i % 5 + 10 * k, "rice") for k in range(6)]
    for i in range(9):
        rows += [(f"g{i}", 5 + i, "cable"), (f"g{i}", 155 + i, "cable")]
    rows += [("gx", 120, "cable"), ("gx", 270, "cable"), ("gx", 270, "rice")]
    rows += [("fz", 15, "rice"), ("fz", 25, "rice"), ("fl", 40, "rice"), ("fl", 50, "rice")]
    rows += [("nx", 200, "mystery")]
    orders = pd.DataFrame({
        "order_id": [f"o{i}" for i in range(len(rows))],
        "customer_id": [r[0] for r in rows],
        "ordered_at": [END - pd.Timedelta(days=r[1]) + pd.Timedelta(hours=10) for r in rows],
        "amount": [300.0 if r[2] == "cable" else 20.0 for r in rows],
        "status": "paid",
    })
    items = pd.DataFrame({"order_id": orders["order_id"], "sku_id": [r[2] for r in rows],
                          "quantity": 1, "unit_price": orders["amount"]})
    products = pd.DataFrame({"sku_id": ["rice", "cable"], "name": ["大米", "数据线"],
                             "category": ["食品饮料", "数码配件"], "unit_cost": [12.0, 150.0]})
    return orders, items, products


def test_category_thresholds_and_stages_follow_the_main_category():
    orders, items, products = _store()
    store = lifecycle.stage_thresholds(orders, END)
    # 202 food intervals of 10 days, 10 of 150 (gx's too): P80 = P95 = 10 → lost after 20
    assert (store.active_days, store.dormant_days, store.lost_days) == (10, 10, 20)
    lines = item_lines(orders, items, products, END)
    ct = churn.category_thresholds(lines, END, store, min_intervals=10)
    want = pd.DataFrame({
        "category": pd.array(["数码配件", "食品饮料"], dtype="str"),
        "intervals": np.array([10, 202], np.int64),  # gx's one rice day is not a food interval
        "customers": np.array([10, 42], np.int64),
        "p_active": [150.0, 10.0], "p_dormant": [150.0, 10.0],
        "active_days": np.array([150, 10], np.int64), "dormant_days": np.array([150, 10], np.int64),
        "lost_days": np.array([300, 20], np.int64),
        "source": pd.array(["category", "category"], dtype="str"),
    })
    pdt.assert_frame_equal(ct.categories, want)
    assert ct.customers.set_index("customer_id").loc["gx", "main_category"] == "数码配件"  # by spend
    assert "nx" not in set(ct.customers["customer_id"])  # its SKU has no category: store days

    by_store = lifecycle.lifecycle_stages(orders, END, store).set_index("customer_id")["stage"]
    by_cat = lifecycle.lifecycle_stages(orders, END, store, ct.customers).set_index("customer_id")["stage"]
    # Before: the gadget buyer 120 days into a 150-day cycle was lost on food's 20-day clock.
    assert by_store["gx"] == "lost" and by_cat["gx"] == "active"
    assert by_store["fz"] == by_cat["fz"] == "dormant"  # 15 days: past food's 10, before 20
    assert by_store["fl"] == by_cat["fl"] == "lost"  # 40 > 20
    assert by_cat["nx"] == "lost"  # no category: the store's thresholds
    mig = lifecycle.stage_migration(orders, END, 30, store, ct.customers)
    assert int(mig["active"].sum()) == int((by_cat == "active").sum())


def test_too_few_intervals_keep_the_store_thresholds():
    orders, items, products = _store()
    store = lifecycle.stage_thresholds(orders, END)
    lines = item_lines(orders, items, products, END)
    ct = churn.category_thresholds(lines, END, store)  # default: 30 intervals needed
    gadget = ct.categories.set_index("category").loc["数码配件"]
    assert gadget["source"] == "store" and gadget["dormant_days"] == store.dormant_days
    assert gadget["lost_days"] == store.lost_days and gadget["p_dormant"] == 150.0
    with pytest.raises(ValueError, match="customer_days"):
        bad = ct.customers.assign(lost_days=1)
        lifecycle.lifecycle_stages(orders, END, store, bad)


def _demo_lines():
    """The cached demo store: its tables, truth, orders, window end, store-wide thresholds and
    paid order lines (item_lines)."""
    tables, truth = cached_demo_store()
    orders, end = tables["orders"], truth["window"]["end"]
    store = lifecycle.stage_thresholds(orders, end)
    return tables, truth, orders, end, store, item_lines(orders, tables["order_items"],
                                                         tables["products"], end)


def test_demo_truth_long_cycle_buyers_are_not_called_gone():
    # The demo plants each customer's main category and whether they are still alive. With
    # the store-wide clock (P95 37-day food gaps dominate), 数码配件 buyers past it are 31% alive
    # (286 customers, SE 0.027); on their category's own cycle, those past it are 12% alive
    # (157 customers, SE 0.026) — close to the other categories (1–8%).
    tables, truth, orders, end, store, lines = _demo_lines()
    ct = churn.category_thresholds(lines, end, store)
    alive = truth["_customers"].set_index("customer_id")
    shares = {}
    for name, days in (("store", None), ("category", ct.customers)):
        st = lifecycle.lifecycle_stages(orders, end, store, days).set_index("customer_id")
        t = alive.reindex(st.index)
        gone = st["stage"].isin(["dormant", "lost"]) & (t["main_category"] == "数码配件")
        shares[name] = float(t.loc[gone, "alive"].astype(bool).mean())
    assert shares["store"] >= 0.22
    assert shares["category"] <= 0.20


def test_category_lines_match_a_pandas_reference_on_a_demo_store():
    # The DuckDB queries against the definition written out in pandas.
    tables, truth, orders, end, store, lines = _demo_lines()
    got = churn.category_thresholds(lines, end, store)
    x = pd.DataFrame({"customer_id": lines["customer_id"].astype(str),
                      "category": lines["category"].astype(str),
                      "day": lines["ordered_at"].dt.floor("D"), "gmv": lines["gmv"]})
    key = ["customer_id", "category", "day"]
    days = x[key].drop_duplicates().sort_values(key)
    gap = days.groupby(["customer_id", "category"])["day"].diff().dt.days.dropna()
    per = gap.groupby(days.loc[gap.index, "category"])
    want = pd.DataFrame({"intervals": per.size(), "p_active": per.quantile(0.8),
                         "p_dormant": per.quantile(0.95)})
    have = got.categories.set_index("category")
    pdt.assert_series_equal(have["intervals"], want["intervals"].astype(np.int64), check_names=False,
                            check_index_type=False)
    np.testing.assert_allclose(have["p_active"], want["p_active"], atol=1e-12)
    np.testing.assert_allclose(have["p_dormant"], want["p_dormant"], atol=1e-12)
    sums = x.groupby(["customer_id", "category"]).agg(gmv=("gmv", "sum"), latest=("day", "max"))
    sums = sums.reset_index().sort_values(["customer_id", "gmv", "latest", "category"],
                                          ascending=[True, False, False, True])
    main = sums.drop_duplicates("customer_id")
    assert got.customers["main_category"].tolist() == main["category"].tolist()
    assert got.customers["customer_id"].tolist() == main["customer_id"].tolist()


def test_the_store_path_joins_on_integer_keys_to_the_same_lines():
    # store_category_thresholds skips item_lines (a frame of millions of text lines) and must
    # give what category_thresholds gives on item_lines.
    tables, truth, orders, end, store, lines = _demo_lines()
    want = churn.category_thresholds(lines, end, store)
    got = churn.store_category_thresholds(orders, tables["order_items"], tables["products"], end, store)
    pdt.assert_frame_equal(got.categories, want.categories)
    pdt.assert_frame_equal(got.customers, want.customers)


def test_the_store_path_leaves_out_what_item_lines_leaves_out():
    """Lines of an SKU missing from products, of a product without a category, of an order
    after the end or not paid, and of an order not in the orders: the integer path of
    store_category_thresholds drops the same lines as category_thresholds on item_lines."""
    tables, truth, orders, end, store, _ = _demo_lines()
    items = tables["order_items"].copy()
    products = tables["products"].copy()
    products.loc[products.index[0], "category"] = None  # a product without a category
    gone = products["sku_id"].iloc[1]
    products = products[products["sku_id"] != gone]  # its lines: an SKU missing from products
    items.loc[items.index[:50], "order_id"] = "no-such-order"
    late = orders.index[orders["ordered_at"] > pd.Timestamp(end) - pd.Timedelta(days=20)]
    assert len(late) and (orders["status"] != "paid").any()
    cut = (pd.Timestamp(end) - pd.Timedelta(days=20)).date().isoformat()
    lines = item_lines(orders, items, products, cut)
    assert (lines["category"] == "—").any()
    want = churn.category_thresholds(lines, cut, store)
    got = churn.store_category_thresholds(orders, items, products, cut, store)
    pdt.assert_frame_equal(got.categories, want.categories)
    pdt.assert_frame_equal(got.customers, want.customers)
