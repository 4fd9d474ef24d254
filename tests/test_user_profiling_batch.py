"""`wxshop run` on generated demo stores, the user-profiling reports, in both languages (the
shared demo batch, ``demo_project`` in conftest.py)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from conftest import DEMO_STORE, DEMO_STORES

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def project(demo_project):
    """The shared demo batch (read-only): demo_01 in Chinese and in
    English into reports_en/."""
    return demo_project


@pytest.mark.parametrize("store", DEMO_STORES)
def test_report_json_and_exports_for_every_store(project, store):
    out = project / "reports" / store
    html = (out / "user_profiling.html").read_text(encoding="utf-8")
    assert "重要价值客户" in html and "沉睡" in html and "流失" in html and "沉睡（流失）" not in html
    assert "按品类周期判定" in html and "分层 × 阶段" in html and "毛利" in html
    data = json.loads((out / "user_profiling.json").read_text(encoding="utf-8"))
    head = data["headline"]
    for key in ("customers", "active_customers", "new_customers", "orders", "gmv", "aov",
                "frequency", "repurchase_rate", "return_rate"):
        assert key in head
    assert {"r", "alpha", "a", "b"} <= set(head["bgnbd"])
    assert {s["segment"] for s in data["tables"]["segments"]} >= {"important_value", "general_retain"}
    assert sum(s["customers"] for s in data["tables"]["stages"]) == head["customers"]
    files = {p.name for p in (out / "exports").iterdir()}
    assert {"all_customers.csv", "stage-dormant.csv", "stage-lost.csv",
            "segment-important_value.csv"} <= files
    assert {c["source"] for c in data["tables"]["category_thresholds"]} == {"category"}
    assert sum(c["customers"] for c in data["tables"]["segment_stage"]) == head["customers"]
    assert head["value_90"]["margin"] < head["value_90"]["revenue"]
    every = pd.read_csv(out / "exports" / "all_customers.csv", encoding="utf-8-sig", dtype=str)
    assert len(every) == head["customers"] and every["客户ID"].is_unique


def test_exports_hold_no_personal_data(project):
    customers = pd.read_parquet(project / "data" / "demo" / "demo_01" / "customers.parquet")
    planted = set(customers["phone"].head(200)) | set(customers["openid"].head(200))
    for f in (project / "reports" / "demo_01").rglob("*"):
        if f.suffix in {".csv", ".html", ".json"}:
            text = f.read_text(encoding="utf-8-sig")
            assert not [v for v in planted if v in text], f


def test_english_report(project):
    out = project / "reports_en" / DEMO_STORE
    html = (out / "user_profiling.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, flags=re.S)
    assert len(headings) >= 8
    for h in headings:
        assert not CJK.search(re.sub(r"<[^>]+>", "", h).replace(DEMO_STORE, "")), h
    assert "Important value" in html
    back = pd.read_csv(out / "exports" / "stage-new.csv", encoding="utf-8-sig")
    assert back.columns[0] == "customer_id"
