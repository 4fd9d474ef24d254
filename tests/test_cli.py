"""CLI behaviour users rely on: short errors with exit code 2, no traceback."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from conftest import SAMPLE, add_store, run_wxshop
from wxshop.batch.kernel_start import is_startup_error as _is_startup_error
from wxshop.batch.results import JobResult, exit_code
from wxshop.report.pdf import find_chromium


def test_validate_missing_amount_exit_2_names_file_and_column(project):
    data = add_store(project, "s1")
    orders = pd.read_csv(data / "orders.csv", dtype=str, encoding="utf-8-sig")
    orders.drop(columns="amount").to_csv(data / "orders.csv", index=False)
    proc = run_wxshop("validate", "s1", cwd=project, env={"WXSHOP_HOME": str(project)})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "orders.csv" in proc.stderr and "amount" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 4


def test_validate_good_store_prints_counts(project):
    add_store(project, "s1")
    proc = run_wxshop("validate", "s1", cwd=project, env={"WXSHOP_HOME": str(project)})
    assert proc.returncode == 0, proc.stderr
    assert "orders" in proc.stdout and "rows_read" in proc.stdout


def test_unknown_store_and_notebook_exit_2(project):
    add_store(project, "s1")
    env = {"WXSHOP_HOME": str(project)}
    for args in (("run", "-s", "nope"), ("run", "-n", "nope"), ("run", "--set", "lang")):
        proc = run_wxshop(*args, cwd=project, env=env)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr and "error:" in proc.stderr


def test_exit_code_rules():
    ok = JobResult("s", "n", "ok", 1.0)
    data = JobResult("s", "n", "data_error", 1.0)
    bug = JobResult("s", "n", "failed", 1.0)
    assert exit_code([ok, ok]) == 0
    assert exit_code([ok, data]) == 2
    assert exit_code([ok, data, bug]) == 1


def test_startup_errors_are_retried_but_cell_errors_are_not():
    assert _is_startup_error(RuntimeError("Kernel died before replying to kernel_info"))
    assert _is_startup_error(OSError("Address already in use"))
    assert not _is_startup_error(ValueError("could not convert string to float"))


def test_sample_store_is_small_and_committed():
    size = sum(f.stat().st_size for f in SAMPLE.rglob("*") if f.is_file())
    assert 0 < size < 1_000_000
    assert (SAMPLE / "orders.csv").is_file()


def test_inspect_a_folder_of_bills_and_unknown_paths(project, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "data"))
    import platform_exports as exports

    t = exports.truth()
    exports.write_wxpay_bills(tmp_path / "shop", t)
    env = {"WXSHOP_HOME": str(project)}
    proc = run_wxshop("inspect", str(tmp_path / "shop"), cwd=project, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "wxpay_bill" in proc.stdout and "用户标识 (openid)" in proc.stdout
    assert t.buyers[0].openid not in proc.stdout
    missing = run_wxshop("inspect", str(tmp_path / "nope"), cwd=project, env=env)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_validate_lists_unknown_statuses_with_the_line_to_add(project):
    data = add_store(project, "s1")
    orders = pd.read_csv(data / "orders.csv", dtype=str, encoding="utf-8-sig")
    orders.loc[:2, "status"] = "拼团中"
    orders.to_csv(data / "orders.csv", index=False)
    proc = run_wxshop("validate", "s1", cwd=project, env={"WXSHOP_HOME": str(project)})
    assert proc.returncode == 0, proc.stderr
    assert "unknown statuses 拼团中 (3 rows)" in proc.stdout
    assert "params/stores/s1.yaml: statuses: {拼团中: paid}" in proc.stdout


def test_wrong_parameters_fail_their_store_only_and_name_the_parameter(project):
    env = {"WXSHOP_HOME": str(project)}
    add_store(project, "good")
    cases = {
        "bad_date": "period_end: 2026-13-45\n",
        "typo": "perod_days: 30\n",
        "not_int": "period_days: abc\n",
        "lang_fr": "lang: fr\n",
        "bad_yaml": "lang: [zh\n",
        "null_exp": "experiments: {~: {}}\n",
    }
    for name, extra in cases.items():
        add_store(project, name, yaml_extra=extra)
    proc = run_wxshop("run", "-n", "store_overview", "--jobs", "2", cwd=project, env=env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    out = proc.stderr
    assert "period_end is '2026-13-45'; expected a date YYYY-MM-DD" in out
    assert "unknown parameter 'perod_days' (did you mean 'period_days'?)" in out
    assert "period_days is 'abc'; expected int" in out
    assert "lang is 'fr'; expected zh or en" in out
    assert "bad_yaml.yaml line 2: not valid YAML" in out
    assert "an experiment id is empty" in out
    assert "1/7 reports written" in proc.stdout
    status = json.loads((project / "reports" / "good" / "store_overview.status.json").read_text())
    assert status["status"] == "ok"
    for name in cases:
        refused = json.loads((project / "reports" / name / "store_overview.status.json").read_text())
        assert refused["status"] == "data_error", name
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "perod_days" in index


def test_unsafe_store_ids_never_reach_the_file_system(project):
    env = {"WXSHOP_HOME": str(project)}
    add_store(project, "good")
    for store in ("../outside", "a/b", ".hidden"):
        proc = run_wxshop("run", "-s", store, cwd=project, env=env)
        assert proc.returncode == 2 and "may only hold letters, digits" in proc.stderr, store
    assert not (project / "outside").exists() and not (project.parent / "outside").exists()


def test_index_links_are_url_encoded(tmp_path):
    from wxshop.report.index import build_index

    folder = tmp_path / "店#1"
    folder.mkdir()
    (folder / "store_overview.html").write_text("<html></html>")
    (folder / "store_overview.status.json").write_text(json.dumps(
        {"store": "店#1", "notebook": "store_overview", "status": "ok", "html": "store_overview.html"}))
    page = build_index(tmp_path, lang="en").read_text(encoding="utf-8")
    assert 'href="%E5%BA%97%231/store_overview.html"' in page


def test_a_bad_memory_limit_stops_the_batch_before_it_starts(project):
    add_store(project, "s1")
    for args, env in ((("run", "--memory-limit", "lots"), {}),
                      (("run",), {"WXSHOP_DUCKDB_MEMORY": "12 parsecs"})):
        proc = run_wxshop(*args, cwd=project, env={"WXSHOP_HOME": str(project), **env})
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr and "Fix:" in proc.stderr
        assert not (project / "reports" / "s1").exists(), "nothing ran"


def test_the_batch_sets_duckdbs_memory_limit_for_its_reports(monkeypatch):
    """--memory-limit wins, then WXSHOP_DUCKDB_MEMORY as set, then half the machine per report."""
    from wxshop.cli import _set_memory_limit
    from wxshop.data import engine

    monkeypatch.delenv(engine.ENV_MEMORY, raising=False)
    _set_memory_limit(None, 2)
    assert os.environ[engine.ENV_MEMORY] == engine.batch_memory_limit(2)
    monkeypatch.setenv(engine.ENV_MEMORY, "3GB")
    _set_memory_limit(None, 2)
    assert os.environ[engine.ENV_MEMORY] == "3GB"
    _set_memory_limit("700MB", 2)
    assert os.environ[engine.ENV_MEMORY] == "700MB"


def test_run_pdf_without_a_browser_stops_before_any_notebook(project):
    """`wxshop run --pdf` on a machine whose browser cannot be found: exit 2 with the fix, no
    traceback, and no report started."""
    add_store(project, "s1")
    proc = run_wxshop("run", "--pdf", cwd=project,
                      env={"WXSHOP_HOME": str(project), "WXSHOP_CHROMIUM": str(project / "no-browser")})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "WXSHOP_CHROMIUM" in proc.stderr and "apt-get install chromium" in proc.stderr
    assert not (project / "reports" / "s1").exists(), "no notebook may run"


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="no Chromium found: `wxshop run --pdf` not tried")
def test_run_pdf_writes_a_pdf_beside_each_report_and_the_index(project):
    """Every HTML report of the sample store and the index get a PDF beside them; a later run
    without --pdf removes the PDFs of what it rewrites, so none shows an older report."""
    add_store(project, "s1")
    env = {"WXSHOP_HOME": str(project)}
    proc = run_wxshop("run", "--pdf", "-n", "store_overview,growth", "--reports", "out", cwd=project, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = project / "out"
    pages = sorted(p for p in out.rglob("*.html"))
    assert len(pages) == 3 and out / "index.html" in pages, pages
    for page in pages:
        assert page.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-", page
    assert f"{len(pages)}/{len(pages)} PDFs written" in proc.stdout
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    again = run_wxshop("run", "-n", "store_overview", "--reports", "out", cwd=project, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not (out / "s1" / "store_overview.pdf").exists() and not (out / "index.pdf").exists()
    assert (out / "s1" / "growth.pdf").is_file()


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="no Chromium found: no PDF printed")
def test_the_batch_pass_prints_the_reports_that_ran_and_the_index(tmp_path):
    """``wxshop run --pdf``'s pass after the batch (cli._write_pdfs): a PDF for each report that
    was written and for the index; a report that failed gets none, and a PDF that cannot be
    printed is listed by its report's name."""
    from wxshop.batch.plan import Job
    from wxshop.cli import _write_pdfs

    def job(notebook: str) -> Job:
        return Job("s1", notebook, "nb.ipynb", str(tmp_path / "s1"), str(tmp_path))

    (tmp_path / "s1").mkdir()
    jobs = [job("store_overview"), job("growth"), job("user_profiling")]
    jobs[0].output_html.write_text("<!DOCTYPE html><h1>店铺概览</h1>", encoding="utf-8")
    index = tmp_path / "index.html"
    index.write_text("<!DOCTYPE html><h1>索引</h1>", encoding="utf-8")
    results = [JobResult("s1", "store_overview", "ok", 1.0, html="store_overview.html"),
               JobResult("s1", "growth", "ok", 1.0, html="growth.html"),  # its HTML is gone
               JobResult("s1", "user_profiling", "failed", 1.0, error="boom")]
    failed, due = _write_pdfs(jobs, results, index)
    assert due == 3
    assert list(failed) == ["s1 / growth"]
    assert jobs[0].output_html.with_suffix(".pdf").is_file() and (tmp_path / "index.pdf").is_file()
    assert not jobs[2].output_html.with_suffix(".pdf").exists()
