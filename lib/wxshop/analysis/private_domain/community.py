"""社群 health from 企业微信 客户群 data: how fast members leave, how long they stay, how groups
refill, whether new members buy in their first days, GMV per member and a scorecard per group type.

Conventions:

- window: ``[start 00:00, end + 1 day 00:00)``, both days included (wall clock);
- a membership is one ``group_members`` row (a member who rejoins has two); it runs from
  ``joined_at`` until ``left_at``, or until the group's ``dismissed_at`` (``groups``) when that comes
  first. A leave is a ``left_at`` (not after the dismissal): a dismissal ends memberships without
  counting as a leave;
- member-days: the overlap of a membership with the window in days (fractional);
- ``by``: ``None`` (one row, ``scope`` = ``"all"``), ``"group_type"`` (needs ``groups``; a
  missing type is ``"—"``), ``"group_id"``, or ``"size_band"``: the group's members at
  ``start`` 00:00 in :data:`SIZE_BANDS` (``<100``, ``100–299``, ``300–499``, ``≥500``);
- paid orders: :func:`wxshop.analysis.paid.paid_mask`; money in CNY; shares 0–1, NaN when the
  denominator is 0; a month is 30 days where a daily figure is made monthly.

The playbook's references are the module constants (the report shows them beside the store's).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN, DateLike, check_days, paid_orders, require_columns, timestamps
from wxshop.data.schema import CUSTOMER_ID

__all__ = ["DAILY_LEAVING", "GROUP_TYPE_REFERENCE", "REPLENISHMENT", "SCORECARD_REFERENCE", "SIZE_BANDS",
           "gmv_per_member", "leaving_rates", "leaving_rates_from_daily", "membership_survival",
           "new_member_conversion", "replenishment", "scorecard"]

DAILY_LEAVING = 0.023  # leaves ÷ member-days of a 500-member group left to itself
REPLENISHMENT = (0.15, 0.20)  # members joining in a month ÷ members at its start, the healthy range
GROUP_TYPE_REFERENCE = (
    {"group_type": "福利闪购", "cycle": "3–7 天", "value": "每人 300 元"},
    {"group_type": "知识付费", "cycle": "90 天", "value": "199–599 元"},
    {"group_type": "会员专属", "cycle": "1 年", "value": "每人每年 8,000 元"},
)
SCORECARD_REFERENCE = {  # messages per group per day, conversion, monthly leaving share
    "综合福利群": {"messages": 35.0, "conversion": 0.06, "leaving": 0.12},
    "垂直兴趣群": {"messages": 52.0, "conversion": 0.09, "leaving": 0.08},
    "VIP会员群": {"messages": 28.0, "conversion": 0.15, "leaving": 0.05},
}
SIZE_BANDS = ("<100", "100–299", "300–499", "≥500")
SIZE_EDGES = (100, 300, 500)
MONTH_DAYS = 30
DAY = pd.Timedelta(days=1)
BYS = (None, "group_type", "group_id", "size_band")


def _community_window(start: DateLike, end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window's first instant and the instant after it (ValueError when end < start)."""
    lo, hi = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize() + DAY
    if hi <= lo:
        raise ValueError(f"the window ends ({end}) before it starts ({start})")
    return lo, hi


def _community_spans(members: pd.DataFrame, groups: pd.DataFrame | None, what: str) -> pd.DataFrame:
    """One row per membership with a ``joined_at``: group_id, group_type, customer_id,
    join_scene, joined, left_at, left (a leave), stop (its end; NaT = still in)."""
    require_columns(members, ["group_id", "member_id", "joined_at"], what)
    gid = members["group_id"].astype("str").fillna(UNKNOWN)
    out = pd.DataFrame({"group_id": gid, "joined": timestamps(members["joined_at"])})
    out["left_at"] = (timestamps(members["left_at"]) if "left_at" in members.columns
                      else pd.Series(pd.NaT, index=members.index, dtype="datetime64[us]"))
    for c in (CUSTOMER_ID, "join_scene"):
        out[c] = members[c].astype("str") if c in members.columns else pd.Series(pd.NA, index=out.index,
                                                                                  dtype="str")
    out["group_type"], gone = UNKNOWN, pd.Series(pd.NaT, index=out.index, dtype="datetime64[us]")
    if groups is not None:
        require_columns(groups, ["group_id"], what)
        table = groups.drop_duplicates("group_id")
        table = table.set_axis(pd.Index(table["group_id"].astype("str").to_numpy(object)))
        rows = gid.to_numpy(object)  # each membership's group's row (reindex: Series.map fails empty)
        if "group_type" in table.columns:
            kind = table["group_type"].astype("str").reindex(rows).fillna(UNKNOWN)
            out["group_type"] = kind.to_numpy(object)
        if "dismissed_at" in table.columns:
            gone = timestamps(table["dismissed_at"]).reindex(rows).set_axis(out.index)
    out["left"] = out["left_at"].notna() & (gone.isna() | (out["left_at"] <= gone))
    out["stop"] = out["left_at"].where(out["left"], gone)
    out["join_scene"] = out["join_scene"].fillna(UNKNOWN)
    return out[out["joined"].notna()].reset_index(drop=True)


