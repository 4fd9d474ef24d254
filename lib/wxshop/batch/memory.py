"""Keep freed memory in the process, for kernels that run report after report.

glibc's allocator hands every block above 32 MB (a column of a million-row table) to the
kernel on ``free`` and asks for fresh pages on the next ``malloc``. Each fresh page is
faulted in and zeroed again, and on virtual machines that back guest memory lazily a first
touch costs far more than a copy: copying 200 MB of columns into a new frame took 1.5 s
where the same copy into reused memory took 0.06 s (the 1M-customer bench store). A report
allocates and frees many such blocks.

:func:`keep_freed_memory` tells glibc (``mallopt``) to serve every block from its heap and
never to give freed memory back, so the next block of that size reuses pages already
touched. Arrow's buffers are then allocated from the same heap (``pyarrow``'s system pool
instead of its mimalloc pool, which returns freed pages after a few milliseconds). At the
1M-customer store the library-only run of every notebook took 42–47 s against 45–58 s with
Arrow's pool (three runs each), and its peak was 0.1–0.2 GB lower.

The price: the process keeps the memory of its largest moment, so its resident size stays
at its peak until it exits. Warm kernels (:mod:`wxshop.batch.kernels`) turn it on; a kernel is
replaced after ``max_uses`` reports and shut down with its worker. ``WXSHOP_KEEP_MEMORY=0``
leaves the allocator as it is, as do other C libraries (musl, macOS, Windows) and a process
whose ``MALLOC_MMAP_MAX_`` or ``MALLOC_TRIM_THRESHOLD_`` was set by hand.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

ENV_SWITCH = "WXSHOP_KEEP_MEMORY"
_OFF = {"0", "false", "no", "off"}
# mallopt parameters, from glibc's <malloc.h>
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_NEVER_TRIM = 2**31 - 1  # mallopt takes an int: 2 GB free at the heap's top before trimming
_HAND_SET = ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_")


def _mallopt() -> Callable[[int, int], int] | None:
    """glibc's ``mallopt``, or None on another C library."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - present in glibc only
    except (OSError, AttributeError):
        return None
    fn = libc.mallopt
    fn.argtypes = (ctypes.c_int, ctypes.c_int)
    fn.restype = ctypes.c_int
    return fn


def keep_freed_memory() -> bool:
    """Serve big blocks from the heap and keep freed memory for reuse (glibc only).

    Returns True when the allocator was set, False when left alone (switched off with
    ``WXSHOP_KEEP_MEMORY=0``, set by hand through ``MALLOC_*`` variables, or not glibc).
    Calling it again changes nothing.
    """
    if os.environ.get(ENV_SWITCH, "1").strip().lower() in _OFF:
        return False
    if any(name in os.environ for name in _HAND_SET):
        return False
    mallopt = _mallopt()
    if mallopt is None:
        return False
    # mallopt returns 1 on success; the trim threshold first, so a failure of the second
    # still leaves heap memory kept
    if not (mallopt(_M_TRIM_THRESHOLD, _NEVER_TRIM) and mallopt(_M_MMAP_MAX, 0)):
        return False
    import pyarrow as pa

    # Arrow's own pool (mimalloc) hands freed pages back after a few milliseconds; the
    # system pool is now glibc's, which keeps them.
    pa.set_memory_pool(pa.system_memory_pool())
    return True
