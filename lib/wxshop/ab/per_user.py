"""What only a per-user outcome table allows: pre-period balance, a bootstrap of revenue per
user, segment lifts, and the assignment period in days."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from wxshop.ab import stats as ab
from wxshop.ab.columns import (
    ACQUISITION_CHANNEL,
    ASSIGNED_AT,
    CITY_TIER,
    CONVERTED,
    IS_NEW,
    ORDERS,
    PRE_REVENUE,
    PROFIT,
    REVENUE,
    VARIANT,
)
from wxshop.ab.config import ABConfig
from wxshop.ab.outcomes import UNKNOWN
from wxshop.ab.results import CUPED, P_ADJUSTED, SIGNIFICANT, TREATMENT
from wxshop.ab.stats.metrics import RATIO_METRICS, REVENUE_PER_USER

__all__ = [
    "NEW",
    "RETURNING",
    "SEGMENT_DIMENSIONS",
    "assignment_days",
    "balance_table",
    "bootstrap_table",
    "segment_lifts",
    "segment_values",
    "stats_columns",
]

SEGMENT_DIMENSIONS = (IS_NEW, ACQUISITION_CHANNEL, CITY_TIER)
# Segment values of the boolean is_new column (codes; the notebook translates them).
NEW, RETURNING = "new", "returning"


def balance_table(users: pd.DataFrame, control: str, treatments: Sequence[str], alpha: float,
             threshold: float) -> pd.DataFrame | None:
    """Pre-period balance: pre_revenue (Welch t, CNY per user) and is_new (z-test, share).

    Flagged at the SRM threshold, not alpha: with two variables per treatment, alpha would
    flag about one honest experiment in ten, and CUPED already corrects chance imbalance in
    pre_revenue; a p-value below the threshold points at the assignment itself.
    """
    rows = []
    if PRE_REVENUE in users.columns:
        arms = ab.arm_stats_from_users(users, revenue_col=PRE_REVENUE, orders_col=None)
        for t in treatments:
            rows.append((t, PRE_REVENUE, ab.mean_test(arms[control], arms[t], REVENUE_PER_USER, alpha=alpha)))
    if IS_NEW in users.columns:
        arms = ab.arm_stats_from_users(users, revenue_col=None, orders_col=None, converted_col=IS_NEW)
        for t in treatments:
            rows.append((t, IS_NEW, ab.conversion_test(arms[control], arms[t], alpha=alpha)))
    if not rows:
        return None
    return pd.DataFrame([
        {TREATMENT: t, "variable": var, "test": r.test, "mean_control": r.mean_control,
         "mean_treatment": r.mean_treatment, "diff": r.diff, "rel_diff": r.rel_lift,
         "statistic": r.statistic, "p_value": r.p_value, "flagged": bool(r.p_value < threshold)}
        for t, var, r in rows
    ])


def bootstrap_table(users: pd.DataFrame, cfg: ABConfig, treatments: Sequence[str]) -> pd.DataFrame | None:
    """Percentile bootstrap of revenue per user (already capped in ``users``)."""
    if REVENUE not in users.columns:
        return None
    rev = users[REVENUE].to_numpy(float)
    arm = users[VARIANT].to_numpy()
    c = rev[arm == cfg.control]
    rows = []
    for t in treatments:
        x = rev[arm == t]
        if c.size >= 2 and x.size >= 2:
            b = ab.bootstrap_diff(c, x, alpha=cfg.alpha, n_boot=cfg.n_boot, seed=cfg.seed)
            rows.append({TREATMENT: t, "metric": REVENUE_PER_USER, **b.to_dict()})
    return pd.DataFrame(rows) if rows else None


def segment_values(col: pd.Series) -> pd.Series:
    """Segment codes of a column: ``new`` / ``returning`` for ``is_new``, else the stripped text;
    missing or blank values are ``unknown``."""
    if col.name == IS_NEW:
        flag = col.map(lambda v: None if pd.isna(v) else bool(v))
        return flag.map({True: NEW, False: RETURNING}).fillna(UNKNOWN)
    text = col.astype("string").str.strip()
    return text.mask(text.isna() | (text == ""), UNKNOWN).astype(str)


def segment_lifts(users: pd.DataFrame, cfg: ABConfig, treatments: Sequence[str],
              dimensions: Sequence[str]) -> tuple[pd.DataFrame | None, int]:
    """Primary-metric lift per segment cell (dimension × value × treatment)."""
    dims = [d for d in dimensions if d in users.columns]
    if not dims:
        return None, 0
    cov = PRE_REVENUE if cfg.cuped and PRE_REVENUE in users.columns else None
    kw = stats_columns(users, cov)
    rows, skipped = [], 0
    for dim in dims:
        values = segment_values(users[dim])
        for value in sorted(values.unique()):
            part = users[(values == value).to_numpy()]
            counts = part[VARIANT].value_counts()
            seg_arms = None
            for t in treatments:
                n_c, n_t = int(counts.get(cfg.control, 0)), int(counts.get(t, 0))
                if min(n_c, n_t) < cfg.min_segment_users:
                    skipped += 1
                    continue
                if seg_arms is None:
                    seg_arms = ab.arm_stats_from_users(part, **kw)
                c, x = seg_arms[cfg.control], seg_arms[t]
                cuped = (cfg.cuped and cfg.primary_metric not in RATIO_METRICS
                         and c.has(cfg.primary_metric, True))
                r = ab.compare(c, x, cfg.primary_metric,  # type: ignore[arg-type]
                               alpha=cfg.alpha, cuped=cuped)
                rows.append({"dimension": dim, "value": value, TREATMENT: t, "users_control": n_c,
                             "users_treatment": n_t, "metric": r.metric, "test": r.test, CUPED: cuped,
                             "mean_control": r.mean_control, "mean_treatment": r.mean_treatment,
                             "diff": r.diff, "ci_low": r.ci_low, "ci_high": r.ci_high,
                             "rel_lift": r.rel_lift, "rel_ci_low": r.rel_ci_low,
                             "rel_ci_high": r.rel_ci_high, "p_value": r.p_value})
    cols = ["dimension", "value", TREATMENT, "users_control", "users_treatment", "metric", "test", CUPED,
            "mean_control", "mean_treatment", "diff", "ci_low", "ci_high", "rel_lift", "rel_ci_low",
            "rel_ci_high", "p_value", P_ADJUSTED, SIGNIFICANT]
    if not rows:
        return pd.DataFrame(columns=cols), skipped
    frame = pd.DataFrame(rows)
    adj = ab.adjust_pvalues(frame["p_value"].to_numpy(float), cfg.correction, alpha=cfg.alpha)
    frame[P_ADJUSTED] = adj.p_adjusted
    frame[SIGNIFICANT] = frame[P_ADJUSTED] < cfg.alpha
    return frame[cols], skipped


def stats_columns(users: pd.DataFrame, covariate: str | None) -> dict[str, Any]:
    """Keyword arguments of ``arm_stats_from_users`` for the columns ``users`` has."""
    return {"revenue_col": REVENUE if REVENUE in users.columns else None,
            "orders_col": ORDERS if ORDERS in users.columns else None,
            "converted_col": CONVERTED if CONVERTED in users.columns else None,
            "profit_col": PROFIT if PROFIT in users.columns else None,
            "covariate_col": covariate}


def assignment_days(users: pd.DataFrame) -> float | None:
    """Calendar days from the first to the last assignment (inclusive), if known."""
    if ASSIGNED_AT not in users.columns:
        return None
    at = pd.to_datetime(users[ASSIGNED_AT], errors="coerce").dropna()
    if at.empty:
        return None
    return float((at.max().normalize() - at.min().normalize()).days + 1)
