"""Sufficient statistics per arm from users and from counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from ab_samples import users_table
from pandas.testing import assert_frame_equal

from wxshop.ab import stats as ab

TIGHT = 1e-9


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
        "revenue_conversion_sum": [40.0, 20.0],  # Σ revenue × converted
        "profit_sum": [np.nan] * 2, "profit_sumsq": [np.nan] * 2, "covariate_profit_sum": [np.nan] * 2,
        "mean_conversion": [2 / 3, 0.5], "mean_revenue_per_user": [40 / 3, 10.0],
        "mean_orders_per_user": [1.0, 0.5], "mean_aov": [40 / 3, 20.0],
        "mean_spend_per_buyer": [20.0, 20.0], "mean_profit_per_user": [np.nan] * 2,
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
    users = users_table()
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
