"""The growth report's findings, views and heat map (wxshop.report.findings.growth,
wxshop.report.views.growth, wxshop.report.plots.hour_heatmap)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from wxshop.report import findings, plots
from wxshop.report.i18n import Translator
from wxshop.report.views import growth as view

EN = Translator("en")


def headline(**changes):
    base = {"activity_conversion": 0.10, "invited_share": 0.25, "k_factor": 0.2, "peak_hour": 21,
            "weakest_step": "add_to_cart", "weakest_step_conversion": 0.31, "peak_hours": [21, 20, 16],
            "peak_in_window": {"21": True, "20": True, "16": False}}
    return base | changes


@pytest.mark.parametrize(("rate", "word"), [(0.05, "below"), (0.09, "between"), (0.139, "between"),
                                            (0.14, "at or above"), (0.30, "at or above")])
def test_conversion_finding_places_the_store_against_the_playbook(rate, word):
    """9% and 14% are the playbook's before / after figures; the boundaries belong to the upper band."""
    lines = findings.growth(headline(activity_conversion=rate), {}, EN)
    assert word in lines[0] and f"{100 * rate:.1f}%" in lines[0]


def test_growth_findings_quote_the_weakest_step_the_invited_share_and_hours_outside_the_windows():
    lines = findings.for_notebook("growth", headline(), {}, EN)
    assert len(lines) == 4
    assert "“add to cart” (conversion 31.0%)" in lines[1]
    assert "25.0% of recent new customers" in lines[2] and "K-factor 0.20" in lines[2] and "60.0%" in lines[2]
    assert "16:00" in lines[3] and "21:00" not in lines[3]
    inside = findings.growth(headline(peak_in_window={"21": True, "20": True, "16": True}), {}, EN)
    assert inside[3] == EN("growth.timing_match")


def test_growth_findings_leave_out_what_is_unknown():
    lines = findings.growth({"activity_conversion": None, "invited_share": float("nan"), "peak_hours": []},
                            {}, EN)
    assert lines == [EN("finding.growth_none")]


def test_in_windows_uses_half_open_hours():
    assert view.in_windows([7, 9, 13, 14, 22, 20], ((7, 9), (12, 14), (20, 22))) == {
        "7": True, "9": False, "13": True, "14": False, "22": False, "20": True}


def test_hour_heatmap_draws_every_cell_and_outlines_each_window():
    grid = pd.DataFrame([[float(d * 24 + h) for h in range(24)] for d in range(7)],
                        index=pd.RangeIndex(7, name="weekday"))
    ax = plots.hour_heatmap(grid, ((7, 9), (12, 14), (20, 22)), "en")
    boxes = [p for p in ax.patches if not p.get_fill()]
    assert [(b.get_x(), b.get_width(), b.get_height()) for b in boxes] == [(7, 2, 7), (12, 2, 7), (20, 2, 7)]
    assert [t.get_text() for t in ax.get_yticklabels()] == EN("weekday.short").split(",")
    assert ax.collections[0].get_array().size == 7 * 24
    matplotlib.pyplot.close(ax.figure)


@pytest.mark.parametrize(("rate", "word"), [(0.05, "below"), (0.149, "below"), (0.15, "at or above")])
def test_retention_finding_compares_with_the_playbooks_15_percent(rate, word):
    lines = findings.growth(headline(d1_retention=rate), {}, EN)
    assert word in lines[1] and f"{100 * rate:.1f}%" in lines[1] and "15.0%" in lines[1]
    assert len(lines) == 5  # at most five: the busiest hours give way


def test_campaign_views_put_the_playbook_beside_the_store():
    nan = float("nan")
    types = pd.DataFrame({"type": ["节日", "秒杀"], "campaigns": [2, 1], "participation": [0.3, 0.5],
                          "aov_uplift": [0.4, 0.1], "gmv": [900.0, 10.0], "cost": [300.0, 0.0],
                          "roi_gmv": [3.0, nan], "incremental_gmv": [120.5, -3.0], "significant": [1, 0],
                          "reference_roi": [4.3, nan], "reference_participation": [0.28, nan],
                          "reference_aov_uplift": [0.45, nan]})
    shown = view.campaign_types_view(types, EN)
    assert shown["roi_gmv"].tolist() == ["1 : 3.0 (1 : 4.3)", "—"]
    assert shown["participation"].tolist() == ["30.0% (28.0%)", "50.0%"]
    lines = view.bunching_lines(pd.DataFrame({"threshold": [199.0], "width": [0.1], "ratio": [3.0],
                                              "baseline_ratio": [1.0]}), EN)
    assert "199–218.9" in lines[0] and "179.1–199" in lines[0] and "3.00" in lines[0] and "1.00" in lines[0]
