"""Which data the ``03_ab_test`` report analyses, and the analysis of it.

Three ways in, the first one set wins (the notebook's parameters):

- ``counts``: per-arm counts typed in from a dashboard (``summary``);
- ``users``: a per-user outcome file (``outcomes_file``: CSV, XLSX or Parquet);
- ``assignments``: the store's ``experiments`` table plus its ``orders``, for ``experiment_id``.

:func:`experiment_input` runs the chosen way and returns an :class:`ExperimentInput` record
the notebook shows with :mod:`wxshop.report.views.ab`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from wxshop.ab.analysis import ABConfig, analyse_counts, analyse_users
from wxshop.ab.inputs import arms_from_summary, read_user_outcomes
from wxshop.ab.outcomes import planned_split as planned_shares
from wxshop.ab.outcomes import user_outcomes, variant_order
from wxshop.ab.results import ABAnalysis
from wxshop.data.load import Store, load_store
from wxshop.errors import ParamsError
from wxshop.paths import resolve

__all__ = [
    "SOURCE_TEXT",
    "ExperimentInput",
    "Source",
    "experiment_input",
    "input_source",
    "report_name",
]

Source = Literal["counts", "users", "assignments"]

# Way in → i18n key of the sentence that says where the figures come from.
SOURCE_TEXT: dict[str, str] = {
    "counts": "ab.source_counts", "users": "ab.source_users", "assignments": "ab.source_assignments",
}


def input_source(summary: Mapping[str, Any], outcomes_file: str) -> Source:
    """The way in: ``"counts"`` when ``summary`` holds arms, else ``"users"`` when an
    ``outcomes_file`` is named, else ``"assignments"``.

    Examples
    --------
    >>> input_source({"control": {"users": 10, "conversions": 1}}, "out.csv")
    'counts'
    >>> input_source({}, "out.csv"), input_source({}, "")
    ('users', 'assignments')
    """
    return "counts" if summary else "users" if outcomes_file else "assignments"


# What YAML or a command line gives for "no value": never an experiment's id.
_BLANK_IDS = ("", "none", "null", "~", "nan")
_SAFE_ID = re.compile(r"^[\w.-]+$")


def report_name(experiment_id: Any, source: str) -> str:
    """The report's name: ``ab_test-<experiment_id>``, or ``ab_test`` when the input is not the
    experiments table (``counts``, ``users``) and no id is given.

    An empty id — None, blank, or the text "None" / "null" / "~" that YAML's null or a command
    line leaves — is a :class:`~wxshop.errors.ParamsError` for the ``assignments`` input (it
    names the experiment to read), never a report called ``ab_test-None``. An id holds letters,
    digits, ``_ . -`` only (it names a file).

    Examples
    --------
    >>> report_name("exp_coupon", "assignments"), report_name(None, "users")
    ('ab_test-exp_coupon', 'ab_test')
    >>> try:
    ...     report_name("None", "assignments")
    ... except ParamsError as e:
    ...     print(str(e)[:48])
    experiment_id is empty (got 'None'): set it to t
    """
    text = "" if experiment_id is None else str(experiment_id).strip()
    if text.lower() in _BLANK_IDS:
        if source == "assignments":
            raise ParamsError(
                f"experiment_id is empty (got {experiment_id!r}): set it to the experiment's id in the "
                "experiments table, e.g. -p experiment_id exp_coupon (in YAML, ~ or null mean no value)."
            )
        return "ab_test"
    if not _SAFE_ID.match(text):
        raise ParamsError(f"experiment_id {text!r} may only hold letters, digits, _ . -")
    return f"ab_test-{text}"


@dataclass(frozen=True)
class ExperimentInput:
    """What the chosen way in gave.

    source : the way in (:data:`Source`).
    analysis : the A/B analysis; None when the store has no ``experiments`` table.
    data : the loaded store (``assignments`` only; its data quality goes in the report).
    users : the per-user outcomes (``users`` and ``assignments``).
    period : first and last day (ISO) of the metric windows (``assignments``), else empty.
    incomplete_windows : users whose metric window had not ended at the last order.
    cost_missing_orders : orders in the metric windows without a known cost of goods (then no
        profit per user); None when the store has no item lines or unit costs.
    """

    source: Source
    analysis: ABAnalysis | None = None
    data: Store | None = None
    users: pd.DataFrame | None = None
    period: tuple[str, str] = ("", "")
    incomplete_windows: int = 0
    cost_missing_orders: int | None = None


def experiment_input(
    config: ABConfig,
    *,
    summary: Mapping[str, Any] | None = None,
    outcomes_file: str = "",
    planned_split: Mapping[str, float] | None = None,
    days: float | None = None,
    data_dir: str | Path = "",
    store: str | None = None,
    experiment_id: str = "",
    window_days: int = 14,
    pre_days: int = 28,
    columns: Mapping[str, str] | None = None,
    files: Mapping[str, str] | None = None,
    source: str = "",
    statuses: Mapping[str, str] | None = None,
    guards: Mapping[str, Any] | None = None,
    rejected_path: Path | None = None,
) -> ExperimentInput:
    """Read the chosen input (:func:`input_source`) and analyse it.

    ``summary`` : per-arm counts (:func:`wxshop.ab.inputs.arms_from_summary`);
    ``outcomes_file`` : a per-user outcome file, relative to the project folder;
    otherwise the store in ``data_dir`` is loaded (orders, experiments, customers; rejected
    rows to ``rejected_path``; order items and products too, for costs) and ``experiment_id``'s
    users (:func:`report_name` rejects an empty id) get outcomes over ``window_days``
    days after assignment, with ``pre_days`` days before for CUPED and the balance check.
    ``planned_split`` : planned share per variant (0-1), empty means equal; ``days`` : days
    of assignment so far (None: from assigned_at).

    Examples
    --------
    >>> summary = {"control": {"users": 1000, "conversions": 100},
    ...            "treatment": {"users": 1000, "conversions": 130}}
    >>> got = experiment_input(ABConfig(guardrails=()), summary=summary, days=14)
    >>> got.source, list(got.analysis.arms["arm"]), got.analysis.decision.decision
    ('counts', ['control', 'treatment'], 'ship')
    """
    kind = input_source(summary or {}, outcomes_file)
    if kind == "counts":
        arms = arms_from_summary(summary or {})
        split = planned_shares(list(arms), planned_split or None)
        return ExperimentInput(kind, analyse_counts(arms, split, config, days=days))
    if kind == "users":
        users = read_user_outcomes(resolve(outcomes_file))
        split = planned_shares(variant_order(users["variant"]), planned_split or None)
        return ExperimentInput(kind, analyse_users(users, split, config, days=days), users=users)
    report_name(experiment_id, kind)  # an empty id stops here, before the store is read
    data = load_store(
        resolve(data_dir), name=store, columns=dict(columns) if columns else None,
        files=dict(files) if files else None, rejected_path=rejected_path,
        tables=("orders", "experiments", "customers", "order_items", "products"), source=source or None,
        statuses=dict(statuses) if statuses else None, guards=dict(guards) if guards else None,
    )
    if not data.has("experiments"):
        return ExperimentInput(kind, data=data)
    costs = data.has("order_items") and data.has("products") and "unit_cost" in data.products.columns
    outcome = user_outcomes(
        data.experiments, data.orders, experiment_id, window_days=window_days, pre_days=pre_days,
        customers=data.customers if data.has("customers") else None,
        order_items=data.order_items if costs else None, products=data.products if costs else None,
    )
    split = planned_shares(outcome.variants, planned_split or None)
    analysis = analyse_users(outcome.users, split, config, days=days,
                             excluded={"multi_variant": outcome.multi_variant})
    period = (outcome.window[0].date().isoformat(), outcome.window[1].date().isoformat())
    return ExperimentInput(kind, analysis, data, outcome.users, period, outcome.incomplete_windows,
                           outcome.cost_missing_orders)
