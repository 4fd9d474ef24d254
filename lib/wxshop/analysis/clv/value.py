"""Customer value on gross margin, discounted: what the coming days' purchases are worth to the
shop after the cost of goods, in today's money.

Definitions (printed in the report, i18n ``profiling.value_text``):

- a customer's margin rate: ``1 − Σ cost of goods ÷ Σ amount paid`` over the customer's paid
  orders up to ``period_end`` whose every line has a known ``unit_cost`` (amount paid is
  after order discounts, so coupons and 满减 lower the margin); customers without such orders
  take the store's rate over the same orders; the rate is clipped to [−1, 1];
- expected margin over ``horizon`` days: ``Σ_k ΔE[purchases in step k] × expected spend ×
  margin rate ÷ (1 + d)^k`` over steps of ``step_days`` (30) days, ``d = (1 +
  annual_rate)^(step_days / 365) − 1``; with rate 0 it is expected purchases × spend × margin
  rate, i.e. the revenue value times the margin rate. The same discrete sum as Lifetimes'
  ``customer_lifetime_value`` (steps of a month, discounting at the end of each step).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wxshop.analysis.clv.bgnbd import BGNBDFit, expected_purchases
from wxshop.analysis.clv.summary import EXPECTED_SPEND, FREQUENCY, RECENCY, TENURE
from wxshop.analysis.paid import DateLike, day_numbers, paid_mask, period_end_day, require_columns
from wxshop.data.keys import customer_codes, line_orders, product_rows
from wxshop.data.schema import AMOUNT, CUSTOMER_ID, ORDER_ID, ORDERED_AT, QUANTITY, SKU_ID

UNIT_COST = "unit_cost"

__all__ = ["STEP_DAYS", "discounted_margin", "margin_rates", "with_margin"]

STEP_DAYS = 30  # discounting step (a month), as Lifetimes does


def margin_rates(
    orders: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame, period_end: DateLike
) -> pd.DataFrame:
    """Each buyer's gross margin rate (module docstring); the store's rate in ``attrs``.

    Returns customer_id, margin_rate (share, −1..1), orders_costed (int, the orders it
    comes from; 0 = the store's rate), sorted by customer_id; ``attrs["store_rate"]`` (NaN
    when no order has a complete cost, and then every rate is NaN).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "customer_id": ["a", "b", "c"],
    ...                        "ordered_at": pd.to_datetime(["2025-01-01"] * 3),
    ...                        "amount": [90.0, 50.0, 40.0], "status": "paid"})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "sku_id": ["t", "t", "x"],
    ...                       "quantity": [3, 1, 1], "unit_price": [30.0, 50.0, 40.0]})
    >>> products = pd.DataFrame({"sku_id": ["t", "x"], "unit_cost": [20.0, None]})
    >>> r = margin_rates(orders, items, products, "2025-01-31")
    >>> print(r.to_string(index=False)); round(r.attrs["store_rate"], 4)
    customer_id  margin_rate  orders_costed
              a     0.333333              1
              b     0.600000              1
              c     0.428571              0
    0.4286
    """
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT), "margin_rates")
    require_columns(order_items, (ORDER_ID, SKU_ID, QUANTITY), "margin_rates")
    require_columns(products, (SKU_ID,), "margin_rates")
    keep = paid_mask(orders).to_numpy(bool) & orders[CUSTOMER_ID].notna().to_numpy(bool)
    keep = keep & (day_numbers(orders[ORDERED_AT]) <= period_end_day(period_end))
    # integer keys (wxshop.data.keys): each line's order row, each buyer's code in text order;
    # each line's cost from its SKU's first products row
    row = line_orders(order_items, orders)
    buyer, buyers = customer_codes(orders)
    unique = products.drop_duplicates(SKU_ID)  # a repeated SKU keeps its first row, as elsewhere
    unit_cost = (pd.to_numeric(unique[UNIT_COST], errors="coerce").to_numpy(np.float64, na_value=np.nan)
                 if UNIT_COST in unique else np.full(len(unique), np.nan))
    sku = product_rows(order_items, unique)
    cost = np.where(sku >= 0, unit_cost[np.maximum(sku, 0)] if len(unique) else np.nan, np.nan)
    cost = pd.to_numeric(order_items[QUANTITY], errors="coerce").to_numpy(np.float64, na_value=np.nan) * cost
    # per order: its lines, how many lack a cost, the cost of goods; costed = every line costed
    n, ok = len(orders), row >= 0
    lines = np.bincount(row[ok], minlength=n)
    missing = np.bincount(row[ok], weights=np.isnan(cost[ok]), minlength=n)
    goods = np.bincount(row[ok], weights=np.nan_to_num(cost[ok]), minlength=n)
    amount = pd.to_numeric(orders[AMOUNT], errors="coerce").to_numpy(np.float64, na_value=np.nan)
    costed = keep & (lines > 0) & (missing == 0) & ~np.isnan(amount)
    total = float(amount[costed].sum())
    store_rate = 1 - float(goods[costed].sum()) / total if total > 0 else float("nan")
    # per buyer (codes in text order), over its costed orders
    size = int(buyer.max()) + 1 if buyer.size else 0
    paid_by = np.bincount(buyer[costed], weights=amount[costed], minlength=size)
    cost_by = np.bincount(buyer[costed], weights=goods[costed], minlength=size)
    orders_by = np.bincount(buyer[costed], minlength=size)
    who = np.flatnonzero(np.bincount(buyer[keep], minlength=size) > 0)  # every paying buyer
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.clip(1 - cost_by[who] / paid_by[who], -1, 1)
    out = pd.DataFrame({
        CUSTOMER_ID: pd.array(np.asarray(buyers, object)[who], dtype="str"),
        "margin_rate": np.where(paid_by[who] > 0, rate, store_rate),
        "orders_costed": orders_by[who].astype(np.int64),
    })
    out.attrs["store_rate"] = store_rate
    return out


def discounted_margin(
    fit: BGNBDFit,
    customers: pd.DataFrame,
    margin_rate: np.ndarray | float,
    horizon: int = 90,
    annual_rate: float = 0.10,
    step_days: int = STEP_DAYS,
) -> np.ndarray:
    """Expected gross margin of each customer over the next ``horizon`` days, discounted (CNY).

    ``customers``: frequency, recency, T, expected_spend (as from
    :func:`wxshop.analysis.clv.predict_customers`, in days); ``margin_rate``: per customer
    (aligned) or one rate. Steps of ``step_days``; the last step ends at ``horizon``.

    Examples
    --------
    >>> import pandas as pd
    >>> from wxshop.analysis.clv.bgnbd import BGNBDFit
    >>> fit = BGNBDFit(r=0.5, alpha=60.0, a=0.8, b=2.5, log_likelihood=float("nan"),
    ...                n_customers=1, converged=True, iterations=0, seconds=0.0)
    >>> c = pd.DataFrame({"frequency": [3], "recency": [200.0], "T": [250.0],
    ...                   "expected_spend": [100.0]})
    >>> flat = discounted_margin(fit, c, 0.4, annual_rate=0.0)
    >>> bool(abs(flat[0] - expected_purchases(fit, 90, [3], [200.0], [250.0])[0] * 100 * 0.4) < 1e-9)
    True
    >>> bool(discounted_margin(fit, c, 0.4, annual_rate=0.10)[0] < flat[0])
    True
    """
    require_columns(customers, (FREQUENCY, RECENCY, TENURE, EXPECTED_SPEND), "discounted_margin")
    if not annual_rate >= 0:
        raise ValueError(f"annual discount rate must be ≥ 0, got {annual_rate!r}")
    if horizon < 1 or step_days < 1:
        raise ValueError("horizon and step_days must be ≥ 1 day")
    x, tx, tt = (customers[c].to_numpy(np.float64) for c in (FREQUENCY, RECENCY, TENURE))
    d = (1 + annual_rate) ** (step_days / 365) - 1
    ends = [min(k * step_days, horizon) for k in range(1, math.ceil(horizon / step_days) + 1)]
    value = np.zeros(x.size)
    before = np.zeros(x.size)
    for k, t in enumerate(ends, start=1):
        upto = expected_purchases(fit, float(t), x, tx, tt)
        value += (upto - before) / (1 + d) ** k
        before = upto
    return value * customers[EXPECTED_SPEND].to_numpy(np.float64) * np.asarray(margin_rate, np.float64)


def with_margin(
    predictions: pd.DataFrame,
    fit: BGNBDFit,
    rates: pd.DataFrame | None,
    horizon: int = 90,
    annual_rate: float = 0.10,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """``predictions`` (:func:`wxshop.analysis.clv.predict_customers`) with margin_rate and
    ``expected_margin_<horizon>`` (CNY, discounted, :func:`discounted_margin`) added, and the
    totals: revenue (the undiscounted ``expected_value_<horizon>`` sum, CNY), margin (CNY),
    store_rate, annual_rate, horizon. ``rates`` from :func:`margin_rates`, or None without
    costs: margins are then NaN and so is the total."""
    out = predictions.copy()
    if rates is None or not np.isfinite(rates.attrs.get("store_rate", np.nan)):
        rate = np.full(len(out), np.nan)
        store_rate = float("nan")
    else:
        store_rate = float(rates.attrs["store_rate"])
        rate = (pd.Series(rates["margin_rate"].to_numpy(np.float64), index=rates[CUSTOMER_ID].astype("str"))
                .reindex(out[CUSTOMER_ID].astype("str")).fillna(store_rate).to_numpy(np.float64))
    out["margin_rate"] = rate
    margin = discounted_margin(fit, out, rate, horizon, annual_rate)
    out[f"expected_margin_{horizon}"] = margin
    revenue = out[f"expected_value_{horizon}"] if f"expected_value_{horizon}" in out else np.nan
    totals = {
        "horizon": int(horizon), "annual_rate": float(annual_rate), "store_rate": store_rate,
        "revenue": float(np.sum(revenue)),
        "margin": float(margin.sum()) if np.isfinite(store_rate) else float("nan"),
    }
    return out, totals
