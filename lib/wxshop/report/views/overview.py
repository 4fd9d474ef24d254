"""What the ``00_store_overview`` report shows: its KPI list and tables, as display text.

Each ``*_view`` takes a frame from :mod:`wxshop.analysis.overview` and returns the columns the
report shows, formatted (money in CNY, shares as %), under canonical column names; show it with
``report.table(view, LABELS)``. The JSON records the unformatted frames.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from wxshop.report.document import format_value
from wxshop.report.i18n import Translator
from wxshop.report.views.display import formatted

__all__ = [
    "KPIS", "LABELS", "categories_view", "change_text", "channels_view", "period_notes", "period_view",
    "trend_view",
]

# The headline table: (figure of StoreKpis.to_dict(), format kind), in the order shown.
KPIS: list[tuple[str, str]] = [
    ("customers", "int"), ("orders", "int"), ("gmv_gross", "cny"), ("gmv", "cny"),
    ("spend_per_buyer", "cny"), ("aov", "cny"), ("frequency", "float"),
    ("repurchase_rate", "share"), ("refund_rate", "share"), ("refund_rate_amount", "share"),
]

# Column → i18n key of its header, for every view below.
LABELS: dict[str, str] = {
    "month": "col.month", "orders": "col.orders", "customers": "col.customers",
    "new_customers": "col.new_customers", "gmv": "col.gmv", "aov": "col.aov",
    "channel": "col.channel", "gmv_share": "col.gmv_share",
    "category": "col.category", "units": "col.units", "item_sales": "col.item_sales",
    "sales_share": "col.sales_share",
    "metric": "col.metric", "current": "col.period_current", "previous": "col.period_previous",
    "change_prev": "col.change_prev", "last_year": "col.period_last_year", "change_yoy": "col.change_yoy",
}


def trend_view(trend: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The monthly trend table: month, orders, customers, new_customers, gmv and aov (CNY).

    ``trend`` is :func:`wxshop.analysis.overview.monthly_trend`'s frame.

    Examples
    --------
    >>> trend = pd.DataFrame({"month": ["2026-01"], "orders": [4], "customers": [3],
    ...                       "new_customers": [2], "gmv": [600.0], "aov": [150.0]})
    >>> print(trend_view(trend, Translator("en")).to_string())
         month  orders  customers  new_customers      gmv      aov
    0  2026-01       4          3              2  ¥600.00  ¥150.00
    """
    return formatted(trend, {"gmv": "cny", "aov": "cny"}, tr.lang)


