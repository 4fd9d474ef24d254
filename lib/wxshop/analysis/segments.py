"""Customer segments: RFM scores, the 8-segment model, lifecycle stages and repurchase.

Conventions shared by every function here (and by :mod:`wxshop.analysis.cohorts` and
:mod:`wxshop.analysis.profiles`):

- paid order: ``status == "paid"``, or every order when there is no status column
  (:func:`wxshop.analysis.overview.paid_mask`); orders with no ``customer_id`` or no
  ``ordered_at`` are left out;
- ``period_end`` is a day (``"YYYY-MM-DD"``, ``date`` or ``Timestamp``; a time of day is
  ignored): paid orders up to the END of that day count, later ones are ignored;
- days are calendar days: ``days since X = period_end day - day of X`` (0 = on
  ``period_end``); a "period of N days" is the N days ending on ``period_end``, inclusive;
- money in CNY; shares 0–1; rates with an empty denominator are NaN;
- output rows are sorted by ``customer_id``; codes (segments, stages, actions) are English
  snake_case, mapped to display text in :mod:`wxshop.report.i18n`.

Everything is vectorised (customer ids are factorised once, then numpy), so a store with
1M customers and 5M orders takes a second or two per call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, PaidOrders, check_days, iso_day, paid_orders, require_columns
from wxshop.data.schema import CUSTOMER_ID

__all__ = [
    "DEFAULT_ACTIVE_DAYS",
    "DEFAULT_DORMANT_DAYS",
    "MAX_NEW_DAYS",
    "SEGMENTS",
    "SEGMENT_ACTIONS",
    "STAGES",
    "STAGE_ACTIONS",
    "STAGE_CADENCE",
    "NOT_YET",
    "StageThresholds",
    "headline",
    "interpurchase_intervals",
    "lifecycle_stages",
    "repurchase_rates",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "segment_summary",
    "stage_migration",
    "stage_summary",
    "stage_thresholds",
]

def _rate(num: int, den: int) -> float:
    return num / den if den else float("nan")


# =================================================================================== RFM


def rfm_table(orders: pd.DataFrame, period_end: DateLike) -> pd.DataFrame:
    """Recency, frequency and monetary value of every buyer up to ``period_end``.

    Parameters
    ----------
    orders : customer_id, ordered_at, amount[, status]. Only paid orders count.
    period_end : last day included.

    Returns
    -------
    One row per customer with at least one paid order, sorted by customer_id:
    customer_id; recency_days (int, calendar days from the day of the last paid order to
    ``period_end``, 0 = bought on period_end); frequency (int, paid orders); monetary
    (float, paid GMV in CNY, rounded to the fen); first_purchase, last_purchase
    (timestamps of the first and last paid order).
    """
    p = paid_orders(orders, period_end, "rfm_table", amount=True)
    n = p.n
    at = p.at.view(np.int64)
    first = np.full(n, np.iinfo(np.int64).max, np.int64)
    last = np.full(n, np.iinfo(np.int64).min, np.int64)
    np.minimum.at(first, p.code, at)
    np.maximum.at(last, p.code, at)
    last_day = last.view(p.at.dtype).astype("datetime64[D]").astype(np.int64)
    return pd.DataFrame(
        {
            CUSTOMER_ID: p.ids,
            "recency_days": p.end_day - last_day,
            "frequency": np.bincount(p.code, minlength=n).astype(np.int64),
            "monetary": np.round(np.bincount(p.code, weights=p.amount, minlength=n), 2).astype(np.float64),
            "first_purchase": first.view(p.at.dtype),
            "last_purchase": last.view(p.at.dtype),
        }
    )


RFM_METRICS: dict[str, str] = {"recency": "recency_days", "frequency": "frequency", "monetary": "monetary"}


def _quantile_score(values: pd.Series, bins: int, higher_is_better: bool) -> np.ndarray:
    # ceil(bins * rank / n) in integers: average ranks are multiples of 0.5
    twice_rank = np.rint(2 * values.rank(method="average", ascending=higher_is_better).to_numpy())
    n2 = 2 * len(values)
    score = -((-bins * twice_rank.astype(np.int64)) // n2) if n2 else np.zeros(0, np.int64)
    return np.clip(score, 1, bins).astype(np.int64)


def _cut_score(values: pd.Series, edges: Sequence[float], higher_is_better: bool) -> np.ndarray:
    x = values.to_numpy(np.float64)
    e = np.asarray(edges, np.float64)
    if higher_is_better:
        return 1 + np.searchsorted(e, x, side="right").astype(np.int64)
    return e.size + 1 - np.searchsorted(e, x, side="left").astype(np.int64)


def rfm_scores(
    rfm: pd.DataFrame,
    bins: int = 5,
    cuts: Mapping[str, Sequence[float]] | None = None,
) -> pd.DataFrame:
    """Add r_score, f_score and m_score (int 1..bins, higher = better) to an RFM table.

    Parameters
    ----------
    rfm : recency_days, frequency, monetary (as from :func:`rfm_table`); other columns kept.
    bins : number of scores per metric.
    cuts : fixed cut points per metric instead of quantiles, keys ``"recency"`` (days),
        ``"frequency"`` (orders), ``"monetary"`` (CNY); each ``bins - 1`` increasing
        values. Metrics not given keep quantile scores.

    Scoring
    -------
    Quantiles (default): ``pct`` is the percentile rank with ties averaged, i.e.
    ``Series.rank(method="average", pct=True)`` = (customers below + (customers equal + 1)
    / 2) / customers; recency is ranked in descending order of days, so the most recent
    customers rank highest. ``score = ceil(bins × pct)``. Customers with equal values always
    get equal scores (e.g. every one-order customer has the same f_score); with distinct
    values this is exact quintiles. A big tie lands in the bin of its middle rank.

    Fixed cuts: a value equal to a cut point gets the better score. Frequency and monetary:
    ``score = 1 + number of cuts <= value`` (cuts ``[2, 3, 5, 10]``: 1 order → 1,
    2 → 2, 3–4 → 3, 5–9 → 4, ≥ 10 → 5). Recency: ``score = bins - number of cuts <
    days`` (cuts ``[30, 60, 90, 180]``: ≤ 30 days → 5, 31–60 → 4, 61–90 → 3, 91–180 → 2,
    > 180 → 1).
    """
    require_columns(rfm, tuple(RFM_METRICS.values()), "rfm_scores")
    if isinstance(bins, bool) or int(bins) != bins or bins < 2:
        raise ValueError(f"bins must be a whole number ≥ 2, got {bins!r}")
    cuts = dict(cuts or {})
    unknown = set(cuts) - set(RFM_METRICS)
    if unknown:
        raise ValueError(f"cuts keys must be among {sorted(RFM_METRICS)}, got {sorted(unknown)}")
    out = rfm.copy()
    for metric, column in RFM_METRICS.items():
        values = out[column]
        if values.isna().any():
            raise ValueError(f"rfm_scores: column {column} has missing values")
        better_high = metric != "recency"
        if metric in cuts:
            edges = list(cuts[metric])
            if len(edges) != bins - 1:
                raise ValueError(
                    f"cuts[{metric!r}] needs {bins - 1} values for {bins} bins, got {len(edges)}"
                )
            if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
                raise ValueError(f"cuts[{metric!r}] must be strictly increasing, got {edges}")
            score = _cut_score(values, edges, better_high)
        else:
            score = _quantile_score(values, bins, better_high)
        out[f"{metric[0]}_score"] = score
    return out


# Canonical order: important before general; value, develop, keep, retain.
SEGMENTS: tuple[str, ...] = (
    "important_value",  # 重要价值: R high, F high, M high
    "important_develop",  # 重要发展: R high, F low, M high
    "important_keep",  # 重要保持: R low, F high, M high
    "important_retain",  # 重要挽留: R low, F low, M high
    "general_value",  # 一般价值: R high, F high, M low
    "general_develop",  # 一般发展: R high, F low, M low
    "general_keep",  # 一般保持: R low, F high, M low
    "general_retain",  # 一般挽留: R low, F low, M low
)
_SEGMENT_BITS: dict[tuple[bool, bool, bool], str] = {
    (True, True, True): "important_value",
    (True, False, True): "important_develop",
    (False, True, True): "important_keep",
    (False, False, True): "important_retain",
    (True, True, False): "general_value",
    (True, False, False): "general_develop",
    (False, True, False): "general_keep",
    (False, False, False): "general_retain",
}
# index r * 4 + f * 2 + m (booleans as 0/1) → segment code
_SEGMENT_LOOKUP = np.asarray(
    [_SEGMENT_BITS[(bool(r), bool(f), bool(m))] for r in (0, 1) for f in (0, 1) for m in (0, 1)],
    dtype=object,
)

SEGMENT_ACTIONS: dict[str, str] = {
    "important_value": "vip_care",  # keep them: VIP service, exclusive benefits, no discounting
    "important_develop": "raise_frequency",  # big baskets, few orders: membership, refills
    "important_keep": "reengage_loyal",  # frequent big spenders gone quiet: personal 1:1 contact
    "important_retain": "win_back_high_value",  # high value, lapsed: strong win-back offer
    "general_value": "upsell",  # frequent, small baskets: bundles, raise the basket
    "general_develop": "nurture_repeat",  # recent one-off buyers: guide to a second order
    "general_keep": "remind_low_cost",  # were frequent, low value, quiet: cheap reminders
    "general_retain": "low_priority",  # low value and lapsed: mass channels only
}

Split = Literal["mean", "median"] | float


def rfm_segments(scored: pd.DataFrame, split: Split = "mean") -> pd.DataFrame:
    """Add r_high, f_high, m_high (bool) and the 8-segment code ``segment``.

    Parameters
    ----------
    scored : r_score, f_score, m_score (as from :func:`rfm_scores`); other columns kept.
    split : ``"mean"``: high = score strictly above the mean score over the customers in
        ``scored`` (computed per metric); ``"median"``: strictly above the median score;
        a number: score ``>=`` that number.

    ``segment`` is one of :data:`SEGMENTS`: important_* when M is high, general_* when M is
    low; *_value R↑F↑, *_develop R↑F↓, *_keep R↓F↑, *_retain R↓F↓.
    """
    require_columns(scored, ("r_score", "f_score", "m_score"), "rfm_segments")
    out = scored.copy()
    flags = []
    for letter in "rfm":
        score = out[f"{letter}_score"]
        if isinstance(split, str):
            if split == "mean":
                high = score > score.mean()
            elif split == "median":
                high = score > score.median()
            else:
                raise ValueError(f"split must be 'mean', 'median' or a number, got {split!r}")
        else:
            high = score >= float(split)
        flag = high.to_numpy(bool)
        out[f"{letter}_high"] = flag
        flags.append(flag.astype(np.int64))
    r, f, m = flags
    out["segment"] = pd.array(_SEGMENT_LOOKUP[r * 4 + f * 2 + m], dtype="str")
    return out


def segment_summary(segmented: pd.DataFrame) -> pd.DataFrame:
    """Customers, GMV and averages per segment; all 8 segments in :data:`SEGMENTS` order.

    Parameters
    ----------
    segmented : segment, recency_days, frequency, monetary (as from :func:`rfm_segments`).

    Returns
    -------
    segment, customers (int), customer_share (0–1), gmv (CNY, sum of monetary), gmv_share
    (0–1), avg_recency_days (days), avg_frequency (orders), avg_monetary (CNY), action
    (:data:`SEGMENT_ACTIONS`). An empty segment has zero customers, gmv and shares and NaN
    averages; shares are NaN when there are no customers at all.
    """
    require_columns(segmented, ("segment", "recency_days", "frequency", "monetary"), "segment_summary")
    seg = segmented["segment"].astype("str")
    bad = set(seg.unique()) - set(SEGMENTS)
    if bad:
        raise ValueError(f"segment_summary: unknown segment code(s) {sorted(bad)}")
    g = segmented[["recency_days", "frequency", "monetary"]].groupby(seg, sort=False)
    sums = g.sum().reindex(list(SEGMENTS), fill_value=0)
    counts = g.size().reindex(list(SEGMENTS), fill_value=0).astype(np.int64)
    total_n = int(counts.sum())
    gmv = sums["monetary"].astype(np.float64).round(2)
    total_gmv = float(gmv.sum())
    per = counts.where(counts > 0).astype(np.float64)
    out = pd.DataFrame(
        {
            "segment": pd.array(SEGMENTS, dtype="str"),
            "customers": counts.to_numpy(),
            "customer_share": (counts / total_n).to_numpy(np.float64) if total_n else np.nan,
            "gmv": gmv.to_numpy(),
            "gmv_share": (gmv / total_gmv).to_numpy(np.float64) if total_gmv else np.nan,
            "avg_recency_days": (sums["recency_days"] / per).to_numpy(np.float64),
            "avg_frequency": (sums["frequency"] / per).to_numpy(np.float64),
            "avg_monetary": (sums["monetary"] / per).to_numpy(np.float64),
            "action": pd.array([SEGMENT_ACTIONS[s] for s in SEGMENTS], dtype="str"),
        }
    )
    return out


# ============================================================================= lifecycle

STAGES: tuple[str, ...] = ("new", "active", "silent", "dormant")  # 新客, 活跃, 沉默, 沉睡
NOT_YET = "not_yet"  # no paid order yet at the earlier date (stage_migration rows)
# Contact within N days of entering the stage (playbook); None = no cadence, campaign only.
STAGE_CADENCE: dict[str, int | None] = {"new": 3, "active": 7, "silent": 14, "dormant": None}
STAGE_ACTIONS: dict[str, str] = {
    "new": "activate_new",  # welcome + second-order coupon within 3 days
    "active": "push_regular",  # regular 朋友圈/社群 pushes, at least every 7 days
    "silent": "revisit",  # 1:1 revisit (企业微信) at day 14
    "dormant": "win_back_campaign",  # include in a win-back campaign
}
DEFAULT_ACTIVE_DAYS = 30  # used when the store has no repeat purchases
DEFAULT_DORMANT_DAYS = 90
MAX_NEW_DAYS = 30  # new_days = min(MAX_NEW_DAYS, active_days)


def interpurchase_intervals(orders: pd.DataFrame, period_end: DateLike) -> pd.DataFrame:
    """Days between a customer's consecutive paid purchase days, up to ``period_end``.

    Several paid orders on the same calendar day are one purchase day, so every interval
    is ≥ 1 day.

    Returns
    -------
    customer_id, purchase_day (datetime64, the day of the later purchase), interval_days
    (int, days since the previous purchase day). Sorted by customer_id, purchase_day;
    customers with one purchase day have no rows.
    """
    p = paid_orders(orders, period_end, "interpurchase_intervals")
    code, day, gaps = _intervals(p)
    return pd.DataFrame(
        {
            CUSTOMER_ID: p.ids.take(code),
            "purchase_day": day.astype("datetime64[D]").astype("datetime64[s]"),
            "interval_days": gaps,
        }
    ).reset_index(drop=True)


def _intervals(p: PaidOrders) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customer code, later purchase day and gap in days of every interpurchase interval."""
    code, day = p.purchase_days()
    repeat = np.zeros(code.size, bool)
    repeat[1:] = code[1:] == code[:-1]
    gaps = np.diff(day, prepend=0)
    return code[repeat], day[repeat], gaps[repeat].astype(np.int64)


