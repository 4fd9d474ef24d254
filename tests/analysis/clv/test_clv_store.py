"""Store-level CLV: predictions and holdout check on demo stores and small hand-made stores."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from cdnow_data import hand_orders

from wxshop import demo
from wxshop.analysis import clv


@pytest.fixture
def orders() -> pd.DataFrame:
    return hand_orders()


@pytest.mark.parametrize("n,seed", [(3000, 1), (4000, 2), (5000, 3)])
def test_p_alive_on_demo_store_matches_planted_alive_share(n, seed):
    """The demo's customers may leave after any purchase, the first included (gamma-gap
    renewal, not Poisson): MBG/NBD's mean P(alive) lands within 0.08 of the planted alive
    share (seen: 0.03–0.05 above it). BG/NBD gives every one-off buyer P(alive) = 1, so it
    is only compared on repeat buyers."""
    tables, truth = demo.generate_store(n, seed)
    end = truth["window"]["end"]
    planted = truth["purchase_process"]["alive_share_at_end"]
    pred, bg, gg = clv.predict_customers(tables["orders"], end)
    assert bg.model == "mbgnbd" and bg.converged and gg is not None and gg.converged
    assert pred["p_alive"].mean() == pytest.approx(planted, abs=0.08)

    alive = truth["_customers"].set_index("customer_id")["alive"]
    summary = clv.purchase_summary(tables["orders"], end)
    x, tx, tt = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    fit = clv.fit_bgnbd(x, tx, tt, model="bgnbd")
    pa = clv.p_alive(fit, x, tx, tt)
    repeat = x > 0
    assert np.all(pa[~repeat] == 1.0)
    truth_repeat = alive.reindex(summary["customer_id"][repeat]).to_numpy(float).mean()
    assert pa[repeat].mean() == pytest.approx(truth_repeat, abs=0.08)


def test_predict_customers_columns_and_value():
    tables, truth = demo.generate_store(3000, 4)
    pred, bg, gg = clv.predict_customers(tables["orders"], truth["window"]["end"],
                                         horizons=(30, 90, 180), value_horizon=90)
    assert list(pred.columns) == [
        "customer_id", "frequency", "recency", "T", "monetary_value", "p_alive",
        "expected_purchases_30", "expected_purchases_90", "expected_purchases_180",
        "expected_spend", "expected_value_90",
    ]
    assert pred["customer_id"].is_unique and len(pred) == pred["customer_id"].nunique()
    assert pred["p_alive"].between(0, 1).all()
    assert (pred["expected_purchases_30"] <= pred["expected_purchases_90"]).all()
    assert (pred["expected_purchases_90"] <= pred["expected_purchases_180"]).all()
    np.testing.assert_allclose(pred["expected_value_90"],
                               pred["expected_purchases_90"] * pred["expected_spend"])
    # repeat buyers' spend is shrunk between their own mean and the population mean
    rep = pred[pred["frequency"] > 0]
    lo = np.minimum(rep["monetary_value"], gg.mean_spend)
    hi = np.maximum(rep["monetary_value"], gg.mean_spend)
    assert rep["expected_spend"].between(lo - 1e-9, hi + 1e-9).all()
    np.testing.assert_allclose(pred.loc[pred["frequency"] == 0, "expected_spend"], gg.mean_spend)


def test_predict_customers_without_enough_repeat_buyers():
    orders = pd.DataFrame({
        "order_id": [f"o{i}" for i in range(6)],
        "customer_id": ["a", "a", "b", "c", "d", "e"],
        "ordered_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-10", "2025-01-15",
                                      "2025-02-20", "2025-03-01"]),
        "amount": [10.0, 30.0, 20.0, 40.0, 50.0, 60.0],
    })
    pred, bg, gg = clv.predict_customers(orders, "2025-03-31")
    assert gg is None
    spend = pred.set_index("customer_id")["expected_spend"]
    assert spend["a"] == pytest.approx(30.0)  # own repeat mean
    assert spend["b"] == pytest.approx(30.0)  # repeat buyers' mean (a's only)
    assert np.isfinite(pred["expected_value_90"]).all()


def test_holdout_check_on_demo_store():
    """Calibrate to 2026-03-31, predict April–June (no planted experiments, no 春节 break):
    total predicted repeat purchase days within ±10 % of actual (brief: ±20 %). Seen for
    seeds 1–3: within ±4 % here; −9 % to +5 % for holdouts starting 2025-10-31 and
    2026-05-31; +6 % to +12 % for February–April (春节) and +11 % to +22 % for
    August–October 2026, where the demo's experiments replace participants' orders."""
    tables, truth = demo.generate_store(4000, 2)
    table, totals = clv.holdout_check(tables["orders"], "2026-03-31", 90)
    assert abs(totals["relative_error"]) <= 0.10
    assert table["frequency"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "≥7"]
    assert table["customers"].sum() == totals["customers"]
    assert totals["holdout_end"] == "2026-06-29"
    # more calibration purchases, more holdout purchases: actual and predicted agree on that
    assert table["predicted_mean"].iloc[-1] > 2 * table["predicted_mean"].iloc[0]
    assert table["actual_mean"].iloc[-1] > 2 * table["actual_mean"].iloc[0]
    # actual counts purchase days in the holdout, checked directly
    paid = tables["orders"].query("status == 'paid'")
    days = paid["ordered_at"].dt.normalize()
    inside = paid[(days > "2026-03-31") & (days <= "2026-06-29")]
    cal_customers = paid.loc[days <= "2026-03-31", "customer_id"].unique()
    inside = inside[inside["customer_id"].isin(cal_customers)]
    expected_total = inside.assign(day=inside["ordered_at"].dt.normalize()).drop_duplicates(
        ["customer_id", "day"]).shape[0]
    assert totals["actual_total"] == expected_total


def test_holdout_check_warns_when_orders_stop_early(orders):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table, totals = clv.holdout_check(orders, "2025-03-15", 90)
    assert any("before the holdout ends" in str(w.message) for w in caught)
    # calibration customers c1 and c2; in the holdout only c1 buys (04-02); c4 starts on 03-31
    assert totals["customers"] == 2
    assert totals["actual_total"] == 1
