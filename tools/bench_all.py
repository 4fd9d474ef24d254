"""`make bench`: the speed-and-scale benchmarks, end to end, in one session.

    .venv/bin/python tools/bench_all.py            # full set (make bench), 20-40 min
    .venv/bin/python tools/bench_all.py --quick    # no L or XL store, no 200-store batch, 1 repetition

Steps (each against the plain tools, measured in the same session):

1. Fixed overhead per report on the tiny committed store ``data/sample``: ``wxshop run`` (all
   notebooks, executed + HTML) against the plain baseline, the ``papermill`` CLI then the
   ``jupyter nbconvert --to html`` CLI for every report, each a subprocess.
2. S / M / L generated stores (10k / 100k / 1M customers): per notebook the full run
   (``wxshop run -s <store> -n <nb> --jobs 1``) and the library-only analysis
   (``tools/bench_libonly.py``: the notebook's code cells in a fresh Python process, no kernel,
   no HTML); then every notebook's cells in one process with the table cache emptied, as a warm
   kernel runs a store's reports (the L target's figure); growth in seconds per million order
   lines.
3. A batch of 12 small stores × every notebook with ``--jobs 2`` against the plain baseline
   run store by store.
4. Memory against store count: ``-n store_overview --jobs 2`` over 20 and 200 tiny stores.
5. Against the DuckDB reference (``tools/bench_scale.py``): at S, M, L (inside step 2) and XL
   (5,000,000 customers, step ``xl``, under a 4 GB cap), ``tools/duckdb_reference.py`` before
   and after every report of the store end to end with the table cache emptied; step 1 also
   times one report from the CLI in a fresh process against plain papermill + nbconvert.

Every command runs as a child process, measured by ``tools/bench_measure.py``: wall time
around it; peak memory as the child's ``ru_maxrss`` from ``os.wait4`` — the kernel's
RUSAGE_CHILDREN figure for that one child: the largest single process among it and the
descendants it waited for (kernels, pool workers); where psutil is installed, the peak of the
whole process tree's summed RSS sampled every 0.25 s beside it.

Writes ``benchmarks/results.json`` (``results-quick.json`` with ``--quick``) and, for a full
run, regenerates the section between the ``bench:begin`` / ``bench:end`` markers of
``docs/benchmarks.md``. Scratch projects, data and logs go to ``--work``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import bench_scale as scale
import yaml
from bench_measure import GB, Run, measure

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAMPLE = ROOT / "data" / "sample"
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
EXPERIMENTS = {"exp_coupon": {}}
NOTEBOOKS = ("store_overview", "user_profiling", "product_selection", "ab_test", "growth")
ONE_REPORT = "store_overview"  # the notebook of the one-report-in-a-fresh-process figure
SIZES = {"S": 10_000, "M": 100_000, "L": 1_000_000}
TARGETS = {
    "overhead_s": 3.5,  # per report, tiny sample
    "m_full_s": 30.0,  # every notebook for the M store, HTML included
    "l_lib_s": 30.0,  # library-only, every notebook, L store
    "l_lib_peak_gb": 4.0,
    "batch_ratio": 5.0,  # plain baseline / wxshop run, 12 stores
    "flat_ratio": 1.10,  # peak memory 200 stores / 20 stores
}


# ---------------------------------------------------------------- session, projects, machine


@dataclass
class Session:
    work: Path
    quick: bool
    reps: int
    log_dir: Path = field(init=False)
    commands: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.log_dir = self.work / "logs"

    def env(self, project: Path) -> dict[str, str]:
        env = {**os.environ, "WXSHOP_HOME": str(project), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        env.pop("WXSHOP_KERNEL_REUSE", None)  # the default: warm kernels
        return env

    def run(self, cmd: list[str], project: Path, tag: str, env: dict[str, str] | None = None,
            cap_gb: float | None = None) -> Run:
        run = measure([str(c) for c in cmd], project, {**self.env(project), **(env or {})},
                      self.log_dir / f"{tag}.log", cap_gb)
        self.commands.append({"tag": tag, **asdict(run)})
        status = "ok" if run.ok else f"KILLED over {cap_gb} GB" if run.capped else f"EXIT {run.returncode}"
        print(f"  {tag}: {run.seconds:.1f} s, peak {run.peak_rss_gb:.2f} GB, {status}", flush=True)
        return run


def make_project(path: Path, stores: dict[str, dict[str, Any]]) -> Path:
    """A throw-away wxshop project: defaults, one YAML per store, a link to notebooks/."""
    shutil.rmtree(path, ignore_errors=True)
    (path / "params" / "stores").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "defaults.yaml", path / "params" / "defaults.yaml")
    (path / "notebooks").symlink_to(ROOT / "notebooks")
    for name, params in stores.items():
        text = yaml.safe_dump(params, allow_unicode=True, sort_keys=False)
        (path / "params" / "stores" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return path


def store_yaml(data_dir: Path, experiments: bool = True) -> dict[str, Any]:
    return {"data_dir": str(data_dir), **({"experiments": EXPERIMENTS} if experiments else {})}


def machine_info() -> dict[str, Any]:
    def meminfo(key: str) -> float | None:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith(key + ":"):
                    return round(int(line.split()[1]) * 1024 / GB, 1)
        except OSError:
            pass
        return None

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for pkg in ("pandas", "numpy", "pyarrow", "duckdb", "matplotlib", "papermill", "nbconvert",
                "nbclient", "ipykernel", "psutil", "wxshop"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "lib", "notebooks"], cwd=ROOT,
                                capture_output=True, text=True).stdout.strip())
    return {
        "cpu_model": cpu,
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_gb": meminfo("MemTotal"),
        "ram_available_gb_at_start": meminfo("MemAvailable"),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "git_commit": commit + ("+dirty" if dirty else ""),
    }


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------- the two ways to run reports


def read_statuses(reports: Path) -> list[dict[str, Any]]:
    """Every ``<report>.status.json`` under ``reports``, in the order they were written, with the
    papermill execution time and the summed cell time from the executed notebook."""
    found = []
    for path in reports.glob("*/*.status.json"):
        status = json.loads(path.read_text(encoding="utf-8"))
        name = path.name.removesuffix(".status.json")
        times = executed_times(path.parent / f"{name}.ipynb")
        status.update(report=name, written=path.stat().st_mtime, **times)
        found.append(status)
    return sorted(found, key=lambda s: s["written"])


def executed_times(ipynb: Path) -> dict[str, float | None]:
    """papermill's own clock in an executed notebook: whole execution and the cells' sum."""
    try:
        nb = json.loads(ipynb.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"execute_seconds": None, "cells_seconds": None}
    cells = [c.get("metadata", {}).get("papermill", {}).get("duration") for c in nb["cells"]]
    whole = nb.get("metadata", {}).get("papermill", {}).get("duration")
    return {"execute_seconds": round(whole, 2) if whole is not None else None,
            "cells_seconds": round(sum(c for c in cells if c), 2)}


def wxshop_run(session: Session, project: Path, args: list[str], tag: str,
               cap_gb: float | None = None) -> dict[str, Any]:
    """``wxshop run ARGS`` in ``project`` (fresh reports folder), with its status files; with
    ``cap_gb``, killed when its process tree goes over that many GB."""
    shutil.rmtree(project / "reports", ignore_errors=True)
    run = session.run([BIN / "wxshop", "run", *args], project, tag, cap_gb=cap_gb)
    statuses = read_statuses(project / "reports")
    keep = ("store", "report", "status", "seconds", "attempts", "execute_seconds", "cells_seconds")
    return {
        **asdict(run),
        "reports": len(statuses),
        "reports_ok": sum(s["status"] == "ok" for s in statuses),
        "statuses": [{k: s.get(k) for k in keep} for s in statuses],
    }


def time_split_of(run: dict[str, Any]) -> dict[str, float]:
    """Where a ``wxshop run``'s wall time went, from its status files and papermill's clock:
    cells; papermill around them; the rest of the reports (kernel start and warm-up, resets,
    HTML); outside the reports (CLI start, index page). With ``--jobs 2`` the reports overlap:
    ``concurrency`` is their summed time over the wall time."""
    st = run["statuses"]
    reports = sum(s["seconds"] for s in st)
    execute = sum(s["execute_seconds"] or 0 for s in st)
    cells = sum(s["cells_seconds"] or 0 for s in st)
    first = st[0]["seconds"] - (st[0]["execute_seconds"] or 0) if st else 0.0
    return {
        "wall": run["seconds"], "reports": round(reports, 2), "cells": round(cells, 2),
        "papermill": round(execute - cells, 2), "outside_execution": round(reports - execute, 2),
        "first_outside_execution": round(first, 2), "outside_reports": round(run["seconds"] - reports, 2),
        "concurrency": round(reports / run["seconds"], 2) if run["seconds"] else 0.0,
    }


def plan(project: Path, stores: list[str] | None = None, notebooks: list[str] | None = None,
         reports: Path | None = None) -> list[Any]:
    """The jobs ``wxshop run`` would run: same stores, notebooks, experiments and parameters."""
    from wxshop.batch.plan import plan_jobs

    return plan_jobs(stores, notebooks, reports=reports, root=project)


def plain_reports(session: Session, project: Path, stores: list[str], tag: str) -> list[dict[str, Any]]:
    """The plain baseline, report by report: papermill CLI, then nbconvert CLI to HTML.

    Each report gets the parameters ``wxshop run`` would give it, from a YAML file (``-f``);
    outputs go to ``<project>/reports-plain/<store>/``."""
    out = project / "reports-plain"
    shutil.rmtree(out, ignore_errors=True)
    rows = []
    for job in plan(project, stores, reports=out):
        folder = out / job.store
        folder.mkdir(parents=True, exist_ok=True)
        params = folder / f"{job.name}.params.yaml"
        params.write_text(yaml.safe_dump(job.parameters, allow_unicode=True), encoding="utf-8")
        executed = folder / f"{job.name}.ipynb"
        pm = session.run([BIN / "papermill", job.input_path, executed, "-f", params, "-k", "python3"],
                         project, f"{tag}-{job.store}-{job.name}-papermill")
        html = session.run([BIN / "jupyter", "nbconvert", "--to", "html", executed],
                           project, f"{tag}-{job.store}-{job.name}-nbconvert")
        rows.append({
            "store": job.store, "report": job.name, "ok": pm.ok and html.ok,
            "papermill_seconds": pm.seconds, "nbconvert_seconds": html.seconds,
            "seconds": round(pm.seconds + html.seconds, 2),
            "peak_rss_gb": max(pm.peak_rss_gb, html.peak_rss_gb),
            **executed_times(executed),
        })
    return rows


def libonly(session: Session, project: Path, store: str, notebook: str, tag: str,
            env: dict[str, str] | None = None) -> dict[str, Any]:
    """``tools/bench_libonly.py``: the notebook's cells in a fresh process, no kernel, no HTML."""
    out = session.work / "libonly" / f"{tag}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    run = session.run([sys.executable, ROOT / "tools" / "bench_libonly.py", project, store, notebook, out],
                      project, tag, env)
    detail = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    cells = [c for r in detail.get("runs", []) for c in r["cells"]]
    slowest = max(cells, key=lambda c: c["seconds"], default=None)
    return {
        **asdict(run),
        "startup_seconds": detail.get("startup_seconds"),
        "analysis_seconds": round(sum(r["seconds"] for r in detail.get("runs", [])), 2),
        "slowest_cell": slowest,
        "cells": cells,
    }


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


