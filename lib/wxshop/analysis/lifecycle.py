"""Customer lifecycle: stage thresholds from the store's own interpurchase intervals, the
stage of every buyer (new, active, silent, dormant, lost), the stage summary with contact
cadence and actions, and migration between stages.

沉睡 (dormant) and 流失 (lost) are kept apart: a dormant customer is past the usual gap but
still worth a win-back offer; a lost one has been away ``lost_factor`` (default 2) times that
long and only gets low-cost reach. The day thresholds are the store's by default; per
customer they can follow the customer's main category's own cycle
(:func:`wxshop.analysis.churn.category_thresholds`), passed as ``customer_days``.

Conventions: :mod:`wxshop.analysis.paid` (paid orders, ``period_end`` day, calendar days,
CNY, shares 0–1); output rows are sorted by ``customer_id``; codes (stages, actions) are English
snake_case, mapped to display text in :mod:`wxshop.report.i18n`. Vectorised over factorised
customer ids, so a store with 1M customers and 5M orders takes a second or two per call.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, PaidOrders, check_days, paid_orders, require_columns
from wxshop.data.codes import positions
from wxshop.data.schema import CUSTOMER_ID

__all__ = [
    "DEFAULT_ACTIVE_DAYS",
    "DEFAULT_DORMANT_DAYS",
    "DEFAULT_LOST_FACTOR",
    "DAY_COLUMNS",
    "MAX_NEW_DAYS",
    "NOT_YET",
    "STAGES",
    "STAGE_ACTIONS",
    "STAGE_CADENCE",
    "StageThresholds",
    "lifecycle_stages",
    "lost_days_of",
    "stage_migration",
    "stage_summary",
    "stage_thresholds",
]

STAGES: tuple[str, ...] = ("new", "active", "silent", "dormant", "lost")  # 新客, 活跃, 沉默, 沉睡, 流失
NOT_YET = "not_yet"  # no paid order yet at the earlier date (stage_migration rows)
# Contact within N days of entering the stage (playbook); None = no cadence, campaign only.
STAGE_CADENCE: dict[str, int | None] = {"new": 3, "active": 7, "silent": 14, "dormant": None, "lost": None}
STAGE_ACTIONS: dict[str, str] = {
    "new": "activate_new",  # welcome + second-order coupon within 3 days
    "active": "push_regular",  # regular 朋友圈/社群 pushes, at least every 7 days
    "silent": "revisit",  # 1:1 revisit (企业微信) at day 14
    "dormant": "win_back_campaign",  # include in a win-back campaign
    "lost": "low_cost_reach",  # broadcast / 朋友圈 only; no paid coupons
}
DEFAULT_ACTIVE_DAYS = 30  # used when the store has no repeat purchases
DEFAULT_DORMANT_DAYS = 90
DEFAULT_LOST_FACTOR = 2.0  # lost_days = ceil(DEFAULT_LOST_FACTOR × dormant_days)
MAX_NEW_DAYS = 30  # new_days = min(MAX_NEW_DAYS, active_days)


@dataclass(frozen=True)
class StageThresholds:
    """Day thresholds of the lifecycle stages and where they came from.

    active_days, dormant_days, new_days, lost_days : days (see :func:`lifecycle_stages`).
    active_pct, dormant_pct : percentiles (0–1) of the store's interpurchase intervals
        used for active_days and dormant_days; None when that value was set by hand or
        fell back to the default.
    p_active, p_dormant : the raw percentile values in days before rounding up; NaN when
        there are no intervals.
    n_intervals : interpurchase intervals the percentiles came from.
    n_repeat_customers : customers with at least one interval.
    overridden : names of the values set by parameter (e.g. ``("new_days",)``).
    fallback : True when the store has no repeat purchases and a default
        (:data:`DEFAULT_ACTIVE_DAYS`, :data:`DEFAULT_DORMANT_DAYS`) was used.
    """

    active_days: int
    dormant_days: int
    new_days: int
    active_pct: float | None
    dormant_pct: float | None
    p_active: float
    p_dormant: float
    n_intervals: int
    n_repeat_customers: int
    overridden: tuple[str, ...]
    fallback: bool
    lost_days: int = 0  # 0: ceil(DEFAULT_LOST_FACTOR × dormant_days), filled in by __post_init__

    def __post_init__(self) -> None:
        if not self.lost_days:
            object.__setattr__(self, "lost_days", lost_days_of(self.dormant_days))
        if self.lost_days < self.dormant_days:
            raise ValueError(f"lost_days ({self.lost_days}) must be ≥ dormant_days ({self.dormant_days})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per field: name, value."""
        d = self.to_dict()
        return pd.DataFrame({"name": list(d), "value": [str(v) for v in d.values()]})


