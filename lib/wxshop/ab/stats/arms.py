"""Sufficient statistics of an arm (:class:`ArmStats`) from per-user tables or dashboard counts.

Every input form meets here: the tests of the other modules work on these sums only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxshop.ab.columns import ORDERS, REVENUE, VARIANT
from wxshop.ab.stats.metrics import (
    AOV,
    CONVERSION,
    METRICS,
    ORDERS_PER_USER,
    PROFIT_PER_USER,
    REVENUE_PER_USER,
    SPEND_PER_BUYER,
    Metric,
    UserMetric,
)
from wxshop.ab.stats.moments import sample_variance
from wxshop.ab.stats.result_base import FloatLike, Result, floats, plain_value, results_frame
from wxshop.analysis.paid import require_columns

__all__ = ["ArmStats", "arm_stats_from_counts", "arm_stats_from_users", "arms_frame"]


@dataclass(frozen=True)
class ArmStats(Result):
    """Sufficient statistics of one arm.

    n: assigned users. conversions: users with at least one paid order (or the given 0/1
    flag). revenue_*: sums over users of revenue r (CNY) and r²; orders_*: of orders o and o²;
    revenue_orders_sum: Σ r·o (for the AOV delta method). covariate_*: Σ x, Σ x², Σ x·r,
    Σ x·o, Σ x·c for the CUPED covariate x (e.g. pre-period revenue, CNY). revenue_cap: the
    cap applied to per-user revenue (CNY), NaN when uncapped. revenue_conversion_sum: Σ r·c
    with c the 0/1 conversion flag (for spend per buyer, Σ r / Σ c, by the delta method).
    profit_*: Σ p and Σ p² of per-user gross profit p (CNY, revenue − cost of goods − coupon
    cost, see :mod:`wxshop.ab.profit`); covariate_profit_sum: Σ x·p. Unknown sums are NaN.

    Examples
    --------
    >>> a = ArmStats("control", n=4, conversions=2, revenue_sum=30.0, revenue_sumsq=500.0)
    >>> a.mean("conversion"), a.mean("revenue_per_user"), round(a.variance("revenue_per_user"), 2)
    (0.5, 7.5, 91.67)
    >>> a.has("revenue_per_user"), a.has("aov")
    (True, False)
    """

    arm: str
    n: FloatLike
    conversions: FloatLike
    revenue_sum: FloatLike = math.nan
    revenue_sumsq: FloatLike = math.nan
    orders_sum: FloatLike = math.nan
    orders_sumsq: FloatLike = math.nan
    revenue_orders_sum: FloatLike = math.nan
    covariate_sum: FloatLike = math.nan
    covariate_sumsq: FloatLike = math.nan
    covariate_revenue_sum: FloatLike = math.nan
    covariate_orders_sum: FloatLike = math.nan
    covariate_conversion_sum: FloatLike = math.nan
    revenue_cap: float = math.nan
    revenue_conversion_sum: FloatLike = math.nan
    profit_sum: FloatLike = math.nan
    profit_sumsq: FloatLike = math.nan
    covariate_profit_sum: FloatLike = math.nan

    def sums(self, metric: UserMetric) -> tuple[FloatLike, FloatLike, FloatLike]:
        """(Σ y, Σ y², Σ x·y) of a per-user metric y."""
        if metric == CONVERSION:  # y is 0/1, so y² = y
            return self.conversions, self.conversions, self.covariate_conversion_sum
        if metric == REVENUE_PER_USER:
            return self.revenue_sum, self.revenue_sumsq, self.covariate_revenue_sum
        if metric == ORDERS_PER_USER:
            return self.orders_sum, self.orders_sumsq, self.covariate_orders_sum
        if metric == PROFIT_PER_USER:
            return self.profit_sum, self.profit_sumsq, self.covariate_profit_sum
        raise ValueError(f"metric must be one of {CONVERSION}, {REVENUE_PER_USER}, {ORDERS_PER_USER}, "
                         f"{PROFIT_PER_USER}; got {metric!r}")

    def has(self, metric: str, cuped: bool = False) -> bool:
        """True when the sums needed for ``metric`` (and CUPED) are all known."""
        if metric == AOV:
            needed = [self.revenue_sum, self.revenue_sumsq, self.orders_sum, self.orders_sumsq,
                      self.revenue_orders_sum]
        elif metric == SPEND_PER_BUYER:
            needed = [self.revenue_sum, self.revenue_sumsq, self.conversions, self.revenue_conversion_sum]
        else:
            s, ss, sxy = self.sums(metric)  # type: ignore[arg-type]
            needed = [s, ss] + ([sxy, self.covariate_sum, self.covariate_sumsq] if cuped else [])
        return all(bool(np.all(np.isfinite(v))) for v in needed)

    def mean(self, metric: Metric) -> FloatLike:
        """Per-user mean (share 0–1, CNY, orders) or, for ``aov``, CNY per order and, for
        ``spend_per_buyer``, CNY per converting user."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if metric == AOV:
                return floats(np.asarray(self.revenue_sum, float) / np.asarray(self.orders_sum, float))
            if metric == SPEND_PER_BUYER:
                return floats(np.asarray(self.revenue_sum, float) / np.asarray(self.conversions, float))
            return floats(np.asarray(self.sums(metric)[0], float) / np.asarray(self.n, float))

    def variance(self, metric: UserMetric) -> FloatLike:
        """Sample variance (ddof 1) of the per-user metric."""
        s, ss, _ = self.sums(metric)
        return floats(sample_variance(self.n, s, ss))

    def to_dict(self) -> dict[str, Any]:
        """The sums plus ``mean_<metric>`` of every metric (NaN where the sums are missing)."""
        d = super().to_dict()
        for m in METRICS:
            d[f"mean_{m}"] = plain_value(self.mean(m)) if self.has(m) else math.nan
        return d


