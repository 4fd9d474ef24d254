"""Order lines joined to orders by the loader's rows give the figures of the join by text ids.

The loader keeps where each order line's order is (``codes.remember_rows``); windows of the
orders carry it along (``codes.subset``); item_lines, category_mix, bundle_pairs and
discount_depth then work on integers. Each test computes a figure both ways: once with the
rows remembered, once after ``codes.clear()`` (the text-id path that hand-made frames take).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop import demo
from wxshop.analysis import baskets, overview, selection
from wxshop.analysis import products as pr
from wxshop.data import codes
from wxshop.data.load import load_store


def both_ways(compute):
    """(with the loader's rows, by text ids)."""
    fast = compute()
    codes.clear()
    return fast, compute()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tables, truth = demo.generate_store(3000, seed=11)
    folder = demo.write_store(tables, truth, tmp_path_factory.mktemp("known") / "store")
    return folder


@pytest.fixture
def data(store, tmp_path):
    codes.clear()
    return load_store(store, cache=tmp_path / "cache")


def windowed(data):
    end = overview.resolve_period_end(data.orders, "")
    return end, selection.window_lines(data.orders, end, 180)


def test_the_loader_remembers_each_lines_order_row(data):
    rows = codes.known_rows(data.order_items["order_id"], data.orders["order_id"])
    assert rows is not None
    ids = data.order_items["order_id"]
    np.testing.assert_array_equal(rows, codes.positions(ids, data.orders["order_id"]))
    _, window = windowed(data)
    assert len(window) < len(data.orders)  # the window leaves orders out: the test means something
    in_window = codes.known_rows(data.order_items["order_id"], window["order_id"])
    assert in_window is not None
    np.testing.assert_array_equal(in_window, codes.positions(ids, window["order_id"]))


def test_the_rows_come_back_from_the_table_cache(store, tmp_path):
    cache = tmp_path / "cache"
    load_store(store, cache=cache)
    from wxshop.data import storecache

    storecache.release()
    codes.clear()
    again = load_store(store, cache=cache)
    rows = codes.known_rows(again.order_items["order_id"], again.orders["order_id"])
    assert rows is not None
    ids = again.order_items["order_id"]
    np.testing.assert_array_equal(rows, codes.positions(ids, again.orders["order_id"]))


def test_a_windows_customer_codes_come_from_the_whole_column(data):
    codes.sorted_codes(data.orders["customer_id"])
    _, window = windowed(data)
    got, ids = codes.sorted_codes(window["customer_id"])
    want, want_ids = pd.factorize(window["customer_id"], sort=True)
    np.testing.assert_array_equal(got, want)
    assert list(ids) == list(want_ids)


@pytest.mark.parametrize("window", [False, True])
def test_item_lines_both_ways(data, window):
    end, orders = windowed(data)
    if not window:  # all orders, the lines of the last 30 days left out
        end, orders = end - pd.Timedelta(days=30), data.orders
    fast, slow = both_ways(lambda: pr.item_lines(orders, data.order_items, data.products, end))
    assert len(fast) > 1000
    pdt.assert_frame_equal(fast, slow)


def test_category_mix_both_ways(data):
    fast, slow = both_ways(lambda: overview.category_mix(data.orders, data.order_items, data.products))
    pdt.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-12)


@pytest.mark.parametrize("window", [False, True])
@pytest.mark.parametrize("options", [{}, {"min_orders": 1, "top": None},
                                     {"min_orders": 1, "top": None, "max_items": 2}])
def test_bundle_pairs_both_ways(data, window, options):
    end, orders = windowed(data) if window else (None, data.orders)
    fast, slow = both_ways(lambda: baskets.bundle_pairs(orders, data.order_items, data.products,
                                                        period_end=end and end.date().isoformat(), **options))
    assert len(fast) > 0
    pdt.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-12)
    assert fast.attrs == slow.attrs
    if "max_items" in options:
        assert fast.attrs["orders_left_out"] > 0


@pytest.mark.parametrize("window", [False, True])
def test_discount_depth_both_ways(data, window):
    end, orders = windowed(data) if window else (None, data.orders)
    fast, slow = both_ways(lambda: baskets.discount_depth(orders, data.order_items, products=data.products,
                                                          period_end=end and end.date().isoformat()))
    assert len(fast) > 10
    pdt.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-9, atol=0.011)


def arrow_shop() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hand-made frames with what a loader never lets through: a line without a SKU, a SKU
    called "—", a line of an unknown order, unpaid orders."""
    orders = pd.DataFrame({
        "order_id": pd.array(["o1", "o2", "o3", "o4", "o5"], dtype="str"),
        "status": pd.array(["paid", "paid", "refunded", "paid", "paid"], dtype="str"),
        "discount": [10.0, 0.0, 5.0, 3.0, np.nan],
        "campaign_id": pd.array(["c1", None, "c2", "", "c3"], dtype="str"),
    })
    items = pd.DataFrame({
        "order_id": pd.array(["o1", "o1", "o1", "o2", "o2", "o3", "o4", "o4", "o5", "zz", "o5"], dtype="str"),
        "sku_id": pd.array(["B", "A", None, "A", "B", "A", "—", "C", "C", "A", "A"], dtype="str"),
        "quantity": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, np.nan, 1.0, 3.0],
        "unit_price": [10.0, 5.0, 4.0, 8.0, 2.0, 9.0, 1.0, 6.0, 5.0, 1.0, 2.0],
    })
    return orders, items


def test_edge_cases_both_ways():
    codes.clear()
    orders, items = arrow_shop()
    rows = codes.positions(items["order_id"], orders["order_id"])
    codes.remember_rows(items["order_id"], orders["order_id"], rows)
    assert codes.known_rows(items["order_id"], orders["order_id"]) is not None
    fast = baskets.discount_depth(orders, items), baskets.bundle_pairs(orders, items, min_orders=1, top=None)
    codes.clear()
    slow = baskets.discount_depth(orders, items), baskets.bundle_pairs(orders, items, min_orders=1, top=None)
    assert fast[0]["sku_id"].tolist() == slow[0]["sku_id"].tolist()
    assert "—" in set(fast[0]["sku_id"])  # the line without a SKU and the SKU called "—" together
    for a, b in zip(fast, slow, strict=True):
        pdt.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
        assert a.attrs == b.attrs


def test_rows_are_forgotten_with_their_columns():
    codes.clear()
    orders, items = arrow_shop()
    rows = codes.positions(items["order_id"], orders["order_id"])
    codes.remember_rows(items["order_id"], orders["order_id"], rows)
    assert len(codes._ROWS) == 1
    del orders, items
    import gc

    gc.collect()
    assert codes._ROWS == {}


def test_rows_that_do_not_fit_are_refused():
    orders, items = arrow_shop()
    with pytest.raises(ValueError, match="do not fit"):
        codes.remember_rows(items["order_id"], orders["order_id"], np.zeros(3, np.int64))
    with pytest.raises(ValueError, match="do not fit"):
        codes.remember_rows(items["order_id"], orders["order_id"], np.full(len(items), 99))
