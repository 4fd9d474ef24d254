"""Column names of the experiments table and of the per-user outcome table.

One place for the names the A/B modules read and write: :mod:`wxshop.ab.outcomes` builds the
per-user table with them, :mod:`wxshop.ab.inputs` reads it from a file, :mod:`wxshop.ab.stats`
summarises it and :mod:`wxshop.ab.analysis` analyses it.
"""

from __future__ import annotations

__all__ = [
    "ACQUISITION_CHANNEL",
    "ASSIGNED_AT",
    "CITY_TIER",
    "CONVERTED",
    "COST",
    "COUPON_COST",
    "EXPERIMENT_ID",
    "IS_NEW",
    "ORDERS",
    "PRE_ORDERS",
    "PRE_REVENUE",
    "PROFIT",
    "REVENUE",
    "SEGMENT_COLUMNS",
    "VARIANT",
]

# Columns of the experiments table.
EXPERIMENT_ID = "experiment_id"
VARIANT = "variant"  # the user's arm
ASSIGNED_AT = "assigned_at"
# Columns of the per-user outcome table.
CONVERTED = "converted"  # bool (or 0/1): at least one counted order in the metric window
ORDERS = "orders"  # counted orders in the metric window
REVENUE = "revenue"  # CNY in the metric window
COST = "cost"  # cost of goods of those orders, CNY
COUPON_COST = "coupon_cost"  # coupon / discount cost not already taken off revenue, CNY
PROFIT = "profit"  # revenue − cost − coupon_cost, CNY (wxshop.ab.profit)
PRE_ORDERS = "pre_orders"  # counted orders in the pre-period
PRE_REVENUE = "pre_revenue"  # CNY in the pre-period (the CUPED covariate)
IS_NEW = "is_new"  # bool: no paid order before assigned_at
CITY_TIER = "city_tier"
ACQUISITION_CHANNEL = "acquisition_channel"
SEGMENT_COLUMNS = (CITY_TIER, ACQUISITION_CHANNEL)  # taken from customers when given
