"""Repurchase cycles: purchase events with their time to repurchase, naive and Kaplan–Meier
medians per item, KM curves, and the reminder day for each item.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, period_end_day, require_columns
from wxshop.analysis.products.events import item_events
from wxshop.analysis.products.keys import CATEGORY, GROUP, Level, check_level, check_share, str_array
from wxshop.analysis.products.survival import KMCurve, first_day_reaching, item_km, naive_median, survival_at
from wxshop.data.schema import CUSTOMER_ID, SKU_ID

__all__ = [
    "CYCLE_SOURCES", "REMINDER_REASONS", "purchase_events", "repurchase_cycles", "km_curves",
    "reminder_days", "item_cycle",
]

# How the cycle used by roles and channel fit was obtained.
CYCLE_SOURCES: tuple[str, ...] = ("km_median", "naive_median", "none")
REMINDER_REASONS: tuple[str, ...] = (
    "ok",  # reminder_day is the first day the target share is reached
    "raised_to_min_day",  # that day was earlier than min_day; min_day is used
    "too_few_repurchases",  # fewer observed repurchases than min_repurchases: no day
)


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
    >>> from wxshop.analysis.products.lines import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> print(purchase_events(lines, "2025-02-28", "sku").to_string(index=False))
    sku_id customer_id purchase_day  duration_days  repurchased
       cup           a   2025-01-05             54        False
       cup           b   2025-01-10             49        False
       cup           c   2025-02-01             27        False
       tea           a   2025-01-05             20         True
       tea           a   2025-01-25             34        False
       tea           b   2025-01-10             30         True
       tea           b   2025-02-09             19        False
    """
    end_day = period_end_day(period_end)
    ev = item_events(lines, level, end_day, "purchase_events")
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
    >>> from wxshop.analysis.products.lines import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> cycles = repurchase_cycles(lines, "2025-02-28", "sku")
    >>> cols = ["sku_id", "purchases", "observed_gaps", "naive_median_days", "km_median_days",
    ...         "repurchase_30d"]
    >>> print(cycles[cols].round(2).to_string(index=False))
    sku_id  purchases  observed_gaps  naive_median_days  km_median_days  repurchase_30d
       cup          3              0                NaN             NaN            0.00
       tea          4              2               25.0            30.0            0.67
    """
    check_level(level)
    ev, curve = item_km(lines, period_end, level, "repurchase_cycles")
    n = ev.groups.n
    out = ev.groups.keys.copy()
    out["purchases"] = curve.n_total
    out["observed_gaps"] = curve.n_events
    out["censored"] = curve.n_total - curve.n_events
    out["naive_median_days"] = naive_median(curve, n)
    km_median = first_day_reaching(curve, n, np.full(n, 0.5))
    out["km_median_days"] = km_median
    out["km_median_reached"] = ~np.isnan(km_median)
    for t in (7, 30, 90):
        out[f"repurchase_{t}d"] = 1.0 - survival_at(curve, n, t)
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
    >>> from wxshop.analysis.products.lines import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> print(km_curves(lines, "2025-02-28", "sku").round(3).to_string(index=False))
    group  day  survival  at_risk  repurchases
      cup    0     1.000        3            0
      tea    0     1.000        4            0
      tea   20     0.667        3            1
      tea   30     0.333        2            1
    """
    check_level(level)
    ev, curve = item_km(lines, period_end, level, "km_curves")
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

    Examples
    --------
    >>> import pandas as pd
    >>> curves = pd.DataFrame({"group": ["cup", "tea", "tea", "tea"], "day": [0, 0, 20, 30],
    ...                        "survival": [1.0, 1.0, 2 / 3, 1 / 3], "repurchases": [0, 0, 1, 1]})
    >>> print(reminder_days(curves, min_repurchases=1).round(3).to_string(index=False))
    group  reminder_day              reason  repurchases  eventual_share  target_share
      cup          <NA> too_few_repurchases            0           0.000         0.000
      tea            20                  ok            2           0.667         0.333
    """
    require_columns(curves, (GROUP, "day", "survival", "repurchases"), "reminder_days")
    share = check_share("share", share, closed_low=False)
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
    curve = KMCurve(g, day, np.zeros(g.size), rep, surv, np.ones(n, np.int64), n_rep)
    first = first_day_reaching(curve, n, target)
    enough = (n_rep >= int(min_repurchases)) & (n_rep > 0)
    raised = enough & (first < min_day)
    reason = np.where(~enough, "too_few_repurchases", np.where(raised, "raised_to_min_day", "ok"))
    value = np.where(raised, float(min_day), first)
    return pd.DataFrame(
        {
            GROUP: str_array(keys),
            "reminder_day": pd.array(np.where(enough, value, np.nan), dtype="Int64"),
            "reason": str_array(reason),
            "repurchases": n_rep,
            "eventual_share": eventual,
            "target_share": target,
        }
    )


def item_cycle(table: pd.DataFrame, cycles: pd.DataFrame | None, what: str) -> tuple[np.ndarray, np.ndarray]:
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
