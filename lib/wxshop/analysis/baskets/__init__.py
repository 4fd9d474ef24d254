"""Baskets: which items sell together (``pairs``), how deep they are discounted, and whether
deep discounts bring buyers back (``discounts``); shared order coding in ``orders``.

Conventions shared by every function here:

- paid order: ``status == "paid"``, or every order when there is no status column
  (:func:`wxshop.analysis.paid.paid_mask`); orders with no ``order_id`` are left out.
  ``period_end`` (optional, a day such as ``"2026-10-31"``) keeps paid orders up to the
  END of that day; empty or ``None`` keeps them all.
- an *item* is a SKU (``level="sku"``, key column ``sku_id``) or a product category
  (``level="category"``, key column ``category``, taken from ``products``; SKUs missing
  from ``products`` count under the category ``"—"``).
- an order's lines are the rows of ``order_items`` with its ``order_id``; lines whose
  ``order_id`` is not a paid order are ignored.
- money in CNY (rounded to the fen in outputs), shares 0–1; a ratio with an empty
  denominator is NaN.

All aggregation runs in DuckDB (in process, on the pandas frames, no Python loop over
rows), so a store with 10M order lines takes seconds.
"""

from wxshop.analysis.baskets.discounts import (
    DEEP_DISCOUNT,
    REPURCHASE_RATE,
    discount_depth,
    discount_vs_repurchase,
)
from wxshop.analysis.baskets.orders import UNKNOWN_CATEGORY
from wxshop.analysis.baskets.pairs import MAX_BASKET_ITEMS, MIN_PAIR_ORDERS, MIN_PAIR_SUPPORT, bundle_pairs

__all__ = [
    "DEEP_DISCOUNT",
    "MAX_BASKET_ITEMS",
    "MIN_PAIR_ORDERS",
    "MIN_PAIR_SUPPORT",
    "REPURCHASE_RATE",
    "UNKNOWN_CATEGORY",
    "bundle_pairs",
    "discount_depth",
    "discount_vs_repurchase",
]
