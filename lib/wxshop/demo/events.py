"""The events table: app funnel rows (view, cart, checkout, pay) of the tracked customers in
the last days of the window, and the funnel figures planted and realised."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.data import schema
from wxshop.demo.columns import id_column, iso_time, label_column, timestamp_column
from wxshop.demo.customers import Customers
from wxshop.demo.draws import draw_codes
from wxshop.demo.orders import Orders
from wxshop.demo.products import Products, pick_sku
from wxshop.demo.settings import (
    CHANNELS,
    EVENT_DAYS,
    FUNNEL_RATES,
    RETENTION_CHANNEL,
    RETENTION_D1,
    RETENTION_DAYS,
    RETENTION_DECAY,
    SECONDS_PER_DAY,
    TRACKED_SHARE,
    VISIT_SCENES,
)
from wxshop.demo.shop_calendar import ShopCalendar


def event_table(
    rng: np.random.Generator, cust: Customers, orders: Orders, pos: np.ndarray,
    prod: Products, cal: ShopCalendar,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Funnel rows for tracked customers in the last EVENT_DAYS days."""
    period0 = cal.window_seconds - EVENT_DAYS * SECONDS_PER_DAY
    tracked = rng.random(cust.n) < TRACKED_SHARE
    o = pos[(orders.seconds[pos] >= period0) & tracked[orders.customer[pos]]]
    t = orders.seconds[o]
    c = orders.customer[o]
    sku = orders.line_sku[orders.line_start[o]]
    n = o.size
    checkout = t
    cart = checkout - 3 - rng.exponential(90, n).astype(np.int64)
    view = cart - 5 - rng.exponential(150, n).astype(np.int64)
    pay = checkout + 5 + rng.exponential(45, n).astype(np.int64)
    paid = orders.status[o] != schema.STATUS_VALUES.index("cancelled")
    cols_c, cols_t, cols_e, cols_s = [c, c, c, c[paid]], [view, cart, checkout, pay[paid]], [
        np.full(n, 0), np.full(n, 1), np.full(n, 2), np.full(int(paid.sum()), 3)], [
        sku, sku, sku, sku[paid]]
    # sessions that stop early: views only, up to the cart, up to checkout
    r1, r2, r3 = (FUNNEL_RATES[k] for k in ("view_to_cart", "cart_to_checkout", "checkout_to_pay"))
    means = ((1 - r1) / (r1 * r2 * r3), (1 - r2) / (r2 * r3), (1 - r3) / r3)
    for depth, mean in enumerate(means):
        k = rng.poisson(mean, n)
        who = np.repeat(np.arange(n), k)
        op = cal.to_operational(t[who]) - rng.uniform(0, 7, who.size)
        s0 = cal.to_calendar(np.maximum(op, 0))
        s_sku = pick_sku(rng, prod, cust.main_category[c[who]])
        step = s0
        for stage in range(depth + 1):
            cols_c.append(c[who])
            cols_t.append(step)
            cols_e.append(np.full(who.size, stage))
            cols_s.append(s_sku)
            step = step + 3 + rng.exponential(90, who.size).astype(np.int64)
    ec, et, ee, es = (np.concatenate(x) for x in (cols_c, cols_t, cols_e, cols_s))
    keep = (et >= period0) & (et < cal.window_seconds)
    ec, et, ee, es = (x[keep] for x in (ec, et, ee, es))
    counts = np.bincount(ee, minlength=4)
    vc, vt, scene, retention = visit_rows(rng, cust, cal, period0)
    first_step = schema.EVENT_VALUES.index(schema.FUNNEL_STEPS[0])
    ec, et = np.concatenate([ec, vc]), np.concatenate([et, vt])
    ee = np.concatenate([ee + first_step, np.full(vc.size, schema.EVENT_VALUES.index("visit"))])
    es = np.concatenate([es, np.full(vc.size, -1)])
    sc = np.concatenate([np.full(keep.sum(), -1), scene])
    order = np.lexsort((ee, et))
    ec, et, ee, es, sc = (x[order] for x in (ec, et, ee, es, sc))
    width = max(7, len(str(cust.n)))
    table = pa.table({
        schema.CUSTOMER_ID: id_column("C", ec + 1, width),
        "ts": timestamp_column(cal.origin, et),
        "event": label_column(schema.EVENT_VALUES, ee),
        schema.SKU_ID: pc.take(prod.sku_id, pa.array(es, mask=es < 0)),
        "scene": label_column(list(VISIT_SCENES), sc),
    }).to_pandas()
    period_orders = int((orders.seconds[pos] >= period0).sum())
    truth = {
        "period_start": iso_time(cal.origin, period0),
        "period_end_exclusive": iso_time(cal.origin, cal.window_seconds),
        "tracked_customer_share": TRACKED_SHARE,
        "tracked_customers": int(tracked.sum()),
        "funnel_rates_planted": dict(FUNNEL_RATES),
        "stage_counts": {k: int(v) for k, v in zip(schema.FUNNEL_STEPS, counts, strict=True)},
        "funnel_rates_realised": {
            "view_to_cart": float(counts[1] / max(counts[0], 1)),
            "cart_to_checkout": float(counts[2] / max(counts[1], 1)),
            "checkout_to_pay": float(counts[3] / max(counts[2], 1)),
        },
        "orders_in_period": period_orders,
        "rows_per_order_in_period": float(counts.sum() / max(period_orders, 1)),
        "note": "pay events are the paid/refunded orders of tracked customers; "
                "cancelled orders reach checkout only",
        "retention": retention,
    }
    return table, truth


