"""Discount depth per item and campaign, and whether deep discounts bring buyers back
(repurchase rate by discount band).

Conventions: :mod:`wxshop.analysis.baskets`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.baskets.orders import (
    UNKNOWN_CATEGORY,
    Level,
    check_basket_level,
    coded_lines,
    describe,
    order_frame,
    register,
)
from wxshop.analysis.paid import DateLike, require_columns
from wxshop.data import engine
from wxshop.data.codes import distinct
from wxshop.data.schema import CAMPAIGN_ID, DISCOUNT, ORDER_ID, QUANTITY, SKU_ID, UNIT_PRICE

__all__ = ["DEEP_DISCOUNT", "REPURCHASE_RATE", "discount_depth", "discount_vs_repurchase"]

DEEP_DISCOUNT = 0.15  # avg_discount_depth from which a discount counts as deep
REPURCHASE_RATE = "repurchase_rate"


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
    >>> orders["discount"] = [10.0, 0.0, 5.0, 0.0, 20.0]
    >>> depth = discount_depth(orders, order_items)
    >>> print(depth[["sku_id", "gross_sales", "discount_allocated", "avg_discount_depth"]].round(3)
    ...       .to_string(index=False))
    sku_id  gross_sales  discount_allocated  avg_discount_depth
       cup        240.0               29.35               0.122
       tea        180.0                5.65               0.031
    """
    what = "discount_depth"
    require_columns(orders, (ORDER_ID,), what)
    require_columns(order_items, (ORDER_ID, SKU_ID, QUANTITY, UNIT_PRICE), what)
    key = check_basket_level(level, products, what)
    frame = order_frame(orders, period_end, discount=True)
    coded = (coded_lines(frame, order_items, orders, missing_item=UNKNOWN_CATEGORY)
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
        out = describe(out, products, key)
    out.attrs = {"level": level, "discount_recorded": DISCOUNT in orders.columns}
    return out


def _sql_discounts(
    frame: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame | None, level: str
) -> pd.DataFrame:
    """:func:`discount_depth`'s sums per item in DuckDB, joining lines to orders by text id."""
    with engine.connect() as con:
        item, join = register(con, frame, order_items, products, level,
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
    :func:`coded_lines` (sums by ``np.bincount``)."""
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

    Examples
    --------
    >>> import pandas as pd
    >>> depth = pd.DataFrame({"sku_id": ["cup", "tea"], "avg_discount_depth": [0.122, 0.031]})
    >>> repurchase = pd.DataFrame({"sku_id": ["cup", "tea"], "repurchase_rate": [0.0, 1.0]})
    >>> print(discount_vs_repurchase(depth, repurchase, threshold=0.05).to_string(index=False))
    sku_id  avg_discount_depth  repurchase_rate  deep_discount_low_return
       cup               0.122              0.0                      True
       tea               0.031              1.0                     False
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
