"""Every figure the reports record, with its name, formula, window and unit, built from the very
i18n strings the reports print — and ``docs/definitions.md``, written from them.

``python -m wxshop.report.definitions [path]`` (``make definitions``) writes the page;
tests/report/test_definitions.py fails when the committed page is stale, and the batch test
fails when a report's JSON records a figure this registry does not define.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from wxshop.report.i18n import LANGS, t
from wxshop.report.views import ab as ab_view
from wxshop.report.views import growth as growth_view
from wxshop.report.views import overview as overview_view
from wxshop.report.views import private_domain as private_view
from wxshop.report.views import products as products_view
from wxshop.report.views import profiling as profiling_view

__all__ = ["AB_METRICS", "REPORTS", "Figure", "documented", "figures", "markdown"]


@dataclass(frozen=True)
class Figure:
    """One figure: its JSON name and the i18n keys of its name, formula, window and unit."""

    name: str  # key in the report JSON's headline (``<variant>.x`` for per-variant A/B figures)
    label: str
    formula: str
    window: str
    unit: str


REPORTS: tuple[str, ...] = ("store_overview", "user_profiling", "product_selection", "ab_test", "growth",
                            "private_domain")
AB_METRICS: tuple[str, ...] = (
    "conversion", "revenue_per_user", "orders_per_user", "aov", "spend_per_buyer", "profit_per_user",
)
_VARIANT = ("decision", "diff", "ci_low", "ci_high", "rel_lift", "p_value", "p_adjusted")
# The A/B report's key-figure cards: shown (as text), not recorded; named card:<name> here.
_AB_CARD_UNITS = {"ab_decision": "doc.unit.code", "ab_lift": "doc.unit.share", "ab_p_value": "doc.unit.p",
                  "ab_users": "doc.unit.int", "ab_days": "doc.unit.days", "ab_guardrails": "doc.unit.code"}


def _kpis(spec: list[tuple[str, ...]], window: str, windows: dict[str, str] | None = None) -> list[Figure]:
    return [Figure(name, f"kpi.{name}", definition[0] if definition else f"def.{name}",
                   (windows or {}).get(name, window), f"doc.unit.{kind}")
            for name, kind, *definition in spec]


def _doc(name: str, label: str, window: str, unit: str) -> Figure:
    return Figure(name, label or f"doc.label.{name}", f"doc.def.{name}", window, unit)


def figures(report: str) -> list[Figure]:
    """The figures of one report (a name of :data:`REPORTS`), in the order they are shown.

    Examples
    --------
    >>> [f.name for f in figures("store_overview")][:3]
    ['customers', 'orders', 'gmv_gross']
    """
    if report == "store_overview":
        return [*_kpis(overview_view.KPIS, "doc.window.report"),
                _doc("period_over_period", "overview.periods", "doc.window.compare", "doc.unit.pp"),
                _doc("card_trends", "", "doc.window.card_trends", "doc.unit.pp")]
    if report == "user_profiling":
        return [
            *_kpis(profiling_view.KPIS, "doc.window.period", {"customers": "doc.window.history"}),
            _doc("period_over_period", "overview.periods", "doc.window.compare_p", "doc.unit.pp"),
            _doc("card_trends", "", "doc.window.card_trends", "doc.unit.pp"),
            _doc("period_days", "", "doc.window.none", "doc.unit.days"),
            _doc("stage_thresholds", "", "doc.window.history", "doc.unit.days"),
            _doc("bgnbd", "", "doc.window.history", "doc.unit.params"),
            _doc("gamma_gamma", "", "doc.window.history", "doc.unit.params"),
            _doc("expected_purchases_90_total", "", "doc.window.future", "doc.unit.float"),
            _doc("expected_value_90_total", "", "doc.window.future", "doc.unit.cny"),
            _doc("mean_p_alive", "col.mean_p_alive", "doc.window.history", "doc.unit.p"),
            _doc("holdout", "", "doc.window.holdout", "doc.unit.share"),
            _doc("value_90", "", "doc.window.future", "doc.unit.cny"),
        ]
    if report == "product_selection":
        roles = [_doc(f"{r}_skus", "", "doc.window.products", "doc.unit.int")
                 for r in ("traffic", "profit", "tail")]
        return [*_kpis(products_view.KPIS, "doc.window.products"), *roles,
                _doc("role_counts", "", "doc.window.products", "doc.unit.int")]
    if report == "ab_test":
        whole = [("decision", "doc.unit.code"), ("best_variant", "doc.unit.code"), ("input", "doc.unit.code"),
                 ("control", "doc.unit.code"), ("primary_metric", "doc.unit.code"), ("users", "doc.unit.int"),
                 ("srm_p_value", "doc.unit.p"), ("srm_mismatch", "doc.unit.code"),
                 ("excluded_multi_variant", "doc.unit.int"), ("warnings", "doc.unit.code"),
                 ("analysis", "doc.unit.params")]
        unit = {"decision": "doc.unit.code", "rel_lift": "doc.unit.share", "p_value": "doc.unit.p",
                "p_adjusted": "doc.unit.p"}
        per_variant = [Figure(f"<variant>.{v}", "doc.variant", f"doc.def.v.{v}", "doc.window.ab",
                              unit.get(v, "doc.unit.metric")) for v in _VARIANT]
        metrics = [Figure(f"metric:{m}", f"metric.{m}", f"doc.def.metric.{m}", "doc.window.ab",
                          "doc.unit.share" if m == "conversion" else "doc.unit.cny" if m != "orders_per_user"
                          else "doc.unit.float") for m in AB_METRICS]
        cards = [Figure(f"card:{name}", f"kpi.{name}", f"def.{name}",
                        "doc.window.ab_assignment" if name == "ab_days" else "doc.window.ab",
                        _AB_CARD_UNITS[name]) for name, _ in ab_view.CARDS]
        return [*cards, *(_doc(n, "", "doc.window.ab", u) for n, u in whole), *per_variant, *metrics]
    if report == "growth":
        windows = {"activity_conversion": "doc.window.events", "d1_retention": "doc.window.events",
                   "k_factor": "doc.window.history", "campaign_roi_gmv": "doc.window.history",
                   "campaigns_with_gain": "doc.window.history", "group_completion_rate": "doc.window.history"}
        kpis = [f if f.name != "peak_hour" else Figure(f.name, f.label, f.formula, f.window, "doc.unit.hour")
                for f in _kpis(growth_view.KPIS, "doc.window.period", windows)]
        return [*kpis, _doc("weakest_step", "", "doc.window.events", "doc.unit.code"),
                _doc("weakest_step_conversion", "", "doc.window.events", "doc.unit.share"),
                _doc("peak_hours", "", "doc.window.period", "doc.unit.hour"),
                _doc("peak_in_window", "", "doc.window.period", "doc.unit.code"),
                _doc("acquired_difference_90", "", "doc.window.history", "doc.unit.cny")]
    if report == "private_domain":
        windows = {"daily_leaving_rate": "doc.window.period", "touch_effect": "doc.window.holdout_sop"}
        kpis = [f if f.name != "avg_reply_minutes" else Figure(f.name, f.label, f.formula, f.window,
                                                                "doc.unit.minutes")
                for f in _kpis(private_view.KPIS, "doc.window.period", windows)]
        return [*kpis,
                _doc("touch_effect_interval", "", "doc.window.holdout_sop", "doc.unit.share"),
                _doc("naive_touch_difference", "", "doc.window.period", "doc.unit.share"),
                _doc("card_trends", "", "doc.window.card_trends", "doc.unit.pp"),
                _doc("contacts", "", "doc.window.history", "doc.unit.int"),
                _doc("private_tables", "", "doc.window.none", "doc.unit.code")]
    raise ValueError(f"unknown report {report!r}; one of {', '.join(REPORTS)}")


def documented(report: str, name: str) -> bool:
    """Whether a headline name of ``report``'s JSON has a definition (per-variant A/B figures
    ``treatment.diff`` match ``<variant>.diff``).

    >>> documented("ab_test", "treatment_b.p_adjusted"), documented("store_overview", "gmv_net")
    (True, False)
    """
    names = {f.name for f in figures(report)}
    if report == "ab_test" and "." in name:
        return f"<variant>.{name.rsplit('.', 1)[1]}" in names
    return name in names


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown() -> str:
    """The definitions page: one table per report and language (zh first)."""
    out = [f"# {t('doc.title', 'zh')} · {t('doc.title', 'en')}", "",
           "<!-- generated by `python -m wxshop.report.definitions`; do not edit by hand -->", "",
           t("doc.intro", "zh"), "", t("doc.intro", "en"), ""]
    for report in REPORTS:
        for lang in LANGS:
            out += [f"## {t(f'notebook.{report}', lang)} ({report}, {lang})", ""]
            head = [t(f"doc.col.{c}", lang) for c in ("name", "label", "formula", "window", "unit")]
            out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            for f in figures(report):
                row = [f"`{f.name}`", *(t(key, lang) for key in (f.label, f.formula, f.window, f.unit))]
                out.append("| " + " | ".join(_cell(c) for c in row) + " |")
            out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover - exercised through `make definitions`
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/definitions.md")
    target.write_text(markdown(), encoding="utf-8")
    print(target)
