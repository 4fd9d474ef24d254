"""The one-call A/B analysis: hand fixtures, cross-checks against abstats / statsmodels /
scipy, decision rules and seeded simulations with planted effects."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from wxshop.ab import stats as ab
from wxshop.ab.analysis import analyse_counts, analyse_users
from wxshop.ab.config import ABConfig
from wxshop.ab.results import OverallDecision
from wxshop.ab.stats import ArmStats

TIGHT = 1e-9
HALF = {"control": 0.5, "b": 0.5}
THIRDS = {"control": 1 / 3, "b": 1 / 3, "c": 1 / 3}
_ADDED = ["role", "cuped", "p_adjusted", "significant"]


# ================================================================================ helpers


def _table(seed: int, n: int, conv: dict[str, float], *, aov_factor: dict[str, float] | None = None,
           sigma: float = 0.6, with_pre: bool = True) -> pd.DataFrame:
    """Per-user outcomes: ``n`` users per arm; a buyer places 1 + Poisson(0.3) orders of
    lognormal(4, sigma) · aov_factor CNY; pre_revenue correlates with the user's propensity."""
    rng = np.random.default_rng(seed)
    arms = list(conv)
    variant = np.repeat(arms, n)
    p = np.repeat([conv[a] for a in arms], n)
    factor = np.repeat([(aov_factor or {}).get(a, 1.0) for a in arms], n)
    heavy = rng.random(variant.size) < 0.3  # loyal users buy more before and after
    converted = rng.random(variant.size) < p * np.where(heavy, 1.6, 0.75)
    orders = converted * (1 + rng.poisson(0.3, variant.size))
    revenue = orders * rng.lognormal(4.0, sigma, variant.size) * factor
    out = pd.DataFrame({"customer_id": np.arange(variant.size), "variant": variant, "converted": converted,
                        "orders": orders, "revenue": revenue})
    if with_pre:
        out["pre_revenue"] = np.where(heavy, rng.lognormal(4.5, 0.8, variant.size), 0.0) + 0.3 * revenue
        out["is_new"] = ~heavy & (rng.random(variant.size) < 0.6)
        out["acquisition_channel"] = rng.choice(["ads", "friend", "search"], variant.size, p=[0.5, 0.3, 0.2])
        out["city_tier"] = rng.choice(["tier1", "tier2"], variant.size)
    return out


@pytest.fixture(scope="module")
def users3() -> pd.DataFrame:
    return _table(3, 1500, {"control": 0.10, "b": 0.13, "c": 0.10})


# the metrics a table with revenue and orders but no costs gives, in order
TESTED = ("conversion", "revenue_per_user", "orders_per_user", "aov")

# =========================================================================== hand fixtures

# control: revenue 0, 0, 30, 50 (CNY); orders 0, 0, 1, 2   → 2 buyers of 4
# b:       revenue 0, 20, 40, 60;       orders 0, 1, 1, 3   → 3 buyers of 4
TINY = pd.DataFrame({
    "variant": ["control"] * 4 + ["b"] * 4,
    "converted": [False, False, True, True, False, True, True, True],
    "orders": [0, 0, 1, 2, 0, 1, 1, 3],
    "revenue": [0.0, 0.0, 30.0, 50.0, 0.0, 20.0, 40.0, 60.0],
})


