"""Churn by category cycle: the lifecycle day thresholds of each category from its own
repurchase intervals, and each customer's main category, so a 数码配件 buyer is not called
dormant inside a 150-day replacement cycle because food is bought every 11 days.

Definitions (printed in the report, i18n ``profiling.churn_rule``):

- a category interval: days between a customer's consecutive purchase days of that category
  (paid orders, calendar days; several orders on one day are one purchase day), as in
  :func:`wxshop.analysis.products.cycles.purchase_events` — the same naive percentiles
  (linear interpolation) the store-wide thresholds use
  (:func:`wxshop.analysis.lifecycle.stage_thresholds`);
- a category's thresholds: ``active_days = ceil(P[active_pct])``, ``dormant_days =
  ceil(P[dormant_pct])`` of its intervals, ``lost_days = ceil(lost_factor × dormant_days)``;
  a category with fewer than ``min_intervals`` intervals keeps the store's thresholds;
- a customer's main category: the category with the most item sales (quantity × unit price,
  CNY) among the customer's paid order lines up to ``period_end``; a tie goes to the category
  bought most recently, then to the first name. Lines of SKUs missing from ``products``
  (category ``—``) do not count: a customer with no other lines keeps the store's thresholds.

Conventions: :mod:`wxshop.analysis.paid` (paid orders, ``period_end`` day, calendar days).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from wxshop.analysis.lifecycle import DEFAULT_LOST_FACTOR, StageThresholds, lost_days_of
from wxshop.analysis.paid import NO_DAY, DateLike, day_numbers, paid_mask, period_end_day, require_columns
from wxshop.analysis.products.keys import UNKNOWN_CATEGORY
from wxshop.data import codes, engine
from wxshop.data.keys import customer_codes, line_orders, product_rows, sorted_codes
from wxshop.data.schema import CUSTOMER_ID, ORDER_ID, ORDERED_AT, QUANTITY, SKU_ID, UNIT_PRICE

__all__ = ["MIN_INTERVALS", "CategoryThresholds", "category_thresholds", "main_categories",
           "store_category_thresholds"]

MIN_INTERVALS = 30  # a category needs this many intervals for thresholds of its own

CATEGORY = "category"


@dataclass(frozen=True)
class CategoryThresholds:
    """Per-category thresholds and the per-customer days they give.

    categories : category, intervals (int), customers (int, customers whose main category it
        is), p_active, p_dormant (days, raw percentiles; NaN without intervals),
        active_days, dormant_days, lost_days (int days used), source (``"category"``: its
        own intervals; ``"store"``: too few, the store's thresholds).
    customers : customer_id, main_category, active_days, dormant_days, lost_days — the
        ``customer_days`` argument of :func:`wxshop.analysis.lifecycle.lifecycle_stages`.
    """

    categories: pd.DataFrame
    customers: pd.DataFrame


def _text_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes that sort like the texts (−1 when missing) and the text of each code
    (a text Index: outputs take from it in Arrow, no Python string per row); a categorical
    column (as :func:`~wxshop.analysis.products.lines.item_lines` gives) keeps its codes, so
    millions of lines are never turned into strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        names = values.cat.categories.astype("str").to_numpy(object)
        order = np.argsort(names, kind="stable")
        rank = np.empty(order.size, np.int64)
        rank[order] = np.arange(order.size)
        code = values.cat.codes.to_numpy(np.int64)
        return (np.where(code >= 0, rank[np.maximum(code, 0)] if order.size else -1, -1),
                pd.Index(names[order], dtype="str"))
    code, uniques = sorted_codes(values)
    return np.asarray(code, np.int64), pd.Index(uniques, dtype="str")


def _category_lines(lines: pd.DataFrame, period_end: DateLike) -> tuple[pa.Table, pd.Index, pd.Index]:
    """The lines both queries below read — customer and category as codes that sort like
    their text, day number, gmv — for lines up to ``period_end`` with a known category and
    buyer; and the customer and category text of each code."""
    require_columns(lines, (CUSTOMER_ID, ORDERED_AT, CATEGORY, "gmv"), "category lines")
    customer, customers = _text_codes(lines[CUSTOMER_ID])
    category, categories = _text_codes(lines[CATEGORY])
    day = day_numbers(lines[ORDERED_AT])
    keep = (day <= period_end_day(period_end)) & (day != NO_DAY) & (customer >= 0)
    keep &= _named(category, categories)
    gmv = pd.to_numeric(lines["gmv"]).to_numpy(np.float64)
    return _table(customer[keep], category[keep], day[keep], gmv[keep]), customers, categories


def _named(category: np.ndarray, categories: pd.Index) -> np.ndarray:
    """Whether each code names a category: not −1 (no products row), not ``"—"``."""
    named = np.append(categories.to_numpy(object) != UNKNOWN_CATEGORY, False)  # −1 reads the last
    return named[category]


def _table(customer: np.ndarray, category: np.ndarray, day: np.ndarray, gmv: np.ndarray) -> pa.Table:
    """The coded lines the queries below read (an Arrow table: DuckDB reads its arrays as they
    are, where a pandas frame would first copy them into one block), in the narrowest integers
    that hold them: DuckDB hashes and sorts fewer bytes (1M-customer store: 1.4 → 1.15 s)."""
    return pa.table({CUSTOMER_ID: codes.narrow(customer), CATEGORY: codes.narrow(category),
                     "day": codes.narrow(day),
                     "gmv": np.nan_to_num(gmv)})


# A buyer's main category: most item sales, then the latest bought, then the first name.
_MAIN_SQL = f"""
    SELECT {CUSTOMER_ID}, {CATEGORY} AS main_category FROM (
        SELECT {CUSTOMER_ID}, {CATEGORY}, sum(gmv) AS gmv, max(day) AS latest
        FROM lines GROUP BY ALL)
    QUALIFY row_number() OVER (PARTITION BY {CUSTOMER_ID}
                               ORDER BY gmv DESC, latest DESC, {CATEGORY}) = 1
    ORDER BY {CUSTOMER_ID}"""

# A category's intervals: days between a buyer's consecutive distinct purchase days of it.
_GAPS_SQL = f"""
    SELECT {CATEGORY}, count(gap) AS intervals,
           quantile_cont(gap, $active) AS p_active, quantile_cont(gap, $dormant) AS p_dormant
    FROM (SELECT {CATEGORY},
                 day - lag(day) OVER (PARTITION BY {CUSTOMER_ID}, {CATEGORY} ORDER BY day) AS gap
          FROM (SELECT DISTINCT {CUSTOMER_ID}, {CATEGORY}, day FROM lines))
    GROUP BY ALL ORDER BY {CATEGORY}"""


def main_categories(lines: pd.DataFrame, period_end: DateLike) -> pd.DataFrame:
    """Each buyer's main category: most item sales (CNY), ties to the latest bought, then name.

    ``lines``: customer_id, ordered_at, category, gmv (as from
    :func:`wxshop.analysis.products.lines.item_lines`). Returns customer_id, main_category,
    sorted by customer_id.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-01-01",
    ...                                   "2025-01-05"]),
    ...     "category": ["食品", "食品", "数码", "食品", "数码"],
    ...     "gmv": [30.0, 30.0, 200.0, 50.0, 50.0],
    ... })
    >>> print(main_categories(lines, "2025-03-31").to_string(index=False))
    customer_id main_category
              a            数码
              b            数码
    """
    frame, customers, categories = _category_lines(lines, period_end)
    with engine.connect() as con:
        con.register("lines", frame)
        return _main_text(con.execute(_MAIN_SQL).df(), customers, categories)


def _main_text(main: pd.DataFrame, customers: pd.Index, categories: pd.Index) -> pd.DataFrame:
    """The coded result of ``_MAIN_SQL`` as text (Arrow takes)."""
    return pd.DataFrame({CUSTOMER_ID: customers.take(main[CUSTOMER_ID].to_numpy(np.int64)).array,
                         "main_category": categories.take(main["main_category"].to_numpy(np.int64)).array})


def category_thresholds(
    lines: pd.DataFrame,
    period_end: DateLike,
    store: StageThresholds,
    active_pct: float = 0.8,
    dormant_pct: float = 0.95,
    lost_factor: float = DEFAULT_LOST_FACTOR,
    min_intervals: int = MIN_INTERVALS,
) -> CategoryThresholds:
    """Lifecycle thresholds per category (module docstring) and the days of each buyer.

    ``lines``: paid order lines with customer_id, ordered_at, category, gmv
    (:func:`wxshop.analysis.products.lines.item_lines`). ``store``: the store-wide
    thresholds (:func:`wxshop.analysis.lifecycle.stage_thresholds`), kept for categories
    with fewer than ``min_intervals`` intervals and for customers without order lines (they
    are simply absent from ``customers``). A store whose dormant or active days were set by
    hand should not call this: the hand-set values are meant for everyone. The intervals and
    main categories are two DuckDB queries (``_GAPS_SQL``, ``_MAIN_SQL``): their text is the
    definition.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.analysis.lifecycle import StageThresholds
    >>> store = StageThresholds(20, 40, 20, 0.8, 0.95, 18.0, 39.0, 10, 5, (), False)
    >>> day = pd.Timestamp("2025-01-01")
    >>> lines = pd.DataFrame({
    ...     "customer_id": ["a"] * 3 + ["b"] * 3,
    ...     "ordered_at": [day, day + pd.Timedelta(days=100), day + pd.Timedelta(days=220),
    ...                    day, day + pd.Timedelta(days=10), day + pd.Timedelta(days=30)],
    ...     "category": ["数码"] * 3 + ["食品"] * 3,
    ...     "gmv": [200.0] * 3 + [30.0] * 3,
    ... })
    >>> ct = category_thresholds(lines, "2025-09-30", store, min_intervals=2)
    >>> print(ct.categories[["category", "intervals", "active_days", "dormant_days", "lost_days",
    ...                      "source"]].to_string(index=False))
    category  intervals  active_days  dormant_days  lost_days   source
          数码          2          116           119        238 category
          食品          2           18            20         40 category
    """
    frame, customers, categories = _category_lines(lines, period_end)
    return _lines_by_category(frame, customers, categories, store, active_pct, dormant_pct, lost_factor,
                       min_intervals)


def _lines_by_category(
    frame: pa.Table, customers: pd.Index, categories: pd.Index, store: StageThresholds,
    active_pct: float, dormant_pct: float, lost_factor: float, min_intervals: int,
) -> CategoryThresholds:
    """:func:`category_thresholds` from the coded lines of :func:`_category_lines`."""
    for name, pct in (("active_pct", active_pct), ("dormant_pct", dormant_pct)):
        if not 0 < pct <= 1:
            raise ValueError(f"{name} must be in (0, 1], got {pct!r}")
    with engine.connect() as con:
        con.register("lines", frame)
        gaps = con.execute(_GAPS_SQL, {"active": active_pct, "dormant": dormant_pct}).df()
        main = con.execute(_MAIN_SQL).df()
    main_code = main["main_category"].to_numpy(np.int64)
    counts = np.bincount(main_code, minlength=len(categories))
    gap_code = gaps[CATEGORY].to_numpy(np.int64)
    rows = []
    columns = (gaps[c].to_numpy() for c in ("intervals", "p_active", "p_dormant"))
    for code, n, p_a, p_d in zip(gap_code, *columns, strict=True):
        p_a, p_d = (float(v) if n else float("nan") for v in (p_a, p_d))
        own = n >= min_intervals
        a = max(1, math.ceil(p_a - 1e-9)) if own else store.active_days
        d = max(a, math.ceil(p_d - 1e-9)) if own else store.dormant_days
        rows.append({
            CATEGORY: str(categories[code]), "intervals": int(n), "customers": int(counts[code]),
            "p_active": p_a, "p_dormant": p_d, "active_days": a, "dormant_days": d,
            "lost_days": lost_days_of(d, lost_factor) if own else store.lost_days,
            "source": "category" if own else "store",
        })
    cols = [CATEGORY, "intervals", "customers", "p_active", "p_dormant", "active_days",
            "dormant_days", "lost_days", "source"]
    table = pd.DataFrame(rows, columns=cols).astype(
        {"intervals": np.int64, "customers": np.int64, "active_days": np.int64,
         "dormant_days": np.int64, "lost_days": np.int64, "p_active": np.float64,
         "p_dormant": np.float64, CATEGORY: "str", "source": "str"})
    # each customer's days: its main category's row of the table (a main category has lines,
    # so it has a row), looked up by code
    row_of = np.full(len(categories), -1, np.int64)
    row_of[gap_code] = np.arange(gap_code.size)
    row = row_of[main_code]
    per = _main_text(main, customers, categories).assign(
        **{c: table[c].to_numpy(np.int64)[row] for c in ("active_days", "dormant_days", "lost_days")})
    return CategoryThresholds(categories=table, customers=per)


def store_category_thresholds(
    orders: pd.DataFrame,
    order_items: pd.DataFrame | None,
    products: pd.DataFrame | None,
    period_end: DateLike,
    store: StageThresholds,
    by: str = "category",
    active_pct: float = 0.8,
    dormant_pct: float = 0.95,
    lost_factor: float = DEFAULT_LOST_FACTOR,
) -> CategoryThresholds | None:
    """:func:`category_thresholds` of a store's paid order lines, or None when the lines
    are one for the whole store: ``by="store"``, no order lines or products, or active /
    dormant / lost days set by hand (``store.overridden``). ``by`` is ``"category"`` or
    ``"store"`` (ValueError otherwise)."""
    if by not in ("category", "store"):
        raise ValueError(f"churn_by must be 'category' or 'store', got {by!r}")
    hand_set = set(store.overridden) & {"active_days", "dormant_days", "lost_days"}
    if by == "store" or order_items is None or products is None or hand_set:
        return None
    frame, customers, categories = _store_lines(orders, order_items, products, period_end)
    return _lines_by_category(frame, customers, categories, store, active_pct, dormant_pct, lost_factor,
                       MIN_INTERVALS)


def _store_lines(
    orders: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame, period_end: DateLike
) -> tuple[pa.Table, pd.Index, pd.Index]:
    """:func:`_category_lines` straight from a store's tables, joined on integer keys (each
    line's order and SKU by the keys the loader added, :mod:`wxshop.data.keys`), so a store's
    millions of lines are never built into a frame of text (:func:`item_lines` is for reports
    that show the lines). Paid orders with a buyer, up to ``period_end``; lines of SKUs not in
    ``products`` or without a category are left out."""
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT), "category lines")
    require_columns(order_items, (ORDER_ID, SKU_ID, QUANTITY, UNIT_PRICE), "category lines")
    require_columns(products, (SKU_ID, CATEGORY), "category lines")
    buyer, buyers = customer_codes(orders)
    day = day_numbers(orders[ORDERED_AT])
    counted = paid_mask(orders).to_numpy(bool) & (buyer >= 0) & (day <= period_end_day(period_end))
    counted = np.append(counted & (day != NO_DAY), False)  # a line without its order reads False
    unique = products.drop_duplicates(SKU_ID)
    category, categories = _text_codes(unique[CATEGORY].astype("category"))
    # each products row's category code, −1 when unnamed; a line without a products row reads −1
    named = np.append(np.where(_named(category, categories), category, -1), -1)
    line_category = named[product_rows(order_items, unique)]
    row = line_orders(order_items, orders)
    kept = np.flatnonzero(counted[row] & (line_category >= 0))  # only these lines are gathered
    at = row[kept]
    gmv = _floats(order_items[QUANTITY])[kept] * _floats(order_items[UNIT_PRICE])[kept]
    table = _table(buyer[at], line_category[kept], day[at], gmv)
    return table, pd.Index(buyers, dtype="str"), categories


def _floats(values: pd.Series) -> np.ndarray:
    """A numeric column as float64 (NaN where missing or not a number), not copied when it is
    float64 already, as the loader's columns are."""
    if values.dtype == np.float64:
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(np.float64, na_value=np.nan)
