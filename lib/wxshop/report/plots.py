"""Charts. Each function draws one chart on ``ax`` (new figure if None) and returns the Axes."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import matplotlib.font_manager as font_manager
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from wxshop.report.i18n import Translator

PALETTE = ["#07C160", "#576B95", "#FA9D3B", "#E64340", "#10AEFF", "#B2B2B2"]  # WeChat colours

# Chinese glyphs come from Noto Sans CJK SC (SIL OFL), shipped inside the mplfonts wheel, so a
# plain `pip install` draws Chinese on any machine without system fonts or an apt step.
CJK_FONT_PACKAGE = "mplfonts"
CJK_FONT_FILE = "fonts/NotoSansCJKsc-Regular.otf"
# Glyphs the CJK font lacks fall back to matplotlib's own font.
FALLBACK_FONT = "DejaVu Sans"


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
    """The house look for every chart: light, readable on a phone, Chinese drawn in Noto Sans CJK."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    cjk = register_cjk_font()
    plt.rcParams.update({
        "figure.figsize": (7.5, 3.8),
        "figure.dpi": 96,
        # The CJK font has one weight; asking for bold would only log a findfont warning.
        "axes.titleweight": "normal",
        "axes.titlesize": "large",
        # A list of families is a per-glyph fallback chain (matplotlib >= 3.6): everything the
        # CJK font has (Chinese, Latin, digits, ¥, −) comes from it, so a label never mixes two
        # Latin designs; anything it lacks comes from DejaVu Sans.
        "font.family": [cjk, FALLBACK_FONT],
        "font.sans-serif": [cjk, *[f for f in plt.rcParams["font.sans-serif"] if f != cjk]],
    })


def monthly_trend(trend: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """GMV per month as bars, buying customers as a line on a second axis.

    ``trend`` is :func:`wxshop.analysis.overview.monthly_trend` output (month, gmv, customers).
    """
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots()
    x = range(len(trend))
    ax.bar(x, trend["gmv"], color=PALETTE[0], label=tr("chart.gmv_cny"))
    ax.set_ylabel(tr("chart.gmv_cny"))
    ax.set_xlabel(tr("chart.month"))
    step = max(1, len(trend) // 12)
    ax.set_xticks(list(x)[::step], list(trend["month"])[::step], rotation=45, ha="right")
    ax2 = ax.twinx()
    ax2.plot(list(x), trend["customers"], color=PALETTE[1], marker="o", ms=3, label=tr("chart.customers"))
    ax2.set_ylabel(tr("chart.customers"))
    ax2.grid(False)
    ax2.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize="small")
    ax.set_title(tr("overview.trend"))
    ax.figure.tight_layout()
    return ax


def retention_heatmap(matrix: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """Cohort retention: rows cohorts (YYYY-MM), columns months since first purchase, cells
    shares 0–1 (``wxshop.analysis.cohorts.retention_matrix`` output)."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, max(3.0, 0.28 * len(matrix) + 1.2)))
    sns.heatmap(
        matrix.astype(float),
        ax=ax,
        cmap="Greens",
        vmin=0,
        vmax=max(0.05, float(matrix.iloc[:, 1:].max().max()) if matrix.shape[1] > 1 else 1.0),
        annot=matrix.shape[1] <= 13,
        fmt=".0%",
        annot_kws={"size": 7},
        cbar=False,
    )
    ax.set_xlabel(tr("chart.months_since"))
    ax.set_ylabel(tr("chart.cohort"))
    ax.set_title(tr("profiling.cohorts"))
    ax.figure.tight_layout()
    return ax


def repeat_curves(
    curves: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None, max_cohorts: int = 8
) -> plt.Axes:
    """Cumulative share of each cohort with a repeat purchase, by months since first purchase
    (``wxshop.analysis.cohorts.repeat_curves`` output); the latest ``max_cohorts`` cohorts."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots()
    cohorts = sorted(curves["cohort"].unique())[-max_cohorts:]
    shown = curves[curves["cohort"].isin(cohorts)]
    sns.lineplot(
        data=shown, x="months_since", y="repeat_share", hue="cohort", marker="o", ax=ax, palette="crest"
    )
    ax.set_xlabel(tr("chart.months_since"))
    ax.set_ylabel(tr("chart.repeat_share"))
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(title=tr("chart.cohort"), fontsize="x-small", ncol=2)
    ax.set_title(tr("profiling.repeat_curves"))
    ax.figure.tight_layout()
    return ax


def segment_bars(
    summary: pd.DataFrame, labels: dict[str, str], lang: str = "zh", ax: plt.Axes | None = None
) -> plt.Axes:
    """Customer share and GMV share per RFM segment (``segment_summary`` output)."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2))
    names = [labels[s] for s in summary["segment"]]
    long = pd.DataFrame(
        {
            "segment": names * 2,
            "share": list(summary["customer_share"]) + list(summary["gmv_share"]),
            "what": [tr("chart.customer_share")] * len(names) + [tr("chart.gmv_share")] * len(names),
        }
    )
    sns.barplot(data=long, y="segment", x="share", hue="what", ax=ax, orient="h")
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(tr("chart.share"))
    ax.set_ylabel("")
    ax.legend(title="", fontsize="small")
    ax.set_title(tr("profiling.rfm"))
    ax.figure.tight_layout()
    return ax


def holdout_bars(table: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """Predicted against actual mean repeat purchases in the holdout window, by the number
    of repeat purchases in the calibration window (``wxshop.analysis.clv.holdout_check`` table)."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots()
    x = range(len(table))
    width = 0.4
    ax.bar(
        [i - width / 2 for i in x], table["actual_mean"], width, label=tr("chart.actual"), color=PALETTE[1]
    )
    ax.bar(
        [i + width / 2 for i in x],
        table["predicted_mean"],
        width,
        label=tr("chart.predicted"),
        color=PALETTE[0],
    )
    ax.set_xticks(list(x), [str(v) for v in table.iloc[:, 0]])
    ax.set_xlabel(tr("chart.calibration_repeats"))
    ax.set_ylabel(tr("chart.holdout_repeats"))
    ax.legend(fontsize="small")
    ax.set_title(tr("profiling.holdout"))
    ax.figure.tight_layout()
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
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.8))
    shown = table.dropna(subset=["gross_margin", "cycle_days"])
    if len(shown):
        size = 40 + 900 * shown["gmv"] / max(float(shown["gmv"].max()), 1e-9)
        for i, (role, part) in enumerate(shown.groupby("role", sort=True)):
            ax.scatter(part["cycle_days"], part["gross_margin"], s=size.loc[part.index], alpha=0.6,
                       color=PALETTE[i % len(PALETTE)], edgecolor="white",
                       label=role_labels.get(role, role))
    if margin_line is not None:
        ax.axhline(margin_line, color="#8f959e", lw=1, ls="--")
    if cycle_line is not None:
        ax.axvline(cycle_line, color="#8f959e", lw=1, ls="--")
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(tr("chart.cycle_days"))
    ax.set_ylabel(tr("chart.gross_margin"))
    ax.legend(fontsize="small", markerscale=0.5)
    ax.set_title(tr("products.quadrant"))
    ax.figure.tight_layout()
    return ax


