"""The private-domain report's figures recover what the demo generator planted (issue 20's
"Done when"): the friend-add rate to ±1 point, each group type's daily leaving rate to ±0.3 points,
the planted touch effect inside the randomised holdout's 95% interval, while the touched-vs-untouched
comparison is off in the direction the confounding was planted. The store goes through the loader,
as a report reads it."""

from __future__ import annotations

import pandas as pd
import pytest

from wxshop.ab import holdout
from wxshop.analysis.private_domain import cadence, community, content, staff
from wxshop.data.load import load_store
from wxshop.demo.store import generate_store, write_store

CUSTOMERS = 40_000  # new buyers in the year: about 25,000, so the friend-add rate's SE is about 0.3 points


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tables, truth = generate_store(CUSTOMERS, seed=20, store_id="pd_truth")
    folder = write_store(tables, truth, tmp_path_factory.mktemp("pd") / "pd_truth", fmt="parquet")
    data = load_store(folder, name="pd_truth")
    pd_truth = truth["private_domain"]
    window = pd_truth["window"]
    return data, pd_truth, pd.Timestamp(window["start"]), pd.Timestamp(window["end"])


def test_friend_add_rate_within_one_point(planted):
    data, truth, start, end = planted
    got = staff.friend_add_rate(data.orders, data.tables["contacts"], start=start, end=end)
    assert got["new_buyers"] > 15_000
    assert got["rate"] == pytest.approx(truth["friend_add_rate"], abs=0.01)


def test_daily_leaving_rate_per_group_type_within_point_three(planted):
    data, truth, start, end = planted
    rates = community.leaving_rates(
        data.tables["group_members"], data.tables["groups"], start=start, end=end, by="group_type"
    ).set_index("group_type")
    by_type = truth["groups"]["by_type"]
    assert set(by_type) <= set(rates.index)
    for group_type, planted_type in by_type.items():
        assert rates.loc[group_type, "daily_rate"] == pytest.approx(
            planted_type["leave_rate_planted"], abs=0.003
        )


def test_request_pass_and_open_rates_follow_the_planted_chances(planted):
    data, truth, start, end = planted
    kpis = staff.staff_kpis(data.tables["staff_daily"], start=start, end=end)
    assert kpis["pass_rate"].iloc[0] == pytest.approx(truth["expected_pass_rate"], abs=0.01)
    one_to_one = staff.session_open_rate(data.tables["touches"], start=start, end=end, kinds=("1v1",))
    assert one_to_one["rate"] == pytest.approx(truth["session_open_rate"], abs=0.02)


def test_content_open_rates_follow_the_planted_ones(planted):
    data, truth, start, end = planted
    rates = content.content_rates(data.tables["posts"], start=start, end=end).set_index(["channel", "kind"])
    planted_rates = truth["posts"]["open_rate_planted"]
    for channel, kinds in planted_rates.items():
        for kind, rate in kinds.items():
            assert rates.loc[(channel, kind), "open_rate"] == pytest.approx(rate, abs=0.02), (channel, kind)


def test_touch_effect_inside_the_randomised_interval_and_the_naive_comparison_is_biased(planted):
    data, truth, start, end = planted
    outcomes = holdout.holdout_outcomes(
        data.experiments, data.orders, experiment_id="sop_holdout", end=end, days=30
    )
    effect = holdout.holdout_effect(outcomes)
    assert effect["ci_low"] <= truth["touch_effect"] <= effect["ci_high"]
    assert effect["n_control"] > 200 and effect["ci_low"] > 0  # the holdout is big enough to see it

    entries = cadence.touched_within(
        cadence.stage_entries(data.orders, start=start, end=end), data.tables["touches"]
    )
    observed = cadence.exclude_experiment(entries, data.experiments, "sop_holdout")
    stages = cadence.cadence_outcomes(observed, data.orders, end=end, outcome_days=(14, 30))
    naive = holdout.naive_effect(stages.loc["silent"], days=30)
    sign = {"up": 1, "down": -1}[truth["naive_bias_direction"]]
    # the naive difference is off the planted effect the way the confounding was planted, by more
    # than its own interval allows
    bias = naive["diff"] - truth["touch_effect"]
    assert sign * bias > 0
    assert not naive["ci_low"] <= truth["touch_effect"] <= naive["ci_high"]
