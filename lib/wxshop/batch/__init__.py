"""Batch runs: the plan of store × notebook jobs, running one job, warm kernels, local processes
and a Dask cluster.

``plan`` (which jobs) → ``runner.run_jobs`` (where: ``local`` processes or ``dask`` workers) →
``execute`` (one job: papermill, HTML, status file) on kernels from ``kernels`` (warm pool) and
``kernel_start`` (IPC kernels, why one died) → ``results`` (status files, exit code).
Importing the package first applies :func:`wxshop.batch.startup.skip_iri_checker`.
"""

from wxshop.batch.startup import skip_iri_checker

skip_iri_checker()  # before plan imports nbformat: see wxshop.batch.startup

from wxshop.batch.plan import (  # noqa: E402
    Job,
    discover_notebooks,
    experiment_entries,
    notebook_parameters,
    plan_jobs,
)
from wxshop.batch.results import JobResult, exit_code, save_status  # noqa: E402
from wxshop.batch.runner import run_jobs  # noqa: E402

__all__ = [
    "Job", "JobResult", "discover_notebooks", "exit_code", "experiment_entries", "notebook_parameters",
    "plan_jobs", "run_jobs", "save_status",
]
