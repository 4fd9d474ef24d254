"""The shop's calendar: hourly order intensity (hour of day, weekday, 618, 双11, 春节, member
days) and the campaign running on each day, from the window's start to the simulated future.

Operational time is the cumulative intensity: a purchase process in operational days becomes
calendar time through :meth:`ShopCalendar.to_calendar`, and so inherits the seasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wxshop.demo.settings import (
    AFTER_DAYS,
    CAMPAIGN_FIXED_COST,
    CAMPAIGN_REACH,
    FUTURE_DAYS,
    HOUR_PROFILE,
    PULL_FORWARD_DAYS,
    PULL_FORWARD_FACTOR,
    SECONDS_PER_DAY,
    SPRING_FESTIVAL,
    WEEKDAY_PROFILE,
)


@dataclass
class ShopCalendar:
    """Hourly shop-wide intensity and the campaign of each day, from `start` on."""

    origin: np.datetime64  # start, seconds
    window_days: int
    horizon_days: int
    cum_intensity: np.ndarray  # operational days at each hour boundary
    hour_weight: np.ndarray  # relative intensity per hour, mean 1
    campaign_of_day: np.ndarray  # index into campaigns, -1 = none
    campaigns: list[dict[str, Any]]
    day_multiplier: np.ndarray

    @property
    def window_seconds(self) -> int:
        return self.window_days * SECONDS_PER_DAY

    def to_operational(self, seconds: np.ndarray) -> np.ndarray:
        hours = np.arange(self.cum_intensity.size, dtype=float)
        return np.interp(np.asarray(seconds, float) / 3600.0, hours, self.cum_intensity)

    def to_calendar(self, operational: np.ndarray) -> np.ndarray:
        """Calendar seconds since start (floored) for operational days."""
        hours = np.arange(self.cum_intensity.size, dtype=float)
        return np.floor(np.interp(operational, self.cum_intensity, hours) * 3600.0).astype(np.int64)


def shop_calendar(start: pd.Timestamp, end_excl: pd.Timestamp) -> ShopCalendar:
    """The shop calendar from ``start`` to 365 days beyond ``end_excl`` (the future the
    oracle figures use): campaigns (festivals first, then member days and 满减) and the hourly
    intensity they and the weekday and hour profiles give."""
    window_days = int((end_excl - start).days)
    horizon_days = window_days + FUTURE_DAYS
    days = pd.date_range(start, periods=horizon_days, freq="D")
    day_num = {d: i for i, d in enumerate(days)}
    mult = np.asarray(WEEKDAY_PROFILE)[days.day_of_week.to_numpy()].astype(float)
    camp_of_day = np.full(horizon_days, -1, np.int32)
    campaigns: list[dict[str, Any]] = []

    dip = np.ones(horizon_days)  # the pull-forward factor of each day (1 = none)

    def add(name: str, kind: str, code: str, first: pd.Timestamp, last: pd.Timestamp,
            rule: dict[str, float], participation: float, lift: float,
            peak: tuple[pd.Timestamp, float] | None = None, pull_forward: bool = False) -> None:
        span = [day_num[d] for d in pd.date_range(first, last) if d in day_num]
        if not span or (kind != "节日" and (camp_of_day[span] >= 0).any()):
            return
        camp_of_day[span] = len(campaigns)
        before = float(mult[span].sum())
        mult[span] *= lift
        if peak is not None and peak[0] in day_num:
            mult[day_num[peak[0]]] *= peak[1] / lift
        if pull_forward:  # buyers bought ahead: the week after the sale loses what the sale gained
            after = np.arange(span[-1] + 1, min(span[-1] + 1 + PULL_FORWARD_DAYS, horizon_days))
            after = after[camp_of_day[after] < 0]
            moved = float(mult[after].sum()) * (1 - PULL_FORWARD_FACTOR)
            mult[after] *= PULL_FORWARD_FACTOR
            dip[after] *= PULL_FORWARD_FACTOR
            mult[span] *= 1 + moved / float(mult[span].sum())  # the same purchases, earlier
        if "threshold" in rule:
            text = f"满{rule['threshold']:g}减{rule['off']:g}"
        else:
            text = f"{10 * (1 - rule['percent']):g}折"
        campaigns.append({
            "campaign_id": f"CP{first:%y%m%d}{code}", "type": kind, "name": name,
            "start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}", "rule": text,
            **{k: float(v) for k, v in rule.items()}, "participation": participation,
            "intensity_multiplier": lift,
            # orders over the campaign's days ÷ the orders those days would have had without it
            # (the peak day included): the effect an incremental analysis should recover
            "lift_planted": float(mult[span].sum()) / before,
        })

    ts = pd.Timestamp
    years = range(start.year - 1, days[-1].year + 1)
    for y in years:  # festivals first: they win over member days and 满减
        add("双11", "节日", "S11", ts(y, 11, 1), ts(y, 11, 11), {"threshold": 199, "off": 30},
            0.70, 1.6, (ts(y, 11, 11), 2.8), pull_forward=True)
        add("618", "节日", "618", ts(y, 6, 1), ts(y, 6, 18), {"threshold": 199, "off": 25},
            0.65, 1.4, (ts(y, 6, 18), 2.2), pull_forward=True)
        add("女神节", "节日", "W38", ts(y, 3, 1), ts(y, 3, 8), {"percent": 0.10}, 0.55, 1.2)
        if y in SPRING_FESTIVAL:
            cny = ts(SPRING_FESTIVAL[y])
            add("年货节", "节日", "NHJ", cny - pd.Timedelta(days=24), cny - pd.Timedelta(days=8),
                {"threshold": 159, "off": 20}, 0.60, 1.3)
            for d in pd.date_range(cny - pd.Timedelta(days=7), cny + pd.Timedelta(days=6)):
                if d in day_num:  # couriers stop: pre-holiday slowdown, holiday dip
                    mult[day_num[d]] *= 0.85 if d < cny - pd.Timedelta(days=1) else 0.5
    for month in pd.date_range(days[0] - pd.offsets.MonthBegin(1), days[-1], freq="MS"):
        add("会员日", "会员日", "VIP", month + pd.Timedelta(days=17),
            month + pd.Timedelta(days=17), {"percent": 0.05}, 0.50, 1.3)
        last = month + pd.offsets.MonthEnd(0)
        add("月末满减", "满减", "MJ", last - pd.Timedelta(days=2), last,
            {"threshold": 129, "off": 15}, 0.50, 1.1)
    for c in campaigns:  # orders over the AFTER_DAYS after it (other campaigns' days left out)
        end = day_num.get(pd.Timestamp(c["end"]))  # ÷ those days' orders without any pull-forward
        after = np.arange(end + 1, min(end + 1 + AFTER_DAYS, horizon_days)) if end is not None else []
        after = [d for d in after if camp_of_day[d] < 0]
        c["after_ratio_planted"] = (float(mult[after].sum() / (mult[after] / dip[after]).sum())
                                    if len(after) else None)
    order = np.argsort([c["start"] for c in campaigns], kind="stable")
    remap = np.empty(len(campaigns) + 1, np.int32)
    remap[-1] = -1
    remap[order] = np.arange(len(campaigns))
    camp_of_day = remap[camp_of_day]
    campaigns = [campaigns[i] for i in order]

    hour_w = np.repeat(mult, 24) * np.tile(np.asarray(HOUR_PROFILE), horizon_days)
    hour_w /= hour_w.mean()
    cum = np.concatenate([[0.0], np.cumsum(hour_w) / 24.0])
    return ShopCalendar(
        origin=np.datetime64(start.to_datetime64(), "s"), window_days=window_days,
        horizon_days=horizon_days, cum_intensity=cum, hour_weight=hour_w,
        campaign_of_day=camp_of_day, campaigns=campaigns, day_multiplier=mult,
    )


def campaign_table(cal: ShopCalendar, n_customers: int) -> pd.DataFrame:
    """The campaigns table: the shop campaigns that overlap the window (experiment coupons are
    not campaigns of the shop), with their rule, the planted fixed cost (CNY) and audience
    (customers reached), in the contract's columns (``wxshop.data.schema.TABLES["campaigns"]``)."""
    first = pd.Timestamp(cal.origin)
    last = first + pd.Timedelta(days=cal.window_days - 1)
    rows = [c for c in cal.campaigns
            if pd.Timestamp(c["start"]) <= last and pd.Timestamp(c["end"]) >= first]
    return pd.DataFrame({
        "campaign_id": pd.array([c["campaign_id"] for c in rows], dtype="str"),
        "name": pd.array([c["name"] for c in rows], dtype="str"),
        "type": pd.array([c["type"] for c in rows], dtype="str"),
        "start": pd.to_datetime([c["start"] for c in rows]).astype("datetime64[s]"),
        "end": pd.to_datetime([c["end"] for c in rows]).astype("datetime64[s]"),
        "rule": pd.array([c["rule"] for c in rows], dtype="str"),
        "threshold": np.asarray([c.get("threshold", np.nan) for c in rows], float),
        "off": np.asarray([c.get("off", np.nan) for c in rows], float),
        "fixed_cost": np.asarray([round(CAMPAIGN_FIXED_COST[c["type"]] * n_customers, 2) for c in rows],
                                 float),
        "audience": np.asarray([round(CAMPAIGN_REACH[c["type"]] * n_customers) for c in rows], float),
    })
