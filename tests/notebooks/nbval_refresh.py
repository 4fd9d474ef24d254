"""Regenerate the nbval reference notebooks in this folder: ``make nbval-refs``
(or ``python tests/notebooks/nbval_refresh.py [notebook ...]``).

Each notebook in ``notebooks/`` is executed with papermill on its defaults (the committed
sample store ``data/sample``; synthetic, no personal data) from this folder — the working
directory nbval gives the kernel — with ``report_dir`` pointed at ``.cache/nbval`` so neither
run writes into ``reports/``. Papermill's timing metadata is dropped so a refresh only shows
the outputs that changed; images are dropped (nbval does not compare them, and the charts'
own tests check their axes). Run it on purpose, after a change that is meant to move an output,
and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REPORT_DIR = ".cache/nbval"  # relative to the project folder (wxshop.paths.resolve); in .gitignore


def refresh(names: list[str] | None = None) -> list[Path]:
    """Execute every notebook (or those named) into this folder; returns the files written."""
    import nbformat
    import papermill as pm

    written = []
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if names and source.stem not in names and source.name not in names:
            continue
        target = HERE / source.name
        pm.execute_notebook(str(source), str(target), parameters={"report_dir": REPORT_DIR},
                            cwd=str(HERE), kernel_name="python3", progress_bar=False)
        nb = nbformat.read(target, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
            for output in cell.get("outputs", []):
                output.get("data", {}).pop("image/png", None)
        nbformat.write(nb, target)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in refresh(sys.argv[1:] or None):
        print(path.relative_to(ROOT))
