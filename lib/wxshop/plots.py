"""Charts. Each function draws one chart on ``ax`` (new figure if None) and returns the Axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from .i18n import Translator

PALETTE = ["#07C160", "#576B95", "#FA9D3B", "#E64340", "#10AEFF", "#B2B2B2"]  # WeChat colours


def setup_theme() -> None:
    """The house look for every chart: light, readable on a phone."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    plt.rcParams.update({"figure.figsize": (7.5, 3.8), "figure.dpi": 96, "axes.titleweight": "bold"})


def monthly_trend(trend: pd.DataFrame, lang: str = "zh", ax: plt.Axes | None = None) -> plt.Axes:
    """GMV per month as bars, buying customers as a line on a second axis.

    ``trend`` is :func:`wxshop.overview.monthly_trend` output (month, gmv, customers).
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
    ax2.plot(list(x), trend["customers"], color=PALETTE[1], marker="o", ms=3,
             label=tr("chart.customers"))
    ax2.set_ylabel(tr("chart.customers"))
    ax2.grid(False)
    ax2.set_ylim(bottom=0)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize="small")
    ax.set_title(tr("overview.trend"))
    ax.figure.tight_layout()
    return ax
