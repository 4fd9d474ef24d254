"""``reports/index.html``: every store × notebook with status and links, the failures, and
a comparison of each store's headline figures with the median store and the thresholds.

What the comparison shows, all of it from the JSON ``headline`` the reports write:

- :data:`FIGURES` — the figures compared across stores, the report each comes from and the
  way a threshold points (higher or lower is better);
- :data:`~wxshop.report.thresholds.THRESHOLDS` — the one table of thresholds, with the
  source of each (:mod:`wxshop.report.thresholds`); ``index_thresholds:`` in
  ``params/defaults.yaml`` changes, adds or removes them (:func:`merge_thresholds`);
- :func:`compare` — per store and figure: the value, the median over the stores that have
  the figure, the difference to it and the mark against the threshold.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from wxshop import __version__, paths
from wxshop.errors import ParamsError
from wxshop.report import history as run_history
from wxshop.report import webfont
from wxshop.report.document import format_value
from wxshop.report.i18n import STRINGS, Translator
from wxshop.report.thresholds import THRESHOLDS, Better, Threshold

Kind = Literal["int", "cny", "share", "count"]
Mark = Literal["good", "bad"]
Reader = Callable[[list[dict[str, Any]]], float | None]

# The key in params/defaults.yaml (or `wxshop run --set`) that changes the thresholds.
THRESHOLDS_PARAM = "index_thresholds"


def _number(value: Any) -> float | None:
    """A finite number, else None (JSON null, text, booleans and NaN are "no figure")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _field(name: str) -> Reader:
    """Read ``headline[name]`` from a notebook's (single) report."""

    def read(headlines: list[dict[str, Any]]) -> float | None:
        return _number(headlines[0].get(name)) if headlines else None

    return read


def _count(field: str, equal: str | None = None) -> Reader:
    """Count a notebook's reports (one per experiment), or those whose ``headline[field]``
    equals ``equal``; None when the store has no such report."""

    def read(headlines: list[dict[str, Any]]) -> float | None:
        if not headlines:
            return None
        return float(sum(1 for h in headlines if field in h and (equal is None or h[field] == equal)))

    return read


@dataclass(frozen=True)
class Figure:
    """A headline figure compared across stores.

    key : id on the index and under ``index_thresholds:``
    notebook : the report whose JSON ``headline`` gives it; None when no report records it yet
    read : headlines of that notebook's ok reports for one store → the figure (or None)
    label : i18n key of its name
    definition : i18n key of what it counts, shown in the figures table
    kind : ``int``/``cny`` (difference to the median in %), ``share`` (0–1; difference in
        percentage points) or ``count`` (small counts; difference as a count)
    better : which way a threshold points; None means the figure takes no threshold
    """

    key: str
    notebook: str | None
    read: Reader
    label: str
    kind: Kind
    better: Better | None
    definition: str


FIGURES: tuple[Figure, ...] = (
    # store overview: the whole data span up to period_end
    Figure("customers", "store_overview", _field("customers"), "kpi.customers", "int", "higher",
           "def.customers"),
    Figure("orders", "store_overview", _field("orders"), "kpi.orders", "int", "higher", "def.orders"),
    Figure("gmv", "store_overview", _field("gmv"), "kpi.gmv", "cny", "higher", "def.gmv"),
    Figure("spend_per_buyer", "store_overview", _field("spend_per_buyer"), "kpi.spend_per_buyer",
           "cny", "higher", "def.spend_per_buyer"),
    Figure("aov", "store_overview", _field("aov"), "kpi.aov", "cny", "higher", "def.aov"),
    Figure("repurchase_rate", "store_overview", _field("repurchase_rate"), "kpi.repurchase_rate",
           "share", "higher", "def.repurchase_rate"),
    Figure("refund_rate", "store_overview", _field("refund_rate"), "kpi.refund_rate", "share", "lower",
           "def.refund_rate"),
    # private domain (企业微信): new buyers of the last `period_days` days added as contacts; 1v1 and
    # 群发 touches opened, same days
    Figure("friend_add_rate", "private_domain", _field("friend_add_rate"), "kpi.friend_add_rate",
           "share", "higher", "def.friend_add_rate"),
    Figure("session_open_rate", "private_domain", _field("session_open_rate"), "kpi.session_open_rate",
           "share", "higher", "def.session_open_rate"),
    # user profiling: the last `period_days` (90) days against the 90 before
    Figure("return_rate", "user_profiling", _field("return_rate"), "kpi.return_rate", "share", "higher",
           "index.def.return_rate"),
    # product selection: the last `window_days` (365) days, products with costs only
    Figure("gross_margin", "product_selection", _field("gross_margin"), "kpi.gross_margin", "share",
           "higher", "index.def.gross_margin"),
    # growth: the events' days (conversion, retention), the last `period_days` days (new customers)
    Figure("activity_conversion", "growth", _field("activity_conversion"), "kpi.activity_conversion",
           "share", "higher", "def.activity_conversion"),
    Figure("d1_retention", "growth", _field("d1_retention"), "kpi.d1_retention", "share", "higher",
           "def.d1_retention"),
    Figure("invited_share", "growth", _field("invited_share"), "kpi.invited_share", "share", "higher",
           "def.invited_share"),
    # A/B tests: one report per experiment listed in the store's YAML
    Figure("experiments", "ab_test", _count("decision"), "index.fig.experiments", "count", None,
           "index.def.experiments"),
    Figure("experiments_shipped", "ab_test", _count("decision", "ship"), "index.fig.experiments_shipped",
           "count", None, "index.def.experiments_shipped"),
)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}


