"""The purchase summary the CLV models read: per customer frequency (repeat purchase days),
recency, age T and mean repeat spend, from a store's paid orders; and the column names of the
CLV tables (constants other modules read).

A transaction is a calendar day with at least one paid order; see :mod:`wxshop.analysis.clv`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.paid import PaidOrders, day_stamps, paid_orders
from wxshop.data.schema import CUSTOMER_ID

__all__ = [
    "EXPECTED_SPEND", "FIRST_PURCHASE", "FREQUENCY", "LAST_PURCHASE", "MONETARY_VALUE", "P_ALIVE",
    "RECENCY", "SUMMARY_COLUMNS", "TENURE", "purchase_summary",
]

# Column names other modules read.
FREQUENCY = "frequency"
RECENCY = "recency"
TENURE = "T"  # time from the first transaction to the end of the period
MONETARY_VALUE = "monetary_value"
FIRST_PURCHASE = "first_purchase"
LAST_PURCHASE = "last_purchase"
P_ALIVE = "p_alive"
EXPECTED_SPEND = "expected_spend"

SUMMARY_COLUMNS = (
    CUSTOMER_ID, FREQUENCY, RECENCY, TENURE, MONETARY_VALUE, FIRST_PURCHASE, LAST_PURCHASE
)


def _empty_summary(id_dtype: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            CUSTOMER_ID: pd.Series(dtype=id_dtype),
            FREQUENCY: pd.Series(dtype="int64"),
            RECENCY: pd.Series(dtype="float64"),
            TENURE: pd.Series(dtype="float64"),
            MONETARY_VALUE: pd.Series(dtype="float64"),
            FIRST_PURCHASE: pd.Series(dtype="datetime64[s]"),
            LAST_PURCHASE: pd.Series(dtype="datetime64[s]"),
        }
    )


def purchase_summary(
    orders: pd.DataFrame | PaidOrders, period_end: pd.Timestamp | str, *, unit_days: float = 1.0
) -> pd.DataFrame:
    """Frequency, recency, age and repeat spend of each customer, the input of the CLV models.

    Uses ``orders`` columns customer_id, ordered_at, amount (CNY) and, when present, status
    (or the paid orders a report took once, :func:`wxshop.analysis.paid.paid_orders`):
    paid orders only (all orders without a status column) placed on or before the day
    ``period_end`` (the whole day counts). Orders without a customer or time are ignored;
    a missing amount counts as 0 CNY.

    Transactions are calendar days: several paid orders by one customer on the same day
    are one transaction whose amount is their sum.

    Returns one row per customer with a paid order by ``period_end``, ordered by customer_id:

    - customer_id;
    - frequency: repeat transactions (days with purchases − 1), integer;
    - recency: time from the first to the last transaction, in units of ``unit_days``;
    - T: time from the first transaction to ``period_end``, in units of ``unit_days``;
    - monetary_value: mean amount of the repeat transactions (CNY; the first one is left
      out, as the Gamma-Gamma model expects), 0 when frequency is 0;
    - first_purchase, last_purchase: days of the first and last transaction (midnight).

    ``unit_days`` = 1 measures time in days, 7 in weeks.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05 10:00", "2025-01-05 18:00", "2025-02-20 09:00",
    ...                                   "2025-01-10 12:00"]),
    ...     "amount": [100.0, 20.0, 50.0, 30.0],
    ... })
    >>> print(purchase_summary(orders, "2025-02-28").to_string(index=False))
    customer_id  frequency  recency    T  monetary_value first_purchase last_purchase
              a          1     46.0 54.0            50.0     2025-01-05    2025-02-20
              b          0      0.0 49.0             0.0     2025-01-10    2025-01-10
    """
    if not unit_days > 0:
        raise ValueError(f"unit_days must be positive, got {unit_days}")
    p = paid_orders(orders, period_end, "purchase_summary", amount=True)
    if not p.code.size:
        return _empty_summary(p.ids.dtype)
    end, ids = p.end_day, p.ids
    cust, d, day_amount = p.daily()  # one row per (customer, day), sorted by customer then day
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
    n_days = np.diff(np.r_[starts, cust.size])
    first = d[starts]
    last = d[starts + n_days - 1]
    total = np.add.reduceat(day_amount, starts)
    frequency = n_days - 1
    monetary = np.where(frequency > 0, (total - day_amount[starts]) / np.maximum(frequency, 1), 0.0)
    return pd.DataFrame(
        {
            CUSTOMER_ID: ids.take(cust[starts]),
            FREQUENCY: frequency.astype(np.int64),
            RECENCY: (last - first) / unit_days,
            TENURE: (end - first) / unit_days,
            MONETARY_VALUE: monetary,
            FIRST_PURCHASE: day_stamps(first),
            LAST_PURCHASE: day_stamps(last),
        },
        copy=False,  # new arrays: used as they are, not copied into blocks
    )