def _community_present(spans: pd.DataFrame, at: pd.Timestamp) -> pd.Series:
    """Whether each membership is running at instant ``at`` (joined before it, not yet ended)."""
    return (spans["joined"] < at) & (spans["stop"].isna() | (spans["stop"] >= at))


def _community_bands(size: pd.Series) -> pd.Categorical:
    """Members counts as :data:`SIZE_BANDS` labels."""
    return pd.Categorical.from_codes(np.digitize(size.to_numpy(np.float64), SIZE_EDGES), SIZE_BANDS)


def _community_labels(spans: pd.DataFrame, by: str | None, lo: pd.Timestamp | None = None) -> pd.Series:
    """Each membership's row label under ``by``."""
    if by is None:
        return pd.Series("all", index=spans.index)
    if by == "size_band":
        size = _community_present(spans, lo).groupby(spans["group_id"]).sum()
        return pd.Series(_community_bands(size.reindex(spans["group_id"])), index=spans.index)
    return spans[by]


def _community_check(by: str | None, groups: pd.DataFrame | None, what: str,
                     allowed: Sequence[str | None] = BYS) -> str:
    """The name of the label column for ``by`` (ValueError / KeyError when it cannot be had)."""
    if by not in allowed:
        raise ValueError(f"{what}: by must be one of {', '.join(map(repr, allowed))}, got {by!r}")
    if by == "group_type" and (groups is None or "group_type" not in groups.columns):
        raise KeyError(f"{what}: by='group_type' needs groups with a group_type column")
    return "scope" if by is None else by


def _community_sum(label: pd.Series, key: str, values: dict[str, np.ndarray | pd.Series]) -> pd.DataFrame:
    """Sums of ``values`` per label (label order; empty categories left out), label as column ``key``."""
    frame = pd.DataFrame({k: np.asarray(v, np.float64) for k, v in values.items()})
    by = label.array if isinstance(label.dtype, pd.CategoricalDtype) else np.asarray(label, dtype=object)
    sums = frame.groupby(by, observed=True, sort=True).sum()
    if key == "scope":  # by=None: always the one row, with zeros when there is nothing
        sums = sums.reindex(["all"], fill_value=0.0)
    sums.insert(0, key, pd.array(sums.index.astype(str), dtype="str"))
    return sums.reset_index(drop=True)


def _community_ratio(top: pd.Series, bottom: pd.Series) -> pd.Series:
    """top ÷ bottom, NaN where bottom is 0."""
    return top / bottom.where(bottom > 0)


