"""企业微信 staff KPIs: how many new buyers became contacts, how staff work their requests and chats
(联系客户统计), how many 1v1 / 群发 touches were opened and answered, which staff member's contacts
buy, and the interaction rate of 朋友圈 posts.

Window: every function takes ``start`` and ``end`` (days; a time of day is ignored) and counts
what happened in ``[start 00:00, end + 1 day 00:00)``, both days included (wall clock). Paid
orders: :func:`wxshop.analysis.paid.paid_mask` (with a ``customer_id`` and an ``ordered_at``).
Counts are float64 (NaN when the column they come from is missing); money in CNY; rates are
shares 0–1 and NaN when their denominator is 0. A ratio of two columns is taken over the rows
where both are known. A missing staff id is ``"—"`` (:data:`~wxshop.analysis.paid.UNKNOWN`).

The playbook's reference figures are the module constants (the report shows them beside the
store's own): :data:`FRIEND_ADD_GOOD`, :data:`PASS_RATE_REAL_PERSON`, :data:`SESSION_OPEN_GOOD`,
:data:`MOMENTS_INTERACTION`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.paid import (
    UNKNOWN,
    DateLike,
    iso_day,
    paid_orders,
    period_end_day,
    require_columns,
    timestamps,
)
from wxshop.data.schema import CUSTOMER_ID

__all__ = ["FRIEND_ADD_EXAMPLE", "FRIEND_ADD_GOOD", "KPI_COLUMNS", "MOMENTS_INTERACTION",
           "PASS_RATE_PHOTO_LIFT", "PASS_RATE_REAL_PERSON", "SESSION_KINDS", "SESSION_OPEN_GOOD",
           "active_contacts", "friend_add_rate", "leaderboard", "moments_interaction", "session_open_rate",
           "staff_kpis"]

FRIEND_ADD_GOOD = 0.25  # share of new buyers added as 企业微信 contacts that the playbook calls good
FRIEND_ADD_EXAMPLE = 0.38  # the playbook's worked example
PASS_RATE_REAL_PERSON = 0.68  # requests passed ÷ sent with a real-person profile photo
PASS_RATE_PHOTO_LIFT = 0.47  # ... which is +47% against a logo
SESSION_OPEN_GOOD = 0.50  # opened ÷ 1v1 and 群发 touches
MOMENTS_INTERACTION = 0.032  # 朋友圈 interactions ÷ reach, a day
SESSION_KINDS = ("1v1", "群发")

STAFF_ID = "staff_id"
DAILY_SUMS = ("requests_sent", "requests_passed", "new_contacts", "deleted", "chats", "messages")
TOUCH_COLUMNS = ["touches", "opened", "session_open_rate", "replied", "reply_rate"]
KPI_COLUMNS = ["requests_sent", "requests_passed", "pass_rate", "new_contacts", "deleted", "deletion_rate",
               "chats", "messages", "reply_percentage", "avg_reply_minutes", *TOUCH_COLUMNS]
BY_KEYS = {None: "scope", STAFF_ID: STAFF_ID, "week": "week"}


def _staff_window(start: DateLike, end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``[start 00:00, end + 1 day 00:00)`` as two timestamps (ValueError when end < start)."""
    lo, last = period_end_day(start), period_end_day(end)
    if last < lo:
        raise ValueError(f"end ({iso_day(last)}) is before start ({iso_day(lo)})")
    return pd.Timestamp(iso_day(lo)), pd.Timestamp(iso_day(last + 1))


def _staff_number(frame: pd.DataFrame, column: str) -> pd.Series:
    """A numeric column as float64, all NaN when the frame lacks it."""
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[column], errors="coerce").astype(np.float64)


