"""The purchase process of every customer, simulated 365 days beyond the window.

Every customer buys at least once. Gaps between purchases are Gamma(shape 2) with median
``cycle_days[main category] * multiplier`` in *operational* days; operational time maps to
calendar time through the cumulative shop-wide intensity (weekday, hour of day, 618, 双11,
春节, member days), so the renewal process inherits the seasonality. After each purchase the
customer leaves for good with probability ``p ~ Beta(a, b)``. The process runs past ``end``
and is cut there later; the uncensored future gives the oracle repurchase figures in the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wxshop.demo.customers import Customers
from wxshop.demo.settings import GAP_SHAPE
from wxshop.demo.shop_calendar import ShopCalendar


@dataclass
class PurchaseProcess:
    """Purchases of every customer over the horizon (window plus the simulated future)."""

    customer: np.ndarray  # int64 index per purchase, grouped by customer, time ascending
    seconds: np.ndarray  # calendar seconds since start (may exceed the window: the future)
    death_seconds: np.ndarray  # per customer; +inf if not dead within the horizon
    is_first: np.ndarray


def purchase_process(rng: np.random.Generator, cust: Customers, cal: ShopCalendar) -> PurchaseProcess:
    """Simulate each customer's renewal process with dropout in operational time."""
    op_first = cal.to_operational(cust.first_seconds)
    horizon = cal.cum_intensity[-1]
    mean_gap = GAP_SHAPE * cust.gap_scale
    cap = np.ceil(1.25 * (horizon - op_first) / mean_gap + 12).astype(np.int64)
    lifetime = rng.geometric(cust.dropout)  # purchases until the customer leaves
    k = np.minimum(lifetime, cap)
    died = lifetime <= cap
    starts = np.cumsum(k) - k
    who = np.repeat(np.arange(cust.n), k)
    gaps = rng.gamma(GAP_SHAPE, 1.0, who.size) * cust.gap_scale[who]
    gaps[starts] = 0.0
    cs = np.cumsum(gaps)
    op = np.repeat(op_first - cs[starts], k) + cs
    keep = op < horizon
    seconds = cal.to_calendar(op)
    seconds[starts] = cust.first_seconds  # exact first purchase time
    is_first = np.zeros(who.size, bool)
    is_first[starts] = True
    last = starts + k - 1
    death = np.where(died & keep[last], seconds[last], np.inf)  # time of the last purchase
    return PurchaseProcess(who[keep], seconds[keep], death, is_first[keep])
