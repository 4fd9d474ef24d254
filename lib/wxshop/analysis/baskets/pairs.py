"""Bundle pairs: which two items are bought in the same order, with support, confidence and
lift.

Conventions: :mod:`wxshop.analysis.baskets`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wxshop.analysis.baskets.orders import (
    Level,
    check_basket_level,
    check_count,
    coded_lines,
    describe,
    order_frame,
    register,
)
from wxshop.analysis.paid import DateLike, require_columns
from wxshop.data import engine
from wxshop.data.codes import distinct
from wxshop.data.schema import ORDER_ID, SKU_ID

__all__ = ["MAX_BASKET_ITEMS", "MIN_PAIR_ORDERS", "MIN_PAIR_SUPPORT", "bundle_pairs"]

MIN_PAIR_ORDERS = 5  # default floor on orders_together ...
MIN_PAIR_SUPPORT = 1e-4  # ... raised to this share of the analysed orders on big stores
MAX_BASKET_ITEMS = 30  # orders with more distinct items are bulk orders, not baskets


def bundle_pairs(
    orders: pd.DataFrame,
    order_items: pd.DataFrame,
    products: pd.DataFrame | None = None,
    *,
    level: Level = "sku",
    min_orders: int | None = None,
    top: int | None = 20,
    max_items: int | None = MAX_BASKET_ITEMS,
    period_end: DateLike | None = None,
) -> pd.DataFrame:
    """Pairs of items bought in the same paid order, those bought together most often beyond
    chance first (volume and association both count: a pair of 64 orders with a high lift does
    not pass over one of 250 orders with a good lift).

    Parameters
    ----------
    orders : order_id[, status][, ordered_at when ``period_end`` is given].
    order_items : order_id, sku_id. Quantities do not matter: an order either contains an
        item or not, so repeated lines of one SKU (or several SKUs of one category at
        ``level="category"``) count once. Lines without a sku_id are ignored.
    products : sku_id, category[, name]. Needed for ``level="category"``; at
        ``level="sku"`` it adds the name and category of both SKUs.
    level : ``"sku"`` or ``"category"``.
    min_orders : keep pairs bought together in at least this many orders. Default
        (``None``): ``max(MIN_PAIR_ORDERS, ceil(MIN_PAIR_SUPPORT × orders))``, i.e. 5
        orders, or 0.01 % of the analysed orders on stores with more than 50 000 of them,
        so a big store's top list is not made of rare coincidences.
    top : number of pairs returned (``None`` = all that pass ``min_orders``).
    max_items : an order with more distinct items than this (bulk orders, e.g. a 社群团购
        leader buying for a group) is left out of EVERY figure: of the analysed orders,
        the item counts and the pairs. It guards against the k(k−1)/2 pairs of a huge
        basket; ``None`` keeps all orders. WeChat baskets are small (the demo stores have
        1–3 lines per order), so the default of 30 rarely bites; the number left out is in
        ``attrs["orders_left_out"]``.
    period_end : last day included (``None`` or ``""`` = all orders).

    Definitions
    -----------
    N = analysed orders: paid orders with at least one item and at most ``max_items``.
    For an unordered pair {A, B} with A < B (text order of the item keys):

    - orders_a, orders_b: analysed orders containing A, containing B (single-item orders
      count here, but never in a pair);
    - orders_together: analysed orders containing both;
    - support = orders_together / N, support_a = orders_a / N, support_b = orders_b / N;
    - confidence_a_to_b = P(B | A) = orders_together / orders_a; confidence_b_to_a
      = orders_together / orders_b;
    - lift = support / (support_a × support_b) = orders_together × N / (orders_a ×
      orders_b): 1 = bought together as often as by chance, > 1 = more often;
    - extra_orders = orders_together − orders_a × orders_b / N: orders with both beyond the
      number expected by chance (independence), the ranking key.

    Returns
    -------
    One row per pair, sorted by extra_orders (descending), then lift (descending), then
    the item keys. Columns: ``sku_id_a``, ``sku_id_b`` (``category_a``, ``category_b`` at
    category level); with products at SKU level also ``name_a``, ``category_a`` after
    ``sku_id_a`` and ``name_b``, ``category_b`` after ``sku_id_b``; then orders_together,
    orders_a, orders_b (counts), support, support_a, support_b, confidence_a_to_b,
    confidence_b_to_a (shares 0–1), lift (ratio ≥ 0) and extra_orders (orders). ``attrs``: level, orders (N),
    min_orders (as applied), max_items, orders_left_out, pairs (pairs passing
    min_orders, before ``top``).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["o1", "o2", "o3", "o4", "o5"],
    ...     "customer_id": ["a", "a", "b", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-01-25", "2025-01-10", "2025-02-09",
    ...                                   "2025-02-01"]),
    ... })
    >>> order_items = pd.DataFrame({
    ...     "order_id": ["o1", "o1", "o2", "o3", "o3", "o4", "o5"],
    ...     "sku_id": ["tea", "cup", "tea", "tea", "cup", "tea", "cup"],
    ...     "quantity": [2, 1, 1, 1, 1, 2, 1],
    ...     "unit_price": [30.0, 80.0, 30.0, 30.0, 80.0, 30.0, 80.0],
    ... })
    >>> products = pd.DataFrame({"sku_id": ["tea", "cup"], "name": ["绿茶", "茶杯"],
    ...                          "category": ["食品饮料", "数码配件"], "unit_cost": [10.0, 20.0]})
    >>> pairs = bundle_pairs(orders, order_items, min_orders=1)
    >>> cols = ["sku_id_a", "sku_id_b", "orders_together", "support", "lift"]
    >>> print(pairs[cols].round(3).to_string(index=False))
    sku_id_a sku_id_b  orders_together  support  lift
         cup      tea                2      0.4 0.833
    """
    what = "bundle_pairs"
    require_columns(orders, (ORDER_ID,), what)
    require_columns(order_items, (ORDER_ID, SKU_ID), what)
    key = check_basket_level(level, products, what)
    min_orders = check_count("min_orders", min_orders, 1)
    top = check_count("top", top, 1)
    max_items = check_count("max_items", max_items, 2)

    frame = order_frame(orders, period_end)
    coded = coded_lines(frame, order_items, orders) if level == "sku" else None
    if coded is not None:
        _, oid, item, names = coded
        raw, n_orders, left_out, min_orders, n_pairs = _coded_pairs(oid, item, names, min_orders, top,
                                                                    max_items)
        raw["item_a"], raw["item_b"] = names.take(raw["item_a"]), names.take(raw["item_b"])
    else:
        raw, n_orders, left_out, min_orders, n_pairs = _sql_pairs(
            frame, order_items, products, level, min_orders, top, max_items)

    together = raw["together"].to_numpy(np.int64)
    n_a = raw["n_a"].to_numpy(np.int64)
    n_b = raw["n_b"].to_numpy(np.int64)
    out = pd.DataFrame(
        {
            f"{key}_a": raw["item_a"].astype("str"),
            f"{key}_b": raw["item_b"].astype("str"),
            "orders_together": together,
            "orders_a": n_a,
            "orders_b": n_b,
            "support": together / n_orders if n_orders else np.full(len(raw), np.nan),
            "support_a": n_a / n_orders if n_orders else np.full(len(raw), np.nan),
            "support_b": n_b / n_orders if n_orders else np.full(len(raw), np.nan),
            "confidence_a_to_b": together / n_a,
            "confidence_b_to_a": together / n_b,
            "lift": raw["lift"].to_numpy(np.float64),
            "extra_orders": raw["extra"].to_numpy(np.float64),
        }
    )
    if level == "sku" and products is not None:
        out = describe(out, products, f"{key}_a", "_a")
        out = describe(out, products, f"{key}_b", "_b")
    out.attrs = {"level": level, "orders": int(n_orders), "min_orders": int(min_orders),
                 "max_items": max_items, "orders_left_out": int(left_out), "pairs": int(n_pairs)}
    return out


def _sql_pairs(
    frame: pd.DataFrame,
    order_items: pd.DataFrame,
    products: pd.DataFrame | None,
    level: str,
    min_orders: int | None,
    top: int | None,
    max_items: int | None,
) -> tuple[pd.DataFrame, int, int, int, int]:
    """:func:`bundle_pairs` in DuckDB, joining lines to orders by their text ids."""
    with engine.connect() as con:
        item, join = register(con, frame, order_items, products, level, (ORDER_ID, SKU_ID))
        # distinct (order, item): duplicated lines count once; oid is an integer join key
        con.execute(f"""
            CREATE TEMP TABLE basket AS
            SELECT DISTINCT o.oid, {item} AS item
            FROM i JOIN o ON i.{ORDER_ID} = o.{ORDER_ID} {join}
            WHERE o.keep AND i.{SKU_ID} IS NOT NULL""")
        con.execute("CREATE TEMP TABLE size AS SELECT oid, count(*) AS k FROM basket GROUP BY oid")
        big = "false" if max_items is None else f"k > {max_items}"
        n_orders, left_out = con.execute(
            f"SELECT count(*) FILTER (WHERE NOT {big}), count(*) FILTER (WHERE {big}) FROM size"
        ).fetchone()
        if min_orders is None:
            min_orders = max(MIN_PAIR_ORDERS, math.ceil(round(MIN_PAIR_SUPPORT * n_orders, 6)))
        if left_out:
            con.execute(f"DELETE FROM basket WHERE oid IN (SELECT oid FROM size WHERE {big})")
        # item codes follow the text order of the keys, so code_a < code_b ⇔ item_a < item_b
        con.execute("""
            CREATE TEMP TABLE items AS
            SELECT item, count(*) AS n, row_number() OVER (ORDER BY item) AS code
            FROM basket GROUP BY item""")
        # single-item orders cannot pair; dropping them first halves the self-join
        con.execute("""
            CREATE TEMP TABLE multi AS
            SELECT basket.oid, items.code FROM basket JOIN items USING (item)
            WHERE basket.oid IN (SELECT oid FROM size WHERE k >= 2)""")
        con.execute(f"""
            CREATE TEMP TABLE pairs AS
            SELECT a.code AS code_a, b.code AS code_b, count(*) AS n
            FROM multi a JOIN multi b ON a.oid = b.oid AND a.code < b.code
            GROUP BY ALL HAVING count(*) >= {min_orders}""")
        n_pairs = con.execute("SELECT count(*) FROM pairs").fetchone()[0]
        limit = "" if top is None else f"LIMIT {top}"
        raw = con.execute(f"""
            SELECT ia.item AS item_a, ib.item AS item_b, pairs.n AS together,
                   ia.n AS n_a, ib.n AS n_b,
                   pairs.n::DOUBLE * {n_orders} / (ia.n::DOUBLE * ib.n) AS lift,
                   pairs.n - ia.n::DOUBLE * ib.n / {max(n_orders, 1)} AS extra
            FROM pairs JOIN items ia ON pairs.code_a = ia.code JOIN items ib ON pairs.code_b = ib.code
            ORDER BY extra DESC, lift DESC, item_a, item_b {limit}""").df()
    return raw, n_orders, left_out, min_orders, n_pairs


def _coded_pairs(
    oid: np.ndarray,
    item: np.ndarray,
    names: pd.Index,
    min_orders: int | None,
    top: int | None,
    max_items: int | None,
) -> tuple[pd.DataFrame, int, int, int, int]:
    """:func:`bundle_pairs` on integer codes (the lines of kept orders: the order's row and
    the item's code in text order): the same figures as the SQL, by sorting. DuckDB took
    about 2 s on the 4.9M lines of a 1M-customer store, this about 0.3 s."""
    n_items = max(len(names), 1)
    basket = distinct(oid[item >= 0] * n_items + item[item >= 0])  # sorted by order, then item
    order, code = np.divmod(basket, n_items)
    first = np.r_[True, order[1:] != order[:-1]] if order.size else np.zeros(0, bool)
    group = np.cumsum(first) - 1
    size = np.bincount(group) if group.size else np.zeros(0, np.int64)
    big = size > max_items if max_items is not None else np.zeros(size.size, bool)
    n_orders, left_out = int((~big).sum()), int(big.sum())
    if min_orders is None:
        min_orders = max(MIN_PAIR_ORDERS, math.ceil(round(MIN_PAIR_SUPPORT * n_orders, 6)))
    kept = ~big[group] if group.size else np.zeros(0, bool)
    group, code = group[kept], code[kept]
    per_item = np.bincount(code, minlength=n_items)
    # rows d apart in one basket are a pair (code_a < code_b); baskets are at most max_items
    # long, so the loop runs over offsets, not over orders or lines
    firsts, seconds = [], []
    offset = 1
    while offset < group.size:
        same = np.flatnonzero(group[offset:] == group[:-offset])
        if not same.size:
            break
        firsts.append(code[same])
        seconds.append(code[same + offset])
        offset += 1
    pair = (np.concatenate(firsts) * n_items + np.concatenate(seconds)) if firsts else np.zeros(0, np.int64)
    pair = np.sort(pair)
    starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if pair.size else np.zeros(0, np.int64)
    count = np.diff(np.append(starts, pair.size))
    strong = count >= min_orders
    code_a, code_b = np.divmod(pair[starts][strong], n_items)
    together = count[strong].astype(np.int64)
    n_a, n_b = per_item[code_a].astype(np.int64), per_item[code_b].astype(np.int64)
    lift = together.astype(np.float64) * n_orders / (n_a.astype(np.float64) * n_b)
    extra = together - n_a.astype(np.float64) * n_b / max(n_orders, 1)
    rank = np.lexsort((code_b, code_a, -lift, -extra))
    if top is not None:
        rank = rank[:top]
    raw = pd.DataFrame({"item_a": code_a[rank], "item_b": code_b[rank], "together": together[rank],
                        "n_a": n_a[rank], "n_b": n_b[rank], "lift": lift[rank],
                        "extra": extra[rank]})
    return raw, n_orders, left_out, min_orders, int(strong.sum())
