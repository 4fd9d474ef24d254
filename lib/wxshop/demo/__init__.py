"""Synthetic WeChat stores with planted, recorded truths.

``generate_store`` builds the tables of :mod:`wxshop.data.schema` for one store that sells
through 朋友圈, 社群, 公众号, 视频号直播, the 小程序 and 拼团 invitations, together with a
``truth`` dict of every figure that was planted, so that analyses can be checked against
what they should recover. ``write_store`` and ``write_demo_stores`` put stores on disk.

Conventions
-----------
- Money in CNY with two decimals (computed in fen, so sums are exact to the fen).
- Timestamps are naive ``datetime64[s]`` Asia/Shanghai wall-clock time. The window is
  ``[start 00:00:00, end + 1 day 00:00:00)``: ``end`` is the last day included.
- ``city_tier`` values: ``一线`` (北上广深), ``新一线``, ``二线``, ``三线``, ``四线及以下``.
  "Tier 2–3" in the truth means 新一线 + 二线 + 三线.
- Age bands are ``end.year - birth_year``: ``18-24``, ``25-35``, ``36-45``, ``46-60``.
- ``order_items.unit_price`` is always the product's ``list_price``; campaign and coupon
  discounts live only in ``orders.discount``, and
  ``orders.amount = sum(quantity * unit_price) - discount``.
- Customers' personal columns (phone, openid, nickname, address) are fake but look real,
  so leak scans over reports have something to find.

The purchase process
--------------------
Every customer buys at least once. The first purchase falls in the window with a rate that
grows over time. Gaps between purchases are Gamma(shape 2) with median
``cycle_days[main category] * multiplier`` in *operational* days; operational time maps to
calendar time through the cumulative shop-wide intensity (weekday, hour of day, 618, 双11,
春节, member days), so the renewal process inherits the seasonality. After each purchase the
customer leaves for good with probability ``p ~ Beta(a, b)``. The process is simulated for
365 days beyond ``end`` and then cut at ``end``; the uncensored future gives the oracle
repurchase figures in the truth.

Truth
-----
``truth.json`` keys: ``window``, ``sizes``, ``customers`` (planted and realised shares of
channels, tiers, gender, age bands, main categories; growth; reference year),
``purchase_process`` (gap shape, heterogeneity Gamma, dropout Beta(a, b), alive share at
end), ``orders`` (channel mix, refund and cancel rates planted and realised, AOV),
``categories`` (per category: planted cycle and margin range, GMV-weighted margins over all
and over paid orders, the oracle repurchase median and 7/30/90-day shares over paid orders
and over all statuses; a median the oracle cannot reach is ``null``), ``sku_margins``,
``seasonality``, ``campaigns`` (rules, dates, realised orders and discount),
``experiments`` (per experiment: planned split, realised counts, window, planted
parameters, expected and realised conversion and revenue per user per arm, relative lifts,
``is_null``, ``has_srm``, multi-variant customers) and ``events`` (funnel planted and
realised). ``truth_customers.parquet`` holds the per-customer latent truth.

Experiments replace the base orders of participants inside the metric window
(``[assigned_at, assigned_at + 14 days)``) with experiment orders, which are all ``paid``,
have a single line from the customer's main category and take no shop campaign.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.data import schema
from wxshop.jsonable import to_jsonable

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "CITY_TIERS",
    "generate_store",
    "truth_for_json",
    "write_demo_stores",
    "write_store",
]

SECONDS_PER_DAY = 86_400
FUTURE_DAYS = 365  # simulated beyond `end` for the oracle repurchase figures
GAMMA2_MEDIAN = 1.6783469900166612  # median of Gamma(shape=2, scale=1)

# --------------------------------------------------------------------------- customers
CHANNELS: tuple[str, ...] = ("朋友圈", "社群", "公众号", "视频号直播", "小程序", "拼团邀请")
INVITE_CHANNEL = "拼团邀请"
CHANNEL_SHARES = (0.22, 0.24, 0.12, 0.16, 0.14, 0.12)  # acquisition channel
ORDER_CHANNEL_MIX = (0.18, 0.26, 0.10, 0.20, 0.20, 0.06)  # when an order is not own-channel
OWN_CHANNEL_PROB = 0.75  # an order comes through the customer's acquisition channel

CITY_TIERS: tuple[str, ...] = ("一线", "新一线", "二线", "三线", "四线及以下")
TIER_SHARES = (0.38, 0.20, 0.15, 0.10, 0.17)
# (city, province or "" for municipalities, relative weight within its tier)
CITIES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "一线": (
        ("北京", "", 1.0), ("上海", "", 1.1), ("广州", "广东省", 0.85), ("深圳", "广东省", 0.85),
    ),
    "新一线": (
        ("成都", "四川省", 1.0), ("重庆", "", 1.0), ("杭州", "浙江省", 0.95),
        ("武汉", "湖北省", 0.9), ("西安", "陕西省", 0.8), ("郑州", "河南省", 0.75),
        ("青岛", "山东省", 0.6), ("长沙", "湖南省", 0.7), ("天津", "", 0.7),
        ("苏州", "江苏省", 0.75), ("南京", "江苏省", 0.7), ("东莞", "广东省", 0.6),
        ("沈阳", "辽宁省", 0.5), ("合肥", "安徽省", 0.55), ("佛山", "广东省", 0.55),
    ),
    "二线": (
        ("昆明", "云南省", 1.0), ("福州", "福建省", 1.0), ("无锡", "江苏省", 0.9),
        ("厦门", "福建省", 0.8), ("哈尔滨", "黑龙江省", 0.9), ("长春", "吉林省", 0.8),
        ("南昌", "江西省", 0.8), ("济南", "山东省", 0.9), ("宁波", "浙江省", 0.9),
        ("大连", "辽宁省", 0.7), ("贵阳", "贵州省", 0.7), ("温州", "浙江省", 0.7),
        ("石家庄", "河北省", 0.8), ("泉州", "福建省", 0.6), ("南宁", "广西壮族自治区", 0.7),
        ("常州", "江苏省", 0.6), ("珠海", "广东省", 0.5), ("太原", "山西省", 0.6),
    ),
    "三线": (
        ("洛阳", "河南省", 1.0), ("芜湖", "安徽省", 0.8), ("扬州", "江苏省", 0.8),
        ("潍坊", "山东省", 0.9), ("桂林", "广西壮族自治区", 0.7), ("赣州", "江西省", 0.8),
        ("襄阳", "湖北省", 0.7), ("湛江", "广东省", 0.7), ("绵阳", "四川省", 0.7),
        ("宜昌", "湖北省", 0.6), ("临沂", "山东省", 0.9), ("盐城", "江苏省", 0.7),
        ("柳州", "广西壮族自治区", 0.6), ("湖州", "浙江省", 0.6), ("遵义", "贵州省", 0.6),
    ),
    "四线及以下": (
        ("曲靖", "云南省", 1.0), ("南阳", "河南省", 1.0), ("商丘", "河南省", 0.9),
        ("黄冈", "湖北省", 0.8), ("邵阳", "湖南省", 0.8), ("六安", "安徽省", 0.7),
        ("周口", "河南省", 0.9), ("信阳", "河南省", 0.7), ("安庆", "安徽省", 0.7),
        ("大理", "云南省", 0.5), ("天水", "甘肃省", 0.5), ("宜宾", "四川省", 0.7),
        ("梅州", "广东省", 0.6), ("丽水", "浙江省", 0.5), ("吉安", "江西省", 0.6),
    ),
}
TIER1_DISTRICTS = {
    "北京": ("朝阳区", "海淀区", "丰台区", "西城区", "东城区", "通州区", "昌平区"),
    "上海": ("浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区", "长宁区", "普陀区"),
    "广州": ("天河区", "越秀区", "海珠区", "番禺区", "白云区", "黄埔区"),
    "深圳": ("南山区", "福田区", "宝安区", "龙岗区", "罗湖区", "龙华区"),
}
OTHER_DISTRICTS = ("高新区", "经开区", "新城区", "城南区", "城北区", "滨江区", "开发区", "城关区")
ROADS = (
    "人民路", "解放路", "建设路", "中山路", "和平路", "新华路", "文化路", "长江路",
    "滨江大道", "科技路", "光明街", "幸福里", "青年路", "学府路", "东风路", "世纪大道",
)
NICK_HEAD = (
    "小", "阿", "大", "快乐的", "爱吃", "安静的", "努力的", "元气", "橙子", "木子", "晴天",
    "糖", "咕噜", "芒果", "一只", "会飞的", "温柔",
)
NICK_TAIL = (
    "鱼", "猫", "兔", "花", "月", "晨", "雪", "琳", "婷", "静", "丽", "明", "伟", "杰",
    "妈妈", "宝妈", "姐姐", "不吃香菜", "的日常", "酱", "宝", "同学", "先生", "小姐",
)
NICK_LATIN = ("Lily", "Amy", "Coco", "Tony", "Kevin", "Vicky", "Sunny", "Echo", "Grace", "Jason")

GENDERS: tuple[str, ...] = ("女", "男")
GENDER_SHARES = (0.65, 0.35)
# (label, youngest, oldest, share); age = end.year - birth_year
AGE_BANDS: tuple[tuple[str, int, int, float], ...] = (
    ("18-24", 18, 24, 0.10),
    ("25-35", 25, 35, 0.52),
    ("36-45", 36, 45, 0.28),
    ("46-60", 46, 60, 0.10),
)
ACQUISITION_GROWTH = 2.0  # acquisition rate at `end` is 1 + growth times the rate at `start`

# ----------------------------------------------------------------------------- products


@dataclass(frozen=True)
class Category:
    """A product category and how its customers buy.

    cycle_days: median repurchase gap in operational days for a multiplier of 1.
    margin: range of planted SKU margins, share 0–1. price_median: CNY.
    main_share: chance that a 女 / 男 customer has this as main category.
    """

    name: str
    code: int
    cycle_days: float
    margin: tuple[float, float]
    price_median: float
    price_sigma: float
    quantity_probs: tuple[float, float, float]  # quantity 1, 2, 3 on one line
    main_share: tuple[float, float]
    products: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category(
        "食品饮料", 1, 10.0, (0.45, 0.60), 49.0, 0.45, (0.62, 0.25, 0.13), (0.33, 0.40),
        (
            "云南小粒咖啡豆500g", "每日坚果30袋装", "五常稻花香大米5kg", "即食鸡胸肉10袋",
            "手工阿胶糕500g", "新疆灰枣1kg", "冻干水果脆礼盒", "高纤燕麦片1kg", "螺蛳粉5袋装",
            "黑芝麻丸礼盒", "0糖气泡水24瓶", "有机纯牛奶12盒", "滇红茶礼盒250g",
            "藤椒牛肉干200g", "土蜂蜜500g",
        ),
    ),
    Category(
        "美妆护肤", 2, 30.0, (0.65, 0.80), 139.0, 0.5, (0.85, 0.12, 0.03), (0.30, 0.08),
        (
            "玻尿酸补水面膜10片", "烟酰胺精华液30ml", "氨基酸洁面乳120g", "清爽防晒霜SPF50",
            "保湿修护面霜50g", "温和卸妆油200ml", "丝绒哑光口红", "淡纹眼霜15g",
            "控油爽肤水200ml", "烟酰胺身体乳400ml", "护手霜礼盒5支", "控油洗发水500ml",
            "遮瑕气垫BB霜", "木质淡香水30ml",
        ),
    ),
    Category(
        "数码配件", 3, 90.0, (0.50, 0.70), 79.0, 0.6, (0.90, 0.08, 0.02), (0.07, 0.32),
        (
            "20W快充充电器", "磁吸充电宝10000mAh", "Type-C数据线1m", "降噪蓝牙耳机",
            "防摔手机壳", "钢化膜2片装", "车载手机支架", "折叠桌面支架", "运动智能手环",
            "87键机械键盘", "静音无线鼠标", "六合一拓展坞", "自拍杆三脚架", "便携小风扇",
        ),
    ),
    Category(
        "母婴用品", 4, 21.0, (0.35, 0.50), 99.0, 0.5, (0.70, 0.20, 0.10), (0.20, 0.07),
        (
            "婴儿纸尿裤L码", "婴儿湿巾80抽6包", "宝宝高铁米粉", "儿童含氟牙膏",
            "婴儿洗发沐浴二合一", "电动吸奶器", "儿童保温杯", "宝宝面霜", "防溢乳垫100片",
            "儿童绘本套装", "婴儿棉柔巾", "宝宝溶豆零食",
        ),
    ),
    Category(
        "家居日用", 5, 45.0, (0.40, 0.55), 55.0, 0.55, (0.75, 0.17, 0.08), (0.10, 0.13),
        (
            "抽纸24包整箱", "洗衣凝珠52颗", "厨房湿巾80抽", "加厚垃圾袋", "纯棉四件套",
            "收纳箱三件套", "食品保鲜袋", "洗碗机洗涤块", "香薰蜡烛礼盒", "免手洗拖把",
            "纯棉毛巾3条", "软毛牙刷8支", "除螨喷雾",
        ),
    ),
)
ITEMS_PER_ORDER_PROBS = (0.55, 0.30, 0.15)  # 1, 2, 3 lines
CROSS_SELL_PROB = 0.25  # a second or third line comes from another category
MIN_PRICE = 19.9  # CNY; above the largest experiment coupon so amounts stay positive

# --------------------------------------------------------------------- purchase process
GAP_SHAPE = 2.0
HETEROGENEITY_SHAPE = 3.0  # multiplier ~ Gamma(3, 1/3): mean 1
DROPOUT_A, DROPOUT_B = 2.0, 7.5  # p ~ Beta(a, b), mean 0.21

# ------------------------------------------------------------------- status and seasons
REFUND_RATE = {"视频号直播": 0.09}  # impulse buys from live streams come back more often
REFUND_RATE_DEFAULT = 0.045
CANCEL_RATE = 0.015

HOUR_PROFILE = (
    0.50, 0.25, 0.12, 0.08, 0.07, 0.10, 0.25, 0.55, 0.80, 0.90, 1.00, 1.25,
    1.60, 1.30, 0.95, 0.90, 0.95, 1.00, 1.10, 1.35, 1.80, 1.90, 1.55, 0.95,
)  # relative order intensity by hour of day: lunch and 20–22 peaks
WEEKDAY_PROFILE = (0.94, 0.93, 0.96, 0.98, 1.03, 1.10, 1.06)  # Monday … Sunday
# 春节 (Chinese New Year's day); the window must fall inside these years for 春节 effects.
SPRING_FESTIVAL = {
    2018: "2018-02-16", 2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12",
    2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29",
    2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13",
    2030: "2030-02-03", 2031: "2031-01-23", 2032: "2032-02-11",
}

# -------------------------------------------------------------------------- experiments


@dataclass(frozen=True)
class ExperimentPlan:
    """One planted experiment.

    assign_days: assignment window as (first, last) days before the end of the window.
    conversion_lift: relative lift of the chance to buy in the metric window, per arm.
    extra_quantity: mean of the Poisson extra quantity on an experiment order, per arm.
    coupon: CNY taken off every experiment order, per arm.
    """

    experiment_id: str
    description: str
    arms: tuple[str, ...]
    split: tuple[float, ...]
    assign_days: tuple[int, int]
    conversion_lift: tuple[float, ...]
    extra_quantity: tuple[float, ...]
    coupon: tuple[float, ...]
    randomisation: Literal["complete", "bernoulli"]
    srm_drop_share: float = 0.0  # share of treatment users lost by the logging


EXPERIMENTS: tuple[ExperimentPlan, ...] = (
    ExperimentPlan(
        "exp_coupon", "优惠券面额: 5元 (control) vs 15元 (treatment), pushed to an audience list",
        ("control", "treatment"), (0.5, 0.5), (84, 63), (0.0, 0.20), (0.30, 0.50),
        (5.0, 15.0), "complete",
    ),
    ExperimentPlan(
        "exp_button", "结算按钮颜色: three colours, no effect, assigned on visit",
        ("control", "treatment", "treatment_b"), (1 / 3, 1 / 3, 1 / 3), (70, 42),
        (0.0, 0.0, 0.0), (0.30, 0.30, 0.30), (0.0, 0.0, 0.0), "bernoulli",
    ),
    ExperimentPlan(
        "exp_share_card", "分享卡片样式: small real effect, treatment logging loses users (SRM)",
        ("control", "treatment"), (0.5, 0.5), (56, 42), (0.0, 0.05), (0.30, 0.30),
        (0.0, 0.0), "complete", srm_drop_share=0.25,  # 4:3, flagged at p < 0.001 from ~1,000 users
    ),
)
EXPERIMENT_SHARE = 0.25  # of eligible customers, per experiment (participants are disjoint)
METRIC_WINDOW_DAYS = 14
BASE_CONVERSION_K = 0.35  # p_i = 1 - exp(-K * window / mean gap_i)
EXTRA_ORDERS_MEAN = 0.25  # orders per converter = 1 + Poisson(0.25)
MULTI_VARIANT_SHARE = 0.002  # logging bug: customer shows up in two variants
MAX_CONVERSION = 0.95

# ------------------------------------------------------------------------------- events
EVENT_DAYS = 60
TRACKED_SHARE = 0.20  # customers whose app events are logged (sampled tracking)
FUNNEL_RATES = {"view_to_cart": 0.35, "cart_to_checkout": 0.60, "checkout_to_pay": 0.85}

Format = Literal["parquet", "csv"]


# =============================================================================== helpers


def _take(labels: tuple[str, ...] | list[str], index: np.ndarray) -> pa.Array:
    """Labels picked by integer codes; negative codes become nulls."""
    index = np.asarray(index)
    return pc.take(pa.array(list(labels), pa.string()), pa.array(index, mask=index < 0))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded number, e.g. C0000123."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _timestamps(origin: np.datetime64, seconds: np.ndarray) -> pa.Array:
    values = origin + np.asarray(seconds, np.int64).astype("timedelta64[s]")
    return pa.array(values, pa.timestamp("s"))


def _draw(rng: np.random.Generator, probs: np.ndarray | tuple[float, ...], size: int) -> np.ndarray:
    """Codes 0..k-1 with the given probabilities (inverse CDF, vectorised)."""
    cdf = np.cumsum(np.asarray(probs, float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(cdf) - 1)


def _draw_rows(rng: np.random.Generator, cdf: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Codes drawn per element from the row ``rows[i]`` of a matrix of CDFs."""
    u = rng.random(rows.shape)
    return (u[..., None] >= cdf[rows]).sum(axis=-1)


