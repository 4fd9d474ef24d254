"""``reports/index.html``: every store × notebook with status, headline figures and links."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from . import __version__
from .i18n import STRINGS, Translator
from .report import format_value

# Headline figures from the store overview shown on the index: (key, i18n key, kind).
INDEX_HEADLINES = (
    ("customers", "kpi.customers", "int"),
    ("orders", "kpi.orders", "int"),
    ("gmv", "kpi.gmv", "cny"),
    ("aov", "kpi.aov", "cny"),
    ("repurchase_rate", "kpi.repurchase_rate", "share"),
    ("refund_rate", "kpi.refund_rate", "share"),
)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def collect(reports: Path) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]]]:
    """Stores (name, cells: notebook → its reports' statuses, headline), notebooks seen, and
    failures, from the status files."""
    stores, notebooks, failures = [], [], []
    for folder in sorted(p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")):
        cells: dict[str, dict[str, Any]] = {}
        headline: dict[str, Any] = {}
        for status_file in sorted(folder.glob("*.status.json")):
            status = _read_json(status_file)
            if not status:
                continue
            nb = status["notebook"]
            if nb not in notebooks:
                notebooks.append(nb)
            html = status.get("html")
            if html and (folder / html).is_file():
                status["href"] = f"{folder.name}/{html}"
            else:
                status["html"] = None
            cells.setdefault(nb, []).append(status)
            if status["status"] != "ok":
                failures.append(status)
            elif nb == "store_overview":
                data = _read_json(folder / "store_overview.json") or {}
                headline = data.get("headline", {})
        if cells:
            stores.append({"name": folder.name, "cells": cells, "headline_raw": headline})
    return stores, notebooks, failures


def build_index(reports: Path, lang: str = "zh", order: list[str] | None = None) -> Path:
    """Write ``reports/index.html`` from what is in ``reports/``; returns its path."""
    tr = Translator(lang)
    reports.mkdir(parents=True, exist_ok=True)
    stores, notebooks, failures = collect(reports)
    if order:
        notebooks.sort(key=lambda n: order.index(n) if n in order else len(order))
    for store in stores:
        raw = store.pop("headline_raw")
        store["headline"] = {
            key: format_value(raw[key], kind, lang) for key, _, kind in INDEX_HEADLINES if key in raw
        }
    env = Environment(
        loader=PackageLoader("wxshop", "templates"), autoescape=select_autoescape(["j2", "html"])
    )

    def nb_title(nb: str) -> str:
        key = f"notebook.{nb}"
        return tr(key) if key in STRINGS else nb

    html = env.get_template("index.html.j2").render(
        lang=tr.lang,
        tr=tr,
        nb_title=nb_title,
        version=__version__,
        generated_at=dt.datetime.now().replace(microsecond=0).isoformat(sep=" "),
        stores=stores,
        notebooks=notebooks,
        failures=failures,
        n_ok=sum(c["status"] == "ok" for s in stores for cs in s["cells"].values() for c in cs),
        headline_columns=[(k, tr(label)) for k, label, _ in INDEX_HEADLINES],
    )
    out = reports / "index.html"
    out.write_text(html, encoding="utf-8")
    return out
