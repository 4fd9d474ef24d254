"""Planning the batch: which jobs, with which parameters, under which names."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from wxshop.batch.plan import Job, experiment_entries, plan_jobs
from wxshop.errors import ParamsError

DECLARED = {"experiment_id", "primary_metric", "alpha"}


def _notebook(path, source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    nbformat.write(new_notebook(cells=[cell, new_code_cell("print(1)")]), path)


@pytest.fixture
def fan_project(project):
    _notebook(project / "notebooks" / "90_fan.ipynb",
              'experiment_id: str = ""  # id\nalpha: float = 0.05  # level\nlang: str = "zh"  # language')
    stores = project / "params" / "stores"
    (stores / "a.yaml").write_text("data_dir: data/a\nexperiments:\n  exp_1: {alpha: 0.01}\n  exp_2:\n")
    (stores / "b.yaml").write_text("data_dir: data/b\n")
    return project


def test_one_job_per_listed_experiment_with_its_settings(fan_project):
    jobs = plan_jobs(notebooks=["fan"], root=fan_project)
    assert [(j.store, j.item) for j in jobs] == [("a", "exp_1"), ("a", "exp_2")]  # b lists none
    assert jobs[0].parameters == {"experiment_id": "exp_1", "alpha": 0.01, "lang": "zh"}
    assert jobs[1].parameters == {"experiment_id": "exp_2", "lang": "zh"}
    assert jobs[0].output_html.name == "fan-exp_1.html"
    assert jobs[0].status_path.name == "fan-exp_1.status.json"


def test_other_notebooks_are_not_fanned_out(fan_project):
    jobs = plan_jobs(notebooks=["store_overview"], root=fan_project)
    assert [(j.store, j.item, j.output_html.name) for j in jobs] == [
        ("a", "", "store_overview.html"), ("b", "", "store_overview.html")]


def test_entries_as_list_of_ids_or_mappings():
    assert experiment_entries("s", ["e1", {"experiment_id": "e2", "alpha": 0.1}], DECLARED, "ab") == [
        ("e1", {}), ("e2", {"alpha": 0.1})]


@pytest.mark.parametrize("bad, match", [
    ({"e1": {"alhpa": 0.1}}, "alhpa, which ab does not take"),
    (["e1", "e1"], "listed twice"),
    (["../etc"], "may only hold"),
    ([{"alpha": 0.1}], "needs an experiment_id"),
    ("e1", "expected a mapping"),
])
def test_bad_experiment_lists_name_the_file_and_the_fix(bad, match):
    with pytest.raises(ParamsError, match=match) as err:
        experiment_entries("s", bad, DECLARED, "ab")
    assert "params/stores/s.yaml" in str(err.value)


def test_job_names():
    job = Job("s", "ab_test", "nb.ipynb", "/r/s", "/", {}, False, "exp_1")
    assert job.name == "ab_test-exp_1" and job.log_path.name == "ab_test-exp_1.kernel.log"
