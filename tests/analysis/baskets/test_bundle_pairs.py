"""Bundle pairs on hand-computed orders, against a brute-force count on random shops, and on a
demo store."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from basket_demo import demo_tables

from wxshop.analysis import baskets


# Paid orders with items (N = 5):
#   o1 {A, B, C}   o2 {A, B} (A on two lines)   o3 {A, C}   o4 {B}   o5 {C, D}
# o6 (refunded) and o7 (cancelled) are left out, o8 is paid without lines, and the lines
# of o99 have no order. Orders containing A, B, C, D: 3, 3, 3, 1.
# Together: AB 2 (o1, o2), AC 2 (o1, o3), BC 1 (o1), CD 1 (o5).
# Lift = together × N / (n_a × n_b): AB = AC = 10/9, BC = 5/9, CD = 5/3.
@pytest.fixture
def shop() -> dict[str, pd.DataFrame]:
    orders = pd.DataFrame(
        {
            "order_id": ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"],
            "ordered_at": pd.to_datetime(
                ["2024-01-01 10:00", "2024-01-02 10:00", "2024-01-03 10:00", "2024-01-04 10:00",
                 "2024-01-05 23:59", "2024-01-02 11:00", "2024-01-03 11:00", "2024-01-03 12:00"]
            ),
            "status": ["paid", "paid", "paid", "paid", "paid", "refunded", "cancelled", "paid"],
        }
    )
    lines = [
        ("o1", "A"), ("o1", "B"), ("o1", "C"),
        ("o2", "A"), ("o2", "B"), ("o2", "A"),
        ("o3", "A"), ("o3", "C"),
        ("o4", "B"),
        ("o5", "C"), ("o5", "D"),
        ("o6", "A"), ("o6", "B"), ("o6", "D"),
        ("o7", "D"), ("o7", "B"),
        ("o99", "A"), ("o99", "D"),
    ]
    items = pd.DataFrame(lines, columns=["order_id", "sku_id"])
    items["quantity"] = 1
    items["unit_price"] = 10.0
    products = pd.DataFrame(
        {"sku_id": ["A", "B", "C"], "name": ["咖啡豆", "坚果", "面膜"],
         "category": ["食品", "食品", "美妆"]}
    )
    return {"orders": orders, "order_items": items, "products": products}


def pair_frame(rows: list[tuple], n: int, a: str = "sku_id_a", b: str = "sku_id_b") -> pd.DataFrame:
    """Expected pairs from (item_a, item_b, together, n_a, n_b) with N = n."""
    f = pd.DataFrame(rows, columns=[a, b, "orders_together", "orders_a", "orders_b"])
    f[a] = f[a].astype("str")
    f[b] = f[b].astype("str")
    t, na, nb = (f[c].astype("int64") for c in ("orders_together", "orders_a", "orders_b"))
    f["support"] = t / n
    f["support_a"] = na / n
    f["support_b"] = nb / n
    f["confidence_a_to_b"] = t / na
    f["confidence_b_to_a"] = t / nb
    f["lift"] = t * n / (na * nb)
    f["extra_orders"] = t - na * nb / n
    return f.astype({"orders_together": "int64", "orders_a": "int64", "orders_b": "int64"})


def test_bundle_pairs_hand_computed(shop):
    got = baskets.bundle_pairs(shop["orders"], shop["order_items"], min_orders=1, top=None)
    want = pair_frame(
        [("C", "D", 1, 3, 1), ("A", "B", 2, 3, 3), ("A", "C", 2, 3, 3), ("B", "C", 1, 3, 3)], 5
    )
    pdt.assert_frame_equal(got, want)
    # the numbers of the header comment, written out
    assert got["lift"].tolist() == pytest.approx([5 / 3, 10 / 9, 10 / 9, 5 / 9])
    assert got["support"].tolist() == pytest.approx([0.2, 0.4, 0.4, 0.2])
    assert got["confidence_a_to_b"].tolist() == pytest.approx([1 / 3, 2 / 3, 2 / 3, 1 / 3])
    assert got["confidence_b_to_a"].tolist() == pytest.approx([1.0, 2 / 3, 2 / 3, 1 / 3])
    assert got.attrs == {"level": "sku", "orders": 5, "min_orders": 1, "max_items": 30,
                         "orders_left_out": 0, "pairs": 4}


def test_bundle_pairs_min_orders_and_top(shop):
    o, i = shop["orders"], shop["order_items"]
    got = baskets.bundle_pairs(o, i, min_orders=2)
    pdt.assert_frame_equal(got, pair_frame([("A", "B", 2, 3, 3), ("A", "C", 2, 3, 3)], 5))
    assert got.attrs["pairs"] == 2
    top1 = baskets.bundle_pairs(o, i, min_orders=1, top=1)
    pdt.assert_frame_equal(top1, pair_frame([("C", "D", 1, 3, 1)], 5))
    assert top1.attrs["pairs"] == 4  # before top
    # default: max(5, ceil(0.0001 × 5)) = 5 orders → nothing passes, columns still there
    empty = baskets.bundle_pairs(o, i)
    assert empty.attrs["min_orders"] == 5
    assert empty.empty
    assert list(empty.columns) == list(got.columns)


@pytest.mark.parametrize(("n", "floor"), [(120_000, 12), (120_001, 13)])
def test_bundle_pairs_default_min_orders_grows_with_the_store(n, floor):
    # n orders of A, k of them also with B: floor = max(5, ceil(0.0001 × n))
    ids = [f"o{k}" for k in range(n)]
    orders = pd.DataFrame({"order_id": ids})
    for k in (floor, floor - 1):
        items = pd.DataFrame({"order_id": ids + ids[:k], "sku_id": ["A"] * n + ["B"] * k})
        got = baskets.bundle_pairs(orders, items)
        assert got.attrs["min_orders"] == floor
        if k == floor:
            pdt.assert_frame_equal(got, pair_frame([("A", "B", k, n, k)], n))
        else:
            assert got.empty


def test_bundle_pairs_with_products(shop):
    got = baskets.bundle_pairs(shop["orders"], shop["order_items"], shop["products"],
                               min_orders=1, top=2)
    want = pair_frame([("C", "D", 1, 3, 1), ("A", "B", 2, 3, 3)], 5)
    want.insert(1, "name_a", pd.Series(["面膜", "咖啡豆"], dtype="str"))
    want.insert(2, "category_a", pd.Series(["美妆", "食品"], dtype="str"))
    want.insert(4, "name_b", pd.Series([np.nan, "坚果"], dtype="str"))  # D is not in products
    want.insert(5, "category_b", pd.Series(["—", "食品"], dtype="str"))
    pdt.assert_frame_equal(got, want)


def test_bundle_pairs_category_level(shop):
    # o1 {食品, 美妆}, o2 {食品}, o3 {食品, 美妆}, o4 {食品}, o5 {美妆, —}: 食品 4, 美妆 3, — 1
    got = baskets.bundle_pairs(shop["orders"], shop["order_items"], shop["products"],
                               level="category", min_orders=1)
    want = pair_frame([("—", "美妆", 1, 1, 3), ("美妆", "食品", 2, 3, 4)], 5,
                      "category_a", "category_b")
    pdt.assert_frame_equal(got, want)
    assert got["lift"].tolist() == pytest.approx([5 / 3, 5 / 6])
    assert got["confidence_b_to_a"].tolist() == pytest.approx([1 / 3, 1 / 2])


def test_bundle_pairs_period_end_includes_the_whole_day(shop):
    o, i = shop["orders"], shop["order_items"]
    whole = baskets.bundle_pairs(o, i, min_orders=1, top=None)
    pdt.assert_frame_equal(baskets.bundle_pairs(o, i, min_orders=1, top=None,
                                                period_end="2024-01-05"), whole)
    # o5 (23:59 on the 5th) drops out: N = 4, C in 2 orders; AC 2·4/6, AB 2·4/9, BC 1·4/6
    got = baskets.bundle_pairs(o, i, min_orders=1, top=None, period_end="2024-01-04")
    want = pair_frame([("A", "C", 2, 3, 2), ("A", "B", 2, 3, 3), ("B", "C", 1, 3, 2)], 4)
    pdt.assert_frame_equal(got, want)


def test_bundle_pairs_leaves_out_bulk_orders(shop):
    # max_items=2 drops o1 (3 items) everywhere: N = 4, A/B/C in 2 orders each, D in 1
    got = baskets.bundle_pairs(shop["orders"], shop["order_items"], min_orders=1, max_items=2)
    want = pair_frame([("C", "D", 1, 2, 1), ("A", "B", 1, 2, 2), ("A", "C", 1, 2, 2)], 4)
    pdt.assert_frame_equal(got, want)
    assert got.attrs["orders_left_out"] == 1


def test_bundle_pairs_without_status_counts_every_order(shop):
    got = baskets.bundle_pairs(shop["orders"].drop(columns="status"), shop["order_items"],
                               min_orders=1, top=None)
    assert got.attrs["orders"] == 7  # o1..o7 have lines
    ab = got.set_index(["sku_id_a", "sku_id_b"]).loc[("A", "B")]
    assert ab["orders_together"] == 3  # o1, o2, o6


def test_bundle_pairs_checks_its_input(shop):
    o, i = shop["orders"], shop["order_items"]
    with pytest.raises(ValueError, match="products"):
        baskets.bundle_pairs(o, i, level="category")
    with pytest.raises(ValueError, match="level"):
        baskets.bundle_pairs(o, i, level="brand")
    with pytest.raises(KeyError, match="sku_id"):
        baskets.bundle_pairs(o, i.drop(columns="sku_id"))
    with pytest.raises(ValueError, match="min_orders"):
        baskets.bundle_pairs(o, i, min_orders=0)


def brute_force_pairs(orders: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Test oracle: every pair of every paid basket, counted with plain Python."""
    paid = set(orders.loc[orders["status"] == "paid", "order_id"])
    basket: dict[str, set[str]] = {}
    for oid, sku in zip(items["order_id"], items["sku_id"], strict=True):
        if oid in paid:
            basket.setdefault(oid, set()).add(sku)
    n = len(basket)
    single: dict[str, int] = {}
    pair: dict[tuple[str, str], int] = {}
    for skus in basket.values():
        for s in skus:
            single[s] = single.get(s, 0) + 1
        for a, b in combinations(sorted(skus), 2):
            pair[(a, b)] = pair.get((a, b), 0) + 1
    rows = [(a, b, t, single[a], single[b]) for (a, b), t in pair.items()]
    return pair_frame(rows, n).sort_values(["sku_id_a", "sku_id_b"]).reset_index(drop=True)


