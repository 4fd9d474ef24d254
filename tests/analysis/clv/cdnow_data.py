"""Data of the CLV tests: the CDNOW sample shipped with the lifetimes distribution and a small
hand-made order table."""

from __future__ import annotations

import importlib.metadata
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest


def lifetimes_file(name: str) -> Path:
    """A data file shipped in the lifetimes distribution (the package itself is never imported)."""
    try:
        dist = importlib.metadata.distribution("lifetimes")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("the CDNOW sample comes with the 'lifetimes' distribution, which is not "
                    "installed: pip install -e '.[test]'")
    path = Path(str(dist.locate_file(f"lifetimes/datasets/{name}")))
    if not path.exists():
        pytest.skip(f"the lifetimes distribution has no datasets/{name}")
    return path


@lru_cache(maxsize=1)
def cdnow_summary() -> pd.DataFrame:
    """CDNOW sample, 2,357 customers, 39-week calibration, weeks: ID, x, t_x, T, zbar."""
    return pd.read_csv(lifetimes_file("cdnow_customers_summary_with_transactions.csv"))


def hand_orders() -> pd.DataFrame:
    """Nine orders of four customers, hand-checked in the tests."""
    # c1: paid 01-05 10:00 (100) and 18:00 (20) = one transaction of 120; paid 02-10 (50);
    #     refunded 02-11 (80, ignored); paid 03-01 (30); paid 04-02 (after the end, ignored)
    # c2: one paid order 01-20 (30); c3: cancelled only; c4: paid at 23:59 on the last day.
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(1, 10)],
            "customer_id": ["c1", "c1", "c1", "c1", "c1", "c1", "c2", "c3", "c4"],
            "ordered_at": pd.to_datetime(
                ["2025-01-05 10:00", "2025-01-05 18:00", "2025-02-10 09:00", "2025-02-11 12:00",
                 "2025-03-01 20:00", "2025-04-02 08:00", "2025-01-20 11:00", "2025-02-01 10:00",
                 "2025-03-31 23:59"],
                format="ISO8601",
            ),
            "amount": [100.0, 20.0, 50.0, 80.0, 30.0, 70.0, 30.0, 60.0, 25.0],
            "status": ["paid", "paid", "paid", "refunded", "paid", "paid", "paid", "cancelled",
                       "paid"],
        }
    )