def test_tiny_table_arms_and_tests_by_hand() -> None:
    a = analyse_users(TINY, HALF, ABConfig(cap_percentile=None))
    # conversion 2/4, 3/4; revenue per user 80/4, 120/4; orders 3/4, 5/4; AOV 80/3, 120/5;
    # spend per buyer 80/2, 120/3; no costs, so no profit
    expected = pd.DataFrame({
        "arm": ["control", "b"], "users": [4, 4], "conversions": [2, 3], "conversion": [0.5, 0.75],
        "revenue_per_user": [20.0, 30.0], "orders_per_user": [0.75, 1.25], "aov": [80 / 3, 24.0],
        "spend_per_buyer": [40.0, 40.0], "profit_per_user": [math.nan, math.nan],
        "revenue_cap": [math.nan, math.nan],
    })
    assert_frame_equal(a.arms, expected)
    m = a.metrics.set_index("metric")
    # revenue: control deviations −20, −20, 10, 30 → s² = 1800/3 = 600; b: −30, −10, 10, 30 → 2000/3
    # se² = 600/4 + (2000/3)/4 = 950/3; Welch df = (950/3)² / ((150² + (500/3)²)/3) = 1083/181
    rev = m.loc["revenue_per_user"]
    assert rev["diff"] == pytest.approx(10.0, abs=TIGHT)
    assert rev["se"] == pytest.approx(math.sqrt(950 / 3), abs=TIGHT)
    assert rev["df"] == pytest.approx(1083 / 181, abs=TIGHT)
    assert rev["statistic"] == pytest.approx(10 / math.sqrt(950 / 3), abs=TIGHT)
    assert rev["p_value"] == pytest.approx(2 * stats.t.sf(10 / math.sqrt(950 / 3), 1083 / 181), abs=TIGHT)
    # conversion: pooled 5/8 → z = 0.25 / sqrt(5/8 · 3/8 · (1/4 + 1/4)) = 0.25 / sqrt(15/128)
    conv = m.loc["conversion"]
    assert conv["statistic"] == pytest.approx(0.25 / math.sqrt(15 / 128), abs=TIGHT)
    assert conv["se"] == pytest.approx(math.sqrt(0.25 / 4 + 0.1875 / 4), abs=TIGHT)  # unpooled
    assert m.loc["aov", "diff"] == pytest.approx(24 - 80 / 3, abs=TIGHT)
    assert not m["cuped"].any()  # no pre_revenue column
    assert a.bootstrap is not None and a.balance is None and a.segments is None


def test_tiny_table_revenue_cap_by_hand() -> None:
    # buyers' revenue pooled: 20, 30, 40, 50, 60 → 75th percentile (linear) at position 3 = 50
    users = TINY.assign(pre_revenue=[100.0, 0, 0, 0, 0, 0, 0, 500.0])
    a = analyse_users(users, HALF, ABConfig(cap_percentile=0.75, cuped=False))
    assert a.arms["revenue_cap"].tolist() == [50.0, 50.0]
    # b: 60 → 50, so revenue per user (0 + 20 + 40 + 50)/4 = 27.5 and AOV 110/5 = 22; control unchanged
    assert a.arms["revenue_per_user"].tolist() == [20.0, 27.5]
    assert a.arms["aov"].tolist() == [pytest.approx(80 / 3), 22.0]
    # the covariate is not capped: pre_revenue per user 100/4 and 500/4
    bal = a.balance.set_index("variable").loc["pre_revenue"]
    assert (bal["mean_control"], bal["mean_treatment"]) == (25.0, 125.0)
    # the bootstrap resamples the capped values: its observed diff is 27.5 − 20
    assert a.bootstrap["diff"].iloc[0] == pytest.approx(7.5, abs=TIGHT)


# ======================================================================= same-method checks


