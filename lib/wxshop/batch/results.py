"""What a job gives back: :class:`JobResult`, its status file, and the batch's exit code.

A job's result is written to ``reports/<store>/<notebook>.status.json`` (:func:`save_status`), which
the index page reads; :func:`exit_code` turns the results of a batch into the command's exit code.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from wxshop.batch.plan import Job
from wxshop.paths import write_atomic
from wxshop.report.pdf import pdf_path

Status = Literal["ok", "failed", "data_error", "pending", "running", "interrupted"]
# A batch first marks every job it will run "pending", then "running" as a job starts, so a
# batch killed at any moment leaves no earlier "ok" behind for a report it did not finish.
UNFINISHED = ("pending", "running", "interrupted")
# Exceptions raised in a notebook that mean bad input (data or parameters), not a bug: the
# batch shows their message without a traceback and exits with 2.
BAD_INPUT_ERRORS = frozenset({"DataError", "ParamsError", "ABConfigError"})


@dataclass
class JobResult:
    """How one job ended: ``status``, wall ``seconds``, the failing ``cell`` and ``error`` if any,
    the HTML file written, the kernel-start ``attempts`` and the Dask ``worker`` (empty when local).

    Examples
    --------
    >>> r = JobResult("demo_01", "store_overview", "ok", 12.5, html="store_overview.html")
    >>> r.to_dict()["status"], exit_code([r])
    ('ok', 0)
    """

    store: str
    notebook: str
    status: Status
    seconds: float
    error: str = ""
    cell: int | None = None
    html: str | None = None
    attempts: int = 1
    item: str = ""
    worker: str = ""  # the Dask worker that ran the job; empty when it ran on this machine

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def failed_result(job: Job, error: str, worker: str = "") -> JobResult:
    """The ``failed`` result of ``job`` that gave no result of its own (its process died, ...)."""
    return JobResult(job.store, job.notebook, "failed", 0.0, error=error, item=job.item, worker=worker)


def save_status(job: Job, result: JobResult) -> None:
    """Write ``<notebook>.status.json``, which the index reads."""
    write_atomic(job.status_path, json.dumps(result.to_dict(), ensure_ascii=False))


def mark(job: Job, status: Status, error: str = "") -> None:
    """Write a ``pending`` / ``running`` / ``interrupted`` status for ``job`` and remove the
    outputs of an earlier run (HTML, its PDF, JSON), so nothing of it is taken for this run's report."""
    Path(job.report_dir).mkdir(parents=True, exist_ok=True)
    for stale in (job.output_html, pdf_path(job.output_html), Path(job.report_dir) / f"{job.name}.json"):
        stale.unlink(missing_ok=True)
    save_status(job, JobResult(job.store, job.notebook, status, 0.0, error=error, item=job.item))


def exit_code(results: list[JobResult]) -> int:
    """0 all reports written; 1 a notebook failed; 2 only data errors (bad input).

    Examples
    --------
    >>> ok, bad_input = JobResult("s", "n", "ok", 1.0), JobResult("s", "n", "data_error", 1.0)
    >>> exit_code([ok, ok]), exit_code([ok, bad_input])
    (0, 2)
    """
    if any(r.status in ("failed", *UNFINISHED) for r in results):
        return 1
    if any(r.status == "data_error" for r in results):
        return 2
    return 0
