"""What a notebook shows and records: headings, tables, the data-quality line, JSON.

A notebook creates one :class:`Report`, displays through it (every reader-facing
string is translated, every data value HTML-escaped) and ends with ``report.save()``,
which writes ``<report_dir>/<notebook>.json``.

JSON keys (``schema`` 1), read by the index page and downstream tools:

- ``store``, ``notebook``, ``lang``, ``generated_at`` (ISO, local time), ``wxshop_version``
- ``period``: ``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}``
- ``headline``: ``{name: number}``, the report's key figures (units in the notebook's docs)
- ``tables``: ``{name: [row, ...]}``, key tables as lists of records
- ``data_quality``: ``{"rows_read", "rows_used", "rows_rejected", "rows_merged",
  "personal_columns_dropped", "tables": [{table, file, source, rows_read, rows_used,
  rows_rejected, rows_merged}], "rejected_reasons": {reason: n}}``
- ``skipped``: ``[{"section", "table"}]``, sections not produced for lack of a table
- ``parameters``: the parameters the report ran with (data paths and column mappings included)
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from wxshop import __version__, paths
from wxshop.jsonable import to_jsonable
from wxshop.report import tables
from wxshop.report.i18n import Translator
from wxshop.report.i18n import reason as reason_text
from wxshop.report.thresholds import THRESHOLDS

JSON_SCHEMA = 1


def _display(obj: Any) -> None:
    from IPython.display import display

    display(obj)


def _html(markup: str) -> None:
    from IPython.display import HTML

    _display(HTML(markup))


def format_value(value: Any, kind: str, lang: str = "zh") -> str:
    """Text for a figure: kind is 'int', 'cny', 'share', 'share2' (a small share, two decimals: a
    daily rate), 'float' or 'text'.

    >>> format_value(0.00834, "share2"), format_value(0.00834, "share")
    ('0.83%', '0.8%')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "int":
        return f"{int(value):,}"
    if kind == "cny":
        return f"¥{value:,.2f}"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind == "share2":
        return f"{100 * value:.2f}%"
    if kind == "float":
        return f"{value:,.2f}"
    return str(value)


def _param_text(value: Any, limit: int = 120) -> str:
    """A parameter as the header shows it: compact JSON, or its size when longer than ``limit``
    characters (long rule tables hold codes; the JSON keeps them whole)."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False)
    if len(text) <= limit:
        return text
    if not isinstance(value, list | tuple | dict):
        return text[: limit - 1] + "…"
    return f"[{len(value)} …]" if isinstance(value, list | tuple) else f"{{{len(value)} …}}"


def table_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records."""
    return to_jsonable(df.astype(object).where(df.notna(), None).to_dict(orient="records"))


_QUALITY_SHOWN = ("table", "file", "source", "rows_read", "rows_used", "rows_rejected", "rows_merged")


