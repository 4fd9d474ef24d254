"""What the ``01_user_profiling`` report shows: its KPI list, tables and rule sentences.

Each ``*_view`` takes a frame from the analyses (:mod:`wxshop.analysis.profiles`,
:mod:`~wxshop.analysis.rfm`, :mod:`~wxshop.analysis.lifecycle`, :mod:`wxshop.report.exports`)
and returns the columns the report shows, codes translated and figures formatted (money in
CNY, shares as %, days as 1.23), under canonical column names; show it with
``report.table(view, LABELS)``. The JSON records the unformatted frames.
"""

from __future__ import annotations

import math

import pandas as pd

from wxshop.analysis.lifecycle import StageThresholds
from wxshop.analysis.profiles import UNKNOWN
from wxshop.analysis.rfm import SEGMENTS, Split
from wxshop.report.document import format_value
from wxshop.report.i18n import Translator
from wxshop.report.views.display import formatted

__all__ = [
    "KPIS", "LABELS", "PERIOD_KPIS", "action_plan_view", "category_thresholds_view", "lifecycle_rule",
    "migration_view",
    "kpi_windows", "profile_view", "segment_stage_view", "value_text",
    "rfm_rule", "rfm_split", "segment_labels", "segments_view", "spend_tiers_note", "spend_tiers_view",
    "stages_view",
]

# The headline table: (figure of repurchase.headline, format kind[, definition key]).
KPIS: list[tuple[str, ...]] = [
    ("customers", "int", "def.p.customers"), ("active_customers", "int"),
    ("new_customers", "int", "def.p.new_customers"), ("orders", "int", "def.p.orders"),
    ("gmv", "cny", "def.p.gmv"), ("aov", "cny", "def.p.aov"),
    ("frequency", "float", "def.p.frequency"), ("repurchase_rate", "share", "def.p.repurchase_rate"),
    ("return_rate", "share"),
]

# The headline figures compared with the previous period and last year (wxshop.analysis.periods).
PERIOD_KPIS: list[str] = ["customers", "orders", "gmv", "spend_per_buyer", "aov", "repurchase_rate"]

# Column → i18n key of its header, for every view below.
LABELS: dict[str, str] = {
    "value": "col.value_group", "customers": "col.customers", "customer_share": "col.customer_share",
    "gmv": "col.gmv", "gmv_share": "col.gmv_share", "aov": "col.aov",
    "repurchase_rate": "col.repurchase_rate",
    "label": "col.tier", "avg_monthly_spend": "col.avg_monthly_spend",
    "segment": "col.segment", "avg_recency_days": "col.avg_recency", "avg_frequency": "col.avg_frequency",
    "avg_monetary": "col.avg_monetary", "action": "col.action",
    "stage": "col.stage", "avg_days_since_last": "col.avg_recency", "cadence": "col.cadence",
    "mean_p_alive": "col.mean_p_alive", "expected_value_sum": "col.expected_value_sum",
    "suggested_action": "col.action",
    "category": "col.category", "intervals": "col.intervals", "main_customers": "col.main_customers",
    "active_days": "col.active_days",
    "dormant_days": "col.dormant_days", "lost_days": "col.lost_days", "source": "col.threshold_source",
}


def kpi_windows(head: dict, days: int, tr: Translator) -> dict[str, str]:
    """The window each headline figure covers, for ``report.kpis(..., window=...)``: all
    history up to the period end for ``customers``, the last ``days`` days for the rest.

    ``head`` is :func:`wxshop.analysis.repurchase.headline`'s dict.

    Examples
    --------
    >>> w = kpi_windows({"period_start": "2026-08-03", "period_end": "2026-10-31"}, 90, Translator("en"))
    >>> w["customers"], w["gmv"]
    ('all history up to 2026-10-31', 'last 90 days, 2026-08-03 to 2026-10-31')
    """
    recent = tr("window.last_days", days=days, start=head["period_start"], end=head["period_end"])
    return {**{name: recent for name, *_ in KPIS}, "customers": tr("window.up_to", end=head["period_end"])}


