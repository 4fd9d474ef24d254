"""Which metrics an analysis tests: those asked for that the input allows, with spend per buyer
standing in for AOV when the input has no orders (:func:`plan_metrics`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from wxshop.ab.config import ABConfig
from wxshop.ab.stats.arms import ArmStats
from wxshop.ab.stats.metrics import AOV, DEFAULT_METRICS, SPEND_PER_BUYER

__all__ = ["STAND_INS", "MetricPlan", "plan_metrics"]

# metric the input cannot give → the metric measuring the same thing that it can. AOV (笔单价,
# revenue per order) needs orders; spend per buyer (客单价, revenue per converting user) only
# revenue and conversion, so a per-user file without orders still has its guardrail checked.
STAND_INS = {AOV: SPEND_PER_BUYER}


@dataclass(frozen=True)
class MetricPlan:
    """config: the settings with stand-ins in place of the metrics they replace (primary,
    guardrails, metrics). tested: the metrics tested, in order. skipped: metrics asked for
    (or, with ``metrics`` None, of :data:`~wxshop.ab.stats.metrics.DEFAULT_METRICS`) that the
    input cannot give, stood-in ones included. stand_ins: replaced metric → its stand-in."""

    config: ABConfig
    tested: tuple[str, ...]
    skipped: tuple[str, ...]
    stand_ins: dict[str, str]


def plan_metrics(config: ABConfig, arms: Mapping[str, ArmStats]) -> MetricPlan:
    """The metrics to test on ``arms`` under ``config``.

    A metric is usable when every arm has its sums. A wanted metric that is not usable is
    skipped; if it has a usable stand-in (:data:`STAND_INS`) that is not wanted already, the
    stand-in takes its place in the tested list and in the primary and guardrail roles.

    Examples
    --------
    >>> from wxshop.ab.stats import arm_stats_from_counts
    >>> arms = {a: arm_stats_from_counts(a, 100, 10, revenue_sum=900.0, revenue_sumsq=90000.0)
    ...         for a in ("control", "treatment")}
    >>> plan = plan_metrics(ABConfig(), arms)
    >>> plan.tested, plan.config.guardrails, plan.stand_ins
    (('conversion', 'revenue_per_user', 'spend_per_buyer'), ('spend_per_buyer',), {'aov': 'spend_per_buyer'})
    """
    wanted = list(config.metrics) if config.metrics is not None else list(DEFAULT_METRICS)
    for m in (config.primary_metric, *config.guardrails):  # with metrics None, roles always count
        if m not in wanted:
            wanted.append(m)

    def usable(m: str) -> bool:
        return all(a.has(m) for a in arms.values())

    stand_ins = {m: s for m, s in STAND_INS.items()
                 if m in wanted and not usable(m) and s not in wanted and usable(s)}
    tested = tuple(stand_ins.get(m, m) for m in wanted if usable(stand_ins.get(m, m)))
    skipped = tuple(m for m in wanted if not usable(m))
    swap = {m: stand_ins.get(m, m) for m in wanted}
    effective = replace(
        config, primary_metric=swap[config.primary_metric],
        guardrails=tuple(swap[g] for g in config.guardrails),
        metrics=None if config.metrics is None else tuple(swap[m] for m in config.metrics),
    )
    return MetricPlan(effective, tested, skipped, stand_ins)