def lost_days_of(dormant_days: int, factor: float = DEFAULT_LOST_FACTOR) -> int:
    """Days after which a dormant customer counts as lost: ``ceil(factor × dormant_days)``.

    >>> lost_days_of(77), lost_days_of(77, 1.5)
    (154, 116)
    """
    if not factor >= 1:
        raise ValueError(f"lost_factor must be ≥ 1, got {factor!r}")
    return max(int(dormant_days), math.ceil(factor * dormant_days - 1e-9))


def stage_thresholds(
    orders: pd.DataFrame | PaidOrders,
    period_end: DateLike,
    active_pct: float = 0.8,
    dormant_pct: float = 0.95,
    active_days: int | None = None,
    dormant_days: int | None = None,
    new_days: int | None = None,
    lost_days: int | None = None,
    lost_factor: float = DEFAULT_LOST_FACTOR,
) -> StageThresholds:
    """Lifecycle thresholds from this store's own interpurchase intervals.

    Defaults: ``active_days = ceil(P[active_pct])`` and ``dormant_days =
    ceil(P[dormant_pct])`` of all intervals from :func:`wxshop.analysis.repurchase.interpurchase_intervals`
    (``numpy.quantile``, linear interpolation), ``new_days = min(30, active_days)``,
    ``lost_days = ceil(lost_factor × dormant_days)``. Any of the four can be set instead.
    With no repeat purchases at all, active and
    dormant fall back to 30 and 90 days and ``fallback`` is True.

    Observed intervals are censored at ``period_end`` (long gaps that have not ended yet
    are missing), so the percentiles lean short; dormant customers may still come back.
    Raises ValueError when dormant_days < active_days.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-10", "2025-03-30"]),
    ... })
    >>> th = stage_thresholds(orders, "2025-03-31")  # one interval of 55 days
    >>> th.active_days, th.dormant_days, th.new_days, th.lost_days, th.fallback
    (55, 55, 30, 110, False)
    """
    p = paid_orders(orders, period_end, "stage_thresholds")
    return _thresholds(p, active_pct, dormant_pct, active_days, dormant_days, new_days, lost_days,
                       lost_factor)


def _thresholds(
    p: PaidOrders,
    active_pct: float = 0.8,
    dormant_pct: float = 0.95,
    active_days: int | None = None,
    dormant_days: int | None = None,
    new_days: int | None = None,
    lost_days: int | None = None,
    lost_factor: float = DEFAULT_LOST_FACTOR,
) -> StageThresholds:
    for name, pct in (("active_pct", active_pct), ("dormant_pct", dormant_pct)):
        if not 0 < pct <= 1:
            raise ValueError(f"{name} must be in (0, 1], got {pct!r}")
    who, _, gaps = p.repeat_intervals()
    x = gaps.astype(np.float64)
    n = int(x.size)
    if n:
        p_active, p_dormant = (float(v) for v in np.quantile(x, [active_pct, dormant_pct]))
    else:
        p_active = p_dormant = float("nan")
    overridden = []
    fallback = False

    def pick(name: str, given: int | None, raw: float, default: int) -> tuple[int, bool]:
        nonlocal fallback
        if given is not None:
            overridden.append(name)
            return check_days(name, given), False
        if n:
            return max(1, math.ceil(raw - 1e-9)), True
        fallback = True
        return default, False

    a_days, a_data = pick("active_days", active_days, p_active, DEFAULT_ACTIVE_DAYS)
    d_days, d_data = pick("dormant_days", dormant_days, p_dormant, DEFAULT_DORMANT_DAYS)
    if new_days is not None:
        overridden.append("new_days")
        nw_days = check_days("new_days", new_days)
    else:
        nw_days = min(MAX_NEW_DAYS, a_days)
    if d_days < a_days:
        raise ValueError(f"dormant_days ({d_days}) must be ≥ active_days ({a_days})")
    if lost_days is not None:
        overridden.append("lost_days")
        l_days = check_days("lost_days", lost_days)
    else:
        l_days = lost_days_of(d_days, lost_factor)
    return StageThresholds(
        active_days=a_days,
        dormant_days=d_days,
        new_days=nw_days,
        active_pct=float(active_pct) if a_data else None,
        dormant_pct=float(dormant_pct) if d_data else None,
        p_active=p_active,
        p_dormant=p_dormant,
        n_intervals=n,
        n_repeat_customers=int(np.count_nonzero(np.diff(who, prepend=-1))),
        overridden=tuple(overridden),
        fallback=fallback,
        lost_days=l_days,
    )


