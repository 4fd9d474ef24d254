"""`wxshop run` on stores made of real platform exports (tests/data/exports.py), with no
`columns:` mapping: every report is written, its figures match the planted truth whatever the
export, and no planted personal value appears in anything under reports/ or in the cache."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import new_project, run_wxshop

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))
import platform_exports as exports  # noqa: E402  (the fixture writers live beside the data tests)

pytestmark = pytest.mark.slow
T = exports.truth()
NOTEBOOKS = ("store_overview", "user_profiling", "product_selection")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    project = new_project(tmp_path_factory.mktemp("exports"))
    stores = exports.write_stores(project, T)
    cache = project / ".cache" / "tables"
    proc = run_wxshop("run", "--jobs", "2", cwd=project,
                      env={"WXSHOP_HOME": str(project), "WXSHOP_CACHE_DIR": str(cache)})
    return project, stores, proc, cache


def test_every_report_is_written_for_every_export_store(batch):
    project, stores, proc, _ = batch
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for store in stores:
        for notebook in NOTEBOOKS:
            status = json.loads((project / "reports" / store / f"{notebook}.status.json").read_text())
            assert status["status"] == "ok", (store, notebook)
            assert (project / "reports" / store / f"{notebook}.html").stat().st_size > 10_000


def test_headline_figures_match_the_planted_truth_for_every_export(batch):
    project, stores, _, _ = batch
    paid = T.of("paid", "partial")
    paid_amount = round(sum(o.amount for o in paid), 2)
    partial = round(sum(o.refund for o in T.of("partial")), 2)
    for store in stores:
        data = json.loads((project / "reports" / store / "store_overview.json").read_text())
        kpis = data["headline"]
        assert kpis["orders"] == len(paid), store
        # net GMV: partial refunds come off where the export carries them (the ERP lines do not)
        net = paid_amount - (0 if store == "erp" else partial)
        assert kpis["gmv"] == pytest.approx(net, abs=1e-6), store
        if store != "erp":
            refunded = sum(o.amount for o in T.of("refunded"))
            assert kpis["gmv_gross"] == pytest.approx(paid_amount + refunded, abs=1e-6), store
            assert kpis["refund_rate_amount"] == pytest.approx(
                (refunded + partial) / (paid_amount + refunded), rel=1e-9), store
        assert kpis["customers"] == len({o.buyer.phone for o in paid}), store
        dq = data["data_quality"]
        assert dq["rows_read"] == dq["rows_used"] + dq["rows_rejected"] + dq["rows_merged"]


def test_no_planted_personal_value_under_reports_or_in_the_cache(batch):
    project, _, _, cache = batch
    values = exports.personal_values(T) + sorted({b.name for b in T.buyers})
    files = [p for p in [*(project / "reports").rglob("*"), *cache.rglob("*")] if p.is_file()]
    assert len(files) > 50
    leaks = {}
    for path in files:
        data = path.read_bytes()
        hits = [v for v in values if v.encode("utf-8") in data]
        if hits:
            leaks[str(path.relative_to(project))] = hits[:3]
    assert not leaks
    # the reports say that customer ids are pseudonyms of the buyers' identifiers
    page = (project / "reports" / "wx_bill" / "store_overview.html").read_text(encoding="utf-8")
    assert "加密假名" in page and "openid" in page
