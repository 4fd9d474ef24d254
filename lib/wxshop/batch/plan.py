"""Planning the batch: which store × notebook jobs run, with which parameters, under which names.

:func:`plan_jobs` reads the stores' YAML (``params/stores/``) and the notebooks' ``parameters``
cells and gives one :class:`Job` per report; a notebook that declares ``experiment_id`` gives one
job per experiment a store lists (:func:`experiment_entries`). Nothing here runs a notebook.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wxshop import paths
from wxshop.errors import ParamsError
from wxshop.params import check_id, check_names, check_values, list_stores, read_yaml, store_params

NOTEBOOK_RE = re.compile(r"^(\d+)_(\w+)\.ipynb$")
FAN_OUT_PARAMETER = "experiment_id"
_ITEM_RE = re.compile(r"^[\w.-]+$")


def discover_notebooks(root: Path | None = None) -> dict[str, Path]:
    """CLI name → notebook path, in file order: ``00_store_overview.ipynb`` → ``store_overview``."""
    folder = paths.notebooks_dir(root)
    found = {}
    for p in sorted(folder.glob("*.ipynb")):
        m = NOTEBOOK_RE.match(p.name)
        if m:
            found[m.group(2)] = p
    return found


@dataclass(frozen=True)
class Job:
    """One report to write: ``notebook`` run on ``store`` with ``parameters``; its outputs go to
    ``report_dir`` under :attr:`name`. Paths are strings so a job pickles to another process."""

    store: str
    notebook: str
    input_path: str
    report_dir: str
    root: str
    parameters: dict[str, Any] = field(default_factory=dict)
    with_code: bool = False
    item: str = ""  # one of several reports of this notebook for the store (an experiment id)

    @property
    def name(self) -> str:
        """File name stem of the outputs: ``<notebook>`` or ``<notebook>-<item>``."""
        return f"{self.notebook}-{self.item}" if self.item else self.notebook

    @property
    def output_ipynb(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.ipynb"

    @property
    def output_html(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.html"

    @property
    def status_path(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.status.json"

    @property
    def log_path(self) -> Path:
        return Path(self.report_dir) / f"{self.name}.kernel.log"


def plan_jobs(
    stores: Iterable[str] | None = None,
    notebooks: Iterable[str] | None = None,
    overrides: dict[str, Any] | None = None,
    reports: Path | None = None,
    root: Path | None = None,
    with_code: bool = False,
) -> list[Job]:
    """Jobs for the chosen stores × notebooks (default: all), parameters merged and checked;
    a store whose parameters are wrong raises :class:`~wxshop.errors.ParamsError`
    (:func:`plan_batch` sets such a store aside instead)."""
    jobs, refused = plan_batch(stores, notebooks, overrides, reports, root, with_code)
    if refused:
        raise ParamsError(refused[0][1])
    return jobs


def plan_batch(
    stores: Iterable[str] | None = None,
    notebooks: Iterable[str] | None = None,
    overrides: dict[str, Any] | None = None,
    reports: Path | None = None,
    root: Path | None = None,
    with_code: bool = False,
) -> tuple[list[Job], list[tuple[Job, str]]]:
    """The jobs to run, and the jobs refused with the reason: a store whose YAML does not read,
    names a parameter no notebook takes (with the closest one) or gives a value of the wrong
    type or out of range fails alone, before anything runs; the other stores go on. A notebook
    or store that does not exist, an unsafe store id or a wrong ``--set`` stops the batch."""
    root = root or paths.project_root()
    reports = reports or paths.reports_dir(root)
    known_nb = discover_notebooks(root)
    chosen_nb = list(notebooks) if notebooks else list(known_nb)
    unknown = [n for n in chosen_nb if n not in known_nb]
    if unknown:
        raise ParamsError(
            f"unknown notebook(s) {', '.join(unknown)}; choose from {', '.join(known_nb)}."
        )
    chosen_stores = [check_id(s) for s in (list(stores) if stores else list_stores(root))]
    if not chosen_stores:
        raise ParamsError(
            f"no stores: {paths.stores_params_dir(root)} has no <store>.yaml. "
            "Fix: run `make demo`, or add a YAML with `data_dir:` for your store."
        )
    types = {nb: notebook_parameter_types(path) for nb, path in known_nb.items()}
    declared = {nb: set(types[nb]) for nb in chosen_nb}
    every = set().union(*types.values()) if types else set()
    check_names(overrides or {}, every, "--set")
    jobs: list[Job] = []
    refused: list[tuple[Job, str]] = []
    for store in chosen_stores:
        report_dir = reports / store
        try:
            planned = _store_jobs(store, chosen_nb, known_nb, declared, types, every, overrides,
                                  report_dir, root, with_code)
        except ParamsError as exc:
            store_file = paths.stores_params_dir(root) / f"{store}.yaml"
            if not store_file.is_file():
                raise
            refused.extend((Job(store, nb, str(known_nb[nb]), str(report_dir), str(root), {},
                                with_code), str(exc)) for nb in chosen_nb)
            continue
        jobs.extend(planned)
    return jobs, refused


def _store_jobs(store, chosen_nb, known_nb, declared, types, every, overrides, report_dir, root,
                with_code) -> list[Job]:
    """One store's jobs, its parameters checked."""
    params = store_params(store, overrides, root)
    where = f"params/stores/{store}.yaml"
    check_names(read_yaml(paths.stores_params_dir(root) / f"{store}.yaml"), every, where)
    params["report_dir"] = str(report_dir)
    # every value of the type the notebooks declare for it, whichever notebooks run now
    check_values(params, {k: t for nb_types in types.values() for k, t in nb_types.items() if t},
                 where)
    for nb, nb_types in types.items():  # the experiments list, whichever notebooks run now
        if FAN_OUT_PARAMETER in nb_types:
            experiment_entries(store, params.get("experiments"), set(nb_types), nb)
    jobs = []
    for nb in chosen_nb:
        # each notebook gets the parameters it declares; the rest belong to other notebooks
        own = {k: v for k, v in params.items() if k in declared[nb]}
        if FAN_OUT_PARAMETER not in declared[nb]:
            jobs.append(Job(store, nb, str(known_nb[nb]), str(report_dir), str(root), own, with_code))
            continue
        for item, extra in experiment_entries(store, params.get("experiments"), declared[nb], nb):
            check_values(extra, types[nb], f"{where}, experiment {item}")
            jobs.append(Job(store, nb, str(known_nb[nb]), str(report_dir), str(root),
                            {**own, **extra, FAN_OUT_PARAMETER: item}, with_code, item))
    return jobs


