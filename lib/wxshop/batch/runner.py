"""The batch's one entry point: :func:`run_jobs` sends the planned jobs here or to a Dask cluster.

Locally (:mod:`wxshop.batch.local`) each worker process keeps a warm kernel; with ``--scheduler``
the jobs go to the Dask workers (:mod:`wxshop.batch.dask`, imported only then, so ``distributed``
is not needed otherwise). Either way a failing job never stops the others: its status, the failing
cell and the error are written to ``reports/<store>/<notebook>.status.json`` and listed on the index.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wxshop.batch.local import run_local
from wxshop.batch.plan import Job
from wxshop.batch.results import JobResult


def run_jobs(
    jobs: list[Job],
    n_jobs: int = 1,
    on_done: Callable[[JobResult], None] | None = None,
    cluster: Any = None,
) -> list[JobResult]:
    """Run ``jobs``, ``n_jobs`` at a time; results in the order given.

    ``cluster`` — a ``distributed.Client`` from :func:`wxshop.batch.dask.connect` — sends the
    jobs to its Dask workers instead; ``n_jobs`` does not apply then (the workers' threads
    decide how many run at once).
    """
    if cluster is not None:
        from wxshop.batch.dask import run_on_cluster

        return run_on_cluster(jobs, cluster, on_done)
    return run_local(jobs, n_jobs, on_done)