def leaving_rates(members: pd.DataFrame, groups: pd.DataFrame | None = None, *, start: DateLike,
                  end: DateLike, by: str | None = None) -> pd.DataFrame:
    """Daily leaving hazard of group members in the window.

    Per row: ``groups`` (groups with member-days in the window), ``member_days`` = Σ over
    memberships of their overlap with the window (days, fractional: a membership that began
    before the window counts from ``start``, one still running counts to the window's end),
    ``leaves`` = leaves with ``left_at`` in the window, ``daily_rate`` = leaves ÷ member_days
    (a share of members a day), ``monthly_equivalent`` = 1 − (1 − daily_rate)^30 (share leaving
    in 30 days at that rate). Reference: :data:`DAILY_LEAVING`.

    Examples
    --------
    >>> members = pd.DataFrame({"group_id": ["g"] * 3, "member_id": ["a", "b", "c"],
    ...     "joined_at": pd.to_datetime(["2025-02-01 00:00", "2025-03-01 12:00", "2025-03-05 00:00"]),
    ...     "left_at": pd.to_datetime(["2025-03-03", None, "2025-04-20"])})
    >>> print(leaving_rates(members, start="2025-03-01", end="2025-03-10").round(4).to_string(index=False))
    scope  groups  member_days  leaves  daily_rate  monthly_equivalent
      all     1.0         17.5     1.0      0.0571              0.8289
    """
    key = _community_check(by, groups, "leaving_rates")
    lo, hi = _community_window(start, end)
    spans = _community_spans(members, groups, "leaving_rates")
    stop = spans["stop"].fillna(hi).clip(upper=hi)
    days = ((stop - spans["joined"].clip(lower=lo)) / DAY).clip(lower=0.0)
    leaves = spans["left"] & (spans["left_at"] >= lo) & (spans["left_at"] < hi)
    label = _community_labels(spans, by, lo)
    out = _community_sum(label, key, {"member_days": days, "leaves": leaves})
    live = (days > 0) | leaves
    groups_of = spans["group_id"][live].groupby(np.asarray(label[live], dtype=object)).nunique()
    out.insert(1, "groups", groups_of.reindex(out[key].to_numpy(object), fill_value=0).to_numpy(np.float64))
    out["daily_rate"] = _community_ratio(out["leaves"], out["member_days"])
    out["monthly_equivalent"] = 1.0 - (1.0 - out["daily_rate"]) ** MONTH_DAYS
    return out[out["member_days"] > 0].reset_index(drop=True) if by is not None else out


def leaving_rates_from_daily(group_daily: pd.DataFrame, groups: pd.DataFrame | None = None, *,
                             start: DateLike, end: DateLike, by: str | None = None,
                             members_at: str = "start") -> pd.DataFrame:
    """Daily leaving rate from 企业微信 客户群统计 (one row per group per day), for stores without
    member lists.

    Over the ``group_daily`` rows dated in the window: ``group_days`` (rows), ``members`` = Σ
    members at the start of each day, ``leaves`` = Σ ``left``, ``daily_rate`` = leaves ÷ members,
    ``monthly_equivalent`` = 1 − (1 − daily_rate)^30. ``members_at="start"`` reads the
    ``members`` column as the count at the start of the day; ``"end"`` (企业微信's
    ``member_total`` is the count at the end of the day) takes members − joined + left. The size
    band is the group's ``members`` on its first day in the window. Rows missing ``left`` or
    ``members`` are left out.

    Examples
    --------
    >>> daily = pd.DataFrame({"group_id": ["g", "g", "h"], "members": [90.0, 88.0, 400.0],
    ...     "joined": [0.0, 1.0, 0.0], "left": [2.0, 1.0, 8.0],
    ...     "date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-01"])})
    >>> print(leaving_rates_from_daily(daily, start="2025-03-01", end="2025-03-02", by="size_band")
    ...       .round(4).to_string(index=False))
    size_band  group_days  members  leaves  daily_rate  monthly_equivalent
         <100         2.0    178.0     3.0      0.0169              0.3995
      300–499         1.0    400.0     8.0      0.0200              0.4545
    """
    key = _community_check(by, groups, "leaving_rates_from_daily")
    if members_at not in ("start", "end"):
        raise ValueError(f"members_at must be 'start' or 'end', got {members_at!r}")
    require_columns(group_daily, ["date", "members", "left", *([] if by is None else ["group_id"])],
                    "leaving_rates_from_daily")
    lo, hi = _community_window(start, end)
    at = timestamps(group_daily["date"])
    size = pd.to_numeric(group_daily["members"]).astype(np.float64)
    left = pd.to_numeric(group_daily["left"]).astype(np.float64)
    if members_at == "end":
        size = size - pd.to_numeric(group_daily["joined"]).astype(np.float64) + left
    keep = ((at >= lo) & (at < hi) & size.notna() & left.notna()).to_numpy(bool)
    rows = pd.DataFrame({"group_id": group_daily["group_id"].astype("str").to_numpy()[keep]
                         if "group_id" in group_daily.columns else "all",
                         "at": at[keep].to_numpy(), "size": size[keep].to_numpy()})
    if by == "group_type":
        types = groups.drop_duplicates("group_id")
        kind = pd.Series(types["group_type"].astype("str").to_numpy(), index=types["group_id"].astype("str"))
        label = pd.Series(kind.reindex(rows["group_id"].to_numpy(object)).fillna(UNKNOWN).to_numpy(object))
    elif by == "size_band":
        first = rows.sort_values("at", kind="stable").drop_duplicates("group_id")
        first = first.set_index("group_id")["size"]
        label = pd.Series(_community_bands(first.reindex(rows["group_id"])))
    else:
        label = rows["group_id"] if by == "group_id" else pd.Series("all", index=rows.index)
    out = _community_sum(label, key, {"group_days": np.ones(len(rows)), "members": rows["size"],
                                      "leaves": left[keep]})
    out["daily_rate"] = _community_ratio(out["leaves"], out["members"])
    out["monthly_equivalent"] = 1.0 - (1.0 - out["daily_rate"]) ** MONTH_DAYS
    return out