def experiment_entries(
    store: str, experiments: Any, declared: set[str], notebook: str
) -> list[tuple[str, dict[str, Any]]]:
    """(experiment id, parameters) for every experiment a store's YAML lists.

    A notebook that declares ``experiment_id`` writes one report per experiment. The YAML
    lists them as a mapping ``{exp_id: {parameter: value, ...}}`` or a list of ids or of
    mappings with an ``experiment_id`` key; the per-experiment keys must be parameters of
    the notebook. A store that lists none gets no such report.
    """
    if experiments in (None, "", [], {}):
        return []
    where = f"params/stores/{store}.yaml, `experiments:`"
    if isinstance(experiments, dict):
        if any(k is None or str(k).strip() == "" for k in experiments):
            raise ParamsError(f"{where}: an experiment id is empty (~ or null in YAML); write its id.")
        entries = [(str(k), dict(v or {})) for k, v in experiments.items()]
    elif isinstance(experiments, list):
        entries = []
        for e in experiments:
            if isinstance(e, dict) and FAN_OUT_PARAMETER in e:
                if e[FAN_OUT_PARAMETER] is None or str(e[FAN_OUT_PARAMETER]).strip() == "":
                    raise ParamsError(f"{where}: an experiment id is empty (~ or null in YAML); "
                                      "write its id.")
                rest = {k: v for k, v in e.items() if k != FAN_OUT_PARAMETER}
                entries.append((str(e[FAN_OUT_PARAMETER]), rest))
            elif isinstance(e, str | int):
                entries.append((str(e), {}))
            else:
                raise ParamsError(f"{where}: each entry needs an experiment_id, got {e!r}.")
    else:
        raise ParamsError(f"{where}: expected a mapping of experiment ids or a list, got {experiments!r}.")
    seen: set[str] = set()
    for item, extra in entries:
        if not _ITEM_RE.match(item):
            raise ParamsError(f"{where}: experiment id {item!r} may only hold letters, digits, _ . -")
        if item in seen:
            raise ParamsError(f"{where}: experiment {item!r} is listed twice.")
        seen.add(item)
        if not isinstance(extra, dict):
            raise ParamsError(f"{where}: settings of {item!r} must be a mapping, got {extra!r}.")
        unknown = sorted(set(extra) - declared)
        if unknown:
            raise ParamsError(
                f"{where}: {item!r} sets {', '.join(unknown)}, which {notebook} does not take; "
                f"known: {', '.join(sorted(declared))}."
            )
    return entries


def notebook_parameters(path: Path) -> set[str]:
    """Names assigned in the notebook's cell tagged ``parameters``."""
    return set(notebook_parameter_types(path))


def notebook_parameter_types(path: Path) -> dict[str, str]:
    """Name -> declared type (``str``, ``int``, ``float``, ``bool``, ``dict``, ``list``; ``""``
    when the line has no annotation) of each name the ``parameters`` cell assigns."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            names: dict[str, str] = {}
            for node in ast.parse(cell.source).body:
                kind = ""
                target = node.target if isinstance(node, ast.AnnAssign) else None
                if isinstance(node, ast.AnnAssign) and isinstance(node.annotation, ast.Name):
                    kind = node.annotation.id
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                if isinstance(target, ast.Name):
                    names[target.id] = kind
            return names
    return {}
