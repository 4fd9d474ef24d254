"""What the ``03_ab_test`` report shows of an :class:`~wxshop.ab.analysis.ABAnalysis`.

The analysis works in codes and raw units; this module turns it into the reader's tables and
sentences, in the report's language: figures formatted by metric (conversion in % and
percentage points, money in CNY, orders as plain numbers), intervals as one cell, codes
(decisions, reasons, metrics, segment values) translated. (The per-arm counts typed into the
parameters are read by :func:`wxshop.ab.inputs.arms_from_summary`.)

The code lives in :mod:`~wxshop.report.views.ab_format` (figures), :mod:`~wxshop.report.views.ab_tables`
(tables), :mod:`~wxshop.report.views.ab_words` (sentences) and :mod:`~wxshop.report.views.ab_cards`
(the key-figure cards); this module gathers their public names
so that notebooks keep ``from wxshop.report.views import ab as abview``.

Every ``*_view`` returns a DataFrame of display strings with canonical column names; show it
with ``report.table(view, LABELS)``. :func:`headline` gives the figures recorded in the JSON;
:func:`cards` the key-figure cards, shown with ``report.cards(c.values, c.spec, c.notes)``.
"""

from __future__ import annotations

from wxshop.report.views.ab_cards import CARDS, Cards, cards, focus_variant
from wxshop.report.views.ab_format import fmt_diff, fmt_interval, fmt_metric, fmt_rel
from wxshop.report.views.ab_tables import (
    LABELS,
    arms_view,
    balance_view,
    bayes_view,
    bootstrap_view,
    guardrails_view,
    metrics_view,
    power_view,
    segments_view,
    sequential_view,
)
from wxshop.report.views.ab_words import (
    decision_lines,
    guardrail_notes,
    headline,
    metric_notes,
    other_metrics_line,
)

__all__ = [
    "CARDS",
    "LABELS",
    "Cards",
    "arms_view",
    "balance_view",
    "bayes_view",
    "bootstrap_view",
    "cards",
    "decision_lines",
    "fmt_diff",
    "fmt_interval",
    "fmt_metric",
    "fmt_rel",
    "focus_variant",
    "guardrail_notes",
    "guardrails_view",
    "headline",
    "metric_notes",
    "metrics_view",
    "other_metrics_line",
    "power_view",
    "segments_view",
    "sequential_view",
]
