"""Paid-order conventions every analysis shares.

- paid order: ``status == "paid"``, or every order when there is no status column
  (:func:`paid_mask`); orders with no ``customer_id`` or no ``ordered_at`` are left out;
- ``period_end`` is a day (``"YYYY-MM-DD"``, ``date`` or ``Timestamp``; a time of day is
  ignored): paid orders up to the END of that day count, later ones are ignored;
- days are calendar days: ``days since X = period_end day - day of X`` (0 = on
  ``period_end``); a "period of N days" is the N days ending on ``period_end``, inclusive;
  day numbers count days since 1970-01-01;
- money in CNY; shares 0–1; rates with an empty denominator are NaN;
- a missing channel or category shows as :data:`UNKNOWN`.

A report takes its paid orders once (:func:`paid_orders`: customer codes, days, amounts as
integer and float arrays) and passes them to every customer analysis in place of the orders
frame (RFM, spend tiers, profiles, lifecycle stages and migration, cohorts, the purchase
summary and model); each analysis also accepts the orders frame and takes them itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from wxshop.data.codes import argsort_keys
from wxshop.data.keys import customer_codes
from wxshop.data.schema import AMOUNT, CUSTOMER_ID, ORDERED_AT, STATUS

__all__ = [
    "NO_DAY", "UNKNOWN", "DateLike", "PaidOrders", "check_days", "day_numbers", "day_stamps", "iso_day",
    "paid_mask", "paid_orders", "period_end_day", "require_columns", "timestamps",
]

UNKNOWN = "—"  # label of a missing channel or category (a SKU not in products)
NO_DAY = int(np.iinfo(np.int64).min)  # day number of a missing timestamp (NaT)

def require_columns(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """KeyError naming the ``columns`` that ``what`` needs and ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{what} needs column(s) {', '.join(missing)}")


def paid_mask(orders: pd.DataFrame) -> pd.Series:
    """True for paid orders (all orders when there is no status column)."""
    if STATUS not in orders.columns:
        return pd.Series(True, index=orders.index)
    return (orders[STATUS] == "paid").fillna(False).astype(bool)


DateLike = str | date | pd.Timestamp

def period_end_day(period_end: DateLike) -> int:
    """``period_end`` as a day number (days since 1970-01-01)."""
    if period_end is None or (isinstance(period_end, str) and not period_end.strip()):
        raise ValueError("period_end is required (a day such as '2026-10-31')")
    ts = pd.Timestamp(period_end)
    if ts is pd.NaT:
        raise ValueError(f"period_end is not a date: {period_end!r}")
    return int(np.datetime64(ts.date(), "D").astype(np.int64))


def iso_day(day: int) -> str:
    """A day number as ``YYYY-MM-DD``."""
    return str(np.datetime64(int(day), "D"))


