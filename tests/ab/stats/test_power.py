"""Power, MDE and sample size against statsmodels."""

from __future__ import annotations

import math

import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower, zt_ind_solve_power

from wxshop.ab import stats as ab

TIGHT = 1e-9


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
