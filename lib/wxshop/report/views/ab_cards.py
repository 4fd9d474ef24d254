"""The A/B report's key-figure cards: the first screen answers "ship or not?".

:func:`cards` turns an :class:`~wxshop.ab.results.ABAnalysis` into what
:meth:`wxshop.report.document.Report.cards` shows (and the share card repeats), every figure
taken from the analysis, none computed here: the overall decision in words, then for the
variant the decision is about (:func:`focus_variant`) the primary metric's relative lift with
its interval, the p-value the decision used against alpha, the users analysed with the
sample-ratio check, the days of assignment with the way to the target sample, and the
guardrails' verdict (left out when the test has none). The playbook draws no line for an
experiment, so a card's ✓ / ✗ is against the test's own rule, said in its note: p below alpha,
the split as planned (SRM), the target sample reached (✗ only when the decision waits for it),
every guardrail shown not worse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wxshop.ab.checks import is_finite
from wxshop.ab.results import ABAnalysis
from wxshop.report.views.ab_format import Tr, fmt_count, fmt_diff, fmt_p, fmt_p_sentence, fmt_rel, metric_name

__all__ = ["CARDS", "Cards", "cards", "focus_variant"]

# The cards, in the order shown: (name, format kind). The name picks the i18n keys kpi.<name>
# and def.<name>; every value is text made here except the users analysed (a count).
CARDS: list[tuple[str, str]] = [
    ("ab_decision", "text"),
    ("ab_lift", "text"),
    ("ab_p_value", "text"),
    ("ab_users", "int"),
    ("ab_days", "text"),
    ("ab_guardrails", "text"),
]

# Decision reasons that mean "the sample is too small to decide" (wxshop.ab.stats.decision).
_WAITING = {"underpowered_keep_collecting", "target_sample_out_of_reach"}
# Variant names are free text; a card's note keeps them short enough for the share card's tile.
_NAME_CHARS = 20


@dataclass(frozen=True)
class Cards:
    """What ``report.cards(c.values, c.spec, c.notes)`` shows.

    values : card name → value (text, or the users analysed as a number)
    spec : (name, kind) of the cards shown, in :data:`CARDS` order
    notes : card name → (the line under the value, True ✓ / False ✗ / None no mark)
    variant : the treatment the cards describe (:func:`focus_variant`)
    """

    values: dict[str, Any]
    spec: list[tuple[str, str]]
    notes: dict[str, tuple[str, bool | None]] = field(default_factory=dict)
    variant: str = ""


def focus_variant(a: ABAnalysis) -> str:
    """The treatment the overall decision is about: among the treatments whose own decision is the
    overall one, the one with the largest primary-metric difference (for ``ship`` that is the
    best variant), the first treatment when no difference is known.

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "b": {"users": 1000, "conversions": 104},
    ...                           "c": {"users": 1000, "conversions": 140}})
    >>> a = analyse_counts(arms, {"control": 1, "b": 1, "c": 1}, ABConfig(guardrails=()), days=14)
    >>> a.decisions["b"].decision, a.decisions["c"].decision, focus_variant(a)
    ('inconclusive', 'ship', 'c')
    """
    same = [t for t in a.treatments if t in a.decisions and a.decisions[t].decision == a.decision.decision]
    pool = same or list(a.treatments)
    diffs = {t: float(a.decisions[t].diff) if t in a.decisions and is_finite(a.decisions[t].diff)
             else float("-inf") for t in pool}
    return max(pool, key=lambda t: diffs[t])  # max keeps the first of equal ones


def _short(name: str) -> str:
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1] + "…"


def cards(a: ABAnalysis, tr: Tr) -> Cards:
    """The cards of one experiment (see the module's docstring).

    Examples
    --------
    >>> from wxshop.ab.analysis import ABConfig, analyse_counts
    >>> from wxshop.ab.inputs import arms_from_summary
    >>> from wxshop.report.i18n import Translator
    >>> arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
    ...                           "treatment": {"users": 1000, "conversions": 130}})
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(guardrails=()), days=14)
    >>> c = cards(a, Translator("en"))
    >>> for name, _ in c.spec:
    ...     print(f"{name}: {c.values[name]} | {c.notes.get(name)}")
    ab_decision: Ship | ('treatment vs control', None)
    ab_lift: +30.0% | ('Conversion, 95% CI −1.9% to +61.9%', None)
    ab_p_value: 0.0355 | ('significant: p < α = 0.05', True)
    ab_users: 2000 | ('split as planned, p = 1.0000', True)
    ab_days: 14 days | ('about 778 more days to target sample', None)
    """
    cfg = a.config
    t = focus_variant(a)
    d = a.decisions[t]
    values: dict[str, Any] = {}
    notes: dict[str, tuple[str, bool | None]] = {}

    values["ab_decision"] = tr(f"decision.{a.decision.decision}")
    notes["ab_decision"] = (tr("ab.card.versus", variant=_short(t), control=_short(a.control)), None)

    # the primary metric's row the decision used: the always-valid one with ``sequential``
    primary = a.sequential if a.sequential is not None else a.metrics[a.metrics["role"] == "primary"]
    rows = primary[primary["treatment"] == t].to_dict(orient="records")
    if rows:
        r, m = rows[0], cfg.primary_metric
        level = f"{100 * (1 - cfg.alpha):g}%"
        if bool(r["relative_undefined"]) or not is_finite(r["rel_lift"]):
            values["ab_lift"] = fmt_diff(r["diff"], m, tr.lang)
            low, high = fmt_diff(r["ci_low"], m, tr.lang), fmt_diff(r["ci_high"], m, tr.lang)
        else:
            values["ab_lift"] = fmt_rel(r["rel_lift"])
            low, high = fmt_rel(r["rel_ci_low"]), fmt_rel(r["rel_ci_high"])
        if is_finite(r["ci_low"]) and is_finite(r["ci_high"]):
            notes["ab_lift"] = (tr("ab.card.interval", metric=metric_name(m, tr), level=level, low=low,
                                   high=high), None)
    else:
        values["ab_lift"] = "—"

    p = d.p_value
    values["ab_p_value"] = fmt_p(p)
    if is_finite(p):
        key = "ab.card.significant" if float(p) < cfg.alpha else "ab.card.not_significant"
        notes["ab_p_value"] = (tr(key, alpha=f"{cfg.alpha:g}"), float(p) < cfg.alpha)

    values["ab_users"] = int(a.arms["users"].sum())
    srm = a.srm
    notes["ab_users"] = (tr("ab.card.srm_bad" if srm.mismatch else "ab.card.srm_ok",
                            p=fmt_p_sentence(srm.p_value)), not srm.mismatch)

    days = float(a.days) if is_finite(a.days) else None  # whole days from assigned_at; typed in: any
    shown_days = "" if days is None else f"{days:,.0f}" if days.is_integer() else f"{days:,.1f}"
    values["ab_days"] = tr("ab.card.days", days=shown_days) if shown_days else "—"
    power = a.power[a.power["treatment"] == t].to_dict(orient="records")
    if power:
        pw = power[0]
        if pw["sufficient"] is not None and pw["sufficient"] == pw["sufficient"] and bool(pw["sufficient"]):
            notes["ab_days"] = (tr("ab.card.sample_reached"), True)  # (NaN != NaN: not known)
        elif is_finite(pw["days_remaining"]) and days is not None:
            # ✗ only when the decision waits for the sample; a significant result does not
            waiting = bool(_WAITING & set(d.reasons))
            notes["ab_days"] = (tr("ab.card.more_days", days=fmt_count(pw["days_remaining"])),
                                False if waiting else None)
        elif is_finite(pw["n_needed_control"]):
            notes["ab_days"] = (tr("ab.card.need_users", n=fmt_count(pw["n_needed_control"])), None)

    spec = [c for c in CARDS if c[0] != "ab_guardrails"]
    if cfg.guardrails:
        unchecked = [g for g in cfg.guardrails if g in a.skipped_metrics]
        status, shown = (("harmed", d.harmed_guardrails) if d.harmed_guardrails
                         else ("unchecked", unchecked) if unchecked
                         else ("unproven", d.unproven_guardrails) if d.unproven_guardrails
                         else ("ok", cfg.guardrails))
        values["ab_guardrails"] = tr(f"ab.card.guardrails_{status}")
        names = tr("ab.card.name_sep").join(metric_name(g, tr) for g in shown)
        notes["ab_guardrails"] = (names, status == "ok")
        spec.append(("ab_guardrails", "text"))
    return Cards(values, spec, notes, t)
