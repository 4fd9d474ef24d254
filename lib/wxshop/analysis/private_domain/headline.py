"""The private-domain report's key figures, read from the sections' own results so a headline
number is always the one its section shows.

Each argument is the result of one analysis (None when the store lacks its table); a figure
whose result is missing is NaN. Formulas and windows are those of the functions named below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

__all__ = ["HEADLINE", "WINDOWED", "WindowResults", "private_headline", "window_figures", "window_results"]

# The figures, in the order the report shows them (wxshop.report.views.private_domain.KPIS).
HEADLINE = (
    "friend_add_rate",
    "request_pass_rate",
    "session_open_rate",
    "avg_reply_minutes",
    "moments_interaction",
    "daily_leaving_rate",
    "replenishment_rate",
    "touch_effect",
)

# The figures of one window of days alone, which window_figures recomputes for earlier windows.
WINDOWED = HEADLINE[:7]

_NAN = float("nan")


def _headline_first(frame: pd.DataFrame | None, column: str) -> float:
    """The first row's ``column`` as a float; NaN when there is no frame, row or column."""
    if frame is None or column not in frame.columns or not len(frame):
        return _NAN
    value = frame[column].iloc[0]
    return float(value) if value is not None and pd.notna(value) else _NAN


def _headline_value(result: Mapping[str, Any] | None, key: str) -> float:
    if not result or result.get(key) is None:
        return _NAN
    value = float(result[key])
    return value if math.isfinite(value) else _NAN


def private_headline(
    *,
    friend_add: Mapping[str, Any] | None = None,
    staff_all: pd.DataFrame | None = None,
    session_open: Mapping[str, Any] | None = None,
    moments: Mapping[str, Any] | None = None,
    leaving: pd.DataFrame | None = None,
    months: pd.DataFrame | None = None,
    effect: Mapping[str, Any] | None = None,
    naive: Mapping[str, Any] | None = None,
    contacts: int | None = None,
    tables: Sequence[str] = (),
) -> dict[str, Any]:
    """The key figures.

    - ``friend_add_rate``: ``friend_add["rate"]`` (:func:`.staff.friend_add_rate`);
    - ``request_pass_rate``, ``avg_reply_minutes``: the one-row ``staff_all``
      (:func:`.staff.staff_kpis` with ``by=None``): ``pass_rate``, ``avg_reply_minutes``;
    - ``session_open_rate``: ``session_open["rate"]`` (:func:`.staff.session_open_rate`);
    - ``moments_interaction``: ``moments["rate"]`` (:func:`.staff.moments_interaction`);
    - ``daily_leaving_rate``: the first row's ``daily_rate`` of ``leaving``
      (:func:`.community.leaving_rates` or :func:`.community.leaving_rates_from_daily`, ``by=None``);
    - ``replenishment_rate``: the mean of ``months["replenishment"]`` over the months that have one
      (:func:`.community.replenishment`);
    - ``touch_effect``, ``touch_effect_interval``: ``effect["diff"]`` and ``[ci_low, ci_high]``
      (:func:`wxshop.ab.holdout.holdout_effect`); ``naive_touch_difference``: ``naive["diff"]``;
    - ``contacts`` (count) and ``private_tables`` (the tables present), as given.

    Examples
    --------
    >>> h = private_headline(friend_add={"rate": 0.38}, months=pd.DataFrame({"replenishment": [0.1, 0.2]}),
    ...                      effect={"diff": 0.05, "ci_low": 0.02, "ci_high": 0.08}, tables=["contacts"])
    >>> h["friend_add_rate"], round(h["replenishment_rate"], 3), h["touch_effect_interval"]
    (0.38, 0.15, [0.02, 0.08])
    >>> math.isnan(h["session_open_rate"]), h["private_tables"]
    (True, ['contacts'])
    """
    replenish = _NAN
    if months is not None and "replenishment" in months.columns:
        known = pd.to_numeric(months["replenishment"], errors="coerce").dropna()
        replenish = float(known.mean()) if len(known) else _NAN
    interval = (
        [_headline_value(effect, "ci_low"), _headline_value(effect, "ci_high")] if effect else [_NAN, _NAN]
    )
    return {
        "friend_add_rate": _headline_value(friend_add, "rate"),
        "request_pass_rate": _headline_first(staff_all, "pass_rate"),
        "session_open_rate": _headline_value(session_open, "rate"),
        "avg_reply_minutes": _headline_first(staff_all, "avg_reply_minutes"),
        "moments_interaction": _headline_value(moments, "rate"),
        "daily_leaving_rate": _headline_first(leaving, "daily_rate"),
        "replenishment_rate": replenish,
        "touch_effect": _headline_value(effect, "diff"),
        "touch_effect_interval": interval,
        "naive_touch_difference": _headline_value(naive, "diff"),
        "contacts": contacts,
        "private_tables": list(tables),
    }



class WindowResults(NamedTuple):
    """The sections' results over one window of days (None where the store lacks the table)."""

    friend_add: Mapping[str, Any] | None
    staff_all: pd.DataFrame | None
    session_open: Mapping[str, Any] | None
    moments: Mapping[str, Any] | None
    leaving: pd.DataFrame | None
    months: pd.DataFrame | None


def window_results(orders: pd.DataFrame, tables: Mapping[str, pd.DataFrame], start: pd.Timestamp,
                   end: pd.Timestamp) -> WindowResults:
    """What the report's sections compute over the days ``start`` to ``end`` from the
    private-domain ``tables`` the store has (name → loaded table) and the store's ``orders`` up to
    ``end``: the friend-add rate (:func:`.staff.friend_add_rate`), the staff figures over all staff
    (:func:`.staff.staff_kpis`), the session open rate, the Moments interaction rate, the leaving
    rates (:func:`.community.leaving_rates` from member lists, else
    :func:`.community.leaving_rates_from_daily` from 企业微信's group statistics) and the monthly
    replenishment (:func:`.community.replenishment`)."""
    from wxshop.analysis.private_domain import community, staff

    touches, members = tables.get("touches"), tables.get("group_members")
    if members is not None:
        leaving = community.leaving_rates(members, tables.get("groups"), start=start, end=end)
    elif "group_daily" in tables:
        leaving = community.leaving_rates_from_daily(tables["group_daily"], start=start, end=end,
                                                     members_at="end")
    else:
        leaving = None
    return WindowResults(
        friend_add=(staff.friend_add_rate(orders, tables["contacts"], start=start, end=end)
                    if "contacts" in tables else None),
        staff_all=(staff.staff_kpis(tables["staff_daily"], touches, start=start, end=end)
                   if "staff_daily" in tables else None),
        session_open=staff.session_open_rate(touches, start=start, end=end) if touches is not None else None,
        moments=(staff.moments_interaction(tables["posts"], start=start, end=end)
                 if "posts" in tables else None),
        leaving=leaving,
        months=community.replenishment(members, start=start, end=end) if members is not None else None,
    )


def window_figures(orders: pd.DataFrame, period_end: str, days: int, *,
                   tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """The :data:`WINDOWED` figures over the ``days`` days ending ``period_end``
    (:func:`window_results`, as the report computes its current window): the cards' changes and
    sparklines (:func:`wxshop.analysis.periods.headline_windows`)."""
    from wxshop.analysis import overview

    end = overview.resolve_period_end(orders, period_end)
    start = (end - pd.Timedelta(days=days - 1)).normalize()
    results = window_results(overview.in_period(orders, end.date().isoformat()), tables, start, end)
    figures = private_headline(**results._asdict())
    return {name: figures[name] for name in WINDOWED}
