"""The batch on this machine: jobs run one after the other, or ``n_jobs`` at once in worker processes.

Each worker process keeps one warm kernel (:mod:`wxshop.batch.kernels`). A job whose kernel would
not start (:func:`~wxshop.batch.execute.kernel_did_not_start`) is run once more in a fresh process
of its own before it is reported failed: whatever spoilt the kernel starts of its process (a
broken runtime folder, a leaked socket) does not follow it there.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed

from wxshop.batch.execute import execute_job, kernel_did_not_start
from wxshop.batch.plan import Job
from wxshop.batch.results import JobResult, failed_result


def run_local(
    jobs: list[Job], n_jobs: int = 1, on_done: Callable[[JobResult], None] | None = None
) -> list[JobResult]:
    """Run ``jobs`` here, ``n_jobs`` at a time; results in the order given. ``on_done`` is called
    with each result as it comes."""
    results: dict[int, JobResult] = {}
    if n_jobs <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            results[i] = _retried(job, execute_job(job))
            if on_done:
                on_done(results[i])
    else:
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=_spawn()) as pool:
            futures = {pool.submit(execute_job, job): i for i, job in enumerate(jobs)}
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    results[i] = _retried(jobs[i], fut.result())
                except Exception as exc:  # worker process died
                    results[i] = failed_result(jobs[i], f"worker died: {exc}")
                if on_done:
                    on_done(results[i])
    return [results[i] for i in range(len(jobs))]


def in_fresh_process(job: Job) -> JobResult:
    """Run ``job`` in a new worker process of its own and return its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=_spawn()) as pool:
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
