"""The two ways into an A/B analysis that do not start from a store: a per-user outcomes file
(way b, :func:`read_user_outcomes`) and per-arm counts typed into the parameters (way c,
:func:`arms_from_summary`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wxshop.ab.checks import is_finite
from wxshop.ab.columns import CONVERTED, COST, COUPON_COST, ORDERS, PRE_REVENUE, PROFIT, REVENUE, VARIANT
from wxshop.ab.stats.arms import ArmStats, arm_stats_from_counts
from wxshop.data.read import read_source
from wxshop.errors import DataError, ParamsError

__all__ = ["SUMMARY_KEYS", "arms_from_summary", "read_user_outcomes"]

# Keys of one arm in the ``summary`` parameter (way c); users and conversions are required.
SUMMARY_KEYS = ("users", "conversions", "revenue_sum", "revenue_sumsq", "orders_sum", "orders_sumsq")


def read_user_outcomes(path: str | Path) -> pd.DataFrame:
    """A per-user outcome table from a file (way b): CSV (UTF-8, BOM or GBK), XLSX or Parquet.

    Columns: variant (required); converted (0/1 or true/false) and/or orders (count) —
    converted defaults to orders ≥ 1; revenue (CNY, optional); pre_revenue (CNY, optional,
    the CUPED covariate); cost (cost of goods, CNY) and coupon_cost (coupon cost not already
    taken off revenue, CNY), or profit, for gross profit per user (:mod:`wxshop.ab.profit`);
    other columns are kept. Raises :class:`DataError` naming the file
    and column when a required column is missing or a value is not a number.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "outcomes.csv"
    >>> pd.DataFrame({"variant": ["control", "treatment"], "orders": [0, 2],
    ...               "revenue": [0, 30.5]}).to_csv(path, index=False)
    >>> print(read_user_outcomes(path).to_string())
         variant  orders  revenue  converted
    0    control       0      0.0      False
    1  treatment       2     30.5       True
    """
    path = Path(path)
    label = path.name
    if not path.is_file():
        raise DataError(f"{label}: file not found ({path}).", file=label,
                        fix="set outcomes_file to a CSV/XLSX/Parquet file with one row per user.")
    frame = read_source(path, label).frame
    frame.columns = [str(c).strip() for c in frame.columns]
    if VARIANT not in frame.columns:
        raise DataError(f"{label}: required column 'variant' is missing (headers found: "
                        f"{', '.join(frame.columns)}).", file=label, column=VARIANT,
                        fix="add a variant column naming each user's arm, e.g. control / treatment.")
    if CONVERTED not in frame.columns and ORDERS not in frame.columns:
        raise DataError(f"{label}: needs a 'converted' or an 'orders' column.", file=label,
                        column=CONVERTED, fix="add converted (0/1) or orders (count) per user.")
    out = frame.copy()
    out[VARIANT] = out[VARIANT].astype("str").str.strip()
    for col in (ORDERS, REVENUE, PRE_REVENUE, COST, COUPON_COST, PROFIT, CONVERTED):
        if col not in out.columns:
            continue
        raw = out[col]
        if col == CONVERTED and raw.dtype != bool:
            text = raw.astype("str").str.strip().str.lower()
            raw = text.map({"true": "1", "false": "0", "yes": "1", "no": "0"}).fillna(text)
        values = pd.to_numeric(raw, errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy() & raw.notna().to_numpy())
        if bad.size:
            rows = ", ".join(str(i + 2) for i in bad[:5])
            raise DataError(f"{label}: column '{col}' has values that are not numbers (rows {rows}).",
                            file=label, column=col, fix="use plain numbers (no currency signs).")
        out[col] = values.fillna(0.0)
    if CONVERTED in out.columns:
        out[CONVERTED] = out[CONVERTED].to_numpy() > 0
    else:
        out[CONVERTED] = out[ORDERS].to_numpy() >= 1
    return out


def arms_from_summary(summary: Mapping[str, Any], *, where: str = "summary") -> dict[str, ArmStats]:
    """Per-arm statistics from counts typed into the parameters (dashboard numbers).

    ``summary`` maps arm → {users, conversions[, revenue_sum, revenue_sumsq][, orders_sum,
    orders_sumsq]}: users assigned, users with an order, Σ revenue (CNY) and Σ revenue² over
    users, Σ orders and Σ orders². Revenue per user needs both revenue sums; orders per user
    both order sums; AOV cannot be computed from these counts.

    Raises :class:`ParamsError` naming the arm and key when a value is missing, not a number
    or impossible (conversions > users, a sum of squares below sum²/users).

    Examples
    --------
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130,
    ...                                         "revenue_sum": 13000.0, "revenue_sumsq": 2600000.0}})
    >>> arms["treatment"].mean("conversion"), arms["treatment"].mean("revenue_per_user")
    (0.13, 13.0)
    >>> arms["control"].has("revenue_per_user")
    False
    """
    if not isinstance(summary, Mapping) or len(summary) < 2:
        raise ParamsError(
            f"{where}: give at least two arms, e.g. {{control: {{users: 5000, conversions: 400}}, "
            f"treatment: {{users: 5000, conversions: 460}}}}; got {summary!r}."
        )
    arms: dict[str, ArmStats] = {}
    for name, counts in summary.items():
        arm = str(name)
        if not isinstance(counts, Mapping):
            raise ParamsError(
                f"{where}.{arm}: expected a mapping of {', '.join(SUMMARY_KEYS)}; got {counts!r}."
            )
        unknown = sorted(set(map(str, counts)) - set(SUMMARY_KEYS))
        if unknown:
            raise ParamsError(
                f"{where}.{arm}: unknown key(s) {', '.join(unknown)}; known: {', '.join(SUMMARY_KEYS)}."
            )
        values: dict[str, float | None] = {}
        for key in SUMMARY_KEYS:
            raw = counts.get(key)
            if raw is None:
                values[key] = None
                continue
            if isinstance(raw, bool | str) or not is_finite(raw) or float(raw) < 0:
                raise ParamsError(f"{where}.{arm}.{key}: must be a number >= 0, got {raw!r}.")
            values[key] = float(raw)
        for key in ("users", "conversions"):
            if values[key] is None:
                raise ParamsError(
                    f"{where}.{arm}: '{key}' is required (users assigned and users with an order)."
                )
            if not float(values[key]).is_integer():
                raise ParamsError(f"{where}.{arm}.{key}: must be a whole number, got {counts[key]!r}.")
        for total, squares in (("revenue_sum", "revenue_sumsq"), ("orders_sum", "orders_sumsq")):
            if (values[total] is None) != (values[squares] is None):
                raise ParamsError(f"{where}.{arm}: give both {total} and {squares}, or neither.")
        try:
            arms[arm] = arm_stats_from_counts(
                arm,
                int(values["users"]),
                int(values["conversions"]),
                revenue_sum=values["revenue_sum"],
                revenue_sumsq=values["revenue_sumsq"],
                orders_sum=values["orders_sum"],
                orders_sumsq=values["orders_sumsq"],
            )
        except ValueError as e:
            raise ParamsError(f"{where}: {e}") from None
    return arms