# ---------------------------------------------------------------- step 1: fixed overhead


def step_overhead(session: Session) -> dict[str, Any]:
    """wxshop run vs papermill + nbconvert on data/sample, every notebook, ``reps`` times,
    interleaved so both see the same machine load; then the library-only cells for reference."""
    project = make_project(session.work / "projects" / "overhead", {"sample": store_yaml(SAMPLE)})
    ours, plain, single = [], [], []
    for rep in range(session.reps):
        ours.append(wxshop_run(session, project, ["--jobs", "1"], f"1-ours-rep{rep}"))
        plain.append(plain_reports(session, project, ["sample"], f"1-plain-rep{rep}"))
        # one report from the CLI in a fresh process, the whole process timed (issue 18)
        single.append(wxshop_run(session, project, ["-n", ONE_REPORT, "--jobs", "1"],
                                 f"1-one-report-rep{rep}"))
    lib = {nb: libonly(session, project, "sample", nb, f"1-libonly-{nb}")
           for nb in NOTEBOOKS}

    n = ours[0]["reports"]
    per_report = [s["seconds"] for r in ours for s in r["statuses"]]
    later = [s["seconds"] for r in ours for s in r["statuses"][1:]]
    plain_per_report = [row["seconds"] for rows in plain for row in rows]
    by_report: dict[str, dict[str, Any]] = {}
    for r in ours:
        for s in r["statuses"]:
            by_report.setdefault(s["report"], {"ours": [], "ours_cells": [], "plain": [],
                                               "papermill": [], "nbconvert": [], "plain_cells": []})
            by_report[s["report"]]["ours"].append(s["seconds"])
            by_report[s["report"]]["ours_cells"].append(s["cells_seconds"])
    for rows in plain:
        for row in rows:
            entry = by_report.setdefault(row["report"], {"ours": [], "ours_cells": [], "plain": [],
                                                         "papermill": [], "nbconvert": [], "plain_cells": []})
            entry["plain"].append(row["seconds"])
            entry["papermill"].append(row["papermill_seconds"])
            entry["nbconvert"].append(row["nbconvert_seconds"])
            entry["plain_cells"].append(row["cells_seconds"])
    table = {
        name: {key: median(values) for key, values in entry.items()} | {
            "ratio": ratio(median(entry["plain"]), median(entry["ours"]))}
        for name, entry in by_report.items()
    }
    for name, entry in table.items():
        nb = name.split("-")[0]
        entry["libonly_analysis_seconds"] = lib[nb]["analysis_seconds"] if nb in lib else None
    ours_wall = median([r["seconds"] for r in ours])
    time_split = {key: median([time_split_of(r)[key] for r in ours]) for key in time_split_of(ours[0])}
    time_split["libonly_cells"] = round(sum(v["analysis_seconds"] for v in lib.values()), 2)
    plain_total = median([sum(row["seconds"] for row in rows) for rows in plain])
    single_seconds = median([r["seconds"] for r in single if r["reports_ok"] == r["reports"] > 0])
    plain_single = table.get(ONE_REPORT, {}).get("plain")
    return {
        "store": "data/sample",
        "repetitions": session.reps,
        "reports": n,
        "all_ok": all(r["reports_ok"] == r["reports"] == n for r in ours)
        and all(row["ok"] for rows in plain for row in rows),
        "ours": {
            "per_report_median_seconds": median(per_report),
            "per_report_median_after_first_seconds": median(later),
            "first_report_seconds": median([r["statuses"][0]["seconds"] for r in ours]),
            "first_report": ours[0]["statuses"][0]["report"],
            "wall_seconds": ours_wall,
            "wall_per_report_seconds": round(ours_wall / n, 2),
            "peak_rss_gb": max(r["peak_rss_gb"] for r in ours),
            "time_split": time_split,
        },
        "plain": {
            "per_report_median_seconds": median(plain_per_report),
            "papermill_median_seconds": median([row["papermill_seconds"] for rows in plain for row in rows]),
            "nbconvert_median_seconds": median([row["nbconvert_seconds"] for rows in plain for row in rows]),
            "total_seconds": plain_total,
            "total_per_report_seconds": round(plain_total / n, 2),
        },
        "ratio_per_report": ratio(median(plain_per_report), median(per_report)),
        "ratio_whole_run": ratio(plain_total, ours_wall),
        "by_report": table,
        "one_report": {"notebook": ONE_REPORT, "seconds": single_seconds, "plain_seconds": plain_single,
                       "ratio": ratio(single_seconds, plain_single), "runs": single},
        "libonly": {nb: {k: v for k, v in r.items() if k != "cells"} for nb, r in lib.items()},
        "runs": {"ours": ours, "plain": plain},
    }


