"""Guardrail non-inferiority by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from ab_samples import metric_result
from scipy import stats

from wxshop.ab import stats as ab

TIGHT = 1e-9


def test_non_inferiority_hand_computed():
    r = metric_result(metric="refund_rate", diff=-0.001, se=0.001, rel_lift=-0.02, rel_se=0.02,
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
