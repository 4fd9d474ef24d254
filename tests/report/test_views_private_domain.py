"""The private-domain report's display tables and findings: formats, labels, the playbook lines."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wxshop.report import findings
from wxshop.report.i18n import Translator
from wxshop.report.views import private_domain as view


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_column_a_view_shows_has_a_label(lang):
    tr = Translator(lang)
    for column, key in view.LABELS.items():
        assert tr(key), column


def test_leaving_rates_show_two_decimals_and_the_total_row_is_named():
    rates = pd.DataFrame(
        {
            "group_type": ["all", "VIP会员群"],
            "member_days": [1000.4, 300.0],
            "leaves": [23, 2],
            "daily_rate": [0.023, 2 / 300],
            "monthly_equivalent": [0.5, 0.18],
        }
    )
    shown = view.community_view(rates, Translator("en"))
    assert shown["group"].tolist() == ["All", "VIP会员群"]
    assert shown["daily_rate"].tolist() == ["2.30%", "0.67%"]
    assert shown["member_days"].tolist() == ["1,000", "300"]


def test_cadence_view_names_stages_and_formats_shares():
    cadence = pd.DataFrame(
        {
            "stage": ["new", "silent"],
            "entrants": [120, 40],
            "touched_share": [0.5, 0.25],
            "bought_30_touched": [0.2, 0.1],
            "bought_30_not": [0.1, float("nan")],
        }
    )
    shown = view.cadence_view(cadence, Translator("zh"))
    assert shown["stage"].tolist() == ["新客（3 天激活）", "沉默（14 天回访）"]
    assert shown["bought_30_not"].tolist() == ["10.0%", "—"]
    assert "bought_14_touched" not in shown.columns  # not computed: left out, not shown empty


def test_scorecard_reference_text_only_where_the_playbook_has_the_type():
    card = pd.DataFrame(
        {
            "group_type": ["VIP会员群", "读书群"],
            "groups": [2, 1],
            "messages_per_day": [30.0, 5.0],
            "conversion": [0.14, 0.02],
            "monthly_leaving": [0.05, 0.3],
            "reference_messages": [28.0, float("nan")],
            "reference_conversion": [0.15, float("nan")],
            "reference_leaving": [0.05, float("nan")],
        }
    )
    shown = view.scorecard_view(card, Translator("en"))
    assert shown["reference"].tolist() == ["28 / 15% / 5%", "—"]


def test_unlock_page_lists_every_private_table_with_where_to_export():
    for lang in ("zh", "en"):
        tr = Translator(lang)
        page = view.unlock_view(["posts"], tr)
        assert len(page) == len(view.PRIVATE_TABLES_SHOWN) == 7
        assert page["present"].tolist() == ["✗"] * 6 + ["✓"]
        assert all(w for w in page["where"])
    assert "联系客户统计" in view.unlock_view([], Translator("zh"))["where"].iloc[1]


def _headline(**kw):
    base = {
        "friend_add_rate": 0.2,
        "session_open_rate": 0.6,
        "request_pass_rate": 0.5,
        "daily_leaving_rate": 0.012,
        "replenishment_rate": 0.17,
        "touch_effect": 0.05,
        "touch_effect_interval": [0.02, 0.08],
        "naive_touch_difference": 0.11,
    }
    return {**base, **kw}


def test_findings_quote_the_figures_and_the_playbook_lines():
    lines = findings.for_notebook("private_domain", _headline(), {}, Translator("en"))
    assert len(lines) == 5
    assert lines[0].startswith("Friend-add rate 20.0% (playbook: above 25.0% is good): put a staff QR")
    assert "5.0% (95% interval 2.0% to 8.0%)" in lines[1] and "would give 11.0%" in lines[1]
    assert "keep the current rhythm" in lines[2]
    assert "1.20% of members a day" in lines[3] and "2.3% a day" in lines[3] and "17.0%" in lines[3]
    assert "50.0%" in lines[4]


def test_findings_skip_missing_figures_and_say_when_there_is_nothing():
    lines = findings.for_notebook(
        "private_domain", {"touch_effect": 0.05, "touch_effect_interval": [None, 1]}, {}, Translator("zh")
    )
    assert lines == [Translator("zh")("finding.private_none")]
    good = findings.for_notebook(
        "private_domain", _headline(friend_add_rate=0.38, session_open_rate=0.4), {}, Translator("en")
    )
    assert "keep the add-friend entry points" in good[0]
    assert "send fewer mass messages" in good[2]


def test_percent_rounds_and_dashes():
    assert view.percent(0.0123456, 3) == "1.235%"
    assert view.percent(float("nan")) == "—" and view.percent(None) == "—"
    assert math.isclose(findings.PRIVATE_REFERENCE["daily_leaving_rate"], 0.023)
