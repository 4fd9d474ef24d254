"""Cohort retention and repeat curves on a hand-computed fixture."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop.analysis import cohorts


@pytest.fixture
def orders() -> pd.DataFrame:
    # Cohorts (month of first paid order, up to 2025-03-15):
    #   2025-01: c1 (Jan 5 twice, Feb 10), c2 (Jan 20, Mar 1), c7 (two orders on Jan 31)
    #   2025-02: c3 (Feb 1, Feb 20), c4 (Feb 28; Mar 20 is after period_end)
    #   2025-03: c5 (Mar 15 23:00), c6 (refunded Jan 1 does not count; paid Mar 3)
    rows = [
        ("c1", "2025-01-05 09:00", "paid"),
        ("c1", "2025-01-05 21:00", "paid"),
        ("c1", "2025-02-10 12:00", "paid"),
        ("c2", "2025-01-20 12:00", "paid"),
        ("c2", "2025-03-01 12:00", "paid"),
        ("c7", "2025-01-31 10:00", "paid"),
        ("c7", "2025-01-31 11:00", "paid"),
        ("c3", "2025-02-01 12:00", "paid"),
        ("c3", "2025-02-20 12:00", "paid"),
        ("c4", "2025-02-28 12:00", "paid"),
        ("c4", "2025-03-20 12:00", "paid"),
        ("c5", "2025-03-15 23:00", "paid"),
        ("c6", "2025-01-01 12:00", "refunded"),
        ("c6", "2025-03-03 12:00", "paid"),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "status"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    frame["amount"] = 10.0
    return frame


END = "2025-03-15"


def cells(values: dict) -> pd.DataFrame:
    frame = pd.DataFrame(values)
    frame["cohort"] = frame["cohort"].astype("str")
    for col in ("months_since", "customers", "active", "repeaters"):
        if col in frame:
            frame[col] = frame[col].astype(np.int64)
    return frame


def test_cohort_retention_cells(orders):
    got = cohorts.cohort_retention(orders, END)
    want = cells(
        {
            "cohort": ["2025-01", "2025-01", "2025-01", "2025-02", "2025-02", "2025-03"],
            "months_since": [0, 1, 2, 0, 1, 0],
            "customers": [3, 3, 3, 2, 2, 2],
            "active": [3, 1, 1, 2, 0, 2],  # Feb: c1; Mar: c2; c4's Mar order is after the end
            "retention": [1.0, 1 / 3, 1 / 3, 1.0, 0.0, 1.0],
            "partial": [False, False, True, False, True, True],  # March is not finished
        }
    )
    pdt.assert_frame_equal(got, want)


def test_cohort_retention_max_months_and_complete_month(orders):
    got = cohorts.cohort_retention(orders, END, max_months=1)
    assert list(zip(got["cohort"], got["months_since"], strict=True)) == [
        ("2025-01", 0), ("2025-01", 1), ("2025-02", 0), ("2025-02", 1), ("2025-03", 0)
    ]
    full = cohorts.cohort_retention(orders, "2025-03-31")
    assert not full["partial"].any()
    assert full.loc[(full["cohort"] == "2025-02") & (full["months_since"] == 1), "active"].item() == 1


def test_retention_matrix(orders):
    wide = cohorts.retention_matrix(cohorts.cohort_retention(orders, END))
    want = pd.DataFrame(
        [[1.0, 1 / 3, 1 / 3], [1.0, 0.0, np.nan], [1.0, np.nan, np.nan]],
        index=pd.Index(["2025-01", "2025-02", "2025-03"], name="cohort", dtype="str"),
        columns=pd.Index([0, 1, 2], name="months_since", dtype=np.int64),
    )
    pdt.assert_frame_equal(wide, want)
    with pytest.raises(KeyError, match="retention"):
        cohorts.retention_matrix(pd.DataFrame({"cohort": [], "months_since": []}))


def test_repeat_curves_by_day(orders):
    # A repeat is a later purchase day: c1 on Feb 10 (month 1), c2 on Mar 1 (month 2),
    # c3 on Feb 20 (month 0 of its cohort); c7's two orders on one day are one purchase.
    got = cohorts.repeat_curves(orders, END)
    want = cells(
        {
            "cohort": ["2025-01", "2025-01", "2025-01", "2025-02", "2025-02", "2025-03"],
            "months_since": [0, 1, 2, 0, 1, 0],
            "customers": [3, 3, 3, 2, 2, 2],
            "repeaters": [0, 1, 2, 1, 1, 0],
            "repeat_share": [0.0, 1 / 3, 2 / 3, 0.5, 0.5, 0.0],
            "partial": [False, False, True, False, True, True],
        }
    )
    pdt.assert_frame_equal(got, want)


def test_repeat_curves_by_order(orders):
    # Second paid order: c1 and c7 on their first day (month 0), c2 in month 2.
    got = cohorts.repeat_curves(orders, END, basis="order")
    assert got["repeaters"].tolist() == [2, 2, 3, 1, 1, 0]
    assert got["repeat_share"].tolist() == pytest.approx([2 / 3, 2 / 3, 1.0, 0.5, 0.5, 0.0])
    with pytest.raises(ValueError, match="basis"):
        cohorts.repeat_curves(orders, END, basis="week")


def test_empty_orders_give_empty_tables(orders):
    none = orders.iloc[:0]
    assert cohorts.cohort_retention(none, END).empty
    assert cohorts.repeat_curves(none, END).empty
