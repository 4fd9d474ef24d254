"""wxshop's DuckDB connections: one place that sets how much memory a query may hold, how many
threads it runs on and where it spills.

Every query of the library opens its connection with :func:`connect`. DuckDB keeps a query's
hash tables, sorts and windows within ``memory_limit`` by writing what does not fit to files
under ``temp_directory`` and reading them back, so a store bigger than memory is slower, not
fatal. Left to itself DuckDB takes 80% of the machine for each connection; a batch running two
reports at once, each beside its pandas tables, would promise the same memory twice.

The settings come from the environment, so a notebook, a warm kernel and a Dask job read them
the same way:

- ``WXSHOP_DUCKDB_MEMORY``: the memory limit in DuckDB's own notation (``"4GB"``,
  ``"512MB"``). ``wxshop run`` sets it from the machine (:func:`batch_memory_limit`: half its
  memory shared among the reports that run at once) unless it is set already or given with
  ``--memory-limit``. Unset: DuckDB's default.
- ``WXSHOP_DUCKDB_THREADS``: threads per query (unset: one per core).
- ``WXSHOP_DUCKDB_TEMP``: the spill folder (unset: ``wxshop-duckdb-<user id>`` in the system's
  temporary folder, never the working directory, which is the project).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import duckdb

from wxshop.errors import ParamsError

__all__ = ["ENV_MEMORY", "ENV_TEMP", "ENV_THREADS", "batch_memory_limit", "check_memory_limit", "connect",
           "settings", "total_memory"]

ENV_MEMORY = "WXSHOP_DUCKDB_MEMORY"
ENV_THREADS = "WXSHOP_DUCKDB_THREADS"
ENV_TEMP = "WXSHOP_DUCKDB_TEMP"
# DuckDB's notation: a number and a unit, e.g. 4GB, 1.5GiB, 512MB.
_LIMIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.I)
_MIN_BYTES = 64 * 2**20  # below this DuckDB cannot run wxshop's queries at all


def check_memory_limit(value: str, where: str = ENV_MEMORY) -> str:
    """``value`` when it is a memory size DuckDB reads (``"4GB"``, ``"512MiB"``) of at least
    64 MB; ParamsError naming ``where`` and the fix otherwise.

    Examples
    --------
    >>> check_memory_limit("4GB")
    '4GB'
    >>> try:
    ...     check_memory_limit("lots")
    ... except ParamsError as e:
    ...     print(str(e)[:55])
    WXSHOP_DUCKDB_MEMORY: 'lots' is not a memory size. Fix:
    """
    match = _LIMIT.match(str(value))
    fix = "Fix: write a number and a unit, e.g. 4GB or 512MB (at least 64MB)."
    if not match:
        raise ParamsError(f"{where}: {value!r} is not a memory size. {fix}")
    number, unit = float(match.group(1)), match.group(2).upper()
    scale = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
             "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}[unit]
    if number * scale < _MIN_BYTES:
        raise ParamsError(f"{where}: {value!r} is too small for wxshop's queries. {fix}")
    return str(value).strip()


def settings() -> dict[str, str | int]:
    """The connection settings the environment asks for (module docstring); bad values raise
    ParamsError naming the variable."""
    spill = os.environ.get(ENV_TEMP) or str(Path(tempfile.gettempdir()) / f"wxshop-duckdb-{os.getuid()}")
    config: dict[str, str | int] = {"temp_directory": spill}
    if os.environ.get(ENV_MEMORY):
        config["memory_limit"] = check_memory_limit(os.environ[ENV_MEMORY])
    threads = os.environ.get(ENV_THREADS, "").strip()
    if threads:
        if not threads.isdigit() or int(threads) < 1:
            raise ParamsError(f"{ENV_THREADS}: {threads!r} is not a number of threads. Fix: write a"
                              " whole number of at least 1, or unset it (one per core).")
        config["threads"] = int(threads)
    return config


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection with :func:`settings` applied (use it in a ``with``)."""
    return duckdb.connect(config=settings())


def total_memory() -> int:
    """This machine's memory in bytes (its cgroup limit when the process runs in a smaller one)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total, int(text))
    return total


def batch_memory_limit(reports_at_once: int, total: int | None = None) -> str:
    """DuckDB's share of memory per report when ``reports_at_once`` reports run side by side:
    half the machine's memory (the other half is the reports' pandas tables, the kernels and
    the system) divided among them, in MB, at least 256 MB.

    Examples
    --------
    >>> batch_memory_limit(2, total=24 * 10**9)
    '6000MB'
    >>> batch_memory_limit(64, total=8 * 10**9)
    '256MB'
    """
    total = total_memory() if total is None else total
    share = total // 2 // max(1, reports_at_once)
    return f"{max(share // 10**6, 256)}MB"
