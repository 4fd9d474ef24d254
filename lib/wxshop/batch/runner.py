"""The batch: every store × notebook through papermill, then to HTML, then the index.

Each worker process keeps one warm kernel and reuses it from report to report, reset to a
clean state in between (:mod:`wxshop.batch.kernels`; ``WXSHOP_KERNEL_REUSE=0`` starts a fresh kernel
for every report); ``--jobs N`` runs N at once in worker processes, and ``--scheduler`` sends
the jobs to a Dask cluster instead (:mod:`wxshop.batch.cluster`).
A failing job never stops the others: its status, the failing cell and the error are
written to ``reports/<store>/<notebook>.status.json`` and listed on the index page.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from wxshop import paths
from wxshop.batch import kernels
from wxshop.params import list_stores, store_params

Status = Literal["ok", "failed", "data_error"]
NOTEBOOK_RE = re.compile(r"^(\d+)_(\w+)\.ipynb$")
KERNEL_START_ATTEMPTS = 3
# Messages of kernel start-up failures worth a retry (ports taken by a sibling kernel,
# a kernel that died or timed out before answering).
_STARTUP_ERRORS = re.compile(
    r"address already in use|kernel died before replying|kernel didn't respond|"
    r"timeout waiting for kernel_info|kernel_info reply|zmq",
    re.IGNORECASE,
)


def discover_notebooks(root: Path | None = None) -> dict[str, Path]:
    """CLI name → notebook path, in file order: ``00_store_overview.ipynb`` → ``store_overview``."""
    folder = paths.notebooks_dir(root)
    found = {}
    for p in sorted(folder.glob("*.ipynb")):
        m = NOTEBOOK_RE.match(p.name)
        if m:
            found[m.group(2)] = p
    return found


@dataclass(frozen=True)
class Job:
    store: str
    notebook: str
    input_path: str
    report_dir: str
    root: str
    parameters: dict[str, Any] = field(default_factory=dict)
    with_code: bool = False
    item: str = ""  # one of several reports of this notebook for the store (an experiment id)

    @property
    def name(self) -> str:
        """File name stem of the outputs: ``<notebook>`` or ``<notebook>-<item>``."""
        return f"{self.notebook}-{self.item}" if self.item else self.notebook

    @property
    def output_ipynb(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.ipynb"

    @property
    def output_html(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.html"

    @property
    def status_path(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.status.json"

    @property
    def log_path(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.kernel.log"


@dataclass
class JobResult:
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


def plan_jobs(
    stores: Iterable[str] | None = None,
    notebooks: Iterable[str] | None = None,
    overrides: dict[str, Any] | None = None,
    reports: Path | None = None,
    root: Path | None = None,
    with_code: bool = False,
) -> list[Job]:
    """Jobs for the chosen stores × notebooks (default: all), parameters merged."""
    from wxshop.errors import ParamsError

    root = root or paths.project_root()
    reports = reports or paths.reports_dir(root)
    known_nb = discover_notebooks(root)
    chosen_nb = list(notebooks) if notebooks else list(known_nb)
    unknown = [n for n in chosen_nb if n not in known_nb]
    if unknown:
        raise ParamsError(
            f"unknown notebook(s) {', '.join(unknown)}; choose from {', '.join(known_nb)}."
        )
    chosen_stores = list(stores) if stores else list_stores(root)
    if not chosen_stores:
        raise ParamsError(
            f"no stores: {paths.stores_params_dir(root)} has no <store>.yaml. "
            "Fix: run `make demo`, or add a YAML with `data_dir:` for your store."
        )
    declared = {nb: notebook_parameters(known_nb[nb]) for nb in chosen_nb}
    jobs = []
    for store in chosen_stores:
        params = store_params(store, overrides, root)
        report_dir = reports / store
        params["report_dir"] = str(report_dir)
        for nb in chosen_nb:
            # each notebook gets the parameters it declares; the rest belong to other notebooks
            own = {k: v for k, v in params.items() if k in declared[nb]}
            if FAN_OUT_PARAMETER not in declared[nb]:
                jobs.append(Job(store, nb, str(known_nb[nb]), str(report_dir), str(root), own, with_code))
                continue
            for item, extra in experiment_entries(store, params.get("experiments"), declared[nb], nb):
                jobs.append(Job(store, nb, str(known_nb[nb]), str(report_dir), str(root),
                                {**own, **extra, FAN_OUT_PARAMETER: item}, with_code, item))
    return jobs


FAN_OUT_PARAMETER = "experiment_id"
_ITEM_RE = re.compile(r"^[\w.-]+$")


def experiment_entries(
    store: str, experiments: Any, declared: set[str], notebook: str
) -> list[tuple[str, dict[str, Any]]]:
    """(experiment id, parameters) for every experiment a store's YAML lists.

    A notebook that declares ``experiment_id`` writes one report per experiment. The YAML
    lists them as a mapping ``{exp_id: {parameter: value, ...}}`` or a list of ids or of
    mappings with an ``experiment_id`` key; the per-experiment keys must be parameters of
    the notebook. A store that lists none gets no such report.
    """
    from wxshop.errors import ParamsError

    if experiments in (None, "", [], {}):
        return []
    where = f"params/stores/{store}.yaml, `experiments:`"
    if isinstance(experiments, dict):
        entries = [(str(k), dict(v or {})) for k, v in experiments.items()]
    elif isinstance(experiments, list):
        entries = []
        for e in experiments:
            if isinstance(e, dict) and FAN_OUT_PARAMETER in e:
                rest = {k: v for k, v in e.items() if k != FAN_OUT_PARAMETER}
                entries.append((str(e[FAN_OUT_PARAMETER]), rest))
            elif isinstance(e, str | int):
                entries.append((str(e), {}))
            else:
                raise ParamsError(f"{where}: each entry needs an experiment_id, got {e!r}.")
    else:
        raise ParamsError(f"{where}: expected a mapping of experiment ids or a list, got {experiments!r}.")
    seen: set[str] = set()
    for item, extra in entries:
        if not _ITEM_RE.match(item):
            raise ParamsError(f"{where}: experiment id {item!r} may only hold letters, digits, _ . -")
        if item in seen:
            raise ParamsError(f"{where}: experiment {item!r} is listed twice.")
        seen.add(item)
        if not isinstance(extra, dict):
            raise ParamsError(f"{where}: settings of {item!r} must be a mapping, got {extra!r}.")
        unknown = sorted(set(extra) - declared)
        if unknown:
            raise ParamsError(
                f"{where}: {item!r} sets {', '.join(unknown)}, which {notebook} does not take; "
                f"known: {', '.join(sorted(declared))}."
            )
    return entries


def notebook_parameters(path: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    import ast

    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            names = set()
            for node in ast.parse(cell.source).body:
                target = node.target if isinstance(node, ast.AnnAssign) else None
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                if isinstance(target, ast.Name):
                    names.add(target.id)
            return names
    return set()


def _is_startup_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}"
    return bool(_STARTUP_ERRORS.search(text)) or type(exc).__name__ in {
        "ZMQError",
        "TimeoutError",
        "DeadKernelError",
    }


@contextlib.contextmanager
def _stderr_to(path: Path):
    """Send this process's file descriptor 2 — and so the kernel's, which inherits it — to
    ``path`` while the block runs. Kernel chatter (TCP warnings, ZMQ tracebacks at shutdown)
    belongs in the job's log, not in the batch's output."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def execute(job: Job, worker: str = "") -> JobResult:
    """Run one job: papermill, then HTML on success. Never raises. The kernel's own output
    goes to ``<notebook>.kernel.log`` beside the report; ``worker`` is recorded in the result."""
    Path(job.report_dir).mkdir(parents=True, exist_ok=True)
    job.log_path.unlink(missing_ok=True)
    with _stderr_to(job.log_path):
        return _execute(job, worker)


