"""Product selection: item lines, the product table, repurchase cycles, roles, ABC, channel fit.

Conventions (paid orders, ``period_end`` and calendar days as in :mod:`wxshop.analysis.segments`):

- paid order: ``status == "paid"``, or every order when there is no status column; orders
  with no ``customer_id`` or ``ordered_at`` are left out; ``period_end`` is a day and paid
  orders up to the END of that day count;
- an *item* is a SKU (``level="sku"``, key ``sku_id``, shown with ``name`` and
  ``category``) or a category (``level="category"``, key ``category``);
- item-line money: ``gmv = quantity × unit_price`` and ``cost = quantity × unit_cost``, in
  CNY, *before* order-level discounts (coupons and campaign discounts live in
  ``orders.discount``), so product GMV adds up to more than the store GMV of
  ``orders.amount`` when there are discounts. Gross margin is a share 0–1 of item GMV;
- a *purchase event* of an item is a distinct (customer, item, calendar day): several
  orders or lines on one day are one purchase. Its *gap* is the days to the same
  customer's next purchase day of that item; the last purchase of every customer/item has
  not been followed yet and is *censored* at ``period_end`` (duration ``period_end − day``,
  0 when bought on ``period_end``);
- shares are 0–1, days are calendar days, money CNY; rates with an empty denominator are NaN;
- codes (roles, rules, scenes, ABC classes, reasons) are English snake_case, mapped to
  display text in :mod:`wxshop.report.i18n`.

Everything is vectorised (ids factorised once, then numpy sorts and bincounts): a store
with 10M order lines takes a few seconds per call. :func:`item_lines` returns the id and
label columns as ``category`` dtype so that later calls reuse their codes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN, DateLike, paid_mask, period_end_day, require_columns, timestamps
from wxshop.data.codes import codes_of, known_rows, positions, sorted_codes
from wxshop.data.schema import CUSTOMER_ID, ORDER_ID, ORDERED_AT, QUANTITY, SKU_ID, UNIT_PRICE

__all__ = [
    "ABC_CLASSES",
    "CHANNEL_RULES",
    "CYCLE_SOURCES",
    "LEVELS",
    "REMINDER_REASONS",
    "ROLES",
    "SCENES",
    "UNKNOWN_CATEGORY",
    "RoleThresholds",
    "abc_classes",
    "abc_summary",
    "assign_roles",
    "channel_fit",
    "item_lines",
    "km_curves",
    "product_table",
    "purchase_events",
    "reminder_days",
    "repurchase_cycles",
]

NAME = "name"
CATEGORY = "category"
UNIT_COST = "unit_cost"
GROUP = "group"  # key column of km_curves / reminder_days (what wxshop.report.plots.km_curves reads)

Level = Literal["sku", "category"]
LEVELS: tuple[str, ...] = ("sku", "category")
UNKNOWN_CATEGORY = UNKNOWN  # category of lines whose SKU is not in products

# How the cycle used by roles and channel fit was obtained.
CYCLE_SOURCES: tuple[str, ...] = ("km_median", "naive_median", "none")

# In order of precedence: the first role whose rule holds wins.
ROLES: tuple[str, ...] = ("repeat", "traffic", "profit", "tail")  # 复购款, 引流款, 利润款, 长尾

ABC_CLASSES: tuple[str, ...] = ("A", "B", "C", "unknown")  # unknown = value missing

SCENES: tuple[str, ...] = (
    "group_buying",  # 社群团购
    "moments_showcase",  # 朋友圈晒单
    "live_stream",  # 视频号直播
    "tutorial_seeding",  # 教程种草
    "mini_program_mall",  # 小程序商城
    "referral",  # 私域裂变
    "general",  # 常规上架
)

REMINDER_REASONS: tuple[str, ...] = (
    "ok",  # reminder_day is the first day the target share is reached
    "raised_to_min_day",  # that day was earlier than min_day; min_day is used
    "too_few_repurchases",  # fewer observed repurchases than min_repurchases: no day
)

_TOL = 1e-12  # survival values are products of many factors; compare with a little slack

# =============================================================================== helpers


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return level


def _key_columns(level: str) -> list[str]:
    return [SKU_ID, NAME, CATEGORY] if level == "sku" else [CATEGORY]


def _check_share(name: str, value: float, closed_low: bool = True) -> float:
    v = float(value)
    ok = (0 <= v <= 1) if closed_low else (0 < v <= 1)
    if not ok:
        raise ValueError(f"{name} must be a share in {'[' if closed_low else '('}0, 1], got {value!r}")
    return v


def _days(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Day number (days since 1970-01-01) per row and a mask of valid timestamps."""
    at = timestamps(values)
    ok = at.notna().to_numpy(bool)
    day = at.to_numpy().astype("datetime64[D]").astype(np.int64)
    return day, ok


def _first_index(code: np.ndarray, n_codes: int) -> np.ndarray:
    """Row index of the first row of every code 0 .. n_codes - 1 (codes -1 ignored)."""
    first = np.full(n_codes, code.size, np.int64)
    ok = code >= 0
    np.minimum.at(first, code[ok], np.flatnonzero(ok))
    return first


def _runs(sorted_values: np.ndarray) -> np.ndarray:
    """Start positions of the runs of equal values in a sorted array."""
    if sorted_values.size == 0:
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.concatenate([[True], sorted_values[1:] != sorted_values[:-1]]))


def _str(values: Any) -> pd.api.extensions.ExtensionArray:
    """Values as a pandas ``str`` array (missing values stay missing)."""
    return pd.array(np.asarray(values, dtype=object), dtype="str")


@dataclass(frozen=True)
class _Groups:
    """Items of a level: a code per line (-1 = no key) and one key row per code."""

    code: np.ndarray
    keys: pd.DataFrame  # key columns as str, one row per code, sorted by key

    @property
    def n(self) -> int:
        return len(self.keys)


def _groups(lines: pd.DataFrame, level: str) -> _Groups:
    key = SKU_ID if level == "sku" else CATEGORY
    code, uniques = pd.factorize(lines[key], sort=True)
    code = code.astype(np.int64)
    keys = pd.DataFrame({key: _str(uniques)})
    if level == "sku":
        first = _first_index(code, len(uniques))
        for col in (NAME, CATEGORY):
            keys[col] = _str(lines[col].iloc[first].to_numpy(dtype=object))
    return _Groups(code, keys[_key_columns(level)])


