"""Per-user A/B files of issue 17, deterministic so the figures can be checked by hand.

``hidden_aov_drop``: no orders column; conversion 10.0 % → 11.5 % (+15 %), revenue per user
¥10.00 → ¥9.62 (−3.8 %), so spend per buyer falls from ¥100.00 to ¥83.65 (−16.3 %).
``coupon_test``: a 5 vs 15 CNY coupon; the 15 CNY arm converts 10 % instead of 8 % at the same
order value, so conversion and revenue rise 25 %, but its gross profit per user falls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

USERS_PER_ARM = 20_000


def _spread(buyers: int, total: float, shape: float) -> np.ndarray:
    """``buyers`` amounts (CNY, to the fen) at evenly spaced gamma quantiles summing to ``total``."""
    q = stats.gamma.ppf((np.arange(buyers) + 0.5) / buyers, shape)
    amounts = np.round(q / q.sum() * total, 2)
    amounts[-1] = round(amounts[-1] + total - amounts.sum(), 2)
    return amounts


def hidden_aov_drop(n: int = USERS_PER_ARM) -> pd.DataFrame:
    """user, variant, converted (0/1), revenue (CNY): 2,000 vs 2,300 buyers, ¥200,000 vs ¥192,400."""
    parts = []
    for arm, buyers, total in (("control", 2_000, 200_000.0), ("treatment", 2_300, 192_400.0)):
        revenue = np.zeros(n)
        revenue[:buyers] = _spread(buyers, total, 0.8)
        parts.append(pd.DataFrame({
            "user": [f"{arm[0]}{i:05d}" for i in range(n)], "variant": arm,
            "converted": (np.arange(n) < buyers).astype(int), "revenue": revenue,
        }))
    return pd.concat(parts, ignore_index=True)


COUPON_CNY = {"control": 5.0, "treatment": 15.0}
COST_SHARE = 0.6  # cost of goods, share of the order value


def coupon_test(n: int = USERS_PER_ARM) -> pd.DataFrame:
    """user, variant, converted, revenue (order value before the coupon, CNY), cost (cost of
    goods, 60 % of it), coupon_cost (the coupon's face value, 5 or 15 CNY per buyer).

    1,600 vs 2,000 buyers, each spending ¥60 on average: revenue per user ¥4.80 vs ¥6.00;
    gross profit per buyer ¥60 − ¥36 − coupon = ¥19 vs ¥9, per user ¥1.52 vs ¥0.90.
    """
    parts = []
    for arm, buyers in (("control", 1_600), ("treatment", 2_000)):
        revenue = np.zeros(n)
        revenue[:buyers] = _spread(buyers, 60.0 * buyers, 4.0)
        bought = np.arange(n) < buyers
        parts.append(pd.DataFrame({
            "user": [f"{arm[0]}{i:05d}" for i in range(n)], "variant": arm,
            "converted": bought.astype(int), "revenue": revenue,
            "cost": np.round(COST_SHARE * revenue, 2), "coupon_cost": np.where(bought, COUPON_CNY[arm], 0.0),
        }))
    return pd.concat(parts, ignore_index=True)
