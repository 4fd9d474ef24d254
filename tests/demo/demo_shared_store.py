"""The demo store the demo tests share: generated once per session (no conftest.py below tests/,
see tests/analysis), with its order lines."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from wxshop import demo

N = 4000  # customers in the shared store
SEED = 7


@lru_cache(maxsize=1)
def shared_store() -> tuple[dict[str, pd.DataFrame], dict]:
    """``(tables, truth)`` of the shared store."""
    return demo.generate_store(N, SEED, store_id="t")


@lru_cache(maxsize=1)
def shared_lines() -> pd.DataFrame:
    """Order lines with their order, product and line value (CNY)."""
    tables = shared_store()[0]
    items = tables["order_items"].merge(tables["products"], on="sku_id", validate="m:1")
    items = items.merge(tables["orders"], on="order_id", validate="m:1")
    return items.assign(value=items["quantity"] * items["unit_price"])
