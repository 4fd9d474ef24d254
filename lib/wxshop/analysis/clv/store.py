"""CLV of a store: fit the purchase and spend models on its paid orders and predict every
customer (:func:`predict_customers`); check the purchase model on a holdout period
(:func:`holdout_check`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from wxshop.analysis.clv.bgnbd import BGNBDFit, PurchaseModel, expected_purchases, fit_bgnbd, p_alive
from wxshop.analysis.clv.gamma_gamma import GammaGammaFit, expected_spend, fit_gamma_gamma
from wxshop.analysis.clv.summary import (
    EXPECTED_SPEND,
    FREQUENCY,
    MONETARY_VALUE,
    P_ALIVE,
    RECENCY,
    TENURE,
    purchase_summary,
)
from wxshop.analysis.paid import (
    PaidOrders,
    day_numbers,
    day_stamps,
    iso_day,
    paid_mask,
    paid_orders,
    period_end_day,
)
from wxshop.data.schema import CUSTOMER_ID, ORDERED_AT

__all__ = ["MIN_GAMMA_GAMMA_CUSTOMERS", "STORE_MODEL", "holdout_check", "predict_customers"]

MIN_GAMMA_GAMMA_CUSTOMERS = 20  # repeat buyers needed before spend is modelled per customer
# Purchase model of the store-level functions. MBG/NBD lets one-off buyers have left (BG/NBD
# counts every one-off buyer as active), which matters in stores full of one-off buyers.
STORE_MODEL: PurchaseModel = "mbgnbd"


def _purchase_day_value(p: PaidOrders, summary: pd.DataFrame) -> float:
    """Mean amount per transaction day over all customers (CNY), for the spend fallback."""
    days = float((summary[FREQUENCY] + 1).sum())
    return float(p.amount.sum()) / days if days else float("nan")


def predict_customers(
    orders: pd.DataFrame | PaidOrders,
    period_end: pd.Timestamp | str,
    *,
    horizons: Sequence[int] = (30, 90),
    value_horizon: int = 90,
    model: PurchaseModel = STORE_MODEL,
) -> tuple[pd.DataFrame, BGNBDFit, GammaGammaFit | None]:
    """Fit the purchase and spend models on a store's paid orders and predict every customer.

    Uses ``orders`` (customer_id, ordered_at, amount[, status], or the report's
    :class:`~wxshop.analysis.paid.PaidOrders`) up to the day
    ``period_end``; time in days, transactions are purchase days (see
    :func:`purchase_summary`).

    Returns ``(customers, purchase_fit, gamma_gamma_fit)``. ``customers`` has one row per
    customer: customer_id, frequency, recency (days), T (days), monetary_value (CNY),
    p_alive (share 0–1), ``expected_purchases_<h>`` for each horizon h (purchase days in
    the next h days), expected_spend (CNY per transaction) and
    ``expected_value_<value_horizon>`` (CNY over the next ``value_horizon`` days =
    expected purchases × expected spend, undiscounted).

    ``model``: ``"mbgnbd"`` (default, :data:`STORE_MODEL`) or ``"bgnbd"``, see
    :func:`fit_bgnbd`. With fewer than
    :data:`MIN_GAMMA_GAMMA_CUSTOMERS` repeat buyers, or when the fit
    fails, the Gamma-Gamma fit is ``None`` and expected_spend is each repeat buyer's own
    mean (others: the store's mean per purchase day).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-03-10", "2025-01-20",
    ...                                   "2025-03-25", "2025-02-14", "2025-03-01"]),
    ...     "amount": [100.0, 60.0, 80.0, 30.0, 50.0, 45.0, 70.0],
    ... })
    >>> pred, purchase_fit, spend_fit = predict_customers(orders, "2025-03-31", horizons=(30,),
    ...                                                   value_horizon=30)
    >>> purchase_fit.model, spend_fit is None  # too few repeat buyers for Gamma-Gamma
    ('mbgnbd', True)
    >>> print(pred[["customer_id", "frequency", "expected_spend"]].round(2).to_string(index=False))
    customer_id  frequency  expected_spend
              a          2           70.00
              b          1           50.00
              c          0           63.33
              d          0           63.33
    """
    paid = paid_orders(orders, period_end, "predict_customers", amount=True)
    summary = purchase_summary(paid, period_end)
    if summary.empty:
        raise ValueError(f"no paid orders on or before {period_end}")
    x = summary[FREQUENCY].to_numpy(float)
    tx, tt = summary[RECENCY].to_numpy(float), summary[TENURE].to_numpy(float)
    m = summary[MONETARY_VALUE].to_numpy(float)
    bg = fit_bgnbd(x, tx, tt, model=model)
    out = summary[[CUSTOMER_ID, FREQUENCY, RECENCY, TENURE, MONETARY_VALUE]].copy()
    out[P_ALIVE] = p_alive(bg, x, tx, tt)
    hs = list(dict.fromkeys([*horizons, value_horizon]))
    purchases = {h: expected_purchases(bg, h, x, tx, tt) for h in hs}
    for h in horizons:
        out[f"expected_purchases_{h}"] = purchases[h]
    gg: GammaGammaFit | None = None
    if int(((x > 0) & (m > 0)).sum()) >= MIN_GAMMA_GAMMA_CUSTOMERS:
        try:
            gg = fit_gamma_gamma(x, m)
        except ValueError:
            gg = None
    spend = expected_spend(gg, x, m) if gg is not None else np.full(x.size, np.nan)
    if gg is None or not np.all(np.isfinite(spend)):
        repeat = (x > 0) & (m > 0)
        fallback = float(np.average(m[repeat], weights=x[repeat])) if repeat.any() else (
            _purchase_day_value(paid, summary))
        spend = np.where(np.isfinite(spend), spend, np.where(repeat, m, fallback))
    out[EXPECTED_SPEND] = spend
    out[f"expected_value_{value_horizon}"] = purchases[value_horizon] * spend
    return out, bg, gg


def holdout_check(
    orders: pd.DataFrame | PaidOrders,
    calibration_end: pd.Timestamp | str,
    holdout_days: int = 90,
    *,
    max_frequency: int = 7,
    model: PurchaseModel = STORE_MODEL,
) -> tuple[pd.DataFrame, dict]:
    """Fit the purchase model on orders up to ``calibration_end``, compare with the next days.

    Customers are those with a paid order by ``calibration_end``; actual = their purchase
    days in (calibration_end, calibration_end + holdout_days], predicted =
    :func:`expected_purchases` over ``holdout_days`` days.

    Returns ``(table, totals)``. ``table`` columns: frequency (calibration repeat
    transactions as text, ``"0"`` … and ``"≥<max_frequency>"`` for the last bucket),
    customers, actual_mean and predicted_mean (purchase days per customer in the holdout).
    ``totals``: calibration_end, holdout_end (ISO dates), holdout_days, customers,
    actual_total, predicted_total, relative_error ((predicted − actual) / actual),
    mae_per_customer (mean |predicted − actual|, purchase days) and the purchase-model
    fit (``fit``: its to_dict()). Warns when the orders stop before the holdout ends.
    ``model``: ``"mbgnbd"`` (default, :data:`STORE_MODEL`) or ``"bgnbd"``. Seasonal peaks
    or campaigns inside the holdout make it a check of those as much as of the model.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "c", "d", "e"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-03-10", "2025-01-20",
    ...                                   "2025-03-25", "2025-02-14", "2025-03-01", "2025-04-20"]),
    ...     "amount": [100.0, 60.0, 80.0, 30.0, 50.0, 45.0, 70.0, 20.0],
    ... })
    >>> table, totals = holdout_check(orders, "2025-02-28", 30, max_frequency=2)
    >>> print(table[["frequency", "customers", "actual_mean"]].to_string(index=False))
    frequency  customers  actual_mean
            0          2          0.5
            1          1          1.0
           ≥2          0          NaN
    >>> totals["holdout_end"], totals["customers"], totals["actual_total"]
    ('2025-03-30', 3, 2.0)
    """
    if holdout_days <= 0:
        raise ValueError(f"holdout_days must be positive, got {holdout_days}")
    if max_frequency < 1:
        raise ValueError(f"max_frequency must be at least 1, got {max_frequency}")
    lo = period_end_day(calibration_end)
    cal_end = pd.Timestamp(day_stamps(np.array([lo]))[0])
    hold_end = cal_end + pd.Timedelta(days=holdout_days)
    if isinstance(orders, PaidOrders):  # a report's paid orders (up to the holdout's end)
        paid = orders
        if lo > paid.end_day:
            raise ValueError(f"holdout_check: calibration_end {cal_end:%Y-%m-%d} is after the paid "
                             f"orders' end, {iso_day(paid.end_day)}")
        last_day = int(paid.day.max()) if paid.day.size else lo
    else:  # the orders up to the holdout's end; the data's last paid order, with a buyer or not
        paid = paid_orders(orders, iso_day(lo + holdout_days), "holdout_check", amount=True)
        day = day_numbers(orders[ORDERED_AT])
        valid = paid_mask(orders).to_numpy(bool) & orders[ORDERED_AT].notna().to_numpy()
        last_day = int(day[valid].max()) if valid.any() else lo
    calibration, codes = paid.upto(lo)
    summary = purchase_summary(calibration, cal_end)
    if summary.empty:
        raise ValueError(f"no paid orders on or before {cal_end:%Y-%m-%d}")
    x = summary[FREQUENCY].to_numpy(float)
    tx, tt = summary[RECENCY].to_numpy(float), summary[TENURE].to_numpy(float)
    fit = fit_bgnbd(x, tx, tt, model=model)
    predicted = expected_purchases(fit, float(holdout_days), x, tx, tt)

    if last_day < lo + holdout_days:
        warnings.warn(
            f"orders end on {day_stamps(np.array([last_day]))[0]}, before the holdout ends on "
            f"{hold_end:%Y-%m-%d}: actual purchases are undercounted", stacklevel=2,
        )
    # actual: each calibration customer's purchase days inside the holdout
    code, day, _ = paid.daily()
    inside = (day > lo) & (day <= lo + holdout_days)
    actual = np.bincount(code[inside], minlength=paid.n)[codes].astype(float)

    bucket = np.minimum(x, max_frequency).astype(np.int64)
    labels = [str(i) for i in range(max_frequency)] + [f"≥{max_frequency}"]
    frame = pd.DataFrame({"bucket": bucket, "actual": actual, "predicted": predicted})
    g = frame.groupby("bucket")
    table = pd.DataFrame({
        "customers": g.size(), "actual_mean": g["actual"].mean(), "predicted_mean": g["predicted"].mean(),
    }).reindex(range(max_frequency + 1))
    table["customers"] = table["customers"].fillna(0).astype("int64")
    table.insert(0, FREQUENCY, pd.array(labels, dtype="str"))
    table = table.reset_index(drop=True)
    actual_total, predicted_total = float(actual.sum()), float(predicted.sum())
    totals = {
        "calibration_end": f"{cal_end:%Y-%m-%d}",
        "holdout_end": f"{hold_end:%Y-%m-%d}",
        "holdout_days": int(holdout_days),
        "customers": int(x.size),
        "actual_total": actual_total,
        "predicted_total": predicted_total,
        "relative_error": (predicted_total - actual_total) / actual_total if actual_total else np.nan,
        "mae_per_customer": float(np.mean(np.abs(predicted - actual))),
        "fit": fit.to_dict(),
    }
    return table, totals
