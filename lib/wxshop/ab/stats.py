"""A/B test statistics on per-arm sufficient statistics.

Every input form (experiment assignments plus orders, a per-user outcome table, counts typed
in from a dashboard) is first summarised into one :class:`ArmStats` per arm: users, converters
and the sums, sums of squares and cross-products of the per-user outcomes. Every test below
works on those sums only, except the bootstrap, which needs the raw per-user values.

Conventions:

- a *user* is one assigned customer; per-user outcomes are measured over the metric window
  after assignment. Metrics: ``conversion`` (share 0–1 of users with at least one paid order),
  ``revenue_per_user`` (CNY per assigned user, zeros included), ``orders_per_user`` (paid
  orders per assigned user) and ``aov`` (average order value, CNY per order = total revenue /
  total orders, a ratio metric).
- *lift* is treatment − control (``diff``, in the metric's unit) and the relative lift is
  treatment / control − 1 (share, 0.05 = +5 %). Intervals are two-sided at level 1 − alpha.
- sample variances of per-user outcomes use ddof = 1, except the conversion z-test, which uses
  p(1 − p)/n as statsmodels does.
- conversion: two-proportion z-test; the p-value uses the pooled standard error
  (H0: equal rates, identical to ``statsmodels.stats.proportion.proportions_ztest``); the
  interval uses the unpooled (Wald) standard error, identical to statsmodels'
  ``confint_proportions_2indep(method="wald")``. So ``se`` is the unpooled one.
- revenue and orders per user: Welch t-test, identical to ``scipy.stats.ttest_ind(...,
  equal_var=False)``; intervals use the Welch–Satterthwaite degrees of freedom.
- AOV: delta method on the ratio of means per arm (per-user revenue and orders and their
  covariance), normal reference distribution.
- relative lift: delta method, Var(m_t/m_c) ≈ v_t/m_c² + m_t² v_c/m_c⁴ (v = variance of each
  arm's mean), with the same critical value as the absolute interval. It is reported as NaN
  with ``relative_undefined = True`` when the control mean is not clearly above zero
  (m_c ≤ z·se(m_c), Fieller's condition for a bounded ratio interval) instead of a huge number.
- CUPED: one covariate x per user (e.g. pre-period revenue); theta is the pooled *within-arm*
  covariance over the pooled within-arm variance of x (so a treatment effect does not leak
  into theta); adjusted means are ȳ − θ(x̄_arm − x̄_both arms); ``variance_reduction`` is
  1 − Var(adjusted diff)/Var(unadjusted diff).
- the arrays in :class:`ArmStats` may be numpy arrays of one shape instead of scalars: every
  test then works element-wise on a batch of experiments (used by the seeded simulations),
  and result fields have that shape.

Codes (metrics, tests, decisions, reasons) are English snake_case; display text lives with the
notebook's translations.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, stats

from wxshop.analysis.paid import require_columns

__all__ = [
    "AOV",
    "CONVERSION",
    "DECISIONS",
    "METRICS",
    "ORDERS_PER_USER",
    "REASONS",
    "REVENUE_PER_USER",
    "ArmStats",
    "BayesResult",
    "BootstrapResult",
    "Decision",
    "MetricResult",
    "MultipleTestingResult",
    "NonInferiorityResult",
    "PowerResult",
    "SRMResult",
    "achieved_power",
    "adjust_pvalues",
    "aov_test",
    "arm_stats_from_counts",
    "arm_stats_from_users",
    "arms_frame",
    "bayes_conversion",
    "bayes_means",
    "bootstrap_diff",
    "compare",
    "compare_arms",
    "conversion_test",
    "cs_radius",
    "cuped_test",
    "days_to_sample",
    "decide",
    "mean_test",
    "minimum_detectable_effect",
    "non_inferiority",
    "power_analysis",
    "results_frame",
    "sample_size_per_arm",
    "sequential_test",
    "srm_check",
    "tuned_mixing_variance",
]

FloatLike = float | np.ndarray  # a scalar, or an array for a batch of simulated experiments

# Column names of the per-user table (other modules build it with these names).
VARIANT = "variant"
REVENUE = "revenue"  # CNY in the metric window
ORDERS = "orders"  # paid orders in the metric window
CONVERTED = "converted"  # 0/1 or bool

# Metric codes.
CONVERSION = "conversion"
REVENUE_PER_USER = "revenue_per_user"
ORDERS_PER_USER = "orders_per_user"
AOV = "aov"
METRICS = (CONVERSION, REVENUE_PER_USER, ORDERS_PER_USER, AOV)
Metric = Literal["conversion", "revenue_per_user", "orders_per_user", "aov"]
UserMetric = Literal["conversion", "revenue_per_user", "orders_per_user"]

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
    "power_unknown",
    "effect_below_target_mde",
    "target_sample_reached",
    "underpowered_keep_collecting",
    "target_sample_out_of_reach",
)

SRM_THRESHOLD = 0.001  # p-value below which the split is called a sample-ratio mismatch


def _out(x: Any) -> Any:
    """Python float for a 0-d value, the array otherwise."""
    a = np.asarray(x, dtype=float)
    return float(a) if a.ndim == 0 else a


def _out_bool(x: Any) -> Any:
    a = np.asarray(x, dtype=bool)
    return bool(a) if a.ndim == 0 else a


def _plain(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


class _Result:
    """``to_dict`` (JSON-able) and ``to_frame`` for the frozen result dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def to_frame(self) -> pd.DataFrame:
        """One row; a result with per-arm or batched fields gives one row per element."""
        d = self.to_dict()
        if any(isinstance(v, list) for v in d.values()):
            return pd.DataFrame(d)
        return pd.DataFrame([d])


