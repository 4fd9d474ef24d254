"""Charts, drawn for a phone (:mod:`wxshop.report.chartfit`: 360 CSS px wide, no text under
11 CSS px, a colour-blind-safe palette, no rotated labels). Each function draws one chart on ``ax``
(a new figure if None), describes it in words from its data (the page's ``alt`` text) and returns
the Axes."""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib.font_manager as font_manager
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter, PercentFormatter

from wxshop.report.chartfit import (
    FIG_WIDTH_IN,
    PALETTE,
    SEQUENTIAL,
    TEXT_PT,
    describe,
    phone_height,
    rc_params,
)
from wxshop.report.i18n import Translator

__all__ = [  # PALETTE is chartfit's, re-exported: the charts' colours
    "CJK_FONT_FILE", "CJK_FONT_PACKAGE", "FALLBACK_FONT", "PALETTE", "ab_intervals", "cjk_font_path",
    "compact", "holdout_bars", "hour_heatmap", "km_curves", "member_survival", "monthly_trend",
    "open_rate_by_hour", "pareto", "register_cjk_font", "repeat_curves", "retention_heatmap",
    "role_quadrant", "segment_bars", "setup_theme",
]

# Chinese glyphs come from Noto Sans CJK SC (SIL OFL), shipped inside the mplfonts wheel, so a
# plain `pip install` draws Chinese on any machine without system fonts or an apt step.
CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"
# Glyphs the CJK font lacks fall back to matplotlib's own font.
FALLBACK_FONT = "DejaVu Sans"
GREY = "#8f959e"  # reference lines


def cjk_font_path() -> Path:
    """Where the CJK font file is, found without importing its package."""
    spec = importlib.util.find_spec(CJK_FONT_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = Path(folders[0]) / CJK_FONT_FILE if folders else None
    if path is None or not path.is_file():
        raise FileNotFoundError(
            f"the CJK chart font {CJK_FONT_FILE} of the {CJK_FONT_PACKAGE!r} package is missing; "
            f"reinstall wxshop (pip install -e .) to get it"
        )
    return path


def register_cjk_font() -> str:
    """Add the CJK font to matplotlib's font manager (once per process); returns its family name.

    Registering the file at run time, rather than relying on matplotlib's font cache or
    system fonts, means a stale cache can never hide it.
    """
    path = cjk_font_path()
    if not any(f.fname == str(path) for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def setup_theme() -> None:
    """The house look for every chart: light, sized for a phone, Chinese drawn in Noto Sans CJK."""
    sns.set_theme(style="whitegrid", palette=PALETTE)
    cjk = register_cjk_font()
    plt.rcParams.update({
        **rc_params(),
        # The CJK font has one weight; asking for bold would only log a findfont warning.
        "axes.titleweight": "normal",
        # A list of families is a per-glyph fallback chain (matplotlib >= 3.6): everything the
        # CJK font has (Chinese, Latin, digits, ¥, −) comes from it, so a label never mixes two
        # Latin designs; anything it lacks comes from DejaVu Sans.
        "font.family": [cjk, FALLBACK_FONT],
        "font.sans-serif": [cjk, *[f for f in plt.rcParams["font.sans-serif"] if f != cjk]],
    })


def _axes(ax: plt.Axes | None, height: float = 2.9) -> plt.Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(FIG_WIDTH_IN, height))
    return ax


def _title(ax: plt.Axes, text: str) -> None:
    """The chart's title, over the whole figure from its left edge (the layout makes room)."""
    ax.figure.suptitle(text, x=0.02, ha="left", fontsize=TEXT_PT["title"])


def _share(value: float) -> str:
    return "—" if value is None or not math.isfinite(float(value)) else f"{float(value):.1%}"


def _yuan(value: float) -> str:
    return f"¥{float(value):,.0f}"


def compact(lang: str) -> FuncFormatter:
    """Axis numbers short enough for a phone: 12万 / 1.2亿 in Chinese, 12k / 1.2M in English.

    >>> compact("zh")(125000), compact("zh")(3500), compact("en")(125000), compact("en")(0.5)
    ('12.5万', '3,500', '125k', '0.5')
    """
    steps = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "k"))

    def short(value: float, _pos: object = None) -> str:
        for size, unit in steps:
            if abs(value) >= size:
                return f"{value / size:.3g}{unit}"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"

    return FuncFormatter(short)


