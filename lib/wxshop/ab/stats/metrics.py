"""Metric codes of an A/B test and their ``Literal`` types (units in :mod:`wxshop.ab.stats`)."""

from __future__ import annotations

from typing import Literal

__all__ = ["AOV", "CONVERSION", "METRICS", "ORDERS_PER_USER", "REVENUE_PER_USER", "Metric", "UserMetric"]

# Metric codes.
CONVERSION = "conversion"
REVENUE_PER_USER = "revenue_per_user"
ORDERS_PER_USER = "orders_per_user"
AOV = "aov"
METRICS = (CONVERSION, REVENUE_PER_USER, ORDERS_PER_USER, AOV)
Metric = Literal["conversion", "revenue_per_user", "orders_per_user", "aov"]
UserMetric = Literal["conversion", "revenue_per_user", "orders_per_user"]
