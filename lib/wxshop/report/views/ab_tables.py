"""The A/B report's tables: one ``*_view`` per table, display strings under canonical column
names, shown with ``report.table(view, LABELS)``."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from wxshop.ab.checks import is_finite
from wxshop.ab.per_user import NEW, RETURNING
from wxshop.ab.results import ABAnalysis
from wxshop.ab.stats.metrics import (
    AOV,
    CONVERSION,
    ORDERS_PER_USER,
    PROFIT_PER_USER,
    REVENUE_PER_USER,
    SPEND_PER_BUYER,
)
from wxshop.report.views.ab_format import (
    Tr,
    fmt_count,
    fmt_diff,
    fmt_interval,
    fmt_metric,
    fmt_p,
    fmt_rel,
    fmt_share,
    metric_name,
    yes_no,
)

__all__ = [
    "LABELS",
    "arms_view",
    "balance_view",
    "bayes_view",
    "bootstrap_view",
    "guardrails_view",
    "metrics_view",
    "power_view",
    "segments_view",
    "sequential_view",
]

# Column → i18n key for every view (report.table ignores the ones a view lacks).
LABELS = {
    "variant": "col.variant",
    "users": "col.users",
    "conversions": "col.conversions",
    "conversion": "col.conversion",
    "revenue_per_user": "col.revenue_per_user",
    "orders_per_user": "col.orders_per_user",
    "aov": "col.aov",
    "spend_per_buyer": "col.spend_per_buyer",
    "profit_per_user": "col.profit_per_user",
    "planned_share": "col.planned_share",
    "observed_share": "col.observed_share",
    "metric": "col.metric_name",
    "role": "col.role_ab",
    "control_mean": "col.control_mean",
    "treatment_mean": "col.treatment_mean",
    "diff": "col.diff",
    "ci": "col.ci",
    "rel_lift": "col.rel_lift",
    "rel_ci": "col.rel_ci",
    "p_value": "col.p_value",
    "p_adjusted": "col.p_adjusted",
    "significant": "col.significant",
    "cuped": "col.cuped",
    "prob_beat": "col.prob_beat",
    "expected_loss": "col.expected_loss",
    "achieved_power": "col.achieved_power",
    "mde_rel": "col.mde_rel",
    "n_needed": "col.n_needed",
    "days_remaining": "col.days_remaining",
    "dimension": "col.dimension",
    "value": "col.segment_value",
    "non_inferior": "col.non_inferior",
    "margin": "col.margin",
    "decision": "col.decision",
    "reasons": "col.reasons",
    "variable": "col.variable",
    "flagged": "col.flagged",
    "welch_ci": "col.welch_ci",
    "bound": "col.bound",
}


def arms_view(a: ABAnalysis) -> pd.DataFrame:
    """One row per arm: users, planned and observed share, and each metric's level (spend per
    converting user and gross profit per user when the input gives them).

    Examples
    --------
    >>> from wxshop.ab.analysis import analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> print(arms_view(a).to_string())
         variant  users planned_share observed_share conversion revenue_per_user orders_per_user aov
    0    control  1,000         50.0%          50.0%      10.0%                —               —   —
    1  treatment  1,000         50.0%          50.0%      13.0%                —               —   —
    """
    srm = dict(zip(a.srm.arms, zip(a.srm.planned_share, a.srm.observed_share, strict=True), strict=True))
    # spend per buyer and gross profit per user only when the input gives them
    extra = [m for m in (SPEND_PER_BUYER, PROFIT_PER_USER) if m in a.arms and a.arms[m].notna().any()]
    rows = []
    for r in a.arms.to_dict(orient="records"):
        planned, observed = srm.get(r["arm"], (math.nan, math.nan))
        rows.append(
            {
                "variant": r["arm"],
                "users": f"{int(r['users']):,}",
                "planned_share": fmt_share(planned),
                "observed_share": fmt_share(observed),
                "conversion": fmt_metric(r["conversion"], CONVERSION),
                "revenue_per_user": fmt_metric(r["revenue_per_user"], REVENUE_PER_USER),
                "orders_per_user": fmt_metric(r["orders_per_user"], ORDERS_PER_USER),
                "aov": fmt_metric(r["aov"], AOV),
            }
            | {m: fmt_metric(r[m], m) for m in extra}
        )
    return pd.DataFrame(rows)


def metrics_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Treatment × metric: levels, difference and interval, relative lift, p and adjusted p.

    Examples
    --------
    >>> from wxshop.ab.analysis import analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> view = metrics_view(a, Translator("en"))
    >>> print(view[["variant", "metric", "diff", "ci", "p_adjusted"]].to_string())
         variant      metric     diff                  ci p_adjusted
    0  treatment  Conversion  +3.0 pp  [+0.2 pp, +5.8 pp]     0.0355
    """
    lang = tr.lang
    rows = []
    for r in a.metrics.to_dict(orient="records"):
        m = r["metric"]
        undefined = bool(r["relative_undefined"])
        rows.append(
            {
                "variant": r["treatment"],
                "metric": metric_name(m, tr),
                "role": tr(f"role_ab.{r['role']}"),
                "control_mean": fmt_metric(r["mean_control"], m),
                "treatment_mean": fmt_metric(r["mean_treatment"], m),
                "diff": fmt_diff(r["diff"], m, lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                "rel_lift": "—" if undefined else fmt_rel(r["rel_lift"]),
                "rel_ci": "—" if undefined else fmt_interval(r["rel_ci_low"], r["rel_ci_high"], None),
                "p_value": fmt_p(r["p_value"]),
                "p_adjusted": fmt_p(r["p_adjusted"]),
                "significant": yes_no(r["significant"], tr),
                "cuped": yes_no(r["cuped"], tr),
            }
        )
    return pd.DataFrame(rows)


def guardrails_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Treatment × guardrail: relative change, the worst end of its interval, the margin, verdict.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.ab.analysis import analyse_users
    >>> from wxshop.ab.config import ABConfig
    >>> from wxshop.report.i18n import Translator
    >>> users = pd.DataFrame({
    ...     "variant": ["control"] * 4 + ["treatment"] * 4,
    ...     "revenue": [0.0, 50.0, 0.0, 120.0, 60.0, 80.0, 0.0, 150.0],
    ...     "orders": [0, 1, 0, 2, 1, 1, 0, 2],
    ...     "pre_revenue": [10.0, 40.0, 0.0, 100.0, 30.0, 60.0, 0.0, 90.0],
    ...     "is_new": [True, False, True, False, True, False, True, False],
    ... })
    >>> config = ABConfig(n_boot=200, cap_percentile=None, min_segment_users=2)
    >>> a = analyse_users(users, {"control": 0.5, "treatment": 0.5}, config, days=7)
    >>> view = guardrails_view(a, Translator("en"))
    >>> print(view[["variant", "metric", "rel_lift", "bound", "non_inferior"]].to_string())
         variant           metric rel_lift  bound        non_inferior
    0  treatment  AOV (per order)   +27.9%  +5.7%  not worse (passed)
    """
    rows = []
    for r in a.guardrails.to_dict(orient="records"):
        verdict = (
            "guardrail.harmed"
            if r["significantly_worse"]
            else "guardrail.undefined"
            if r["undefined"]
            else "guardrail.ok"
            if r["non_inferior"]
            else "guardrail.unproven"
        )
        rows.append(
            {
                "variant": r["treatment"],
                "metric": metric_name(r["metric"], tr),
                "rel_lift": fmt_rel(r["estimate"]),
                "bound": fmt_rel(r["bound"]),
                "margin": fmt_rel(-r["margin"]),
                "p_value": fmt_p(r["p_value"]),
                "non_inferior": tr(verdict),
            }
        )
    return pd.DataFrame(
        rows, columns=["variant", "metric", "rel_lift", "bound", "margin", "p_value", "non_inferior"]
    )


def balance_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Pre-period balance per treatment × variable; None without pre-period columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.ab.analysis import analyse_users
    >>> from wxshop.ab.config import ABConfig
    >>> from wxshop.report.i18n import Translator
    >>> users = pd.DataFrame({
    ...     "variant": ["control"] * 4 + ["treatment"] * 4,
    ...     "revenue": [0.0, 50.0, 0.0, 120.0, 60.0, 80.0, 0.0, 150.0],
    ...     "orders": [0, 1, 0, 2, 1, 1, 0, 2],
    ...     "pre_revenue": [10.0, 40.0, 0.0, 100.0, 30.0, 60.0, 0.0, 90.0],
    ...     "is_new": [True, False, True, False, True, False, True, False],
    ... })
    >>> config = ABConfig(n_boot=200, cap_percentile=None, min_segment_users=2)
    >>> a = analyse_users(users, {"control": 0.5, "treatment": 0.5}, config, days=7)
    >>> view = balance_view(a, Translator("en"))
    >>> print(view[["variable", "control_mean", "treatment_mean", "p_value"]].to_string())
                        variable control_mean treatment_mean p_value
    0  Pre-period spend per user       ¥37.50         ¥45.00  0.8092
    1     Share of new customers        50.0%          50.0%  1.0000
    """
    if a.balance is None:
        return None
    rows = []
    for r in a.balance.to_dict(orient="records"):
        fmt = (lambda v: fmt_metric(v, REVENUE_PER_USER)) if r["variable"] != "is_new" else fmt_share
        rows.append(
            {
                "variant": r["treatment"],
                "variable": tr(f"balance.{r['variable']}"),
                "control_mean": fmt(r["mean_control"]),
                "treatment_mean": fmt(r["mean_treatment"]),
                "rel_lift": fmt_rel(r["rel_diff"]),
                "p_value": fmt_p(r["p_value"]),
                "flagged": yes_no(r["flagged"], tr),
            }
        )
    return pd.DataFrame(rows)


def bootstrap_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Bootstrap interval of revenue per user beside the Welch interval; None without one.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.ab.analysis import analyse_users
    >>> from wxshop.ab.config import ABConfig
    >>> from wxshop.report.i18n import Translator
    >>> users = pd.DataFrame({
    ...     "variant": ["control"] * 4 + ["treatment"] * 4,
    ...     "revenue": [0.0, 50.0, 0.0, 120.0, 60.0, 80.0, 0.0, 150.0],
    ...     "orders": [0, 1, 0, 2, 1, 1, 0, 2],
    ...     "pre_revenue": [10.0, 40.0, 0.0, 100.0, 30.0, 60.0, 0.0, 90.0],
    ...     "is_new": [True, False, True, False, True, False, True, False],
    ... })
    >>> config = ABConfig(n_boot=200, cap_percentile=None, min_segment_users=2)
    >>> a = analyse_users(users, {"control": 0.5, "treatment": 0.5}, config, days=7)
    >>> print(bootstrap_view(a, Translator("en"))[["variant", "diff", "welch_ci"]].to_string())
         variant     diff           welch_ci
    0  treatment  +¥30.00  [−¥1.27, +¥40.46]
    """
    if a.bootstrap is None or a.bootstrap.empty:
        return None
    lang = tr.lang
    welch = a.metrics.set_index(["treatment", "metric"])
    rows = []
    for r in a.bootstrap.to_dict(orient="records"):
        w = welch.loc[(r["treatment"], r["metric"])] if (r["treatment"], r["metric"]) in welch.index else None
        rows.append(
            {
                "variant": r["treatment"],
                "metric": metric_name(r["metric"], tr),
                "diff": fmt_diff(r["diff"], r["metric"], lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], r["metric"], lang),
                "welch_ci": "—" if w is None else fmt_interval(w["ci_low"], w["ci_high"], r["metric"], lang),
                "rel_ci": fmt_interval(r["rel_ci_low"], r["rel_ci_high"], None),
            }
        )
    return pd.DataFrame(rows)


def bayes_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Treatment × metric: probability to beat control and expected loss of shipping.

    Examples
    --------
    >>> from wxshop.ab.analysis import analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> print(bayes_view(a, Translator("en")).to_string())
         variant      metric prob_beat expected_loss
    0  treatment  Conversion     98.2%        0.0 pp
    """
    lang = tr.lang
    rows = []
    for r in a.bayes.to_dict(orient="records"):
        loss = r["expected_loss_treatment"]
        rows.append(
            {
                "variant": r["treatment"],
                "metric": metric_name(r["metric"], tr),
                "prob_beat": fmt_share(r["prob_treatment_better"]),
                "expected_loss": fmt_diff(loss, r["metric"], lang).lstrip("+"),
            }
        )
    return pd.DataFrame(rows, columns=["variant", "metric", "prob_beat", "expected_loss"])


def power_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Per treatment, on the primary metric: achieved power, current MDE, sample needed, days.

    Examples
    --------
    >>> from wxshop.ab.analysis import analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> print(power_view(a, Translator("en"))[["variant", "users", "n_needed", "days_remaining"]].to_string())
         variant  users n_needed days_remaining
    0  treatment  1,000   56,512            778
    """
    rows = []
    for r in a.power.to_dict(orient="records"):
        days = r["days_remaining"]
        rows.append(
            {
                "variant": r["treatment"],
                "metric": metric_name(r["metric"], tr),
                "achieved_power": fmt_share(r["achieved_power"]),
                "mde_rel": fmt_rel(r["mde_rel"]).lstrip("+"),
                "n_needed": fmt_count(r["n_needed_control"]),
                "users": f"{int(r['n_control']):,}",
                "days_remaining": tr("ab.days_unknown") if not is_finite(days) else fmt_count(days),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["variant", "metric", "users", "n_needed", "achieved_power", "mde_rel", "days_remaining"],
    )


def sequential_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Per treatment: the always-valid interval of the primary metric; None unless sequential.

    Examples
    --------
    >>> from wxshop.ab.analysis import analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> print(sequential_view(a, Translator("en")))
    None
    >>> from wxshop.ab.config import ABConfig
    >>> seq = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(sequential=True), days=14)
    >>> print(sequential_view(seq, Translator("en"))[["variant", "diff", "p_value"]].to_string())
         variant     diff p_value
    0  treatment  +3.0 pp  0.8079
    """
    if a.sequential is None:
        return None
    lang = tr.lang
    rows = []
    for r in a.sequential.to_dict(orient="records"):
        m = r["metric"]
        rows.append(
            {
                "variant": r["treatment"],
                "metric": metric_name(m, tr),
                "diff": fmt_diff(r["diff"], m, lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                "p_value": fmt_p(r["p_value"]),
                "p_adjusted": fmt_p(r["p_adjusted"]),
                "significant": yes_no(r["significant"], tr),
            }
        )
    return pd.DataFrame(rows)


def _segment_value(dimension: str, value: Any, tr: Tr) -> str:
    if dimension == "is_new" and value in (NEW, RETURNING):
        return tr(f"value.{value}")
    if value == "unknown":
        return tr("channel.unknown")
    return str(value)


def segments_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Dimension × value × treatment: the primary lift with multiplicity-adjusted p.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.ab.analysis import analyse_users
    >>> from wxshop.ab.config import ABConfig
    >>> from wxshop.report.i18n import Translator
    >>> users = pd.DataFrame({
    ...     "variant": ["control"] * 4 + ["treatment"] * 4,
    ...     "revenue": [0.0, 50.0, 0.0, 120.0, 60.0, 80.0, 0.0, 150.0],
    ...     "orders": [0, 1, 0, 2, 1, 1, 0, 2],
    ...     "pre_revenue": [10.0, 40.0, 0.0, 100.0, 30.0, 60.0, 0.0, 90.0],
    ...     "is_new": [True, False, True, False, True, False, True, False],
    ... })
    >>> config = ABConfig(n_boot=200, cap_percentile=None, min_segment_users=2)
    >>> a = analyse_users(users, {"control": 0.5, "treatment": 0.5}, config, days=7)
    >>> print(segments_view(a, Translator("en"))[["dimension", "value", "users", "diff"]].to_string())
              dimension      value  users      diff
    0  New vs returning        new  2 / 2  +20.0 pp
    1  New vs returning  returning  2 / 2   +0.0 pp
    """
    if a.segments is None or a.segments.empty:
        return None
    lang = tr.lang
    rows = []
    for r in a.segments.to_dict(orient="records"):
        m = r["metric"]
        rows.append(
            {
                "dimension": tr(f"segment_dim.{r['dimension']}"),
                "value": _segment_value(r["dimension"], r["value"], tr),
                "variant": r["treatment"],
                "users": f"{int(r['users_control']):,} / {int(r['users_treatment']):,}",
                "control_mean": fmt_metric(r["mean_control"], m),
                "treatment_mean": fmt_metric(r["mean_treatment"], m),
                "diff": fmt_diff(r["diff"], m, lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                "p_adjusted": fmt_p(r["p_adjusted"]),
                "significant": yes_no(r["significant"], tr),
            }
        )
    return pd.DataFrame(rows)
