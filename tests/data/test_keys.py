"""Integer keys: the loader adds them, and every figure read through them equals the figure
read through the text ids.

``wxshop.data.keys`` answers from the key columns when the frames have them (as loaded, or a
window of them) and from the ids when not (hand-made frames). Each "both ways" test computes
a figure from the loaded tables, then from the same tables with the key columns dropped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop import demo
from wxshop.analysis import baskets, churn, clv, lifecycle, overview, selection
from wxshop.analysis import products as pr
from wxshop.data import keys, storecache
from wxshop.data.codes import positions
from wxshop.data.load import load_store
from wxshop.data.schema import KEY_COLUMNS


def unkeyed(*frames):
    return tuple(f.drop(columns=list(KEY_COLUMNS), errors="ignore") for f in frames)


def both_ways(compute, *frames):
    """compute(*frames) with the loader's keys, and with the key columns dropped."""
    return compute(*frames), compute(*unkeyed(*frames))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tables, truth = demo.generate_store(3000, seed=11)
    return demo.write_store(tables, truth, tmp_path_factory.mktemp("keys") / "store")


@pytest.fixture
def data(store, tmp_path):
    return load_store(store, cache=tmp_path / "cache")


def windowed(data):
    end = overview.resolve_period_end(data.orders, "")
    return end, selection.window_lines(data.orders, end, 180)


def test_sorted_codes_are_pandas_factorize_sorted():
    rng = np.random.default_rng(3)
    ids = pd.Series([f"C{v:04d}" for v in rng.integers(0, 500, 4000)] + ["乙", "甲", "Z"], dtype="str")
    ids[rng.random(len(ids)) < 0.05] = None
    for values in (ids, ids.astype(object), ids[:0]):
        got, got_ids = keys.sorted_codes(values)
        want, want_ids = pd.factorize(values, sort=True)
        np.testing.assert_array_equal(got, want)
        assert list(got_ids) == list(want_ids)


def test_the_loader_adds_the_keys(data):
    orders, items = data.orders, data.order_items
    np.testing.assert_array_equal(orders["order_key"], np.arange(len(orders)))
    np.testing.assert_array_equal(orders["customer_key"], pd.factorize(orders["customer_id"], sort=True)[0])
    np.testing.assert_array_equal(items["order_key"], positions(items["order_id"], orders["order_id"]))
    np.testing.assert_array_equal(items["sku_key"], pd.factorize(items["sku_id"], sort=True)[0])
    assert {orders[c].dtype for c in ("order_key", "customer_key")} == {np.dtype(np.int32)}


def test_the_keys_come_back_from_the_table_cache(store, data, tmp_path):
    storecache.release()  # read from the folder, not from memory
    again = load_store(store, cache=tmp_path / "cache")
    for table in ("orders", "order_items"):
        pdt.assert_frame_equal(again.tables[table], data.tables[table])


@pytest.mark.parametrize("rows", ["all", "window", "shuffled"])
def test_customer_codes_and_line_orders_equal_the_text_answers(data, rows):
    orders = data.orders
    if rows == "window":
        orders = windowed(data)[1]
        assert 0 < len(orders) < len(data.orders)  # the window leaves orders out
    elif rows == "shuffled":
        orders = orders.sample(frac=1.0, random_state=4)
    keep = orders["customer_id"].notna().to_numpy() & (orders["status"] == "paid").to_numpy()
    got, ids = keys.customer_codes(orders, keep)
    want, want_ids = pd.factorize(orders["customer_id"][keep], sort=True)
    np.testing.assert_array_equal(got, want)
    assert list(ids) == list(want_ids)
    line = keys.line_orders(data.order_items, orders)
    np.testing.assert_array_equal(line, positions(data.order_items["order_id"], orders["order_id"]))
    assert (line < 0).any() == (rows == "window")
    among_kept = keys.line_orders(data.order_items, orders, keep)  # positions among the kept orders
    kept_ids = orders["order_id"][keep]
    np.testing.assert_array_equal(among_kept, positions(data.order_items["order_id"], kept_ids))
    assert (among_kept < 0).any()


def test_sku_codes_of_some_lines(data):
    lines = data.order_items.iloc[::3]
    got, skus = keys.sku_codes(lines)
    want, want_skus = pd.factorize(lines["sku_id"], sort=True)
    np.testing.assert_array_equal(got, want)
    assert list(skus) == list(want_skus)


def test_keeping_an_order_without_a_buyer_is_an_error(data):
    orders = data.orders.copy()
    orders.loc[3, "customer_id"] = None
    orders = keys.with_order_keys(unkeyed(orders)[0])
    with pytest.raises(ValueError, match="without a customer_id"):
        keys.customer_codes(orders, np.ones(len(orders), bool))


def test_ids_changed_after_loading_are_refused_not_misread(data):
    shuffled = data.orders["customer_id"].sample(frac=1.0, random_state=2).to_numpy()
    orders = data.orders.assign(customer_id=shuffled)  # the keys kept: they no longer match
    with pytest.raises(ValueError, match="customer_key does not (match|sort)"):
        keys.customer_codes(orders)
    renamed = data.orders.assign(customer_id="z" + data.orders["customer_id"].str[::-1])
    with pytest.raises(ValueError, match="customer_key does not sort"):  # matched, but out of order
        keys.customer_codes(renamed)
    items = data.order_items.assign(order_id="x" + data.order_items["order_id"])
    with pytest.raises(ValueError, match="order_key does not match"):
        keys.line_orders(items, data.orders)


