"""Group buying (拼团): how many groups open, how many fill in time, and how big they are.

A group is *completed* when enough members joined in time, *failed* when its time ran out first,
*open* while it still runs (``group_status``). Completion rate = completed ÷ (completed + failed):
open groups are left out, their outcome is not known yet. Hours to fill = ``closed_at`` −
``opened_at`` of completed groups. Windows: every group given; months are those of ``opened_at``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.paid import require_columns, timestamps

__all__ = ["COLUMNS", "group_buy_summary"]

COLUMNS = ["groups", "completed", "failed", "open", "completion_rate", "mean_joined",
           "median_hours_to_fill"]


def group_buy_summary(group_buys: pd.DataFrame, by: str = "required_size") -> pd.DataFrame:
    """Groups per ``by`` (``"required_size"``, ``"month"`` of opening, or ``None`` for one row
    ``all``): ``groups``, ``completed``, ``failed``, ``open`` (counts), ``completion_rate``
    (completed ÷ (completed + failed), 0–1; NaN without an ended group), ``mean_joined``
    (members per group, the leader included) and ``median_hours_to_fill`` (completed groups).

    Examples
    --------
    >>> g = pd.DataFrame({"group_buy_id": ["a", "b", "c", "d"], "required_size": [2, 2, 3, 3],
    ...     "joined": [2, 1, 3, 2], "group_status": ["completed", "failed", "completed", "open"],
    ...     "opened_at": pd.to_datetime(["2025-01-01 10:00"] * 4),
    ...     "closed_at": pd.to_datetime(["2025-01-01 12:00", "2025-01-02 10:00", "2025-01-01 16:00", None])})
    >>> print(group_buy_summary(g).to_string())
       required_size  groups  completed  failed  open  completion_rate  mean_joined  median_hours_to_fill
    0              2       2          1       1     0              0.5          1.5                   2.0
    1              3       2          1       0     1              1.0          2.5                   6.0
    """
    require_columns(group_buys, ["group_buy_id", "opened_at", "group_status"], "group_buy_summary")
    g = pd.DataFrame({
        "status": group_buys["group_status"].astype("str").to_numpy(),
        "joined": pd.to_numeric(group_buys.get("joined", pd.Series(np.nan, index=group_buys.index)),
                                errors="coerce").to_numpy(float),
        "hours": ((timestamps(group_buys["closed_at"]) - timestamps(group_buys["opened_at"]))
                  .dt.total_seconds().to_numpy() / 3600 if "closed_at" in group_buys.columns
                  else np.full(len(group_buys), np.nan)),
    })
    if by is None:
        g["key"] = "all"
        name = "group"
    elif by == "month":
        g["key"] = timestamps(group_buys["opened_at"]).dt.strftime("%Y-%m").to_numpy()
        name = "month"
    else:
        require_columns(group_buys, [by], "group_buy_summary")
        g["key"] = group_buys[by].to_numpy()
        name = by
    g["completed"], g["failed"], g["open"] = (g["status"] == s for s in ("completed", "failed", "open"))
    g["fill"] = g["hours"].where(g["completed"])
    grouped = g.groupby("key", sort=True, dropna=False)
    out = pd.DataFrame({
        "groups": grouped.size(),
        **{c: grouped[c].sum() for c in ("completed", "failed", "open")},
        "mean_joined": grouped["joined"].mean(),
        "median_hours_to_fill": grouped["fill"].median(),
    })
    ended = out["completed"] + out["failed"]
    out["completion_rate"] = out["completed"] / ended.where(ended > 0)
    out = out.rename_axis(name).reset_index()
    return out.astype({c: np.int64 for c in ("groups", "completed", "failed", "open")})[[name, *COLUMNS]]