def merge_thresholds(
    overrides: Mapping[str, Any] | None, base: Mapping[str, Threshold] | None = None
) -> dict[str, Threshold]:
    """:data:`THRESHOLDS` (or ``base``) changed by ``index_thresholds`` from the parameters.

    ``overrides`` maps a figure key to a number (set or change its threshold; shares as 0–1)
    or null (remove it). A changed value counts as a house threshold; the playbook's own value
    stays a playbook one. The direction is the figure's (refund_rate: at most the value).
    """
    out = dict(THRESHOLDS if base is None else base)
    if not overrides:
        return out
    where = f"`{THRESHOLDS_PARAM}` (params/defaults.yaml or --set)"
    if not isinstance(overrides, Mapping):
        raise ParamsError(f"{where}: expected a mapping figure: number, got {overrides!r}.")
    for key, value in overrides.items():
        figure = FIGURES_BY_KEY.get(key)
        if figure is None or figure.better is None:
            known = ", ".join(f.key for f in FIGURES if f.better)
            raise ParamsError(f"{where}: {key!r} takes no threshold; choose from {known}.")
        if value is None:
            out.pop(key, None)
            continue
        number = _number(value)
        if number is None:
            raise ParamsError(f"{where}: {key} needs a number or null, got {value!r}.")
        if figure.kind == "share" and not 0 <= number <= 1:
            raise ParamsError(f"{where}: {key} is a share; write it as 0–1 (0.05 for 5%), got {value!r}.")
        builtin = THRESHOLDS.get(key)
        same = builtin is not None and builtin.value == number
        out[key] = Threshold(number, figure.better, "playbook" if same else "house")
    return out


def load_thresholds(
    root: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Threshold]:
    """Thresholds from :data:`THRESHOLDS`, ``index_thresholds:`` in ``params/defaults.yaml``
    and then ``overrides`` (``wxshop run --set index_thresholds=...``)."""
    from wxshop.params import merge, read_yaml

    defaults_file = paths.params_dir(root) / "defaults.yaml"
    defaults = read_yaml(defaults_file) if defaults_file.is_file() else {}
    chosen = merge({"t": defaults.get(THRESHOLDS_PARAM) or {}}, {"t": overrides or {}})["t"]
    return merge_thresholds(chosen)


# ---- comparison ------------------------------------------------------------------------------


def median(values: list[float | None]) -> float | None:
    """Median of the values present (None and NaN ignored); None when none is."""
    present = [float(v) for v in values if v is not None and not math.isnan(v)]
    return statistics.median(present) if present else None


def difference(value: float | None, mid: float | None, kind: Kind) -> float | None:
    """``value`` against the median: relative (``value / median - 1``) for ``int`` and ``cny``,
    absolute for ``share`` (0–1, so 0.031 is 3.1 percentage points) and ``count``.
    None when either is missing or a relative difference has a zero median."""
    if value is None or mid is None:
        return None
    if kind in ("share", "count"):
        return value - mid
    return value / mid - 1 if mid != 0 else None


