"""The A/B report's sentences: notes under the metrics and guardrails tables, the decision in plain
language, and the headline figures recorded in the report's JSON."""

from __future__ import annotations

from typing import Any

from wxshop.ab.checks import is_finite
from wxshop.ab.results import ABAnalysis
from wxshop.ab.stats.metrics import PROFIT_PER_USER
from wxshop.report.views.ab_format import (
    Tr,
    fmt_count,
    fmt_diff,
    fmt_interval,
    fmt_p_sentence,
    fmt_rel,
    metric_name,
)

__all__ = ["decision_lines", "guardrail_notes", "headline", "metric_notes", "other_metrics_line"]


def metric_notes(a: ABAnalysis, tr: Tr) -> list[str]:
    """The sentences under the metrics table: level and correction, CUPED's variance reduction
    per metric, undefined relative lifts, metrics the input cannot give.

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(guardrails=()), days=14)
    >>> notes = metric_notes(a, Translator("en"))
    >>> notes[0].split(";")[0]
    'Significance level α = 0.05'
    >>> notes[1]
    'The input does not allow: Revenue per user, Orders per user, AOV (per order), Gross profit per user.'
    """
    cfg = a.config
    cap = (tr("ab.no_cap") if not cfg.cap_percentile  # None or 0: no cap
           else tr("ab.cap_text", cap=f"{100 * cfg.cap_percentile:g}%"))
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
        tr("ab.cuped_text", metric=metric_name(m, tr), reduction=r)
        for m, r in zip(cuped["metric"], cuped["variance_reduction"], strict=True)
    ]
    if a.metrics["relative_undefined"].astype(bool).any():
        out.append(tr("ab.no_relative"))
    if a.skipped_metrics:
        out.append(
            tr("ab.skipped_metrics", metrics=", ".join(metric_name(m, tr) for m in a.skipped_metrics))
        )
    out += _stand_in_notes(a, tr)
    tested = set(a.metrics["metric"])
    if PROFIT_PER_USER in tested:
        out.append(tr("ab.profit_text"))
    elif PROFIT_PER_USER in a.skipped_metrics:
        out.append(tr("ab.profit_missing"))
    return out


def _stand_in_notes(a: ABAnalysis, tr: Tr) -> list[str]:
    return [tr("ab.stand_in", replaced=metric_name(m, tr), metric=metric_name(s, tr))
            for m, s in a.stand_ins.items()]


def guardrail_notes(a: ABAnalysis, tr: Tr) -> list[str]:
    """The margin rule, and the guardrails the input cannot compute (not checked).

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> for line in guardrail_notes(a, Translator("en")):
    ...     print(line)
    A guardrail must not be worse than control by more than 5% (one-sided test).
    Guardrail AOV (per order) cannot be computed from this input and was not checked.
    """
    out = [tr("ab.guardrails_text", margin=a.config.guardrail_margin)]
    if any(s in a.config.guardrails for s in a.stand_ins.values()):
        out += _stand_in_notes(a, tr)
    unchecked = [m for m in a.config.guardrails if m in a.skipped_metrics]
    if unchecked:
        out.append(tr("ab.guardrail_not_checked", metrics=", ".join(metric_name(m, tr) for m in unchecked)))
    return out


