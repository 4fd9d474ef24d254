"""Cards say which way a figure went (wxshop.report.trends): the 环比 / 同比 line and the
sparkline, from wxshop.analysis.periods output."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis import periods
from wxshop.report import trends
from wxshop.report.i18n import Translator

EN, ZH = Translator("en"), Translator("zh")


@pytest.mark.parametrize("kind, change, en, zh", [
    ("relative", 0.125, "▲ 12.5%", "▲ 12.5%"),
    ("relative", -0.5, "▼ 50.0%", "▼ 50.0%"),
    ("pp", 0.023, "▲ 2.3 pp", "▲ 2.3 个百分点"),
    ("pp", 0.0, "＝ 0.0 pp", "＝ 0.0 个百分点"),
    ("relative", float("nan"), "", ""),
])
def test_change_text(kind, change, en, zh):
    assert trends.change_text(kind, change, EN) == en and trends.change_text(kind, change, ZH) == zh


def _points(svg: str) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for line in re.findall(r'points="([^"]*)"', svg)
            for p in line.split()]


def test_sparkline_draws_higher_values_higher_and_left_to_right():
    svg = trends.sparkline([3.0, 1.0, 2.0, 5.0], "x")
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = _points(svg)
    assert x0 < x1 < x2 < x3
    assert y3 < y0 < y2 < y1  # SVG y grows downwards: 5 highest, 1 lowest
    assert 0 <= min(x0, x3) and max(x0, x3) <= trends.SPARK_WIDTH
    assert 0 <= min(y3, y1) and max(y3, y1) <= trends.SPARK_HEIGHT


def test_sparkline_leaves_gaps_escapes_its_name_and_needs_two_values():
    svg = trends.sparkline([np.nan, 1.0, 2.0, np.nan, 3.0, 4.0], '<img src=x onerror=alert(1)> "q"')
    assert svg.count("<polyline") == 2 and "<img" not in svg and "&lt;img" in svg and "&quot;q&quot;" in svg
    assert trends.sparkline([np.nan, 1.0], "x") == "" and trends.sparkline([], "x") == ""


def test_card_extras_from_the_period_functions():
    """The change line and the sparkline of each figure come from compare and series on the
    same orders; the sparkline names the values it draws."""
    rng = np.random.default_rng(3)
    n = 400
    orders = pd.DataFrame({
        "order_id": [f"o{i}" for i in range(n)],
        "customer_id": [f"c{i}" for i in rng.integers(0, 150, n)],
        "ordered_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 520, n), unit="D"),
        "amount": rng.uniform(10, 200, n).round(2),
    })
    cmp = periods.compare(orders, "2025-05-31", days=30, kpis=["gmv", "repurchase_rate"])
    series = periods.series(orders, "2025-05-31", days=30, kpis=["gmv", "repurchase_rate"], n=6)
    extras = trends.card_extras(cmp, series, 30, EN, say=lambda name, v: f"{v:.2f}")
    gmv = cmp.set_index("kpi").loc["gmv"]
    line, svg = extras["gmv"]
    assert line.startswith(f"vs prior 30 d {trends.change_text('relative', gmv['change_prev'], EN)}")
    assert f"vs last year {trends.change_text('relative', gmv['change_yoy'], EN)}" in line
    assert f"{series['gmv'].iloc[-1]:.2f}" in svg and len(_points(svg)) == 6
    assert " pp" in extras["repurchase_rate"][0]