@dataclass(frozen=True)
class _Events:
    """Distinct purchase events sorted by item, customer, day."""

    groups: _Groups
    customers: pd.Index  # customer_id per customer code
    item: np.ndarray  # item code per event
    customer: np.ndarray  # customer code per event
    day: np.ndarray  # day number per event
    last: np.ndarray  # bool: no later purchase of the item by the customer (censored)


_SHARED: dict[tuple[int, str, int | None], tuple[pd.DataFrame, _Events]] | None = None


@contextmanager
def shared_events() -> Iterator[None]:
    """Inside the block, the distinct purchase events of one ``lines`` frame, level and end
    are worked out once and shared by every function asking for them (product_table,
    repurchase_cycles, km_curves, purchase_events). A sorted event table of 7.5M order lines
    takes about 0.5 s, and a report asks for the same one several times.

    The sharing ends with the block, and nothing outside it can change ``lines`` while
    it runs (a library function holds the frame for the whole block), so a result never
    outlives the data it came from.
    """
    global _SHARED
    outer = _SHARED
    if outer is None:
        _SHARED = {}
    try:
        yield
    finally:
        if outer is None:
            _SHARED = None


def _events(lines: pd.DataFrame, level: str, end_day: int | None, what: str) -> _Events:
    if _SHARED is not None and end_day is not None and ORDERED_AT in lines.columns:
        last = _days(lines[ORDERED_AT])[0]
        if last.size and int(last.max()) <= end_day:
            end_day = None  # the end cuts nothing off: the same events as no end
    key = (id(lines), level, end_day)
    if _SHARED is not None and key in _SHARED and _SHARED[key][0] is lines:
        return _SHARED[key][1]
    events = _compute_events(lines, level, end_day, what)
    if _SHARED is not None:
        _SHARED[key] = (lines, events)  # holding the frame keeps its id from being reused
    return events


def _compute_events(lines: pd.DataFrame, level: str, end_day: int | None, what: str) -> _Events:
    _check_level(level)
    require_columns(lines, (CUSTOMER_ID, ORDERED_AT, *_key_columns(level)), what)
    groups = _groups(lines, level)
    cust, cust_ids = pd.factorize(lines[CUSTOMER_ID], sort=True)  # events sorted by customer_id
    day, ok = _days(lines[ORDERED_AT])
    keep = ok & (groups.code >= 0) & (cust >= 0)
    if end_day is not None:
        keep &= day <= end_day
    g, c, d = groups.code[keep], cust[keep].astype(np.int64), day[keep]
    if g.size:
        lo = int(d.min())
        span = int(d.max()) - lo + 1
        n_c = max(len(cust_ids), 1)
        if groups.n * n_c * span < 2**62:
            key = np.sort((g * n_c + c) * span + (d - lo))
            key = key[_runs(key)]
            pair, d = np.divmod(key, span)
            d = d + lo
            g, c = np.divmod(pair, n_c)
        else:  # ids too many to pack into one integer: sort by three keys instead
            order = np.lexsort((d, c, g))
            g, c, d = g[order], c[order], d[order]
            new = np.ones(g.size, bool)
            new[1:] = (g[1:] != g[:-1]) | (c[1:] != c[:-1]) | (d[1:] != d[:-1])
            g, c, d = g[new], c[new], d[new]
    last = np.ones(g.size, bool)
    last[:-1] = (g[1:] != g[:-1]) | (c[1:] != c[:-1])
    return _Events(groups, pd.Index(cust_ids, name=CUSTOMER_ID), g, c, d, last)


@dataclass(frozen=True)
class _Curve:
    """Kaplan–Meier product-limit estimate for many groups at once.

    Rows: day 0 of every group with events, then every day with at least one observed
    repurchase, sorted by group and day.
    """

    group: np.ndarray
    day: np.ndarray
    at_risk: np.ndarray  # events with duration >= day (risk set just before the day)
    events: np.ndarray  # observed repurchases on the day (0 on the day-0 row)
    survival: np.ndarray  # S(day)
    n_total: np.ndarray  # per group: events at risk at day 0
    n_events: np.ndarray  # per group: observed repurchases


def _product_limit(group: np.ndarray, duration: np.ndarray, observed: np.ndarray, n_groups: int) -> _Curve:
    """Vectorised Kaplan–Meier: S(t) = Π_{s ≤ t} (1 − d_s / n_s) per group.

    ``duration`` are whole days ≥ 0; observed events are at days ≥ 1. Ties: a purchase
    censored on day t is still at risk on day t (as in statsmodels ``SurvfuncRight``).
    """
    dur = duration.astype(np.int64)
    width = int(dur.max()) + 1 if dur.size else 1
    key = np.sort((group * width + dur) * 2 + observed.astype(np.int64))
    starts = _runs(key)
    counts = np.diff(np.append(starts, key.size))
    ukey = key[starts]
    gt, obs = np.divmod(ukey, 2)
    rid = np.cumsum(np.concatenate([[True], gt[1:] != gt[:-1]])) - 1 if gt.size else gt
    n_rows = int(rid[-1]) + 1 if gt.size else 0
    tot = np.bincount(rid, weights=counts, minlength=n_rows).astype(np.int64)
    dead = np.bincount(rid, weights=counts * obs, minlength=n_rows).astype(np.int64)
    gt_u = gt[_runs(gt)] if gt.size else gt
    g_u, t_u = np.divmod(gt_u, width)
    n_total = np.bincount(g_u, weights=tot, minlength=n_groups).astype(np.int64)
    n_events = np.bincount(g_u, weights=dead, minlength=n_groups).astype(np.int64)
    before = np.cumsum(tot) - tot  # events (any status) in earlier rows, all groups
    first = _runs(g_u)
    base = np.zeros(n_groups, np.int64)
    base[g_u[first]] = before[first]
    at_risk = n_total[g_u] - (before - base[g_u])
    factor = 1.0 - dead / at_risk.astype(np.float64)
    surv = pd.Series(factor).groupby(g_u, sort=False).cumprod().to_numpy(np.float64)
    # keep the event days, and put a day-0 row (S = 1, everything at risk) in front
    ev = dead > 0
    has = np.flatnonzero(n_total > 0)
    grp = np.concatenate([has, g_u[ev]])
    day = np.concatenate([np.zeros(has.size, np.int64), t_u[ev]])
    order = np.lexsort((day, grp))
    return _Curve(
        group=grp[order],
        day=day[order],
        at_risk=np.concatenate([n_total[has], at_risk[ev]])[order],
        events=np.concatenate([np.zeros(has.size, np.int64), dead[ev]])[order],
        survival=np.concatenate([np.ones(has.size), surv[ev]])[order],
        n_total=n_total,
        n_events=n_events,
    )


