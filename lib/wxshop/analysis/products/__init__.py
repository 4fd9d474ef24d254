"""Product selection: item lines, the product table, repurchase cycles, roles, ABC, channel fit
(one module each: ``lines``, ``table``, ``cycles`` (on ``events`` and ``survival``), ``roles``,
``abc``, ``channels``; item keys and shared helpers in ``keys``).

Conventions (paid orders, ``period_end`` and calendar days as in :mod:`wxshop.analysis.paid`):

- paid order: ``status == "paid"``, or every order when there is no status column; orders
  with no ``customer_id`` or ``ordered_at`` are left out; ``period_end`` is a day and paid
  orders up to the END of that day count;
- an *item* is a SKU (``level="sku"``, key ``sku_id``, shown with ``name`` and
  ``category``) or a category (``level="category"``, key ``category``);
- item-line money: ``gmv = quantity × unit_price`` and ``cost = quantity × unit_cost``, in
  CNY, *before* order-level discounts (coupons and campaign discounts live in
  ``orders.discount``), so product GMV adds up to more than the store GMV of
  ``orders.amount`` when there are discounts. Gross margin is a share 0–1 of item GMV;
- a *purchase event* of an item is a distinct (customer, item, calendar day): several
  orders or lines on one day are one purchase. Its *gap* is the days to the same
  customer's next purchase day of that item; the last purchase of every customer/item has
  not been followed yet and is *censored* at ``period_end`` (duration ``period_end − day``,
  0 when bought on ``period_end``);
- shares are 0–1, days are calendar days, money CNY; rates with an empty denominator are NaN;
- codes (roles, rules, scenes, ABC classes, reasons) are English snake_case, mapped to
  display text in :mod:`wxshop.report.i18n`.

Everything is vectorised (ids factorised once, then numpy sorts and bincounts): a store
with 10M order lines takes a few seconds per call. :func:`item_lines` returns the id and
label columns as ``category`` dtype so that later calls reuse their codes.
"""

from wxshop.analysis.products.abc import ABC_CLASSES, abc_classes, abc_summary
from wxshop.analysis.products.channels import CHANNEL_RULES, SCENES, channel_fit, check_rules
from wxshop.analysis.products.cycles import (
    CYCLE_SOURCES,
    REMINDER_REASONS,
    km_curves,
    purchase_events,
    reminder_days,
    repurchase_cycles,
)
from wxshop.analysis.products.events import shared_events
from wxshop.analysis.products.keys import (
    CATEGORY,
    GROUP,
    LEVELS,
    NAME,
    UNIT_COST,
    UNKNOWN_CATEGORY,
    Level,
)
from wxshop.analysis.products.lines import item_lines
from wxshop.analysis.products.roles import ROLES, RoleThresholds, assign_roles, rule_number
from wxshop.analysis.products.table import product_table

__all__ = [
    "ABC_CLASSES",
    "CATEGORY",
    "CHANNEL_RULES",
    "CYCLE_SOURCES",
    "GROUP",
    "LEVELS",
    "Level",
    "NAME",
    "REMINDER_REASONS",
    "ROLES",
    "SCENES",
    "UNIT_COST",
    "UNKNOWN_CATEGORY",
    "RoleThresholds",
    "abc_classes",
    "abc_summary",
    "assign_roles",
    "channel_fit",
    "check_rules",
    "item_lines",
    "km_curves",
    "product_table",
    "purchase_events",
    "reminder_days",
    "repurchase_cycles",
    "rule_number",
    "shared_events",
]
