"""What the ``05_private_domain`` report shows: its KPI list and tables, as display text.

Each ``*_view`` takes a frame from :mod:`wxshop.analysis.private_domain` and returns the columns the
report shows, formatted (money in CNY, shares as %), under canonical column names; show it with
``report.table(view, LABELS)``. The JSON records the unformatted frames. Columns an analysis did not
compute (a store without the optional column) are left out rather than shown empty.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from wxshop.report.i18n import Translator
from wxshop.report.views.display import formatted

__all__ = [
    "KPIS",
    "LABELS",
    "PRIVATE_TABLES_SHOWN",
    "cadence_view",
    "community_view",
    "contacts_view",
    "content_view",
    "conversion_view",
    "gmv_member_view",
    "holdout_line",
    "hours_view",
    "kpi_windows",
    "leaderboard_view",
    "naive_line",
    "naive_vs_holdout_line",
    "percent",
    "replenishment_view",
    "scorecard_view",
    "staff_view",
    "survival_view",
    "unlock_view",
]

# The headline table: (figure, format kind), in the order shown.
KPIS: list[tuple[str, str]] = [
    ("friend_add_rate", "share"),
    ("request_pass_rate", "share"),
    ("session_open_rate", "share"),
    ("avg_reply_minutes", "float"),
    ("moments_interaction", "share"),
    ("daily_leaving_rate", "share2"),
    ("replenishment_rate", "share"),
    ("touch_effect", "share"),
]

# The tables that unlock the report, in the order the one-page report lists them.
PRIVATE_TABLES_SHOWN = (
    "contacts",
    "staff_daily",
    "groups",
    "group_members",
    "group_daily",
    "touches",
    "posts",
)

# Column → i18n key of its header, for every view below.
LABELS: dict[str, str] = {
    "table": "col.pd_table",
    "unlocks": "col.pd_unlocks",
    "where": "col.pd_where",
    "present": "col.pd_present",
    "staff_id": "col.pd_staff",
    "week": "col.pd_week",
    "requests_sent": "col.pd_requests_sent",
    "pass_rate": "col.pd_pass_rate",
    "new_contacts": "col.pd_new_contacts",
    "deletion_rate": "col.pd_deletion_rate",
    "chats": "col.pd_chats",
    "reply_percentage": "col.pd_replied",
    "avg_reply_minutes": "col.pd_reply_minutes",
    "session_open_rate": "col.pd_open_rate",
    "reply_rate": "col.pd_reply_rate",
    "rank": "col.pd_rank",
    "contacts": "col.pd_contacts",
    "linked": "col.pd_linked",
    "buyers": "col.pd_buyers",
    "gmv": "col.gmv",
    "group": "col.group",
    "buyer_before": "col.pd_buyer_before",
    "new_after": "col.pd_new_after",
    "first_purchase_rate": "col.pd_first_purchase_rate",
    "repeat_after": "col.pd_repeat_after",
    "repeat_rate": "col.pd_repeat_rate",
    "median_days_to_first": "col.pd_days_to_first",
    "member_days": "col.pd_member_days",
    "leaves": "col.pd_leaves",
    "daily_rate": "col.pd_daily_rate",
    "monthly_equivalent": "col.pd_monthly_leaving",
    "month": "col.month",
    "members_start": "col.pd_members_start",
    "joined": "col.pd_joined",
    "left": "col.pd_left",
    "replenishment": "col.pd_replenishment",
    "net_growth": "col.pd_net_growth",
    "new_members": "col.pd_new_members",
    "converted": "col.pd_converted",
    "rate": "col.pd_rate",
    "group_type": "col.pd_group_type",
    "members": "col.pd_members",
    "gmv_per_member": "col.pd_gmv_per_member",
    "gmv_per_member_month": "col.pd_gmv_per_member_month",
    "groups": "col.pd_groups",
    "messages_per_day": "col.pd_messages_per_day",
    "conversion": "col.pd_conversion",
    "monthly_leaving": "col.pd_monthly_leaving",
    "stage": "col.pd_stage",
    "entrants": "col.pd_entrants",
    "touched_share": "col.pd_touched_share",
    "bought_14_touched": "col.pd_bought_14_touched",
    "bought_14_not": "col.pd_bought_14_not",
    "bought_30_touched": "col.pd_bought_30_touched",
    "bought_30_not": "col.pd_bought_30_not",
    "channel": "col.pd_channel",
    "kind": "col.pd_kind",
    "posts": "col.pd_posts",
    "reach": "col.pd_reach",
    "open_rate": "col.pd_open_rate_content",
    "reference_open_rate": "col.pd_reference_open_rate",
    "click_rate": "col.pd_click_rate",
    "interaction_rate": "col.pd_interaction_rate",
    "order_rate": "col.pd_order_rate",
    "gmv_per_post": "col.pd_gmv_per_post",
    "hour": "col.hour",
    "in_playbook_window": "col.in_window",
    **{f"day_{n}": f"col.pd_day_{n}" for n in (1, 3, 7, 14, 30, 60, 90)},
    **{f"touched_by_{n}": f"col.pd_touched_by_{n}" for n in (3, 7, 14)},
    "reference": "col.pd_reference",
}


def percent(value: float, digits: int = 1) -> str:
    """A share 0–1 as a percentage with ``digits`` decimals; ``—`` when missing.

    >>> percent(0.0234, 2), percent(float("nan"))
    ('2.34%', '—')
    """
    if value is None or not math.isfinite(float(value)):
        return "—"
    return f"{100 * float(value):.{digits}f}%"


def _columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a named index (the grouping of an analysis) as its first column; a copy."""
    return frame.reset_index() if frame.index.name else frame.copy()


