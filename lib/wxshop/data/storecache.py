"""A cache of checked tables, so a batch reads and checks each store's files once.

Every notebook of a store loads the same export files, and at a million customers
reading, typing and checking them costs 10–17 s per notebook (``docs/benchmarks.md``).
:func:`wxshop.data.load.load_store` keeps each checked table here as uncompressed Arrow IPC
(the clean rows with their integer keys, :mod:`wxshop.data.keys`, and the rejected rows,
plus the counts) and the next notebook reads it back in well under a second.

An entry is found by a key over everything the result depends on: the bytes of the
source file (a BLAKE2 digest, so an export rewritten with the same size and modified
time is still seen as new; a process hashes a file again only when its inode, size or
times changed, see :func:`file_digest`), the table, the file's label in messages, the ``columns:``
mapping, the source of the loading code (every module of :mod:`wxshop.data`), the pandas and
pyarrow versions, and for order lines the key of the orders they are checked against.
A file that fails to load raises as before and nothing is cached.

Entries live in ``$WXSHOP_CACHE_DIR`` if set, else ``<project>/.cache/wxshop/tables``.
``WXSHOP_STORE_CACHE=0`` turns the cache off. Files are written under a temporary name
and renamed, so processes sharing the folder (``--jobs``, Dask workers on a shared path)
never read half an entry; the older entry for the same file and table is removed when a
new one is written. A damaged entry is treated as absent. The cached tables hold no
personal columns: they are dropped before checking.

The process also keeps the tables of the data folder it loaded last in memory, so a warm
kernel running a store's reports one after another (:mod:`wxshop.batch.kernels`) reads and
checks them once and the later reports take them as they are (about 2 s per report at a
million customers). Each report gets its own shallow copies: with pandas' copy-on-write, a
change a report makes to its tables is not seen by the next. The entry is still found by
its key, so a changed file is read afresh; loading another data folder lets go of the
tables held. ``WXSHOP_STORE_CACHE=0`` or ``cache=False`` turns this off too.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow

from wxshop.paths import project_root

ENV_DIR = "WXSHOP_CACHE_DIR"
ENV_SWITCH = "WXSHOP_STORE_CACHE"
FORMAT = 3  # 3: integer keys are columns of the tables; no separate codes file
_OFF = {"0", "false", "no", "off"}
_DIGEST = 16  # bytes of BLAKE2b


@dataclass
class Entry:
    """One checked table: the rows used, the rows set aside, and the counts."""

    used: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    personal_dropped: int
    merged: int = 0  # rows folded into another row (repeats across files, order lines, refunds)
    notes: dict | None = None  # what loading found: source, files, unknown statuses ...


# The entries of the data folder loaded last in this process: {key: Entry}.
_HELD: dict[str, Entry] = {}
_held_folder: list[Path | None] = [None]


def enabled() -> bool:
    """Whether ``load_store`` uses the cache by default (``WXSHOP_STORE_CACHE``)."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in _OFF


