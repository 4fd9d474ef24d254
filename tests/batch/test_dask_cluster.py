"""`wxshop run --scheduler`: the batch on a real local Dask cluster (a scheduler and two
single-threaded workers as subprocesses), a worker that dies, a bad address, and the pieces
the cluster path relies on (absolute paths, a job process that dies)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import BIN, SAMPLE, add_store, new_project, run_wxshop
from wxshop import batch as runner
from wxshop.batch.dask import JobLostError, connect, for_cluster, run_isolated
from wxshop.batch.dask import lost_result as _lost
from wxshop.errors import WxshopError

pytestmark = pytest.mark.slow

DASK = BIN / "dask"
START_TIMEOUT = 120  # seconds for the scheduler and the workers to come up


def _start(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    """A process in its own group, so it and the processes it starts can be stopped together."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})}, start_new_session=True,
        )


def _stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM each process group (graceful close of workers and nannies), then SIGKILL."""
    for sig, grace in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        for p in procs:
            try:
                os.killpg(p.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        for p in procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        if all(p.poll() is not None for p in procs):
            return


def _worker_addresses(address: str, n: int) -> set[str]:
    from distributed import Client

    with Client(address, timeout="10s", set_as_default=False) as client:
        client.wait_for_workers(n, timeout=START_TIMEOUT)
        return set(client.scheduler_info()["workers"])


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, scheduler process, worker processes). The scheduler gives up on a
    task at the first worker that dies running it, so that case is quick to test."""
    folder = tmp_path_factory.mktemp("dask")
    (folder / "tmp").mkdir()
    sched_file = folder / "scheduler.json"
    procs = []
    try:
        procs.append(_start(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--dashboard-address", "127.0.0.1:0", "--scheduler-file", str(sched_file)],
            folder / "scheduler.log", env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"},
        ))
        deadline = time.monotonic() + START_TIMEOUT
        while not sched_file.is_file() and procs[0].poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sched_file.is_file(), (folder / "scheduler.log").read_text()
        time.sleep(0.2)  # the file is written in one go, but give the writer its close
        address = json.loads(sched_file.read_text())["address"]
        for i in (1, 2):
            procs.append(_start(
                [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1",
                 "--host", "127.0.0.1", "--no-dashboard", "--local-directory", str(folder / f"w{i}")],
                folder / f"worker{i}.log", env={"TMPDIR": str(folder / "tmp")},
            ))
        _worker_addresses(address, 2)
        yield address, procs[0], procs[1:]
    finally:
        _stop(procs)
    assert all(p.poll() is not None for p in procs), "cluster processes left running"


# `wxshop run` options choosing the notebooks of the cluster batch.
NOTEBOOKS = ("-n", "store_overview", "-n", "ab_test")


@pytest.fixture(scope="module")
def batch(cluster, tmp_path_factory):
    """Two stores reading one copy of the sample store (relative data_dir), one listing an
    experiment; the store overview and the A/B notebook (three reports) sent to the two workers.
    (Every notebook of a store runs in the shared demo batch; here the cluster is tested.)"""
    address = cluster[0]
    project = new_project(tmp_path_factory.mktemp("proj"))
    shutil.copytree(SAMPLE, project / "data" / "sample")
    stores = project / "params" / "stores"
    (stores / "north.yaml").write_text("data_dir: data/sample\nexperiments: {exp_coupon: {}}\n")
    (stores / "south.yaml").write_text("data_dir: data/sample\nlang: en\n")
    workers = _worker_addresses(address, 2)
    t0 = time.monotonic()
    proc = run_wxshop("run", "--scheduler", address, "--jobs", "3", *NOTEBOOKS, cwd=project,
                      env={"WXSHOP_HOME": str(project)}, timeout=900)
    return project, proc, workers, time.monotonic() - t0


def test_every_planned_report_is_written_by_the_cluster(batch):
    project, proc, _, seconds = batch
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "--jobs does not apply with --scheduler" in proc.stderr
    jobs = runner.plan_jobs(root=project, notebooks=NOTEBOOKS[1::2])
    assert sorted((j.store, j.name) for j in jobs) == [
        ("north", "ab_test-exp_coupon"), ("north", "store_overview"), ("south", "store_overview")]
    assert f"{len(jobs)}/{len(jobs)} reports written." in proc.stdout
    for job in jobs:
        assert job.output_html.stat().st_size > 10_000, job
        figures = json.loads((Path(job.report_dir) / f"{job.name}.json").read_text(encoding="utf-8"))
        assert figures, job
        status = json.loads(job.status_path.read_text(encoding="utf-8"))
        assert status["status"] == "ok", status
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="north/ab_test-exp_coupon.html"' in index and 'href="south/store_overview.html"' in index
    print(f"cluster batch of {len(jobs)} reports: {seconds:.0f} s")


def test_jobs_ran_on_both_workers(batch):
    project, _, workers, _ = batch
    statuses = [json.loads(p.read_text(encoding="utf-8"))
                for p in (project / "reports").glob("*/*.status.json")]
    assert {s["worker"] for s in statuses} == workers


