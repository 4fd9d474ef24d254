"""The planted parameters of the demo stores: channels, cities, categories, the purchase
process, refunds and seasons, the experiments, the tracked events, the private domain (企业微信,
社群, SOP touches, content) and the store profiles.

Every figure the generator draws from is here, so the truth can quote it; the modules that
draw read them by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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

# What running a campaign costs besides its discounts (design, ads, staff), in CNY per customer
# of the store, and the share of the store's customers it reaches (the campaigns table).
CAMPAIGN_FIXED_COST = {"节日": 0.20, "会员日": 0.05, "满减": 0.03}
CAMPAIGN_REACH = {"节日": 0.60, "会员日": 0.25, "满减": 0.35}
# After 双11 and 618 buyers who stocked up buy less: the 7 days after (campaign days excepted) run
# at 80% of their intensity. The truth gives each campaign's orders over the AFTER_DAYS after it
# ÷ those days' orders without any pull-forward (the growth report looks 14 days ahead).
PULL_FORWARD_DAYS = 7
PULL_FORWARD_FACTOR = 0.80
AFTER_DAYS = 14
# 凑单: on a 满X day, a basket within 10% below X is topped up to reach it (more of its first
# item) with this chance; the growth report's bunching ratio should show it.
TOP_UP_BAND = 0.10
TOP_UP_PROB = 0.50

# 拼团: groups opened per customer over the window, the size a group needs and how often a group
# of that size fills within GROUP_BUY_HOURS (the rest fail with fewer members).
GROUP_BUYS_PER_CUSTOMER = 0.25
GROUP_BUY_SIZES = {2: 0.50, 3: 0.35, 5: 0.15}
GROUP_BUY_COMPLETION = {2: 0.80, 3: 0.60, 5: 0.35}
GROUP_BUY_HOURS = 24
GROUP_BUY_FILL_HOURS = 5.0  # mean hours a completed group takes to fill

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
# New users' visits (every customer registered in the events window is logged): a visit at
# registration, then on day n after it with chance RETENTION_D1 × n^-RETENTION_DECAY (so 12% come
# back the next day, 6% on day 7, 3.6% on day 30), times the acquisition channel's factor.
RETENTION_D1 = 0.12
RETENTION_DECAY = 0.3562  # ln(0.12 / 0.06) / ln 7: day 7 is half of day 1
RETENTION_DAYS = 30  # visits are drawn for days 1..30 after registration
RETENTION_CHANNEL = {"拼团邀请": 1.35, "社群": 1.15, "视频号直播": 0.80}  # others 1.0
# 小程序 scene of a visit (场景值) and its share: chat, group chat, app share card, pull-down, search
VISIT_SCENES = {"1007": 0.30, "1008": 0.25, "1036": 0.10, "1089": 0.25, "1005": 0.10}

# ----------------------------------------------------------------------- private domain
# 企业微信 contacts and staff, 社群, SOP touches and content over the last PD_DAYS days of the
# window (wxshop.demo.private_domain). Rates are shares 0–1, times in days unless named.
PD_DAYS = 365
STAFF_PER_CUSTOMERS = 2500  # staff = clamp(round(customers / 2500), 3, 12)
STAFF_RANGE = (3, 12)
STAFF_PROFILES = ("real", "logo")  # profile photo: a real person or the shop's logo
PASS_PROB = {"real": 0.68, "logo": 0.46}  # a friend request the staff member sends is passed
REQUEST_RATE_RANGE = (3.0, 12.0)  # requests sent per staff member per day ~ Poisson(U(3, 12))
CHAT_RATE_RANGE = (8.0, 25.0)  # chats per staff member per day ~ Poisson(U(8, 25))
MESSAGES_PER_CHAT = 4.0  # messages = chats + Poisson(3 × chats)
REPLY_SHARE_RANGE = (0.60, 0.95)  # per staff member: mean share of chats replied to
REPLY_MINUTES_RANGE = (5.0, 30.0)  # per staff member: mean first-reply minutes, Gamma(shape 2)
FRIEND_ADD_RANGE = (0.30, 0.45)  # p_add: a new buyer becomes a contact
ADD_AFTER_SHARE = 0.75  # added after the first order (the package card's QR code) …
ADD_AFTER_MEAN_DAYS = 1.5
ADD_BEFORE_MEAN_DAYS = 10.0  # … else before it
ADD_SOURCES_AFTER = {"扫描二维码": 0.80, "名片分享": 0.10, "群聊": 0.10}
ADD_SOURCES_BEFORE = {"搜索手机号": 0.50, "视频号添加": 0.50}
ADD_SOURCES_OTHER = {"扫描二维码": 0.40, "名片分享": 0.30, "群聊": 0.30}  # older buyers
ADD_SOURCES_PROSPECT = {"搜索手机号": 0.30, "视频号添加": 0.30, "群聊": 0.25, "名片分享": 0.15}
OLD_BUYER_ADD_PROB = 0.15  # a buyer whose first order is before the window, at a uniform time
PROSPECT_SHARE = 0.30  # prospects (never buy) = 30% of the buyer contacts
UNTAGGED_SHARE = 0.15  # buyer contacts without a tag; else 新客 (one paid order) / 复购
DELETE_PROB = 0.08  # the customer deletes the staff member …
DELETE_MEAN_DAYS = 40.0  # … Exponential(mean 40 days) after adding

GROUPS_PER_CUSTOMERS = 800  # groups = clamp(customers // 800, 4, 40)
GROUP_RANGE = (4, 40)
GROUP_TYPES = ("综合福利群", "垂直兴趣群", "VIP会员群")
GROUP_LEAVE_RATE = (0.023, 0.012, 0.006)  # μ per member-day: a stay is Exponential(rate μ)
GROUP_REPLENISH = (0.20, 0.17, 0.15)  # r per month: joins per day ~ Poisson(r / 30 × members)
GROUP_MESSAGES = (35.0, 52.0, 28.0)  # messages per group-day ~ Poisson
GROUP_ACTIVE_SHARE = 0.08  # members who post on a day ~ Binomial(members, 0.08), ≤ messages
GROUP_SIZE_RANGE = (200, 480)  # members at creation
GROUP_CREATED_DAYS = (-60, 200)  # created between pd_start − 60 and pd_start + 200 days
GROUP_CONTACT_SHARE = 0.80  # a member is one of the buyer contacts, else an outsider
JOIN_SCENES = {"扫码入群": 0.60, "邀请入群": 0.40}

SILENT_DAYS = 60  # silent stage: 60 days without a paid order
STAGE_WINDOW_DAYS = {"new": 3, "active": 7, "silent": 14}  # an observational 1v1 touch within these days
OUTCOME_DAYS = 30  # the SOP's outcome window after entry
ADD_GRACE_DAYS = 3  # a contact added up to 3 days after the entry can be touched
HOLDOUT_ENROL_SHARE = 0.40  # silent entries enrolled in experiment sop_holdout …
HOLDOUT_SHARE = 0.20  # … of which the holdout arm (no 1v1 touch for OUTCOME_DAYS)
SOP_TOUCH_DAYS = 3  # the sop arm's touch: assigned_at + U(0, 3) days
HOLDOUT_EXPERIMENT = "sop_holdout"
TOUCH_CONFOUNDING = 1.0  # observational touch: p = logistic(a + 1.0 z), mean p = 0.5
TOUCH_MEAN_PROB = 0.5
TOUCH_EFFECT = 0.06  # δ: a 1v1 SOP touch makes an extra paid order with this chance …
EXTRA_ORDER_DAYS = 10  # … at the touch + U(0, 10) days
EXTRA_ORDER_CHANNEL = "企业微信"
SESSION_OPEN_RANGE = (0.45, 0.65)  # a 1v1 message is opened (store level)
REPLY_GIVEN_OPEN = 0.30  # an opened 1v1 message is replied to
MASS_DAYS = (1, 16)  # 群发 to every contact on these days of each month, 10:00–12:00
MASS_OPEN = 0.35
MASS_REPLY_GIVEN_OPEN = 0.05
OA_WEEKDAY = 3  # 公众号 push every Thursday 20:00–21:00 to a fresh random 30% of contacts
OA_SHARE = 0.30
OA_OPEN = 0.22

MOMENTS_PER_DAY = 1.5  # 朋友圈 posts per day ~ Poisson(1.5)
MOMENTS_KINDS = {"短文案": 0.40, "长图文": 0.25, "产品图": 0.35}
MOMENTS_HOURS = (  # relative 朋友圈 posting intensity by hour: 7–9, 12–14 and 20–22 peaks
    0.05, 0.02, 0.01, 0.01, 0.01, 0.05, 0.30, 1.60, 1.80, 1.40, 0.50, 0.60,
    1.60, 1.80, 1.20, 0.40, 0.40, 0.50, 0.60, 0.80, 1.80, 2.00, 1.50, 0.30,
)
OA_POST_WEEKDAYS = (1, 4)  # 公众号 文章: Tuesday and Friday, 20:00–21:00
LIVE_WEEKDAY = 5  # 视频号 直播: Saturday at 20:00
POST_OPEN_RATE = {("朋友圈", "短文案"): 0.68, ("朋友圈", "长图文"): 0.55, ("朋友圈", "产品图"): 0.60,
                  ("公众号", "文章"): 0.22, ("视频号", "直播"): 0.41}
POST_OPEN_FACTOR_RANGE = (0.8, 1.1)  # store factor on every open rate
POST_REACH_RANGE = (0.3, 0.8)  # reach = active contacts × U(0.3, 0.8)
POST_CLICK_RATE = 0.08  # of opens
POST_INTERACTION_RATE = {"朋友圈": 0.032, "公众号": 0.01, "视频号": 0.05}  # of reach
POST_ORDER_RATE = 0.05  # of clicks
# data/sample's private-domain tables (wxshop.demo.private_domain.write_private_domain): seed, and
# the groups' founding sizes scaled down to its 244 customers
SAMPLE_PD_SEED = 20
SAMPLE_GROUP_SIZE_SCALE = 0.25

Format = Literal["parquet", "csv"]


# Store profiles for write_demo_stores: channel and category tilts on the defaults.
DEMO_PROFILES: tuple[dict[str, Any], ...] = (
    {"channels": {"社群": 1.5, "拼团邀请": 1.3}, "categories": {"食品饮料": 1.5}},
    {"channels": {"视频号直播": 2.0, "朋友圈": 1.2}, "categories": {"美妆护肤": 1.8}},
    {"channels": {"公众号": 1.6, "小程序": 1.4}, "categories": {"母婴用品": 1.8, "数码配件": 1.3}},
)
