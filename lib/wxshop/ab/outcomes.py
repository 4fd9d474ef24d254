"""Per-user outcomes of an A/B test from a store's ``experiments`` and ``orders`` tables.

This is the data side of an experiment read from assignments plus orders: one row per
assigned user with the outcomes over a metric window after assignment, ready to be summarised
per arm (:func:`wxshop.ab.stats.arm_stats_from_users`).

Definitions:

- *user*: a ``customer_id`` with at least one row of the experiment. A user seen in more than
  one variant cannot be attributed to an arm; such users are excluded and counted
  (``multi_variant``). A user seen twice in the same variant is kept once.
- *assigned_at*: the user's first assignment time (the earliest row).
- *metric window*: ``[assigned_at, assigned_at + window_days)``; an order exactly at
  ``assigned_at`` counts, one at ``assigned_at + window_days`` does not.
- *counted orders*: paid orders (``status == "paid"``, or every order without a status column)
  when ``paid_only``, else every order whatever its status.
- *orders*, *revenue*: counted orders in the metric window and the sum of their ``amount``
  (CNY); zero when the user bought nothing. *converted*: orders ≥ 1.
- *pre_orders*, *pre_revenue*: the same over ``[assigned_at − pre_days, assigned_at)``; the
  CUPED covariate, measured before assignment so the treatment cannot move it.
- *is_new*: no paid order (whatever ``paid_only``) before ``assigned_at``.
- *cost*, *profit* (with ``order_items`` and ``products`` carrying ``unit_cost``): cost of goods
  of the counted orders in the metric window (Σ quantity × unit_cost) and revenue − cost. The
  amount paid is already net of ``orders.discount``, so the coupon is not taken off again
  (:mod:`wxshop.ab.profit`). When any such order has an unknown cost, neither column is given.
- *incomplete window*: the metric window ends after the last order in the data
  (``assigned_at + window_days > data_end``), so part of it was not observed. Such users are
  kept and counted, not dropped.

Timestamps are compared as naive shop-local wall-clock time (as :func:`wxshop.data.load.load_store`
gives them). On the demo stores these definitions reproduce ``truth["experiments"][id]
["realised"]`` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wxshop.ab.columns import (
    ASSIGNED_AT,
    CONVERTED,
    COST,
    EXPERIMENT_ID,
    IS_NEW,
    ORDERS,
    PRE_ORDERS,
    PRE_REVENUE,
    REVENUE,
    SEGMENT_COLUMNS,
    VARIANT,
)
from wxshop.ab.order_costs import order_costs
from wxshop.ab.profit import with_profit
from wxshop.ab.table_checks import require_table
from wxshop.analysis.paid import check_days, paid_mask, timestamps
from wxshop.data.codes import positions
from wxshop.data.schema import AMOUNT, CUSTOMER_ID, ORDERED_AT
from wxshop.errors import DataError, ParamsError

__all__ = [
    "CONTROL",
    "UNKNOWN",
    "ExperimentUsers",
    "experiment_ids",
    "planned_split",
    "user_outcomes",
    "variant_order",
]

CONTROL = "control"  # the variant other arms are compared against, listed first
UNKNOWN = "unknown"  # segment value of users missing from customers (or with a blank value)
SPLIT_TOLERANCE = 1e-9  # planned shares must sum to 1 within this

_TEXT = "str"
_EXPERIMENT_COLUMNS = (EXPERIMENT_ID, CUSTOMER_ID, VARIANT, ASSIGNED_AT)
_ORDER_COLUMNS = (CUSTOMER_ID, ORDERED_AT, AMOUNT)


# =============================================================================== helpers


def variant_order(variants: Sequence[str] | pd.Series) -> list[str]:
    """Distinct variant names, ``"control"`` first when present, the rest sorted.

    Examples
    --------
    >>> variant_order(["b", "control", "a", "b"])
    ['control', 'a', 'b']
    """
    names = sorted({str(v) for v in pd.Series(variants).dropna()})
    return ([CONTROL] if CONTROL in names else []) + [v for v in names if v != CONTROL]


# ============================================================================ public API


def experiment_ids(experiments: pd.DataFrame) -> list[str]:
    """The distinct ``experiment_id`` values of an experiments table, sorted.

    Examples
    --------
    >>> experiment_ids(pd.DataFrame({"experiment_id": ["e2", "e1", "e2"]}))
    ['e1', 'e2']
    """
    require_table(experiments, (EXPERIMENT_ID,), "experiments", "experiment_ids")
    return sorted({str(v) for v in experiments[EXPERIMENT_ID].dropna()})


@dataclass(frozen=True, eq=False)
class ExperimentUsers:
    """Per-user outcomes of one experiment (see the module docstring for the definitions).

    Attributes
    ----------
    experiment_id : str
    users : DataFrame
        One row per user in exactly one variant, sorted by customer_id: customer_id, variant,
        assigned_at (first assignment), converted (bool), orders (count), revenue (CNY),
        pre_orders (count), pre_revenue (CNY), is_new (bool), and with ``customers`` given,
        city_tier and acquisition_channel (``"unknown"`` when missing).
    variants : list of str
        Every variant seen in the experiment's rows, ``"control"`` first, the rest sorted.
        A variant whose users were all multi-variant is listed with no users.
    multi_variant : int
        Users seen in more than one variant (excluded from ``users``).
    window : (Timestamp, Timestamp)
        First assigned_at and last assigned_at + window_days over ``users`` (NaT if none).
    data_end : Timestamp
        Last ``ordered_at`` in the orders table, any status (NaT without orders).
    incomplete_windows : int
        Users whose metric window ends after ``data_end`` (all users when there are no
        orders); kept in ``users``.
    window_days, pre_days : int
        Metric window and pre-period, days.
    paid_only : bool
        Whether only paid orders were counted.
    cost_missing_orders : int or None
        Counted orders in the users' metric windows whose cost of goods is unknown (then
        ``users`` has no cost or profit); None when no item costs were given.
    """

    experiment_id: str
    users: pd.DataFrame = field(repr=False)
    variants: list[str]
    multi_variant: int
    window: tuple[pd.Timestamp, pd.Timestamp]
    data_end: pd.Timestamp
    incomplete_windows: int
    window_days: int
    pre_days: int
    paid_only: bool
    cost_missing_orders: int | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per variant (in ``variants`` order).

        Columns: variant, users, share (of users, 0–1), conversions (users), conversion
        (share 0–1), orders, orders_per_user, revenue (CNY), revenue_per_user (CNY),
        pre_revenue_per_user (CNY). Means are NaN for a variant without users.
        """
        u = self.users
        g = u.groupby(VARIANT, sort=False)
        out = pd.DataFrame(
            {
                "users": g.size(),
                "conversions": g[CONVERTED].sum(),
                "orders": g[ORDERS].sum(),
                "revenue": g[REVENUE].sum(),
                "pre_revenue": g[PRE_REVENUE].sum(),
            }
        ).reindex(pd.Index(self.variants, dtype=_TEXT, name=VARIANT), fill_value=0)
        n = out["users"].where(out["users"] > 0)
        total = int(out["users"].sum())
        out = out.astype(
            {"users": "int64", "conversions": "int64", "orders": "int64", "revenue": "float64"}
        )
        out["share"] = out["users"] / total if total else np.nan
        out["conversion"] = out["conversions"] / n
        out["orders_per_user"] = out["orders"] / n
        out["revenue_per_user"] = out["revenue"] / n
        out["pre_revenue_per_user"] = out["pre_revenue"] / n
        cols = [
            "users",
            "share",
            "conversions",
            "conversion",
            "orders",
            "orders_per_user",
            "revenue",
            "revenue_per_user",
            "pre_revenue_per_user",
        ]
        return out[cols].reset_index()


