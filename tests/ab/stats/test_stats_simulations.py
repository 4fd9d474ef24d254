"""Seeded simulations of batched experiments: false-positive rates, coverage,
CUPED's variance reduction and peeking.

Run with ``-s`` to see the measured rates."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from ab_samples import binomial_arm, covers, simulate_arm, user_variance

from wxshop.ab import stats as ab
from wxshop.ab.stats import ArmStats

TIGHT = 1e-9


def test_aa_conversion_false_positive_rate_and_coverage():
    rng = np.random.default_rng(101)
    sims, n = 20_000, 5_000
    res = ab.conversion_test(binomial_arm(rng, "c", sims, n, 0.05), binomial_arm(rng, "t", sims, n, 0.05))
    fpr = float(np.mean(res.p_value < 0.05))
    cover = float(covers(res, 0.0).mean())
    print(f"\nA/A conversion, {sims} tests: false-positive rate {fpr:.4f}, 95% CI coverage {cover:.4f}")
    assert 0.04 <= fpr <= 0.06
    assert 0.94 <= cover <= 0.96


def test_aa_revenue_and_orders_false_positive_rate_and_coverage():
    rng = np.random.default_rng(202)
    sims, n = 10_000, 2_000
    c = simulate_arm(rng, "c", sims, n, 0.10, log_sigma=0.8)
    t = simulate_arm(rng, "t", sims, n, 0.10, log_sigma=0.8)
    for metric in ("revenue_per_user", "orders_per_user"):
        res = ab.mean_test(c, t, metric)
        fpr = float(np.mean(res.p_value < 0.05))
        cover = float(covers(res, 0.0).mean())
        print(f"\nA/A {metric}, {sims} tests: false-positive rate {fpr:.4f}, 95% CI coverage {cover:.4f}")
        assert 0.04 <= fpr <= 0.06
        assert 0.94 <= cover <= 0.96


def test_relative_lift_intervals_agree_with_simulation():
    rng = np.random.default_rng(303)
    sims, n, p_c, p_t = 20_000, 20_000, 0.05, 0.055
    res = ab.conversion_test(binomial_arm(rng, "c", sims, n, p_c), binomial_arm(rng, "t", sims, n, p_t))
    truth = p_t / p_c - 1
    cover_rel = float(covers(res, truth, relative=True).mean())
    cover_abs = float(covers(res, p_t - p_c).mean())
    sd_sim, se_delta = np.std(res.rel_lift, ddof=1), math.sqrt(np.mean(res.rel_se**2))
    print(f"\nconversion +10 %: relative CI coverage {cover_rel:.4f}, absolute {cover_abs:.4f}; "
          f"SD of relative lift {sd_sim:.5f} vs delta SE {se_delta:.5f}")
    assert se_delta == pytest.approx(sd_sim, rel=0.02)
    assert 0.94 <= cover_rel <= 0.96
    assert 0.94 <= cover_abs <= 0.96

    rng = np.random.default_rng(304)
    sims, n = 10_000, 4_000
    c = simulate_arm(rng, "c", sims, n, 0.10)
    t = simulate_arm(rng, "t", sims, n, 0.11)
    res = ab.mean_test(c, t, "revenue_per_user")
    cover_rel = float(covers(res, 0.1, relative=True).mean())
    sd_sim, se_delta = np.std(res.rel_lift, ddof=1), math.sqrt(np.mean(res.rel_se**2))
    print(f"revenue per user +10 %: relative CI coverage {cover_rel:.4f}; "
          f"SD of relative lift {sd_sim:.5f} vs delta SE {se_delta:.5f}")
    assert se_delta == pytest.approx(sd_sim, rel=0.03)
    assert 0.94 <= cover_rel <= 0.96


def test_aa_cuped_false_positive_rate_coverage_and_reduction():
    rng = np.random.default_rng(404)
    sims, n, rho = 10_000, 200, 0.8

    def arm(name: str) -> ArmStats:
        x = rng.normal(50.0, 10.0, (sims, n))
        y = 20.0 + rho * (x - 50.0) + rng.normal(0.0, 10.0 * math.sqrt(1 - rho**2), (sims, n))
        return ArmStats(name, n=np.full(sims, float(n)), conversions=np.zeros(sims),
                        revenue_sum=y.sum(1), revenue_sumsq=(y * y).sum(1), covariate_sum=x.sum(1),
                        covariate_sumsq=(x * x).sum(1), covariate_revenue_sum=(x * y).sum(1))

    res = ab.cuped_test(arm("c"), arm("t"), "revenue_per_user")
    fpr = float(np.mean(res.p_value < 0.05))
    cover = float(covers(res, 0.0).mean())
    reduction = float(np.mean(res.variance_reduction))
    print(f"\nA/A CUPED, {sims} tests: false-positive rate {fpr:.4f}, coverage {cover:.4f}, "
          f"mean variance reduction {reduction:.3f} (rho² = {rho**2:.2f})")
    assert 0.04 <= fpr <= 0.06
    assert 0.94 <= cover <= 0.96
    assert reduction == pytest.approx(rho**2, abs=0.02)


def test_peeking_daily_naive_inflates_sequential_does_not():
    rng = np.random.default_rng(505)
    sims, looks, daily = 4_000, 28, 200  # users per arm per day, one look per day
    planned = looks * daily
    n = np.broadcast_to(daily * np.arange(1, looks + 1, dtype=float), (sims, looks))

    def cumulative(arm: ArmStats) -> ArmStats:
        cols = ("conversions", "revenue_sum", "revenue_sumsq", "orders_sum", "orders_sumsq",
                "revenue_orders_sum")
        return replace(arm, n=n, **{k: np.cumsum(getattr(arm, k).reshape(sims, looks), axis=1) for k in cols})

    c = cumulative(simulate_arm(rng, "c", sims * looks, daily, 0.05, log_sigma=0.8))
    t = cumulative(simulate_arm(rng, "t", sims * looks, daily, 0.05, log_sigma=0.8))
    rates = {}
    for metric in ("conversion", "revenue_per_user"):
        naive = ab.compare(c, t, metric)
        # tau² fixed before the experiment: tuned at the planned sample with the true variance
        tau2 = ab.tuned_mixing_variance(planned, 2 * user_variance(metric, 0.05, 0.25, 4.0, 0.8))
        seq = ab.sequential_test(c, t, metric, mixing_variance=tau2)
        naive_fpr = float(np.mean((naive.p_value < 0.05).any(axis=1)))
        final_fpr = float(np.mean(naive.p_value[:, -1] < 0.05))
        seq_fpr = float(np.mean((seq.p_value < 0.05).any(axis=1)))
        seq_ci_fpr = float(np.mean(((seq.ci_low > 0) | (seq.ci_high < 0)).any(axis=1)))
        rates[metric] = (naive_fpr, seq_fpr)
        print(f"\npeeking {looks} daily looks, {sims} A/A tests, {metric}: naive false-positive rate "
              f"{naive_fpr:.4f} (last look only {final_fpr:.4f}), sequential {seq_fpr:.4f}")
        assert seq_fpr == seq_ci_fpr
        assert seq_fpr <= 0.05
        assert naive_fpr > 0.12
        assert 0.04 <= final_fpr <= 0.06
    assert all(naive > 2 * seq for naive, seq in rates.values())