def _staff_labels(frame: pd.DataFrame, at: pd.Series, by: str | None) -> pd.Series:
    """The row label of each row: ``"all"``, its staff id, or the Monday of its ISO week."""
    if by is None:
        return pd.Series("all", index=frame.index, dtype="str")
    if by == STAFF_ID:
        require_columns(frame, [STAFF_ID], f"by={STAFF_ID!r}")
        return frame[STAFF_ID].astype("str").fillna(UNKNOWN)
    monday = at.dt.normalize() - pd.to_timedelta(at.dt.day_of_week, unit="D")
    return monday.dt.strftime("%Y-%m-%d").astype("str")


def _staff_ratio(top: pd.Series | np.ndarray, bottom: pd.Series | np.ndarray) -> np.ndarray:
    """top ÷ bottom element-wise, NaN where bottom is 0 or NaN."""
    top, bottom = np.asarray(top, np.float64), np.asarray(bottom, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def _staff_touch_counts(touches: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp, kinds: Sequence[str],
                        by: str | None) -> pd.DataFrame:
    """touches, opened and replied (opened and replied) per label, over the touches of ``kinds`` in
    the window with a known ``opened``; a value > 0 counts as yes, a missing ``replied`` as no."""
    require_columns(touches, ["ts", "kind", "opened"], "touches")
    at = timestamps(touches["ts"])
    opened = _staff_number(touches, "opened")
    keep = (at >= lo) & (at < hi) & touches["kind"].isin(list(kinds)) & opened.notna()
    keep = keep.to_numpy(bool)
    seen = (opened > 0).to_numpy(bool)[keep]
    replied = _staff_number(touches, "replied").to_numpy()[keep]
    part = pd.DataFrame({"label": _staff_labels(touches, at, by).to_numpy()[keep], "touches": 1.0,
                         "opened": seen.astype(np.float64),
                         "replied": (seen & (replied > 0)).astype(np.float64)})
    return part.groupby("label", sort=True)[["touches", "opened", "replied"]].sum()


def staff_kpis(staff_daily: pd.DataFrame, touches: pd.DataFrame | None = None, *, start: DateLike,
               end: DateLike, by: str | None = None) -> pd.DataFrame:
    """企业微信 联系客户统计 KPIs over the window, in total, per staff member or per ISO week.

    Rows: ``by=None`` one row (``scope`` = ``"all"``); ``by="staff_id"`` one per staff member
    in either table's window (a missing id as ``"—"``); ``by="week"`` one per ISO week
    overlapping the window (``week`` = its Monday, ``YYYY-MM-DD``; the first and last weeks hold
    only their days inside the window). ``staff_daily`` rows count by ``date``, touches by ``ts``.

    - ``requests_sent``, ``requests_passed``, ``new_contacts``, ``deleted``, ``chats``,
      ``messages``: sums of the daily columns (counts);
    - ``pass_rate`` = Σ requests_passed ÷ Σ requests_sent; ``deletion_rate`` = Σ deleted ÷
      Σ new_contacts (shares);
    - ``reply_percentage`` = Σ(reply_percentage ÷ 100 × chats) ÷ Σ chats: the chat-weighted share
      of chats replied to (the export's 0–100 made a share 0–1); ``avg_reply_minutes`` =
      Σ(avg_reply_minutes × chats) ÷ Σ chats (minutes);
    - from ``touches`` (kinds 1v1 and 群发 with a known ``opened``; NaN without ``touches``):
      ``touches``, ``opened`` (opened > 0), ``session_open_rate`` = opened ÷ touches,
      ``replied`` (opened and replied > 0; a missing ``replied`` value counts as no reply, a
      missing column gives NaN), ``reply_rate`` = replied ÷ opened.

    A missing optional column gives NaN in the columns computed from it (``by="staff_id"`` needs
    a ``staff_id`` column in ``touches`` too).

    Examples
    --------
    >>> daily = pd.DataFrame({"staff_id": ["s1", "s1", "s2"],
    ...     "date": pd.to_datetime(["2025-03-03", "2025-03-10", "2025-03-04"]),
    ...     "requests_sent": [10.0, 10.0, 5.0], "requests_passed": [7.0, 6.0, 1.0],
    ...     "chats": [10.0, 30.0, 0.0], "reply_percentage": [100.0, 50.0, 80.0]})
    >>> touches = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "staff_id": ["s1", "s1", "s2", "s2"],
    ...     "ts": pd.to_datetime(["2025-03-03 09:00"] * 4), "kind": ["1v1", "群发", "朋友圈", "1v1"],
    ...     "opened": [1.0, 0.0, 1.0, 1.0], "replied": [1.0, 0.0, 0.0, 0.0]})
    >>> k = staff_kpis(daily, touches, start="2025-03-03", end="2025-03-16", by="staff_id")
    >>> print(k[["staff_id", "requests_sent", "pass_rate", "reply_percentage", "deleted",
    ...          "touches", "session_open_rate", "reply_rate"]].to_string(index=False))
    staff_id  requests_sent  pass_rate  reply_percentage  deleted  touches  session_open_rate  reply_rate
          s1           20.0       0.65             0.625      NaN      2.0                0.5         1.0
          s2            5.0       0.20               NaN      NaN      1.0                1.0         0.0
    >>> staff_kpis(daily, start="2025-03-03", end="2025-03-16", by="week")[["week", "requests_sent"]]
             week  requests_sent
    0  2025-03-03           15.0
    1  2025-03-10           10.0
    """
    if by not in BY_KEYS:
        raise ValueError(f"staff_kpis: by must be None, 'staff_id' or 'week', got {by!r}")
    require_columns(staff_daily, [STAFF_ID, "date"], "staff_kpis")
    lo, hi = _staff_window(start, end)
    at = timestamps(staff_daily["date"])
    inside = ((at >= lo) & (at < hi)).to_numpy(bool)
    rows = staff_daily[inside]
    frame = pd.DataFrame({"label": _staff_labels(rows, at[inside], by)})
    for c in DAILY_SUMS:
        frame[c] = _staff_number(rows, c)
    chats = _staff_number(rows, "chats")
    for name, value in (("pct", _staff_number(rows, "reply_percentage") / 100.0),
                        ("minutes", _staff_number(rows, "avg_reply_minutes"))):
        both = chats.notna() & value.notna()
        frame[name] = (value * chats).where(both, 0.0)
        frame[name + "_chats"] = chats.where(both, 0.0)
    for name, top, bottom in (("pass", "requests_passed", "requests_sent"),
                              ("del", "deleted", "new_contacts")):
        both = frame[top].notna() & frame[bottom].notna()
        frame[name + "_top"] = frame[top].where(both, 0.0)
        frame[name + "_bottom"] = frame[bottom].where(both, 0.0)
    sums = frame.groupby("label", sort=True).sum()
    counts = (_staff_touch_counts(touches, lo, hi, SESSION_KINDS, by) if touches is not None
              else pd.DataFrame(columns=["touches", "opened", "replied"], dtype=np.float64))
    if by is None:
        labels = pd.Index(["all"])
    elif by == "week":
        labels = pd.Index(pd.date_range(lo - pd.Timedelta(days=lo.weekday()), hi - pd.Timedelta(days=1),
                                        freq="7D").strftime("%Y-%m-%d"))
    else:
        labels = sums.index.union(counts.index).sort_values()
    sums = sums.reindex(labels, fill_value=0.0)
    counts = counts.reindex(labels, fill_value=0.0)
    out = pd.DataFrame({BY_KEYS[by]: pd.array(labels.astype(str), dtype="str")})
    for c in DAILY_SUMS:
        out[c] = sums[c].to_numpy() if c in staff_daily.columns else np.nan
    out["pass_rate"] = _staff_ratio(sums["pass_top"], sums["pass_bottom"])
    out["deletion_rate"] = _staff_ratio(sums["del_top"], sums["del_bottom"])
    out["reply_percentage"] = _staff_ratio(sums["pct"], sums["pct_chats"])
    out["avg_reply_minutes"] = _staff_ratio(sums["minutes"], sums["minutes_chats"])
    for c in ("touches", "opened", "replied"):
        known = touches is not None and (c != "replied" or "replied" in touches.columns)
        out[c] = counts[c].to_numpy() if known else np.nan
    out["session_open_rate"] = _staff_ratio(out["opened"], out["touches"])
    out["reply_rate"] = _staff_ratio(out["replied"], out["opened"])
    return out[[BY_KEYS[by], *KPI_COLUMNS]]


def session_open_rate(touches: pd.DataFrame, *, start: DateLike, end: DateLike,
                      kinds: Sequence[str] = SESSION_KINDS) -> dict[str, float]:
    """Share of touches opened: ``touches`` = touches of ``kinds`` in the window with a known
    ``opened``; ``opened`` = those with opened > 0; ``rate`` = opened ÷ touches (0–1; NaN without
    touches). Reference: :data:`SESSION_OPEN_GOOD`.

    Examples
    --------
    >>> touches = pd.DataFrame({"customer_id": ["a", "b", "c", "d"],
    ...     "kind": ["1v1", "群发", "群发", "公众号"],
    ...     "ts": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-09", "2025-03-02"]),
    ...     "opened": [1.0, 0.0, 1.0, 1.0]})
    >>> session_open_rate(touches, start="2025-03-01", end="2025-03-08")
    {'touches': 2.0, 'opened': 1.0, 'rate': 0.5}
    """
    lo, hi = _staff_window(start, end)
    counts = _staff_touch_counts(touches, lo, hi, kinds, None).reindex(["all"], fill_value=0.0)
    n, k = float(counts["touches"].iloc[0]), float(counts["opened"].iloc[0])
    return {"touches": n, "opened": k, "rate": k / n if n else float("nan")}


def friend_add_rate(orders: pd.DataFrame, contacts: pd.DataFrame, *, start: DateLike,
                    end: DateLike) -> dict[str, float | str]:
    """Share of the window's new buyers who are 企业微信 contacts by the end of the window.

    ``new_buyers`` = customers whose first paid order of all the orders given falls in the
    window; ``added`` = those of them with a ``contacts`` row (by ``customer_id``) added by the
    end of the window (``added_at`` < end + 1 day, whoever added them, deleted or not); ``rate``
    = added ÷ new_buyers (0–1, NaN without new buyers); ``start``, ``end`` as ``YYYY-MM-DD``.
    Reference: :data:`FRIEND_ADD_GOOD` (good), :data:`FRIEND_ADD_EXAMPLE`.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c", "d", "a"], "amount": [1.0] * 5,
    ...     "ordered_at": pd.to_datetime(["2025-02-20", "2025-03-02", "2025-03-05", "2025-03-06",
    ...                                   "2025-03-03"]), "status": ["paid"] * 3 + ["cancelled", "paid"]})
    >>> contacts = pd.DataFrame({"contact_id": ["x", "y", "z"], "customer_id": ["a", "b", "c"],
    ...     "added_at": pd.to_datetime(["2025-01-01 00:00", "2025-03-31 23:00", "2025-04-01 00:00"])})
    >>> friend_add_rate(orders, contacts, start="2025-03-01", end="2025-03-31")
    {'new_buyers': 2.0, 'added': 1.0, 'rate': 0.5, 'start': '2025-03-01', 'end': '2025-03-31'}
    """
    require_columns(contacts, [CUSTOMER_ID, "added_at"], "friend_add_rate")
    lo, hi = _staff_window(start, end)
    paid = paid_orders(orders, end, "friend_add_rate")
    first, _ = paid.first_last_day()
    new = paid.ids[first >= period_end_day(start)].astype(str)
    added_at = timestamps(contacts["added_at"])
    linked = contacts[CUSTOMER_ID][(added_at < hi).to_numpy(bool)].dropna().astype(str)
    n, k = float(new.size), float(new.isin(set(linked)).sum())
    return {"new_buyers": n, "added": k, "rate": k / n if n else float("nan"),
            "start": lo.strftime("%Y-%m-%d"), "end": (hi - pd.Timedelta(days=1)).strftime("%Y-%m-%d")}


def active_contacts(contacts: pd.DataFrame, *, end: DateLike) -> np.ndarray:
    """Which contact rows are contacts at the end of day ``end``: added before end + 1 day and
    not deleted by then (``deleted_at`` missing or ≥ end + 1 day). A boolean mask.

    >>> c = pd.DataFrame({
    ...     "added_at": pd.to_datetime(["2025-03-01 09:00", "2025-03-31 23:00", "2025-04-01 00:00",
    ...                                 "2025-03-01 09:00"]),
    ...     "deleted_at": pd.to_datetime([None, None, None, "2025-03-20"])})
    >>> active_contacts(c, end="2025-03-31").tolist()
    [True, True, False, False]
    """
    require_columns(contacts, ["added_at"], "active_contacts")
    _, hi = _staff_window(end, end)
    kept = timestamps(contacts["added_at"]) < hi
    if "deleted_at" in contacts.columns:
        gone = timestamps(contacts["deleted_at"])
        kept &= gone.isna() | (gone >= hi)
    return kept.to_numpy(bool, copy=True)


def leaderboard(staff_daily: pd.DataFrame, contacts: pd.DataFrame, orders: pd.DataFrame,
                touches: pd.DataFrame | None = None, *, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Staff ranked by the paid GMV of their contacts in the window.

    One row per staff member in ``staff_daily``'s or ``touches``' window or in ``contacts`` (rows
    without a staff id are left out): the :func:`staff_kpis` columns (``by="staff_id"``; NaN for
    a staff member without a row there) and

    - ``contacts``: that staff member's contacts at the end of the window
      (:func:`active_contacts`);
    - ``linked``: distinct ``customer_id`` among them; ``buyers``: linked customers with a paid
      order in the window; ``gmv``: those buyers' paid GMV in the window (CNY). A customer who
      is the contact of two staff members counts for both, so the gmv column can add up to more
      than the store's;
    - ``rank``: 1 = most gmv, ties broken by more new_contacts, then staff id.

    Examples
    --------
    >>> daily = pd.DataFrame({"staff_id": ["s1", "s2"], "date": pd.to_datetime(["2025-03-03"] * 2),
    ...                       "new_contacts": [5.0, 9.0]})
    >>> contacts = pd.DataFrame({"contact_id": ["x", "y", "z", "w"], "staff_id": ["s1", "s2", "s2", "s1"],
    ...     "customer_id": ["a", "a", "b", None], "added_at": pd.to_datetime(["2025-03-01"] * 4),
    ...     "deleted_at": pd.to_datetime([None, None, "2025-03-05", None])})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b"], "amount": [100.0, 50.0],
    ...                        "ordered_at": pd.to_datetime(["2025-03-04", "2025-03-04"])})
    >>> board = leaderboard(daily, contacts, orders, start="2025-03-01", end="2025-03-31")
    >>> print(board[["staff_id", "new_contacts", "contacts", "linked", "buyers", "gmv", "rank"]]
    ...       .to_string(index=False))
    staff_id  new_contacts  contacts  linked  buyers   gmv  rank
          s2           9.0       1.0     1.0     1.0 100.0     1
          s1           5.0       2.0     1.0     1.0 100.0     2
    """
    require_columns(contacts, ["contact_id", STAFF_ID, "added_at"], "leaderboard")
    lo, hi = _staff_window(start, end)
    kpis = staff_kpis(staff_daily, touches, start=start, end=end, by=STAFF_ID)
    kpis = kpis[kpis[STAFF_ID] != UNKNOWN]
    rows = contacts[active_contacts(contacts, end=end) & contacts[STAFF_ID].notna().to_numpy(bool)]
    staff = rows[STAFF_ID].astype("str")
    customer = (rows[CUSTOMER_ID].astype("str") if CUSTOMER_ID in rows.columns
                else pd.Series(pd.NA, index=rows.index, dtype="str"))
    paid = paid_orders(orders, end, "leaderboard", amount=True)
    inside = paid.at >= np.datetime64(lo)
    # per customer code, plus a last entry (code -1) for a customer without a paid order
    gmv = np.append(np.bincount(paid.code[inside], weights=paid.amount[inside], minlength=paid.n), 0.0)
    bought = np.append(np.bincount(paid.code[inside], minlength=paid.n) > 0, False)
    at = paid.ids.astype(str).get_indexer(customer.fillna("").to_numpy())
    pairs = pd.DataFrame({STAFF_ID: staff.to_numpy(), "contact": rows["contact_id"].astype("str").to_numpy(),
                          "customer": customer.to_numpy(), "code": at})
    linked = pairs[pairs["customer"].notna()].drop_duplicates([STAFF_ID, "customer"])
    linked = linked.assign(buyer=bought[linked["code"].to_numpy()], gmv=gmv[linked["code"].to_numpy()])
    names = kpis[STAFF_ID].astype(str)
    names = pd.Index(names).union(pd.Index(pairs[STAFF_ID].unique()).astype(str)).sort_values()
    board = kpis.set_index(kpis[STAFF_ID].astype(str)).drop(columns=STAFF_ID).reindex(names)
    board.insert(0, STAFF_ID, pd.array(names, dtype="str"))
    board = board.reset_index(drop=True)
    contacts_of = pairs.groupby(STAFF_ID)["contact"].nunique()
    board["contacts"] = contacts_of.reindex(names, fill_value=0).to_numpy(np.float64)
    by_staff = linked.groupby(STAFF_ID)
    board["linked"] = by_staff.size().reindex(names, fill_value=0).to_numpy(np.float64)
    board["buyers"] = by_staff["buyer"].sum().reindex(names, fill_value=0).to_numpy(np.float64)
    board["gmv"] = np.round(by_staff["gmv"].sum().reindex(names, fill_value=0.0).to_numpy(np.float64), 2)
    board = board.sort_values(["gmv", "new_contacts", STAFF_ID], ascending=[False, False, True],
                              na_position="last", kind="stable", ignore_index=True)
    return board.assign(rank=np.arange(1, len(board) + 1, dtype=np.int64))


def moments_interaction(posts: pd.DataFrame, *, start: DateLike, end: DateLike) -> dict[str, float]:
    """朋友圈 interaction rate: over the ``channel == "朋友圈"`` posts of the window, ``posts``
    (count), ``reach`` and ``interactions`` (sums), ``rate`` = Σ interactions ÷ Σ reach over the
    posts with both known (0–1, NaN without reach). Reference: :data:`MOMENTS_INTERACTION` a day.

    Examples
    --------
    >>> posts = pd.DataFrame({"channel": ["朋友圈", "朋友圈", "公众号"], "reach": [100.0, 300.0, 50.0],
    ...     "interactions": [4.0, 8.0, 9.0], "posted_at": pd.to_datetime(["2025-03-01"] * 3)})
    >>> moments_interaction(posts, start="2025-03-01", end="2025-03-01")
    {'posts': 2.0, 'reach': 400.0, 'interactions': 12.0, 'rate': 0.03}
    """
    require_columns(posts, ["channel", "posted_at"], "moments_interaction")
    lo, hi = _staff_window(start, end)
    at = timestamps(posts["posted_at"])
    rows = posts[((at >= lo) & (at < hi) & (posts["channel"] == "朋友圈").fillna(False)).to_numpy(bool)]
    reach, inter = _staff_number(rows, "reach"), _staff_number(rows, "interactions")
    both = reach.notna() & inter.notna()
    rate = _staff_ratio([inter[both].sum()], [reach[both].sum()])[0]
    return {"posts": float(len(rows)), "reach": float(reach.sum(min_count=1)),
            "interactions": float(inter.sum(min_count=1)), "rate": float(rate)}