def _legend_below(ax: plt.Axes, ncol: int = 2, handles: list | None = None, labels: list | None = None,
                  title: str | None = None) -> plt.Legend | None:
    """The legend under the chart, outside the plot (nothing covered; the layout makes room),
    up to ``ncol`` entries a row: fewer when the row would be wider than the figure."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    if not handles:
        return None
    fig = ax.figure
    for n in range(ncol, 0, -1):
        legend = fig.legend(handles, labels, loc="outside lower center", ncol=n, title=title,
                            handlelength=1.5, columnspacing=1.0)
        if n == 1 or legend.get_window_extent(fig.canvas.get_renderer()).width <= fig.bbox.width:
            return legend
        legend.remove()
    return None


def monthly_trend(trend: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """GMV per month as bars, buying customers as a line on a second axis.

    ``trend`` is :func:`wxshop.analysis.overview.monthly_trend` output (month, gmv, customers).
    """
    tr = Translator(lang)
    ax = _axes(ax, 3.1)
    x = list(range(len(trend)))
    ax.bar(x, trend["gmv"], color=PALETTE[0], label=tr("chart.gmv_cny"))
    ax.set_ylabel(tr("chart.gmv_cny"))
    ax.yaxis.set_major_formatter(compact(lang))
    step = max(1, math.ceil(len(trend) / 4))  # at most four month labels, never rotated
    ax.set_xticks(x[::step], list(trend["month"].astype(str))[::step])
    ax2 = ax.twinx()
    ax2.plot(x, trend["customers"], color=PALETTE[1], marker="o", ms=3, label=tr("chart.customers"))
    ax2.set_ylabel(tr("chart.customers"))
    ax2.yaxis.set_major_formatter(compact(lang))
    ax2.grid(False)
    ax2.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    _legend_below(ax, 2, handles, labels)
    _title(ax, tr("overview.trend"))
    if len(trend):
        top = trend.loc[trend["gmv"].idxmax()]
        describe(ax.figure, tr("alt.monthly_trend", first=trend["month"].iloc[0],
                               last=trend["month"].iloc[-1], top_month=top["month"], top=_yuan(top["gmv"]),
                               last_gmv=_yuan(trend["gmv"].iloc[-1]),
                               last_customers=f"{int(trend['customers'].iloc[-1]):,}"))
    return ax


def retention_heatmap(matrix: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None,
                      max_cohorts: int = 12, max_months: int = 6) -> plt.Axes:
    """Cohort retention: rows cohorts (YYYY-MM), columns months since first purchase, cells
    shares 0–1 (``wxshop.analysis.cohorts.retention_matrix`` output).

    The phone version: the latest ``max_cohorts`` cohorts, months 1 to ``max_months`` (month 0 is
    100 % by definition), every cell labelled; the full matrix is in the report's JSON."""
    tr = Translator(lang)
    months = [c for c in matrix.columns if 0 < int(c) <= max_months] or list(matrix.columns[:1])
    shown = matrix.loc[:, months].iloc[-max_cohorts:].astype(float)
    ax = _axes(ax, phone_height(len(shown), 0.26, 1.3))
    values = shown.to_numpy()
    finite = values[pd.notna(values)]
    top = max(0.05, float(finite.max()) if finite.size else 1.0)
    sns.heatmap(shown, ax=ax, cmap=SEQUENTIAL, vmin=0, vmax=top,
                annot=True, fmt=".0%", annot_kws={"size": TEXT_PT["note"]}, cbar=False,
                linewidths=0.5, linecolor="white")
    ax.set_xlabel(tr("chart.months_since"))
    ax.set_ylabel(tr("chart.cohort"))
    ax.tick_params(axis="y", rotation=0)
    note = tr("chart.cohorts_shown", cohorts=len(shown), months=max(months))
    _title(ax, f'{tr("profiling.cohorts")}\n{note}')
    first = shown.iloc[:, 0]
    if first.notna().any():
        describe(ax.figure, tr("alt.retention", cohorts=len(shown), months=max(months),
                               first=_share(first.mean()), best_cohort=first.idxmax(),
                               best=_share(first.max())))
    return ax


