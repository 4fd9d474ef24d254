"""A/B test statistics on per-arm sufficient statistics, one family per module.

Every input form (experiment assignments plus orders, a per-user outcome table, counts typed
in from a dashboard) is first summarised into one :class:`ArmStats` per arm: users, converters
and the sums, sums of squares and cross-products of the per-user outcomes. Every test below
works on those sums only, except the bootstrap, which needs the raw per-user values.

Modules: :mod:`~wxshop.ab.stats.arms` (the sufficient statistics), :mod:`~wxshop.ab.stats.srm`
(sample-ratio mismatch), :mod:`~wxshop.ab.stats.frequentist` (z, Welch, delta-method and CUPED
tests), :mod:`~wxshop.ab.stats.bootstrap`, :mod:`~wxshop.ab.stats.multiple_testing`,
:mod:`~wxshop.ab.stats.non_inferiority`, :mod:`~wxshop.ab.stats.bayes`,
:mod:`~wxshop.ab.stats.sequential`, :mod:`~wxshop.ab.stats.power` and
:mod:`~wxshop.ab.stats.decision`; :mod:`~wxshop.ab.stats.metrics` holds the metric codes. This
package gathers their public names (``from wxshop.ab import stats as ab; ab.compare(...)``).

Conventions:

- a *user* is one assigned customer; per-user outcomes are measured over the metric window
  after assignment. Metrics: ``conversion`` (share 0–1 of users with at least one paid order),
  ``revenue_per_user`` (CNY per assigned user, zeros included), ``orders_per_user`` (paid
  orders per assigned user), ``aov`` (笔单价, average order value, CNY per order = total
  revenue / total orders, a ratio metric), ``spend_per_buyer`` (客单价, CNY per converting user
  = total revenue / converters, a ratio metric needing no orders) and ``profit_per_user``
  (gross profit, CNY per assigned user: revenue − cost of goods − coupon cost not already
  taken off revenue, :mod:`wxshop.ab.profit`).
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
- AOV and spend per buyer: delta method on the ratio of means per arm (per-user revenue and
  orders, or the 0/1 conversion flag, and their covariance), normal reference distribution.
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

from wxshop.ab.stats.arms import ArmStats, arm_stats_from_counts, arm_stats_from_users, arms_frame
from wxshop.ab.stats.bayes import BayesResult, bayes_conversion, bayes_means
from wxshop.ab.stats.bootstrap import BootstrapResult, bootstrap_diff
from wxshop.ab.stats.decision import DECISIONS, REASONS, Decision, decide
from wxshop.ab.stats.frequentist import (
    MetricResult,
    aov_test,
    compare,
    compare_arms,
    conversion_test,
    cuped_test,
    mean_test,
    spend_per_buyer_test,
)
from wxshop.ab.stats.metrics import (
    AOV,
    CONVERSION,
    METRICS,
    ORDERS_PER_USER,
    PROFIT_PER_USER,
    REVENUE_PER_USER,
    SPEND_PER_BUYER,
)
from wxshop.ab.stats.multiple_testing import MultipleTestingResult, adjust_pvalues
from wxshop.ab.stats.non_inferiority import NonInferiorityResult, non_inferiority
from wxshop.ab.stats.power import (
    PowerResult,
    achieved_power,
    days_to_sample,
    minimum_detectable_effect,
    power_analysis,
    sample_size_per_arm,
)
from wxshop.ab.stats.result_base import results_frame
from wxshop.ab.stats.sequential import cs_radius, sequential_test, tuned_mixing_variance
from wxshop.ab.stats.srm import SRMResult, srm_check

__all__ = [
    "AOV",
    "CONVERSION",
    "DECISIONS",
    "METRICS",
    "ORDERS_PER_USER",
    "PROFIT_PER_USER",
    "REASONS",
    "REVENUE_PER_USER",
    "SPEND_PER_BUYER",
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
    "spend_per_buyer_test",
    "srm_check",
    "tuned_mixing_variance",
]
