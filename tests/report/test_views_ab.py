"""What the A/B report shows: exact formatting, the parameters' per-arm counts, every view against
the numbers of the analysis (and a few by hand or statsmodels), the decision sentences, the headline
and the completeness of the translations."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from wxshop.ab.analysis import analyse_counts, analyse_users
from wxshop.ab.config import ABConfig
from wxshop.ab.inputs import arms_from_summary
from wxshop.ab.per_user import SEGMENT_DIMENSIONS
from wxshop.ab.results import ABAnalysis
from wxshop.ab.stats import DECISIONS, METRICS, REASONS
from wxshop.report.i18n import STRINGS, Translator
from wxshop.report.views import ab as v

TIGHT = 1e-9
MINUS = "\u2212"
HALF = {"control": 0.5, "treatment": 0.5}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # CJK ideographs and full-width punctuation
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # a code such as primary_not_significant


class Recording(Translator):
    """A Translator that remembers every key asked for."""

    def __init__(self, lang: str) -> None:
        super().__init__(lang)
        self.keys: set[str] = set()

    def __call__(self, key: str, **values: object) -> str:
        self.keys.add(key)
        return super().__call__(key, **values)


# ================================================================================ fixtures

# Dashboard counts, easy to follow by hand: conversion 10 % vs 13 %, revenue per user ¥10 vs ¥13,
# orders per user 0.120 vs 0.156.
COUNTS = {
    "control": {
        "users": 1000,
        "conversions": 100,
        "revenue_sum": 10_000.0,
        "revenue_sumsq": 2_000_000.0,
        "orders_sum": 120,
        "orders_sumsq": 160,
    },
    "treatment": {
        "users": 1000,
        "conversions": 130,
        "revenue_sum": 13_000.0,
        "revenue_sumsq": 2_600_000.0,
        "orders_sum": 156,
        "orders_sumsq": 208,
    },
}
# Counts cannot give AOV (no Σ revenue·orders), so the guardrail is orders per user; the three
# per-user metrics are named, so spend per buyer does not stand in for AOV.
COUNTS_CONFIG = ABConfig(guardrails=("orders_per_user",),
                         metrics=("conversion", "revenue_per_user", "orders_per_user"))


def _counts(
    summary: dict[str, dict[str, Any]],
    planned: dict[str, float] = HALF,
    config: ABConfig = COUNTS_CONFIG,
    **kw: Any,
) -> ABAnalysis:
    return analyse_counts(arms_from_summary(summary), planned, config, **kw)


def _conv(control: tuple[int, int], treatment: tuple[int, int]) -> dict[str, dict[str, int]]:
    """A conversions-only summary: (users, conversions) per arm."""
    return {
        "control": {"users": control[0], "conversions": control[1]},
        "treatment": {"users": treatment[0], "conversions": treatment[1]},
    }


@pytest.fixture(scope="module")
def counts_a() -> ABAnalysis:
    return _counts(COUNTS, days=14)


def _users_frame(seed: int = 7, n: int = 1500) -> pd.DataFrame:
    """``n`` users per arm; treatment converts at 14 % vs 10 %; a buyer places 1 + Poisson(0.3)
    orders of lognormal CNY; loyal users spent before; 5 % have no acquisition channel."""
    rng = np.random.default_rng(seed)
    variant = np.repeat(["control", "treatment"], n)
    p = np.where(variant == "treatment", 0.14, 0.10)
    loyal = rng.random(variant.size) < 0.3
    converted = rng.random(variant.size) < p * np.where(loyal, 1.6, 0.75)
    orders = converted * (1 + rng.poisson(0.3, variant.size))
    return pd.DataFrame(
        {
            "variant": variant,
            "converted": converted,
            "orders": orders,
            "revenue": orders * rng.lognormal(4.0, 0.6, variant.size),
            "pre_revenue": np.where(loyal, rng.lognormal(4.5, 0.8, variant.size), 0.0),
            "is_new": ~loyal & (rng.random(variant.size) < 0.6),
            "acquisition_channel": rng.choice(
                ["ads", "friend", "search", ""], variant.size, p=[0.5, 0.3, 0.15, 0.05]
            ),
            "city_tier": rng.choice(["tier1", "tier2"], variant.size),
        }
    )


@pytest.fixture(scope="module")
def users() -> pd.DataFrame:
    return _users_frame()


@pytest.fixture(scope="module")
def users_a(users: pd.DataFrame) -> ABAnalysis:
    return analyse_users(users, HALF, ABConfig(n_boot=300), days=14)


@pytest.fixture(scope="module")
def users_seq(users: pd.DataFrame) -> ABAnalysis:
    return analyse_users(users, HALF, ABConfig(n_boot=300, sequential=True), days=14)


def _all_views(a: ABAnalysis, tr: Translator) -> dict[str, pd.DataFrame | None]:
    return {
        "arms": v.arms_view(a),
        "metrics": v.metrics_view(a, tr),
        "guardrails": v.guardrails_view(a, tr),
        "balance": v.balance_view(a, tr),
        "bootstrap": v.bootstrap_view(a, tr),
        "bayes": v.bayes_view(a, tr),
        "power": v.power_view(a, tr),
        "sequential": v.sequential_view(a, tr),
        "segments": v.segments_view(a, tr),
    }


def _p(p: float) -> str:
    """A p-value as the views show it: 4 decimals, or '< 0.0001'."""
    return "< 0.0001" if p < 1e-4 else f"{p:.4f}"


def _row(view: pd.DataFrame, **match: str) -> pd.Series:
    """The one row of ``view`` whose columns equal ``match``."""
    mask = np.logical_and.reduce([view[k] == val for k, val in match.items()])
    rows = view[mask]
    assert len(rows) == 1, f"{len(rows)} rows match {match}"
    return rows.iloc[0]


# ============================================================================== formatting


@pytest.mark.parametrize(
    ("value", "metric", "expected"),
    [
        (0.123, "conversion", "12.3%"),
        (0.0, "conversion", "0.0%"),
        (1.0, "conversion", "100.0%"),
        (64.5, "aov", "¥64.50"),
        (1_234_567.891, "revenue_per_user", "¥1,234,567.89"),
        (0.1234, "orders_per_user", "0.123"),
        (1234.5, "orders_per_user", "1,234.500"),
    ],
)
def test_fmt_metric(value: float, metric: str, expected: str) -> None:
    assert v.fmt_metric(value, metric) == expected


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, math.inf, -math.inf, "n/a"])
@pytest.mark.parametrize("metric", METRICS)
def test_missing_values_are_a_dash(missing: Any, metric: str) -> None:
    assert v.fmt_metric(missing, metric) == "—"
    assert v.fmt_diff(missing, metric, "en") == "—"
    assert v.fmt_rel(missing) == "—"
    assert v.fmt_interval(missing, 0.1, metric) == "—"
    assert v.fmt_interval(-0.1, missing, None) == "—"


@pytest.mark.parametrize(
    ("value", "metric", "zh", "en"),
    [
        (0.03, "conversion", "+3.0 个百分点", "+3.0 pp"),
        (-0.0134, "conversion", f"{MINUS}1.3 个百分点", f"{MINUS}1.3 pp"),
        (0.0, "conversion", "+0.0 个百分点", "+0.0 pp"),
        (1234.5, "revenue_per_user", "+¥1,234.50", "+¥1,234.50"),
        (-1234.5, "revenue_per_user", f"{MINUS}¥1,234.50", f"{MINUS}¥1,234.50"),
        (-7.256, "aov", f"{MINUS}¥7.26", f"{MINUS}¥7.26"),
        (0.0504, "orders_per_user", "+0.050", "+0.050"),
        (-1500.0, "orders_per_user", f"{MINUS}1,500.000", f"{MINUS}1,500.000"),
    ],
)
def test_fmt_diff(value: float, metric: str, zh: str, en: str) -> None:
    assert v.fmt_diff(value, metric, "zh") == zh
    assert v.fmt_diff(value, metric, "en") == en
    assert v.fmt_diff(value, metric) == zh  # Chinese by default
    assert "-" not in v.fmt_diff(value, metric)  # never the ASCII hyphen as a sign


def test_fmt_rel_and_interval() -> None:
    assert v.fmt_rel(0.3) == "+30.0%"
    assert v.fmt_rel(-0.052) == f"{MINUS}5.2%"
    assert v.fmt_rel(np.float64(0.0)) == "+0.0%"
    assert v.fmt_interval(0.002068, 0.057932, "conversion", "en") == "[+0.2 pp, +5.8 pp]"
    assert v.fmt_interval(0.002068, 0.057932, "conversion") == "[+0.2 个百分点, +5.8 个百分点]"
    assert v.fmt_interval(-1.0834, 7.0834, "revenue_per_user", "zh") == f"[{MINUS}¥1.08, +¥7.08]"
    assert v.fmt_interval(-0.019179, 0.619179, None) == f"[{MINUS}1.9%, +61.9%]"  # relative: no unit


# ==================================================================== views of counts input


def test_conversion_p_value_equals_statsmodels(counts_a: ABAnalysis) -> None:
    """abstats tests conversion with the pooled z (test 'z_pooled'), statsmodels' default, and
    takes the interval from the unpooled (Wald) standard error."""
    conv = counts_a.metrics.set_index("metric").loc["conversion"]
    assert conv["test"] == "z_pooled"
    z, p = proportions_ztest([130, 100], [1000, 1000])  # prop_var=False: pooled
    assert conv["statistic"] == pytest.approx(z, abs=TIGHT)
    assert conv["p_value"] == pytest.approx(p, abs=TIGHT)
    low, high = confint_proportions_2indep(130, 1000, 100, 1000, method="wald", compare="diff")
    assert conv["ci_low"] == pytest.approx(low, abs=TIGHT)
    assert conv["ci_high"] == pytest.approx(high, abs=TIGHT)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_metrics_view_formats_the_metrics_rows(counts_a: ABAnalysis, lang: str) -> None:
    tr = Translator(lang)
    view = v.metrics_view(counts_a, tr)
    m = counts_a.metrics
    assert len(view) == len(m) == 3  # conversion, revenue and orders per user; AOV needs Σ r·o
    for (_, row), r in zip(view.iterrows(), m.to_dict(orient="records"), strict=True):
        metric = r["metric"]
        assert row["variant"] == "treatment"
        assert row["metric"] == tr(f"metric.{metric}")
        assert row["diff"] == v.fmt_diff(r["diff"], metric, lang)
        assert row["ci"] == v.fmt_interval(r["ci_low"], r["ci_high"], metric, lang)
        assert row["rel_ci"] == v.fmt_interval(r["rel_ci_low"], r["rel_ci_high"], None)
        assert row["p_value"] == _p(r["p_value"])
        assert row["p_adjusted"] == _p(r["p_adjusted"])
    conv = _row(view, metric=tr("metric.conversion"))
    unit = " 个百分点" if lang == "zh" else " pp"
    # 13 % − 10 % = 3 points; Wald interval 0.03 ± 1.96·sqrt(0.1·0.9/1000 + 0.13·0.87/1000)
    assert counts_a.metrics["diff"].iloc[0] == pytest.approx(0.03, abs=TIGHT)
    assert conv["diff"] == f"+3.0{unit}"
    assert conv["ci"] == f"[+0.2{unit}, +5.8{unit}]"
    assert (conv["control_mean"], conv["treatment_mean"], conv["rel_lift"]) == ("10.0%", "13.0%", "+30.0%")
    # pooled z = 0.03 / sqrt(0.115·0.885·2/1000) = 2.103 → p = 0.0355
    assert conv["p_value"] == "0.0355"
    assert conv["role"] == tr("role_ab.primary") and conv["significant"] == tr("no")
    rev = _row(view, metric=tr("metric.revenue_per_user"))
    assert (rev["control_mean"], rev["treatment_mean"], rev["diff"]) == ("¥10.00", "¥13.00", "+¥3.00")
    assert rev["role"] == tr("role_ab.secondary") and rev["cuped"] == tr("no")
    orders = _row(view, metric=tr("metric.orders_per_user"))
    assert (orders["control_mean"], orders["diff"]) == ("0.120", "+0.036")
    assert orders["role"] == tr("role_ab.guardrail")


def test_arms_view_shares_and_levels(counts_a: ABAnalysis) -> None:
    view = v.arms_view(counts_a)
    assert view["variant"].tolist() == ["control", "treatment"]
    assert view["users"].tolist() == ["1,000", "1,000"]
    assert view["planned_share"].tolist() == view["observed_share"].tolist() == ["50.0%", "50.0%"]
    assert view["conversion"].tolist() == ["10.0%", "13.0%"]
    assert view["revenue_per_user"].tolist() == ["¥10.00", "¥13.00"]
    assert view["orders_per_user"].tolist() == ["0.120", "0.156"]
    assert view["aov"].tolist() == ["—", "—"]  # not computable from counts


def test_arms_view_uneven_split_and_arm_without_users() -> None:
    """12,000 : 9,600 users of a planned 40 : 40 : 20, the third arm with nobody assigned."""
    summary = {
        "control": {"users": 12_000, "conversions": 1_200},
        "b": {"users": 9_600, "conversions": 1_000},
    }
    a = _counts(summary, {"control": 0.4, "b": 0.4, "ghost": 0.2}, ABConfig(guardrails=()))
    view = v.arms_view(a).set_index("variant")
    assert view.index.tolist() == ["control", "b", "ghost"]
    assert view["users"].tolist() == ["12,000", "9,600", "0"]
    assert view["planned_share"].tolist() == ["40.0%", "40.0%", "20.0%"]
    # 12,000 / 21,600 = 55.6 %, 9,600 / 21,600 = 44.4 %
    assert view["observed_share"].tolist() == ["55.6%", "44.4%", "0.0%"]
    assert view.loc["ghost", "conversion"] == "—"


@pytest.mark.parametrize(
    ("treatment_orders", "verdict_key", "zh", "en"),
    [
        # +30 %: worst case 0.3 − 1.96·0.173 = −3.9 % clears the −5 % margin
        ((156, 208), "guardrail.ok", "未变差（通过）", "not worse (passed)"),
        # −5 %: the interval reaches far below the margin but includes 0
        ((114, 152), "guardrail.unproven", "尚未证明", "not yet shown"),
        # halved: the whole interval is below 0
        ((60, 80), "guardrail.harmed", "显著变差", "significantly worse"),
    ],
)
def test_guardrails_view_verdicts(
    treatment_orders: tuple[int, int], verdict_key: str, zh: str, en: str
) -> None:
    s, ss = treatment_orders
    a = _counts({**COUNTS, "treatment": {**COUNTS["treatment"], "orders_sum": s, "orders_sumsq": ss}})
    g = a.guardrails.iloc[0]
    for lang, text in (("zh", zh), ("en", en)):
        tr = Translator(lang)
        view = v.guardrails_view(a, tr)
        assert view.columns.tolist() == [
            "variant",
            "metric",
            "rel_lift",
            "bound",
            "margin",
            "p_value",
            "non_inferior",
        ]
        row = view.iloc[0]
        assert tr(verdict_key) == text and row["non_inferior"] == text
        assert row["metric"] == tr("metric.orders_per_user")
        assert row["rel_lift"] == v.fmt_rel(g["estimate"]) and row["bound"] == v.fmt_rel(g["bound"])
        assert row["margin"] == f"{MINUS}5.0%"  # the allowed drop, as a signed change
    assert a.guardrails["estimate"].iloc[0] == pytest.approx(s / 1000 / 0.12 - 1, abs=TIGHT)


def test_relative_lift_is_a_dash_when_control_mean_is_zero() -> None:
    """Control placed no orders: the relative lift and the guardrail verdict are undefined."""
    control = {**COUNTS["control"], "orders_sum": 0, "orders_sumsq": 0}
    a = _counts({**COUNTS, "control": control})
    orders = a.metrics.set_index("metric").loc["orders_per_user"]
    assert bool(orders["relative_undefined"])
    for lang in ("zh", "en"):
        tr = Translator(lang)
        row = _row(v.metrics_view(a, tr), metric=tr("metric.orders_per_user"))
        assert (row["rel_lift"], row["rel_ci"]) == ("—", "—")
        assert row["diff"] == "+0.156"  # the absolute difference is still shown
        g = v.guardrails_view(a, tr).iloc[0]
        assert g["non_inferior"] == tr("guardrail.undefined")
        assert (g["rel_lift"], g["bound"], g["p_value"]) == ("—", "—", "—")
        # the other metrics keep their relative lift
        assert _row(v.metrics_view(a, tr), metric=tr("metric.conversion"))["rel_lift"] == "+30.0%"


def test_power_view(counts_a: ABAnalysis) -> None:
    """Power at alpha/3 (three tests), days at 2,000 users / 14 days, half of them in control."""
    p = counts_a.power.iloc[0]
    assert p["alpha"] == pytest.approx(0.05 / 3, abs=TIGHT)
    need = p["n_needed_control"]
    # two-sided z at alpha/3 and 80 % power, sd² = 0.1·0.9, a 5 % lift of 10 %
    approx = (stats.norm.isf(0.05 / 6) + stats.norm.isf(0.2)) ** 2 * 0.09 * 2 / 0.005**2
    assert need == pytest.approx(approx, rel=1e-4)
    days = math.ceil((need - 1000) / (2000 / 14 / 2))
    assert p["days_remaining"] == days
    for lang in ("zh", "en"):
        tr = Translator(lang)
        view = v.power_view(counts_a, tr)
        assert view.columns.tolist() == [
            "variant",
            "metric",
            "users",
            "n_needed",
            "achieved_power",
            "mde_rel",
            "days_remaining",
        ]
        row = view.iloc[0]
        assert row["metric"] == tr("metric.conversion")
        assert row["users"] == "1,000"
        assert row["n_needed"] == f"{math.ceil(need):,}"
        assert row["days_remaining"] == f"{days:,}"
        assert row["achieved_power"] == f"{100 * p['achieved_power']:.1f}%"
        assert row["mde_rel"] == f"{100 * p['mde_rel']:.1f}%"  # no "+" sign


def test_power_view_without_days_or_relative_lift() -> None:
    """Without days the remaining days are 'unknown'; with a zero control rate there is no
    relative MDE and no sample size."""
    a = _counts(_conv((1000, 0), (1000, 30)), config=ABConfig(guardrails=()))
    b = _counts(COUNTS)
    for lang in ("zh", "en"):
        tr = Translator(lang)
        row = v.power_view(a, tr).iloc[0]
        assert (row["mde_rel"], row["n_needed"]) == ("—", "—")
        assert row["days_remaining"] == tr("ab.days_unknown")
        assert v.power_view(b, tr).iloc[0]["days_remaining"] == tr("ab.days_unknown")


def test_bayes_view(counts_a: ABAnalysis) -> None:
    """Revenue per user, normal approximation by hand: se² = 1901.9/1000 + 2433.4/1000,
    P(beat) = Φ(3/se) = 92.5 %, loss = se·φ(z) − 3·Φ(−z) = ¥0.07."""
    var_c = (2_000_000 - 10_000**2 / 1000) / 999
    var_t = (2_600_000 - 13_000**2 / 1000) / 999
    se = math.sqrt(var_c / 1000 + var_t / 1000)
    z = 3 / se
    loss = se * stats.norm.pdf(z) - 3 * stats.norm.cdf(-z)
    bayes = counts_a.bayes.set_index("metric")
    rev = bayes.loc["revenue_per_user"]
    assert rev["prob_treatment_better"] == pytest.approx(stats.norm.cdf(z), abs=TIGHT)
    assert rev["expected_loss_treatment"] == pytest.approx(loss, abs=TIGHT)
    for lang in ("zh", "en"):
        tr = Translator(lang)
        view = v.bayes_view(counts_a, tr)
        assert view.columns.tolist() == ["variant", "metric", "prob_beat", "expected_loss"]
        rev = _row(view, metric=tr("metric.revenue_per_user"))
        assert (rev["prob_beat"], rev["expected_loss"]) == (f"{100 * stats.norm.cdf(z):.1f}%", "¥0.07")
        conv = _row(view, metric=tr("metric.conversion"))
        assert conv["prob_beat"] == f"{100 * bayes.loc['conversion', 'prob_treatment_better']:.1f}%"
        assert conv["expected_loss"] == v.fmt_diff(
            bayes.loc["conversion", "expected_loss_treatment"], "conversion", lang
        ).lstrip("+")
        assert not any(cell.startswith(("+", MINUS)) for cell in view["expected_loss"])  # a loss has no sign


# ===================================================================== views of users input


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_balance_view(users: pd.DataFrame, users_a: ABAnalysis, lang: str) -> None:
    tr = Translator(lang)
    view = v.balance_view(users_a, tr)
    assert view["variable"].tolist() == [tr("balance.pre_revenue"), tr("balance.is_new")]
    by_arm = users.groupby("variant")
    pre, new = by_arm["pre_revenue"].mean(), by_arm["is_new"].mean()
    pre_row, new_row = view.iloc[0], view.iloc[1]
    assert (pre_row["control_mean"], pre_row["treatment_mean"]) == (
        f"¥{pre['control']:,.2f}",
        f"¥{pre['treatment']:,.2f}",
    )
    assert (new_row["control_mean"], new_row["treatment_mean"]) == (
        f"{100 * new['control']:.1f}%",
        f"{100 * new['treatment']:.1f}%",
    )
    bal = users_a.balance
    assert view["rel_lift"].tolist() == [v.fmt_rel(x) for x in bal["rel_diff"]]
    assert view["p_value"].tolist() == [_p(p) for p in bal["p_value"]]
    assert view["flagged"].tolist() == [tr("no"), tr("no")]


def test_bootstrap_view(users_a: ABAnalysis) -> None:
    """Bootstrap interval beside the Welch interval of the same (CUPED) metrics row."""
    boot = users_a.bootstrap.iloc[0]
    welch = users_a.metrics.set_index("metric").loc["revenue_per_user"]
    for lang in ("zh", "en"):
        tr = Translator(lang)
        row = v.bootstrap_view(users_a, tr).iloc[0]
        assert row["metric"] == tr("metric.revenue_per_user")
        assert row["diff"] == v.fmt_diff(boot["diff"], "revenue_per_user", lang)
        assert row["ci"] == v.fmt_interval(boot["ci_low"], boot["ci_high"], "revenue_per_user", lang)
        assert row["welch_ci"] == v.fmt_interval(welch["ci_low"], welch["ci_high"], "revenue_per_user", lang)
        assert row["rel_ci"] == v.fmt_interval(boot["rel_ci_low"], boot["rel_ci_high"], None)
        assert row["ci"].startswith("[+¥") and row["ci"] != row["welch_ci"]


def test_bootstrap_diff_is_the_capped_revenue_difference(users: pd.DataFrame, users_a: ABAnalysis) -> None:
    buyers = users.loc[users["revenue"] > 0, "revenue"]
    capped = users["revenue"].clip(upper=np.percentile(buyers, 99))
    by_arm = capped.groupby(users["variant"]).mean()
    diff = by_arm["treatment"] - by_arm["control"]
    assert users_a.bootstrap["diff"].iloc[0] == pytest.approx(diff, abs=TIGHT)
    assert v.bootstrap_view(users_a, Translator("en")).iloc[0]["diff"] == f"+¥{diff:,.2f}"


@pytest.mark.parametrize(
    ("lang", "dims", "new", "returning", "unknown"),
    [
        ("zh", ["新客 / 老客", "获客渠道", "城市等级"], "新客", "老客", "未标注"),
        ("en", ["New vs returning", "Acquisition channel", "City tier"], "new", "returning", "not recorded"),
    ],
)
def test_segments_view_translates_dimensions_and_values(
    users: pd.DataFrame,
    users_a: ABAnalysis,
    lang: str,
    dims: list[str],
    new: str,
    returning: str,
    unknown: str,
) -> None:
    view = v.segments_view(users_a, Translator(lang))
    assert view["dimension"].unique().tolist() == dims
    assert view["value"].tolist() == [new, returning, "ads", "friend", "search", unknown, "tier1", "tier2"]
    # users per arm in a cell, "control / treatment", counted from the table
    blank = users[users["acquisition_channel"] == ""]["variant"].value_counts()
    assert _row(view, value=unknown)["users"] == f"{blank['control']:,} / {blank['treatment']:,}"
    newcomers = users[users["is_new"]]["variant"].value_counts()
    assert _row(view, value=new)["users"] == f"{newcomers['control']:,} / {newcomers['treatment']:,}"
    seg = users_a.segments
    assert view["diff"].tolist() == [v.fmt_diff(d, "conversion", lang) for d in seg["diff"]]
    assert view["p_adjusted"].tolist() == [_p(p) for p in seg["p_adjusted"]]


def test_sequential_view_only_with_sequential(users_a: ABAnalysis, users_seq: ABAnalysis) -> None:
    tr = Translator("en")
    assert v.sequential_view(users_a, tr) is None
    view = v.sequential_view(users_seq, tr)
    seq = users_seq.sequential.iloc[0]
    row = view.iloc[0]
    assert len(view) == 1 and row["variant"] == "treatment" and row["metric"] == "Conversion"
    assert row["ci"] == v.fmt_interval(seq["ci_low"], seq["ci_high"], "conversion", "en")
    assert row["p_adjusted"] == _p(seq["p_adjusted"])
    assert row["significant"] == ("yes" if seq["significant"] else "no")
    # the always-valid interval is wider than the fixed-sample one
    fixed = users_seq.metrics.set_index("metric").loc["conversion"]
    assert seq["ci_high"] - seq["ci_low"] > fixed["ci_high"] - fixed["ci_low"]


def test_views_absent_for_counts(counts_a: ABAnalysis) -> None:
    tr = Translator("zh")
    assert v.balance_view(counts_a, tr) is None
    assert v.bootstrap_view(counts_a, tr) is None
    assert v.segments_view(counts_a, tr) is None
    assert v.sequential_view(counts_a, tr) is None


# ================================================================================== words


# Two variants beating control by 3 and 6 points on 2,000 users each: both ship, green lifts more.
WIN = {
    "control": {"users": 2000, "conversions": 200},
    "red": {"users": 2000, "conversions": 260},
    "green": {"users": 2000, "conversions": 320},
}
WIN_SPLIT = {"control": 1 / 3, "red": 1 / 3, "green": 1 / 3}


def test_decision_lines_clear_win_zh() -> None:
    a = _counts(WIN, WIN_SPLIT, ABConfig(guardrails=()))
    assert a.decision.decision == "ship" and a.decision.best_variant == "green"
    lines = v.decision_lines(a, Translator("zh"))
    assert lines[0] == "总体结论：上线"
    assert lines[1] == "行动：把 green 全量上线，上线后继续观察护栏指标。"
    assert "结论：上线（red）" in lines and "结论：上线（green）" in lines
    assert lines.count("依据：主要指标显著提升") == 2
    assert not [line for line in lines if SNAKE.search(line)]


def test_decision_lines_clear_win_en_has_no_chinese() -> None:
    a = _counts(WIN, WIN_SPLIT, ABConfig(guardrails=()))
    tr = Translator("en")
    lines = v.decision_lines(a, tr)
    assert lines[0] == "Overall decision: Ship"
    assert lines[1] == "Action: roll green out to everyone, and keep watching the guardrails after launch."
    assert "red" not in lines[1]
    # per variant: decision, primary line, reasons
    # 16 % vs 10 %: Wald 0.06 ± 1.96·sqrt(0.1·0.9/2000 + 0.16·0.84/2000) = [0.039, 0.081]; z = 5.6
    assert lines[2:5] == [
        "Decision: Ship (green)",
        "Conversion: green vs control +6.0 pp (+60.0%), 95% interval [+3.9 pp, +8.1 pp], "
        "adjusted p < 0.0001.",
        "Why: the primary metric improved significantly",
    ]
    for line in lines:
        assert not CJK.search(line), line
        assert not SNAKE.search(line), line


def test_decision_lines_srm_is_inconclusive() -> None:
    """Planned 50 : 50 but 1,000 vs 800 users: chi² = 2·100²/900 = 22.2, p ≈ 2e-6 < 0.001."""
    a = _counts(_conv((1000, 100), (800, 150)), config=ABConfig(guardrails=()))
    assert a.decision.decision == "inconclusive"
    assert a.decisions["treatment"].reasons == ("sample_ratio_mismatch",)
    zh = v.decision_lines(a, Translator("zh"))
    assert zh[0] == "总体结论：无法下结论"
    assert "依据：样本比例不匹配，结果不可信" in zh
    en = v.decision_lines(a, Translator("en"))
    assert en[0] == "Overall decision: Inconclusive"
    assert "Why: sample ratio mismatch: results not trustworthy" in en
    assert v.arms_view(a)["observed_share"].tolist() == ["55.6%", "44.4%"]


def test_decision_lines_keep_running_say_what_is_needed() -> None:
    """Not significant, 10 % base, target lift 10 %: n ≈ (z.975 + z.8)²·0.09·2/0.01² ≈ 14,128 per arm;
    10,000 users in 5 days → 1,000 control users a day → 10 more days (≤ 28 to wait)."""
    a = _counts(
        _conv((5000, 500), (5000, 510)), config=ABConfig(guardrails=(), target_relative_mde=0.1), days=5
    )
    d = a.decisions["treatment"]
    assert d.decision == "keep_running"
    assert d.reasons == ("primary_not_significant", "underpowered_keep_collecting")
    need = a.power["n_needed_control"].iloc[0]
    assert need == pytest.approx((stats.norm.isf(0.025) + stats.norm.isf(0.2)) ** 2 * 1800, rel=1e-4)
    days = math.ceil((need - 5000) / 1000)
    assert days == 10
    lines = v.decision_lines(a, Translator("en"))
    assert lines[-1] == (
        f"To settle it, about {math.ceil(need):,} users per arm are needed; "
        "at the current traffic about 10 more days."
    )
    # without days the wait is unknown, so no need-more line
    b = _counts(_conv((5000, 500), (5000, 510)), config=ABConfig(guardrails=(), target_relative_mde=0.1))
    assert b.decisions["treatment"].reasons == ("primary_not_significant", "power_unknown")
    assert not any(line.startswith("To settle it") for line in v.decision_lines(b, Translator("en")))


def test_decision_lines_relative_lift_undefined() -> None:
    a = _counts(_conv((1000, 0), (1000, 30)), config=ABConfig(guardrails=()))
    assert a.decision.decision == "ship"
    primary = [line for line in v.decision_lines(a, Translator("en")) if line.startswith("Conversion:")]
    assert len(primary) == 1 and "+3.0 pp (—)" in primary[0]


def test_decision_lines_sequential_use_the_always_valid_interval(users_seq: ABAnalysis) -> None:
    """With ``sequential`` the decision rests on the always-valid p-value and interval; the sentence
    must quote that interval beside that p-value, not the fixed-sample interval."""
    seq = users_seq.sequential.iloc[0]
    d = users_seq.decisions["treatment"]
    assert d.p_value == pytest.approx(seq["p_adjusted"], abs=TIGHT)
    lines = v.decision_lines(users_seq, Translator("en"))
    primary = [line for line in lines if line.startswith("Conversion:")]
    ci = v.fmt_interval(seq["ci_low"], seq["ci_high"], "conversion", "en")
    assert len(primary) == 1
    assert f"95% interval {ci}, adjusted p = {_p(seq['p_adjusted'])}.".replace("= <", "<") in primary[0]


def test_decision_lines_fixed_sample_use_the_metrics_row(users_a: ABAnalysis) -> None:
    m = users_a.metrics.set_index("metric").loc["conversion"]
    assert bool(m["cuped"])  # the decision's test is the CUPED one
    line = next(x for x in v.decision_lines(users_a, Translator("en")) if x.startswith("Conversion:"))
    assert line == (
        f"Conversion: treatment vs control {v.fmt_diff(m['diff'], 'conversion', 'en')} "
        f"({v.fmt_rel(m['rel_lift'])}), 95% interval "
        f"{v.fmt_interval(m['ci_low'], m['ci_high'], 'conversion', 'en')}, "
        f"adjusted p = {_p(m['p_adjusted'])}."
    )


# =============================================================================== headline


def test_headline_counts(counts_a: ABAnalysis) -> None:
    h = v.headline(counts_a)
    conv = counts_a.metrics.set_index("metric").loc["conversion"]
    assert h["decision"] == counts_a.decision.decision
    assert h["best_variant"] is None
    assert (h["input"], h["control"], h["primary_metric"]) == ("counts", "control", "conversion")
    assert h["users"] == 2000 and type(h["users"]) is int
    assert h["srm_p_value"] == pytest.approx(1.0, abs=TIGHT)  # exactly the planned split
    assert h["srm_mismatch"] is False
    assert h["excluded_multi_variant"] == 0
    assert h["warnings"] == list(counts_a.warnings) == []  # the guardrail (orders) is computable
    assert h["treatment.decision"] == counts_a.decisions["treatment"].decision
    assert h["treatment.diff"] == pytest.approx(0.03, abs=TIGHT)
    for key in ("ci_low", "ci_high", "rel_lift", "p_value", "p_adjusted"):
        assert h[f"treatment.{key}"] == pytest.approx(conv[key], abs=TIGHT)
    json.dumps(h)  # recorded in the report's JSON


def test_headline_win_and_srm() -> None:
    win = _counts(WIN, WIN_SPLIT, ABConfig(guardrails=()), excluded={"multi_variant": 7})
    h = v.headline(win)
    assert (h["decision"], h["best_variant"], h["users"]) == ("ship", "green", 6000)
    assert h["excluded_multi_variant"] == 7
    m = win.metrics.set_index("treatment")
    assert h["red.diff"] == pytest.approx(0.03, abs=TIGHT)
    assert h["green.diff"] == pytest.approx(0.06, abs=TIGHT)
    assert h["green.p_adjusted"] == pytest.approx(m.loc["green", "p_adjusted"], abs=TIGHT)
    assert (h["red.decision"], h["green.decision"]) == ("ship", "ship")

    srm = _counts(_conv((1000, 100), (800, 80)), config=ABConfig(guardrails=()))
    h = v.headline(srm)
    assert h["srm_p_value"] == pytest.approx(stats.chi2.sf(2 * 100**2 / 900, 1), rel=1e-9)
    assert h["srm_mismatch"] is True and h["warnings"][0] == "sample_ratio_mismatch"
    assert h["users"] == 1800


# ============================================================================ translations


def test_labels_are_translated() -> None:
    for column, key in v.LABELS.items():
        assert key in STRINGS, f"LABELS[{column!r}] = {key!r} has no translation"
        zh, en = STRINGS[key]
        assert zh and en


def test_every_view_column_has_a_label(
    counts_a: ABAnalysis, users_a: ABAnalysis, users_seq: ABAnalysis
) -> None:
    tr = Translator("zh")
    for a in (counts_a, users_a, users_seq):
        for name, view in _all_views(a, tr).items():
            if view is not None:
                missing = [c for c in view.columns if c not in v.LABELS]
                assert not missing, f"{name}_view columns without a label: {missing}"


def test_every_code_abview_translates_has_both_languages() -> None:
    """Every key abview builds from a code (decisions, actions, reasons, metrics, roles, guardrail
    verdicts, balance variables, segment dimensions and values) exists with the same placeholders."""
    keys = {
        "ab.decision_overall",
        "ab.decision_line",
        "ab.primary_line",
        "ab.reasoning",
        "ab.need_more",
        "ab.days_unknown",
        "yes",
        "no",
        "value.new",
        "value.returning",
        "channel.unknown",
        "balance.pre_revenue",
        "balance.is_new",
    }
    keys |= {f"decision.{d}" for d in DECISIONS} | {f"ab.action.{d}" for d in DECISIONS}
    keys |= {f"reason.{r}" for r in REASONS} | {f"metric.{m}" for m in METRICS}
    keys |= {f"role_ab.{r}" for r in ("primary", "guardrail", "secondary")}
    keys |= {f"guardrail.{g}" for g in ("ok", "unproven", "harmed", "undefined")}
    keys |= {f"segment_dim.{d}" for d in SEGMENT_DIMENSIONS}
    field = re.compile(r"{(\w+)")
    for key in sorted(keys):
        assert key in STRINGS, key
        zh, en = STRINGS[key]
        assert set(field.findall(zh)) == set(field.findall(en)), key
        assert not CJK.search(en), key


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_keys_used_for_the_fixtures_exist_in_both_languages(
    counts_a: ABAnalysis, users_a: ABAnalysis, users_seq: ABAnalysis, lang: str
) -> None:
    """Run every view and sentence on the fixtures, recording the keys asked for; in English no
    cell or line contains Chinese."""
    tr = Recording(lang)
    analyses = [counts_a, users_a, users_seq, _counts(WIN, WIN_SPLIT, ABConfig(guardrails=()))]
    cells: list[str] = []
    for a in analyses:
        for view in _all_views(a, tr).values():
            if view is not None:
                cells += [str(x) for x in view.to_numpy().ravel()]
        cells += v.decision_lines(a, tr)
    assert {
        "decision.ship",
        "decision.keep_running",
        "decision.inconclusive",
        "guardrail.ok",
        "guardrail.unproven",
        "value.new",
        "channel.unknown",
        "segment_dim.city_tier",
    } <= tr.keys
    for key in tr.keys:
        assert key in STRINGS and all(STRINGS[key]), key
    if lang == "en":
        chinese = [c for c in cells if CJK.search(c)]
        assert not chinese, chinese[:5]
    assert not [c for c in cells if SNAKE.search(c)]  # codes never reach the reader


def test_negative_levels_use_the_minus_sign() -> None:
    assert v.fmt_metric(-5, "revenue_per_user") == "−¥5.00"
    assert v.fmt_metric(-0.0123, "conversion") == "−1.2%"


def test_metric_and_guardrail_notes_name_correction_cap_and_unchecked_guardrails() -> None:
    """Counts cannot give AOV: the AOV guardrail is said to be not checked."""
    a = _counts(
        {"control": {"users": 1000, "conversions": 100}, "treatment": {"users": 1000, "conversions": 130}},
        config=ABConfig(guardrails=("aov",), correction="bh", cap_percentile=None),
    )
    en = Translator("en")
    notes = v.metric_notes(a, en)
    assert notes[0].startswith("Significance level α = 0.05; multiple-testing correction: Benjamini–Hochberg")
    assert notes[0].endswith("Revenue is not capped.") and f"over {len(a.metrics)} variant" in notes[0]
    assert "no cap percentile" not in notes[0]
    assert any(line.startswith("The input does not allow:") and "AOV" in line for line in notes[1:])
    guard = v.guardrail_notes(a, en)
    assert guard == [
        "A guardrail must not be worse than control by more than 5% (one-sided test).",
        "Guardrail AOV (per order) cannot be computed from this input and was not checked.",
    ]