def km_curves(curves: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None,
              max_day: int = 180) -> plt.Axes:
    """Share of purchases followed by a repurchase within t days (1 − Kaplan–Meier survival),
    one line per group. ``curves``: group, day, survival."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots()
    for i, (group, part) in enumerate(curves.groupby("group", sort=True)):
        part = part[part["day"] <= max_day].sort_values("day")
        ax.step(part["day"], 1 - part["survival"], where="post", label=str(group),
                color=PALETTE[i % len(PALETTE)])
    ax.set_xlim(0, max_day)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(tr("chart.days_after_purchase"))
    ax.set_ylabel(tr("chart.repurchased_share"))
    ax.legend(fontsize="small")
    ax.set_title(tr("products.km"))
    ax.figure.tight_layout()
    return ax


def pareto(table: pd.DataFrame, value: str = "gmv", lang: str = "zh",
           ax: plt.Axes | None = None) -> plt.Axes:
    """Items sorted by ``value`` (bars) with the cumulative share (line) and the A/B cut-offs.
    ``table`` needs ``value`` and cum_share (0–1), sorted descending."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots()
    x = range(len(table))
    ax.bar(x, table[value], color=PALETTE[0])
    ax.set_xticks([])
    ax.set_xlabel(tr("chart.items_ranked"))
    ax.set_ylabel(tr("chart.gmv_cny") if value == "gmv" else tr("chart.profit_cny"))
    ax2 = ax.twinx()
    ax2.plot(list(x), table["cum_share"], color=PALETTE[1])
    for cut in (0.8, 0.95):
        ax2.axhline(cut, color="#8f959e", lw=1, ls="--")
    ax2.set_ylim(0, 1.02)
    ax2.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax2.grid(False)
    ax2.set_ylabel(tr("chart.cum_share"))
    ax.set_title(tr("products.abc"))
    ax.figure.tight_layout()
    return ax