def _mean(x: np.ndarray) -> float:
    """Mean of an array; NaN (None in the truth) when empty, without a warning."""
    return float(np.mean(x)) if np.size(x) else float("nan")


def _shares(codes: np.ndarray, labels: tuple[str, ...] | list[str]) -> dict[str, float]:
    counts = np.bincount(codes, minlength=len(labels))
    return {k: float(v) for k, v in zip(labels, counts / max(counts.sum(), 1), strict=True)}


def _planted(labels: tuple[str, ...] | list[str], shares: np.ndarray | tuple) -> dict[str, float]:
    s = np.asarray(shares, float)
    return {k: float(v) for k, v in zip(labels, s / s.sum(), strict=True)}


def _jsonable(value: Any) -> Any:
    """numpy scalars to Python, non-finite floats to None, keys to str."""
    return to_jsonable(value, sep=" ")


def _iso(origin: np.datetime64, seconds: float) -> str:
    return str(origin + np.timedelta64(int(seconds), "s")).replace("T", " ")


# ============================================================================== calendar


@dataclass
class _Calendar:
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


def _calendar(start: pd.Timestamp, end_excl: pd.Timestamp) -> _Calendar:
    window_days = int((end_excl - start).days)
    horizon_days = window_days + FUTURE_DAYS
    days = pd.date_range(start, periods=horizon_days, freq="D")
    day_num = {d: i for i, d in enumerate(days)}
    mult = np.asarray(WEEKDAY_PROFILE)[days.day_of_week.to_numpy()].astype(float)
    camp_of_day = np.full(horizon_days, -1, np.int32)
    campaigns: list[dict[str, Any]] = []

    def add(name: str, kind: str, code: str, first: pd.Timestamp, last: pd.Timestamp,
            rule: dict[str, float], participation: float, lift: float,
            peak: tuple[pd.Timestamp, float] | None = None) -> None:
        span = [day_num[d] for d in pd.date_range(first, last) if d in day_num]
        if not span or (kind != "节日" and (camp_of_day[span] >= 0).any()):
            return
        camp_of_day[span] = len(campaigns)
        mult[span] *= lift
        if peak is not None and peak[0] in day_num:
            mult[day_num[peak[0]]] *= peak[1] / lift
        if "threshold" in rule:
            text = f"满{rule['threshold']:g}减{rule['off']:g}"
        else:
            text = f"{10 * (1 - rule['percent']):g}折"
        campaigns.append({
            "campaign_id": f"CP{first:%y%m%d}{code}", "type": kind, "name": name,
            "start": f"{first:%Y-%m-%d}", "end": f"{last:%Y-%m-%d}", "rule": text,
            **{k: float(v) for k, v in rule.items()}, "participation": participation,
            "intensity_multiplier": lift,
        })

    ts = pd.Timestamp
    years = range(start.year - 1, days[-1].year + 1)
    for y in years:  # festivals first: they win over member days and 满减
        add("双11", "节日", "S11", ts(y, 11, 1), ts(y, 11, 11), {"threshold": 199, "off": 30},
            0.70, 1.6, (ts(y, 11, 11), 2.8))
        add("618", "节日", "618", ts(y, 6, 1), ts(y, 6, 18), {"threshold": 199, "off": 25},
            0.65, 1.4, (ts(y, 6, 18), 2.2))
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
    order = np.argsort([c["start"] for c in campaigns], kind="stable")
    remap = np.empty(len(campaigns) + 1, np.int32)
    remap[-1] = -1
    remap[order] = np.arange(len(campaigns))
    camp_of_day = remap[camp_of_day]
    campaigns = [campaigns[i] for i in order]

    hour_w = np.repeat(mult, 24) * np.tile(np.asarray(HOUR_PROFILE), horizon_days)
    hour_w /= hour_w.mean()
    cum = np.concatenate([[0.0], np.cumsum(hour_w) / 24.0])
    return _Calendar(
        origin=np.datetime64(start.to_datetime64(), "s"), window_days=window_days,
        horizon_days=horizon_days, cum_intensity=cum, hour_weight=hour_w,
        campaign_of_day=camp_of_day, campaigns=campaigns, day_multiplier=mult,
    )