@pytest.mark.parametrize("window", [False, True])
def test_item_lines_both_ways(data, window):
    end, orders = windowed(data)
    if not window:  # all orders, the lines of the last 30 days left out
        end, orders = end - pd.Timedelta(days=30), data.orders
    fast, slow = both_ways(lambda o, i: pr.item_lines(o, i, data.products, end), orders, data.order_items)
    assert len(fast) > 1000
    pdt.assert_frame_equal(fast, slow)


def test_category_mix_margins_and_category_cycles_both_ways(data):
    end = overview.resolve_period_end(data.orders, "")
    tables = data.orders, data.order_items
    fast, slow = both_ways(lambda o, i: overview.category_mix(o, i, data.products), *tables)
    pdt.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-12)
    fast, slow = both_ways(lambda o, i: clv.margin_rates(o, i, data.products, end), *tables)
    pdt.assert_frame_equal(fast, slow)
    assert fast.attrs == slow.attrs
    store = lifecycle.stage_thresholds(data.orders, end)
    fast, slow = both_ways(lambda o, i: churn.store_category_thresholds(o, i, data.products, end, store),
                           *tables)
    pdt.assert_frame_equal(fast.categories, slow.categories)
    pdt.assert_frame_equal(fast.customers, slow.customers)


@pytest.mark.parametrize("window", [False, True])
@pytest.mark.parametrize("options", [{}, {"min_orders": 1, "top": None},
                                     {"min_orders": 1, "top": None, "max_items": 2}])
def test_bundle_pairs_both_ways(data, window, options):
    end, orders = windowed(data) if window else (None, data.orders)
    fast, slow = both_ways(lambda o, i: baskets.bundle_pairs(o, i, data.products,
                                                             period_end=end and end.date().isoformat(),
                                                             **options), orders, data.order_items)
    assert len(fast) > 0
    pdt.assert_frame_equal(fast, slow)
    assert fast.attrs == slow.attrs
    if "max_items" in options:
        assert fast.attrs["orders_left_out"] > 0


@pytest.mark.parametrize("window", [False, True])
def test_discount_depth_both_ways(data, window):
    end, orders = windowed(data) if window else (None, data.orders)
    fast, slow = both_ways(lambda o, i: baskets.discount_depth(o, i, products=data.products,
                                                               period_end=end and end.date().isoformat()),
                           orders, data.order_items)
    assert len(fast) > 10
    pdt.assert_frame_equal(fast, slow)


def test_sku_pairs_and_depth_equal_the_sql_of_the_category_level(data):
    """The SKU level counts on integer keys, the category level in SQL: with each SKU its
    own category, both give the same figures."""
    products = data.products.assign(category=data.products["sku_id"])
    orders, items = data.orders, data.order_items
    sku = baskets.bundle_pairs(orders, items, products, min_orders=1, top=None)
    cat = baskets.bundle_pairs(orders, items, products, level="category", min_orders=1, top=None)
    assert len(sku) > 10
    np.testing.assert_array_equal(sku["sku_id_a"], cat["category_a"])
    np.testing.assert_array_equal(sku["sku_id_b"], cat["category_b"])
    np.testing.assert_array_equal(sku["orders_together"], cat["orders_together"])
    np.testing.assert_allclose(sku["lift"], cat["lift"], rtol=1e-12)
    d_sku = baskets.discount_depth(orders, items, products=products)
    d_cat = baskets.discount_depth(orders, items, products=products, level="category")
    np.testing.assert_array_equal(d_sku["sku_id"], d_cat["category"])
    np.testing.assert_allclose(d_sku["avg_discount_depth"], d_cat["avg_discount_depth"], rtol=1e-12)


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
    orders, items = arrow_shop()
    keyed = keys.with_order_keys(orders)
    keyed_items = keys.with_sku_keys(keys.with_line_keys(items, positions(items["order_id"],
                                                                          orders["order_id"])))
    assert keyed_items["order_key"].tolist()[-2] == -1  # the line of an unknown order

    def compute(o, i):
        return baskets.discount_depth(o, i), baskets.bundle_pairs(o, i, min_orders=1, top=None)

    fast, slow = both_ways(compute, keyed, keyed_items)
    assert fast[0]["sku_id"].tolist() == slow[0]["sku_id"].tolist()
    assert "—" in set(fast[0]["sku_id"])  # the line without a SKU and the SKU called "—" together
    for a, b in zip(fast, slow, strict=True):
        pdt.assert_frame_equal(a, b)
        assert a.attrs == b.attrs


def test_line_keys_need_one_row_per_line():
    orders, items = arrow_shop()
    with pytest.raises(ValueError, match="one order row per line"):
        keys.with_line_keys(items, np.zeros(3, np.int64))


def test_number_ids_with_keys_sort_as_numbers():
    """Hand-made frames may hold numbers as ids: keyed or not, they are coded in numeric order."""
    orders = pd.DataFrame({"order_id": [1, 2, 3, 4], "customer_id": [10, 9, 10, 100]})
    keyed = keys.with_order_keys(orders)
    for frame in (keyed, orders):
        codes, ids = keys.customer_codes(frame)
        assert codes.tolist() == [1, 0, 1, 2]
        assert ids.tolist() == [9, 10, 100]
