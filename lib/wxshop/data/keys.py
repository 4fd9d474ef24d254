"""Integer keys for orders, buyers and SKUs, added once when a store is loaded.

Every report groups orders by buyer and joins order lines to their orders, on millions of
rows. On text ids each of those is a hash or a sort of the whole column (about a second
each for the 4.7M orders of a million-customer store); on integer keys it is an array lookup.
:func:`wxshop.data.load.load_store` adds the keys as columns of the checked tables (the
table cache keeps them with the rest):

- ``orders.order_key``: the order's row in the checked orders (0, 1, 2 ...), and
  ``order_items.order_key``: the key of the line's order;
- ``orders.customer_key``: the rank of ``customer_id`` among the orders' distinct ids
  (−1 where it is missing);
- ``order_items.sku_key``: the rank of ``sku_id`` among the order lines' distinct ids.

The keys are columns like any other, so a subset of rows (a period, a window) carries its
own and nothing has to remember where a frame came from. The functions below answer from
the keys when both frames have them and from the text ids when not (a frame made by hand,
a test): the same answer either way (``tests/data/test_keys.py``). A frame whose ids were
edited after loading while its keys were kept would be answered wrongly, so every call
compares the ids of a sample of rows through the keys, and checks that the buyers' and SKUs'
ids still sort like their keys, and raises on a mismatch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from wxshop.data.codes import arrow_text, narrow, positions
from wxshop.data.schema import CUSTOMER_ID, CUSTOMER_KEY, ORDER_ID, ORDER_KEY, SKU_ID, SKU_KEY

__all__ = [
    "customer_codes",
    "line_orders",
    "product_rows",
    "sku_codes",
    "sorted_codes",
    "with_line_keys",
    "with_order_keys",
    "with_sku_keys",
]


_SAMPLE = 64  # rows whose ids are compared through the keys on every call
_DROP = ("drop them (frame.drop(columns=list(wxshop.data.schema.KEY_COLUMNS), errors='ignore')) "
         "and the ids are used instead.")


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(values, sort=True)``: int64 codes (−1 where a value is missing) and the
    distinct values in sorted order. Text is encoded in Arrow (4.7M ids: 0.6 s against
    0.9 s); other values (numbers, as hand-made frames may hold) are left to pandas.

    >>> codes, ids = sorted_codes(pd.Series(["b", None, "a", "b"]))
    >>> codes.tolist(), ids.tolist()
    ([1, -1, 0, 1], ['a', 'b'])
    """
    if not _is_text(values):
        codes, uniques = pd.factorize(values, sort=True)
        return codes.astype(np.int64, copy=False), pd.Index(uniques)
    encoded = arrow_text(values).dictionary_encode()
    order = pc.array_sort_indices(encoded.dictionary).to_numpy()
    rank = np.empty(order.size + 1, np.int64)
    rank[order] = np.arange(order.size)
    rank[-1] = -1  # a missing value's index is filled with −1, which reads this slot
    index = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64, copy=False)
    uniques = pd.Index(encoded.dictionary.take(order).to_pandas(), dtype="str")
    return rank[index], uniques


