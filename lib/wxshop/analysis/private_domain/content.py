"""Content reach (``posts``: 朋友圈, 公众号, 视频号): how many people each kind of post reached,
opened, clicked, interacted with and bought through, by channel and kind or by the hour posted,
beside the playbook's open rates and content windows.

Window: posts with ``posted_at`` in ``[start 00:00, end + 1 day 00:00)`` (both days included,
wall clock); hours are the posting hour 0–23. Counts are sums over posts (float64; NaN when no
post of the row has the column), money in CNY, rates are shares 0–1 of reach. A rate is taken
over the posts that have both its numerator and ``reach``, and is NaN when their reach is 0. A
missing channel or kind is ``"—"`` (:data:`~wxshop.analysis.paid.UNKNOWN`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.growth.timing import PLAYBOOK_WINDOWS
from wxshop.analysis.paid import UNKNOWN, DateLike, require_columns, timestamps

__all__ = ["CONTENT_COLUMNS", "CONTENT_REFERENCE", "best_hours", "content_rates", "in_playbook_window"]

CONTENT_REFERENCE: dict[tuple[str, str], float] = {  # the playbook's open rates: opens ÷ reach
    ("朋友圈", "短文案"): 0.68,
    ("公众号", "文章"): 0.22,
    ("视频号", "直播"): 0.41,
}
SUMS = ("reach", "opens", "clicks", "interactions", "orders", "gmv")
RATES = {"open_rate": "opens", "click_rate": "clicks", "interaction_rate": "interactions",
         "order_rate": "orders"}
CONTENT_COLUMNS = ["posts", *SUMS, *RATES, "gmv_per_post"]
KEYS = ("channel", "kind", "hour")


def _content_window(start: DateLike, end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Midnight of ``start`` and midnight after ``end``; ValueError when end is before start."""
    first, after = pd.Timestamp(start).floor("D"), pd.Timestamp(end).floor("D") + pd.Timedelta(days=1)
    if after <= first:
        raise ValueError(f"content: end {end} is before start {start}")
    return first, after


def in_playbook_window(hours: Sequence[int] | np.ndarray) -> np.ndarray:
    """Whether each hour of day (0–23) lies in one of the playbook's content windows
    (:data:`wxshop.analysis.growth.timing.PLAYBOOK_WINDOWS`: 7–8, 12–13 and 20–21 h).

    Examples
    --------
    >>> in_playbook_window([6, 7, 8, 9, 12, 13, 14, 20, 21, 22]).tolist()
    [False, True, True, False, True, True, False, True, True, False]
    """
    hours = np.asarray(hours)
    return np.logical_or.reduce([(hours >= a) & (hours < b) for a, b in PLAYBOOK_WINDOWS])