def channels_view(channels: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The channel table: channel, orders, gmv (CNY), gmv_share (%).

    ``channels`` is :func:`wxshop.analysis.overview.channel_mix`'s frame.

    Examples
    --------
    >>> channels = pd.DataFrame({"channel": ["小程序", "社群"], "orders": [3, 1],
    ...                          "gmv": [450.0, 150.0], "gmv_share": [0.75, 0.25]})
    >>> print(channels_view(channels, Translator("zh")).to_string())
      channel  orders      gmv gmv_share
    0     小程序       3  ¥450.00     75.0%
    1      社群       1  ¥150.00     25.0%
    """
    return formatted(channels, {"gmv": "cny", "gmv_share": "share"}, tr.lang)


def categories_view(categories: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The category table: category, units, item_sales (CNY), sales_share (%).

    ``categories`` is :func:`wxshop.analysis.overview.category_mix`'s frame.

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "units": [5], "item_sales": [99.5],
    ...                      "sales_share": [1.0]})
    >>> print(categories_view(cats, Translator("en")).to_string())
      category units item_sales sales_share
    0        茶     5     ¥99.50      100.0%
    """
    return formatted(categories, {"units": "int", "item_sales": "cny", "sales_share": "share"}, tr.lang)


def change_text(value: Any, change_kind: str, tr: Translator) -> str:
    """A change with its arrow and sign: ``"relative"`` as % of the earlier figure, ``"pp"``
    (a difference of two shares 0-1) in percentage points; ``—`` when there is none.

    Examples
    --------
    >>> en = Translator("en")
    >>> change_text(0.1234, "relative", en), change_text(-0.021, "pp", en), change_text(0.0001, "pp", en)
    ('↑ +12.3%', '↓ -2.1 pp', '→ 0.0 pp')
    >>> change_text(float("nan"), "relative", en), change_text(-0.5, "pp", Translator("zh"))
    ('—', '↓ -50.0 个百分点')
    """
    if value is None or not math.isfinite(float(value)):
        return "—"
    shown = round(100 * float(value), 1)
    number = f"↑ {shown:+.1f}" if shown > 0 else f"↓ {shown:+.1f}" if shown < 0 else "→ 0.0"
    return tr("change.pp", value=number) if change_kind == "pp" else f"{number}%"


def period_view(periods: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The period-over-period table: metric, current, previous, change_prev (环比), last_year,
    change_yoy (同比), each figure in its headline format and each change by :func:`change_text`.
    A comparison the data does not reach back to is left out (:func:`period_notes` says why).

    ``periods`` is :func:`wxshop.analysis.periods.compare`'s frame.

    Examples
    --------
    >>> periods = pd.DataFrame({"kpi": ["gmv", "repurchase_rate"], "change_kind": ["relative", "pp"],
    ...                         "current": [1200.0, 0.25], "previous": [1000.0, 0.3],
    ...                         "change_prev": [0.2, -0.05], "last_year": [float("nan")] * 2,
    ...                         "change_yoy": [float("nan")] * 2, "previous_reason": ["", ""],
    ...                         "last_year_reason": ["before_data"] * 2})
    >>> print(period_view(periods, Translator("en")).to_string())
                        metric    current   previous change_prev
    0  Net GMV (after refunds)  ¥1,200.00  ¥1,000.00    ↑ +20.0%
    1          Repurchase rate      25.0%      30.0%   ↓ -5.0 pp
    """
    kinds = dict(KPIS)
    rows = []
    for row in periods.to_dict("records"):
        kind = kinds.get(row["kpi"], "float")
        rows.append({
            "metric": tr(f"kpi.{row['kpi']}"),
            "current": format_value(row["current"], kind, tr.lang),
            "previous": format_value(row["previous"], kind, tr.lang),
            "change_prev": change_text(row["change_prev"], row["change_kind"], tr),
            "last_year": format_value(row["last_year"], kind, tr.lang),
            "change_yoy": change_text(row["change_yoy"], row["change_kind"], tr),
        })
    out = pd.DataFrame(rows, columns=["metric", "current", "previous", "change_prev", "last_year",
                                      "change_yoy"])
    for window, change in (("previous", "change_prev"), ("last_year", "change_yoy")):
        if len(periods) and periods[f"{window}_reason"].astype(bool).all():
            out = out.drop(columns=[window, change])
    return out


def period_cards(periods: pd.DataFrame, tr: Any) -> tuple[dict[str, float], str]:
    """What the cards show from ``periods`` (:func:`wxshop.analysis.periods.compare` output): each
    figure's value over the current window, and the window's days in words.

    >>> from wxshop.report.i18n import Translator
    >>> table = pd.DataFrame({"kpi": ["gmv"], "current": [120.0], "current_start": ["2025-03-08"],
    ...                       "current_end": ["2025-03-14"]})
    >>> period_cards(table, Translator("en"))
    ({'gmv': 120.0}, 'last 7 days, 2025-03-08 to 2025-03-14')
    """
    first = periods.iloc[0]
    days = (pd.Timestamp(first["current_end"]) - pd.Timestamp(first["current_start"])).days + 1
    window = tr("window.last_days", days=days, start=first["current_start"], end=first["current_end"])
    return periods.set_index("kpi")["current"].to_dict(), window


def period_notes(periods: pd.DataFrame) -> list[tuple[str, dict[str, Any]]]:
    """(i18n key, values) of the sentences above the period table: the three windows' dates,
    why a comparison is missing, a year-ago window one day longer or shorter (29 Feb), and how
    the changes read. Show each with ``report.text(key, **values)``.

    Examples
    --------
    >>> periods = pd.DataFrame({"current_start": ["2026-10-02"], "current_end": ["2026-10-31"],
    ...     "previous_start": ["2026-09-02"], "previous_end": ["2026-10-01"],
    ...     "last_year_start": ["2025-10-02"], "last_year_end": ["2025-10-31"], "last_year_days": [30],
    ...     "previous_reason": [""], "last_year_reason": ["before_data"], "data_start": ["2025-11-03"]})
    >>> [key for key, _ in period_notes(periods)]
    ['overview.periods_windows', 'overview.periods_no_last_year', 'overview.periods_how']
    """
    if not len(periods):
        return []
    w = periods.iloc[0]
    dates = {c: w[c] for c in ("previous_start", "previous_end", "last_year_start", "last_year_end")}
    days = (pd.Timestamp(w["current_end"]) - pd.Timestamp(w["current_start"])).days + 1
    notes = [("overview.periods_windows",
              {"start": w["current_start"], "end": w["current_end"], "days": days, **dates})]
    if w["previous_reason"]:
        notes.append(("overview.periods_no_previous",
                      {"data_start": w["data_start"] or "—", "previous_start": w["previous_start"]}))
    if w["last_year_reason"]:
        notes.append(("overview.periods_no_last_year",
                      {"data_start": w["data_start"] or "—", "last_year_start": w["last_year_start"]}))
    elif int(w["last_year_days"]) != days:
        notes.append(("overview.periods_leap", {"n": int(w["last_year_days"])}))
    notes.append(("overview.periods_how", {}))
    return notes
