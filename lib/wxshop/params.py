"""Report parameters: ``params/defaults.yaml`` < ``params/stores/<store>.yaml`` < overrides."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from wxshop import paths
from wxshop.errors import ParamsError


class _TextDates(yaml.SafeLoader):
    """YAML without its timestamp type: ``2026-10-31`` stays text (notebooks take dates as ISO
    text), and ``2026-13-45`` is text that the parameter checks name, not a crash."""


_TextDates.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
        data = yaml.load(text, Loader=_TextDates)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        # where the broken construct starts (an unclosed [ ), else where reading stopped
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
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
        value = yaml.load(raw, Loader=_TextDates) if raw.strip() else ""  # noqa: S506
    except yaml.YAMLError:
        value = raw
    return key, _dates_as_text(value)


# Store and experiment ids name folders and files and end up in links: letters (any script),
# digits, _ . - only, not starting with a dot (no `..`, no path separators, no # or ?).
SAFE_ID = re.compile(r"^\w[\w.-]*$")
# Keys the batch itself reads, not a notebook.
BATCH_KEYS = frozenset({"data_dir", "experiments", "index_thresholds", "report_dir"})
# Values beyond their type: name -> (check, what is expected).
VALUE_RULES: dict[str, tuple[Any, str]] = {
    "lang": (lambda v: v in ("zh", "en"), "zh or en"),
    "period_end": (lambda v: v == "" or _is_date(v), "a date YYYY-MM-DD, or empty for the last order's day"),
    "store": (lambda v: bool(SAFE_ID.match(v)), "letters, digits, _ . - (no path separators)"),
    "experiment_id": (lambda v: v == "" or bool(SAFE_ID.match(v)), "letters, digits, _ . -"),
}
_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float),
                                       "bool": (bool,), "dict": (dict,), "list": (list,)}


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def check_id(value: str, what: str = "store") -> str:
    """``value`` if it is a safe id (:data:`SAFE_ID`), else :class:`~wxshop.errors.ParamsError`.

    Examples
    --------
    >>> check_id("杭州一店_01")
    '杭州一店_01'
    >>> check_id("../etc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    wxshop.errors.ParamsError: store id '../etc' may only hold letters, digits, _ . - and ...
    """
    if not SAFE_ID.match(str(value)):
        raise ParamsError(f"{what} id {value!r} may only hold letters, digits, _ . - and must not"
                          " start with a dot.")
    return str(value)


def check_values(params: Mapping[str, Any], types: Mapping[str, str], where: str) -> None:
    """Raise :class:`~wxshop.errors.ParamsError` naming the first parameter whose value is not
    of its declared type (``types``: name -> ``str`` / ``int`` / ``float`` / ``bool`` / ``dict`` /
    ``list``) or breaks :data:`VALUE_RULES`.

    Examples
    --------
    >>> check_values({"period_end": "2026-13-45"}, {"period_end": "str"}, "s.yaml")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    wxshop.errors.ParamsError: s.yaml: period_end is '2026-13-45'; expected a date YYYY-MM-DD, ...
    >>> check_values({"window_days": "abc"}, {"window_days": "int"}, "s.yaml")
    Traceback (most recent call last):
    wxshop.errors.ParamsError: s.yaml: window_days is 'abc'; expected int.
    """
    for name, value in params.items():
        kind = types.get(name)
        if kind in _TYPES:
            ok = isinstance(value, _TYPES[kind]) and not (kind != "bool" and isinstance(value, bool))
            if not ok:
                raise ParamsError(f"{where}: {name} is {value!r}; expected {kind}.")
        rule = VALUE_RULES.get(name)
        if rule is not None and isinstance(value, str) and not rule[0](value):
            raise ParamsError(f"{where}: {name} is {value!r}; expected {rule[1]}.")


def check_names(given: Iterable[str], known: Iterable[str], where: str) -> None:
    """Raise :class:`~wxshop.errors.ParamsError` for a name no notebook takes, with the closest
    known one.

    Examples
    --------
    >>> check_names(["lang", "perod_days"], ["lang", "period_days", "period_end"], "s.yaml")
    Traceback (most recent call last):
    wxshop.errors.ParamsError: s.yaml: unknown parameter 'perod_days' (did you mean 'period_days'?).
    """
    known = set(known) | BATCH_KEYS
    for name in given:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParamsError(f"{where}: unknown parameter {name!r}{hint}.")


def list_stores(root: Path | None = None) -> list[str]:
    """Store ids: the YAML files in ``params/stores/``, sorted."""
    folder = paths.stores_params_dir(root)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def store_params(
    store: str, overrides: dict[str, Any] | None = None, root: Path | None = None
) -> dict[str, Any]:
    """Merged parameters for one store. ``store`` is always set to the store id."""
    root = root or paths.project_root()
    check_id(store)
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
    >>> notebook_params("s1", {**ns, "lang": "zh"}, injected={"lang"}, root=root)["lang"]
    'zh'
    >>> notebook_params("", ns, injected=set(), root=root)
    {}
    """
    if not store:
        return {}
    merged = store_params(store, root=root)
    keep = injected_names() if injected is None else injected
    out = {k: current[k] if k in keep else merged[k] for k in current if k in merged}
    # each value of the type of the notebook's own default (an int stays an int ...)
    # (from the values, not the annotations: `days: float = 0` holds an int, so a number is a number)
    types = {k: "float" if type(v).__name__ == "int" else type(v).__name__
             for k, v in current.items() if type(v).__name__ in _TYPES}
    check_values(out, types, f"params/stores/{store}.yaml")
    return out
