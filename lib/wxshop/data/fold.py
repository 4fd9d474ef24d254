"""Folding exports into the contract's shape: order lines into orders, refund rows into their order.

A line-level export (有赞 by item, an ERP's order lines) repeats the order's fields on every
line: :func:`first_lines` keeps the first line of each order as the order. A WeChat Pay bill
records a refund as a row of its own, with the original 商户订单号: :func:`fold_refunds` adds
it to its order's ``refund_amount`` and ``refunded_at``, and a REVOKED row cancels its
order. After folding, an order whose refunds reach its amount is ``refunded``; a partly
refunded order stays ``paid`` and carries the part returned, as the platforms count it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wxshop.data.schema import (
    AMOUNT,
    ORDER_ID,
    ORDERED_AT,
    REFUND_AMOUNT,
    REFUND_ROW,
    REFUNDED_AT,
    STATUS,
)

REVOKED_ROW = "revoked"  # a bill's REVOKED row: the payment was taken back
FOLD_VALUES = (REFUND_ROW, REVOKED_ROW)
_CENT = 0.005


def first_lines(order_ids: pd.Series) -> np.ndarray:
    """Mask of the first line of each order (lines without an order id are kept, to be
    rejected as such).

    Examples
    --------
    >>> first_lines(pd.Series(["a", "a", "b", None, "a"])).tolist()
    [True, False, True, True, False]
    """
    return ~(order_ids.duplicated(keep="first").to_numpy() & order_ids.notna().to_numpy())


@dataclass
class Folded:
    """Orders after folding: the frame, rows folded away, and refund rows with no order."""

    frame: pd.DataFrame
    folded: np.ndarray  # rows merged into another row (not orders themselves)
    orphans: np.ndarray  # refund rows whose order is not in the files
    refunds: int  # refund rows folded
    revoked: int  # orders cancelled by a REVOKED row


def fold_refunds(frame: pd.DataFrame) -> Folded:
    """Fold refund and revoke rows (``status`` ``refund`` / ``revoked``) into their orders.

    Each refund row adds its ``refund_amount`` (else its ``amount``) to the order's and sets
    ``refunded_at`` to its own ``refunded_at`` (else its ``ordered_at``), the latest winning;
    a revoke row cancels its order. Orders then get ``refund_amount`` 0 where nothing was
    returned, and become ``refunded`` when the refunds reach the amount. A revoke row with no
    order is an order cancelled in the same bill; a refund row with no order is an orphan.

    Examples
    --------
    >>> f = pd.DataFrame({"order_id": ["a", "b", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-03",
    ...                                   "2024-01-04", "2024-01-05"]),
    ...     "amount": [10.0, 20.0, 0.0, 0.0, 0.0], "status": ["paid", "paid", "refund", "refund", "refund"],
    ...     "refund_amount": [0.0, 0.0, 4.0, 20.0, 3.0]})
    >>> out = fold_refunds(f)
    >>> out.frame.loc[~(out.folded | out.orphans), ["order_id", "status", "refund_amount"]].values.tolist()
    [['a', 'paid', 4.0], ['b', 'refunded', 20.0]]
    >>> out.orphans.tolist()
    [False, False, False, False, True]
    """
    n = len(frame)
    status = frame[STATUS] if STATUS in frame.columns else pd.Series(np.nan, index=frame.index)
    is_refund = (status == REFUND_ROW).to_numpy()
    is_revoke = (status == REVOKED_ROW).to_numpy()
    folded = np.zeros(n, dtype=bool)
    orphans = np.zeros(n, dtype=bool)
    if not (is_refund.any() or is_revoke.any()):
        return Folded(frame, folded, orphans, 0, 0)
    out = frame.copy()
    if REFUND_AMOUNT not in out.columns:
        out[REFUND_AMOUNT] = np.nan
    if REFUNDED_AT not in out.columns:
        out[REFUNDED_AT] = pd.Series(pd.NaT, index=out.index, dtype=out[ORDERED_AT].dtype)

    ids = out[ORDER_ID]
    order_rows = ~(is_refund | is_revoke) & ids.notna().to_numpy()
    # the first order row of each id takes the refunds (a repeated id is rejected later)
    owner = pd.Series(np.flatnonzero(order_rows), index=ids[order_rows].to_numpy())
    owner = owner[~owner.index.duplicated(keep="first")]

    refund_rows = np.flatnonzero(is_refund)
    at_owner = owner.reindex(ids.iloc[refund_rows].to_numpy()).to_numpy()
    matched = ~np.isnan(at_owner)
    orphans[refund_rows[~matched]] = True
    folded[refund_rows[matched]] = True
    if matched.any():
        rows = refund_rows[matched]
        target = at_owner[matched].astype(np.int64)
        amount = out[REFUND_AMOUNT].iloc[rows].fillna(out[AMOUNT].iloc[rows]).to_numpy(dtype=float)
        when = out[REFUNDED_AT].iloc[rows].fillna(out[ORDERED_AT].iloc[rows])
        sums = pd.Series(amount).groupby(target).sum()
        latest = pd.Series(when.to_numpy()).groupby(target).max()
        col_amount = out.columns.get_loc(REFUND_AMOUNT)
        col_at = out.columns.get_loc(REFUNDED_AT)
        out.iloc[sums.index.to_numpy(), col_amount] = sums.to_numpy()
        out.iloc[latest.index.to_numpy(), col_at] = latest.to_numpy()

    revoke_rows = np.flatnonzero(is_revoke)
    at_owner = owner.reindex(ids.iloc[revoke_rows].to_numpy()).to_numpy()
    matched = ~np.isnan(at_owner)
    folded[revoke_rows[matched]] = True
    col_status = out.columns.get_loc(STATUS)
    if matched.any():
        out.iloc[at_owner[matched].astype(np.int64), col_status] = "cancelled"
    out.iloc[revoke_rows[~matched], col_status] = "cancelled"

    orders = ~(folded | orphans)
    refund = out[REFUND_AMOUNT].where(~is_refund & orders, np.nan)
    out[REFUND_AMOUNT] = out[REFUND_AMOUNT].where(~orders, refund.fillna(0.0))
    settle_refunded(out, orders)
    return Folded(out, folded, orphans, int(folded[refund_rows].sum()), int(matched.sum()))


def settle_refunded(frame: pd.DataFrame, rows: np.ndarray | None = None) -> None:
    """Mark ``paid`` orders whose ``refund_amount`` reaches their amount as ``refunded`` (in place).

    Examples
    --------
    >>> f = pd.DataFrame({"amount": [10.0, 10.0, 0.0], "status": ["paid"] * 3,
    ...                   "refund_amount": [10.0, 4.0, 0.0]})
    >>> settle_refunded(f); f["status"].tolist()
    ['refunded', 'paid', 'paid']
    """
    if REFUND_AMOUNT not in frame.columns or STATUS not in frame.columns:
        return
    full = (
        (frame[STATUS] == "paid").to_numpy()
        & (frame[AMOUNT] > 0).to_numpy()
        & (frame[REFUND_AMOUNT] >= frame[AMOUNT] - _CENT).to_numpy()
    )
    if rows is not None:
        full &= rows
    if full.any():
        frame.loc[full, STATUS] = "refunded"
