"""A/B statistics: hand fixtures, same-method cross-checks, seeded simulations.

The simulations build per-arm sufficient statistics for thousands of experiments at once
(batched ArmStats) and are kept in the normal suite; run with ``-s`` to see the measured
false-positive rates and coverages.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower, zt_ind_solve_power
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from wxshop.ab import stats as ab
from wxshop.ab.stats import ArmStats

TIGHT = 1e-9


# ================================================================================ helpers


def _users(seed: int = 7, n: int = 4000) -> pd.DataFrame:
    """A per-user table with skewed revenue, orders and a correlated pre-period covariate."""
    rng = np.random.default_rng(seed)
    variant = np.where(rng.random(n) < 0.5, "control", "treatment")
    buy = rng.random(n) < np.where(variant == "treatment", 0.14, 0.12)
    orders = buy * (1 + rng.poisson(0.3, n))
    revenue = orders * rng.lognormal(4.0, 0.8, n)
    pre = 0.6 * revenue + rng.lognormal(3.0, 1.0, n) * (rng.random(n) < 0.4)
    return pd.DataFrame({"variant": variant, "revenue": revenue, "orders": orders, "pre_revenue": pre})


def _arrays(users: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    c = users.loc[users["variant"] == "control", col].to_numpy(float)
    t = users.loc[users["variant"] == "treatment", col].to_numpy(float)
    return c, t


def _simulate_arm(rng: np.random.Generator, arm: str, sims: int, n: int, conv: float,
                  extra_orders: float = 0.25, log_mu: float = 4.0, log_sigma: float = 0.6) -> ArmStats:
    """Sufficient statistics of ``sims`` independent arms of ``n`` users each (batched).

    Each user buys with probability ``conv``; a buyer places 1 + Poisson(extra_orders) orders
    of lognormal(log_mu, log_sigma) CNY each. Non-buyers add zero to every sum, so only
    buyers and their orders are drawn: exact in distribution and cheap.
    """
    k = rng.binomial(n, conv, size=sims)
    sim_of_buyer = np.repeat(np.arange(sims), k)
    orders = 1 + rng.poisson(extra_orders, size=k.sum())
    values = rng.lognormal(log_mu, log_sigma, size=orders.sum())
    revenue = np.bincount(np.repeat(np.arange(k.sum()), orders), weights=values, minlength=k.sum())

    def per_sim(w: np.ndarray) -> np.ndarray:
        return np.bincount(sim_of_buyer, weights=w, minlength=sims)

    o = orders.astype(float)
    return ArmStats(arm, n=np.full(sims, float(n)), conversions=k.astype(float),
                    revenue_sum=per_sim(revenue), revenue_sumsq=per_sim(revenue**2),
                    orders_sum=per_sim(o), orders_sumsq=per_sim(o**2),
                    revenue_orders_sum=per_sim(revenue * o))


def _user_variance(metric: str, conv: float, extra: float, log_mu: float, log_sigma: float) -> float:
    """True per-user variance of the metric under :func:`_simulate_arm`'s model."""
    if metric == "conversion":
        return conv * (1 - conv)
    m, s2 = math.exp(log_mu + log_sigma**2 / 2), math.exp(2 * log_mu + 2 * log_sigma**2)
    k1, k2 = 1 + extra, 1 + 3 * extra + extra**2  # E[K], E[K²] for K = 1 + Poisson(extra)
    r1, r2 = k1 * m, k1 * s2 + (k2 - k1) * m**2  # E[R], E[R²] for R = sum of K order values
    return conv * r2 - (conv * r1) ** 2


def _binomial_arm(rng: np.random.Generator, arm: str, sims: int, n: int, p: float) -> ArmStats:
    return ArmStats(arm, n=np.full(sims, float(n)), conversions=rng.binomial(n, p, sims).astype(float))


def _covers(result: ab.MetricResult, truth: float, relative: bool = False) -> np.ndarray:
    lo, hi = (result.rel_ci_low, result.rel_ci_high) if relative else (result.ci_low, result.ci_high)
    return (np.asarray(lo) <= truth) & (truth <= np.asarray(hi))


# ===================================================================== sufficient stats