def content_rates(posts: pd.DataFrame, *, start: DateLike, end: DateLike,
                  by: str | Sequence[str] = ("channel", "kind")) -> pd.DataFrame:
    """Reach, opens, clicks, interactions and orders of the window's posts, per group.

    ``by``: ``"channel"``, ``"kind"``, ``"hour"`` (posting hour 0–23) or a sequence of them;
    one row per group with posts, sorted by its keys. Columns after the keys:

    - ``posts`` (int); ``reach``, ``opens``, ``clicks``, ``interactions``, ``orders``, ``gmv``
      (sums; gmv in CNY);
    - ``open_rate`` = Σ opens ÷ Σ reach, ``click_rate`` = Σ clicks ÷ Σ reach,
      ``interaction_rate`` = Σ interactions ÷ Σ reach, ``order_rate`` = Σ orders ÷ Σ reach;
    - ``gmv_per_post`` = Σ gmv ÷ posts with a gmv (CNY);
    - with both ``channel`` and ``kind`` in ``by``: ``reference_open_rate``, the playbook's
      :data:`CONTENT_REFERENCE` for that channel and kind (NaN where it has none);
    - with ``hour`` in ``by``: ``in_playbook_window`` (:func:`in_playbook_window`).

    Examples
    --------
    >>> posts = pd.DataFrame({"channel": ["公众号", "公众号", "朋友圈"], "kind": ["文章", "文章", "短文案"],
    ...     "posted_at": pd.to_datetime(["2025-03-01 08:00", "2025-03-02 21:30", "2025-03-02 08:10"]),
    ...     "reach": [1000.0, 3000.0, 200.0], "opens": [300.0, 500.0, 150.0], "gmv": [50.0, None, 0.0]})
    >>> r = content_rates(posts, start="2025-03-01", end="2025-03-02")
    >>> print(r[["channel", "kind", "posts", "reach", "open_rate", "clicks", "gmv_per_post",
    ...          "reference_open_rate"]].to_string(index=False))
    channel kind  posts  reach  open_rate  clicks  gmv_per_post  reference_open_rate
        公众号   文章      2 4000.0       0.20     NaN          50.0                 0.22
        朋友圈  短文案      1  200.0       0.75     NaN           0.0                 0.68
    >>> print(content_rates(posts, start="2025-03-01", end="2025-03-02", by="hour")[
    ...       ["hour", "posts", "open_rate", "in_playbook_window"]].to_string(index=False))
     hour  posts  open_rate  in_playbook_window
        8      2   0.375000                True
       21      1   0.166667                True
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys or any(k not in KEYS for k in keys) or len(set(keys)) < len(keys):
        raise ValueError(f"content_rates: by must be one or more of {', '.join(KEYS)}, got {by!r}")
    require_columns(posts, ["channel", "posted_at"], "content_rates")
    lo, hi = _content_window(start, end)
    at = timestamps(posts["posted_at"])
    keep = ((at >= lo) & (at < hi)).to_numpy(bool)
    rows = posts[keep].reset_index(drop=True)
    frame = pd.DataFrame({"posts": np.ones(len(rows), np.int64)})
    for key in keys:
        if key == "hour":
            frame[key] = at[keep].dt.hour.to_numpy(np.int64)
        else:
            frame[key] = (rows[key].astype("str").fillna(UNKNOWN).replace("", UNKNOWN).to_numpy(object)
                          if key in rows.columns else UNKNOWN)
    value = {c: (pd.to_numeric(rows[c]).astype(np.float64) if c in rows.columns
                 else pd.Series(np.nan, index=rows.index)) for c in SUMS}
    for c in SUMS:
        frame[c] = value[c]
    for c in RATES.values():
        both = value[c].notna() & value["reach"].notna()
        frame[c + "_over"], frame[c + "_under"] = value[c].where(both, 0.0), value["reach"].where(both, 0.0)
    frame["gmv_posts"] = value["gmv"].notna().astype(np.float64)
    grouped = frame.groupby(keys, sort=True)
    out = grouped[list(SUMS)].sum(min_count=1)
    helpers = grouped[[c for c in frame.columns if c.endswith(("_over", "_under")) or c == "gmv_posts"]].sum()
    out.insert(0, "posts", grouped["posts"].sum().astype(np.int64))
    for name, c in RATES.items():
        out[name] = helpers[c + "_over"] / helpers[c + "_under"].where(helpers[c + "_under"] > 0)
    out["gmv_per_post"] = out["gmv"] / helpers["gmv_posts"].where(helpers["gmv_posts"] > 0)
    out = out.reset_index()
    for key in keys:
        out[key] = out[key].astype(np.int64) if key == "hour" else pd.array(out[key].astype(str), dtype="str")
    if "channel" in keys and "kind" in keys:
        out["reference_open_rate"] = [CONTENT_REFERENCE.get((c, k), np.nan)
                                      for c, k in zip(out["channel"], out["kind"], strict=True)]
    if "hour" in keys:
        out["in_playbook_window"] = in_playbook_window(out["hour"].to_numpy(np.int64))
    return out


def best_hours(posts: pd.DataFrame, *, start: DateLike, end: DateLike, k: int = 3,
               min_posts: int = 5) -> pd.DataFrame:
    """The ``k`` posting hours with the highest open rate in the window.

    Rows of :func:`content_rates` ``by="hour"`` for the hours with at least ``min_posts`` posts
    and a known open rate (Σ opens ÷ Σ reach), highest open rate first (ties: earlier hour);
    fewer than ``k`` rows when fewer hours qualify.

    Examples
    --------
    >>> posts = pd.DataFrame({"channel": ["朋友圈"] * 7, "reach": [100.0] * 7,
    ...     "opens": [10.0, 30.0, 50.0, 20.0, 90.0, 40.0, 40.0],
    ...     "posted_at": pd.to_datetime(["2025-03-01 08:00", "2025-03-02 08:00", "2025-03-01 12:00",
    ...         "2025-03-02 12:00", "2025-03-01 03:00", "2025-03-01 21:00", "2025-03-02 21:00"])})
    >>> best_hours(posts, start="2025-03-01", end="2025-03-02", k=2, min_posts=2)[["hour", "open_rate"]]
       hour  open_rate
    0    21        0.4
    1    12        0.35
    """
    for name, number in (("k", k), ("min_posts", min_posts)):
        if isinstance(number, bool) or int(number) != number or number < 0:
            raise ValueError(f"best_hours: {name} must be a whole number ≥ 0, got {number!r}")
    rates = content_rates(posts, start=start, end=end, by="hour")
    rates = rates[(rates["posts"] >= min_posts) & rates["open_rate"].notna()]
    rates = rates.sort_values(["open_rate", "hour"], ascending=[False, True], kind="stable")
    return rates.head(int(k)).reset_index(drop=True)
