"""What the ``03_ab_test`` report shows of an :class:`~wxshop.ab.analysis.ABAnalysis`.

The analysis works in codes and raw units; this module turns it into the reader's tables and
sentences, in the report's language: figures formatted by metric (conversion in % and
percentage points, money in CNY, orders as plain numbers), intervals as one cell, codes
(decisions, reasons, metrics, segment values) translated. It also reads the third way in, the
per-arm counts typed into the notebook's parameters (:func:`arms_from_summary`).

Every ``*_view`` returns a DataFrame of display strings with canonical column names; show it
with ``report.table(view, LABELS)``. :func:`headline` gives the figures recorded in the JSON.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from wxshop.ab.analysis import NEW, RETURNING, ABAnalysis
from wxshop.ab.stats import (
    AOV,
    CONVERSION,
    ORDERS_PER_USER,
    REVENUE_PER_USER,
    ArmStats,
    arm_stats_from_counts,
)
from wxshop.errors import ParamsError
from wxshop.report.i18n import Translator

__all__ = [
    "LABELS",
    "SUMMARY_KEYS",
    "arms_from_summary",
    "arms_view",
    "balance_view",
    "bayes_view",
    "bootstrap_view",
    "decision_lines",
    "fmt_diff",
    "fmt_interval",
    "fmt_metric",
    "fmt_rel",
    "guardrail_notes",
    "guardrails_view",
    "headline",
    "metric_notes",
    "metrics_view",
    "power_view",
    "segments_view",
    "sequential_view",
]

Tr = Translator  # tr(key, **values) -> text, with .lang

# Column → i18n key for every view (report.table ignores the ones a view lacks).
LABELS = {
    "variant": "col.variant",
    "users": "col.users",
    "conversions": "col.conversions",
    "conversion": "col.conversion",
    "revenue_per_user": "col.revenue_per_user",
    "orders_per_user": "col.orders_per_user",
    "aov": "col.aov",
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

# Keys of one arm in the ``summary`` parameter (way c); users and conversions are required.
SUMMARY_KEYS = ("users", "conversions", "revenue_sum", "revenue_sumsq", "orders_sum", "orders_sumsq")

_MONEY = (REVENUE_PER_USER, AOV)


# ============================================================================== formatting


def _finite(value: Any) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _fmt(value: Any, metric: str, lang: str, signed: bool) -> str:
    if not _finite(value):
        return "—"
    v = float(value)
    sign = ("+" if v >= 0 else "−") if signed else ("−" if v < 0 else "")
    a = abs(v)
    if metric == CONVERSION:  # a level in %, a difference in percentage points
        return f"{sign}{100 * a:.1f}" + ((" 个百分点" if lang == "zh" else " pp") if signed else "%")
    if metric in _MONEY:
        return f"{sign}¥{a:,.2f}"
    return f"{sign}{a:,.3f}"


def fmt_metric(value: Any, metric: str) -> str:
    """A metric's level: conversion as %, money as ¥, orders per user with 3 decimals."""
    return _fmt(value, metric, "zh", signed=False)


def fmt_diff(value: Any, metric: str, lang: str = "zh") -> str:
    """A signed difference: conversion in percentage points, money in ¥, orders plain."""
    return _fmt(value, metric, lang, signed=True)


def fmt_rel(value: Any) -> str:
    """A signed relative change (share → %), '—' when undefined."""
    if not _finite(value):
        return "—"
    v = float(value)
    return f"{'+' if v >= 0 else '−'}{abs(100 * v):.1f}%"


def fmt_interval(low: Any, high: Any, metric: str | None, lang: str = "zh") -> str:
    """``[low, high]`` of a difference (metric given) or of a relative change (metric None)."""
    if not (_finite(low) and _finite(high)):
        return "—"
    if metric is None:
        return f"[{fmt_rel(low)}, {fmt_rel(high)}]"
    return f"[{fmt_diff(low, metric, lang)}, {fmt_diff(high, metric, lang)}]"


def _p(value: Any) -> str:
    if not _finite(value):
        return "—"
    v = float(value)
    return "< 0.0001" if v < 1e-4 else f"{v:.4f}"


def _p_sentence(value: Any) -> str:
    """A p-value after '=' or '<' in a sentence: '= 0.0206', '< 0.0001'."""
    text = _p(value)
    return text if text.startswith(("<", "—")) else f"= {text}"


def _share(value: Any) -> str:
    return f"{100 * float(value):.1f}%" if _finite(value) else "—"


def _int(value: Any) -> str:
    return f"{math.ceil(float(value)):,}" if _finite(value) else "—"


def _yes(flag: Any, tr: Tr) -> str:
    return tr("yes") if bool(flag) else tr("no")


def _metric_name(metric: str, tr: Tr) -> str:
    return tr(f"metric.{metric}")