def arms_frame(arms: Mapping[str, ArmStats] | Iterable[ArmStats]) -> pd.DataFrame:
    """One row per arm: the sums and the means of every metric that can be computed.

    Examples
    --------
    >>> arms = [arm_stats_from_counts("control", 1000, 100), arm_stats_from_counts("treatment", 1000, 130)]
    >>> print(arms_frame(arms)[["arm", "n", "conversions", "mean_conversion"]].to_string())
             arm     n  conversions  mean_conversion
    0    control  1000          100             0.10
    1  treatment  1000          130             0.13
    """
    values = arms.values() if isinstance(arms, Mapping) else arms
    return results_frame(values)


def arm_stats_from_users(
    users: pd.DataFrame,
    arm_col: str = VARIANT,
    *,
    revenue_col: str | None = REVENUE,
    orders_col: str | None = ORDERS,
    converted_col: str | None = None,
    covariate_col: str | None = None,
    profit_col: str | None = None,
    cap_percentile: float | None = None,
    cap_ignore_zeros: bool = True,
) -> dict[str, ArmStats]:
    """Summarise a per-user outcome table into one :class:`ArmStats` per arm.

    Parameters
    ----------
    users : one row per assigned user with ``arm_col`` and the outcome columns below. Missing
        revenue, orders or covariate values count as 0 (no purchase in the window).
    arm_col : the arm (variant) of each user.
    revenue_col : revenue in the metric window, CNY; None if unknown.
    orders_col : paid orders in the metric window; None if unknown.
    converted_col : 0/1 conversion flag; by default orders > 0 (or revenue > 0 without orders).
    covariate_col : CUPED covariate, e.g. pre-period revenue in CNY; None for no CUPED.
    profit_col : per-user gross profit, CNY (:func:`wxshop.ab.profit.with_profit`); None if
        unknown. It is not capped (its tails are those of revenue less costs).
    cap_percentile : cap per-user revenue at this percentile (0–100, e.g. 99) of the pooled
        data of all arms, so the cap is the same in every arm; None for no cap.
    cap_ignore_zeros : take the percentile over users with positive revenue only (most users
        buy nothing, so the percentile over everyone would cap ordinary orders).

    Returns
    -------
    dict arm → ArmStats, arms in sorted order.

    Examples
    --------
    >>> users = pd.DataFrame({"variant": ["c", "c", "c", "t", "t"],
    ...                       "revenue": [0.0, 10.0, 30.0, 20.0, 0.0],
    ...                       "orders": [0, 1, 2, 1, 0]})
    >>> arms = arm_stats_from_users(users)
    >>> arms["c"].n, arms["c"].conversions, arms["c"].revenue_sum, arms["t"].mean("aov")
    (3, 2, 40.0, 20.0)
    """
    what = "arm_stats_from_users"
    cols = [c for c in (arm_col, revenue_col, orders_col, converted_col, covariate_col, profit_col) if c]
    require_columns(users, cols, what)
    arm = users[arm_col]
    if arm.isna().any():
        raise ValueError(f"{what}: {int(arm.isna().sum())} user(s) have no {arm_col}")
    if converted_col is None and orders_col is None and revenue_col is None:
        raise ValueError(f"{what} needs at least one of converted_col, orders_col, revenue_col")

    def col(name: str | None) -> np.ndarray | None:
        if name is None:
            return None
        return pd.to_numeric(users[name], errors="raise").astype(float).fillna(0.0).to_numpy()

    r, o, x, p = col(revenue_col), col(orders_col), col(covariate_col), col(profit_col)
    cap = math.nan
    if cap_percentile is not None:
        if r is None:
            raise ValueError(f"{what}: cap_percentile needs revenue_col")
        if not 0 < cap_percentile <= 100:
            raise ValueError(f"cap_percentile is a percentile in (0, 100], got {cap_percentile}")
        pool = r[r > 0] if cap_ignore_zeros else r
        if pool.size:
            cap = float(np.percentile(pool, cap_percentile))
            r = np.minimum(r, cap)
    if converted_col is not None:
        c = col(converted_col)
        assert c is not None
        if not np.isin(c, (0.0, 1.0)).all():
            raise ValueError(f"{what}: {converted_col} must be 0/1 or bool")
    else:
        c = ((o if o is not None else r) > 0).astype(float)  # type: ignore[operator]

    parts: dict[str, np.ndarray] = {"n": np.ones(len(users)), "conversions": c}
    if r is not None:
        parts |= {"revenue_sum": r, "revenue_sumsq": r * r, "revenue_conversion_sum": r * c}
    if p is not None:
        parts |= {"profit_sum": p, "profit_sumsq": p * p}
    if o is not None:
        parts |= {"orders_sum": o, "orders_sumsq": o * o}
    if r is not None and o is not None:
        parts["revenue_orders_sum"] = r * o
    if x is not None:
        parts |= {"covariate_sum": x, "covariate_sumsq": x * x, "covariate_conversion_sum": x * c}
        if r is not None:
            parts["covariate_revenue_sum"] = x * r
        if o is not None:
            parts["covariate_orders_sum"] = x * o
        if p is not None:
            parts["covariate_profit_sum"] = x * p
    sums = pd.DataFrame(parts).groupby(arm.to_numpy(), sort=True).sum()
    out: dict[str, ArmStats] = {}
    for name, row in sums.iterrows():  # one iteration per arm, not per user
        kw = {k: float(v) for k, v in row.items()}
        kw["n"], kw["conversions"] = int(kw["n"]), int(kw["conversions"])
        out[str(name)] = ArmStats(arm=str(name), revenue_cap=cap, **kw)
    return out


