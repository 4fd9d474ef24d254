"""Monthly first-purchase cohorts: retention and cumulative repeat purchase.

A customer's cohort is the calendar month (``YYYY-MM``) of their first paid order up to
``period_end``; ``months_since = k`` is the k-th calendar month after it (0 = the cohort
month itself). Paid orders, ``period_end`` and missing ids follow the conventions of
:mod:`wxshop.analysis.paid`. Only cells that could be observed by ``period_end`` are returned:
cohort month + k ≤ the month of ``period_end``; the cell in the month of ``period_end`` is
marked ``partial`` unless ``period_end`` is that month's last day.

Customers whose first order in the data is in its first month may be older customers
(the export starts there), so the earliest cohort is usually inflated.

Plots are in :mod:`wxshop.report.plots`; this module returns data only.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from wxshop.analysis.paid import DateLike, PaidOrders, paid_orders, require_columns
from wxshop.data.codes import distinct

__all__ = ["cohort_retention", "repeat_curves", "retention_matrix"]

RepeatBasis = Literal["day", "order"]


def _months(p: PaidOrders) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """Month number per order, cohort month per customer, month of period_end, and
    whether that month is complete."""
    month = p.at.astype("datetime64[M]").astype(np.int64)
    cohort = np.full(p.n, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(cohort, p.code, month)
    end = np.datetime64(p.end_day, "D")
    end_month = int(end.astype("datetime64[M]").astype(np.int64))
    complete = (end + 1).astype("datetime64[M]").astype(np.int64) != end_month
    return month, cohort, end_month, bool(complete)


def _check_months(max_months: int) -> int:
    if isinstance(max_months, bool) or int(max_months) != max_months or max_months < 0:
        raise ValueError(f"max_months must be a whole number ≥ 0, got {max_months!r}")
    return int(max_months)


def _grid(
    cohort: np.ndarray, end_month: int, complete: bool, max_months: int, counts: np.ndarray
) -> pd.DataFrame:
    """Observable (cohort, months_since) cells with cohort sizes and per-cell ``counts``.

    ``counts`` is indexed [cohort position in ``np.unique(cohort)``, months_since].
    """
    months, inverse = np.unique(cohort, return_inverse=True)
    sizes = np.bincount(inverse, minlength=months.size)
    width = max_months + 1
    c = np.repeat(np.arange(months.size), width)
    k = np.tile(np.arange(width), months.size)
    seen = months[c] + k <= end_month
    c, k = c[seen], k[seen]
    labels = months.astype("datetime64[M]").astype(str)
    return pd.DataFrame(
        {
            "cohort": pd.array(labels[c], dtype="str"),
            "months_since": k.astype(np.int64),
            "customers": sizes[c].astype(np.int64),
            "count": counts[c, k].astype(np.int64),
            "partial": (months[c] + k == end_month) & (not complete),
        }
    )


def cohort_retention(
    orders: pd.DataFrame | PaidOrders, period_end: DateLike, max_months: int = 12
) -> pd.DataFrame:
    """Share of each first-purchase cohort buying in each later calendar month.

    Parameters
    ----------
    orders : customer_id, ordered_at[, status]. Only paid orders count.
    period_end : last day included.
    max_months : last months_since returned (cells 0..max_months).

    Returns
    -------
    Long table sorted by cohort, months_since: cohort (``YYYY-MM``), months_since (int,
    calendar months after the cohort month), customers (int, cohort size), active (int,
    cohort customers with a paid order in that month; at 0 this is the whole cohort),
    retention (active / customers, 0–1), partial (bool, the month of period_end when it
    is not finished). Cells after period_end's month are absent; observable months with
    no buyers are present with active 0.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-02-20", "2025-01-10", "2025-02-03"]),
    ... })
    >>> print(cohort_retention(orders, "2025-02-28", max_months=1).to_string(index=False))
     cohort  months_since  customers  active  retention  partial
    2025-01             0          2       2        1.0    False
    2025-01             1          2       1        0.5    False
    2025-02             0          1       1        1.0    False
    """
    months_max = _check_months(max_months)
    p = paid_orders(orders, period_end, "cohort_retention")
    month, cohort, end_month, complete = _months(p)
    k = month - cohort[p.code]
    keep = k <= months_max
    width = months_max + 1
    key = distinct(p.code[keep] * width + k[keep], bound=len(p.ids) * width)  # (customer, month)
    _, cohort_pos = np.unique(cohort, return_inverse=True)
    n_cohorts = int(cohort_pos.max()) + 1 if cohort_pos.size else 0
    counts = np.bincount(
        cohort_pos[key // width] * width + key % width, minlength=n_cohorts * width
    ).reshape(n_cohorts, width)
    out = _grid(cohort, end_month, complete, months_max, counts).rename(columns={"count": "active"})
    out.insert(4, "retention", out["active"] / out["customers"])
    return out


def retention_matrix(long: pd.DataFrame, value: str = "retention") -> pd.DataFrame:
    """Wide cohort × months_since table of ``value`` for a heatmap.

    Parameters
    ----------
    long : cohort, months_since and ``value`` (as from :func:`cohort_retention` or
        :func:`repeat_curves`).
    value : column to spread, e.g. ``"retention"``, ``"active"`` or ``"repeat_share"``.

    Returns
    -------
    Index ``cohort`` (sorted), columns ``months_since`` (0, 1, …); NaN where a cell was not
    observable by period_end.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"cohort": ["2025-01", "2025-01", "2025-02"], "months_since": [0, 1, 0],
    ...                      "retention": [1.0, 0.5, 1.0]})
    >>> print(retention_matrix(long).to_string())
    months_since    0    1
    cohort
    2025-01       1.0  0.5
    2025-02       1.0  NaN
    """
    require_columns(long, ("cohort", "months_since", value), "retention_matrix")
    wide = long.pivot(index="cohort", columns="months_since", values=value)
    return wide.sort_index().sort_index(axis=1)


def repeat_curves(
    orders: pd.DataFrame | PaidOrders,
    period_end: DateLike,
    max_months: int = 12,
    basis: RepeatBasis = "day",
) -> pd.DataFrame:
    """Cumulative share of each cohort that has bought again, by months since first purchase.

    Parameters
    ----------
    orders : customer_id, ordered_at[, status]. Only paid orders count.
    period_end : last day included.
    max_months : last months_since returned.
    basis : ``"day"`` (default): a repeat is a paid order on a later calendar day than the
        first purchase day (several orders on the first day are one purchase);
        ``"order"``: any second paid order, even on the same day.

    Returns
    -------
    Long table sorted by cohort, months_since: cohort (``YYYY-MM``), months_since (int),
    customers (int, cohort size), repeaters (int, customers whose repeat purchase happened
    by the end of calendar month cohort + months_since, capped at period_end),
    repeat_share (repeaters / customers, 0–1), partial (bool, as in
    :func:`cohort_retention`). Cells after period_end's month are absent.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-02-20", "2025-01-10", "2025-02-03"]),
    ... })
    >>> print(repeat_curves(orders, "2025-02-28", max_months=1).to_string(index=False))
     cohort  months_since  customers  repeaters  repeat_share  partial
    2025-01             0          2          0           0.0    False
    2025-01             1          2          1           0.5    False
    2025-02             0          1          0           0.0    False
    """
    months_max = _check_months(max_months)
    if basis not in ("day", "order"):
        raise ValueError(f"basis must be 'day' or 'order', got {basis!r}")
    p = paid_orders(orders, period_end, "repeat_curves")
    _, cohort, end_month, complete = _months(p)
    if basis == "day":
        code, day = p.purchase_days()
        when = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    else:
        order = np.lexsort((p.at, p.code))
        code = p.code[order]
        when = p.at[order].astype("datetime64[M]").astype(np.int64)
    first = np.ones(code.size, bool)
    first[1:] = code[1:] != code[:-1]
    second = np.zeros(code.size, bool)
    second[1:] = first[:-1] & ~first[1:]
    who = code[second]
    k = when[second] - cohort[who]
    _, cohort_pos = np.unique(cohort, return_inverse=True)
    n_cohorts = int(cohort_pos.max()) + 1 if cohort_pos.size else 0
    width = months_max + 1
    keep = k <= months_max
    counts = np.bincount(
        cohort_pos[who[keep]] * width + k[keep], minlength=n_cohorts * width
    ).reshape(n_cohorts, width)
    out = _grid(cohort, end_month, complete, months_max, counts.cumsum(axis=1))
    out = out.rename(columns={"count": "repeaters"})
    out.insert(4, "repeat_share", out["repeaters"] / out["customers"])
    return out