def profile_view(table: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """One customer-profile table (one dimension): value group, customers, shares (%), GMV and
    AOV (CNY), repurchase rate (%); the unknown group named in the report's language.

    ``table`` is one frame of :func:`wxshop.analysis.profiles.profile_tables`.

    Examples
    --------
    >>> t = pd.DataFrame({"value": ["女", "unknown"], "customers": [3, 1],
    ...                   "customer_share": [0.75, 0.25], "gmv": [300.0, 50.0],
    ...                   "gmv_share": [0.857, 0.143], "aov": [100.0, 50.0],
    ...                   "repurchase_rate": [0.333, 0.0]})
    >>> print(profile_view(t, Translator("zh")).to_string())
      value  customers customer_share      gmv gmv_share      aov repurchase_rate
    0     女          3          75.0%  ¥300.00     85.7%  ¥100.00           33.3%
    1    未知          1          25.0%   ¥50.00     14.3%   ¥50.00            0.0%
    """
    shown = table.assign(value=table["value"].replace({UNKNOWN: tr("value.unknown")}))
    return formatted(shown, {"customer_share": "share", "gmv": "cny", "gmv_share": "share", "aov": "cny",
                             "repurchase_rate": "share"}, tr.lang)


def spend_tiers_view(tiers: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The spend-tier table: tier label, customers, customer and GMV shares (%), GMV and
    average monthly spend (CNY per month).

    ``tiers`` is :func:`wxshop.analysis.profiles.spend_tiers`'s frame.

    Examples
    --------
    >>> tiers = pd.DataFrame({"tier": ["low"], "label": ["<500"], "customers": [2],
    ...                       "customer_share": [1.0], "gmv": [400.0], "gmv_share": [1.0],
    ...                       "avg_monthly_spend": [66.4]})
    >>> print(spend_tiers_view(tiers, Translator("en")).to_string())
      label  customers customer_share      gmv gmv_share avg_monthly_spend
    0  <500          2         100.0%  ¥400.00    100.0%            ¥66.40
    """
    shown = tiers[["label", "customers", "customer_share", "gmv", "gmv_share", "avg_monthly_spend"]]
    return formatted(shown, {"customer_share": "share", "gmv": "cny", "gmv_share": "share",
                             "avg_monthly_spend": "cny"}, tr.lang)


def spend_tiers_note(tiers: pd.DataFrame, tr: Translator) -> str:
    """Where the tiers are cut and why the playbook's whole-wallet bands are context only.

    Examples
    --------
    >>> tiers = pd.DataFrame({"tier": ["low"]})
    >>> tiers.attrs = {"edges": (120.0, 480.0), "source": "store"}
    >>> print(spend_tiers_note(tiers, Translator("en")))  # doctest: +ELLIPSIS
    Tiers cut at the store's own median (¥120.00 a month) and 90th percentile (¥480.00 a month)...
    """
    lo, hi = tiers.attrs.get("edges", (float("nan"), float("nan")))
    own = tiers.attrs.get("source") == "store"
    key = "profiling.spend_note_store" if own else "profiling.spend_note_given"
    return tr(key, lo=format_value(lo, "cny", tr.lang), hi=format_value(hi, "cny", tr.lang))


def segment_labels(tr: Translator) -> dict[str, str]:
    """RFM segment code → its name in the report's language, for every segment.

    Examples
    --------
    >>> segment_labels(Translator("en"))["important_value"]
    'Important value'
    """
    return {code: tr(f"segment.{code}") for code in SEGMENTS}


def rfm_split(text: str) -> Split:
    """The ``rfm_split`` parameter as :func:`wxshop.analysis.rfm.rfm_segments` takes it:
    ``"raw"``, ``"mean"``, ``"median"`` or a fixed score (text of a number).

    Examples
    --------
    >>> rfm_split("median"), rfm_split("3")
    ('median', 3.0)
    """
    return text if text in ("raw", "mean", "median") else float(text)


def rfm_rule(bins: int, cuts: dict | None, split: str, tr: Translator) -> str:
    """The sentence saying how RFM scores and segments were made (bins, quantiles or fixed
    cuts, the high/low split), in the report's language.

    Examples
    --------
    >>> rfm_rule(5, None, "mean", Translator("zh")) == Translator("zh")(
    ...     "profiling.rfm_rule", bins=5, method=Translator("zh")("method.quantiles"),
    ...     split=Translator("zh")("split.mean"))
    True
    """
    method = tr("method.cuts" if cuts else "method.quantiles")
    if split == "raw":
        return tr("profiling.rfm_rule_raw", bins=bins, method=method)
    shown = tr(f"split.{split}") if split in ("mean", "median") else tr("split.value", value=split)
    return tr("profiling.rfm_rule", bins=bins, method=method, split=shown)


def segments_view(summary: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The RFM segment table: segment name, customers, shares (%), GMV and average spend
    (CNY), average recency (days) and frequency (orders), suggested action.

    ``summary`` is :func:`wxshop.analysis.rfm.segment_summary`'s frame (codes in
    ``segment`` and ``action``).

    Examples
    --------
    >>> s = pd.DataFrame({"segment": ["important_value"], "customers": [2], "customer_share": [1.0],
    ...                   "gmv": [500.0], "gmv_share": [1.0], "avg_recency_days": [3.5],
    ...                   "avg_frequency": [4.0], "avg_monetary": [250.0], "action": ["vip_care"]})
    >>> v = segments_view(s, Translator("en"))
    >>> print(v[["segment", "customers", "gmv", "avg_recency_days", "avg_monetary"]].to_string())
               segment  customers      gmv avg_recency_days avg_monetary
    0  Important value          2  ¥500.00             3.50      ¥250.00
    """
    labels = segment_labels(tr)
    shown = summary.assign(segment=summary["segment"].map(labels),
                           action=summary["action"].map(lambda a: tr(f"action.{a}")))
    shown = shown[["segment", "customers", "customer_share", "gmv", "gmv_share", "avg_recency_days",
                   "avg_frequency", "avg_monetary", "action"]]
    return formatted(shown, {"customer_share": "share", "gmv_share": "share", "avg_recency_days": "float",
                             "avg_frequency": "float", "avg_monetary": "cny", "gmv": "cny"}, tr.lang)


def lifecycle_rule(thresholds: StageThresholds, active_pct: float, dormant_pct: float,
                   tr: Translator) -> str:
    """The sentence saying where the lifecycle thresholds (days) came from: the store's
    repurchase intervals at ``active_pct``/``dormant_pct`` (0-1), values set by hand, or the
    default when the store has no repeat purchases.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.analysis.lifecycle import stage_thresholds
    >>> orders = pd.DataFrame({"order_id": ["a"], "customer_id": ["c"], "amount": [1.0],
    ...                        "ordered_at": pd.to_datetime(["2026-01-01"])})
    >>> th = stage_thresholds(orders, "2026-01-31")
    >>> lifecycle_rule(th, 0.8, 0.95, Translator("en")) == Translator("en")(
    ...     "profiling.lifecycle_fallback", active=30, dormant=90, lost=180)
    True
    """
    th = thresholds
    if th.fallback:
        return tr("profiling.lifecycle_fallback", active=th.active_days, dormant=th.dormant_days,
                  lost=th.lost_days)
    if th.overridden:
        return tr("profiling.lifecycle_override", new=th.new_days, active=th.active_days,
                  dormant=th.dormant_days, lost=th.lost_days)
    return tr("profiling.lifecycle_rule", n=th.n_intervals, active_pct=100 * active_pct,
              dormant_pct=100 * dormant_pct, active=th.active_days, dormant=th.dormant_days,
              new=th.new_days, lost=th.lost_days, factor=th.lost_days / th.dormant_days)


def category_thresholds_view(categories: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The per-category lifecycle lines: category, intervals, customers whose main category
    it is, active / dormant / lost days and where the lines came from.

    ``categories`` is :attr:`wxshop.analysis.churn.CategoryThresholds.categories`.

    Examples
    --------
    >>> c = pd.DataFrame({"category": ["数码配件"], "intervals": [812], "customers": [460],
    ...                   "active_days": [110], "dormant_days": [205], "lost_days": [410],
    ...                   "source": ["category"]})
    >>> print(category_thresholds_view(c, Translator("en")).to_string())
      category  intervals  main_customers  active_days  dormant_days  lost_days         source
    0     数码配件        812             460          110           205        410  this category
    """
    shown = categories.assign(source=categories["source"].map(lambda s: tr(f"source.{s}")),
                              main_customers=categories["customers"])
    return shown[["category", "intervals", "main_customers", "active_days", "dormant_days", "lost_days",
                  "source"]]


def segment_stage_view(cross: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The segment × stage table: one row per RFM segment, one column per lifecycle stage
    (customers), headers already in the report's language (show it without labels).

    ``cross`` is :func:`wxshop.analysis.actions.segment_stage_table`'s frame.

    Examples
    --------
    >>> c = pd.DataFrame({"segment": ["important_value", "important_value"],
    ...                   "stage": ["active", "dormant"], "customers": [3, 2]})
    >>> print(segment_stage_view(c, Translator("en")).to_string())
               Segment  Active  Dormant
    0  Important value       3        2
    """
    labels = segment_labels(tr)
    wide = cross.pivot(index="segment", columns="stage", values="customers")
    wide = wide.reindex(index=list(dict.fromkeys(cross["segment"])),
                        columns=list(dict.fromkeys(cross["stage"])))
    return (wide.rename(index=labels, columns=lambda s: tr(f"stage.{s}"))
            .rename_axis(index=tr("col.segment"), columns=None).reset_index())


def stages_view(stage_table: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The lifecycle table: stage, customers, customer share (%), average days since the last
    order, contact cadence and action, in the report's language.

    ``stage_table`` is :func:`wxshop.analysis.lifecycle.stage_summary`'s frame.

    Examples
    --------
    >>> t = pd.DataFrame({"stage": ["active"], "customers": [4], "customer_share": [1.0],
    ...                   "avg_days_since_last": [6.25], "action": ["revisit"]})
    >>> v = stages_view(t, Translator("en"))
    >>> print(v[["stage", "customers", "customer_share", "avg_days_since_last"]].to_string())
        stage  customers customer_share avg_days_since_last
    0  Active          4         100.0%                6.25
    """
    shown = stage_table.assign(stage=stage_table["stage"].map(lambda s: tr(f"stage.{s}")),
                               cadence=stage_table["stage"].map(lambda s: tr(f"cadence.{s}")),
                               action=stage_table["action"].map(lambda a: tr(f"stage_action.{a}")))
    shown = shown[["stage", "customers", "customer_share", "avg_days_since_last", "cadence", "action"]]
    return formatted(shown, {"customer_share": "share", "avg_days_since_last": "float"}, tr.lang)


def migration_view(migration: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The stage-migration matrix with translated stage names: one row per earlier stage
    (first column), one column per stage today, customers in each cell. Its headers are
    already in the report's language (show it without labels).

    ``migration`` is :func:`wxshop.analysis.lifecycle.stage_migration`'s frame.

    Examples
    --------
    >>> m = pd.DataFrame({"active": [3, 1], "silent": [1, 0]},
    ...                  index=pd.Index(["active", "new"], name="previous"))
    >>> print(migration_view(m, Translator("en")).to_string())
      Previous stage  Active  Silent
    0         Active       3       1
    1            New       1       0
    """
    return (migration.rename(index=lambda s: tr(f"stage.{s}"), columns=lambda s: tr(f"stage.{s}"))
            .rename_axis(index=tr("col.previous_stage"), columns=None).reset_index())


def action_plan_view(week: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """This week's contact plan: stage, segment, customers, mean P(alive) (%), expected
    value of the next 90 days (CNY) and the suggested action.

    ``week`` is :func:`wxshop.report.exports.action_plan`'s frame (codes in ``stage_code``
    and ``segment_code``).

    Examples
    --------
    >>> w = pd.DataFrame({"stage_code": ["active"], "segment_code": ["important_value"],
    ...                   "customers": [2], "mean_p_alive": [0.9], "expected_value_sum": [321.0],
    ...                   "suggested_action": ["…"]})
    >>> print(action_plan_view(w, Translator("en")).to_string())
        stage          segment  customers mean_p_alive expected_value_sum suggested_action
    0  Active  Important value          2        90.0%            ¥321.00                …
    """
    labels = segment_labels(tr)
    shown = week.assign(stage=week["stage_code"].map(lambda s: tr(f"stage.{s}")),
                        segment=week["segment_code"].map(labels))
    shown = shown[["stage", "segment", "customers", "mean_p_alive", "expected_value_sum", "suggested_action"]]
    return formatted(shown, {"mean_p_alive": "share", "expected_value_sum": "cny"}, tr.lang)


def value_text(value: dict, holdout_error: float, tr: Translator) -> str:
    """The 90-day value sentence: revenue, discounted gross margin (or why there is none) and,
    beside it, the purchase model's holdout error with the margin corrected by it.

    ``value``: the totals of :func:`wxshop.analysis.clv.with_margin`; ``holdout_error``:
    relative error (predicted − actual) / actual of the holdout check, NaN when it was skipped.

    Examples
    --------
    >>> v = {"horizon": 90, "annual_rate": 0.1, "store_rate": 0.35, "revenue": 1000.0, "margin": 340.0}
    >>> print(value_text(v, 0.25, Translator("en")))  # doctest: +ELLIPSIS
    Expected over the next 90 days: revenue ¥1,000.00 ... margin would be about ¥272.00.
    """
    def money(x: float) -> str:
        return format_value(x, "cny", tr.lang)

    days, margin = value["horizon"], value["margin"]
    sep = "" if tr.lang == "zh" else " "  # Chinese sentences end in 。
    if math.isfinite(margin):
        first = tr("profiling.value_text", days=days, revenue=money(value["revenue"]), margin=money(margin),
                   rate=value["annual_rate"], store_rate=value["store_rate"])
    else:
        first = tr("profiling.value_no_cost", days=days, revenue=money(value["revenue"]))
    if not math.isfinite(holdout_error) or holdout_error <= -1:
        return first + sep + tr("profiling.value_no_holdout")
    base, what = (margin, "word.margin") if math.isfinite(margin) else (value["revenue"], "word.revenue")
    return first + sep + tr("profiling.value_holdout", error=holdout_error, what=tr(what),
                                           adjusted=money(base / (1 + holdout_error)))
