"""Baskets: which items sell together, how deep they are discounted, and whether
deep discounts bring buyers back.

Conventions shared by every function here:

- paid order: ``status == "paid"``, or every order when there is no status column
  (:func:`wxshop.analysis.overview.paid_mask`); orders with no ``order_id`` are left out.
  ``period_end`` (optional, a day such as ``"2026-10-31"``) keeps paid orders up to the
  END of that day; empty or ``None`` keeps them all.
- an *item* is a SKU (``level="sku"``, key column ``sku_id``) or a product category
  (``level="category"``, key column ``category``, taken from ``products``; SKUs missing
  from ``products`` count under the category ``"—"``).
- an order's lines are the rows of ``order_items`` with its ``order_id``; lines whose
  ``order_id`` is not a paid order are ignored.
- money in CNY (rounded to the fen in outputs), shares 0–1; a ratio with an empty
  denominator is NaN.

All aggregation runs in DuckDB (in process, on the pandas frames, no Python loop over
rows), so a store with 10M order lines takes seconds.
"""

from __future__ import annotations

import math
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN, DateLike, paid_mask, period_end_day, require_columns, timestamps
from wxshop.data.codes import distinct, known_rows, sorted_codes
from wxshop.data.schema import CAMPAIGN_ID, DISCOUNT, ORDER_ID, ORDERED_AT, QUANTITY, SKU_ID, UNIT_PRICE

__all__ = [
    "DEEP_DISCOUNT",
    "MAX_BASKET_ITEMS",
    "MIN_PAIR_ORDERS",
    "MIN_PAIR_SUPPORT",
    "REPURCHASE_RATE",
    "UNKNOWN_CATEGORY",
    "bundle_pairs",
    "discount_depth",
    "discount_vs_repurchase",
]

Level = Literal["sku", "category"]

UNKNOWN_CATEGORY = UNKNOWN  # category of SKUs missing from products
MIN_PAIR_ORDERS = 5  # default floor on orders_together ...
MIN_PAIR_SUPPORT = 1e-4  # ... raised to this share of the analysed orders on big stores
MAX_BASKET_ITEMS = 30  # orders with more distinct items are bulk orders, not baskets
DEEP_DISCOUNT = 0.15  # avg_discount_depth from which a discount counts as deep
REPURCHASE_RATE = "repurchase_rate"

_KEY: dict[str, str] = {"sku": SKU_ID, "category": "category"}


# =============================================================================== helpers


def _check_level(level: str, products: pd.DataFrame | None, what: str) -> str:
    if level not in _KEY:
        raise ValueError(f"level must be 'sku' or 'category', got {level!r}")
    if products is not None:
        require_columns(products, (SKU_ID, "category") if level == "category" else (SKU_ID,), what)
    elif level == "category":
        raise ValueError(f"{what}: level='category' needs the products table")
    return _KEY[level]


