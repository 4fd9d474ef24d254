"""Acquisition by campaign (活动拉新): are the buyers a campaign brought in worth as much as
organic ones?

Definitions shared by every function here:

- buyer: a customer with at least one paid order (:func:`wxshop.analysis.paid.paid_orders`:
  ``status == "paid"``, with a ``customer_id`` and an ``ordered_at``); window: every order given;
- first paid order: the buyer's paid order with the earliest ``ordered_at`` (orders at the same
  instant: the first row); first paid day: its calendar day;
- acquired by a campaign: the first paid order carries a ``campaign_id`` (missing or blank =
  none); with a ``campaigns`` table, only ids listed in it count (others are organic) and the
  buyer's campaign type is that campaign's ``type`` (missing or blank ``"—"``); else organic;
- the first ``n`` days: the first paid day and the ``n − 1`` days after it; a buyer is
  *eligible* for ``n`` when the first paid day is at least ``n`` days before the day of the
  last order in the data (any status), so those ``n`` days are all observed;
- money: paid ``amount`` (CNY, after discount; a missing amount counts 0), rounded to the fen
  in outputs; shares 0–1; a ratio with an empty denominator is NaN.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.growth.compare import welch
from wxshop.analysis.paid import (
    UNKNOWN,
    PaidOrders,
    check_days,
    paid_mask,
    paid_orders,
    require_columns,
    timestamps,
)
from wxshop.data.schema import AMOUNT, CAMPAIGN_ID, CAMPAIGN_TYPES, CUSTOMER_ID, ORDERED_AT

__all__ = ["acquired_difference", "acquired_value"]

CAMPAIGN, ORGANIC = "campaign", "organic"
DIFFERENCE_KEYS = ("campaign_mean", "organic_mean", "diff", "ci_low", "ci_high", "p_value", "n_campaign",
                   "n_organic")


def _acquired_text(values: pd.Series) -> np.ndarray:
    """``values`` as stripped text (object array), NaN where missing or blank."""
    v = values.astype("str").str.strip()
    return np.where((v.notna() & (v != "")).to_numpy(bool), v.to_numpy(object), np.nan)


def _acquired_days(days: int | Sequence[int], what: str) -> tuple[int, ...]:
    """``days`` as a tuple of distinct whole numbers ≥ 1 (a single int allowed)."""
    if isinstance(days, int | np.integer) and not isinstance(days, bool):
        days = (days,)
    out = tuple(check_days(f"{what}: each of days", d) for d in days)
    if not out or len(set(out)) != len(out):
        raise ValueError(f"{what}: days must hold one or more distinct days, got {days!r}")
    return out


def _acquired_buyers(orders: pd.DataFrame, campaigns: pd.DataFrame | None, by_type: bool,
                     what: str) -> tuple[PaidOrders | None, np.ndarray, list[str]]:
    """The paid orders (None without any), each buyer's group code and the group names: ``campaign``
    (or each campaign type when ``by_type``) then ``organic`` (the last code)."""
    require_columns(orders, [CUSTOMER_ID, ORDERED_AT, AMOUNT, CAMPAIGN_ID], what)
    types = np.zeros(0, object)
    if campaigns is not None:
        require_columns(campaigns, [CAMPAIGN_ID, *(["type"] if by_type else [])], what)
        ids = _acquired_text(campaigns[CAMPAIGN_ID])
        listed = pd.notna(ids) & ~pd.Index(ids).duplicated()  # an id listed twice: its first row
        table = pd.Index(ids[listed], dtype=object)
        if by_type:
            types = _acquired_text(campaigns["type"])[listed]
            types = np.where(pd.notna(types), types, UNKNOWN).astype(object)
    elif by_type:
        raise ValueError(f"{what}: by_type needs a campaigns table with a type column")
    names = [CAMPAIGN]
    if by_type:
        rank = {t: i for i, t in enumerate(CAMPAIGN_TYPES)}
        names = sorted(set(types.tolist()), key=lambda t: (t == UNKNOWN, rank.get(t, len(rank)), t))
    names = [*names, ORGANIC]
    at = timestamps(orders[ORDERED_AT])
    last = at.max()
    if pd.isna(last):
        return None, np.zeros(0, np.int64), names
    paid = paid_orders(orders, last, what, amount=True)
    if not paid.n:
        return None, np.zeros(0, np.int64), names
    keep = paid_mask(orders).to_numpy(bool) & at.notna().to_numpy(bool)
    keep &= orders[CUSTOMER_ID].notna().to_numpy(bool)  # as paid_orders keeps them
    if int(keep.sum()) != paid.code.size:
        raise RuntimeError(f"{what}: the paid orders do not line up with the orders frame")
    cid = _acquired_text(orders[CAMPAIGN_ID][keep])
    order = np.lexsort((paid.at.astype(np.int64), paid.code))  # stable: same instant, first row
    code = paid.code[order]
    first = order[np.r_[True, code[1:] != code[:-1]]]  # one row per buyer, in code order
    camp = cid[first]
    if campaigns is None:
        return paid, np.where(pd.notna(camp), 0, len(names) - 1), names
    pos = table.get_indexer(np.where(pd.notna(camp), camp, "").astype(object))
    if not by_type:
        return paid, np.where(pos >= 0, 0, len(names) - 1), names
    group = pd.Index(names).get_indexer(types[np.maximum(pos, 0)]) if types.size else np.zeros(pos.size, int)
    return paid, np.where(pos >= 0, group, len(names) - 1).astype(np.int64), names


def acquired_value(orders: pd.DataFrame, campaigns: pd.DataFrame | None = None,
                   days: int | Sequence[int] = (30, 60, 90), by_type: bool = False) -> pd.DataFrame:
    """Repurchase and value in the first days of campaign-acquired and organic buyers.

    Parameters
    ----------
    orders : customer_id, ordered_at, amount, campaign_id[, status].
    campaigns : optional campaigns table (campaign_id[, type]); when given, only its ids acquire.
    days : the window lengths n (whole numbers ≥ 1, distinct), e.g. ``(30, 60, 90)``.
    by_type : split the acquired buyers by their campaign's ``type`` (needs ``campaigns`` with
        a ``type`` column; ValueError otherwise).

    Returns
    -------
    Index ``group``: ``campaign`` then ``organic``; with ``by_type`` each type of the
    ``campaigns`` table (the playbook's order, others by name, ``"—"`` last) then ``organic``.
    Columns (definitions in the module): ``customers`` = buyers of the group (count); per n:

    - ``eligible_n``: those eligible for n days (first paid day ≤ last order day − n; count);
    - ``repurchase_n``: share of the eligible with a paid order on a later calendar day within
      their first n days (days first + 1 … first + n − 1; a second order on the first day is
      not a repurchase);
    - ``value_n``: mean over the eligible of Σ paid ``amount`` in days first … first + n − 1,
      the first order included (CNY, to the fen).

    Empty (no rows) without paid orders.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-02", "2025-01-02",
    ...                                   "2025-01-20"]),
    ...     "amount": [30.0, 20.0, 10.0, 15.0, 9.0], "campaign_id": ["MJ", None, None, None, "MJ"]})
    >>> print(acquired_value(orders, days=7).to_string())
              customers  eligible_7  repurchase_7  value_7
    group
    campaign          2           1           1.0     50.0
    organic           1           1           0.0     25.0
    """
    days = _acquired_days(days, "acquired_value")
    paid, group, names = _acquired_buyers(orders, campaigns, by_type, "acquired_value")
    columns = ["customers", *[f"{c}_{n}" for n in days for c in ("eligible", "repurchase", "value")]]
    if paid is None:
        kind = {c: np.int64 if c.startswith(("customers", "eligible")) else float for c in columns}
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in kind.items()},
                            index=pd.Index([], dtype="str", name="group"))
    g = len(names)
    out = {"customers": np.bincount(group, minlength=g).astype(np.int64)}
    for n in days:
        first, value, days_bought = paid.opening(n)
        eligible, again = first <= paid.end_day - n, days_bought >= 2
        count = np.bincount(group, weights=eligible, minlength=g)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.bincount(group, weights=eligible & again, minlength=g) / count
            mean = np.bincount(group, weights=np.where(eligible, value, 0.0), minlength=g) / count
        out[f"eligible_{n}"] = count.astype(np.int64)
        out[f"repurchase_{n}"] = np.where(count > 0, share, np.nan)
        out[f"value_{n}"] = np.where(count > 0, mean, np.nan).round(2)
    return pd.DataFrame(out, index=pd.Index(names, dtype="str", name="group"))[columns]


def acquired_difference(orders: pd.DataFrame, campaigns: pd.DataFrame | None = None, days: int = 90,
                        alpha: float = 0.05) -> dict[str, float | int]:
    """Campaign-acquired minus organic buyers' mean value in their first ``days`` days (Welch).

    Over the buyers eligible for ``days`` days (definitions in the module): ``n_campaign``,
    ``n_organic`` = their counts; ``campaign_mean``, ``organic_mean`` = mean Σ paid ``amount``
    in days first … first + ``days`` − 1 per buyer (CNY, to the fen; NaN with no buyer);
    ``diff`` = campaign_mean − organic_mean (CNY); ``ci_low``, ``ci_high`` = its 1 − ``alpha``
    confidence interval and ``p_value`` the two-sided p of Welch's t-test (unequal variances:
    ``scipy.stats.ttest_ind(equal_var=False)`` and its ``confidence_interval``). ``diff``,
    ``ci_low``, ``ci_high`` and ``p_value`` are NaN unless both groups have ≥ 2 buyers.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "e"],
    ...     "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04",
    ...                                   "2025-03-01"]),
    ...     "amount": [30.0, 50.0, 20.0, 30.0, 1.0], "campaign_id": ["MJ", "MJ", None, None, None]})
    >>> r = acquired_difference(orders, days=30)
    >>> r["diff"], r["n_campaign"], r["n_organic"], round(r["p_value"], 3)
    (15.0, 2, 2, 0.35)
    """
    days = check_days("acquired_difference: days", days)
    if not 0 < alpha < 1:
        raise ValueError(f"acquired_difference: alpha must lie between 0 and 1, got {alpha!r}")
    paid, group, _ = _acquired_buyers(orders, campaigns, False, "acquired_difference")
    out: dict[str, float | int] = dict.fromkeys(DIFFERENCE_KEYS, float("nan"))
    if paid is None:
        return {**out, "n_campaign": 0, "n_organic": 0}
    first, value, _ = paid.opening(days)
    eligible = first <= paid.end_day - days
    a, b = value[eligible & (group == 0)], value[eligible & (group == 1)]
    out.update(n_campaign=int(a.size), n_organic=int(b.size),
               campaign_mean=round(float(a.mean()), 2) if a.size else float("nan"),
               organic_mean=round(float(b.mean()), 2) if b.size else float("nan"))
    w = welch(a, b, alpha)
    if np.isfinite(w["diff"]):
        out.update(diff=round(w["diff"], 2), ci_low=round(w["low"], 2), ci_high=round(w["high"], 2),
                   p_value=w["p_value"])
    return out