DAY_COLUMNS = ("active_days", "dormant_days", "lost_days")


def _days(p: PaidOrders, th: StageThresholds, customer_days: pd.DataFrame | None) -> dict[str, Any]:
    """Per-customer thresholds: the store's scalars, or the arrays of ``customer_days``
    (customer_id + :data:`DAY_COLUMNS`) with the store's values for customers it lacks."""
    store = {c: getattr(th, c) for c in DAY_COLUMNS}
    if customer_days is None:
        return store
    require_columns(customer_days, (CUSTOMER_ID, *DAY_COLUMNS), "lifecycle customer_days")
    pos = positions(p.ids, customer_days[CUSTOMER_ID])
    out: dict[str, Any] = {}
    for c in DAY_COLUMNS:
        values = customer_days[c].to_numpy(np.float64)
        got = values[np.maximum(pos, 0)] if len(values) else np.zeros(pos.size)
        out[c] = np.where((pos >= 0) & np.isfinite(got), got, store[c]).astype(np.int64)
    if np.any(out["dormant_days"] < out["active_days"]) or np.any(out["lost_days"] < out["dormant_days"]):
        raise ValueError("lifecycle customer_days: need active_days ≤ dormant_days ≤ lost_days per customer")
    return out


def _stage_codes(first: np.ndarray, last: np.ndarray, asof: int, th: StageThresholds,
                 days: dict[str, Any] | None = None) -> np.ndarray:
    """Index into STAGES for customers with a purchase (first/last day ≤ asof)."""
    d = days if days is not None else {c: getattr(th, c) for c in DAY_COLUMNS}
    since_first = asof - first
    since_last = asof - last
    code = np.select(
        [since_last <= d["active_days"], since_last <= d["dormant_days"], since_last <= d["lost_days"]],
        [1, 2, 3], 4,
    )
    return np.where(since_first <= th.new_days, 0, code).astype(np.int64)