@pytest.mark.parametrize("sequential", [False, True])
def test_users_analysis_equals_abstats_called_directly(users3: pd.DataFrame, sequential: bool) -> None:
    cfg = ABConfig(cap_percentile=0.95, n_boot=300, seed=4, sequential=sequential)
    a = analyse_users(users3, THIRDS, cfg, days=10)
    arms = ab.arm_stats_from_users(users3, converted_col="converted", covariate_col="pre_revenue",
                                   cap_percentile=95)
    c = arms["control"]
    assert a.srm == ab.srm_check({v: arms[v] for v in ("control", "b", "c")}, THIRDS)
    results = {(t, m): ab.compare(c, arms[t], m, cuped=m != "aov") for t in ("b", "c") for m in TESTED}
    assert_frame_equal(a.metrics.drop(columns=_ADDED), ab.results_frame(results.values()))
    assert a.metrics["cuped"].tolist() == [m != "aov" for _ in "bc" for m in TESTED]
    p_adj = multipletests([r.p_value for r in results.values()], method="holm")[1]
    np.testing.assert_allclose(a.metrics["p_adjusted"], p_adj, rtol=0, atol=TIGHT)

    ni = {t: ab.non_inferiority(results[t, "aov"], 0.05) for t in ("b", "c")}
    assert_frame_equal(a.guardrails, ab.results_frame(ni.values()))
    power = {t: ab.power_analysis(replace(results[t, "conversion"], alpha=0.05 / 8), power=0.8,
                                  target_relative_mde=0.05,
                                  daily_users=(arms[t].n + c.n) / 10) for t in ("b", "c")}
    assert_frame_equal(a.power.drop(columns=["treatment", "tests_in_family"]),
                       ab.results_frame(power.values()))

    bayes = [x for t in ("b", "c") for x in (ab.bayes_conversion(c, arms[t], seed=4),
                                             ab.bayes_means(results[t, "revenue_per_user"]))]
    assert_frame_equal(a.bayes.drop(columns="treatment"), ab.results_frame(bayes))

    cap = c.revenue_cap
    rev = {v: np.minimum(g["revenue"].to_numpy(), cap) for v, g in users3.groupby("variant")}
    boots = [ab.bootstrap_diff(rev["control"], rev[t], n_boot=300, seed=4) for t in ("b", "c")]
    assert_frame_equal(a.bootstrap.drop(columns=["treatment", "metric"]), ab.results_frame(boots))

    primary, p_dec = results, dict(zip(results, p_adj, strict=True))
    if sequential:
        seq = {}
        for t in ("b", "c"):
            base = ab.compare(c, arms[t], "conversion")
            tau2 = ab.tuned_mixing_variance(power[t].n_needed_control,
                                            base.sd_control**2 + base.sd_treatment**2)
            seq[t] = ab.sequential_test(c, arms[t], "conversion", mixing_variance=tau2)
            # the same as letting abstats tune at the planned sample
            again = ab.sequential_test(c, arms[t], "conversion", planned_n_per_arm=power[t].n_needed_control)
            assert again.ci_low == pytest.approx(seq[t].ci_low, abs=TIGHT)
        assert_frame_equal(a.sequential.drop(columns=["planned_users_per_arm", "planned_from", *_ADDED[2:]]),
                           ab.results_frame(seq.values()))
        p_family = [seq[t].p_value if m == "conversion" else r.p_value for (t, m), r in results.items()]
        p_dec = dict(zip(results, multipletests(p_family, method="holm")[1], strict=True))
        primary = {(t, "conversion"): seq[t] for t in ("b", "c")}
        assert a.sequential["p_adjusted"].tolist() == [p_dec["b", "conversion"], p_dec["c", "conversion"]]
    else:
        assert a.sequential is None
    for t in ("b", "c"):
        expected = ab.decide(primary[t, "conversion"], guardrails=[ni[t]], srm=a.srm, power=power[t],
                             p_value=p_dec[t, "conversion"])
        assert a.decisions[t] == expected


@pytest.mark.parametrize(("correction", "method"), [("holm", "holm"), ("bh", "fdr_bh")])
def test_adjusted_p_values_equal_statsmodels(users3: pd.DataFrame, correction: str, method: str) -> None:
    a = analyse_users(users3, THIRDS, ABConfig(correction=correction, n_boot=100))  # type: ignore[arg-type]
    assert len(a.metrics) == 8  # 2 treatments × 4 metrics
    reject, p_adj, *_ = multipletests(a.metrics["p_value"], alpha=0.05, method=method)
    np.testing.assert_allclose(a.metrics["p_adjusted"], p_adj, rtol=0, atol=TIGHT)
    assert a.metrics["significant"].tolist() == reject.tolist()
    seg = a.segments
    reject, p_adj, *_ = multipletests(seg["p_value"], alpha=0.05, method=method)
    np.testing.assert_allclose(seg["p_adjusted"], p_adj, rtol=0, atol=TIGHT)
    assert seg["significant"].tolist() == reject.tolist()
    assert (seg["p_value"] < 0.05).sum() > reject.sum()  # the correction changes some calls