# Exceptions raised in a notebook that mean bad input (data or parameters), not a bug: the
# batch shows their message without a traceback and exits with 2.
BAD_INPUT_ERRORS = frozenset({"DataError", "ParamsError", "ABConfigError"})


REUSE_ENV = "WXSHOP_KERNEL_REUSE"  # "0": a fresh kernel for every report (slower, fully isolated)
_POOL: kernels.KernelPool | None = None


def _kernel_pool(job: Job) -> kernels.KernelPool | None:
    """This process's warm kernel pool (see :mod:`wxshop.batch.kernels`), None when reuse is off."""
    global _POOL
    if os.environ.get(REUSE_ENV, "1") == "0":
        return None
    if _POOL is None:
        _POOL = kernels.KernelPool(stderr_path=Path(job.report_dir).parent / ".kernels.log")
    return _POOL


def _execute(job: Job, worker: str = "") -> JobResult:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    Path(job.report_dir).mkdir(parents=True, exist_ok=True)
    for stale in (job.output_html,):
        stale.unlink(missing_ok=True)
    result = JobResult(job.store, job.notebook, "ok", 0.0, item=job.item, worker=worker)
    pool = _kernel_pool(job)
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        result.attempts = attempt
        try:
            warm = {"engine_name": kernels.ENGINE, "km": pool.kernel(job.root)} if pool else {}
            pm.execute_notebook(
                job.input_path,
                str(job.output_ipynb),
                parameters=job.parameters,
                kernel_name="python3",
                cwd=job.root,
                progress_bar=False,
                log_output=False,
                start_timeout=120,
                **warm,
            )
            break
        except PapermillExecutionError as exc:
            result.status = "data_error" if exc.ename in BAD_INPUT_ERRORS else "failed"
            result.cell = exc.exec_count
            result.error = (
                str(exc.evalue) if result.status == "data_error" else f"{exc.ename}: {exc.evalue}"
            )
            break
        except Exception as exc:  # kernel start-up races for ports: retry those
            if pool:
                pool.discard()  # a kernel that failed outside a cell is not reused
            if _is_startup_error(exc) and attempt < KERNEL_START_ATTEMPTS:
                time.sleep(0.5 * attempt)
                continue
            result.status = "failed"
            result.error = f"{type(exc).__name__}: {exc}"
            break
    if result.status == "ok":
        try:
            write_html(job.output_ipynb, job.output_html, with_code=job.with_code)
            result.html = job.output_html.name
        except Exception as exc:
            result.status = "failed"
            result.error = f"HTML export: {type(exc).__name__}: {exc}"
    result.seconds = round(time.perf_counter() - t0, 2)
    save_status(job, result)
    return result