# ---------------------------------------------------------------- step 2: S / M / L


GENERATE = """
import sys
from pathlib import Path
from wxshop import demo
tables, truth = demo.generate_store(int(sys.argv[1]), 1, store_id=sys.argv[2])
demo.write_store(tables, truth, Path(sys.argv[3]), "parquet")
"""


COLD_LOAD = """
import sys, time
from wxshop.data.load import load_store
t = time.perf_counter()
load_store(sys.argv[1], name=sys.argv[2])
print(round(time.perf_counter() - t, 3))
"""


def cold_load(session: Session, project: Path, data: Path, name: str) -> dict[str, Any]:
    """Read and check every table of the store with the project's table cache empty (and so
    fill it): what the first notebook of a store pays in a batch; the later ones read the
    cache (``wxshop.data.storecache``)."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    run = session.run([sys.executable, "-c", COLD_LOAD, data, name], project, f"2-{name}-cold-load")
    log = (session.log_dir / f"2-{name}-cold-load.log").read_text(encoding="utf-8").split()
    return {"seconds": run.seconds, "load_seconds": float(log[-1]) if run.ok and log else None,
            "peak_rss_gb": run.peak_rss_gb, "ok": run.ok}


def generate(session: Session, name: str, customers: int, reuse: bool) -> tuple[Path, dict[str, Any]]:
    """``demo.generate_store(customers, seed=1)`` as Parquet (exact size; ``wxshop demo-data``
    would vary it by ±30 %), timed in a child process; row counts of the main tables."""
    import pyarrow.parquet as pq

    data = session.work / "data" / name
    info: dict[str, Any] = {"customers_requested": customers, "reused": False}
    if reuse and (data / "orders.parquet").is_file():
        info["reused"] = True
    else:
        shutil.rmtree(data, ignore_errors=True)
        run = session.run([sys.executable, "-c", GENERATE, customers, name, data], ROOT, f"2-generate-{name}")
        info.update(generate_seconds=run.seconds, generate_peak_rss_gb=run.peak_rss_gb, ok=run.ok)
    info["rows"] = {t: pq.ParquetFile(data / f"{t}.parquet").metadata.num_rows
                    for t in ("orders", "order_items", "customers")}
    return data, info


def step_sizes(session: Session, reuse: bool) -> dict[str, Any]:
    """Full run and library-only analysis per notebook for S, M (and L unless quick)."""
    sizes = {k: v for k, v in SIZES.items() if not (session.quick and k == "L")}
    out: dict[str, Any] = {}
    for name, customers in sizes.items():
        print(f"store {name}: {customers:,} customers", flush=True)
        data, info = generate(session, name, customers, reuse)
        project = make_project(session.work / "projects" / f"size_{name}", {name: store_yaml(data)})
        notebooks: dict[str, Any] = {}
        cold = cold_load(session, project, data, name)
        for nb in NOTEBOOKS:
            full = wxshop_run(session, project, ["-s", name, "-n", nb, "--jobs", "1"], f"2-{name}-{nb}-full")
            lib = libonly(session, project, name, nb, f"2-{name}-{nb}-libonly")
            notebooks[nb] = {"full": full, "libonly": lib}
        store_lib = libonly_store(session, project, name)
        if name == "L":  # the same without wxshop.batch.memory's setting, for the record
            store_lib["default_memory"] = libonly_store(session, project, name, keep_memory=False)
        whole = None
        if name != "L":  # one command for the store, all notebooks in one warm kernel
            whole = wxshop_run(session, project, ["-s", name, "--jobs", "1"], f"2-{name}-all-full")
            whole["time_split"] = time_split_of(whole)
        versus = scale.versus_reference(session, project, data, name, info["rows"]["order_items"], wxshop_run)
        out[name] = {**info, "cold_load": cold, "notebooks": notebooks, "whole_store_run": whole,
                     "libonly_store": store_lib, **size_totals(notebooks, whole), "versus_reference": versus}
    out["growth"] = growth(out)
    return out


def libonly_store(session: Session, project: Path, store: str, keep_memory: bool = True) -> dict[str, Any]:
    """Every notebook's cells for the store in ONE fresh process, the table cache emptied
    first: what a warm kernel running the store's reports pays, the first report reading and
    checking the files, the later ones taking the tables it holds (``wxshop.data.storecache``).
    ``keep_memory=False``: the same with the allocators as they come (``WXSHOP_KEEP_MEMORY=0``,
    see ``wxshop.batch.memory``), the baseline of that setting."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    tag = f"2-{store}-all-libonly" + ("" if keep_memory else "-default-memory")
    env = None if keep_memory else {"WXSHOP_KEEP_MEMORY": "0"}
    run = libonly(session, project, store, ",".join(NOTEBOOKS), tag, env)
    out = session.work / "libonly" / f"{tag}.json"
    detail = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    run["by_report"] = {r["report"]: r["seconds"] for r in detail.get("runs", [])}
    return run


