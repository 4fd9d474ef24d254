"""Repurchase rates (复购率, 回购率) and the customers headline on hand-computed fixtures."""

import math

import pandas as pd
import pytest
from order_frames import make_orders

from wxshop.analysis import repurchase

END = "2025-06-30"

@pytest.fixture
def repurchase_orders() -> pd.DataFrame:
    # period 2025-06-01 … 06-30, previous 2025-05-02 … 05-31 (period_days=30)
    return make_orders(
        [
            ("r1", "2025-06-01 00:00", 100.0, "paid"),
            ("r1", "2025-06-30 23:59", 50.0, "paid"),  # 2 orders in period: repeat
            ("r2", "2025-05-02 00:00", 10.0, "paid"),  # previous period's first day
            ("r2", "2025-06-15 12:00", 20.0, "paid"),  # returned
            ("r3", "2025-05-31 23:59:59", 30.0, "paid"),  # previous period only: not returned
            ("r4", "2025-05-01 12:00", 40.0, "paid"),  # before the previous period
            ("r4", "2025-06-10 09:00", 5.0, "paid"),
            ("r4", "2025-06-10 10:00", 5.0, "paid"),  # a basket split in two orders: one purchase
            ("r5", "2025-05-20 12:00", 15.0, "paid"),
            ("r5", "2025-06-05 12:00", 99.0, "refunded"),
            ("r5", "2025-06-06 12:00", 25.0, "paid"),
            ("r6", "2025-07-01 00:00", 70.0, "paid"),  # after period_end
        ]
    )


def test_repurchase_rates_both_definitions(repurchase_orders):
    got = repurchase.repurchase_rates(repurchase_orders, END, period_days=30)
    assert got == {
        "period_start": "2025-06-01",
        "period_end": "2025-06-30",
        "prev_start": "2025-05-02",
        "prev_end": "2025-05-31",
        "buyers": 4,  # r1, r2, r4, r5
        "repeat_buyers": 1,  # r1 (r4's two orders are on one day: one purchase)
        "repurchase_rate": 0.25,
        "prev_buyers": 3,  # r2, r3, r5
        "returned": 2,  # r2, r5
        "return_rate": 2 / 3,
    }


def test_headline(repurchase_orders):
    got = repurchase.headline(repurchase_orders, END, period_days=30)
    assert {k: got[k] for k in ("customers", "active_customers", "new_customers", "orders")} == {
        "customers": 5,
        "active_customers": 4,
        "new_customers": 1,  # only r1's first paid order falls in the period
        "orders": 6,
    }
    assert got["gmv"] == 205.0  # 100 + 50 + 20 + 5 + 5 + 25
    assert got["aov"] == pytest.approx(205 / 6)
    assert got["frequency"] == 1.5
    assert got["return_rate"] == pytest.approx(2 / 3) and got["repeat_buyers"] == 1


def test_repurchase_rates_empty_period_is_nan(repurchase_orders):
    got = repurchase.repurchase_rates(repurchase_orders, "2024-01-31", period_days=30)
    assert got["buyers"] == 0 and math.isnan(got["repurchase_rate"]) and math.isnan(got["return_rate"])


def test_headline_gmv_is_net_of_partial_refunds_like_the_store_kpis():
    # One word, one definition: the profiling headline's 净 GMV took no partial refund off,
    # the overview's did.
    from wxshop.analysis import overview

    orders = make_orders([("a", "2025-06-10 10:00", 100.0, "paid"), ("b", "2025-06-12 10:00", 60.0, "paid"),
                          ("c", "2025-06-13 10:00", 40.0, "refunded")])
    orders["refund_amount"] = [20.0, float("nan"), 40.0]
    head = repurchase.headline(orders, END, period_days=30)
    assert head["gmv"] == 140.0
    assert head["gmv"] == overview.store_kpis(orders).gmv


def test_headline_matches_the_period_comparison_of_the_same_window():
    # The profiling report shows both; the same words must carry the same numbers.
    from order_frames import demo_store

    from wxshop.analysis import periods

    tables, truth = demo_store()
    orders, end = tables["orders"], truth["window"]["end"]
    head = repurchase.headline(orders, end, period_days=90)
    cmp = periods.compare(orders, end, days=90).set_index("kpi")["current"]
    assert cmp["customers"] == head["active_customers"] and cmp["orders"] == head["orders"]
    assert cmp["gmv"] == pytest.approx(head["gmv"], abs=0.005)
    assert cmp["repurchase_rate"] == pytest.approx(head["repurchase_rate"], abs=1e-12)