def user_outcomes(
    experiments: pd.DataFrame,
    orders: pd.DataFrame,
    experiment_id: str,
    *,
    window_days: int = 14,
    pre_days: int = 28,
    customers: pd.DataFrame | None = None,
    paid_only: bool = True,
    order_items: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
) -> ExperimentUsers:
    """Per-user outcomes of ``experiment_id`` over a metric window after assignment.

    Parameters
    ----------
    experiments : experiment_id, customer_id, variant, assigned_at (timestamp).
    orders : customer_id, ordered_at (timestamp), amount (CNY)[, status].
    experiment_id : the experiment to read.
    window_days : metric window after each user's first assignment, days (≥ 1).
    pre_days : pre-period before assignment for the CUPED covariate, days (≥ 0; 0 gives zeros).
    customers : optional customer_id[, city_tier, acquisition_channel] for segments.
    paid_only : count only paid orders in the outcomes and the pre-period (``is_new`` always
        looks at paid orders).
    order_items, products : optional order_id, sku_id, quantity and sku_id, unit_cost (CNY):
        with both (and an order_id column in orders), cost and profit per user.

    Returns
    -------
    ExperimentUsers

    Raises
    ------
    DataError
        When a table lacks a required column or has blank ids, variants or assignment times,
        or ``experiment_id`` is not in the table (the message lists the ids that are).

    Examples
    --------
    >>> experiments = pd.DataFrame({
    ...     "experiment_id": ["e1"] * 4,
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "variant": ["control", "control", "treatment", "treatment"],
    ...     "assigned_at": pd.to_datetime(["2024-03-01 10:00", "2024-03-01 11:00",
    ...                                    "2024-03-02 09:00", "2024-03-02 12:00"]),
    ... })
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "c", "c", "d"],
    ...     "ordered_at": pd.to_datetime(["2024-02-20", "2024-03-03", "2024-03-05", "2024-04-30"]),
    ...     "amount": [30.0, 50.0, 20.0, 99.0],
    ... })
    >>> res = user_outcomes(experiments, orders, "e1", window_days=7)
    >>> print(res.users[["customer_id", "variant", "orders", "revenue", "pre_revenue", "is_new"]].to_string())
      customer_id    variant  orders  revenue  pre_revenue  is_new
    0           a    control       0      0.0         30.0   False
    1           b    control       0      0.0          0.0    True
    2           c  treatment       2     70.0          0.0    True
    3           d  treatment       0      0.0          0.0    True
    """
    what = "the A/B test"
    window_days = check_days("window_days", window_days, 1)
    pre_days = check_days("pre_days", pre_days, 0)
    require_table(experiments, _EXPERIMENT_COLUMNS, "experiments", what)
    require_table(orders, _ORDER_COLUMNS, "orders", what)
    if customers is not None:
        require_table(customers, (CUSTOMER_ID,), "customers", what)

    rows = experiments.loc[(experiments[EXPERIMENT_ID] == experiment_id).fillna(False).to_numpy(bool)]
    if rows.empty:
        known = experiment_ids(experiments)
        listed = ", ".join(known) if known else "none"
        raise DataError(
            f"experiments: experiment '{experiment_id}' not found (experiment ids in the table:"
            f" {listed}).",
            file="experiments",
            column=EXPERIMENT_ID,
            fix="set experiment_id to one of the ids in the table"
            + (f": {listed}." if known else ", or export the experiment's assignments."),
        )
    assigned = timestamps(rows[ASSIGNED_AT])
    for col, values in ((CUSTOMER_ID, rows[CUSTOMER_ID]), (VARIANT, rows[VARIANT]), (ASSIGNED_AT, assigned)):
        blank = int(values.isna().sum())
        if blank:
            raise DataError(
                f"experiments: {blank} row(s) of experiment '{experiment_id}' have no {col}"
                + (" (or one that is not a timestamp)." if col == ASSIGNED_AT else "."),
                file="experiments",
                column=col,
                fix=f"fill in {col} or remove those rows from the experiments export.",
            )

    frame = pd.DataFrame(
        {
            CUSTOMER_ID: rows[CUSTOMER_ID].astype(_TEXT).to_numpy(),
            VARIANT: rows[VARIANT].astype(_TEXT).to_numpy(),
            ASSIGNED_AT: assigned.to_numpy(),
        }
    )
    per = frame.groupby(CUSTOMER_ID, sort=True).agg(
        n_variants=(VARIANT, "nunique"), variant=(VARIANT, "first"), assigned_at=(ASSIGNED_AT, "min")
    )
    single = per["n_variants"].to_numpy() == 1
    multi_variant = int((~single).sum())
    per = per.loc[single]
    ids = pd.Index(per.index, dtype=_TEXT, name=CUSTOMER_ID)
    at = per[ASSIGNED_AT].to_numpy()
    n = len(ids)

    # Orders of the users only, each tagged with its user's position.
    ordered = timestamps(orders[ORDERED_AT])
    data_end = ordered.max() if len(ordered) else pd.NaT
    code = positions(orders[CUSTOMER_ID], ids)
    t = ordered.to_numpy()
    paid = paid_mask(orders).to_numpy(bool)
    mine = (code >= 0) & ~np.isnat(t)
    code, t, paid = code[mine], t[mine], paid[mine]
    amount = pd.to_numeric(orders[AMOUNT], errors="coerce").to_numpy(np.float64)[mine]
    counted = paid if paid_only else np.ones(code.size, bool)
    a = at[code]
    window = np.timedelta64(window_days, "D")
    in_window = counted & (t >= a) & (t < a + window)
    in_pre = counted & (t >= a - np.timedelta64(pre_days, "D")) & (t < a)
    if np.isnan(amount[in_window | in_pre]).any():
        raise DataError(
            "orders: some orders of experiment users have no amount (or one that is not a number).",
            file="orders",
            column=AMOUNT,
            fix="fill in amount (CNY) for every order, or load the store with load_store,"
            " which sets such rows aside.",
        )

    users = pd.DataFrame(
        {
            CUSTOMER_ID: pd.Series(ids, dtype=_TEXT),
            VARIANT: pd.Series(per[VARIANT].to_numpy(), dtype=_TEXT),
            ASSIGNED_AT: at,
        }
    )
    n_orders = np.bincount(code[in_window], minlength=n).astype(np.int64)
    users[CONVERTED] = n_orders > 0
    users[ORDERS] = n_orders
    users[REVENUE] = np.bincount(code[in_window], weights=amount[in_window], minlength=n)
    users[PRE_ORDERS] = np.bincount(code[in_pre], minlength=n).astype(np.int64)
    users[PRE_REVENUE] = np.bincount(code[in_pre], weights=amount[in_pre], minlength=n)
    users[IS_NEW] = np.bincount(code[paid & (t < a)], minlength=n) == 0
    missing = None
    if order_items is not None and products is not None:
        cost = order_costs(orders, order_items, products, rows=np.flatnonzero(mine)[in_window])
        missing = int(np.isnan(cost).sum())
        if not missing:
            users[COST] = np.bincount(code[in_window], weights=cost, minlength=n)
            users = with_profit(users)
    if customers is not None:
        users = _with_segments(users, customers)

    ends = at + window
    incomplete = n if pd.isna(data_end) else int((ends > np.datetime64(data_end)).sum())
    span = (pd.Timestamp(at.min()), pd.Timestamp(ends.max())) if n else (pd.NaT, pd.NaT)
    return ExperimentUsers(
        experiment_id=str(experiment_id),
        users=users,
        variants=variant_order(frame[VARIANT]),
        multi_variant=multi_variant,
        window=span,
        data_end=pd.Timestamp(data_end),
        incomplete_windows=incomplete,
        window_days=window_days,
        pre_days=pre_days,
        paid_only=bool(paid_only),
        cost_missing_orders=missing,
    )


