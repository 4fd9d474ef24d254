"""positions, distinct, distinct_counts and argsort_keys: the numpy / pandas answers, faster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wxshop.data import codes


def ids_frame(n: int = 5000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = pd.Series([f"C{v:05d}" for v in rng.integers(0, 800, n)], dtype="str")
    ids[rng.random(n) < 0.05] = None
    return pd.DataFrame({"customer_id": ids})


@pytest.fixture(params=["arrow", "duckdb"])
def join_in(request, monkeypatch):
    """positions() both ways: hashed in Arrow (small inputs) and joined in DuckDB (big)."""
    monkeypatch.setattr(codes, "_JOIN_IN_DUCKDB", 10**12 if request.param == "arrow" else 0)
    return request.param


def test_positions_equal_get_indexer_with_repeats_and_missing_values(join_in):
    among = pd.Series(["b", "a", None, "c", "a"], dtype="str")
    values = pd.Series(["a", "c", None, "zz", "b", "a"], dtype="str")
    np.testing.assert_array_equal(codes.positions(values, among), [1, 3, -1, -1, 0, 1])
    frame = ids_frame()
    uniq = pd.Index(frame["customer_id"].dropna().unique())
    np.testing.assert_array_equal(codes.positions(frame["customer_id"], uniq),
                                  uniq.get_indexer(frame["customer_id"]))


@pytest.mark.parametrize("size", [0, 1, 1000])
def test_distinct_is_np_unique(size):
    values = np.random.default_rng(size).integers(-50, 50, size)
    np.testing.assert_array_equal(codes.distinct(values), np.unique(values))


def test_positions_of_numbers_and_mixed_types_compare_as_text(join_in):
    among = pd.Series([3, 1, 2, 1])
    values = pd.Series(["1", "2", "4", None], dtype="str")
    np.testing.assert_array_equal(codes.positions(values, among), [1, 2, -1, -1])
    assert codes.positions(pd.Series([], dtype="str"), among).tolist() == []


@pytest.mark.parametrize("bound_factor", [1, 3, 1000])
def test_distinct_with_a_bound_equals_np_unique_on_both_ways(bound_factor):
    """Marked in a table of flags (small bound) or sorted (large bound): np.unique either way."""
    rng = np.random.default_rng(bound_factor)
    n = 20_000
    bound = n * bound_factor
    values = rng.integers(0, bound, n)
    values[:50] = bound - 1  # the largest value, repeated
    out = codes.distinct(values, bound=bound)
    assert out.dtype == values.dtype
    np.testing.assert_array_equal(out, np.unique(values))
    np.testing.assert_array_equal(codes.distinct(values[:0], bound=bound), np.unique(values[:0]))


@pytest.mark.parametrize("high", [5, 10**6, 2**62])
def test_argsort_keys_is_numpys_stable_argsort(high):
    """Positions packed under the keys and sorted, or numpy's own when the keys leave no room."""
    rng = np.random.default_rng(7)
    keys = rng.integers(0, high, 50_000, dtype=np.int64)
    np.testing.assert_array_equal(codes.argsort_keys(keys), np.argsort(keys, kind="stable"))
    assert codes.argsort_keys(keys[:0]).size == 0


def _first_positions(values, among):
    first = {}
    for i, a in enumerate(among):
        if a is not None and a not in first:
            first[a] = i
    return [first.get(v, -1) if v is not None else -1 for v in values]


@pytest.mark.parametrize("case", ["order_by_order", "missing_ids", "a_missing_order", "shuffled",
                                  "repeats_in_among"])
def test_positions_of_values_in_runs_equal_the_first_occurrence(join_in, case, monkeypatch):
    """Order lines come order by order: looked up once per run, or (unique ids among, in the
    same order) not looked up at all. Either way each line gets its order's first row."""
    rng = np.random.default_rng(11)
    among = [f"o{i:05d}" for i in range(3000)]
    values = [o for o in among for _ in range(int(rng.integers(1, 4)))]
    if case == "order_by_order":  # the lines are the orders' runs: no lookup at all
        monkeypatch.setattr(codes, "_look_up_texts", lambda *a: pytest.fail("looked up"))
    elif case == "missing_ids":
        values[10:12] = [None, None]  # lines without an order id, inside a run
    elif case == "a_missing_order":
        values = [v for v in values if v != "o00007"] + ["zz"]
    elif case == "shuffled":
        values = list(rng.permutation(np.array(values, dtype=object)))
    elif case == "repeats_in_among":
        among = among + among[:50]
    got = codes.positions(pd.Series(values, dtype="str"), pd.Series(among, dtype="str"),
                          unique=case != "repeats_in_among")
    np.testing.assert_array_equal(got, _first_positions(values, among))