def ab_intervals(metrics: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """Relative lift of each treatment × metric with its interval (a forest plot), zero marked.
    ``metrics``: treatment, metric, rel_lift, rel_ci_low, rel_ci_high, relative_undefined,
    significant (rows with an undefined relative lift are left out)."""
    tr = Translator(lang)
    shown = metrics.loc[~metrics["relative_undefined"].astype(bool)].reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, max(2.0, 0.45 * len(shown) + 1.2)))
    y = list(range(len(shown)))[::-1]
    colours = [PALETTE[0] if bool(s) else PALETTE[5] for s in shown["significant"]]
    ax.hlines(y, shown["rel_ci_low"], shown["rel_ci_high"], colors=colours, lw=2)
    ax.scatter(shown["rel_lift"], y, color=colours, zorder=3)
    ax.axvline(0, color="#8f959e", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{tr(f'metric.{m}')} · {t}" for m, t in zip(shown["metric"], shown["treatment"],
                                                                     strict=True)])
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(tr("chart.rel_lift"))
    ax.set_title(tr("ab.metrics"))
    ax.figure.tight_layout()
    return ax


def hour_heatmap(grid: pd.DataFrame, windows: Sequence[tuple[int, int]] = (), lang: str = "zh",
                 ax: plt.Axes | None = None) -> plt.Axes:
    """Paid orders by weekday (rows, Monday first) × hour of day (columns 0–23), the
    ``windows`` ([start, end) hours, e.g. the playbook's posting windows) outlined.

    ``grid`` is :func:`wxshop.analysis.growth.timing.hour_grid` output."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 3.2))
    sns.heatmap(grid.astype(float), ax=ax, cmap="Greens", cbar=False, linewidths=0.2, linecolor="white")
    ax.set_yticks([i + 0.5 for i in range(len(grid))], tr("weekday.short").split(",")[: len(grid)],
                  rotation=0)
    ax.set_xticks([h + 0.5 for h in range(0, 24, 3)], [str(h) for h in range(0, 24, 3)], rotation=0)
    for start, end in windows:
        ax.add_patch(plt.Rectangle((start, 0), end - start, len(grid), fill=False,
                                   edgecolor=PALETTE[2], linewidth=1.5))
    ax.set_xlabel(tr("chart.hour"))
    ax.set_ylabel("")
    ax.set_title(tr("chart.hour_heatmap"))
    ax.figure.tight_layout()
    return ax


def member_survival(survival: pd.DataFrame, daily_leaving: float, lang: str = "zh",
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Share of group members still in the group n days after joining, one line per group type
    (the first column of ``survival``; ``day_<n>`` columns, from
    :func:`wxshop.analysis.private_domain.community.membership_survival`), beside the playbook's
    group that loses ``daily_leaving`` of its members a day, (1 − rate)^n, dashed."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.6))
    days = sorted(int(c.split("_")[1]) for c in survival.columns if str(c).startswith("day_"))
    label = survival.columns[0]
    for i, row in enumerate(survival.to_dict("records")):
        name = tr("sop.all") if str(row[label]) == "all" else str(row[label])
        ax.plot([0, *days], [1.0, *(row[f"day_{d}"] for d in days)], marker="o", markersize=3,
                label=name, color=PALETTE[i % len(PALETTE)])
    grid = list(range(0, (days[-1] if days else 90) + 1))
    ax.plot(grid, [(1 - daily_leaving) ** d for d in grid], linestyle="--", color=PALETTE[5],
            label=tr("chart.playbook_leaving", rate=f"{100 * daily_leaving:.1f}%"))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(tr("chart.days_after_joining"))
    ax.set_ylabel(tr("chart.still_in_group"))
    ax.legend(fontsize="small")
    ax.set_title(tr("chart.member_survival"))
    ax.figure.tight_layout()
    return ax


def open_rate_by_hour(hours: pd.DataFrame, windows: Sequence[tuple[int, int]] = (), lang: str = "zh",
                      ax: plt.Axes | None = None) -> plt.Axes:
    """Content open rate (opens ÷ reach) by posting hour, bars, the ``windows`` ([start, end)
    hours, the playbook's posting windows) shaded. ``hours``: hour, open_rate (from
    :func:`wxshop.analysis.private_domain.content.content_rates` with ``by="hour"``)."""
    tr = Translator(lang)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.2))
    for start, end in windows:
        ax.axvspan(start - 0.5, end - 0.5, color=PALETTE[2], alpha=0.15, linewidth=0)
    ax.bar(hours["hour"], hours["open_rate"], color=PALETTE[0], width=0.8)
    ax.set_xlim(-0.5, 23.5)
    ax.set_xticks(range(0, 24, 3))
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(tr("chart.hour"))
    ax.set_ylabel(tr("col.pd_open_rate_content"))
    ax.set_title(tr("chart.open_rate_by_hour"))
    ax.figure.tight_layout()
    return ax
