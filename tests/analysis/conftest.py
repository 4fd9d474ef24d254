"""Shared fixtures of the analysis tests: hand-made order frames and one demo store."""

import pandas as pd
import pytest

from wxshop import demo


def _make_orders(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame


@pytest.fixture
def make_orders():
    """Orders from (customer_id, ordered_at, amount, status) tuples."""
    return _make_orders


@pytest.fixture
def stamps():
    """Timestamps from ISO strings."""
    return lambda values: pd.to_datetime(values, format="ISO8601")


@pytest.fixture
def strs():
    """A pandas string array."""
    return lambda values: pd.array(values, dtype="str")


@pytest.fixture(scope="session")
def demo_store():
    """(tables, truth) of a 3,000-customer demo store, seed 5."""
    return demo.generate_store(3000, seed=5)
