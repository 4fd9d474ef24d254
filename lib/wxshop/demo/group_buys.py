"""The group_buys table (拼团): groups opened by customers over the window, the size each
needs, whether it filled in time, and the planted completion rates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.demo.columns import id_column, label_column, timestamp_column
from wxshop.demo.customers import Customers
from wxshop.demo.draws import draw_codes
from wxshop.demo.products import Products, pick_sku
from wxshop.demo.settings import (
    GROUP_BUY_COMPLETION,
    GROUP_BUY_FILL_HOURS,
    GROUP_BUY_HOURS,
    GROUP_BUY_SIZES,
    GROUP_BUYS_PER_CUSTOMER,
)
from wxshop.demo.shop_calendar import ShopCalendar

STATUSES = ("completed", "failed", "open")


def group_buy_table(
    rng: np.random.Generator, cust: Customers, prod: Products, cal: ShopCalendar
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Groups opened at times that follow the shop's intensity, each by a customer who had bought
    before; a group of size k fills with chance GROUP_BUY_COMPLETION[k] within GROUP_BUY_HOURS
    (after an exponential wait), else fails with 1..k−1 members; a group whose time runs past the
    window's end is still open. Returns the table and its truth (planted and realised rates)."""
    n = rng.poisson(GROUP_BUYS_PER_CUSTOMER * cust.n)
    hours = cal.hour_weight[: cal.window_days * 24]
    opened = np.sort((draw_codes(rng, hours, n) * 3600 + rng.integers(0, 3600, n)).astype(np.int64))
    # a leader has bought before: one of the customers whose first purchase is earlier
    earlier = np.searchsorted(cust.first_seconds, opened, side="left")
    keep = earlier > 0
    opened, earlier = opened[keep], earlier[keep]
    leader = np.floor(rng.random(opened.size) * earlier).astype(np.int64)
    sizes = np.asarray(list(GROUP_BUY_SIZES))
    size = sizes[draw_codes(rng, np.asarray(list(GROUP_BUY_SIZES.values())), opened.size)]
    fills = rng.random(opened.size) < np.asarray([GROUP_BUY_COMPLETION[int(k)] for k in size])
    wait = np.minimum(rng.exponential(GROUP_BUY_FILL_HOURS * 3600, opened.size), GROUP_BUY_HOURS * 3600 - 1)
    closed = np.where(fills, opened + wait.astype(np.int64), opened + GROUP_BUY_HOURS * 3600)
    short = 1 + np.floor(rng.random(opened.size) * (size - 1)).astype(np.int64)  # a failed group's members
    running = closed >= cal.window_seconds
    sku = pick_sku(rng, prod, cust.main_category[leader])  # grouped on a product of the leader's taste
    status = np.where(running, 2, np.where(fills, 0, 1))
    joined = np.where(status == 0, size, short)
    width = max(7, len(str(cust.n)))
    table = pa.table({
        "group_buy_id": id_column("G", np.arange(1, opened.size + 1), 8),
        "leader_id": id_column("C", leader + 1, width),
        "opened_at": timestamp_column(cal.origin, opened),
        "required_size": pa.array(size.astype(np.int64)),
        "joined": pa.array(joined.astype(np.int64)),
        "group_status": label_column(STATUSES, status),
        "closed_at": pa.array(cal.origin + closed.astype("timedelta64[s]"), pa.timestamp("s"),
                              mask=running),
        "sku_id": pc.take(prod.sku_id, pa.array(sku)),
    }).to_pandas()
    ended = ~running
    truth = {
        "groups": int(opened.size),
        "completion_planted": {str(k): v for k, v in GROUP_BUY_COMPLETION.items()},
        "size_shares_planted": {str(k): v for k, v in GROUP_BUY_SIZES.items()},
        "completion_realised": {str(int(k)): float(fills[ended & (size == k)].mean())
                                for k in sizes if (ended & (size == k)).any()},
        "completion_realised_all": float(fills[ended].mean()) if ended.any() else None,
        "hours_to_fill_mean_planted": GROUP_BUY_FILL_HOURS,
        "definition": "completion = completed ÷ (completed + failed) groups; open groups left out",
    }
    return table, truth