def lifecycle_stages(
    orders: pd.DataFrame | PaidOrders,
    period_end: DateLike,
    thresholds: StageThresholds | None = None,
    customer_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Lifecycle stage of every buyer at ``period_end``.

    Rules, in this order (days as in the module docstring, edges inclusive as written):
    ``new``: days_since_first ≤ new_days; else ``active``: days_since_last ≤ active_days;
    ``silent``: active_days < days_since_last ≤ dormant_days; ``dormant`` (沉睡):
    dormant_days < days_since_last ≤ lost_days; ``lost`` (流失): days_since_last > lost_days.
    ``thresholds`` default to :func:`stage_thresholds` of the same orders; ``customer_days``
    (customer_id, active_days, dormant_days, lost_days; e.g. from
    :func:`wxshop.analysis.churn.category_thresholds`) replaces the store's three day
    thresholds customer by customer (customers it does not list keep the store's).

    Returns
    -------
    customer_id, stage (code in :data:`STAGES`), days_since_first, days_since_last (int,
    days). Sorted by customer_id.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-10", "2025-03-30"]),
    ... })
    >>> print(lifecycle_stages(orders, "2025-03-31").to_string(index=False))
    customer_id  stage  days_since_first  days_since_last
              a active                85               30
              b active                49               49
              c    new                 1                1
    """
    p = paid_orders(orders, period_end, "lifecycle_stages")
    th = thresholds if thresholds is not None else _thresholds(p)
    first, last = p.first_last_day()
    stage = _stage_codes(first, last, p.end_day, th, _days(p, th, customer_days))
    return pd.DataFrame(
        {
            CUSTOMER_ID: p.ids,
            "stage": pd.array(np.asarray(STAGES, object)[stage], dtype="str"),
            "days_since_first": p.end_day - first,
            "days_since_last": p.end_day - last,
        }
    )


def stage_summary(stages: pd.DataFrame) -> pd.DataFrame:
    """Customers per lifecycle stage; all 5 stages in :data:`STAGES` order.

    Parameters
    ----------
    stages : stage, days_since_last (as from :func:`lifecycle_stages`).

    Returns
    -------
    stage, customers (int), customer_share (0–1; NaN without customers),
    avg_days_since_last (days; NaN for an empty stage), cadence_days (nullable int:
    contact within this many days, :data:`STAGE_CADENCE`; missing for dormant), action
    (:data:`STAGE_ACTIONS`).

    Examples
    --------
    >>> import pandas as pd
    >>> stages = pd.DataFrame({"stage": ["active", "active", "new"], "days_since_last": [30, 49, 1]})
    >>> print(stage_summary(stages)[["stage", "customers", "cadence_days", "action"]].to_string(index=False))
      stage  customers  cadence_days            action
        new          1             3      activate_new
     active          2             7      push_regular
     silent          0            14           revisit
    dormant          0          <NA> win_back_campaign
       lost          0          <NA>    low_cost_reach
    """
    require_columns(stages, ("stage", "days_since_last"), "stage_summary")
    stage = stages["stage"].astype("str")
    bad = set(stage.unique()) - set(STAGES)
    if bad:
        raise ValueError(f"stage_summary: unknown stage code(s) {sorted(bad)}")
    g = stages["days_since_last"].groupby(stage, sort=False)
    counts = g.size().reindex(list(STAGES), fill_value=0).astype(np.int64)
    days = g.sum().reindex(list(STAGES), fill_value=0).astype(np.float64)
    total = int(counts.sum())
    return pd.DataFrame(
        {
            "stage": pd.array(STAGES, dtype="str"),
            "customers": counts.to_numpy(),
            "customer_share": (counts / total).to_numpy(np.float64) if total else np.nan,
            "avg_days_since_last": (days / counts.where(counts > 0)).to_numpy(np.float64),
            "cadence_days": pd.array([STAGE_CADENCE[s] for s in STAGES], dtype="Int64"),
            "action": pd.array([STAGE_ACTIONS[s] for s in STAGES], dtype="str"),
        }
    )


def stage_migration(
    orders: pd.DataFrame | PaidOrders,
    period_end: DateLike,
    period_days: int = 30,
    thresholds: StageThresholds | None = None,
    customer_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Customers moving between lifecycle stages over the last ``period_days`` days.

    Rows: stage at the day ``period_end - period_days`` (orders up to the end of that day),
    with ``not_yet`` for customers who had no paid order by then; columns: stage at
    ``period_end``. Both dates use the same ``thresholds`` (default:
    :func:`stage_thresholds` at ``period_end``) and ``customer_days``.

    Returns
    -------
    Counts of customers (int), index ``from_stage`` = (not_yet, new, active, silent,
    dormant, lost), columns ``to_stage`` = (new, active, silent, dormant, lost); every cell
    present.
    Row sums give the stage sizes at the start (plus newcomers), column sums those at the
    end.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-10", "2025-03-30"]),
    ... })
    >>> print(stage_migration(orders, "2025-03-31", period_days=30).to_string())
    to_stage    new  active  silent  dormant  lost
    from_stage
    not_yet       1       0       0        0     0
    new           0       1       0        0     0
    active        0       1       0        0     0
    silent        0       0       0        0     0
    dormant       0       0       0        0     0
    lost          0       0       0        0     0
    """
    days = check_days("period_days", period_days)
    p = paid_orders(orders, period_end, "stage_migration")
    th = thresholds if thresholds is not None else _thresholds(p)
    first, last = p.first_last_day()
    d = _days(p, th, customer_days)
    to = _stage_codes(first, last, p.end_day, th, d)
    start = p.end_day - days
    first0, last0 = p.first_last_day(upto=start)
    frm = np.where(first0 < 0, 0, _stage_codes(first0, last0, start, th, d) + 1)
    k = len(STAGES)
    counts = np.bincount(frm * k + to, minlength=(k + 1) * k).reshape(k + 1, k)
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index([NOT_YET, *STAGES], name="from_stage", dtype="str"),
        columns=pd.Index(list(STAGES), name="to_stage", dtype="str"),
    )
