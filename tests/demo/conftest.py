"""One demo store shared by the demo tests: its tables, truth and order lines."""

from __future__ import annotations

import pandas as pd
import pytest

from wxshop import demo

N = 4000  # customers in the shared store
SEED = 7


@pytest.fixture(scope="session")
def store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(N, SEED, store_id="t")


@pytest.fixture(scope="session")
def tables(store):
    return store[0]


@pytest.fixture(scope="session")
def truth(store):
    return store[1]


@pytest.fixture(scope="session")
def lines(tables) -> pd.DataFrame:
    """Order lines with their order, product and line value (CNY)."""
    items = tables["order_items"].merge(tables["products"], on="sku_id", validate="m:1")
    items = items.merge(tables["orders"], on="order_id", validate="m:1")
    return items.assign(value=items["quantity"] * items["unit_price"])