# ============================================================================== products


@dataclass
class _Products:
    category: np.ndarray  # category index per SKU
    price_fen: np.ndarray
    cost_fen: np.ndarray
    offset: np.ndarray  # first SKU of each category
    count: np.ndarray  # SKUs per category
    cum_weight: list[np.ndarray]  # popularity CDF within each category
    expected_price: np.ndarray  # popularity-weighted mean list price per category, CNY
    sku_id: pa.Array
    table: pd.DataFrame


def _psychological_price(x: np.ndarray) -> np.ndarray:
    """Prices in fen the way shops set them: 39.9, 59.9, 129, 199."""
    low = (np.floor(x) + 0.9) * 100
    high = (np.round(x / 10) * 10 - 1) * 100
    return np.where(x < 100, low, high).astype(np.int64)


def _products(rng: np.random.Generator) -> _Products:
    cats, prices, costs, names, numbers, cdfs, expected = [], [], [], [], [], [], []
    offset, count = [], []
    for i, c in enumerate(CATEGORIES):
        n = len(c.products)
        offset.append(sum(count))
        count.append(n)
        raw = np.maximum(c.price_median * rng.lognormal(0.0, c.price_sigma, n), MIN_PRICE)
        price = _psychological_price(raw)
        margin = rng.uniform(*c.margin, n)
        cost = np.rint(price * (1 - margin)).astype(np.int64)
        weight = 1.0 / (rng.permutation(n) + 1.0) ** 0.9
        weight /= weight.sum()
        cats.append(np.full(n, i))
        prices.append(price)
        costs.append(cost)
        names.extend(c.products)
        numbers.append(c.code * 1000 + 1 + np.arange(n))
        cdfs.append(np.cumsum(weight))
        expected.append(float(weight @ price) / 100)
    price_fen = np.concatenate(prices)
    cost_fen = np.concatenate(costs)
    category = np.concatenate(cats)
    sku_id = _ids("SKU", np.concatenate(numbers), 4)
    table = pa.table({
        schema.SKU_ID: sku_id,
        "name": pa.array(names, pa.string()),
        "category": _take([c.name for c in CATEGORIES], category),
        "unit_cost": pa.array(cost_fen / 100),
        "list_price": pa.array(price_fen / 100),
    }).to_pandas()
    return _Products(category, price_fen, cost_fen, np.asarray(offset), np.asarray(count),
                     cdfs, np.asarray(expected), sku_id, table)


def _pick_sku(rng: np.random.Generator, prod: _Products, category: np.ndarray) -> np.ndarray:
    """Global SKU index drawn by popularity within each element's category."""
    out = np.empty(category.shape, np.int64)
    u = rng.random(category.shape)
    for i in range(len(CATEGORIES)):
        m = category == i
        local = np.minimum(np.searchsorted(prod.cum_weight[i], u[m], side="right"),
                           prod.count[i] - 1)
        out[m] = prod.offset[i] + local
    return out


