"""Where things live. The only module that knows the project's folder layout."""

from __future__ import annotations

import os
from pathlib import Path

MARKER = Path("params") / "defaults.yaml"
ENV_HOME = "WXSHOP_HOME"


def project_root(start: str | Path | None = None) -> Path:
    """The project folder: ``$WXSHOP_HOME`` if set, else the nearest folder at or
    above ``start`` (default: the working directory) holding ``params/defaults.yaml``.

    Notebooks run from ``notebooks/`` in JupyterLab and from the project folder under
    the batch runner; both find the same root. Falls back to the working directory.
    """
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    return here


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """An absolute path; relative paths are taken from the project root."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (root or project_root()) / p


def params_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "params"


def stores_params_dir(root: Path | None = None) -> Path:
    return params_dir(root) / "stores"


def notebooks_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "notebooks"


def reports_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "reports"


def store_report_dir(store: str, reports: Path | None = None) -> Path:
    return (reports or reports_dir()) / store


def sample_data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "sample"


def demo_data_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "demo"


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file of this process renamed over it: a
    reader sees the old file or the new one, never a part; a full disk leaves the old file, not
    an empty one; two processes writing the same file never share a temporary name."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