def timestamps(values: pd.Series) -> pd.Series:
    """Naive datetimes (wall-clock time kept when the column is time-zone aware)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_dtype(values.dtype):
        return pd.to_datetime(values, errors="coerce", format="mixed")
    return values


def day_numbers(values: pd.Series) -> np.ndarray:
    """Calendar day numbers (wall clock, days since 1970-01-01) of timestamps, int64; NaT
    becomes :data:`NO_DAY`.

    Examples
    --------
    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-02 23:59", "2025-03-31 08:00"]))).tolist()
    [1, 20178]
    """
    return timestamps(values).to_numpy().astype("datetime64[D]").astype(np.int64)


def day_stamps(days: np.ndarray) -> np.ndarray:
    """Day numbers as midnight timestamps (``datetime64[s]``).

    Examples
    --------
    >>> print(day_stamps(np.array([0, 20178]))[1])
    2025-03-31T00:00:00
    """
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[s]")


@dataclass(frozen=True)
class PaidOrders:
    """Paid orders up to the end of ``end_day``, one array entry per order."""

    ids: pd.Index  # customer_id of each code, sorted
    code: np.ndarray  # int64 customer code per order, 0 .. len(ids) - 1
    day: np.ndarray  # int64 day number per order
    at: np.ndarray  # datetime64 per order
    amount: np.ndarray  # float64 CNY per order, a missing amount 0 (zeros when not asked for)
    end_day: int
    has_amount: bool = False  # whether ``amount`` holds the orders' amounts

    @property
    def n(self) -> int:
        return len(self.ids)

    def first_last_day(self, upto: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per-customer first and last purchase day (orders up to day ``upto``); -1 = none."""
        day, code = self.day, self.code
        if upto is not None:
            keep = day <= upto
            day, code = day[keep], code[keep]
        big = np.iinfo(np.int64).max
        first = np.full(self.n, big, np.int64)
        last = np.full(self.n, np.iinfo(np.int64).min, np.int64)
        np.minimum.at(first, code, day)
        np.maximum.at(last, code, day)
        none = first == big
        first[none] = -1
        last[none] = -1
        return first, last

    def opening(self, days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per customer over their first ``days`` days (the first purchase day and the
        ``days − 1`` after it): the first purchase day, the amount paid (CNY) and the number of
        distinct purchase days."""
        first, _ = self.first_last_day()
        code, day, amount = self.daily()
        inside = day - first[code] < days
        paid = np.bincount(code[inside], weights=amount[inside], minlength=self.n)
        return first, paid, np.bincount(code[inside], minlength=self.n)

    def daily(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (customer code, day) pairs sorted by customer then day, and each pair's
        amount: the sum of the customer's orders that day (CNY; 0 without amounts). Worked
        out on the first call and kept; the arrays are read-only."""
        kept = self.__dict__.get("_daily")
        if kept is None:
            if self.code.size == 0:
                code, day, amount = self.code[:0].copy(), self.day[:0].copy(), np.zeros(0)
            else:
                lo = int(self.day.min())
                span = int(self.day.max()) - lo + 1
                key = self.code * span + (self.day - lo)
                order = argsort_keys(key)
                ordered = key[order]
                new = np.ones(ordered.size, bool)
                new[1:] = ordered[1:] != ordered[:-1]
                pair = np.empty(key.size, np.int64)  # each order's pair
                pair[order] = np.cumsum(new) - 1
                key = ordered[new]
                # summed in the orders' own order, as a report summed them before
                amount = np.bincount(pair, weights=np.nan_to_num(self.amount), minlength=key.size)
                code, day = key // span, key % span + lo
            kept = self._keep("_daily", (code, day, amount))
        return kept

    def purchase_days(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct (customer code, day) pairs sorted by customer then day (:meth:`daily`)."""
        code, day, _ = self.daily()
        return code, day

    def upto(self, day: int) -> tuple[PaidOrders, np.ndarray]:
        """These paid orders up to the end of day number ``day``, their customers coded
        0 .. k−1 again (still in id order), and each new code's code here. The purchase days
        come from these ones' (no second sort of the orders).

        Examples
        --------
        >>> p = PaidOrders(ids=pd.Index(["a", "b", "c"]), code=np.array([0, 1, 2, 1]),
        ...                day=np.array([5, 9, 7, 6]), at=np.zeros(4, "datetime64[s]"),
        ...                amount=np.array([1.0, 2.0, 3.0, 4.0]), end_day=9, has_amount=True)
        >>> early, codes = p.upto(7)
        >>> list(early.ids), early.code.tolist(), codes.tolist(), early.end_day
        (['a', 'b', 'c'], [0, 2, 1], [0, 1, 2], 7)
        >>> late, codes = p.upto(5)
        >>> list(late.ids), codes.tolist(), [a.tolist() for a in late.daily()]
        (['a'], [0], [[0], [5], [1.0]])
        """
        if day > self.end_day:
            raise ValueError(f"upto: day {day} is after these paid orders' end ({self.end_day})")
        keep = self.day <= day
        present = np.bincount(self.code[keep], minlength=self.n) > 0
        renumber = np.cumsum(present) - 1
        out = PaidOrders(ids=self.ids[present], code=renumber[self.code[keep]], day=self.day[keep],
                         at=self.at[keep], amount=self.amount[keep], end_day=int(day),
                         has_amount=self.has_amount)
        code, days, amount = self.daily()
        inside = days <= day
        out._keep("_daily", (renumber[code[inside]], days[inside], amount[inside]))
        return out, np.flatnonzero(present)

    def _keep(self, name: str, arrays: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        """Keep ``arrays`` (read-only) as a worked-out result: a cache, not a field."""
        for a in arrays:
            a.flags.writeable = False
        object.__setattr__(self, name, arrays)
        return arrays

    def repeat_intervals(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Customer code, later purchase day and gap in days (int64, ≥ 1) of every interval
        between a customer's consecutive purchase days, sorted by customer then day."""
        code, day = self.purchase_days()
        repeat = np.zeros(code.size, bool)
        repeat[1:] = code[1:] == code[:-1]
        gaps = np.diff(day, prepend=0)
        return code[repeat], day[repeat], gaps[repeat].astype(np.int64)


def paid_orders(
    orders: pd.DataFrame | PaidOrders, period_end: DateLike, what: str = "paid_orders",
    amount: bool = False,
) -> PaidOrders:
    """Paid orders up to the end of ``period_end`` with factorised customer ids; ``amount``:
    with each order's amount (CNY, a missing amount 0).

    A report works them out once and passes them to each customer analysis in place of the
    orders (``rfm_table(paid, end)``, ``lifecycle_stages(paid, end)``...): given a
    :class:`PaidOrders`, this returns it as it is, after checking that it was taken up to the
    same ``period_end`` and holds amounts if ``amount`` (ValueError naming ``what``
    otherwise).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["b", "a", "b"], "amount": [5.0, 8.0, 2.0],
    ...     "ordered_at": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-04-01"])})
    >>> p = paid_orders(orders, "2025-03-31", amount=True)
    >>> list(p.ids), p.code.tolist(), p.amount.tolist()
    (['a', 'b'], [1, 0], [5.0, 8.0])
    >>> paid_orders(p, "2025-03-31", "rfm_table", amount=True) is p
    True
    >>> paid_orders(p, "2025-04-30", "rfm_table")
    Traceback (most recent call last):
    ...
    ValueError: rfm_table: the paid orders were taken up to 2025-03-31, not 2025-04-30
    """
    if isinstance(orders, PaidOrders):
        asked = period_end_day(period_end)
        if orders.end_day != asked:
            raise ValueError(f"{what}: the paid orders were taken up to {iso_day(orders.end_day)}, "
                             f"not {iso_day(asked)}")
        if amount and not orders.has_amount:
            raise ValueError(f"{what} needs the orders' amounts: paid_orders(..., amount=True)")
        return orders
    cols = (CUSTOMER_ID, ORDERED_AT, AMOUNT) if amount else (CUSTOMER_ID, ORDERED_AT)
    require_columns(orders, cols, what)
    last_day = period_end_day(period_end)
    at = timestamps(orders[ORDERED_AT])
    end = np.datetime64(last_day + 1, "D")
    keep = paid_mask(orders).to_numpy(bool) & (at < end).to_numpy(bool)
    keep &= orders[CUSTOMER_ID].notna().to_numpy(bool)
    code, ids = customer_codes(orders, keep)
    at_np = at.to_numpy()[keep]
    money = (
        pd.to_numeric(orders[AMOUNT][keep]).fillna(0.0).to_numpy(np.float64)
        if amount
        else np.zeros(code.size)
    )
    return PaidOrders(
        ids=pd.Index(ids, name=CUSTOMER_ID),
        code=code,
        day=at_np.astype("datetime64[D]").astype(np.int64),
        at=at_np,
        amount=money,
        end_day=last_day,
        has_amount=amount,
    )


def check_days(name: str, value: int, minimum: int = 1) -> int:
    """``value`` as an int when it is a whole number of days ≥ ``minimum``; ValueError naming
    ``name`` otherwise."""
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be a whole number of days ≥ {minimum}, got {value!r}")
    return int(value)