def membership_survival(members: pd.DataFrame, groups: pd.DataFrame | None = None, *,
                        days: Sequence[int] = (1, 3, 7, 14, 30, 60, 90), by: str | None = None,
                        end: DateLike | None = None) -> pd.DataFrame:
    """Kaplan–Meier share of memberships still running n days after joining, for each n of ``days``.

    Time = days from ``joined_at`` (fractional); a leave is the event; a membership still
    running, or ended by the group's dismissal, is censored at the data end (``end`` + 1 day
    when given, else the latest ``joined_at`` / ``left_at``) or at the dismissal. Memberships
    joined at or after the data end are left out. ``by``: ``None``, ``"group_type"``,
    ``"group_id"`` or ``"join_scene"``. One row per group: ``members`` (memberships), then
    ``day_<n>`` = Π over leave times t ≤ n of (1 − leaves at t ÷ memberships at risk at t), a
    share 0–1 (NaN past the longest observation unless it had reached 0), then ``at_risk_<n>``
    (memberships observed for at least n days: how many the figure rests on).

    Examples
    --------
    >>> members = pd.DataFrame({"group_id": ["g"] * 4, "member_id": list("abcd"),
    ...     "joined_at": pd.to_datetime(["2025-03-01"] * 4),
    ...     "left_at": pd.to_datetime(["2025-03-02", "2025-03-05", None, "2025-03-09"])})
    >>> s = membership_survival(members, days=(1, 3, 7, 30), end="2025-03-08")
    >>> print(s.iloc[:, :6].to_string(index=False))
    scope  members  day_1  day_3  day_7  day_30
      all      4.0   0.75   0.75    0.5     NaN
    >>> s.iloc[0, 6:].tolist()
    [4.0, 3.0, 2.0, 0.0]
    """
    key = _community_check(by, groups, "membership_survival", (None, "group_type", "group_id", "join_scene"))
    checked = sorted({check_days("days", d, 0) for d in days})
    spans = _community_spans(members, groups, "membership_survival")
    last = (_community_window(end, end)[1] if end is not None
            else max(spans["joined"].max(), spans["left_at"].max(skipna=True)))
    spans = spans[spans["joined"] < last].reset_index(drop=True)
    event = (spans["left"] & (spans["left_at"] < last)).to_numpy(bool)
    stop = spans["stop"].where(spans["stop"] < last, last).fillna(last)
    time = ((stop - spans["joined"]) / DAY).clip(lower=0.0).to_numpy(np.float64)
    label = _community_labels(spans, by).to_numpy(object)
    columns = [key, "members", *[f"day_{d}" for d in checked], *[f"at_risk_{d}" for d in checked]]
    rows = []
    for name in sorted(set(label)):
        mine = label == name
        t, e = np.sort(time[mine]), time[mine & event]
        when, leaves = np.unique(e, return_counts=True)
        curve = np.cumprod(1.0 - leaves / (t.size - np.searchsorted(t, when, side="left")))
        share = [curve[k - 1] if k else 1.0 for k in np.searchsorted(when, checked, side="right")]
        at_risk = [float(t.size - np.searchsorted(t, d, side="left")) for d in checked]
        share = [s if n or s == 0.0 else np.nan for s, n in zip(share, at_risk, strict=True)]
        rows.append([name, float(t.size), *share, *at_risk])
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({key: "str"} | {c: np.float64 for c in columns[1:]})


