"""Bayesian view: Monte Carlo against numerical integration, closed form by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from ab_samples import metric_result
from scipy import integrate, stats

from wxshop.ab import stats as ab

TIGHT = 1e-9


def _beta_reference(a_c: float, b_c: float, a_t: float, b_t: float) -> tuple[float, float, float]:
    """P(p_t > p_c) and both expected losses by numerical integration."""
    fc, ft = stats.beta(a_c, b_c), stats.beta(a_t, b_t)
    lo = min(fc.ppf(1e-13), ft.ppf(1e-13))
    hi = max(fc.isf(1e-13), ft.isf(1e-13))
    opts = {"epsabs": 1e-13, "epsrel": 1e-11, "limit": 200}
    prob = integrate.quad(lambda x: ft.pdf(x) * fc.cdf(x), lo, hi, **opts)[0]
    # E[max(x − p, 0)] for p ~ Beta(a, b) is x·F(x) − a/(a+b)·F_{a+1,b}(x)
    def partial(a: float, b: float, x: float) -> float:
        return x * stats.beta.cdf(x, a, b) - a / (a + b) * stats.beta.cdf(x, a + 1, b)
    loss_t = integrate.quad(lambda x: fc.pdf(x) * partial(a_t, b_t, x), lo, hi, **opts)[0]
    loss_c = integrate.quad(lambda x: ft.pdf(x) * partial(a_c, b_c, x), lo, hi, **opts)[0]
    return prob, loss_t, loss_c


@pytest.mark.parametrize(("x_c", "n_c", "x_t", "n_t"), [(50, 1000, 62, 1000), (480, 10_000, 500, 9_800)])
def test_bayes_conversion_monte_carlo_matches_integration(x_c, n_c, x_t, n_t):
    c, t = ab.arm_stats_from_counts("c", n_c, x_c), ab.arm_stats_from_counts("t", n_t, x_t)
    got = ab.bayes_conversion(c, t, draws=400_000, seed=1)
    prob, loss_t, loss_c = _beta_reference(1 + x_c, 1 + n_c - x_c, 1 + x_t, 1 + n_t - x_t)
    assert got.prob_treatment_better == pytest.approx(prob, abs=4 * got.mc_se_prob)
    assert got.expected_loss_treatment == pytest.approx(loss_t, abs=4 * got.mc_se_loss)
    assert got.expected_loss_control == pytest.approx(loss_c, abs=4 * got.mc_se_loss)
    assert got.mc_se_prob <= 0.5 / math.sqrt(400_000)


def test_bayes_means_closed_form():
    r = metric_result(metric="revenue_per_user", diff=0.0, se=2.0)
    got = ab.bayes_means(r)
    assert got.prob_treatment_better == 0.5
    assert got.expected_loss_treatment == pytest.approx(2.0 / math.sqrt(2 * math.pi), rel=1e-12)
    r = metric_result(metric="revenue_per_user", diff=1.5, se=0.8)
    got = ab.bayes_means(r)
    draws = np.random.default_rng(0).normal(1.5, 0.8, 1_000_000)
    assert got.prob_treatment_better == pytest.approx((draws > 0).mean(), abs=0.002)
    assert got.expected_loss_treatment == pytest.approx(np.maximum(-draws, 0).mean(), abs=0.001)
    assert got.expected_loss_control == pytest.approx(np.maximum(draws, 0).mean(), abs=0.003)
