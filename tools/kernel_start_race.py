"""Reproduce the kernel-start flake ("Kernel died before replying to kernel_info") and measure the cure.

    .venv/bin/python tools/kernel_start_race.py [--processes 4] [--starts 15] [--burners 2]
                                                [--transports tcp,tcp-held,ipc] [--clients 2]

For each transport, ``--processes`` worker processes each start ``--starts`` kernels one after
the other (start, wait for ``kernel_info``, run one line, shut down) — what ``wxshop run --jobs N``
does with ``WXSHOP_KERNEL_REUSE=0`` — while ``--burners`` busy processes keep the CPUs loaded,
so a kernel takes a while from being given its ports to binding them. ``--clients`` extra threads
per worker open and close TCP connections to a local server, as the ZeroMQ clients of the other
reports do (each connection takes an ephemeral port from the range the kernels' ports come from).

Transports:
  tcp       jupyter_client's default: five free ports picked in the worker, bound by the kernel later
  tcp-held  the same, with jupyter_client's per-process port cache kept (the cure it ships with)
            — it only guards the kernels of one process
  ipc       ``wxshop.batch.kernel_start.new_kernel_manager``: Unix sockets in a private folder

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


def _client_noise(stop: threading.Event) -> None:
    """Open and close TCP connections to a local listener until ``stop`` (ephemeral ports churn)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    address = server.getsockname()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                conn.close()
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    while not stop.is_set():
        try:
            with socket.create_connection(address, timeout=1):
                pass
        except OSError:
            pass
        time.sleep(0.002)
    server.close()


def _one_start(kind: str, log: Path) -> str:
    """Start one kernel and talk to it; '' on success, else a short cause."""
    from jupyter_core.utils import run_sync

    km = new_kernel_manager(kind="ipc" if kind == "ipc" else "tcp")
    if kind == "tcp":
        km.cache_ports = False  # jupyter_client < 7 behaviour: nothing held between pick and bind
    with open(log, "wb") as err:
        try:
            run_sync(km.start_kernel)(stderr=err)
        except Exception as exc:
            return f"start: {type(exc).__name__}"
    kc = km.client()
    cause = ""
    try:
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
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
    noise = [threading.Thread(target=_client_noise, args=(stop,), daemon=True) for _ in range(clients)]
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
    ap.add_argument("--clients", type=int, default=2, help="connection-churn threads per process")
    ap.add_argument("--transports", default="tcp,tcp-held,ipc")
    args = ap.parse_args()
    burners = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(args.burners)]
    ipc_failures = 0
    try:
        for kind in args.transports.split(","):
            failed, total, causes, seconds = run(kind, args.processes, args.starts, args.clients)
            print(f"{kind:9s} {failed:3d} failed / {total} starts  ({seconds:.0f} s; {args.processes} "
                  f"processes, {args.burners} burners, {args.clients} churn threads)", flush=True)
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
