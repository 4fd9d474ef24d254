"""Issue 17: the key findings and the first lines of the decision section give every metric's
direction and significance, adverse ones included, not the primary alone."""

from __future__ import annotations

import pytest
from issue17_fixtures import hidden_aov_drop

from wxshop.ab.analysis import ABConfig, analyse_users
from wxshop.report import findings
from wxshop.report.i18n import Translator
from wxshop.report.views import ab as abview


@pytest.fixture(scope="module")
def hidden():
    return analyse_users(hidden_aov_drop(), {"control": 0.5, "treatment": 0.5},
                         ABConfig(cap_percentile=None, n_boot=200))


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["总体结论：不上线",
            "转化率：treatment 比对照组 +1.5 个百分点（+15.0%）",
            "人均收入 −3.8%（95% 区间 −12.2% 到 +4.6%），不显著",
            "客单价（每位下单用户）（护栏） −16.3%",
            "显著下降",
            "依据：护栏指标显著变差"]),
    ("en", ["Overall decision: Don't ship",
            "Conversion: treatment vs control +1.5 pp (+15.0%)",
            "Revenue per user −3.8% (95% interval −12.2% to +4.6%), not significant",
            "Spend per converting user (guardrail) −16.3%",
            "significantly down",
            "Why: a guardrail got significantly worse"]),
])
def test_findings_show_the_adverse_metrics(hidden, lang, expected):
    lines = abview.decision_lines(hidden, Translator(lang))
    key = findings.ab_test(lines)
    assert key == lines[:5]  # the decision section opens with the same sentences
    text = "\n".join(key)
    for part in expected:
        assert part in text, (part, text)
    other = next(line for line in key if line.startswith(("其他指标", "Other metrics")))
    assert "orders" not in other.lower() and "订单" not in other  # no orders: nothing invented
