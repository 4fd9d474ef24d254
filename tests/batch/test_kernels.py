"""Warm kernels: reused from report to report, yet each report starts from a clean state."""

from __future__ import annotations

import json

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import ROOT, run_on_pool
from wxshop.batch import execute, kernels
from wxshop.batch.plan import Job

pytestmark = pytest.mark.slow


def _notebook(path, *sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _run(pool, path, out, root, **params):
    run_on_pool(pool, path, out, root, **params)
    return nbformat.read(out, as_version=4)


@pytest.fixture
def pool():
    p = kernels.KernelPool(max_uses=3)
    yield p
    p.close()


@pytest.fixture
def bare_pool(monkeypatch):
    """A pool whose kernels import nothing when warmed: for what does not depend on the imports."""
    monkeypatch.setattr(kernels, "WARM_MODULES", ())
    p = kernels.KernelPool(max_uses=3)
    yield p
    p.close()


def test_the_next_report_sees_nothing_of_the_last(pool, tmp_path):
    dirty = _notebook(
        tmp_path / "dirty.ipynb",
        "secret = 42\nimport os, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt, warnings",
        "pd.set_option('display.max_rows', 3)\nmpl.rcParams['lines.linewidth'] = 9\n"
        "warnings.simplefilter('error')\nfig = plt.figure()\nos.chdir('/')",
    )
    clean = _notebook(
        tmp_path / "clean.ipynb",
        "import os, warnings, pandas as pd, matplotlib as mpl, matplotlib.pyplot as plt\n"
        "assert 'secret' not in globals(), 'a variable leaked'\n"
        "assert pd.get_option('display.max_rows') == 60\n"
        "assert mpl.rcParams['lines.linewidth'] != 9\n"
        "assert not plt.get_fignums()\n"
        f"assert os.getcwd() == {str(tmp_path)!r}\n"
        "assert not any(f[0] == 'error' and f[2] is Warning for f in warnings.filters)",
    )
    _run(pool, dirty, tmp_path / "o1.ipynb", tmp_path)
    out = _run(pool, clean, tmp_path / "o2.ipynb", tmp_path)
    assert pool.started == 1, "the kernel was reused"
    assert [c.execution_count for c in out.cells] == [1], "the count restarts with each report"


def test_a_failing_cell_does_not_spoil_the_kernel_and_uses_are_bounded(bare_pool, tmp_path):
    pool = bare_pool
    bad = _notebook(tmp_path / "bad.ipynb", "x = 1", "raise ValueError('boom')")
    good = _notebook(tmp_path / "good.ipynb", "assert 'x' not in globals()\ny = 2")
    with pytest.raises(pm.PapermillExecutionError):
        _run(pool, bad, tmp_path / "o1.ipynb", tmp_path)
    _run(pool, good, tmp_path / "o2.ipynb", tmp_path)
    _run(pool, good, tmp_path / "o3.ipynb", tmp_path)
    assert pool.started == 1
    _run(pool, good, tmp_path / "o4.ipynb", tmp_path)  # max_uses=3: a new kernel
    assert pool.started == 2


def test_the_report_is_written_when_it_ends_not_around_every_cell(bare_pool, tmp_path, monkeypatch):
    from papermill import engines

    writes = []
    real = engines.write_ipynb
    monkeypatch.setattr(engines, "write_ipynb", lambda nb, path: (writes.append(path), real(nb, path)))
    cells = [f"print({i})" for i in range(6)]
    out = _run(bare_pool, _notebook(tmp_path / "n.ipynb", *cells), tmp_path / "o.ipynb", tmp_path)
    assert len(writes) == 2  # papermill's start and end, not 2 more per cell
    assert [c.outputs[0]["text"] for c in out.cells] == [f"{i}\n" for i in range(6)]
    assert {c.metadata.papermill["status"] for c in out.cells} == {"completed"}
    writes.clear()
    bad = _notebook(tmp_path / "bad.ipynb", *cells[:3], "raise ValueError('boom')", "print('never')")
    with pytest.raises(pm.PapermillExecutionError):
        _run(bare_pool, bad, tmp_path / "o2.ipynb", tmp_path)
    failed = nbformat.read(tmp_path / "o2.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    ran = {c.source: o["text"] for c in failed.cells for o in c.get("outputs", []) if "text" in o}
    assert ran["print(2)"] == "2\n"  # what ran before the error is kept


def test_a_dead_kernel_is_replaced(bare_pool, tmp_path):
    pool = bare_pool
    nb = _notebook(tmp_path / "n.ipynb", "z = 1")
    _run(pool, nb, tmp_path / "o1.ipynb", tmp_path)
    from jupyter_core.utils import run_sync

    run_sync(pool.kernel(tmp_path).shutdown_kernel)(now=True)
    _run(pool, nb, tmp_path / "o2.ipynb", tmp_path)
    assert pool.started == 2


def test_a_reused_kernel_writes_the_same_report_as_a_fresh_one(tmp_path, monkeypatch):
    """store_overview on the sample store: figures and tables equal with and without reuse."""
    made = {}
    for reuse in ("0", "1"):
        monkeypatch.setenv(execute.REUSE_ENV, reuse)
        report_dir = tmp_path / f"r{reuse}"
        for _ in range(1 + int(reuse)):  # with reuse the second run is on a used kernel
            job = Job("sample", "store_overview", str(ROOT / "notebooks" / "00_store_overview.ipynb"),
                             str(report_dir), str(ROOT), {"report_dir": str(report_dir)})
            assert execute.execute_job(job).status == "ok"
        made[reuse] = json.loads((report_dir / "store_overview.json").read_text(encoding="utf-8"))
    pool = execute.kernel_pool()
    assert pool is not None and pool.started >= 1
    for key in ("headline", "tables", "data_quality", "findings"):
        assert made["0"][key] == made["1"][key], key


def test_a_prestarted_kernel_is_the_one_the_first_report_runs_on(bare_pool, tmp_path, monkeypatch):
    """prestart sends the warm-up without waiting; the report waits for it and uses that kernel."""
    monkeypatch.setattr(kernels, "WARM_MODULES", ("json",))
    monkeypatch.setattr(kernels, "_WARM_CODE", "import time; time.sleep(1); " + kernels._WARM_CODE)
    pool = bare_pool
    assert pool.prestart(tmp_path) is True
    assert pool._warming is not None, "prestart returned before the warm-up's reply"
    out = _run(pool, _notebook(tmp_path / "n.ipynb", "import sys\nprint('json' in sys.modules)"),
               tmp_path / "o.ipynb", tmp_path)
    assert pool._warming is None
    assert out.cells[0].outputs[0]["text"].strip() == "True", "the warm-up ran before the report"
    assert pool.started == 1


def test_a_warm_up_that_fails_stops_the_report_and_the_kernel(bare_pool, tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "WARM_MODULES", ("no_such_module_wxshop",))
    pool = bare_pool
    assert pool.prestart(tmp_path) is True  # the error comes with the reply, not at the start
    with pytest.raises(RuntimeError, match="no_such_module_wxshop"):
        pool.kernel(tmp_path)
    assert pool._km is None and pool._warming is None


def test_a_kernel_that_cannot_start_makes_prestart_say_no_not_raise(tmp_path):
    pool = kernels.KernelPool(kernel_name="no-such-kernel-wxshop")
    try:
        assert pool.prestart(tmp_path) is False
        assert pool._km is None
    finally:
        pool.close()


def test_reports_run_through_the_pools_open_client_without_waiting_for_a_new_one(tmp_path, monkeypatch):
    """A new client waits for the kernel's answer and 0.2 s of silence (jupyter_client's
    wait_for_ready): the pool's client is connected once, at the kernel's start, and the reset
    and papermill both go through it."""
    from jupyter_client.asynchronous.client import AsyncKernelClient

    monkeypatch.setattr(kernels, "WARM_MODULES", ())
    bare_pool = kernels.KernelPool(max_uses=10)

    waits = []
    real = AsyncKernelClient.wait_for_ready

    async def counted(self, *args, **kwargs):
        waits.append(self)
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(AsyncKernelClient, "wait_for_ready", counted)
    nb = _notebook(tmp_path / "n.ipynb", "import os\nprint(os.getpid())")
    pids = [_run(bare_pool, nb, tmp_path / f"o{i}.ipynb", tmp_path).cells[0].outputs[0]["text"]
            for i in range(3)]
    assert len(set(pids)) == 1 and bare_pool.started == 1
    assert waits == [], "a client was connected and waited for"
    client = bare_pool.client()
    assert client is not None and client.channels_running

    import threading  # another thread gets a client of its own, on the same kernel

    seen = {}

    def in_a_thread():
        seen["before"] = bare_pool.client()
        seen["pid"] = _run(bare_pool, nb, tmp_path / "t.ipynb", tmp_path).cells[0].outputs[0]["text"]
        seen["client"] = bare_pool.client()

    t = threading.Thread(target=in_a_thread)
    t.start()
    t.join()
    assert seen["before"] is None and seen["pid"] == pids[0] and bare_pool.started == 1
    assert len(waits) == 1, "the thread's client is connected once"
    assert seen["client"] is not client and not client.channels_running
    assert bare_pool.client() is None  # here: the thread's client is not offered
    assert _run(bare_pool, nb, tmp_path / "o.ipynb", tmp_path).cells[0].outputs[0]["text"] == pids[0]
    last = bare_pool.client()
    bare_pool.close()
    assert bare_pool.client() is None and not last.channels_running


def test_the_warm_up_freezes_what_it_imported_and_a_reports_garbage_is_still_collected():
    """After warm(), the imported modules' objects are out of the cyclic collector's way
    (gc.freeze), so the collection IPython's reset runs walks only what the report made;
    a reference cycle the report left behind is still freed by it."""
    import os
    import subprocess
    import sys

    code = (
        "import gc, weakref\n"
        "from wxshop.batch import kernels\n"
        "kernels.warm(('json', 'pandas'))\n"
        "assert gc.get_freeze_count() > 10000, gc.get_freeze_count()\n"
        "class Node: pass\n"
        "a, b = Node(), Node(); a.b, b.a = b, a\n"
        "gone = weakref.ref(a); del a, b\n"
        "gc.collect()\n"
        "assert gone() is None, 'a cycle made after the warm-up was not collected'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "WXSHOP_KEEP_MEMORY": "0"})
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
