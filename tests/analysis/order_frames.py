"""Helpers of the customer-analysis tests: hand-made order frames and one demo store."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from wxshop import demo


def make_orders(rows: list[tuple]) -> pd.DataFrame:
    """Orders from (customer_id, ordered_at, amount, status) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame


def stamps(values) -> pd.DatetimeIndex:
    return pd.to_datetime(values, format="ISO8601")


def strs(values) -> pd.array:
    return pd.array(values, dtype="str")


@lru_cache(maxsize=1)
def demo_store() -> tuple[dict[str, pd.DataFrame], dict]:
    """(tables, truth) of a 3,000-customer demo store, seed 5, generated once per session."""
    return demo.generate_store(3000, seed=5)