def mark(value: float | None, threshold: Threshold | None) -> Mark | None:
    """``good`` when ``value`` meets the threshold, ``bad`` when not, None without either."""
    if value is None or threshold is None:
        return None
    return "good" if threshold.met(value) else "bad"


def compare(
    values: Mapping[str, Mapping[str, float | None]],
    thresholds: Mapping[str, Threshold] | None = None,
    figures: tuple[Figure, ...] = FIGURES,
) -> pd.DataFrame:
    """Each store's figures beside the median store and the thresholds.

    Parameters
    ----------
    values : store → figure key → value (None or absent: the store has no such figure)
    thresholds : figure key → :class:`Threshold` (default :data:`THRESHOLDS`)

    Returns
    -------
    One row per store × figure, stores in the given order and figures in ``figures`` order:
    store, figure, value (the figure's unit: count, CNY or share 0–1), median (over the
    stores that have the figure), stores_with_figure, difference (see :func:`difference`:
    relative for int/cny, absolute for share/count), mark (``good``/``bad``/None).
    """
    thresholds = THRESHOLDS if thresholds is None else thresholds
    rows = []
    for fig in figures:
        column = [values[s].get(fig.key) for s in values]
        mid = median(column)
        n = sum(v is not None and not math.isnan(v) for v in column)
        for store in values:
            v = values[store].get(fig.key)
            v = None if v is None or math.isnan(v) else float(v)
            rows.append({
                "store": store,
                "figure": fig.key,
                "value": v,
                "median": mid,
                "stores_with_figure": n,
                "difference": difference(v, mid, fig.kind),
                "mark": mark(v, thresholds.get(fig.key)),
            })
    columns = ["store", "figure", "value", "median", "stores_with_figure", "difference", "mark"]
    return pd.DataFrame(rows, columns=columns)


def store_figures(headlines: Mapping[str, list[dict[str, Any]]],
                  figures: tuple[Figure, ...] = FIGURES) -> dict[str, float | None]:
    """One store's figures from its reports' headlines (notebook → the headlines of its ok
    reports, several for a notebook with one report per experiment)."""
    return {f.key: f.read(headlines.get(f.notebook, [])) if f.notebook else None for f in figures}


# ---- text ------------------------------------------------------------------------------------


def format_difference(diff: float | None, kind: Kind, tr: Translator) -> str:
    """``+12%`` (int, cny), ``+3.1 pp`` (share), ``+1`` (count); ``±0`` forms for no
    difference after rounding; ``—`` when there is none."""
    if diff is None:
        return "—"
    if kind == "share":
        points = round(100 * diff, 1)
        return tr("index.diff_pp", diff="±0.0" if points == 0 else f"{points:+.1f}")
    if kind == "count":  # a median of counts may end in .5
        d = round(diff, 1)
        return "±0" if d == 0 else f"{int(d):+d}" if d.is_integer() else f"{d:+.1f}"
    pct = round(100 * diff)
    return "±0%" if pct == 0 else f"{pct:+d}%"


def format_figure(value: float | None, kind: Kind, lang: str) -> str:
    """A value, median or threshold as text; a median of counts between two stores keeps its .5."""
    if kind in ("int", "count") and value is not None and not float(value).is_integer():
        return f"{value:,.1f}"
    return format_value(value, "int" if kind == "count" else kind, lang)


def format_threshold(threshold: Threshold | None, kind: Kind, lang: str) -> str:
    if threshold is None:
        return "—"
    sign = "≥" if threshold.better == "higher" else "≤"
    return f"{sign} {format_figure(threshold.value, kind, lang)}"


