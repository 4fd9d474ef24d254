"""A report takes its paid orders once (``paid_orders``) and passes them to every customer
analysis: each gives exactly what it gives from the orders frame."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from order_frames import demo_store, make_orders

from wxshop.analysis import clv, cohorts, lifecycle, profiles, rfm
from wxshop.analysis.clv.summary import purchase_summary
from wxshop.analysis.overview import resolve_period_end
from wxshop.analysis.paid import paid_orders

ANALYSES = {
    "rfm_table": lambda o, end, customers: rfm.rfm_table(o, end),
    "spend_tiers": lambda o, end, customers: profiles.spend_tiers(o, end, 90),
    "stage_thresholds": lambda o, end, customers: lifecycle.stage_thresholds(o, end).to_frame(),
    "lifecycle_stages": lambda o, end, customers: lifecycle.lifecycle_stages(o, end),
    "stage_migration": lambda o, end, customers: lifecycle.stage_migration(o, end, 30),
    "cohort_retention": lambda o, end, customers: cohorts.cohort_retention(o, end, max_months=6),
    "repeat_curves": lambda o, end, customers: cohorts.repeat_curves(o, end, max_months=6),
    "purchase_summary": lambda o, end, customers: purchase_summary(o, end),
    "predict_customers": lambda o, end, customers: clv.predict_customers(o, end)[0],
    "profile_gender": lambda o, end, customers: profile(o, end, customers, "gender"),
    "profile_city_tier": lambda o, end, customers: profile(o, end, customers, "city_tier"),
}


def profile(orders, end, customers, dimension: str) -> pd.DataFrame:
    return profiles.profile_tables(orders, customers, end, period_days=90)[dimension]


@pytest.fixture(scope="module")
def store():
    tables, _ = demo_store()
    orders = tables["orders"]
    end = resolve_period_end(orders) - pd.Timedelta(days=20)  # later orders must be left out
    return orders, tables["customers"], end


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_paid_orders_taken_once_give_what_the_orders_give(store, name):
    orders, customers, end = store
    paid = paid_orders(orders, end, amount=True)
    expected = ANALYSES[name](orders, end, customers)
    got = ANALYSES[name](paid, end, customers)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_one_paid_orders_serves_every_analysis_unchanged(store):
    orders, customers, end = store
    paid = paid_orders(orders, end, amount=True)
    before = {f: getattr(paid, f).copy() for f in ("code", "day", "at", "amount")}
    for analysis in ANALYSES.values():
        analysis(paid, end, customers)
    for field, values in before.items():
        np.testing.assert_array_equal(getattr(paid, field), values)


def test_purchase_days_are_worked_out_once_and_cannot_be_changed(store):
    orders, _, end = store
    paid = paid_orders(orders, end)
    code, day = paid.purchase_days()
    assert paid.purchase_days()[0] is code
    with pytest.raises(ValueError):
        code[0] = 5
    pairs = pd.DataFrame({"c": paid.code, "d": paid.day}).drop_duplicates().sort_values(["c", "d"])
    np.testing.assert_array_equal(code, pairs["c"].to_numpy())
    np.testing.assert_array_equal(day, pairs["d"].to_numpy())


def test_paid_orders_of_another_day_or_without_amounts_are_refused():
    orders = make_orders([("a", "2025-01-05", 10.0, "paid"), ("b", "2025-02-01", 20.0, "paid")])
    paid = paid_orders(orders, "2025-01-31")
    with pytest.raises(ValueError, match="rfm_table: the paid orders were taken up to 2025-01-31, "
                                         "not 2025-02-28"):
        rfm.rfm_table(paid, "2025-02-28")
    with pytest.raises(ValueError, match=r"rfm_table needs the orders' amounts"):
        rfm.rfm_table(paid, "2025-01-31")  # amounts would read as 0 CNY
    assert lifecycle.lifecycle_stages(paid, "2025-01-31")["customer_id"].tolist() == ["a"]


def test_the_holdout_check_from_the_reports_paid_orders_is_the_one_from_the_orders(store):
    orders, _, end = store
    paid = paid_orders(orders[orders["ordered_at"] < end + pd.Timedelta(days=1)], end, amount=True)
    calibration_end = end - pd.Timedelta(days=90)
    table, totals = clv.holdout_check(orders, calibration_end, 90)
    got_table, got_totals = clv.holdout_check(paid, calibration_end, 90)
    pd.testing.assert_frame_equal(got_table, table, check_exact=True)
    for result in (totals, got_totals):
        result["fit"].pop("seconds")  # the fit's own wall-clock time
    assert json.dumps(got_totals, sort_keys=True) == json.dumps(totals, sort_keys=True)  # NaN == NaN
    with pytest.raises(ValueError, match="after the paid orders' end"):
        clv.holdout_check(paid, end + pd.Timedelta(days=1), 90)


def test_paid_orders_up_to_an_earlier_day_are_those_taken_up_to_that_day(store):
    orders, _, end = store
    paid = paid_orders(orders, end, amount=True)
    paid.daily()  # the earlier day's purchase days are cut from these
    earlier = end - pd.Timedelta(days=200)
    cut, codes = paid.upto(paid.end_day - 200)
    fresh = paid_orders(orders, earlier, amount=True)
    pd.testing.assert_index_equal(cut.ids, fresh.ids)
    for field in ("code", "day", "at", "amount"):
        np.testing.assert_array_equal(getattr(cut, field), getattr(fresh, field))
    assert cut.end_day == fresh.end_day and cut.has_amount
    for mine, theirs in zip(cut.daily(), fresh.daily(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(paid.ids[codes], cut.ids)