def test_balance_equals_scipy_and_statsmodels(users3: pd.DataFrame) -> None:
    a = analyse_users(users3, THIRDS, ABConfig(n_boot=100))
    bal = a.balance.set_index(["treatment", "variable"])
    pre = {v: g["pre_revenue"].to_numpy() for v, g in users3.groupby("variant")}
    new = {v: g["is_new"].to_numpy() for v, g in users3.groupby("variant")}
    for t in ("b", "c"):
        welch = stats.ttest_ind(pre[t], pre["control"], equal_var=False)
        assert bal.loc[(t, "pre_revenue"), "statistic"] == pytest.approx(welch.statistic, abs=TIGHT)
        assert bal.loc[(t, "pre_revenue"), "p_value"] == pytest.approx(welch.pvalue, abs=TIGHT)
        z, p = proportions_ztest([new[t].sum(), new["control"].sum()], [new[t].size, new["control"].size])
        assert bal.loc[(t, "is_new"), "statistic"] == pytest.approx(z, abs=TIGHT)
        assert bal.loc[(t, "is_new"), "p_value"] == pytest.approx(p, abs=TIGHT)
    assert not bal["flagged"].any() and "pre_period_imbalance" not in a.warnings
    # users sorted into arms by their history: flagged at the SRM threshold
    rigged = users3.assign(variant=np.where(users3["pre_revenue"].rank(method="first") > 3000, "b",
                                            np.where(users3.index % 2 == 0, "control", "c")))
    r = analyse_users(rigged, THIRDS, ABConfig(n_boot=100))
    flagged = r.balance.set_index(["treatment", "variable"])["flagged"]
    assert flagged[("b", "pre_revenue")] and not flagged[("c", "pre_revenue")]
    assert r.balance["flagged"].tolist() == (r.balance["p_value"] < 0.001).tolist()
    assert "pre_period_imbalance" in r.warnings


def test_counts_input_equals_users_input_when_sums_match() -> None:
    users = _table(5, 800, {"control": 0.1, "b": 0.12}, with_pre=False)
    cfg = ABConfig(cap_percentile=None, n_boot=100)
    from_users = analyse_users(users, HALF, cfg, days=7)
    arms = {}
    for v, g in users.groupby("variant"):
        r, o = g["revenue"].to_numpy(), g["orders"].to_numpy(float)
        arms[v] = ArmStats(arm=v, n=len(g), conversions=int(g["converted"].sum()), revenue_sum=r.sum(),
                           revenue_sumsq=(r * r).sum(), orders_sum=o.sum(), orders_sumsq=(o * o).sum(),
                           revenue_orders_sum=(r * o).sum(),
                           revenue_conversion_sum=(r * g["converted"].to_numpy(float)).sum())
    from_counts = analyse_counts(arms, HALF, cfg, days=7)
    for name in ("arms", "metrics", "guardrails", "bayes", "power"):
        assert_frame_equal(getattr(from_counts, name), getattr(from_users, name), rtol=1e-9, atol=1e-12)
    assert from_counts.srm == from_users.srm
    assert from_counts.decisions == from_users.decisions
    assert from_counts.decision == from_users.decision
    assert from_counts.bootstrap is None and from_counts.balance is None and from_counts.segments is None

    # dashboard counts without Σ revenue·orders: AOV (the default guardrail) cannot be computed,
    # spend per buyer (revenue ÷ converters) stands in for it, as guardrail
    dash = {v: ab.arm_stats_from_counts(v, int(s.n), int(s.conversions), revenue_sum=s.revenue_sum,
                                        revenue_sumsq=s.revenue_sumsq, orders_sum=s.orders_sum,
                                        orders_sumsq=s.orders_sumsq) for v, s in arms.items()}
    d = analyse_counts(dash, HALF, cfg, days=7)
    assert d.skipped_metrics == ("aov", "profit_per_user") and d.stand_ins == {"aov": "spend_per_buyer"}
    assert d.guardrails["metric"].tolist() == ["spend_per_buyer"]
    assert "guardrail_not_checked" not in d.warnings
    keep = from_users.metrics["metric"] != "aov"
    shared = d.metrics[d.metrics["metric"] != "spend_per_buyer"]
    assert_frame_equal(shared.drop(columns="p_adjusted"),
                       from_users.metrics[keep].drop(columns="p_adjusted").reset_index(drop=True))
    # without revenue nothing stands in: the guardrail is not checked
    bare = {v: ab.arm_stats_from_counts(v, int(s.n), int(s.conversions)) for v, s in arms.items()}
    assert "guardrail_not_checked" in analyse_counts(bare, HALF, cfg, days=7).warnings