# ============================================================================= customers


@dataclass
class _Customers:
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


def _customers(
    rng: np.random.Generator, n: int, cal: _Calendar, end_year: int,
    channel_shares: np.ndarray, category_weights: np.ndarray, growth: float,
) -> _Customers:
    # first purchases: rate grows linearly over the window and follows the shop's seasons
    hours = cal.window_days * 24
    trend = 1.0 + growth * (np.arange(hours) + 0.5) / hours
    cum = np.concatenate([[0.0], np.cumsum(trend * cal.hour_weight[:hours])])
    first_h = np.sort(np.interp(rng.random(n) * cum[-1], cum, np.arange(hours + 1.0)))
    first = np.minimum(np.floor(first_h * 3600).astype(np.int64), cal.window_seconds - 1)

    channel = _draw(rng, channel_shares, n)
    invite = CHANNELS.index(INVITE_CHANNEL)
    channel[0] = np.where(channel[0] == invite, CHANNELS.index("社群"), channel[0])
    invited = channel == invite
    rank = np.arange(n)
    # inviters are earlier customers, mostly recent ones
    inviter = np.where(invited, rank - 1 - np.floor(rank * rng.random(n) ** 2).astype(np.int64), -1)
    delay = np.where(invited, rng.uniform(0, 600, n), rng.exponential(3 * SECONDS_PER_DAY, n))
    delay = np.where(delay > first, first * rng.random(n), delay)  # not before the shop opened
    registered = first - delay.astype(np.int64)

    tier = _draw(rng, TIER_SHARES, n)
    _, _, _, by_tier = _flat_cities()
    city = np.empty(n, np.int64)
    u = rng.random(n)
    for t in range(len(CITY_TIERS)):
        m = tier == t
        ids, cdf = by_tier[t]
        city[m] = ids.astype(np.int64)[np.minimum(np.searchsorted(cdf, u[m], side="right"),
                                                 ids.size - 1)]

    gender = _draw(rng, GENDER_SHARES, n)
    band = _draw(rng, [b[3] for b in AGE_BANDS], n)
    lo = np.asarray([b[1] for b in AGE_BANDS])[band]
    hi = np.asarray([b[2] for b in AGE_BANDS])[band]
    birth_year = end_year - rng.integers(lo, hi + 1)

    share = np.asarray([c.main_share for c in CATEGORIES]).T * category_weights  # gender × cat
    share /= share.sum(axis=1, keepdims=True)
    main = _draw_rows(rng, np.cumsum(share, axis=1)[:, :-1], gender)

    multiplier = rng.gamma(HETEROGENEITY_SHAPE, 1.0 / HETEROGENEITY_SHAPE, n)
    dropout = rng.beta(DROPOUT_A, DROPOUT_B, n)
    cycle = np.asarray([c.cycle_days for c in CATEGORIES])
    gap_scale = cycle[main] * multiplier / GAMMA2_MEDIAN
    planted = {
        "acquisition_channel_shares": _planted(CHANNELS, channel_shares),
        "city_tier_shares": _planted(CITY_TIERS, TIER_SHARES),
        "gender_shares": _planted(GENDERS, GENDER_SHARES),
        "age_band_shares": _planted([b[0] for b in AGE_BANDS], [b[3] for b in AGE_BANDS]),
        "main_category_shares": _planted(
            [c.name for c in CATEGORIES], np.asarray(GENDER_SHARES) @ share),
        "main_category_shares_by_gender": {
            g: _planted([c.name for c in CATEGORIES], share[i]) for i, g in enumerate(GENDERS)
        },
    }
    return _Customers(n, first, registered, channel, tier, city, gender, birth_year, band,
                      main, multiplier, dropout, inviter, gap_scale, planted, end_year, growth)


def _customer_table(rng: np.random.Generator, cust: _Customers, cal: _Calendar) -> pd.DataFrame:
    n = cust.n
    names, provinces, _, _ = _flat_cities()
    city = _take(names, cust.city)

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
    nickname = _join(
        _take(NICK_HEAD + NICK_LATIN, np.where(latin, len(NICK_HEAD) + rng.integers(
            0, len(NICK_LATIN), n), rng.integers(0, len(NICK_HEAD), n))),
        _take(NICK_TAIL, rng.integers(0, len(NICK_TAIL), n)),
    )
    district = _take(OTHER_DISTRICTS, rng.integers(0, len(OTHER_DISTRICTS), n)).to_numpy(
        zero_copy_only=False).astype(object)
    for name, pool in TIER1_DISTRICTS.items():
        m = cust.city == names.index(name)
        district[m] = np.asarray(pool, object)[rng.integers(0, len(pool), int(m.sum()))]
    number = pc.cast(pa.array(rng.integers(1, 999, n)), pa.string())
    building = pc.cast(pa.array(rng.integers(1, 30, n)), pa.string())
    unit = pc.cast(pa.array(rng.integers(1, 6, n)), pa.string())
    room = pc.cast(pa.array(rng.integers(1, 33, n) * 100 + rng.integers(1, 5, n)), pa.string())
    address = _join(
        _take(provinces, cust.city), city, "市", pa.array(district, pa.string()),
        _take(ROADS, rng.integers(0, len(ROADS), n)), number, "号", building, "栋", unit,
        "单元", room,
    )
    width = max(7, len(str(n)))
    return pa.table({
        schema.CUSTOMER_ID: _ids("C", np.arange(1, n + 1), width),
        "registered_at": _timestamps(cal.origin, cust.registered_seconds),
        "city": city,
        "city_tier": _take(CITY_TIERS, cust.tier),
        "gender": _take(GENDERS, cust.gender),
        "birth_year": pa.array(cust.birth_year.astype(np.int64)),
        "acquisition_channel": _take(CHANNELS, cust.channel),
        "inviter_id": pc.if_else(
            pa.array(cust.inviter >= 0),
            _ids("C", np.maximum(cust.inviter, 0) + 1, width),
            pa.scalar(None, pa.string()),
        ),
        "phone": phone,
        "openid": openid,
        "nickname": nickname,
        "address": address,
    }).to_pandas()


# ======================================================================= purchase process


@dataclass
class _Process:
    customer: np.ndarray  # int64 index per purchase, grouped by customer, time ascending
    seconds: np.ndarray  # calendar seconds since start (may exceed the window: the future)
    death_seconds: np.ndarray  # per customer; +inf if not dead within the horizon
    is_first: np.ndarray


def _purchase_process(rng: np.random.Generator, cust: _Customers, cal: _Calendar) -> _Process:
    op_first = cal.to_operational(cust.first_seconds)
    horizon = cal.cum_intensity[-1]
    mean_gap = GAP_SHAPE * cust.gap_scale
    cap = np.ceil(1.25 * (horizon - op_first) / mean_gap + 12).astype(np.int64)
    lifetime = rng.geometric(cust.dropout)  # purchases until the customer leaves
    k = np.minimum(lifetime, cap)
    died = lifetime <= cap
    starts = np.cumsum(k) - k
    who = np.repeat(np.arange(cust.n), k)
    gaps = rng.gamma(GAP_SHAPE, 1.0, who.size) * cust.gap_scale[who]
    gaps[starts] = 0.0
    cs = np.cumsum(gaps)
    op = np.repeat(op_first - cs[starts], k) + cs
    keep = op < horizon
    seconds = cal.to_calendar(op)
    seconds[starts] = cust.first_seconds  # exact first purchase time
    is_first = np.zeros(who.size, bool)
    is_first[starts] = True
    last = starts + k - 1
    death = np.where(died & keep[last], seconds[last], np.inf)  # time of the last purchase
    return _Process(who[keep], seconds[keep], death, is_first[keep])


# =========================================================================== experiments


@dataclass
class _ExperimentOrders:
    customer: np.ndarray
    seconds: np.ndarray
    experiment: np.ndarray  # index into EXPERIMENTS
    arm: np.ndarray
    assignments: pd.DataFrame  # experiment, customer index, arm, seconds (rows of the table)
    participants: list[dict[str, np.ndarray]]  # per experiment: customer, arm, p, multi
    dropped: list[int]


