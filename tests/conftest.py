"""Shared fixtures: the repo root, the committed sample store, a throw-away project."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Pseudonyms in tests use a fixed key, never the user's key file (wxshop.data.identity).
os.environ.setdefault("WXSHOP_SECRET", "wxshop-test-suite-key-0123456789abcdef")
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


@pytest.fixture(scope="module")
def warm_pool():
    """One warm kernel of the batch (:class:`wxshop.batch.kernels.KernelPool`) for a module's
    notebook runs, reset between them as in a batch: a kernel start saved per run."""
    from wxshop.batch import kernels

    pool = kernels.KernelPool()
    yield pool
    pool.close()


def run_on_pool(pool, notebook: Path, out: Path, root: Path, **parameters) -> None:
    """papermill on ``pool``'s kernel, working directory ``root``, as the batch runs a report."""
    import papermill as pm

    from wxshop.batch import kernels

    pm.execute_notebook(str(notebook), str(out), parameters=parameters, engine_name=kernels.ENGINE,
                        km=pool.kernel(root), kc=pool.client(), cwd=str(root), kernel_name="python3",
                        progress_bar=False)


# ---------------------------------------------------------------- the demo batch, built once

# The demo stores of the shared build: `make demo`'s first (20 000 customers, seed 7; a store's
# data depends only on the seed and its number), with the committed params YAML. (demo_02, in
# the build until the suite had to fit in 4 minutes, added the same checks on a second draw;
# tests/demo checks every store's planted truths in the generated data.)
DEMO_STORES = ("demo_01",)
DEMO_STORE = DEMO_STORES[0]  # the one also reported in English
# Report language → output folder of `wxshop run` for the shared build.
DEMO_REPORTS = {"zh": "reports", "en": "reports_en"}
# Small stores made from the committed sample store, reported with the demo stores (in Chinese):
# the sample with markup in product and channel names, without unit costs, without a products
# table. None lists experiments.
EXTRA_STORES = ("markup", "no_costs", "no_products")
# What the markup store names its two best-selling products and its 社群 channel.
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def demo_report_names() -> list[str]:
    """Every report `wxshop run` writes for demo_01: one per notebook, one A/B report per
    experiment listed in the committed params/stores/demo_01.yaml."""
    import yaml

    params = yaml.safe_load((ROOT / "params" / "stores" / f"{DEMO_STORE}.yaml").read_text("utf-8"))
    experiments = [f"ab_test-{e}" for e in params.get("experiments", {})]
    return ["store_overview", "user_profiling", "product_selection", *experiments, "growth",
            "private_domain"]


def edit_csv(path: Path, change) -> None:
    """Read a store's CSV as text, let ``change(frame)`` edit it in place, write it back."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    change(frame)
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def add_extra_stores(project: Path) -> None:
    """The :data:`EXTRA_STORES`, from the committed sample store."""
    markup = add_store(project, "markup")

    def products(frame):
        frame.loc[frame["sku_id"] == "SKU2013", "name"] = SCRIPT
        frame.loc[frame["sku_id"] == "SKU1013", "name"] = IMG

    def orders(frame):
        assert (frame["channel"] == "社群").any()
        frame.loc[frame["channel"] == "社群", "channel"] = IMG

    edit_csv(markup / "products.csv", products)
    edit_csv(markup / "orders.csv", orders)
    no_costs = add_store(project, "no_costs")
    edit_csv(no_costs / "products.csv", lambda frame: frame.pop("unit_cost"))
    (add_store(project, "no_products") / "products.csv").unlink()


def read_only(folder: Path) -> None:
    """Take write permission off every file and folder under ``folder``, so a test that writes
    into the shared build fails at once instead of changing what the tests after it read."""
    for path in [*folder.rglob("*"), folder]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)


@pytest.fixture(scope="session", autouse=True)
def table_cache(tmp_path_factory) -> Path:
    """Checked tables are cached (wxshop.data.storecache) in one folder for the whole run, not in
    the repo's .cache: loads in tests go through the cache as they do in real runs."""
    folder = tmp_path_factory.mktemp("table_cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WXSHOP_CACHE_DIR", str(folder))
        yield folder


def build_demo_project(folder: Path) -> Path:
    """:data:`DEMO_STORES` generated as `make demo` does, plus the :data:`EXTRA_STORES`; every
    notebook run for every store in Chinese into reports/ (as `make demo`), and for demo_01 in
    English into reports_en/; then the whole project made read-only."""
    project = new_project(folder)
    env = {"WXSHOP_HOME": str(project)}
    gen = run_wxshop("demo-data", "--stores", str(len(DEMO_STORES)), "--customers", "20000",
                     "--seed", "7", "--out", "data/demo", cwd=project, env=env)
    assert gen.returncode == 0, gen.stderr
    for store in DEMO_STORES:
        shutil.copy(ROOT / "params" / "stores" / f"{store}.yaml", project / "params" / "stores")
    add_extra_stores(project)
    zh = run_wxshop("run", "--jobs", "2", cwd=project, env=env)  # as `make demo`: zh into reports/
    assert zh.returncode == 0, zh.stdout + zh.stderr
    en = run_wxshop("run", "--jobs", "2", "-s", DEMO_STORE, "--lang", "en",
                    "--reports", DEMO_REPORTS["en"], cwd=project, env=env)
    assert en.returncode == 0, en.stdout + en.stderr
    read_only(project)
    return project


@pytest.fixture(scope="session")
def demo_project(request, tmp_path_factory) -> Path:
    """The one demo batch of the test session (:func:`build_demo_project`), shared read-only by
    every test that reads reports of generated stores (A/B, profiling and selection batches,
    report scans, bilingual chrome, browser). A test that needs to change something copies what
    it needs into its own ``tmp_path``.

    Built once per run, also when pytest-xdist runs the suite in several worker processes
    (``make test``): the first worker that asks builds it under a file lock in the run's shared
    temporary folder, the others wait and read where it is (or the error it ended with). About a
    minute on two cores; the time is printed."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker's own temporary folder lies in
    record = base / "demo_project.json"
    with FileLock(str(base / "demo_project.lock")):
        if record.is_file():
            built = json.loads(record.read_text(encoding="utf-8"))
            if built["error"]:
                pytest.fail(f"the shared demo batch failed (in another worker):\n{built['error']}")
            return Path(built["project"])
        t0 = time.monotonic()
        try:
            project = build_demo_project(base / "demo_project")
        except BaseException as exc:
            record.write_text(json.dumps({"project": "", "error": f"{type(exc).__name__}: {exc}"}),
                              encoding="utf-8")
            raise
        record.write_text(json.dumps({"project": str(project), "error": ""}), encoding="utf-8")
    tell(request.config, f"\nshared demo batch built in {time.monotonic() - t0:.0f} s: {project}")
    return project


def canonical(frame):
    """A loaded table without the integer keys the loader adds (``wxshop.data.keys``): its
    canonical columns, as an export maps to them."""
    from wxshop.data.schema import KEY_COLUMNS

    return frame.drop(columns=[c for c in KEY_COLUMNS if c in frame.columns])
