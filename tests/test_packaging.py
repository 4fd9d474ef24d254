"""pyproject.toml and environment.yml declare the same dependencies."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_TO_PYPI = {"python-duckdb": "duckdb", "brotli-python": "brotli"}
NOT_PACKAGES = {"python", "pip"}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower()


def _env_specs(env: dict) -> list[str]:
    """Conda dependencies plus those of the ``pip:`` sub-list (PyPI-only packages), less ``-e .``."""
    specs = []
    for d in env["dependencies"]:
        if isinstance(d, str):
            specs.append(d)
        else:
            specs.extend(p for p in d.get("pip", []) if not p.startswith("-"))
    return specs


def test_environment_yml_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = {_name(d) for d in meta["dependencies"]} | {
        _name(d) for d in meta["optional-dependencies"]["test"]
    }
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {CONDA_TO_PYPI.get(_name(d), _name(d)) for d in _env_specs(env)} - NOT_PACKAGES
    assert pip == conda, f"only in pyproject: {pip - conda}; only in environment.yml: {conda - pip}"


def test_versions_agree():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {_name(d): d.split(_name(d), 1)[1].strip() for d in meta["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    for d in _env_specs(env):
        if _name(d) in NOT_PACKAGES:
            continue
        name = CONDA_TO_PYPI.get(_name(d), _name(d))
        if name in pins:
            assert d.split(_name(d), 1)[1].strip() == pins[name], name


def test_console_script_declared():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert meta["scripts"]["wxshop"] == "wxshop.cli:main"
