"""Measuring one command for `make bench` (``tools/bench_all.py``, ``tools/bench_scale.py``).

Every command runs as a child process. Wall time is measured around it. Peak memory is the
child's ``ru_maxrss`` from ``os.wait4`` — the kernel's RUSAGE_CHILDREN figure for that one
child: the largest single process among it and the descendants it waited for (kernels, pool
workers). Where psutil is installed, a sampler also records the peak of the whole process
tree's summed RSS every 0.25 s; given a cap, it stops the tree (every process of it, by id)
the first time that sum goes over the cap: a memory limit for machines where the bench cannot
set one through cgroups.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

GB = 1024**3


class TreeSampler(threading.Thread):
    """Peak summed RSS of a process and its descendants, sampled (psutil; idle without it).
    With ``cap_bytes``, the tree is killed when the sum exceeds it (``capped`` is then True)."""

    def __init__(self, pid: int, interval: float = 0.25, cap_bytes: int | None = None) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.cap_bytes = pid, interval, cap_bytes
        self.peak: int | None = None
        self.capped = False
        self.done = threading.Event()

    def run(self) -> None:
        try:
            import psutil

            root = psutil.Process(self.pid)
        except Exception:
            return
        self.peak = 0
        while not self.done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            if self.cap_bytes is not None and total > self.cap_bytes:
                self.capped = True
                for proc in reversed(procs):  # children first, the command last
                    try:
                        proc.send_signal(signal.SIGKILL)
                    except psutil.Error:
                        pass
                return
            self.done.wait(self.interval)


@dataclass
class Run:
    """One measured child process."""

    cmd: list[str]
    seconds: float
    returncode: int
    peak_rss_gb: float  # os.wait4 ru_maxrss: the largest single process of the child's tree
    tree_peak_gb: float | None  # psutil samples: peak of the tree's summed RSS
    cap_gb: float | None = None  # memory cap on the tree's summed RSS, when one was set
    capped: bool = False  # the tree went over the cap and was killed

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.capped


def measure(cmd: list[str], cwd: Path, env: dict[str, str], log: Path, cap_gb: float | None = None) -> Run:
    """Run ``cmd`` to completion (or until its process tree goes over ``cap_gb``); output
    appended to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        out.write(f"\n$ {shlex.join(cmd)}\n".encode())
        out.flush()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(proc.pid, cap_bytes=int(cap_gb * GB) if cap_gb else None)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if sampler.capped:
            out.write(f"\n[bench] killed: the process tree went over {cap_gb} GB\n".encode())
    tree = round(sampler.peak / GB, 3) if sampler.peak else None
    return Run(cmd, round(seconds, 2), proc.returncode, round(usage.ru_maxrss * 1024 / GB, 3), tree,
               cap_gb, sampler.capped)
