"""Store overview figures: the KPIs every report starts from.

Definitions (printed beside the figures in the report, see i18n ``def.*``):

- paid order: ``status == "paid"``, or any order when the store has no status column;
- GMV: sum of ``amount`` over paid orders (CNY; refunded and cancelled excluded);
- customers: distinct ``customer_id`` with at least one paid order;
- AOV (客单价): GMV / paid orders (CNY);
- repurchase rate (复购率): share of buying customers with ≥ 2 paid orders;
- refund rate: refunded / (paid + refunded) orders; cancelled orders were never paid.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .load import isin_text
from .schema import AMOUNT, CHANNEL, CUSTOMER_ID, ORDER_ID, ORDERED_AT, STATUS

UNKNOWN = "—"  # label of a missing channel or category (a SKU not in products)

def _require(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"{what} needs column(s) {', '.join(missing)}")


def paid_mask(orders: pd.DataFrame) -> pd.Series:
    """True for paid orders (all orders when there is no status column)."""
    if STATUS not in orders.columns:
        return pd.Series(True, index=orders.index)
    return (orders[STATUS] == "paid").fillna(False).astype(bool)


def paid_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Only the paid orders."""
    return orders.loc[paid_mask(orders)]


@dataclass(frozen=True)
class StoreKpis:
    """Headline figures of a store over a period (units in field comments)."""

    customers: int  # buying customers
    orders: int  # paid orders
    gmv: float  # CNY
    aov: float  # CNY per paid order; NaN without orders
    frequency: float  # paid orders per buying customer
    repurchase_rate: float  # share 0-1
    refund_rate: float  # share 0-1; NaN when the store has no status column
    period_start: str  # first order day, ISO date
    period_end: str  # last order day, ISO date

    def to_dict(self) -> dict:
        return asdict(self)


def store_kpis(orders: pd.DataFrame) -> StoreKpis:
    """Headline KPIs from ``orders`` (order_id, customer_id, ordered_at, amount[, status])."""
    _require(orders, (ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT), "store_kpis")
    paid = paid_orders(orders)
    n_orders = len(paid)
    per_customer = paid.groupby(CUSTOMER_ID, sort=False).size()
    n_customers = len(per_customer)
    gmv = float(paid[AMOUNT].sum())
    if STATUS in orders.columns:
        status = orders[STATUS]
        refunded = int((status == "refunded").sum())
        denom = n_orders + refunded
        refund_rate = refunded / denom if denom else np.nan
    else:
        refund_rate = np.nan
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
    )


def monthly_trend(orders: pd.DataFrame) -> pd.DataFrame:
    """Paid orders per calendar month.

    Returns columns: month (``YYYY-MM`` text), orders, customers (distinct buyers),
    new_customers (first paid order in that month), gmv (CNY), aov (CNY). Months with
    no paid orders inside the span appear with zeros (aov NaN).
    """
    _require(orders, (CUSTOMER_ID, ORDERED_AT, AMOUNT), "monthly_trend")
    paid = paid_orders(orders)
    cols = ["month", "orders", "customers", "new_customers", "gmv", "aov"]
    if paid.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in cols}).astype(
            {"month": "str"}
        )
    month = paid[ORDERED_AT].dt.to_period("M")
    first = paid.groupby(CUSTOMER_ID, sort=False)[ORDERED_AT].transform("min").dt.to_period("M")
    frame = pd.DataFrame(
        {"month": month, CUSTOMER_ID: paid[CUSTOMER_ID], AMOUNT: paid[AMOUNT], "new": month == first}
    )
    g = frame.groupby("month", sort=True)
    out = pd.DataFrame(
        {
            "orders": g.size(),
            "customers": g[CUSTOMER_ID].nunique(),
            "gmv": g[AMOUNT].sum().round(2),
        }
    )
    new = frame.loc[frame["new"]].groupby("month")[CUSTOMER_ID].nunique()
    out["new_customers"] = new.reindex(out.index, fill_value=0)
    span = pd.period_range(out.index.min(), out.index.max(), freq="M")
    out = out.reindex(span, fill_value=0)
    out["aov"] = (out["gmv"] / out["orders"].where(out["orders"] > 0)).round(2)
    out.index = out.index.astype(str)
    out = out.rename_axis("month").reset_index()
    return out[cols].astype(
        {"orders": "int64", "customers": "int64", "new_customers": "int64", "gmv": "float64"}
    )