# ---- the page --------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def collect(reports: Path) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]]]:
    """Stores (name, cells: notebook → its reports' statuses, headlines: notebook → the
    JSON headlines of its ok reports, stamps: notebook → when its reports were written, for
    notebooks whose reports all succeeded, flag: ``failed``/``warned``/""), notebooks seen, and
    failures, from the status files the runner writes (``<store>/<notebook>[-<item>].status.json``).
    Stores with a report not written come first, then those with warnings, then the rest."""
    stores, notebooks, failures = [], [], []
    for folder in sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")):
        cells: dict[str, list[dict[str, Any]]] = {}
        headlines: dict[str, list[dict[str, Any]]] = {}
        stamps: dict[str, list[str | None]] = {}  # None: not written, or its JSON unreadable
        for status_file in sorted(folder.glob("*.status.json")):
            status = _read_json(status_file)
            if not status or "notebook" not in status or "status" not in status:
                # an empty or damaged status file (a full disk, a killed batch) is a failure
                status = {"store": folder.name, "notebook": status_file.name.removesuffix(
                    ".status.json"), "status": "unreadable", "item": "", "html": None,
                    "error": f"{status_file.name} is empty or unreadable: run the batch again."}
            nb = status["notebook"]
            if nb not in notebooks:
                notebooks.append(nb)
            html = status.get("html")
            if html and status["status"] == "ok" and (folder / html).is_file():
                status["href"] = f"{quote(folder.name)}/{quote(html)}"  # ids with # or ? stay links
                card = Path(html).with_suffix(".card.png").name  # the report's share card, if any
                if (folder / card).is_file():
                    status["card"] = f"{quote(folder.name)}/{quote(card)}"
            else:
                status["html"] = None
            cells.setdefault(nb, []).append(status)
            if status["status"] != "ok":
                failures.append(status)
                stamps.setdefault(nb, []).append(None)
                continue
            stem = f"{nb}-{status['item']}" if status.get("item") else nb
            record = _read_json(folder / f"{stem}.json") or {}
            stamps.setdefault(nb, []).append(run_history.written_at(record, folder / f"{stem}.json"))
            status["warnings"] = [w.get("text", "") for w in record.get("warnings") or []
                                  if isinstance(w, dict)]
            headline = record.get("headline")
            if isinstance(headline, dict):
                headlines.setdefault(nb, []).append(headline)
        if cells:
            ok = [c for cs in cells.values() for c in cs if c["status"] == "ok"]
            flag = "warned" if any(c.get("warnings") for c in ok) else ""
            stores.append({"name": folder.name, "cells": cells, "headlines": headlines,
                           "flag": "failed" if len(ok) < sum(map(len, cells.values())) else flag,
                           "stamps": {nb: max(v) for nb, v in stamps.items() if None not in v}})
    stores.sort(key=lambda s: ("failed", "warned", "").index(s["flag"]))  # stable: by name within
    return stores, notebooks, failures


def comparison_view(
    stores: list[dict[str, Any]], thresholds: Mapping[str, Threshold], tr: Translator,
    history: run_history.History | None = None,
) -> dict[str, Any]:
    """What the template shows: columns, one row per store (with each figure's change since the
    previous run in ``history``), the median row, the threshold row and the figures table
    (report, threshold, source)."""
    history = history or run_history.History()
    values = {s["name"]: store_figures(s["headlines"]) for s in stores}
    table = compare(values, thresholds)
    by = {(r["store"], r["figure"]): r for r in table.to_dict(orient="records")}

    def nan_none(x: Any) -> Any:  # the frame holds missing as NaN
        return None if not isinstance(x, str) and pd.isna(x) else x

    rows = []
    for s in stores:
        cells = []
        for f in FIGURES:
            r = by[(s["name"], f.key)]
            value = nan_none(r["value"])
            cells.append({
                "value": format_figure(value, f.kind, tr.lang),
                "diff": format_difference(nan_none(r["difference"]), f.kind, tr) if value is not None else "",
                "mark": nan_none(r["mark"]),
                "sort": "" if value is None else repr(float(value)),  # what the page sorts by
                "change": run_history.change(history, s, f.key, f.notebook, f.kind, value, tr),
            })
        rows.append({"name": s["name"], "flag": s["flag"], "cells": cells})
    medians, figures = [], []
    for f in FIGURES:
        first = by[(stores[0]["name"], f.key)] if stores else {"median": None, "stores_with_figure": 0}
        medians.append({
            "value": format_figure(nan_none(first["median"]), f.kind, tr.lang),
            "n": int(first["stores_with_figure"]),
        })
        th = thresholds.get(f.key)
        figures.append({
            "label": tr(f.label),
            "definition": tr(f.definition),
            "report": tr(f"notebook.{f.notebook}") if f.notebook else tr("index.no_report"),
            "threshold": format_threshold(th, f.kind, tr.lang),
            "source": tr(f"index.source.{th.source}") if th else "—",
            "diff_rule": tr(f"index.diff_rule.{f.kind}"),
        })
    return {
        "columns": [tr(f.label) for f in FIGURES],
        "rows": rows,
        "medians": medians,
        "thresholds": [format_threshold(thresholds.get(f.key), f.kind, tr.lang) for f in FIGURES],
        "figures": figures,
    }