def _check_count(name: str, value: int | None, low: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or int(value) != value or value < low:
        raise ValueError(f"{name} must be a whole number ≥ {low} or None, got {value!r}")
    return int(value)


def _order_frame(
    orders: pd.DataFrame, period_end: DateLike | None, discount: bool = False
) -> pd.DataFrame:
    """One row per order: order_id, oid (row position, a cheap join key), keep (paid,
    has an id, up to period_end) and, when asked, disc (CNY, 0 when missing) and camp
    (has a campaign_id)."""
    keep = paid_mask(orders).to_numpy(bool) & orders[ORDER_ID].notna().to_numpy(bool)
    if period_end is not None and not (isinstance(period_end, str) and not period_end.strip()):
        require_columns(orders, (ORDERED_AT,), "period_end")
        end = np.datetime64(period_end_day(period_end) + 1, "D")  # up to the END of that day
        keep &= (timestamps(orders[ORDERED_AT]) < end).to_numpy(bool)
    cols: dict[str, object] = {
        ORDER_ID: orders[ORDER_ID].array,
        "oid": np.arange(len(orders), dtype=np.int64),
        "keep": keep,
    }
    if discount:
        cols["disc"] = (
            pd.to_numeric(orders[DISCOUNT]).fillna(0.0).to_numpy(np.float64)
            if DISCOUNT in orders.columns
            else np.zeros(len(orders))
        )
        if CAMPAIGN_ID in orders.columns:
            camp = orders[CAMPAIGN_ID]
            cols["camp"] = (camp.notna() & (camp.astype("str").str.strip() != "")).to_numpy(bool)
        else:
            cols["camp"] = np.zeros(len(orders), bool)
    return pd.DataFrame(cols, copy=False)


def _register(
    con: duckdb.DuckDBPyConnection,
    orders: pd.DataFrame,
    order_items: pd.DataFrame,
    products: pd.DataFrame | None,
    level: str,
    columns: tuple[str, ...],
) -> tuple[str, str]:
    """Register the frames as o, i and p; return the SQL of an order line's item and the
    join that provides it."""
    con.execute("SET preserve_insertion_order = false")
    con.register("o", orders)
    con.register("i", pd.DataFrame({c: order_items[c].array for c in columns}, copy=False))
    if level == "category":
        prod = products.drop_duplicates(SKU_ID)
        con.register("p", pd.DataFrame({SKU_ID: prod[SKU_ID].array,
                                        "category": prod["category"].array}, copy=False))
        return (f"coalesce(p.category, '{UNKNOWN_CATEGORY}')",
                f"LEFT JOIN p ON i.{SKU_ID} = p.{SKU_ID}")
    return f"i.{SKU_ID}", ""


def _coded_lines(
    frame: pd.DataFrame, order_items: pd.DataFrame, order_ids: pd.Series, missing_item: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index] | None:
    """The lines of kept orders as integers, when the loader's row of each line's order is
    known (:func:`wxshop.data.codes.known_rows`), else None (the SQL joins by text ids).

    Returns (line: the line's position in ``order_items``, oid: its order's row in
    ``frame``, item: its SKU's code in the text order of ``names``; a line without a SKU
    is ``missing_item`` when given, else −1). Joining and grouping 7.5M lines by text ids
    in DuckDB took 2–3 s per query; on integers the same figures take a fraction of that.
    """
    rows = known_rows(order_items[ORDER_ID], order_ids)
    if rows is None:
        return None
    keep = frame["keep"].to_numpy(bool)
    line = np.flatnonzero((rows >= 0) & keep[np.maximum(rows, 0)]) if len(keep) else np.zeros(0, np.int64)
    code, names = sorted_codes(order_items[SKU_ID])
    names = pd.Index(names.astype("str"))
    item = code[line]
    if missing_item is not None:  # e.g. "—", placed in the text order of the SKUs
        at = int(names.searchsorted(missing_item))
        if at < len(names) and names[at] == missing_item:
            item = np.where(item >= 0, item, at)
        else:
            item = np.where(item >= 0, item + (item >= at), at)
            names = names.insert(at, missing_item)
    return line, rows[line], item, names


def _describe(out: pd.DataFrame, products: pd.DataFrame, key: str, suffix: str = "") -> pd.DataFrame:
    """Add name{suffix} and category{suffix} of the SKU in ``key``, right after it."""
    prod = products.drop_duplicates(SKU_ID).set_index(SKU_ID)
    pos = out.columns.get_loc(key) + 1
    cat = out[key].map(prod["category"]) if "category" in prod else None
    if "name" in prod:
        out.insert(pos, f"name{suffix}", out[key].map(prod["name"]).astype("str"))
        pos += 1
    if cat is not None:
        out.insert(pos, f"category{suffix}", cat.astype("str").fillna(UNKNOWN_CATEGORY))
    return out


# ========================================================================= bundle pairs


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
    """Pairs of items bought in the same paid order, strongest association (lift) first.

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
      orders_b): 1 = bought together as often as by chance, > 1 = more often.

    Returns
    -------
    One row per pair, sorted by lift (descending), then orders_together (descending), then
    the item keys. Columns: ``sku_id_a``, ``sku_id_b`` (``category_a``, ``category_b`` at
    category level); with products at SKU level also ``name_a``, ``category_a`` after
    ``sku_id_a`` and ``name_b``, ``category_b`` after ``sku_id_b``; then orders_together,
    orders_a, orders_b (counts), support, support_a, support_b, confidence_a_to_b,
    confidence_b_to_a (shares 0–1) and lift (ratio ≥ 0). ``attrs``: level, orders (N),
    min_orders (as applied), max_items, orders_left_out, pairs (pairs passing
    min_orders, before ``top``).
    """
    what = "bundle_pairs"
    require_columns(orders, (ORDER_ID,), what)
    require_columns(order_items, (ORDER_ID, SKU_ID), what)
    key = _check_level(level, products, what)
    min_orders = _check_count("min_orders", min_orders, 1)
    top = _check_count("top", top, 1)
    max_items = _check_count("max_items", max_items, 2)

    frame = _order_frame(orders, period_end)
    coded = _coded_lines(frame, order_items, orders[ORDER_ID]) if level == "sku" else None
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
        }
    )
    if level == "sku" and products is not None:
        out = _describe(out, products, f"{key}_a", "_a")
        out = _describe(out, products, f"{key}_b", "_b")
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
    with duckdb.connect() as con:
        item, join = _register(con, frame, order_items, products, level, (ORDER_ID, SKU_ID))
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
                   pairs.n::DOUBLE * {n_orders} / (ia.n::DOUBLE * ib.n) AS lift
            FROM pairs JOIN items ia ON pairs.code_a = ia.code JOIN items ib ON pairs.code_b = ib.code
            ORDER BY lift DESC, together DESC, item_a, item_b {limit}""").df()
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
    rank = np.lexsort((code_b, code_a, -together, -lift))
    if top is not None:
        rank = rank[:top]
    raw = pd.DataFrame({"item_a": code_a[rank], "item_b": code_b[rank], "together": together[rank],
                        "n_a": n_a[rank], "n_b": n_b[rank], "lift": lift[rank]})
    return raw, n_orders, left_out, min_orders, int(strong.sum())


# ======================================================================= discount depth


def discount_depth(
    orders: pd.DataFrame,
    order_items: pd.DataFrame,
    *,
    level: Level = "sku",
    products: pd.DataFrame | None = None,
    period_end: DateLike | None = None,
) -> pd.DataFrame:
    """How much of each item's sales went out as order discounts, over paid orders.

    Parameters
    ----------
    orders : order_id[, status][, discount (CNY, order level; missing values = 0)]
        [, campaign_id][, ordered_at when ``period_end`` is given].
    order_items : order_id, sku_id, quantity, unit_price (CNY, before discounts).
    level : ``"sku"`` or ``"category"`` (needs ``products``).
    products : sku_id, category[, name]; at SKU level it adds name and category.
    period_end : last day included (``None`` or ``""`` = all orders).

    Definitions
    -----------
    A line's value is quantity × unit_price (CNY; missing = 0). Each paid order's
    ``discount`` is allocated to its lines pro rata to line value: line discount =
    discount × line value / order's total line value. An order whose lines are all worth
    0 allocates nothing (there is no share to split by), nor does an order without lines.
    Lines with no sku_id count under ``"—"``.

    Returns
    -------
    One row per item, largest gross_sales first (then by key). Columns: the key
    (``sku_id`` or ``category``; with products at SKU level also ``name``, ``category``);
    lines (order lines: repeated lines of a SKU in one order count separately); orders
    (distinct paid orders with the item); gross_sales (Σ line value, CNY);
    discount_allocated (CNY); avg_discount_depth (discount_allocated / gross_sales, share
    0–1, NaN when gross_sales is 0); share_of_lines_discounted (share of lines in orders
    with discount > 0); campaign_share (share of lines in orders with a non-empty
    campaign_id; NaN for every row when orders has no campaign_id column);
    discount_recorded (bool, the same on every row: False when orders has no discount
    column, and then the discount figures are 0, not measured).
    """
    what = "discount_depth"
    require_columns(orders, (ORDER_ID,), what)
    require_columns(order_items, (ORDER_ID, SKU_ID, QUANTITY, UNIT_PRICE), what)
    key = _check_level(level, products, what)
    frame = _order_frame(orders, period_end, discount=True)
    coded = (_coded_lines(frame, order_items, orders[ORDER_ID], missing_item=UNKNOWN_CATEGORY)
             if level == "sku" else None)
    raw = _coded_discounts(frame, order_items, *coded) if coded is not None else _sql_discounts(
        frame, order_items, products, level)
    lines = raw["lines"].to_numpy(np.int64)
    gross = raw["gross"].to_numpy(np.float64)
    alloc = raw["alloc"].to_numpy(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        depth = np.where(gross > 0, alloc / gross, np.nan)
    out = pd.DataFrame(
        {
            key: raw["item"].astype("str"),
            "lines": lines,
            "orders": raw["orders"].to_numpy(np.int64),
            "gross_sales": np.round(gross, 2),
            "discount_allocated": np.round(alloc, 2),
            "avg_discount_depth": depth,
            "share_of_lines_discounted": raw["lines_disc"].to_numpy(np.float64) / lines,
            "campaign_share": (raw["lines_camp"].to_numpy(np.float64) / lines
                               if CAMPAIGN_ID in orders.columns else np.full(len(raw), np.nan)),
            "discount_recorded": np.full(len(raw), DISCOUNT in orders.columns),
        }
    )
    # ranked on the rounded sales, so items equal to the fen follow their keys however the
    # sums were added up
    out = out.sort_values(["gross_sales", key], ascending=[False, True], kind="stable", ignore_index=True)
    if level == "sku" and products is not None:
        out = _describe(out, products, key)
    out.attrs = {"level": level, "discount_recorded": DISCOUNT in orders.columns}
    return out


def _sql_discounts(
    frame: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame | None, level: str
) -> pd.DataFrame:
    """:func:`discount_depth`'s sums per item in DuckDB, joining lines to orders by text id."""
    with duckdb.connect() as con:
        item, join = _register(con, frame, order_items, products, level,
                               (ORDER_ID, SKU_ID, QUANTITY, UNIT_PRICE))
        item = f"coalesce({item}, '{UNKNOWN_CATEGORY}')"
        return con.execute(f"""
            WITH line AS (
                SELECT o.oid, {item} AS item, o.disc, o.camp,
                       coalesce(i.{QUANTITY}::DOUBLE * i.{UNIT_PRICE}, 0) AS value
                FROM i JOIN o ON i.{ORDER_ID} = o.{ORDER_ID} {join}
                WHERE o.keep),
            total AS (SELECT oid, sum(value) AS total FROM line GROUP BY oid)
            SELECT item, count(*) AS lines, count(DISTINCT oid) AS orders,
                   sum(value) AS gross,
                   sum(CASE WHEN t.total > 0 THEN l.disc * l.value / t.total ELSE 0 END) AS alloc,
                   count(*) FILTER (WHERE l.disc > 0) AS lines_disc,
                   count(*) FILTER (WHERE l.camp) AS lines_camp
            FROM line l JOIN total t USING (oid)
            GROUP BY item ORDER BY gross DESC, item""").df()