def _survival_at(curve: _Curve, n_groups: int, day: float) -> np.ndarray:
    """S(day) per group (step function, value of the last event day ≤ ``day``); NaN for a
    group without events at risk."""
    out = np.full(n_groups, np.nan)
    if curve.group.size == 0:
        return out
    width = int(curve.day.max()) + 2
    key = curve.group * width + curve.day
    t = min(int(math.floor(day)), width - 1)
    has = np.flatnonzero(curve.n_total > 0)
    pos = np.searchsorted(key, has * width + t, side="right") - 1
    out[has] = curve.survival[pos]
    return out


def _first_day_reaching(curve: _Curve, n_groups: int, target: np.ndarray) -> np.ndarray:
    """Per group, the first day with 1 − S(day) ≥ target (NaN when never)."""
    out = np.full(n_groups, np.nan)
    hit = np.flatnonzero(1.0 - curve.survival >= target[curve.group] - _TOL)
    if hit.size:
        hit = hit[_runs(curve.group[hit])]
        out[curve.group[hit]] = curve.day[hit]
    return out


def _naive_median(curve: _Curve, n_groups: int) -> np.ndarray:
    """Median of the observed gaps per group (``numpy.median`` convention: the mean of the
    two middle gaps for an even count), read off the event counts of the curve."""
    out = np.full(n_groups, np.nan)
    cum = np.cumsum(curve.events)
    n = curve.n_events
    has = np.flatnonzero(n > 0)
    if has.size == 0:
        return out
    base = np.zeros(n_groups, np.int64)
    starts = _runs(curve.group)
    base[curve.group[starts]] = cum[starts] - curve.events[starts]
    lo = np.searchsorted(cum, base[has] + (n[has] - 1) // 2, side="right")
    hi = np.searchsorted(cum, base[has] + n[has] // 2, side="right")
    out[has] = (curve.day[lo] + curve.day[hi]) / 2.0
    return out


def _km(lines: pd.DataFrame, period_end: DateLike, level: str, what: str) -> tuple[_Events, _Curve]:
    end_day = period_end_day(period_end)
    ev = _events(lines, level, end_day, what)
    nxt = np.append(ev.day[1:], 0)
    duration = np.where(ev.last, end_day - ev.day, nxt - ev.day)
    curve = _product_limit(ev.item, duration, ~ev.last, ev.groups.n)
    return ev, curve


# ============================================================================ item lines


def _distinct_categories(values: Sequence[Any]) -> pd.CategoricalDtype:
    """The category dtype of ``values``, text known to be distinct and never missing (sorted
    codes' uniques, or paid order ids, which are unique). pandas would hash every value to
    check that again: 1.2 s for the 4.4M paid orders of the 1M-customer bench store."""
    categories = pd.Index(values, dtype="str")
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)  # pandas' unchecked build
    return fast(categories, False) if fast is not None else pd.CategoricalDtype(categories)


def item_lines(
    orders: pd.DataFrame,
    order_items: pd.DataFrame,
    products: pd.DataFrame,
    period_end: DateLike,
) -> pd.DataFrame:
    """Order lines of paid orders up to the end of ``period_end``, with buyer, time and product.

    Parameters
    ----------
    orders : order_id, customer_id, ordered_at[, status]. order_id must be unique among the
        paid orders.
    order_items : order_id, sku_id, quantity, unit_price (CNY per unit).
    products : sku_id, name, category[, unit_cost (CNY per unit)]. A duplicated sku_id
        keeps its first row.
    period_end : last day included.

    Returns
    -------
    One row per line of a paid order, in ``order_items`` order: order_id, customer_id,
    ordered_at (timestamp of the order), sku_id, name, category, quantity, unit_price
    (CNY), unit_cost (CNY; NaN when unknown), gmv (quantity × unit_price, CNY, before
    order-level discounts), cost (quantity × unit_cost, CNY; NaN when the cost is unknown).
    Lines whose SKU is not in ``products`` get category ``"—"``, a missing name and
    NaN cost. order_id, customer_id, sku_id, name and category are ``category`` dtype (the
    later functions reuse their codes; compare with plain strings as usual).
    """
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT), "item_lines")
    require_columns(order_items, (ORDER_ID, SKU_ID, QUANTITY, UNIT_PRICE), "item_lines")
    require_columns(products, (SKU_ID, NAME, CATEGORY), "item_lines")
    end_day = period_end_day(period_end)
    at = timestamps(orders[ORDERED_AT])
    keep = (
        paid_mask(orders).to_numpy(bool)
        & (at < np.datetime64(end_day + 1, "D")).to_numpy(bool)
        & orders[CUSTOMER_ID].notna().to_numpy(bool)
        & orders[ORDER_ID].notna().to_numpy(bool)
    )
    paid_ids = orders[ORDER_ID][keep]
    # each line's position among the paid orders; lines of other orders are dropped
    order_row = known_rows(order_items[ORDER_ID], orders[ORDER_ID])
    if order_row is not None:  # the loader's (orders' ids are unique): no hashing of ids
        rank = np.cumsum(keep) - 1
        at_row = np.maximum(order_row, 0)
        line_order = np.where((order_row >= 0) & keep[at_row], rank[at_row], -1)
    else:
        if not pd.Index(paid_ids).is_unique:
            dup = paid_ids[paid_ids.duplicated()].iloc[0]
            raise ValueError(f"item_lines: order_id {dup!r} appears more than once among paid orders")
        # hashing in Arrow: pandas 3 took 4.8 s on 7.5M lines against 4.4M orders, Arrow 1.6 s
        line_order = positions(order_items[ORDER_ID], paid_ids)
    rows = np.flatnonzero(line_order >= 0)
    opos = line_order[rows].astype(np.int64)

    cust_code, cust_ids = codes_of(orders[CUSTOMER_ID], keep)
    sku_code, sku_ids = sorted_codes(order_items[SKU_ID])
    sku_code = sku_code[rows]

    prod = products.drop_duplicates(SKU_ID, keep="first")
    ppos_u = pd.Index(prod[SKU_ID]).get_indexer(sku_ids)
    ppos = np.where(sku_code >= 0, ppos_u[sku_code] if len(ppos_u) else -1, -1)
    known = ppos >= 0

    cat_prod = prod[CATEGORY].astype("str").fillna(UNKNOWN_CATEGORY)
    cat_code_p, cat_names = pd.factorize(cat_prod, sort=True)
    cat_list = list(cat_names)
    if UNKNOWN_CATEGORY not in cat_list:
        cat_list.append(UNKNOWN_CATEGORY)
    unknown_code = cat_list.index(UNKNOWN_CATEGORY)
    cat_code = np.where(known, cat_code_p[np.where(known, ppos, 0)] if len(prod) else 0, unknown_code)
    name_code_p, name_values = pd.factorize(prod[NAME].astype("str"), sort=True)
    name_code = np.where(known, name_code_p[np.where(known, ppos, 0)] if len(prod) else -1, -1)

    if UNIT_COST in prod.columns:
        cost_p = pd.to_numeric(prod[UNIT_COST], errors="coerce").to_numpy(np.float64)
        unit_cost = np.where(known, cost_p[np.where(known, ppos, 0)] if len(prod) else np.nan, np.nan)
    else:
        unit_cost = np.full(rows.size, np.nan)
    quantity = pd.to_numeric(order_items[QUANTITY]).to_numpy()[rows]
    unit_price = pd.to_numeric(order_items[UNIT_PRICE]).to_numpy(np.float64)[rows]

    def categorical(codes: np.ndarray, categories: Sequence[Any]) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, dtype=_distinct_categories(categories))

    return pd.DataFrame(
        {
            ORDER_ID: categorical(opos, paid_ids),
            CUSTOMER_ID: categorical(cust_code[opos], cust_ids),
            ORDERED_AT: at.to_numpy()[keep][opos],
            SKU_ID: categorical(sku_code, sku_ids),
            NAME: categorical(name_code, name_values),
            CATEGORY: categorical(cat_code, cat_list),
            QUANTITY: quantity,
            UNIT_PRICE: unit_price,
            UNIT_COST: unit_cost,
            "gmv": quantity * unit_price,
            "cost": quantity * unit_cost,
        }
    )


