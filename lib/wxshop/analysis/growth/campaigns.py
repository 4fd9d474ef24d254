"""Campaigns (活动): what each campaign added over what its days would have had without it,
what it cost, whether it pulled orders forward, and whether 满X thresholds bunch baskets.

Conventions: paid order as :func:`wxshop.analysis.paid.paid_mask`, orders without ``ordered_at``
left out; calendar days of the recorded wall clock; the data covers the first to the last order
day (any status). A campaign order is a paid order carrying the campaign's ``campaign_id``
(missing or blank = none) on one of its days (start to end, inclusive). Money in CNY (``amount``
paid after ``discount``, a missing discount 0; rounded to the fen in outputs), shares 0–1,
ratios with an empty denominator NaN.

Method (:func:`campaign_effects`): per campaign, the baseline is the ``baseline_days`` days
before its start, leaving out the days of every campaign span and the days in ``exclude`` (e.g.
春节). On them, OLS (statsmodels ``sm.OLS``) of daily paid orders, and separately of daily paid
GMV, on an intercept, six weekday dummies and a linear trend in the day number, predicts the
campaign's days and the ``after_days`` days after its end (other campaigns' and ``exclude``
days left out there too). Counterfactual = Σ predicted; incremental = Σ (actual − predicted)
± t(1 − α/2, df_resid) · sqrt(gᵀ Σ_β g + n σ̂²), g the sum of the n predicted days' design
rows, Σ_β the OLS parameter covariance, σ̂² the residual variance: the prediction interval of
the sum of n new days. A baseline needs ≥ 28 usable days with ≥ 2 of each weekday, otherwise
the model figures are NaN (``note`` ``baseline_too_short``). ``exclude`` days inside a
campaign's own span are still predicted as ordinary days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from wxshop.analysis.paid import UNKNOWN, check_days, day_stamps, paid_mask, require_columns, timestamps
from wxshop.data.schema import AMOUNT, CAMPAIGN_ID, CAMPAIGN_TYPES, CUSTOMER_ID, DISCOUNT, ORDERED_AT

__all__ = ["REFERENCE", "bunching", "by_type", "campaign_effects", "campaign_spans", "daily_series",
           "threshold_bunching"]

REFERENCE: dict[str, dict[str, float]] = {
    "满减": {"roi": 2.8, "participation": 0.35, "aov_uplift": 0.20},
    "节日": {"roi": 4.3, "participation": 0.28, "aov_uplift": 0.45},
    "会员日": {"roi": 3.6, "participation": 0.12, "aov_uplift": 0.30},
}
"""The playbook's reference figures per campaign type: ``roi`` = GMV of campaign orders ÷ cost
(the "1 : x"), ``participation`` and ``aov_uplift`` (shares). Context, not targets."""

TYPES = CAMPAIGN_TYPES  # the playbook's campaign types, in its order
MIN_BASELINE_DAYS, MIN_PER_WEEKDAY = 28, 2  # a usable baseline: days, and days of each weekday
_NO_DAY = -(2**62)
DAILY_COLUMNS = ["day", "orders", "gmv", "discount", "campaign_orders"]
SPAN_COLUMNS = ["campaign_id", "name", "type", "start", "end", "threshold", "fixed_cost"]
EFFECT_COLUMNS = (
    "campaign_id name type start end days orders campaign_orders participation buyers aov baseline_aov "
    "aov_uplift gmv baseline_gmv incremental_gmv incremental_gmv_low incremental_gmv_high baseline_orders "
    "incremental_orders orders_lift lift_low lift_high after_incremental_orders after_low after_high "
    "campaign_gmv discount_cost fixed_cost cost roi_gmv incremental_profit roi_incremental significant note"
).split()
TYPE_COLUMNS = ("type campaigns participation aov_uplift gmv cost roi_gmv incremental_gmv significant "
                "reference_roi reference_participation reference_aov_uplift").split()
_MONEY = ("aov baseline_aov gmv baseline_gmv incremental_gmv incremental_gmv_low incremental_gmv_high "
          "campaign_gmv discount_cost fixed_cost cost incremental_profit").split()
_TYPES = {"campaign_id": "str", "name": "str", "type": "str", "note": "str", "day": "datetime64[s]",
          "start": "datetime64[s]", "end": "datetime64[s]", "days": np.int64, "orders": np.int64,
          "campaign_orders": np.int64, "buyers": np.int64, "campaigns": np.int64, "significant": bool}


def _campaign_empty(columns: list[str], **types: object) -> pd.DataFrame:
    """An empty frame with ``columns`` typed as a full result would be."""
    return pd.DataFrame({c: pd.Series(dtype={**_TYPES, **types}.get(c, float)) for c in columns})


def _campaign_days(values: pd.Series) -> np.ndarray:
    """Calendar day numbers (days since 1970-01-01) of dates or timestamps; NaT as ``_NO_DAY``."""
    at = timestamps(values)
    out = at.to_numpy().astype("datetime64[D]").astype(np.int64)
    return np.where(at.notna().to_numpy(bool), out, _NO_DAY)


def _campaign_text(values: pd.Series | None, default: np.ndarray) -> np.ndarray:
    """``values`` as stripped text, ``default`` where missing or blank (everywhere without values).
    Each distinct value is cleaned once (millions of orders carry a few dozen campaign ids)."""
    if values is None:
        return default
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    clean = pd.Index(uniques, dtype=object).astype("str").str.strip().to_numpy(object)
    labels = np.append(np.where(clean != "", clean, None), None)  # code −1 (missing) reads None
    text = labels[codes]
    return np.where(pd.notna(text), text, default)


def _campaign_paid(orders: pd.DataFrame, what: str) -> dict[str, np.ndarray] | None:
    """Paid orders with a timestamp (day, amount, discount, campaign id, ``rows`` in ``orders``) and
    the data's first and last day (``lo``, ``hi``, orders of any status); None without orders."""
    require_columns(orders, [ORDERED_AT, AMOUNT], what)
    day = _campaign_days(orders[ORDERED_AT])
    known = day != _NO_DAY
    if not known.any():
        return None
    keep = known & paid_mask(orders).to_numpy(bool)
    out = {c: pd.to_numeric(orders[c][keep]).fillna(0.0).to_numpy(np.float64) if c in orders.columns
           else np.zeros(int(keep.sum())) for c in (AMOUNT, DISCOUNT)}
    out["campaign"] = _campaign_text(orders[CAMPAIGN_ID][keep] if CAMPAIGN_ID in orders.columns else None,
                                     np.full(int(keep.sum()), np.nan, object))  # missing or blank: NaN
    lo, hi = int(day[known].min()), int(day[known].max())
    return {**out, "day": day[keep], "rows": np.flatnonzero(keep), "lo": lo, "hi": hi}


