"""Store overview figures: the KPIs every report starts from.

Definitions (printed beside the figures in the report, see i18n ``def.*``):

- paid order: ``status == "paid"``, or any order when the store has no status column;
- gross GMV (支付 GMV): sum of ``amount`` over paid and refunded orders, the payments taken
  before any refund (CNY), as the platforms count payments;
- refunds: the amount of refunded orders plus the ``refund_amount`` of paid orders (a
  partial refund keeps its order paid); cancelled orders were never paid;
- GMV (net): gross GMV − refunds (CNY);
- customers: distinct ``customer_id`` with at least one paid order;
- 客单价 (spend per buyer, as 生意参谋 and most Chinese back offices mean it): GMV ÷ buying
  customers (CNY per buyer); the playbook's 150 CNY line applies to it;
- 笔单价 (AOV, value per order): GMV ÷ paid orders (CNY per order);
- repurchase rate (复购率): share of buying customers who bought on ≥ 2 different days
  (several paid orders on one day, e.g. a split basket, are one purchase, as in the product
  and lifecycle figures);
- refund rate by orders: refunded / (paid + refunded) orders; by amount: refunds ÷ gross GMV.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN, paid_mask, require_columns
from wxshop.data import engine
from wxshop.data.codes import distinct
from wxshop.data.keys import customer_codes, line_orders
from wxshop.data.schema import (
    AMOUNT,
    CHANNEL,
    CUSTOMER_ID,
    ORDER_ID,
    ORDERED_AT,
    REFUND_AMOUNT,
    STATUS,
)


@dataclass(frozen=True)
class StoreKpis:
    """Headline figures of a store over a period (units in field comments)."""

    customers: int  # buying customers
    orders: int  # paid orders
    gmv: float  # CNY, net of refunds
    aov: float  # 笔单价: CNY per paid order; NaN without orders
    frequency: float  # paid orders per buying customer
    repurchase_rate: float  # share 0-1
    refund_rate: float  # share 0-1 of orders; NaN when the store has no status column
    period_start: str  # first order day, ISO date
    period_end: str  # last order day, ISO date
    spend_per_buyer: float = float("nan")  # 客单价: CNY per buying customer
    gmv_gross: float = float("nan")  # CNY of payments before refunds
    refunds: float = float("nan")  # CNY refunded; NaN when the data says nothing of refunds
    refund_rate_amount: float = float("nan")  # refunds ÷ gross GMV, share 0-1

    def to_dict(self) -> dict:
        return asdict(self)


def _paid_codes(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """Paid rows (bool), the customer code of each paid row (−1 without a customer), and
    the number of distinct paying customers (:func:`wxshop.data.keys.customer_codes`)."""
    paid = paid_mask(orders).to_numpy(bool)
    known = paid & orders[CUSTOMER_ID].notna().to_numpy(bool)
    code, ids = customer_codes(orders, known)
    per_row = np.full(int(paid.sum()), -1, np.int64)
    per_row[known[paid]] = code
    return paid, per_row, len(ids)


def store_kpis(orders: pd.DataFrame) -> StoreKpis:
    """Headline KPIs from ``orders`` (order_id, customer_id, ordered_at, amount[, status]).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-02-20", "2025-01-10", "2025-02-03"]),
    ...     "amount": [100.0, 50.0, 30.0, 80.0],
    ... })
    >>> k = store_kpis(orders.assign(order_id=["o1", "o2", "o3", "o4"]))
    >>> k.customers, k.orders, k.gmv, k.aov, round(k.spend_per_buyer, 2), k.period_end
    (3, 4, 260.0, 65.0, 86.67, '2025-02-20')
    """
    require_columns(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT), "store_kpis")
    paid, code, n_customers = _paid_codes(orders)
    n_orders = int(paid.sum())
    stamp = orders[ORDERED_AT].to_numpy("datetime64[ns]")[paid]
    known = (code >= 0) & ~np.isnat(stamp)
    day = stamp[known].astype("datetime64[D]").astype(np.int64)
    first = int(day.min()) if day.size else 0
    span = int(day.max()) - first + 1 if day.size else 1
    pairs = distinct(code[known] * span + (day - first), bound=n_customers * span)  # (buyer, day)
    per_customer = np.bincount(pairs // span, minlength=n_customers)  # purchase days per buyer
    amount = orders[AMOUNT].to_numpy(np.float64, na_value=np.nan)
    paid_amount = float(np.nansum(amount[paid]))
    refunded = (orders[STATUS] == "refunded").to_numpy(bool) if STATUS in orders.columns else None
    partial = (float(np.nansum(orders[REFUND_AMOUNT].to_numpy(np.float64, na_value=np.nan)[paid]))
               if REFUND_AMOUNT in orders.columns else 0.0)
    if refunded is not None:
        n_refunded = int(refunded.sum())
        denom = n_orders + n_refunded
        refund_rate = n_refunded / denom if denom else np.nan
        refunds = float(np.nansum(amount[refunded])) + partial
    else:
        refund_rate = np.nan
        refunds = partial if REFUND_AMOUNT in orders.columns else np.nan
    gross = paid_amount + (float(np.nansum(amount[refunded])) if refunded is not None else 0.0)
    gmv = paid_amount - partial  # net: refunded orders are outside paid_amount already
    dates = orders[ORDERED_AT]
    return StoreKpis(
        customers=n_customers,
        orders=n_orders,
        gmv=round(gmv, 2),
        aov=gmv / n_orders if n_orders else np.nan,
        frequency=n_orders / n_customers if n_customers else np.nan,
        repurchase_rate=float((per_customer >= 2).mean()) if n_customers else np.nan,
        refund_rate=float(refund_rate),
        period_start=dates.min().date().isoformat() if len(dates) else "",
        period_end=dates.max().date().isoformat() if len(dates) else "",
        spend_per_buyer=gmv / n_customers if n_customers else np.nan,
        gmv_gross=round(gross, 2),
        refunds=round(refunds, 2) if np.isfinite(refunds) else np.nan,
        refund_rate_amount=refunds / gross if gross and np.isfinite(refunds) else np.nan,
    )


def monthly_trend(orders: pd.DataFrame) -> pd.DataFrame:
    """Paid orders per calendar month.

    Returns columns: month (``YYYY-MM`` text), orders, customers (distinct buyers),
    new_customers (first paid order in that month), gmv (CNY), aov (CNY). Months with
    no paid orders inside the span appear with zeros (aov NaN).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "customer_id": ["a", "a", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-02-20", "2025-01-10", "2025-02-03"]),
    ...     "amount": [100.0, 50.0, 30.0, 80.0],
    ... })
    >>> print(monthly_trend(orders).to_string(index=False))
      month  orders  customers  new_customers   gmv  aov
    2025-01       2          2              2 130.0 65.0
    2025-02       2          2              1 130.0 65.0
    """
    require_columns(orders, (CUSTOMER_ID, ORDERED_AT, AMOUNT), "monthly_trend")
    paid, code, n_customers = _paid_codes(orders)
    cols = ["month", "orders", "customers", "new_customers", "gmv", "aov"]
    if not paid.any():
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype(
            {"month": "str"}
        )
    at = orders[ORDERED_AT]
    if isinstance(at.dtype, pd.DatetimeTZDtype):
        at = at.dt.tz_localize(None)  # months of the shop's wall clock
    dated = at.notna().to_numpy()[paid]  # an order without a time has no month
    if not dated.any():
        return monthly_trend(orders.iloc[:0])
    month = at.to_numpy()[paid][dated].astype("datetime64[M]").astype(np.int64)
    lo = int(month.min())
    m = month - lo
    n_months = int(m.max()) + 1
    amount = np.nan_to_num(orders[AMOUNT].to_numpy(np.float64, na_value=np.nan)[paid][dated])
    code = code[dated]
    buyer = code >= 0
    pairs = distinct(code[buyer] * n_months + m[buyer], bound=n_customers * n_months)  # (customer, month)
    first = np.full(n_customers, n_months, np.int64)
    np.minimum.at(first, code[buyer], m[buyer])
    out = pd.DataFrame(
        {
            "month": pd.period_range(pd.Period(np.datetime64(lo, "M"), "M"), periods=n_months,
                                     freq="M").astype(str),
            "orders": np.bincount(m, minlength=n_months).astype(np.int64),
            "customers": np.bincount(pairs % n_months, minlength=n_months).astype(np.int64),
            "new_customers": np.bincount(first, minlength=n_months)[:n_months].astype(np.int64),
            "gmv": np.round(np.bincount(m, weights=amount, minlength=n_months), 2),
        }
    )
    out["aov"] = (out["gmv"] / out["orders"].where(out["orders"] > 0)).round(2)
    return out[cols].astype({"month": "str"})


def channel_mix(orders: pd.DataFrame, unknown: str = UNKNOWN) -> pd.DataFrame:
    """Paid orders and GMV by ``channel``, largest GMV first.

    Returns columns: channel, orders, gmv (CNY), gmv_share (0-1). Empty channel values
    are grouped under ``unknown``. Without a channel column, an empty frame.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"amount": [100.0, 50.0, 30.0, 80.0],
    ...                        "channel": ["moments", "mini_program", "moments", None]})
    >>> print(channel_mix(orders).round(2).to_string(index=False))
         channel  orders   gmv  gmv_share
         moments       2 130.0       0.50
               —       1  80.0       0.31
    mini_program       1  50.0       0.19
    """
    cols = ["channel", "orders", "gmv", "gmv_share"]
    if CHANNEL not in orders.columns:
        return pd.DataFrame(columns=cols)
    paid = orders.loc[paid_mask(orders), [CHANNEL, AMOUNT]]
    channel = paid[CHANNEL].astype("string").fillna(unknown).replace("", unknown)
    g = paid.groupby(channel, sort=False)[AMOUNT]
    out = pd.DataFrame({"orders": g.size(), "gmv": g.sum().round(2)})
    total = out["gmv"].sum()
    out["gmv_share"] = out["gmv"] / total if total else np.nan
    out = out.sort_values(["gmv", "orders"], ascending=False).rename_axis("channel").reset_index()
    return out[cols]


def in_period(orders: pd.DataFrame, period_end: str = "") -> pd.DataFrame:
    """Orders up to and including the day ``period_end`` (``YYYY-MM-DD``; "" = all): the
    frame itself when no order is later, else the rows kept.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"],
    ...                        "ordered_at": pd.to_datetime(["2025-01-31 23:00", "2025-02-01 08:00"])})
    >>> in_period(orders, "2025-01-31")["order_id"].tolist()
    ['o1']
    """
    if not period_end:
        return orders
    end = pd.Timestamp(period_end).normalize() + pd.Timedelta(days=1)
    keep = (orders[ORDERED_AT] < end).to_numpy(bool)
    if keep.all():  # the same frame: no copy of millions of rows
        return orders
    return orders.loc[keep]


def category_mix(
    orders: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame
) -> pd.DataFrame:
    """Item sales of paid orders by product category.

    Uses order_items (order_id, sku_id, quantity, unit_price) and products (sku_id,
    category). Returns columns: category, units, item_sales (CNY, quantity × unit_price,
    before order-level discounts), sales_share (0-1), largest first. Items whose SKU is
    not in products count under category ``"—"``.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"], "status": ["paid", "refunded"]})
    >>> order_items = pd.DataFrame({"order_id": ["o1", "o1", "o2"], "sku_id": ["s1", "s9", "s1"],
    ...                             "quantity": [2, 1, 5], "unit_price": [10.0, 5.0, 10.0]})
    >>> products = pd.DataFrame({"sku_id": ["s1"], "category": ["零食"]})
    >>> print(category_mix(orders, order_items, products).round(2).to_string(index=False))
    category  units  item_sales  sales_share
          零食    2.0        20.0          0.8
           —    1.0         5.0          0.2
    """
    require_columns(order_items, (ORDER_ID, "sku_id", "quantity", "unit_price"), "category_mix")
    require_columns(products, ("sku_id", "category"), "category_mix")
    # lines of paid orders (each line's order by its key: wxshop.data.keys) summed per SKU
    rows = line_orders(order_items, orders)
    paid = paid_mask(orders).to_numpy(bool)
    lines = {c: order_items[c].array for c in ("sku_id", "quantity", "unit_price")}
    lines["paid"] = (rows >= 0) & paid[np.maximum(rows, 0)] if len(paid) else np.zeros(len(rows), bool)
    with engine.connect() as con:
        con.register("i", pd.DataFrame(lines, copy=False))
        per_sku = con.execute("""
            SELECT CAST(sku_id AS VARCHAR) AS sku_id, count(*) AS lines,
                   sum(coalesce(quantity, 0)) AS units,
                   sum(coalesce(quantity * unit_price, 0)) AS item_sales
            FROM i WHERE paid
            GROUP BY ALL""").df()
    prod = products.drop_duplicates("sku_id")
    labels, prod_code = _category_codes(prod["category"])
    pos = pd.Index(prod["sku_id"].astype("str")).get_indexer(per_sku["sku_id"])  # −1: not listed
    line = np.where(pos >= 0, prod_code[np.maximum(pos, 0)] if len(prod) else 0, len(labels) - 1)
    k = len(labels)
    out = pd.DataFrame(
        {
            "category": pd.array(labels, dtype="str"),
            "units": np.bincount(line, weights=per_sku["units"].to_numpy(np.float64), minlength=k),
            "item_sales": np.round(np.bincount(
                line, weights=per_sku["item_sales"].to_numpy(np.float64), minlength=k), 2),
        }
    )[np.bincount(line, weights=per_sku["lines"].to_numpy(np.float64), minlength=k) > 0]
    total = out["item_sales"].sum()
    out["sales_share"] = out["item_sales"] / total if total else np.nan
    out = out.sort_values("item_sales", ascending=False, kind="stable").reset_index(drop=True)
    return out[["category", "units", "item_sales", "sales_share"]]


def _category_codes(category: pd.Series) -> tuple[list[str], np.ndarray]:
    """Category names (``"—"`` for a missing one, and last for SKUs not in products) and
    each product's code into them."""
    code, names = pd.factorize(category.astype("str").fillna(UNKNOWN))
    labels = [str(v) for v in names]
    code = np.asarray(code, np.int64)
    if UNKNOWN in labels:  # put it last, where SKUs not in products go
        at = labels.index(UNKNOWN)
        code = np.where(code == at, len(labels) - 1, np.where(code > at, code - 1, code))
        labels = [v for v in labels if v != UNKNOWN]
    return [*labels, UNKNOWN], code


def resolve_period_end(orders: pd.DataFrame, period_end: str = "") -> pd.Timestamp:
    """The last day analysed: ``period_end`` (YYYY-MM-DD) or, when empty, the day of the
    latest order. Returned as midnight of that day; analyses include the whole day.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2025-01-05 10:00", "2025-02-20 18:30"])})
    >>> resolve_period_end(orders), resolve_period_end(orders, "2025-01-31")
    (Timestamp('2025-02-20 00:00:00'), Timestamp('2025-01-31 00:00:00'))
    """
    if period_end:
        return pd.Timestamp(period_end).normalize()
    if orders.empty:
        raise ValueError("no orders: set period_end")
    return orders[ORDERED_AT].max().normalize()
