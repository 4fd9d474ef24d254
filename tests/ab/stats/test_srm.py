"""Sample-ratio mismatch check against scipy and a planted mismatch."""

from __future__ import annotations

import pytest
from scipy import stats

from wxshop.ab import stats as ab

TIGHT = 1e-9


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