def results_frame(results: Iterable[_Result]) -> pd.DataFrame:
    """Stack results (e.g. several :class:`MetricResult`) into one tidy frame."""
    frames = [r.to_frame() for r in results]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


# ====================================================================== sufficient stats

_NAN = math.nan


@dataclass(frozen=True)
class ArmStats(_Result):
    """Sufficient statistics of one arm.

    n: assigned users. conversions: users with at least one paid order (or the given 0/1
    flag). revenue_*: sums over users of revenue r (CNY) and r²; orders_*: of orders o and o²;
    revenue_orders_sum: Σ r·o (for the AOV delta method). covariate_*: Σ x, Σ x², Σ x·r,
    Σ x·o, Σ x·c for the CUPED covariate x (e.g. pre-period revenue, CNY). revenue_cap: the
    cap applied to per-user revenue (CNY), NaN when uncapped. Unknown sums are NaN.
    """

    arm: str
    n: FloatLike
    conversions: FloatLike
    revenue_sum: FloatLike = _NAN
    revenue_sumsq: FloatLike = _NAN
    orders_sum: FloatLike = _NAN
    orders_sumsq: FloatLike = _NAN
    revenue_orders_sum: FloatLike = _NAN
    covariate_sum: FloatLike = _NAN
    covariate_sumsq: FloatLike = _NAN
    covariate_revenue_sum: FloatLike = _NAN
    covariate_orders_sum: FloatLike = _NAN
    covariate_conversion_sum: FloatLike = _NAN
    revenue_cap: float = _NAN

    def sums(self, metric: UserMetric) -> tuple[FloatLike, FloatLike, FloatLike]:
        """(Σ y, Σ y², Σ x·y) of a per-user metric y."""
        if metric == CONVERSION:  # y is 0/1, so y² = y
            return self.conversions, self.conversions, self.covariate_conversion_sum
        if metric == REVENUE_PER_USER:
            return self.revenue_sum, self.revenue_sumsq, self.covariate_revenue_sum
        if metric == ORDERS_PER_USER:
            return self.orders_sum, self.orders_sumsq, self.covariate_orders_sum
        raise ValueError(f"metric must be one of {CONVERSION}, {REVENUE_PER_USER}, {ORDERS_PER_USER}; "
                         f"got {metric!r}")

    def has(self, metric: str, cuped: bool = False) -> bool:
        """True when the sums needed for ``metric`` (and CUPED) are all known."""
        if metric == AOV:
            needed = [self.revenue_sum, self.revenue_sumsq, self.orders_sum, self.orders_sumsq,
                      self.revenue_orders_sum]
        else:
            s, ss, sxy = self.sums(metric)  # type: ignore[arg-type]
            needed = [s, ss] + ([sxy, self.covariate_sum, self.covariate_sumsq] if cuped else [])
        return all(bool(np.all(np.isfinite(v))) for v in needed)

    def mean(self, metric: Metric) -> FloatLike:
        """Per-user mean (share 0–1, CNY, orders) or, for ``aov``, CNY per order."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if metric == AOV:
                return _out(np.asarray(self.revenue_sum, float) / np.asarray(self.orders_sum, float))
            return _out(np.asarray(self.sums(metric)[0], float) / np.asarray(self.n, float))

    def variance(self, metric: UserMetric) -> FloatLike:
        """Sample variance (ddof 1) of the per-user metric."""
        s, ss, _ = self.sums(metric)
        return _out(_var(self.n, s, ss))

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        for m in METRICS:
            d[f"mean_{m}"] = _plain(self.mean(m)) if self.has(m) else _NAN
        return d


def _var(n: Any, s: Any, ss: Any) -> np.ndarray:
    n, s, ss = (np.asarray(a, dtype=float) for a in (n, s, ss))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.maximum((ss - s * s / n) / (n - 1), 0.0)


def _cov(n: Any, sx: Any, sy: Any, sxy: Any) -> np.ndarray:
    n, sx, sy, sxy = (np.asarray(a, dtype=float) for a in (n, sx, sy, sxy))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (sxy - sx * sy / n) / (n - 1)


def arms_frame(arms: Mapping[str, ArmStats] | Iterable[ArmStats]) -> pd.DataFrame:
    """One row per arm: the sums and the means of every metric that can be computed."""
    values = arms.values() if isinstance(arms, Mapping) else arms
    return results_frame(values)


def arm_stats_from_users(
    users: pd.DataFrame,
    arm_col: str = VARIANT,
    *,
    revenue_col: str | None = REVENUE,
    orders_col: str | None = ORDERS,
    converted_col: str | None = None,
    covariate_col: str | None = None,
    cap_percentile: float | None = None,
    cap_ignore_zeros: bool = True,
) -> dict[str, ArmStats]:
    """Summarise a per-user outcome table into one :class:`ArmStats` per arm.

    Parameters
    ----------
    users : one row per assigned user with ``arm_col`` and the outcome columns below. Missing
        revenue, orders or covariate values count as 0 (no purchase in the window).
    arm_col : the arm (variant) of each user.
    revenue_col : revenue in the metric window, CNY; None if unknown.
    orders_col : paid orders in the metric window; None if unknown.
    converted_col : 0/1 conversion flag; by default orders > 0 (or revenue > 0 without orders).
    covariate_col : CUPED covariate, e.g. pre-period revenue in CNY; None for no CUPED.
    cap_percentile : cap per-user revenue at this percentile (0–100, e.g. 99) of the pooled
        data of all arms, so the cap is the same in every arm; None for no cap.
    cap_ignore_zeros : take the percentile over users with positive revenue only (most users
        buy nothing, so the percentile over everyone would cap ordinary orders).

    Returns
    -------
    dict arm → ArmStats, arms in sorted order.
    """
    what = "arm_stats_from_users"
    cols = [c for c in (arm_col, revenue_col, orders_col, converted_col, covariate_col) if c]
    require_columns(users, cols, what)
    arm = users[arm_col]
    if arm.isna().any():
        raise ValueError(f"{what}: {int(arm.isna().sum())} user(s) have no {arm_col}")
    if converted_col is None and orders_col is None and revenue_col is None:
        raise ValueError(f"{what} needs at least one of converted_col, orders_col, revenue_col")

    def col(name: str | None) -> np.ndarray | None:
        if name is None:
            return None
        return pd.to_numeric(users[name], errors="raise").astype(float).fillna(0.0).to_numpy()

    r, o, x = col(revenue_col), col(orders_col), col(covariate_col)
    cap = _NAN
    if cap_percentile is not None:
        if r is None:
            raise ValueError(f"{what}: cap_percentile needs revenue_col")
        if not 0 < cap_percentile <= 100:
            raise ValueError(f"cap_percentile is a percentile in (0, 100], got {cap_percentile}")
        pool = r[r > 0] if cap_ignore_zeros else r
        if pool.size:
            cap = float(np.percentile(pool, cap_percentile))
            r = np.minimum(r, cap)
    if converted_col is not None:
        c = col(converted_col)
        assert c is not None
        if not np.isin(c, (0.0, 1.0)).all():
            raise ValueError(f"{what}: {converted_col} must be 0/1 or bool")
    else:
        c = ((o if o is not None else r) > 0).astype(float)  # type: ignore[operator]

    parts: dict[str, np.ndarray] = {"n": np.ones(len(users)), "conversions": c}
    if r is not None:
        parts |= {"revenue_sum": r, "revenue_sumsq": r * r}
    if o is not None:
        parts |= {"orders_sum": o, "orders_sumsq": o * o}
    if r is not None and o is not None:
        parts["revenue_orders_sum"] = r * o
    if x is not None:
        parts |= {"covariate_sum": x, "covariate_sumsq": x * x, "covariate_conversion_sum": x * c}
        if r is not None:
            parts["covariate_revenue_sum"] = x * r
        if o is not None:
            parts["covariate_orders_sum"] = x * o
    sums = pd.DataFrame(parts).groupby(arm.to_numpy(), sort=True).sum()
    out: dict[str, ArmStats] = {}
    for name, row in sums.iterrows():  # one iteration per arm, not per user
        kw = {k: float(v) for k, v in row.items()}
        kw["n"], kw["conversions"] = int(kw["n"]), int(kw["conversions"])
        out[str(name)] = ArmStats(arm=str(name), revenue_cap=cap, **kw)
    return out


def arm_stats_from_counts(
    arm: str,
    users: int,
    conversions: int,
    *,
    revenue_sum: float | None = None,
    revenue_sumsq: float | None = None,
    orders_sum: float | None = None,
    orders_sumsq: float | None = None,
) -> ArmStats:
    """One arm from dashboard counts.

    Parameters
    ----------
    users, conversions : assigned users and converters (users with an order).
    revenue_sum, revenue_sumsq : Σ revenue (CNY) and Σ revenue² (CNY²) over users, if known;
        revenue per user needs both.
    orders_sum, orders_sumsq : Σ orders and Σ orders² over users, if known.
    """
    if users < 1 or not 0 <= conversions <= users:
        raise ValueError(f"arm {arm!r}: need users >= 1 and 0 <= conversions <= users "
                         f"(got {users}, {conversions})")
    for name, s, ss in (("revenue", revenue_sum, revenue_sumsq), ("orders", orders_sum, orders_sumsq)):
        if s is not None and ss is not None and ss < s * s / users * (1 - 1e-12):
            raise ValueError(f"arm {arm!r}: {name} sum of squares {ss} is below sum²/users = "
                             f"{s * s / users}; check the numbers")

    def f(v: float | None) -> float:
        return _NAN if v is None else float(v)

    return ArmStats(arm=arm, n=int(users), conversions=int(conversions),
                    revenue_sum=f(revenue_sum), revenue_sumsq=f(revenue_sumsq),
                    orders_sum=f(orders_sum), orders_sumsq=f(orders_sumsq))


# ====================================================================================== SRM


@dataclass(frozen=True)
class SRMResult(_Result):
    """Sample-ratio mismatch check: chi-square goodness of fit of users per arm.

    users, expected: per arm (users); planned_share, observed_share: per arm (0–1).
    mismatch: p_value < threshold — the assignment or logging is broken and the results are
    not to be trusted.
    """

    arms: tuple[str, ...]
    users: tuple[int, ...]
    expected: tuple[float, ...]
    planned_share: tuple[float, ...]
    observed_share: tuple[float, ...]
    chi2: float
    df: int
    p_value: float
    threshold: float
    mismatch: bool


def srm_check(
    users: Mapping[str, ArmStats | int],
    planned_split: Mapping[str, float] | Sequence[float],
    *,
    threshold: float = SRM_THRESHOLD,
) -> SRMResult:
    """Chi-square test of the users per arm against the planned split.

    Parameters
    ----------
    users : arm → ArmStats or user count.
    planned_split : arm → planned share (or weights in the order of ``users``); normalised
        to sum to one.
    threshold : p-value below which a mismatch is flagged (0.001 by convention, since SRM
        checks run on every experiment and a false alarm stops a good one).
    """
    arms = tuple(users)
    obs = np.array([u.n if isinstance(u, ArmStats) else u for u in users.values()], dtype=float)
    if isinstance(planned_split, Mapping):
        missing = [a for a in arms if a not in planned_split]
        if missing:
            raise ValueError(f"planned_split has no share for arm(s) {', '.join(missing)}")
        w = np.array([planned_split[a] for a in arms], dtype=float)
    else:
        w = np.asarray(planned_split, dtype=float)
    if w.shape != obs.shape or len(arms) < 2 or (w <= 0).any():
        raise ValueError("planned_split needs one positive share per arm (at least two arms)")
    share = w / w.sum()
    expected = share * obs.sum()
    chi2, p = stats.chisquare(obs, expected)
    return SRMResult(arms, tuple(int(v) for v in obs), tuple(float(v) for v in expected),
                     tuple(float(v) for v in share), tuple(float(v) for v in obs / obs.sum()),
                     float(chi2), len(arms) - 1, float(p), threshold, bool(p < threshold))


# =========================================================================== metric tests


@dataclass(frozen=True)
class MetricResult(_Result):
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
    theta: FloatLike = _NAN
    variance_reduction: FloatLike = _NAN
    mixing_variance: float = _NAN

    @property
    def significant(self) -> bool | np.ndarray:
        """p_value < alpha."""
        return _out_bool(np.asarray(self.p_value) < self.alpha)


def _crit(alpha: float, df: Any) -> np.ndarray:
    """Two-sided critical value; df = inf means the normal distribution."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        t = stats.t.isf(alpha / 2, np.where(np.isfinite(df), df, 1.0))
    return np.where(np.isinf(df), stats.norm.isf(alpha / 2), np.where(np.isnan(df), np.nan, t))