def _is_text(values: pd.Series) -> bool:
    """Whether the values are text (pandas' str dtype, or Python strings in an object column)."""
    return isinstance(values.dtype, pd.StringDtype) or (
        values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"))


def _int32(values: np.ndarray) -> np.ndarray:
    """Keys as int32 (as they are, int64, past two billion)."""
    return narrow(values, (np.int32,))


def with_order_keys(orders: pd.DataFrame) -> pd.DataFrame:
    """``orders`` with ``order_key`` (each row's position) and, when it has buyers,
    ``customer_key`` added; the other columns are shared, not copied."""
    keys = {ORDER_KEY: _int32(np.arange(len(orders)))}
    if CUSTOMER_ID in orders.columns:
        keys[CUSTOMER_KEY] = _int32(sorted_codes(orders[CUSTOMER_ID])[0])
    return orders.assign(**keys)


def with_line_keys(order_items: pd.DataFrame, order_rows: np.ndarray) -> pd.DataFrame:
    """``order_items`` with ``order_key`` added: ``order_rows``, each line's row among the
    checked orders as the loader found it (−1 for none)."""
    if len(order_rows) != len(order_items):
        raise ValueError("with_line_keys: one order row per line is needed")
    return order_items.assign(**{ORDER_KEY: _int32(np.asarray(order_rows, np.int64))})


def with_sku_keys(order_items: pd.DataFrame) -> pd.DataFrame:
    """``order_items`` with ``sku_key`` added (when it has SKUs)."""
    if SKU_ID not in order_items.columns:
        return order_items
    return order_items.assign(**{SKU_KEY: _int32(sorted_codes(order_items[SKU_ID])[0])})


def customer_codes(orders: pd.DataFrame, keep: np.ndarray | None = None) -> tuple[np.ndarray, pd.Index]:
    """The buyers of the orders ``keep`` selects (a boolean array; every row when None) as
    codes 0 .. k−1 in the sorted order of their ids, and those k ids: what
    ``pd.factorize(orders.customer_id[keep], sort=True)`` gives. The rows ``keep`` selects
    must all have a buyer (ValueError otherwise); without ``keep`` a missing buyer is −1.

    >>> orders = pd.DataFrame({"customer_id": ["b", "a", "c", "b"]})
    >>> codes, ids = customer_codes(orders, np.array([True, False, True, True]))
    >>> codes.tolist(), ids.tolist()
    ([0, 1, 0], ['b', 'c'])
    """
    codes, ids = _codes(orders, CUSTOMER_KEY, CUSTOMER_ID, keep)
    if keep is not None and codes.size and codes.min() < 0:
        raise ValueError("customer_codes: keep selects orders without a customer_id")
    return codes, ids


def sku_codes(order_items: pd.DataFrame) -> tuple[np.ndarray, pd.Index]:
    """Each line's SKU as a code 0 .. k−1 in the sorted order of the k SKU ids (−1 where
    sku_id is missing), and those ids: ``pd.factorize(order_items.sku_id, sort=True)``."""
    return _codes(order_items, SKU_KEY, SKU_ID, None)


def product_rows(order_items: pd.DataFrame, products: pd.DataFrame) -> np.ndarray:
    """Each order line's row in ``products`` (the first row of its sku_id; −1 where the SKU is
    not listed or missing): the distinct SKUs are looked up, not the millions of lines.

    >>> products = pd.DataFrame({"sku_id": ["t", "c", "t"]})
    >>> product_rows(pd.DataFrame({"sku_id": ["c", "x", "t", None, "c"]}), products).tolist()
    [1, -1, 0, -1, 1]
    """
    code, skus = sku_codes(order_items)
    at = np.append(positions(skus, products[SKU_ID]), -1)  # code −1 reads the appended −1
    return at[code]


def line_orders(order_items: pd.DataFrame, orders: pd.DataFrame,
                keep: np.ndarray | None = None) -> np.ndarray:
    """Each order line's row in ``orders`` (−1 where its order is not among them): by
    ``order_key`` when both frames have it, else by looking ``order_id`` up among the
    orders' ids (the first row of an id that appears twice). With ``keep`` (a boolean array
    over the orders), the line's position among the rows it selects, −1 for the others.

    >>> orders = pd.DataFrame({"order_id": ["o2", "o3"]})
    >>> items = pd.DataFrame({"order_id": ["o3", "o1", "o2"]})
    >>> line_orders(items, orders).tolist(), line_orders(items, orders, np.array([False, True])).tolist()
    ([1, -1, 0], [0, -1, -1])
    """
    if ORDER_KEY not in order_items.columns or ORDER_KEY not in orders.columns:
        among = orders[ORDER_ID] if keep is None else orders[ORDER_ID][keep]
        return positions(order_items[ORDER_ID], among)
    line_key = order_items[ORDER_KEY].to_numpy().astype(np.int64, copy=False)
    order_key = orders[ORDER_KEY].to_numpy().astype(np.int64, copy=False)
    n = order_key.size
    if n and order_key[0] == 0 and order_key[-1] == n - 1 and bool(np.all(order_key[1:] > order_key[:-1])):
        rows = np.where(line_key < n, line_key, -1)  # the orders as loaded: key = row
    else:
        size = max(int(order_key.max()) if n else -1, int(line_key.max()) if line_key.size else -1) + 1
        inverse = np.full(size, -1, np.int64)
        inverse[order_key[order_key >= 0]] = np.flatnonzero(order_key >= 0)
        rows = np.where(line_key >= 0, inverse[np.maximum(line_key, 0)], -1)
    found = np.flatnonzero(rows >= 0)
    sample = found[np.linspace(0, found.size - 1, min(found.size, _SAMPLE)).astype(np.int64)]
    _same(order_items[ORDER_ID], sample, orders[ORDER_ID], rows[sample], ORDER_KEY)
    if keep is None:
        return rows
    rank = np.append(np.where(keep, np.cumsum(keep) - 1, -1), -1)  # row −1 reads the last −1
    return rank[rows]


def _codes(frame: pd.DataFrame, key: str, id_column: str,
           keep: np.ndarray | None) -> tuple[np.ndarray, pd.Index]:
    """Dense sorted codes of ``frame[id_column]`` (rows ``keep``) from its key column when
    there is one, else from the text."""
    if key not in frame.columns:
        values = frame[id_column] if keep is None else frame[id_column][keep]
        return sorted_codes(values)
    kept = frame[key].to_numpy()
    rows = None if keep is None else np.flatnonzero(keep)
    if rows is not None:
        kept = kept[rows]
    size = int(kept.max()) + 1 if kept.size else 0
    missing = bool(kept.size) and int(kept.min()) < 0
    where = np.flatnonzero(kept >= 0) if missing else np.arange(kept.size, dtype=kept.dtype)
    valid = kept[where] if missing else kept
    at = np.full(size, -1, np.int64)  # a row holding each key (all its rows hold the same id)
    at[valid] = where
    present = at >= 0
    if present.all():  # every key up to the largest is used: the keys are the codes
        codes = kept.astype(np.int64)
    else:
        renumber = np.cumsum(present) - 1
        codes = renumber[np.maximum(kept, 0)]
        at = at[present]
    if missing:
        codes[kept < 0] = -1
    if rows is not None:
        at = rows[at]
    taken = frame[id_column].array.take(at)
    if _is_text(frame[id_column]):
        ids = pd.Index(taken, dtype="str")
        ascending = _ascending(taken)
    else:  # numbers (a hand-made frame): sorted as numbers, as pd.factorize sorts them
        ids = pd.Index(taken)
        ascending = ids.is_monotonic_increasing and ids.is_unique
    if not ascending:
        raise ValueError(f"{key} does not sort like {id_column}: the ids were changed after loading "
                         f"while the key columns were kept; {_DROP}")
    sample = where[np.linspace(0, where.size - 1, min(where.size, _SAMPLE)).astype(np.int64)]
    _same(pd.Series(ids), codes[sample], frame[id_column], sample if rows is None else rows[sample], key)
    return codes, ids


def _ascending(values) -> bool:
    """Whether the ids rise strictly from one to the next (compared as text, in Arrow)."""
    text = arrow_text(values)
    return len(text) < 2 or bool(pc.all(pc.less(text.slice(0, len(text) - 1), text.slice(1))).as_py())


def _same(left: pd.Series, left_rows: np.ndarray, right: pd.Series, right_rows: np.ndarray,
          key: str) -> None:
    """The ids at ``left_rows`` of ``left`` equal those at ``right_rows`` of ``right``, else
    ValueError: the keys no longer match the ids."""
    a = [str(left.iat[i]) for i in left_rows]  # one value at a time: a take of a column
    b = [str(right.iat[i]) for i in right_rows]  # in many Arrow chunks would join them first
    if a != b:
        bad = next(i for i, (u, v) in enumerate(zip(a, b, strict=True)) if u != v)
        raise ValueError(
            f"{key} does not match the ids ({a[bad]!r} against {b[bad]!r}): the ids were changed "
            f"after loading while the key columns were kept; {_DROP}"
        )
