"""The batch on this machine: jobs run one after the other, or ``n_jobs`` at once in worker processes.

Each worker process keeps one warm kernel (:mod:`wxshop.batch.kernels`). A job whose kernel would
not start (:func:`~wxshop.batch.execute.kernel_did_not_start`) is run once more in a fresh process
of its own before it is reported failed: whatever spoilt the kernel starts of its process (a
broken runtime folder, a leaked socket) does not follow it there.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing as mp
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed

from wxshop.batch.execute import drop_running, execute_job, kernel_did_not_start, start_job, warm_up_html
from wxshop.batch.plan import Job
from wxshop.batch.results import JobResult, failed_result, mark

_PR_SET_PDEATHSIG = 1


def run_local(
    jobs: list[Job], n_jobs: int = 1, on_done: Callable[[JobResult], None] | None = None
) -> list[JobResult]:
    """Run ``jobs`` here, ``n_jobs`` at a time; results in the order given. ``on_done`` is called
    with each result as it comes."""
    results: dict[int, JobResult] = {}
    if n_jobs <= 1 or len(jobs) <= 1:
        _one_by_one(jobs, results, on_done)
    else:
        pool = _pool(n_jobs)
        try:
            futures = {pool.submit(execute_job, job): i for i, job in enumerate(jobs)}
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    results[i] = _retried(jobs[i], fut.result())
                except Exception as exc:  # worker process died
                    results[i] = failed_result(jobs[i], f"worker died: {exc}")
                if on_done:
                    on_done(results[i])
        except KeyboardInterrupt:  # Ctrl-C: stop now, not after the running reports
            _stop(pool)
            _interrupted(jobs, results)
        pool.shutdown()
    return [results[i] for i in range(len(jobs))]


def _one_by_one(jobs: list[Job], results: dict[int, JobResult],
                on_done: Callable[[JobResult], None] | None) -> None:
    """The jobs one after the other on this process's kernel, each report's HTML export
    written in a thread while the next report runs (:func:`~wxshop.batch.execute.start_job`);
    ``results`` filled in job order. On Ctrl-C the exports under way are finished first, so
    each report is either written and marked ok or marked interrupted."""
    pending: dict[int, Future[JobResult]] = {}

    def collect(block: bool) -> None:
        for i in sorted(pending):
            if not (block or pending[i].done()):
                break  # results come in job order
            results[i] = _retried(jobs[i], pending.pop(i).result())
            if on_done:
                on_done(results[i])

    with ThreadPoolExecutor(1, thread_name_prefix="wxshop-finish") as finisher:
        finisher.submit(warm_up_html)  # while the first report runs
        try:
            for i, job in enumerate(jobs):
                pending[i] = start_job(job, finisher)
                collect(block=False)
            collect(block=True)
        except KeyboardInterrupt:
            finisher.shutdown(wait=True)  # what is being exported is written, not left half-done
            for i, fut in sorted(pending.items()):
                if fut.done() and not fut.cancelled():
                    results[i] = fut.result()
            for i, job in enumerate(jobs):
                if i not in results:
                    drop_running(job)
            _interrupted(jobs, results)


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a batch, with the results of the jobs that finished before it."""

    def __init__(self, results: list[JobResult]) -> None:
        super().__init__()
        self.results = results


def _interrupted(jobs: list[Job], results: dict[int, JobResult]) -> None:
    """Mark the jobs that did not finish ``interrupted`` and raise :class:`Interrupted` with
    the results of those that did."""
    logging.getLogger("asyncio").addFilter(_stopped_cells)
    for i, job in enumerate(jobs):
        if i not in results:
            mark(job, "interrupted", "stopped by Ctrl-C")
    raise Interrupted([results[i] for i in sorted(results)])


def _stopped_cells(record: logging.LogRecord) -> bool:
    """Leave out asyncio's "Task exception was never retrieved" for the cell that Ctrl-C
    stopped: nbclient shuts its kernel down on SIGINT, and the cell's task, which nobody
    awaits any more, ends with DeadKernelError (or, on a loaded machine, with CellTimeoutError
    when its wait for the dead kernel's output runs out first) and is reported as a traceback
    at exit."""
    kind = record.exc_info[0] if record.exc_info else None
    return getattr(kind, "__name__", "") not in ("DeadKernelError", "CellTimeoutError")


def _pool(n_jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n_jobs, mp_context=_spawn(),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's worker processes (their kernels follow them: each kernel watches its
    parent) and let the pool go without waiting."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def die_with_parent(parent: int) -> None:
    """In a worker process: be killed when the batch's process dies, even by ``kill -9``
    (Linux ``PR_SET_PDEATHSIG``), so no worker goes on writing reports for a batch that is
    gone; Ctrl-C is the batch's to handle, not the worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the batch died before the line above
        os._exit(1)


def in_fresh_process(job: Job) -> JobResult:
    """Run ``job`` in a new worker process of its own and return its result."""
    with _pool(1) as pool:
        try:
            return pool.submit(execute_job, job).result()
        except Exception as exc:  # the process died
            return failed_result(job, f"worker died: {exc}")


def _retried(job: Job, result: JobResult) -> JobResult:
    """``result``, or the result of a second run in a fresh process when no kernel would start."""
    if not kernel_did_not_start(result):
        return result
    first_log = job.log_path.read_text(encoding="utf-8", errors="replace") if job.log_path.is_file() else ""
    again = in_fresh_process(job)
    again.attempts += result.attempts
    with open(job.log_path, "a", encoding="utf-8") as log:  # the fresh process started a new log
        log.write(f"\n[wxshop] before, in another process ({result.error}):\n{first_log}")
    return again


def _spawn() -> mp.context.SpawnContext:
    return mp.get_context("spawn")  # fork + zmq/threads is unsafe
