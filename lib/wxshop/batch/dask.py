"""The batch on a Dask distributed cluster: ``wxshop run --scheduler tcp://host:8786``.

The machine running ``wxshop run`` plans the jobs as usual, sends each one to the cluster
and gathers the :class:`~wxshop.batch.results.JobResult` of each as it completes, so progress, the
summary and the index work as in a local batch. Workers need wxshop installed and the
project — notebooks, data, reports — at the same absolute path as here (a shared folder):
jobs carry paths, not data.

On a worker each job runs in a fresh Python process (:func:`run_isolated`). A Dask worker runs
several tasks at once in threads of one process, while a job changes process-wide state
(papermill's working directory, the runner's file descriptor 2); a job that crashes its
process (out of memory, a segfault) then comes back failed and the worker lives on. A job whose
kernel would not start is run once more in another fresh process before it comes back failed.

``distributed`` is imported only here, and this module only with ``--scheduler``.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wxshop import paths
from wxshop.batch.execute import execute_job, kernel_did_not_start
from wxshop.batch.plan import Job
from wxshop.batch.results import JobResult, failed_result, save_status
from wxshop.errors import WxshopError

CONNECT_TIMEOUT = 5  # seconds to reach the scheduler before giving up
WORKERS_TIMEOUT = 30  # seconds to wait for a scheduler with no worker yet to get one
_FIX_ADDRESS = (
    "Fix: start a scheduler with `dask scheduler` and pass the address it prints "
    "(--scheduler tcp://host:8786), or check the host, port and firewall."
)


class JobLostError(RuntimeError):
    """A job gave no result of its own on its worker; the message says why and the fix."""


def connect(
    address: str, timeout: float = CONNECT_TIMEOUT, workers_timeout: float = WORKERS_TIMEOUT
) -> Any:
    """A ``distributed.Client`` connected to the scheduler at ``address`` with at least one
    worker; a :class:`WxshopError` naming the address and the fix otherwise."""
    try:
        from distributed import Client
    except ImportError:
        raise WxshopError(
            "--scheduler needs Dask distributed. Fix: pip install 'dask[distributed]'."
        ) from None
    # A Client made with a malformed address hangs 10 s and prints a traceback when it is
    # collected, so a bad or unreachable address is found out before one is made.
    reason = _unreachable(address, timeout)
    if reason:
        raise WxshopError(f"cannot reach the Dask scheduler at {address}: {reason}. {_FIX_ADDRESS}")
    try:
        client = Client(address, timeout=f"{timeout}s", set_as_default=False, name="wxshop")
    except Exception as exc:
        raise WxshopError(f"cannot connect to the Dask scheduler at {address}: {_first_line(exc)}. "
                          f"{_FIX_ADDRESS}") from None
    try:
        client.wait_for_workers(1, timeout=workers_timeout)
    except Exception:
        client.close()
        raise WxshopError(
            f"the Dask scheduler at {address} has no workers after {workers_timeout:g} s. "
            f"Fix: run `dask worker {address}` on each machine that has wxshop installed "
            "and the project at the same path."
        ) from None
    return client


def _unreachable(address: str, timeout: float) -> str:
    """Why nothing answers at ``address`` within ``timeout`` seconds; empty if something does."""
    import asyncio

    from distributed.comm import connect as open_comm

    async def probe() -> None:
        comm = await open_comm(address, timeout=timeout)
        await comm.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # OSError, TimeoutError, ValueError for an unknown protocol
        return _first_line(exc)
    return ""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def for_cluster(job: Job) -> Job:
    """``job`` with absolute ``input_path``, ``report_dir`` and ``root`` (relative ones are
    taken from this process's working directory), as workers elsewhere must see them.
    Symbolic links are kept: a shared folder may be mounted through one."""
    absolute = {k: os.path.abspath(getattr(job, k)) for k in ("input_path", "report_dir", "root")}
    parameters = dict(job.parameters)
    if parameters.get("report_dir") == job.report_dir:
        parameters["report_dir"] = absolute["report_dir"]
    return dataclasses.replace(job, parameters=parameters, **absolute)


def run_on_cluster(
    jobs: list[Job], client: Any, on_done: Callable[[JobResult], None] | None = None
) -> list[JobResult]:
    """Run ``jobs`` on the cluster behind ``client``; results in the order given.

    A job whose worker died (the scheduler gives up on it after
    ``distributed.scheduler.allowed-failures`` deaths) or that could not run there at all
    (wxshop not installed on the worker) comes back ``failed``, with its status file
    written from here, and the batch goes on.
    """
    from distributed import as_completed

    sent = [for_cluster(job) for job in jobs]
    batch = uuid.uuid4().hex[:8]
    futures = {
        client.submit(run_isolated, job, key=f"wxshop-{batch}-{i}-{job.store}-{job.name}", pure=False): i
        for i, job in enumerate(sent)
    }
    results: dict[int, JobResult] = {}
    for fut in as_completed(list(futures), loop=client.loop):  # the client is not the default one
        i = futures[fut]
        try:
            results[i] = fut.result()
        except Exception as exc:
            results[i] = lost_result(sent[i], exc)
        if on_done:
            on_done(results[i])
    return [results[i] for i in range(len(jobs))]


def lost_result(job: Job, exc: BaseException) -> JobResult:
    """The failed result of a job that gave no result of its own (``exc`` says why); its status
    file is written from here, so the index lists it and no stale status stays behind."""
    name, text = type(exc).__name__, _first_line(exc)
    if isinstance(exc, JobLostError):
        error = str(exc)
    elif name == "KilledWorker":
        error = f"Dask worker died while running it ({name}: {text})"
    elif isinstance(exc, ModuleNotFoundError | ImportError):
        error = f"{name}: {text}. Fix: install wxshop on every Dask worker (pip install -e .)."
    else:
        error = f"on the Dask cluster: {name}: {text}"
    result = failed_result(job, error)
    try:
        Path(job.report_dir).mkdir(parents=True, exist_ok=True)
        save_status(job, result)  # so the index lists it, and no stale status stays behind
    except OSError:
        pass
    return result


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):  # not inside a Dask worker
        return socket.gethostname()


def run_isolated(job: Job) -> JobResult:
    """Run ``job`` in a fresh Python process on this machine and return its result; what
    Dask workers run. The process gets ``WXSHOP_HOME`` set to the job's project folder, so
    the notebook resolves a relative ``data_dir`` as a local batch would. Raises
    :class:`JobLostError` when the job cannot start or its process dies without a result."""
    worker = _worker_name()
    if not Path(job.root).is_dir():
        raise JobLostError(
            f"project folder {job.root} not found on worker {worker}. Fix: put the project "
            "on a shared folder that every worker sees at the same path."
        )
    result = _in_subprocess(job, worker)
    if kernel_did_not_start(result):  # once more, in another fresh process
        again = _in_subprocess(job, worker)
        again.attempts += result.attempts
        return again
    return result


def _in_subprocess(job: Job, worker: str) -> JobResult:
    with tempfile.TemporaryDirectory(prefix="wxshop-job-") as tmp:
        job_file, result_file = Path(tmp) / "job.pickle", Path(tmp) / "result.pickle"
        job_file.write_bytes(pickle.dumps(job))
        proc = subprocess.run(
            [sys.executable, "-m", "wxshop.batch.dask", str(job_file), str(result_file), worker],
            cwd=job.root, env={**os.environ, paths.ENV_HOME: job.root},
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        if result_file.is_file():
            return pickle.loads(result_file.read_bytes())
    lines = proc.stdout.decode("utf-8", "replace").strip().splitlines()
    tail = " | ".join(lines[-5:])[-500:]
    raise JobLostError(f"the job's process on {worker} exited with code {proc.returncode}: {tail}")


def _main(argv: list[str]) -> int:
    """``python -m wxshop.batch.dask JOB_PICKLE RESULT_PICKLE WORKER``: one job, one process."""
    job_file, result_file, worker = argv
    job = pickle.loads(Path(job_file).read_bytes())
    Path(result_file).write_bytes(pickle.dumps(execute_job(job, worker)))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
