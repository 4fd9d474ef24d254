"""Frequentist metric tests against statsmodels/scipy and by hand: conversion z-test, Welch t,
AOV delta method and CUPED."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from ab_samples import arm_arrays, covers, simulate_arm, users_table
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from wxshop.ab import stats as ab

TIGHT = 1e-9


@pytest.mark.parametrize(("x_c", "n_c", "x_t", "n_t"), [
    (480, 10_000, 540, 10_100), (12, 300, 25, 280), (3_000, 50_000, 2_900, 50_500)])
def test_conversion_matches_statsmodels(x_c, n_c, x_t, n_t):
    c, t = ab.arm_stats_from_counts("c", n_c, x_c), ab.arm_stats_from_counts("t", n_t, x_t)
    got = ab.conversion_test(c, t, alpha=0.05)
    z, p = proportions_ztest([x_t, x_c], [n_t, n_c])
    lo, hi = confint_proportions_2indep(x_t, n_t, x_c, n_c, method="wald", compare="diff", alpha=0.05)
    assert got.statistic == pytest.approx(z, rel=TIGHT)
    assert got.p_value == pytest.approx(p, rel=TIGHT)
    assert got.ci_low == pytest.approx(lo, rel=TIGHT)
    assert got.ci_high == pytest.approx(hi, rel=TIGHT)


def test_conversion_hand_computed_and_relative_lift():
    got = ab.conversion_test(ab.arm_stats_from_counts("c", 100, 10), ab.arm_stats_from_counts("t", 100, 20))
    se_pool = math.sqrt(0.15 * 0.85 * (1 / 100 + 1 / 100))
    assert got.statistic == pytest.approx(0.1 / se_pool, rel=1e-12)
    assert got.se == pytest.approx(math.sqrt(0.1 * 0.9 / 100 + 0.2 * 0.8 / 100), rel=1e-12)
    assert got.rel_lift == pytest.approx(1.0)
    # delta method: v_t/m_c² + m_t² v_c/m_c⁴ = 0.0016/0.01 + 0.04·0.0009/0.0001
    assert got.rel_se == pytest.approx(math.sqrt(0.16 + 0.36), rel=1e-12)
    assert got.rel_ci_low == pytest.approx(1 - 1.959963984540054 * math.sqrt(0.52), rel=1e-12)


def test_relative_lift_undefined_when_control_is_near_zero():
    zero = ab.conversion_test(ab.arm_stats_from_counts("c", 1000, 0), ab.arm_stats_from_counts("t", 1000, 7))
    assert zero.relative_undefined and math.isnan(zero.rel_lift) and math.isnan(zero.rel_ci_high)
    assert zero.diff == pytest.approx(0.007)
    one = ab.conversion_test(ab.arm_stats_from_counts("c", 1000, 1), ab.arm_stats_from_counts("t", 1000, 7))
    assert one.relative_undefined  # 1/1000 is within 1.96 SE of zero
    fine = ab.conversion_test(ab.arm_stats_from_counts("c", 1000, 50),
                              ab.arm_stats_from_counts("t", 1000, 70))
    assert not fine.relative_undefined and fine.rel_lift == pytest.approx(0.4)


# ============================================================================= Welch t


@pytest.mark.parametrize("metric, col", [("revenue_per_user", "revenue"), ("orders_per_user", "orders")])
def test_welch_matches_scipy_on_raw_data(metric, col):
    users = users_table()
    arms = ab.arm_stats_from_users(users)
    got = ab.mean_test(arms["control"], arms["treatment"], metric, alpha=0.1)
    c, t = arm_arrays(users, col)
    ref = stats.ttest_ind(t, c, equal_var=False)
    assert got.statistic == pytest.approx(ref.statistic, rel=TIGHT)
    assert got.p_value == pytest.approx(ref.pvalue, rel=TIGHT)
    assert got.df == pytest.approx(ref.df, rel=TIGHT)
    lo, hi = ref.confidence_interval(0.9)
    assert got.ci_low == pytest.approx(lo, rel=TIGHT)
    assert got.ci_high == pytest.approx(hi, rel=TIGHT)
    assert got.diff == pytest.approx(t.mean() - c.mean(), rel=TIGHT)


def test_compare_arms_is_each_variant_against_control():
    users = users_table()
    three = pd.concat([users, users.iloc[:500].assign(variant="treatment_b")], ignore_index=True)
    frame = ab.compare_arms(ab.arm_stats_from_users(three), "control")
    assert list(frame["treatment"].unique()) == ["treatment", "treatment_b"]
    assert list(frame["metric"][:4]) == ["conversion", "revenue_per_user", "orders_per_user", "aov"]
    assert list(frame["test"][:4]) == ["z_pooled", "welch_t", "welch_t", "delta_ratio_z"]


# ================================================================================== AOV


def test_aov_delta_variance_equals_linearised_per_user_variance():
    users = users_table()
    arms = ab.arm_stats_from_users(users)
    got = ab.aov_test(arms["control"], arms["treatment"])
    for arm, mean, sd in (("control", got.mean_control, got.sd_control),
                          ("treatment", got.mean_treatment, got.sd_treatment)):
        sub = users[users["variant"] == arm]
        r, o = sub["revenue"].to_numpy(), sub["orders"].to_numpy(float)
        aov = r.sum() / o.sum()
        linear = (r - aov * o) / o.mean()  # influence function of the ratio of means
        assert mean == pytest.approx(aov, rel=TIGHT)
        assert sd == pytest.approx(linear.std(ddof=1), rel=1e-9)


def test_aov_delta_method_agrees_with_brute_force_simulation():
    rng = np.random.default_rng(20240611)
    sims, n, sigma = 10_000, 2_000, 0.6
    c = simulate_arm(rng, "control", sims, n, 0.10, log_mu=4.00, log_sigma=sigma)
    t = simulate_arm(rng, "treatment", sims, n, 0.10, log_mu=4.05, log_sigma=sigma)
    res = ab.aov_test(c, t)
    true_c, true_t = math.exp(4.00 + sigma**2 / 2), math.exp(4.05 + sigma**2 / 2)
    sd_sim = np.std(res.diff, ddof=1)
    se_delta = math.sqrt(np.mean(res.se**2))
    rel_sd_sim = np.std(res.rel_lift, ddof=1)
    rel_se_delta = math.sqrt(np.mean(res.rel_se**2))
    cover = covers(res, true_t - true_c).mean()
    cover_rel = covers(res, true_t / true_c - 1, relative=True).mean()
    print(f"\nAOV: SD of diff over {sims} sims {sd_sim:.4f} vs delta SE {se_delta:.4f}; relative "
          f"{rel_sd_sim:.5f} vs {rel_se_delta:.5f}; coverage abs {cover:.4f} rel {cover_rel:.4f}")
    assert se_delta == pytest.approx(sd_sim, rel=0.03)  # SD of an SD over 10k sims is ~0.7 %
    assert rel_se_delta == pytest.approx(rel_sd_sim, rel=0.03)
    assert 0.94 <= cover <= 0.96
    assert 0.94 <= cover_rel <= 0.96


# ================================================================================ CUPED


def test_cuped_hand_computed():
    users = pd.DataFrame({"variant": ["c"] * 3 + ["t"] * 3, "revenue": [2.0, 4.0, 7.0, 3.0, 5.0, 8.0],
                          "orders": [1] * 6, "pre_revenue": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]})
    arms = ab.arm_stats_from_users(users, covariate_col="pre_revenue")
    got = ab.cuped_test(arms["c"], arms["t"], "revenue_per_user")
    # within-arm S_xy = 5 and S_xx = 2 in each arm → theta = 10/4; adjusted values
    # c: 4.5, 4, 4.5 and t: 5.5, 5, 5.5 (variance 1/12 each vs 19/3 unadjusted)
    assert got.theta == pytest.approx(2.5, rel=1e-12)
    assert got.diff == pytest.approx(1.0, rel=1e-12)
    assert got.mean_control == pytest.approx(13 / 3, rel=1e-12)
    assert got.se == pytest.approx(math.sqrt(1 / 36 + 1 / 36), rel=1e-12)
    assert got.variance_reduction == pytest.approx(75 / 76, rel=1e-12)
    assert got.df == pytest.approx(4.0, rel=1e-12)


@pytest.mark.parametrize("metric, col", [("revenue_per_user", "revenue"), ("conversion", None)])
def test_cuped_matches_direct_per_user_computation(metric, col):
    users = users_table(seed=11)
    users["converted"] = (users["orders"] > 0).astype(float)
    col = col or "converted"
    arms = ab.arm_stats_from_users(users, covariate_col="pre_revenue")
    got = ab.cuped_test(arms["control"], arms["treatment"], metric)
    y_c, y_t = arm_arrays(users, col)
    x_c, x_t = arm_arrays(users, "pre_revenue")
    s_xy = ((x_c - x_c.mean()) * (y_c - y_c.mean())).sum() + ((x_t - x_t.mean()) * (y_t - y_t.mean())).sum()
    s_xx = ((x_c - x_c.mean()) ** 2).sum() + ((x_t - x_t.mean()) ** 2).sum()
    theta = s_xy / s_xx
    x_bar = np.concatenate([x_c, x_t]).mean()
    adj_c, adj_t = y_c - theta * (x_c - x_bar), y_t - theta * (x_t - x_bar)
    ref = stats.ttest_ind(adj_t, adj_c, equal_var=False)
    assert got.theta == pytest.approx(theta, rel=TIGHT)
    assert got.mean_control == pytest.approx(adj_c.mean(), rel=TIGHT)
    assert got.mean_treatment == pytest.approx(adj_t.mean(), rel=TIGHT)
    assert got.statistic == pytest.approx(ref.statistic, rel=TIGHT)
    assert got.p_value == pytest.approx(ref.pvalue, rel=TIGHT)
    plain = stats.ttest_ind(y_t, y_c, equal_var=False)
    var_plain = (y_t.var(ddof=1) / y_t.size + y_c.var(ddof=1) / y_c.size)
    var_adj = (adj_t.var(ddof=1) / adj_t.size + adj_c.var(ddof=1) / adj_c.size)
    assert got.variance_reduction == pytest.approx(1 - var_adj / var_plain, rel=TIGHT)
    assert got.variance_reduction > 0
    assert abs(got.statistic) != pytest.approx(abs(plain.statistic), rel=1e-3)
