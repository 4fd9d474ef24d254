"""The checked-table cache: a cached load is the same load, and any change is seen."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from conftest import SAMPLE
from wxshop.data import load, storecache
from wxshop.data.load import load_store
from wxshop.errors import DataError

BAD_ORDERS = (
    "O900000001,C0000001,2024-11-05 10:00:00,-5,paid,小程序,,0\n"  # negative amount
    "O900000002,C0000001,not a date,10,paid,小程序,,0\n"  # unparseable
    "O000000001,C0000001,2024-11-05 10:00:00,10,paid,小程序,,0\n"  # duplicate id
)
ORPHAN_LINE = "O999999999,SKU1006,1,44.9\n"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """The sample store with rejected rows in orders and order lines."""
    folder = tmp_path / "store"
    shutil.copytree(SAMPLE, folder)
    with (folder / "orders.csv").open("a", encoding="utf-8") as f:
        f.write(BAD_ORDERS)
    with (folder / "order_items.csv").open("a", encoding="utf-8") as f:
        f.write(ORPHAN_LINE)
    return folder


@pytest.fixture(autouse=True)
def nothing_held():
    """Each test starts with no tables held in memory, so the folder is what it reads."""
    storecache.release()
    yield
    storecache.release()


def assert_same_store(a: load.Store, b: load.Store) -> None:
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    assert_frame_equal(a.quality, b.quality, check_exact=True)
    assert_frame_equal(a.rejected, b.rejected, check_exact=True)
    assert a.missing == b.missing


def entries(folder: Path) -> list[str]:
    return sorted(p.name.removesuffix(".json") for p in folder.glob("*.json"))


def test_cached_load_equals_a_fresh_load_and_skips_checking(store, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    fresh = load_store(store, cache=False)
    assert len(fresh.rejected) == 4  # 3 orders + 1 orphan line: the fixture means something
    first = load_store(store, cache=cache)
    assert len(entries(cache)) == len(fresh.tables)

    def no_checking(*args, **kwargs):
        raise AssertionError("a cached table was read and checked again")

    monkeypatch.setattr(load, "_load_table", no_checking)
    second = load_store(store, cache=cache)
    assert_same_store(fresh, first)
    assert_same_store(fresh, second)


def test_rejected_csv_is_written_on_a_cache_hit(store, tmp_path):
    cache = tmp_path / "cache"
    load_store(store, cache=cache)
    out = tmp_path / "rejected.csv"
    load_store(store, cache=cache, rejected_path=out)
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 4


def test_same_size_and_time_but_new_bytes_is_a_new_entry(store, tmp_path):
    cache = tmp_path / "cache"
    before = load_store(store, cache=cache, tables=["orders"])
    path = store / "orders.csv"
    stat = path.stat()
    text = path.read_text(encoding="utf-8-sig")
    changed = text.replace("O000000002,C0000002,2024-11-04 14:49:19,19.89",
                           "O000000002,C0000002,2024-11-04 14:49:19,91.89")
    assert len(changed) == len(text) and changed != text
    path.write_text(changed, encoding="utf-8-sig")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = load_store(store, cache=cache, tables=["orders"])
    amount = lambda s: s.orders.set_index("order_id").loc["O000000002", "amount"]  # noqa: E731
    assert (amount(before), amount(after)) == (19.89, 91.89)
    assert len(entries(cache)) == 1  # the older entry for that file was removed


def test_order_lines_follow_a_change_in_orders(store, tmp_path):
    cache = tmp_path / "cache"
    first = load_store(store, cache=cache, tables=["order_items"])
    assert "O000000001" in set(first.order_items["order_id"])
    path = store / "orders.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not x.startswith("O000000001,")), "utf-8-sig")
    second = load_store(store, cache=cache, tables=["order_items"])
    assert "O000000001" not in set(second.order_items["order_id"])
    assert_same_store(second, load_store(store, cache=False, tables=["order_items"]))


def test_column_mapping_is_part_of_the_key(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "orders.csv").write_text(
        "order_id,customer_id,ordered_at,amount,state\nA1,c1,2024-06-18 20:15:00,9.5,paid\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    plain = load_store(folder, cache=cache)
    mapped = load_store(folder, cache=cache, columns={"state": "status"})
    assert "status" not in plain.orders and "state" in plain.orders
    assert mapped.orders["status"].tolist() == ["paid"]


def test_damaged_entry_is_read_afresh_and_rewritten(store, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_store(store, cache=cache, tables=["orders"])
    (used,) = cache.glob("*.used.arrow")
    used.write_bytes(used.read_bytes()[:100])
    storecache.release()
    again = load_store(store, cache=cache, tables=["orders"])
    assert_same_store(fresh, again)
    assert_same_store(fresh, load_store(store, cache=cache, tables=["orders"]))


def test_bad_files_raise_every_time_and_leave_nothing(tmp_path):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "orders.csv").write_text("order_id,customer_id,ordered_at\nA1,c1,2024-06-18\n")
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(DataError, match="amount"):
            load_store(folder, cache=cache)
    assert not cache.exists() or entries(cache) == []


def test_switched_off_by_environment(store, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(storecache.ENV_DIR, str(cache))
    monkeypatch.setenv(storecache.ENV_SWITCH, "0")
    load_store(store)
    assert not cache.exists()
    monkeypatch.setenv(storecache.ENV_SWITCH, "1")
    load_store(store)
    assert entries(cache)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_unwritable_cache_folder_still_loads(store, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o500)
    try:
        assert_same_store(load_store(store, cache=cache), load_store(store, cache=False))
    finally:
        cache.chmod(0o700)


def test_failed_write_leaves_no_entry(store, tmp_path, monkeypatch):
    cache = storecache.TableCache(tmp_path / "cache")
    result = load_store(store, cache=False, tables=["orders"])
    entry = storecache.Entry(result.orders, result.rejected, 1, 0)

    def disk_full(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_feather", disk_full)
    key = cache.key(store / "orders.csv", "orders", "orders.csv", {})
    assert cache.put(key, entry) is False
    assert cache.get(key) is None
    assert list((tmp_path / "cache").iterdir()) == []


def test_default_folder_is_in_the_project(tmp_path, monkeypatch):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "defaults.yaml").write_text("{}\n")
    monkeypatch.delenv(storecache.ENV_DIR, raising=False)
    monkeypatch.setenv("WXSHOP_HOME", str(tmp_path))
    assert storecache.default_dir() == tmp_path / ".cache" / "wxshop" / "tables"
    assert storecache.open_cache(False) is None


def test_cache_files_hold_no_personal_data(store, tmp_path):
    cache = tmp_path / "cache"
    load_store(store, cache=cache)
    customers = pd.read_csv(store / "customers.csv", encoding="utf-8-sig", dtype=str)
    planted = [customers[c].dropna().iloc[0] for c in ("phone", "openid", "nickname", "address")]
    blobs = [p.read_bytes() for p in cache.iterdir()]
    assert blobs
    for value in planted:
        assert not any(value.encode("utf-8") in blob for blob in blobs), value


def test_entries_of_an_older_format_are_not_read(store, tmp_path, monkeypatch):
    """FORMAT is part of every key: tables cached before the integer keys were columns
    (format 2, with a separate codes file) are never read back as if they had them."""
    cache = tmp_path / "cache"
    monkeypatch.setattr(storecache, "FORMAT", 2)
    storecache._code_digest.cache_clear()
    old = load_store(store, cache=cache, tables=["orders"])
    old_entries = {p.name for p in cache.glob("*.json")}
    monkeypatch.undo()
    storecache._code_digest.cache_clear()
    storecache.release()
    new = load_store(store, cache=cache, tables=["orders"])
    assert {p.name for p in cache.glob("*.json")}.isdisjoint(old_entries)  # loaded afresh, not read back
    assert_frame_equal(old.orders, new.orders)


# ------------------------------------------------------------------ tables held in memory


def test_next_load_in_the_process_takes_the_held_tables(store, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    fresh = load_store(store, cache=False)
    load_store(store, cache=cache)

    def no_reading(*args, **kwargs):
        raise AssertionError("the cache folder was read again")

    monkeypatch.setattr(storecache.TableCache, "_read", no_reading)
    monkeypatch.setattr(load, "_load_table", no_reading)
    out = tmp_path / "rejected.csv"
    again = load_store(store, cache=cache, rejected_path=out)
    assert_same_store(fresh, again)
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 4


def test_a_change_by_one_report_is_not_seen_by_the_next(store, tmp_path):
    cache = tmp_path / "cache"
    first = load_store(store, cache=cache)
    want = load_store(store, cache=False)
    first.orders["extra"] = 1
    first.orders.loc[first.orders.index[0], "amount"] = -1.0
    del first.customers["city"]
    first.rejected["reason"] = "changed"
    assert_same_store(want, load_store(store, cache=cache))


def test_a_changed_file_is_read_afresh_though_held(store, tmp_path):
    cache = tmp_path / "cache"
    load_store(store, cache=cache, tables=["orders"])
    path = store / "orders.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:-5]), "utf-8-sig")
    assert_same_store(load_store(store, cache=cache, tables=["orders"]),
                      load_store(store, cache=False, tables=["orders"]))
    assert len(storecache._HELD) == 1  # the older version was let go


def test_another_folder_lets_go_of_the_held_tables(store, tmp_path):
    cache = tmp_path / "cache"
    load_store(store, cache=cache)
    held = set(storecache._HELD)
    assert len(held) == 15  # every table of the sample store
    other = tmp_path / "other"
    shutil.copytree(SAMPLE, other)
    load_store(other, cache=cache, tables=["orders"])
    assert len(storecache._HELD) == 1 and not held & set(storecache._HELD)


def test_nothing_held_without_the_cache(store):
    load_store(store, cache=False)
    assert storecache._HELD == {}


# --- file digests remembered within the process --------------------------------------


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (normally 2 s after their last change)."""
    monkeypatch.setattr(storecache, "_DIGESTS", {})
    monkeypatch.setattr(storecache, "_RACY_NS", 0)