def test_counts_without_revenue_skip_revenue_metrics() -> None:
    arms = {"control": ab.arm_stats_from_counts("control", 10_000, 1_000),
            "b": ab.arm_stats_from_counts("b", 10_050, 1_120)}
    a = analyse_counts(arms, HALF)
    assert a.metrics["metric"].tolist() == ["conversion"]
    assert a.skipped_metrics == ("revenue_per_user", "orders_per_user", "aov", "profit_per_user")
    assert a.bayes["metric"].tolist() == ["conversion"]
    assert a.arms["revenue_per_user"].isna().all()
    z, p = proportions_ztest([1_120, 1_000], [10_050, 10_000])
    assert a.metrics["p_value"].iloc[0] == pytest.approx(p, abs=TIGHT)  # a family of one: unadjusted
    assert a.metrics["p_adjusted"].iloc[0] == pytest.approx(p, abs=TIGHT)
    with pytest.raises(ValueError, match="primary metric 'revenue_per_user' cannot be computed"):
        analyse_counts(arms, HALF, ABConfig(primary_metric="revenue_per_user"))


def test_users_without_revenue_skip_revenue_metrics() -> None:
    users = TINY[["variant", "converted"]]
    a = analyse_users(users, HALF)  # cap_percentile 0.99 by default: ignored without revenue
    assert a.metrics["metric"].tolist() == ["conversion"]
    assert a.bootstrap is None and a.arms["revenue_cap"].isna().all()
    with pytest.raises(ValueError, match="primary metric 'aov'"):
        analyse_users(users, HALF, ABConfig(primary_metric="aov", guardrails=()))


# ============================================================================ decisions


def test_planted_srm_and_missing_arm_are_inconclusive() -> None:
    users = _table(8, 1000, {"control": 0.1, "b": 0.2})
    users = users[~((users["variant"] == "b") & (users.index % 5 == 0))]  # drop 20 % of b
    a = analyse_users(users, HALF, ABConfig(n_boot=100))
    assert a.srm.mismatch and a.warnings[0] == "sample_ratio_mismatch"
    assert a.decisions["b"].reasons == ("sample_ratio_mismatch",)
    assert a.decision == OverallDecision("inconclusive", None)
    # a planned arm with no users is listed with 0 users and breaks the split
    b = analyse_users(_table(8, 1000, {"control": 0.1, "b": 0.2}), THIRDS, ABConfig(n_boot=100))
    assert b.arms["arm"].tolist() == ["control", "b", "c"] and b.arms["users"].tolist() == [1000, 1000, 0]
    assert b.srm.users == (1000, 1000, 0) and b.srm.mismatch
    assert b.treatments == ("b",) and "arm_without_users" in b.warnings


def test_days_give_traffic_and_unknown_days_are_power_unknown() -> None:
    arms = {"control": ab.arm_stats_from_counts("control", 2_000, 200),
            "b": ab.arm_stats_from_counts("b", 2_000, 205)}
    # not significant and far below the sample for a 5 % lift
    with_days = analyse_counts(arms, HALF, ABConfig(max_days_to_wait=1e6), days=4)
    pw = with_days.power.iloc[0]
    assert pw["daily_users"] == 1_000.0  # 4,000 users in 4 days
    assert pw["days_remaining"] == math.ceil((pw["n_needed_control"] - 2_000) / 500)
    assert with_days.decisions["b"].reasons == ("primary_not_significant", "underpowered_keep_collecting")
    no_days = analyse_counts(arms, HALF)
    assert no_days.decisions["b"].reasons == ("primary_not_significant", "power_unknown")
    assert no_days.power["sufficient"].tolist() == [False]  # the frame keeps the power analysis as is
    # a per-user table with assigned_at gives the days itself (calendar days, inclusive)
    users = TINY.assign(assigned_at=pd.to_datetime(["2024-05-01 23:00"] + ["2024-05-03 01:00"] * 7))
    assert analyse_users(users, HALF, ABConfig(n_boot=100)).days == 3.0


