"""The demo customers: first purchase, acquisition channel and inviter, city, gender, age,
main category and the latent purchase parameters; and the customers table with its fake
personal columns (phone, openid, nickname, address)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.data import schema
from wxshop.demo.columns import id_column, join_text, label_column, timestamp_column
from wxshop.demo.draws import draw_codes, draw_codes_by_row, planted_shares
from wxshop.demo.settings import (
    AGE_BANDS,
    CATEGORIES,
    CHANNELS,
    CITIES,
    CITY_TIERS,
    DROPOUT_A,
    DROPOUT_B,
    GAMMA2_MEDIAN,
    GENDER_SHARES,
    GENDERS,
    HETEROGENEITY_SHAPE,
    INVITE_CHANNEL,
    NICK_HEAD,
    NICK_LATIN,
    NICK_TAIL,
    OTHER_DISTRICTS,
    ROADS,
    SECONDS_PER_DAY,
    TIER1_DISTRICTS,
    TIER_SHARES,
)
from wxshop.demo.shop_calendar import ShopCalendar


@dataclass
class Customers:
    """Every customer's drawn attributes and latent purchase parameters, by customer index."""

    n: int
    first_seconds: np.ndarray  # first purchase, seconds since start (sorted ascending)
    registered_seconds: np.ndarray
    channel: np.ndarray
    tier: np.ndarray
    city: np.ndarray  # index into the flat city list
    gender: np.ndarray
    birth_year: np.ndarray
    age_band: np.ndarray
    main_category: np.ndarray
    multiplier: np.ndarray
    dropout: np.ndarray
    inviter: np.ndarray  # customer index, -1 = none
    gap_scale: np.ndarray  # Gamma scale of purchase gaps, operational days
    planted: dict[str, Any]
    reference_year: int
    growth: float


def _flat_cities() -> tuple[list[str], list[str], np.ndarray, list[np.ndarray]]:
    names, provinces, tiers, by_tier = [], [], [], []
    for t, tier in enumerate(CITY_TIERS):
        rows = CITIES[tier]
        first = len(names)
        names.extend(r[0] for r in rows)
        provinces.extend(r[1] for r in rows)
        tiers.extend([t] * len(rows))
        w = np.asarray([r[2] for r in rows])
        by_tier.append(np.stack([np.arange(first, first + len(rows)), np.cumsum(w / w.sum())]))
    return names, provinces, np.asarray(tiers), by_tier


def draw_customers(
    rng: np.random.Generator, n: int, cal: ShopCalendar, end_year: int,
    channel_shares: np.ndarray, category_weights: np.ndarray, growth: float,
) -> Customers:
    """Draw ``n`` customers: first purchase (a rate growing by ``growth`` over the window,
    times the shop's intensity), channel and inviter, city, gender, age, main category, and
    the heterogeneity multiplier and dropout chance of their purchase process."""
    # first purchases: rate grows linearly over the window and follows the shop's seasons
    hours = cal.window_days * 24
    trend = 1.0 + growth * (np.arange(hours) + 0.5) / hours
    cum = np.concatenate([[0.0], np.cumsum(trend * cal.hour_weight[:hours])])
    first_h = np.sort(np.interp(rng.random(n) * cum[-1], cum, np.arange(hours + 1.0)))
    first = np.minimum(np.floor(first_h * 3600).astype(np.int64), cal.window_seconds - 1)

    channel = draw_codes(rng, channel_shares, n)
    invite = CHANNELS.index(INVITE_CHANNEL)
    channel[0] = np.where(channel[0] == invite, CHANNELS.index("社群"), channel[0])
    invited = channel == invite
    rank = np.arange(n)
    # inviters are earlier customers, mostly recent ones
    inviter = np.where(invited, rank - 1 - np.floor(rank * rng.random(n) ** 2).astype(np.int64), -1)
    delay = np.where(invited, rng.uniform(0, 600, n), rng.exponential(3 * SECONDS_PER_DAY, n))
    delay = np.where(delay > first, first * rng.random(n), delay)  # not before the shop opened
    registered = first - delay.astype(np.int64)

    tier = draw_codes(rng, TIER_SHARES, n)
    _, _, _, by_tier = _flat_cities()
    city = np.empty(n, np.int64)
    u = rng.random(n)
    for t in range(len(CITY_TIERS)):
        m = tier == t
        ids, cdf = by_tier[t]
        city[m] = ids.astype(np.int64)[np.minimum(np.searchsorted(cdf, u[m], side="right"),
                                                 ids.size - 1)]

    gender = draw_codes(rng, GENDER_SHARES, n)
    band = draw_codes(rng, [b[3] for b in AGE_BANDS], n)
    lo = np.asarray([b[1] for b in AGE_BANDS])[band]
    hi = np.asarray([b[2] for b in AGE_BANDS])[band]
    birth_year = end_year - rng.integers(lo, hi + 1)

    share = np.asarray([c.main_share for c in CATEGORIES]).T * category_weights  # gender × cat
    share /= share.sum(axis=1, keepdims=True)
    main = draw_codes_by_row(rng, np.cumsum(share, axis=1)[:, :-1], gender)

    multiplier = rng.gamma(HETEROGENEITY_SHAPE, 1.0 / HETEROGENEITY_SHAPE, n)
    dropout = rng.beta(DROPOUT_A, DROPOUT_B, n)
    cycle = np.asarray([c.cycle_days for c in CATEGORIES])
    gap_scale = cycle[main] * multiplier / GAMMA2_MEDIAN
    planted = {
        "acquisition_channel_shares": planted_shares(CHANNELS, channel_shares),
        "city_tier_shares": planted_shares(CITY_TIERS, TIER_SHARES),
        "gender_shares": planted_shares(GENDERS, GENDER_SHARES),
        "age_band_shares": planted_shares([b[0] for b in AGE_BANDS], [b[3] for b in AGE_BANDS]),
        "main_category_shares": planted_shares(
            [c.name for c in CATEGORIES], np.asarray(GENDER_SHARES) @ share),
        "main_category_shares_by_gender": {
            g: planted_shares([c.name for c in CATEGORIES], share[i]) for i, g in enumerate(GENDERS)
        },
    }
    return Customers(n, first, registered, channel, tier, city, gender, birth_year, band,
                      main, multiplier, dropout, inviter, gap_scale, planted, end_year, growth)