def repeat_curves(
    curves: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None, max_cohorts: int = 6
) -> plt.Axes:
    """Cumulative share of each cohort with a repeat purchase, by months since first purchase
    (``wxshop.analysis.cohorts.repeat_curves`` output); the latest ``max_cohorts`` cohorts."""
    tr = Translator(lang)
    ax = _axes(ax, 3.4)
    cohorts = sorted(curves["cohort"].unique())[-max_cohorts:]
    shown = curves[curves["cohort"].isin(cohorts)]
    sns.lineplot(data=shown, x="months_since", y="repeat_share", hue="cohort", marker="o", ax=ax,
                 palette="crest", markersize=4)
    ax.set_xlabel(tr("chart.months_since"))
    ax.set_ylabel(tr("chart.repeat_share"))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    _legend_below(ax, 3, title=tr("chart.cohort"))
    _title(ax, tr("profiling.repeat_curves"))
    if len(shown):
        oldest = shown[shown["cohort"] == cohorts[0]].sort_values("months_since").iloc[-1]
        describe(ax.figure, tr("alt.repeat_curves", cohorts=len(cohorts), cohort=cohorts[0],
                               months=int(oldest["months_since"]), share=_share(oldest["repeat_share"])))
    return ax


def segment_bars(
    summary: pd.DataFrame, labels: dict[str, str], lang: str = "zh", ax: plt.Axes | None = None
) -> plt.Axes:
    """Customer share and GMV share per RFM segment (``segment_summary`` output), horizontal bars."""
    tr = Translator(lang)
    ax = _axes(ax, phone_height(2 * len(summary), 0.2, 1.4))
    names = [labels[s] for s in summary["segment"]]
    long = pd.DataFrame(
        {
            "segment": names * 2,
            "share": list(summary["customer_share"]) + list(summary["gmv_share"]),
            "what": [tr("chart.customer_share")] * len(names) + [tr("chart.gmv_share")] * len(names),
        }
    )
    sns.barplot(data=long, y="segment", x="share", hue="what", ax=ax, orient="h",
                palette=PALETTE[:2])
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("chart.share"))
    ax.set_ylabel("")
    _legend_below(ax, 2)
    _title(ax, tr("profiling.rfm"))
    if len(summary):
        top = summary.loc[summary["gmv_share"].idxmax()]
        describe(ax.figure, tr("alt.segments", n=len(summary), top=labels[top["segment"]],
                               customers=_share(top["customer_share"]), gmv=_share(top["gmv_share"])))
    return ax


