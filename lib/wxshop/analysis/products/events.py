"""Purchase events: the distinct (customer, item, day) table every product analysis starts from,
sorted by item, customer and day, optionally shared within a :func:`shared_events` block.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxshop.analysis.paid import NO_DAY, day_numbers, require_columns
from wxshop.analysis.products.keys import ItemGroups, check_level, item_groups, key_columns, run_starts
from wxshop.data.schema import CUSTOMER_ID, ORDERED_AT

__all__ = ["PurchaseEvents", "compute_events", "item_events", "shared_events", "sharing_events"]

@dataclass(frozen=True)
class PurchaseEvents:
    """Distinct purchase events sorted by item, customer, day."""

    groups: ItemGroups
    customers: pd.Index  # customer_id per customer code
    item: np.ndarray  # item code per event
    customer: np.ndarray  # customer code per event
    day: np.ndarray  # day number per event
    last: np.ndarray  # bool: no later purchase of the item by the customer (censored)


_SHARED: dict[tuple[int, str, int | None], tuple[pd.DataFrame, PurchaseEvents]] | None = None


def sharing_events() -> bool:
    """True inside a :func:`shared_events` block."""
    return _SHARED is not None


@contextmanager
def shared_events() -> Iterator[None]:
    """Inside the block, the distinct purchase events of one ``lines`` frame, level and end
    are worked out once and shared by every function asking for them (product_table,
    repurchase_cycles, km_curves, purchase_events). A sorted event table of 7.5M order lines
    takes about 0.5 s, and a report asks for the same one several times.

    The sharing ends with the block, and nothing outside it can change ``lines`` while
    it runs (a library function holds the frame for the whole block), so a result never
    outlives the data it came from.
    """
    global _SHARED
    outer = _SHARED
    if outer is None:
        _SHARED = {}
    try:
        yield
    finally:
        if outer is None:
            _SHARED = None


def item_events(lines: pd.DataFrame, level: str, end_day: int | None, what: str) -> PurchaseEvents:
    """Distinct purchase events of ``lines`` up to day ``end_day`` (shared inside
    :func:`shared_events`); ``what`` names the caller in errors."""
    if _SHARED is not None and end_day is not None and ORDERED_AT in lines.columns:
        last = day_numbers(lines[ORDERED_AT])
        if last.size and int(last.max()) <= end_day:
            end_day = None  # the end cuts nothing off: the same events as no end
    key = (id(lines), level, end_day)
    if _SHARED is not None and key in _SHARED and _SHARED[key][0] is lines:
        return _SHARED[key][1]
    events = compute_events(lines, level, end_day, what)
    if _SHARED is not None:
        _SHARED[key] = (lines, events)  # holding the frame keeps its id from being reused
    return events


def compute_events(lines: pd.DataFrame, level: str, end_day: int | None, what: str) -> PurchaseEvents:
    """Distinct purchase events of ``lines`` up to day ``end_day``, worked out afresh."""
    check_level(level)
    require_columns(lines, (CUSTOMER_ID, ORDERED_AT, *key_columns(level)), what)
    groups = item_groups(lines, level)
    cust, cust_ids = pd.factorize(lines[CUSTOMER_ID], sort=True)  # events sorted by customer_id
    day = day_numbers(lines[ORDERED_AT])
    ok = day != NO_DAY
    keep = ok & (groups.code >= 0) & (cust >= 0)
    if end_day is not None:
        keep &= day <= end_day
    g, c, d = groups.code[keep], cust[keep].astype(np.int64), day[keep]
    if g.size:
        lo = int(d.min())
        span = int(d.max()) - lo + 1
        n_c = max(len(cust_ids), 1)
        if groups.n * n_c * span < 2**62:
            key = np.sort((g * n_c + c) * span + (d - lo))
            key = key[run_starts(key)]
            pair, d = np.divmod(key, span)
            d = d + lo
            g, c = np.divmod(pair, n_c)
        else:  # ids too many to pack into one integer: sort by three keys instead
            order = np.lexsort((d, c, g))
            g, c, d = g[order], c[order], d[order]
            new = np.ones(g.size, bool)
            new[1:] = (g[1:] != g[:-1]) | (c[1:] != c[:-1]) | (d[1:] != d[:-1])
            g, c, d = g[new], c[new], d[new]
    last = np.ones(g.size, bool)
    last[:-1] = (g[1:] != g[:-1]) | (c[1:] != c[:-1])
    return PurchaseEvents(groups, pd.Index(cust_ids, name=CUSTOMER_ID), g, c, d, last)
