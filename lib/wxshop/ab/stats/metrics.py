"""Metric codes of an A/B test and their ``Literal`` types (units in :mod:`wxshop.ab.stats`)."""

from __future__ import annotations

from typing import Literal

__all__ = [
    "AOV",
    "CONVERSION",
    "DEFAULT_METRICS",
    "METRICS",
    "ORDERS_PER_USER",
    "PROFIT_PER_USER",
    "RATIO_METRICS",
    "REVENUE_PER_USER",
    "SPEND_PER_BUYER",
    "Metric",
    "UserMetric",
]

# Metric codes.
CONVERSION = "conversion"
REVENUE_PER_USER = "revenue_per_user"
ORDERS_PER_USER = "orders_per_user"
AOV = "aov"  # 笔单价: revenue ÷ orders (CNY per order)
SPEND_PER_BUYER = "spend_per_buyer"  # 客单价: revenue ÷ converting users (CNY per buyer)
PROFIT_PER_USER = "profit_per_user"  # (revenue − cost of goods − coupon cost) ÷ users, CNY
METRICS = (CONVERSION, REVENUE_PER_USER, ORDERS_PER_USER, AOV, SPEND_PER_BUYER, PROFIT_PER_USER)
# Tested when the settings name no metrics (those the data allow). Spend per buyer only stands
# in for AOV when orders are missing (the analysis says so), so that the family — and Holm's
# correction — of an input with orders stays the same.
DEFAULT_METRICS = (CONVERSION, REVENUE_PER_USER, ORDERS_PER_USER, AOV, PROFIT_PER_USER)
RATIO_METRICS = (AOV, SPEND_PER_BUYER)  # ratios of two per-user sums: delta method, no CUPED
Metric = Literal["conversion", "revenue_per_user", "orders_per_user", "aov", "spend_per_buyer",
                 "profit_per_user"]
UserMetric = Literal["conversion", "revenue_per_user", "orders_per_user", "profit_per_user"]