def _campaign_daily(p: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Per day from ``lo`` to ``hi``: paid orders, their GMV, discount and campaign orders."""
    n, at = p["hi"] - p["lo"] + 1, p["day"] - p["lo"]
    camp = at[pd.notna(p["campaign"])]
    return (np.bincount(at, minlength=n).astype(np.float64), np.bincount(at, p["amount"], minlength=n),
            np.bincount(at, p["discount"], minlength=n), np.bincount(camp, minlength=n))


def daily_series(orders: pd.DataFrame) -> pd.DataFrame:
    """Paid orders, GMV and discount per calendar day, days without orders included.

    One row per day from the first to the last order day (any status): ``day`` (midnight,
    ``datetime64[s]``); ``orders`` = paid orders placed that day (count); ``gmv`` = their summed
    ``amount`` (CNY, paid after discount; missing 0); ``discount`` = their summed ``discount``
    (CNY; 0 without the column); ``campaign_orders`` = those of them carrying a campaign_id.
    Empty (no rows) without orders.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-03 09:00",
    ...     "2025-03-03 20:00"]), "amount": [50.0, 80.0, 30.0], "status": ["paid", "paid", "refunded"],
    ...     "discount": [0.0, 20.0, 5.0], "campaign_id": [None, "MJ", "MJ"]})
    >>> print(daily_series(orders).to_string(index=False))
           day  orders  gmv  discount  campaign_orders
    2025-03-01       1 50.0       0.0                0
    2025-03-02       0  0.0       0.0                0
    2025-03-03       1 80.0      20.0                1
    """
    p = _campaign_paid(orders, "daily_series")
    if p is None:
        return _campaign_empty(DAILY_COLUMNS)
    n, g, d, c = _campaign_daily(p)
    return pd.DataFrame({"day": day_stamps(np.arange(p["lo"], p["hi"] + 1)), "orders": n.astype(np.int64),
                         "gmv": g.round(2), "discount": d.round(2), "campaign_orders": c.astype(np.int64)})


def campaign_spans(orders: pd.DataFrame, campaigns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each campaign's days: ``campaign_id, name, type, start, end, threshold, fixed_cost``.

    From ``campaigns`` when given (``campaign_id``, ``start``, ``end`` required; ``name``
    defaults to the id, ``type`` to ``"—"``; ``start``/``end`` datetimes or ``"YYYY-MM-DD"``,
    inclusive days; a campaign listed twice keeps its first row; a row without start or end takes
    the derived span of its orders, and is left out if it has none). Otherwise derived from the
    paid orders carrying each campaign_id: start = day of the first, end = day of the last such
    order, name = id, type ``"—"``, threshold and fixed_cost NaN. Derived spans are approximate:
    a campaign day without a campaign order, before the first or after the last, is missed.
    ``start``/``end`` are midnight timestamps; ``threshold`` (满X) and ``fixed_cost`` in CNY.
    Sorted by start, then id.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2025-03-01", "2025-03-04", "2025-03-02"]),
    ...     "amount": [50.0, 80.0, 30.0], "campaign_id": ["MJ", "MJ", None]})
    >>> print(campaign_spans(orders).to_string(index=False))
    campaign_id name type      start        end  threshold  fixed_cost
             MJ   MJ    — 2025-03-01 2025-03-04        NaN         NaN
    >>> table = pd.DataFrame({"campaign_id": ["V"], "name": ["会员日"], "type": ["会员日"],
    ...                       "start": ["2025-03-18"], "end": ["2025-03-18"], "fixed_cost": [500]})
    >>> spans = campaign_spans(orders, table)
    >>> print(spans[["campaign_id", "start", "end", "fixed_cost"]].to_string(index=False))
    campaign_id      start        end  fixed_cost
              V 2025-03-18 2025-03-18       500.0
    """
    p = _campaign_paid(orders, "campaign_spans") if len(orders) else None
    ids, first, last = np.array([], object), np.array([], np.int64), np.array([], np.int64)
    has = pd.notna(p["campaign"]) if p is not None else np.zeros(0, bool)
    if has.any():
        g = pd.DataFrame({"id": p["campaign"][has], "day": p["day"][has]}).groupby("id")["day"]
        ids, first, last = g.min().index.to_numpy(object), g.min().to_numpy(), g.max().to_numpy()
    if campaigns is None:
        out = pd.DataFrame({"campaign_id": ids, "name": ids, "type": UNKNOWN, "start": first, "end": last,
                            "threshold": np.nan, "fixed_cost": np.nan})
    else:
        require_columns(campaigns, ["campaign_id", "start", "end"], "campaign_spans")
        t = campaigns.dropna(subset=["campaign_id"]).drop_duplicates("campaign_id")
        cid = t["campaign_id"].astype("str").to_numpy(object)
        derived = pd.DataFrame({"start": first, "end": last}, index=ids, dtype=float).reindex(cid)
        start, end = _campaign_days(t["start"]), _campaign_days(t["end"])
        lost = (start == _NO_DAY) | (end == _NO_DAY)  # no start or end: the derived span, if any
        start = np.where(lost, derived["start"].fillna(_NO_DAY), start).astype(np.int64)
        end = np.where(lost, derived["end"].fillna(_NO_DAY), end).astype(np.int64)
        keep = (start != _NO_DAY) & (end != _NO_DAY)
        if (keep & (end < start)).any():
            raise ValueError(f"campaign_spans: end before start for {', '.join(cid[keep & (end < start)])}")
        out = pd.DataFrame({"campaign_id": cid, "name": _campaign_text(t.get("name"), cid),
                            "type": _campaign_text(t.get("type"), np.full(cid.size, UNKNOWN, object)),
                            "start": start, "end": end}, index=t.index)
        for c in ("threshold", "fixed_cost"):
            out[c] = pd.to_numeric(t[c], errors="coerce") if c in t.columns else np.nan
        out = out[keep]
    if out.empty:
        return _campaign_empty(SPAN_COLUMNS)
    out = out.sort_values(["start", "campaign_id"], kind="stable").reset_index(drop=True)
    out = out.assign(**{c: day_stamps(out[c].to_numpy(np.int64)) for c in ("start", "end")})
    return out.astype({"campaign_id": "str", "name": "str", "type": "str", "threshold": float,
                       "fixed_cost": float})[SPAN_COLUMNS]


