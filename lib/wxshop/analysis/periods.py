"""Period over period: a store's KPIs over the last N days beside the N days before (环比) and
the same dates one year earlier (同比).

Windows are whole calendar days (the conventions of :mod:`wxshop.analysis.paid`):

- current: the ``days`` days ending on ``period_end``, inclusive;
- previous (环比): the ``days`` days just before the current window;
- last year (同比): the current window's first and last day each moved back one calendar
  year (``pd.DateOffset(years=1)``: the same calendar dates, not the same weekdays); 29 Feb moves to
  28 Feb, so this window holds ``days`` days except when it or the current window spans a
  29 Feb (one day more or less; column ``last_year_days``).

An order belongs to the window of the day it was placed (``ordered_at``), whatever happened to it
later, as in :func:`wxshop.analysis.overview.store_kpis`, which computes every window's figures
from that window's orders: one definition per figure, the repurchase rate being the share of the
window's buyers with ≥ 2 paid orders in that window.

A comparison window that starts before the data does (the store's first order, or
``data_start``) would be partial: its figures are NaN and its ``*_reason`` column says
:data:`BEFORE_DATA`; a change is never computed from a partial window.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

from wxshop.analysis.overview import StoreKpis, resolve_period_end, store_kpis
from wxshop.analysis.paid import (
    NO_DAY,
    DateLike,
    check_days,
    day_numbers,
    iso_day,
    period_end_day,
    require_columns,
)
from wxshop.data.schema import AMOUNT, CUSTOMER_ID, ORDER_ID, ORDERED_AT

__all__ = [
    "BEFORE_DATA", "COLUMNS", "DEFAULT_KPIS", "SHARES", "WINDOWS", "compare", "headline_windows", "series",
    "windows",
]

WINDOWS = ("current", "previous", "last_year")
# The headline KPIs in the order the overview shows them (fields of StoreKpis).
DEFAULT_KPIS: tuple[str, ...] = (
    "customers", "orders", "gmv_gross", "gmv", "spend_per_buyer", "aov", "frequency",
    "repurchase_rate", "refund_rate", "refund_rate_amount",
)
# Figures that are shares (0-1): their change is a difference in percentage points.
SHARES = frozenset({"repurchase_rate", "refund_rate", "refund_rate_amount"})
BEFORE_DATA = "before_data"  # reason: the window starts before the store's data does
COLUMNS = [
    "kpi", "change_kind", "current", "previous", "change_prev", "last_year", "change_yoy",
    "current_start", "current_end", "previous_start", "previous_end",
    "last_year_start", "last_year_end", "last_year_days", "previous_reason", "last_year_reason",
    "data_start",
]
_NUMBERS = frozenset(f.name for f in fields(StoreKpis) if f.type in ("int", "float"))


def windows(period_end: DateLike, days: int) -> dict[str, tuple[str, str]]:
    """First and last day (ISO, inclusive) of the current, previous and last-year windows.

    Examples
    --------
    >>> for name, (first, last) in windows("2025-03-31", 30).items():
    ...     print(name, first, last)
    current 2025-03-02 2025-03-31
    previous 2025-01-31 2025-03-01
    last_year 2024-03-02 2024-03-31

    29 Feb has no day a year earlier and moves to 28 Feb (6 days a year earlier); a window
    from 28 Feb 2025 spans 29 Feb 2024 a year earlier (8 days):

    >>> windows("2024-02-29", 7)["last_year"], windows("2025-03-06", 7)["last_year"]
    (('2023-02-23', '2023-02-28'), ('2024-02-28', '2024-03-06'))
    """
    days = check_days("days", days)
    end = period_end_day(period_end)
    start = end - days + 1
    year = pd.DateOffset(years=1)
    return {
        "current": (iso_day(start), iso_day(end)),
        "previous": (iso_day(start - days), iso_day(start - 1)),
        "last_year": tuple(
            (pd.Timestamp(iso_day(d)) - year).date().isoformat() for d in (start, end)
        ),
    }


def _store_kpis_named(kpis: Sequence[str], where: str) -> list[str]:
    """``kpis`` as a list, each a number of :class:`StoreKpis`; a ValueError naming the choices."""
    kpis = list(kpis)
    unknown = [k for k in kpis if k not in _NUMBERS]
    if unknown:
        raise ValueError(f"{where}: unknown KPI(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(sorted(_NUMBERS))}")
    return kpis


def _windows_count(n: int, where: str) -> int:
    if n < 1:
        raise ValueError(f"{where}: n must be at least 1; got {n}")
    return n


def _first_day(day: np.ndarray) -> int | None:
    """The first dated day of ``day`` (day numbers, :data:`NO_DAY` for undated), None without one."""
    dated = day[day != NO_DAY]
    return int(dated.min()) if dated.size else None


def _change(now: np.ndarray, before: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Share difference where ``points``, else relative change; NaN on an empty or zero base."""
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(np.isfinite(before) & (before != 0), now / before - 1, np.nan)
    return np.where(points, now - before, relative)