def replenishment(members: pd.DataFrame, groups: pd.DataFrame | None = None, *, start: DateLike,
                  end: DateLike, by: str | None = None) -> pd.DataFrame:
    """Members joining and leaving per calendar month of the window.

    Per month (``YYYY-MM``; the first and last months are cut to the window, ``days`` says how
    many days of it count): ``members_start`` = memberships running at its first instant,
    ``joined`` = memberships with ``joined_at`` in it, ``left`` = leaves in it, ``replenishment``
    = joined ÷ members_start, ``net_growth`` = (joined − left) ÷ members_start (shares of the
    month's starting members). Reference: :data:`REPLENISHMENT` a month.

    Examples
    --------
    >>> members = pd.DataFrame({"group_id": ["g"] * 4, "member_id": list("abcd"),
    ...     "joined_at": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-10", "2025-03-03"]),
    ...     "left_at": pd.to_datetime([None, "2025-02-20", None, None])})
    >>> print(replenishment(members, start="2025-02-01", end="2025-03-15").to_string(index=False))
    scope   month  days  members_start  joined  left  replenishment  net_growth
      all 2025-02    28            2.0     1.0   1.0            0.5         0.0
      all 2025-03    15            2.0     1.0   0.0            0.5         0.5
    """
    key = _community_check(by, groups, "replenishment")
    lo, hi = _community_window(start, end)
    spans = _community_spans(members, groups, "replenishment")
    label = _community_labels(spans, by, lo)
    parts = []
    for month in pd.period_range(lo, hi - DAY, freq="M"):
        m0, m1 = max(month.start_time, lo), min(month.end_time.normalize() + DAY, hi)
        left = spans["left"] & (spans["left_at"] >= m0) & (spans["left_at"] < m1)
        part = _community_sum(label, key, {"members_start": _community_present(spans, m0),
                                           "joined": (spans["joined"] >= m0) & (spans["joined"] < m1),
                                           "left": left})
        part.insert(1, "month", pd.array([str(month)] * len(part), dtype="str"))
        part.insert(2, "days", np.int64((m1 - m0) / DAY))
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out = out[(out[["members_start", "joined", "left"]] > 0).any(axis=1) | (by is None)]
    out = out.sort_values([key, "month"], kind="stable", ignore_index=True) if by is not None else out
    out["replenishment"] = _community_ratio(out["joined"], out["members_start"])
    out["net_growth"] = _community_ratio(out["joined"] - out["left"], out["members_start"])
    return out.reset_index(drop=True)


def new_member_conversion(members: pd.DataFrame, orders: pd.DataFrame, groups: pd.DataFrame | None = None,
                          *, start: DateLike, end: DateLike, days: int = 3,
                          by: str | None = None) -> pd.DataFrame:
    """Share of new members who buy within ``days`` days of joining ("the first 3 days after
    joining are the golden window").

    ``new_members``: memberships with ``joined_at`` in the window, a ``customer_id``, and their ``days``
    days after joining over by the window's end (joined_at + days ≤ end + 1 day); ``converted``:
    those with a paid order in (joined_at, joined_at + days]; ``rate`` = converted ÷ new_members.

    Examples
    --------
    >>> members = pd.DataFrame({"group_id": ["g"] * 4, "member_id": list("abcd"),
    ...     "customer_id": ["a", "b", "c", "d"], "joined_at": pd.to_datetime(
    ...         ["2025-03-01 10:00", "2025-03-02 00:00", "2025-03-03 00:00", "2025-03-30 00:00"])})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [9.0] * 3,
    ...     "ordered_at": pd.to_datetime(["2025-03-04 09:00", "2025-02-28 00:00", "2025-03-06 00:00"])})
    >>> new_member_conversion(members, orders, start="2025-03-01", end="2025-03-31")
      scope  new_members  converted      rate
    0   all          3.0        2.0  0.666667
    """
    key = _community_check(by, groups, "new_member_conversion")
    days = check_days("days", days)
    lo, hi = _community_window(start, end)
    spans = _community_spans(members, groups, "new_member_conversion")
    spans = spans.assign(label=_community_labels(spans, by, lo))
    new = spans[(spans["joined"] >= lo) & (spans["joined"] + days * DAY <= hi) & spans[CUSTOMER_ID].notna()]
    paid = paid_orders(orders, hi - DAY, "new_member_conversion")
    bought = pd.DataFrame({CUSTOMER_ID: pd.array(paid.ids.astype(str)[paid.code], dtype="str"),
                           "next": paid.at.astype("datetime64[ns]")}).sort_values("next", kind="stable")
    asof = pd.merge_asof(new.assign(joined=new["joined"].astype("datetime64[ns]")).sort_values("joined"),
                         bought, left_on="joined", right_on="next", by=CUSTOMER_ID, direction="forward",
                         allow_exact_matches=False)
    converted = asof["next"].notna() & (asof["next"] <= asof["joined"] + days * DAY)
    out = _community_sum(asof["label"], key, {"new_members": np.ones(len(asof)), "converted": converted})
    out["rate"] = _community_ratio(out["converted"], out["new_members"])
    return out