# ========================================================================= product table


def product_table(lines: pd.DataFrame, level: Level = "sku") -> pd.DataFrame:
    """Sales, margin and repurchase per SKU or per category.

    Parameters
    ----------
    lines : from :func:`item_lines`: order_id, customer_id, ordered_at, sku_id (sku level),
        name and category, quantity, unit_price[, unit_cost]. Lines without the item key
        are left out.
    level : ``"sku"`` or ``"category"``.

    Returns
    -------
    One row per item, largest gmv first (ties by key): the key columns (sku_id, name,
    category; or category), units (sum of quantity), orders (paid orders with the item),
    buyers (distinct customers), gmv (Σ quantity × unit_price, CNY, before order-level
    discounts), cost (Σ quantity × unit_cost, CNY), gross_profit (gmv − cost, CNY),
    gross_margin (gross_profit / gmv, share 0–1), cost_complete (bool: every line has a
    unit cost; when False, cost, gross_profit and gross_margin are NaN), gmv_share (share of
    the total gmv of the lines), repeat_buyers (buyers who bought the item on at least two
    different days, i.e. again on a later day within the data), repurchase_rate
    (repeat_buyers / buyers, share 0–1). Money is rounded to the fen; the margin is
    computed before rounding.
    """
    _check_level(level)
    require_columns(lines, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, *_key_columns(level), QUANTITY, UNIT_PRICE),
             "product_table")
    ev = _events(lines, level, None, "product_table")
    g = ev.groups
    n = g.n
    ok = g.code >= 0
    code = g.code[ok]
    qty = pd.to_numeric(lines[QUANTITY]).to_numpy()[ok]
    price = pd.to_numeric(lines[UNIT_PRICE]).to_numpy(np.float64)[ok]
    if UNIT_COST in lines.columns:
        unit_cost = pd.to_numeric(lines[UNIT_COST]).to_numpy(np.float64)[ok]
    else:
        unit_cost = np.full(code.size, np.nan)
    units = np.bincount(code, weights=qty, minlength=n)
    if np.issubdtype(qty.dtype, np.integer):
        units = units.astype(np.int64)
    gmv = np.bincount(code, weights=qty * price, minlength=n)
    line_cost = qty * unit_cost
    missing = np.bincount(code, weights=np.isnan(line_cost), minlength=n) > 0
    cost = np.where(missing, np.nan, np.bincount(code, weights=np.nan_to_num(line_cost), minlength=n))
    profit = gmv - cost
    with np.errstate(invalid="ignore", divide="ignore"):
        margin = np.where(gmv > 0, profit / np.where(gmv > 0, gmv, 1.0), np.nan)
    total = gmv.sum()

    ocode, _ = pd.factorize(lines[ORDER_ID])
    ocode = ocode[ok].astype(np.int64)
    okey = np.sort(ocode[ocode >= 0] * max(n, 1) + code[ocode >= 0])
    orders = np.bincount(okey[_runs(okey)] % max(n, 1), minlength=n).astype(np.int64)

    pair = ev.item * max(len(ev.customers), 1) + ev.customer
    starts = _runs(pair)
    per_pair = np.diff(np.append(starts, pair.size))
    buyers = np.bincount(ev.item[starts], minlength=n).astype(np.int64)
    repeat = np.bincount(ev.item[starts], weights=per_pair >= 2, minlength=n).astype(np.int64)

    out = g.keys.copy()
    out["units"] = units
    out["orders"] = orders
    out["buyers"] = buyers
    out["gmv"] = np.round(gmv, 2)
    out["cost"] = np.round(cost, 2)
    out["gross_profit"] = np.round(profit, 2)
    out["gross_margin"] = margin
    out["cost_complete"] = ~missing
    out["gmv_share"] = gmv / total if total else np.nan
    out["repeat_buyers"] = repeat
    out["repurchase_rate"] = np.where(buyers > 0, repeat / np.maximum(buyers, 1), np.nan)
    order = np.lexsort((np.arange(n), -gmv))
    return out.iloc[order].reset_index(drop=True)


# ===================================================================== repurchase cycles


