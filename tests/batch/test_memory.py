"""wxshop.batch.memory: freed memory stays in the process (checked in child processes, as the
setting is process-wide)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from wxshop.batch import memory

glibc = pytest.mark.skipif(memory._mallopt() is None, reason="needs glibc's mallopt")

# Allocates and frees a 400 MB array; prints the resident size before, with and after it.
_CHILD = """
import json, os, sys
import numpy as np
import pyarrow as pa
from wxshop.batch import memory

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

applied = memory.keep_freed_memory() if sys.argv[1] == "on" else False
before = rss()
block = np.ones(50_000_000)  # 400 MB, touched
held = rss()
del block
after = rss()
again = memory.keep_freed_memory() if sys.argv[1] == "on" else False
print(json.dumps({"applied": applied, "again": again, "before": before, "held": held,
                  "after": after, "pool": pa.default_memory_pool().backend_name}))
"""


def child(mode: str, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in (memory.ENV_SWITCH, *memory._HAND_SET)}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


MB = 1 << 20


@glibc
def test_freed_memory_is_kept_when_on():
    r = child("on")
    assert r["applied"] is True and r["again"] is True
    assert r["held"] - r["before"] > 350 * MB
    assert r["after"] - r["before"] > 350 * MB  # freed, but kept for the next block
    assert r["pool"] == "system"  # Arrow's buffers come from the same heap


@glibc
def test_freed_memory_goes_back_by_default():
    r = child("off")
    assert r["held"] - r["before"] > 350 * MB
    assert r["after"] - r["before"] < 50 * MB  # the control: glibc unmaps big blocks
    assert r["pool"] != "system"


@glibc
@pytest.mark.parametrize(
    "env",
    [{memory.ENV_SWITCH: "0"}, {memory.ENV_SWITCH: "off"}, {"MALLOC_TRIM_THRESHOLD_": "131072"}],
)
def test_switched_off_or_set_by_hand_leaves_the_allocator_alone(env):
    r = child("on", **env)
    assert r["applied"] is False
    assert r["after"] - r["before"] < 50 * MB
    assert r["pool"] != "system"


def test_no_glibc_means_no_change(monkeypatch):
    monkeypatch.delenv(memory.ENV_SWITCH, raising=False)
    for name in memory._HAND_SET:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(memory, "_mallopt", lambda: None)
    assert memory.keep_freed_memory() is False


def test_warm_kernels_keep_freed_memory(monkeypatch):
    from wxshop.batch import kernels

    calls = []
    monkeypatch.setattr(memory, "keep_freed_memory", lambda: calls.append(1) or True)
    kernels.warm(())
    assert calls == [1]
