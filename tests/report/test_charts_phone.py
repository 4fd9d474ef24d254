"""Charts drawn for a phone (wxshop.report.chartfit, wxshop.report.plots): every chart is 360 CSS
px wide at 2× pixels, no text under 11 CSS px at that width, nothing drawn outside the figure, no
rotated labels and no two tick labels on top of each other, a description built from the data,
and a palette whose colours stay apart for colour-blind readers."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wxshop.report import chartfit, plots  # noqa: E402

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
WINDOWS = ((7, 9), (12, 14), (20, 22))


def _charts(lang: str) -> dict[str, plt.Axes]:
    """One of each chart on seeded data shaped like the analyses' output, with the long labels
    real stores have (Chinese category names, long segment labels, two treatments)."""
    rng = np.random.default_rng(1)
    out = {}
    out["trend"] = plots.monthly_trend(pd.DataFrame({"month": MONTHS, "gmv": rng.uniform(5e4, 3e6, 18),
                                                     "customers": rng.integers(300, 30000, 18)}), lang)
    matrix = pd.DataFrame(rng.uniform(0, 0.4, (18, 13)), index=pd.Index(MONTHS, name="cohort"),
                          columns=pd.Index(range(13), name="months_since"))
    matrix[0] = 1.0
    out["retention"] = plots.retention_heatmap(matrix, lang)
    out["repeat"] = plots.repeat_curves(pd.DataFrame(
        [(c, m, min(1.0, 0.05 * m)) for c in MONTHS for m in range(12)],
        columns=["cohort", "months_since", "repeat_share"]), lang)
    segments = ["champions", "loyal", "potential", "new", "at_risk", "hibernating", "lost"]
    out["segments"] = plots.segment_bars(
        pd.DataFrame({"segment": segments, "customer_share": rng.dirichlet(np.ones(7)),
                      "gmv_share": rng.dirichlet(np.ones(7))}),
        {s: f"{s.replace('_', ' ').title()}（重要价值客户）" for s in segments}, lang)
    out["holdout"] = plots.holdout_bars(pd.DataFrame({"repeats": ["0", "1", "2", "3", "4", "5", "6+"],
                                                      "actual_mean": rng.uniform(0, 3, 7),
                                                      "predicted_mean": rng.uniform(0, 3, 7)}), lang)
    n = 60
    out["quadrant"] = plots.role_quadrant(
        pd.DataFrame({"gross_margin": rng.uniform(0.1, 0.7, n), "cycle_days": rng.uniform(5, 120, n),
                      "gmv": rng.uniform(100, 1e5, n), "role": rng.choice(["a", "b", "c", "d"], n)}),
        {"a": "引流款", "b": "利润款", "c": "复购款", "d": "形象款"}, lang, margin_line=0.4, cycle_line=30)
    out["km"] = plots.km_curves(pd.DataFrame(
        [(g, d, np.exp(-d / s)) for g, s in (("食品饮料", 40), ("美妆个护", 90), ("母婴用品 · 纸尿裤", 150))
         for d in range(0, 181, 5)], columns=["group", "day", "survival"]), lang)
    values = np.sort(rng.pareto(1.5, 200))[::-1] * 1000
    out["pareto"] = plots.pareto(pd.DataFrame({"gmv": values, "cum_share": np.cumsum(values) / values.sum()}),
                                 "gmv", lang)
    out["ab"] = plots.ab_intervals(pd.DataFrame({
        "treatment": ["new_checkout_flow", "new_checkout_flow", "coupon_10", "coupon_10"],
        "metric": ["conversion", "revenue_per_user", "conversion", "revenue_per_user"],
        "rel_lift": [0.05, 0.02, -0.01, 0.03], "rel_ci_low": [0.01, -0.03, -0.05, -0.02],
        "rel_ci_high": [0.09, 0.07, 0.03, 0.08], "relative_undefined": [False] * 4,
        "significant": [True, False, False, False]}), lang)
    out["hours"] = plots.hour_heatmap(pd.DataFrame(rng.integers(0, 100, (7, 24)), columns=range(24)),
                                      WINDOWS, lang)
    out["survival"] = plots.member_survival(pd.DataFrame(
        {"group_type": ["all", "综合福利群", "快闪群", "VIP 会员群"],
         **{f"day_{d}": np.exp(-np.array([0.01, 0.023, 0.012, 0.006]) * d) for d in (7, 14, 30, 60, 90)}}),
        0.023, lang)
    out["open_rate"] = plots.open_rate_by_hour(pd.DataFrame({"hour": range(24),
                                                             "open_rate": rng.uniform(0.2, 0.8, 24)}),
                                               WINDOWS, lang)
    return out


@pytest.fixture(scope="module", params=["zh", "en"])
def drawn(request):
    """Each chart of ``_charts`` laid out and rendered as a report shows it: (axes, png, meta)."""
    with plt.rc_context():
        plots.setup_theme()
        charts = {}
        for name, ax in _charts(request.param).items():
            png, meta = chartfit.phone_png(ax.figure)
            charts[name] = (ax, png, meta)
        yield charts
        plt.close("all")


CHARTS = ["trend", "retention", "repeat", "segments", "holdout", "quadrant", "km", "pareto", "ab", "hours",
          "survival", "open_rate"]


@pytest.mark.parametrize("name", CHARTS)
def test_chart_is_drawn_for_a_phone_column(drawn, name):
    """Failing means the chart would be shrunk on a phone (drawn wider than 360 CSS px) or its
    smallest text would render under 11 CSS px there: pt × 96 / 72 at the width it is shown."""
    ax, png, meta = drawn[name]
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert meta["width"] == chartfit.PHONE_WIDTH_PX and meta["dpi"] == chartfit.RENDER_DPI
    assert int.from_bytes(png[16:20], "big") == chartfit.PHONE_WIDTH_PX * chartfit.RENDER_SCALE
    smallest_px = meta["min_text_pt"] * chartfit.CSS_DPI / 72
    assert smallest_px >= chartfit.MIN_TEXT_PX, (name, meta["min_text_pt"])


@pytest.mark.parametrize("name", CHARTS)
def test_every_text_lies_inside_the_figure_and_no_tick_labels_collide(drawn, name):
    """Failing means a title, label, legend entry or tick label is cut off at the figure's edge,
    or two tick labels print on top of each other (too many for the phone's width)."""
    ax, _, _ = drawn[name]
    fig = ax.figure
    fig.canvas.draw()  # at screen DPI, laid out as the PNG was
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    outside = []
    for text in chartfit.texts(fig):
        box = text.get_window_extent(renderer)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            outside.append(text.get_text())
    assert not outside, (name, outside)
    drawn_ids = {id(t) for t in chartfit.texts(fig)}
    for axes in fig.axes:
        for labels in (axes.get_xticklabels(), axes.get_yticklabels()):
            boxes = [t.get_window_extent(renderer) for t in labels if id(t) in drawn_ids]
            clashes = [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
            assert not clashes, (name, clashes[:3])


@pytest.mark.parametrize("name", CHARTS)
def test_no_rotated_labels(drawn, name):
    """Failing means a chart turns its labels sideways, unreadable on a phone held upright:
    categories go on horizontal bars, months and hours get fewer, level labels."""
    ax, _, _ = drawn[name]
    for axes in ax.figure.axes:
        for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
            assert label.get_rotation() == 0, (name, label.get_text(), label.get_rotation())


@pytest.mark.parametrize("name", CHARTS)
def test_chart_says_in_words_what_it_shows(drawn, name):
    """Failing means a chart has no description (the page's alt text for screen readers and
    for a reader whose picture did not load), or one without a figure from the data."""
    _, _, meta = drawn[name]
    assert len(meta["alt"]) > 30 and any(ch.isdigit() for ch in meta["alt"]), (name, meta["alt"])


def test_descriptions_come_from_the_data():
    """The description changes with the data it describes (not a fixed sentence)."""
    with plt.rc_context():
        plots.setup_theme()
        texts = []
        for top in (1000.0, 2000.0):
            trend = pd.DataFrame({"month": ["2026-01", "2026-02"], "gmv": [500.0, top], "customers": [5, 7]})
            ax = plots.monthly_trend(trend, "en")
            texts.append(chartfit.description(ax.figure))
            plt.close(ax.figure)
    assert "¥1,000" in texts[0] and "¥2,000" in texts[1] and "2026-02" in texts[0]


def test_the_checks_catch_a_desktop_chart():
    """A chart as drawn before (7.5 in wide, 'x-small' legend, rotated month labels) fails the
    checks above: shown 360 px wide its smallest text is under 11 px."""
    with plt.rc_context():
        fig, ax = plt.subplots(figsize=(7.5, 3.8), dpi=96, layout="constrained")
        ax.plot([1, 2], [3, 4], label="x")
        ax.legend(fontsize="x-small")
        ax.set_xticks([1, 2], ["2026-01", "2026-02"], rotation=45)
        png, meta = chartfit.phone_png(fig)
        plt.close(fig)
    natural = int.from_bytes(png[16:20], "big")
    shown_px = meta["min_text_pt"] * meta["dpi"] / 72 * chartfit.PHONE_WIDTH_PX / natural
    assert shown_px < chartfit.MIN_TEXT_PX


# Colour-blind readers: each simulated at full severity (Machado et al. 2009, via colorspacious),
# the palette's first five colours (the ones series use) stay at least this far apart (CAM02-UCS ΔE;
# about 10 is "clearly different" side by side).
CVD_MIN_DELTA_E = 11.0


def _closest_pair(palette, cvd: str) -> float:
    from colorspacious import cspace_convert, deltaE

    seen = [np.clip(cspace_convert(mcolors.to_rgb(c), {"name": "sRGB1+CVD", "cvd_type": cvd,
                                                        "severity": 100}, "sRGB1"), 0, 1) for c in palette]
    return min(deltaE(a, b, input_space="sRGB1") for a, b in itertools.combinations(seen, 2))


@pytest.mark.parametrize("cvd", ["deuteranomaly", "protanomaly", "tritanomaly"])
def test_palette_stays_apart_for_colour_blind_readers(cvd):
    """Failing means two series colours look alike to a reader with this colour vision."""
    assert _closest_pair(chartfit.PALETTE[:5], cvd) >= CVD_MIN_DELTA_E


def test_the_colour_check_rejects_the_old_wechat_palette():
    """WeChat's own green, blue, orange, red and sky blue: green and red merge for protanopes."""
    old = ["#07C160", "#576B95", "#FA9D3B", "#E64340", "#10AEFF"]
    assert _closest_pair(old, "protanomaly") < CVD_MIN_DELTA_E
