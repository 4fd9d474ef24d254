"""The A/B notebook runs from each of its three ways in — a store's assignments + orders, a
per-user outcome file, summary counts typed into the parameters — under papermill (on one warm
kernel of the batch, reset between runs), and its figures equal scipy/statsmodels on the same numbers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from papermill.exceptions import PapermillExecutionError
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest

from conftest import ROOT, run_on_pool

pytestmark = pytest.mark.slow
NOTEBOOK = ROOT / "notebooks" / "03_ab_test.ipynb"


def _run(tmp_path, pool, **parameters):
    report_dir = tmp_path / "r"
    run_on_pool(pool, NOTEBOOK, tmp_path / "out.ipynb", ROOT, report_dir=str(report_dir), **parameters)
    name = parameters.get("experiment_id", "exp_coupon")
    return json.loads((report_dir / f"ab_test-{name}.json").read_text(encoding="utf-8"))


def _outcome_frame(seed: int = 11, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    variant = rng.choice(["control", "treatment"], size=n)
    treated = variant == "treatment"
    converted = rng.random(n) < np.where(treated, 0.18, 0.12)
    orders = np.where(converted, 1 + rng.poisson(0.3, n), 0)
    revenue = np.where(converted, rng.lognormal(4.5, 0.8, n) * orders, 0.0).round(2)
    pre = rng.lognormal(4, 1, n).round(2) * (rng.random(n) < 0.6)
    return pd.DataFrame({"user": [f"u{i}" for i in range(n)], "variant": variant,
                         "converted": converted.astype(int), "orders": orders, "revenue": revenue,
                         "pre_revenue": pre})


def test_from_assignments_and_orders_of_the_sample_store(tmp_path, warm_pool):
    data = _run(tmp_path, warm_pool, lang="en")
    assert data["parameters"]["input"] == "assignments"
    assert data["headline"]["input"] == "users"
    assert data["period"]["start"] and data["data_quality"]["rows_read"] > 0


def test_from_a_per_user_outcome_file(tmp_path, warm_pool):
    """Welch t on uncapped, un-adjusted revenue per user equals scipy's ttest_ind(equal_var=False)."""
    frame = _outcome_frame()
    path = tmp_path / "outcomes.csv"
    frame.to_csv(path, index=False)
    data = _run(tmp_path, warm_pool, experiment_id="file_test", outcomes_file=str(path), cuped=False,
                cap_percentile=0.0, guardrails=[], days=14.0)
    head = data["headline"]
    assert data["parameters"]["input"] == "users" and head["input"] == "users"
    assert head["users"] == len(frame) and data["data_quality"] == {}
    metrics = {r["metric"]: r for r in data["tables"]["metrics"]}
    c = frame.loc[frame["variant"] == "control"]
    t = frame.loc[frame["variant"] == "treatment"]
    welch = stats.ttest_ind(t["revenue"], c["revenue"], equal_var=False)
    rpu = metrics["revenue_per_user"]
    assert rpu["diff"] == pytest.approx(t["revenue"].mean() - c["revenue"].mean(), rel=1e-9)
    assert rpu["statistic"] == pytest.approx(welch.statistic, rel=1e-9)
    assert rpu["p_value"] == pytest.approx(welch.pvalue, rel=1e-9)
    conv = metrics["conversion"]
    assert conv["mean_control"] == pytest.approx(c["converted"].mean(), rel=1e-12)
    assert conv["mean_treatment"] == pytest.approx(t["converted"].mean(), rel=1e-12)
    assert head["treatment.p_value"] == pytest.approx(conv["p_value"], rel=1e-12)
    assert head["decision"] == "ship"  # a 50% relative lift on 2,000 users per arm, no guardrails