def other_metrics_line(a: ABAnalysis, treatment: str, tr: Tr) -> str | None:
    """Every metric but the primary of one variant, adverse ones included, in one sentence: its
    relative change (the absolute one when the relative is undefined), its interval and whether
    it moved significantly (adjusted p < alpha); None when the primary is the only metric.

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({
    ...     "control": {"users": 1000, "conversions": 100, "revenue_sum": 10000, "revenue_sumsq": 2e6},
    ...     "treatment": {"users": 1000, "conversions": 130, "revenue_sum": 9600, "revenue_sumsq": 8e5}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, days=14)
    >>> for part in other_metrics_line(a, "treatment", Translator("en")).split("; "):
    ...     print(part)
    Other metrics: Revenue per user −4.0% (95% interval −34.8% to +26.8%), not significant
    Spend per converting user (guardrail) −26.2% (95% interval −41.3% to −11.0%), significantly down.
    """
    rows = a.metrics[(a.metrics["treatment"] == treatment) & (a.metrics["role"] != "primary")]
    if rows.empty:
        return None
    lang = tr.lang
    level = f"{100 * (1 - a.config.alpha):g}%"
    items = []
    for r in rows.to_dict(orient="records"):
        m = str(r["metric"])
        role = tr("ab.guardrail_tag") if r["role"] == "guardrail" else ""
        if not is_finite(r["diff"]):  # e.g. AOV when an arm has no orders
            items.append(tr("ab.metric_item_na", metric=metric_name(m, tr), role=role))
            continue
        if bool(r["relative_undefined"]):
            change, low, high = (fmt_diff(r["diff"], m, lang), fmt_diff(r["ci_low"], m, lang),
                                 fmt_diff(r["ci_high"], m, lang))
        else:
            change, low, high = fmt_rel(r["rel_lift"]), fmt_rel(r["rel_ci_low"]), fmt_rel(r["rel_ci_high"])
        verdict = ("ab.not_significant" if not bool(r["significant"])
                   else "ab.significantly_up" if float(r["diff"]) > 0 else "ab.significantly_down")
        items.append(tr("ab.metric_item", metric=metric_name(m, tr), role=role, change=change,
                        level=level, low=low, high=high, verdict=tr(verdict)))
    return tr("ab.other_metrics", items=tr("ab.item_sep").join(items))


def decision_lines(a: ABAnalysis, tr: Tr) -> list[str]:
    """The decision in plain language: the overall verdict and its action, then per variant the
    verdict (when there are several variants; with one the overall verdict is its verdict), the
    primary metric's numbers, every other metric's direction and significance (adverse ones
    included, :func:`other_metrics_line`) and the reasons.

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(guardrails=()), days=14)
    >>> for line in decision_lines(a, Translator("en")):
    ...     print(line)
    Overall decision: Ship
    Action: roll treatment out to everyone, and keep watching the guardrails after launch.
    Conversion: treatment vs control +3.0 pp (+30.0%), 95% interval [+0.2 pp, +5.8 pp], adjusted p = 0.0355.
    Why: the primary metric improved significantly
    """
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
        if len(a.decisions) > 1:
            lines.append(tr("ab.decision_line", decision=tr(f"decision.{d.decision}"), variant=t))
        if t in primary.index:
            r = primary.loc[t]
            m = str(r["metric"])
            rel = "—" if bool(r["relative_undefined"]) else fmt_rel(r["rel_lift"])
            lines.append(
                tr(
                    "ab.primary_line",
                    metric=metric_name(m, tr),
                    variant=t,
                    diff=fmt_diff(r["diff"], m, lang),
                    rel=rel,
                    ci=fmt_interval(r["ci_low"], r["ci_high"], m, lang),
                    p=fmt_p_sentence(d.p_value),
                )
            )
        others = other_metrics_line(a, t, tr)
        if others:
            lines.append(others)
        reasons = [tr(f"reason.{code}") for code in d.reasons]
        lines.append(tr("ab.reasoning", reasons=sep.join(reasons)))
        if "underpowered_keep_collecting" in d.reasons and power is not None and t in power.index:
            p = power.loc[t]
            days = p["days_remaining"]
            lines.append(
                tr(
                    "ab.need_more",
                    n=fmt_count(p["n_needed_control"]),
                    days=fmt_count(days) if is_finite(days) else tr("ab.days_unknown"),
                )
            )
    return lines


def headline(a: ABAnalysis) -> dict[str, Any]:
    """The figures recorded in the report's JSON ``headline``: decision, SRM, users and, per
    treatment, the primary metric's lift, interval and adjusted p (fixed-horizon), and with
    ``sequential`` the always-valid interval and p-value the decision used
    (``<t>.always_valid_*``).

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(guardrails=()), days=14)
    >>> h = headline(a)
    >>> h["decision"], h["users"], round(h["treatment.p_value"], 4)
    ('ship', 2000, 0.0355)
    """
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
