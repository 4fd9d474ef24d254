"""Starting kernels without start-up flakes, and saying why one died.

"Kernel died before replying to kernel_info" with an empty kernel log had two possible causes;
``tools/kernel_start_race.py`` measures both (4 batch processes, 2 busy burners, 40 starts each):

- **A live kernel judged dead** (the one we hit). A kernel client that is not its manager's
  (the warm pool used one) judges "alive" by the heartbeat: jupyter_client's heartbeat thread
  counts the kernel alive at first, pings, and declares it dead when no pong came within 1 s.
  A kernel that takes more than about a second to start — busy CPUs, a fresh clone compiling
  its bytecode — has not bound its heartbeat socket yet, so ``wait_for_ready`` gives up on a
  kernel that is still starting (and writes nothing to stderr). Measured: 32 of 40 starts
  failed this way on TCP, 33 of 40 on IPC; none with the manager's client, which asks whether
  the kernel's process runs. :class:`~wxshop.batch.kernels.KernelPool` now uses that client.
- **The TCP port race** (jupyter/jupyter_client#487). The manager picks five free ports (bind to
  port 0, read the number, close) and the kernel binds them a moment later; another process may
  take one in between, and the kernel exits with ``Address already in use``. jupyter_client's
  port cache guards only the kernels of one process. Not seen in 140 TCP starts here, but
  :func:`new_kernel_manager` removes it anyway: kernels use the IPC transport, Unix sockets in a
  folder private to this process (:func:`runtime_dir`), so there is no port range to share.
  ``WXSHOP_KERNEL_TRANSPORT=tcp`` goes back to jupyter's default.

A kernel that dies anyway leaves its exit code or signal and the tail of its stderr in the
report's kernel log (:func:`death_note`), and :func:`is_startup_error` tells a failed start,
worth a retry, from an error in a cell, which is not.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import tempfile
import uuid
from pathlib import Path
from typing import Any

TRANSPORT_ENV = "WXSHOP_KERNEL_TRANSPORT"  # "ipc" (default) or "tcp"
TRANSPORTS = ("ipc", "tcp")
# Messages of kernel start-up failures worth a retry (ports taken by another process, a
# kernel that died or timed out before answering).
_STARTUP_ERRORS = re.compile(
    r"address already in use|kernel died before replying|kernel didn't respond|"
    r"timeout waiting for kernel_info|kernel_info reply|zmq",
    re.IGNORECASE,
)
_STARTUP_ERROR_TYPES = {"ZMQError", "TimeoutError", "DeadKernelError"}
_runtime: Path | None = None


def is_startup_error(exc: BaseException) -> bool:
    """True when ``exc`` means the kernel did not start (worth a retry), not a failing cell.

    Examples
    --------
    >>> is_startup_error(RuntimeError("Kernel died before replying to kernel_info"))
    True
    >>> is_startup_error(ValueError("could not convert string to float"))
    False
    """
    text = f"{type(exc).__name__}: {exc}"
    return bool(_STARTUP_ERRORS.search(text)) or type(exc).__name__ in _STARTUP_ERROR_TYPES


def transport() -> str:
    """The transport new kernels use: ``WXSHOP_KERNEL_TRANSPORT``, ``ipc`` by default."""
    chosen = os.environ.get(TRANSPORT_ENV, "ipc").strip().lower() or "ipc"
    if chosen not in TRANSPORTS:
        raise ValueError(f"{TRANSPORT_ENV}={chosen!r}: choose one of {', '.join(TRANSPORTS)}.")
    return chosen


def runtime_dir() -> Path:
    """This process's private folder for kernel connection files and IPC sockets (made on first
    use under the system's temporary folder — a short path, as Unix socket paths must be —
    and removed when the process exits)."""
    global _runtime
    if _runtime is None or not _runtime.is_dir():
        _runtime = Path(tempfile.mkdtemp(prefix="wxshop-k-"))
        atexit.register(shutil.rmtree, _runtime, True)
    return _runtime


def _manager_class() -> type:
    from jupyter_client.manager import AsyncKernelManager

    class BatchKernelManager(AsyncKernelManager):
        """An ``AsyncKernelManager`` that keeps the kernel's process after shutdown, so its exit
        status can still be read once the kernel died."""

        kernel_process: Any = None

        async def start_kernel(self, **kw: Any) -> None:
            await super().start_kernel(**kw)
            self.kernel_process = getattr(self.provisioner, "process", None)

    return BatchKernelManager


def new_kernel_manager(kernel_name: str = "python3", kind: str | None = None) -> Any:
    """A not yet started kernel manager on transport ``kind`` (default :func:`transport`).

    With ``ipc`` the connection file and the sockets are in :func:`runtime_dir`; with ``tcp`` it
    is jupyter_client's default manager (ports picked at start).
    """
    kind = kind or transport()
    km = _manager_class()(kernel_name=kernel_name, transport=kind)
    if kind == "ipc":
        base = runtime_dir() / f"k-{uuid.uuid4().hex[:12]}"
        km.connection_file = f"{base}.json"
        km.ip = f"{base}-ipc"
    return km


def exit_status(km: Any) -> str:
    """How the kernel of ``km`` ended: ``exit code 1``, ``killed by signal SIGKILL``, ``still
    running``, or ``unknown`` when the manager never started one.

    Examples
    --------
    >>> exit_status(None)
    'unknown'
    """
    proc = getattr(km, "kernel_process", None)
    if proc is None:
        return "unknown"
    code = proc.poll()
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def death_note(km: Any, error: BaseException | str, stderr_path: Path | None = None, tail: int = 4000) -> str:
    """Text for a report's kernel log about a kernel that failed: the error, how its process
    ended and the last ``tail`` characters of its stderr (when it went to ``stderr_path``)."""
    lines = [f"[wxshop] kernel failed: {error}", f"[wxshop] kernel process: {exit_status(km)}"]
    if stderr_path is not None:
        try:
            text = stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        shown = f"\n{text[-tail:].rstrip()}" if text.strip() else " (empty)"
        lines.append(f"[wxshop] kernel stderr:{shown}")
    return "\n".join(lines) + "\n"
