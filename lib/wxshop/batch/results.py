"""What a job gives back: :class:`JobResult`, its status file, and the batch's exit code.

A job's result is written to ``reports/<store>/<notebook>.status.json`` (:func:`save_status`), which
the index page reads; :func:`exit_code` turns the results of a batch into the command's exit code.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

from wxshop.batch.plan import Job

Status = Literal["ok", "failed", "data_error"]
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
    job.status_path.write_text(json.dumps(result.to_dict(), ensure_ascii=False), encoding="utf-8")


def exit_code(results: list[JobResult]) -> int:
    """0 all reports written; 1 a notebook failed; 2 only data errors (bad input).

    Examples
    --------
    >>> ok, bad_input = JobResult("s", "n", "ok", 1.0), JobResult("s", "n", "data_error", 1.0)
    >>> exit_code([ok, ok]), exit_code([ok, bad_input])
    (0, 2)
    """
    if any(r.status == "failed" for r in results):
        return 1
    if any(r.status == "data_error" for r in results):
        return 2
    return 0