TINY = pd.DataFrame({
    "variant": ["c", "c", "c", "t", "t"],
    "revenue": [0.0, 10.0, 30.0, 20.0, 0.0],
    "orders": [0, 1, 2, 1, 0],
    "pre_revenue": [5.0, 0.0, 10.0, 2.0, 0.0],
})


def test_arm_stats_from_users_hand_computed():
    arms = ab.arm_stats_from_users(TINY, "variant", covariate_col="pre_revenue")
    got = ab.arms_frame(arms).drop(columns="revenue_cap")
    expected = pd.DataFrame({
        "arm": ["c", "t"], "n": [3, 2], "conversions": [2, 1],
        "revenue_sum": [40.0, 20.0], "revenue_sumsq": [1000.0, 400.0],
        "orders_sum": [3.0, 1.0], "orders_sumsq": [5.0, 1.0], "revenue_orders_sum": [70.0, 20.0],
        "covariate_sum": [15.0, 2.0], "covariate_sumsq": [125.0, 4.0],
        "covariate_revenue_sum": [300.0, 40.0], "covariate_orders_sum": [20.0, 2.0],
        "covariate_conversion_sum": [10.0, 2.0],
        "mean_conversion": [2 / 3, 0.5], "mean_revenue_per_user": [40 / 3, 10.0],
        "mean_orders_per_user": [1.0, 0.5], "mean_aov": [40 / 3, 20.0],
    })
    assert_frame_equal(got, expected)
    assert arms["c"].variance("revenue_per_user") == pytest.approx(np.var([0, 10, 30], ddof=1), rel=1e-12)


def test_arm_stats_missing_column_and_bad_input():
    with pytest.raises(KeyError, match="orders"):
        ab.arm_stats_from_users(TINY.drop(columns="orders"))
    with pytest.raises(ValueError, match="no variant"):
        ab.arm_stats_from_users(TINY.assign(variant=["c", None, "c", "t", "t"]))
    with pytest.raises(ValueError, match="conversions"):
        ab.arm_stats_from_counts("c", users=10, conversions=11)
    with pytest.raises(ValueError, match="sum of squares"):
        ab.arm_stats_from_counts("c", users=10, conversions=2, revenue_sum=100.0, revenue_sumsq=900.0)


def test_revenue_cap_is_pooled_over_arms():
    users = pd.DataFrame({"variant": ["c", "c", "t", "t", "t"],
                          "revenue": [0.0, 10.0, 20.0, 30.0, 1000.0], "orders": [0, 1, 1, 1, 1]})
    buyers_cap = np.percentile([10.0, 20.0, 30.0, 1000.0], 75)  # 272.5
    arms = ab.arm_stats_from_users(users, cap_percentile=75)
    assert arms["c"].revenue_cap == arms["t"].revenue_cap == pytest.approx(272.5)
    assert buyers_cap == pytest.approx(272.5)
    assert arms["t"].revenue_sum == pytest.approx(20 + 30 + 272.5)
    assert arms["c"].revenue_sum == pytest.approx(10.0)
    everyone = ab.arm_stats_from_users(users, cap_percentile=75, cap_ignore_zeros=False)
    assert everyone["t"].revenue_sum == pytest.approx(20 + 30 + 30)  # 75th pct of all users is 30


def test_counts_and_users_meet_in_the_same_stats():
    users = _users()
    arms = ab.arm_stats_from_users(users)
    c = arms["control"]
    typed = ab.arm_stats_from_counts("control", c.n, c.conversions, revenue_sum=c.revenue_sum,
                                     revenue_sumsq=c.revenue_sumsq, orders_sum=c.orders_sum,
                                     orders_sumsq=c.orders_sumsq)
    t = arms["treatment"]
    for metric in ("revenue_per_user", "orders_per_user"):
        a = ab.mean_test(c, t, metric).to_dict()
        b = ab.mean_test(typed, t, metric).to_dict()
        assert a == b
    assert ab.conversion_test(typed, t) == ab.conversion_test(c, t)
    assert not typed.has("aov")
    assert set(ab.compare_arms({"control": typed, "treatment": t}, "control")["metric"]) == {
        "conversion", "revenue_per_user", "orders_per_user"}


# ==================================================================================== SRM