def test_guardrail_harm_blocks_a_winning_primary() -> None:
    users = _table(11, 8000, {"control": 0.10, "b": 0.14}, aov_factor={"b": 0.8}, sigma=0.3, with_pre=False)
    a = analyse_users(users, HALF, ABConfig(n_boot=100), days=14)
    assert a.metrics.set_index("metric").loc["conversion", "significant"]
    assert a.decisions["b"].decision == "dont_ship"
    assert a.decisions["b"].reasons == ("guardrail_harmed", "primary_significantly_better")
    assert a.decisions["b"].harmed_guardrails == ("aov",)


# ============================================================================== segments


def test_segments_skip_small_cells_and_match_direct_tests() -> None:
    users = _table(2, 600, {"control": 0.2, "b": 0.25})
    users["acquisition_channel"] = np.where(users.index % 50 == 0, "rare", users["acquisition_channel"])
    users.loc[users.index % 7 == 0, "city_tier"] = None  # → "unknown"
    a = analyse_users(users, HALF, ABConfig(cuped=False, n_boot=100))
    seg = a.segments
    # "rare" has 12 users per arm (< 30): skipped and counted, every other cell is kept
    assert a.segments_skipped == 1 and "segments_skipped" in a.warnings
    assert "rare" not in set(seg["value"])
    assert seg.groupby("dimension")["value"].apply(list).to_dict() == {
        "acquisition_channel": ["ads", "friend", "search"], "city_tier": ["tier1", "tier2", "unknown"],
        "is_new": ["new", "returning"]}
    row = seg.set_index(["dimension", "value"]).loc[("is_new", "returning")]
    part = users[~users["is_new"]]
    arms = ab.arm_stats_from_users(part, converted_col="converted", cap_percentile=99)
    direct = ab.conversion_test(arms["control"], arms["b"])
    assert row["users_control"] == arms["control"].n and row["users_treatment"] == arms["b"].n
    assert row["p_value"] == pytest.approx(direct.p_value, abs=TIGHT)
    assert row["rel_lift"] == pytest.approx(direct.rel_lift, abs=TIGHT)
    # the threshold is "at least min_segment_users in each arm"
    smallest = seg[["users_control", "users_treatment"]].min(axis=1)
    k = int(smallest.min())
    assert analyse_users(users, HALF, ABConfig(n_boot=100, min_segment_users=k)).segments_skipped == 1
    at_k = analyse_users(users, HALF, ABConfig(n_boot=100, min_segment_users=k + 1))
    assert at_k.segments_skipped == 1 + int((smallest == k).sum())
    more = analyse_users(users, HALF, ABConfig(cuped=False, n_boot=100, min_segment_users=400))
    assert more.segments.empty and more.segments_skipped == 9  # every cell: 2 + 4 + 3 values, 1 treatment
    assert list(more.segments.columns) == list(seg.columns)
    assert analyse_users(users, HALF, ABConfig(n_boot=100), segments=()).segments is None


def test_segments_use_the_global_revenue_cap() -> None:
    users = _table(6, 400, {"control": 0.3, "b": 0.3})
    a = analyse_users(users, HALF, ABConfig(primary_metric="revenue_per_user", guardrails=(), cuped=False,
                                            cap_percentile=0.9, n_boot=100, min_segment_users=10))
    cap = a.arms["revenue_cap"].iloc[0]
    part = users[users["city_tier"] == "tier1"].assign(revenue=lambda d: np.minimum(d["revenue"], cap))
    arms = ab.arm_stats_from_users(part)
    direct = ab.mean_test(arms["control"], arms["b"])
    row = a.segments.set_index(["dimension", "value"]).loc[("city_tier", "tier1")]
    assert row["diff"] == pytest.approx(direct.diff, abs=TIGHT)
    assert row["p_value"] == pytest.approx(direct.p_value, abs=TIGHT)


