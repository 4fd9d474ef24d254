"""A one-report run loads its store into the table cache while the kernel is still starting
(wxshop.batch.execute.preload): the notebook's load then reads every table from the cache."""

from __future__ import annotations

import pytest

from conftest import add_store
from wxshop.batch.execute import preload
from wxshop.batch.plan import plan_jobs
from wxshop.data import load, storecache
from wxshop.data.load import load_store


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("WXSHOP_CACHE_DIR", str(folder))
    storecache.release()
    yield folder
    storecache.release()


def _job(project, store="shop", notebook="store_overview"):
    return plan_jobs([store], [notebook], reports=project / "reports", root=project)[0]


def _no_file_reads(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a table was read from its file, not from the cache")

    monkeypatch.setattr(load, "_load_table", refuse)


def test_preloaded_store_is_read_from_the_cache_with_the_notebooks_parameters(project, cache_dir,
                                                                              monkeypatch):
    data = add_store(project, "shop", yaml_extra='statuses: {"拼团中": "paid"}\n')
    job = _job(project)
    assert preload(job)
    assert not storecache._HELD  # let go of in this process
    assert len(list(cache_dir.glob("*.json"))) == 15  # every table of the folder
    _no_file_reads(monkeypatch)
    store = load_store(data, name="shop", statuses={"拼团中": "paid"})  # as the notebook calls it
    assert len(store.orders) > 0
    with pytest.raises(AssertionError, match="from its file"):  # other settings: another entry
        load_store(data, name="shop", statuses={"拼团中": "cancelled"})


def test_no_preload_for_big_folders_or_with_the_cache_off(project, cache_dir, monkeypatch):
    add_store(project, "shop")
    job = _job(project)
    assert not preload(job, max_bytes=1000)
    monkeypatch.setenv("WXSHOP_STORE_CACHE", "0")
    assert not preload(job)
    assert not cache_dir.exists() or not list(cache_dir.glob("*.json"))


def test_a_store_that_fails_to_load_is_left_to_the_report(project, cache_dir):
    data = add_store(project, "shop")
    (data / "orders.csv").write_text("not,an,orders,file\n1,2,3,4\n", encoding="utf-8")
    assert not preload(_job(project))  # no exception: the report loads it and says what is wrong
    assert not storecache._HELD


def test_ctrl_c_while_preloading_leaves_every_report_pending_and_exits_130(project, cache_dir, monkeypatch):
    import json

    from wxshop import cli
    from wxshop.batch import execute

    add_store(project, "shop")
    seen = []

    def interrupted(job):
        seen.append(job.store)
        raise KeyboardInterrupt

    monkeypatch.setenv("WXSHOP_HOME", str(project))
    monkeypatch.setenv("WXSHOP_KERNEL_REUSE", "0")  # no warm kernel to start for this
    monkeypatch.setattr(execute, "preload", interrupted)
    monkeypatch.setattr("sys.argv", ["wxshop", "run", "-s", "shop", "-n", "store_overview"])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 130 and seen == ["shop"]
    status = json.loads((project / "reports" / "shop" / "store_overview.status.json").read_text())
    assert status["status"] == "pending"  # never "ok" for a report that did not run
    assert (project / "reports" / "index.html").is_file()
