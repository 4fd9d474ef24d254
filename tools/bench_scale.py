"""`make bench`, issue 18's part: wxshop beside the DuckDB reference at S, M, L and XL.

For each store, ``tools/duckdb_reference.py`` (the reports' headline figures in plain SQL over the
same files, with wxshop's definitions: the floor), then every report of the store end to end
(``wxshop run -s <store> --jobs 1``: kernel, cells, HTML, index) with the project's table cache
emptied first, then the reference again; wall time and peak memory of each. XL has 5,000,000
customers, generated in chunks (:func:`generate_xl`), and runs under a memory cap. Used by
``tools/bench_all.py``, which owns the session, the projects and the other steps.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tools" / "duckdb_reference.py"
XL_CUSTOMERS, XL_CHUNK, XL_CAP_GB = 5_000_000, 1_000_000, 4.0
TARGETS = {
    "l_all_s": 15.0,  # L, all reports end to end, cache emptied
    "l_all_gb": 1.5,
    "l_reference_ratio": 5.0,  # L all reports / reference, wall time
    "m_all_s": 6.0,
    "one_report_ratio": 0.5,  # one report in a fresh process / plain papermill + nbconvert
    "xl_cap_gb": XL_CAP_GB,
    "cost_flat": 1.10,  # seconds per million lines at L and XL / at M
}

# ``demo.generate_store(chunk, seed=1 + i)`` for chunk i, written into one store: chunk 0 is the
# L store itself; the ids of later chunks get a prefix so no order or customer repeats.
GENERATE_XL = """
import sys
from pathlib import Path
import pyarrow as pa
import pyarrow.parquet as pq
from wxshop import demo
customers, chunk, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
IDS = {"orders": ("order_id", "customer_id"), "order_items": ("order_id",), "events": ("customer_id",),
       "customers": ("customer_id", "inviter_id"), "experiments": ("customer_id",)}
out.mkdir(parents=True, exist_ok=True)
writers = {}
for i, start in enumerate(range(0, customers, chunk)):
    tables, _ = demo.generate_store(min(chunk, customers - start), 1 + i, store_id="XL")
    for name, df in tables.items():
        if name == "products" and i:  # one catalogue: every chunk numbers the same SKUs
            continue
        for col in IDS.get(name, ()) if i else ():
            df[col] = df[col].where(df[col].isna(), f"K{i}" + df[col].astype("str"))
        table = pa.Table.from_pandas(df, preserve_index=False)
        if name not in writers:
            writers[name] = pq.ParquetWriter(out / f"{name}.parquet", table.schema)
        writers[name].write_table(table.cast(writers[name].schema))
    del tables
for writer in writers.values():
    writer.close()