# ============================================================================== way (c)


def arms_from_summary(summary: Mapping[str, Any], *, where: str = "summary") -> dict[str, ArmStats]:
    """Per-arm statistics from counts typed into the parameters (dashboard numbers).

    ``summary`` maps arm → {users, conversions[, revenue_sum, revenue_sumsq][, orders_sum,
    orders_sumsq]}: users assigned, users with an order, Σ revenue (CNY) and Σ revenue² over
    users, Σ orders and Σ orders². Revenue per user needs both revenue sums; orders per user
    both order sums; AOV cannot be computed from these counts.

    Raises :class:`ParamsError` naming the arm and key when a value is missing, not a number
    or impossible (conversions > users, a sum of squares below sum²/users).
    """
    if not isinstance(summary, Mapping) or len(summary) < 2:
        raise ParamsError(
            f"{where}: give at least two arms, e.g. {{control: {{users: 5000, conversions: 400}}, "
            f"treatment: {{users: 5000, conversions: 460}}}}; got {summary!r}."
        )
    arms: dict[str, ArmStats] = {}
    for name, counts in summary.items():
        arm = str(name)
        if not isinstance(counts, Mapping):
            raise ParamsError(
                f"{where}.{arm}: expected a mapping of {', '.join(SUMMARY_KEYS)}; got {counts!r}."
            )
        unknown = sorted(set(map(str, counts)) - set(SUMMARY_KEYS))
        if unknown:
            raise ParamsError(
                f"{where}.{arm}: unknown key(s) {', '.join(unknown)}; known: {', '.join(SUMMARY_KEYS)}."
            )
        values: dict[str, float | None] = {}
        for key in SUMMARY_KEYS:
            raw = counts.get(key)
            if raw is None:
                values[key] = None
                continue
            if isinstance(raw, bool | str) or not _finite(raw) or float(raw) < 0:
                raise ParamsError(f"{where}.{arm}.{key}: must be a number >= 0, got {raw!r}.")
            values[key] = float(raw)
        for key in ("users", "conversions"):
            if values[key] is None:
                raise ParamsError(
                    f"{where}.{arm}: '{key}' is required (users assigned and users with an order)."
                )
            if not float(values[key]).is_integer():
                raise ParamsError(f"{where}.{arm}.{key}: must be a whole number, got {counts[key]!r}.")
        for total, squares in (("revenue_sum", "revenue_sumsq"), ("orders_sum", "orders_sumsq")):
            if (values[total] is None) != (values[squares] is None):
                raise ParamsError(f"{where}.{arm}: give both {total} and {squares}, or neither.")
        try:
            arms[arm] = arm_stats_from_counts(
                arm,
                int(values["users"]),
                int(values["conversions"]),
                revenue_sum=values["revenue_sum"],
                revenue_sumsq=values["revenue_sumsq"],
                orders_sum=values["orders_sum"],
                orders_sumsq=values["orders_sumsq"],
            )
        except ValueError as e:
            raise ParamsError(f"{where}: {e}") from None
    return arms


# ============================================================================== tables


def arms_view(a: ABAnalysis) -> pd.DataFrame:
    """One row per arm: users, planned and observed share, and each metric's level."""
    srm = dict(zip(a.srm.arms, zip(a.srm.planned_share, a.srm.observed_share, strict=True), strict=True))
    rows = []
    for r in a.arms.to_dict(orient="records"):
        planned, observed = srm.get(r["arm"], (math.nan, math.nan))
        rows.append(
            {
                "variant": r["arm"],
                "users": f"{int(r['users']):,}",
                "planned_share": _share(planned),
                "observed_share": _share(observed),
                "conversion": fmt_metric(r["conversion"], CONVERSION),
                "revenue_per_user": fmt_metric(r["revenue_per_user"], REVENUE_PER_USER),
                "orders_per_user": fmt_metric(r["orders_per_user"], ORDERS_PER_USER),
                "aov": fmt_metric(r["aov"], AOV),
            }
        )
    return pd.DataFrame(rows)


