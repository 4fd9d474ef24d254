"""``reports/index_history.json``: the headline figures of past batch runs, so the index can show
each store's change since the previous run.

The file is a small JSON object, written whole through a temporary file of this process renamed
over it (a reader sees the old file or the new one, never a part)::

    {"schema": 1,
     "runs": [{"run_at": "2025-03-03T09:12:40",
               "stores": {"demo_01": {"gmv": 123456.0, "refund_rate": 0.031}},
               "written": {"demo_01": {"store_overview": "2025-03-03T09:10:02"}}}]}

It holds store ids, dates and numbers only: no customer, no text, nothing personal.

What a run is
    A run is identified by its reports, not by the call that writes the index: ``written``
    keeps, per store and notebook, when the reports whose figures a run recorded were written
    (their JSON's ``generated_at``). Writing the index appends a run only when some store has a
    notebook whose reports were written since (a time not yet in the history), and the run holds
    the figures of those reports only. So ``wxshop index`` (the page again, no new batch) appends
    nothing, and a batch of one store or one notebook records that store or notebook only.
What counts
    A notebook's figures are recorded for a store only when every one of the store's reports of
    that notebook is ``ok`` in this run (one failed A/B test would make the count of tests wrong),
    and only figures that are numbers (JSON null is "no figure", not zero).
The previous run
    For a store's figure, the previous run is the latest run before the one that recorded the
    shown reports in which the figure has a value. A report that failed records nothing, so it
    never erases a good earlier value: next time the figure is compared with the last run that
    had it, whose date the page shows.
A damaged file
    A history that cannot be read (not JSON, not this shape, a read error) is renamed
    ``index_history.<reason>.<time>.json`` beside it and a new one is started; the index says so.

Only the last :data:`KEEP_RUNS` runs are kept; reports still shown whose run falls out stay
known (without their figures), so they are not recorded again.

:func:`change` gives the text the index shows under a figure: ▲/▼ and the difference in the
figure's unit, with the date of the previous run.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wxshop.paths import write_atomic
from wxshop.report.document import format_value
from wxshop.report.i18n import Translator

HISTORY_FILE = "index_history.json"  # in the reports folder, beside index.html
KEEP_RUNS = 12
SCHEMA = 1

Reason = Literal["not-json", "not-history", "unreadable"]
# store → notebook → (when its reports were written, figure → value) for what this run may record
Current = Mapping[str, Mapping[str, tuple[str, Mapping[str, float | None]]]]
Readings = dict[str, dict[str, tuple[str, dict[str, float | None]]]]


@dataclass(frozen=True)
class Previous:
    """A figure's value in the previous run that had it, and when that run was."""

    value: float
    run_at: str


@dataclass
class History:
    """The runs read from the file (oldest first) and, if the file was damaged, why and where
    it was set aside (``moved_to`` empty when it could not be moved either)."""

    runs: list[dict[str, Any]] = field(default_factory=list)
    problem: Reason | None = None
    moved_to: str = ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def valid_date(value: Any) -> bool:
    """An ISO date or date-time."""
    if not isinstance(value, str):
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def written_at(record: Mapping[str, Any], path: Path) -> str | None:
    """When a report was written: its JSON's ``generated_at``, else the time of the JSON file
    (``path``); None for a report without a readable JSON (``record`` empty)."""
    when = record.get("generated_at")
    if valid_date(when):
        return dt.datetime.fromisoformat(when).isoformat()
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat() if record else None
    except OSError:
        return None


