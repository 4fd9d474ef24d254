"""The private-domain report's key figures, read from the sections' own results so a headline
number is always the one its section shows.

Each argument is the result of one analysis (None when the store lacks its table); a figure
whose result is missing is NaN. Formulas and windows are those of the functions named below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["HEADLINE", "private_headline"]

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
