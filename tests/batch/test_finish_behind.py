"""One report after another on one kernel: each report's HTML export is written in a thread
while the next report runs (wxshop.batch.execute.start_job), and nothing is marked ok before
its HTML is written. The notebooks and the export are stand-ins here (no kernel): what is
tested is the order of things."""

from __future__ import annotations

import json
import threading
import time

import pytest

from wxshop.batch import execute, local
from wxshop.batch.plan import Job


def _jobs(tmp_path, names):
    return [Job("s", name, str(tmp_path / f"{name}.ipynb"), str(tmp_path / "reports"), str(tmp_path))
            for name in names]


@pytest.fixture
def stand_ins(monkeypatch):
    """_run_notebook writes a notebook file (or runs the job's hook); write_html writes the
    page (after the job's export hook). Every step is logged with its thread."""
    log, hooks = [], {"run": {}, "html": {}}

    def run_notebook(job, pool, output):
        log.append(("run", job.notebook, threading.current_thread().name))
        hooks["run"].get(job.notebook, lambda: None)()
        output.write_text("{}", encoding="utf-8")
        log.append(("ran", job.notebook, threading.current_thread().name))

    def write_html(ipynb, html_path, with_code=False):
        log.append(("html", html_path.stem, threading.current_thread().name))
        hooks["html"].get(html_path.stem, lambda: None)()
        html_path.write_text("<html></html>", encoding="utf-8")
        log.append(("written", html_path.stem, threading.current_thread().name))
        return html_path

    monkeypatch.setattr(execute, "_run_notebook", run_notebook)
    monkeypatch.setattr(execute, "write_html", write_html)
    monkeypatch.setattr(execute, "kernel_pool", lambda: None)
    return log, hooks


def test_the_next_report_runs_while_the_last_ones_html_is_written(tmp_path, stand_ins):
    log, hooks = stand_ins
    exporting = threading.Event()
    hooks["html"]["a"] = lambda: (exporting.set(), time.sleep(0.3))
    hooks["run"]["b"] = lambda: exporting.wait(5)  # never set if the export waited for b
    done = []
    results = local.run_local(_jobs(tmp_path, ["a", "b", "c"]), n_jobs=1, on_done=done.append)
    assert exporting.is_set()
    assert [r.notebook for r in results] == ["a", "b", "c"] == [r.notebook for r in done]
    assert {r.status for r in results} == {"ok"} and all(r.html for r in results)
    html_a = [e for e in log if e[:2] == ("html", "a")][0]
    assert html_a[2].startswith("wxshop-finish")  # the export in the thread, b's cells here
    assert log.index(("ran", "b", "MainThread")) < log.index(("written", "a", html_a[2]))


def test_a_failed_report_between_good_ones_keeps_the_order_and_has_no_html(tmp_path, stand_ins):
    log, hooks = stand_ins

    def fails():
        from papermill.exceptions import PapermillExecutionError

        raise PapermillExecutionError(3, 3, "x = 1", "ValueError", "boom", [])

    hooks["run"]["b"] = fails
    results = local.run_local(_jobs(tmp_path, ["a", "b", "c"]), n_jobs=1)
    assert [(r.notebook, r.status) for r in results] == [("a", "ok"), ("b", "failed"), ("c", "ok")]
    assert results[1].cell == 3 and not results[1].html
    assert not any(e[:2] == ("html", "b") for e in log)


def test_ctrl_c_in_the_next_report_finishes_the_export_under_way_and_marks_the_rest(tmp_path, stand_ins):
    log, hooks = stand_ins
    exporting = threading.Event()
    hooks["html"]["a"] = lambda: (exporting.set(), time.sleep(0.5))

    def ctrl_c():
        exporting.wait(5)
        raise KeyboardInterrupt

    hooks["run"]["b"] = ctrl_c
    jobs = _jobs(tmp_path, ["a", "b", "c"])
    with pytest.raises(local.Interrupted) as stopped:
        local.run_local(jobs, n_jobs=1)
    assert [(r.notebook, r.status) for r in stopped.value.results] == [("a", "ok")]
    assert jobs[0].output_html.is_file()  # a's page was written before "ok" was
    statuses = {j.notebook: json.loads((tmp_path / "reports" / f"{j.name}.status.json").read_text(
        encoding="utf-8"))["status"] for j in jobs}
    assert statuses == {"a": "ok", "b": "interrupted", "c": "interrupted"}


def test_a_report_finished_behind_does_not_take_the_next_ones_folder(tmp_path, stand_ins):
    """Each report runs into a folder of its own: the last report's, removed when its export is
    done, is not the one the next report is writing into."""
    log, hooks = stand_ins
    finished = threading.Event()
    hooks["html"]["a"] = lambda: time.sleep(0.2)

    def after_a():
        deadline = time.monotonic() + 5
        while not (tmp_path / "reports" / "a.html").is_file() and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # a's folder is removed by now
        finished.set()

    hooks["run"]["b"] = after_a
    results = local.run_local(_jobs(tmp_path, ["a", "b"]), n_jobs=1)
    assert finished.is_set()
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    assert not list((tmp_path / "reports").glob(".running-*"))


def test_the_html_export_warms_up_in_the_finishing_thread_while_the_first_report_runs(tmp_path, stand_ins,
                                                                                      monkeypatch):
    log, hooks = stand_ins
    warmed = threading.Event()
    monkeypatch.setattr(local, "warm_up_html", lambda: (log.append(
        ("warm", "", threading.current_thread().name)), warmed.set()))
    hooks["run"]["a"] = lambda: warmed.wait(5)  # the first report's cells, meanwhile
    local.run_local(_jobs(tmp_path, ["a"]), n_jobs=1)
    warm = [e for e in log if e[0] == "warm"]
    assert warm and warm[0][2].startswith("wxshop-finish")
    assert log.index(warm[0]) < log.index(("ran", "a", "MainThread"))