def build_index(
    reports: Path,
    lang: str = "zh",
    order: list[str] | None = None,
    thresholds: Mapping[str, Threshold] | None = None,
) -> Path:
    """Write ``reports/index.html`` from what is in ``reports/``; returns its path.

    ``thresholds`` default to :data:`THRESHOLDS`; the CLI passes :func:`load_thresholds`.
    """
    tr = Translator(lang)
    thresholds = THRESHOLDS if thresholds is None else thresholds
    reports.mkdir(parents=True, exist_ok=True)
    stores, notebooks, failures = collect(reports)
    history = run_history.load(reports)  # a damaged file is set aside; the page says so
    values = {s["name"]: store_figures(s["headlines"]) for s in stores}
    recorded = run_history.record(history, run_history.readings(
        stores, values, {f.key: f.notebook for f in FIGURES}))
    if order:
        notebooks.sort(key=lambda n: order.index(n) if n in order else len(order))
    env = Environment(
        loader=PackageLoader("wxshop.report", "templates"), autoescape=select_autoescape(["j2", "html"])
    )

    def nb_title(nb: str) -> str:
        key = f"notebook.{nb}"
        return tr(key) if key in STRINGS else nb

    n_ok = sum(c["status"] == "ok" for s in stores for cs in s["cells"].values() for c in cs)
    html = env.get_template("index.html.j2").render(
        lang=tr.lang,
        tr=tr,
        nb_title=nb_title,
        version=__version__,
        generated_at=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
        stores=stores,
        notebooks=notebooks,
        failures=failures,
        n_ok=n_ok,
        cmp=comparison_view(stores, thresholds, tr, history),
        thresholds_param=THRESHOLDS_PARAM,
        history=history,
        history_file=run_history.HISTORY_FILE,
        keep_runs=run_history.KEEP_RUNS,
    )
    out = reports / "index.html"
    tmp = out.with_name(f".index.html.{os.getpid()}.tmp")  # never a half-written index
    try:
        tmp.write_text(webfont.embed(html), encoding="utf-8")  # its Chinese glyphs, as in the reports
        os.replace(tmp, out)
        if recorded:
            run_history.save(reports, history)
        index_card(reports, stores, failures, n_ok, tr)
    finally:
        tmp.unlink(missing_ok=True)
    return out



def index_card(reports: Path, stores: list[dict[str, Any]], failures: list[dict[str, Any]], n_ok: int,
               tr: Translator) -> Path:
    """``reports/index.card.png``: the batch at a glance for forwarding (stores, reports good and
    failed, stores with warnings) and the stores that need a look first."""
    from wxshop.report.sharecard import share_card

    warned = sorted({s["name"] for s in stores for cs in s["cells"].values() for c in cs
                     if c.get("warnings")})
    failed = sorted({str(f.get("store", "")) for f in failures})
    figures = [(tr("index.card_stores"), f"{len(stores):,}", "", None),
               (tr("index.card_ok"), f"{n_ok:,}", "", None),
               (tr("index.card_failed"), f"{len(failures):,}", "", None if not failures else False),
               (tr("index.card_warned"), f"{len(warned):,}", "", None if not warned else False)]
    lines = [tr("index.card_failed_stores", stores=", ".join(failed[:8]))] if failed else []
    lines += [tr("index.card_warned_stores", stores=", ".join(warned[:8]))] if warned else []
    now = dt.datetime.now().replace(microsecond=0)
    return share_card(reports / "index.card.png", title=tr("index.title"), subtitle=now.isoformat(sep=" "),
                      figures=figures, findings=lines or [tr("index.card_all_good")],
                      heading=tr("card.actions"), footer=f"wxshop {__version__}")
