"""The loader reads the next table's files while it checks the current one (``ReadAhead``) and
writes the cache entry of a checked table while it checks the next (``WriteBehind``)."""

from __future__ import annotations

import threading
import weakref

import pytest

from wxshop.data.background import ReadAhead, WriteBehind
from wxshop.data.load import load_store
from wxshop.errors import DataError

WAIT = 10  # seconds an event may take before the test fails (never reached when it works)


class Frame:
    """Stands for a gathered table (weak-referenceable)."""

    def __init__(self, name: str) -> None:
        self.name = name


def test_the_next_table_is_read_while_the_current_one_is_checked_and_no_further():
    started = {name: threading.Event() for name in "abc"}
    threads = {}

    def read(name: str) -> Frame:
        threads[name] = threading.current_thread().name
        started[name].set()
        return Frame(name)

    with ReadAhead(read, ["a", "b", "c"]) as reader:
        assert reader.get("a").name == "a"
        # while "a" is being checked, "b" is read in the background; "c" is not started yet
        assert started["b"].wait(WAIT)
        assert not started["c"].is_set()
        assert reader.get("b").name == "b"
        assert started["c"].wait(WAIT)
        assert reader.get("c").name == "c"
    assert set(threads.values()) == {threads["a"]} and threads["a"] != threading.current_thread().name


def test_a_group_used_by_two_tables_is_read_once_and_released_after_the_last():
    calls = []

    def read(name: str) -> Frame:
        calls.append(name)
        return Frame(name)

    with ReadAhead(read, ["lines", "products"]) as reader:
        first = reader.get("lines")
        assert reader.get("lines") is first  # orders, then order lines, of one line-level export
        gone = weakref.ref(first)
        del first
        reader.release("lines")
        assert gone() is None  # the raw frame is not held through the later tables
        reader.get("products")
    assert calls == ["lines", "products"]


def test_an_error_reading_a_table_is_raised_when_that_table_is_reached():
    def read(name: str) -> Frame:
        if name == "b":
            raise DataError("b.csv: cannot be decoded", file="b.csv", fix="save as UTF-8")
        return Frame(name)

    with ReadAhead(read, ["a", "b"]) as reader:
        assert reader.get("a").name == "a"  # the failing read of "b" does not stop "a"
        with pytest.raises(DataError, match="b.csv"):
            reader.get("b")


def test_leaving_on_an_error_waits_for_the_read_under_way():
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def read(name: str) -> Frame:
        if name == "b":
            started.set()
            release.wait(WAIT)
            finished.set()
        return Frame(name)

    with pytest.raises(RuntimeError), ReadAhead(read, ["a", "b", "c"]) as reader:
        reader.get("a")
        assert started.wait(WAIT)
        threading.Timer(0.2, release.set).start()  # "b" is still being read when "a" fails
        raise RuntimeError("checking a failed")
    assert finished.is_set()  # the block waited for it: no reading thread outlives the load
    assert not [t for t in threading.enumerate() if t.name.startswith("wxshop-read")]


def test_a_load_reads_every_table_once_and_gives_the_same_tables_as_table_by_table(
    tmp_path, monkeypatch
):
    from wxshop.data import load
    from wxshop.paths import sample_data_dir

    calls = []
    real = load.gather

    def counting(paths, *args, **kwargs):
        calls.append(paths[0].name)
        return real(paths, *args, **kwargs)

    monkeypatch.setattr(load, "gather", counting)
    ahead = load_store(sample_data_dir(), cache=False)
    assert sorted(calls) == sorted({p for p in calls}) and len(calls) == len(ahead.tables)

    class OneByOne(ReadAhead):  # reads each table only when it is reached
        def __enter__(self):
            return self

        def get(self, group):
            if id(group) not in self._frames:
                self._frames[id(group)] = self._read(group)
            return self._frames[id(group)]

    monkeypatch.setattr(load, "ReadAhead", OneByOne)
    plain = load_store(sample_data_dir(), cache=False)
    assert list(ahead.tables) == list(plain.tables)
    for name, frame in plain.tables.items():
        assert ahead.tables[name].equals(frame), name
    assert ahead.quality.equals(plain.quality)


def test_writes_run_in_order_in_another_thread_and_the_block_waits_for_them():
    done, threads = [], set()
    gate = threading.Event()

    def write(name: str) -> None:
        gate.wait(WAIT)
        threads.add(threading.current_thread().name)
        done.append(name)

    with WriteBehind() as writer:
        for name in ("orders", "order_items", "products"):
            writer.submit(write, name)
        assert done == []  # the block goes on while the writes wait
        gate.set()
    assert done == ["orders", "order_items", "products"]
    assert len(threads) == 1 and threading.current_thread().name not in threads


def test_a_failed_write_is_raised_when_the_block_ends():
    def write(name: str) -> None:
        if name == "b":
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), WriteBehind() as writer:
        writer.submit(write, "a")
        writer.submit(write, "b")


def test_an_error_in_the_block_is_the_one_raised_after_the_writes_end():
    finished = threading.Event()

    def write() -> None:
        finished.set()
        raise OSError("not this one")

    with pytest.raises(RuntimeError, match="checking failed"), WriteBehind() as writer:
        writer.submit(write)
        raise RuntimeError("checking failed")
    assert finished.is_set()


def test_a_cached_load_finds_every_entry_written_when_the_load_returns(tmp_path, monkeypatch):
    from wxshop.data import load
    from wxshop.paths import sample_data_dir

    first = load_store(sample_data_dir(), cache=tmp_path)
    monkeypatch.setattr(load, "gather", lambda *a, **k: pytest.fail("read a file the cache holds"))
    from wxshop.data import storecache

    storecache.release()  # from the folder, not from this process's memory
    again = load_store(sample_data_dir(), cache=tmp_path)
    for name, frame in first.tables.items():
        assert again.tables[name].equals(frame), name