@dataclass(frozen=True)
class StageThresholds:
    """Day thresholds of the lifecycle stages and where they came from.

    active_days, dormant_days, new_days : days (see :func:`lifecycle_stages`).
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        """One row per field: name, value."""
        d = self.to_dict()
        return pd.DataFrame({"name": list(d), "value": [str(v) for v in d.values()]})


def stage_thresholds(
    orders: pd.DataFrame,
    period_end: DateLike,
    active_pct: float = 0.8,
    dormant_pct: float = 0.95,
    active_days: int | None = None,
    dormant_days: int | None = None,
    new_days: int | None = None,
) -> StageThresholds:
    """Lifecycle thresholds from this store's own interpurchase intervals.

    Defaults: ``active_days = ceil(P[active_pct])`` and ``dormant_days =
    ceil(P[dormant_pct])`` of all intervals from :func:`interpurchase_intervals`
    (``numpy.quantile``, linear interpolation), ``new_days = min(30, active_days)``.
    Any of the three can be set instead. With no repeat purchases at all, active and
    dormant fall back to 30 and 90 days and ``fallback`` is True.

    Observed intervals are censored at ``period_end`` (long gaps that have not ended yet
    are missing), so the percentiles lean short; dormant customers may still come back.
    Raises ValueError when dormant_days < active_days.
    """
    p = paid_orders(orders, period_end, "stage_thresholds")
    return _thresholds(p, active_pct, dormant_pct, active_days, dormant_days, new_days)


def _thresholds(
    p: PaidOrders,
    active_pct: float = 0.8,
    dormant_pct: float = 0.95,
    active_days: int | None = None,
    dormant_days: int | None = None,
    new_days: int | None = None,
) -> StageThresholds:
    for name, pct in (("active_pct", active_pct), ("dormant_pct", dormant_pct)):
        if not 0 < pct <= 1:
            raise ValueError(f"{name} must be in (0, 1], got {pct!r}")
    who, _, gaps = _intervals(p)
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
    )


def _stage_codes(first: np.ndarray, last: np.ndarray, asof: int, th: StageThresholds) -> np.ndarray:
    """Index into STAGES for customers with a purchase (first/last day ≤ asof)."""
    since_first = asof - first
    since_last = asof - last
    code = np.where(since_last <= th.active_days, 1, np.where(since_last <= th.dormant_days, 2, 3))
    return np.where(since_first <= th.new_days, 0, code).astype(np.int64)


def lifecycle_stages(
    orders: pd.DataFrame, period_end: DateLike, thresholds: StageThresholds | None = None
) -> pd.DataFrame:
    """Lifecycle stage of every buyer at ``period_end``.

    Rules, in this order (days as in the module docstring, edges inclusive as written):
    ``new``: days_since_first ≤ new_days; else ``active``: days_since_last ≤ active_days;
    ``silent``: active_days < days_since_last ≤ dormant_days; ``dormant``: days_since_last
    > dormant_days. ``thresholds`` default to :func:`stage_thresholds` of the same orders.

    Returns
    -------
    customer_id, stage (code in :data:`STAGES`), days_since_first, days_since_last (int,
    days). Sorted by customer_id.
    """
    p = paid_orders(orders, period_end, "lifecycle_stages")
    th = thresholds if thresholds is not None else _thresholds(p)
    first, last = p.first_last_day()
    stage = _stage_codes(first, last, p.end_day, th)
    return pd.DataFrame(
        {
            CUSTOMER_ID: p.ids,
            "stage": pd.array(np.asarray(STAGES, object)[stage], dtype="str"),
            "days_since_first": p.end_day - first,
            "days_since_last": p.end_day - last,
        }
    )


def stage_summary(stages: pd.DataFrame) -> pd.DataFrame:
    """Customers per lifecycle stage; all 4 stages in :data:`STAGES` order.

    Parameters
    ----------
    stages : stage, days_since_last (as from :func:`lifecycle_stages`).

    Returns
    -------
    stage, customers (int), customer_share (0–1; NaN without customers),
    avg_days_since_last (days; NaN for an empty stage), cadence_days (nullable int:
    contact within this many days, :data:`STAGE_CADENCE`; missing for dormant), action
    (:data:`STAGE_ACTIONS`).
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
    orders: pd.DataFrame,
    period_end: DateLike,
    period_days: int = 30,
    thresholds: StageThresholds | None = None,
) -> pd.DataFrame:
    """Customers moving between lifecycle stages over the last ``period_days`` days.

    Rows: stage at the day ``period_end - period_days`` (orders up to the end of that day),
    with ``not_yet`` for customers who had no paid order by then; columns: stage at
    ``period_end``. Both dates use the same ``thresholds`` (default:
    :func:`stage_thresholds` at ``period_end``).

    Returns
    -------
    Counts of customers (int), index ``from_stage`` = (not_yet, new, active, silent,
    dormant), columns ``to_stage`` = (new, active, silent, dormant); every cell present.
    Row sums give the stage sizes at the start (plus newcomers), column sums those at the
    end.
    """
    days = check_days("period_days", period_days)
    p = paid_orders(orders, period_end, "stage_migration")
    th = thresholds if thresholds is not None else _thresholds(p)
    first, last = p.first_last_day()
    to = _stage_codes(first, last, p.end_day, th)
    start = p.end_day - days
    first0, last0 = p.first_last_day(upto=start)
    frm = np.where(first0 < 0, 0, _stage_codes(first0, last0, start, th) + 1)
    k = len(STAGES)
    counts = np.bincount(frm * k + to, minlength=(k + 1) * k).reshape(k + 1, k)
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index([NOT_YET, *STAGES], name="from_stage", dtype="str"),
        columns=pd.Index(list(STAGES), name="to_stage", dtype="str"),
    )