def test_srm_matches_scipy_chisquare():
    users = {"control": 10_240, "treatment": 9_760, "treatment_b": 10_105}
    split = [1, 1, 1]
    got = ab.srm_check(users, split)
    chi2, p = stats.chisquare([10_240, 9_760, 10_105])
    assert got.chi2 == pytest.approx(chi2, rel=TIGHT)
    assert got.p_value == pytest.approx(p, rel=TIGHT)
    assert got.df == 2
    assert got.mismatch == (p < 0.001)

    uneven = ab.srm_check({"control": 9_050, "treatment": 1_010}, {"control": 0.9, "treatment": 0.1})
    chi2, p = stats.chisquare([9_050, 1_010], [0.9 * 10_060, 0.1 * 10_060])
    assert uneven.p_value == pytest.approx(p, rel=TIGHT)
    assert not uneven.mismatch


def test_srm_flags_a_planted_mismatch():
    # the demo's share-card experiment loses 6/53 of treatment users in logging
    got = ab.srm_check({"control": 5_300, "treatment": 4_700}, [0.5, 0.5])
    assert got.mismatch and got.p_value < 1e-6
    assert got.to_frame()["observed_share"].tolist() == pytest.approx([0.53, 0.47])
    assert not ab.srm_check({"control": 5_300, "treatment": 4_700}, [0.53, 0.47]).mismatch


# ========================================================================== conversion


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
    users = _users()
    arms = ab.arm_stats_from_users(users)
    got = ab.mean_test(arms["control"], arms["treatment"], metric, alpha=0.1)
    c, t = _arrays(users, col)
    ref = stats.ttest_ind(t, c, equal_var=False)
    assert got.statistic == pytest.approx(ref.statistic, rel=TIGHT)
    assert got.p_value == pytest.approx(ref.pvalue, rel=TIGHT)
    assert got.df == pytest.approx(ref.df, rel=TIGHT)
    lo, hi = ref.confidence_interval(0.9)
    assert got.ci_low == pytest.approx(lo, rel=TIGHT)
    assert got.ci_high == pytest.approx(hi, rel=TIGHT)
    assert got.diff == pytest.approx(t.mean() - c.mean(), rel=TIGHT)


def test_compare_arms_is_each_variant_against_control():
    users = _users()
    three = pd.concat([users, users.iloc[:500].assign(variant="treatment_b")], ignore_index=True)
    frame = ab.compare_arms(ab.arm_stats_from_users(three), "control")
    assert list(frame["treatment"].unique()) == ["treatment", "treatment_b"]
    assert list(frame["metric"][:4]) == ["conversion", "revenue_per_user", "orders_per_user", "aov"]
    assert list(frame["test"][:4]) == ["z_pooled", "welch_t", "welch_t", "delta_ratio_z"]


# ================================================================================== AOV


def test_aov_delta_variance_equals_linearised_per_user_variance():
    users = _users()
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
    c = _simulate_arm(rng, "control", sims, n, 0.10, log_mu=4.00, log_sigma=sigma)
    t = _simulate_arm(rng, "treatment", sims, n, 0.10, log_mu=4.05, log_sigma=sigma)
    res = ab.aov_test(c, t)
    true_c, true_t = math.exp(4.00 + sigma**2 / 2), math.exp(4.05 + sigma**2 / 2)
    sd_sim = np.std(res.diff, ddof=1)
    se_delta = math.sqrt(np.mean(res.se**2))
    rel_sd_sim = np.std(res.rel_lift, ddof=1)
    rel_se_delta = math.sqrt(np.mean(res.rel_se**2))
    cover = _covers(res, true_t - true_c).mean()
    cover_rel = _covers(res, true_t / true_c - 1, relative=True).mean()
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
    users = _users(seed=11)
    users["converted"] = (users["orders"] > 0).astype(float)
    col = col or "converted"
    arms = ab.arm_stats_from_users(users, covariate_col="pre_revenue")
    got = ab.cuped_test(arms["control"], arms["treatment"], metric)
    y_c, y_t = _arrays(users, col)
    x_c, x_t = _arrays(users, "pre_revenue")
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


# ============================================================================ bootstrap