def test_report_settings_reach_the_workers(batch):
    project, _, _, _ = batch
    south = json.loads((project / "reports" / "south" / "store_overview.json").read_text(encoding="utf-8"))
    north = json.loads((project / "reports" / "north" / "store_overview.json").read_text(encoding="utf-8"))
    assert south["lang"] == "en" and north["lang"] == "zh"
    assert south["headline"] == north["headline"]  # the same data, read through a relative data_dir


def _die_notebook(path: Path) -> None:
    """A notebook that, for a store that asks, kills its job's process or the Dask worker."""
    params = new_code_cell('kill: str = ""  # "job", "worker" or nothing')
    params.metadata["tags"] = ["parameters"]
    body = new_code_cell(
        "import os\nimport psutil\n\n"
        "job = psutil.Process().parent()  # the kernel's parent runs the job; its parent is the worker\n"
        'target = {"job": job, "worker": job.parent() if job else None}.get(kill)\n'
        "if target is not None:\n    target.kill()\n    os._exit(1)\n"
    )
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
              "language_info": {"name": "python"}}
    nbformat.write(new_notebook(cells=[params, body], metadata=kernel), path)


def test_a_worker_that_dies_fails_its_report_not_the_batch(cluster, tmp_path):
    address = cluster[0]
    project = new_project(tmp_path / "proj")
    _die_notebook(project / "notebooks" / "90_die.ipynb")
    add_store(project, "bystander")
    add_store(project, "victim", yaml_extra="kill: worker\n")
    _worker_addresses(address, 2)
    proc = run_wxshop("run", "--scheduler", address, "-n", "die", cwd=project,
                      env={"WXSHOP_HOME": str(project)}, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "1/2 reports written." in proc.stdout
    line = next(x for x in proc.stderr.splitlines() if x.startswith("FAILED victim / die"))
    assert "Dask worker died" in line
    ok = json.loads((project / "reports" / "bystander" / "die.status.json").read_text(encoding="utf-8"))
    assert ok["status"] == "ok"
    failed = json.loads((project / "reports" / "victim" / "die.status.json").read_text(encoding="utf-8"))
    assert failed["status"] == "failed"
    assert "victim" in (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert cluster[1].poll() is None, "the scheduler must outlive a worker"
    _worker_addresses(address, 2)  # the nanny brings the worker back


def test_bad_scheduler_address_exit_2_fast_without_traceback(project):
    add_store(project, "s1")
    t0 = time.monotonic()
    proc = run_wxshop("run", "--scheduler", "tcp://127.0.0.1:1", cwd=project,
                      env={"WXSHOP_HOME": str(project)}, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in proc.stderr
    assert "dask scheduler" in proc.stderr  # the fix
    assert len(proc.stderr.strip().splitlines()) <= 2
    assert time.monotonic() - t0 < 60
    assert not (project / "reports" / "s1").exists()


def test_a_scheduler_without_workers_is_a_clear_error():
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as local:
        address = local.scheduler_address
        message = f"has no workers after 1 s. Fix: run `dask worker {address}`"
        with pytest.raises(WxshopError, match=re.escape(message)):
            connect(address, workers_timeout=1)


def test_jobs_sent_to_a_cluster_carry_absolute_paths(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    job = runner.Job("s", "store_overview", "notebooks/00.ipynb", "reports/s", ".",
                     {"report_dir": "reports/s", "data_dir": "data/s"})
    sent = for_cluster(job)
    assert sent.input_path == str(tmp_path / "notebooks" / "00.ipynb")
    assert sent.report_dir == str(tmp_path / "reports" / "s") == sent.parameters["report_dir"]
    assert sent.root == str(tmp_path)
    assert sent.parameters["data_dir"] == "data/s"  # read on the worker from the project folder
    planned = runner.Job("s", "n", "/p/nb.ipynb", "/p/reports/s", "/p", {"report_dir": "/p/reports/s"})
    assert for_cluster(planned) == planned


def test_a_missing_project_folder_on_the_worker_says_so(tmp_path):
    job = runner.Job("s", "n", str(tmp_path / "nb.ipynb"), str(tmp_path / "r"), str(tmp_path / "nope"))
    with pytest.raises(JobLostError, match="not found on worker .*shared folder"):
        run_isolated(job)


def test_a_job_process_that_dies_gives_a_failed_result_and_status(project):
    _die_notebook(project / "notebooks" / "90_die.ipynb")
    report_dir = project / "reports" / "s"
    job = runner.Job("s", "die", str(project / "notebooks" / "90_die.ipynb"), str(report_dir),
                     str(project), {"kill": "job"})
    with pytest.raises(JobLostError, match="exited with code -9") as err:
        run_isolated(job)
    result = _lost(job, err.value)
    assert result.status == "failed" and "exited with code -9" in result.error
    status = json.loads(job.status_path.read_text(encoding="utf-8"))
    assert status["status"] == "failed" and status["error"] == result.error
    assert runner.exit_code([result]) == 1


def test_distributed_is_imported_only_with_a_scheduler():
    code = "import sys, wxshop.cli, wxshop.batch.runner; print('distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
