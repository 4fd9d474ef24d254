"""企业微信 in the demo: the staff, their contacts (the 客户列表) and the per-staff daily statistics
(联系客户统计), over the private-domain window (:mod:`wxshop.demo.private_inputs`).

- Staff: ``clamp(round(customers / 2500), 3, 12)`` members, half with a real profile photo and
  half with the shop's logo (the first ``ceil(n / 2)`` of a random order are ``real``); a friend
  request a member sends is passed with :data:`~wxshop.demo.settings.PASS_PROB` of the photo.
- Contacts: a customer whose first paid order falls in the window becomes a contact with the
  store's ``p_add`` ~ U(0.30, 0.45): 75 % after that order (+ Exponential(mean 1.5 days), mostly
  the package card's QR code), 25 % before it (− Exponential(mean 10 days), by phone search or
  视频号); a contact whose time falls after the window's end is dropped (counted). A buyer whose
  first paid order is before the window is added with chance 0.15 at a uniform time in it;
  prospects who never buy (no customer_id) add 30 % of the buyer contacts. Each contact has a
  random staff member; 8 % delete the member Exponential(mean 40 days) after adding (no
  deleted_at when that is after the end). contact_id ``K0000001``… in the order added.
- staff_daily, per member per day of the window: requests_sent ~ Poisson(rate ~ U(3, 12) per
  member), requests_passed ~ Binomial(sent, pass probability), new_contacts and deleted = the
  contacts rows of that member added / deleted that day, chats ~ Poisson(U(8, 25) per member),
  messages = chats + Poisson(3 × chats), reply_percentage = 100 × Beta (mean U(0.60, 0.95) per
  member), avg_reply_minutes ~ Gamma(shape 2, mean U(5, 30) per member); the last two are
  missing on a day without chats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxshop.demo.draws import draw_codes
from wxshop.demo.private_inputs import NEVER, PaidHistory, PdWindow, text_series, time_series
from wxshop.demo.settings import (
    ADD_AFTER_MEAN_DAYS,
    ADD_AFTER_SHARE,
    ADD_BEFORE_MEAN_DAYS,
    ADD_SOURCES_AFTER,
    ADD_SOURCES_BEFORE,
    ADD_SOURCES_OTHER,
    ADD_SOURCES_PROSPECT,
    CHAT_RATE_RANGE,
    DELETE_MEAN_DAYS,
    DELETE_PROB,
    FRIEND_ADD_RANGE,
    MESSAGES_PER_CHAT,
    OLD_BUYER_ADD_PROB,
    OUTCOME_DAYS,
    PASS_PROB,
    PROSPECT_SHARE,
    REPLY_MINUTES_RANGE,
    REPLY_SHARE_RANGE,
    REQUEST_RATE_RANGE,
    SECONDS_PER_DAY,
    STAFF_PER_CUSTOMERS,
    STAFF_PROFILES,
    STAFF_RANGE,
    UNTAGGED_SHARE,
)

__all__ = ["Contacts", "Staff", "contacts_table", "draw_contacts", "draw_staff", "staff_daily_table",
           "wecom_truth"]

DAY = SECONDS_PER_DAY


@dataclass(frozen=True)
class Staff:
    """The staff members: id, profile photo (index into STAFF_PROFILES) and daily rates."""

    ids: np.ndarray
    profile: np.ndarray
    pass_prob: np.ndarray
    request_rate: np.ndarray
    chat_rate: np.ndarray
    reply_share: np.ndarray
    reply_minutes: np.ndarray

    @property
    def n(self) -> int:
        return int(self.ids.size)


def draw_staff(rng: np.random.Generator, n_customers: int) -> Staff:
    """The staff of a store of ``n_customers`` customers.

    Examples
    --------
    >>> s = draw_staff(np.random.default_rng(0), 20_000)
    >>> print(s.ids.tolist(), np.bincount(s.profile).tolist())
    ['S01', 'S02', 'S03', 'S04', 'S05', 'S06', 'S07', 'S08'] [4, 4]
    """
    n = int(np.clip(round(n_customers / STAFF_PER_CUSTOMERS), *STAFF_RANGE))
    profile = (rng.permutation(n) >= (n + 1) // 2).astype(np.int64)
    pass_prob = np.asarray([PASS_PROB[STAFF_PROFILES[k]] for k in profile])
    return Staff(
        np.asarray([f"S{k:02d}" for k in range(1, n + 1)], object), profile, pass_prob,
        rng.uniform(*REQUEST_RATE_RANGE, n), rng.uniform(*CHAT_RATE_RANGE, n),
        rng.uniform(*REPLY_SHARE_RANGE, n), rng.uniform(*REPLY_MINUTES_RANGE, n),
    )


@dataclass(frozen=True)
class Contacts:
    """The contacts in the order added (row i is contact ``K{i + 1:07d}``).

    customer: customer code (-1 for a prospect); added, deleted: seconds since pd_start
    (deleted :data:`NEVER` when not deleted by the end); staff: index into Staff.
    """

    customer: np.ndarray
    added: np.ndarray
    deleted: np.ndarray
    staff: np.ndarray
    source: np.ndarray
    tag: np.ndarray
    p_add: float
    dropped_after_end: int

    @property
    def n(self) -> int:
        return int(self.customer.size)

    def of_customer(self, n_customers: int) -> np.ndarray:
        """Per customer code: the row of its contact, -1 if none."""
        out = np.full(n_customers, -1, np.int64)
        buyer = self.customer >= 0
        out[self.customer[buyer]] = np.flatnonzero(buyer)
        return out

    def active_at(self, seconds: np.ndarray) -> np.ndarray:
        """Contacts added by and not deleted before each time."""
        added = np.sort(self.added)
        gone = np.sort(self.deleted)
        return np.searchsorted(added, seconds, side="right") - np.searchsorted(gone, seconds, side="right")


def _wecom_labels(rng: np.random.Generator, mix: dict[str, float], size: int) -> np.ndarray:
    return np.asarray(list(mix), object)[draw_codes(rng, np.asarray(list(mix.values())), size)]


def draw_contacts(rng: np.random.Generator, hist: PaidHistory, staff: Staff, window: PdWindow) -> Contacts:
    """The contacts: new buyers added with p_add around their first order, older buyers and
    prospects at uniform times; staff, tags and deletions (see the module docstring)."""
    n, w = hist.n, window.seconds
    p_add = float(rng.uniform(*FRIEND_ADD_RANGE))
    first = hist.first
    new = (first >= 0) & (first < w)
    old = first < 0
    u = rng.random(n)
    after = rng.random(n) < ADD_AFTER_SHARE
    wait_after = np.rint(rng.exponential(ADD_AFTER_MEAN_DAYS * DAY, n)).astype(np.int64)
    wait_before = np.rint(rng.exponential(ADD_BEFORE_MEAN_DAYS * DAY, n)).astype(np.int64)
    uniform = rng.integers(0, w, n)
    added = np.where(new, np.where(after, first + wait_after, first - wait_before), uniform)
    source = np.where(after, _wecom_labels(rng, ADD_SOURCES_AFTER, n),
                      _wecom_labels(rng, ADD_SOURCES_BEFORE, n))
    source = np.where(old, _wecom_labels(rng, ADD_SOURCES_OTHER, n), source)
    chosen = (new & (u < p_add)) | (old & (u < OLD_BUYER_ADD_PROB))
    dropped = int((chosen & (added >= w)).sum())
    keep = chosen & (added < w)
    buyers = np.flatnonzero(keep)

    m = int(round(PROSPECT_SHARE * buyers.size))
    customer = np.concatenate([buyers, np.full(m, -1)]).astype(np.int64)
    added = np.concatenate([added[buyers], rng.integers(0, w, m)]).astype(np.int64)
    source = np.concatenate([source[buyers], _wecom_labels(rng, ADD_SOURCES_PROSPECT, m)])
    k = customer.size
    count = np.where(customer >= 0, hist.count[np.maximum(customer, 0)], 0)
    tag = np.where(count >= 2, "复购", "新客").astype(object)
    tag[(customer < 0) | (rng.random(k) < UNTAGGED_SHARE)] = None
    member = rng.integers(0, staff.n, k)
    leaves = rng.random(k) < DELETE_PROB
    deleted = added + np.rint(rng.exponential(DELETE_MEAN_DAYS * DAY, k)).astype(np.int64)
    deleted = np.where(leaves & (deleted < w), deleted, NEVER)
    order = np.argsort(added, kind="stable")
    return Contacts(customer[order], added[order], deleted[order], member[order], source[order],
                    tag[order], p_add, dropped)


def contact_ids(first: int, count: int) -> np.ndarray:
    """``K0000001``-style ids numbered from ``first`` (1-based).

    Examples
    --------
    >>> print(contact_ids(9, 2).tolist())
    ['K0000009', 'K0000010']
    """
    return np.asarray([f"K{k:07d}" for k in range(first, first + count)], object)


def contacts_table(contacts: Contacts, staff: Staff, hist: PaidHistory, window: PdWindow) -> pd.DataFrame:
    """contact_id, added_at, staff_id, add_source, tags, customer_id, deleted_at."""
    buyer = contacts.customer >= 0
    kept = contacts.deleted >= NEVER
    return pd.DataFrame({
        "contact_id": text_series(contact_ids(1, contacts.n)),
        "added_at": time_series(window, contacts.added),
        "staff_id": text_series(staff.ids[contacts.staff]),
        "add_source": text_series(contacts.source),
        "tags": text_series(contacts.tag, pd.isna(contacts.tag)),
        "customer_id": text_series(np.where(buyer, hist.ids[np.maximum(contacts.customer, 0)], ""), ~buyer),
        "deleted_at": time_series(window, np.where(kept, 0, contacts.deleted), kept),
    })


def _staff_day_counts(staff: np.ndarray, seconds: np.ndarray, n_staff: int, window: PdWindow) -> np.ndarray:
    """(staff, day) counts of the times inside the window."""
    inside = (seconds >= 0) & (seconds < window.seconds)
    cell = staff[inside] * window.days + seconds[inside] // DAY
    return np.bincount(cell, minlength=n_staff * window.days).reshape(n_staff, window.days)


def staff_daily_table(rng: np.random.Generator, staff: Staff, contacts: Contacts,
                      window: PdWindow) -> pd.DataFrame:
    """One row per staff member per day of the window (see the module docstring), by date then
    staff_id."""
    s, d = staff.n, window.days
    sent = rng.poisson(staff.request_rate[:, None], (s, d))
    passed = rng.binomial(sent, staff.pass_prob[:, None])
    chats = rng.poisson(staff.chat_rate[:, None], (s, d))
    messages = chats + rng.poisson((MESSAGES_PER_CHAT - 1) * chats)
    conc = 20.0
    share = rng.beta(conc * staff.reply_share[:, None], conc * (1 - staff.reply_share[:, None]), (s, d))
    minutes = rng.gamma(2.0, staff.reply_minutes[:, None] / 2.0, (s, d))
    none = chats == 0
    new = _staff_day_counts(contacts.staff, contacts.added, s, window)
    gone = _staff_day_counts(contacts.staff, contacts.deleted, s, window)

    def flat(a: np.ndarray) -> np.ndarray:  # date-major rows
        return a.T.reshape(-1)

    return pd.DataFrame({
        "staff_id": text_series(flat(np.repeat(staff.ids[:, None], d, axis=1))),
        "date": time_series(window, flat(np.repeat(np.arange(d)[None, :] * DAY, s, axis=0))),
        "requests_sent": flat(sent).astype(np.int64),
        "requests_passed": flat(passed).astype(np.int64),
        "new_contacts": flat(new).astype(np.int64),
        "chats": flat(chats).astype(np.int64),
        "messages": flat(messages).astype(np.int64),
        "reply_percentage": flat(np.where(none, np.nan, np.round(100 * share, 1))),
        "avg_reply_minutes": flat(np.where(none, np.nan, np.round(minutes, 1))),
        "deleted": flat(gone).astype(np.int64),
    })


def wecom_truth(staff: Staff, contacts: Contacts, hist: PaidHistory, window: PdWindow,
                daily: pd.DataFrame) -> dict[str, Any]:
    """Planted and realised staff and contact figures (keys documented in the truth)."""
    w = window.seconds
    new = (hist.first >= 0) & (hist.first < w)
    settled = new & (hist.first <= w - OUTCOME_DAYS * DAY)
    has = contacts.of_customer(hist.n) >= 0
    rate = staff.request_rate
    buyer = contacts.customer >= 0
    old_share = float(has[hist.first < 0].mean()) if (hist.first < 0).any() else None
    return {
        "staff": {sid: {"profile": STAFF_PROFILES[p], "pass_prob": float(q), "requests_per_day": float(r)}
                  for sid, p, q, r in zip(staff.ids, staff.profile, staff.pass_prob, rate, strict=True)},
        "pass_prob_by_profile": dict(PASS_PROB),
        "expected_pass_rate": float((rate * staff.pass_prob).sum() / rate.sum()),
        "realised_pass_rate": float(daily["requests_passed"].sum() / max(daily["requests_sent"].sum(), 1)),
        "friend_add_rate": contacts.p_add,
        "friend_add_share_realised": float(has[new].mean()) if new.any() else None,
        "friend_add_share_realised_settled": float(has[settled].mean()) if settled.any() else None,
        "new_buyers": int(new.sum()),
        "contacts_dropped_after_end": contacts.dropped_after_end,
        "add_after_first_order_share": ADD_AFTER_SHARE,
        "old_buyer_add_prob": OLD_BUYER_ADD_PROB,
        "old_buyer_add_share_realised": old_share,
        "prospect_share": PROSPECT_SHARE,
        "contacts": contacts.n,
        "buyer_contacts": int(buyer.sum()),
        "prospects": int((~buyer).sum()),
        "delete_prob": DELETE_PROB,
        "deleted_by_end": int((contacts.deleted < w).sum()),
    }
