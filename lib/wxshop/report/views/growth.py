"""What the ``04_growth`` report shows: its KPI list and tables, as display text.

Each ``*_view`` takes a frame from :mod:`wxshop.analysis.growth` and returns the columns the
report shows, formatted (money in CNY, shares as %), under canonical column names; show it with
``report.table(view, LABELS)``. The JSON records the unformatted frames.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from wxshop.report.document import format_value
from wxshop.report.i18n import Translator
from wxshop.report.views.display import formatted

__all__ = [
    "KPIS", "LABELS", "depth_view", "funnel_view", "hour_view", "hourly_conversion_view", "in_windows",
    "invitation_view", "invitee_diff", "invitee_value_view", "inviters_view", "step_times_view",
    "view_to_pay_view", "weakest_step", "windows_text",
]

# The headline table: (figure, format kind), in the order shown.
KPIS: list[tuple[str, str]] = [
    ("activity_conversion", "share"), ("invited_share", "share"), ("k_factor", "float"),
    ("peak_hour", "int"),
]

# Column → i18n key of its header, for every view below.
LABELS: dict[str, str] = {
    "group": "col.group", "step": "col.step", "events": "col.events", "customers": "col.customers",
    "step_conversion": "col.step_conversion", "from_view": "col.from_view", "drop_off": "col.drop_off",
    "from_step": "col.from_step", "to_step": "col.to_step", "pairs": "col.pairs",
    "median_minutes": "col.median_minutes", "p80_minutes": "col.p80_minutes",
    "gender": "col.gender", "category": "col.category", "median_hours": "col.median_hours",
    "p80_hours": "col.p80_hours", "hour": "col.hour", "orders": "col.orders", "gmv": "col.gmv",
    "share": "col.share", "index": "col.hour_index", "in_playbook_window": "col.in_window",
    "views": "col.views", "pays": "col.pays", "conversion": "col.conversion", "month": "col.month",
    "new_customers": "col.new_customers", "invited": "col.invited", "depth": "col.depth",
    "mean_gmv": "col.mean_gmv", "median_gmv": "col.median_gmv", "repeat_rate": "col.repurchase_rate",
    "inviter_id": "col.inviter", "invitees": "col.invitees", "invitee_gmv": "col.invitee_gmv",
}


def _steps(values: pd.Series, tr: Translator) -> list[str]:
    return [tr(f"step.{v}") for v in values.tolist()]


def funnel_view(funnel: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The funnel table: [group,] step, events, customers, step_conversion, from_view and
    drop_off (%); ``funnel`` is :func:`wxshop.analysis.growth.funnel.funnel_steps`'s frame.

    Examples
    --------
    >>> f = pd.DataFrame({"step": ["view", "pay"], "events": [10, 2], "customers": [5, 2],
    ...                   "step_conversion": [float("nan"), 0.2], "from_view": [1.0, 0.2],
    ...                   "drop_off": [float("nan"), 0.8]})
    >>> print(funnel_view(f, Translator("en")).to_string())
       step events customers step_conversion from_view drop_off
    0  view     10         5               —    100.0%        —
    1   pay      2         2           20.0%     20.0%    80.0%
    """
    shown = funnel.assign(step=_steps(funnel["step"], tr))
    return formatted(shown, {"events": "int", "customers": "int", "step_conversion": "share",
                             "from_view": "share", "drop_off": "share"}, tr.lang)


