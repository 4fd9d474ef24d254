"""Always-valid (sequential) radius, tuning, p-value and interval."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from wxshop.ab import stats as ab

TIGHT = 1e-9


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
