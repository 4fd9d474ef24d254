"""No kernel-start flake under load: 4 batch processes start 40 kernels while both CPUs are busy.

Each process runs 10 one-cell reports through the real batch path (``run_jobs``, papermill, HTML,
status file), two of them on a fresh kernel per report (``WXSHOP_KERNEL_REUSE=0``), two on the
warm pool with a new kernel for every report (``WXSHOP_KERNEL_MAX_USES=1``, started and warmed
up, without the heavy imports), while two burner processes keep the cores loaded. Before
the cure (TCP ports, a heartbeat-judged warm-up client) this load made kernels "die before
replying to kernel_info" (``tools/kernel_start_race.py``); now every start must succeed at the
first attempt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from test_kernel_start import tiny_notebook

pytestmark = pytest.mark.slow

REUSE = ("0", "0", "1", "1")  # WXSHOP_KERNEL_REUSE of each batch process
REPORTS = 10  # per process, each on a kernel of its own

_BATCH = """
import json, sys
from wxshop.batch import kernels
from wxshop.batch.plan import Job
from wxshop.batch.runner import run_jobs
kernels.WARM_MODULES = ()  # the warm-up without the heavy imports: the start is what is tested
nb, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
jobs = [Job("s", f"tiny{i}", nb, out, out) for i in range(n)]
print(json.dumps([r.to_dict() for r in run_jobs(jobs)]))
"""


def test_40_kernels_start_from_4_batch_processes_on_busy_cpus(tmp_path):
    nb = tiny_notebook(tmp_path / "tiny.ipynb")
    burners = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(2)]
    try:
        t0 = time.perf_counter()
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _BATCH, str(nb), str(tmp_path / f"p{i}"), str(REPORTS)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                env={**os.environ, "WXSHOP_KERNEL_REUSE": reuse, "WXSHOP_KERNEL_MAX_USES": "1",
                     "WXSHOP_KEEP_MEMORY": "0"},
            )
            for i, reuse in enumerate(REUSE)
        ]
        results = []
        for p in procs:
            out, err = p.communicate(timeout=600)
            assert p.returncode == 0, err[-2000:]
            results += json.loads(out.strip().splitlines()[-1])
        seconds = time.perf_counter() - t0
    finally:
        for b in burners:
            b.kill()
            b.wait()
    print(f"{len(results)} kernel starts from {len(REUSE)} processes on busy CPUs: {seconds:.0f} s")
    assert len(results) == len(REUSE) * REPORTS >= 40
    for r in results:
        assert r["status"] == "ok", r
        assert r["attempts"] == 1, f"a kernel start failed and was retried: {r}"