def compare(
    orders: pd.DataFrame,
    period_end: DateLike = "",
    days: int = 30,
    kpis: Sequence[str] = DEFAULT_KPIS,
    data_start: DateLike = "",
) -> pd.DataFrame:
    """Each KPI over the last ``days`` days, the ``days`` days before and the same dates last year.

    Parameters
    ----------
    orders : order_id, customer_id, ordered_at, amount[, status, refund_amount] — every order
        the store has (the ones before the windows tell how far back the data reaches)
    period_end : last day of the current window (``YYYY-MM-DD``); "" = the day of the last order
    days : length of each window, in days
    kpis : figures of :class:`~wxshop.analysis.overview.StoreKpis` to compare
    data_start : first day the data covers; "" = the day of the first order

    Returns
    -------
    One row per KPI, in the order of ``kpis``:

    - kpi; change_kind: ``"relative"`` (current ÷ earlier − 1, so 0.12 = +12%) or, for the
      shares in :data:`SHARES`, ``"pp"`` (current − earlier, both 0-1, so 0.023 = +2.3
      percentage points);
    - current, previous, last_year: the figure over each window, in the KPI's own unit
      (count, CNY, share 0-1); NaN for a window that starts before the data;
    - change_prev (环比), change_yoy (同比): the change against the previous window and against
      last year, read as change_kind says; NaN when the earlier figure is NaN, or 0 for a
      relative change;
    - current_start … last_year_end: the windows' first and last days (ISO, inclusive);
      last_year_days: that window's length in days;
    - previous_reason, last_year_reason: "" when the window is covered, :data:`BEFORE_DATA`
      when it starts before ``data_start`` (its figures are then NaN);
    - data_start: the first day of the data (ISO; "" without dated orders).

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "order_id": ["o1", "o2", "o3", "o4"],
    ...     "customer_id": ["a", "a", "b", "a"],
    ...     "ordered_at": pd.to_datetime(["2025-03-01", "2025-03-05", "2025-03-12", "2025-03-13"]),
    ...     "amount": [100.0, 50.0, 80.0, 40.0],
    ... })
    >>> cmp = compare(orders, "2025-03-14", days=7, kpis=["gmv", "customers", "repurchase_rate"])
    >>> print(cmp[["kpi", "change_kind", "current", "previous", "change_prev", "last_year"]]
    ...       .to_string(index=False))
                kpi change_kind  current  previous  change_prev  last_year
                gmv    relative    120.0     150.0         -0.2        NaN
          customers    relative      2.0       1.0          1.0        NaN
    repurchase_rate          pp      0.0       1.0         -1.0        NaN
    >>> cmp.loc[0, ["current_start", "previous_start", "last_year_start", "last_year_reason"]].tolist()
    ['2025-03-08', '2025-03-01', '2024-03-08', 'before_data']
    """
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT), "compare")
    kpis = _store_kpis_named(kpis, "compare")
    span = windows(resolve_period_end(orders, str(period_end or "")), days)
    day = day_numbers(orders[ORDERED_AT])
    first = period_end_day(data_start) if data_start else _first_day(day)
    figures: dict[str, list[float]] = {}
    reasons: dict[str, str] = {}
    for name, (start, end) in span.items():
        lo, hi = period_end_day(start), period_end_day(end)
        covered = name == "current" or (first is not None and first <= lo)
        reasons[name] = "" if covered else BEFORE_DATA
        if covered:
            k = store_kpis(orders.loc[(day >= lo) & (day <= hi)])
            figures[name] = [float(getattr(k, kpi)) for kpi in kpis]
        else:
            figures[name] = [np.nan] * len(kpis)
    now, before, year = (np.asarray(figures[w], np.float64) for w in WINDOWS)
    points = np.array([k in SHARES for k in kpis], bool)
    ly_start, ly_end = span["last_year"]
    out = pd.DataFrame(
        {
            "kpi": pd.array(kpis, dtype="str"),
            "change_kind": pd.array(np.where(points, "pp", "relative").tolist(), dtype="str"),
            "current": now,
            "previous": before,
            "change_prev": _change(now, before, points),
            "last_year": year,
            "change_yoy": _change(now, year, points),
            "current_start": span["current"][0],
            "current_end": span["current"][1],
            "previous_start": span["previous"][0],
            "previous_end": span["previous"][1],
            "last_year_start": ly_start,
            "last_year_end": ly_end,
            "last_year_days": period_end_day(ly_end) - period_end_day(ly_start) + 1,
            "previous_reason": reasons["previous"],
            "last_year_reason": reasons["last_year"],
            "data_start": iso_day(first) if first is not None else "",
        }
    )
    text = [c for c in COLUMNS if c.endswith(("_start", "_end", "_reason"))]
    return out.astype({c: "str" for c in text})[COLUMNS]


