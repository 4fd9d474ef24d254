"""The decision: ship, don't ship, keep running or inconclusive, from the primary metric,
the guardrails, the sample-ratio check and the power analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxshop.ab.stats.frequentist import MetricResult
from wxshop.ab.stats.non_inferiority import NonInferiorityResult
from wxshop.ab.stats.power import PowerResult
from wxshop.ab.stats.result_base import Result
from wxshop.ab.stats.srm import SRMResult

__all__ = ["DECISIONS", "DONT_SHIP", "INCONCLUSIVE", "KEEP_RUNNING", "REASONS", "SHIP", "Decision", "decide"]

# Decision and reason codes.
SHIP = "ship"
DONT_SHIP = "dont_ship"
KEEP_RUNNING = "keep_running"
INCONCLUSIVE = "inconclusive"
DECISIONS = (SHIP, DONT_SHIP, KEEP_RUNNING, INCONCLUSIVE)
REASONS = (
    "sample_ratio_mismatch",
    "primary_not_computable",
    "primary_significantly_better",
    "primary_significantly_worse",
    "primary_not_significant",
    "guardrails_non_inferior",
    "guardrail_harmed",
    "guardrail_not_yet_non_inferior",
    "guardrail_not_checked",
    "power_unknown",
    "effect_below_target_mde",
    "target_sample_reached",
    "underpowered_keep_collecting",
    "target_sample_out_of_reach",
)


@dataclass(frozen=True)
class Decision(Result):
    """ship / dont_ship / keep_running / inconclusive with the reason codes that led there."""

    decision: str
    reasons: tuple[str, ...]
    primary_metric: str
    treatment: str
    p_value: float
    alpha: float
    diff: float
    rel_lift: float
    harmed_guardrails: tuple[str, ...] = ()
    unproven_guardrails: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row; list fields joined with ``", "``."""
        d = self.to_dict()
        return pd.DataFrame([{k: ", ".join(v) if isinstance(v, list) else v for k, v in d.items()}])


def decide(
    primary: MetricResult,
    *,
    guardrails: Sequence[NonInferiorityResult] = (),
    srm: SRMResult | None = None,
    power: PowerResult | None = None,
    p_value: float | None = None,
    higher_is_better: bool = True,
    max_days_to_wait: float = 28.0,
    unchecked: Sequence[str] = (),
) -> Decision:
    """Map the primary metric, guardrails, SRM and power into one decision.

    Rules, first match wins:

    1. SRM flagged → ``inconclusive`` (the split is broken; fix it and rerun).
    2. primary p-value NaN → ``inconclusive``.
    3. primary significantly worse → ``dont_ship``.
    4. any guardrail significantly worse → ``dont_ship``.
    5. primary significantly better: a guardrail the input cannot compute (``unchecked``) →
       ``inconclusive`` (more days will not check it: the data must); every guardrail
       non-inferior → ``ship``; otherwise ``keep_running`` (guardrails not yet shown safe).
    6. primary not significant: no power analysis with a target → ``inconclusive``; target
       sample reached → ``dont_ship`` if the interval rules out the target MDE, else
       ``inconclusive``; not reached → ``keep_running`` if it is reachable within
       ``max_days_to_wait`` days, else ``inconclusive``.

    ``p_value`` overrides the primary's p-value (e.g. Holm-adjusted over variants).

    Examples
    --------
    >>> from wxshop.ab.stats.arms import arm_stats_from_counts
    >>> from wxshop.ab.stats.frequentist import conversion_test
    >>> control, treatment = arm_stats_from_counts("c", 1000, 100), arm_stats_from_counts("t", 1000, 130)
    >>> primary = conversion_test(control, treatment)
    >>> d = decide(primary)
    >>> d.decision, d.reasons
    ('ship', ('primary_significantly_better',))
    """
    p = float(primary.p_value if p_value is None else p_value)
    base = {"primary_metric": primary.metric, "treatment": primary.treatment, "p_value": p,
            "alpha": primary.alpha, "diff": float(primary.diff), "rel_lift": float(primary.rel_lift)}
    harmed = tuple(g.metric for g in guardrails if g.significantly_worse)
    unproven = tuple(g.metric for g in guardrails if not g.non_inferior and not g.significantly_worse)
    base |= {"harmed_guardrails": harmed, "unproven_guardrails": unproven + tuple(unchecked)}

    def out(decision: str, *reasons: str) -> Decision:
        return Decision(decision=decision, reasons=tuple(reasons), **base)

    if srm is not None and srm.mismatch:
        return out(INCONCLUSIVE, "sample_ratio_mismatch")
    if not np.isfinite(p):
        return out(INCONCLUSIVE, "primary_not_computable")
    sign = 1.0 if higher_is_better else -1.0
    significant = p < primary.alpha
    better = sign * float(primary.diff) > 0
    if significant and not better:
        return out(DONT_SHIP, "primary_significantly_worse", *(["guardrail_harmed"] if harmed else []))
    if harmed:
        return out(DONT_SHIP, "guardrail_harmed",
                   "primary_significantly_better" if significant else "primary_not_significant")
    if significant:
        if unchecked:  # never a plain "ship" over a guardrail nobody could look at
            return out(INCONCLUSIVE, "primary_significantly_better", "guardrail_not_checked")
        if unproven:
            return out(KEEP_RUNNING, "primary_significantly_better", "guardrail_not_yet_non_inferior")
        return out(SHIP, "primary_significantly_better", *(["guardrails_non_inferior"] if guardrails else []))
    if power is None or power.sufficient is None:
        return out(INCONCLUSIVE, "primary_not_significant", "power_unknown")
    if power.sufficient:
        # the interval's favourable end, as a relative lift, falls short of the target
        if higher_is_better:
            reach = float(primary.rel_ci_high)
        else:
            reach = -float(primary.rel_ci_low)
        if np.isfinite(reach) and reach < power.target_relative_mde:
            return out(DONT_SHIP, "primary_not_significant", "target_sample_reached",
                       "effect_below_target_mde")
        return out(INCONCLUSIVE, "primary_not_significant", "target_sample_reached")
    if power.days_remaining <= max_days_to_wait:
        return out(KEEP_RUNNING, "primary_not_significant", "underpowered_keep_collecting")
    return out(INCONCLUSIVE, "primary_not_significant", "target_sample_out_of_reach")
