"""What the ``00_store_overview`` report shows: its KPI list and tables, as display text.

Each ``*_view`` takes a frame from :mod:`wxshop.analysis.overview` and returns the columns the
report shows, formatted (money in CNY, shares as %), under canonical column names; show it with
``report.table(view, LABELS)``. The JSON records the unformatted frames.
"""

from __future__ import annotations

import pandas as pd

from wxshop.report.i18n import Translator
from wxshop.report.views.display import formatted

__all__ = ["KPIS", "LABELS", "categories_view", "channels_view", "trend_view"]

# The headline table: (figure of StoreKpis.to_dict(), format kind), in the order shown.
KPIS: list[tuple[str, str]] = [
    ("customers", "int"), ("orders", "int"), ("gmv_gross", "cny"), ("gmv", "cny"),
    ("spend_per_buyer", "cny"), ("aov", "cny"), ("frequency", "float"),
    ("repurchase_rate", "share"), ("refund_rate", "share"), ("refund_rate_amount", "share"),
]

# Column → i18n key of its header, for every view below.
LABELS: dict[str, str] = {
    "month": "col.month", "orders": "col.orders", "customers": "col.customers",
    "new_customers": "col.new_customers", "gmv": "col.gmv", "aov": "col.aov",
    "channel": "col.channel", "gmv_share": "col.gmv_share",
    "category": "col.category", "units": "col.units", "item_sales": "col.item_sales",
    "sales_share": "col.sales_share",
}


def trend_view(trend: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The monthly trend table: month, orders, customers, new_customers, gmv and aov (CNY).

    ``trend`` is :func:`wxshop.analysis.overview.monthly_trend`'s frame.

    Examples
    --------
    >>> trend = pd.DataFrame({"month": ["2026-01"], "orders": [4], "customers": [3],
    ...                       "new_customers": [2], "gmv": [600.0], "aov": [150.0]})
    >>> print(trend_view(trend, Translator("en")).to_string())
         month  orders  customers  new_customers      gmv      aov
    0  2026-01       4          3              2  ¥600.00  ¥150.00
    """
    return formatted(trend, {"gmv": "cny", "aov": "cny"}, tr.lang)


def channels_view(channels: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The channel table: channel, orders, gmv (CNY), gmv_share (%).

    ``channels`` is :func:`wxshop.analysis.overview.channel_mix`'s frame.

    Examples
    --------
    >>> channels = pd.DataFrame({"channel": ["小程序", "社群"], "orders": [3, 1],
    ...                          "gmv": [450.0, 150.0], "gmv_share": [0.75, 0.25]})
    >>> print(channels_view(channels, Translator("zh")).to_string())
      channel  orders      gmv gmv_share
    0     小程序       3  ¥450.00     75.0%
    1      社群       1  ¥150.00     25.0%
    """
    return formatted(channels, {"gmv": "cny", "gmv_share": "share"}, tr.lang)


def categories_view(categories: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The category table: category, units, item_sales (CNY), sales_share (%).

    ``categories`` is :func:`wxshop.analysis.overview.category_mix`'s frame.

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "units": [5], "item_sales": [99.5],
    ...                      "sales_share": [1.0]})
    >>> print(categories_view(cats, Translator("en")).to_string())
      category units item_sales sales_share
    0        茶     5     ¥99.50      100.0%
    """
    return formatted(categories, {"units": "int", "item_sales": "cny", "sales_share": "share"}, tr.lang)