def purchase_events(lines: pd.DataFrame, period_end: DateLike, level: Level = "category") -> pd.DataFrame:
    """Purchase events of every item with their time to repurchase (the survival data).

    Parameters
    ----------
    lines : customer_id, ordered_at and the level's key (sku_id or category), as from
        :func:`item_lines`. Lines after ``period_end`` are ignored.
    period_end : last day included; open purchases are censored at its end.
    level : ``"sku"`` or ``"category"``.

    Returns
    -------
    One row per distinct (customer, item, day), sorted by item, customer_id, day: the key
    (sku_id or category), customer_id, purchase_day (datetime64, midnight),
    duration_days (int: days to the customer's next purchase day of the item, or, for the
    last purchase, days to ``period_end``), repurchased (bool: False = censored).
    """
    end_day = period_end_day(period_end)
    ev = _events(lines, level, end_day, "purchase_events")
    key = SKU_ID if level == "sku" else CATEGORY
    nxt = np.append(ev.day[1:], 0)
    return pd.DataFrame(
        {
            key: ev.groups.keys[key].take(ev.item).reset_index(drop=True),
            CUSTOMER_ID: pd.Index(np.asarray(ev.customers, dtype=object), dtype="str").take(ev.customer),
            "purchase_day": ev.day.astype("datetime64[D]").astype("datetime64[s]"),
            "duration_days": np.where(ev.last, end_day - ev.day, nxt - ev.day).astype(np.int64),
            "repurchased": ~ev.last,
        }
    )


def repurchase_cycles(lines: pd.DataFrame, period_end: DateLike, level: Level = "category") -> pd.DataFrame:
    """Time to repurchase per SKU or category: the naive median and the Kaplan–Meier estimate.

    Survival data as in :func:`purchase_events`: every purchase event is at risk, an
    observed gap is a repurchase, the last purchase of a customer/item is censored at
    ``period_end``. The naive median only looks at gaps that already happened, so it is
    biased short (long gaps are the ones still open at ``period_end``); the Kaplan–Meier
    curve S(t) = Π_{s ≤ t} (1 − repurchases_s / at_risk_s) counts the open ones too.

    Parameters
    ----------
    lines : customer_id, ordered_at and the key columns of ``level`` (from
        :func:`item_lines`); lines after ``period_end`` are ignored.
    period_end : last day included.
    level : ``"sku"`` or ``"category"``.

    Returns
    -------
    One row per item, sorted by key: key columns (sku_id, name, category; or category),
    purchases (int, purchase events at risk), observed_gaps (int, purchases followed by a
    repurchase), censored (int, purchases not yet followed), naive_median_days (median of
    the observed gaps, days; NaN without gaps), km_median_days (first day t with S(t) ≤ 0.5,
    days; NaN when the curve never gets there), km_median_reached (bool),
    repurchase_7d / repurchase_30d / repurchase_90d (1 − S(t) at 7, 30 and 90 days: share
    of purchases followed by a repurchase within t days, 0–1), eventual_share (1 − S at the
    last observed gap, the share of purchases that are ever followed by a repurchase as far
    as the data can tell), last_gap_days (day of that last observed gap; NaN without gaps).

    Notes
    -----
    The median convention is "smallest t with S(t) ≤ 0.5" (R, lifelines); statsmodels'
    ``SurvfuncRight.quantile`` uses the SAS strict inequality S(t) < 0.5 and differs only
    when S is exactly 0.5 on a step. Beyond the longest follow-up, shares hold the last
    value of the curve.
    """
    _check_level(level)
    ev, curve = _km(lines, period_end, level, "repurchase_cycles")
    n = ev.groups.n
    out = ev.groups.keys.copy()
    out["purchases"] = curve.n_total
    out["observed_gaps"] = curve.n_events
    out["censored"] = curve.n_total - curve.n_events
    out["naive_median_days"] = _naive_median(curve, n)
    km_median = _first_day_reaching(curve, n, np.full(n, 0.5))
    out["km_median_days"] = km_median
    out["km_median_reached"] = ~np.isnan(km_median)
    for t in (7, 30, 90):
        out[f"repurchase_{t}d"] = 1.0 - _survival_at(curve, n, t)
    # the curve is flat after its last event, so its minimum is S at the last observed gap
    s_min = np.full(n, np.nan)
    has = np.flatnonzero(curve.n_total > 0)
    s_min[has] = 1.0
    if curve.group.size:
        np.minimum.at(s_min, curve.group, curve.survival)
    out["eventual_share"] = 1.0 - s_min
    last_gap = np.full(n, np.nan)
    if curve.group.size:
        ev_rows = curve.events > 0
        np.fmax.at(last_gap, curve.group[ev_rows], curve.day[ev_rows].astype(np.float64))
    out["last_gap_days"] = last_gap
    return out.reset_index(drop=True)


