"""Holm and Benjamini–Hochberg against statsmodels and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from wxshop.ab import stats as ab

TIGHT = 1e-9


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