def _experiments(
    rng: np.random.Generator, cust: _Customers, proc: _Process, cal: _Calendar
) -> tuple[_Process, _ExperimentOrders]:
    window = METRIC_WINDOW_DAYS * SECONDS_PER_DAY
    base_p = 1 - np.exp(-BASE_CONVERSION_K * METRIC_WINDOW_DAYS / (GAP_SHAPE * cust.gap_scale))
    group = rng.integers(0, int(round(1 / EXPERIMENT_SHARE)), cust.n)
    win_start = np.full(cust.n, 2**62)  # no metric window
    rows, participants, dropped = [], [], []
    new_c, new_s, new_e, new_a = [], [], [], []
    for e, plan in enumerate(EXPERIMENTS):
        a0 = cal.window_seconds - plan.assign_days[0] * SECONDS_PER_DAY
        a1 = cal.window_seconds - plan.assign_days[1] * SECONDS_PER_DAY
        who = np.nonzero((group == e) & (cust.first_seconds < a0) & (proc.death_seconds >= a1))[0]
        n = who.size
        if plan.randomisation == "complete":
            cut = np.round(np.cumsum(plan.split) * n).astype(np.int64)
            arm = np.searchsorted(cut, rng.permutation(n), side="right")
        else:
            arm = _draw(rng, plan.split, n)
        p = np.minimum(base_p[who] * (1 + np.asarray(plan.conversion_lift)[arm]), MAX_CONVERSION)
        randomised = who
        n_drop = 0
        if plan.srm_drop_share > 0 and (arm == 1).any():
            # the logging loses treatment users, mostly inactive ones: biased, not random
            treat = np.nonzero(arm == 1)[0]
            n_drop = int(round(plan.srm_drop_share * treat.size))
            w = np.where(base_p[who[treat]] < np.median(base_p[who[treat]]), 3.0, 1.0)
            key = np.log(rng.random(treat.size)) / w
            lost = treat[np.argsort(-key, kind="stable")[:n_drop]]
            keep = np.ones(n, bool)
            keep[lost] = False
            who, arm, p = who[keep], arm[keep], p[keep]
            n = who.size
        dropped.append(n_drop)
        lo_op, hi_op = cal.to_operational(np.asarray([a0, a1]))
        assigned = cal.to_calendar(rng.uniform(lo_op, hi_op, n))
        win_start[who] = assigned
        # logging bug: a few customers also show up in another arm
        n_multi = max(1, int(round(MULTI_VARIANT_SHARE * n))) if n >= 50 else 0
        multi = np.zeros(n, bool)
        multi[rng.choice(n, n_multi, replace=False)] = True
        other = (arm[multi] + rng.integers(1, len(plan.arms), n_multi)) % len(plan.arms)
        later = np.minimum(assigned[multi] + rng.integers(60, 3 * SECONDS_PER_DAY, n_multi), a1)
        rows.append(pd.DataFrame({
            "experiment": e, "customer": np.concatenate([who, who[multi]]),
            "arm": np.concatenate([arm, other]),
            "seconds": np.concatenate([assigned, later]),
        }))
        participants.append({"customer": who, "arm": arm, "p": p, "multi": multi,
                             "assigned": assigned, "randomised": randomised,
                             "randomised_base_p": base_p[randomised]})
        # experiment orders replace the base orders inside the metric window
        buys = rng.random(n) < p
        n_orders = np.where(buys, 1 + rng.poisson(EXTRA_ORDERS_MEAN, n), 0)
        oc = np.repeat(np.arange(n), n_orders)
        w0 = cal.to_operational(assigned[oc])
        w1 = cal.to_operational(assigned[oc] + window)
        secs = np.clip(cal.to_calendar(rng.uniform(w0, w1)), assigned[oc],
                       assigned[oc] + window - 1)
        new_c.append(who[oc])
        new_s.append(secs)
        new_e.append(np.full(oc.size, e))
        new_a.append(arm[oc])
    ws = win_start[proc.customer]
    outside = (proc.seconds < ws) | (proc.seconds >= ws + window)
    kept = _Process(proc.customer[outside], proc.seconds[outside], proc.death_seconds,
                    proc.is_first[outside])
    exp = _ExperimentOrders(
        np.concatenate(new_c), np.concatenate(new_s), np.concatenate(new_e),
        np.concatenate(new_a), pd.concat(rows, ignore_index=True), participants, dropped)
    return kept, exp


# ================================================================================ orders


@dataclass
class _Orders:
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


def _orders(
    rng: np.random.Generator, cust: _Customers, proc: _Process, exp: _ExperimentOrders,
    prod: _Products, cal: _Calendar,
) -> tuple[_Orders, list[dict[str, Any]]]:
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
    n_lines = np.where(is_exp, 1, 1 + _draw(rng, ITEMS_PER_ORDER_PROBS, n))
    active = np.arange(3) < n_lines[:, None]
    main = cust.main_category[customer]
    cat = np.repeat(main[:, None], 3, axis=1)
    cross = (rng.random((n, 3)) < CROSS_SELL_PROB) & active
    cross[:, 0] = False
    cat_share = np.asarray([np.mean(c.main_share) for c in CATEGORIES])
    cat[cross] = _draw(rng, cat_share, int(cross.sum()))
    sku = _pick_sku(rng, prod, cat)
    local = sku - prod.offset[cat]
    for j in (1, 2):  # no SKU twice in one order: step to the next SKU of the category
        for _ in range(2):
            clash = (sku[:, j] == sku[:, 0]) | ((j == 2) & (sku[:, j] == sku[:, 1]))
            local[:, j] = np.where(clash, (local[:, j] + 1) % prod.count[cat[:, j]], local[:, j])
            sku[:, j] = prod.offset[cat[:, j]] + local[:, j]
    qcdf = np.cumsum([c.quantity_probs for c in CATEGORIES], axis=1)[:, :-1]
    qty = 1 + _draw_rows(rng, qcdf, cat)
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
    channel = np.where(own, cust.channel[customer], _draw(rng, ORDER_CHANNEL_MIX, n))
    invited = cust.channel[customer] == CHANNELS.index(INVITE_CHANNEL)
    channel = np.where(is_first & invited, CHANNELS.index(INVITE_CHANNEL), channel)
    refund_p = np.asarray([REFUND_RATE.get(c, REFUND_RATE_DEFAULT) for c in CHANNELS])[channel]
    u = rng.random(n)
    status = np.where(u < refund_p, 1, np.where(u < refund_p + CANCEL_RATE, 2, 0))
    status = np.where(is_exp, 0, status)

    orders = _Orders(customer, seconds, experiment, arm, gross, discount, campaign, channel,
                     status, line_start, line_count, line_sku, line_qty)
    return orders, coupon_campaigns


