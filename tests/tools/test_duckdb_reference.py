"""tools/duckdb_reference.py, the floor of `make bench`, against the wxshop library on one generated
store: every figure the script writes equals what the library functions compute (1e-9 relative),
from Parquet and from CSV, and a definition that drifts is caught."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from wxshop import demo
from wxshop.ab.outcomes import experiment_ids, user_outcomes
from wxshop.analysis import churn, lifecycle, overview, repurchase, rfm, selection
from wxshop.analysis import products as pr
from wxshop.data.load import load_store

SCRIPT = ROOT / "tools" / "duckdb_reference.py"
REL = 1e-9
KEYS = ("sku_id", "category")  # rows of a list are matched on the first of these they have
RUN_FIELDS = ("store", "duckdb", "seconds", "seconds_by_part")  # not figures


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("duckdb_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tables():
    return demo.generate_store(2000, seed=4)


@pytest.fixture(scope="module")
def store(tables, tmp_path_factory) -> Path:
    return demo.write_store(*tables, tmp_path_factory.mktemp("reference") / "store")


def figures(data: Any) -> dict[str, Any]:
    """What wxshop's library computes on ``data``, in the shape of the script's JSON."""
    orders, items, products = data.orders, data.order_items, data.products
    end = overview.resolve_period_end(orders, "")
    thresholds = lifecycle.stage_thresholds(orders, end)
    table = rfm.rfm_table(orders, end)
    segments = rfm.segment_summary(rfm.rfm_segments(rfm.rfm_scores(table), split="raw"))
    window = pr.item_lines(selection.window_lines(orders, end, 365), items, products, end)
    skus = selection.sku_table(window, end)
    sku_cols = ["sku_id", "category", "units", "orders", "buyers", "gmv", "cost", "gross_profit",
                "gross_margin"]
    return {
        "end_day": end.date().isoformat(),
        "order_lines": len(items),
        "store_kpis": overview.store_kpis(orders).to_dict(),
        "profiling": repurchase.headline(orders, end, 90) | {"period_days": 90},
        "intervals": {k: getattr(thresholds, k) for k in ("n_intervals", "n_repeat_customers", "p_active",
                                                          "p_dormant")},
        "rfm": {"means": table[["recency_days", "frequency", "monetary"]].mean().to_dict(),
                "segments": dict(zip(segments["segment"], segments["customers"], strict=True))},
        "category_gaps": category_gaps(pr.item_lines(orders, items, products, end), end, thresholds),
        "products": {
            "window_days": 365,
            "headline": {k: v for k, v in selection.headline(skus).items()
                         if k in ("skus", "categories", "item_gmv", "gross_profit", "gross_margin",
                                  "cost_coverage")},
            "skus": skus[sku_cols].to_dict("records"),
            "category_gaps": category_gaps(window, end, thresholds),
        },
        "ab": {exp: ab_arms(data, exp) for exp in experiment_ids(data.experiments)},
    }


def category_gaps(lines: pd.DataFrame, end: pd.Timestamp, thresholds: Any) -> list[dict[str, Any]]:
    """Per category: events and naive median (repurchase_cycles), intervals, P80 and P95 (churn)."""
    cycles = pr.repurchase_cycles(lines, end, "category").set_index("category")
    own = churn.category_thresholds(lines, end, thresholds).categories
    return [{"category": row.category, "purchases": cycles.loc[row.category, "purchases"],
             "intervals": row.intervals, "naive_median_days": cycles.loc[row.category, "naive_median_days"],
             "p80_days": row.p_active, "p95_days": row.p_dormant} for row in own.itertuples()]


def ab_arms(data: Any, experiment: str) -> dict[str, Any]:
    """Per-arm sums over users of the 14-day window (user_outcomes)."""
    res = user_outcomes(data.experiments, data.orders, experiment, window_days=14, pre_days=28)
    u = res.users.assign(orders_sq=lambda f: f["orders"] ** 2, revenue_sq=lambda f: f["revenue"] ** 2)
    arms = u.groupby("variant").agg(users=("customer_id", "size"), converters=("converted", "sum"),
                                    orders_sum=("orders", "sum"), orders_sumsq=("orders_sq", "sum"),
                                    revenue_sum=("revenue", "sum"), revenue_sumsq=("revenue_sq", "sum"))
    return {"window_days": 14, "multi_variant": res.multi_variant, "arms": arms.to_dict("index")}


def mismatches(ref: Any, ours: Any, path: str = "") -> list[str]:
    """Where ``ref`` and ``ours`` differ: numbers beyond ``REL`` relative, other values unequal,
    keys or rows present on one side only."""
    if isinstance(ref, dict) and isinstance(ours, dict):
        out = [f"{path}.{k}: only in the reference" for k in ref if k not in ours]
        out += [f"{path}.{k}: only in wxshop" for k in ours if k not in ref]
        for k in ref.keys() & ours.keys():
            out += mismatches(ref[k], ours[k], f"{path}.{k}")
        return out
    if isinstance(ref, list) and isinstance(ours, list):
        key = next((k for k in KEYS if ref and k in ref[0]), None)
        if key is None:
            return [f"{path}: lists"]
        return mismatches({r[key]: r for r in ref}, {r[key]: r for r in ours}, path)
    if isinstance(ref, float | int | np.number) or isinstance(ours, float | int | np.number):
        a = math.nan if ref is None else float(ref)
        b = math.nan if ours is None else float(ours)
        same = (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)
        return [] if same else [f"{path}: reference {ref!r}, wxshop {ours!r}"]
    return [] if ref == ours else [f"{path}: reference {ref!r}, wxshop {ours!r}"]


@pytest.fixture(scope="module")
def ours(store, tmp_path_factory) -> dict[str, Any]:
    return figures(load_store(store, cache=tmp_path_factory.mktemp("cache")))


def without_run_fields(ref: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ref.items() if k not in RUN_FIELDS}


def test_the_script_gives_wxshops_figures(store, ours, tmp_path):
    out = tmp_path / "reference.json"
    done = subprocess.run([sys.executable, str(SCRIPT), str(store), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ref = json.loads(out.read_text(encoding="utf-8"))
    assert ref["seconds"] > 0 and set(ref["seconds_by_part"]) >= {"facts", "rfm", "ab"}
    assert mismatches(without_run_fields(ref), ours) == []
    # the figures are not empty: every part has something to compare
    assert ref["store_kpis"]["refunds"] > 0 and ref["profiling"]["returned"] > 0
    assert len(ref["category_gaps"]) >= 4 and len(ref["products"]["skus"]) >= 20
    assert all(n > 0 for n in ref["rfm"]["segments"].values())
    assert len(ref["ab"]) >= 2 and all(len(e["arms"]) >= 2 for e in ref["ab"].values())


def test_csv_files_give_the_same_figures(tool, tables, ours, tmp_path):
    folder = demo.write_store(*tables, tmp_path / "csv", fmt="csv")
    ref = tool.reference(folder)
    assert mismatches(without_run_fields(ref), ours) == []


def test_a_drifted_definition_is_caught(tool, store, ours, monkeypatch):
    # 复购率 counting buyers with one purchase day
    monkeypatch.setattr(tool, "PROFILING", tool.PROFILING.replace("days >= 2", "days >= 1"))
    found = mismatches(without_run_fields(tool.reference(store)), ours)
    assert found and all(line.startswith((".profiling.repeat_buyers", ".profiling.repurchase_rate"))
                         for line in found), found


def test_the_comparison_holds_to_1e9_relative():
    assert mismatches({"x": 1.0, "rows": [{"sku_id": "a", "v": 2.0}]},
                      {"x": 1.0 + 1e-10, "rows": [{"sku_id": "a", "v": 2.0}]}) == []
    assert mismatches({"x": 1.0}, {"x": 1.0 + 1e-8}) == [".x: reference 1.0, wxshop 1.00000001"]
    assert mismatches({"x": None}, {"x": float("nan")}) == []
    assert mismatches({"rows": [{"sku_id": "a"}]}, {"rows": [{"sku_id": "b"}]}) == [
        ".rows.a: only in the reference", ".rows.b: only in wxshop"]
