"""Report parameters: ``params/defaults.yaml`` < ``params/stores/<store>.yaml`` < overrides."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from wxshop import paths
from wxshop.errors import ParamsError


def _dates_as_text(value: Any) -> Any:
    """YAML reads 2026-10-31 as a date; notebooks take dates as ISO text."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML mapping from ``path``; a clear ParamsError if it is missing or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParamsError(f"{path}: file not found.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ParamsError(f"{path}{where}: not valid YAML. Fix the indentation or quoting.") from None
    if data is None:
        return {}
    data = _dates_as_text(data)
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of name: value, got {type(data).__name__}.")
    return data


def merge(base: dict[str, Any], *overrides: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; later ones win, nested mappings merge key by key."""
    out = copy.deepcopy(base)
    for over in overrides:
        for key, value in over.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
    return out


def parse_override(text: str) -> tuple[str, Any]:
    """``key=value`` from the command line; the value is read as YAML (numbers, lists...)."""
    if "=" not in text:
        raise ParamsError(f"--set {text!r}: expected key=value, e.g. --set lang=en.")
    key, raw = text.split("=", 1)
    key = key.strip()
    if not key:
        raise ParamsError(f"--set {text!r}: empty parameter name.")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return key, _dates_as_text(value)


def list_stores(root: Path | None = None) -> list[str]:
    """Store ids: the YAML files in ``params/stores/``, sorted."""
    folder = paths.stores_params_dir(root)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def store_params(
    store: str, overrides: dict[str, Any] | None = None, root: Path | None = None
) -> dict[str, Any]:
    """Merged parameters for one store. ``store`` is always set to the store id."""
    root = root or paths.project_root()
    defaults_file = paths.params_dir(root) / "defaults.yaml"
    defaults = read_yaml(defaults_file) if defaults_file.is_file() else {}
    store_file = paths.stores_params_dir(root) / f"{store}.yaml"
    if not store_file.is_file():
        known = ", ".join(list_stores(root)) or "none"
        raise ParamsError(
            f"{store_file}: no parameters for store {store!r} (known stores: {known}). "
            f"Fix: create the file with at least `data_dir: <folder with orders.csv>`."
        )
    merged = merge(defaults, read_yaml(store_file), overrides or {})
    merged["store"] = store
    return merged