def _campaign_design(days: np.ndarray, origin: int) -> np.ndarray:
    """Design rows of day numbers: intercept, weekday dummies (Tuesday … Sunday; Monday is the
    reference) and the trend (days since ``origin``)."""
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    dummies = (weekday[:, None] == np.arange(1, 7)[None, :]).astype(np.float64)
    return np.column_stack([np.ones(days.size), dummies, (days - origin).astype(np.float64)])


def _campaign_predict(y: np.ndarray, base: np.ndarray, targets: list[np.ndarray], origin: int,
                      alpha: float) -> list[tuple[float, float]]:
    """OLS of ``y`` on the baseline days ``base``; per target day set, the summed prediction and
    the half-width of the prediction interval of the summed actual values."""
    res = sm.OLS(y, _campaign_design(base, origin)).fit()
    t = stats.t.ppf(1 - alpha / 2, res.df_resid)
    cov = np.asarray(res.cov_params())
    out = []
    for days in targets:
        g = _campaign_design(days, origin).sum(axis=0)
        var = float(g @ cov @ g) + days.size * float(res.scale)
        out.append((float(g @ res.params), t * float(np.sqrt(max(var, 0.0)))) if days.size else (np.nan,) * 2)
    return out


def _campaign_busy(spans: pd.DataFrame, lo: int, n: int,
                   skip: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start and end day numbers of the spans, and whether each of the ``n`` days from ``lo`` lies
    in any span or in ``skip``."""
    start, end = (spans[c].to_numpy().astype("datetime64[D]").astype(np.int64) for c in ("start", "end"))
    edges = np.zeros(n + 1, np.int64)
    np.add.at(edges, np.clip(start - lo, 0, n), 1)
    np.add.at(edges, np.clip(end - lo + 1, 0, n), -1)
    busy = np.cumsum(edges)[:n] > 0
    busy[skip[(skip >= lo) & (skip < lo + n)] - lo] = True
    return start, end, busy


def _campaign_exclude(exclude: Iterable[object] | object) -> np.ndarray:
    """Day numbers of the ``exclude`` dates (one date or an iterable of dates)."""
    dates = [exclude] if isinstance(exclude, str | date | np.datetime64) else list(exclude)
    return _campaign_days(pd.Series(pd.to_datetime(pd.Index(dates, dtype=object), format="mixed")))


def campaign_effects(
    orders: pd.DataFrame, campaigns: pd.DataFrame | None = None, baseline_days: int = 56,
    after_days: int = 14, alpha: float = 0.05, gross_margin: float | None = None,
    exclude: Iterable[object] = (),
) -> pd.DataFrame:
    """What each campaign added, what it cost and whether it pulled orders forward.

    Spans: :func:`campaign_spans` (the ``campaigns`` table, else derived from the orders); one
    row per campaign whose span lies inside the data, sorted by start. Method, baseline window
    and intervals: see the module docstring (``alpha``: 1 − confidence level of every interval).
    Over the campaign's days (start to end, inclusive):

    - ``days``; ``orders`` = paid orders; ``gmv`` = their amount (CNY); ``aov`` = gmv ÷ orders;
    - ``campaign_orders`` = its campaign orders; ``participation`` = campaign_orders ÷ orders;
      ``buyers`` = distinct customers with a campaign order; ``campaign_gmv`` = their amount;
    - ``baseline_aov`` = gmv ÷ orders over the usable baseline days; ``aov_uplift`` = aov ÷
      baseline_aov − 1;
    - ``baseline_gmv`` / ``baseline_orders`` = the counterfactual, Σ predicted over its days;
      ``incremental_gmv`` / ``incremental_orders`` = actual − counterfactual, with
      ``incremental_gmv_low`` / ``_high`` its interval; ``orders_lift`` = orders ÷
      baseline_orders, ``lift_low`` / ``lift_high`` = (baseline_orders + the orders interval's
      bounds) ÷ baseline_orders;
    - ``after_incremental_orders`` = Σ (actual − predicted) paid orders over the ``after_days``
      days after the end (other campaigns' and ``exclude`` days and days past the data left
      out; negative = a dip, orders pulled forward), ``after_low`` / ``after_high`` its interval;
    - ``discount_cost`` = discount of its campaign orders; ``fixed_cost`` from the table (0
      when unknown); ``cost`` = discount_cost + fixed_cost; ``roi_gmv`` = campaign_gmv ÷ cost,
      the playbook's "1 : x" (NaN when cost is 0);
    - ``incremental_profit`` = incremental_gmv × ``gross_margin`` − fixed_cost (NaN without a
      margin): the discounts already lowered the GMV, so they are not subtracted twice;
      ``roi_incremental`` = incremental_profit ÷ cost;
    - ``significant``: the incremental GMV interval excludes 0; ``note``: "" or why figures are
      NaN (``baseline_too_short``; ``no_after_days`` when no day after the end is usable).

    Examples
    --------
    >>> days = pd.date_range("2025-01-01", periods=84)
    >>> n = 100 + 10 * (days.day_of_week >= 5) + 5 * (days >= "2025-03-20")  # +5 orders a day
    >>> orders = pd.DataFrame({"ordered_at": days.repeat(n), "amount": 50.0})
    >>> orders["campaign_id"] = np.where(orders.ordered_at >= "2025-03-20", "C1", None)
    >>> e = campaign_effects(orders)  # derived span: 2025-03-20 to 2025-03-25, the last day
    >>> print(e[["days", "orders", "baseline_orders", "incremental_orders", "note"]].to_string(index=False))
     days  orders  baseline_orders  incremental_orders          note
        6     650            620.0                30.0 no_after_days
    """
    baseline_days = check_days("baseline_days", baseline_days)
    after_days = check_days("after_days", after_days, minimum=0)
    margin = np.nan if gross_margin is None else float(gross_margin)
    if not 0 < alpha < 1 or not (np.isnan(margin) or 0 <= margin <= 1):
        raise ValueError(f"campaign_effects: need 0 < alpha < 1 and 0 ≤ gross_margin ≤ 1, got {alpha!r}, "
                         f"{gross_margin!r}")
    skip = _campaign_exclude(exclude)
    spans = campaign_spans(orders, campaigns)
    p = _campaign_paid(orders, "campaign_effects") if len(orders) else None
    if p is None or spans.empty:
        return _campaign_empty(EFFECT_COLUMNS)
    lo, n = p["lo"], p["hi"] - p["lo"] + 1
    start, end, busy = _campaign_busy(spans, lo, n, skip)
    daily_n, daily_g, _, _ = _campaign_daily(p)
    k = len(spans)  # campaign orders: paid orders carrying the id, on the campaign's days
    code = pd.Index(spans["campaign_id"].to_numpy(object)).get_indexer(p["campaign"])
    c = np.maximum(code, 0)
    mine = (code >= 0) & (p["day"] >= start[c]) & (p["day"] <= end[c])
    cc = code[mine]
    camp = {"campaign_orders": np.bincount(cc, minlength=k),
            "campaign_gmv": np.bincount(cc, weights=p["amount"][mine], minlength=k),
            "discount_cost": np.bincount(cc, weights=p["discount"][mine], minlength=k)}
    ids = orders[CUSTOMER_ID].iloc[p["rows"][mine]] if CUSTOMER_ID in orders.columns else None
    cust = pd.factorize(_campaign_text(ids, np.full(int(mine.sum()), np.nan, object)))[0]
    width = int(cust.max(initial=0)) + 1
    camp["buyers"] = np.bincount(np.unique(cc[cust >= 0] * width + cust[cust >= 0]) // width, minlength=k)
    rows = []
    for i in np.flatnonzero((start >= lo) & (end < lo + n)):  # a loop over campaigns
        s, e = int(start[i] - lo), int(end[i] - lo)
        span, base = np.arange(s, e + 1), np.arange(max(0, s - baseline_days), s)
        after = np.arange(e + 1, min(n, e + 1 + after_days))
        base, after = base[~busy[base]], after[~busy[after]]
        orders_i, gmv_i = daily_n[span].sum(), daily_g[span].sum()
        notes, fit = [], np.full(6, np.nan)  # counterfactual and half-width: orders, gmv, after
        weekdays = np.bincount((base + lo + 3) % 7, minlength=7)  # 1970-01-01 was a Thursday
        if base.size >= MIN_BASELINE_DAYS and weekdays.min() >= MIN_PER_WEEKDAY:
            fit[[0, 1, 4, 5]] = np.ravel(_campaign_predict(daily_n[base], base, [span, after], s, alpha))
            fit[[2, 3]] = _campaign_predict(daily_g[base], base, [span], s, alpha)[0]
        else:
            notes.append("baseline_too_short")
        if after_days > 0 and after.size == 0:
            notes.append("no_after_days")
        bn, hn, bg, hg, an, ah = fit
        inc_n, inc_g, after_inc = orders_i - bn, gmv_i - bg, daily_n[after].sum() - an
        rows.append({
            "row": i, "days": span.size, "orders": int(orders_i), "gmv": gmv_i,
            "aov": _campaign_ratio(gmv_i, orders_i),
            "baseline_aov": _campaign_ratio(daily_g[base].sum(), daily_n[base].sum()),
            "baseline_gmv": bg, "incremental_gmv": inc_g, "incremental_gmv_low": inc_g - hg,
            "incremental_gmv_high": inc_g + hg, "baseline_orders": bn, "incremental_orders": inc_n,
            "orders_lift": _campaign_ratio(orders_i, bn), "lift_low": _campaign_ratio(orders_i - hn, bn),
            "lift_high": _campaign_ratio(orders_i + hn, bn), "after_incremental_orders": after_inc,
            "after_low": after_inc - ah, "after_high": after_inc + ah,
            "significant": bool(inc_g - hg > 0 or inc_g + hg < 0), "note": "; ".join(notes),
        })
    if not rows:
        return _campaign_empty(EFFECT_COLUMNS)
    out = pd.DataFrame(rows)
    i = out.pop("row").to_numpy()
    out = pd.concat([spans.iloc[i, :5].reset_index(drop=True), out], axis=1).assign(
        **{name: v[i] for name, v in camp.items()}, fixed_cost=spans["fixed_cost"].fillna(0.0).to_numpy()[i])
    out["participation"] = _campaign_ratio(out["campaign_orders"], out["orders"])
    out["aov_uplift"] = _campaign_ratio(out["aov"], out["baseline_aov"]) - 1
    out["cost"] = out["discount_cost"] + out["fixed_cost"]
    out["roi_gmv"] = _campaign_ratio(out["campaign_gmv"], out["cost"])
    out["incremental_profit"] = out["incremental_gmv"] * margin - out["fixed_cost"]
    out["roi_incremental"] = _campaign_ratio(out["incremental_profit"], out["cost"])
    out[_MONEY] = out[_MONEY].round(2)
    return out.astype({c: _TYPES[c] for c in ("days", "orders", "campaign_orders", "buyers")})[EFFECT_COLUMNS]


def _campaign_ratio(num: object, den: object) -> object:
    """num ÷ den, NaN where den is 0 or NaN (scalars or arrays)."""
    num, den = np.asarray(num, np.float64), np.asarray(den, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
    return float(out) if out.ndim == 0 else out


def by_type(effects: pd.DataFrame) -> pd.DataFrame:
    """Campaign figures per type, beside the playbook's :data:`REFERENCE`.

    Per ``type`` of :func:`campaign_effects` rows: ``campaigns`` (count); ``participation`` and
    ``aov_uplift`` (means over its campaigns, NaN left out); ``gmv`` = Σ campaign_gmv (GMV of
    campaign orders, CNY); ``cost`` = Σ cost (CNY); ``roi_gmv`` = gmv ÷ cost (NaN when 0);
    ``incremental_gmv`` = Σ incremental_gmv (CNY; NaN figures left out, NaN when all are);
    ``significant`` = campaigns whose incremental GMV interval excludes 0; ``reference_roi``,
    ``reference_participation``, ``reference_aov_uplift`` from :data:`REFERENCE` (NaN for a type
    it lacks). Types in the order of :data:`TYPES` (the playbook's), others after them by name.

    Examples
    --------
    >>> effects = pd.DataFrame({"type": ["满减", "满减", "秒杀"], "participation": [0.3, 0.5, 0.2],
    ...     "aov_uplift": [0.1, 0.3, 0.0], "campaign_gmv": [900.0, 500.0, 100.0],
    ...     "cost": [300.0, 200.0, 0.0], "incremental_gmv": [400.0, np.nan, 10.0],
    ...     "significant": [True, False, False]})
    >>> print(by_type(effects).iloc[:, :9].to_string(index=False))
    type  campaigns  participation  aov_uplift   gmv  cost  roi_gmv  incremental_gmv  significant
      满减          2            0.4         0.2 1400.0 500.0      2.8            400.0            1
      秒杀          1            0.2         0.0  100.0   0.0      NaN             10.0            0
    """
    require_columns(effects, ["type", "participation", "aov_uplift", "campaign_gmv", "cost",
                              "incremental_gmv", "significant"], "by_type")
    if effects.empty:
        return _campaign_empty(TYPE_COLUMNS, significant=np.int64)
    g = effects.astype({"significant": bool}).groupby("type", sort=False)
    out = pd.DataFrame({
        "campaigns": g.size().astype(np.int64), "participation": g["participation"].mean(),
        "aov_uplift": g["aov_uplift"].mean(), "gmv": g["campaign_gmv"].sum().round(2),
        "cost": g["cost"].sum().round(2), "incremental_gmv": g["incremental_gmv"].sum(min_count=1).round(2),
        "significant": g["significant"].sum().astype(np.int64),
    })
    out["roi_gmv"] = _campaign_ratio(out["gmv"], out["cost"])
    for key in ("roi", "participation", "aov_uplift"):
        out[f"reference_{key}"] = [REFERENCE.get(t, {}).get(key, np.nan) for t in out.index]
    out = out.iloc[sorted(range(len(out)), key=lambda j: (TYPES.index(t) if (t := out.index[j]) in TYPES
                                                           else len(TYPES), str(t)))]
    return out.rename_axis("type").reset_index().astype({"type": "str"})[TYPE_COLUMNS]


def threshold_bunching(
    orders: pd.DataFrame, threshold: float, width: float = 0.10, campaign_id: str | None = None,
    campaigns: pd.DataFrame | None = None,
) -> dict[str, float | int]:
    """Whether gross baskets bunch just above a 满X threshold.

    Gross basket = ``amount`` + ``discount`` (CNY, before the discount; a missing discount 0).
    Among the paid orders (of ``campaign_id`` when given, on any day; else all paid orders):
    ``just_below`` = orders with a gross basket in [T(1 − w), T), ``just_above`` = in
    [T, T(1 + w)) (bounds to the fen), ``ratio`` = just_above ÷ just_below (NaN when just_below is
    0), T = ``threshold`` and w = ``width`` (both returned). ``baseline_just_below``,
    ``baseline_just_above``, ``baseline_ratio``: the same over the paid orders on days outside
    every campaign span (:func:`campaign_spans`, from ``campaigns`` if given). A ratio above the baseline
    ratio means customers top their baskets up to reach 满X.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2025-03-01"] * 4 + ["2025-03-05"] * 3),
    ...     "amount": [92.0, 96.0, 99.0, 95.0, 98.0, 104.0, 92.0],
    ...     "discount": [10.0, 10.0, 10.0, 0.0, 0.0, 0.0, 0.0], "campaign_id": ["M"] * 3 + [None] * 4})
    >>> b = threshold_bunching(orders, 100, campaign_id="M")
    >>> b["just_below"], b["just_above"], b["ratio"], b["baseline_ratio"]
    (0, 3, nan, 0.5)
    """
    if not threshold > 0 or not 0 < width < 1:
        raise ValueError(f"threshold_bunching: need threshold > 0, 0 < width < 1: {threshold!r}, {width!r}")
    p = _campaign_paid(orders, "threshold_bunching") if len(orders) else None
    if p is None:
        return _campaign_bunch(np.zeros(0), np.zeros(0, bool), np.zeros(0, bool), threshold, width)
    take = (p["campaign"] == campaign_id) if campaign_id is not None else np.ones(p["day"].size, bool)
    return _campaign_bunch(np.round(p["amount"] + p["discount"], 2), take,
                           _campaign_calm(p, campaign_spans(orders, campaigns)), threshold, width)


def _campaign_calm(p: dict[str, np.ndarray], spans: pd.DataFrame) -> np.ndarray:
    """Whether each paid order of ``p`` falls on a day outside every campaign span."""
    n = p["hi"] - p["lo"] + 1
    return ~_campaign_busy(spans, p["lo"], n, np.zeros(0, np.int64))[2][p["day"] - p["lo"]]


def _campaign_bunch(gross: np.ndarray, take: np.ndarray, calm: np.ndarray, threshold: float,
                    width: float) -> dict[str, float | int]:
    """Orders just below and just above ``threshold`` (gross baskets, bounds to the fen) among
    ``take`` and, as the baseline, among ``calm``."""
    out: dict[str, float | int] = {"threshold": float(threshold), "width": float(width)}
    below = (gross >= round(threshold * (1 - width), 2)) & (gross < threshold)
    above = (gross >= threshold) & (gross < round(threshold * (1 + width), 2))
    for prefix, mask in (("", take), ("baseline_", calm)):
        lo_n, hi_n = int((below & mask).sum()), int((above & mask).sum())
        out.update({f"{prefix}just_below": lo_n, f"{prefix}just_above": hi_n,
                    f"{prefix}ratio": hi_n / lo_n if lo_n else float("nan")})
    return out


def bunching(
    orders: pd.DataFrame, campaigns: pd.DataFrame | None = None, width: float = 0.10
) -> pd.DataFrame:
    """:func:`threshold_bunching` for each 满X threshold of the campaigns (``threshold`` of
    :func:`campaign_spans`), over every paid order placed on the days of the campaigns with that
    threshold — tagged or not, since an order only carries the campaign once it reached the
    threshold — against the paid orders on days outside every campaign. One row per threshold:
    ``threshold, campaigns`` and the function's counts and ratios.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-09"]),
    ...     "amount": [95.0, 92.0, 96.0], "discount": [10.0, 0.0, 0.0], "campaign_id": ["A", None, None]})
    >>> table = pd.DataFrame({"campaign_id": ["A"], "start": ["2025-03-01"], "end": ["2025-03-01"],
    ...                       "threshold": [100.0]})
    >>> bunching(orders, table)[["threshold", "campaigns", "just_below", "just_above", "baseline_just_below"]]
       threshold  campaigns  just_below  just_above  baseline_just_below
    0      100.0          1           1           1                    1
    """
    spans = campaign_spans(orders, campaigns)
    p = _campaign_paid(orders, "bunching") if len(orders) else None
    rows = []
    if p is not None:
        gross, calm = np.round(p["amount"] + p["discount"], 2), _campaign_calm(p, spans)
        for threshold, group in spans.dropna(subset=["threshold"]).groupby("threshold"):
            days = np.concatenate([np.arange(s_, e_ + 1) for s_, e_ in zip(
                _campaign_days(group["start"]), _campaign_days(group["end"]), strict=True)])
            rows.append({"threshold": float(threshold), "campaigns": len(group),
                         **_campaign_bunch(gross, np.isin(p["day"], days), calm, threshold, width)})
    columns = ["threshold", "campaigns", "width", "just_below", "just_above", "ratio", "baseline_just_below",
               "baseline_just_above", "baseline_ratio"]
    return pd.DataFrame(rows, columns=columns).astype({"campaigns": np.int64}) if rows else pd.DataFrame(
        columns=columns)