def _p_two_sided(stat: Any, df: Any) -> np.ndarray:
    stat, df = np.asarray(stat, dtype=float), np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        t = 2 * stats.t.sf(np.abs(stat), np.where(np.isfinite(df), df, 1.0))
    return np.where(np.isinf(df), 2 * stats.norm.sf(np.abs(stat)), np.where(np.isnan(df), np.nan, t))


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
    crit = _crit(alpha, df)
    rel, rel_se, undefined = _relative(m_c, m_t, v_c, v_t, crit)
    return MetricResult(
        metric=metric, test=test, control=control.arm, treatment=treatment.arm,
        n_control=_out(n_c), n_treatment=_out(n_t), mean_control=_out(m_c), mean_treatment=_out(m_t),
        sd_control=_out(np.sqrt(v_c * n_c)), sd_treatment=_out(np.sqrt(v_t * n_t)),
        diff=_out(diff), se=_out(se), ci_low=_out(diff - crit * se), ci_high=_out(diff + crit * se),
        statistic=_out(statistic), df=_out(np.broadcast_to(df, diff.shape)), p_value=_out(p_value),
        rel_lift=_out(rel), rel_se=_out(rel_se), rel_ci_low=_out(rel - crit * rel_se),
        rel_ci_high=_out(rel + crit * rel_se), relative_undefined=_out_bool(undefined), alpha=alpha,
        **{k: _out(v) for k, v in extra.items()},
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
                     v_t=v_t, statistic=t, p_value=_p_two_sided(t, df), df=df, alpha=alpha, **extra)


