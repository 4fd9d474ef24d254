"""The purchase summary (frequency, recency, T, repeat spend) on hand-computed orders and CDNOW."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from cdnow_data import hand_orders, lifetimes_file

from wxshop.analysis import clv


@pytest.fixture
def orders() -> pd.DataFrame:
    return hand_orders()


def test_purchase_summary_hand_computed(orders):
    got = clv.purchase_summary(orders, "2025-03-31")
    expected = pd.DataFrame(
        {
            "customer_id": pd.array(["c1", "c2", "c4"], dtype="str"),
            "frequency": np.array([2, 0, 0], dtype="int64"),
            "recency": [55.0, 0.0, 0.0],  # 01-05 → 03-01
            "T": [85.0, 70.0, 0.0],  # first purchase → 03-31
            "monetary_value": [40.0, 0.0, 0.0],  # (50 + 30) / 2 repeat transactions
            "first_purchase": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-31"]).astype(
                "datetime64[s]"),
            "last_purchase": pd.to_datetime(["2025-03-01", "2025-01-20", "2025-03-31"]).astype(
                "datetime64[s]"),
        }
    )
    pdt.assert_frame_equal(got, expected)


def test_purchase_summary_weeks_and_no_status(orders):
    weeks = clv.purchase_summary(orders, pd.Timestamp("2025-03-31 08:00"), unit_days=7)
    assert weeks["recency"].tolist() == pytest.approx([55 / 7, 0, 0])
    assert weeks["T"].tolist() == pytest.approx([85 / 7, 70 / 7, 0])
    # without a status column every order counts: c1 gains the refunded day, c3 appears
    no_status = clv.purchase_summary(orders.drop(columns="status"), "2025-03-31")
    c1 = no_status.set_index("customer_id").loc["c1"]
    assert c1["frequency"] == 3
    assert c1["monetary_value"] == pytest.approx((50 + 80 + 30) / 3)
    assert no_status["customer_id"].tolist() == ["c1", "c2", "c3", "c4"]


def test_purchase_summary_missing_column_and_empty(orders):
    with pytest.raises(KeyError, match="amount"):
        clv.purchase_summary(orders.drop(columns="amount"), "2025-03-31")
    empty = clv.purchase_summary(orders, "2024-12-31")
    assert empty.empty
    assert list(empty.columns) == list(clv.SUMMARY_COLUMNS)


def test_purchase_summary_reproduces_cdnow_summary():
    """From the raw CDNOW sample to the published per-customer (x, t_x, T, zbar) table."""
    raw = pd.read_csv(lifetimes_file("CDNOW_sample.txt"), sep=r"\s+", header=None,
                      names=["master_id", "customer_id", "date", "cds", "amount"],
                      dtype={"date": str})
    orders = pd.DataFrame({"order_id": np.arange(len(raw)).astype(str),
                           "customer_id": raw["customer_id"],
                           "ordered_at": pd.to_datetime(raw["date"], format="%Y%m%d"),
                           "amount": raw["amount"]})
    got = clv.purchase_summary(orders, "1997-09-30", unit_days=7)
    ref = pd.read_csv(lifetimes_file("cdnow_customers_summary_with_transactions.csv"))
    both = got.merge(ref, left_on="customer_id", right_on="ID", validate="1:1")
    assert len(both) == len(ref) == 2357
    assert (both["frequency"] == both["x"]).all()
    assert np.abs(both["recency"] - both["t_x"]).max() <= 0.005 + 1e-9
    assert np.abs(both["T_x"] - both["T_y"]).max() <= 0.005 + 1e-9
    assert np.abs(both["monetary_value"] - both["zbar"]).max() <= 0.005 + 1e-9
