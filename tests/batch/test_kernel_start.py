"""Kernel start-up: IPC kernels in a private folder, how a dead kernel ended, a retry in a fresh process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from wxshop.batch import execute, kernel_start, kernels, local
from wxshop.batch.plan import Job
from wxshop.batch.results import JobResult


def tiny_notebook(path):
    """A one-cell notebook: a kernel start and little else."""
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_new_kernels_use_ipc_sockets_in_a_private_folder():
    km = kernel_start.new_kernel_manager()
    folder = kernel_start.runtime_dir()
    assert km.transport == "ipc"
    assert km.connection_file.startswith(str(folder)) and km.ip.startswith(str(folder))
    assert len(km.ip) < 90, "Unix socket paths must stay short"
    assert folder.stat().st_mode & 0o077 == 0, "private to this user"


def test_tcp_on_request_and_a_bad_transport_named(monkeypatch):
    monkeypatch.setenv(kernel_start.TRANSPORT_ENV, "tcp")
    assert kernel_start.new_kernel_manager().transport == "tcp"
    monkeypatch.setenv(kernel_start.TRANSPORT_ENV, "udp")
    with pytest.raises(ValueError, match="WXSHOP_KERNEL_TRANSPORT='udp'"):
        kernel_start.transport()


class _Ended:
    """A kernel manager whose kernel process has ended with ``code``."""

    def __init__(self, code):
        self.kernel_process = subprocess.Popen([sys.executable, "-c", f"import os; os._exit({code})"])
        self.kernel_process.wait()


def test_death_note_gives_exit_status_and_stderr(tmp_path):
    stderr = tmp_path / "k.stderr"
    stderr.write_text("zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:40123')\n")
    note = kernel_start.death_note(_Ended(3), "RuntimeError: Kernel died before replying", stderr)
    assert "kernel process: exit code 3" in note
    assert "Address already in use" in note and "Kernel died before replying" in note
    assert "kernel stderr: (empty)" in kernel_start.death_note(_Ended(0), "x", tmp_path / "none")
    assert kernel_start.exit_status(None) == "unknown"


def test_only_a_kernel_that_did_not_start_gets_a_fresh_process():
    start = JobResult("s", "n", "failed", 0.0, error=f"{execute.KERNEL_START_FAILED}: RuntimeError: died")
    cell = JobResult("s", "n", "failed", 0.0, error="ValueError: boom")
    assert execute.kernel_did_not_start(start) and not execute.kernel_did_not_start(cell)


@pytest.mark.slow
def test_a_killed_pool_kernel_leaves_its_signal_and_stderr_in_the_report_log(tmp_path):
    pool = kernels.KernelPool()
    try:
        km = pool.kernel(tmp_path)
        km.kernel_process.send_signal(signal.SIGKILL)
        km.kernel_process.wait()
        log = tmp_path / "r.kernel.log"
        pool.discard(note_to=log, error="DeadKernelError: Kernel died")
    finally:
        pool.close()
    text = log.read_text()
    assert "killed by signal SIGKILL" in text and "DeadKernelError" in text and "kernel stderr" in text


def _dying_kernelspec(root):
    """A kernelspec ``wxshop-dying`` under ``root`` whose kernel writes to stderr and exits with 7."""
    spec = root / "kernels" / "wxshop-dying"
    spec.mkdir(parents=True)
    code = "import sys; sys.stderr.write('no kernel today'); sys.exit(7)"
    spec.joinpath("kernel.json").write_text(json.dumps(
        {"argv": [sys.executable, "-c", code, "{connection_file}"], "display_name": "dying",
         "language": "python"}))
    return root


@pytest.mark.slow
def test_a_job_whose_kernel_would_not_start_runs_again_in_a_fresh_process(tmp_path, monkeypatch):
    monkeypatch.setenv(execute.REUSE_ENV, "0")  # a fresh kernel per report
    monkeypatch.setenv("JUPYTER_PATH", str(_dying_kernelspec(tmp_path / "share")))
    real = execute.new_kernel_manager
    # in this process every kernel dies at start; the fresh process is not patched
    monkeypatch.setattr(execute, "new_kernel_manager", lambda name="python3": real("wxshop-dying"))
    nb = tiny_notebook(tmp_path / "tiny.ipynb")
    job = Job("s", "tiny", str(nb), str(tmp_path / "r"), str(tmp_path))
    [result] = local.run_local([job])
    assert result.status == "ok", result.error
    assert result.attempts == execute.KERNEL_START_ATTEMPTS + 1
    assert job.output_html.is_file()
    log = job.log_path.read_text()
    assert "kernel process: exit code 7" in log and "no kernel today" in log
