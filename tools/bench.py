"""Benchmark one generated store through the real batch runner.

    .venv/bin/python tools/bench.py --customers 1000000 --notebooks user_profiling

Generates the store once into --work (parquet), writes a throw-away project there
(params + a link to notebooks/), runs `wxshop run` for the chosen notebooks in a child
process and prints wall time and peak memory (max RSS of the largest process: the
runner or the notebook's kernel) as JSON and as a Markdown table row for
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--notebooks", default="user_profiling")
    ap.add_argument("--work", type=Path, default=Path("/tmp/wxshop-bench"))
    args = ap.parse_args()

    store = f"bench_{args.customers}"
    project = args.work / "project"
    data = args.work / store
    (project / "params" / "stores").mkdir(parents=True, exist_ok=True)
    (project / "params" / "defaults.yaml").write_text(
        (ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    link = project / "notebooks"
    if not link.exists():
        link.symlink_to(ROOT / "notebooks")
    (project / "params" / "stores" / f"{store}.yaml").write_text(f"data_dir: {data}\n")

    gen_seconds = None
    if not (data / "orders.parquet").exists():
        from wxshop import demo

        t0 = time.perf_counter()
        tables, truth = demo.generate_store(args.customers, args.seed, store_id=store)
        demo.write_store(tables, truth, data, "parquet")
        gen_seconds = round(time.perf_counter() - t0, 1)
        del tables, truth

    import pyarrow.parquet as pq

    sizes = {t: pq.ParquetFile(data / f"{t}.parquet").metadata.num_rows
             for t in ("orders", "order_items", "customers")}
    env = {**os.environ, "WXSHOP_HOME": str(project)}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "wxshop"), "run", "-s", store, "-n", args.notebooks],
        cwd=project, env=env, capture_output=True, text=True,
    )
    wall = round(time.perf_counter() - t0, 1)
    peak_gb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2, 2)
    statuses = {
        p.stem.replace(".status", ""): json.loads(p.read_text())
        for p in (project / "reports" / store).glob("*.status.json")
    }
    result = {
        "store_customers": args.customers,
        "rows": sizes,
        "notebooks": args.notebooks,
        "generate_seconds": gen_seconds,
        "run_seconds": wall,
        "per_notebook_seconds": {k: v["seconds"] for k, v in statuses.items()},
        "status": {k: v["status"] for k, v in statuses.items()},
        "peak_rss_gb": peak_gb,
        "exit_code": proc.returncode,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr)
    print(
        f"| {args.notebooks} | {args.customers:,} customers, {sizes['orders']:,} orders, "
        f"{sizes['order_items']:,} lines | {wall} s | {peak_gb} GB |"
    )


if __name__ == "__main__":
    main()