def series(
    orders: pd.DataFrame,
    period_end: DateLike = "",
    days: int = 30,
    kpis: Sequence[str] = DEFAULT_KPIS,
    n: int = 8,
) -> pd.DataFrame:
    """Each KPI over ``n`` back-to-back windows of ``days`` days, the last ending on
    ``period_end``: the figures behind a card's sparkline (the last two windows are
    :func:`compare`'s current and previous).

    Returns one row per window, oldest first: start, end (ISO, inclusive) and one column per KPI
    (computed by :func:`~wxshop.analysis.overview.store_kpis` from that window's orders; NaN for a
    window that starts before the first order).

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "order_id": ["o1", "o2", "o3", "o4"],
    ...     "customer_id": ["a", "a", "b", "a"],
    ...     "ordered_at": pd.to_datetime(["2025-03-01", "2025-03-05", "2025-03-12", "2025-03-13"]),
    ...     "amount": [100.0, 50.0, 80.0, 40.0],
    ... })
    >>> print(series(orders, "2025-03-14", days=7, kpis=["gmv", "customers"], n=3).to_string(index=False))
         start        end   gmv  customers
    2025-02-22 2025-02-28   NaN        NaN
    2025-03-01 2025-03-07 150.0        1.0
    2025-03-08 2025-03-14 120.0        2.0
    """
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT), "series")
    kpis = _store_kpis_named(kpis, "series")
    days, n = check_days("days", days), _windows_count(n, "series")
    end = period_end_day(resolve_period_end(orders, str(period_end or "")))
    day = day_numbers(orders[ORDERED_AT])
    first = _first_day(day)
    rows = []
    for k in range(n - 1, -1, -1):
        hi = end - k * days
        lo = hi - days + 1
        row: dict[str, object] = {"start": iso_day(lo), "end": iso_day(hi)}
        if first is not None and first <= lo or k == 0:
            figures = store_kpis(orders.loc[(day >= lo) & (day <= hi)])
            row.update({kpi: float(getattr(figures, kpi)) for kpi in kpis})
        else:
            row.update(dict.fromkeys(kpis, np.nan))
        rows.append(row)
    out = pd.DataFrame(rows, columns=["start", "end", *kpis])
    return out.astype({"start": "str", "end": "str", **dict.fromkeys(kpis, "float64")})