def channel_mix(orders: pd.DataFrame, unknown: str = UNKNOWN) -> pd.DataFrame:
    """Paid orders and GMV by ``channel``, largest GMV first.

    Returns columns: channel, orders, gmv (CNY), gmv_share (0-1). Empty channel values
    are grouped under ``unknown``. Without a channel column, an empty frame.
    """
    cols = ["channel", "orders", "gmv", "gmv_share"]
    if CHANNEL not in orders.columns:
        return pd.DataFrame(columns=cols)
    paid = paid_orders(orders)
    channel = paid[CHANNEL].astype("string").fillna(unknown).replace("", unknown)
    g = paid.groupby(channel, sort=False)[AMOUNT]
    out = pd.DataFrame({"orders": g.size(), "gmv": g.sum().round(2)})
    total = out["gmv"].sum()
    out["gmv_share"] = out["gmv"] / total if total else np.nan
    out = out.sort_values(["gmv", "orders"], ascending=False).rename_axis("channel").reset_index()
    return out[cols]


def in_period(orders: pd.DataFrame, period_end: str = "") -> pd.DataFrame:
    """Orders up to and including the day ``period_end`` (``YYYY-MM-DD``; "" = all)."""
    if not period_end:
        return orders
    end = pd.Timestamp(period_end).normalize() + pd.Timedelta(days=1)
    return orders.loc[orders[ORDERED_AT] < end]


def category_mix(
    orders: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame
) -> pd.DataFrame:
    """Item sales of paid orders by product category.

    Uses order_items (order_id, sku_id, quantity, unit_price) and products (sku_id,
    category). Returns columns: category, units, item_sales (CNY, quantity × unit_price,
    before order-level discounts), sales_share (0-1), largest first. Items whose SKU is
    not in products count under category ``"—"``.
    """
    _require(order_items, (ORDER_ID, "sku_id", "quantity", "unit_price"), "category_mix")
    _require(products, ("sku_id", "category"), "category_mix")
    paid_ids = paid_orders(orders)[ORDER_ID]
    items = order_items.loc[isin_text(order_items[ORDER_ID], paid_ids),
                            ["sku_id", "quantity", "unit_price"]]
    cat = items["sku_id"].map(products.drop_duplicates("sku_id").set_index("sku_id")["category"])
    frame = pd.DataFrame(
        {
            "category": cat.astype("string").fillna(UNKNOWN),
            "units": items["quantity"],
            "item_sales": items["quantity"] * items["unit_price"],
        }
    )
    out = frame.groupby("category", sort=False)[["units", "item_sales"]].sum()
    out["item_sales"] = out["item_sales"].round(2)
    total = out["item_sales"].sum()
    out["sales_share"] = out["item_sales"] / total if total else np.nan
    out = out.sort_values("item_sales", ascending=False).reset_index()
    return out[["category", "units", "item_sales", "sales_share"]]


def resolve_period_end(orders: pd.DataFrame, period_end: str = "") -> pd.Timestamp:
    """The last day analysed: ``period_end`` (YYYY-MM-DD) or, when empty, the day of the
    latest order. Returned as midnight of that day; analyses include the whole day."""
    if period_end:
        return pd.Timestamp(period_end).normalize()
    if orders.empty:
        raise ValueError("no orders: set period_end")
    return orders[ORDERED_AT].max().normalize()
