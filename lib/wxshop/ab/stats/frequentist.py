"""Frequentist tests of one metric, treatment vs control, on :class:`ArmStats` sums.

Conversion: two-proportion z-test; revenue, orders and profit per user: Welch t-test; AOV and
spend per buyer: delta method on the ratio of means; CUPED: Welch on covariate-adjusted means
(conventions in :mod:`wxshop.ab.stats`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from wxshop.ab.stats.arms import ArmStats
from wxshop.ab.stats.distributions import critical_value, p_two_sided
from wxshop.ab.stats.metrics import (
    AOV,
    CONVERSION,
    DEFAULT_METRICS,
    METRICS,
    ORDERS_PER_USER,
    PROFIT_PER_USER,
    RATIO_METRICS,
    REVENUE_PER_USER,
    SPEND_PER_BUYER,
    Metric,
    UserMetric,
)
from wxshop.ab.stats.moments import sample_covariance, sample_variance
from wxshop.ab.stats.result_base import FloatLike, Result, bools, floats, results_frame

__all__ = [
    "MetricResult",
    "aov_test",
    "compare",
    "compare_arms",
    "conversion_test",
    "cuped_test",
    "mean_test",
    "spend_per_buyer_test",
]


@dataclass(frozen=True)
class MetricResult(Result):
    """Treatment vs control on one metric.

    mean_*: the arm's metric (share 0–1, CNY per user, orders per user or CNY per order).
    sd_*: per-user standard deviation (for AOV the SD of the linearised per-user value, so
    that sd²/n is the delta-method variance). diff = mean_treatment − mean_control with
    standard error ``se`` and interval [ci_low, ci_high]. statistic: z or t; df: degrees of
    freedom (inf for normal tests). rel_*: relative lift (share) by the delta method, NaN when
    ``relative_undefined``. theta, variance_reduction: CUPED only. mixing_variance: sequential
    tests only (the variance of the normal mixture over the effect, metric unit²).
    """

    metric: str
    test: str
    control: str
    treatment: str
    n_control: FloatLike
    n_treatment: FloatLike
    mean_control: FloatLike
    mean_treatment: FloatLike
    sd_control: FloatLike
    sd_treatment: FloatLike
    diff: FloatLike
    se: FloatLike
    ci_low: FloatLike
    ci_high: FloatLike
    statistic: FloatLike
    df: FloatLike
    p_value: FloatLike
    rel_lift: FloatLike
    rel_se: FloatLike
    rel_ci_low: FloatLike
    rel_ci_high: FloatLike
    relative_undefined: bool | np.ndarray
    alpha: float
    theta: FloatLike = math.nan
    variance_reduction: FloatLike = math.nan
    mixing_variance: float = math.nan

    @property
    def significant(self) -> bool | np.ndarray:
        """p_value < alpha."""
        return bools(np.asarray(self.p_value) < self.alpha)


def _relative(m_c: Any, m_t: Any, v_c: Any, v_t: Any, crit: Any) -> tuple[np.ndarray, ...]:
    """Relative lift m_t/m_c − 1 and its delta-method SE; undefined unless m_c > crit·se(m_c)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        undefined = ~(m_c > crit * np.sqrt(v_c))
        rel = m_t / m_c - 1
        rel_se = np.sqrt(v_t / m_c**2 + m_t**2 * v_c / m_c**4)
    return np.where(undefined, np.nan, rel), np.where(undefined, np.nan, rel_se), undefined