def random_shop(seed: int, n_orders: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    skus = np.array([f"S{k:02d}" for k in range(12)])
    weights = rng.dirichlet(np.ones(12) * 0.7)
    ids = np.array([f"o{k:04d}" for k in range(n_orders)])
    orders = pd.DataFrame({"order_id": ids,
                           "status": rng.choice(["paid", "refunded", "cancelled"], n_orders,
                                                p=[0.8, 0.15, 0.05])})
    n_lines = rng.integers(1, 7, n_orders)  # 1–6 lines, duplicates likely
    items = pd.DataFrame({"order_id": np.repeat(ids, n_lines),
                          "sku_id": rng.choice(skus, n_lines.sum(), p=weights)})
    return orders, items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bundle_pairs_matches_brute_force(seed):
    orders, items = random_shop(seed)
    got = baskets.bundle_pairs(orders, items, min_orders=1, top=None)
    want = brute_force_pairs(orders, items)
    assert len(want) > 30
    pdt.assert_frame_equal(
        got.sort_values(["sku_id_a", "sku_id_b"]).reset_index(drop=True), want,
        check_exact=False, rtol=1e-12,
    )
    # ranked by orders together beyond chance, then lift
    key = list(zip(-got["extra_orders"].round(9), -got["lift"].round(9), got["sku_id_a"],
                   got["sku_id_b"], strict=True))
    assert key == sorted(key)
    assert got.attrs["orders"] == items.loc[items["order_id"].isin(
        orders.loc[orders["status"] == "paid", "order_id"]), "order_id"].nunique()


@pytest.fixture(scope="module")
def store() -> dict[str, pd.DataFrame]:
    return demo_tables()


def test_demo_store_pairs(store):
    o, i, p = store["orders"], store["order_items"], store["products"]
    for level in ("sku", "category"):
        got = baskets.bundle_pairs(o, i, p, level=level, min_orders=1, top=None)
        assert len(got) > 0
        assert (got["lift"] >= 0).all()
        for c in ("support", "support_a", "support_b", "confidence_a_to_b", "confidence_b_to_a"):
            assert got[c].between(0, 1).all(), c
        assert (got.iloc[:, 0] < got[f"{got.columns[0][:-2]}_b"]).all()
        assert got.attrs["orders"] == (o["status"] == "paid").sum()  # every demo order has lines
    top = baskets.bundle_pairs(o, i, p)
    assert len(top) == 20 and top["orders_together"].min() >= 5
    assert top["extra_orders"].is_monotonic_decreasing
    # same figures as plain Python
    full = baskets.bundle_pairs(o, i, min_orders=1, top=None)
    pdt.assert_frame_equal(full.sort_values(["sku_id_a", "sku_id_b"]).reset_index(drop=True),
                           brute_force_pairs(o, i), check_exact=False, rtol=1e-12)


def test_the_best_bundle_weighs_volume_not_only_lift():
    """A pair of 64 orders with lift 15.6 against one of 250 orders with lift 2.8: the second
    brings 160 orders together beyond chance, the first 59.9; ranking by lift alone chose the
    first (issue 17)."""
    rows_o, rows_i, k = [], [], 0

    def basket(*skus):
        nonlocal k
        k += 1
        rows_o.append((f"o{k}", "paid"))
        rows_i.extend((f"o{k}", s) for s in skus)

    for _ in range(64):
        basket("rare_a", "rare_b")
    for _ in range(250):
        basket("tea", "cup")
    for _ in range(50):
        basket("tea")
    for _ in range(50):
        basket("cup")
    for _ in range(1000 - k):
        basket("other")
    orders = pd.DataFrame(rows_o, columns=["order_id", "status"])
    items = pd.DataFrame(rows_i, columns=["order_id", "sku_id"])
    got = baskets.bundle_pairs(orders, items, min_orders=5)
    assert got[["sku_id_a", "sku_id_b"]].values.tolist()[:2] == [["cup", "tea"], ["rare_a", "rare_b"]]
    assert got["lift"].tolist()[:2] == pytest.approx([250 * 1000 / 300**2, 1000 / 64])
    assert got["extra_orders"].tolist()[:2] == pytest.approx([250 - 300 * 300 / 1000, 64 - 64 * 64 / 1000])
