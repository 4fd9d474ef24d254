"""Synthetic WeChat stores with planted, recorded truths (see :mod:`wxshop.demo.store`).

The parts: :mod:`~wxshop.demo.settings` (planted parameters and store profiles),
:mod:`~wxshop.demo.shop_calendar`, :mod:`~wxshop.demo.products`, :mod:`~wxshop.demo.customers`,
:mod:`~wxshop.demo.purchases`, :mod:`~wxshop.demo.experiments`, :mod:`~wxshop.demo.orders`,
:mod:`~wxshop.demo.events`, :mod:`~wxshop.demo.truth`, and the API in :mod:`~wxshop.demo.store`.
"""

from wxshop.demo.settings import CATEGORIES, CHANNELS, CITY_TIERS, DEMO_PROFILES
from wxshop.demo.store import (
    TRUTH_CUSTOMERS_FILE,
    TRUTH_FILE,
    generate_store,
    truth_for_json,
    write_demo_stores,
    write_store,
)

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "CITY_TIERS",
    "DEMO_PROFILES",
    "TRUTH_CUSTOMERS_FILE",
    "TRUTH_FILE",
    "generate_store",
    "truth_for_json",
    "write_demo_stores",
    "write_store",
]