def no_hashing(*args, **kwargs):
    raise AssertionError("the file was read again")


def test_an_unchanged_file_is_hashed_once(tmp_path, settled, monkeypatch):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id\nO1\n")
    first = storecache.file_digest(path)
    monkeypatch.setattr(storecache.hashlib, "file_digest", no_hashing)
    assert storecache.file_digest(path) == first


def test_a_rewrite_keeping_size_and_modified_time_is_seen(tmp_path, settled):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id\nO1\n")
    first = storecache.file_digest(path)
    times = path.stat()
    path.write_bytes(b"order_id\nO2\n")  # same size
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))  # modified time put back
    assert path.stat().st_size == times.st_size and path.stat().st_mtime_ns == times.st_mtime_ns
    assert storecache.file_digest(path) != first
    assert storecache.file_digest(path) == storecache.file_digest(path)


def test_a_replaced_file_is_seen(tmp_path, settled):
    path, other = tmp_path / "orders.csv", tmp_path / "new.csv"
    path.write_bytes(b"order_id\nO1\n")
    first = storecache.file_digest(path)
    other.write_bytes(b"order_id\nO2\n")
    os.replace(other, path)
    assert storecache.file_digest(path) != first


def test_a_file_changed_just_before_hashing_is_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(storecache, "_DIGESTS", {})
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id\nO1\n")
    storecache.file_digest(path)
    assert storecache._DIGESTS == {}


def test_code_digest_covers_every_module_of_the_loading_pipeline(tmp_path, monkeypatch):
    """A change to any module of wxshop.data (read, parse, checks ...) invalidates the cache."""
    here = Path(storecache.__file__).parent
    for path in here.glob("*.py"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(storecache, "__file__", str(tmp_path / "storecache.py"))
    digest = storecache._code_digest.__wrapped__
    before = digest()
    for name in ("read.py", "parse.py", "checks.py", "headers.py", "files.py", "text.py"):
        path = tmp_path / name
        path.write_bytes(path.read_bytes() + b"\n# changed\n")
        after = digest()
        assert after != before, name
        before = after
    (tmp_path / "new_step.py").write_text("X = 1\n", encoding="utf-8")
    assert digest() != before
