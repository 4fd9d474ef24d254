"""Fault injection: a batch killed, interrupted or unable to write never leaves a report listed as
成功 that is not from this run, leaves no worker or kernel running, and a rerun repairs all.

Scenarios (each on a project of three sample stores, the store overview each):
kill -9 of the batch process; kill -9 of its process group; Ctrl-C (SIGINT to the group); a full
disk (ENOSPC); two batches at once.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import add_store, new_project, run_wxshop, wxshop_cmd

pytestmark = pytest.mark.slow
STORES = ("s1", "s2", "s3")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Three sample stores with every report "ok" from an earlier run; each test leaves them so
    (its rerun repairs what it broke)."""
    project = new_project(tmp_path_factory.mktemp("faults"))
    for store in STORES:
        add_store(project, store)
    env = {"WXSHOP_HOME": str(project)}
    first = run_wxshop("run", "-n", "store_overview", "--jobs", "2", cwd=project, env=env)
    assert first.returncode == 0, first.stdout + first.stderr  # every report "ok" from before
    return project


def _start(project: Path, jobs: str = "2") -> subprocess.Popen:
    env = {**os.environ, "WXSHOP_HOME": str(project)}
    return subprocess.Popen(wxshop_cmd("run", "-n", "store_overview", "--jobs", jobs), cwd=project,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, stdin=subprocess.DEVNULL)


def _statuses(project: Path) -> dict[str, dict]:
    out = {}
    for store in STORES:
        path = project / "reports" / store / "store_overview.status.json"
        out[store] = json.loads(path.read_text()) if path.is_file() and path.stat().st_size else {}
    return out


def _wait_running(project: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if any(s.get("status") == "running" for s in _statuses(project).values()):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("no report started")


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _wait_gone(pids: set[int], timeout: float = 20) -> set[int]:
    end = time.monotonic() + timeout
    while time.monotonic() < end and any(_alive(p) for p in pids):
        time.sleep(0.2)
    return {p for p in pids if _alive(p)}


def _no_stale_ok(project: Path, since: float) -> None:
    """Every report the index lists as ok has its HTML and JSON from after ``since``."""
    index = run_wxshop("index", cwd=project, env={"WXSHOP_HOME": str(project)})
    assert index.returncode == 0, index.stderr
    for store, status in _statuses(project).items():
        if status.get("status") == "ok":
            for name in ("store_overview.html", "store_overview.json"):
                assert (project / "reports" / store / name).stat().st_mtime >= since, (store, name)
        else:
            assert not (project / "reports" / store / "store_overview.html").exists(), store


def _rerun_repairs(project: Path) -> None:
    again = run_wxshop("run", "-n", "store_overview", "--jobs", "2", cwd=project,
                       env={"WXSHOP_HOME": str(project)})
    assert again.returncode == 0, again.stdout + again.stderr
    assert {s["status"] for s in _statuses(project).values()} == {"ok"}


def test_kill_9_of_the_batch_leaves_no_worker_or_kernel_and_no_stale_ok(project):
    since = time.time()
    proc = _start(project)
    _wait_running(project, proc)
    time.sleep(0.5)  # workers have their kernels now
    family = _descendants(proc.pid)
    assert family, "the batch had no worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert not _wait_gone(family), "orphaned workers or kernels"
    _no_stale_ok(project, since)
    assert {s.get("status") for s in _statuses(project).values()} <= {"ok", "running", "pending"}
    _rerun_repairs(project)


def test_kill_9_of_the_process_group_leaves_no_stale_ok(project):
    since = time.time()
    proc = _start(project)
    _wait_running(project, proc)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    _no_stale_ok(project, since)
    assert any(s.get("status") != "ok" for s in _statuses(project).values())
    _rerun_repairs(project)


def test_ctrl_c_stops_within_seconds_writes_the_index_and_exits_130(project):
    since = time.time()
    proc = _start(project)
    _wait_running(project, proc)
    family = _descendants(proc.pid)
    t0 = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - t0 < 15
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err and "interrupted" in err
    assert (project / "reports" / "index.html").stat().st_mtime >= since
    assert not _wait_gone(family)
    statuses = {s.get("status") for s in _statuses(project).values()}
    assert statuses - {"ok"} and statuses <= {"ok", "interrupted", "pending"}
    page = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "已中断" in page or "未运行" in page
    _no_stale_ok(project, since)
    _rerun_repairs(project)


def test_ctrl_c_with_one_job_stops_the_kernel_leaves_no_half_report_and_no_traceback(project):
    """--jobs 1: the reports run on this process's kernel and are exported in a thread behind
    it. Ctrl-C in a cell: exit 130, the report being exported is finished, the one running is
    marked interrupted and its half-written notebook removed, no traceback (nbclient's stopped
    cell task included), no kernel left."""
    since = time.time()
    proc = _start(project, jobs="1")
    _wait_running(project, proc)
    family = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, out + err
    assert "Traceback" not in err and "interrupted" in err, err
    assert not _wait_gone(family)
    kept = list((project / "reports").glob(f"*/.running-{proc.pid}-*"))  # (other tests kill workers)
    assert not kept, "a half-written report was kept"
    statuses = {s.get("status") for s in _statuses(project).values()}
    assert statuses - {"ok"} and statuses <= {"ok", "interrupted", "pending"}
    _no_stale_ok(project, since)
    _rerun_repairs(project)


def test_a_full_disk_is_one_line_and_exit_2_and_the_old_status_survives(project, monkeypatch, capsys):
    from wxshop import cli
    from wxshop.batch import results

    before = _statuses(project)["s1"]

    def full(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setenv("WXSHOP_HOME", str(project))
    monkeypatch.setattr(results, "write_atomic", full)
    monkeypatch.setattr("sys.argv", ["wxshop", "run", "-s", "s1", "-n", "store_overview"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot write ")
    assert "No space left on device" in err and "Traceback" not in err
    assert _statuses(project)["s1"] == before  # the old status file is whole, not 0 bytes


def test_two_batches_at_once_end_with_every_report_ok(project):
    first, second = _start(project), _start(project)
    for proc in (first, second):
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out + err
    assert {s["status"] for s in _statuses(project).values()} == {"ok"}
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "全部报告生成成功" in index


def test_a_data_error_after_a_good_run_leaves_nothing_of_the_good_run(project):
    import pandas as pd

    data = project / "data" / "s3"
    good = (data / "orders.csv").read_bytes()
    report = project / "reports" / "s3"
    assert (report / "store_overview.json").is_file() and (report / "rejected_rows.csv").is_file()
    orders = pd.read_csv(data / "orders.csv", dtype=str, encoding="utf-8-sig")
    orders.drop(columns="amount").to_csv(data / "orders.csv", index=False)
    try:
        proc = run_wxshop("run", "-s", "s3", "-n", "store_overview", cwd=project,
                          env={"WXSHOP_HOME": str(project)})
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert _statuses(project)["s3"]["status"] == "data_error"
        assert not (report / "store_overview.json").exists()
        assert not (report / "store_overview.html").exists()
        assert not (report / "rejected_rows.csv").exists()
    finally:
        (data / "orders.csv").write_bytes(good)
    _rerun_repairs(project)