def _community_buyers(members: pd.DataFrame, orders: pd.DataFrame, groups: pd.DataFrame, lo: pd.Timestamp,
                      hi: pd.Timestamp, what: str) -> pd.DataFrame:
    """Per group type: members (distinct customer_id with a membership running on some day of the
    window), buyers (those with a paid order in the window) and gmv (their paid GMV in it)."""
    require_columns(groups, ["group_id", "group_type"], what)
    spans = _community_spans(members, groups, what)
    inside = (spans["joined"] < hi) & (spans["stop"].isna() | (spans["stop"] > lo))
    inside &= spans[CUSTOMER_ID].notna()
    pairs = spans.loc[inside, ["group_type", CUSTOMER_ID]].drop_duplicates()
    paid = paid_orders(orders, hi - DAY, what, amount=True)
    recent = paid.at >= np.datetime64(lo)
    gmv = np.append(np.bincount(paid.code[recent], weights=paid.amount[recent], minlength=paid.n), 0.0)
    buys = np.append(np.bincount(paid.code[recent], minlength=paid.n) > 0, False)
    code = paid.ids.astype(str).get_indexer(pairs[CUSTOMER_ID].astype(str).to_numpy())
    return _community_sum(pairs["group_type"], "group_type", {"members": np.ones(len(pairs)),
                                                              "buyers": buys[code], "gmv": gmv[code]})


def gmv_per_member(members: pd.DataFrame, orders: pd.DataFrame, groups: pd.DataFrame, *, start: DateLike,
                   end: DateLike) -> pd.DataFrame:
    """Paid GMV per group member in the window, per group type.

    ``members``: distinct ``customer_id`` with a membership in a group of the type running on any
    day of the window (a customer in groups of two types counts in both); ``buyers``: those with
    a paid order in the window; ``gmv``: their paid GMV in the window (CNY, all their orders, not
    only those the group brought); ``gmv_per_member`` = gmv ÷ members (CNY);
    ``gmv_per_member_month`` = gmv_per_member × 30 ÷ days in the window (CNY a month).
    Reference: :data:`GROUP_TYPE_REFERENCE`.

    Examples
    --------
    >>> groups = pd.DataFrame({"group_id": ["g", "h"], "group_type": ["福利闪购", "会员专属"]})
    >>> members = pd.DataFrame({"group_id": ["g", "g", "h"], "member_id": ["a", "b", "a"],
    ...     "customer_id": ["a", "b", "a"], "joined_at": pd.to_datetime(["2025-01-01"] * 3)})
    >>> orders = pd.DataFrame({"customer_id": ["a", "a"], "amount": [90.0, 30.0],
    ...     "ordered_at": pd.to_datetime(["2025-03-02", "2025-02-27"])})
    >>> print(gmv_per_member(members, orders, groups, start="2025-03-01", end="2025-03-15")
    ...       .to_string(index=False))
    group_type  members  buyers  gmv  gmv_per_member  gmv_per_member_month
          会员专属      1.0     1.0 90.0            90.0                 180.0
          福利闪购      2.0     1.0 90.0            45.0                  90.0
    """
    lo, hi = _community_window(start, end)
    out = _community_buyers(members, orders, groups, lo, hi, "gmv_per_member")
    out["gmv"] = out["gmv"].round(2)
    out["gmv_per_member"] = _community_ratio(out["gmv"], out["members"])
    out["gmv_per_member_month"] = out["gmv_per_member"] * MONTH_DAYS / ((hi - lo) / DAY)
    return out


