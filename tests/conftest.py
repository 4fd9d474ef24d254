"""Shared fixtures: the repo root, the committed sample store, a throw-away project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
BIN = Path(sys.executable).parent


def wxshop_cmd(*args: str) -> list[str]:
    """The installed console script, run with this interpreter's environment."""
    exe = BIN / "wxshop"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "wxshop.cli", *args]


def run_wxshop(*args: str, cwd: Path, env: dict | None = None, timeout: int = 600):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        wxshop_cmd(*args), cwd=cwd, env=full_env, capture_output=True, text=True,
        timeout=timeout, stdin=subprocess.DEVNULL,
    )


def new_project(folder: Path) -> Path:
    """Make ``folder`` a project with the repo's notebooks and defaults and no stores yet."""
    (folder / "params" / "stores").mkdir(parents=True)
    shutil.copy(ROOT / "params" / "defaults.yaml", folder / "params" / "defaults.yaml")
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    (folder / "data").mkdir()
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throw-away project (see :func:`new_project`)."""
    return new_project(tmp_path)


def add_store(project: Path, name: str, source: Path = SAMPLE, yaml_extra: str = "") -> Path:
    """Copy a store's data into the project and write its params YAML; returns the data dir."""
    dest = project / "data" / name
    shutil.copytree(source, dest)
    (project / "params" / "stores" / f"{name}.yaml").write_text(
        f"data_dir: data/{name}\n{yaml_extra}", encoding="utf-8"
    )
    return dest