def test_bootstrap_is_seeded_and_agrees_with_welch():
    users = _users(seed=3, n=6000)
    c, t = _arrays(users, "revenue")
    a = ab.bootstrap_diff(c, t, seed=42)
    b = ab.bootstrap_diff(c, t, seed=42)
    assert a == b
    assert a.n_boot == 2000
    welch = stats.ttest_ind(t, c, equal_var=False)
    welch_se = math.sqrt(t.var(ddof=1) / t.size + c.var(ddof=1) / c.size)
    assert a.diff == pytest.approx(t.mean() - c.mean(), rel=TIGHT)
    assert a.se == pytest.approx(welch_se, rel=0.06)  # SD of a bootstrap SD with B=2000 is ~1.6 %
    lo, hi = welch.confidence_interval(0.95)
    assert a.ci_low == pytest.approx(lo, abs=0.25 * (hi - lo))
    assert a.ci_high == pytest.approx(hi, abs=0.25 * (hi - lo))
    assert a.rel_ci_low < a.rel_lift < a.rel_ci_high


# ====================================================================== multiple testing


@pytest.mark.parametrize("method, sm", [("holm", "holm"), ("bh", "fdr_bh")])
def test_adjust_pvalues_matches_statsmodels(method, sm):
    rng = np.random.default_rng(5)
    for p in (rng.random(12) ** 3, np.array([0.01, 0.04, 0.03, 0.04, 0.2, 0.001, 0.049, 1.0]),
              np.array([0.5])):
        got = ab.adjust_pvalues(p, method, alpha=0.05)
        reject, adj, _, _ = multipletests(p, alpha=0.05, method=sm)
        np.testing.assert_allclose(got.p_adjusted, adj, rtol=TIGHT, atol=0)
        assert list(got.reject) == reject.tolist()


def test_adjust_pvalues_hand_and_nan():
    got = ab.adjust_pvalues([0.01, np.nan, 0.04, 0.03], "holm")
    assert got.p_adjusted[0] == pytest.approx(0.03)
    assert math.isnan(got.p_adjusted[1])
    assert got.p_adjusted[2:] == pytest.approx((0.06, 0.06))
    assert got.reject == (True, False, False, False)
    assert got.to_frame().shape == (4, 5)
    with pytest.raises(ValueError, match="holm"):
        ab.adjust_pvalues([0.1], "bonferroni")  # type: ignore[arg-type]


# ======================================================================= non-inferiority


def _result(**kw) -> ab.MetricResult:
    base = ab.conversion_test(ab.arm_stats_from_counts("c", 10_000, 500),
                              ab.arm_stats_from_counts("t", 10_000, 500))
    return replace(base, **kw)


def test_non_inferiority_hand_computed():
    r = _result(metric="refund_rate", diff=-0.001, se=0.001, rel_lift=-0.02, rel_se=0.02,
                ci_low=-0.00296, ci_high=0.00096)
    z = stats.norm.isf(0.025)
    at5 = ab.non_inferiority(r, 0.05)
    assert at5.p_value == pytest.approx(stats.norm.sf(1.5), rel=1e-12)  # (−0.02 + 0.05)/0.02
    assert at5.bound == pytest.approx(-0.02 - z * 0.02, rel=1e-12)
    assert not at5.non_inferior and not at5.significantly_worse
    at7 = ab.non_inferiority(r, 0.07)
    assert at7.p_value == pytest.approx(stats.norm.sf(2.5), rel=1e-12)
    assert at7.non_inferior and at7.bound > -0.07
    absolute = ab.non_inferiority(r, 0.004, margin_type="absolute")
    assert absolute.p_value == pytest.approx(stats.norm.sf(3.0), rel=1e-12) and absolute.non_inferior
    # lower is better: an increase of 2 % is harm, margin 5 %
    up = ab.non_inferiority(replace(r, rel_lift=0.02), 0.05, higher_is_better=False)
    assert up.p_value == pytest.approx(stats.norm.sf(1.5), rel=1e-12)
    assert up.bound == pytest.approx(0.02 + z * 0.02, rel=1e-12)
    worse = ab.non_inferiority(replace(r, ci_high=-0.0001), 0.05)
    assert worse.significantly_worse
    undefined = ab.non_inferiority(replace(r, relative_undefined=True, rel_lift=np.nan), 0.05)
    assert undefined.undefined and not undefined.non_inferior