def scorecard(members: pd.DataFrame, orders: pd.DataFrame, groups: pd.DataFrame,
              group_daily: pd.DataFrame | None = None, *, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Per group type the playbook's three health figures beside its reference row.

    - ``groups``: groups of the type in ``groups`` alive in the window (created before its end,
      missing ``created_at`` counts, not dismissed before its start);
    - ``messages_per_day`` (per group) = Σ ``group_daily.messages`` ÷ group-day rows with messages, over
      the window's rows of the type's groups (NaN without ``group_daily`` messages);
    - ``conversion`` = members present in the window with a paid order in it ÷ members present
      (distinct customer_id, as in :func:`gmv_per_member`);
    - ``monthly_leaving`` = leaves in the window ÷ member-days × 30 (share a month);
    - ``reference_messages``, ``reference_conversion``, ``reference_leaving``: the type's row of
      :data:`SCORECARD_REFERENCE` (matched by name; NaN for another type).

    Examples
    --------
    >>> groups = pd.DataFrame({"group_id": ["g", "h"], "group_type": ["VIP会员群", "自建群"]})
    >>> members = pd.DataFrame({"group_id": ["g", "g", "h"], "member_id": ["a", "b", "c"],
    ...     "customer_id": ["a", "b", "c"], "joined_at": pd.to_datetime(["2025-03-01"] * 3),
    ...     "left_at": pd.to_datetime([None, "2025-03-11", None])})
    >>> orders = pd.DataFrame({"customer_id": ["a"], "amount": [10.0],
    ...                        "ordered_at": pd.to_datetime(["2025-03-05"])})
    >>> daily = pd.DataFrame({"group_id": ["g", "g"], "messages": [30.0, 50.0],
    ...     "date": pd.to_datetime(["2025-03-01", "2025-03-02"])})
    >>> card = scorecard(members, orders, groups, daily, start="2025-03-01", end="2025-03-30")
    >>> print(card.iloc[:, :5].to_string(index=False))
    group_type  groups  messages_per_day  conversion  monthly_leaving
        VIP会员群     1.0                    40.0         0.5             0.75
           自建群     1.0                     NaN         0.0             0.00
    >>> card.iloc[0, 5:].tolist()
    [28.0, 0.15, 0.05]
    """
    lo, hi = _community_window(start, end)
    require_columns(groups, ["group_id", "group_type"], "scorecard")
    table = groups.drop_duplicates("group_id")
    alive = pd.Series(True, index=table.index)
    if "created_at" in table.columns:
        alive &= ~(timestamps(table["created_at"]) >= hi)
    if "dismissed_at" in table.columns:
        alive &= ~(timestamps(table["dismissed_at"]) < lo)
    kind = pd.Series(table["group_type"].astype("str").fillna(UNKNOWN).to_numpy(),
                     index=table["group_id"].astype("str").to_numpy())
    out = _community_sum(kind.reset_index(drop=True), "group_type", {"groups": alive})
    if group_daily is not None and {"group_id", "messages"} <= set(group_daily.columns):
        at = timestamps(group_daily["date"])
        said = pd.to_numeric(group_daily["messages"]).astype(np.float64)
        keep = ((at >= lo) & (at < hi) & said.notna()).to_numpy(bool)
        of = kind.reindex(group_daily["group_id"].astype("str")[keep].to_numpy(object)).fillna(UNKNOWN)
        talk = _community_sum(of.reset_index(drop=True), "group_type", {"rows": np.ones(int(keep.sum())),
                                                                        "said": said[keep]})
        per = _community_ratio(talk["said"], talk["rows"]).set_axis(talk["group_type"])
        out["messages_per_day"] = per.reindex(out["group_type"]).to_numpy(np.float64)
    else:
        out["messages_per_day"] = np.nan
    buyers = _community_buyers(members, orders, groups, lo, hi, "scorecard").set_index("group_type")
    conversion = _community_ratio(buyers["buyers"], buyers["members"])
    out["conversion"] = conversion.reindex(out["group_type"]).to_numpy(np.float64)
    rates = leaving_rates(members, groups, start=start, end=end, by="group_type").set_index("group_type")
    out["monthly_leaving"] = (rates["daily_rate"] * MONTH_DAYS).reindex(out["group_type"]).to_numpy()
    for name in ("messages", "conversion", "leaving"):
        out["reference_" + name] = [SCORECARD_REFERENCE.get(t, {}).get(name, np.nan)
                                    for t in out["group_type"]]
    return out
