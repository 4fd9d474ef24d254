"""Library-only run of a store's notebooks: their code cells, no kernel, no HTML.

    .venv/bin/python tools/bench_libonly.py PROJECT STORE NOTEBOOK[,NOTEBOOK...] OUT.json

Started by ``tools/bench_all.py`` in a fresh Python process, so the process's wall time and
peak RSS are the analysis alone (imports included). Several notebooks run one after another
in the one process, each in a namespace of its own, as a warm kernel runs a store's reports
(``wxshop.batch.kernels``): the imports are paid once and the store's tables, once loaded, are
held in memory for the next report (``wxshop.data.storecache``). The store's parameters are what
``wxshop run`` would pass (``runner.plan_jobs``: defaults < store YAML, only the names the
notebook declares, one run per experiment for ``ab_test``); they are set as globals right
after the ``parameters`` cell, as papermill's injected cell does. Before the cells, the process
imports what a warm kernel has imported (``wxshop.batch.kernels.WARM_MODULES``), so the cells' time
compares with a kernel's and the imports count as start-up. Matplotlib draws with Agg;
``IPython.display.display`` and ``HTML`` are no-ops, so nothing is rendered or serialised.
Figures left open by a cell are closed after it (the inline backend does that in a kernel).
Reports' JSON and exports go to ``PROJECT/reports-libonly/``. Timings per cell are written
to OUT.json.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

T_START = time.perf_counter()


def _no_display() -> None:
    """Agg backend; display() and HTML() do nothing."""
    os.environ["MPLBACKEND"] = "Agg"
    import IPython.display

    IPython.display.display = lambda *args, **kwargs: None
    IPython.display.HTML = lambda *args, **kwargs: None


def cell_label(source: str, tags: list[str]) -> str:
    """A short name for a cell: parameters, load, its report section, else its first code line."""
    if "parameters" in tags:
        return "parameters"
    if "load_store(" in source:
        return "imports + setup + load_store"
    for line in source.splitlines():
        if "report.section(" in line:
            return line.split("report.section(", 1)[1].split(",")[0].strip("\"') ")
    for line in source.splitlines():
        text = line.strip()
        if text and not text.startswith(("#", "import ", "from ")):
            return text[:60]
    return "imports"


def run_cells(notebook: Path, parameters: dict) -> list[dict]:
    """Execute the notebook's code cells in one namespace; seconds per cell."""
    import matplotlib.pyplot as plt
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    namespace: dict = {"__name__": "__main__"}
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        t0 = time.perf_counter()
        exec(compile(cell.source, f"<{notebook.name} cell {index}>", "exec"), namespace)
        if "parameters" in tags:
            namespace.update(parameters)
        plt.close("all")
        cells.append({"cell": index, "label": cell_label(cell.source, tags),
                      "seconds": round(time.perf_counter() - t0, 3)})
    return cells


def main(project: Path, store: str, notebook: str, out: Path) -> None:
    _no_display()
    os.environ["WXSHOP_HOME"] = str(project)
    os.chdir(project)
    from wxshop.batch import kernels
    from wxshop.batch.plan import plan_jobs

    kernels.warm(kernels.WARM_MODULES)  # the imports and font set-up a warm kernel has done
    import gc

    jobs = plan_jobs([store], notebook.split(","), reports=project / "reports-libonly", root=project)
    ready = time.perf_counter() - T_START
    runs = []
    for job in jobs:
        t0 = time.perf_counter()
        cells = run_cells(Path(job.input_path), job.parameters)
        gc.collect()  # the namespace is gone; a kernel's reset frees it too
        runs.append({"report": job.name, "notebook": job.notebook,
                     "seconds": round(time.perf_counter() - t0, 3), "cells": cells})
    out.write_text(json.dumps({
        "store": store, "notebook": notebook, "startup_seconds": round(ready, 3),
        "runs": runs, "total_seconds": round(time.perf_counter() - T_START, 3),
    }, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), sys.argv[2], sys.argv[3], Path(sys.argv[4]).resolve())
