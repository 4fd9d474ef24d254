"""Issue 17: an experiment id that YAML or the command line leaves empty (None, "None", "null",
blank) is a clear parameter error, never a report called ab_test-None."""

from __future__ import annotations

import pytest

from wxshop.ab.config import ABConfig
from wxshop.batch.plan import experiment_entries
from wxshop.errors import ParamsError
from wxshop.report.views.experiment import experiment_input, report_name


@pytest.mark.parametrize("value", [None, "None", "null", "~", "", "  "])
def test_empty_experiment_id_is_an_error_for_the_experiments_table(value):
    with pytest.raises(ParamsError, match="experiment_id is empty"):
        report_name(value, "assignments")
    with pytest.raises(ParamsError, match="experiment_id is empty"):
        experiment_input(ABConfig(), data_dir="data/sample", experiment_id=value)


@pytest.mark.parametrize("value", [None, "None", ""])
def test_other_inputs_need_no_id(value):
    assert report_name(value, "users") == report_name(value, "counts") == "ab_test"


def test_ids_name_files():
    assert report_name(" exp_coupon ", "assignments") == "ab_test-exp_coupon"
    with pytest.raises(ParamsError, match="may only hold"):
        report_name("../x", "users")


@pytest.mark.parametrize("experiments", [{None: {}}, {"": {}}, [{"experiment_id": None}], [None],
                                         [{"experiment_id": " "}]])
def test_store_yaml_with_an_empty_experiment_id_is_refused(experiments):
    with pytest.raises(ParamsError, match="empty|needs an experiment_id"):
        experiment_entries("s1", experiments, {"experiment_id", "alpha"}, "ab_test")
