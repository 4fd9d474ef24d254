"""When customers buy: paid orders and GMV by weekday × hour, the hour-of-day profile against the
playbook's content windows, the peak hours, and view → pay conversion by hour.

Window: every paid order (event) given; pass the orders of the period you want. Paid order:
:func:`wxshop.analysis.paid.paid_mask`; orders without ``ordered_at`` are left out (a missing
``customer_id`` does not matter here). Hours are the recorded wall clock (a time-zone aware
column keeps its wall-clock time), 0–23; weekdays Monday = 0 … Sunday = 6. Money in CNY rounded
to the fen; shares 0–1. With no paid orders (events) every function returns an empty frame
with its columns (``peak_hours``: an empty list).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN, paid_mask, require_columns, timestamps
from wxshop.data.schema import AMOUNT, CHANNEL, ORDERED_AT

__all__ = ["PLAYBOOK_WINDOWS", "hour_grid", "hour_profile", "hourly_conversion", "peak_hours"]

PLAYBOOK_WINDOWS: tuple[tuple[int, int], ...] = ((7, 9), (12, 14), (20, 22))
"""The playbook's content windows: hours ``[start, end)`` of the day (7–9, 12–14, 20–22 h)."""

HOURS = 24
PROFILE_COLUMNS = ["hour", "orders", "gmv", "share", "index", "in_playbook_window"]
CONVERSION_COLUMNS = ["hour", "views", "pays", "conversion"]


def _timing_hour_codes(at: pd.Series) -> np.ndarray:
    """Hours since 1970-01-01 (wall clock, int64) of timestamps that are not NaT."""
    return timestamps(at).to_numpy().astype("datetime64[h]").astype(np.int64)


