"""The 3 / 7 / 14-day SOP cadence (新客 3-day activation, 活跃 7-day 促单, 沉默 14-day return
visit): were customers touched in time after entering a stage, and what followed?

Definitions shared by every function here:

- paid order: ``status == "paid"`` (every order without a status column) with a
  ``customer_id`` and an ``ordered_at``; orders after the end of day ``end`` are ignored;
- stage entries (:func:`stage_entries`): *new* at a customer's first paid order, *active* at
  the second, *silent* each time ``silent_days`` (default :data:`SILENT_DAYS` = 60) days pass
  without a paid order: entered_at = previous paid order + ``silent_days`` × 24 h, when the next
  paid order (if any) comes later than that (one entry per such gap);
- touched: a touch of the given kinds (default one-to-one chat, ``"1v1"``) to the customer in
  (entered_at, entered_at + w days], w = the stage's SOP window :data:`STAGE_WINDOWS`
  (new 3, active 7, silent 14 days); touched_day = ⌈(first such touch − entered_at) ÷ 24 h⌉
  (1 = within the first 24 hours), so touched ⇔ touched_day ≤ w;
- bought within n days: a paid order in (entered_at, entered_at + n days] (the entry order
  itself, at entered_at, does not count);
- complete follow-up: entered_at + max(n) days ≤ midnight after ``end``;
- shares 0–1; a share with an empty denominator is NaN.

What follows a touch here is OBSERVATIONAL: staff choose whom to touch, and they touch the
customers who reply, who asked a question, who were about to buy anyway. The touched minus
not-touched difference mixes the effect of the touch with that choice, in either direction
(touching the engaged inflates it; touching lapsed heavy buyers, who seldom return, or leaving out
customers who are not contacts at all, can deflate it); only a randomised holdout
(:mod:`wxshop.ab.holdout`) measures the effect of touching.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, check_days, paid_mask, period_end_day, require_columns
from wxshop.analysis.private_domain.contacts import events_between, linked_ids, nanoseconds, paid_between
from wxshop.data.schema import CUSTOMER_ID, ORDERED_AT, TOUCH_KINDS
from wxshop.errors import DataError

__all__ = [
    "BY_DAYS", "PRIOR_DAYS", "SILENT_DAYS", "STAGES", "STAGE_WINDOWS", "cadence_outcomes",
    "exclude_experiment", "stage_entries", "touched_within",
]

STAGE_WINDOWS: dict[str, int] = {"new": 3, "active": 7, "silent": 14}
STAGES = tuple(STAGE_WINDOWS)
SILENT_DAYS = 60
PRIOR_DAYS = 365  # prior_orders: paid orders in the 365 days before entered_at
BY_DAYS = (3, 7, 14)  # touched_by_k: share of entrants first touched by day k
ENTERED_AT = "entered_at"
_NS_DAY = 86_400 * 10**9
_NAT = np.iinfo(np.int64).min


def stage_entries(orders: pd.DataFrame, *, start: DateLike, end: DateLike,
                  silent_days: int = SILENT_DAYS) -> pd.DataFrame:
    """Every entry into an SOP stage (new, active, silent) with entered_at in [start, end].

    Parameters
    ----------
    orders : customer_id, ordered_at[, status]; paid orders up to the end of day ``end``.
    start, end : first and last day of the window (inclusive days).
    silent_days : days without a paid order that make a customer silent (whole number ≥ 1).

    Returns
    -------
    One row per entry, sorted by entered_at, customer_id, stage: ``customer_id``, ``stage``
    (new / active / silent, definitions in the module), ``entered_at`` (timestamp),
    ``prior_orders`` = paid orders in [entered_at − 365 days, entered_at) (count).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-10", "2025-04-01", "2025-02-01"])})
    >>> print(stage_entries(orders, start="2025-01-01", end="2025-04-30").to_string())
      customer_id   stage entered_at  prior_orders
    0           a     new 2025-01-01             0
    1           a  active 2025-01-10             1
    2           b     new 2025-02-01             0
    3           a  silent 2025-03-11             2
    4           b  silent 2025-04-02             1
    """
    what = "stage_entries"
    silent_days = check_days(f"{what}: silent_days", silent_days)
    require_columns(orders, (CUSTOMER_ID, ORDERED_AT), what)
    lo, hi = period_end_day(start) * _NS_DAY, (period_end_day(end) + 1) * _NS_DAY
    if lo >= hi:
        raise ValueError(f"{what}: start ({start}) is after end ({end})")
    ids = linked_ids(orders[CUSTOMER_ID]).to_numpy(object)
    at = nanoseconds(orders[ORDERED_AT])
    keep = paid_mask(orders).to_numpy(bool) & pd.notna(ids) & (at != _NAT) & (at < hi)
    ids, at = ids[keep], at[keep]
    code, names = pd.factorize(ids)
    order = np.lexsort((at, code))
    code, at = code[order], at[order]
    first = np.r_[True, code[1:] != code[:-1]] if code.size else np.zeros(0, bool)
    rank = np.arange(code.size) - np.maximum.accumulate(np.where(first, np.arange(code.size), 0))
    gap = silent_days * _NS_DAY
    nxt = np.r_[np.where(code[1:] == code[:-1], at[1:], np.iinfo(np.int64).max), np.iinfo(np.int64).max]
    silent = nxt > at + gap
    parts = [(rank == 0, at, "new"), (rank == 1, at, "active"), (silent, at + gap, "silent")]
    who = np.concatenate([code[m] for m, _, _ in parts])
    when = np.concatenate([t[m] for m, t, _ in parts])
    stage = np.concatenate([np.full(int(m.sum()), s, object) for m, _, s in parts])
    inside = (when >= lo) & (when < hi)
    who, when, stage = who[inside], when[inside], stage[inside]
    out = pd.DataFrame({CUSTOMER_ID: pd.Series(np.asarray(names, object)[who], dtype="str"),
                        "stage": pd.Series(stage, dtype="str"),
                        ENTERED_AT: when.astype("datetime64[ns]")})
    prior = paid_between(orders, out[CUSTOMER_ID], when - PRIOR_DAYS * _NS_DAY, when, end=end,
                         closed="left", what=what)[0]
    out["prior_orders"] = prior.astype(np.int64)
    out["_rank"] = out["stage"].map({s: i for i, s in enumerate(STAGES)})
    out = out.sort_values([ENTERED_AT, CUSTOMER_ID, "_rank"], kind="stable").drop(columns="_rank")
    return out.reset_index(drop=True)


def _cadence_entries(entries: pd.DataFrame, what: str, windows: Mapping[str, int]) -> np.ndarray:
    """Each entry's stage window in days; ValueError naming a stage ``windows`` lacks."""
    require_columns(entries, (CUSTOMER_ID, "stage", ENTERED_AT), what)
    stage = entries["stage"].astype("str")
    unknown = sorted(set(stage.dropna()) - set(windows))
    if unknown or stage.isna().any():
        raise ValueError(f"{what}: stage(s) {unknown or ['missing']} have no window "
                         f"(windows: {dict(windows)})")
    return np.array([check_days(f"{what}: window of {s}", windows[s]) for s in stage], np.int64)