def mean_test(
    control: ArmStats,
    treatment: ArmStats,
    metric: Literal["revenue_per_user", "orders_per_user"] = "revenue_per_user",
    *,
    alpha: float = 0.05,
) -> MetricResult:
    """Welch t-test on a per-user mean (revenue in CNY per user, or orders per user).

    Same as ``scipy.stats.ttest_ind(treatment, control, equal_var=False)`` on the raw values;
    the interval uses the Welch–Satterthwaite degrees of freedom. Relative lift by the delta
    method with the same t critical value.
    """
    if metric not in (REVENUE_PER_USER, ORDERS_PER_USER):
        raise ValueError(f"mean_test metric must be revenue_per_user or orders_per_user, got {metric!r}")
    for arm in (control, treatment):
        _check_has(arm, metric)
    return _welch(metric, "welch_t", control, treatment, np.asarray(control.mean(metric)),
                  np.asarray(treatment.mean(metric)), np.asarray(control.variance(metric)),
                  np.asarray(treatment.variance(metric)), alpha)


def _aov_arm(a: ArmStats) -> tuple[np.ndarray, np.ndarray]:
    """AOV (CNY per order) of one arm and the delta-method variance of that ratio."""
    n = np.asarray(a.n, float)
    rs, os_ = np.asarray(a.revenue_sum, float), np.asarray(a.orders_sum, float)
    var_r, var_o = _var(n, rs, a.revenue_sumsq), _var(n, os_, a.orders_sumsq)
    cov = _cov(n, rs, os_, a.revenue_orders_sum)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rs / os_
        mean_o = os_ / n
        v = (var_r - 2 * ratio * cov + ratio**2 * var_o) / (n * mean_o**2)
    return ratio, np.maximum(v, 0.0)


