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


def injected_names(history: list[str] | None = None) -> set[str]:
    """Names papermill injected into this kernel: the targets of the last ``# Parameters`` cell.

    Papermill adds that cell after the notebook's ``parameters`` cell; ``history`` defaults to
    the running IPython kernel's input history (empty outside IPython or without papermill).

    Examples
    --------
    >>> sorted(injected_names(["x = 1", '# Parameters\\nlang = "en"\\nstore = "demo_01"\\n']))
    ['lang', 'store']
    >>> injected_names(["x = 1"])
    set()
    """
    import ast

    if history is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython comes with the notebook stack
            return set()
        shell = get_ipython()
        history = list(shell.user_ns.get("_ih", [])) if shell is not None else []
    for source in reversed(history):
        if source.startswith(("# Parameters\n", "# Injected parameters\n")):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                return set()
            return {t.id for node in tree.body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)}
    return set()


def notebook_params(
    store: str,
    current: dict[str, Any],
    injected: set[str] | None = None,
    root: Path | None = None,
) -> dict[str, Any]:
    """The parameters a notebook runs with when its ``STORE`` line names a store.

    ``store`` is the notebook's ``STORE`` literal; ``current`` its namespace (``globals()``).
    Returns ``{name: value}`` for the notebook's names that the store's merged parameters
    (:func:`store_params`: ``params/defaults.yaml`` < ``params/stores/<store>.yaml``) set,
    ready for ``globals().update(...)``; the names papermill injected (``injected``, by default
    read from the kernel with :func:`injected_names`) keep their injected values. An empty
    ``store`` returns ``{}``: the notebook's own literals stand (the sample store in
    ``data/sample``). Keys the notebook does not declare (``experiments``...) stay out.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "params" / "stores").mkdir(parents=True)
    >>> _ = (root / "params" / "defaults.yaml").write_text("lang: zh\\nfiles: {}\\n")
    >>> _ = (root / "params" / "stores" / "s1.yaml").write_text("data_dir: data/s1\\nlang: en\\n")
    >>> ns = {"store": "sample", "data_dir": "data/sample", "lang": "zh", "rfm_bins": 5}
    >>> notebook_params("s1", ns, injected=set(), root=root)
    {'store': 's1', 'data_dir': 'data/s1', 'lang': 'en'}
    >>> notebook_params("s1", {**ns, "lang": "ja"}, injected={"lang"}, root=root)["lang"]
    'ja'
    >>> notebook_params("", ns, injected=set(), root=root)
    {}
    """
    if not store:
        return {}
    merged = store_params(store, root=root)
    keep = injected_names() if injected is None else injected
    return {k: current[k] if k in keep else merged[k] for k in current if k in merged}