# ============================================================================ repurchase


def repurchase_rates(
    orders: pd.DataFrame, period_end: DateLike, period_days: int = 90
) -> dict[str, Any]:
    """复购率 and 回购率 for the ``period_days`` days ending at ``period_end``.

    Period: ``[period_end - period_days + 1, period_end]``; previous period: the
    ``period_days`` days before it.

    Returns
    -------
    dict with period_start, period_end, prev_start, prev_end (ISO days); buyers (customers
    with ≥ 1 paid order in the period), repeat_buyers (≥ 2 paid orders in the period),
    repurchase_rate (复购率 = repeat_buyers / buyers, 0–1); prev_buyers (buyers in the
    previous period), returned (of those, buyers in this period), return_rate (回购率 =
    returned / prev_buyers, 0–1). Rates are NaN with an empty denominator.
    """
    days = check_days("period_days", period_days)
    p = paid_orders(orders, period_end, "repurchase_rates")
    return _repurchase(p, days)


def _repurchase(p: PaidOrders, days: int) -> dict[str, Any]:
    start = p.end_day - days + 1
    prev_start = start - days
    now = p.day >= start
    prev = (p.day >= prev_start) & ~now
    per = np.bincount(p.code[now], minlength=p.n)
    before = np.bincount(p.code[prev], minlength=p.n) > 0
    buyers = int((per > 0).sum())
    repeat = int((per >= 2).sum())
    prev_buyers = int(before.sum())
    returned = int((before & (per > 0)).sum())
    return {
        "period_start": iso_day(start),
        "period_end": iso_day(p.end_day),
        "prev_start": iso_day(prev_start),
        "prev_end": iso_day(start - 1),
        "buyers": buyers,
        "repeat_buyers": repeat,
        "repurchase_rate": _rate(repeat, buyers),
        "prev_buyers": prev_buyers,
        "returned": returned,
        "return_rate": _rate(returned, prev_buyers),
    }


def headline(orders: pd.DataFrame, period_end: DateLike, period_days: int = 90) -> dict[str, Any]:
    """Key figures of the ``period_days`` days ending at ``period_end``.

    Returns
    -------
    dict with customers (all buyers up to period_end), active_customers (buyers in the
    period), new_customers (first paid order ever falls in the period), orders (paid, in
    the period), gmv (CNY), aov (CNY per paid order), frequency (paid orders per active
    customer), plus every field of :func:`repurchase_rates`. Ratios are NaN when empty.
    """
    days = check_days("period_days", period_days)
    p = paid_orders(orders, period_end, "headline", amount=True)
    start = p.end_day - days + 1
    now = p.day >= start
    first, _ = p.first_last_day()
    active = int((np.bincount(p.code[now], minlength=p.n) > 0).sum())
    n_orders = int(now.sum())
    gmv = round(float(p.amount[now].sum()), 2)
    return {
        "customers": p.n,
        "active_customers": active,
        "new_customers": int((first >= start).sum()),
        "orders": n_orders,
        "gmv": gmv,
        "aov": _rate(gmv, n_orders),
        "frequency": _rate(n_orders, active),
        **_repurchase(p, days),
    }