def step_times_view(times: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Time between steps in minutes: from_step, to_step, pairs, median and P80.

    Examples
    --------
    >>> t = pd.DataFrame({"from_step": ["view"], "to_step": ["add_to_cart"], "pairs": [4],
    ...                   "median_seconds": [90.0], "p80_seconds": [300.0]})
    >>> print(step_times_view(t, Translator("en")).to_string())
      from_step      to_step pairs median_minutes p80_minutes
    0      view  add to cart     4           1.50        5.00
    """
    shown = pd.DataFrame({
        "from_step": _steps(times["from_step"], tr), "to_step": _steps(times["to_step"], tr),
        "pairs": times["pairs"], "median_minutes": times["median_seconds"] / 60,
        "p80_minutes": times["p80_seconds"] / 60,
    })
    return formatted(shown, {"pairs": "int", "median_minutes": "float", "p80_minutes": "float"}, tr.lang)


def view_to_pay_view(intervals: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """First view → pay in hours, by the groups the frame has (gender, category)."""
    return formatted(intervals, {"customers": "int", "median_hours": "float", "p80_hours": "float"},
                     tr.lang)


def hour_view(profile: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Orders per hour: hour (``HH:00``), orders, gmv, share, index and a ✓ in a playbook window.

    Examples
    --------
    >>> p = pd.DataFrame({"hour": [20], "orders": [12], "gmv": [1200.0], "share": [0.1],
    ...                   "index": [2.4], "in_playbook_window": [True]})
    >>> print(hour_view(p, Translator("en")).to_string())
        hour orders        gmv  share index in_playbook_window
    0  20:00     12  ¥1,200.00  10.0%  2.40                  ✓
    """
    shown = profile.assign(hour=[f"{int(h):02d}:00" for h in profile["hour"]],
                           in_playbook_window=["✓" if w else "" for w in profile["in_playbook_window"]])
    return formatted(shown, {"orders": "int", "gmv": "cny", "share": "share", "index": "float"}, tr.lang)


def hourly_conversion_view(hourly: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """View and pay events per hour and their ratio (%)."""
    shown = hourly.assign(hour=[f"{int(h):02d}:00" for h in hourly["hour"]])
    return formatted(shown, {"views": "int", "pays": "int", "conversion": "share"}, tr.lang)


def invitation_view(shares: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Per month: new customers, invited, share (%)."""
    return formatted(shares, {"new_customers": "int", "invited": "int", "share": "share"}, tr.lang)


def depth_view(depth: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Customers per invitation-chain depth."""
    return formatted(depth, {"customers": "int"}, tr.lang)


def invitee_value_view(value: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Invited against organic customers: customers, mean and median GMV, repeat rate."""
    value = value if "group" in value.columns else value.reset_index()  # the analysis indexes by group
    shown = value[["group", "customers", "mean_gmv", "median_gmv", "repeat_rate"]]
    shown = shown.assign(group=[tr(f"group.{g}") for g in shown["group"]])
    return formatted(shown, {"customers": "int", "mean_gmv": "cny", "median_gmv": "cny",
                             "repeat_rate": "share"}, tr.lang)


def invitee_diff(value: pd.DataFrame, tr: Translator) -> str | None:
    """The sentence on invited − organic mean GMV with its Welch 95% interval, or None when the
    interval could not be computed (fewer than 2 buyers a side).

    Examples
    --------
    >>> v = pd.DataFrame({"diff_mean": [12.5, None], "diff_ci_low": [-3.0, None],
    ...                   "diff_ci_high": [28.0, None]},
    ...                  index=pd.Index(["invited", "organic"], name="group"))
    >>> print(invitee_diff(v, Translator("zh")))
    受邀客户的人均 GMV 比自然客户 ¥12.50（95% 置信区间 ¥-3.00 至 ¥28.00，Welch t 检验）。
    """
    value = value.set_index("group") if "group" in value.columns else value
    if "invited" not in value.index:
        return None
    row = value.loc["invited"]
    if not all(pd.notna(row.get(c)) for c in ("diff_mean", "diff_ci_low", "diff_ci_high")):
        return None
    return tr("growth.invitee_diff", diff=format_value(row["diff_mean"], "cny"),
              low=format_value(row["diff_ci_low"], "cny"), high=format_value(row["diff_ci_high"], "cny"))


def inviters_view(inviters: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The top inviters: pseudonymous id, buying invitees, their GMV."""
    return formatted(inviters, {"invitees": "int", "invitee_gmv": "cny"}, tr.lang)


def windows_text(windows: Sequence[tuple[int, int]], tr: Translator) -> str:
    """``7–9、12–14、20–22 点`` / ``7–9, 12–14, 20–22 h``.

    Examples
    --------
    >>> windows_text(((7, 9), (20, 22)), Translator("en")), windows_text(((7, 9),), Translator("zh"))
    ('7–9, 20–22 h', '7–9 点')
    """
    parts = [f"{a}–{b}" for a, b in windows]
    return "、".join(parts) + " 点" if tr.lang == "zh" else ", ".join(parts) + " h"


def in_windows(hours: Sequence[int], windows: Sequence[tuple[int, int]]) -> dict[str, bool]:
    """{hour as text: whether it falls in one of the [start, end) ``windows``}.

    Examples
    --------
    >>> in_windows([21, 16], ((20, 22),))
    {'21': True, '16': False}
    """
    return {str(int(h)): any(a <= int(h) < b for a, b in windows) for h in hours}


def weakest_step(funnel: pd.DataFrame) -> tuple[str, float] | None:
    """The step with the lowest step conversion (the biggest drop-off), or None.

    Examples
    --------
    >>> f = pd.DataFrame({"step": ["view", "add_to_cart", "pay"],
    ...                   "step_conversion": [float("nan"), 0.3, 0.8]})
    >>> weakest_step(f)
    ('add_to_cart', 0.3)
    """
    rates = funnel.dropna(subset=["step_conversion"])
    if rates.empty:
        return None
    row = rates.loc[rates["step_conversion"].idxmin()]
    rate = float(row["step_conversion"])
    return (str(row["step"]), rate) if math.isfinite(rate) else None
