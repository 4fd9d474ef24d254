"""How the A/B report writes its figures: metric levels and differences by metric (conversion in
% and percentage points, money in CNY, orders as plain numbers), relative changes, intervals,
p-values, shares, counts and translated metric names."""

from __future__ import annotations

import math
from typing import Any

from wxshop.ab.checks import is_finite
from wxshop.ab.stats.metrics import AOV, CONVERSION, PROFIT_PER_USER, REVENUE_PER_USER, SPEND_PER_BUYER
from wxshop.report.i18n import Translator

__all__ = [
    "Tr",
    "fmt_count",
    "fmt_diff",
    "fmt_interval",
    "fmt_metric",
    "fmt_p",
    "fmt_p_sentence",
    "fmt_rel",
    "fmt_share",
    "metric_name",
    "yes_no",
]

Tr = Translator  # tr(key, **values) -> text, with .lang

_MONEY = (REVENUE_PER_USER, AOV, SPEND_PER_BUYER, PROFIT_PER_USER)


def _fmt(value: Any, metric: str, lang: str, signed: bool) -> str:
    if not is_finite(value):
        return "—"
    v = float(value)
    sign = ("+" if v >= 0 else "−") if signed else ("−" if v < 0 else "")
    a = abs(v)
    if metric == CONVERSION:  # a level in %, a difference in percentage points
        return f"{sign}{100 * a:.1f}" + ((" 个百分点" if lang == "zh" else " pp") if signed else "%")
    if metric in _MONEY:
        return f"{sign}¥{a:,.2f}"
    return f"{sign}{a:,.3f}"


def fmt_metric(value: Any, metric: str) -> str:
    """A metric's level: conversion as %, money as ¥, orders per user with 3 decimals.

    Examples
    --------
    >>> fmt_metric(0.1234, "conversion"), fmt_metric(42.5, "aov"), fmt_metric(0.75, "orders_per_user")
    ('12.3%', '¥42.50', '0.750')
    """
    return _fmt(value, metric, "zh", signed=False)


def fmt_diff(value: Any, metric: str, lang: str = "zh") -> str:
    """A signed difference: conversion in percentage points, money in ¥, orders plain.

    Examples
    --------
    >>> fmt_diff(0.03, "conversion", "en"), fmt_diff(-1.5, "aov")
    ('+3.0 pp', '−¥1.50')
    """
    return _fmt(value, metric, lang, signed=True)


def fmt_rel(value: Any) -> str:
    """A signed relative change (share → %), '—' when undefined.

    Examples
    --------
    >>> fmt_rel(0.3), fmt_rel(-0.052), fmt_rel(None)
    ('+30.0%', '−5.2%', '—')
    """
    if not is_finite(value):
        return "—"
    v = float(value)
    return f"{'+' if v >= 0 else '−'}{abs(100 * v):.1f}%"


def fmt_interval(low: Any, high: Any, metric: str | None, lang: str = "zh") -> str:
    """``[low, high]`` of a difference (metric given) or of a relative change (metric None).

    Examples
    --------
    >>> fmt_interval(0.002, 0.058, "conversion", "en"), fmt_interval(-0.019, 0.619, None)
    ('[+0.2 pp, +5.8 pp]', '[−1.9%, +61.9%]')
    """
    if not (is_finite(low) and is_finite(high)):
        return "—"
    if metric is None:
        return f"[{fmt_rel(low)}, {fmt_rel(high)}]"
    return f"[{fmt_diff(low, metric, lang)}, {fmt_diff(high, metric, lang)}]"


def fmt_p(value: Any) -> str:
    """A p-value with 4 decimals, ``< 0.0001`` below that, ``—`` when unknown."""
    if not is_finite(value):
        return "—"
    v = float(value)
    return "< 0.0001" if v < 1e-4 else f"{v:.4f}"


def fmt_p_sentence(value: Any) -> str:
    """A p-value after '=' or '<' in a sentence: '= 0.0206', '< 0.0001'."""
    text = fmt_p(value)
    return text if text.startswith(("<", "—")) else f"= {text}"


def fmt_share(value: Any) -> str:
    """A share 0–1 as a percentage with one decimal, ``—`` when unknown."""
    return f"{100 * float(value):.1f}%" if is_finite(value) else "—"


def fmt_count(value: Any) -> str:
    """A count rounded up, with thousands separators, ``—`` when unknown."""
    return f"{math.ceil(float(value)):,}" if is_finite(value) else "—"


def yes_no(flag: Any, tr: Tr) -> str:
    """The translated yes or no."""
    return tr("yes") if bool(flag) else tr("no")


def metric_name(metric: str, tr: Tr) -> str:
    """The translated name of a metric code."""
    return tr(f"metric.{metric}")