class Report:
    """One report being built by a notebook.

    Parameters
    ----------
    store, notebook : ids used in file names (``reports/<store>/<notebook>.json``)
    lang : "zh" or "en"
    report_dir : folder for the JSON and rejected rows; default ``reports/<store>``
    parameters : the notebook's parameters, recorded in the JSON and shown in the header
    """

    def __init__(
        self,
        store: str,
        notebook: str,
        lang: str = "zh",
        report_dir: str | Path = "",
        parameters: dict[str, Any] | None = None,
    ) -> None:
        self.store = store
        self.notebook = notebook
        self.tr = Translator(lang)
        self.lang = self.tr.lang
        self.dir = paths.resolve(report_dir) if report_dir else paths.store_report_dir(store)
        self.parameters = dict(parameters or {})
        self.generated_at = dt.datetime.now().replace(microsecond=0)
        self.period: dict[str, str] = {"start": "", "end": ""}
        self.headline: dict[str, Any] = {}
        self.tables: dict[str, list[dict[str, Any]]] = {}
        self.skipped: list[dict[str, str]] = []
        self.warnings: list[dict[str, str]] = []
        self.data_quality: dict[str, Any] = {}
        self.findings: list[str] = []
        self._sections = 0
        self._title = ""
        self._card: list[tuple[str, str, str, bool | None, str]] = []  # the share card's tiles
        self._card_meta = ""  # its store · days line

    # ---- paths -----------------------------------------------------------------
    @property
    def json_path(self) -> Path:
        return self.dir / f"{self.notebook}.json"

    @property
    def rejected_path(self) -> Path:
        return self.dir / "rejected_rows.csv"

    # ---- display ---------------------------------------------------------------
    @property
    def card_path(self) -> Path:
        """The share card (:mod:`wxshop.report.sharecard`) :meth:`save` writes when the report
        has key-figure cards."""
        return self.dir / f"{self.notebook}.card.png"

    def title(self, key: str, **values: Any) -> None:
        self._title = self.tr(key, **values)
        _html(f"<h1>{html.escape(self._title)}</h1>")

    def section(self, key: str, **values: Any) -> None:
        self._sections += 1  # ids let the reader's table of contents link to each section
        _html(f'<h2 id="wx-s{self._sections}">{html.escape(self.tr(key, **values))}</h2>')

    def text(self, key: str, **values: Any) -> None:
        _html(f"<p>{html.escape(self.tr(key, **values))}</p>")

    def say(self, text: str) -> None:
        """A paragraph of text already in the report's language (escaped)."""
        _html(f"<p>{html.escape(text)}</p>")

    def banner(self, key: str, **values: Any) -> None:
        """A red warning box that cannot be missed (e.g. results not to be trusted)."""
        self.warnings.append({"key": key, "text": self.tr(key, **values)})
        _html('<div class="wx-banner" role="alert" style="border:2px solid #d93026;background:#fdecea;'
              'color:#a50e0e;padding:.8em 1em;margin:1em 0;font-weight:bold">'
              f"{html.escape(self.tr(key, **values))}</div>")

    def header(self, start: str = "", end: str = "", data_until: str = "") -> None:
        """Store, period, data freshness, generation time, version and the parameters used."""
        self.period = {"start": start, "end": end}
        rows = [
            (self.tr("report.store"), self.store),
            (self.tr("report.period"), f"{start} – {end}" if start or end else "—"),
            (self.tr("report.data_until"), data_until or end or "—"),
            (self.tr("report.generated_at"), self.generated_at.isoformat(sep=" ")),
            (self.tr("report.version"), __version__),
        ]
        body = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
        )
        shown = {k: v for k, v in self.parameters.items() if v not in ("", None, {}, [])}
        params = "; ".join(f"{k} = {_param_text(v)}" for k, v in shown.items())
        body += (f"<tr><th>{html.escape(self.tr('report.parameters'))}</th>"
                 f'<td><details><summary>{len(shown)}</summary><code>{html.escape(params)}</code>'
                 "</details></td></tr>")
        _html(f'<table class="wx-header">{body}</table>')

    def key_findings(self, lines: list[str]) -> None:
        """The 3–5 findings with numbers and actions; the reader's view shows them first."""
        self.findings = [str(line) for line in lines]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.findings)
        _html(f'<div class="wx-findings"><h2>{html.escape(self.tr("report.findings"))}</h2>'
              f"<ol>{items}</ol></div>")

    def table(
        self,
        df: pd.DataFrame,
        columns: dict[str, str] | None = None,
        formats: dict[str, str] | None = None,
    ) -> None:
        """Show ``df`` with headers translated ({column: i18n key}); values escaped.

        ``formats`` maps a column to a :func:`format_value` kind ('cny', 'share', …). The table
        sits in its own sideways-scrolling box with its first column pinned, and the table as
        shown is written to ``<report_dir>/<notebook>.tables/<nn>-<columns>.csv``, linked under
        it (:mod:`wxshop.report.tables`).
        """
        shown = df.copy()
        for col, kind in (formats or {}).items():
            shown[col] = [format_value(v, kind, self.lang) for v in shown[col].tolist()]
        shown = self.tr.columns(shown, columns) if columns else shown
        markup = shown.to_html(index=False, escape=True, na_rep="—", border=0, classes=tables.TABLE_CLASSES)
        folder = tables.csv_folder(self.dir, self.notebook)
        if not hasattr(self, "_csv_names"):  # this report's first table: an earlier run's CSVs go
            self._csv_names: list[str] = []
            tables.clear_csvs(folder)
        name = tables.csv_name(len(self._csv_names) + 1, df.columns)
        headers = [str(c) for c in shown.columns]
        tables.write_csv(folder / name, headers, tables.shown_cells(markup))
        self._csv_names.append(name)
        _html(tables.table_box(markup, f"{folder.name}/{name}", headers, self.tr))

    def cards(self, values: dict[str, Any], spec: list[tuple[str, ...]],
              notes: Mapping[str, tuple[str, bool | None]] | None = None,
              trends: Mapping[str, tuple[str, str]] | None = None, window: str = "") -> None:
        """The answer at a glance, the first thing a reader sees on a phone (the reader's view moves
        it under the title): store and period, then one card per figure of ``spec`` (name, kind):
        its name, the value in large type and, where the playbook draws a line for it
        (:data:`wxshop.report.thresholds.THRESHOLDS`), ✓ or ✗ against that line.

        ``notes`` gives a figure the playbook draws no line for a line of its own, already in the
        report's language: ``{name: (text, True ✓ / False ✗ / None no mark)}`` (e.g. an A/B
        test's interval, or its check against the test's own rule). ``trends`` gives a figure its
        change against earlier periods and its sparkline: ``{name: (line, svg)}``
        (:func:`wxshop.report.trends.card_extras`). ``window`` names the days the values cover
        when they are not the report's period."""
        cards, self._card = [], []
        for name, kind, *_ in spec:
            value = values.get(name)
            line = THRESHOLDS.get(name)
            mark, text, good = "", "", None
            if line is not None and value is not None and math.isfinite(float(value)):
                good = line.met(float(value))
                sign = "≥" if line.better == "higher" else "≤"
                text = self.tr("card.line", sign=sign, value=format_value(line.value, kind, self.lang))
            elif notes and notes.get(name):
                text, good = notes[name]
            if text:
                tick = "" if good is None else (f'<span class="{"good" if good else "bad"}">'
                                                f'{"✓" if good else "✗"}</span> ')
                mark = f'<div class="t">{tick}{html.escape(text)}</div>'
            label, shown = self.tr(f"kpi.{name}"), format_value(value, kind, self.lang)
            change, spark = (trends or {}).get(name, ("", ""))
            self._card.append((label, shown, text, good, change))
            moved = f'<div class="c">{html.escape(change)}</div>' if change else ""
            cards.append(f'<div class="wx-card"><div class="k">{html.escape(label)}</div>'
                         f'<div class="v">{html.escape(shown)}</div>{spark}{moved}{mark}</div>')
        link = (f' · <a class="wx-share" href="{html.escape(self.card_path.name)}">'
                f'{html.escape(self.tr("card.share"))}</a>')
        meta = " · ".join(p for p in (self.store, window) if p) if window else self._subtitle()
        self._card_meta = meta  # the share card says the same days
        _html(f'<div class="wx-cards"><p class="wx-cards-meta">{html.escape(meta)}{link}</p>'
              f'{"".join(cards)}</div>')

    def _subtitle(self) -> str:
        period = " – ".join(p for p in (self.period["start"], self.period["end"]) if p)
        return " · ".join(p for p in (self.store, period) if p)

    def kpis(self, values: dict[str, Any], spec: list[tuple[str, ...]],
             window: str | Mapping[str, str] = "", cards: int = 6, *, changes: pd.DataFrame | None = None,
             series: pd.DataFrame | None = None, days: int = 0,
             card_values: Mapping[str, Any] | None = None, card_window: str = "") -> None:
        """Show the first ``cards`` figures as :meth:`cards`, then a Metric | Value | Definition
        table of all, and record each figure as headline.

        ``spec`` lists (name, kind) or (name, kind, definition key): the name picks i18n
        keys ``kpi.<name>`` and (by default) ``def.<name>``; kind is a
        :func:`format_value` kind. ``window`` (e.g. "近 90 天：2026-08-03 至 2026-10-31"), or
        one per name, opens the definitions, so no figure is read without the days it covers.
        ``changes`` (:func:`wxshop.analysis.periods.compare` over ``days``-day windows) and
        ``series`` (:func:`wxshop.analysis.periods.series`) give the cards their 环比 / 同比 line
        and sparkline, for the figures they hold. ``card_values`` (with ``card_window`` naming
        their days) puts other values on the cards than in the table, e.g. the last ``days`` days
        of a report whose table covers all the data.
        """
        if cards:
            kinds = {name: kind for name, kind, *_ in spec}
            extras = None
            if changes is not None or series is not None:
                from wxshop.report.trends import card_extras

                extras = card_extras(changes, series, days, self.tr,
                                     say=lambda name, v: format_value(v, kinds.get(name, "float"), self.lang))
            self.cards(dict(card_values) if card_values is not None else values, spec[:cards],
                       trends=extras, window=card_window)
        rows = []
        for name, kind, *definition in spec:
            self.record(name, values[name])
            text = self.tr(definition[0] if definition else f"def.{name}")
            days = window.get(name, "") if isinstance(window, Mapping) else window
            rows.append(
                {
                    "metric": self.tr(f"kpi.{name}"),
                    "value": format_value(values[name], kind, self.lang),
                    "definition": self.tr("kpi.in_window", window=days, definition=text) if days else text,
                }
            )
        self.table(
            pd.DataFrame(rows),
            {"metric": "col.metric", "value": "col.value", "definition": "col.definition"},
        )

    def figure(self, fig: Any, alt: str = "") -> None:
        """Show a matplotlib figure as drawn for a phone (:func:`wxshop.report.chartfit.phone_png`:
        360 CSS px wide, sharp on 2× screens) with its description as ``alt`` text (``alt``, else
        what the chart function attached), then close it (so it is not drawn twice)."""
        import matplotlib.pyplot as plt
        from IPython.display import display

        from wxshop.report.chartfit import describe, png_bundle

        if alt:
            describe(fig, alt)
        data, metadata = png_bundle(fig, self.tr("alt.none"))
        display(data, raw=True, metadata=metadata)
        plt.close(fig)

    # ---- recording -------------------------------------------------------------
    def record(self, name: str, value: Any) -> None:
        """Record a headline figure for the JSON."""
        self.headline[name] = to_jsonable(value)

    def record_table(self, name: str, df: pd.DataFrame) -> None:
        """Record a key table for the JSON."""
        self.tables[name] = table_records(df)

    def skip(self, section_key: str, table: str, show: bool = True) -> None:
        """Note (and, with ``show``, say) that a section was skipped for lack of ``table``; a page
        that already lists what is missing records it without a sentence."""
        self.skipped.append({"section": section_key, "table": table})
        if show:
            self.text("report.skipped", section=self.tr(section_key), table=self.tr(f"table.{table}"))

    # ---- data quality ----------------------------------------------------------
    # the per-table columns shown and recorded; rows_merged and source only when used
    def quality(self, store: Any) -> None:
        """Show and record the data-quality line for a loaded store.

        ``rows read = rows used + rows rejected`` summed over every table read, the
        per-table counts, why rows were rejected and how many personal columns were
        dropped; recorded under ``data_quality`` in the JSON.
        """
        q = store.quality
        read, used, rejected = (int(q[c].sum()) for c in ("rows_read", "rows_used", "rows_rejected"))
        merged = int(q["rows_merged"].sum()) if "rows_merged" in q.columns else 0
        personal = int(q["personal_columns_dropped"].sum()) if len(q) else 0
        reasons = (
            store.rejected["reason"].value_counts().rename_axis("reason").rename("rows").reset_index()
            if len(store.rejected)
            else pd.DataFrame({"reason": pd.Series(dtype=str), "rows": pd.Series(dtype="int64")})
        )
        self.data_quality = {
            "rows_read": read,
            "rows_used": used,
            "rows_rejected": rejected,
            "rows_merged": merged,
            "personal_columns_dropped": personal,
            "tables": table_records(q[[c for c in _QUALITY_SHOWN if c in q.columns]]),
            "rejected_reasons": {r: int(n) for r, n in zip(reasons["reason"], reasons["rows"], strict=True)},
            "missing_tables": list(store.missing),
        }
        _html(
            '<p class="wx-quality"><b>'
            + html.escape(self.tr("report.data_quality"))
            + "</b>: "
            + html.escape(self.tr("report.quality_line_merged" if merged else "report.quality_line",
                                  read=read, used=used, rejected=rejected, merged=merged))
            + "</p>"
        )
        shown = [c for c in _QUALITY_SHOWN if c in q.columns
                 and (c not in ("rows_merged", "source") or q[c].astype(bool).any())]
        self.table(
            q[shown].assign(table=[self.tr(f"table.{name}") for name in q["table"].tolist()]),
            {c: f"col.{c}" for c in shown},
        )
        notes = getattr(store, "notes", {}) or {}
        unknown: dict[str, int] = {}
        for note in notes.values():
            for value, n in (note.get("unknown_statuses") or {}).items():
                unknown[value] = unknown.get(value, 0) + int(n)
        if unknown:  # orders set aside for a status no mapping knows: their money is not counted
            first = next(iter(unknown))
            self.banner("report.unknown_statuses", n=sum(unknown.values()), store=self.store,
                        values=", ".join(f"{k} ({v:,})" for k, v in unknown.items()), first=first)
        for warning in getattr(store, "warnings", []) or []:  # wxshop.data.guards
            if warning.get("rule") == "rejected_share":
                self.banner("report.rejected_share", table=self.tr(f"table.{warning['table']}"),
                            rejected=warning["rejected"], read=warning["read"],
                            share=warning["share"], max=warning["max"], store=self.store)
        kinds = sorted({k for n in notes.values() for k in (n.get("pseudonymised") or {}).values()})
        if kinds:
            self.text("report.pseudonymised", kinds=", ".join(kinds))
        if len(reasons):
            shown = reasons.assign(
                reason=[reason_text(r, self.lang) for r in reasons["reason"].tolist()]
            )
            self.table(shown, {"reason": "col.reason", "rows": "col.rows"})
        if personal:
            self.text("report.personal_dropped", n=personal)

    # ---- output ----------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": JSON_SCHEMA,
            "store": self.store,
            "notebook": self.notebook,
            "lang": self.lang,
            "generated_at": self.generated_at.isoformat(),
            "wxshop_version": __version__,
            "period": self.period,
            "headline": self.headline,
            "tables": self.tables,
            "data_quality": self.data_quality,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "findings": self.findings,
            "parameters": to_jsonable(self.parameters),
        }

    def save(self) -> None:
        """Write the JSON next to the report (``self.json_path``)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        # through a temporary file of this process: two batches writing the same report never share one
        paths.write_atomic(self.json_path, json.dumps(self.to_dict(), ensure_ascii=False, indent=1,
                                                      allow_nan=False))
        if self._card:  # the share card, for forwarding in a WeChat chat
            from wxshop.report.sharecard import share_card

            share_card(self.card_path, title=self._title or self.store, subtitle=self._card_meta,
                       figures=self._card, findings=self.findings, heading=self.tr("card.actions"),
                       footer=self.tr("card.footer", version=__version__,
                                      date=self.generated_at.date().isoformat()))