def save_status(job: Job, result: JobResult) -> None:
    """Write ``<notebook>.status.json``, which the index reads."""
    job.status_path.write_text(json.dumps(result.to_dict(), ensure_ascii=False), encoding="utf-8")


def _execute_safely(job: Job, worker: str = "") -> JobResult:
    try:
        return execute(job, worker)
    except Exception:  # a bug in the runner itself must not lose the batch
        return JobResult(job.store, job.notebook, "failed", 0.0, error=traceback.format_exc(limit=3),
                         item=job.item, worker=worker)


def write_html(ipynb: Path, html_path: Path, with_code: bool = False) -> Path:
    """Executed notebook → HTML. Code, prompts, analyst-only cells and stderr are left out
    unless ``with_code``; images are embedded."""
    from wxshop.report.html import export_html

    return export_html(ipynb, html_path, with_code=with_code)


def run_jobs(
    jobs: list[Job],
    n_jobs: int = 1,
    on_done: Callable[[JobResult], None] | None = None,
    cluster: Any = None,
) -> list[JobResult]:
    """Run ``jobs``, ``n_jobs`` at a time; results in the order given.

    ``cluster`` — a ``distributed.Client`` from :func:`wxshop.batch.cluster.connect` — sends the
    jobs to its Dask workers instead; ``n_jobs`` does not apply then (the workers' threads
    decide how many run at once).
    """
    if cluster is not None:
        from wxshop.batch.cluster import run_on_cluster

        return run_on_cluster(jobs, cluster, on_done)
    results: dict[int, JobResult] = {}
    if n_jobs <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            results[i] = _execute_safely(job)
            if on_done:
                on_done(results[i])
    else:
        ctx = mp.get_context("spawn")  # fork + zmq/threads is unsafe
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as pool:
            futures = {pool.submit(_execute_safely, job): i for i, job in enumerate(jobs)}
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    results[i] = fut.result()
                except Exception as exc:  # worker process died
                    job = jobs[i]
                    results[i] = JobResult(
                        job.store, job.notebook, "failed", 0.0, error=f"worker died: {exc}", item=job.item
                    )
                if on_done:
                    on_done(results[i])
    return [results[i] for i in range(len(jobs))]


def exit_code(results: list[JobResult]) -> int:
    """0 all reports written; 1 a notebook failed; 2 only data errors (bad input)."""
    if any(r.status == "failed" for r in results):
        return 1
    if any(r.status == "data_error" for r in results):
        return 2
    return 0
