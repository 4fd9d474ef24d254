"""Running one job: papermill, then the HTML export, then the status file. Never raises.

The notebook runs on this process's warm kernel (:mod:`wxshop.batch.kernels`) or, with
``WXSHOP_KERNEL_REUSE=0``, on a fresh kernel of its own; both are started on the IPC transport
(:mod:`wxshop.batch.kernel_start`). A kernel that does not start is tried again
:data:`KERNEL_START_ATTEMPTS` times; if it still fails, the result says so
(:func:`kernel_did_not_start`) and the local pool or the Dask worker runs the job once more in a
fresh process. The kernel's own output, and how a kernel that died ended, go to
``<notebook>.kernel.log`` beside the report.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wxshop.batch.kernel_start import death_note, is_startup_error, new_kernel_manager
from wxshop.batch.kernels import ENGINE, KernelPool, register_engine, shut_down
from wxshop.batch.plan import Job
from wxshop.batch.results import BAD_INPUT_ERRORS, JobResult, failed_result, mark, save_status

KERNEL_START_ATTEMPTS = 3
KERNEL_START_FAILED = "kernel did not start"  # how the error of such a result begins
REUSE_ENV = "WXSHOP_KERNEL_REUSE"  # "0": a fresh kernel for every report (slower, fully isolated)
MAX_USES_ENV = "WXSHOP_KERNEL_MAX_USES"  # reports a warm kernel serves before it is replaced (25)
_pool: KernelPool | None = None


def execute_job(job: Job, worker: str = "") -> JobResult:
    """Run ``job`` and write its status file; a bug here gives a ``failed`` result, not an
    exception. ``worker`` (the Dask worker's address) is recorded in the result."""
    ran = _guarded(job, worker, lambda: _run_cells(job, worker))
    if isinstance(ran, JobResult):
        return ran
    with _stderr_to(job.log_path):
        return _guarded(job, worker, lambda: _finish(ran))


def start_job(job: Job, finisher: Executor) -> Future[JobResult]:
    """:func:`execute_job`, but what follows the notebook — its HTML export, the executed
    notebook moved into place, the status file — is handed to ``finisher`` (one thread), so
    that this process's kernel runs the next report meanwhile: the kernel on one core, the
    export on the other. Returns when the notebook has run. Until the finisher is done the
    status file says the report is running, so a batch stopped in between never shows it
    good. (What the export prints to stderr then goes to the log of the report running.)"""
    ran = _guarded(job, "", lambda: _run_cells(job, ""))
    if isinstance(ran, JobResult):
        done: Future[JobResult] = Future()
        done.set_result(ran)
        return done
    return finisher.submit(_guarded, job, "", lambda: _finish(ran))


def _guarded(job: Job, worker: str, step: Any) -> Any:
    try:
        Path(job.report_dir).mkdir(parents=True, exist_ok=True)
        return step()
    except Exception:  # a bug in the runner itself must not lose the batch
        return failed_result(job, traceback.format_exc(limit=3), worker)


def kernel_did_not_start(result: JobResult) -> bool:
    """True when ``result`` failed because no kernel would start (worth a fresh process).

    Examples
    --------
    >>> r = JobResult("s", "n", "failed", 0.0, error=f"{KERNEL_START_FAILED}: RuntimeError: ...")
    >>> kernel_did_not_start(r), kernel_did_not_start(JobResult("s", "n", "ok", 1.0))
    (True, False)
    """
    return result.status == "failed" and result.error.startswith(KERNEL_START_FAILED)


def kernel_pool() -> KernelPool | None:
    """This process's warm kernel pool (made on first use), None when ``WXSHOP_KERNEL_REUSE=0``;
    its kernel is replaced after ``WXSHOP_KERNEL_MAX_USES`` reports (default 25)."""
    global _pool
    if os.environ.get(REUSE_ENV, "1") == "0":
        return None
    if _pool is None:
        _pool = KernelPool(max_uses=max(1, int(os.environ.get(MAX_USES_ENV) or 25)))
    return _pool


def prepare(root: str | Path) -> bool:
    """Before reports run in this process: start its warm kernel for project folder ``root`` now
    (:meth:`~wxshop.batch.kernels.KernelPool.prestart`), then import papermill while the kernel
    imports pandas & co. on the other core. (The HTML export warms up in the thread that writes
    the pages, while the first report runs: :func:`start_job`.) False (nothing started) with
    ``WXSHOP_KERNEL_REUSE=0`` or when the kernel would not start (the report then starts one
    and says why)."""
    pool = kernel_pool()
    if pool is None or not pool.prestart(root):
        return False
    register_engine()  # imports papermill
    return True


def warm_up_html() -> None:
    """Build the HTML exporter now by rendering a throw-away page
    (:func:`wxshop.report.html.warm_up`, about 0.4 s), in the thread that will write the
    pages while the first report runs. A failure here is left to the first real export to
    report."""
    from wxshop.report.html import warm_up

    with contextlib.suppress(Exception):
        warm_up()


PRELOAD_MAX_BYTES = 64 * 2**20  # a store's files up to this size are loaded ahead (:func:`preload`)


def preload(job: Job, max_bytes: int = PRELOAD_MAX_BYTES) -> bool:
    """Load and check ``job``'s store in this process into the project's table cache
    (:mod:`wxshop.data.storecache`) while its kernel is still importing on the other core, so
    the notebook's ``load_store`` with the same parameters reads the checked tables back instead
    of reading and checking the files itself; then let go of them here.

    Every table of the data folder is loaded (the store's later reports read the rest). Only
    for a store whose files total at most ``max_bytes``: a bigger one would hold its tables in
    two processes at once and keep the kernel waiting longer than it saves. True when the
    store was loaded; False when skipped (cache off, too big, no data folder)
    or when loading failed: the notebook then loads the files itself and reports what is
    wrong, so nothing is lost by swallowing the error here."""
    from wxshop import paths
    from wxshop.data import storecache

    p = job.parameters
    if not p.get("data_dir") or not storecache.enabled():
        return False
    folder = paths.resolve(p["data_dir"], Path(job.root))
    if not folder.is_dir():
        return False
    if sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) > max_bytes:
        return False
    from wxshop.data.load import load_store

    try:
        load_store(folder, name=p.get("store") or job.store, columns=p.get("columns") or None,
                   files=p.get("files") or None, source=p.get("source") or None,
                   statuses=p.get("statuses") or None, guards=p.get("guards") or None)
    except Exception:  # the report loads again and says what is wrong
        return False
    finally:
        storecache.release()
    return True