def arm_stats_from_counts(
    arm: str,
    users: int,
    conversions: int,
    *,
    revenue_sum: float | None = None,
    revenue_sumsq: float | None = None,
    orders_sum: float | None = None,
    orders_sumsq: float | None = None,
) -> ArmStats:
    """One arm from dashboard counts.

    Parameters
    ----------
    users, conversions : assigned users and converters (users with an order).
    revenue_sum, revenue_sumsq : Σ revenue (CNY) and Σ revenue² (CNY²) over users, if known;
        revenue per user needs both. Revenue comes from orders, so only converters have any:
        Σ revenue·converted = Σ revenue, which gives spend per buyer too.
    orders_sum, orders_sumsq : Σ orders and Σ orders² over users, if known.

    Examples
    --------
    >>> arm = arm_stats_from_counts("control", 1000, 100, revenue_sum=10000.0, revenue_sumsq=2000000.0)
    >>> arm.mean("conversion"), arm.mean("revenue_per_user"), arm.has("orders_per_user")
    (0.1, 10.0, False)
    """
    if users < 1 or not 0 <= conversions <= users:
        raise ValueError(f"arm {arm!r}: need users >= 1 and 0 <= conversions <= users "
                         f"(got {users}, {conversions})")
    for name, s, ss in (("revenue", revenue_sum, revenue_sumsq), ("orders", orders_sum, orders_sumsq)):
        if s is not None and ss is not None and ss < s * s / users * (1 - 1e-12):
            raise ValueError(f"arm {arm!r}: {name} sum of squares {ss} is below sum²/users = "
                             f"{s * s / users}; check the numbers")

    def f(v: float | None) -> float:
        return math.nan if v is None else float(v)

    return ArmStats(arm=arm, n=int(users), conversions=int(conversions),
                    revenue_sum=f(revenue_sum), revenue_sumsq=f(revenue_sumsq),
                    orders_sum=f(orders_sum), orders_sumsq=f(orders_sumsq),
                    revenue_conversion_sum=f(revenue_sum))
