"""Kaplan–Meier time to repurchase, vectorised over many items at once: the product-limit
curve, S(day), the first day a share is reached, and the naive median of observed gaps.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, period_end_day
from wxshop.analysis.products.events import PurchaseEvents, item_events
from wxshop.analysis.products.keys import TOL, run_starts
from wxshop.data.codes import distinct_counts

__all__ = ["KMCurve", "product_limit", "survival_at", "first_day_reaching", "naive_median", "item_km"]

@dataclass(frozen=True)
class KMCurve:
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


def product_limit(group: np.ndarray, duration: np.ndarray, observed: np.ndarray, n_groups: int) -> KMCurve:
    """Vectorised Kaplan–Meier: S(t) = Π_{s ≤ t} (1 − d_s / n_s) per group.

    ``duration`` are whole days ≥ 0; observed events are at days ≥ 1. Ties: a purchase
    censored on day t is still at risk on day t (as in statsmodels ``SurvfuncRight``).
    """
    dur = duration.astype(np.int64)
    width = int(dur.max()) + 1 if dur.size else 1
    ukey, counts = distinct_counts((group * width + dur) * 2 + observed.astype(np.int64),
                                   max(n_groups, 1) * width * 2)
    gt, obs = np.divmod(ukey, 2)
    rid = np.cumsum(np.concatenate([[True], gt[1:] != gt[:-1]])) - 1 if gt.size else gt
    n_rows = int(rid[-1]) + 1 if gt.size else 0
    tot = np.bincount(rid, weights=counts, minlength=n_rows).astype(np.int64)
    dead = np.bincount(rid, weights=counts * obs, minlength=n_rows).astype(np.int64)
    gt_u = gt[run_starts(gt)] if gt.size else gt
    g_u, t_u = np.divmod(gt_u, width)
    n_total = np.bincount(g_u, weights=tot, minlength=n_groups).astype(np.int64)
    n_events = np.bincount(g_u, weights=dead, minlength=n_groups).astype(np.int64)
    before = np.cumsum(tot) - tot  # events (any status) in earlier rows, all groups
    first = run_starts(g_u)
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
    return KMCurve(
        group=grp[order],
        day=day[order],
        at_risk=np.concatenate([n_total[has], at_risk[ev]])[order],
        events=np.concatenate([np.zeros(has.size, np.int64), dead[ev]])[order],
        survival=np.concatenate([np.ones(has.size), surv[ev]])[order],
        n_total=n_total,
        n_events=n_events,
    )


def survival_at(curve: KMCurve, n_groups: int, day: float) -> np.ndarray:
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


def first_day_reaching(curve: KMCurve, n_groups: int, target: np.ndarray) -> np.ndarray:
    """Per group, the first day with 1 − S(day) ≥ target (NaN when never)."""
    out = np.full(n_groups, np.nan)
    hit = np.flatnonzero(1.0 - curve.survival >= target[curve.group] - TOL)
    if hit.size:
        hit = hit[run_starts(curve.group[hit])]
        out[curve.group[hit]] = curve.day[hit]
    return out


def naive_median(curve: KMCurve, n_groups: int) -> np.ndarray:
    """Median of the observed gaps per group (``numpy.median`` convention: the mean of the
    two middle gaps for an even count), read off the event counts of the curve."""
    out = np.full(n_groups, np.nan)
    cum = np.cumsum(curve.events)
    n = curve.n_events
    has = np.flatnonzero(n > 0)
    if has.size == 0:
        return out
    base = np.zeros(n_groups, np.int64)
    starts = run_starts(curve.group)
    base[curve.group[starts]] = cum[starts] - curve.events[starts]
    lo = np.searchsorted(cum, base[has] + (n[has] - 1) // 2, side="right")
    hi = np.searchsorted(cum, base[has] + n[has] // 2, side="right")
    out[has] = (curve.day[lo] + curve.day[hi]) / 2.0
    return out


def item_km(
    lines: pd.DataFrame, period_end: DateLike, level: str, what: str
) -> tuple[PurchaseEvents, KMCurve]:
    """Purchase events of every item and their Kaplan–Meier time-to-repurchase curve."""
    end_day = period_end_day(period_end)
    ev = item_events(lines, level, end_day, what)
    nxt = np.append(ev.day[1:], 0)
    duration = np.where(ev.last, end_day - ev.day, nxt - ev.day)
    curve = product_limit(ev.item, duration, ~ev.last, ev.groups.n)
    return ev, curve
