"""Which way a key figure went: the change against the previous period (环比) and the same dates
last year (同比) as a card says it, and a sparkline of the figure over the last windows.

Both read :mod:`wxshop.analysis.periods` output: ``compare`` (one row per figure: change_kind
``relative`` or ``pp``, change_prev, change_yoy) and ``series`` (one row per window, a column per
figure). The sparkline is inline SVG (no script, nothing fetched), drawn in the text colour so it
follows dark mode, with the values in its accessible name.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from typing import Any

from wxshop.report.i18n import Translator

SPARK_WIDTH, SPARK_HEIGHT = 96, 22  # CSS px


def change_text(kind: str, change: float | None, tr: Translator) -> str:
    """A change as a card shows it: ▲ / ▼ / ＝ and the size, in % (relative) or percentage
    points (``pp``); "" when unknown.

    >>> zh, en = Translator("zh"), Translator("en")
    >>> change_text("relative", 0.1234, en), change_text("pp", -0.021, zh), change_text("pp", None, en)
    ('▲ 12.3%', '▼ 2.1 个百分点', '')
    """
    if change is None or not math.isfinite(float(change)):
        return ""
    value = float(change)
    arrow = "▲" if value > 0 else "▼" if value < 0 else "＝"
    size = abs(value) * 100
    return f"{arrow} {size:.1f}%" if kind == "relative" else f"{arrow} {tr('card.pp', value=f'{size:.1f}')}"


def changes_line(row: dict[str, Any] | None, days: int, tr: Translator) -> str:
    """``row`` (one figure of ``periods.compare``) as one line: "环比 ▲ 12.3% · 同比 ▼ 2.0%"; parts
    without a figure are left out; "" when neither is known.

    >>> row = {"change_kind": "relative", "change_prev": 0.5, "change_yoy": float("nan")}
    >>> changes_line(row, 30, Translator("en"))
    'vs prior 30 d ▲ 50.0%'
    """
    if not row:
        return ""
    parts = []
    for column, key in (("change_prev", "card.prev"), ("change_yoy", "card.yoy")):
        text = change_text(str(row.get("change_kind", "relative")), row.get(column), tr)
        if text:
            parts.append(f"{tr(key, days=days)} {text}")
    return " · ".join(parts)


def sparkline(values: Sequence[float | None], label: str) -> str:
    """An inline SVG line of ``values`` (oldest first; None / NaN leave a gap), the last point
    marked, named ``label`` for screen readers; "" with fewer than two known values.

    >>> svg = sparkline([1, 2, float("nan"), 4], "GMV: 1, 2, —, 4")
    >>> svg.count("<polyline"), 'aria-label="GMV: 1, 2, —, 4"' in svg, "<circle" in svg
    (1, True, True)
    """
    known = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    n = len(values)
    pad = 2.5

    def point(i: int, v: float) -> tuple[float, float]:
        x = pad + (SPARK_WIDTH - 2 * pad) * i / max(n - 1, 1)
        y = SPARK_HEIGHT - pad - (SPARK_HEIGHT - 2 * pad) * (v - low) / span
        return round(x, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None or not math.isfinite(float(v)):
            runs.append([])
        else:
            runs[-1].append(point(i, float(v)))
    lines = "".join(
        f'<polyline points="{" ".join(f"{x},{y}" for x, y in run)}" />' for run in runs if len(run) > 1
    )
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="1.6" />' for run in runs if len(run) == 1 for x, y in run)
    last = values[-1]
    end = ""
    if last is not None and math.isfinite(float(last)):
        x, y = point(n - 1, float(last))
        end = f'<circle cx="{x}" cy="{y}" r="2.4" />'
    return (f'<svg class="wx-spark" role="img" aria-label="{html.escape(label)}" width="{SPARK_WIDTH}" '
            f'height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
            f'<g fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round">{lines}</g>'
            f'<g fill="currentColor">{dots}{end}</g></svg>')


def card_extras(changes: Any, series: Any, days: int, tr: Translator,
                say: Callable[[str, float], str] | None = None) -> dict[str, tuple[str, str]]:
    """For each figure in ``changes`` (``periods.compare`` output) and/or ``series``
    (``periods.series`` output): its change line (:func:`changes_line`) and its sparkline
    (:func:`sparkline`, named with the figure and its values, each written by ``say(name, value)``;
    default 3 significant digits).

    >>> import pandas as pd
    >>> series = pd.DataFrame({"start": ["a", "b"], "end": ["a", "b"], "gmv": [100.0, 150.0]})
    >>> line, svg = card_extras(None, series, 30, Translator("en"))["gmv"]
    >>> line, "last 2 windows of 30 days: 100, 150" in svg
    ('', True)
    """
    out: dict[str, tuple[str, str]] = {}
    rows = {} if changes is None else {str(r["kpi"]): r for r in changes.to_dict("records")}
    figures = [c for c in (series.columns if series is not None else []) if c not in ("start", "end")]
    for name in dict.fromkeys([*rows, *figures]):
        line = changes_line(rows.get(name), days, tr)
        svg = ""
        if name in figures:
            values = [float(v) for v in series[name].tolist()]
            said = ", ".join("—" if not math.isfinite(v) else say(name, v) if say else f"{v:.3g}"
                             for v in values)
            svg = sparkline(values, tr("card.trend", name=tr(f"kpi.{name}"), n=len(values), days=days,
                                       values=said))
        out[name] = (line, svg)
    return out