# ============================================================================== Bayesian


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
    r = _result(metric="revenue_per_user", diff=0.0, se=2.0)
    got = ab.bayes_means(r)
    assert got.prob_treatment_better == 0.5
    assert got.expected_loss_treatment == pytest.approx(2.0 / math.sqrt(2 * math.pi), rel=1e-12)
    r = _result(metric="revenue_per_user", diff=1.5, se=0.8)
    got = ab.bayes_means(r)
    draws = np.random.default_rng(0).normal(1.5, 0.8, 1_000_000)
    assert got.prob_treatment_better == pytest.approx((draws > 0).mean(), abs=0.002)
    assert got.expected_loss_treatment == pytest.approx(np.maximum(-draws, 0).mean(), abs=0.001)
    assert got.expected_loss_control == pytest.approx(np.maximum(draws, 0).mean(), abs=0.003)


# ============================================================================ sequential


def test_cs_radius_formula_and_tuning():
    # V = 2/2 = 1, tau² = 1: sqrt(1·2/1 · log(2/0.05²))
    assert ab.cs_radius(2, 2.0, 0.05, mixing_variance=1.0) == pytest.approx(math.sqrt(2 * math.log(800)))
    tau2 = ab.tuned_mixing_variance(5_000, 0.2, 0.05)
    at = ab.cs_radius(5_000, 0.2, mixing_variance=tau2)
    for other in (0.5 * tau2, 0.9 * tau2, 1.1 * tau2, 2 * tau2):
        assert at < ab.cs_radius(5_000, 0.2, mixing_variance=other)
    # wider than the fixed-sample interval, narrower than a Bonferroni over 10,000 looks
    fixed = 1.959963984540054 * math.sqrt(0.2 / 5_000)
    assert fixed < at < stats.norm.isf(0.05 / 2 / 10_000) * math.sqrt(0.2 / 5_000)
    radii = ab.cs_radius(np.array([100, 1000, 10_000]), 0.2, mixing_variance=tau2)
    assert np.all(np.diff(radii) < 0)


def test_sequential_p_value_and_interval_agree():
    c, t = ab.arm_stats_from_counts("c", 8_000, 400), ab.arm_stats_from_counts("t", 8_000, 480)
    seq = ab.sequential_test(c, t, "conversion", planned_n_per_arm=10_000)
    fixed = ab.conversion_test(c, t)
    assert seq.test == "msprt_z_pooled"
    assert seq.ci_low < fixed.ci_low and seq.ci_high > fixed.ci_high
    assert seq.p_value > fixed.p_value
    assert (seq.p_value < 0.05) == (seq.ci_low > 0)
    assert seq.ci_high - seq.diff == pytest.approx(
        ab.cs_radius(1, float(seq.se) ** 2, mixing_variance=seq.mixing_variance), rel=1e-12)
    with pytest.raises(ValueError, match="mixing_variance"):
        ab.sequential_test(c, t)


# ================================================================================= power


@pytest.mark.parametrize(("p", "mde", "ratio"), [(0.05, 0.10, 1.0), (0.2, 0.03, 1.0), (0.05, 0.2, 0.25)])
def test_sample_size_matches_statsmodels(p, mde, ratio):
    sd = math.sqrt(p * (1 - p))
    got = ab.sample_size_per_arm(p, sd, mde, alpha=0.05, power=0.8, ratio=ratio)
    es = mde * p / sd
    ref = NormalIndPower().solve_power(effect_size=es, alpha=0.05, power=0.8, ratio=ratio)
    assert got == pytest.approx(ref, rel=1e-7)  # statsmodels' own root-finding tolerance
    assert got == pytest.approx(zt_ind_solve_power(effect_size=es, alpha=0.05, power=0.8, ratio=ratio),
                                rel=1e-7)
    # and the power at that sample is exactly the target (same formula, not a solver)
    assert NormalIndPower().power(es, got, 0.05, ratio=ratio) == pytest.approx(0.8, abs=1e-12)


def test_achieved_power_and_mde():
    sd, n, effect = 3.0, 1_000, 0.25
    se = sd * math.sqrt(2 / n)
    assert ab.achieved_power(effect, se) == pytest.approx(
        NormalIndPower().power(effect / sd, n, 0.05, ratio=1.0), rel=TIGHT)
    mde = ab.minimum_detectable_effect(se, alpha=0.05, power=0.8)
    assert ab.achieved_power(mde, se) == pytest.approx(0.8, rel=TIGHT)
    assert mde == pytest.approx((stats.norm.isf(0.025) + stats.norm.ppf(0.8)) * se, rel=1e-5)
    assert ab.days_to_sample(1000, 400, 70) == 9.0
    assert ab.days_to_sample(1000, 1200, 70) == 0.0
    assert ab.days_to_sample(1000, 400, 0) == math.inf