def _tables(
    orders: _Orders, prod: _Products, cal: _Calendar, campaign_ids: list[str], n_customers: int
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Orders and order_items inside the window, sorted by time; returns the order
    position (in the internal order arrays) of every output row."""
    inside = np.nonzero(orders.seconds < cal.window_seconds)[0]
    pos = inside[np.argsort(orders.seconds[inside], kind="stable")]
    n = pos.size
    order_id = _ids("O", np.arange(1, n + 1), max(9, len(str(n))))
    width = max(7, len(str(n_customers)))
    table = pa.table({
        schema.ORDER_ID: order_id,
        schema.CUSTOMER_ID: _ids("C", orders.customer[pos] + 1, width),
        schema.ORDERED_AT: _timestamps(cal.origin, orders.seconds[pos]),
        schema.AMOUNT: pa.array((orders.gross_fen[pos] - orders.discount_fen[pos]) / 100),
        schema.STATUS: _take(schema.STATUS_VALUES, orders.status[pos]),
        schema.CHANNEL: _take(CHANNELS, orders.channel[pos]),
        schema.CAMPAIGN_ID: _take(campaign_ids, orders.campaign[pos]),
        schema.DISCOUNT: pa.array(orders.discount_fen[pos] / 100),
    }).to_pandas()
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


# ================================================================================ events


def _events(
    rng: np.random.Generator, cust: _Customers, orders: _Orders, pos: np.ndarray,
    prod: _Products, cal: _Calendar,
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
        s_sku = _pick_sku(rng, prod, cust.main_category[c[who]])
        step = s0
        for stage in range(depth + 1):
            cols_c.append(c[who])
            cols_t.append(step)
            cols_e.append(np.full(who.size, stage))
            cols_s.append(s_sku)
            step = step + 3 + rng.exponential(90, who.size).astype(np.int64)
    ec, et, ee, es = (np.concatenate(x) for x in (cols_c, cols_t, cols_e, cols_s))
    keep = (et >= period0) & (et < cal.window_seconds)
    order = np.lexsort((ee[keep], et[keep]))
    ec, et, ee, es = (x[keep][order] for x in (ec, et, ee, es))
    width = max(7, len(str(cust.n)))
    table = pa.table({
        schema.CUSTOMER_ID: _ids("C", ec + 1, width),
        "ts": _timestamps(cal.origin, et),
        "event": _take(schema.EVENT_VALUES, ee),
        schema.SKU_ID: pc.take(prod.sku_id, pa.array(es)),
    }).to_pandas()
    counts = np.bincount(ee, minlength=4)
    period_orders = int((orders.seconds[pos] >= period0).sum())
    truth = {
        "period_start": _iso(cal.origin, period0),
        "period_end_exclusive": _iso(cal.origin, cal.window_seconds),
        "tracked_customer_share": TRACKED_SHARE,
        "tracked_customers": int(tracked.sum()),
        "funnel_rates_planted": dict(FUNNEL_RATES),
        "stage_counts": {k: int(v) for k, v in zip(schema.EVENT_VALUES, counts, strict=True)},
        "funnel_rates_realised": {
            "view_to_cart": float(counts[1] / max(counts[0], 1)),
            "cart_to_checkout": float(counts[2] / max(counts[1], 1)),
            "checkout_to_pay": float(counts[3] / max(counts[2], 1)),
        },
        "orders_in_period": period_orders,
        "rows_per_order_in_period": float(len(table) / max(period_orders, 1)),
        "note": "pay events are the paid/refunded orders of tracked customers; "
                "cancelled orders reach checkout only",
    }
    return table, truth


# ================================================================================= truth


def _oracle(orders: _Orders, prod: _Products, cal: _Calendar, mask: np.ndarray) -> list[dict]:
    """Per category: days from each in-window purchase to the same customer's next purchase
    of that category, using the uncensored future (inf if never)."""
    n = orders.customer.size
    line_order = np.repeat(np.arange(n), orders.line_count)
    has = np.zeros((n, len(CATEGORIES)), bool)
    has[line_order, prod.category[orders.line_sku]] = True
    out = []
    for i in range(len(CATEGORIES)):
        idx = np.nonzero(has[:, i] & mask)[0]  # already grouped by customer, time ascending
        c, t = orders.customer[idx], orders.seconds[idx].astype(float)
        gap = np.full(idx.size, np.inf)
        same = c[1:] == c[:-1]
        gap[:-1][same] = (t[1:][same] - t[:-1][same]) / SECONDS_PER_DAY
        inwin = t < cal.window_seconds
        g = gap[inwin]
        out.append({
            "purchases": int(g.size),
            "median_days": float(np.median(g)) if g.size else float("nan"),
            "share_within_7_days": float(np.mean(g <= 7)) if g.size else float("nan"),
            "share_within_30_days": float(np.mean(g <= 30)) if g.size else float("nan"),
            "share_within_90_days": float(np.mean(g <= 90)) if g.size else float("nan"),
            "share_never": float(np.mean(~np.isfinite(g))) if g.size else float("nan"),
        })
    return out


def _lifts(by_arm: dict[str, dict[str, float]], arms: tuple[str, ...]) -> dict[str, Any]:
    """Relative lift of each arm over the first (control) arm."""
    base = by_arm[arms[0]]
    return {
        name: {key: by_arm[name][key] / base[key] - 1 if base[key] > 0 else None
               for key in ("conversion", "revenue_per_user")}
        for name in arms[1:]
    }


def _per_order(
    plan: ExperimentPlan, prod: _Products, cust: _Customers, who: np.ndarray,
    arm: np.ndarray | int,
) -> np.ndarray:
    """Expected amount of one experiment order, CNY: mean list price of the customer's main
    category times the expected quantity, less the coupon."""
    unit = prod.expected_price[cust.main_category[who]]
    return unit * (1 + np.asarray(plan.extra_quantity)[arm]) - np.asarray(plan.coupon)[arm]


def _experiment_truth(
    exp: _ExperimentOrders, orders: _Orders, cust: _Customers, prod: _Products,
    cal: _Calendar, assignments: pd.DataFrame,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    net = orders.gross_fen - orders.discount_fen
    for e, plan in enumerate(EXPERIMENTS):
        part = exp.participants[e]
        m = orders.experiment == e
        n_cust = cust.n
        n_orders = np.bincount(orders.customer[m], minlength=n_cust)
        revenue = np.bincount(orders.customer[m], weights=net[m], minlength=n_cust) / 100
        clean = ~part["multi"]
        who, arm, p = part["customer"][clean], part["arm"][clean], part["p"][clean]
        lift = np.asarray(plan.conversion_lift)
        pop, pop_p = part["randomised"], part["randomised_base_p"]
        exp_rpu = p * (1 + EXTRA_ORDERS_MEAN) * _per_order(plan, prod, cust, who, arm)
        expected, in_arm, realised = {}, {}, {}
        for a, name in enumerate(plan.arms):
            s = arm == a
            conv = np.minimum(pop_p * (1 + lift[a]), MAX_CONVERSION)
            expected[name] = {
                "conversion": _mean(conv),
                "orders_per_user": _mean(conv) * (1 + EXTRA_ORDERS_MEAN),
                "revenue_per_user": _mean(
                    conv * (1 + EXTRA_ORDERS_MEAN) * _per_order(plan, prod, cust, pop, a)),
            }
            in_arm[name] = {
                "conversion": _mean(p[s]),
                "orders_per_user": _mean(p[s]) * (1 + EXTRA_ORDERS_MEAN),
                "revenue_per_user": _mean(exp_rpu[s]),
            }
            realised[name] = {
                "users": int(s.sum()),
                "conversion": _mean(n_orders[who[s]] > 0),
                "orders_per_user": _mean(n_orders[who[s]]),
                "revenue_per_user": _mean(revenue[who[s]]),
            }

        rows = assignments[assignments["experiment_id"] == plan.experiment_id]
        counts = rows["variant"].value_counts()
        a0 = cal.window_seconds - plan.assign_days[0] * SECONDS_PER_DAY
        a1 = cal.window_seconds - plan.assign_days[1] * SECONDS_PER_DAY
        out[plan.experiment_id] = {
            "description": plan.description,
            "variants": list(plan.arms),
            "planned_split": dict(zip(plan.arms, map(float, plan.split), strict=True)),
            "randomisation": plan.randomisation,
            "assign_start": _iso(cal.origin, a0),
            "assign_end": _iso(cal.origin, a1),
            "window_days": METRIC_WINDOW_DAYS,
            "metric_window": "[assigned_at, assigned_at + window_days) of the first assignment",
            "conversion_definition": "at least one order in the metric window "
                                     "(experiment orders are all paid)",
            "revenue_definition": "sum of orders.amount in the metric window per assigned "
                                  "user, CNY",
            "planted": {
                "conversion_lift": dict(zip(plan.arms, map(float, plan.conversion_lift),
                                            strict=True)),
                "extra_quantity_mean": dict(zip(plan.arms, map(float, plan.extra_quantity),
                                                strict=True)),
                "coupon_cny": dict(zip(plan.arms, map(float, plan.coupon), strict=True)),
                "orders_per_converter_mean": 1 + EXTRA_ORDERS_MEAN,
                "base_conversion": f"1 - exp(-{BASE_CONVERSION_K} * {METRIC_WINDOW_DAYS} / "
                                   "mean purchase gap in operational days)",
                "max_conversion": MAX_CONVERSION,
            },
            "realised_counts": {name: int(counts.get(name, 0)) for name in plan.arms},
            "realised_split": {name: float(counts.get(name, 0) / max(len(rows), 1))
                               for name in plan.arms},
            "customers_in_multiple_variants": int(part["multi"].sum()),
            "expected_note": "expected: every randomised user (before any logging loss) "
                             "given that arm, from the planted parameters, so its lifts are "
                             "the causal truth; expected_in_arm: the same over the users "
                             "logged in the arm; realised: the data. The last two count "
                             "users in exactly one variant.",
            "randomised_users": int(pop.size),
            "expected": expected,
            "expected_in_arm": in_arm,
            "realised": realised,
            "relative_lift_expected": _lifts(expected, plan.arms),
            "relative_lift_expected_in_arm": _lifts(in_arm, plan.arms),
            "relative_lift_realised": _lifts(realised, plan.arms),
            "is_null": bool(all(v == 0 for v in plan.conversion_lift)
                            and len(set(plan.extra_quantity)) == 1 and len(set(plan.coupon)) == 1),
            "has_srm": plan.srm_drop_share > 0,
            "srm": {
                "dropped_treatment_users": int(exp.dropped[e]),
                "drop_share": float(plan.srm_drop_share),
                "rule": "treatment users lost by logging, 3x as likely below the median "
                        "base conversion",
            } if plan.srm_drop_share > 0 else None,
        }
    return out


def _experiment_table(exp: _ExperimentOrders, cal: _Calendar, n_customers: int) -> pd.DataFrame:
    """experiment_id, customer_id, variant, assigned_at; sorted by assigned_at."""
    variants = sorted({a for p in EXPERIMENTS for a in p.arms})
    code = np.full((len(EXPERIMENTS), max(len(p.arms) for p in EXPERIMENTS)), -1)
    for e, plan in enumerate(EXPERIMENTS):
        code[e, : len(plan.arms)] = [variants.index(a) for a in plan.arms]
    rows = exp.assignments.sort_values(["seconds", "experiment", "customer"], kind="stable")
    e, arm = rows["experiment"].to_numpy(), rows["arm"].to_numpy()
    return pa.table({
        "experiment_id": _take([p.experiment_id for p in EXPERIMENTS], e),
        schema.CUSTOMER_ID: _ids("C", rows["customer"].to_numpy() + 1,
                                 max(7, len(str(n_customers)))),
        "variant": _take(variants, code[e, arm]),
        "assigned_at": _timestamps(cal.origin, rows["seconds"].to_numpy()),
    }).to_pandas()


# =================================================================================== API


def generate_store(
    customers: int,
    seed: int,
    *,
    store_id: str = "demo",
    start: str = "2024-11-01",
    end: str = "2026-10-31",
    channel_shares: Mapping[str, float] | None = None,
    category_weights: Mapping[str, float] | None = None,
    acquisition_growth: float = ACQUISITION_GROWTH,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Return ``({table_name: DataFrame}, truth)`` for one synthetic store.

    Parameters
    ----------
    customers : number of customers (all buy at least once in the window).
    seed : seed of the numpy PCG64 generator; the same seed gives identical tables.
    store_id : recorded in the truth.
    start, end : first and last day of the window, ``YYYY-MM-DD`` (at least 120 days).
    channel_shares : acquisition channel shares by name (missing channels get 0).
    category_weights : multipliers on the chance of each main category, by name.
    acquisition_growth : the first-purchase rate at ``end`` is ``1 + growth`` times the
        rate at ``start``.

    Returns
    -------
    tables : ``orders``, ``order_items``, ``products``, ``customers``, ``experiments``,
        ``events`` with the columns of :data:`wxshop.data.schema.TABLES` (customers also carry
        ``phone``, ``openid``, ``nickname``, ``address``). Money in CNY, timestamps
        ``datetime64[s]``, ids as text.
    truth : JSON-serialisable dict of every planted and oracle figure; the per-customer
        truth is in ``truth["_customers"]`` (a DataFrame, written beside truth.json by
        :func:`write_store`).
    """
    if customers < 10:
        raise ValueError(f"customers must be at least 10, got {customers}")
    t_start = pd.Timestamp(start).normalize()
    end_excl = pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    if (end_excl - t_start).days < 120:
        raise ValueError(f"the window {start} … {end} is shorter than 120 days")
    shares = np.asarray(CHANNEL_SHARES, float)
    if channel_shares is not None:
        unknown = set(channel_shares) - set(CHANNELS)
        if unknown:
            raise ValueError(f"unknown channels {sorted(unknown)}; known: {CHANNELS}")
        shares = np.asarray([float(channel_shares.get(c, 0.0)) for c in CHANNELS])
    cat_w = np.ones(len(CATEGORIES))
    if category_weights is not None:
        names = [c.name for c in CATEGORIES]
        unknown = set(category_weights) - set(names)
        if unknown:
            raise ValueError(f"unknown categories {sorted(unknown)}; known: {names}")
        cat_w = np.asarray([float(category_weights.get(c, 1.0)) for c in names])

    # one stream per part, so changing one part leaves the others' draws alone
    streams = [np.random.Generator(np.random.PCG64(s))
               for s in np.random.SeedSequence(seed).spawn(7)]
    cal = _calendar(t_start, end_excl)
    prod = _products(streams[0])
    cust = _customers(streams[1], customers, cal, pd.Timestamp(end).year,
                      shares, cat_w, acquisition_growth)
    proc = _purchase_process(streams[2], cust, cal)
    proc, exp = _experiments(streams[3], cust, proc, cal)
    orders, coupon_campaigns = _orders(streams[4], cust, proc, exp, prod, cal)
    campaign_ids = [c["campaign_id"] for c in cal.campaigns + coupon_campaigns]
    order_table, items, pos = _tables(orders, prod, cal, campaign_ids, customers)
    customer_table = _customer_table(streams[5], cust, cal)
    events, events_truth = _events(streams[6], cust, orders, pos, prod, cal)

    tables = {
        "orders": order_table,
        "order_items": items,
        "products": prod.table,
        "customers": customer_table,
        "experiments": _experiment_table(exp, cal, customers),
        "events": events,
    }
    truth = _truth(store_id, seed, customers, t_start, end_excl, cal, cust, proc, exp, orders,
                   pos, prod, tables, coupon_campaigns, events_truth)
    return tables, truth


def _truth(
    store_id: str, seed: int, n: int, start: pd.Timestamp, end_excl: pd.Timestamp,
    cal: _Calendar, cust: _Customers, proc: _Process, exp: _ExperimentOrders, orders: _Orders,
    pos: np.ndarray, prod: _Products, tables: dict[str, pd.DataFrame],
    coupon_campaigns: list[dict[str, Any]], events_truth: dict[str, Any],
) -> dict[str, Any]:
    win = orders.seconds < cal.window_seconds
    paid = orders.status == 0
    st = orders.status[win]
    net = orders.gross_fen - orders.discount_fen
    cat_names = [c.name for c in CATEGORIES]

    # margins: GMV-weighted over order lines in the window
    line_order = np.repeat(np.arange(orders.customer.size), orders.line_count)
    line_cat = prod.category[orders.line_sku]
    value = orders.line_qty * prod.price_fen[orders.line_sku]
    cost = orders.line_qty * prod.cost_fen[orders.line_sku]
    sku_margin = 1 - prod.cost_fen / prod.price_fen

    def weighted_margin(mask: np.ndarray) -> np.ndarray:
        v = np.bincount(line_cat[mask], weights=value[mask], minlength=len(CATEGORIES))
        c = np.bincount(line_cat[mask], weights=cost[mask], minlength=len(CATEGORIES))
        return 1 - c / np.where(v > 0, v, np.nan)

    lw = win[line_order]
    m_all = weighted_margin(lw)
    m_paid = weighted_margin(lw & paid[line_order])
    oracle_paid = _oracle(orders, prod, cal, paid)
    oracle_any = _oracle(orders, prod, cal, np.ones(orders.customer.size, bool))
    categories = {}
    for i, c in enumerate(CATEGORIES):
        s = prod.category == i
        categories[c.name] = {
            "cycle_days_planted": c.cycle_days,
            "cycle_note": "median gap in operational days for a heterogeneity multiplier of 1",
            "margin_range_planted": list(c.margin),
            "sku_count": int(s.sum()),
            "mean_sku_margin": float(sku_margin[s].mean()),
            "gmv_weighted_margin_all": float(m_all[i]),
            "gmv_weighted_margin_paid": float(m_paid[i]),
            "expected_list_price": float(prod.expected_price[i]),
            "oracle_repurchase": oracle_paid[i],
            "oracle_repurchase_all_statuses": oracle_any[i],
        }

    alive = proc.death_seconds >= cal.window_seconds
    n_win = np.bincount(orders.customer[win], minlength=n)
    first_day, last_day = f"{start:%Y-%m-%d}", f"{end_excl - pd.Timedelta(days=1):%Y-%m-%d}"
    campaigns = []
    camp_w = orders.campaign[win]
    disc_w = orders.discount_fen[win]
    for k, c in enumerate(cal.campaigns + coupon_campaigns):
        if "start" in c and (c["start"] > last_day or c["end"] < first_day):
            continue
        m = camp_w == k
        campaigns.append({**c, "orders": int(m.sum()),
                          "discount_total": float(disc_w[m].sum() / 100)})

    cust_tbl = pd.DataFrame({
        schema.CUSTOMER_ID: tables["customers"][schema.CUSTOMER_ID],
        "main_category": pd.Series(np.asarray(cat_names, object)[cust.main_category], dtype="str"),
        "alive": alive,
        "heterogeneity_multiplier": cust.multiplier,
        "p_dropout": cust.dropout,
        "gap_median_days": cust.gap_scale * GAMMA2_MEDIAN,
        "orders_in_window": n_win,
        "died_at": pd.Series(cal.origin + np.where(
            np.isfinite(proc.death_seconds) & ~alive, proc.death_seconds, 0
        ).astype("timedelta64[s]")).where(~alive),
    })

    daily = np.bincount(orders.seconds[win] // SECONDS_PER_DAY, minlength=cal.window_days)
    days = pd.date_range(start, periods=cal.window_days, freq="D")
    in_11 = (days.month == 11) & (days.day <= 11)
    in_618 = (days.month == 6) & (days.day <= 18)
    refund_planted = {c: REFUND_RATE.get(c, REFUND_RATE_DEFAULT) for c in CHANNELS}
    ord_ch = orders.channel[win]
    base_w = orders.experiment[win] < 0
    truth: dict[str, Any] = {
        "store_id": store_id,
        "seed": seed,
        "generator": "wxshop.demo",
        "window": {
            "start": f"{start:%Y-%m-%d %H:%M:%S}",
            "end": f"{end_excl - pd.Timedelta(days=1):%Y-%m-%d}",
            "end_exclusive": f"{end_excl:%Y-%m-%d %H:%M:%S}",
            "days": cal.window_days,
            "future_days_simulated": FUTURE_DAYS,
            "timezone": "Asia/Shanghai wall clock, naive timestamps, second resolution",
        },
        "sizes": {k: len(v) for k, v in tables.items()},
        "customers": {
            "planted": cust.planted,
            "realised": {
                "acquisition_channel_shares": _shares(cust.channel, CHANNELS),
                "city_tier_shares": _shares(cust.tier, CITY_TIERS),
                "gender_shares": _shares(cust.gender, GENDERS),
                "age_band_shares": _shares(cust.age_band, [b[0] for b in AGE_BANDS]),
                "main_category_shares": _shares(cust.main_category, cat_names),
            },
            "tier_2_3": ["新一线", "二线", "三线"],
            "age_reference_year": cust.reference_year,
            "age_note": "age = age_reference_year - birth_year",
            "acquisition_growth": cust.growth,
            "acquisition_note": "first-purchase rate grows linearly to 1 + growth times the "
                                "start rate, times the shop's seasonal intensity",
            "invited_channel": INVITE_CHANNEL,
            "invited_with_inviter": int((cust.inviter >= 0).sum()),
            "personal_columns": ["phone", "openid", "nickname", "address"],
        },
        "purchase_process": {
            "gap_distribution": "gamma",
            "gap_shape": GAP_SHAPE,
            "gap_median": "cycle_days_planted[main category] * heterogeneity multiplier, "
                          "operational days",
            "heterogeneity": {"distribution": "gamma", "shape": HETEROGENEITY_SHAPE,
                              "scale": 1 / HETEROGENEITY_SHAPE, "mean": 1.0},
            "dropout": {"distribution": "beta", "a": DROPOUT_A, "b": DROPOUT_B,
                        "mean": DROPOUT_A / (DROPOUT_A + DROPOUT_B),
                        "meaning": "chance of leaving for good after each purchase"},
            "alive_share_at_end": float(alive.mean()),
            "orders_per_customer_in_window": float(n_win.mean()),
            "items_per_order_probs": list(ITEMS_PER_ORDER_PROBS),
            "cross_sell_line_prob": CROSS_SELL_PROB,
        },
        "orders": {
            "own_channel_prob": OWN_CHANNEL_PROB,
            "other_channel_mix": _planted(CHANNELS, ORDER_CHANNEL_MIX),
            "channel_shares_realised": _shares(ord_ch, CHANNELS),
            "refund_rate_planted_by_channel": refund_planted,
            "refund_rate_realised_by_channel": {
                c: float((st[base_w & (ord_ch == i)] == 1).mean())
                if (base_w & (ord_ch == i)).any() else None for i, c in enumerate(CHANNELS)},
            "cancel_rate_planted": CANCEL_RATE,
            "refund_rate_realised": float((st == 1).mean()),
            "cancel_rate_realised": float((st == 2).mean()),
            "status_note": "experiment-window orders are all paid; realised rates are over "
                           "all orders in the window",
            "aov_realised": float(net[win].mean() / 100),
            "aov_paid_realised": float(net[win & paid].mean() / 100),
            "gmv_paid": float(net[win & paid].sum() / 100),
            "discount_share_of_orders": float((orders.discount_fen[win] > 0).mean()),
        },
        "categories": categories,
        "sku_margins": dict(zip(tables["products"][schema.SKU_ID].tolist(),
                                map(float, sku_margin), strict=True)),
        "seasonality": {
            "hour_profile": list(HOUR_PROFILE),
            "weekday_profile_mon_to_sun": list(WEEKDAY_PROFILE),
            "spring_festival_dates": {str(k): v for k, v in SPRING_FESTIVAL.items()},
            "spring_festival_effect": "x0.85 from 7 to 2 days before, x0.5 from the eve to "
                                      "day 6 (couriers stop)",
            "median_daily_orders": float(np.median(daily)),
            "double11_mean_daily_orders": float(daily[in_11].mean()) if in_11.any() else None,
            "m618_mean_daily_orders": float(daily[in_618].mean()) if in_618.any() else None,
        },
        "campaigns": campaigns,
        "experiments": _experiment_truth(exp, orders, cust, prod, cal, tables["experiments"]),
        "events": events_truth,
        "_customers": cust_tbl,
    }
    return truth


TRUTH_FILE = "truth.json"
TRUTH_CUSTOMERS_FILE = "truth_customers.parquet"


def truth_for_json(truth: Mapping[str, Any]) -> dict[str, Any]:
    """The truth without its table parts (keys starting with ``_``), ready for json.dump."""
    return _jsonable({k: v for k, v in truth.items() if not str(k).startswith("_")})


def write_store(
    tables: Mapping[str, pd.DataFrame],
    truth: Mapping[str, Any],
    out_dir: Path,
    fmt: Format = "parquet",
) -> Path:
    """Write one store: ``<table>.<fmt>``, ``truth.json`` and ``truth_customers.parquet``.

    CSV files are UTF-8 with BOM (Excel opens them with the Chinese intact), timestamps as
    ``YYYY-MM-DD HH:MM:SS``, missing values empty. Returns ``out_dir``.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        path = out_dir / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(path, index=False)
        else:
            df.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d %H:%M:%S")
    text = json.dumps(truth_for_json(truth), ensure_ascii=False, indent=2, allow_nan=False)
    (out_dir / TRUTH_FILE).write_text(text + "\n", encoding="utf-8")
    customers = truth.get("_customers")
    if isinstance(customers, pd.DataFrame):
        customers.to_parquet(out_dir / TRUTH_CUSTOMERS_FILE, index=False)
    return out_dir


# Store profiles for write_demo_stores: channel and category tilts on the defaults.
DEMO_PROFILES: tuple[dict[str, Any], ...] = (
    {"channels": {"社群": 1.5, "拼团邀请": 1.3}, "categories": {"食品饮料": 1.5}},
    {"channels": {"视频号直播": 2.0, "朋友圈": 1.2}, "categories": {"美妆护肤": 1.8}},
    {"channels": {"公众号": 1.6, "小程序": 1.4}, "categories": {"母婴用品": 1.8, "数码配件": 1.3}},
)


def write_demo_stores(
    out: Path,
    stores: int = 3,
    customers: int = 20_000,
    seed: int = 0,
    fmt: Format = "parquet",
    names: list[str] | None = None,
) -> list[Path]:
    """Write ``out/demo_01``, ``out/demo_02``, … (tables, truth.json, truth_customers).

    ``names`` replaces the folder names (and store ids); its length sets the number of stores.

    Stores differ: each has its own seed (derived from ``seed`` and the store number), a
    size within ±30 % of ``customers``, a channel and category profile from
    :data:`DEMO_PROFILES` and a randomly perturbed channel mix. Returns the folders.
    """
    out = Path(out)
    paths = []
    if names:
        stores = len(names)
    for k in range(1, stores + 1):
        ss = np.random.SeedSequence([seed, k])
        store_seed = int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))
        rng = np.random.Generator(np.random.PCG64(ss.spawn(1)[0]))
        profile = DEMO_PROFILES[(k - 1) % len(DEMO_PROFILES)]
        tilt = np.asarray([profile["channels"].get(c, 1.0) for c in CHANNELS])
        shares = rng.dirichlet(200 * np.asarray(CHANNEL_SHARES) * tilt)
        size = max(10, int(round(customers * rng.uniform(0.7, 1.3))))
        store_id = names[k - 1] if names else f"demo_{k:02d}"
        tables, truth = generate_store(
            size, store_seed, store_id=store_id,
            channel_shares=dict(zip(CHANNELS, map(float, shares), strict=True)),
            category_weights=profile["categories"],
            acquisition_growth=float(rng.uniform(1.0, 3.0)),
        )
        paths.append(write_store(tables, truth, out / store_id, fmt))
    return paths
