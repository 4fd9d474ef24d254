"""社群 in the demo: the 企业微信 customer groups, who joined and left them, and the per-group daily
statistics (客户群统计), with planted leaving and replenishment rates per group type.

- ``clamp(customers // 800, 4, 40)`` groups, types in turn from a random order of
  :data:`~wxshop.demo.settings.GROUP_TYPES` (so each type has a third of them), an owner among
  the staff, created at a uniform time in ``[pd_start − 60 days, pd_start + 200 days]`` with
  U(200, 480) members (× ``size_scale``) who join within two hours of it.
- Every member stays Exponential(rate μ of the type) days: μ = 0.023 / 0.012 / 0.006 per
  member-day, so leaves ÷ member-days at risk recovers μ. From the day after its creation a group
  gains Poisson(r / 30 × members at the start of the day) members a day, at uniform times, with
  r = 0.20 / 0.17 / 0.15 per month. A group whose members have all left is dismissed when the
  last one leaves (no member joins an empty group).
- A member is one of the buyer contacts with chance 0.8 (member_id = contact_id, customer_id
  filled; a contact is in a group at most once, drawn at random) else an outsider (a new
  ``K…`` id numbered after the contacts, no customer_id); join_scene 扫码入群 60 % / 邀请入群.
- group_daily, per group per day from its creation (or pd_start) to the end or its dismissal:
  members at the start of the day, joined and left that day (from group_members, exactly),
  messages ~ Poisson(35 / 52 / 28 by type), active_members = min(Binomial(members + joined,
  0.08), messages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxshop.demo.draws import draw_codes
from wxshop.demo.private_inputs import NEVER, PaidHistory, PdWindow, text_series, time_series
from wxshop.demo.settings import (
    GROUP_ACTIVE_SHARE,
    GROUP_CONTACT_SHARE,
    GROUP_CREATED_DAYS,
    GROUP_LEAVE_RATE,
    GROUP_MESSAGES,
    GROUP_RANGE,
    GROUP_REPLENISH,
    GROUP_SIZE_RANGE,
    GROUP_TYPES,
    GROUPS_PER_CUSTOMERS,
    JOIN_SCENES,
    SECONDS_PER_DAY,
)
from wxshop.demo.wecom import Contacts, Staff, contact_ids

__all__ = ["Groups", "draw_groups", "group_tables", "group_truth"]

DAY = SECONDS_PER_DAY
INITIAL_JOIN_SECONDS = 7200  # the founding members join within two hours of the creation


@dataclass(frozen=True)
class Groups:
    """The groups (type index, owner staff index, created / dismissed seconds) and their
    members (group, joined / left seconds — :data:`NEVER` while still a member —, contact row
    or -1, initial member or not, join scene), members sorted by (group, joined)."""

    kind: np.ndarray
    owner: np.ndarray
    created: np.ndarray
    dismissed: np.ndarray
    group: np.ndarray
    joined: np.ndarray
    left: np.ndarray
    contact: np.ndarray
    initial: np.ndarray
    scene: np.ndarray

    @property
    def n(self) -> int:
        return int(self.kind.size)


def draw_groups(rng: np.random.Generator, n_customers: int, staff: Staff, contacts: Contacts,
                window: PdWindow, size_scale: float = 1.0) -> Groups:
    """Groups, their members and the members' stays (see the module docstring)."""
    g = int(np.clip(n_customers // GROUPS_PER_CUSTOMERS, *GROUP_RANGE))
    kind = rng.permutation(np.arange(g) % len(GROUP_TYPES))
    owner = rng.integers(0, staff.n, g)
    lo, hi = GROUP_CREATED_DAYS
    created = rng.integers(lo * DAY, (hi + 1) * DAY, g)
    size0 = np.maximum(1, np.rint(rng.integers(GROUP_SIZE_RANGE[0], GROUP_SIZE_RANGE[1] + 1, g)
                                  * size_scale)).astype(np.int64)
    mu = np.asarray(GROUP_LEAVE_RATE)[kind]
    daily_join = np.asarray(GROUP_REPLENISH)[kind] / 30
    first_day = created // DAY
    n_days = window.days - lo
    gone_by_day = np.zeros((g, n_days + 1))
    size = np.zeros(g)
    parts: list[tuple[np.ndarray, ...]] = []
    for j in range(n_days):
        day = j + lo
        born = first_day == day
        k = np.where(born, size0, rng.poisson(np.where(first_day < day, daily_join * size, 0.0)))
        total = int(k.sum())
        if total:
            who = np.repeat(np.arange(g), k)
            start = np.where(born[who], created[who], day * DAY)
            span = np.where(born[who], INITIAL_JOIN_SECONDS, DAY)
            joined = start + np.floor(rng.random(total) * span).astype(np.int64)
            left = joined + np.rint(rng.exponential(1.0, total) / mu[who] * DAY).astype(np.int64)
            np.add.at(gone_by_day, (who, np.minimum(left // DAY - lo, n_days)), 1)
            parts.append((who, joined, left, born[who]))
        size = size + k - gone_by_day[:, j]
    who, joined, left, initial = (np.concatenate([p[i] for p in parts]) for i in range(4))
    left = np.where(left < window.seconds, left, NEVER)
    order = np.lexsort((joined, who))
    who, joined, left, initial = who[order], joined[order], left[order], initial[order]

    last = np.full(g, -1, np.int64)
    np.maximum.at(last, who, left)
    dismissed = np.where(last < NEVER, last, NEVER)
    contact = np.full(who.size, -1, np.int64)
    pool = np.flatnonzero(contacts.customer >= 0)
    wants = rng.random(who.size) < GROUP_CONTACT_SHARE
    for k in range(g):
        slots = np.flatnonzero((who == k) & wants)
        take = min(slots.size, pool.size)
        contact[slots[:take]] = rng.permutation(pool)[:take]
    scene = draw_codes(rng, np.asarray(list(JOIN_SCENES.values())), who.size)
    return Groups(kind, owner, created, dismissed, who, joined, left, contact, initial, scene)


def _group_day_counts(times: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """How many of the sorted ``times`` fall before each start (a day's start or end)."""
    return np.searchsorted(times, starts, side="left")


def group_tables(rng: np.random.Generator, groups: Groups, staff: Staff, contacts: Contacts,
                 hist: PaidHistory, window: PdWindow) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The groups, group_members and group_daily tables."""
    ids = np.asarray([f"G{k:03d}" for k in range(1, groups.n + 1)], object)
    gone = groups.dismissed >= NEVER
    groups_df = pd.DataFrame({
        "group_id": text_series(ids),
        "group_type": text_series(np.asarray(GROUP_TYPES, object)[groups.kind]),
        "staff_id": text_series(staff.ids[groups.owner]),
        "created_at": time_series(window, groups.created),
        "dismissed_at": time_series(window, np.where(gone, 0, groups.dismissed), gone),
    })
    is_contact = groups.contact >= 0
    member = np.empty(groups.group.size, object)
    member[is_contact] = contact_ids(1, contacts.n)[groups.contact[is_contact]]
    member[~is_contact] = contact_ids(contacts.n + 1, int((~is_contact).sum()))
    cust = np.where(is_contact, contacts.customer[np.maximum(groups.contact, 0)], -1)
    still = groups.left >= NEVER
    members_df = pd.DataFrame({
        "group_id": text_series(ids[groups.group]),
        "member_id": text_series(member),
        "joined_at": time_series(window, groups.joined),
        "left_at": time_series(window, np.where(still, 0, groups.left), still),
        "join_scene": text_series(np.asarray(list(JOIN_SCENES), object)[groups.scene]),
        "customer_id": text_series(np.where(cust >= 0, hist.ids[np.maximum(cust, 0)], ""), cust < 0),
    })

    rows = []
    for k in range(groups.n):
        first = max(int(groups.created[k] // DAY), 0)
        last = min(window.days - 1, int(groups.dismissed[k] // DAY)) if not gone[k] else window.days - 1
        if last < first:
            continue
        starts = np.arange(first, last + 2) * DAY
        m = groups.group == k
        joined = _group_day_counts(groups.joined[m], starts)  # joined[m] is sorted
        left = _group_day_counts(np.sort(groups.left[m]), starts)
        rows.append(pd.DataFrame({"k": k, "day": np.arange(first, last + 1),
                                  "members": (joined - left)[:-1], "joined": np.diff(joined),
                                  "left": np.diff(left)}))
    daily = pd.concat(rows, ignore_index=True)
    kind = groups.kind[daily["k"].to_numpy()]
    messages = rng.poisson(np.asarray(GROUP_MESSAGES)[kind])
    present = (daily["members"] + daily["joined"]).to_numpy()
    active = np.minimum(rng.binomial(present, GROUP_ACTIVE_SHARE), messages)
    daily_df = pd.DataFrame({
        "date": time_series(window, daily["day"].to_numpy() * DAY),
        "group_id": text_series(ids[daily["k"].to_numpy()]),
        "staff_id": text_series(staff.ids[groups.owner[daily["k"].to_numpy()]]),
        "members": daily["members"].to_numpy(np.int64),
        "joined": daily["joined"].to_numpy(np.int64),
        "left": daily["left"].to_numpy(np.int64),
        "messages": messages.astype(np.int64),
        "active_members": active.astype(np.int64),
    })
    order = np.lexsort((daily_df["group_id"].to_numpy(), daily_df["date"].to_numpy()))
    return groups_df, members_df, daily_df.iloc[order].reset_index(drop=True)


def group_truth(groups: Groups, window: PdWindow) -> dict[str, Any]:
    """Per group type: planted μ and r, and the realised leaves ÷ member-days at risk and
    later joins ÷ member-days × 30 inside the window (from the members' exact times)."""
    w = window.seconds
    stay_from = np.maximum(groups.joined, 0)
    stay_to = np.minimum(groups.left, w)
    exposure = np.maximum(stay_to - stay_from, 0) / DAY
    leaves = (groups.left >= 0) & (groups.left < w)
    joins = ~groups.initial & (groups.joined >= 0) & (groups.joined < w)
    kind = groups.kind[groups.group]
    by_type = {}
    for t, name in enumerate(GROUP_TYPES):
        m = kind == t
        days = float(exposure[m].sum())
        by_type[name] = {
            "groups": int((groups.kind == t).sum()),
            "leave_rate_planted": GROUP_LEAVE_RATE[t],
            "replenish_rate_planted": GROUP_REPLENISH[t],
            "messages_per_day_planted": GROUP_MESSAGES[t],
            "member_days": days,
            "leaves": int(leaves[m].sum()),
            "leave_rate_realised": float(leaves[m].sum() / days) if days > 0 else None,
            "replenish_rate_realised": float(30 * joins[m].sum() / days) if days > 0 else None,
        }
    return {
        "groups": groups.n,
        "by_type": by_type,
        "member_rows": int(groups.group.size),
        "contact_member_share": float((groups.contact >= 0).mean()) if groups.group.size else None,
        "dismissed": int((groups.dismissed < NEVER).sum()),
    }
