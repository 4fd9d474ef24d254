"""The demo orders: lines, quantities, campaigns and coupons, channel and status of every
purchase (base and experiment), and the orders and order_items tables inside the window.

``order_items.unit_price`` is always the product's ``list_price``; campaign and coupon
discounts live only in ``orders.discount``, and
``orders.amount = sum(quantity * unit_price) - discount`` (computed in fen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.data import schema
from wxshop.demo.columns import id_column, label_column, timestamp_column
from wxshop.demo.customers import Customers
from wxshop.demo.draws import draw_codes, draw_codes_by_row
from wxshop.demo.experiments import ExperimentOrders
from wxshop.demo.products import Products, pick_sku
from wxshop.demo.purchases import PurchaseProcess
from wxshop.demo.settings import (
    CANCEL_RATE,
    CATEGORIES,
    CHANNELS,
    CROSS_SELL_PROB,
    EXPERIMENTS,
    INVITE_CHANNEL,
    ITEMS_PER_ORDER_PROBS,
    ORDER_CHANNEL_MIX,
    OWN_CHANNEL_PROB,
    REFUND_RATE,
    REFUND_RATE_DEFAULT,
    SECONDS_PER_DAY,
    TOP_UP_BAND,
    TOP_UP_PROB,
)
from wxshop.demo.shop_calendar import ShopCalendar


@dataclass
class Orders:
    """Every order of the horizon (base and experiment), grouped by customer and time,
    with its lines; money in fen."""

    customer: np.ndarray
    seconds: np.ndarray
    experiment: np.ndarray  # -1 = base process
    arm: np.ndarray
    gross_fen: np.ndarray
    discount_fen: np.ndarray
    campaign: np.ndarray  # index into calendar campaigns; experiment coupons appended
    channel: np.ndarray
    status: np.ndarray  # index into schema.STATUS_VALUES
    line_start: np.ndarray
    line_count: np.ndarray
    line_sku: np.ndarray
    line_qty: np.ndarray


def draw_orders(
    rng: np.random.Generator, cust: Customers, proc: PurchaseProcess, exp: ExperimentOrders,
    prod: Products, cal: ShopCalendar, top_up_rng: np.random.Generator | None = None,
) -> tuple[Orders, list[dict[str, Any]]]:
    """Lines, quantities, campaign or coupon discount, channel and status of every
    purchase; returns the orders and the experiment coupon campaigns."""
    customer = np.concatenate([proc.customer, exp.customer])
    seconds = np.concatenate([proc.seconds, exp.seconds])
    experiment = np.concatenate([np.full(proc.customer.size, -1), exp.experiment])
    arm = np.concatenate([np.full(proc.customer.size, -1), exp.arm])
    is_first = np.concatenate([proc.is_first, np.zeros(exp.customer.size, bool)])
    order = np.lexsort((seconds, customer))
    customer, seconds, experiment, arm, is_first = (
        a[order] for a in (customer, seconds, experiment, arm, is_first))
    n = customer.size
    is_exp = experiment >= 0

    # lines: up to three per order, first from the main category
    n_lines = np.where(is_exp, 1, 1 + draw_codes(rng, ITEMS_PER_ORDER_PROBS, n))
    active = np.arange(3) < n_lines[:, None]
    main = cust.main_category[customer]
    cat = np.repeat(main[:, None], 3, axis=1)
    cross = (rng.random((n, 3)) < CROSS_SELL_PROB) & active
    cross[:, 0] = False
    cat_share = np.asarray([np.mean(c.main_share) for c in CATEGORIES])
    cat[cross] = draw_codes(rng, cat_share, int(cross.sum()))
    sku = pick_sku(rng, prod, cat)
    local = sku - prod.offset[cat]
    for j in (1, 2):  # no SKU twice in one order: step to the next SKU of the category
        for _ in range(2):
            clash = (sku[:, j] == sku[:, 0]) | ((j == 2) & (sku[:, j] == sku[:, 1]))
            local[:, j] = np.where(clash, (local[:, j] + 1) % prod.count[cat[:, j]], local[:, j])
            sku[:, j] = prod.offset[cat[:, j]] + local[:, j]
    qcdf = np.cumsum([c.quantity_probs for c in CATEGORIES], axis=1)[:, :-1]
    qty = 1 + draw_codes_by_row(rng, qcdf, cat)
    extra = np.zeros(n)
    coupon = np.zeros(n, np.int64)
    for e, plan in enumerate(EXPERIMENTS):
        m = experiment == e
        extra[m] = np.asarray(plan.extra_quantity)[arm[m]]
        coupon[m] = np.rint(np.asarray(plan.coupon)[arm[m]] * 100).astype(np.int64)
    qty[:, 0] = np.where(is_exp, 1 + rng.poisson(extra), qty[:, 0])

    oi, li = np.nonzero(active)
    line_sku = sku[oi, li]
    line_qty = qty[oi, li].astype(np.int64)
    del cat, cross, sku, local, qty, active
    line_count = n_lines.astype(np.int64)
    line_start = np.cumsum(line_count) - line_count
    gross = np.bincount(oi, weights=line_qty * prod.price_fen[line_sku], minlength=n)
    gross = np.rint(gross).astype(np.int64)

    # campaigns by day; experiment orders take only their coupon
    day = np.minimum(seconds // SECONDS_PER_DAY, cal.horizon_days - 1)
    camp = np.where(is_exp, -1, cal.campaign_of_day[day])
    ncamp = len(cal.campaigns)
    part = np.asarray([c["participation"] for c in cal.campaigns] + [0.0])
    thr = np.asarray([c.get("threshold", 0) * 100 for c in cal.campaigns] + [0.0])
    off = np.asarray([c.get("off", 0) * 100 for c in cal.campaigns] + [0.0])
    pct = np.asarray([c.get("percent", 0) for c in cal.campaigns] + [0.0])
    if top_up_rng is not None:  # 凑单: a basket just short of 满X gets its first line topped up
        short = (thr[camp] > 0) & (gross < thr[camp]) & (gross >= (1 - TOP_UP_BAND) * thr[camp])
        top = np.flatnonzero(short & (top_up_rng.random(n) < TOP_UP_PROB))
        first = line_start[top]
        price = prod.price_fen[line_sku[first]]
        more = np.ceil((thr[camp[top]] - gross[top]) / price).astype(np.int64)
        line_qty[first] += more
        gross[top] += more * price
    used = (camp >= 0) & (rng.random(n) < part[camp]) & (gross >= thr[camp])
    discount = np.where(used, np.where(pct[camp] > 0, np.rint(gross * pct[camp]), off[camp]), 0)
    discount = discount.astype(np.int64)
    campaign = np.where(used, camp, -1)
    coupon_campaigns: list[dict[str, Any]] = []
    for e, plan in enumerate(EXPERIMENTS):
        for a, value in enumerate(plan.coupon):
            if value > 0:
                m = (experiment == e) & (arm == a)
                campaign[m] = ncamp + len(coupon_campaigns)
                coupon_campaigns.append({
                    "campaign_id": f"EXP-{plan.experiment_id.upper()}-{value:g}",
                    "type": "实验券", "name": f"{plan.experiment_id} {plan.arms[a]} 无门槛券",
                    "rule": f"无门槛减{value:g}", "off": value,
                })
    discount = np.where(coupon > 0, np.minimum(coupon, gross), discount)

    own = rng.random(n) < OWN_CHANNEL_PROB
    channel = np.where(own, cust.channel[customer], draw_codes(rng, ORDER_CHANNEL_MIX, n))
    invited = cust.channel[customer] == CHANNELS.index(INVITE_CHANNEL)
    channel = np.where(is_first & invited, CHANNELS.index(INVITE_CHANNEL), channel)
    refund_p = np.asarray([REFUND_RATE.get(c, REFUND_RATE_DEFAULT) for c in CHANNELS])[channel]
    u = rng.random(n)
    status = np.where(u < refund_p, 1, np.where(u < refund_p + CANCEL_RATE, 2, 0))
    status = np.where(is_exp, 0, status)

    orders = Orders(customer, seconds, experiment, arm, gross, discount, campaign, channel,
                     status, line_start, line_count, line_sku, line_qty)
    return orders, coupon_campaigns


def order_tables(
    orders: Orders, prod: Products, cal: ShopCalendar, campaign_ids: list[str], n_customers: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Orders and order_items inside the window, sorted by time; returns the order
    position (in the internal order arrays) of every output row."""
    inside = np.nonzero(orders.seconds < cal.window_seconds)[0]
    pos = inside[np.argsort(orders.seconds[inside], kind="stable")]
    n = pos.size
    order_id = id_column("O", np.arange(1, n + 1), max(9, len(str(n))))
    width = max(7, len(str(n_customers)))
    table = pa.table({
        schema.ORDER_ID: order_id,
        schema.CUSTOMER_ID: id_column("C", orders.customer[pos] + 1, width),
        schema.ORDERED_AT: timestamp_column(cal.origin, orders.seconds[pos]),
        schema.AMOUNT: pa.array((orders.gross_fen[pos] - orders.discount_fen[pos]) / 100),
        schema.STATUS: label_column(schema.STATUS_VALUES, orders.status[pos]),
        schema.CHANNEL: label_column(CHANNELS, orders.channel[pos]),
        schema.CAMPAIGN_ID: label_column(campaign_ids, orders.campaign[pos]),
        schema.DISCOUNT: pa.array(orders.discount_fen[pos] / 100),
    }).to_pandas()
    # a refunded order is refunded whole, 1-7 days after it was placed (no draw: the other
    # tables stay as they were)
    refunded = table[schema.STATUS].to_numpy() == "refunded"
    table[schema.REFUND_AMOUNT] = np.where(refunded, table[schema.AMOUNT].to_numpy(), 0.0)
    delay = pd.to_timedelta(1 + orders.seconds[pos] % 7, unit="D")
    table[schema.REFUNDED_AT] = (table[schema.ORDERED_AT] + delay).where(refunded).astype(
        table[schema.ORDERED_AT].dtype)
    count = orders.line_count[pos]
    first = np.repeat(orders.line_start[pos] - (np.cumsum(count) - count), count)
    line = first + np.arange(count.sum())
    sku = orders.line_sku[line]
    items = pa.table({
        schema.ORDER_ID: pc.take(order_id, pa.array(np.repeat(np.arange(n), count))),
        schema.SKU_ID: pc.take(prod.sku_id, pa.array(sku)),
        schema.QUANTITY: pa.array(orders.line_qty[line]),
        schema.UNIT_PRICE: pa.array(prod.price_fen[sku] / 100),
    }).to_pandas()
    return table, items, pos
