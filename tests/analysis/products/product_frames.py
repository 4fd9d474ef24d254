"""Helpers of the products tests: typed frames and a float-tolerant frame comparison."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt


def frame(rows: list[tuple], columns: list[str], dtypes: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns).astype(dtypes)


def assert_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    # expected values are fractions written by hand: compare floats to 1e-12
    pdt.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=1e-12)
