"""Touches in the demo: the SOP's 1v1 messages at stage entries (with a randomised holdout and a
confounded observational part), the extra orders they cause, and the 群发 and 公众号 pushes.

Stage entries come from the shop's paid orders (:class:`~wxshop.demo.private_inputs.PaidHistory`),
as :func:`wxshop.analysis.private_domain.cadence.stage_entries` reads them:

- ``new``: a customer's first paid order (entered_at = its time); ``active``: the second;
- ``silent``: each time a customer goes 60 days without a paid order (entered_at = the last
  paid order + 60 days, when the next one, if any, comes later);
- only entries in ``[pd_start, end − 30 days]`` count, and only customers who are contacts
  (added_at ≤ entered_at + 3 days, not deleted by entered_at) and in none of the shop's
  experiments can be touched (eligible).

Who gets a 1v1 touch:

- a random 40 % of the eligible silent entries are chosen, and a customer's first chosen one is
  enrolled in experiment ``sop_holdout`` (assigned_at = entered_at), arm ``holdout`` with chance
  0.2, else ``sop``; the sop arm gets one 1v1 touch in (assigned_at, assigned_at + 3 days], the
  holdout arm none in its 30 days (an enrolled customer's other entries inside
  (assigned_at, assigned_at + 30 days] are not touched, so the sop arm has exactly one touch);
- every other eligible entry (observational) gets one in (entered_at, entered_at + w days],
  w = 3 / 7 / 14 for new / active / silent, at a uniform time, with chance
  ``p = logistic(a + 1.0 z)``, z = log1p(the customer's paid orders in the 365 days before the
  entry) standardised over the observational entries, ``a`` solved so that the mean of p is 0.5:
  customers with more recent orders are touched more. How that, and who is a contact at all,
  biases a touched − not-touched comparison depends on who rebuys: :func:`naive_truth` gives the
  expected bias per stage.

Effect: every 1v1 touch at t makes, with chance δ = 0.06, an extra paid order at t + U(0, 10)
days (none after the end). The causal intention-to-treat difference between the arms in
P(any paid order in (assigned_at, assigned_at + 30 days]) is δ × (1 − the share of enrolled
customers with an organic paid order in their window).

1v1 messages are opened with the store's ``session_open`` ~ U(0.45, 0.65), replied to with
chance 0.3 when opened. 群发: every contact with a customer_id, on the 1st and 16th of each
month (10:00 + U(0, 2) hours), opened 0.35, replied 0.05 of opened. 公众号: every Thursday
(20:00 + U(0, 1) hour) to a fresh random 30 % of them, opened 0.22, replied missing. A touch
goes only to a contact added by and not deleted before it; staff_id is the contact's staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxshop.demo.private_inputs import PaidHistory, PdWindow, text_series, time_series
from wxshop.demo.settings import (
    ADD_GRACE_DAYS,
    EXTRA_ORDER_DAYS,
    HOLDOUT_ENROL_SHARE,
    HOLDOUT_SHARE,
    MASS_DAYS,
    MASS_OPEN,
    MASS_REPLY_GIVEN_OPEN,
    OA_OPEN,
    OA_SHARE,
    OA_WEEKDAY,
    OUTCOME_DAYS,
    REPLY_GIVEN_OPEN,
    SECONDS_PER_DAY,
    SESSION_OPEN_RANGE,
    SILENT_DAYS,
    SOP_TOUCH_DAYS,
    STAGE_WINDOW_DAYS,
    TOUCH_CONFOUNDING,
    TOUCH_EFFECT,
    TOUCH_MEAN_PROB,
)
from wxshop.demo.wecom import Contacts, Staff

__all__ = ["SopTouches", "draw_touches", "logistic_intercept", "naive_truth", "stage_entries"]

DAY = SECONDS_PER_DAY
STAGES = ("new", "active", "silent")
SILENT = STAGES.index("silent")


@dataclass(frozen=True)
class SopTouches:
    """The touches table; the sop_holdout assignments (customer code, seconds, arm: 0 sop,
    1 holdout); the extra orders (customer code, seconds); the truth of the touches."""

    table: pd.DataFrame
    enrolled: np.ndarray
    assigned: np.ndarray
    arm: np.ndarray
    extra_customer: np.ndarray
    extra_seconds: np.ndarray
    truth: dict[str, Any]


def stage_entries(hist: PaidHistory, window: PdWindow) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer code, entered_at seconds, stage index into :data:`STAGES`) of the entries in
    ``[pd_start, end − 30 days]``, sorted by customer then time.

    Examples
    --------
    >>> from wxshop.demo.private_inputs import paid_history, pd_window
    >>> orders = pd.DataFrame({"customer_id": ["C1", "C1", "C1", "C2"], "amount": [1.0] * 4,
    ...     "ordered_at": pd.to_datetime(["2025-12-01", "2026-01-10", "2026-05-01", "2025-06-01"])})
    >>> c, t, s = stage_entries(paid_history(orders, None, pd_window("2026-10-31")),
    ...                         pd_window("2026-10-31"))
    >>> print(c.tolist(), (t // 86400).tolist(), [STAGES[k] for k in s])
    [0, 0, 0, 0] [30, 70, 130, 241] ['new', 'active', 'silent', 'silent']
    """
    c, s = hist.customer, hist.seconds
    n = c.size
    head = np.r_[True, c[1:] != c[:-1]] if n else np.zeros(0, bool)
    rank = np.arange(n) - np.maximum.accumulate(np.where(head, np.arange(n), 0))
    nxt = np.full(n, np.iinfo(np.int64).max // 4)
    same = ~head[1:]
    nxt[:-1][same] = s[1:][same]
    quiet = nxt - s > SILENT_DAYS * DAY
    parts = [(rank == 0, s), (rank == 1, s), (quiet, s + SILENT_DAYS * DAY)]
    cust = np.concatenate([c[m] for m, _ in parts]).astype(np.int64)
    at = np.concatenate([t[m] for m, t in parts]).astype(np.int64)
    stage = np.concatenate([np.full(int(m.sum()), k, np.int64) for k, (m, _) in enumerate(parts)])
    keep = (at >= 0) & (at <= window.seconds - OUTCOME_DAYS * DAY)
    order = np.lexsort((at[keep], cust[keep]))
    return cust[keep][order], at[keep][order], stage[keep][order]


def logistic_intercept(z: np.ndarray, mean_p: float, slope: float = 1.0) -> float:
    """The ``a`` with mean(logistic(a + slope z)) = mean_p (bisection).

    Examples
    --------
    >>> z = np.array([-1.0, 0.0, 1.0])
    >>> a = logistic_intercept(z, 0.5)
    >>> print(round(a, 6), round(float(np.mean(1 / (1 + np.exp(-(a + z))))), 6))
    0.0 0.5
    """
    lo, hi = -30.0, 30.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if np.mean(1 / (1 + np.exp(-(mid + slope * z)))) < mean_p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _touch_rows(send: np.ndarray, added: np.ndarray, deleted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(contact, send index) for every send time (sorted) at or after a contact's adding and
    before its deletion."""
    lo = np.searchsorted(send, added, side="left")
    hi = np.searchsorted(send, deleted, side="left")
    k = np.maximum(hi - lo, 0)
    who = np.repeat(np.arange(added.size), k)
    first = np.repeat(lo - (np.cumsum(k) - k), k)
    return who, first + np.arange(who.size)


def _day_starts(pick: np.ndarray) -> np.ndarray:
    """Seconds since pd_start of the days where ``pick`` (per day of the window) is true."""
    return np.flatnonzero(pick) * DAY


def naive_truth(stage: np.ndarray, p: np.ndarray, hit: np.ndarray, organic: np.ndarray,
                any_order: np.ndarray, outside: np.ndarray) -> dict[str, Any]:
    """What a touched − not-touched comparison per stage shows (as
    :func:`wxshop.analysis.private_domain.cadence.cadence_outcomes` makes it: every entry of the
    stage, the holdout's enrolled customers left out, not-touched including non-contacts).

    With p the planted touch chance of each entry (0 when it cannot be touched) and y = an organic
    paid order in (entered_at, entered_at + 30 days]: the expected bias is
    Σ p·y ÷ Σ p − Σ (1 − p)·y ÷ Σ (1 − p), and the expected naive difference is that bias plus
    δ × (1 − Σ p·y ÷ Σ p) (a touched entrant's extra order always falls inside the 30 days).
    The direction is the sign of the silent stage's expected difference minus the effect the
    holdout measures (``touch_effect``), i.e. of its bias.

    Examples
    --------
    >>> out = naive_truth(np.array([2, 2]), np.array([0.5, 0.5]), np.array([True, False]),
    ...                   np.array([True, False]), np.array([True, False]), np.array([True, True]))
    >>> print(out["naive_bias_expected"]["silent"], out["naive_difference_realised"]["silent"])
    0.0 1.0
    """
    def expected(m: np.ndarray) -> tuple[float | None, float | None]:
        q, y = p[m], organic[m].astype(float)
        if q.sum() <= 0 or (1 - q).sum() <= 0:
            return None, None
        touched = (q * y).sum() / q.sum()
        gap = float(touched - ((1 - q) * y).sum() / (1 - q).sum())
        return gap, gap + TOUCH_EFFECT * (1 - touched)

    def realised(m: np.ndarray) -> float | None:
        a, b = m & hit, m & ~hit
        return float(any_order[a].mean() - any_order[b].mean()) if a.any() and b.any() else None

    parts = {**{name: outside & (stage == k) for k, name in enumerate(STAGES)}, "all": outside}
    exp = {k: expected(m) for k, m in parts.items()}
    silent = exp["silent"][0]
    return {
        "naive_bias_direction": None if silent is None else ("up" if silent > 0 else "down"),
        "naive_bias_expected": {k: v[0] for k, v in exp.items()},
        "naive_difference_expected": {k: v[1] for k, v in exp.items()},
        "naive_difference_realised": {k: realised(m) for k, m in parts.items()},
        "naive_definition": "per stage, every entry of customers not enrolled in sop_holdout: touched "
                            "− not-touched share with a paid order in (entered_at, entered_at + 30 days]; "
                            "bias = the organic part of that difference given the planted touch "
                            "chances; direction = sign of the silent stage's bias",
    }


def draw_touches(rng: np.random.Generator, hist: PaidHistory, contacts: Contacts, staff: Staff,
                 in_experiment: np.ndarray, window: PdWindow) -> SopTouches:
    """Entries, the holdout, 1v1 touches and extra orders, 群发 and 公众号 pushes (see the module
    docstring)."""
    w = window.seconds
    cust, entered, stage = stage_entries(hist, window)
    row = contacts.of_customer(hist.n)[cust]
    r = np.maximum(row, 0)
    eligible = ((row >= 0) & (contacts.added[r] <= entered + ADD_GRACE_DAYS * DAY)
                & (contacts.deleted[r] > entered) & ~in_experiment[cust])
    # enrolment: a random 40 % of the eligible silent entries, a customer's first one only; the
    # customer's other entries inside its 30 days are not touched (one touch per sop window)
    chosen = np.flatnonzero(eligible & (stage == SILENT) & (rng.random(cust.size) < HOLDOUT_ENROL_SHARE))
    _, first_chosen = np.unique(cust[chosen], return_index=True)
    enrol = np.zeros(cust.size, bool)
    enrol[chosen[first_chosen]] = True
    arm = (rng.random(cust.size) < HOLDOUT_SHARE).astype(np.int64)
    assigned_of = np.full(hist.n, np.iinfo(np.int64).min // 4)
    assigned_of[cust[enrol]] = entered[enrol]
    shadowed = (entered > assigned_of[cust]) & (entered <= assigned_of[cust] + OUTCOME_DAYS * DAY)
    observe = eligible & ~enrol & ~shadowed

    before = hist.orders_between(cust, entered - 365 * DAY - 1, entered - 1)
    x = np.log1p(before[observe].astype(float))
    sd = float(x.std()) if x.size else 0.0
    z = (x - x.mean()) / sd if sd > 0 else np.zeros(x.size)
    a = logistic_intercept(z, TOUCH_MEAN_PROB, TOUCH_CONFOUNDING) if z.size else 0.0
    p = np.zeros(cust.size)
    p[observe] = 1 / (1 + np.exp(-(a + TOUCH_CONFOUNDING * z)))
    hit = observe & (rng.random(cust.size) < p)
    span = np.asarray([STAGE_WINDOW_DAYS[s] for s in STAGES])[stage] * DAY
    sop = enrol & (arm == 0)
    span = np.where(sop, SOP_TOUCH_DAYS * DAY, span)
    touch_at = entered + 1 + np.floor(rng.random(cust.size) * (span - 1)).astype(np.int64)  # (entered, +span)
    touched = hit | sop
    t1 = np.flatnonzero(touched)

    session_open = float(rng.uniform(*SESSION_OPEN_RANGE))
    opened1 = rng.random(t1.size) < session_open
    replied1 = opened1 & (rng.random(t1.size) < REPLY_GIVEN_OPEN)
    makes = rng.random(t1.size) < TOUCH_EFFECT
    extra_at = touch_at[t1] + np.floor(rng.random(t1.size) * EXTRA_ORDER_DAYS * DAY).astype(np.int64)
    extra = makes & (extra_at < w)
    extra_c, extra_t = cust[t1][extra], extra_at[extra]

    # 群发 and 公众号 pushes to the contacts with a customer_id
    days = pd.date_range(pd.Timestamp(window.origin), periods=window.days, freq="D")
    buyers = np.flatnonzero(contacts.customer >= 0)
    mass = _day_starts(np.isin(days.day, MASS_DAYS)) + 10 * 3600
    oa = _day_starts(days.day_of_week == OA_WEEKDAY) + 20 * 3600
    mw, mi = _touch_rows(mass, contacts.added[buyers], contacts.deleted[buyers])
    ow, oi = _touch_rows(oa, contacts.added[buyers], contacts.deleted[buyers])
    pick = rng.random(ow.size) < OA_SHARE
    ow, oi = ow[pick], oi[pick]
    mass_t = mass[mi] + rng.integers(0, 2 * 3600, mi.size)
    oa_t = oa[oi] + rng.integers(0, 3600, oi.size)
    mass_open = rng.random(mw.size) < MASS_OPEN
    mass_reply = mass_open & (rng.random(mw.size) < MASS_REPLY_GIVEN_OPEN)
    oa_open = rng.random(ow.size) < OA_OPEN

    c_all = np.concatenate([cust[t1], contacts.customer[buyers[mw]], contacts.customer[buyers[ow]]])
    staff_all = np.concatenate([contacts.staff[r[t1]], contacts.staff[buyers[mw]],
                                contacts.staff[buyers[ow]]])
    ts = np.concatenate([touch_at[t1], mass_t, oa_t])
    kind = np.repeat(np.asarray(["1v1", "群发", "公众号"], object), [t1.size, mw.size, ow.size])
    opened = np.concatenate([opened1, mass_open, oa_open]).astype(np.int64)
    replied = np.concatenate([replied1, mass_reply, np.full(ow.size, np.nan)]).astype(float)
    order = np.lexsort((c_all, ts))
    table = pd.DataFrame({
        "customer_id": text_series(hist.ids[c_all[order]]),
        "ts": time_series(window, ts[order]),
        "kind": text_series(kind[order]),
        "staff_id": text_series(staff.ids[staff_all[order]]),
        "opened": opened[order],
        "replied": replied[order],
    })

    # outcomes: any paid order (organic, and with the extra orders) in the 30 days after entry
    organic = hist.orders_between(cust, entered, entered + OUTCOME_DAYS * DAY) > 0
    ek = np.sort(hist.key(extra_c, extra_t))
    n_extra = (np.searchsorted(ek, hist.key(cust, entered + OUTCOME_DAYS * DAY), side="right")
               - np.searchsorted(ek, hist.key(cust, entered), side="right"))
    any_order = organic | (n_extra > 0)
    holdout = enrol & (arm == 1)
    organic_share = float(organic[enrol].mean()) if enrol.any() else float("nan")

    def share(m: np.ndarray) -> float | None:
        return float(any_order[m].mean()) if m.any() else None

    naive = naive_truth(stage, p, hit, organic, any_order, outside=~np.isin(cust, cust[enrol]))
    truth = {
        "touch_effect_per_touch": TOUCH_EFFECT,
        "touch_effect": TOUCH_EFFECT * (1 - organic_share) if enrol.any() else None,
        "touch_effect_definition": "expected sop − holdout difference in P(any paid order in "
                                   "(assigned_at, assigned_at + 30 days]) = δ × (1 − organic share)",
        "organic_order_share_enrolled": organic_share if enrol.any() else None,
        "any_order_share_realised": {"sop": share(sop), "holdout": share(holdout)},
        "touch_effect_realised": (share(sop) - share(holdout)) if sop.any() and holdout.any() else None,
        "enrolled": {"sop": int(sop.sum()), "holdout": int(holdout.sum())},
        "holdout_share_planted": HOLDOUT_SHARE,
        "enrol_share_planted": HOLDOUT_ENROL_SHARE,
        "entries": {name: int((stage == k).sum()) for k, name in enumerate(STAGES)},
        "eligible_entries": {name: int((eligible & (stage == k)).sum()) for k, name in enumerate(STAGES)},
        "observational_touched": {name: int((hit & (stage == k)).sum()) for k, name in enumerate(STAGES)},
        "confounding": {"slope": TOUCH_CONFOUNDING, "intercept": float(a), "mean_p": TOUCH_MEAN_PROB,
                        "z": "standardised log1p(paid orders in the 365 days before the entry)"},
        **naive,
        "session_open_rate": session_open,
        "session_open_realised": float(opened1.mean()) if t1.size else None,
        "reply_given_open": REPLY_GIVEN_OPEN,
        "mass_open_rate": MASS_OPEN,
        "official_account_open_rate": OA_OPEN,
        "official_account_share": OA_SHARE,
        "touches": {k: int((kind == k).sum()) for k in ("1v1", "群发", "公众号")},
        "extra_orders": int(extra.sum()),
        "extra_orders_dropped_after_end": int((makes & ~extra).sum()),
    }
    return SopTouches(table, cust[enrol], entered[enrol], arm[enrol], extra_c, extra_t, truth)
