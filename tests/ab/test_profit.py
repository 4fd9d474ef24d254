"""Issue 17: gross profit per user (revenue − cost of goods − coupon cost) as primary metric or
guardrail. The coupon test (5 vs 15 CNY): the 15 CNY arm wins on conversion and revenue but
loses on profit, so it is not shipped when profit is the primary or a guardrail."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from issue17_fixtures import coupon_test

from wxshop.ab.analysis import ABConfig, analyse_users
from wxshop.ab.inputs import read_user_outcomes
from wxshop.ab.outcomes import user_outcomes
from wxshop.report.i18n import Translator
from wxshop.report.views import ab as abview

SPLIT = {"control": 0.5, "treatment": 0.5}
CFG = ABConfig(cap_percentile=None, n_boot=200)


@pytest.fixture(scope="module")
def coupon_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("coupon") / "coupon_outcomes.csv"
    coupon_test().to_csv(path, index=False)
    return read_user_outcomes(path)


def test_profit_by_hand(coupon_file):
    users = coupon_file
    assert {"cost", "coupon_cost"} <= set(users.columns)
    a = analyse_users(users, SPLIT, CFG)
    m = a.metrics.set_index("metric")
    # per buyer ¥60 − ¥36 − coupon: ¥19 × 1,600 / 20,000 = ¥1.52; ¥9 × 2,000 / 20,000 = ¥0.90
    assert m.loc["profit_per_user", "mean_control"] == pytest.approx(1.52, abs=1e-3)
    assert m.loc["profit_per_user", "mean_treatment"] == pytest.approx(0.90, abs=1e-3)
    profit = users["revenue"] - users["cost"] - users["coupon_cost"]
    c, t = (profit[users["variant"] == v].to_numpy() for v in ("control", "treatment"))
    assert m.loc["profit_per_user", "diff"] == pytest.approx(t.mean() - c.mean(), rel=1e-12)
    se = np.sqrt(c.var(ddof=1) / c.size + t.var(ddof=1) / t.size)
    assert m.loc["profit_per_user", "se"] == pytest.approx(se, rel=1e-12)
    # the 15 CNY coupon wins on conversion (+25 %) and on revenue per user (+25 %)
    for metric in ("conversion", "revenue_per_user"):
        assert m.loc[metric, "rel_lift"] == pytest.approx(0.25, abs=1e-6)
        assert m.loc[metric, "significant"]
    assert m.loc["profit_per_user", "significant"] and m.loc["profit_per_user", "diff"] < 0


def test_without_profit_the_coupon_ships(coupon_file):
    """What the issue found: judged on conversion with the AOV guardrail (here spend per buyer,
    unchanged at ¥60), the 15 CNY coupon ships. Without costs profit is only listed as missing."""
    users = coupon_file.drop(columns=["cost", "coupon_cost"])
    a = analyse_users(users, SPLIT, CFG)
    assert a.decision.decision == "ship"
    assert "profit_per_user" in a.skipped_metrics


def test_profit_as_primary_is_not_shipped(coupon_file):
    a = analyse_users(coupon_file, SPLIT, ABConfig(primary_metric="profit_per_user", guardrails=(),
                                                   cap_percentile=None, n_boot=200))
    assert a.decision.decision == "dont_ship"
    assert a.decisions["treatment"].reasons == ("primary_significantly_worse",)


def test_profit_as_guardrail_is_not_a_plain_ship(coupon_file):
    a = analyse_users(coupon_file, SPLIT, ABConfig(guardrails=("profit_per_user",), cap_percentile=None,
                                                   n_boot=200))
    assert a.decisions["treatment"].reasons[0] == "guardrail_harmed"
    assert a.decision.decision == "dont_ship"
    en = "\n".join(abview.decision_lines(a, Translator("en")))
    assert "Gross profit per user (guardrail) −40.8%" in en and "significantly down" in en
    zh = "\n".join(abview.decision_lines(a, Translator("zh")))
    assert "人均毛利（护栏） −40.8%" in zh and "显著下降" in zh


@pytest.mark.parametrize("lang, formula", [
    ("zh", "人均毛利 = Σ（收入 − 商品成本 − 券与折扣成本）÷ 分组用户数"),
    ("en", "Gross profit per user = Σ (revenue − cost of goods − coupon and discount cost) ÷ assigned users"),
])
def test_the_report_states_the_formula(coupon_file, lang, formula):
    a = analyse_users(coupon_file, SPLIT, CFG)
    assert any(line.startswith(formula) for line in abview.metric_notes(a, Translator(lang)))


def test_profit_from_orders_and_item_costs():
    """From the store: profit = paid amount − Σ quantity × unit_cost; the order discount is
    already out of the amount paid and is not taken off twice."""
    experiments = pd.DataFrame({
        "experiment_id": ["e1"] * 3, "customer_id": ["a", "b", "c"],
        "variant": ["control", "treatment", "treatment"],
        "assigned_at": pd.to_datetime(["2024-03-01"] * 3),
    })
    orders = pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4"], "customer_id": ["a", "b", "b", "c"],
        "ordered_at": pd.to_datetime(["2024-03-02", "2024-03-03", "2024-03-20", "2024-02-20"]),
        "amount": [55.0, 45.0, 30.0, 99.0], "discount": [5.0, 15.0, 0.0, 0.0],
    })
    items = pd.DataFrame({"order_id": ["o1", "o1", "o2", "o3", "o4"],
                          "sku_id": ["s1", "s2", "s1", "s2", "s1"], "quantity": [1, 2, 1, 1, 1],
                          "unit_price": [40.0, 10.0, 40.0, 20.0, 40.0]})
    products = pd.DataFrame({"sku_id": ["s1", "s2"], "name": ["x", "y"], "category": ["c", "c"],
                             "unit_cost": [24.0, 6.0]})
    got = user_outcomes(experiments, orders, "e1", window_days=14, order_items=items, products=products)
    u = got.users.set_index("customer_id")
    # a: o1 paid 55, cost 24 + 2·6 = 36 → 19; b: o2 paid 45, cost 24 → 21 (o3 is after the window)
    assert u["cost"].tolist() == [36.0, 24.0, 0.0]
    assert u["profit"].tolist() == [19.0, 21.0, 0.0]
    assert got.cost_missing_orders == 0
    # an item without a unit cost: the cost of goods is unknown, so no profit rather than a wrong one
    partial = user_outcomes(experiments, orders, "e1", window_days=14, order_items=items,
                            products=products.assign(unit_cost=[24.0, np.nan]))
    assert "profit" not in partial.users.columns and partial.cost_missing_orders == 1
