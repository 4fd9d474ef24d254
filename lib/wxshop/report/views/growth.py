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
    "KPIS", "LABELS", "acquired_view", "bunching_lines", "campaign_types_view", "campaigns_view",
    "depth_view", "group_buys_view",
    "funnel_view", "hour_view", "hourly_conversion_view", "in_windows", "invitation_view", "invitee_diff",
    "invitee_value_view", "inviters_view", "retention_view", "step_times_view", "view_to_pay_view",
    "weakest_step", "windows_text",
]

# The headline table: (figure, format kind), in the order shown.
KPIS: list[tuple[str, str]] = [
    ("activity_conversion", "share"), ("d1_retention", "share"), ("invited_share", "share"),
    ("k_factor", "float"), ("campaign_roi_gmv", "float"), ("campaigns_with_gain", "int"),
    ("group_completion_rate", "share"), ("peak_hour", "int"),
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
    "type": "col.campaign_type", "campaigns": "col.campaigns", "participation": "col.participation",
    "aov_uplift": "col.aov_uplift", "roi_gmv": "col.roi_gmv", "incremental_gmv": "col.incremental_gmv",
    "significant": "col.significant_campaigns", "name": "col.campaign", "start": "col.start",
    "days": "col.days", "orders_lift": "col.orders_lift", "roi_incremental": "col.roi_incremental",
    "required_size": "col.required_size", "groups": "col.groups", "completed": "col.completed",
    "failed": "col.failed", "open": "col.open", "completion_rate": "col.completion_rate",
    "mean_joined": "col.mean_joined", "median_hours_to_fill": "col.median_hours_to_fill",
    "buyers": "col.buyer_group",
    **{f"{k}_{n}": f"col.{k}_{n}" for k in ("repurchase", "value") for n in (30, 60, 90)},
    "cohort": "col.cohort", "registered": "col.registered", "d1": "col.d1", "d7": "col.d7", "d30": "col.d30",
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


def retention_view(table: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """New-user retention: [cohort,] [group,] registered and the D1 / D7 / D30 shares (%); the
    eligible and returned counts stay in the JSON.

    Examples
    --------
    >>> r = pd.DataFrame({"group": ["社群"], "registered": [200], "d1_eligible": [190],
    ...                   "d1_returned": [19], "d1": [0.1], "d7_eligible": [150], "d7_returned": [6],
    ...                   "d7": [0.04], "d30_eligible": [0], "d30_returned": [0], "d30": [float("nan")]})
    >>> print(retention_view(r, Translator("en")).to_string())
      group registered     d1    d7 d30
    0    社群        200  10.0%  4.0%   —
    """
    keep = [c for c in table.columns if not c.endswith(("_eligible", "_returned"))]
    shares = {c: "share" for c in keep if c.startswith("d") and c[1:].isdigit()}
    return formatted(table[keep], {"registered": "int", **shares}, tr.lang)


def _ratio_text(value: float) -> str:
    """``1 : x`` as the playbook writes a GMV : cost ratio; ``—`` when unknown."""
    return f"1 : {value:.1f}" if pd.notna(value) and math.isfinite(float(value)) else "—"


def campaign_types_view(types: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Per campaign type: campaigns, participation, AOV uplift and GMV : cost, each beside the
    playbook's figure, incremental GMV and how many campaigns added GMV beyond doubt.

    Examples
    --------
    >>> t = pd.DataFrame({"type": ["满减"], "campaigns": [3], "participation": [0.3], "aov_uplift": [0.1],
    ...                   "gmv": [1000.0], "cost": [400.0], "roi_gmv": [2.5], "incremental_gmv": [500.0],
    ...                   "significant": [1], "reference_roi": [2.8], "reference_participation": [0.35],
    ...                   "reference_aov_uplift": [0.2]})
    >>> row = campaign_types_view(t, Translator("en")).iloc[0]
    >>> print(row["participation"], "|", row["aov_uplift"], "|", row["roi_gmv"], "|", row["incremental_gmv"])
    30.0% (35.0%) | 10.0% (20.0%) | 1 : 2.5 (1 : 2.8) | ¥500.00
    """
    def pair(value: object, reference: object, kind: str) -> str:
        text = _ratio_text(value) if kind == "ratio" else format_value(value, kind)
        if pd.isna(reference):
            return text
        return f"{text} ({_ratio_text(reference) if kind == 'ratio' else format_value(reference, kind)})"

    rows = [{
        "type": row["type"], "campaigns": format_value(row["campaigns"], "int"),
        "participation": pair(row["participation"], row["reference_participation"], "share"),
        "aov_uplift": pair(row["aov_uplift"], row["reference_aov_uplift"], "share"),
        "roi_gmv": pair(row["roi_gmv"], row["reference_roi"], "ratio"),
        "incremental_gmv": format_value(row["incremental_gmv"], "cny"),
        "significant": format_value(row["significant"], "int"),
    } for row in types.to_dict("records")]
    columns = ["type", "campaigns", "participation", "aov_uplift", "roi_gmv", "incremental_gmv",
               "significant"]
    return pd.DataFrame(rows, columns=columns)


def campaigns_view(effects: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """One row per campaign: name, start, days, participation, AOV uplift, incremental GMV with
    its interval, order lift, GMV : cost and incremental profit ÷ cost.

    Examples
    --------
    >>> e = pd.DataFrame({"name": ["双11"], "start": [pd.Timestamp("2025-11-01")], "days": [11],
    ...                   "participation": [0.5], "aov_uplift": [0.2], "incremental_gmv": [900.0],
    ...                   "incremental_gmv_low": [100.0], "incremental_gmv_high": [1700.0],
    ...                   "orders_lift": [1.6], "roi_gmv": [4.0], "roi_incremental": [float("nan")]})
    >>> row = campaigns_view(e, Translator("en")).iloc[0]
    >>> print(row["start"], "|", row["incremental_gmv"], "|", row["orders_lift"], "|", row["roi_gmv"],
    ...       "|", row["roi_incremental"])
    2025-11-01 | ¥900.00 (¥100.00 – ¥1,700.00) | ×1.60 | 1 : 4.0 | —
    """
    rows = [{
        "name": row["name"], "start": pd.Timestamp(row["start"]).date().isoformat(),
        "days": format_value(row["days"], "int"),
        "participation": format_value(row["participation"], "share"),
        "aov_uplift": format_value(row["aov_uplift"], "share"),
        "incremental_gmv": (f"{format_value(row['incremental_gmv'], 'cny')} "
                            f"({format_value(row['incremental_gmv_low'], 'cny')} – "
                            f"{format_value(row['incremental_gmv_high'], 'cny')})"
                            if pd.notna(row["incremental_gmv"]) else "—"),
        "orders_lift": f"×{row['orders_lift']:.2f}" if pd.notna(row["orders_lift"]) else "—",
        "roi_gmv": _ratio_text(row["roi_gmv"]),
        "roi_incremental": format_value(row["roi_incremental"], "float"),
    } for row in effects.to_dict("records")]
    columns = ["name", "start", "days", "participation", "aov_uplift", "incremental_gmv", "orders_lift",
               "roi_gmv", "roi_incremental"]
    return pd.DataFrame(rows, columns=columns)


def bunching_lines(table: pd.DataFrame, tr: Translator) -> list[str]:
    """One sentence per 满X threshold of :func:`wxshop.analysis.growth.campaigns.bunching`.

    Examples
    --------
    >>> b = pd.DataFrame({"threshold": [100.0], "width": [0.1], "ratio": [2.5], "baseline_ratio": [0.9]})
    >>> print(bunching_lines(b, Translator("zh"))[0].split("，")[0])
    满 100 元门槛：活动期间优惠前金额刚过门槛（100–110 元）与刚不到（90–100 元）的订单之比 2.50
    """
    return [tr("growth.bunching", threshold=row["threshold"], low=row["threshold"] * (1 - row["width"]),
               high=row["threshold"] * (1 + row["width"]), ratio=format_value(row["ratio"], "float"),
               baseline=format_value(row["baseline_ratio"], "float"))
            for row in table.to_dict("records")]


def group_buys_view(summary: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """拼团 per size or month: groups, completed, failed, running, completion rate (%), mean
    members and median hours to fill."""
    sizes = {"required_size": "int"} if "required_size" in summary.columns else {}
    return formatted(summary, {**sizes, "groups": "int", "completed": "int", "failed": "int", "open": "int",
                               "completion_rate": "share", "mean_joined": "float",
                               "median_hours_to_fill": "float"}, tr.lang)


def acquired_view(value: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Campaign-acquired against organic buyers: buyers, repurchase (%) and mean GMV (CNY) per
    window; the eligible counts stay in the JSON.

    Examples
    --------
    >>> v = pd.DataFrame({"customers": [10, 90], "eligible_30": [9, 80], "repurchase_30": [0.5, 0.25],
    ...                   "value_30": [120.0, 80.5]}, index=pd.Index(["campaign", "organic"], name="group"))
    >>> print(acquired_view(v, Translator("en")).to_string())
               buyers customers repurchase_30 value_30
    0  via a campaign        10         50.0%  ¥120.00
    1         organic        90         25.0%   ¥80.50
    """
    value = value.reset_index() if "group" not in value.columns else value
    labels = {"campaign": tr("group.campaign"), "organic": tr("group.organic")}
    shown = value.drop(columns=[c for c in value.columns if c.startswith("eligible_")])
    shown = shown.rename(columns={"group": "buyers"}).assign(
        buyers=[labels.get(g, g) for g in value["group"]])
    kinds = {c: ("share" if c.startswith("repurchase_") else "cny")
             for c in shown.columns if c.startswith(("repurchase_", "value_"))}
    return formatted(shown, {"customers": "int", **kinds}, tr.lang)


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