# ====================================================================== seeded simulations


def test_planted_lift_ships_and_aa_does_not() -> None:
    cfg = ABConfig(n_boot=200)
    win = analyse_users(_table(21, 12_000, {"control": 0.10, "b": 0.125}, sigma=0.3), HALF, cfg, days=14)
    assert win.decision == OverallDecision("ship", "b", ("b",))
    assert win.decisions["b"].reasons == ("primary_significantly_better", "guardrails_non_inferior")
    assert win.bayes.set_index("metric").loc["conversion", "prob_treatment_better"] > 0.99
    # three arms, the better one is shipped
    three = _table(22, 12_000, {"control": 0.10, "b": 0.12, "c": 0.135}, sigma=0.3)
    assert analyse_users(three, THIRDS, cfg, days=14).decision.best_variant == "c"
    for seed in (31, 32, 33):
        aa = analyse_users(_table(seed, 12_000, {"control": 0.10, "b": 0.10}, sigma=0.3), HALF, cfg, days=14)
        assert aa.decision.decision != "ship", seed
        assert not aa.metrics["significant"].any()


def test_sequential_decision_is_more_cautious_than_fixed() -> None:
    users = _table(41, 3000, {"control": 0.10, "b": 0.125}, sigma=0.3)
    fixed = analyse_users(users, HALF, ABConfig(n_boot=100, metrics=("conversion", "aov")), days=14)
    seq = analyse_users(users, HALF, ABConfig(n_boot=100, metrics=("conversion", "aov"), sequential=True,
                                              planned_users_per_arm=20_000), days=14)
    s, f = seq.sequential.iloc[0], fixed.metrics.iloc[0]
    assert s["planned_from"] == "config" and s["planned_users_per_arm"] == 20_000
    assert s["ci_high"] - s["ci_low"] > f["ci_high"] - f["ci_low"]
    assert s["p_adjusted"] >= f["p_adjusted"]
    assert seq.decisions["b"].p_value == s["p_adjusted"]


# ====================================================================== config and output


def test_input_errors() -> None:
    with pytest.raises(ValueError, match="needs a 'variant' column"):
        analyse_users(TINY.drop(columns="variant"), HALF)
    with pytest.raises(ValueError, match="1 row.s. have no variant"):
        analyse_users(TINY.assign(variant=["control", None, *["b"] * 6]), HALF)
    with pytest.raises(ValueError, match="repeated customer_id"):
        analyse_users(TINY.assign(customer_id=[1, 2, 3, 4, 5, 6, 7, 1]), HALF)
    with pytest.raises(ValueError, match="control arm 'ctl' has no users"):
        analyse_users(TINY, HALF, ABConfig(control="ctl"))
    with pytest.raises(ValueError, match="no share for arm"):
        analyse_users(TINY, {"control": 1.0})
    with pytest.raises(ValueError, match="days must be"):
        analyse_users(TINY, HALF, days=0)
    with pytest.raises(ValueError, match="excluded"):
        analyse_users(TINY, HALF, excluded={"multi_variant": -1})
    with pytest.raises(ValueError, match="holds the statistics of arm"):
        analyse_counts({"control": ab.arm_stats_from_counts("b", 10, 1)}, HALF)


def test_to_dict_is_plain_json(users3: pd.DataFrame) -> None:
    a = analyse_users(users3, THIRDS, ABConfig(n_boot=100, sequential=True), days=10,
                      excluded={"multi_variant": 3})
    d = json.loads(json.dumps(a.to_dict(), allow_nan=False))
    assert d["excluded"] == {"multi_variant": 3}
    assert d["decision"]["decision"] in ab.DECISIONS
    assert {x["decision"] for x in d["decisions"].values()} <= set(ab.DECISIONS)
    assert len(d["metrics"]) == 8 and len(d["segments"]) == len(a.segments)
    assert d["config"]["guardrails"] == ["aov"]
    assert d["srm"]["users"] == [1500, 1500, 1500]