(out / "xl.json").write_text(f'{{"customers": {customers}, "chunk": {chunk}}}')
"""

ReportsRun = Callable[..., dict[str, Any]]  # bench_all.wxshop_run(session, project, args, tag, cap_gb=)


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


# ---------------------------------------------------------------- measuring


def reference_run(session: Any, project: Path, data: Path, tag: str, cap_gb: float | None = None,
                  memory_limit: str | None = None) -> dict[str, Any]:
    """``tools/duckdb_reference.py`` on ``data`` in a fresh process."""
    out = session.work / "reference" / f"{tag}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    limit = ["--memory-limit", memory_limit] if memory_limit else []
    run = session.run([sys.executable, REFERENCE, data, "--out", out, *limit], project, tag, cap_gb=cap_gb)
    figures = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    return {**asdict(run), "ok": run.ok and bool(figures), "compute_seconds": figures.get("seconds"),
            "seconds_by_part": figures.get("seconds_by_part"), "order_lines": figures.get("order_lines")}


def versus_reference(session: Any, project: Path, data: Path, store: str, order_lines: int,
                     reports_run: ReportsRun, cap_gb: float | None = None) -> dict[str, Any]:
    """The reference, every report of ``store`` with the table cache emptied, the reference
    again (both sides under the same load); with ``cap_gb`` each runs under that memory cap
    and DuckDB gets three quarters of it as its memory_limit."""
    memory_limit = f"{cap_gb * 0.75:g}GB" if cap_gb else None
    refs = [reference_run(session, project, data, f"5-{store}-reference-before", cap_gb, memory_limit)]
    shutil.rmtree(project / ".cache", ignore_errors=True)
    ours = reports_run(session, project, ["-s", store, "--jobs", "1"], f"5-{store}-all-reports-cold",
                       cap_gb=cap_gb)
    refs.append(reference_run(session, project, data, f"5-{store}-reference-after", cap_gb, memory_limit))
    ref_seconds = median([r["seconds"] for r in refs if r["ok"]])
    ok = ours["returncode"] == 0 and not ours["capped"] and ours["reports_ok"] == ours["reports"] > 0
    million = order_lines / 1e6
    return {
        "order_lines": order_lines,
        "cap_gb": cap_gb,
        "reference": {
            "seconds": ref_seconds, "runs_seconds": [r["seconds"] for r in refs],
            "compute_seconds": median([r["compute_seconds"] for r in refs]),
            "peak_rss_gb": max(r["peak_rss_gb"] for r in refs),
            "tree_peak_gb": max((r["tree_peak_gb"] or 0 for r in refs), default=None),
            "memory_limit": memory_limit, "ok": all(r["ok"] for r in refs),
            "seconds_by_part": refs[0]["seconds_by_part"], "runs": refs,
        },
        "wxshop": {**{k: v for k, v in ours.items() if k != "cmd"}, "ok": ok},
        "ratio": round(ours["seconds"] / ref_seconds, 2) if ok and ref_seconds else None,
        "seconds_per_million_lines": {
            "wxshop": round(ours["seconds"] / million, 2) if ok else None,
            "reference": round(ref_seconds / million, 2) if ref_seconds else None,
        },
    }


def generate_xl(session: Any, customers: int, chunk: int, reuse: bool) -> tuple[Path, dict[str, Any]]:
    """The XL store: ``customers`` in chunks of ``chunk`` (:data:`GENERATE_XL`), timed in a child
    process; row counts of the main tables. One ``generate_store(5_000_000)`` call would hold
    about 14 GB at its peak (2.8 GB for 1M customers): more than a shared 24 GB machine can
    be sure to give, so the chunks are written one after another into the same Parquet files."""
    import pyarrow.parquet as pq

    data = session.work / "data" / "XL"
    info: dict[str, Any] = {"customers_requested": customers, "chunk": chunk, "reused": False}
    marker = data / "xl.json"
    wanted = {"customers": customers, "chunk": chunk}
    if reuse and marker.is_file() and json.loads(marker.read_text()) == wanted:
        info["reused"] = True
    else:
        shutil.rmtree(data, ignore_errors=True)
        run = session.run([sys.executable, "-c", GENERATE_XL, customers, chunk, data], ROOT, "5-generate-XL")
        info.update(generate_seconds=run.seconds, generate_peak_rss_gb=run.peak_rss_gb, ok=run.ok)
        if not run.ok:
            return data, info
    info["rows"] = {t: pq.ParquetFile(data / f"{t}.parquet").metadata.num_rows
                    for t in ("orders", "order_items", "customers")}
    return data, info


# ---------------------------------------------------------------- targets


def scale_rows(steps: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(store, versus_reference result) for every store measured, S to XL."""
    sizes = steps.get("sizes") or {}
    found = [(n, sizes[n]["versus_reference"]) for n in ("S", "M", "L") if (sizes.get(n) or {}).get(
        "versus_reference")]
    if (xl := steps.get("xl")) and xl.get("versus_reference"):
        found.append(("XL", xl["versus_reference"]))
    return found


def figure(v: dict[str, Any]) -> str:
    w, r = v["wxshop"], v["reference"]
    cap = f" (killed over the {v['cap_gb']:g} GB cap)" if w.get("capped") else ""
    state = "" if w["ok"] else f"{cap or ' (FAILED)'}; {w['reports_ok']}/{w['reports']} reports"
    return (f"{w['seconds']} s, {w['peak_rss_gb']} GB largest process, {w['tree_peak_gb']} GB tree{state}; "
            f"reference {r['seconds']} s, {r['peak_rss_gb']} GB")