def test_power_analysis_of_a_result():
    c, t = ab.arm_stats_from_counts("c", 4_000, 200), ab.arm_stats_from_counts("t", 4_000, 230)
    res = ab.conversion_test(c, t)
    got = ab.power_analysis(res, power=0.8, target_relative_mde=0.10, daily_users=1_000)
    need = ab.sample_size_per_arm(0.05, math.sqrt(0.05 * 0.95), 0.10)
    assert got.n_needed_control == pytest.approx(need, rel=TIGHT)
    assert got.n_needed_treatment == pytest.approx(need, rel=TIGHT)
    assert got.days_remaining == math.ceil((need - 4_000) / 500)
    assert got.sufficient is False
    assert got.mde_rel == pytest.approx(got.mde_abs / 0.05)
    assert 0 < got.achieved_power < 1


# ============================================================================== decision


def _power(sufficient: bool | None, days: float = 5.0, target: float = 0.05) -> ab.PowerResult:
    return ab.PowerResult("conversion", 0.05, 0.8, 0.0, 0.01, 0.1, 0.02, 0.04, target, 1e4, 1e4, 2e4, 2e4,
                          1e3, days, sufficient)


def test_decision_rules():
    win = _result(p_value=0.001, diff=0.01, rel_lift=0.2, rel_ci_low=0.08, rel_ci_high=0.32)
    loss = _result(p_value=0.001, diff=-0.01, rel_lift=-0.2)
    flat = _result(p_value=0.6, diff=0.0005, rel_lift=0.01, rel_ci_low=-0.03, rel_ci_high=0.04)
    ok = ab.NonInferiorityResult("aov", "t", 0.02, "relative", True, 0.0, -0.01, 0.001, 0.025, True, False,
                                 False)
    unproven = replace(ok, bound=-0.05, p_value=0.2, non_inferior=False)
    harmed = replace(ok, metric="refund_rate", bound=-0.2, p_value=0.9, non_inferior=False,
                     significantly_worse=True)
    srm_bad = ab.srm_check({"c": 5_300, "t": 4_700}, [1, 1])
    cases = {
        "srm": ab.decide(win, guardrails=[ok], srm=srm_bad),
        "ship": ab.decide(win, guardrails=[ok], srm=ab.srm_check({"c": 5_010, "t": 4_990}, [1, 1])),
        "ship_no_guardrails": ab.decide(win),
        "harmed": ab.decide(win, guardrails=[ok, harmed]),
        "unproven": ab.decide(win, guardrails=[unproven]),
        "worse": ab.decide(loss),
        "adjusted_p": ab.decide(win, p_value=0.2),
        "nan": ab.decide(replace(win, p_value=np.nan)),
        "null_powered": ab.decide(flat, power=_power(True)),
        "null_powered_wide": ab.decide(flat, power=_power(True, target=0.03)),
        "null_short": ab.decide(flat, power=_power(False, days=10)),
        "null_long": ab.decide(flat, power=_power(False, days=60)),
        "lower_is_better": ab.decide(loss, higher_is_better=False),
    }
    got = pd.DataFrame({"case": list(cases), "decision": [d.decision for d in cases.values()],
                        "reasons": [", ".join(d.reasons) for d in cases.values()]})
    expected = pd.DataFrame([
        ("srm", "inconclusive", "sample_ratio_mismatch"),
        ("ship", "ship", "primary_significantly_better, guardrails_non_inferior"),
        ("ship_no_guardrails", "ship", "primary_significantly_better"),
        ("harmed", "dont_ship", "guardrail_harmed, primary_significantly_better"),
        ("unproven", "keep_running", "primary_significantly_better, guardrail_not_yet_non_inferior"),
        ("worse", "dont_ship", "primary_significantly_worse"),
        ("adjusted_p", "inconclusive", "primary_not_significant, power_unknown"),
        ("nan", "inconclusive", "primary_not_computable"),
        ("null_powered", "dont_ship",
         "primary_not_significant, target_sample_reached, effect_below_target_mde"),
        ("null_powered_wide", "inconclusive", "primary_not_significant, target_sample_reached"),
        ("null_short", "keep_running", "primary_not_significant, underpowered_keep_collecting"),
        ("null_long", "inconclusive", "primary_not_significant, target_sample_out_of_reach"),
        ("lower_is_better", "ship", "primary_significantly_better"),
    ], columns=["case", "decision", "reasons"])
    assert_frame_equal(got, expected)
    assert cases["harmed"].harmed_guardrails == ("refund_rate",)
    assert set(got["decision"]) <= set(ab.DECISIONS)
    assert {r for d in cases.values() for r in d.reasons} <= set(ab.REASONS)
    assert cases["ship"].to_frame().loc[0, "reasons"] == expected.loc[1, "reasons"]


