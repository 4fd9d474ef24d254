"""Warm kernels for the batch: one kernel per worker process, reused from report to report.

Starting a kernel and importing pandas, matplotlib, seaborn and scipy costs a few seconds per
report, more than a small store's whole analysis. :class:`KernelPool` keeps one kernel per
worker process with those imports done, and between reports puts it back to a fresh state:

- the user namespace is cleared and the execution count restarts (IPython's
  ``reset(new_session=True)``, what ``%reset -f`` does), so no variable of one report is
  visible to the next;
- figures are closed and matplotlib's rcParams, pandas' options and the warning filters are
  restored to what they were when the kernel was warmed;
- the working directory goes back to the project folder.

Imported modules stay (that is the point). A warm kernel also keeps the memory it frees for
its next blocks (:func:`wxshop.batch.memory.keep_freed_memory`): big frames are built again and
again, and fresh pages cost more than the copy. A kernel that dies, fails its reset, was started
for another project folder, or has served ``max_uses`` reports is shut down and replaced, so
memory stays bounded however many stores a batch has. Papermill still parameterises and
executes each notebook (through the ``wxshop-warm`` engine, a thin subclass of papermill's
nbclient engine that reuses the pool's kernel and its open client, :meth:`KernelPool.client`).

A process that knows it will run a report soon calls :meth:`KernelPool.prestart`: the kernel
starts and is sent its warm-up at once, and the caller goes on with its own imports (papermill,
nbconvert, pandas for the index) while the kernel imports its own on the other core; the first
:meth:`KernelPool.kernel` waits for the warm-up to finish.

Kernels are started on the IPC transport (:func:`wxshop.batch.kernel_start.new_kernel_manager`),
with their stderr in a file of their own; a kernel that fails leaves its exit status and that
stderr in the report's kernel log (:meth:`KernelPool.discard`).
"""

from __future__ import annotations

import atexit
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from wxshop.batch.kernel_start import death_note, new_kernel_manager, runtime_dir

# Imported in every warm kernel before its first report.
WARM_MODULES = (
    "numpy", "pandas", "pyarrow", "matplotlib.pyplot", "seaborn", "scipy.stats",
    "wxshop.report.document", "wxshop.data.load", "wxshop.report.plots", "wxshop.analysis.overview",
)
ENGINE = "wxshop-warm"
# Kernel-side state kept by the warm-up and restored by the reset (names are private to the
# wxshop.batch.kernels module inside the kernel, not in the user namespace).
_WARM_CODE = '__import__("wxshop.batch.kernels", fromlist=["warm"]).warm({modules!r})'
_RESET_CODE = '__import__("wxshop.batch.kernels", fromlist=["reset"]).reset({root!r})'

_saved: dict[str, Any] = {}
_engine_registered = False  # worker side: papermill knows ENGINE


# ---------------------------------------------------------------- run inside the kernel


def warm(modules: tuple[str, ...]) -> None:
    """Import ``modules`` and remember the state :func:`reset` restores (kernel side; also used by
    ``tools/bench_libonly.py`` to stand in for a warm kernel)."""
    import gc
    import importlib
    import warnings

    from wxshop.batch.memory import keep_freed_memory

    keep_freed_memory()  # before the imports, so every block is served the same way
    for name in modules:
        importlib.import_module(name)
    if "matplotlib.pyplot" in modules:  # charts: the CJK font once, and the settings to go back to
        import matplotlib as mpl

        from wxshop.report import plots

        plots.register_cjk_font()
        _saved["rc"] = mpl.rcParams.copy()
    _saved["warnings"] = list(warnings.filters)
    # What the imports made lives as long as the kernel: frozen, the cyclic garbage collector
    # stops walking it, both in the collections a report's allocations trigger and in the one
    # IPython's reset runs after every report (0.08 s of the 0.09 s reset with pandas & co.).
    gc.collect()
    gc.freeze()


def reset(root: str) -> None:
    """Back to the state after :func:`warm` (kernel side); see the module docstring."""
    import os
    import sys
    import warnings

    from IPython import get_ipython

    if "matplotlib.pyplot" in sys.modules:  # what the last report loaded; nothing new is imported
        import matplotlib as mpl
        import matplotlib.pyplot as plt

        plt.close("all")
        if "rc" in _saved:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mpl.rcParams.update(_saved["rc"])
    if "pandas" in sys.modules:
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.reset_option("all")
    warnings.filters[:] = _saved.get("warnings", warnings.filters)
    os.chdir(root)
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)