def _coded_discounts(
    frame: pd.DataFrame, order_items: pd.DataFrame, line: np.ndarray, oid: np.ndarray,
    item: np.ndarray, names: pd.Index,
) -> pd.DataFrame:
    """The same sums per item as :func:`_sql_discounts` on the integer lines of
    :func:`_coded_lines` (sums by ``np.bincount``)."""
    k = len(names)
    value = np.nan_to_num(order_items[QUANTITY].to_numpy(np.float64, na_value=np.nan)[line]
                          * order_items[UNIT_PRICE].to_numpy(np.float64, na_value=np.nan)[line])
    disc = frame["disc"].to_numpy(np.float64)[oid]
    total = np.bincount(oid, weights=value, minlength=len(frame))[oid]
    with np.errstate(divide="ignore", invalid="ignore"):
        alloc = np.where(total > 0, disc * value / total, 0.0)
    lines = np.bincount(item, minlength=k)
    orders = np.bincount(distinct(item * max(len(frame), 1) + oid) // max(len(frame), 1), minlength=k)
    gross = np.bincount(item, weights=value, minlength=k)
    present = np.flatnonzero(lines > 0)
    present = present[np.lexsort((present, -gross[present]))]  # gross descending, then text
    return pd.DataFrame({
        "item": names.take(present),
        "lines": lines[present],
        "orders": orders[present],
        "gross": gross[present],
        "alloc": np.bincount(item, weights=alloc, minlength=k)[present],
        "lines_disc": np.bincount(item, weights=disc > 0, minlength=k)[present],
        "lines_camp": np.bincount(item, weights=frame["camp"].to_numpy(bool)[oid], minlength=k)[present],
    })


def discount_vs_repurchase(
    depth: pd.DataFrame, repurchase: pd.DataFrame, *, threshold: float = DEEP_DISCOUNT
) -> pd.DataFrame:
    """Items sold at deep discounts whose buyers come back less than most.

    Parameters
    ----------
    depth : the output of :func:`discount_depth` (key ``sku_id``, or ``category`` when it
        has no ``sku_id`` column; avg_discount_depth).
    repurchase : one row per item: the same key and ``repurchase_rate`` (share 0–1);
        other columns not already in ``depth`` are carried along.
    threshold : avg_discount_depth from which a discount counts as deep (share 0–1).

    Returns
    -------
    ``depth`` left-joined with ``repurchase`` (items without a rate get NaN), sorted by
    avg_discount_depth (descending, NaN last), then gross_sales (descending), then key,
    with ``deep_discount_low_return`` (bool): avg_discount_depth ≥ ``threshold`` AND
    repurchase_rate strictly below the median repurchase_rate of the items in the result
    that have one. Items with a NaN depth or rate are never flagged. ``attrs``:
    threshold, repurchase_median.
    """
    what = "discount_vs_repurchase"
    key = SKU_ID if SKU_ID in depth.columns else "category"
    require_columns(depth, (key, "avg_discount_depth"), what)
    require_columns(repurchase, (key, REPURCHASE_RATE), what)
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be a share between 0 and 1, got {threshold!r}")
    if repurchase[key].duplicated().any():
        raise ValueError(f"{what}: repurchase has several rows for one {key}")
    extra = [c for c in repurchase.columns if c == key or c not in depth.columns]
    out = depth.merge(repurchase[extra], on=key, how="left", validate="one_to_one")
    rate = pd.to_numeric(out[REPURCHASE_RATE]).astype("float64")
    out[REPURCHASE_RATE] = rate
    median = float(rate.median()) if rate.notna().any() else float("nan")
    out["deep_discount_low_return"] = (
        (out["avg_discount_depth"] >= threshold) & (rate < median)
    ).fillna(False).astype(bool)
    by = ["avg_discount_depth"] + (["gross_sales"] if "gross_sales" in out else []) + [key]
    out = out.sort_values(by, ascending=[False] * (len(by) - 1) + [True], na_position="last",
                          kind="stable").reset_index(drop=True)
    out.attrs = {**depth.attrs, "threshold": float(threshold), "repurchase_median": median}
    return out