def default_memory(one: dict[str, Any]) -> str:
    """The store's one-process run again with the allocators as they come, when measured."""
    if not (base := one.get("default_memory")):
        return ""
    return (f"allocators as they come (`WXSHOP_KEEP_MEMORY=0`): {base['seconds']} s, peak "
            f"{base['peak_rss_gb']} GB; ")


def l_lib_sum(size: dict[str, Any]) -> float:
    """The same work as one process per notebook: the cold load plus every notebook's process."""
    return round(size["cold_load"]["seconds"] + size["libonly_sum_seconds"], 2)


def size_totals(notebooks: dict[str, Any], whole: dict[str, Any] | None) -> dict[str, Any]:
    full = [v["full"] for v in notebooks.values()]
    lib = [v["libonly"] for v in notebooks.values()]
    return {
        "full_sum_seconds": round(sum(r["seconds"] for r in full), 2),
        "full_peak_rss_gb": max(r["peak_rss_gb"] for r in full),
        "full_all_ok": all(r["returncode"] == 0 and r["reports_ok"] == r["reports"] > 0 for r in full),
        "whole_store_seconds": whole["seconds"] if whole else None,
        "whole_store_ok": (whole["returncode"] == 0) if whole else None,
        "libonly_sum_seconds": round(sum(r["seconds"] for r in lib), 2),
        "libonly_analysis_sum_seconds": round(sum(r["analysis_seconds"] for r in lib), 2),
        "libonly_startup_sum_seconds": round(sum(r["startup_seconds"] or 0 for r in lib), 2),
        "libonly_peak_rss_gb": max(r["peak_rss_gb"] for r in lib),
        "libonly_all_ok": all(r["returncode"] == 0 for r in lib),
    }


def growth(sizes: dict[str, Any]) -> dict[str, Any]:
    """Seconds per million order lines per size, and the log-log slope between sizes
    (1.0 = linear, < 1 = fixed costs still dominate)."""
    names = [n for n in SIZES if n in sizes]
    lines = {n: sizes[n]["rows"]["order_items"] / 1e6 for n in names}
    measures = {
        "libonly_analysis": {n: sizes[n]["libonly_analysis_sum_seconds"] for n in names},
        "libonly_process": {n: sizes[n]["libonly_sum_seconds"] for n in names},
        "full_run": {n: sizes[n]["full_sum_seconds"] for n in names},
    }
    for nb in NOTEBOOKS:
        measures[f"libonly_analysis:{nb}"] = {
            n: sizes[n]["notebooks"][nb]["libonly"]["analysis_seconds"] for n in names}
    out: dict[str, Any] = {"million_order_lines": {n: round(v, 3) for n, v in lines.items()}}
    for key, secs in measures.items():
        slopes = {}
        for a, b in zip(names, names[1:], strict=False):
            if secs[a] and secs[b]:
                slopes[f"{a}->{b}"] = round(math.log(secs[b] / secs[a]) / math.log(lines[b] / lines[a]), 2)
        out[key] = {
            "seconds": secs,
            "seconds_per_million_lines": {n: round(secs[n] / lines[n], 2) for n in names},
            "loglog_slope": slopes,
        }
    return out


def step_xl(session: Session, reuse: bool, customers: int, chunk: int, cap_gb: float) -> dict[str, Any]:
    """The XL store (``bench_scale.generate_xl``) against the reference, both under ``cap_gb``."""
    print(f"store XL: {customers:,} customers in chunks of {chunk:,}, cap {cap_gb:g} GB", flush=True)
    data, info = scale.generate_xl(session, customers, chunk, reuse)
    if "rows" not in info:
        return info
    project = make_project(session.work / "projects" / "size_XL", {"XL": store_yaml(data)})
    versus = scale.versus_reference(session, project, data, "XL", info["rows"]["order_items"], wxshop_run,
                                    cap_gb=cap_gb)
    return {**info, "versus_reference": versus}


# ---------------------------------------------------------------- step 3: batch of 12