# ---------------------------------------------------------------- run in the worker process


def register_engine() -> None:
    """Make papermill's ``wxshop-warm`` engine known in this process (imports papermill; once)."""
    global _engine_registered
    if _engine_registered:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine on a kernel it does not own; closes its client after."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None, kc=None,
                                     **kwargs):
            kwargs = remove_args(["input_path"], **kwargs)
            safe = remove_args(["timeout", "startup_timeout"], **kwargs)
            client = PapermillNotebookClient(nb_man, **merge_kwargs(
                safe, timeout=execution_timeout or kwargs.get("timeout"), startup_timeout=start_timeout,
                kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
            ))
            # the pool's open client (KernelPool.client): nbclient would otherwise connect a new
            # one and wait for it to be ready, at least 0.2 s of listening for silence a report
            client.kc = kc
            # papermill writes (and validates) the whole notebook before and after every cell,
            # 0.2-0.3 s a report with its charts, while the kernel waits for the next cell. The
            # report is written once when it ends (papermill's notebook_complete, after this
            # returns, also when a cell failed); its status file, not a half-written notebook,
            # says how a run that stopped ended.
            output_path, nb_man.output_path = nb_man.output_path, None
            try:
                return client.execute()
            finally:
                nb_man.output_path = output_path
                if client.kc is not None and client.kc is not kc:
                    client.kc.stop_channels()

    papermill_engines.register(ENGINE, WarmEngine)
    _engine_registered = True