def _timing_paid(orders: pd.DataFrame, what: str, money: bool) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Hour since epoch, amount (CNY, missing 0; zeros unless ``money``) and the mask of the
    paid orders with a timestamp."""
    require_columns(orders, [ORDERED_AT, AMOUNT] if money else [ORDERED_AT], what)
    at = timestamps(orders[ORDERED_AT])
    keep = paid_mask(orders) & at.notna()
    hours = _timing_hour_codes(at[keep])
    amount = (pd.to_numeric(orders.loc[keep, AMOUNT]).fillna(0.0).to_numpy(np.float64) if money
              else np.zeros(hours.size))
    return hours, amount, keep


def _timing_in_window(hours: np.ndarray) -> np.ndarray:
    """Whether each hour of day falls in one of the :data:`PLAYBOOK_WINDOWS`.

    Examples
    --------
    >>> _timing_in_window(np.array([6, 7, 8, 9, 13, 21, 22])).tolist()
    [False, True, True, False, True, True, False]
    """
    hours = np.asarray(hours)
    out = np.zeros(hours.shape, bool)
    for start, end in PLAYBOOK_WINDOWS:
        out |= (hours >= start) & (hours < end)
    return out


def hour_grid(orders: pd.DataFrame, value: str = "orders") -> pd.DataFrame:
    """Paid orders (``value="orders"``) or paid GMV (``value="gmv"``) by weekday × hour of the
    order time.

    Cell (w, h) = number of paid orders (or the sum of their ``amount``, CNY rounded to 0.01; a
    missing amount counts 0) placed on weekday w (Monday = 0 … Sunday = 6) at hour h (0–23),
    over every paid order given. 7 rows (index ``weekday``) × 24 columns (ints 0..23, named
    ``hour``); empty (no rows) without paid orders.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(
    ...     ["2025-03-03 08:10", "2025-03-03 08:50", "2025-03-09 21:00", "2025-03-04 08:00"]),
    ...     "amount": [10.0, 5.5, 20.0, 99.0], "status": ["paid", "paid", "paid", "refunded"]})
    >>> grid = hour_grid(orders)
    >>> grid.shape, int(grid.loc[0, 8]), int(grid.loc[6, 21]), int(grid.to_numpy().sum())
    ((7, 24), 2, 1, 3)
    >>> float(hour_grid(orders, "gmv").loc[0, 8])
    15.5
    """
    if value not in ("orders", "gmv"):
        raise ValueError(f"hour_grid: value must be 'orders' or 'gmv', got {value!r}")
    hours, amount, _ = _timing_paid(orders, "hour_grid", value == "gmv")
    columns = pd.Index(range(HOURS), name="hour")
    if hours.size == 0:
        dtype = np.int64 if value == "orders" else np.float64
        return pd.DataFrame(np.zeros((0, HOURS), dtype), columns=columns,
                            index=pd.Index([], dtype=np.int64, name="weekday"))
    # 1970-01-01 was a Thursday (weekday 3)
    cell = ((hours // HOURS + 3) % 7) * HOURS + hours % HOURS
    if value == "orders":
        grid = np.bincount(cell, minlength=7 * HOURS).astype(np.int64)
    else:
        grid = np.round(np.bincount(cell, weights=amount, minlength=7 * HOURS), 2)
    return pd.DataFrame(grid.reshape(7, HOURS), columns=columns,
                        index=pd.Index(range(7), name="weekday"))


def _timing_profile_blocks(block: np.ndarray, hours: np.ndarray, amount: np.ndarray,
                           blocks: int) -> pd.DataFrame:
    """The hour profile of each block of paid orders (block code, hour of day, amount): 24 rows
    per block, block 0 first."""
    cell = block * HOURS + hours
    n = np.bincount(cell, minlength=blocks * HOURS).astype(np.int64).reshape(blocks, HOURS)
    gmv = np.bincount(cell, weights=amount, minlength=blocks * HOURS)
    total = n.sum(axis=1, keepdims=True)
    share = (n / np.where(total > 0, total, 1)).ravel()
    hour = np.tile(np.arange(HOURS), blocks)
    return pd.DataFrame({
        "hour": hour, "orders": n.ravel(), "gmv": np.round(gmv, 2), "share": share,
        "index": share * HOURS, "in_playbook_window": _timing_in_window(hour),
    })


def hour_profile(orders: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Paid orders, GMV and their concentration per hour of day (0–23), optionally per channel.

    Per hour h, over every paid order given (with ``by="channel"``: over the channel's paid
    orders, one 24-row block per channel, largest block first, a missing channel as
    :data:`~wxshop.analysis.paid.UNKNOWN`):

    - ``orders``: paid orders placed at hour h (count);
    - ``gmv``: their summed ``amount`` (CNY, rounded to 0.01; a missing amount counts 0);
    - ``share``: orders at h ÷ all paid orders (of the block), 0–1; the 24 shares sum to 1;
    - ``index``: orders at h ÷ mean paid orders per hour (block orders ÷ 24); 1 = an average
      hour, 2 = twice as busy;
    - ``in_playbook_window``: h is in one of :data:`PLAYBOOK_WINDOWS`.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(
    ...     ["2025-03-03 08:10", "2025-03-03 08:50", "2025-03-09 21:00", "2025-03-04 03:00"]),
    ...     "amount": [10.0, 5.5, 20.0, 99.0], "status": ["paid", "paid", "paid", "cancelled"],
    ...     "channel": ["社群", "社群", None, "社群"]})
    >>> p = hour_profile(orders)
    >>> print(p[p.orders > 0].round(3).to_string(index=False))
     hour  orders  gmv  share  index  in_playbook_window
        8       2 15.5  0.667   16.0                True
       21       1 20.0  0.333    8.0                True
    >>> by = hour_profile(orders, by="channel")
    >>> print(by[by.orders > 0][["channel", "hour", "orders", "share"]].to_string(index=False))
    channel  hour  orders  share
         社群     8       2    1.0
          —    21       1    1.0
    """
    if by is not None and by != CHANNEL:
        raise ValueError(f"hour_profile: by must be None or 'channel', got {by!r}")
    if by is not None:
        require_columns(orders, [CHANNEL], "hour_profile")
    hours, amount, keep = _timing_paid(orders, "hour_profile", True)
    columns = PROFILE_COLUMNS if by is None else [CHANNEL, *PROFILE_COLUMNS]
    if hours.size == 0:
        return _timing_empty(columns)
    if by is None:
        return _timing_profile_blocks(np.zeros(hours.size, np.int64), hours % HOURS, amount, 1)
    channel = orders.loc[keep, CHANNEL].astype("str").fillna(UNKNOWN).replace("", UNKNOWN)
    code, labels = pd.factorize(channel)
    size = np.bincount(code, minlength=labels.size)
    rank = np.lexsort((np.asarray(labels, dtype=object).astype(str), -size))  # largest first
    renumber = np.empty(labels.size, np.int64)
    renumber[rank] = np.arange(labels.size)
    out = _timing_profile_blocks(renumber[code], hours % HOURS, amount, labels.size)
    out.insert(0, CHANNEL, pd.array(np.repeat(np.asarray(labels, dtype=object)[rank], HOURS), "str"))
    return out