def touched_within(entries: pd.DataFrame, touches: pd.DataFrame, *, kinds: Sequence[str] = ("1v1",),
                   windows: Mapping[str, int] = STAGE_WINDOWS) -> pd.DataFrame:
    """``entries`` with ``touched`` and ``touched_day`` added.

    ``touched`` (bool): a touch whose ``kind`` is one of ``kinds`` to the customer in
    (entered_at, entered_at + w days], w = ``windows[stage]`` (days). ``touched_day``: days from
    entered_at to the first such touch, rounded up (⌈Δt ÷ 24 h⌉, 1 … w; NaN when not touched).

    Parameters
    ----------
    entries : customer_id, stage, entered_at (as :func:`stage_entries` gives them).
    touches : customer_id, ts, kind.
    kinds : touch kinds that count (of ``"1v1"``, ``"群发"``, ``"朋友圈"``, ``"公众号"``).
    windows : SOP window per stage in days (:data:`STAGE_WINDOWS`).

    Examples
    --------
    >>> entries = pd.DataFrame({"customer_id": ["a", "b", "c"], "stage": ["new", "new", "silent"],
    ...     "entered_at": pd.to_datetime(["2025-01-01 10:00"] * 3)})
    >>> touches = pd.DataFrame({"customer_id": ["a", "b", "c", "c"], "kind": ["1v1", "1v1", "群发", "1v1"],
    ...     "ts": pd.to_datetime(["2025-01-02 09:00", "2025-01-05 09:00", "2025-01-02 00:00",
    ...                           "2025-01-08 00:00"])})
    >>> print(touched_within(entries, touches)[["customer_id", "touched", "touched_day"]].to_string())
      customer_id  touched  touched_day
    0           a     True          1.0
    1           b    False          NaN
    2           c     True          7.0
    """
    what = "touched_within"
    window = _cadence_entries(entries, what, windows)
    require_columns(touches, (CUSTOMER_ID, "ts", "kind"), what)
    bad = sorted(set(kinds) - set(TOUCH_KINDS))
    if bad or not len(kinds):
        raise ValueError(f"{what}: kinds must be some of {', '.join(TOUCH_KINDS)}, got {list(kinds)}")
    mine = touches["kind"].astype("str").isin(list(kinds)).to_numpy(bool)
    entered = nanoseconds(entries[ENTERED_AT])
    count, first = events_between(touches[CUSTOMER_ID][mine], nanoseconds(touches["ts"])[mine],
                                  entries[CUSTOMER_ID], entered, entered + window * _NS_DAY)
    out = entries.copy()
    out["touched"] = count > 0
    out["touched_day"] = np.where(count > 0, -((entered - first) // _NS_DAY), np.nan)
    return out


def cadence_outcomes(entries: pd.DataFrame, orders: pd.DataFrame, *, end: DateLike,
                     outcome_days: Sequence[int] = (14, 30)) -> pd.DataFrame:
    """Per stage: how many entrants were touched in time, and who bought afterwards.

    OBSERVATIONAL: staff choose whom to touch (they touch engaged customers), so
    ``bought_n_touched − bought_n_not`` is not the effect of touching; compare it with a
    randomised holdout (:func:`wxshop.ab.holdout.holdout_effect`), and make it outside that
    experiment (:func:`exclude_experiment`).

    Parameters
    ----------
    entries : :func:`touched_within` output (customer_id, stage, entered_at, touched, touched_day).
    orders : customer_id, ordered_at[, status]; paid orders up to the end of day ``end``.
    end : last day of data (inclusive).
    outcome_days : outcome windows n in days (distinct whole numbers ≥ 1).

    Returns
    -------
    Index ``stage``: new, active, silent, then ``all``. Over the entrants with a complete
    follow-up (entered_at + max(n) days ≤ end + 1 day):

    - ``entrants``, ``touched``, ``not_touched`` (counts); ``touched_share`` = touched ÷ entrants;
    - ``touched_by_3``, ``touched_by_7``, ``touched_by_14``: share of entrants with touched_day
      ≤ 3 / 7 / 14 (a touch after the stage's own window does not count, so for new entrants
      all three equal touched_share);
    - per n: ``buyers_n_touched``, ``buyers_n_not`` (counts of touched / not-touched entrants
      with a paid order in (entered_at, entered_at + n days]) and ``bought_n_touched`` =
      buyers_n_touched ÷ touched, ``bought_n_not`` = buyers_n_not ÷ not_touched (shares).

    Examples
    --------
    >>> entries = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "stage": ["new"] * 4,
    ...     "entered_at": pd.to_datetime(["2025-01-01"] * 4), "touched": [True, True, False, False],
    ...     "touched_day": [1.0, 3.0, np.nan, np.nan]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-10", "2025-01-20"])})
    >>> out = cadence_outcomes(entries, orders, end="2025-03-31")
    >>> print(out.loc["new", ["entrants", "touched_share", "bought_14_touched", "bought_14_not",
    ...                       "bought_30_not"]].to_string())
    entrants             4.0
    touched_share        0.5
    bought_14_touched    0.5
    bought_14_not        0.0
    bought_30_not        0.5
    """
    what = "cadence_outcomes"
    require_columns(entries, (CUSTOMER_ID, "stage", ENTERED_AT, "touched", "touched_day"),
                    f"{what} (run touched_within first)")
    if isinstance(outcome_days, int | np.integer):
        outcome_days = (int(outcome_days),)
    days = tuple(check_days(f"{what}: each of outcome_days", n) for n in outcome_days)
    if not days or len(set(days)) != len(days):
        raise ValueError(f"{what}: outcome_days must hold distinct days, got {outcome_days!r}")
    entered = nanoseconds(entries[ENTERED_AT])
    complete = (entered != _NAT) & (entered + max(days) * _NS_DAY <= (period_end_day(end) + 1) * _NS_DAY)
    e = entries.loc[complete].reset_index(drop=True)
    at = entered[complete]
    per = pd.DataFrame({"stage": e["stage"].astype("str").to_numpy(), "entrants": 1,
                        "touched": e["touched"].fillna(False).astype(bool).to_numpy()})
    per["not_touched"] = ~per["touched"]
    day = pd.to_numeric(e["touched_day"], errors="coerce").to_numpy(float)
    for k in BY_DAYS:
        per[f"touched_by_{k}"] = per["touched"].to_numpy() & (day <= k)
    for n in days:
        bought = paid_between(orders, e[CUSTOMER_ID], at, at + n * _NS_DAY, end=end, what=what)[0] > 0
        per[f"buyers_{n}_touched"] = bought & per["touched"].to_numpy()
        per[f"buyers_{n}_not"] = bought & per["not_touched"].to_numpy()
    counts = per.drop(columns="stage").astype(np.int64)
    stages = list(STAGES) + sorted(set(per["stage"]) - set(STAGES))
    out = counts.groupby(per["stage"]).sum().reindex(stages, fill_value=0)
    out.loc["all"] = counts.sum()
    out = out.astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        def share(num: str, den: str) -> pd.Series:
            return out[num] / out[den].where(out[den] > 0)
        result = out[["entrants", "touched", "not_touched"]].copy()
        result["touched_share"] = share("touched", "entrants")
        for k in BY_DAYS:
            result[f"touched_by_{k}"] = share(f"touched_by_{k}", "entrants")
        for n in days:
            result[f"buyers_{n}_touched"] = out[f"buyers_{n}_touched"]
            result[f"buyers_{n}_not"] = out[f"buyers_{n}_not"]
            result[f"bought_{n}_touched"] = share(f"buyers_{n}_touched", "touched")
            result[f"bought_{n}_not"] = share(f"buyers_{n}_not", "not_touched")
    result.index = pd.Index(result.index, dtype="str", name="stage")
    return result


def exclude_experiment(entries: pd.DataFrame, experiments: pd.DataFrame, experiment_id: str) -> pd.DataFrame:
    """``entries`` without the customers enrolled in experiment ``experiment_id`` (any variant),
    so that the naive touched / not-touched comparison is made outside the randomised holdout.

    DataError when the experiments table has no rows of ``experiment_id``.

    Examples
    --------
    >>> entries = pd.DataFrame({"customer_id": ["a", "b", "c"], "stage": ["new"] * 3})
    >>> experiments = pd.DataFrame({"experiment_id": ["sop", "sop", "other"],
    ...                             "customer_id": ["a", "x", "b"]})
    >>> exclude_experiment(entries, experiments, "sop")["customer_id"].tolist()
    ['b', 'c']
    """
    require_columns(entries, (CUSTOMER_ID,), "exclude_experiment")
    require_columns(experiments, ("experiment_id", CUSTOMER_ID), "exclude_experiment")
    rows = (linked_ids(experiments["experiment_id"]) == str(experiment_id).strip()).fillna(False)
    if not rows.any():
        known = sorted(set(linked_ids(experiments["experiment_id"]).dropna()))
        raise DataError(f"experiments: experiment '{experiment_id}' not found (experiment ids in the table: "
                        f"{', '.join(known) or 'none'}).", file="experiments", column="experiment_id",
                        fix="set the experiment id to one of the ids in the table.")
    enrolled = set(linked_ids(experiments.loc[rows.to_numpy(bool), CUSTOMER_ID]).dropna())
    keep = ~linked_ids(entries[CUSTOMER_ID]).isin(enrolled).to_numpy(bool)
    return entries.loc[keep].reset_index(drop=True)