# ================================================================= seeded simulations


def test_aa_conversion_false_positive_rate_and_coverage():
    rng = np.random.default_rng(101)
    sims, n = 20_000, 5_000
    res = ab.conversion_test(_binomial_arm(rng, "c", sims, n, 0.05), _binomial_arm(rng, "t", sims, n, 0.05))
    fpr = float(np.mean(res.p_value < 0.05))
    cover = float(_covers(res, 0.0).mean())
    print(f"\nA/A conversion, {sims} tests: false-positive rate {fpr:.4f}, 95% CI coverage {cover:.4f}")
    assert 0.04 <= fpr <= 0.06
    assert 0.94 <= cover <= 0.96


def test_aa_revenue_and_orders_false_positive_rate_and_coverage():
    rng = np.random.default_rng(202)
    sims, n = 10_000, 2_000
    c = _simulate_arm(rng, "c", sims, n, 0.10, log_sigma=0.8)
    t = _simulate_arm(rng, "t", sims, n, 0.10, log_sigma=0.8)
    for metric in ("revenue_per_user", "orders_per_user"):
        res = ab.mean_test(c, t, metric)
        fpr = float(np.mean(res.p_value < 0.05))
        cover = float(_covers(res, 0.0).mean())
        print(f"\nA/A {metric}, {sims} tests: false-positive rate {fpr:.4f}, 95% CI coverage {cover:.4f}")
        assert 0.04 <= fpr <= 0.06
        assert 0.94 <= cover <= 0.96


def test_relative_lift_intervals_agree_with_simulation():
    rng = np.random.default_rng(303)
    sims, n, p_c, p_t = 20_000, 20_000, 0.05, 0.055
    res = ab.conversion_test(_binomial_arm(rng, "c", sims, n, p_c), _binomial_arm(rng, "t", sims, n, p_t))
    truth = p_t / p_c - 1
    cover_rel = float(_covers(res, truth, relative=True).mean())
    cover_abs = float(_covers(res, p_t - p_c).mean())
    sd_sim, se_delta = np.std(res.rel_lift, ddof=1), math.sqrt(np.mean(res.rel_se**2))
    print(f"\nconversion +10 %: relative CI coverage {cover_rel:.4f}, absolute {cover_abs:.4f}; "
          f"SD of relative lift {sd_sim:.5f} vs delta SE {se_delta:.5f}")
    assert se_delta == pytest.approx(sd_sim, rel=0.02)
    assert 0.94 <= cover_rel <= 0.96
    assert 0.94 <= cover_abs <= 0.96

    rng = np.random.default_rng(304)
    sims, n = 10_000, 4_000
    c = _simulate_arm(rng, "c", sims, n, 0.10)
    t = _simulate_arm(rng, "t", sims, n, 0.11)
    res = ab.mean_test(c, t, "revenue_per_user")
    cover_rel = float(_covers(res, 0.1, relative=True).mean())
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
    cover = float(_covers(res, 0.0).mean())
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

    c = cumulative(_simulate_arm(rng, "c", sims * looks, daily, 0.05, log_sigma=0.8))
    t = cumulative(_simulate_arm(rng, "t", sims * looks, daily, 0.05, log_sigma=0.8))
    rates = {}
    for metric in ("conversion", "revenue_per_user"):
        naive = ab.compare(c, t, metric)
        # tau² fixed before the experiment: tuned at the planned sample with the true variance
        tau2 = ab.tuned_mixing_variance(planned, 2 * _user_variance(metric, 0.05, 0.25, 4.0, 0.8))
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
