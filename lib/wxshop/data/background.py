"""A store's files read one table ahead of the checks, and its cache entries written behind
them (:func:`wxshop.data.load.load_store`).

A cold load of a big store spends about a third of its time reading files (Arrow's Parquet and
CSV readers, which mostly run without the GIL) and the rest typing and checking the rows in
pandas and numpy; writing the checked tables to the table cache (Arrow's Feather writer, also
without the GIL) costs another second at a million customers. :class:`ReadAhead` reads the next
table's files in one background thread while the current table is checked, and
:class:`WriteBehind` writes a checked table's cache entry in another while the next one is
checked, so the work overlaps on a second core.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Generic, TypeVar

__all__ = ["ReadAhead", "WriteBehind"]

T = TypeVar("T")
R = TypeVar("R")


class ReadAhead(Generic[T, R]):
    """The files of the tables still to load, gathered in a background thread one table ahead
    of the table being typed and checked. Parsing a file (Arrow's Parquet and CSV readers)
    mostly runs without the GIL, so it overlaps with the checks of the table before it; only
    one table is read ahead, so at most two tables' raw frames are held at once.

    ``get(group)`` waits for the group's frame (an error reading it is raised there, in the
    tables' order, as a load without the thread would raise it) and starts reading the next
    group; ``release(group)`` lets the frame go after its last table. Leaving the ``with``
    block (also on an error) waits for a read under way, which can then be ignored.
    """

    def __init__(self, read: Callable[[T], R], groups: list[T]) -> None:
        self._read, self._groups = read, groups
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wxshop-read")
        self._futures: dict[int, Future] = {}
        self._frames: dict[int, R] = {}
        self._next = 0

    def __enter__(self) -> ReadAhead:
        self._submit_next()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._futures.clear()
        self._frames.clear()

    def _submit_next(self) -> None:
        if self._next < len(self._groups):
            group = self._groups[self._next]
            self._futures[id(group)] = self._pool.submit(self._read, group)
            self._next += 1

    def get(self, group: T) -> R:
        if id(group) not in self._frames:
            future = self._futures.pop(id(group))
            self._submit_next()
            self._frames[id(group)] = future.result()
        return self._frames[id(group)]

    def release(self, group: T) -> None:
        self._frames.pop(id(group), None)


class WriteBehind:
    """Calls handed to :meth:`submit` run one after another in a background thread. Leaving
    the ``with`` block waits for all of them and raises the first one's error (after an error
    in the block itself, that error is the one raised)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wxshop-write")
        self._futures: list[Future] = []

    def __enter__(self) -> WriteBehind:
        return self

    def submit(self, call: Callable[..., Any], *args: Any) -> None:
        self._futures.append(self._pool.submit(call, *args))

    def __exit__(self, error: type[BaseException] | None, *exc: object) -> None:
        self._pool.shutdown(wait=True)
        if error is None:
            for future in self._futures:
                future.result()