def _nested(value: Any, leaf_ok: Any) -> bool:
    """``{str: {str: leaf}}`` with every leaf passing ``leaf_ok``."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(inner, dict)
        and all(isinstance(key, str) and leaf_ok(v) for key, v in inner.items())
        for k, inner in value.items())


def valid_run(run: Any) -> bool:
    """A run as this module writes it: a date, store → figure → number, store → notebook → date.

    >>> valid_run({"run_at": "2025-03-03T09:00:00", "stores": {"s": {"gmv": 1.5}},
    ...            "written": {"s": {"store_overview": "2025-03-03T08:59:00"}}})
    True
    >>> valid_run({"run_at": "2025-03-03T09:00:00", "stores": {"s": {"gmv": "a lot"}}, "written": {}})
    False
    """
    return (isinstance(run, dict) and set(run) == {"run_at", "stores", "written"}
            and valid_date(run["run_at"]) and _nested(run["stores"], _is_number)
            and _nested(run["written"], valid_date))


def load(reports: Path, now: dt.datetime | None = None) -> History:
    """The history in ``reports``; an empty one when there is none yet. A damaged file is set
    aside (renamed with the reason and the time) and an empty history returned that says so."""
    path = Path(reports) / HISTORY_FILE
    if not path.exists():
        return History()
    problem: Reason | None = None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        problem = "not-json" if isinstance(exc, UnicodeDecodeError) else "unreadable"
    except ValueError:
        problem = "not-json"
    else:
        if not (isinstance(data, dict) and data.get("schema") == SCHEMA
                and isinstance(data.get("runs"), list) and all(valid_run(r) for r in data["runs"])):
            problem = "not-history"
    if problem is None:
        return History(runs=data["runs"])
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.{problem}.{stamp}{path.suffix}")
    try:
        os.replace(path, aside)
    except OSError:
        return History(problem=problem)
    return History(problem=problem, moved_to=aside.name)


def _seen(runs: list[dict[str, Any]], store: str, notebook: str, stamp: str) -> int | None:
    """Position of the latest run that recorded these reports (store, notebook, written at)."""
    for i in range(len(runs) - 1, -1, -1):
        if runs[i]["written"].get(store, {}).get(notebook) == stamp:
            return i
    return None


def record(history: History, current: Current, now: dt.datetime | None = None,
           keep: int = KEEP_RUNS) -> bool:
    """Append this run to ``history`` (and keep the last ``keep`` runs): the figures of the
    store × notebook reports in ``current`` not recorded yet. Nothing new: nothing appended,
    False.

    ``current``: store → notebook → (its reports' ``generated_at``, figure → value), only for
    notebooks whose reports all succeeded.

    >>> h = History()
    >>> record(h, {"s": {"store_overview": ("2025-03-03T08:59:00", {"gmv": 10.0, "aov": None})}},
    ...        now=dt.datetime(2025, 3, 3, 9))
    True
    >>> h.runs[0]["stores"], record(h, {"s": {"store_overview": ("2025-03-03T08:59:00", {})}})
    ({'s': {'gmv': 10.0}}, False)
    """
    stores: dict[str, dict[str, float]] = {}
    written: dict[str, dict[str, str]] = {}
    for store, notebooks in current.items():
        for notebook, (stamp, figures) in notebooks.items():
            if _seen(history.runs, store, notebook, stamp) is not None:
                continue
            written.setdefault(store, {})[notebook] = stamp
            numbers = {k: float(v) for k, v in figures.items() if v is not None and _is_number(v)}
            if numbers:
                stores.setdefault(store, {}).update(numbers)
    if not written:
        return False
    run_at = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    history.runs.append({"run_at": run_at, "stores": stores, "written": written})
    dropped = history.runs[:-keep]
    del history.runs[:-keep]
    # reports still shown whose run falls out stay known (in the oldest run kept, without their
    # figures), or the next index would take them for new ones and record them again
    for store, notebooks in current.items():
        for notebook, (stamp, _) in notebooks.items():
            if _seen(dropped, store, notebook, stamp) is not None and _seen(
                    history.runs, store, notebook, stamp) is None:
                history.runs[0]["written"].setdefault(store, {}).setdefault(notebook, stamp)
    return True


def previous(history: History, store: str, figure: str, notebook: str, stamp: str) -> Previous | None:
    """The figure's value in the latest run before the one that recorded the shown reports
    (``stamp``: when the store's ``notebook`` reports were written) that has it; None if none.

    >>> h = History([{"run_at": "2025-03-01T09:00:00", "stores": {"s": {"gmv": 8.0}},
    ...               "written": {"s": {"o": "2025-03-01T08:00:00"}}},
    ...              {"run_at": "2025-03-02T09:00:00", "stores": {}, "written": {}},
    ...              {"run_at": "2025-03-03T09:00:00", "stores": {"s": {"gmv": 10.0}},
    ...               "written": {"s": {"o": "2025-03-03T08:00:00"}}}])
    >>> previous(h, "s", "gmv", "o", "2025-03-03T08:00:00")
    Previous(value=8.0, run_at='2025-03-01T09:00:00')
    >>> previous(h, "s", "gmv", "o", "2025-03-01T08:00:00") is None
    True
    """
    runs = history.runs
    shown = _seen(runs, store, notebook, stamp)
    for run in reversed(runs[:shown] if shown is not None else runs):
        value = run["stores"].get(store, {}).get(figure)
        if value is not None:
            return Previous(float(value), run["run_at"])
    return None


def save(reports: Path, history: History) -> Path:
    """Write the history whole: a temporary file of this process, renamed over the old one."""
    path = Path(reports) / HISTORY_FILE
    text = json.dumps({"schema": SCHEMA, "runs": history.runs}, ensure_ascii=False, indent=1,
                      allow_nan=False)
    write_atomic(path, text)
    return path


# ---- what the index shows --------------------------------------------------------------------


def readings(stores: list[dict[str, Any]], values: Mapping[str, Mapping[str, float | None]],
             notebook_of: Mapping[str, str | None]) -> Readings:
    """What this run may record (the ``current`` of :func:`record`): for each store's notebook
    whose reports all succeeded (``stamps``, from :func:`wxshop.report.index.collect`), when they
    were written and the figures (``values``: store → figure → value) that notebook gives."""
    out: Readings = {}
    for s in stores:
        for notebook, stamp in s["stamps"].items():
            figures = {k: v for k, v in values[s["name"]].items() if notebook_of.get(k) == notebook}
            if figures:
                out.setdefault(s["name"], {})[notebook] = (stamp, figures)
    return out


def run_time(run_at: str) -> str:
    """A run's time as the page shows it: ``2025-03-03 09:12``."""
    return run_at[:16].replace("T", " ")


def format_change(delta: float, kind: str, tr: Translator) -> str:
    """▲/▼ and the change in the figure's unit: percentage points for shares, ¥ for amounts,
    a count otherwise; ``= 0`` forms when it rounds to nothing (the same as before).

    >>> tr = Translator("en")
    >>> format_change(0.031, "share", tr), format_change(-1234.5, "cny", tr), format_change(3, "int", tr)
    ('▲ +3.1 pp', '▼ -¥1,234.50', '▲ +3')
    >>> format_change(0.0001, "share", tr), format_change(-0.5, "count", tr)
    ('= 0.0 pp', '▼ -0.5')
    """
    if kind == "share":
        size = round(100 * delta, 1)
        text = tr("index.diff_pp", diff=f"{abs(size):.1f}")
    elif kind == "cny":
        size = round(delta, 2)
        text = format_value(abs(size), "cny", tr.lang)
    else:  # customers, orders, tests: whole counts (a count of tests never ends in .5 here)
        size = round(float(delta), 1)
        text = f"{abs(size):,.0f}" if size.is_integer() else f"{abs(size):,.1f}"
    if size == 0:
        return "= " + text
    return ("▲ +" if size > 0 else "▼ -") + text


def change(history: History, store: dict[str, Any], figure: str, notebook: str | None, kind: str,
           value: float | None, tr: Translator) -> dict[str, str] | None:
    """The change the index shows under one store's figure (``text``, and ``title``: which run it
    is compared with and its value); None without a value now or in a previous run, or when a
    report of the figure's notebook did not succeed this time."""
    stamp = store["stamps"].get(notebook) if notebook else None
    if value is None or stamp is None:
        return None
    before = previous(history, store["name"], figure, notebook or "", stamp)
    if before is None:
        return None
    was = format_value(before.value, "int" if kind == "count" else kind, tr.lang)
    return {"text": format_change(value - before.value, kind, tr),
            "title": tr("index.change_title", when=run_time(before.run_at), value=was)}