def targets(steps: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 18's targets, one row each: target, measured, baseline, met, why."""
    t, by_store, rows = TARGETS, dict(scale_rows(steps)), []
    l_, m = by_store.get("L"), by_store.get("M")
    rows.append({
        "id": "i18_l_all", "target": f"L all reports end to end, table cache emptied: ≤ {t['l_all_s']:g} s "
        f"and ≤ {t['l_all_gb']:g} GB peak (largest process)",
        "measured": figure(l_) if l_ else "not measured", "baseline": "issue 18 start: 36.3 s, 2.8 GB",
        "met": (l_["wxshop"]["ok"] and l_["wxshop"]["seconds"] <= t["l_all_s"]
                and l_["wxshop"]["peak_rss_gb"] <= t["l_all_gb"]) if l_ else None, "why": split_why(l_),
    })
    rows.append({
        "id": "i18_l_ratio", "target": f"L all reports within ×{t['l_reference_ratio']:g} of the DuckDB "
        "reference script's wall time",
        "measured": f"×{l_['ratio']}" if l_ else "not measured",
        "baseline": f"reference {l_['reference']['seconds']} s (of it {l_['reference']['compute_seconds']} s "
        "in DuckDB)" if l_ else "—",
        "met": (l_["ratio"] is not None and l_["ratio"] <= t["l_reference_ratio"]) if l_ else None, "why": "",
    })
    rows.append({
        "id": "i18_m_all", "target": f"M all reports end to end, table cache emptied: ≤ {t['m_all_s']:g} s",
        "measured": figure(m) if m else "not measured", "baseline": "issue 18 start: 13.9 s",
        "met": (m["wxshop"]["ok"] and m["wxshop"]["seconds"] <= t["m_all_s"]) if m else None,
        "why": split_why(m),
    })
    one = (steps.get("overhead") or {}).get("one_report")
    rows.append({
        "id": "i18_one_report", "target": "data/sample, one report (store_overview) from the CLI in a fresh "
        f"process ≤ {t['one_report_ratio']:g} × plain papermill + nbconvert",
        "measured": f"{one['seconds']} s (`wxshop run -n {one['notebook']}`, whole process); "
        f"×{one['ratio']}" if one else "not measured",
        "baseline": f"{one['plain_seconds']} s plain (papermill + nbconvert, same notebook)" if one else "—",
        "met": (one["ratio"] is not None and one["ratio"] <= t["one_report_ratio"]) if one else None,
        "why": "",
    })
    xl = by_store.get("XL")
    customers = (steps.get("xl") or {}).get("customers_requested", XL_CUSTOMERS)
    cap = xl["cap_gb"] if xl else t["xl_cap_gb"]
    rows.append({
        "id": "i18_xl", "target": f"XL ({customers:,} customers) all reports complete under a {cap:g} GB "
        "memory limit, time recorded",
        "measured": figure(xl) if xl else "not measured (`--quick`, or `--steps` without xl)",
        "baseline": "—", "met": xl["wxshop"]["ok"] if xl else None,
        "why": f"the limit: the process tree's summed RSS, sampled every 0.25 s, killed above {cap:g} GB",
    })
    costs = {n: v["seconds_per_million_lines"]["wxshop"] for n, v in by_store.items()}
    later = [n for n in ("L", "XL") if n in by_store]
    measured = ", ".join(f"{n} {costs[n]} s" if costs[n] is not None else f"{n} — (did not complete)"
                         for n in ("M", "L", "XL") if n in costs)
    rows.append({
        "id": "i18_cost", "target": f"cost per million order lines (all reports) flat or falling from M to "
        f"XL: L and XL ≤ {t['cost_flat']:g} × M",
        "measured": measured or "not measured",
        "baseline": "reference: " + ", ".join(f"{n} {v['seconds_per_million_lines']['reference']} s"
                                             for n, v in by_store.items() if n != "S"),
        "met": (all(costs.get(n) is not None and costs["M"] is not None
                    and costs[n] <= t["cost_flat"] * costs["M"] for n in later)
                if "M" in costs and "XL" in by_store else None),
        "why": "",
    })
    return rows


def _or_dash(value: Any) -> str:
    """A figure, or "—" where there is none (a run that did not complete)."""
    return "—" if value is None else str(value)


def split_why(v: dict[str, Any] | None) -> str:
    """Where an all-reports run's time went, from its status files."""
    if not v or not v["wxshop"].get("statuses"):
        return ""
    statuses = v["wxshop"]["statuses"]
    reports = ", ".join(f"{s['report']} {s['seconds']} s" for s in statuses)
    total = round(sum(s["seconds"] for s in statuses), 2)
    return f"{total} s in the reports (kernel, cells, HTML: {reports}); the rest: CLI start, index page"


# ---------------------------------------------------------------- markdown


def markdown(steps: dict[str, Any]) -> list[str]:
    """The section of docs/benchmarks.md: every store against the reference."""
    found = scale_rows(steps)
    if not found:
        return []
    lines = [
        "",
        "### 5. Against the DuckDB reference: S / M / L / XL",
        "",
        "Reference: `tools/duckdb_reference.py`, the reports' headline figures (store KPIs, the 90-day "
        "headline, RFM means and 8 segments, per-category repurchase gaps with naive median / P80 / P95, "
        "per-SKU gross margin, A/B per-arm sufficient statistics) in plain DuckDB SQL over the same "
        "Parquet files with wxshop's definitions (`tests/tools/test_duckdb_reference.py` holds them "
        "equal to 1e-9): the floor. It ran just before and just after wxshop; its time is the median of "
        "the two processes. wxshop: `wxshop run -s <store> --jobs 1`, every report end to end (kernel, "
        "cells, HTML, index) with the project's table cache emptied first.",
        "",
        "| store | order lines | reference: wall (in DuckDB) / peak | wxshop all reports: wall / peak "
        "(tree) | ratio | s per million lines: wxshop / reference |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in found:
        w, r = v["wxshop"], v["reference"]
        state = "" if w["ok"] else (" (killed over the cap)" if w.get("capped") else " (FAILED)")
        cost = v["seconds_per_million_lines"]
        ratio = "—" if v["ratio"] is None else f"×{v['ratio']}"
        lines.append(f"| {name} | {v['order_lines']:,} | {r['seconds']} s ({r['compute_seconds']} s) / "
                     f"{r['peak_rss_gb']} GB | {w['seconds']} s{state} / {w['peak_rss_gb']} GB "
                     f"({w['tree_peak_gb']} GB) | {ratio} | {_or_dash(cost['wxshop'])} / "
                     f"{_or_dash(cost['reference'])} |")
    if xl := steps.get("xl"):
        gen = ("reused" if xl.get("reused") else
               f"generated in {xl.get('generate_seconds')} s, peak {xl.get('generate_peak_rss_gb')} GB")
        lines += [
            "",
            f"XL: {xl['customers_requested']:,} customers as chunks of `demo.generate_store({xl['chunk']:,}, "
            "seed=1 + i)` (with chunks of 1,000,000, chunk 0 is the L store; the ids of later chunks are "
            f"prefixed), written into one store ({gen}): one `generate_store` call for all of them "
            f"would hold about {2.8 * xl['customers_requested'] / 1e6:.1f} GB (2.8 GB per million "
            "customers). Both sides "
            f"ran under a {xl['versus_reference']['cap_gb']:g} GB cap on the process tree's summed RSS, "
            "sampled every 0.25 s (the run is killed above it; the bench cannot set a cgroup limit on this "
            "machine); the reference with DuckDB's `memory_limit` at "
            f"{xl['versus_reference']['reference']['memory_limit']}.",
        ]
    return lines