def step_batch(session: Session) -> dict[str, Any]:
    """12 stores on data/sample, every notebook: ``wxshop run --jobs 2`` vs the plain baseline
    store by store (every store; ``--quick`` measures 2 and multiplies by 6)."""
    stores = [f"b{i:02d}" for i in range(1, 13)]
    project = make_project(session.work / "projects" / "batch12", {s: store_yaml(SAMPLE) for s in stores})
    ours = wxshop_run(session, project, ["--jobs", "2"], "3-ours")
    ours["time_split"] = time_split_of(ours)
    by_notebook: dict[str, list[float]] = {}
    for s in ours["statuses"]:
        by_notebook.setdefault(s["report"].split("-")[0], []).append(s["seconds"])
    ours["report_median_seconds_by_notebook"] = {nb: median(v) for nb, v in by_notebook.items()}
    measured = stores[:2] if session.quick else stores
    rows = plain_reports(session, project, measured, "3-plain")
    plain_measured = round(sum(r["seconds"] for r in rows), 2)
    plain_total = round(plain_measured * len(stores) / len(measured), 2)
    return {
        "stores": len(stores),
        "reports": ours["reports"],
        "ours": ours,
        "plain_stores_measured": len(measured),
        "plain_measured_seconds": plain_measured,
        "plain_total_seconds": plain_total,
        "plain_extrapolated": len(measured) < len(stores),
        "plain_all_ok": all(r["ok"] for r in rows),
        "plain_per_report_median_seconds": median([r["seconds"] for r in rows]),
        "ratio": ratio(plain_total, ours["seconds"]),
        "plain": rows,
    }


# ---------------------------------------------------------------- step 4: memory vs store count


def step_flat(session: Session) -> dict[str, Any]:
    """``wxshop run -n store_overview --jobs 2`` over N tiny stores: peak memory and wall."""
    counts = [20] if session.quick else [20, 200]
    out: dict[str, Any] = {}
    for n in counts:
        stores = {f"t{i:03d}": store_yaml(SAMPLE, experiments=False) for i in range(1, n + 1)}
        project = make_project(session.work / "projects" / f"flat{n}", stores)
        run = wxshop_run(session, project, ["-n", "store_overview", "--jobs", "2"], f"4-stores{n}")
        run["seconds_per_report"] = round(run["seconds"] / max(run["reports"], 1), 2)
        out[str(n)] = {k: v for k, v in run.items() if k != "statuses"} | {
            "report_median_seconds": median([s["seconds"] for s in run["statuses"]]),
            "attempts_max": max((s["attempts"] or 1 for s in run["statuses"]), default=None),
        }
    if "200" in out:
        out["peak_ratio_200_vs_20"] = ratio(out["200"]["peak_rss_gb"], out["20"]["peak_rss_gb"])
        out["tree_peak_ratio_200_vs_20"] = ratio(out["200"]["tree_peak_gb"], out["20"]["tree_peak_gb"])
    return out


# ---------------------------------------------------------------- targets


