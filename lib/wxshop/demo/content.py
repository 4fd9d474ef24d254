"""Content in the demo: 朋友圈, 公众号 and 视频号 posts over the private-domain window, with planted
open and interaction rates per channel and kind.

- 朋友圈: Poisson(1.5) posts a day, kind 短文案 40 % / 长图文 25 % / 产品图 35 %, hour drawn from
  :data:`~wxshop.demo.settings.MOMENTS_HOURS` (peaks 7–9, 12–14, 20–22), uniform minute and second;
  公众号 文章 every Tuesday and Friday at 20:00 + U(0, 1) hour; 视频号 直播 every Saturday at
  20:00 + U(0, 5) minutes.
- reach = round(contacts added by and not deleted before the post × U(0.3, 0.8));
  opens ~ Binomial(reach, planted open rate × the store's factor ~ U(0.8, 1.1)) with planted rates
  短文案 0.68, 长图文 0.55, 产品图 0.60, 文章 0.22, 直播 0.41; clicks ~ Binomial(opens, 0.08);
  interactions ~ Binomial(reach, 0.032 朋友圈 / 0.01 公众号 / 0.05 视频号); orders ~
  Binomial(clicks, 0.05); gmv = orders × the mean paid order amount of the window, CNY.
- post_id ``P00001``… in time order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wxshop.demo.draws import draw_codes
from wxshop.demo.private_inputs import PaidHistory, PdWindow, text_series, time_series
from wxshop.demo.settings import (
    LIVE_WEEKDAY,
    MOMENTS_HOURS,
    MOMENTS_KINDS,
    MOMENTS_PER_DAY,
    OA_POST_WEEKDAYS,
    POST_CLICK_RATE,
    POST_INTERACTION_RATE,
    POST_OPEN_FACTOR_RANGE,
    POST_OPEN_RATE,
    POST_ORDER_RATE,
    POST_REACH_RANGE,
    SECONDS_PER_DAY,
)
from wxshop.demo.wecom import Contacts

__all__ = ["posts_table"]

DAY = SECONDS_PER_DAY


def posts_table(rng: np.random.Generator, contacts: Contacts, hist: PaidHistory,
                window: PdWindow) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The posts table and its truth (planted and realised rates per channel and kind)."""
    factor = float(rng.uniform(*POST_OPEN_FACTOR_RANGE))
    days = pd.date_range(pd.Timestamp(window.origin), periods=window.days, freq="D")
    n_day = rng.poisson(MOMENTS_PER_DAY, window.days)
    m = int(n_day.sum())
    moments_t = (np.repeat(np.arange(window.days), n_day) * DAY
                 + draw_codes(rng, np.asarray(MOMENTS_HOURS), m) * 3600 + rng.integers(0, 3600, m))
    kinds = np.asarray(list(MOMENTS_KINDS), object)
    moments_k = kinds[draw_codes(rng, np.asarray(list(MOMENTS_KINDS.values())), m)]
    oa_days = np.flatnonzero(np.isin(days.day_of_week, OA_POST_WEEKDAYS))
    live_days = np.flatnonzero(days.day_of_week == LIVE_WEEKDAY)
    oa_t = oa_days * DAY + 20 * 3600 + rng.integers(0, 3600, oa_days.size)
    live_t = live_days * DAY + 20 * 3600 + rng.integers(0, 300, live_days.size)
    t = np.concatenate([moments_t, oa_t, live_t]).astype(np.int64)
    channel = np.repeat(np.asarray(["朋友圈", "公众号", "视频号"], object), [m, oa_t.size, live_t.size])
    kind = np.concatenate([moments_k, np.full(oa_t.size, "文章", object),
                           np.full(live_t.size, "直播", object)])
    order = np.argsort(t, kind="stable")
    t, channel, kind = t[order], channel[order], kind[order]
    n = t.size

    reach = np.rint(contacts.active_at(t) * rng.uniform(*POST_REACH_RANGE, n)).astype(np.int64)
    rate = np.asarray([POST_OPEN_RATE[(c, k)] for c, k in zip(channel, kind, strict=True)]) * factor
    opens = rng.binomial(reach, rate)
    clicks = rng.binomial(opens, POST_CLICK_RATE)
    interactions = rng.binomial(reach, np.asarray([POST_INTERACTION_RATE[c] for c in channel]))
    orders = rng.binomial(clicks, POST_ORDER_RATE)
    inside = (hist.seconds >= 0) & (hist.seconds < window.seconds)
    amounts = hist.amount[inside] if inside.any() else hist.amount
    mean_amount = float(amounts.mean()) if amounts.size else 0.0
    table = pd.DataFrame({
        "channel": text_series(channel),
        "posted_at": time_series(window, t),
        "post_id": text_series(np.asarray([f"P{k:05d}" for k in range(1, n + 1)], object)),
        "kind": text_series(kind),
        "reach": reach,
        "opens": opens.astype(np.int64),
        "clicks": clicks.astype(np.int64),
        "interactions": interactions.astype(np.int64),
        "orders": orders.astype(np.int64),
        "gmv": np.round(orders * mean_amount, 2),
    })

    def ratio(num: np.ndarray, den: np.ndarray, mask: np.ndarray) -> float | None:
        d = den[mask].sum()
        return float(num[mask].sum() / d) if d > 0 else None

    open_planted: dict[str, dict[str, float]] = {}
    open_realised: dict[str, dict[str, float | None]] = {}
    for (c, k), base in POST_OPEN_RATE.items():
        open_planted.setdefault(c, {})[k] = base * factor
        open_realised.setdefault(c, {})[k] = ratio(opens, reach, (channel == c) & (kind == k))
    truth = {
        "open_rate_base": {c: {k: r for (c2, k), r in POST_OPEN_RATE.items() if c2 == c}
                           for c in dict.fromkeys(c for c, _ in POST_OPEN_RATE)},
        "open_rate_factor": factor,
        "open_rate_planted": open_planted,
        "open_rate_realised": open_realised,
        "interaction_rate_planted": dict(POST_INTERACTION_RATE),
        "interaction_rate_realised": {c: ratio(interactions, reach, channel == c)
                                      for c in POST_INTERACTION_RATE},
        "click_rate_planted": POST_CLICK_RATE,
        "order_rate_planted": POST_ORDER_RATE,
        "gmv_per_order": mean_amount,
        "posts": {c: int((channel == c).sum()) for c in POST_INTERACTION_RATE},
        "definitions": "open rate = opens ÷ reach; interaction rate = interactions ÷ reach; click rate "
                       "= clicks ÷ opens; order rate = orders ÷ clicks; planted open rate = base × "
                       "open_rate_factor",
    }
    return table, truth
