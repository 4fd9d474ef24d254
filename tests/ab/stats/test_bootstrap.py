"""Percentile bootstrap: seeded, and in line with Welch."""

from __future__ import annotations

import math

import pytest
from ab_samples import arm_arrays, users_table
from scipy import stats

from wxshop.ab import stats as ab

TIGHT = 1e-9


def test_bootstrap_is_seeded_and_agrees_with_welch():
    users = users_table(seed=3, n=6000)
    c, t = arm_arrays(users, "revenue")
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