def metrics_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Treatment × metric: levels, difference and interval, relative lift, p and adjusted p."""
    lang = tr.lang
    rows = []
    for r in a.metrics.to_dict(orient="records"):
        m = r["metric"]
        undefined = bool(r["relative_undefined"])
        rows.append(
            {
                "variant": r["treatment"],
                "metric": _metric_name(m, tr),
                "role": tr(f"role_ab.{r['role']}"),
                "control_mean": fmt_metric(r["mean_control"], m),
                "treatment_mean": fmt_metric(r["mean_treatment"], m),
                "diff": fmt_diff(r["diff"], m, lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                "rel_lift": "—" if undefined else fmt_rel(r["rel_lift"]),
                "rel_ci": "—" if undefined else fmt_interval(r["rel_ci_low"], r["rel_ci_high"], None),
                "p_value": _p(r["p_value"]),
                "p_adjusted": _p(r["p_adjusted"]),
                "significant": _yes(r["significant"], tr),
                "cuped": _yes(r["cuped"], tr),
            }
        )
    return pd.DataFrame(rows)


def guardrails_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Treatment × guardrail: relative change, the worst end of its interval, the margin, verdict."""
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
                "metric": _metric_name(r["metric"], tr),
                "rel_lift": fmt_rel(r["estimate"]),
                "bound": fmt_rel(r["bound"]),
                "margin": fmt_rel(-r["margin"]),
                "p_value": _p(r["p_value"]),
                "non_inferior": tr(verdict),
            }
        )
    return pd.DataFrame(
        rows, columns=["variant", "metric", "rel_lift", "bound", "margin", "p_value", "non_inferior"]
    )


def balance_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Pre-period balance per treatment × variable; None without pre-period columns."""
    if a.balance is None:
        return None
    rows = []
    for r in a.balance.to_dict(orient="records"):
        fmt = (lambda v: fmt_metric(v, REVENUE_PER_USER)) if r["variable"] != "is_new" else _share
        rows.append(
            {
                "variant": r["treatment"],
                "variable": tr(f"balance.{r['variable']}"),
                "control_mean": fmt(r["mean_control"]),
                "treatment_mean": fmt(r["mean_treatment"]),
                "rel_lift": fmt_rel(r["rel_diff"]),
                "p_value": _p(r["p_value"]),
                "flagged": _yes(r["flagged"], tr),
            }
        )
    return pd.DataFrame(rows)


def bootstrap_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Bootstrap interval of revenue per user beside the Welch interval; None without one."""
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
                "metric": _metric_name(r["metric"], tr),
                "diff": fmt_diff(r["diff"], r["metric"], lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], r["metric"], lang),
                "welch_ci": "—" if w is None else fmt_interval(w["ci_low"], w["ci_high"], r["metric"], lang),
                "rel_ci": fmt_interval(r["rel_ci_low"], r["rel_ci_high"], None),
            }
        )
    return pd.DataFrame(rows)