class KernelPool:
    """One warm kernel for this process (see the module docstring).

    ``kernel(root)`` gives a kernel in a fresh state whose working directory is ``root``;
    ``discard()`` drops it after a failure; ``close()`` shuts it down (also at exit). Each
    kernel's stderr goes to ``stderr_path`` (default: a file in this process's private
    :func:`~wxshop.batch.kernel_start.runtime_dir`).
    """

    def __init__(self, max_uses: int = 25, kernel_name: str = "python3", startup_timeout: float = 120,
                 stderr_path: Path | None = None) -> None:
        self.max_uses = max_uses
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.stderr_path = stderr_path or runtime_dir() / f"pool-{id(self):x}.stderr"
        self.started = 0  # kernels started so far (for tests and benchmarks)
        self._km: Any = None
        self._root: str | None = None
        self._uses = 0
        self._dirty = False
        self._last: Any = None  # the manager of the last kernel started, kept to tell how it ended
        self._kc: Any = None  # the kernel's client, open while the kernel lives (see client())
        self._kc_thread: int | None = None  # the thread whose event loop the client's sockets use
        self._warming: str | None = None  # msg id of a warm-up not yet answered
        atexit.register(self.close)

    def kernel(self, root: str | Path) -> Any:
        root = str(root)
        register_engine()
        if self._km is not None and (self._root != root or self._uses >= self.max_uses or not self._alive()):
            self.close()
        if self._km is not None and self._dirty:
            try:
                self._run(_RESET_CODE.format(root=root))
            except Exception:
                self.close()
        if self._km is None:
            self._start(root)
        elif self._kc_thread != threading.get_ident():
            self._reconnect()
        if self._warming is not None:
            self._finish_warm_up()
        self._uses += 1
        self._dirty = True
        return self._km

    def client(self) -> Any:
        """The open client of the kernel :meth:`kernel` gave, for papermill to run the report
        through (the ``kc`` of the ``wxshop-warm`` engine); None without a kernel or in a
        thread other than the one :meth:`kernel` last served (the client's sockets wait on
        that thread's event loop; :meth:`kernel` in another thread connects a new one there).
        A new client costs a report at least 0.2 s: it waits for the kernel's answer and then
        for 0.2 s of silence on the output channel (jupyter_client's ``wait_for_ready``); this
        one is ready from the kernel's warm-up and stays connected until the kernel is closed."""
        if self._kc is None or self._kc_thread != threading.get_ident():
            return None
        return self._kc

    def prestart(self, root: str | Path) -> bool:
        """Start the kernel for ``root`` and send its warm-up without waiting for it; the next
        :meth:`kernel` waits. Never raises: a kernel that would not start is dropped here and
        :meth:`kernel` starts one again (and reports the error). True when a kernel is starting."""
        if self._km is not None:
            return True
        try:
            self._start(str(root), wait=False)
        except Exception:
            self.close()
            return False
        return True

    def discard(self, note_to: Path | None = None, error: BaseException | str = "") -> None:
        """Drop the kernel after a failure outside a cell; with ``note_to``, append how it ended
        (exit code or signal, the tail of its stderr) to that log first."""
        if note_to is not None:
            km = self._km if self._km is not None else self._last
            with open(note_to, "a", encoding="utf-8") as log:
                log.write(death_note(km, error, self.stderr_path))
        self.close()

    def close(self) -> None:
        self._warming = None
        kc, self._kc, self._kc_thread = self._kc, None, None
        if kc is not None:
            kc.stop_channels()
        km, self._km, self._root, self._uses, self._dirty = self._km, None, None, 0, False
        shut_down(km)

    # ---- internals
    def _alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self._km.is_alive)())
        except Exception:
            return False

    def _start(self, root: str, wait: bool = True) -> None:
        from jupyter_core.utils import run_sync

        km = self._last = new_kernel_manager(self.kernel_name)
        self.stderr_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.stderr_path, "wb") as log:  # the kernel inherits its own copy
            run_sync(km.start_kernel)(cwd=root, stderr=log)
        self._km, self._root, self._uses, self._dirty = km, root, 0, False
        self.started += 1
        try:
            kc = self._connect()  # zmq queues the request until the kernel has bound its sockets
            self._warming = kc.execute(_WARM_CODE.format(modules=WARM_MODULES), store_history=False)
            if wait:
                self._finish_warm_up()
        except Exception:
            self.close()
            raise

    def _connect(self) -> Any:
        """Open the kernel's client in this thread, with a session of its own. The kernel
        routes replies by the session id, and a client papermill connects (on another thread)
        takes the manager's session: sharing its id, this client would get no replies once that
        one disconnected; sharing its message history, each would take the other's messages
        for replayed ones."""
        session = self._km.session.clone()
        session.session = uuid.uuid4().hex
        kc = self._km.client(session=session)
        kc.start_channels()
        self._kc, self._kc_thread = kc, threading.get_ident()
        return kc

    def _reconnect(self) -> None:
        """The client again, from this thread (:meth:`client`); a warm-up still under way is
        sent again on it (importing what is imported costs nothing) so that its answer comes
        here. A kernel that does not answer is closed and the error raised."""
        from jupyter_core.utils import run_sync

        self._kc.stop_channels()
        kc = self._connect()
        try:
            if self._warming is not None:
                self._warming = kc.execute(_WARM_CODE.format(modules=WARM_MODULES), store_history=False)
            else:
                run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
        except Exception:
            self.close()
            raise

    def _finish_warm_up(self) -> None:
        """Wait for the warm-up's reply (the kernel's liveness checked every second); on any
        failure the kernel is shut down and the error raised."""
        from jupyter_core.utils import run_sync

        kc, msg_id = self._kc, self._warming
        deadline = time.monotonic() + self.startup_timeout
        try:
            while True:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"kernel did not finish its warm-up in {self.startup_timeout:g} s")
                try:
                    reply = run_sync(kc.get_shell_msg)(timeout=1)
                except Exception:  # queue.Empty: nothing yet
                    if not self._alive():
                        raise RuntimeError("kernel died during its warm-up") from None
                    continue
                if reply.get("parent_header", {}).get("msg_id") == msg_id:
                    break
            content = reply["content"]
            if content["status"] != "ok":
                raise RuntimeError(f"kernel {content.get('ename')}: {content.get('evalue')}")
        except Exception:
            self.close()
            raise
        self._warming = None

    def _run(self, code: str) -> None:
        """Execute ``code`` in the kernel through its open client and wait; raise if it fails.
        (A client of the manager: "is the kernel alive" asks the process, not the heartbeat,
        which a kernel on a loaded machine may miss for a second without being dead.)"""
        from jupyter_core.utils import run_sync

        if self._kc_thread != threading.get_ident():
            self._reconnect()
        execute = run_sync(self._kc.execute_interactive)
        reply = execute(code, timeout=self.startup_timeout, store_history=False, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"kernel {content.get('ename')}: {content.get('evalue')}")


def shut_down(km: Any) -> None:
    """Shut down the kernel of manager ``km`` now, if it runs; None and dead kernels are fine."""
    if km is None:
        return
    from jupyter_core.utils import run_sync

    try:
        if run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)
        else:
            run_sync(km.cleanup_resources)()
    except KeyboardInterrupt:  # Ctrl-C reached us while stopping (at exit): stop it all the same,
        try:                   # without a traceback
            run_sync(km.shutdown_kernel)(now=True)
        except BaseException:
            pass
    except Exception:  # already gone
        pass
