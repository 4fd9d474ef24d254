"""Power: achieved power, minimum detectable effect, sample size and days to reach it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, stats

from wxshop.ab.stats.frequentist import MetricResult
from wxshop.ab.stats.result_base import FloatLike, Result, floats

__all__ = [
    "PowerResult",
    "achieved_power",
    "days_to_sample",
    "minimum_detectable_effect",
    "power_analysis",
    "sample_size_per_arm",
]


@dataclass(frozen=True)
class PowerResult(Result):
    """Power of a two-sided test at level alpha (normal approximation).

    achieved_power: power at the *observed* effect and SE — descriptive only, it says nothing
    the p-value does not. mde_abs / mde_rel: smallest true effect (metric unit / share of the
    control mean) detected with probability ``power`` at the current sample. n_needed_*: users
    per arm for ``target_relative_mde`` (treatment arm in the observed ratio to control, both
    with the control's per-user SD). days_remaining: whole days until then at
    ``daily_users`` (users per day entering both arms together), 0 when reached.
    """

    metric: str
    alpha: float
    power: float
    effect: float
    se: float
    achieved_power: float
    mde_abs: float
    mde_rel: float
    target_relative_mde: float
    n_control: float
    n_treatment: float
    n_needed_control: float
    n_needed_treatment: float
    daily_users: float
    days_remaining: float
    sufficient: bool | None


def _power(x: Any, alpha: float) -> np.ndarray:
    """Two-sided power at standardised effect x = effect/se."""
    z = stats.norm.isf(alpha / 2)
    x = np.asarray(x, dtype=float)
    return stats.norm.sf(z - x) + stats.norm.cdf(-z - x)


def _standardised_mde(alpha: float, power: float) -> float:
    if not 0 < alpha < 1 or not alpha < power < 1:
        raise ValueError(f"need 0 < alpha < power < 1, got alpha={alpha}, power={power}")
    return float(optimize.brentq(lambda x: float(_power(x, alpha)) - power, 0.0, 50.0,
                                 xtol=1e-14, rtol=1e-15, maxiter=500))


def achieved_power(effect: ArrayLike, se: ArrayLike, *, alpha: float = 0.05) -> FloatLike:
    """Power of the two-sided z-test if the true effect were ``effect`` (same unit as se)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return floats(_power(np.abs(np.asarray(effect, float)) / np.asarray(se, float), alpha))


def minimum_detectable_effect(se: ArrayLike, *, alpha: float = 0.05, power: float = 0.8) -> FloatLike:
    """Smallest absolute effect found with probability ``power`` when the lift's SE is ``se``.

    Solves the two-sided power equation exactly (≈ (z_{1−alpha/2} + z_power)·se).
    """
    return floats(_standardised_mde(alpha, power) * np.asarray(se, dtype=float))


def sample_size_per_arm(
    baseline_mean: float,
    sd: float,
    relative_mde: float,
    *,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
) -> float:
    """Control-arm users needed to detect a relative lift ``relative_mde`` (share, 0.05 = 5 %).

    Two-sided z-test, per-user SD ``sd`` in both arms (for conversion sqrt(p(1 − p))), treatment
    arm ``ratio`` times the control arm. Same as statsmodels
    ``NormalIndPower().solve_power(effect_size=relative_mde·baseline_mean/sd, ratio=ratio)``.
    Not rounded up.

    Examples
    --------
    >>> round(sample_size_per_arm(0.10, (0.10 * 0.90) ** 0.5, 0.05))
    56512
    """
    delta = abs(relative_mde * baseline_mean)
    if delta == 0 or sd <= 0 or ratio <= 0:
        raise ValueError("need a non-zero effect, sd > 0 and ratio > 0")
    x = _standardised_mde(alpha, power)
    return x**2 * sd**2 * (1 + 1 / ratio) / delta**2


def days_to_sample(n_needed: float, n_current: float, daily_users: float) -> float:
    """Whole days until ``n_needed`` users at ``daily_users`` per day (same arm(s)); inf if no traffic."""
    gap = max(0.0, n_needed - n_current)
    if gap == 0:
        return 0.0
    if not daily_users > 0:
        return math.inf
    return float(math.ceil(gap / daily_users - 1e-12))


def power_analysis(
    result: MetricResult,
    *,
    power: float = 0.8,
    target_relative_mde: float | None = None,
    daily_users: float | None = None,
) -> PowerResult:
    """Achieved power, current MDE, the sample for a target MDE and the days to reach it.

    Parameters
    ----------
    result : the metric's fixed-sample test; alpha is taken from it.
    power : target power (share 0–1).
    target_relative_mde : relative lift (share) the experiment should detect.
    daily_users : observed users per day entering the two arms compared, together.
    """
    alpha = result.alpha
    n_c, n_t = float(result.n_control), float(result.n_treatment)
    mde = float(minimum_detectable_effect(result.se, alpha=alpha, power=power))
    m_c = float(result.mean_control)
    mde_rel = np.nan if bool(result.relative_undefined) else mde / m_c
    need_c = need_t = days = np.nan
    sufficient = None
    if target_relative_mde is not None and m_c != 0 and float(result.sd_control) > 0:
        ratio = n_t / n_c
        need_c = sample_size_per_arm(m_c, float(result.sd_control), target_relative_mde, alpha=alpha,
                                     power=power, ratio=ratio)
        need_t = ratio * need_c
        sufficient = n_c >= need_c
        if daily_users is not None:
            days = days_to_sample(need_c, n_c, daily_users * n_c / (n_c + n_t))
    return PowerResult(result.metric, alpha, power, float(result.diff), float(result.se),
                       float(achieved_power(result.diff, result.se, alpha=alpha)), mde, float(mde_rel),
                       np.nan if target_relative_mde is None else float(target_relative_mde), n_c, n_t,
                       float(need_c), float(need_t),
                       np.nan if daily_users is None else float(daily_users), float(days), sufficient)
