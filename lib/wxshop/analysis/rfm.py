"""RFM scores and the 8-segment customer model: recency/frequency/monetary per buyer, scores
1..bins, the 8 segments (重要价值 … 一般挽留), their summary and the action for each.

Conventions: :mod:`wxshop.analysis.paid` (paid orders, ``period_end`` day, calendar days,
CNY, shares 0–1); output rows are sorted by ``customer_id``; codes (segments, actions) are English
snake_case, mapped to display text in :mod:`wxshop.report.i18n`. Vectorised over factorised
customer ids, so a store with 1M customers and 5M orders takes a second or two per call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, PaidOrders, paid_orders, require_columns
from wxshop.data.schema import CUSTOMER_ID

__all__ = [
    "RFM_METRICS",
    "SEGMENTS",
    "SEGMENT_ACTIONS",
    "Split",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "segment_summary",
]


def rfm_table(orders: pd.DataFrame | PaidOrders, period_end: DateLike) -> pd.DataFrame:
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

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-03-01", "2025-02-10", "2025-03-30"]),
    ...     "amount": [100.0, 50.0, 30.0, 80.0],
    ... })
    >>> table = rfm_table(orders, "2025-03-31")
    >>> print(table[["customer_id", "recency_days", "frequency", "monetary"]].to_string(index=False))
    customer_id  recency_days  frequency  monetary
              a            30          2     150.0
              b            49          1      30.0
              c             1          1      80.0
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

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"customer_id": ["a", "b", "c"], "recency_days": [30, 49, 1],
    ...                       "frequency": [2, 1, 1], "monetary": [150.0, 30.0, 80.0]})
    >>> scored = rfm_scores(table, bins=3)
    >>> print(scored[["customer_id", "r_score", "f_score", "m_score"]].to_string(index=False))
    customer_id  r_score  f_score  m_score
              a        2        3        3
              b        1        2        1
              c        3        2        2
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

Split = Literal["raw", "mean", "median"] | float
# the raw value each letter is judged on with split="raw", and whether lower is better
_RAW = {"r": ("recency_days", True), "f": ("frequency", False), "m": ("monetary", False)}


def rfm_segments(scored: pd.DataFrame, split: Split = "mean") -> pd.DataFrame:
    """Add r_high, f_high, m_high (bool) and the 8-segment code ``segment``.

    Parameters
    ----------
    scored : r_score, f_score, m_score (as from :func:`rfm_scores`); other columns kept.
    split : ``"raw"`` (有赞's convention, the notebooks' default): high = the raw value better
        than the store's mean — recency_days below its mean, frequency and monetary above
        theirs (needs those columns); it does not flip on ties the way a 1–5 score does, whose
        mean sits on a score value. ``"mean"``: high = score strictly above the mean score
        over the customers in ``scored`` (computed per metric); ``"median"``: strictly above
        the median score; a number: score ``>=`` that number.

    ``segment`` is one of :data:`SEGMENTS`: important_* when M is high, general_* when M is
    low; *_value R↑F↑, *_develop R↑F↓, *_keep R↓F↑, *_retain R↓F↓.

    Examples
    --------
    >>> import pandas as pd
    >>> scored = pd.DataFrame({"customer_id": ["a", "b", "c"], "r_score": [2, 1, 3],
    ...                        "f_score": [3, 2, 2], "m_score": [3, 1, 2]})
    >>> print(rfm_segments(scored)[["customer_id", "segment"]].to_string(index=False))
    customer_id         segment
              a  important_keep
              b  general_retain
              c general_develop
    """
    require_columns(scored, ("r_score", "f_score", "m_score"), "rfm_segments")
    if split == "raw":
        require_columns(scored, tuple(col for col, _ in _RAW.values()), "rfm_segments")
    out = scored.copy()
    flags = []
    for letter in "rfm":
        score = out[f"{letter}_score"]
        if isinstance(split, str):
            if split == "raw":
                col, lower_is_better = _RAW[letter]
                value = out[col].astype(np.float64)
                high = value < value.mean() if lower_is_better else value > value.mean()
            elif split == "mean":
                high = score > score.mean()
            elif split == "median":
                high = score > score.median()
            else:
                raise ValueError(f"split must be 'raw', 'mean', 'median' or a number, got {split!r}")
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

    Examples
    --------
    >>> import pandas as pd
    >>> segmented = pd.DataFrame({"segment": ["important_keep", "general_retain", "general_develop"],
    ...                           "recency_days": [30, 49, 1], "frequency": [2, 1, 1],
    ...                           "monetary": [150.0, 30.0, 80.0]})
    >>> summary = segment_summary(segmented)
    >>> print(summary[["segment", "customers", "gmv", "action"]].iloc[2:4].to_string(index=False))
              segment  customers   gmv            action
       important_keep          1 150.0    reengage_loyal
     important_retain          0   0.0 win_back_high_value
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
