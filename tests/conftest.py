"""Shared fixtures: the repo root, the committed sample store, a throw-away project."""

from __future__ import annotations

import contextlib
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


def tell(config: pytest.Config, line: str) -> None:
    """Write a line to the terminal even while pytest captures output (paths, measurements)."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        if reporter is not None:
            reporter.write_line(line)
        else:
            print(line)


# ---------------------------------------------------------------- the demo reports, built once

DEMO_STORE = "demo_01"
# Report language → output folder of `wxshop run` for the demo build below.
DEMO_REPORTS = {"zh": "reports", "en": "reports_en"}


def demo_report_names() -> list[str]:
    """Every report `wxshop run` writes for demo_01: one per notebook, one A/B report per
    experiment listed in the committed params/stores/demo_01.yaml."""
    import yaml

    params = yaml.safe_load((ROOT / "params" / "stores" / f"{DEMO_STORE}.yaml").read_text("utf-8"))
    experiments = [f"ab_test-{e}" for e in params.get("experiments", {})]
    return ["store_overview", "user_profiling", "product_selection", *experiments]


@pytest.fixture(scope="session", autouse=True)
def table_cache(tmp_path_factory) -> Path:
    """Checked tables are cached (wxshop.data.storecache) in one folder for the whole run, not in
    the repo's .cache: loads in tests go through the cache as they do in real runs."""
    folder = tmp_path_factory.mktemp("table_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WXSHOP_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory) -> Path:
    """One demo store as `make demo` makes it (20 000 customers, seed 7) with the committed
    demo_01.yaml, every notebook run in Chinese into reports/ and in English into reports_en/.
    Shared by the browser tests and the report scans (about two minutes on two cores)."""
    project = new_project(tmp_path_factory.mktemp("demo_reports"))
    env = {"WXSHOP_HOME": str(project)}
    gen = run_wxshop("demo-data", "--stores", "1", "--customers", "20000", "--seed", "7",
                     "--out", "data/demo", cwd=project, env=env)
    assert gen.returncode == 0, gen.stderr
    shutil.copy(ROOT / "params" / "stores" / f"{DEMO_STORE}.yaml", project / "params" / "stores")
    zh = run_wxshop("run", "--jobs", "2", cwd=project, env=env)  # as `make demo`: zh into reports/
    assert zh.returncode == 0, zh.stdout + zh.stderr
    en = run_wxshop("run", "--jobs", "2", "--lang", "en", "--reports", DEMO_REPORTS["en"],
                    cwd=project, env=env)
    assert en.returncode == 0, en.stdout + en.stderr
    return project
