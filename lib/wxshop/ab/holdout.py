"""The causal effect of the SOP touches, where they were randomised: a holdout experiment.

A share of customers is drawn at random into a ``holdout`` arm that staff do not touch; the
others are touched as the SOP says. Because the draw, not staff, decides who is touched, the
difference in purchase rates between the arms is the effect of touching (intention to treat:
every assigned user counts in the arm drawn, touched or not). The observational comparison of
touched and not-touched customers (:func:`wxshop.analysis.private_domain.cadence.cadence_outcomes`)
is shown beside it as ``naive``: staff choose whom to touch, so it is off the effect, by an amount
and in a direction only the holdout reveals.

Definitions:

- user: a ``customer_id`` with rows of the experiment; one seen in more than one variant
  cannot be attributed and is left out (counted in ``attrs["multi_variant"]``); assigned_at =
  the user's first assignment;
- complete: assigned_at + ``days`` days ≤ midnight after ``end`` (the whole window observed);
- buyer: a paid order (``status == "paid"``, every order without a status column) in
  (assigned_at, assigned_at + ``days`` days], orders after the end of day ``end`` ignored;
- rate = buyers ÷ users (share 0–1); the test is the two-proportion z-test of
  :func:`wxshop.ab.stats.frequentist.conversion_test` (pooled z for the p-value, Wald interval
  for the difference, delta-method relative lift).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from wxshop.ab.columns import ASSIGNED_AT, EXPERIMENT_ID, VARIANT
from wxshop.ab.outcomes import experiment_ids
from wxshop.ab.stats.arms import arm_stats_from_counts
from wxshop.ab.stats.frequentist import conversion_test
from wxshop.ab.table_checks import require_table
from wxshop.analysis.paid import DateLike, check_days, period_end_day
from wxshop.analysis.private_domain.contacts import linked_ids, nanoseconds, paid_between
from wxshop.data.schema import CUSTOMER_ID, ORDERED_AT
from wxshop.errors import DataError

__all__ = ["EFFECT_KEYS", "HOLDOUT", "holdout_effect", "holdout_outcomes", "naive_effect"]

HOLDOUT = "holdout"  # the untouched arm
EFFECT_KEYS = ("estimate", "control", "treatment", "pooled", "n_control", "n_treatment", "buyers_control",
               "buyers_treatment", "rate_control", "rate_treatment", "diff", "ci_low", "ci_high", "p_value",
               "rel_lift", "significant", "alpha")
_NS_DAY = 86_400 * 10**9


def holdout_outcomes(experiments: pd.DataFrame, orders: pd.DataFrame, *, experiment_id: str, end: DateLike,
                     days: int = 30, control: str = HOLDOUT) -> pd.DataFrame:
    """Per variant of a touch holdout experiment: users with a complete window, and buyers.

    Parameters
    ----------
    experiments : experiment_id, customer_id, variant, assigned_at.
    orders : customer_id, ordered_at[, status]; paid orders up to the end of day ``end``.
    experiment_id : the holdout experiment.
    end : last day of data (inclusive).
    days : outcome window n in days (whole number ≥ 1).
    control : the untouched arm's variant name (listed first).

    Returns
    -------
    Index ``variant`` (control first, the others sorted); columns ``assigned`` (users of the
    variant, count), ``users`` (those with assigned_at + n days ≤ end + 1 day), ``buyers``
    (users with a paid order in (assigned_at, assigned_at + n days]) and ``rate`` = buyers ÷
    users (share 0–1, NaN without users). ``attrs["multi_variant"]``: users left out for being
    in several variants. DataError when the experiment is not in the table or has no
    ``control`` arm.

    Examples
    --------
    >>> experiments = pd.DataFrame({"experiment_id": ["sop"] * 5, "customer_id": list("abcde"),
    ...     "variant": ["holdout", "holdout", "touch", "touch", "touch"],
    ...     "assigned_at": pd.to_datetime(["2025-01-01"] * 4 + ["2025-03-20"])})
    >>> orders = pd.DataFrame({"customer_id": ["a", "c", "d", "e"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-20", "2025-03-21"])})
    >>> print(holdout_outcomes(experiments, orders, experiment_id="sop", end="2025-03-31").to_string())
             assigned  users  buyers  rate
    variant
    holdout         2      2       0   0.0
    touch           3      2       2   1.0
    """
    what = "the holdout estimate"
    days = check_days("holdout_outcomes: days", days)
    require_table(experiments, (EXPERIMENT_ID, CUSTOMER_ID, VARIANT, ASSIGNED_AT), "experiments", what)
    require_table(orders, (CUSTOMER_ID, ORDERED_AT), "orders", what)
    mine = (linked_ids(experiments[EXPERIMENT_ID]) == str(experiment_id).strip()).fillna(False).to_numpy(bool)
    if not mine.any():
        known = ", ".join(experiment_ids(experiments)) or "none"
        raise DataError(f"experiments: experiment '{experiment_id}' not found (experiment ids in the table:"
                        f" {known}).", file="experiments", column=EXPERIMENT_ID,
                        fix=f"set experiment_id to one of the ids in the table: {known}.")
    rows = pd.DataFrame({CUSTOMER_ID: linked_ids(experiments.loc[mine, CUSTOMER_ID]).to_numpy(object),
                         VARIANT: linked_ids(experiments.loc[mine, VARIANT]).to_numpy(object),
                         "at": nanoseconds(experiments.loc[mine, ASSIGNED_AT])})
    known_at = rows["at"] != np.iinfo(np.int64).min
    rows = rows.loc[rows[CUSTOMER_ID].notna() & rows[VARIANT].notna() & known_at]
    variants = sorted(set(rows[VARIANT]))
    if control not in variants:
        raise DataError(f"experiments: experiment '{experiment_id}' has no '{control}' arm (variants: "
                        f"{', '.join(variants) or 'none'}).", file="experiments", column=VARIANT,
                        fix="set control to the variant of the customers left untouched.")
    per = rows.groupby(CUSTOMER_ID, sort=True).agg(n=(VARIANT, "nunique"), variant=(VARIANT, "first"),
                                                    at=("at", "min"))
    single = per["n"].to_numpy() == 1
    per = per.loc[single]
    at = per["at"].to_numpy(np.int64)
    complete = at + days * _NS_DAY <= (period_end_day(end) + 1) * _NS_DAY
    ids = pd.Series(per.index.to_numpy(object), dtype="str")
    bought = paid_between(orders, ids, at, at + days * _NS_DAY, end=end, what="holdout_outcomes")[0] > 0
    counts = pd.DataFrame({VARIANT: per["variant"].to_numpy(object), "assigned": 1, "users": complete,
                           "buyers": complete & bought})
    order = [control, *[v for v in variants if v != control]]
    out = counts.groupby(VARIANT).sum().reindex(order, fill_value=0).astype(np.int64)
    out["rate"] = out["buyers"] / out["users"].where(out["users"] > 0)
    out.index = pd.Index(order, dtype="str", name=VARIANT)
    out.attrs["multi_variant"] = int((~single).sum())
    return out


def _holdout_result(estimate: str, control: str, n_c: int, x_c: int, treatment: str, n_t: int, x_t: int,
                    alpha: float, pooled: bool = False) -> dict[str, Any]:
    """conversion_test of treatment against control counts as a plain dict (:data:`EFFECT_KEYS`);
    NaN statistics when an arm has no users."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    out: dict[str, Any] = {"estimate": estimate, "control": control, "treatment": treatment, "pooled": pooled,
                           "n_control": int(n_c), "n_treatment": int(n_t), "buyers_control": int(x_c),
                           "buyers_treatment": int(x_t), "alpha": alpha}
    out["rate_control"] = x_c / n_c if n_c else math.nan
    out["rate_treatment"] = x_t / n_t if n_t else math.nan
    stats = dict.fromkeys(("diff", "ci_low", "ci_high", "p_value", "rel_lift"), math.nan)
    if n_c > 0 and n_t > 0:
        r = conversion_test(arm_stats_from_counts(control, int(n_c), int(x_c)),
                            arm_stats_from_counts(treatment, int(n_t), int(x_t)), alpha=alpha)
        stats = {k: float(getattr(r, k)) for k in stats}
    out.update(stats)
    out["significant"] = bool(stats["p_value"] < alpha)  # NaN < alpha is False
    return {k: out[k] for k in EFFECT_KEYS}


def holdout_effect(outcomes: pd.DataFrame, *, control: str = HOLDOUT, alpha: float = 0.05) -> dict[str, Any]:
    """The randomised effect of touching: treatment rate − control (holdout) rate.

    ``outcomes``: :func:`holdout_outcomes` (index variant; users, buyers). The treatment arm is
    every non-control arm; with several they are POOLED into one (users and buyers summed,
    ``pooled`` True, ``treatment`` their names joined by ``+``). Test:
    :func:`~wxshop.ab.stats.frequentist.conversion_test` on
    :func:`~wxshop.ab.stats.arms.arm_stats_from_counts`.

    Returns
    -------
    dict with :data:`EFFECT_KEYS`: ``estimate`` = ``"randomised"``; ``n_*``, ``buyers_*``
    (counts), ``rate_*`` (shares); ``diff`` = rate_treatment − rate_control (share points as a
    share, e.g. 0.03 = 3 points) with its 1 − ``alpha`` Wald interval ``ci_low``, ``ci_high``;
    ``p_value`` (pooled two-proportion z-test, two-sided); ``rel_lift`` = rate_treatment ÷
    rate_control − 1 (NaN when the control rate is too small to divide by); ``significant`` =
    p_value < alpha. Statistics are NaN when an arm has no users.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"users": [1000, 1000], "buyers": [100, 130]},
    ...                         index=pd.Index(["holdout", "touch"], name="variant"))
    >>> r = holdout_effect(outcomes)
    >>> r["treatment"], round(r["diff"], 4), round(r["p_value"], 4), round(r["rel_lift"], 2), r["significant"]
    ('touch', 0.03, 0.0355, 0.3, True)
    """
    if not {"users", "buyers"} <= set(outcomes.columns):
        raise KeyError("holdout_effect needs the columns users and buyers (holdout_outcomes)")
    names = [str(v) for v in outcomes.index]
    if control not in names:
        raise DataError(f"holdout_effect: no '{control}' arm among {', '.join(names) or 'none'}.",
                        fix="set control to the variant of the customers left untouched.")
    others = [v for v in names if v != control]
    if not others:
        raise DataError(f"holdout_effect: only the '{control}' arm; there is no treatment arm to compare.")
    is_c = np.array([v == control for v in names])
    users, buyers = outcomes["users"].to_numpy(np.int64), outcomes["buyers"].to_numpy(np.int64)
    return _holdout_result("randomised", control, int(users[is_c].sum()), int(buyers[is_c].sum()),
                           "+".join(others), int(users[~is_c].sum()), int(buyers[~is_c].sum()), alpha,
                           pooled=len(others) > 1)


def naive_effect(cadence_row: Mapping[str, Any] | pd.Series, *, days: int = 30,
                 alpha: float = 0.05) -> dict[str, Any]:
    """The same test on one row of :func:`~wxshop.analysis.private_domain.cadence.cadence_outcomes`:
    touched (treatment) against not-touched (control) entrants, bought within ``days`` days.

    NAIVE, not causal: staff chose whom to touch, so this difference is not the effect of
    touching (shown beside :func:`holdout_effect` to make that visible). Counts: ``touched``,
    ``not_touched``, ``buyers_{days}_touched``, ``buyers_{days}_not``; returns the keys of
    :func:`holdout_effect` with ``estimate`` = ``"naive"``, ``control`` = ``"not_touched"``,
    ``treatment`` = ``"touched"``.

    Examples
    --------
    >>> row = {"touched": 1000, "not_touched": 1000, "buyers_30_touched": 130, "buyers_30_not": 100}
    >>> r = naive_effect(row)
    >>> r["estimate"], round(r["diff"], 4), round(r["ci_low"], 4), round(r["p_value"], 4)
    ('naive', 0.03, 0.0021, 0.0355)
    """
    days = check_days("naive_effect: days", days)
    keys = ("touched", "not_touched", f"buyers_{days}_touched", f"buyers_{days}_not")
    missing = [k for k in keys if k not in cadence_row]
    if missing:
        raise KeyError(f"naive_effect needs {', '.join(missing)} (a cadence_outcomes row with {days} in "
                       "outcome_days)")
    n_t, n_c, x_t, x_c = (int(cadence_row[k]) for k in keys)
    return _holdout_result("naive", "not_touched", n_c, x_c, "touched", n_t, x_t, alpha)
