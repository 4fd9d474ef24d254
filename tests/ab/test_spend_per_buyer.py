"""Issue 17: spend per buyer (客单价, revenue ÷ converting users) when a per-user file has no
orders: its delta-method test checked by hand, against the AOV test and by simulation, and the
hidden-AOV-drop file's guardrail checked (the 15 % conversion win is not shipped)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from issue17_fixtures import hidden_aov_drop

from wxshop.ab import stats as ab
from wxshop.ab.analysis import ABConfig, analyse_users
from wxshop.ab.stats.arms import ArmStats

SPLIT = {"control": 0.5, "treatment": 0.5}


def test_delta_method_by_hand():
    # control: 4 users, buyers spend 10 and 30; treatment: 3 users, buyers spend 20 and 40.
    users = pd.DataFrame({"variant": ["c"] * 4 + ["t"] * 3,
                          "converted": [0, 1, 1, 0, 1, 1, 0], "revenue": [0, 10, 30, 0, 20, 40, 0.0]})
    arms = ab.arm_stats_from_users(users, revenue_col="revenue", orders_col=None, converted_col="converted")
    r = ab.spend_per_buyer_test(arms["c"], arms["t"])

    def by_hand(rev: list[float], conv: list[int]) -> tuple[float, float]:
        y, x = np.array(rev), np.array(conv, float)
        ratio = y.sum() / x.sum()
        lin = (y - ratio * x) / x.mean()  # linearised per-user value: its variance / n is Var(ratio)
        return ratio, lin.var(ddof=1) / len(y)

    (m_c, v_c), (m_t, v_t) = by_hand([0, 10, 30, 0], [0, 1, 1, 0]), by_hand([20, 40, 0], [1, 1, 0])
    assert (r.mean_control, r.mean_treatment) == (20.0, 30.0)
    assert r.se == pytest.approx(np.sqrt(v_c + v_t), rel=1e-12)
    assert r.ci_low == pytest.approx(10 - 1.959963984540054 * np.sqrt(v_c + v_t), rel=1e-12)
    assert (m_c, m_t) == (20.0, 30.0)


def test_equals_the_aov_test_when_every_buyer_orders_once():
    rng = np.random.default_rng(3)
    conv = rng.random(3000) < 0.2
    users = pd.DataFrame({"variant": np.where(rng.random(3000) < 0.5, "c", "t"), "orders": conv.astype(int),
                          "converted": conv, "revenue": conv * rng.lognormal(4, 0.7, 3000)})
    arms = ab.arm_stats_from_users(users, converted_col="converted")
    spb, aov = ab.spend_per_buyer_test(arms["c"], arms["t"]), ab.aov_test(arms["c"], arms["t"])
    for field in ("mean_control", "mean_treatment", "se", "ci_low", "ci_high", "p_value", "rel_se"):
        assert getattr(spb, field) == pytest.approx(getattr(aov, field), rel=1e-12), field


def test_delta_method_se_matches_simulation():
    """4,000 simulated experiments of 2 × 3,000 users: the delta-method SE of the difference is
    the SD of the simulated differences (within 3 %), and the 95 % interval covers the true
    difference (0) about 95 % of the time."""
    rng = np.random.default_rng(11)
    sims, n = 4000, 3000

    def arm(name: str) -> ArmStats:
        buyers = rng.binomial(n, 0.1, sims)
        sums, squares = np.empty(sims), np.empty(sims)
        for i, b in enumerate(buyers):
            spend = rng.gamma(0.8, 125.0, b)
            sums[i], squares[i] = spend.sum(), (spend**2).sum()
        return ArmStats(name, n=np.full(sims, n), conversions=buyers, revenue_sum=sums,
                        revenue_sumsq=squares, revenue_conversion_sum=sums)

    r = ab.spend_per_buyer_test(arm("c"), arm("t"))
    assert np.mean(r.se) == pytest.approx(np.std(r.diff, ddof=1), rel=0.03)
    coverage = np.mean((r.ci_low <= 0) & (0 <= r.ci_high))
    assert 0.94 <= coverage <= 0.96


def test_hidden_aov_drop_gets_its_guardrail_checked():
    """The issue's file: conversion +15 % (p < 0.0001), revenue per user −3.8 % (interval down
    to −12 %), no orders. The AOV guardrail was 'not checked' (inconclusive); spend per buyer
    stands in for it, falls 16.3 %, and the variant is not shipped."""
    users = hidden_aov_drop()
    a = analyse_users(users, SPLIT, ABConfig(cap_percentile=None, n_boot=200))
    m = a.metrics.set_index("metric")
    assert m.loc["conversion", "rel_lift"] == pytest.approx(0.15, abs=1e-12)
    assert m.loc["conversion", "p_value"] < 1e-4
    assert m.loc["revenue_per_user", "rel_lift"] == pytest.approx(-0.038, abs=1e-9)
    assert m.loc["revenue_per_user", "rel_ci_low"] == pytest.approx(-0.122, abs=1e-3)
    spb = m.loc["spend_per_buyer"]
    assert spb["role"] == "guardrail" and spb["test"] == "delta_ratio_z"
    assert spb["mean_control"] == pytest.approx(100.0, rel=1e-12)
    assert spb["mean_treatment"] == pytest.approx(192_400 / 2300, rel=1e-12)  # ¥83.65
    assert spb["rel_lift"] == pytest.approx(192_400 / 2300 / 100 - 1, rel=1e-12)  # −16.3 %
    assert a.stand_ins == {"aov": "spend_per_buyer"}
    assert "guardrail_not_checked" not in a.warnings
    assert a.decision.decision == "dont_ship"
    assert a.decisions["treatment"].reasons == ("guardrail_harmed", "primary_significantly_better")
    assert a.decisions["treatment"].harmed_guardrails == ("spend_per_buyer",)
    # the default settings (revenue capped at the 99th percentile) agree
    assert analyse_users(users, SPLIT, ABConfig(n_boot=200)).decision.decision == "dont_ship"


def test_orders_column_keeps_aov():
    users = hidden_aov_drop().assign(orders=lambda d: d["converted"])
    a = analyse_users(users, SPLIT, ABConfig(cap_percentile=None, n_boot=200))
    assert a.stand_ins == {} and "spend_per_buyer" not in set(a.metrics["metric"])
    assert a.config.guardrails == ("aov",)
