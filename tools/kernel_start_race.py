"""Reproduce the kernel-start flake ("Kernel died before replying to kernel_info") and measure the cure.

    .venv/bin/python tools/kernel_start_race.py [--processes 4] [--starts 15] [--burners 2]
                                                [--kinds tcp+hb,tcp,ipc+hb,ipc] [--clients 1]

For each transport, ``--processes`` worker processes each start ``--starts`` kernels one after
the other (start, wait for ``kernel_info``, run one line, shut down) — what ``wxshop run --jobs N``
does with ``WXSHOP_KERNEL_REUSE=0`` — while ``--burners`` busy processes keep the CPUs loaded,
so a kernel takes a while from being given its ports to binding them. ``--clients`` threads per
worker keep asking the system for free ports (20 held at a time, 0.5 s each), as other programs
on a busy machine do; 0 leaves only the kernel managers themselves racing.

Kinds (``transport[+hb]``):
  tcp       jupyter_client's default: five free ports picked by the manager, bound by the kernel
            later; the manager's port cache holds them only against the kernels of its own process
  ipc       ``wxshop.batch.kernel_start.new_kernel_manager``: Unix sockets in a private folder
  +hb       the client is not the manager's, as the warm pool's was: it judges the kernel alive
            by its heartbeat (1 s), which a kernel on busy CPUs can miss without being dead

Prints one line per transport: failures / starts, the failures' causes (from the kernel's stderr
and exit status), and the wall time. Exit code 0 when the ipc line has no failure.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing as mp
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from wxshop.batch.kernel_start import exit_status, new_kernel_manager


def _port_churn(stop: threading.Event, hold: float = 0.5, width: int = 20) -> None:
    """Until ``stop``: keep ``width`` ephemeral ports bound, each for ``hold`` seconds, as other
    programs that ask the system for a free port do (another kernel manager, a test server)."""
    held: list[tuple[float, socket.socket]] = []
    while not stop.is_set():
        now = time.monotonic()
        while held and held[0][0] < now:
            held.pop(0)[1].close()
        if len(held) < width:
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            held.append((now + hold, s))
        time.sleep(hold / width)
    for _, s in held:
        s.close()


def _one_start(kind: str, log: Path) -> str:
    """Start one kernel and talk to it; '' on success, else a short cause."""
    from jupyter_client import BlockingKernelClient
    from jupyter_core.utils import run_sync

    transport, _, client = kind.partition("+")
    km = new_kernel_manager(kind=transport)
    with open(log, "wb") as err:
        try:
            run_sync(km.start_kernel)(stderr=err)
        except Exception as exc:
            return f"start: {type(exc).__name__}"
    if client == "hb":  # as the warm pool did: a client of its own, "alive" = heartbeat answered
        kc = BlockingKernelClient()
        kc.load_connection_info(km.get_connection_info())
    else:  # a client of the manager: "alive" = the kernel's process runs
        kc = km.blocking_client()
    cause = ""
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive("import pandas", timeout=60, output_hook=lambda msg: None)
    except Exception as exc:
        text = log.read_text(errors="replace")
        why = "Address already in use" if "Address already in use" in text else exit_status(km)
        cause = f"{type(exc).__name__}: {str(exc)[:40]} ({why})"
    finally:
        kc.stop_channels()
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:
            pass
    return cause


def _worker(kind: str, starts: int, clients: int, queue: mp.Queue) -> None:
    stop = threading.Event()
    noise = [threading.Thread(target=_port_churn, args=(stop,), daemon=True) for _ in range(clients)]
    for t in noise:
        t.start()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(starts):
            queue.put(_one_start(kind, Path(tmp) / f"{i}.log"))
    stop.set()


def run(kind: str, processes: int, starts: int, clients: int) -> tuple[int, int, collections.Counter, float]:
    """(failures, starts, causes, seconds) of one transport."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    t0 = time.perf_counter()
    procs = [ctx.Process(target=_worker, args=(kind, starts, clients, queue)) for _ in range(processes)]
    for p in procs:
        p.start()
    causes = [queue.get() for _ in range(processes * starts)]
    for p in procs:
        p.join()
    failed = collections.Counter(c for c in causes if c)
    return sum(failed.values()), len(causes), failed, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--processes", type=int, default=4)
    ap.add_argument("--starts", type=int, default=15, help="kernel starts per process")
    ap.add_argument("--burners", type=int, default=2, help="busy processes loading the CPUs")
    ap.add_argument("--clients", type=int, default=1, help="port-churn threads per process")
    ap.add_argument("--kinds", default="tcp+hb,tcp,ipc+hb,ipc")
    args = ap.parse_args()
    burners = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(args.burners)]
    ipc_failures = 0
    try:
        for kind in args.kinds.split(","):
            failed, total, causes, seconds = run(kind, args.processes, args.starts, args.clients)
            print(f"{kind:9s} {failed:3d} failed / {total} starts  ({seconds:.0f} s; {args.processes} "
                  f"processes, {args.burners} burners, {args.clients} port-churn threads)", flush=True)
            for cause, n in causes.most_common():
                print(f"          {n:3d} x {cause}", flush=True)
            if kind == "ipc":
                ipc_failures = failed
    finally:
        for b in burners:
            b.kill()
            b.wait()
    return 1 if ipc_failures else 0


if __name__ == "__main__":
    sys.exit(main())
