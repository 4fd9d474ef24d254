"""Cumulative users and outcomes per variant by day of assignment (what the test showed each day)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.ab.columns import ASSIGNED_AT, CONVERTED, ORDERS, REVENUE, VARIANT
from wxshop.ab.outcomes import variant_order
from wxshop.ab.table_checks import require_table
from wxshop.analysis.paid import timestamps

__all__ = ["daily_counts"]

_TEXT = "str"
_COUNT_SUMS = ("orders_sum", "orders_sumsq", "revenue_sum", "revenue_sumsq")


def daily_counts(users: pd.DataFrame) -> pd.DataFrame:
    """Cumulative users and outcomes per variant by day of assignment.

    For each calendar day from the first to the last assignment and each variant: the users
    assigned up to the end of that day and the sums of their (full-window) outcomes, i.e. what
    the test would show had it been stopped that day with every window complete. Rows feed
    :func:`wxshop.ab.stats.arm_stats_from_counts` for power "days to reach" and peeking
    displays.

    Parameters
    ----------
    users : variant, assigned_at, converted[, orders, revenue] (``ExperimentUsers.users``).

    Returns
    -------
    DataFrame with one row per (day, variant), days ascending, variants ``"control"`` first:
    day (1 = the first day of assignment), date (midnight of that day), variant, new_users
    (assigned that day), users and conversions (cumulative counts), and when ``users`` has
    them, orders_sum, orders_sumsq, revenue_sum (CNY), revenue_sumsq (CNY²), cumulative.

    Examples
    --------
    >>> users = pd.DataFrame({
    ...     "variant": ["control", "treatment", "treatment"],
    ...     "assigned_at": pd.to_datetime(["2024-03-01 08:00", "2024-03-01 09:00", "2024-03-02 10:00"]),
    ...     "converted": [True, False, True],
    ... })
    >>> print(daily_counts(users).to_string())
       day       date    variant  new_users  users  conversions
    0    1 2024-03-01    control          1      1            1
    1    1 2024-03-01  treatment          1      1            0
    2    2 2024-03-02    control          0      1            1
    3    2 2024-03-02  treatment          1      2            1
    """
    require_table(users, (VARIANT, ASSIGNED_AT, CONVERTED), "users", "daily_counts")
    sums = [
        c
        for c, src in zip(_COUNT_SUMS, (ORDERS, ORDERS, REVENUE, REVENUE), strict=True)
        if src in users.columns
    ]
    cols = ["day", "date", VARIANT, "new_users", "users", "conversions", *sums]
    if users.empty:
        empty = {c: pd.Series(dtype="int64") for c in cols}
        empty |= {"date": pd.Series(dtype="datetime64[us]"), VARIANT: pd.Series(dtype=_TEXT)}
        empty |= {c: pd.Series(dtype="float64") for c in sums}
        return pd.DataFrame(empty)[cols]

    date = timestamps(users[ASSIGNED_AT]).dt.normalize()
    first = date.min()
    day = ((date - first) // pd.Timedelta(days=1)).to_numpy(np.int64)
    parts: dict[str, np.ndarray] = {
        "new_users": np.ones(len(users), np.int64),
        "conversions": users[CONVERTED].astype(bool).to_numpy(np.int64),
    }
    if ORDERS in users.columns:
        o = users[ORDERS].to_numpy(np.float64)
        parts |= {"orders_sum": o, "orders_sumsq": o * o}
    if REVENUE in users.columns:
        r = users[REVENUE].to_numpy(np.float64)
        parts |= {"revenue_sum": r, "revenue_sumsq": r * r}
    variants = variant_order(users[VARIANT])
    grid = pd.MultiIndex.from_product([range(int(day.max()) + 1), variants], names=["day", VARIANT])
    per_day = (
        pd.DataFrame(parts)
        .groupby([day, users[VARIANT].astype(_TEXT).to_numpy()])
        .sum()
        .rename_axis(["day", VARIANT])
        .reindex(grid, fill_value=0)
    )
    out = per_day.groupby(level=VARIANT, sort=False).cumsum()
    out["users"] = out["new_users"]
    out["new_users"] = per_day["new_users"]
    out = out.reset_index()
    out["date"] = first + pd.to_timedelta(out["day"], unit="D")
    out["day"] = out["day"] + 1
    out[VARIANT] = out[VARIANT].astype(_TEXT)
    return out[cols].astype({"new_users": "int64", "users": "int64", "conversions": "int64"})