def _pick(
    frame: pd.DataFrame,
    columns: Sequence[str],
    formats: Mapping[str, str],
    tr: Translator,
    fine: Sequence[str] = (),
) -> pd.DataFrame:
    """The ``columns`` ``frame`` has, formatted; ``fine`` shares get two decimals."""
    present = [c for c in columns if c in frame.columns]
    shown = frame[present].copy()
    for c in fine:
        if c in shown.columns:
            shown[c] = [percent(v, 2) for v in shown[c].tolist()]
    return formatted(shown, {c: k for c, k in formats.items() if c in present and c not in fine}, tr.lang)


def _group_first(frame: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The grouping column (index or first column) as a column named ``group``."""
    out = _columns(frame)
    first = out.columns[0]
    if first != "group" and first not in ("staff_id", "week", "month", "hour", "stage"):
        out = out.rename(columns={first: "group"})
    if "group" in out.columns:
        out["group"] = [tr("sop.all") if str(v) == "all" else str(v) for v in out["group"].tolist()]
    return out


_STAFF = {
    "requests_sent": "int",
    "pass_rate": "share",
    "new_contacts": "int",
    "deletion_rate": "share",
    "chats": "int",
    "reply_percentage": "share",
    "avg_reply_minutes": "float",
    "session_open_rate": "share",
    "reply_rate": "share",
}


def staff_view(kpis: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Staff KPIs per staff member or week (:func:`~wxshop.analysis.private_domain.staff.staff_kpis`).

    >>> k = pd.DataFrame({"week": ["2026-10-05"], "requests_sent": [10.0], "pass_rate": [0.7]})
    >>> print(staff_view(k, Translator("en")).to_string())
             week requests_sent pass_rate
    0  2026-10-05            10     70.0%
    """
    out = _group_first(kpis, tr)
    if "week" in out.columns:
        out["week"] = [str(v)[:10] for v in out["week"].tolist()]
    return _pick(out, ["group", "staff_id", "week", *_STAFF], _STAFF, tr)


def leaderboard_view(board: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The staff leaderboard: rank, staff, contacts, linked, buyers, GMV, new contacts and rates."""
    formats = {
        "rank": "int",
        "contacts": "int",
        "linked": "int",
        "buyers": "int",
        "gmv": "cny",
        "new_contacts": "int",
        "pass_rate": "share",
        "session_open_rate": "share",
    }
    out = _columns(board)
    return _pick(out, ["rank", "staff_id", *list(formats)[1:]], formats, tr)


def contacts_view(funnel: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The contact → first order → repeat funnel (overall, by add source or by staff)."""
    formats = {
        "contacts": "int",
        "linked": "int",
        "buyer_before": "int",
        "new_after": "int",
        "first_purchase_rate": "share",
        "repeat_after": "int",
        "repeat_rate": "share",
        "median_days_to_first": "float",
    }
    return _pick(_group_first(funnel, tr), ["group", *formats], formats, tr)


def community_view(rates: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Leaving rates: member-days, leaves, daily rate (two decimals) and the monthly equivalent."""
    formats = {
        "groups": "int",
        "member_days": "int",
        "leaves": "int",
        "daily_rate": "share",
        "monthly_equivalent": "share",
    }
    return _pick(_group_first(rates, tr), ["group", *formats], formats, tr, fine=("daily_rate",))


def survival_view(survival: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Member survival: the share still in the group on day n, per group or overall."""
    out = _group_first(survival, tr)
    days = [c for c in out.columns if str(c).startswith("day_")]
    return _pick(out, ["group", "members", *days], {"members": "int", **dict.fromkeys(days, "share")}, tr)


def replenishment_view(months: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Per month: members at the start, joined, left, replenishment and net growth."""
    out = _columns(months)
    if "month" in out.columns:
        out["month"] = [str(v)[:7] for v in out["month"].tolist()]
    formats = {
        "members_start": "int",
        "joined": "int",
        "left": "int",
        "replenishment": "share",
        "net_growth": "share",
    }
    return _pick(out, ["month", *formats], formats, tr)


def conversion_view(conv: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """New members' conversion in their first days."""
    formats = {"new_members": "int", "converted": "int", "rate": "share"}
    return _pick(_group_first(conv, tr), ["group", *formats], formats, tr)


def gmv_member_view(gmv: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """GMV per member by group type."""
    formats = {
        "members": "int",
        "buyers": "int",
        "gmv": "cny",
        "gmv_per_member": "cny",
        "gmv_per_member_month": "cny",
    }
    out = _columns(gmv)
    return _pick(out, ["group_type", *formats], formats, tr)


def scorecard_view(card: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The group scorecard with the playbook's row for the same type as text in ``reference``."""
    out = _columns(card)
    ref = []
    for row in out.to_dict("records"):
        parts = [row.get("reference_messages"), row.get("reference_conversion"), row.get("reference_leaving")]
        if all(p is not None and math.isfinite(float(p)) for p in parts):
            ref.append(f"{parts[0]:.0f} / {percent(parts[1], 0)} / {percent(parts[2], 0)}")
        else:
            ref.append("—")
    out["reference"] = ref
    formats = {
        "groups": "int",
        "messages_per_day": "float",
        "conversion": "share",
        "monthly_leaving": "share",
    }
    return _pick(out, ["group_type", *formats, "reference"], formats, tr)


def cadence_view(cadence: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Per stage: entrants, touched in time (overall and by day 3 / 7 / 14), and the share who bought
    within 14 / 30 days, touched and not touched."""
    out = _columns(cadence)
    if "stage" in out.columns:
        out["stage"] = [tr(f"sop.{v}") for v in out["stage"].tolist()]
    formats = {
        "entrants": "int",
        "touched_share": "share",
        **{f"touched_by_{n}": "share" for n in (3, 7, 14)},
        **{f"bought_{n}_{w}": "share" for n in (14, 30) for w in ("touched", "not")},
    }
    return _pick(out, ["stage", *formats], formats, tr)


def content_view(rates: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Content rates by channel and kind, with the playbook's reference open rate."""
    out = _columns(rates)
    formats = {
        "posts": "int",
        "reach": "int",
        "open_rate": "share",
        "reference_open_rate": "share",
        "click_rate": "share",
        "interaction_rate": "share",
        "order_rate": "share",
        "gmv_per_post": "cny",
    }
    return _pick(
        out, ["channel", "kind", *formats], formats, tr, fine=("click_rate", "interaction_rate", "order_rate")
    )


def hours_view(rates: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Content by posting hour: posts, reach, open rate, whether the hour is a playbook window."""
    out = _columns(rates)
    if "in_playbook_window" in out.columns:
        out["in_playbook_window"] = ["✓" if bool(v) else "" for v in out["in_playbook_window"].tolist()]
    formats = {"posts": "int", "reach": "int", "open_rate": "share"}
    return _pick(out, ["hour", *formats, "in_playbook_window"], formats, tr)


def unlock_view(present: Sequence[str], tr: Translator) -> pd.DataFrame:
    """The one-page report's table: each private-domain table, what it unlocks, where to export it.

    >>> v = unlock_view([], Translator("en"))
    >>> print(list(v.columns), len(v), v["present"].iloc[0])
    ['table', 'unlocks', 'where', 'present'] 7 ✗
    """
    return pd.DataFrame(
        {
            "table": [f"{t} · {tr(f'table.{t}')}" for t in PRIVATE_TABLES_SHOWN],
            "unlocks": [tr(f"private.unlock.{t}") for t in PRIVATE_TABLES_SHOWN],
            "where": [tr(f"private.where.{t}") for t in PRIVATE_TABLES_SHOWN],
            "present": ["✓" if t in present else "✗" for t in PRIVATE_TABLES_SHOWN],
        }
    )


def kpi_windows(window: str, holdout_window: str | None) -> dict[str, str]:
    """The window each key figure states: ``window`` for all, the holdout's days for the touch effect
    (``window`` again when there is no holdout, whose figure is then empty).

    >>> kpi_windows("近 90 天", "分组后 30 天")["touch_effect"]
    '分组后 30 天'
    """
    return {name: (holdout_window or window) if name == "touch_effect" else window for name, _ in KPIS}


def _effect_numbers(effect: Mapping[str, object]) -> dict[str, str]:
    return {
        "diff": percent(effect["diff"]),
        "low": percent(effect["ci_low"]),
        "high": percent(effect["ci_high"]),
    }


def naive_line(naive: Mapping[str, object], tr: Translator) -> str:
    """Silent customers outside the experiment, touched against untouched (association only).

    >>> n = {"rate_treatment": 0.2, "rate_control": 0.08, "diff": 0.12, "ci_low": 0.1, "ci_high": 0.14}
    >>> naive_line(n, Translator("en"))[:80]
    'Silent customers (those in the randomised experiment left out): 20.0% of the tou'
    """
    return tr(
        "private.naive",
        touched=percent(naive["rate_treatment"]),
        untouched=percent(naive["rate_control"]),
        **_effect_numbers(naive),
    )


def holdout_line(effect: Mapping[str, object], experiment: str, days: int, tr: Translator) -> str:
    """The randomised estimate with its interval and what it means: an effect only when the
    interval excludes 0 and the test (pooled z, as in the A/B report) is significant too; with few
    buyers in an arm the two can disagree, and then the line says "not yet".

    >>> e = {"diff": 0.127, "ci_low": 0.065, "ci_high": 0.19, "p_value": 0.084, "significant": False,
    ...      "rate_treatment": 0.127, "rate_control": 0.0, "n_treatment": 110, "n_control": 21}
    >>> holdout_line(e, "sop_holdout", 30, Translator("en")).endswith("touching brings purchases.")
    True
    >>> "does bring" in holdout_line({**e, "significant": True}, "sop_holdout", 30, Translator("en"))
    True
    """
    low, high = float(effect["ci_low"]), float(effect["ci_high"])
    sure = bool(effect.get("significant", True))  # the p-value agrees with the interval
    verdict = "private.holdout_unclear"
    if sure and low > 0:
        verdict = "private.holdout_significant"
    elif sure and high < 0:
        verdict = "private.holdout_harm"
    p = float(effect["p_value"])
    return tr(
        "private.holdout",
        experiment=experiment,
        treated=percent(effect["rate_treatment"]),
        control=percent(effect["rate_control"]),
        n_t=int(effect["n_treatment"]),
        n_c=int(effect["n_control"]),
        days=days,
        p=f"{p:.3f}" if math.isfinite(p) else "—",
        verdict=tr(verdict),
        **_effect_numbers(effect),
    )


def naive_vs_holdout_line(naive: Mapping[str, object], effect: Mapping[str, object], tr: Translator) -> str:
    """How far the touched-vs-untouched difference is from the randomised effect, and which way."""
    above = float(naive["diff"]) >= float(effect["diff"])
    return tr(
        "private.naive_vs_holdout",
        naive=percent(naive["diff"]),
        causal=percent(effect["diff"]),
        direction=tr("word.higher_than" if above else "word.lower_than"),
        misjudge=tr("word.overstate" if above else "word.understate"),
    )