def visit_rows(
    rng: np.random.Generator, cust: Customers, cal: ShopCalendar, period0: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    """Visits of the customers registered in the events window: one at registration, then on
    day n = 1..RETENTION_DAYS after the registration day with chance RETENTION_D1 × n^-decay ×
    the channel's factor (settings); customer, second, scene code and the retention truth
    (planted per channel, realised over the customers whose day n lies inside the window)."""
    reg = cust.registered_seconds
    new = np.flatnonzero((reg >= period0) & (reg < cal.window_seconds))
    factor = np.asarray([RETENTION_CHANNEL.get(c, 1.0) for c in CHANNELS])[cust.channel[new]]
    n = np.arange(1, RETENTION_DAYS + 1)
    chance = np.minimum(RETENTION_D1 * n ** -RETENTION_DECAY * factor[:, None], 1.0)
    back = rng.random((new.size, n.size)) < chance  # customer × day after registration
    day0 = reg[new] // SECONDS_PER_DAY
    who, after = np.nonzero(back)
    at = (day0[who] + n[after]) * SECONDS_PER_DAY + rng.integers(8 * 3600, 23 * 3600, who.size)
    inside = at < cal.window_seconds
    c = np.concatenate([new, new[who][inside]])
    t = np.concatenate([reg[new], at[inside]])
    scene = draw_codes(rng, np.asarray(list(VISIT_SCENES.values())), c.size)
    last_day = cal.window_days - 1
    realised = {}
    for d in (1, 7, 30):
        eligible = day0 + d <= last_day
        realised[f"d{d}"] = float(back[eligible, d - 1].mean()) if eligible.any() else None
    planted = {f"d{d}": RETENTION_D1 * d ** -RETENTION_DECAY for d in (1, 7, 30)}
    by_channel = {ch: {k: v * RETENTION_CHANNEL.get(ch, 1.0) for k, v in planted.items()} for ch in CHANNELS}
    truth = {"new_customers": int(new.size), "planted": planted, "planted_by_channel": by_channel,
             "realised": realised,
             "definition": "a visit on calendar day n after the registration day (day 0), among the "
                           "customers registered in the events window whose day n is inside it"}
    return c, t, scene, truth