def write_html(ipynb: Path, html_path: Path, with_code: bool = False) -> Path:
    """Executed notebook → HTML. Code, prompts, analyst-only cells and stderr are left out
    unless ``with_code``; images are embedded."""
    from wxshop.report.html import export_html

    return export_html(ipynb, html_path, with_code=with_code)


@contextlib.contextmanager
def _stderr_to(path: Path):
    """Send this process's file descriptor 2 — and so a fresh kernel's, which inherits it — to
    ``path`` while the block runs. Kernel chatter (warnings, ZMQ tracebacks at shutdown)
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


def _run_notebook(job: Job, pool: KernelPool | None, output: Path) -> None:
    """papermill on the pool's kernel, or on a fresh IPC kernel shut down afterwards; the
    executed notebook goes to ``output``."""
    import papermill as pm

    options: dict[str, Any] = dict(
        parameters=job.parameters, kernel_name="python3", cwd=job.root, progress_bar=False,
        log_output=False, start_timeout=120,
    )
    if pool is not None:
        km = pool.kernel(job.root)
        pm.execute_notebook(job.input_path, str(output), engine_name=ENGINE, km=km, kc=pool.client(),
                            **options)
        return
    km = new_kernel_manager("python3")
    try:
        pm.execute_notebook(job.input_path, str(output), km=km, **options)
    except Exception as exc:
        if not _is_cell_error(exc):  # its stderr is already in the log (fd 2): add how it ended
            with open(job.log_path, "a", encoding="utf-8") as log:
                log.write(death_note(km, f"{type(exc).__name__}: {exc}"))
        raise
    finally:
        shut_down(km)


def _is_cell_error(exc: BaseException) -> bool:
    from papermill.exceptions import PapermillExecutionError

    return isinstance(exc, PapermillExecutionError)


@dataclass
class _Ran:
    """A job whose notebook has run (:func:`_run_cells`), before :func:`_finish`."""

    job: Job
    result: JobResult
    running: Path  # the executed notebook, where papermill wrote it
    t0: float


def _run_cells(job: Job, worker: str = "") -> _Ran | JobResult:
    """papermill on the job's notebook (kernel log: ``job.log_path``); the finished result
    when there is nothing more to do (e.g. no kernel would start)."""
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    job.log_path.unlink(missing_ok=True)
    mark(job, "running", "stopped before it finished")  # an earlier run's outputs go now
    result = JobResult(job.store, job.notebook, "ok", 0.0, item=job.item, worker=worker)
    pool = kernel_pool()
    # papermill writes the notebook as it runs: into a folder of this process and report, moved
    # into place when done, so another batch on the same project never reads it half-written
    # (and the folder of a report still being exported is not the next one's)
    running = running_folder(job) / job.output_ipynb.name
    running.parent.mkdir(exist_ok=True)
    with _stderr_to(job.log_path):
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            result.attempts = attempt
            try:
                _run_notebook(job, pool, running)
                break
            except KeyboardInterrupt:  # the report stops half-written: nothing of it is kept
                running.unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    running.parent.rmdir()
                raise
            except PapermillExecutionError as exc:
                result.status = "data_error" if exc.ename in BAD_INPUT_ERRORS else "failed"
                result.cell = exc.exec_count
                result.error = (
                    str(exc.evalue) if result.status == "data_error" else f"{exc.ename}: {exc.evalue}"
                )
                break
            except Exception as exc:  # the kernel did not start or died outside a cell
                if pool:  # a kernel that failed outside a cell is not reused; its last words go to the log
                    pool.discard(note_to=job.log_path, error=exc)
                startup = is_startup_error(exc)
                if startup and attempt < KERNEL_START_ATTEMPTS:
                    time.sleep(0.5 * attempt)
                    continue
                result.status = "failed"
                # a kernel that died inside a cell (DeadKernelError) did start: no fresh process for it
                started = type(exc).__name__ == "DeadKernelError"
                prefix = f"{KERNEL_START_FAILED}: " if startup and not started else ""
                result.error = f"{prefix}{type(exc).__name__}: {exc}"
                break
        ran = _Ran(job, result, running, t0)
        return ran if result.status == "ok" else _finish(ran)


def running_folder(job: Job) -> Path:
    """Where this process writes ``job``'s notebook while it runs (moved into place when done)."""
    return Path(job.report_dir) / f".running-{os.getpid()}-{job.name}"


def drop_running(job: Job) -> None:
    """Remove what this process wrote of ``job`` while it ran: after Ctrl-C, wherever the signal
    landed (before the notebook's cleanup could run, too), no half-written report stays."""
    folder = running_folder(job)
    if folder.is_dir():
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            folder.rmdir()


def _finish(ran: _Ran) -> JobResult:
    """The HTML export of a report that ran, the executed notebook moved into place, then
    the status file."""
    job, result, running = ran.job, ran.result, ran.running
    if result.status == "ok":
        try:
            write_html(running, job.output_html, with_code=job.with_code)
            result.html = job.output_html.name
        except Exception as exc:
            result.status = "failed"
            result.error = f"HTML export: {type(exc).__name__}: {exc}"
    if running.is_file():
        os.replace(running, job.output_ipynb)
    with contextlib.suppress(OSError):
        running.parent.rmdir()
    result.seconds = round(time.perf_counter() - ran.t0, 2)
    save_status(job, result)
    return result
