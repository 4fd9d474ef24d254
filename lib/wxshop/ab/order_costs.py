"""Cost of goods of each order, from its item lines and the products' unit costs (for gross
profit per user, :mod:`wxshop.ab.profit`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.ab.table_checks import require_table
from wxshop.data.schema import ORDER_ID, QUANTITY, SKU_ID

__all__ = ["UNIT_COST", "order_costs"]

UNIT_COST = "unit_cost"  # products: cost of one unit, CNY


def order_costs(orders: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame) -> np.ndarray:
    """Cost of goods of every row of ``orders`` (CNY): Σ quantity × unit_cost over its lines.

    NaN when it is unknown: the order has no item lines, or a line's SKU is not in
    ``products`` or has no unit cost (a partial sum would make the order look profitable).
    Returns an array aligned with the rows of ``orders``.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2", "o3"]})
    >>> items = pd.DataFrame({"order_id": ["o1", "o1", "o2"], "sku_id": ["a", "b", "c"],
    ...                       "quantity": [1, 2, 1]})
    >>> products = pd.DataFrame({"sku_id": ["a", "b", "c"], "unit_cost": [10.0, 3.0, None]})
    >>> order_costs(orders, items, products).tolist()
    [16.0, nan, nan]
    """
    what = "the A/B test's gross profit"
    require_table(orders, (ORDER_ID,), "orders", what)
    require_table(order_items, (ORDER_ID, SKU_ID, QUANTITY), "order_items", what)
    require_table(products, (SKU_ID, UNIT_COST), "products", what)
    unit = (pd.to_numeric(products[UNIT_COST], errors="coerce")
            .groupby(products[SKU_ID].astype(str)).first())
    lines = pd.to_numeric(order_items[QUANTITY], errors="coerce").to_numpy(float) * (
        order_items[SKU_ID].astype(str).map(unit).to_numpy(float))
    per_order = pd.Series(lines).groupby(order_items[ORDER_ID].astype(str).to_numpy()).sum(min_count=1)
    unknown = pd.Series(np.isnan(lines)).groupby(order_items[ORDER_ID].astype(str).to_numpy()).any()
    per_order[unknown.reindex(per_order.index, fill_value=True).to_numpy()] = np.nan
    return orders[ORDER_ID].astype(str).map(per_order).to_numpy(float)