def customer_table(rng: np.random.Generator, cust: Customers, cal: ShopCalendar) -> pd.DataFrame:
    """The customers table (ids ``C0000001`` …) with fake personal columns."""
    n = cust.n
    names, provinces, _, _ = _flat_cities()
    city = label_column(names, cust.city)

    # personal columns: fake, realistic-looking, planted for leak scans
    prefix = np.asarray([13, 15, 18])[rng.integers(0, 3, n + n // 50 + 16)]
    raw = prefix * 10**9 + rng.integers(0, 10**9, prefix.size)
    _, first_idx = np.unique(raw, return_index=True)
    phone = pc.cast(pa.array(raw[np.sort(first_idx)[:n]]), pa.string())
    alphabet = np.frombuffer(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", np.uint8)
    chars = np.empty((n, 28), np.uint8)
    chars[:, 0] = ord("o")
    chars[:, 1:] = alphabet[rng.integers(0, 64, (n, 27))]
    openid = pa.StringArray.from_buffers(
        n, pa.py_buffer(np.arange(0, 28 * n + 1, 28, dtype=np.int32)), pa.py_buffer(chars))
    latin = rng.random(n) < 0.15
    nickname = join_text(
        label_column(NICK_HEAD + NICK_LATIN, np.where(latin, len(NICK_HEAD) + rng.integers(
            0, len(NICK_LATIN), n), rng.integers(0, len(NICK_HEAD), n))),
        label_column(NICK_TAIL, rng.integers(0, len(NICK_TAIL), n)),
    )
    district = label_column(OTHER_DISTRICTS, rng.integers(0, len(OTHER_DISTRICTS), n)).to_numpy(
        zero_copy_only=False).astype(object)
    for name, pool in TIER1_DISTRICTS.items():
        m = cust.city == names.index(name)
        district[m] = np.asarray(pool, object)[rng.integers(0, len(pool), int(m.sum()))]
    number = pc.cast(pa.array(rng.integers(1, 999, n)), pa.string())
    building = pc.cast(pa.array(rng.integers(1, 30, n)), pa.string())
    unit = pc.cast(pa.array(rng.integers(1, 6, n)), pa.string())
    room = pc.cast(pa.array(rng.integers(1, 33, n) * 100 + rng.integers(1, 5, n)), pa.string())
    address = join_text(
        label_column(provinces, cust.city), city, "市", pa.array(district, pa.string()),
        label_column(ROADS, rng.integers(0, len(ROADS), n)), number, "号", building, "栋", unit,
        "单元", room,
    )
    width = max(7, len(str(n)))
    return pa.table({
        schema.CUSTOMER_ID: id_column("C", np.arange(1, n + 1), width),
        "registered_at": timestamp_column(cal.origin, cust.registered_seconds),
        "city": city,
        "city_tier": label_column(CITY_TIERS, cust.tier),
        "gender": label_column(GENDERS, cust.gender),
        "birth_year": pa.array(cust.birth_year.astype(np.int64)),
        "acquisition_channel": label_column(CHANNELS, cust.channel),
        "inviter_id": pc.if_else(
            pa.array(cust.inviter >= 0),
            id_column("C", np.maximum(cust.inviter, 0) + 1, width),
            pa.scalar(None, pa.string()),
        ),
        "phone": phone,
        "openid": openid,
        "nickname": nickname,
        "address": address,
    }).to_pandas()
