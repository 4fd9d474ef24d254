"""Sequential testing: always-valid intervals and p-values (normal-mixture confidence sequence)."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from wxshop.ab.stats.arms import ArmStats
from wxshop.ab.stats.frequentist import MetricResult, compare
from wxshop.ab.stats.metrics import Metric
from wxshop.ab.stats.result_base import FloatLike, floats

__all__ = ["cs_radius", "sequential_test", "tuned_mixing_variance"]


def _mixture_ratio_root(alpha: float) -> float:
    """r solving r = log(1 + r) + 2·log(1/alpha): tau² = r·V minimises the radius at V."""
    r = 2 * math.log(1 / alpha)
    for _ in range(200):  # contraction with factor 1/(1 + r) < 1
        r = math.log1p(r) + 2 * math.log(1 / alpha)
    return r


def tuned_mixing_variance(planned_n_per_arm: float, pair_variance: float, alpha: float = 0.05) -> float:
    """Mixing variance tau² (metric unit²) that makes the confidence sequence tightest at the plan.

    With V = pair_variance / planned_n_per_arm the variance of the difference at the planned
    sample, the radius is smallest at tau² = r·V with r = log(1 + r) + 2·log(1/alpha) (r ≈ 8.2
    at alpha 0.05; Howard et al. 2021, Sec. 3.5). Fix it before the experiment starts (from
    the plan and a pre-period variance) and keep it for every look.
    """
    if planned_n_per_arm <= 0 or pair_variance <= 0:
        raise ValueError("planned_n_per_arm and pair_variance must be positive")
    return _mixture_ratio_root(alpha) * pair_variance / planned_n_per_arm


def _radius(v: Any, tau2: Any, alpha: float) -> np.ndarray:
    v, tau2 = np.asarray(v, dtype=float), np.asarray(tau2, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(v * (v + tau2) / tau2 * np.log((v + tau2) / (v * alpha**2)))


def cs_radius(
    n_per_arm: ArrayLike, pair_variance: ArrayLike, alpha: float = 0.05, *, mixing_variance: float
) -> FloatLike:
    """Half-width of the normal-mixture confidence sequence for a difference in means.

    With V = pair_variance / n_per_arm (pair_variance = σ_c² + σ_t², per-user variances in the
    metric's unit²) and mixing variance tau² of the N(0, tau²) mixture over the effect
    (Robbins' normal mixture; Johari et al. 2017 mSPRT; Howard et al. 2021 eq. 14):

        radius = sqrt( V (V + tau²)/tau² · log((V + tau²)/(V·alpha²)) ).

    diff ± radius covers the true difference at every n simultaneously with probability at
    least 1 − alpha (exactly for Gaussian data with known variance, asymptotically otherwise).
    """
    if mixing_variance <= 0:
        raise ValueError(f"mixing_variance must be positive, got {mixing_variance}")
    n = np.asarray(n_per_arm, dtype=float)
    return floats(_radius(np.asarray(pair_variance, dtype=float) / n, mixing_variance, alpha))


def sequential_test(
    control: ArmStats,
    treatment: ArmStats,
    metric: Metric = "conversion",
    *,
    alpha: float = 0.05,
    mixing_variance: float | None = None,
    planned_n_per_arm: float | None = None,
) -> MetricResult:
    """Always-valid interval and p-value (mSPRT / normal-mixture confidence sequence).

    The fixed-sample test of ``metric`` gives diff and its variance V = se²; the interval is
    diff ± :func:`cs_radius` and p = min(1, 1/Λ) with the mixture likelihood ratio
    Λ = sqrt(V/(V + tau²))·exp(diff²·tau² / (2V(V + tau²))). So p < alpha exactly when the
    interval excludes 0, and looking after every day keeps the false-positive rate ≤ alpha.
    Over several looks, report the running minimum of p and the running intersection of the
    intervals. ``mixing_variance`` (tau², metric unit²) should be fixed in advance; without it,
    it is tuned with :func:`tuned_mixing_variance` at ``planned_n_per_arm`` using the current
    per-user variances. Relative interval: the same construction on the relative lift with
    tau²/mean_control².
    """
    base = compare(control, treatment, metric, alpha=alpha)
    if mixing_variance is None:
        if planned_n_per_arm is None:
            raise ValueError("sequential_test needs mixing_variance or planned_n_per_arm")
        pair = float(np.mean(np.asarray(base.sd_control) ** 2 + np.asarray(base.sd_treatment) ** 2))
        mixing_variance = tuned_mixing_variance(planned_n_per_arm, pair, alpha)
    tau2 = float(mixing_variance)
    if tau2 <= 0:
        raise ValueError(f"mixing_variance must be positive, got {tau2}")
    diff, v = np.asarray(base.diff), np.asarray(base.se) ** 2
    rad = _radius(v, tau2, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_lr = 0.5 * np.log(v / (v + tau2)) + diff**2 * tau2 / (2 * v * (v + tau2))
        p = np.minimum(1.0, np.exp(-log_lr))
        m_c = np.asarray(base.mean_control)
        rel, rel_se = np.asarray(base.rel_lift), np.asarray(base.rel_se)
        rad_rel = _radius(rel_se**2, tau2 / m_c**2, alpha)
    return replace(base, test=f"msprt_{base.test}", ci_low=floats(diff - rad), ci_high=floats(diff + rad),
                   p_value=floats(p), rel_ci_low=floats(rel - rad_rel), rel_ci_high=floats(rel + rad_rel),
                   mixing_variance=tau2)
