"""What the private-domain generator starts from: its window and the shop's paid orders, taken
from the store's tables (so it runs on a generated store and on the committed sample alike).

- The window is the last :data:`~wxshop.demo.settings.PD_DAYS` days of the store:
  ``[pd_start 00:00, end + 1 day 00:00)`` with ``pd_start = end − 364 days``. Times inside the
  generator are whole seconds since ``pd_start`` (negative before it); day ``d`` is
  ``[d × 86400, (d + 1) × 86400)``.
- Paid orders: ``status == "paid"``, or every order when there is no status column; orders
  without a customer or a time are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxshop.data import schema
from wxshop.demo.settings import PD_DAYS, SECONDS_PER_DAY

__all__ = ["NEVER", "PaidHistory", "PdWindow", "paid_history", "pd_window", "text_series", "time_series"]

NEVER = np.iinfo(np.int64).max // 4  # "no time": later than any time of the generator


@dataclass(frozen=True)
class PdWindow:
    """The private-domain window: ``origin`` (pd_start 00:00), ``days`` and ``seconds`` long."""

    origin: np.datetime64
    days: int

    @property
    def seconds(self) -> int:
        return self.days * SECONDS_PER_DAY


def pd_window(end: str | pd.Timestamp, days: int = PD_DAYS) -> PdWindow:
    """The window of ``days`` days ending with the day ``end`` (included).

    Examples
    --------
    >>> w = pd_window("2026-10-31")
    >>> print(w.origin, w.days, w.seconds)
    2025-11-01T00:00:00 365 31536000
    """
    last = pd.Timestamp(end).normalize()
    origin = (last - pd.Timedelta(days=days - 1)).to_datetime64().astype("datetime64[s]")
    return PdWindow(origin, days)


@dataclass(frozen=True)
class PaidHistory:
    """Paid orders by customer code, sorted by (customer, time).

    ids: every customer id (the customers table's, then any other buyer's), codes index it.
    customer, seconds, amount, row: per paid order (seconds since pd_start; its row in the
    orders frame).
    first, count: per customer, the first paid order's time (:data:`NEVER` if none) and the
    number of paid orders up to the window's end.
    """

    ids: np.ndarray
    customer: np.ndarray
    seconds: np.ndarray
    amount: np.ndarray
    row: np.ndarray
    first: np.ndarray
    count: np.ndarray

    @property
    def n(self) -> int:
        return int(self.ids.size)

    def key(self, customer: np.ndarray, seconds: np.ndarray) -> np.ndarray:
        """One sortable int64 per (customer, time): searchsorted on ``key(customer, seconds)``
        of the orders counts a customer's paid orders before a time."""
        return np.asarray(customer, np.int64) * (1 << 36) + (np.asarray(seconds, np.int64) + (1 << 35))

    def orders_between(self, customer: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Paid orders of each ``customer`` with time in ``(lo, hi]`` (seconds)."""
        keys = self.key(self.customer, self.seconds)
        right = np.searchsorted(keys, self.key(customer, hi), side="right")
        left = np.searchsorted(keys, self.key(customer, lo), side="right")
        return right - left


def paid_history(orders: pd.DataFrame, customers: pd.DataFrame | None, window: PdWindow) -> PaidHistory:
    """The paid orders of ``orders`` up to the window's end, coded by customer.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["C2", "C1", "C2", "C1"],
    ...                        "ordered_at": pd.to_datetime(["2026-10-01", "2025-01-01",
    ...                                                      "2026-10-05", "2026-01-01"]),
    ...                        "amount": [10.0, 20.0, 30.0, 40.0],
    ...                        "status": ["paid", "paid", "refunded", "paid"]})
    >>> h = paid_history(orders, None, pd_window("2026-10-31"))
    >>> print(h.ids.tolist(), h.customer.tolist(), h.count.tolist(), (h.first // 86400).tolist())
    ['C1', 'C2'] [0, 0, 1] [2, 1] [-304, 334]
    """
    if schema.STATUS in orders.columns:
        paid = (orders[schema.STATUS] == "paid").fillna(False).to_numpy(bool, copy=True)
    else:
        paid = np.ones(len(orders), bool)
    cid = orders[schema.CUSTOMER_ID].astype("str")
    at = pd.to_datetime(orders[schema.ORDERED_AT])
    paid &= cid.notna().to_numpy() & at.notna().to_numpy()
    secs = ((at.to_numpy("datetime64[s]") - window.origin) // np.timedelta64(1, "s")).astype(np.int64)
    paid &= secs < window.seconds
    base = [] if customers is None else customers[schema.CUSTOMER_ID].astype("str").tolist()
    ids = np.asarray(base + sorted(set(cid[paid]) - set(base)), object)
    code = pd.Index(ids).get_indexer(cid[paid])
    s, amount, row = secs[paid], orders[schema.AMOUNT].to_numpy(float)[paid], np.flatnonzero(paid)
    order = np.lexsort((s, code))
    code, s, amount, row = code[order], s[order], amount[order], row[order]
    first = np.full(ids.size, NEVER, np.int64)
    start = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if code.size else np.zeros(0, int)
    first[code[start]] = s[start]
    count = np.bincount(code, minlength=ids.size)
    return PaidHistory(ids, code.astype(np.int64), s, amount, row, first, count)


def time_series(window: PdWindow, seconds: np.ndarray, missing: np.ndarray | None = None) -> pd.Series:
    """``datetime64[s]`` times from seconds since pd_start; NaT where ``missing``."""
    values = window.origin + np.asarray(seconds, np.int64).astype("timedelta64[s]")
    if missing is not None:
        values = np.where(missing, np.datetime64("NaT", "s"), values)
    return pd.Series(values, dtype="datetime64[s]")


def text_series(values: np.ndarray | list, missing: np.ndarray | None = None) -> pd.Series:
    """A text (``str``) column; missing where ``missing``."""
    out = pd.Series(np.asarray(values, object), dtype="str")
    return out.mask(pd.Series(missing)) if missing is not None else out
