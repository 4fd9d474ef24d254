"""What an A/B analysis returns: :class:`ABAnalysis`, the overall decision and the warning codes.

Also the names of the output columns other modules read (``treatment``, ``p_adjusted``, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from wxshop.ab.config import ABConfig
from wxshop.ab.stats.decision import DONT_SHIP, INCONCLUSIVE, KEEP_RUNNING, SHIP, Decision
from wxshop.ab.stats.result_base import results_frame
from wxshop.ab.stats.srm import SRMResult
from wxshop.jsonable import to_jsonable

__all__ = [
    "ARM",
    "CUPED",
    "GUARDRAIL",
    "P_ADJUSTED",
    "PRIMARY",
    "ROLE",
    "SECONDARY",
    "SIGNIFICANT",
    "TREATMENT",
    "WARNINGS",
    "ABAnalysis",
    "OverallDecision",
    "overall_decision",
    "records",
]

# Output column names other modules read.
ARM = "arm"
TREATMENT = "treatment"
ROLE = "role"  # primary / guardrail / secondary
CUPED = "cuped"  # bool: the CUPED-adjusted test was used
P_ADJUSTED = "p_adjusted"
SIGNIFICANT = "significant"  # p_adjusted < alpha
PRIMARY, GUARDRAIL, SECONDARY = "primary", "guardrail", "secondary"

WARNINGS = (
    "sample_ratio_mismatch",  # SRM p < srm_threshold: results not to be trusted
    "pre_period_imbalance",  # a balance p-value < srm_threshold: the assignment looks broken
    "guardrail_not_checked",  # a guardrail metric the input cannot compute
    "arm_without_users",  # a planned arm has no users
    "segments_skipped",  # segment cells below min_segment_users
)


@dataclass(frozen=True)
class OverallDecision:
    """The experiment's decision over all treatments.

    decision: ``ship`` when some treatment is decided ship (best_variant: the one with the
    largest primary lift among them), else ``keep_running`` when any treatment is, else
    ``dont_ship`` when every treatment is, else ``inconclusive``. shippable: treatments
    decided ship.
    """

    decision: str
    best_variant: str | None
    shippable: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {"decision": self.decision, "best_variant": self.best_variant,
                "shippable": list(self.shippable)}


def overall_decision(decisions: Mapping[str, Decision]) -> OverallDecision:
    """Aggregate per-treatment decisions (see :class:`OverallDecision`).

    Examples
    --------
    >>> from wxshop.ab.stats import Decision
    >>> def made(t, decision, diff):
    ...     return Decision(decision, (), "conversion", t, 0.01, 0.05, diff, diff)
    >>> overall_decision({"b": made("b", "ship", 0.01), "c": made("c", "ship", 0.03)})
    OverallDecision(decision='ship', best_variant='c', shippable=('b', 'c'))
    """
    ships = [d for d in decisions.values() if d.decision == SHIP]
    if ships:
        best = max(ships, key=lambda d: float(d.diff))  # same metric and control: diff orders lifts
        return OverallDecision(SHIP, best.treatment, tuple(d.treatment for d in ships))
    kinds = [d.decision for d in decisions.values()]
    if KEEP_RUNNING in kinds:
        return OverallDecision(KEEP_RUNNING, None)
    if kinds and all(k == DONT_SHIP for k in kinds):
        return OverallDecision(DONT_SHIP, None)
    return OverallDecision(INCONCLUSIVE, None)


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    """A frame as JSON-ready row dicts (NaN → None); None stays None."""
    if frame is None:
        return None
    return to_jsonable(frame.to_dict(orient="records"))


@dataclass(frozen=True, eq=False)
class ABAnalysis:
    """Everything the A/B notebook shows. Frames are tidy; units as in :mod:`wxshop.ab.stats`.

    input: ``users`` or ``counts``. control, treatments: arm names (treatments with users, in
    order). arms: one row per planned or observed arm — arm, users, conversions, conversion
    (share 0–1), revenue_per_user (CNY), orders_per_user, aov (CNY per order), revenue_cap
    (CNY, NaN when uncapped); NaN where the input lacks the sums. srm: the sample-ratio check.
    balance: pre-period balance per treatment × variable (``pre_revenue``: Welch t, CNY per
    user; ``is_new``: two-proportion z, share) with p_value and ``flagged`` (p < srm_threshold:
    a difference chance rarely makes, e.g. an assignment that depends on the user's history); None
    without those columns. metrics: one row per treatment × metric, the fields of
    :class:`~wxshop.ab.stats.MetricResult` plus role, cuped, p_adjusted, significant.
    skipped_metrics: metrics the input cannot support. guardrails: one row per treatment ×
    guardrail (:class:`~wxshop.ab.stats.NonInferiorityResult`). bootstrap: per treatment,
    percentile bootstrap of revenue per user (capped, unadjusted; CNY); None for counts or
    without revenue. bayes: per treatment × metric, :class:`~wxshop.ab.stats.BayesResult`
    (conversion: Beta-Binomial on the counts; revenue_per_user: normal approximation to the
    test in ``metrics``, CUPED when used). power: per treatment, the primary metric's
    :class:`~wxshop.ab.stats.PowerResult` at alpha/m plus tests_in_family. sequential: per
    treatment, the always-valid result for the primary metric plus planned_users_per_arm,
    planned_from (``config`` / ``target_mde`` / ``current_sample``), p_adjusted, significant;
    None unless ``config.sequential``. segments: per dimension × value × treatment, the primary
    lift with p_adjusted over all cells; None when no segment column exists or for counts.
    segments_skipped: cells skipped for fewer than ``min_segment_users`` users in an arm.
    decisions: treatment → Decision; decision: the overall decision. excluded: counts of users
    left out upstream (e.g. ``multi_variant``), passed through. days: the assignment period
    used for traffic (days), None if unknown. stand_ins: metric the input cannot give → the
    metric tested in its place and roles (``{"aov": "spend_per_buyer"}`` without orders);
    ``config`` holds the roles after the swap.
    """

    input: str
    config: ABConfig
    control: str
    treatments: tuple[str, ...]
    arms: pd.DataFrame
    srm: SRMResult
    balance: pd.DataFrame | None
    metrics: pd.DataFrame
    skipped_metrics: tuple[str, ...]
    guardrails: pd.DataFrame
    bootstrap: pd.DataFrame | None
    bayes: pd.DataFrame
    power: pd.DataFrame
    sequential: pd.DataFrame | None
    segments: pd.DataFrame | None
    segments_skipped: int
    decisions: dict[str, Decision]
    decision: OverallDecision
    excluded: dict[str, int] = field(default_factory=dict)
    days: float | None = None
    stand_ins: dict[str, str] = field(default_factory=dict)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Codes from :data:`WARNINGS` that apply, most serious first."""
        out = []
        if self.srm.mismatch:
            out.append("sample_ratio_mismatch")
        if self.balance is not None and bool(self.balance["flagged"].any()):
            out.append("pre_period_imbalance")
        if any(g in self.skipped_metrics for g in self.config.guardrails):
            out.append("guardrail_not_checked")
        if (self.arms["users"] == 0).any():
            out.append("arm_without_users")
        if self.segments_skipped:
            out.append("segments_skipped")
        return tuple(out)

    def decisions_frame(self) -> pd.DataFrame:
        """One row per treatment: the Decision fields (reason lists joined with ", ")."""
        return results_frame(self.decisions.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (NaN → None), codes only."""
        return to_jsonable({
            "input": self.input,
            "config": self.config.to_dict(),
            "control": self.control,
            "treatments": list(self.treatments),
            "days": self.days,
            "excluded": dict(self.excluded),
            "warnings": list(self.warnings),
            "arms": records(self.arms),
            "srm": self.srm.to_dict(),
            "balance": records(self.balance),
            "metrics": records(self.metrics),
            "skipped_metrics": list(self.skipped_metrics),
            "stand_ins": dict(self.stand_ins),
            "guardrails": records(self.guardrails),
            "bootstrap": records(self.bootstrap),
            "bayes": records(self.bayes),
            "power": records(self.power),
            "sequential": records(self.sequential),
            "segments": records(self.segments),
            "segments_skipped": self.segments_skipped,
            "decisions": {t: d.to_dict() for t, d in self.decisions.items()},
            "decision": self.decision.to_dict(),
        })