def headline_windows(
    headline: Callable[..., Mapping[str, Any]],
    orders: pd.DataFrame,
    period_end: DateLike,
    days: int,
    kpis: Sequence[str],
    shares: Sequence[str] = (),
    n: int = 8,
    **options: Any,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A report's own key figures, ``headline(orders, period_end, days, **options)`` (e.g.
    :func:`wxshop.analysis.repurchase.headline`), against earlier windows, for reports whose
    figures are not :func:`compare`'s: the same function called with the window's end moved back
    ``days`` days (环比), one calendar year (同比), and ``k × days`` days for the ``n`` windows of
    the sparkline. A window starting before the first order gives NaN.

    Returns ``(changes, series)``: ``changes`` has :func:`compare`'s kpi, change_kind (``pp`` for
    the figures in ``shares``, else ``relative``), current, previous, change_prev, last_year,
    change_yoy; ``series`` is :func:`series`' shape (start, end, one column per figure).

    >>> from wxshop.analysis import repurchase
    >>> orders = pd.DataFrame({
    ...     "order_id": ["o1", "o2", "o3", "o4"], "customer_id": ["a", "a", "b", "a"],
    ...     "ordered_at": pd.to_datetime(["2025-03-01", "2025-03-05", "2025-03-12", "2025-03-13"]),
    ...     "amount": [100.0, 50.0, 80.0, 40.0]})
    >>> changes, spark = headline_windows(repurchase.headline, orders, "2025-03-14", 7,
    ...                                   ["orders", "gmv"], n=2)
    >>> print(changes[["kpi", "current", "previous", "change_prev"]].to_string(index=False))
       kpi  current  previous  change_prev
    orders      2.0       2.0         0.00
       gmv    120.0     150.0        -0.20
    >>> spark["end"].tolist()
    ['2025-03-07', '2025-03-14']
    """
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT), "headline_windows")
    days, n = check_days("days", days), _windows_count(n, "headline_windows")
    kpis = list(kpis)
    end = period_end_day(resolve_period_end(orders, str(period_end or "")))
    first = _first_day(day_numbers(orders[ORDERED_AT]))

    def figures(last: int) -> list[float]:
        if first is None or last - days + 1 < first:
            return [np.nan] * len(kpis)
        got = headline(orders, iso_day(last), days, **options)
        return [float(got[k]) if got.get(k) is not None else np.nan for k in kpis]

    year_ago = period_end_day((pd.Timestamp(iso_day(end)) - pd.DateOffset(years=1)).date().isoformat())
    ends = [end - k * days for k in range(n - 1, -1, -1)]
    rows = {last: figures(last) for last in ends}
    now = np.asarray(rows[end], np.float64)
    before = np.asarray(rows[end - days] if end - days in rows else figures(end - days), np.float64)
    year = np.asarray(figures(year_ago), np.float64)
    points = np.array([k in set(shares) for k in kpis], bool)
    changes = pd.DataFrame({
        "kpi": pd.array(kpis, dtype="str"),
        "change_kind": pd.array(np.where(points, "pp", "relative").tolist(), dtype="str"),
        "current": now, "previous": before, "change_prev": _change(now, before, points),
        "last_year": year, "change_yoy": _change(now, year, points),
    })
    spark = pd.DataFrame([{"start": iso_day(last - days + 1), "end": iso_day(last),
                           **dict(zip(kpis, rows[last], strict=True))} for last in ends],
                         columns=["start", "end", *kpis])
    return changes, spark.astype({"start": "str", "end": "str", **dict.fromkeys(kpis, "float64")})