def _assemble(metric: str, test: str, control: ArmStats, treatment: ArmStats, *, n_c: Any, n_t: Any,
              m_c: Any, m_t: Any, v_c: Any, v_t: Any, statistic: Any, p_value: Any, df: Any,
              alpha: float, **extra: Any) -> MetricResult:
    """Build a result from arm means m and the variances v of those means."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    n_c, n_t, m_c, m_t, v_c, v_t = (np.asarray(a, dtype=float) for a in (n_c, n_t, m_c, m_t, v_c, v_t))
    diff = m_t - m_c
    se = np.sqrt(v_c + v_t)
    crit = critical_value(alpha, df)
    rel, rel_se, undefined = _relative(m_c, m_t, v_c, v_t, crit)
    return MetricResult(
        metric=metric, test=test, control=control.arm, treatment=treatment.arm,
        n_control=floats(n_c), n_treatment=floats(n_t), mean_control=floats(m_c), mean_treatment=floats(m_t),
        sd_control=floats(np.sqrt(v_c * n_c)), sd_treatment=floats(np.sqrt(v_t * n_t)),
        diff=floats(diff), se=floats(se), ci_low=floats(diff - crit * se), ci_high=floats(diff + crit * se),
        statistic=floats(statistic), df=floats(np.broadcast_to(df, diff.shape)), p_value=floats(p_value),
        rel_lift=floats(rel), rel_se=floats(rel_se), rel_ci_low=floats(rel - crit * rel_se),
        rel_ci_high=floats(rel + crit * rel_se), relative_undefined=bools(undefined), alpha=alpha,
        **{k: floats(v) for k, v in extra.items()},
    )


def _check_has(arm: ArmStats, metric: str, cuped: bool = False) -> None:
    if not arm.has(metric, cuped):
        extra = " and the CUPED covariate sums" if cuped else ""
        raise ValueError(f"arm {arm.arm!r} lacks the sums needed for {metric}{extra}")


def conversion_test(control: ArmStats, treatment: ArmStats, *, alpha: float = 0.05) -> MetricResult:
    """Two-proportion z-test on conversion (share 0–1 of users who bought).

    The z statistic and p-value use the pooled standard error (as
    ``statsmodels.stats.proportion.proportions_ztest``); ``se`` and the interval use the
    unpooled (Wald) standard error. Relative lift by the delta method.

    Examples
    --------
    >>> from wxshop.ab.stats.arms import arm_stats_from_counts
    >>> r = conversion_test(arm_stats_from_counts("c", 1000, 100), arm_stats_from_counts("t", 1000, 130))
    >>> round(r.diff, 4), round(r.p_value, 4), round(r.rel_lift, 2), r.significant
    (0.03, 0.0355, 0.3, True)
    """
    n_c, n_t = np.asarray(control.n, float), np.asarray(treatment.n, float)
    x_c, x_t = np.asarray(control.conversions, float), np.asarray(treatment.conversions, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_c, p_t = x_c / n_c, x_t / n_t
        pool = (x_c + x_t) / (n_c + n_t)
        z = (p_t - p_c) / np.sqrt(pool * (1 - pool) * (1 / n_c + 1 / n_t))
    return _assemble(CONVERSION, "z_pooled", control, treatment, n_c=n_c, n_t=n_t, m_c=p_c, m_t=p_t,
                     v_c=p_c * (1 - p_c) / n_c, v_t=p_t * (1 - p_t) / n_t, statistic=z,
                     p_value=2 * stats.norm.sf(np.abs(z)), df=np.inf, alpha=alpha)


def _welch(metric: str, test: str, control: ArmStats, treatment: ArmStats, m_c: Any, m_t: Any,
           var_c: Any, var_t: Any, alpha: float, **extra: Any) -> MetricResult:
    n_c, n_t = np.asarray(control.n, float), np.asarray(treatment.n, float)
    v_c, v_t = var_c / n_c, var_t / n_t
    with np.errstate(divide="ignore", invalid="ignore"):
        df = (v_c + v_t) ** 2 / (v_c**2 / (n_c - 1) + v_t**2 / (n_t - 1))
        t = (m_t - m_c) / np.sqrt(v_c + v_t)
    return _assemble(metric, test, control, treatment, n_c=n_c, n_t=n_t, m_c=m_c, m_t=m_t, v_c=v_c,
                     v_t=v_t, statistic=t, p_value=p_two_sided(t, df), df=df, alpha=alpha, **extra)


def mean_test(
    control: ArmStats,
    treatment: ArmStats,
    metric: Literal["revenue_per_user", "orders_per_user", "profit_per_user"] = "revenue_per_user",
    *,
    alpha: float = 0.05,
) -> MetricResult:
    """Welch t-test on a per-user mean (revenue or gross profit in CNY per user, or orders per
    user).

    Same as ``scipy.stats.ttest_ind(treatment, control, equal_var=False)`` on the raw values;
    the interval uses the Welch–Satterthwaite degrees of freedom. Relative lift by the delta
    method with the same t critical value.
    """
    if metric not in _MEANS:
        raise ValueError(f"mean_test metric must be one of {', '.join(_MEANS)}, got {metric!r}")
    for arm in (control, treatment):
        _check_has(arm, metric)
    return _welch(metric, "welch_t", control, treatment, np.asarray(control.mean(metric)),
                  np.asarray(treatment.mean(metric)), np.asarray(control.variance(metric)),
                  np.asarray(treatment.variance(metric)), alpha)


_MEANS = (REVENUE_PER_USER, ORDERS_PER_USER, PROFIT_PER_USER)


def _ratio_arm(n: Any, ys: Any, yss: Any, xs: Any, xss: Any, xys: Any) -> tuple[np.ndarray, np.ndarray]:
    """Ratio Σy / Σx of one arm and its delta-method variance.

    Var(ȳ/x̄) ≈ [Var(y) − 2·R·Cov(y, x) + R²·Var(x)] / (n·x̄²), R = Σy/Σx, per-user sample
    variances and covariance (ddof 1): users are the randomisation unit.
    """
    n, ys, xs = (np.asarray(v, float) for v in (n, ys, xs))
    var_y, var_x = sample_variance(n, ys, yss), sample_variance(n, xs, xss)
    cov = sample_covariance(n, ys, xs, xys)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = ys / xs
        v = (var_y - 2 * ratio * cov + ratio**2 * var_x) / (n * (xs / n) ** 2)
    return ratio, np.maximum(v, 0.0)


def _aov_arm(a: ArmStats) -> tuple[np.ndarray, np.ndarray]:
    """AOV (CNY per order) of one arm and the delta-method variance of that ratio."""
    return _ratio_arm(a.n, a.revenue_sum, a.revenue_sumsq, a.orders_sum, a.orders_sumsq, a.revenue_orders_sum)


def _spend_per_buyer_arm(a: ArmStats) -> tuple[np.ndarray, np.ndarray]:
    """Spend per buyer (CNY per converting user) of one arm and its delta-method variance
    (the conversion flag c is 0/1, so Σc² = Σc)."""
    return _ratio_arm(a.n, a.revenue_sum, a.revenue_sumsq, a.conversions, a.conversions,
                      a.revenue_conversion_sum)


def _ratio_test(metric: str, arm_ratio: Any, control: ArmStats, treatment: ArmStats,
                alpha: float) -> MetricResult:
    for arm in (control, treatment):
        _check_has(arm, metric)
    m_c, v_c = arm_ratio(control)
    m_t, v_t = arm_ratio(treatment)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (m_t - m_c) / np.sqrt(v_c + v_t)
    return _assemble(metric, "delta_ratio_z", control, treatment, n_c=control.n, n_t=treatment.n,
                     m_c=m_c, m_t=m_t, v_c=v_c, v_t=v_t, statistic=z,
                     p_value=2 * stats.norm.sf(np.abs(z)), df=np.inf, alpha=alpha)


def aov_test(control: ArmStats, treatment: ArmStats, *, alpha: float = 0.05) -> MetricResult:
    """Average order value (CNY per order = Σ revenue / Σ orders) as a ratio metric.

    Per arm, Var(R̄/Ō) ≈ [Var(r) − 2·AOV·Cov(r, o) + AOV²·Var(o)] / (n·Ō²) over users (delta
    method; users are the randomisation unit, so orders of one user are not independent).
    Normal z-test and interval; relative lift by the delta method.
    """
    return _ratio_test(AOV, _aov_arm, control, treatment, alpha)


def spend_per_buyer_test(control: ArmStats, treatment: ArmStats, *, alpha: float = 0.05) -> MetricResult:
    """Spend per buyer (客单价, CNY per converting user = Σ revenue / Σ converted) as a ratio metric.

    The AOV test with the 0/1 conversion flag c in place of orders: per arm
    Var(R̄/c̄) ≈ [Var(r) − 2·S·Cov(r, c) + S²·Var(c)] / (n·c̄²), S = Σr/Σc, from Σr, Σr², Σc and
    Σr·c over all assigned users (the denominator, the number of buyers, is itself random).
    It needs no orders column, so a per-user file with revenue and conversion has it.

    Examples
    --------
    >>> from wxshop.ab.stats.arms import arm_stats_from_counts
    >>> c = arm_stats_from_counts("c", 1000, 100, revenue_sum=10000.0, revenue_sumsq=2000000.0)
    >>> t = arm_stats_from_counts("t", 1000, 130, revenue_sum=11700.0, revenue_sumsq=2106000.0)
    >>> r = spend_per_buyer_test(c, t)
    >>> float(r.mean_control), float(r.mean_treatment), round(r.se, 3), round(r.p_value, 4)
    (100.0, 90.0, 12.746, 0.4327)
    """
    return _ratio_test(SPEND_PER_BUYER, _spend_per_buyer_arm, control, treatment, alpha)


def cuped_test(
    control: ArmStats,
    treatment: ArmStats,
    metric: UserMetric = "revenue_per_user",
    *,
    alpha: float = 0.05,
) -> MetricResult:
    """CUPED-adjusted Welch t-test on a per-user metric.

    theta = Σ_arms S_xy / Σ_arms S_xx (within-arm sums of cross-products, i.e. the pooled
    within-arm regression slope of y on the covariate x); adjusted mean per arm
    ȳ − θ(x̄_arm − x̄), x̄ over both arms; adjusted per-user variance
    Var(y) − 2θ·Cov(x, y) + θ²·Var(x) (ddof 1). Then Welch as in :func:`mean_test`.
    ``variance_reduction`` = 1 − Var(adjusted diff)/Var(unadjusted diff) (share 0–1).
    """
    for arm in (control, treatment):
        _check_has(arm, metric, cuped=True)

    def parts(a: ArmStats) -> tuple[np.ndarray, ...]:
        n = np.asarray(a.n, float)
        s, ss, sxy = (np.asarray(v, float) for v in a.sums(metric))
        sx, sxx = np.asarray(a.covariate_sum, float), np.asarray(a.covariate_sumsq, float)
        return (n, s, sx, sample_variance(n, s, ss), sample_variance(n, sx, sxx),
                sample_covariance(n, sx, s, sxy))

    n_c, s_c, sx_c, vy_c, vx_c, cxy_c = parts(control)
    n_t, s_t, sx_t, vy_t, vx_t, cxy_t = parts(treatment)
    sxx = vx_c * (n_c - 1) + vx_t * (n_t - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = np.where(sxx > 0, (cxy_c * (n_c - 1) + cxy_t * (n_t - 1)) / sxx, 0.0)
        x_bar = (sx_c + sx_t) / (n_c + n_t)
        m_c = s_c / n_c - theta * (sx_c / n_c - x_bar)
        m_t = s_t / n_t - theta * (sx_t / n_t - x_bar)
        var_c = np.maximum(vy_c - 2 * theta * cxy_c + theta**2 * vx_c, 0.0)
        var_t = np.maximum(vy_t - 2 * theta * cxy_t + theta**2 * vx_t, 0.0)
        reduction = 1 - (var_c / n_c + var_t / n_t) / (vy_c / n_c + vy_t / n_t)
    return _welch(metric, "cuped_welch_t", control, treatment, m_c, m_t, var_c, var_t, alpha,
                  theta=theta, variance_reduction=reduction)


def compare(
    control: ArmStats, treatment: ArmStats, metric: Metric, *, alpha: float = 0.05, cuped: bool = False
) -> MetricResult:
    """The standard test of ``metric``; with ``cuped`` the CUPED test (not for the ratio metrics
    ``aov`` and ``spend_per_buyer``).

    Examples
    --------
    >>> from wxshop.ab.stats.arms import arm_stats_from_counts
    >>> c = arm_stats_from_counts("c", 1000, 100, revenue_sum=10000.0, revenue_sumsq=2000000.0)
    >>> t = arm_stats_from_counts("t", 1000, 130, revenue_sum=13000.0, revenue_sumsq=2600000.0)
    >>> r = compare(c, t, "revenue_per_user")
    >>> r.test, round(r.diff, 2), round(r.ci_low, 2), round(r.ci_high, 2), round(r.p_value, 4)
    ('welch_t', 3.0, -1.08, 7.08, 0.1498)
    """
    if metric == CONVERSION and not cuped:
        return conversion_test(control, treatment, alpha=alpha)
    if metric == AOV:
        return aov_test(control, treatment, alpha=alpha)
    if metric == SPEND_PER_BUYER:
        return spend_per_buyer_test(control, treatment, alpha=alpha)
    if cuped:
        return cuped_test(control, treatment, metric, alpha=alpha)
    if metric in _MEANS:
        return mean_test(control, treatment, metric, alpha=alpha)  # type: ignore[arg-type]
    raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")


def compare_arms(
    arms: Mapping[str, ArmStats],
    control: str,
    *,
    metrics: Sequence[Metric] | None = None,
    alpha: float = 0.05,
    cuped: bool = False,
) -> pd.DataFrame:
    """Every other arm against ``control`` on every metric: one row per (treatment, metric).

    ``metrics=None`` takes every metric the sums allow; with ``cuped`` the per-user metrics use
    CUPED where the covariate sums are known. Columns are the fields of :class:`MetricResult`.

    Examples
    --------
    >>> from wxshop.ab.stats.arms import arm_stats_from_counts
    >>> arms = {a: arm_stats_from_counts(a, 1000, k) for a, k in (("control", 100), ("b", 130), ("c", 90))}
    >>> print(compare_arms(arms, "control")[["treatment", "metric", "diff", "p_value"]].round(4).to_string())
      treatment      metric  diff  p_value
    0         b  conversion  0.03   0.0355
    1         c  conversion -0.01   0.4457
    """
    if control not in arms:
        raise KeyError(f"control arm {control!r} not among {', '.join(arms)}")
    c = arms[control]
    chosen = list(metrics) if metrics is not None else [m for m in DEFAULT_METRICS if c.has(m)]
    out = []
    for name, t in arms.items():
        if name == control:
            continue
        for m in chosen:
            use_cuped = cuped and m not in RATIO_METRICS and c.has(m, True) and t.has(m, True)
            out.append(compare(c, t, m, alpha=alpha, cuped=use_cuped))
    return results_frame(out)
