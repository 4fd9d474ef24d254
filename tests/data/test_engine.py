"""DuckDB connections: every query of the library runs under the memory limit, threads and spill
folder the environment sets, and spills to disk instead of failing when a store is bigger than
that limit."""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from wxshop.data import engine
from wxshop.errors import ParamsError

# A hash aggregate of 12M groups: about 0.5 GB of hash table, five times the limit below.
BIG_QUERY = "SELECT count(*) FROM (SELECT i, count(*) FROM range(12000000) t(i) GROUP BY i)"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(engine.ENV_MEMORY, "300MB")
    monkeypatch.setenv(engine.ENV_THREADS, "1")
    monkeypatch.setenv(engine.ENV_TEMP, str(tmp_path / "spill"))
    with engine.connect() as con:
        got = dict(con.execute("SELECT name, value FROM duckdb_settings()"
                               " WHERE name IN ('memory_limit', 'threads', 'temp_directory')").fetchall())
    assert got["threads"] == "1"
    assert got["temp_directory"] == str(tmp_path / "spill")
    assert got["memory_limit"].startswith("286") and "MiB" in got["memory_limit"]  # 300 MB in MiB


def test_unset_means_duckdbs_defaults_and_a_spill_folder_outside_the_project(monkeypatch):
    for name in (engine.ENV_MEMORY, engine.ENV_THREADS, engine.ENV_TEMP):
        monkeypatch.delenv(name, raising=False)
    config = engine.settings()
    assert set(config) == {"temp_directory"}
    assert not config["temp_directory"].startswith(str(ROOT))


@pytest.mark.parametrize(("name", "value"), [
    (engine.ENV_MEMORY, "lots"), (engine.ENV_MEMORY, "4 parsecs"), (engine.ENV_MEMORY, "10MB"),
    (engine.ENV_THREADS, "0"), (engine.ENV_THREADS, "two"),
])
def test_a_bad_setting_names_the_variable_and_the_fix(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ParamsError, match=f"{name}.*Fix:"):
        engine.connect()


def test_a_query_bigger_than_the_limit_spills_instead_of_failing(monkeypatch, tmp_path):
    monkeypatch.setenv(engine.ENV_MEMORY, "100MB")
    monkeypatch.setenv(engine.ENV_TEMP, str(tmp_path))
    with engine.connect() as con:
        assert con.execute(BIG_QUERY).fetchone()[0] == 12_000_000
    # the limit is real: the same query without a spill folder runs out of memory
    with duckdb.connect(config={"memory_limit": "100MB"}) as con:
        con.execute("SET temp_directory = ''")
        with pytest.raises(duckdb.OutOfMemoryException):
            con.execute(BIG_QUERY).fetchone()


def test_batch_share_of_memory():
    assert engine.batch_memory_limit(1, total=16 * 10**9) == "8000MB"
    assert engine.batch_memory_limit(4, total=16 * 10**9) == "2000MB"
    assert engine.batch_memory_limit(0, total=16 * 10**9) == "8000MB"
    assert engine.batch_memory_limit(1) == f"{engine.total_memory() // 2 // 10**6}MB"


def test_the_library_opens_duckdb_only_through_the_engine():
    """A bare duckdb.connect() would ignore the limit the batch sets."""
    offenders = []
    for path in sorted((ROOT / "lib" / "wxshop").rglob("*.py")):
        if path.name == "engine.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "connect" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "duckdb"):
                offenders.append(f"{Path(path).relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