def aov_test(control: ArmStats, treatment: ArmStats, *, alpha: float = 0.05) -> MetricResult:
    """Average order value (CNY per order = Σ revenue / Σ orders) as a ratio metric.

    Per arm, Var(R̄/Ō) ≈ [Var(r) − 2·AOV·Cov(r, o) + AOV²·Var(o)] / (n·Ō²) over users (delta
    method; users are the randomisation unit, so orders of one user are not independent).
    Normal z-test and interval; relative lift by the delta method.
    """
    for arm in (control, treatment):
        _check_has(arm, AOV)
    m_c, v_c = _aov_arm(control)
    m_t, v_t = _aov_arm(treatment)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (m_t - m_c) / np.sqrt(v_c + v_t)
    return _assemble(AOV, "delta_ratio_z", control, treatment, n_c=control.n, n_t=treatment.n,
                     m_c=m_c, m_t=m_t, v_c=v_c, v_t=v_t, statistic=z,
                     p_value=2 * stats.norm.sf(np.abs(z)), df=np.inf, alpha=alpha)


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
        return n, s, sx, _var(n, s, ss), _var(n, sx, sxx), _cov(n, sx, s, sxy)

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
    """The standard test of ``metric``; with ``cuped`` the CUPED test (not for ``aov``)."""
    if metric == CONVERSION and not cuped:
        return conversion_test(control, treatment, alpha=alpha)
    if metric == AOV:
        return aov_test(control, treatment, alpha=alpha)
    if cuped:
        return cuped_test(control, treatment, metric, alpha=alpha)
    if metric in (REVENUE_PER_USER, ORDERS_PER_USER):
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
    """
    if control not in arms:
        raise KeyError(f"control arm {control!r} not among {', '.join(arms)}")
    c = arms[control]
    chosen = list(metrics) if metrics is not None else [m for m in METRICS if c.has(m)]
    out = []
    for name, t in arms.items():
        if name == control:
            continue
        for m in chosen:
            use_cuped = cuped and m != AOV and c.has(m, True) and t.has(m, True)
            out.append(compare(c, t, m, alpha=alpha, cuped=use_cuped))
    return results_frame(out)


# ============================================================================== bootstrap


@dataclass(frozen=True)
class BootstrapResult(_Result):
    """Percentile bootstrap of the difference (and ratio − 1) of two means.

    diff: observed mean_treatment − mean_control (metric unit); [ci_low, ci_high]: percentile
    interval; se: SD of the bootstrap differences; rel_*: the same for the relative lift.
    """

    n_boot: int
    seed: int
    alpha: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    rel_lift: float
    rel_ci_low: float
    rel_ci_high: float
    method: str = "percentile"


def bootstrap_diff(
    control: ArrayLike,
    treatment: ArrayLike,
    *,
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
    max_cells: int = 4_000_000,
) -> BootstrapResult:
    """Percentile bootstrap interval of mean(treatment) − mean(control), e.g. revenue per user.

    Users are resampled with replacement within each arm (numpy ``Generator(PCG64(seed))``),
    ``n_boot`` resamples drawn as index matrices in chunks of at most ``max_cells`` indices.
    A robustness check for heavy-tailed revenue next to the Welch interval.
    """
    c = np.asarray(control, dtype=float)
    t = np.asarray(treatment, dtype=float)
    if c.size < 2 or t.size < 2:
        raise ValueError("bootstrap_diff needs at least two users per arm")
    rng = np.random.default_rng(seed)
    chunk = max(1, max_cells // (c.size + t.size))
    mc, mt = np.empty(n_boot), np.empty(n_boot)
    for start in range(0, n_boot, chunk):  # loop over chunks of resamples, not over users
        k = min(chunk, n_boot - start)
        mc[start:start + k] = c[rng.integers(0, c.size, size=(k, c.size))].mean(axis=1)
        mt[start:start + k] = t[rng.integers(0, t.size, size=(k, t.size))].mean(axis=1)
    d = mt - mc
    q = [alpha / 2, 1 - alpha / 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = mt / mc - 1
        rel_obs = t.mean() / c.mean() - 1
    ok = bool(np.all(mc > 0))
    lo_r, hi_r = np.quantile(rel, q) if ok else (np.nan, np.nan)
    lo, hi = np.quantile(d, q)
    return BootstrapResult(n_boot, seed, alpha, float(t.mean() - c.mean()), float(d.std(ddof=1)),
                           float(lo), float(hi), float(rel_obs) if ok else np.nan, float(lo_r),
                           float(hi_r))


# ===================================================================== multiple testing


@dataclass(frozen=True)
class MultipleTestingResult(_Result):
    """Adjusted p-values (same order as given); reject: p_adjusted <= alpha."""

    method: str
    alpha: float
    p_value: tuple[float, ...]
    p_adjusted: tuple[float, ...]
    reject: tuple[bool, ...]


def adjust_pvalues(
    p_values: ArrayLike, method: Literal["holm", "bh"] = "holm", *, alpha: float = 0.05
) -> MultipleTestingResult:
    """Holm (family-wise error) or Benjamini–Hochberg (false discovery rate) adjustment.

    Equal to ``statsmodels.stats.multitest.multipletests`` with ``"holm"`` / ``"fdr_bh"``.
    NaN p-values stay NaN and do not count towards the number of tests.
    """
    p = np.asarray(p_values, dtype=float).ravel()
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    order = np.argsort(q, kind="mergesort")
    ps = q[order]
    if method == "holm":
        adj_sorted = np.minimum(np.maximum.accumulate(ps * np.arange(m, 0, -1)), 1.0)
    elif method == "bh":
        adj_sorted = np.minimum(np.minimum.accumulate((ps * m / np.arange(1, m + 1))[::-1])[::-1], 1.0)
    else:
        raise ValueError(f"method must be 'holm' or 'bh', got {method!r}")
    adj = np.full(p.shape, np.nan)
    sub = np.empty(m)
    sub[order] = adj_sorted
    adj[ok] = sub
    reject = ok & (np.nan_to_num(adj, nan=2.0) <= alpha)
    return MultipleTestingResult(method, alpha, tuple(float(v) for v in p), tuple(float(v) for v in adj),
                                 tuple(bool(v) for v in reject))


# ======================================================================= non-inferiority


@dataclass(frozen=True)
class NonInferiorityResult(_Result):
    """Guardrail check: is the treatment no worse than control by more than ``margin``?

    estimate, bound: lift (absolute, or relative share) and its one-sided confidence bound on
    the harmful side. p_value: one-sided test of H0 "worse by at least the margin".
    non_inferior: p_value < alpha (one-sided). significantly_worse: the two-sided interval of
    the lift lies wholly on the harmful side of zero. undefined: relative margin but the
    relative lift is undefined (control mean near zero).
    """

    metric: str
    treatment: str
    margin: float
    margin_type: str
    higher_is_better: bool
    estimate: float
    bound: float
    p_value: float
    alpha: float
    non_inferior: bool
    significantly_worse: bool
    undefined: bool


def non_inferiority(
    result: MetricResult,
    margin: float,
    *,
    margin_type: Literal["relative", "absolute"] = "relative",
    higher_is_better: bool = True,
    alpha: float | None = None,
) -> NonInferiorityResult:
    """Non-inferiority test of a guardrail metric.

    Parameters
    ----------
    result : the metric's test (scalar, not sequential).
    margin : largest acceptable harm, >= 0: a share of the control mean (0.02 = 2 %) for
        ``relative``, or in the metric's unit for ``absolute``.
    higher_is_better : False for metrics where an increase is harm (e.g. refund rate).
    alpha : one-sided level; default ``result.alpha / 2``, so that the call agrees with
        "the two-sided (1 − alpha) interval clears the margin".
    """
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    a = result.alpha / 2 if alpha is None else alpha
    if margin_type == "relative":
        est, se, undefined = result.rel_lift, result.rel_se, bool(result.relative_undefined)
    elif margin_type == "absolute":
        est, se, undefined = result.diff, result.se, False
    else:
        raise ValueError(f"margin_type must be 'relative' or 'absolute', got {margin_type!r}")
    sign = 1.0 if higher_is_better else -1.0
    df = float(result.df)
    crit = float(_crit(2 * a, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = (sign * est + margin) / se
    p = float(_p_two_sided(stat, df)) / 2 if stat >= 0 else 1 - float(_p_two_sided(stat, df)) / 2
    if undefined or not np.isfinite(stat):
        p = np.nan
    bound = est - sign * crit * se
    worse = (result.ci_high < 0) if higher_is_better else (result.ci_low > 0)
    return NonInferiorityResult(result.metric, result.treatment, margin, margin_type, higher_is_better,
                                float(est), float(bound), float(p), a, bool(p < a), bool(worse), undefined)


# ============================================================================== Bayesian


@dataclass(frozen=True)
class BayesResult(_Result):
    """Bayesian view of treatment vs control.

    prob_treatment_better: posterior P(treatment mean > control mean), share 0–1.
    expected_loss_treatment: E[max(control − treatment, 0)], what shipping the treatment
    costs on average if it is worse (metric unit); expected_loss_control: the same for
    keeping control. mc_se_*: Monte Carlo standard errors (0 for closed forms).
    """

    metric: str
    method: str
    prob_treatment_better: float
    expected_loss_treatment: float
    expected_loss_control: float
    mc_se_prob: float
    mc_se_loss: float
    draws: int
    seed: int | None
    prior_alpha: float = _NAN
    prior_beta: float = _NAN


def bayes_conversion(
    control: ArmStats,
    treatment: ArmStats,
    *,
    prior_alpha: float = 1.0,
    prior_beta: float = 1.0,
    draws: int = 200_000,
    seed: int = 0,
) -> BayesResult:
    """Beta-Binomial posterior comparison of conversion rates by seeded Monte Carlo.

    Posterior per arm Beta(prior_alpha + conversions, prior_beta + users − conversions);
    ``draws`` joint draws give P(p_t > p_c) with Monte Carlo SE ≤ 0.5/√draws (0.0011 at the
    default 200,000) and the expected losses (share points 0–1) with their MC SE.
    """
    rng = np.random.default_rng(seed)
    pc = rng.beta(prior_alpha + control.conversions, prior_beta + control.n - control.conversions, draws)
    pt = rng.beta(prior_alpha + treatment.conversions, prior_beta + treatment.n - treatment.conversions,
                  draws)
    better = pt > pc
    loss_t = np.maximum(pc - pt, 0.0)
    loss_c = np.maximum(pt - pc, 0.0)
    prob = float(better.mean())
    return BayesResult(CONVERSION, "beta_binomial_mc", prob, float(loss_t.mean()), float(loss_c.mean()),
                       math.sqrt(prob * (1 - prob) / draws),
                       float(max(loss_t.std(), loss_c.std()) / math.sqrt(draws)), draws, seed,
                       prior_alpha, prior_beta)


def bayes_means(result: MetricResult) -> BayesResult:
    """Normal approximation for a difference in means (flat prior): D ~ N(diff, se²).

    P(D > 0) = Φ(diff/se); E[max(−D, 0)] = se·φ(diff/se) − diff·Φ(−diff/se) and
    E[max(D, 0)] = se·φ(diff/se) + diff·Φ(diff/se), in the metric's unit (closed form).
    Higher is taken to be better.
    """
    d, s = float(result.diff), float(result.se)
    z = d / s
    pdf = stats.norm.pdf(z)
    return BayesResult(result.metric, "normal_approx", float(stats.norm.cdf(z)),
                       float(s * pdf - d * stats.norm.cdf(-z)), float(s * pdf + d * stats.norm.cdf(z)),
                       0.0, 0.0, 0, None)


# ============================================================================ sequential


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
    return _out(_radius(np.asarray(pair_variance, dtype=float) / n, mixing_variance, alpha))


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
    return replace(base, test=f"msprt_{base.test}", ci_low=_out(diff - rad), ci_high=_out(diff + rad),
                   p_value=_out(p), rel_ci_low=_out(rel - rad_rel), rel_ci_high=_out(rel + rad_rel),
                   mixing_variance=tau2)


# ================================================================================= power


@dataclass(frozen=True)
class PowerResult(_Result):
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
        return _out(_power(np.abs(np.asarray(effect, float)) / np.asarray(se, float), alpha))


def minimum_detectable_effect(se: ArrayLike, *, alpha: float = 0.05, power: float = 0.8) -> FloatLike:
    """Smallest absolute effect found with probability ``power`` when the lift's SE is ``se``.

    Solves the two-sided power equation exactly (≈ (z_{1−alpha/2} + z_power)·se).
    """
    return _out(_standardised_mde(alpha, power) * np.asarray(se, dtype=float))


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


# ============================================================================== decision


@dataclass(frozen=True)
class Decision(_Result):
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
) -> Decision:
    """Map the primary metric, guardrails, SRM and power into one decision.

    Rules, first match wins:

    1. SRM flagged → ``inconclusive`` (the split is broken; fix it and rerun).
    2. primary p-value NaN → ``inconclusive``.
    3. primary significantly worse → ``dont_ship``.
    4. any guardrail significantly worse → ``dont_ship``.
    5. primary significantly better: every guardrail non-inferior → ``ship``; otherwise
       ``keep_running`` (guardrails not yet shown safe).
    6. primary not significant: no power analysis with a target → ``inconclusive``; target
       sample reached → ``dont_ship`` if the interval rules out the target MDE, else
       ``inconclusive``; not reached → ``keep_running`` if it is reachable within
       ``max_days_to_wait`` days, else ``inconclusive``.

    ``p_value`` overrides the primary's p-value (e.g. Holm-adjusted over variants).
    """
    p = float(primary.p_value if p_value is None else p_value)
    base = {"primary_metric": primary.metric, "treatment": primary.treatment, "p_value": p,
            "alpha": primary.alpha, "diff": float(primary.diff), "rel_lift": float(primary.rel_lift)}
    harmed = tuple(g.metric for g in guardrails if g.significantly_worse)
    unproven = tuple(g.metric for g in guardrails if not g.non_inferior and not g.significantly_worse)
    base |= {"harmed_guardrails": harmed, "unproven_guardrails": unproven}

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