def default_dir() -> Path:
    """``$WXSHOP_CACHE_DIR``, else ``.cache/wxshop/tables`` in the project folder."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser()
    return project_root() / ".cache" / "wxshop" / "tables"


# {resolved path: (stat signature, digest)} of the files this process has hashed
_DIGESTS: dict[Path, tuple[tuple[int, ...], str]] = {}
_DIGESTS_KEPT = 4096
# a file changed less than this before it was hashed is hashed again next time: a write in
# the same clock tick as the hashing would leave its times unchanged (git's "racy" files)
_RACY_NS = 2_000_000_000


def _signature(path: Path) -> tuple[int, ...]:
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_digest(path: Path) -> str:
    """BLAKE2b of the file's bytes (about 0.3 s for the 215 MB of a 1M-customer store).

    Each report of a store loads the same files, so the process remembers the digest with
    the file's device, inode, size and modified and changed times, and hashes it again
    only when one of them differs. Any write changes the changed time (``st_ctime``, which
    no program can set back), also one that restores the size and the modified time, and
    a replaced file has a new inode. A file written less than 2 s before it was hashed is
    not remembered.
    """
    key = path.resolve()
    before = _signature(key)
    hit = _DIGESTS.get(key)
    if hit is not None and hit[0] == before:
        return hit[1]
    started = time.time_ns()
    with key.open("rb") as handle:
        digest = hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=_DIGEST)).hexdigest()
    _, _, _, modified, changed = before
    settled = max(modified, changed) < started - _RACY_NS
    if settled and _signature(key) == before:  # and not changed while being read
        if len(_DIGESTS) >= _DIGESTS_KEPT:
            del _DIGESTS[next(iter(_DIGESTS))]
        _DIGESTS[key] = (before, digest)
    return digest


@cache
def _code_digest() -> str:
    """The loading code's source, every module of :mod:`wxshop.data` (files, read, headers,
    parse, checks, load, schema, codes, this one...): a change to any step of the pipeline
    invalidates every entry."""
    here = Path(__file__).parent
    h = hashlib.blake2b(digest_size=_DIGEST)
    for path in sorted(here.glob("*.py")):
        h.update(path.name.encode("utf-8"))
        h.update(path.read_bytes())
    h.update(f"{FORMAT} pandas {pd.__version__} pyarrow {pyarrow.__version__}".encode())
    return h.hexdigest()


def _hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=_DIGEST)
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class TableCache:
    """The cache folder. ``key`` names an entry, ``get`` reads it, ``put`` writes it."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def key(
        self,
        path: Path | list[Path],
        table: str,
        label: str,
        mapping: Mapping[str, str],
        depends_on: str | None = None,
        extra: str = "",
    ) -> str:
        """The entry's name: ``<slot>-<content>``; the slot is the (first) file and table.
        ``extra`` holds whatever else the result depends on (the export profile, status
        mapping, the pseudonym key's id)."""
        paths = path if isinstance(path, list) else [path]
        slot = _hash(str(paths[0].resolve()), table)
        content = _hash(
            _code_digest(),
            *[f"{p.resolve()}:{file_digest(p)}" for p in paths],
            paths[0].suffix.lower(),
            table,
            label,
            json.dumps(dict(mapping), sort_keys=True, ensure_ascii=False),
            depends_on or "",
            extra,
        )
        return f"{slot}-{content}"

    def _files(self, key: str) -> tuple[Path, Path, Path]:
        return (
            self.folder / f"{key}.json",
            self.folder / f"{key}.used.arrow",
            self.folder / f"{key}.rejected.arrow",
        )

    def get(self, key: str) -> Entry | None:
        """The entry, or None when absent or unreadable (it is then removed). The frames
        are shallow copies of the ones held in memory, else read from the folder."""
        held = _HELD.get(key)
        if held is not None:
            return _shallow(held)
        entry = self._read(key)
        if entry is not None:
            _hold(key, entry)
            return _shallow(entry)
        return None

    def _read(self, key: str) -> Entry | None:
        meta_path, used_path, rejected_path = self._files(key)
        if not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return Entry(
                used=pd.read_feather(used_path),
                rejected=pd.read_feather(rejected_path),
                rows_read=int(meta["rows_read"]),
                personal_dropped=int(meta["personal_dropped"]),
                merged=int(meta.get("merged", 0)),
                notes=meta.get("notes"),
            )
        except (OSError, ValueError, KeyError, pyarrow.ArrowException):
            self._remove(key)
            return None

    def put(self, key: str, entry: Entry) -> bool:
        """Write the entry (the metadata last, so readers see all of it or none).

        Returns False when the folder cannot be written (full disk, read-only share):
        the load itself has succeeded, so this is not an error.
        """
        meta_path, used_path, rejected_path = self._files(key)
        meta = {"rows_read": entry.rows_read, "personal_dropped": entry.personal_dropped,
                "merged": entry.merged, "notes": entry.notes}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(used_path, lambda p: entry.used.to_feather(p, compression="uncompressed"))
            self._write(
                rejected_path,
                lambda p: entry.rejected.to_feather(p, compression="uncompressed"),
            )
            self._write(meta_path, lambda p: Path(p).write_text(json.dumps(meta), "utf-8"))
        except OSError:
            self._remove(key)
            return False
        self._prune(key)
        _hold(key, entry)
        return True

    @staticmethod
    def _write(target: Path, write) -> None:
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def _remove(self, key: str) -> None:
        for p in self._files(key):
            p.unlink(missing_ok=True)

    def _prune(self, key: str) -> None:
        """Remove older entries for the same file and table."""
        slot = key.split("-", 1)[0]
        for meta in self.folder.glob(f"{slot}-*.json"):
            old = meta.name.removesuffix(".json")
            if old != key:
                self._remove(old)


def hold_folder(folder: Path) -> None:
    """Called as a store starts loading: tables held for another data folder are let go
    before this one's are read, so a process holds one store's tables at most."""
    folder = Path(folder).resolve()
    if _held_folder[0] != folder:
        _HELD.clear()
        _held_folder[0] = folder


def release() -> None:
    """Let go of the tables held in memory."""
    _HELD.clear()
    _held_folder[0] = None


def _hold(key: str, entry: Entry) -> None:
    slot = key.split("-", 1)[0]
    for old in [k for k in _HELD if k.split("-", 1)[0] == slot]:
        del _HELD[old]  # an older version of the same file and table
    _HELD[key] = _shallow(entry)


def _shallow(entry: Entry) -> Entry:
    """The entry with new frame objects sharing the data (copy-on-write)."""
    return Entry(
        used=entry.used.copy(deep=False),
        rejected=entry.rejected.copy(deep=False),
        rows_read=entry.rows_read,
        personal_dropped=entry.personal_dropped,
        merged=entry.merged,
        notes=entry.notes,
    )


def open_cache(cache: bool | str | Path | None) -> TableCache | None:
    """The cache ``load_store`` should use: ``None`` means the default (on unless
    ``WXSHOP_STORE_CACHE=0``), ``False`` none, ``True`` the default folder, a path
    that folder."""
    if cache is False or (cache is None and not enabled()):
        return None
    if cache is None or cache is True:
        return TableCache(default_dir())
    return TableCache(cache)