def _timing_empty(columns: list[str]) -> pd.DataFrame:
    """An empty result frame with ``columns`` typed as the full result would be."""
    types = {CHANNEL: "str", "hour": np.int64, "orders": np.int64, "views": np.int64,
             "pays": np.int64, "in_playbook_window": bool}
    return pd.DataFrame({c: pd.Series(dtype=types.get(c, np.float64)) for c in columns})


def peak_hours(orders: pd.DataFrame, k: int = 3) -> list[int]:
    """The ``k`` hours of day (0–23) with the most paid orders, most first; ties go to the
    earlier hour. Only hours with at least one paid order qualify, so fewer than ``k`` hours
    come back when fewer have orders (none without paid orders). Window: every paid order given.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(
    ...     ["2025-03-03 21:10", "2025-03-04 21:50", "2025-03-05 12:00", "2025-03-05 09:00"])})
    >>> peak_hours(orders, 2), peak_hours(orders, 5)
    ([21, 9], [21, 9, 12])
    """
    if isinstance(k, bool) or int(k) != k or k < 0:
        raise ValueError(f"peak_hours: k must be a whole number ≥ 0, got {k!r}")
    hours, _, _ = _timing_paid(orders, "peak_hours", False)
    n = np.bincount(hours % HOURS, minlength=HOURS)
    order = np.lexsort((np.arange(HOURS), -n))  # most orders first, then earlier hour
    return [int(h) for h in order[: int(k)] if n[h] > 0]


def hourly_conversion(events: pd.DataFrame) -> pd.DataFrame:
    """View and pay events per hour of day (0–23) and their ratio.

    Per hour h, over every event given (``ts`` wall clock; events without ``ts`` are left out):
    ``views`` = ``view`` events at h, ``pays`` = ``pay`` events at h (counts), ``conversion`` =
    pays ÷ views (NaN when no views). It is a ratio of event counts in the same hour, not a
    followed funnel: a pay need not follow a view of the same hour, so it can exceed 1.

    Examples
    --------
    >>> events = pd.DataFrame({"customer_id": ["a", "a", "b", "b", "c"],
    ...     "ts": pd.to_datetime(["2025-03-03 20:01", "2025-03-03 20:09", "2025-03-04 20:30",
    ...                           "2025-03-04 09:00", "2025-03-05 20:40"]),
    ...     "event": ["view", "pay", "view", "pay", "view"]})
    >>> c = hourly_conversion(events)
    >>> print(c[c.hour.isin([9, 20])].round(3).to_string(index=False))
     hour  views  pays  conversion
        9      0     1         NaN
       20      3     1       0.333
    """
    require_columns(events, ["ts", "event"], "hourly_conversion")
    at = timestamps(events["ts"])
    kind = events["event"].astype("str")
    known = at.notna()
    if not bool(known.any()):
        return _timing_empty(CONVERSION_COLUMNS)
    hour = np.full(len(events), -1, np.int64)
    hour[known.to_numpy(bool)] = _timing_hour_codes(at[known]) % HOURS
    views = np.bincount(hour[(kind == "view").to_numpy(bool) & (hour >= 0)], minlength=HOURS)
    pays = np.bincount(hour[(kind == "pay").to_numpy(bool) & (hour >= 0)], minlength=HOURS)
    with np.errstate(divide="ignore", invalid="ignore"):
        conversion = np.where(views > 0, pays / np.where(views > 0, views, 1), np.nan)
    return pd.DataFrame({"hour": np.arange(HOURS), "views": views.astype(np.int64),
                         "pays": pays.astype(np.int64), "conversion": conversion})
