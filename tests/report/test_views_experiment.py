"""report.views.experiment: notebook 03's three ways in, first one set wins."""

import pandas as pd
import pytest

from conftest import SAMPLE
from wxshop.ab.analysis import ABConfig, analyse_counts, analyse_users
from wxshop.ab.inputs import arms_from_summary
from wxshop.report.views import experiment

SUMMARY = {"control": {"users": 1000, "conversions": 100}, "treatment": {"users": 1000, "conversions": 130}}


def test_input_source_order():
    assert experiment.input_source(SUMMARY, "x.csv") == "counts"
    assert experiment.input_source({}, "x.csv") == "users"
    assert experiment.input_source({}, "") == "assignments"
    assert set(experiment.SOURCE_TEXT) == {"counts", "users", "assignments"}


def test_counts_way_is_analyse_counts():
    got = experiment.experiment_input(ABConfig(), summary=SUMMARY, outcomes_file="ignored.csv", days=14)
    want = analyse_counts(arms_from_summary(SUMMARY), {"control": 0.5, "treatment": 0.5}, ABConfig(), days=14)
    assert got.source == "counts" and got.data is None and got.users is None and got.period == ("", "")
    pd.testing.assert_frame_equal(got.analysis.metrics, want.metrics)


def test_users_way_reads_the_file(tmp_path):
    users = pd.DataFrame({"variant": ["control"] * 4 + ["treatment"] * 4,
                          "converted": [1, 0, 0, 0, 1, 1, 0, 0], "revenue": [50, 0, 0, 0, 60, 40, 0, 0]})
    path = tmp_path / "users.csv"
    users.to_csv(path, index=False)
    got = experiment.experiment_input(ABConfig(n_boot=100), outcomes_file=str(path), days=7)
    assert got.source == "users" and len(got.users) == 8
    want = analyse_users(got.users, {"control": 0.5, "treatment": 0.5}, ABConfig(n_boot=100), days=7)
    pd.testing.assert_frame_equal(got.analysis.arms, want.arms)


@pytest.mark.parametrize("with_experiments", [True, False])
def test_assignments_way_loads_the_store(tmp_path, with_experiments):
    folder = tmp_path / "store"
    folder.mkdir()
    names = ["orders.csv", "customers.csv"] + (["experiments.csv"] if with_experiments else [])
    for name in names:
        (folder / name).write_bytes((SAMPLE / name).read_bytes())
    got = experiment.experiment_input(ABConfig(n_boot=100), data_dir=folder, store="s",
                                      experiment_id="exp_coupon", rejected_path=tmp_path / "rejected.csv")
    assert got.source == "assignments" and got.data is not None
    if with_experiments:
        assert got.analysis is not None and got.period[0] <= got.period[1] and got.period[0]
        assert got.incomplete_windows >= 0 and len(got.users) == int(got.analysis.arms["users"].sum())
    else:
        assert got.analysis is None and got.users is None