def km_curves(
    lines: pd.DataFrame,
    period_end: DateLike,
    level: Level = "category",
    groups: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Kaplan–Meier time-to-repurchase curves, one long table for plotting.

    Same survival data as :func:`repurchase_cycles`.

    Parameters
    ----------
    lines, period_end, level : as in :func:`repurchase_cycles`.
    groups : keys (sku_id or category values) to keep; None = all.

    Returns
    -------
    group (the sku_id or category), day (int, days after the purchase), survival (S(day):
    share of purchases not yet followed by a repurchase after ``day`` days, 0–1), at_risk
    (int, purchases still under observation on that day, i.e. duration ≥ day),
    repurchases (int, observed repurchases on that day). One row at day 0 (survival 1,
    every purchase at risk) and one per day with at least one repurchase; S is a step
    function, constant until the next row. Sorted by group, day.
    """
    _check_level(level)
    ev, curve = _km(lines, period_end, level, "km_curves")
    key = SKU_ID if level == "sku" else CATEGORY
    out = pd.DataFrame(
        {
            GROUP: ev.groups.keys[key].take(curve.group).reset_index(drop=True),
            "day": curve.day.astype(np.int64),
            "survival": curve.survival,
            "at_risk": curve.at_risk.astype(np.int64),
            "repurchases": curve.events.astype(np.int64),
        }
    )
    if groups is not None:
        out = out.loc[out[GROUP].isin(list(groups))]
    return out.reset_index(drop=True)


def reminder_days(
    curves: pd.DataFrame,
    share: float = 0.5,
    min_day: int = 1,
    min_repurchases: int = 30,
) -> pd.DataFrame:
    """The day after a purchase on which to send a repurchase reminder, per group.

    reminder day = the first day t with 1 − S(t) ≥ ``share`` × eventual_share, i.e. the day
    by which ``share`` of the *eventual* repurchasers have bought again (eventual_share =
    1 − S at the last observed gap), as a whole day an operator can schedule. Days earlier
    than ``min_day`` are raised to ``min_day``.

    Parameters
    ----------
    curves : group, day, survival, repurchases (from :func:`km_curves`, every row of a
        group; the repurchases column sums to the group's observed repurchases).
    share : share 0–1 of eventual repurchasers (0.5 = their median).
    min_day : earliest reminder day (whole days ≥ 0).
    min_repurchases : groups with fewer observed repurchases get no day.

    Returns
    -------
    One row per group, sorted by group: group, reminder_day (nullable Int64, days after
    the purchase; missing when there are too few repurchases), reason (code in
    :data:`REMINDER_REASONS`), repurchases (int, observed), eventual_share (0–1),
    target_share (share × eventual_share, 0–1 of all purchases).
    """
    require_columns(curves, (GROUP, "day", "survival", "repurchases"), "reminder_days")
    share = _check_share("share", share, closed_low=False)
    if isinstance(min_day, bool) or int(min_day) != min_day or min_day < 0:
        raise ValueError(f"min_day must be a whole number of days ≥ 0, got {min_day!r}")
    if isinstance(min_repurchases, bool) or int(min_repurchases) != min_repurchases or min_repurchases < 0:
        raise ValueError(f"min_repurchases must be a whole number ≥ 0, got {min_repurchases!r}")
    code, keys = pd.factorize(curves[GROUP], sort=True)
    n = len(keys)
    day = curves["day"].to_numpy(np.int64)
    order = np.lexsort((day, code))
    g, day = code[order].astype(np.int64), day[order]
    surv = curves["survival"].to_numpy(np.float64)[order]
    rep = curves["repurchases"].to_numpy(np.int64)[order]
    n_rep = np.bincount(g, weights=rep, minlength=n).astype(np.int64)
    s_min = np.ones(n)
    np.minimum.at(s_min, g, surv)
    eventual = 1.0 - s_min
    target = share * eventual
    curve = _Curve(g, day, np.zeros(g.size), rep, surv, np.ones(n, np.int64), n_rep)
    first = _first_day_reaching(curve, n, target)
    enough = (n_rep >= int(min_repurchases)) & (n_rep > 0)
    raised = enough & (first < min_day)
    reason = np.where(~enough, "too_few_repurchases", np.where(raised, "raised_to_min_day", "ok"))
    value = np.where(raised, float(min_day), first)
    return pd.DataFrame(
        {
            GROUP: _str(keys),
            "reminder_day": pd.array(np.where(enough, value, np.nan), dtype="Int64"),
            "reason": _str(reason),
            "repurchases": n_rep,
            "eventual_share": eventual,
            "target_share": target,
        }
    )


# ================================================================================= roles


@dataclass(frozen=True)
class RoleThresholds:
    """Thresholds of the product roles (playbook defaults).

    high_margin : gross margin ≥ this is high (share 0–1).
    low_margin : gross margin < this is low (share 0–1).
    short_cycle_days : repurchase cycle ≤ this many days is short.
    high_repurchase_rate : repurchase_rate ≥ this is high (share 0–1).
    top_buyers_share : "many buyers" = the top this share of items by buyers (0–1).
    """

    high_margin: float = 0.60
    low_margin: float = 0.45
    short_cycle_days: float = 30.0
    high_repurchase_rate: float = 0.30
    top_buyers_share: float = 0.20

    def __post_init__(self) -> None:
        for name in ("high_margin", "low_margin", "high_repurchase_rate", "top_buyers_share"):
            _check_share(name, getattr(self, name))
        if self.low_margin > self.high_margin:
            raise ValueError(
                f"low_margin ({self.low_margin}) must not exceed high_margin ({self.high_margin})"
            )
        if not self.short_cycle_days > 0:
            raise ValueError(f"short_cycle_days must be > 0, got {self.short_cycle_days!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RoleThresholds:
        """From a dict (e.g. a params YAML section); unknown keys are an error."""
        names = {f.name for f in fields(cls)}
        unknown = set(values) - names
        if unknown:
            raise ValueError(f"unknown role threshold(s) {sorted(unknown)}; known: {sorted(names)}")
        return cls(**{k: float(v) for k, v in values.items()})

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def rule_number(x: float) -> str:
    """Threshold as text for rule codes: 0.3 → "0.30", 30.0 → "30", 0.125 → "0.125"."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}" if round(x, 2) == x else f"{x:g}"


def _cycle(table: pd.DataFrame, cycles: pd.DataFrame | None, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Cycle days per row of ``table`` and its source code: the KM median, else the naive
    median (when the KM median is not reached), else NaN / "none". ``cycles`` is joined on
    sku_id when both have it, otherwise on category."""
    n = len(table)
    if cycles is None:
        return np.full(n, np.nan), np.full(n, "none", dtype=object)
    require_columns(cycles, ("km_median_days", "naive_median_days"), what)
    if SKU_ID in cycles.columns and SKU_ID not in table.columns:
        raise ValueError(f"{what}: cycles are per SKU but the table has no sku_id; pass category cycles")
    key = SKU_ID if SKU_ID in cycles.columns else CATEGORY
    require_columns(cycles, (key,), what)
    require_columns(table, (key,), what)
    c = cycles.drop_duplicates(key).set_index(key)
    km = table[key].map(c["km_median_days"]).to_numpy(np.float64)
    naive = table[key].map(c["naive_median_days"]).to_numpy(np.float64)
    use_km = ~np.isnan(km)
    use_naive = ~use_km & ~np.isnan(naive)
    days = np.where(use_km, km, np.where(use_naive, naive, np.nan))
    source = np.where(use_km, "km_median", np.where(use_naive, "naive_median", "none")).astype(object)
    return days, source


def assign_roles(
    table: pd.DataFrame,
    cycles: pd.DataFrame | None,
    thresholds: RoleThresholds | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Product roles: repeat (复购款), traffic (引流款), profit (利润款), tail (长尾).

    Rules (thresholds from :class:`RoleThresholds`, edges as written):

    - repeat: cycle_days ≤ short_cycle_days and repurchase_rate ≥ high_repurchase_rate;
    - traffic: gross_margin < low_margin and many_buyers (the item is in the top
      ``top_buyers_share`` of items by buyers: fewer than ``top_buyers_share × items``
      items have strictly more buyers, so ties at the edge are all in);
    - profit: gross_margin ≥ high_margin;
    - tail: none of these.

    Precedence when several hold: repeat > traffic > profit > tail. traffic and profit
    cannot both hold (low_margin ≤ high_margin); repeat wins because it rests on observed
    behaviour and decides how the item is run (reminders on its cycle) whatever its margin.
    The booleans is_repeat, is_traffic and is_profit show every rule that held.

    cycle_days is the KM median of ``cycles``, the naive median when the KM median is not
    reached (cycle_source says which). When gross_margin is unknown (costs missing),
    traffic and profit cannot fire: such an item is repeat or ``tail:margin_unknown``.

    Parameters
    ----------
    table : from :func:`product_table`: the key (sku_id or category), buyers,
        gross_margin, repurchase_rate; other columns are kept (e.g. gmv for the quadrant
        chart).
    cycles : from :func:`repurchase_cycles` at the same level, or at category level (then
        every SKU takes its category's cycle); None = no cycles (repeat cannot fire).
    thresholds : :class:`RoleThresholds` or a dict of its fields; None = defaults.

    Returns
    -------
    ``table`` in its order with: cycle_days (days), cycle_source (code in
    :data:`CYCLE_SOURCES`), margin_known, many_buyers, is_repeat, is_traffic, is_profit
    (bool), role (code in :data:`ROLES`) and role_rule (the rule that fired, e.g.
    ``"repeat:cycle<=30&rate>=0.30"``, ``"traffic:margin<0.45&buyers_top20pct"``,
    ``"profit:margin>=0.60"``, ``"tail:no_rule"``, ``"tail:margin_unknown"``).
    """
    require_columns(table, ("buyers", "gross_margin", "repurchase_rate"), "assign_roles")
    if thresholds is None:
        th = RoleThresholds()
    elif isinstance(thresholds, RoleThresholds):
        th = thresholds
    else:
        th = RoleThresholds.from_mapping(thresholds)
    n = len(table)
    cycle_days, source = _cycle(table, cycles, "assign_roles")
    margin = pd.to_numeric(table["gross_margin"]).to_numpy(np.float64)
    rate = pd.to_numeric(table["repurchase_rate"]).to_numpy(np.float64)
    buyers = pd.to_numeric(table["buyers"]).to_numpy(np.float64)
    known = ~np.isnan(margin)
    more = pd.Series(buyers).rank(method="min", ascending=False).to_numpy() - 1
    many = (more < th.top_buyers_share * n) & (buyers > 0)
    with np.errstate(invalid="ignore"):
        is_repeat = (cycle_days <= th.short_cycle_days) & (rate >= th.high_repurchase_rate)
        is_traffic = known & (margin < th.low_margin) & many
        is_profit = known & (margin >= th.high_margin)
    rules = {
        "repeat": f"repeat:cycle<={rule_number(th.short_cycle_days)}"
        f"&rate>={rule_number(th.high_repurchase_rate)}",
        "traffic": f"traffic:margin<{rule_number(th.low_margin)}"
        f"&buyers_top{rule_number(round(100 * th.top_buyers_share, 6))}pct",
        "profit": f"profit:margin>={rule_number(th.high_margin)}",
    }
    tail = np.where(known, "tail:no_rule", "tail:margin_unknown")
    role = np.select([is_repeat, is_traffic, is_profit], ["repeat", "traffic", "profit"], "tail")
    rule = np.select([is_repeat, is_traffic, is_profit],
                     [rules["repeat"], rules["traffic"], rules["profit"]], tail)
    out = table.copy()
    out["cycle_days"] = cycle_days
    out["cycle_source"] = _str(source)
    out["margin_known"] = known
    out["many_buyers"] = many
    out["is_repeat"] = is_repeat
    out["is_traffic"] = is_traffic
    out["is_profit"] = is_profit
    out["role"] = _str(role)
    out["role_rule"] = _str(rule)
    return out


# =================================================================================== ABC


def abc_classes(table: pd.DataFrame, value: str = "gmv", a: float = 0.8, b: float = 0.95) -> pd.DataFrame:
    """ABC (Pareto) classes by ``value`` (e.g. ``"gmv"`` or ``"gross_profit"``).

    Items are sorted by ``value``, largest first (ties keep the order of ``table``).
    share = value / the sum of the positive values; cum_share = the running sum of share,
    including the item. Convention: an item is **A while the cumulative share before it is
    < a** (so the item that crosses ``a`` is still A), B while the share before it is < b,
    C otherwise. Items with value ≤ 0 (e.g. a loss) are C with share ≤ 0 and add nothing
    to cum_share; items with a missing value (e.g. gross profit without costs) come last,
    class ``"unknown"`` and NaN shares.

    Parameters
    ----------
    table : any table with ``value`` (e.g. from :func:`product_table`).
    value : column to rank by (CNY).
    a, b : cumulative share edges, 0 < a ≤ b ≤ 1.

    Returns
    -------
    ``table`` sorted with: rank (int, 1 = largest), share (0–1), cum_share (0–1),
    abc_class (code in :data:`ABC_CLASSES`).
    """
    require_columns(table, (value,), "abc_classes")
    a = _check_share("a", a, closed_low=False)
    b = _check_share("b", b, closed_low=False)
    if a > b:
        raise ValueError(f"a ({a}) must not exceed b ({b})")
    v = pd.to_numeric(table[value]).to_numpy(np.float64)
    order = np.lexsort((np.arange(v.size), -np.nan_to_num(v, nan=0.0), np.isnan(v)))
    out = table.iloc[order].reset_index(drop=True)
    v = v[order]
    pos = v > 0
    total = v[pos].sum()
    share = v / total if total > 0 else np.full(v.size, np.nan)
    cum = np.cumsum(np.where(pos, share, 0.0))
    before = cum - np.where(pos, share, 0.0)
    cls = np.where(pos & (before < a - _TOL), "A", np.where(pos & (before < b - _TOL), "B", "C"))
    missing = np.isnan(v)
    cls = np.where(missing, "unknown", cls)
    out["rank"] = np.arange(1, v.size + 1, dtype=np.int64)
    out["share"] = np.where(missing, np.nan, share)
    out["cum_share"] = np.where(missing | (total <= 0), np.nan, cum)
    out["abc_class"] = _str(cls)
    return out


def abc_summary(classes: pd.DataFrame, value: str = "gmv") -> pd.DataFrame:
    """Items and value per ABC class, all of :data:`ABC_CLASSES` in order.

    Parameters
    ----------
    classes : abc_class and ``value`` (from :func:`abc_classes`).

    Returns
    -------
    abc_class, items (int), item_share (0–1), value (sum of ``value``, CNY), value_share
    (share of the total of the positive values, 0–1; NaN for ``unknown``).
    """
    require_columns(classes, ("abc_class", value), "abc_summary")
    cls = classes["abc_class"].astype("str")
    v = pd.to_numeric(classes[value])
    items = cls.value_counts().reindex(list(ABC_CLASSES), fill_value=0).astype(np.int64)
    sums = v.groupby(cls).sum().reindex(list(ABC_CLASSES), fill_value=0.0).astype(np.float64)
    total = float(v[v > 0].sum())
    n = int(items.sum())
    unknown = np.asarray(ABC_CLASSES) == "unknown"
    value_share = np.where(unknown, np.nan, sums.to_numpy(np.float64) / total if total > 0 else np.nan)
    sums = sums.where(~unknown)
    return pd.DataFrame(
        {
            "abc_class": _str(ABC_CLASSES),
            "items": items.to_numpy(),
            "item_share": (items / n).to_numpy(np.float64) if n else np.nan,
            "value": sums.round(2).to_numpy(),
            "value_share": value_share,
        }
    )


# =========================================================================== channel fit

# The playbook's channel table as data. Rules are tried in order; the first that matches
# an item decides its scenes. Keys of a rule (a params YAML can pass a list of these):
#   rule            code naming the rule (required, snake_case)
#   scenes          list of scene codes from SCENES (required, first = primary)
#   categories      category names the rule applies to (omitted or empty = any category)
#   max_cycle_days  the cycle (KM median, else naive median) must be ≤ this
#   min_cycle_days  the cycle must be ≥ this
#   min_margin      the item's gross margin must be ≥ this (share 0–1)
#   max_margin      the item's gross margin must be ≤ this
# A bound on a missing cycle or margin does not match. End with a rule without
# conditions to give every item a scene.
CHANNEL_RULES: tuple[dict[str, Any], ...] = (
    {
        "rule": "short_cycle_food",
        "categories": ["食品饮料", "食品", "生鲜", "零食", "饮料", "粮油"],
        "max_cycle_days": 15,
        "scenes": ["group_buying", "moments_showcase"],
    },
    {
        "rule": "high_margin_beauty",
        "categories": ["美妆护肤", "美妆", "护肤", "彩妆", "个护"],
        "min_margin": 0.65,
        "scenes": ["live_stream", "tutorial_seeding"],
    },
    {
        "rule": "long_cycle_accessories",
        "categories": ["数码配件", "配件", "饰品", "数码"],
        "min_cycle_days": 60,
        "scenes": ["mini_program_mall", "referral"],
    },
    {"rule": "default", "scenes": ["general"]},
)

_RULE_KEYS = ("rule", "scenes", "categories", "max_cycle_days", "min_cycle_days", "min_margin", "max_margin")


def _check_rules(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    if isinstance(rules, Mapping) or isinstance(rules, str):
        raise ValueError("rules must be a list of rule mappings")
    for i, r in enumerate(rules):
        if not isinstance(r, Mapping):
            raise ValueError(f"channel rule #{i} must be a mapping, got {type(r).__name__}")
        unknown = set(r) - set(_RULE_KEYS)
        if unknown:
            raise ValueError(
                f"channel rule #{i}: unknown key(s) {sorted(unknown)}; known: {list(_RULE_KEYS)}"
            )
        for req in ("rule", "scenes"):
            if req not in r:
                raise ValueError(f"channel rule #{i} needs {req!r}")
        scenes = [r["scenes"]] if isinstance(r["scenes"], str) else list(r["scenes"])
        bad = [s for s in scenes if s not in SCENES]
        if not scenes or bad:
            raise ValueError(f"channel rule {r['rule']!r}: scenes must be among {SCENES}, got {scenes}")
        cats = r.get("categories") or []
        cats = [cats] if isinstance(cats, str) else [str(c) for c in cats]
        out.append({**r, "scenes": scenes, "categories": cats})
    return out


def channel_fit(
    table: pd.DataFrame,
    cycles: pd.DataFrame | None,
    rules: Sequence[Mapping[str, Any]] = CHANNEL_RULES,
) -> pd.DataFrame:
    """Suggested WeChat selling scenes per item from the playbook's channel table.

    Default rules (:data:`CHANNEL_RULES`, first match wins): short-cycle food (category
    cycle ≤ 15 days) → group_buying + moments_showcase; high-margin beauty (gross margin ≥
    0.65) → live_stream + tutorial_seeding; long-cycle accessories (cycle ≥ 60 days) →
    mini_program_mall + referral; everything else → general. See the comment above
    :data:`CHANNEL_RULES` for the rule format.

    Parameters
    ----------
    table : from :func:`product_table`: category, gross_margin (and sku_id at SKU level);
        other columns are kept.
    cycles : from :func:`repurchase_cycles`, normally at category level (every SKU takes
        its category's cycle); at SKU level each SKU uses its own. None = no cycles.
    rules : list of rule mappings.

    Returns
    -------
    ``table`` in its order with: cycle_days (days, KM median else naive), cycle_source
    (code in :data:`CYCLE_SOURCES`), channel_rule (the ``rule`` code that matched, or
    ``"none"``), scenes (scene codes joined by ``"+"``, e.g. ``"group_buying+
    moments_showcase"``; empty when no rule matched), primary_scene (the first scene).
    """
    require_columns(table, (CATEGORY, "gross_margin"), "channel_fit")
    checked = _check_rules(rules)
    n = len(table)
    cycle_days, source = _cycle(table, cycles, "channel_fit")
    margin = pd.to_numeric(table["gross_margin"]).to_numpy(np.float64)
    category = table[CATEGORY].astype("str")
    rule = np.full(n, "none", dtype=object)
    scenes = np.full(n, "", dtype=object)
    primary = np.full(n, "", dtype=object)
    free = np.ones(n, bool)
    with np.errstate(invalid="ignore"):
        for r in checked:  # a handful of rules, each vectorised over the items
            m = free.copy()
            if r["categories"]:
                m &= category.isin(r["categories"]).to_numpy(bool)
            if r.get("max_cycle_days") is not None:
                m &= cycle_days <= float(r["max_cycle_days"])
            if r.get("min_cycle_days") is not None:
                m &= cycle_days >= float(r["min_cycle_days"])
            if r.get("min_margin") is not None:
                m &= margin >= float(r["min_margin"])
            if r.get("max_margin") is not None:
                m &= margin <= float(r["max_margin"])
            rule[m] = str(r["rule"])
            scenes[m] = "+".join(r["scenes"])
            primary[m] = r["scenes"][0]
            free &= ~m
    out = table.copy()
    out["cycle_days"] = cycle_days
    out["cycle_source"] = _str(source)
    out["channel_rule"] = _str(rule)
    out["scenes"] = _str(scenes)
    out["primary_scene"] = _str(primary)
    return out