def bayes_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Treatment × metric: probability to beat control and expected loss of shipping."""
    lang = tr.lang
    rows = []
    for r in a.bayes.to_dict(orient="records"):
        loss = r["expected_loss_treatment"]
        rows.append(
            {
                "variant": r["treatment"],
                "metric": _metric_name(r["metric"], tr),
                "prob_beat": _share(r["prob_treatment_better"]),
                "expected_loss": fmt_diff(loss, r["metric"], lang).lstrip("+"),
            }
        )
    return pd.DataFrame(rows, columns=["variant", "metric", "prob_beat", "expected_loss"])


def power_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame:
    """Per treatment, on the primary metric: achieved power, current MDE, sample needed, days."""
    rows = []
    for r in a.power.to_dict(orient="records"):
        days = r["days_remaining"]
        rows.append(
            {
                "variant": r["treatment"],
                "metric": _metric_name(r["metric"], tr),
                "achieved_power": _share(r["achieved_power"]),
                "mde_rel": fmt_rel(r["mde_rel"]).lstrip("+"),
                "n_needed": _int(r["n_needed_control"]),
                "users": f"{int(r['n_control']):,}",
                "days_remaining": tr("ab.days_unknown") if not _finite(days) else _int(days),
            }
        )
    return pd.DataFrame(
        rows,
        columns=["variant", "metric", "users", "n_needed", "achieved_power", "mde_rel", "days_remaining"],
    )


def sequential_view(a: ABAnalysis, tr: Tr) -> pd.DataFrame | None:
    """Per treatment: the always-valid interval of the primary metric; None unless sequential."""
    if a.sequential is None:
        return None
    lang = tr.lang
    rows = []
    for r in a.sequential.to_dict(orient="records"):
        m = r["metric"]
        rows.append(
            {
                "variant": r["treatment"],
                "metric": _metric_name(m, tr),
                "diff": fmt_diff(r["diff"], m, lang),
                "ci": fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                "p_value": _p(r["p_value"]),
                "p_adjusted": _p(r["p_adjusted"]),
                "significant": _yes(r["significant"], tr),
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
    """Dimension × value × treatment: the primary lift with multiplicity-adjusted p."""
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
                "p_adjusted": _p(r["p_adjusted"]),
                "significant": _yes(r["significant"], tr),
            }
        )
    return pd.DataFrame(rows)


# ============================================================================== words


def metric_notes(a: ABAnalysis, tr: Tr) -> list[str]:
    """The sentences under the metrics table: level and correction, CUPED's variance reduction
    per metric, undefined relative lifts, metrics the input cannot give."""
    cfg = a.config
    cap = tr("ab.no_cap") if cfg.cap_percentile is None else f"{100 * cfg.cap_percentile:g}%"
    out = [
        tr(
            "ab.metrics_text",
            alpha=cfg.alpha,
            correction=tr(f"correction.{cfg.correction}"),
            n=len(a.metrics),
            cap=cap,
        )
    ]
    cuped = a.metrics.loc[a.metrics["cuped"].astype(bool)].drop_duplicates("metric")
    out += [
        tr("ab.cuped_text", metric=_metric_name(m, tr), reduction=r)
        for m, r in zip(cuped["metric"], cuped["variance_reduction"], strict=True)
    ]
    if a.metrics["relative_undefined"].astype(bool).any():
        out.append(tr("ab.no_relative"))
    if a.skipped_metrics:
        out.append(
            tr("ab.skipped_metrics", metrics=", ".join(_metric_name(m, tr) for m in a.skipped_metrics))
        )
    return out


def guardrail_notes(a: ABAnalysis, tr: Tr) -> list[str]:
    """The margin rule, and the guardrails the input cannot compute (not checked)."""
    out = [tr("ab.guardrails_text", margin=a.config.guardrail_margin)]
    unchecked = [m for m in a.config.guardrails if m in a.skipped_metrics]
    if unchecked:
        out.append(tr("ab.guardrail_not_checked", metrics=", ".join(_metric_name(m, tr) for m in unchecked)))
    return out


def decision_lines(a: ABAnalysis, tr: Tr) -> list[str]:
    """The decision in plain language: the overall verdict and its action, then per variant the
    verdict, the primary metric's numbers and the reasons."""
    lang = tr.lang
    overall = a.decision
    lines = [tr("ab.decision_overall", decision=tr(f"decision.{overall.decision}"))]
    lines.append(tr(f"ab.action.{overall.decision}", variant=overall.best_variant or "—"))
    primary = a.metrics[a.metrics["role"] == "primary"].set_index("treatment")
    if a.sequential is not None:  # the decision used the always-valid interval and p-value
        primary = a.sequential.set_index("treatment")
    power = a.power.set_index("treatment") if len(a.power) else None
    sep = "；" if lang == "zh" else "; "
    for t, d in a.decisions.items():
        lines.append(tr("ab.decision_line", decision=tr(f"decision.{d.decision}"), variant=t))
        if t in primary.index:
            r = primary.loc[t]
            m = str(r["metric"])
            rel = "—" if bool(r["relative_undefined"]) else fmt_rel(r["rel_lift"])
            lines.append(
                tr(
                    "ab.primary_line",
                    metric=_metric_name(m, tr),
                    variant=t,
                    diff=fmt_diff(r["diff"], m, lang),
                    rel=rel,
                    ci=fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                    p=_p_sentence(d.p_value),
                )
            )
        reasons = [tr(f"reason.{code}") for code in d.reasons]
        lines.append(tr("ab.reasoning", reasons=sep.join(reasons)))
        if "underpowered_keep_collecting" in d.reasons and power is not None and t in power.index:
            p = power.loc[t]
            days = p["days_remaining"]
            lines.append(
                tr(
                    "ab.need_more",
                    n=_int(p["n_needed_control"]),
                    days=_int(days) if _finite(days) else tr("ab.days_unknown"),
                )
            )
    return lines


def headline(a: ABAnalysis) -> dict[str, Any]:
    """The figures recorded in the report's JSON ``headline``: decision, SRM, users and, per
    treatment, the primary metric's lift, interval and adjusted p (fixed-horizon), and with
    ``sequential`` the always-valid interval and p-value the decision used
    (``<t>.always_valid_*``)."""
    out: dict[str, Any] = {
        "decision": a.decision.decision,
        "best_variant": a.decision.best_variant,
        "input": a.input,
        "control": a.control,
        "primary_metric": a.config.primary_metric,
        "users": int(a.arms["users"].sum()),
        "srm_p_value": float(a.srm.p_value),
        "srm_mismatch": bool(a.srm.mismatch),
        "excluded_multi_variant": int(a.excluded.get("multi_variant", 0)),
        "warnings": list(a.warnings),
    }
    primary = a.metrics[a.metrics["role"] == "primary"]
    for r in primary.to_dict(orient="records"):
        t = r["treatment"]
        out[f"{t}.decision"] = a.decisions[t].decision if t in a.decisions else None
        for key in ("diff", "ci_low", "ci_high", "rel_lift", "p_value", "p_adjusted"):
            out[f"{t}.{key}"] = r[key]
    if a.sequential is not None:
        for r in a.sequential.to_dict(orient="records"):
            for key in ("ci_low", "ci_high", "p_value", "p_adjusted"):
                out[f"{r['treatment']}.always_valid_{key}"] = r[key]
    return out