def holdout_bars(table: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """Predicted against actual mean repeat purchases in the holdout window, by the number
    of repeat purchases in the calibration window (``wxshop.analysis.clv.holdout_check`` table)."""
    tr = Translator(lang)
    ax = _axes(ax, 3.0)
    x = range(len(table))
    width = 0.4
    ax.bar([i - width / 2 for i in x], table["actual_mean"], width, label=tr("chart.actual"),
           color=PALETTE[1])
    ax.bar([i + width / 2 for i in x], table["predicted_mean"], width, label=tr("chart.predicted"),
           color=PALETTE[0])
    ax.set_xticks(list(x), [str(v) for v in table.iloc[:, 0]])
    ax.set_xlabel(tr("chart.calibration_repeats"))
    ax.set_ylabel(tr("chart.holdout_repeats"))
    _legend_below(ax, 2)
    _title(ax, tr("profiling.holdout"))
    if len(table):
        gap = (table["actual_mean"] - table["predicted_mean"]).abs()
        worst = table.loc[gap.idxmax()]
        describe(ax.figure, tr("alt.holdout", groups=len(table), worst=str(worst.iloc[0]),
                               actual=f"{float(worst['actual_mean']):.2f}",
                               predicted=f"{float(worst['predicted_mean']):.2f}"))
    return ax


def role_quadrant(
    table: pd.DataFrame,
    role_labels: dict[str, str],
    lang: str = "zh",
    *,
    margin_line: float | None = None,
    cycle_line: float | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Gross margin (y) against repurchase cycle in days (x), bubble size GMV, colour role.

    ``table`` needs gross_margin (0–1), cycle_days, gmv (CNY) and role (a code, labelled via
    ``role_labels``). Rows without margin or cycle are left out.
    """
    tr = Translator(lang)
    ax = _axes(ax, 3.8)
    shown = table.dropna(subset=["gross_margin", "cycle_days"])
    counts = []
    if len(shown):
        size = 20 + 400 * shown["gmv"] / max(float(shown["gmv"].max()), 1e-9)
        markers = "osD^v"
        for i, (role, part) in enumerate(shown.groupby("role", sort=True)):
            name = role_labels.get(role, role)
            ax.scatter(part["cycle_days"], part["gross_margin"], s=size.loc[part.index], alpha=0.65,
                       color=PALETTE[i % len(PALETTE)], edgecolor="white", marker=markers[i % len(markers)],
                       label=name)
            counts.append(f"{name} {len(part)}")
    if margin_line is not None:
        ax.axhline(margin_line, color=GREY, lw=1, ls="--")
    if cycle_line is not None:
        ax.axvline(cycle_line, color=GREY, lw=1, ls="--")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("chart.cycle_days"))
    ax.set_ylabel(tr("chart.gross_margin"))
    legend = _legend_below(ax, 2)
    if legend is not None:
        for handle in legend.legend_handles:
            handle.set_sizes([40])
    _title(ax, tr("products.quadrant"))
    describe(ax.figure, tr("alt.quadrant", n=len(shown), roles=", ".join(counts) or "—"))
    return ax


def km_curves(curves: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None,
              max_day: int = 180) -> plt.Axes:
    """Share of purchases followed by a repurchase within t days (1 − Kaplan–Meier survival),
    one line per group. ``curves``: group, day, survival."""
    tr = Translator(lang)
    ax = _axes(ax, 3.4)
    at = min(90, max_day)
    reached = {}
    styles = ["-", "--", "-.", ":"]
    for i, (group, part) in enumerate(curves.groupby("group", sort=True)):
        part = part[part["day"] <= max_day].sort_values("day")
        ax.step(part["day"], 1 - part["survival"], where="post", label=str(group),
                color=PALETTE[i % len(PALETTE)], ls=styles[(i // len(PALETTE)) % len(styles)])
        before = part[part["day"] <= at]
        if len(before):
            reached[str(group)] = 1 - float(before["survival"].iloc[-1])
    ax.set_xlim(0, max_day)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("chart.days_after_purchase"))
    ax.set_ylabel(tr("chart.repurchased_share"))
    _legend_below(ax, 2)
    _title(ax, tr("products.km"))
    if reached:
        best, worst = max(reached, key=reached.get), min(reached, key=reached.get)
        describe(ax.figure, tr("alt.km", days=max_day, groups=len(reached), day=at, best=best,
                               best_share=_share(reached[best]), worst=worst,
                               worst_share=_share(reached[worst])))
    return ax


def pareto(table: pd.DataFrame, value: str = "gmv", lang: str = "zh",
           ax: plt.Axes | None = None) -> plt.Axes:
    """Items sorted by ``value`` (bars) with the cumulative share (line) and the A/B cut-offs.
    ``table`` needs ``value`` and cum_share (0–1), sorted descending."""
    tr = Translator(lang)
    ax = _axes(ax, 2.9)
    x = range(len(table))
    ax.bar(x, table[value], color=PALETTE[0], width=1.0)
    ax.set_xticks([])
    ax.set_xlabel(tr("chart.items_ranked"))
    label = tr("chart.gmv_cny") if value == "gmv" else tr("chart.profit_cny")
    ax.set_ylabel(label)
    ax.yaxis.set_major_formatter(compact(lang))
    ax2 = ax.twinx()
    ax2.plot(list(x), table["cum_share"], color=PALETTE[1])
    for cut in (0.8, 0.95):
        ax2.axhline(cut, color=GREY, lw=1, ls="--")
    ax2.set_ylim(0, 1.02)
    ax2.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax2.grid(False)
    ax2.set_ylabel(tr("chart.cum_share"))
    _title(ax, tr("products.abc"))
    if len(table):
        top = int((table["cum_share"] < 0.8).sum()) + 1
        describe(ax.figure, tr("alt.pareto", n=len(table), value=label, top=min(top, len(table))))
    return ax


def ab_intervals(metrics: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """Relative lift of each treatment × metric with its interval (a forest plot), zero marked;
    significant ones filled, the others hollow (not told apart by colour alone).
    ``metrics``: treatment, metric, rel_lift, rel_ci_low, rel_ci_high, relative_undefined,
    significant (rows with an undefined relative lift are left out)."""
    tr = Translator(lang)
    shown = metrics.loc[~metrics["relative_undefined"].astype(bool)].reset_index(drop=True)
    ax = _axes(ax, phone_height(len(shown), 0.5, 1.6))
    y = list(range(len(shown)))[::-1]
    significant = [bool(s) for s in shown["significant"]]
    colours = [PALETTE[0] if s else PALETTE[5] for s in significant]
    ax.hlines(y, shown["rel_ci_low"], shown["rel_ci_high"], colors=colours, lw=2)
    ax.scatter(shown["rel_lift"], y, facecolors=[c if s else "white" for c, s in zip(colours, significant,
                                                                                      strict=True)],
               edgecolors=colours, linewidths=1.5, zorder=3)
    ax.axvline(0, color=GREY, lw=1)
    names = [f"{tr(f'metric.{m}')}\n{t}" for m, t in zip(shown["metric"], shown["treatment"], strict=True)]
    ax.set_yticks(y, names)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("chart.rel_lift"))
    _title(ax, tr("ab.metrics"))
    hits = [n.replace("\n", " · ") for n, s in zip(names, significant, strict=True) if s]
    describe(ax.figure, tr("alt.ab", n=len(shown), significant="; ".join(hits) or tr("alt.none_significant")))
    return ax


def hour_heatmap(grid: pd.DataFrame, windows: Sequence[tuple[int, int]] = (), lang: str = "zh",
                 ax: plt.Axes | None = None) -> plt.Axes:
    """Paid orders by weekday (rows, Monday first) × hour of day (columns 0–23), the
    ``windows`` ([start, end) hours, e.g. the playbook's posting windows) outlined.

    ``grid`` is :func:`wxshop.analysis.growth.timing.hour_grid` output."""
    tr = Translator(lang)
    ax = _axes(ax, 2.8)
    days = tr("weekday.short").split(",")[: len(grid)]
    sns.heatmap(grid.astype(float), ax=ax, cmap=SEQUENTIAL, cbar=False, linewidths=0.2, linecolor="white")
    ax.set_yticks([i + 0.5 for i in range(len(grid))], days, rotation=0)
    ax.set_xticks([h + 0.5 for h in range(0, 24, 3)], [str(h) for h in range(0, 24, 3)], rotation=0)
    for start, end in windows:
        ax.add_patch(plt.Rectangle((start, 0), end - start, len(grid), fill=False,
                                   edgecolor=PALETTE[3], linewidth=1.5))
    ax.set_xlabel(tr("chart.hour"))
    ax.set_ylabel("")
    _title(ax, tr("chart.hour_heatmap"))
    values = grid.astype(float).to_numpy()
    if values.size and values.max() > 0:
        row, col = divmod(int(values.argmax()), values.shape[1])
        describe(ax.figure, tr("alt.hours", orders=f"{int(values.sum()):,}", weekday=days[row],
                               hour=f"{int(grid.columns[col]):02d}", top=f"{int(values.max()):,}"))
    return ax


def member_survival(survival: pd.DataFrame, daily_leaving: float, lang: str = "zh",
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Share of group members still in the group n days after joining, one line per group type
    (the first column of ``survival``; ``day_<n>`` columns, from
    :func:`wxshop.analysis.private_domain.community.membership_survival`), beside the playbook's
    group that loses ``daily_leaving`` of its members a day, (1 − rate)^n, dashed."""
    tr = Translator(lang)
    ax = _axes(ax, 3.4)
    days = sorted(int(c.split("_")[1]) for c in survival.columns if str(c).startswith("day_"))
    label = survival.columns[0]
    at: list[str] = []
    for i, row in enumerate(survival.to_dict("records")):
        name = tr("sop.all") if str(row[label]) == "all" else str(row[label])
        ax.plot([0, *days], [1.0, *(row[f"day_{d}"] for d in days)], marker="o", markersize=3,
                label=name, color=PALETTE[i % len(PALETTE)])
        if days:
            at.append(f"{name} {_share(row[f'day_{days[-1]}'])}")
    grid = list(range(0, (days[-1] if days else 90) + 1))
    rate = f"{100 * daily_leaving:.1f}%"
    ax.plot(grid, [(1 - daily_leaving) ** d for d in grid], linestyle="--", color=PALETTE[5],
            label=tr("chart.playbook_leaving", rate=rate))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("chart.days_after_joining"))
    ax.set_ylabel(tr("chart.still_in_group"))
    _legend_below(ax, 2)
    _title(ax, tr("chart.member_survival"))
    last = grid[-1]
    describe(ax.figure, tr("alt.survival", day=last, values=", ".join(at) or "—", rate=rate,
                           playbook=_share((1 - daily_leaving) ** last)))
    return ax


def open_rate_by_hour(hours: pd.DataFrame, windows: Sequence[tuple[int, int]] = (), lang: str = "zh",
                      ax: plt.Axes | None = None) -> plt.Axes:
    """Content open rate (opens ÷ reach) by posting hour, bars, the ``windows`` ([start, end)
    hours, the playbook's posting windows) shaded. ``hours``: hour, open_rate (from
    :func:`wxshop.analysis.private_domain.content.content_rates` with ``by="hour"``)."""
    tr = Translator(lang)
    ax = _axes(ax, 2.8)
    for start, end in windows:
        ax.axvspan(start - 0.5, end - 0.5, color=PALETTE[2], alpha=0.2, linewidth=0)
    ax.bar(hours["hour"], hours["open_rate"], color=PALETTE[0], width=0.8)
    ax.set_xlim(-0.5, 23.5)
    ax.set_xticks(range(0, 24, 3))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("chart.hour"))
    ax.set_ylabel(tr("col.pd_open_rate_content"))
    _title(ax, tr("chart.open_rate_by_hour"))
    rated = hours.dropna(subset=["open_rate"])
    if len(rated):
        top = rated.loc[rated["open_rate"].idxmax()]
        describe(ax.figure, tr("alt.open_rate", hours=len(rated), hour=f"{int(top['hour']):02d}",
                               rate=_share(top["open_rate"])))
    return ax