def _with_segments(users: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """city_tier and acquisition_channel of each user; ``"unknown"`` when missing or blank."""
    pos = positions(users[CUSTOMER_ID], customers[CUSTOMER_ID])  # a repeated id: its first row
    found = pos >= 0
    out = users.copy()
    for col in SEGMENT_COLUMNS:
        values = np.full(len(users), UNKNOWN, dtype=object)
        if col in customers.columns:  # only the users' rows are read (not a million customers')
            picked = customers[col].iloc[pos[found]]
            text = picked.astype(_TEXT).str.strip()
            blank = picked.isna().to_numpy() | (text == "").to_numpy(bool)
            values[found] = text.mask(blank, UNKNOWN).to_numpy(object)
        out[col] = pd.Series(values, dtype=_TEXT)
    return out


def planned_split(
    variants: Sequence[str], split: Mapping[str, float] | Sequence[float] | None = None
) -> dict[str, float]:
    """Planned share of users per variant (0–1), for the sample-ratio check.

    Parameters
    ----------
    variants : the experiment's variants (e.g. ``ExperimentUsers.variants``).
    split : shares by variant name, or a list in ``variants`` order; None for an equal split.

    Returns
    -------
    dict variant → share, in ``variants`` order.

    Raises
    ------
    ParamsError
        When the names do not match the variants, a share is not a positive number, or the
        shares do not sum to 1 (within 1e-9).

    Examples
    --------
    >>> planned_split(["control", "treatment"])
    {'control': 0.5, 'treatment': 0.5}
    >>> planned_split(["control", "b", "c"], [0.5, 0.25, 0.25])
    {'control': 0.5, 'b': 0.25, 'c': 0.25}
    """
    names = [str(v) for v in variants]
    if not names:
        raise ParamsError("planned split: the experiment has no variants.")
    if len(set(names)) != len(names):
        raise ParamsError(f"planned split: variants repeat: {names}.")
    if split is None:
        return {v: 1 / len(names) for v in names}
    if isinstance(split, Mapping):
        given = {str(k): v for k, v in split.items()}
        missing = [v for v in names if v not in given]
        extra = [k for k in given if k not in names]
        if missing or extra:
            raise ParamsError(
                f"planned split: names do not match the variants {names}"
                + (f"; missing {missing}" if missing else "")
                + (f"; not a variant {extra}" if extra else "")
                + ". Give one share per variant, e.g. {"
                + ", ".join(f"{v}: {1 / len(names):.4g}" for v in names)
                + "}."
            )
        values = [given[v] for v in names]
    else:
        values = list(split)
        if len(values) != len(names):
            raise ParamsError(
                f"planned split: {len(values)} share(s) for {len(names)} variants {names}."
            )
    shares: dict[str, float] = {}
    for name, value in zip(names, values, strict=True):
        try:
            share = float(value)
        except (TypeError, ValueError):
            share = float("nan")
        if isinstance(value, bool) or not np.isfinite(share) or not share > 0:
            raise ParamsError(f"planned split: share of {name!r} must be a number > 0, got {value!r}.")
        shares[name] = share
    total = sum(shares.values())
    if abs(total - 1) > SPLIT_TOLERANCE:
        raise ParamsError(
            f"planned split: shares sum to {total:.12g}, not 1. Give shares 0–1 (e.g. 0.5, not 50)."
        )
    return shares