def test_from_summary_counts_typed_into_the_parameters(tmp_path, warm_pool):
    """Dashboard counts: the conversion test equals statsmodels' two-proportion z-test; revenue per
    user comes from the sums; AOV cannot, so spend per buyer (revenue ÷ converters) stands in for
    the AOV guardrail and is checked: ¥152.50 vs ¥150.00."""
    summary = {
        "control": {"users": 5000, "conversions": 400, "revenue_sum": 61000.0, "revenue_sumsq": 9.5e6},
        "treatment": {"users": 5000, "conversions": 470, "revenue_sum": 70500.0, "revenue_sumsq": 1.1e7},
    }
    data = _run(tmp_path, warm_pool, experiment_id="dashboard", summary=summary, days=10.0, lang="en")
    head = data["headline"]
    assert data["parameters"]["input"] == "counts" and head["input"] == "counts"
    metrics = {r["metric"]: r for r in data["tables"]["metrics"]}
    conv = metrics["conversion"]
    assert conv["test"] == "z_pooled"
    z, p = proportions_ztest([470, 400], [5000, 5000], alternative="two-sided", prop_var=False)
    assert conv["statistic"] == pytest.approx(z, rel=1e-9)
    assert conv["p_value"] == pytest.approx(p, rel=1e-9)
    assert conv["diff"] == pytest.approx(470 / 5000 - 400 / 5000, rel=1e-12)
    rpu = metrics["revenue_per_user"]
    assert rpu["mean_control"] == pytest.approx(61000 / 5000) and rpu["mean_treatment"] == pytest.approx(14.1)
    analysis = data["headline"]["analysis"]
    assert "aov" in analysis["skipped_metrics"] and "guardrail_not_checked" not in analysis["warnings"]
    assert analysis["stand_ins"] == {"aov": "spend_per_buyer"}
    spb = metrics["spend_per_buyer"]
    assert spb["role"] == "guardrail" and spb["mean_control"] == pytest.approx(61000 / 400, rel=1e-12)
    assert spb["mean_treatment"] == pytest.approx(70500 / 470, rel=1e-12)
    assert data["data_quality"] == {} and data["period"] == {"start": "", "end": ""}


def test_bad_summary_names_the_arm_and_key(tmp_path, warm_pool):
    with pytest.raises(PapermillExecutionError) as err:
        _run(tmp_path, warm_pool, experiment_id="bad", summary={"control": {"users": 100, "conversions": 150},
                                                     "treatment": {"users": 100, "conversions": 10}})
    assert err.value.ename == "ParamsError"
    assert "control" in err.value.evalue and "conversions" in err.value.evalue


def test_missing_outcome_file_is_a_data_error(tmp_path, warm_pool):
    with pytest.raises(PapermillExecutionError) as err:
        _run(tmp_path, warm_pool, experiment_id="nofile", outcomes_file=str(tmp_path / "missing.csv"))
    assert err.value.ename == "DataError" and "missing.csv" in err.value.evalue


def test_sequential_adds_always_valid_intervals_wider_than_the_fixed_ones(tmp_path, warm_pool):
    path = tmp_path / "outcomes.csv"
    _outcome_frame(seed=5).to_csv(path, index=False)
    data = _run(tmp_path, warm_pool, experiment_id="seq", outcomes_file=str(path), sequential=True, days=14.0)
    seq = data["tables"]["sequential"]
    fixed = {r["treatment"]: r for r in data["tables"]["metrics"] if r["role"] == "primary"}
    assert len(seq) == 1 and data["parameters"]["sequential"] is True
    row = seq[0]
    base = fixed[row["treatment"]]
    assert row["ci_low"] < base["ci_low"] and row["ci_high"] > base["ci_high"]
    assert row["p_value"] >= base["p_value"]
    head = data["headline"]
    assert head["treatment.always_valid_ci_low"] == pytest.approx(row["ci_low"], rel=1e-12)
    assert head["treatment.always_valid_p_adjusted"] == pytest.approx(row["p_adjusted"], rel=1e-12)


def test_a_win_is_never_a_plain_ship_while_a_guardrail_could_not_be_computed():
    """Counts give no AOV: with the AOV guardrail the decision is inconclusive with its reason
    (it was "ship" before, the unchecked guardrail only a later warning); without guardrails
    the same counts ship."""
    from wxshop.ab.analysis import ABConfig, analyse_counts
    from wxshop.ab.inputs import arms_from_summary

    arms = arms_from_summary({"control": {"users": 1000, "conversions": 100},
                              "treatment": {"users": 1000, "conversions": 130}})
    guarded = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(), days=14)
    d = guarded.decisions["treatment"]
    assert (d.decision, d.reasons) == ("inconclusive", ("primary_significantly_better",
                                                        "guardrail_not_checked"))
    assert "aov" in d.unproven_guardrails and "guardrail_not_checked" in guarded.warnings
    bare = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(guardrails=()), days=14)
    assert bare.decisions["treatment"].decision == "ship"
