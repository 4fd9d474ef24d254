"""Gross profit per user of an A/B test: what a variant earns once its goods and its coupons
are paid for.

Definition (CNY, per assigned user, over the metric window; users who bought nothing have 0)::

    profit = revenue − cost − coupon_cost

- ``revenue``: the user's revenue as the input gives it. From the store's orders it is the sum
  of ``orders.amount``, the amount paid, which is already net of ``orders.discount`` (coupons
  and discounts); so there ``coupon_cost`` is 0 and profit = paid − cost of goods, i.e.
  (paid + discount) − cost of goods − discount.
- ``cost``: cost of goods of those orders (from the store: Σ quantity × ``products.unit_cost``
  over their item lines).
- ``coupon_cost``: coupon and discount cost the shop bears that ``revenue`` does *not* already
  net out — give it only when a per-user file's revenue is before coupons (e.g. the order
  value); when revenue is what users paid, the coupon is already out of it and giving it
  again would count it twice. Absent means 0.

``profit_per_user`` = Σ profit ÷ assigned users, tested like revenue per user (Welch t, CUPED
on pre-period spend). It is not capped: the revenue cap is for revenue's own tail.
"""

from __future__ import annotations

import pandas as pd

from wxshop.ab.columns import COST, COUPON_COST, PROFIT, REVENUE

__all__ = ["with_profit"]


def with_profit(users: pd.DataFrame) -> pd.DataFrame:
    """``users`` with a ``profit`` column (CNY) when it has ``revenue`` and ``cost``.

    A ``profit`` column already there is kept. Missing revenue, cost or coupon_cost count as 0
    (a user who bought nothing). Without ``cost`` (and without ``profit``) the frame comes back
    unchanged: profit cannot be known.

    Examples
    --------
    >>> users = pd.DataFrame({"variant": ["c", "t"], "revenue": [60.0, 60.0],
    ...                       "cost": [36.0, 36.0], "coupon_cost": [5.0, 15.0]})
    >>> with_profit(users)["profit"].tolist()
    [19.0, 9.0]
    >>> "profit" in with_profit(users.drop(columns="cost"))
    False
    """
    if PROFIT in users.columns or REVENUE not in users.columns or COST not in users.columns:
        return users

    def number(col: str) -> pd.Series:
        if col not in users.columns:
            return pd.Series(0.0, index=users.index)
        return pd.to_numeric(users[col], errors="raise").astype(float).fillna(0.0)

    return users.assign(**{PROFIT: number(REVENUE) - number(COST) - number(COUPON_COST)})