def verdict(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def evaluate(steps: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: target, measured, baseline, met, and why (what dominates)."""
    rows = []
    if one := steps.get("overhead"):
        ours, plain = one["ours"], one["plain"]
        rows.append({
            "id": "overhead", "target": f"≤ {TARGETS['overhead_s']} s per report on data/sample "
            "(median of the status files' seconds)",
            "measured": f"{ours['per_report_median_seconds']} s median (first report "
            f"{ours['first_report_seconds']} s; whole run {ours['wall_seconds']} s / {one['reports']} = "
            f"{ours['wall_per_report_seconds']} s)",
            "baseline": f"{plain['per_report_median_seconds']} s per report (papermill "
            f"{plain['papermill_median_seconds']} s + nbconvert {plain['nbconvert_median_seconds']} s); "
            f"×{one['ratio_per_report']} per report, ×{one['ratio_whole_run']} whole run",
            "met": one["all_ok"] and ours["per_report_median_seconds"] <= TARGETS["overhead_s"],
            "why": overhead_text(one),
        })
    if sizes := steps.get("sizes"):
        m = sizes.get("M")
        if m:
            figure = m["whole_store_seconds"] or m["full_sum_seconds"]
            rows.append({
                "id": "m_full",
                "target": f"M store ({m['customers_requested']:,} customers): every notebook, "
                f"HTML included, ≤ {TARGETS['m_full_s']:.0f} s",
                "measured": f"{figure} s (one `wxshop run -s M`); one command per notebook: "
                f"{m['full_sum_seconds']} s in all",
                "baseline": f"library-only {m['libonly_sum_seconds']} s "
                f"(analysis {m['libonly_analysis_sum_seconds']} s + process start/imports "
                f"{m['libonly_startup_sum_seconds']} s)",
                "met": bool(m["whole_store_ok"]) and figure <= TARGETS["m_full_s"],
                "why": size_text(m),
            })
        if l_ := sizes.get("L"):
            one = l_["libonly_store"]
            split = ", ".join(f"{r} {sec} s" for r, sec in one["by_report"].items())
            rows.append({
                "id": "l_lib", "target": f"L store ({l_['customers_requested']:,} customers): library-only, "
                f"every notebook, ≤ {TARGETS['l_lib_s']:.0f} s",
                "measured": f"{one['seconds']} s: every notebook's cells in one process as a warm kernel "
                f"runs them, the table cache emptied first (start and imports {one['startup_seconds']} s; "
                f"{split}; the first report reads and checks the files)",
                "baseline": f"{default_memory(one)}one process per notebook: {l_lib_sum(l_)} s (cold load "
                f"{l_['cold_load']['seconds']} s + {l_['libonly_sum_seconds']} s, of which cells "
                f"{l_['libonly_analysis_sum_seconds']} s); full runs (executed + HTML) "
                f"{l_['full_sum_seconds']} s",
                "met": one["returncode"] == 0 and one["seconds"] <= TARGETS["l_lib_s"],
                "why": size_text(l_),
            })
            peak = max(one["peak_rss_gb"], l_["libonly_peak_rss_gb"])
            rows.append({
                "id": "l_peak", "target": f"L library-only peak memory ≤ {TARGETS['l_lib_peak_gb']:.0f} GB",
                "measured": f"{peak} GB (one process for the store: {one['peak_rss_gb']} GB; largest of the "
                f"per-notebook processes: {l_['libonly_peak_rss_gb']} GB)",
                "baseline": f"full runs {l_['full_peak_rss_gb']} GB",
                "met": peak <= TARGETS["l_lib_peak_gb"],
                "why": "per-notebook peak in " + max(l_["notebooks"].items(),
                                                     key=lambda kv: kv[1]["libonly"]["peak_rss_gb"])[0],
            })
            failed = [nb for nb, v in l_["notebooks"].items()
                      if v["full"]["returncode"] or v["full"]["reports_ok"] != v["full"]["reports"]]
            rows.append({
                "id": "l_complete", "target": "L notebooks complete (full runs, executed + HTML)",
                "measured": f"all {len(NOTEBOOKS)} ok" if not failed else f"failed: {', '.join(failed)}",
                "baseline": "—", "met": not failed, "why": "",
            })
    if batch := steps.get("batch"):
        measured = batch["plain_stores_measured"]
        how = (f"{measured} stores measured × {batch['stores'] / measured:g}"
               if batch["plain_extrapolated"] else f"all {batch['stores']} stores measured")
        rows.append({
            "id": "batch", "target": f"12 stores × every notebook, `--jobs 2`: ≥ {TARGETS['batch_ratio']:g}× "
            "faster than plain papermill + nbconvert store by store",
            "measured": f"{batch['ours']['seconds']} s for {batch['reports']} reports",
            "baseline": f"{batch['plain_total_seconds']} s ({how}); ×{batch['ratio']}",
            "met": bool(batch["ratio"]) and batch["ratio"] >= TARGETS["batch_ratio"]
            and batch["ours"]["reports_ok"] == batch["reports"],
            "why": batch_text(batch, steps.get("overhead")),
        })
    if (flat := steps.get("flat")) and "200" in flat:
        many, few, flat_ratio = flat["200"], flat["20"], flat["peak_ratio_200_vs_20"]
        rows.append({
            "id": "flat", "target": f"memory flat with store count: peak(200 stores) ≤ "
            f"{TARGETS['flat_ratio']:g} × peak(20 stores)",
            "measured": f"{many['peak_rss_gb']} GB for 200 ({many['seconds']} s) vs "
            f"{few['peak_rss_gb']} GB for 20 ({few['seconds']} s); ×{flat_ratio}",
            "baseline": f"process-tree sum {many['tree_peak_gb']} GB vs {few['tree_peak_gb']} GB",
            "met": bool(flat_ratio) and flat_ratio <= TARGETS["flat_ratio"] and many["reports_ok"] == 200,
            "why": "",
        })
    return rows + scale.targets(steps)


def split_text(split: dict[str, float]) -> str:
    return (f"{split['cells']} s executing cells (charts are drawn to PNG inside them), "
            f"{split['papermill']} s papermill around the cells, {split['outside_execution']} s kernel "
            f"start and warm-up (first report: {split['first_outside_execution']} s), resets and HTML, "
            f"{split['outside_reports']} s outside the reports (CLI start, index page)")


def overhead_text(one: dict[str, Any]) -> str:
    """Where the reports' time goes in step 1, from the status files and papermill's clock."""
    split = one["ours"]["time_split"]
    return (f"of the run's {split['wall']} s: {split_text(split)}; the same cells without a kernel "
            f"or charts rendered: {split['libonly_cells']} s")


def top_cells(size: dict[str, Any], k: int = 3) -> str:
    """The ``k`` slowest library-only cells of one store size, over every notebook."""
    cells = [(c["seconds"], nb, c["label"]) for nb, v in size["notebooks"].items()
             for c in v["libonly"]["cells"]]
    return ", ".join(f"{nb} {label} {sec} s" for sec, nb, label in sorted(cells, reverse=True)[:k])


def size_text(size: dict[str, Any]) -> str:
    """Where the time of one store size goes: the whole-store run's split, the slowest cells."""
    whole = size.get("whole_store_run")
    head = f"one run {whole['seconds']} s: {split_text(whole['time_split'])}; " if whole else ""
    return f"{head}slowest cells (library-only): {top_cells(size)}"


def batch_text(batch: dict[str, Any], one: dict[str, Any] | None) -> str:
    split = batch["ours"]["time_split"]
    by_nb = batch["ours"]["report_median_seconds_by_notebook"]
    jobs1 = {r.split("-")[0]: v["ours"] for r, v in one["by_report"].items()} if one else {}
    pairs = ", ".join(f"{nb} {sec} s" + (f" (--jobs 1: {jobs1[nb]} s)" if nb in jobs1 else "")
                      for nb, sec in by_nb.items())
    return (f"reports overlap ×{split['concurrency']} with 2 workers; a report's median time at --jobs 2: "
            f"{pairs} — CPU-bound workers on 2 cores shared with other load; plain pays a kernel start, "
            f"imports and an nbconvert process per report ({batch['plain_per_report_median_seconds']} s "
            "median each)")


# ---------------------------------------------------------------- markdown


def render_markdown(results: dict[str, Any]) -> str:
    """The generated section of docs/benchmarks.md."""
    m, steps = results["machine"], results["steps"]
    lines = [
        BEGIN,
        "## Latest run: `make bench`",
        "",
        "Written by `tools/bench_all.py` from `benchmarks/results.json` (every figure, command and "
        "log path is there); rerun `make bench` to refresh, do not edit by hand.",
        "",
        f"- Run {results['started_at']}, {results['total_seconds'] / 60:.1f} min in all; "
        f"command `{results['command']}`; wxshop commit {m['git_commit']}.",
        f"- Machine: {m['cpu_model']}, {m['cpu_count']} CPUs, {m['ram_gb']} GB RAM, {m['os']}, "
        f"Python {m['python']}, pandas {m['versions']['pandas']}.",
        f"- Load average (1/5/15 min): {'/'.join(map(str, results['load']['start']))} at start, "
        f"{'/'.join(map(str, results['load']['end']))} at the end. The machine is shared; every time "
        "is wall-clock under that load, and both sides of each comparison ran in the same session.",
        f"- Peak memory: {results['memory_method']}",
        "",
        "### Targets",
        "",
        "| target | measured | baseline beside it | verdict | why / where the time goes |",
        "|---|---|---|---|---|",
    ]
    for row in results["targets"]:
        lines.append(f"| {row['target']} | {row['measured']} | {row['baseline']} | {verdict(row['met'])} "
                     f"| {row['why'] or '—'} |")
    if one := steps.get("overhead"):
        lines += overhead_markdown(one)
    if sizes := steps.get("sizes"):
        lines += sizes_markdown(sizes)
    if batch := steps.get("batch"):
        lines += [
            "",
            "### 3. Batch: 12 stores × every notebook",
            "",
            "12 YAMLs on `data/sample`, each with `experiments: {exp_coupon: {}}` "
            f"({batch['reports']} reports).",
            "",
            "| way | wall time | reports | peak memory (largest process / tree sum) |",
            "|---|---|---|---|",
            f"| `wxshop run --jobs 2` | {batch['ours']['seconds']} s | {batch['ours']['reports_ok']}/"
            f"{batch['ours']['reports']} ok | {batch['ours']['peak_rss_gb']} / "
            f"{batch['ours']['tree_peak_gb']} GB |",
            f"| plain papermill + nbconvert, store by store | {batch['plain_total_seconds']} s"
            + (f" ({batch['plain_stores_measured']} stores measured, "
               f"× {12 // batch['plain_stores_measured']})"
               if batch["plain_extrapolated"] else " (all 12 measured)")
            + f" | {'all ok' if batch['plain_all_ok'] else 'some failed'} | — |",
            "",
            f"Ratio ×{batch['ratio']}.",
        ]
    if flat := steps.get("flat"):
        lines += [
            "",
            "### 4. Memory against store count (`-n store_overview --jobs 2`, tiny stores)",
            "",
            "| stores | wall time | per report | peak, largest process | peak, process-tree sum | reports |",
            "|---|---|---|---|---|---|",
        ]
        for n in ("20", "200"):
            if n in flat:
                f = flat[n]
                lines.append(f"| {n} | {f['seconds']} s | {f['seconds_per_report']} s | "
                             f"{f['peak_rss_gb']} GB | {f['tree_peak_gb']} GB | "
                             f"{f['reports_ok']}/{f['reports']} ok |")
    lines += scale.markdown(steps)
    lines += ["", END]
    return "\n".join(lines) + "\n"


def overhead_markdown(one: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "### 1. Fixed overhead per report (`data/sample`, every notebook)",
        "",
        f"Median of {one['repetitions']} interleaved repetitions. Ours: `wxshop run --jobs 1` "
        "(one warm kernel; seconds from the `.status.json` files, cells from papermill's clock in the "
        "executed notebook). "
        "Plain: `papermill nb out.ipynb -f params.yaml -k python3`, then `jupyter nbconvert --to html "
        "out.ipynb`, same parameters. Library-only: the same cells in a bare Python process (imports "
        "done before, as in a warm kernel; charts not rendered).",
        "",
        "| report | ours | of it in cells | plain (papermill + nbconvert) | ratio | library-only cells |",
        "|---|---|---|---|---|---|",
    ]
    for name, v in one["by_report"].items():
        lines.append(f"| {name} | {v['ours']} s | {v['ours_cells']} s | {v['plain']} s ({v['papermill']} + "
                     f"{v['nbconvert']}) | ×{v['ratio']} | {v['libonly_analysis_seconds']} s |")
    o, p = one["ours"], one["plain"]
    lines += [
        f"| **whole run** | {o['wall_seconds']} s ({o['wall_per_report_seconds']} s per report) | | "
        f"{p['total_seconds']} s ({p['total_per_report_seconds']} s per report) | "
        f"×{one['ratio_whole_run']} | |",
        "",
        f"First report ({o['first_report']}, includes starting and warming the kernel): "
        f"{o['first_report_seconds']} s; later reports median "
        f"{o['per_report_median_after_first_seconds']} s.",
    ]
    return lines


def sizes_markdown(sizes: dict[str, Any]) -> list[str]:
    names = [n for n in SIZES if n in sizes]
    lines = [
        "",
        "### 2. Generated stores S / M / L",
        "",
        "`demo.generate_store(N, seed=1)` as Parquet. Full: `wxshop run -s <store> -n <nb> --jobs 1` "
        "(a new process and kernel each). Library-only: `tools/bench_libonly.py`, the notebook's cells in a "
        "fresh Python process with the store's parameters, Agg, no display (process wall, of it cells). "
        "\"All, one process\": every notebook's cells one after another in one fresh process with the "
        "table cache emptied first, as a warm kernel runs a store's reports: imports once, the first "
        "report reads and checks the files, the later ones take the tables the process holds.",
        "",
        "| store | customers | orders | order lines | generate |",
        "|---|---|---|---|---|",
    ]
    for n in names:
        s = sizes[n]
        gen = "reused" if s["reused"] else f"{s['generate_seconds']} s, {s['generate_peak_rss_gb']} GB"
        lines.append(f"| {n} | {s['rows']['customers']:,} | {s['rows']['orders']:,} | "
                     f"{s['rows']['order_items']:,} | {gen} |")
    lines += [
        "",
        "Cold load: `load_store` of every table in a fresh process with the project's table cache "
        "emptied (it fills the cache); the notebooks after it read checked tables from the cache, as "
        "in a batch.",
        "",
        "| store | cold load (process; load_store) | peak |",
        "|---|---|---|",
        *[f"| {n} | {sizes[n]['cold_load']['seconds']} s; {sizes[n]['cold_load']['load_seconds']} s | "
          f"{sizes[n]['cold_load']['peak_rss_gb']} GB |" for n in names if sizes[n].get("cold_load")],
        "",
        "| store | notebook | full: wall (report; cells) | full: peak | library-only: wall (cells) "
        "| library-only: peak | slowest library cell |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in names:
        s = sizes[n]
        for nb, v in s["notebooks"].items():
            f, lib = v["full"], v["libonly"]
            ok = "" if f["returncode"] == 0 and f["reports_ok"] == f["reports"] else " (FAILED)"
            cell = lib["slowest_cell"] or {}
            report = f["statuses"][0] if f["statuses"] else {}
            inner = f" ({report.get('seconds')}; {report.get('cells_seconds')})" if report else ""
            lines.append(f"| {n} | {nb} | {f['seconds']} s{inner}{ok} | {f['peak_rss_gb']} GB | "
                         f"{lib['seconds']} s "
                         f"({lib['analysis_seconds']} s) | {lib['peak_rss_gb']} GB | "
                         f"{cell.get('label', '—')} {cell.get('seconds', '')} s |")
        whole = f"; one `wxshop run -s {n}`: {s['whole_store_seconds']} s" if s["whole_store_seconds"] else ""
        lines.append(f"| {n} | **all** | {s['full_sum_seconds']} s{whole} | {s['full_peak_rss_gb']} GB | "
                     f"{s['libonly_sum_seconds']} s ({s['libonly_analysis_sum_seconds']} s) | "
                     f"{s['libonly_peak_rss_gb']} GB | |")
        if one := s.get("libonly_store"):
            lines.append(f"| {n} | **all, one process** (cache emptied) | | | {one['seconds']} s "
                         f"({one['analysis_seconds']} s) | {one['peak_rss_gb']} GB | |")
            if base := one.get("default_memory"):
                lines.append(f"| {n} | all, one process, `WXSHOP_KEEP_MEMORY=0` | | | {base['seconds']} s "
                             f"({base['analysis_seconds']} s) | {base['peak_rss_gb']} GB | |")
    g = sizes["growth"]
    lines += [
        "",
        "Growth, seconds per million order lines (log-log slope between sizes: 1 = linear, below 1 = "
        "fixed costs still weigh):",
        "",
        "| measure | " + " | ".join(f"{n} ({g['million_order_lines'][n]} M lines)" for n in names)
        + " | slope |",
        "|---|" + "---|" * len(names) + "---|",
    ]
    for key, v in g.items():
        if key == "million_order_lines":
            continue
        slope = ", ".join(f"{k} {s}" for k, s in v["loglog_slope"].items())
        cells = " | ".join(f"{v['seconds_per_million_lines'][n]} ({v['seconds'][n]} s)" for n in names)
        lines.append(f"| {key} | {cells} | {slope} |")
    return lines


def write_docs(markdown: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + markdown + "\n" + tail
    else:
        text = text.rstrip("\n") + "\n\n" + markdown
    DOCS.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="no L or XL store, no 200-store batch, 1 repetition")
    ap.add_argument("--work", type=Path, default=Path("/tmp/wxshop-bench-all"), help="scratch folder")
    ap.add_argument("--out", type=Path, help="results JSON (default benchmarks/results[-quick].json)")
    ap.add_argument("--steps", help="comma list of steps to run (default overhead,sizes,batch,flat,xl; "
                    "--quick: no xl)")
    ap.add_argument("--xl-customers", type=int, default=scale.XL_CUSTOMERS, help="customers of the XL store")
    ap.add_argument("--xl-chunk", type=int, default=scale.XL_CHUNK, help="customers generated at a time")
    ap.add_argument("--xl-cap-gb", type=float, default=scale.XL_CAP_GB,
                    help="memory cap on XL runs (the process tree's summed RSS)")
    ap.add_argument("--reps", type=int, help="repetitions of step 1 (default 3, 1 with --quick)")
    ap.add_argument("--reuse-data", action="store_true", help="keep generated stores found in --work")
    ap.add_argument("--docs", action=argparse.BooleanOptionalAction, default=None,
                    help="regenerate docs/benchmarks.md (default: for a full run, no --quick or --steps)")
    args = ap.parse_args()
    out = args.out or ROOT / "benchmarks" / ("results-quick.json" if args.quick else "results.json")
    docs = (not args.quick and not args.steps) if args.docs is None else args.docs  # full runs only
    session = Session(args.work.resolve(), args.quick, args.reps or (1 if args.quick else 3))
    session.work.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(session.log_dir, ignore_errors=True)

    started = time.perf_counter()
    results: dict[str, Any] = {
        "command": command_line(),
        "quick": args.quick,
        "started_at": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine_info(),
        "load": {"start": load_avg()},
        "memory_method": "max RSS of the largest single process (os.wait4 ru_maxrss of each measured "
        "command: the RUSAGE_CHILDREN figure for that one child, covering the descendants it waited for — "
        "kernels, pool workers); psutil-sampled peak of the process tree's summed RSS (every 0.25 s) "
        "beside it.",
        "work": str(session.work),
        "targets_defined": TARGETS | {"issue_18": scale.TARGETS},
        "steps": {},
    }
    print(f"load average at start: {results['load']['start']}", flush=True)
    runners = {"overhead": step_overhead, "sizes": lambda s: step_sizes(s, args.reuse_data),
               "batch": step_batch, "flat": step_flat,
               "xl": lambda s: step_xl(s, args.reuse_data, args.xl_customers, args.xl_chunk, args.xl_cap_gb)}
    steps = args.steps or ("overhead,sizes,batch,flat" if args.quick else "overhead,sizes,batch,flat,xl")
    for name in [s.strip() for s in steps.split(",") if s.strip()]:
        print(f"== {name}", flush=True)
        t0, load0 = time.perf_counter(), load_avg()
        results["steps"][name] = runners[name](session)
        results["steps"][name]["step"] = {"seconds": round(time.perf_counter() - t0, 1), "load_start": load0,
                                          "load_end": load_avg()}
        save(results, out, session, started)
    results["load"]["end"] = load_avg()
    results["targets"] = evaluate(results["steps"])
    save(results, out, session, started, complete=True)
    for row in results["targets"]:
        print(f"{verdict(row['met']):>14}  {row['target']}: {row['measured']}")
    if docs:
        write_docs(render_markdown(results))
        print(f"updated {DOCS.relative_to(ROOT)}")
    print(f"wrote {out} ({results['total_seconds'] / 60:.1f} min)")


def command_line() -> str:
    """How this run was started: ``make bench → .venv/bin/python tools/bench_all.py ...``."""
    python = Path(sys.executable)
    python_text = python.relative_to(ROOT).as_posix() if python.is_relative_to(ROOT) else str(python)
    command = shlex.join([python_text, "tools/bench_all.py", *sys.argv[1:]])
    return f"make bench → {command}" if os.environ.get("MAKELEVEL") else command


def save(results: dict[str, Any], out: Path, session: Session, started: float,
         complete: bool = False) -> None:
    """Write the results so far (a crash late in the run keeps the earlier steps)."""
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["complete"] = complete
    results["commands"] = session.commands
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
