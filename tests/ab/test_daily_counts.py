"""Cumulative daily counts per variant, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from wxshop.ab.daily_counts import daily_counts

TS = pd.to_datetime


def test_daily_counts():
    users = pd.DataFrame(
        {
            "variant": ["treatment", "control", "treatment", "control", "treatment"],
            "assigned_at": TS(
                [
                    "2024-03-01 23:59:59",
                    "2024-03-01 08:00:00",
                    "2024-03-03 00:00:00",
                    "2024-03-03 12:00:00",
                    "2024-03-03 13:00:00",
                ]
            ),
            "converted": [False, True, True, False, True],
            "orders": [0, 2, 1, 0, 1],
            "revenue": [0.0, 10.0, 5.0, 0.0, 2.0],
        }
    )
    got = daily_counts(users)
    i = np.int64
    expected = pd.DataFrame(
        {
            "day": np.array([1, 1, 2, 2, 3, 3], i),
            "date": TS(["2024-03-01"] * 2 + ["2024-03-02"] * 2 + ["2024-03-03"] * 2),
            "variant": pd.Series(["control", "treatment"] * 3, dtype="str"),
            "new_users": np.array([1, 1, 0, 0, 1, 2], i),
            "users": np.array([1, 1, 1, 1, 2, 3], i),
            "conversions": np.array([1, 0, 1, 0, 1, 2], i),
            "orders_sum": [2.0, 0.0, 2.0, 0.0, 2.0, 2.0],
            "orders_sumsq": [4.0, 0.0, 4.0, 0.0, 4.0, 2.0],
            "revenue_sum": [10.0, 0.0, 10.0, 0.0, 10.0, 7.0],
            "revenue_sumsq": [100.0, 0.0, 100.0, 0.0, 100.0, 29.0],
        }
    )
    assert_frame_equal(got, expected, check_dtype=False)
    assert got.dtypes["users"] == np.int64 and got.dtypes["conversions"] == np.int64

    bare = daily_counts(users[["variant", "assigned_at", "converted"]])
    assert list(bare.columns) == ["day", "date", "variant", "new_users", "users", "conversions"]
    assert_frame_equal(bare, got[bare.columns])
