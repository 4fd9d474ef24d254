"""The store data contract: table names, canonical columns and header aliases.

One place knows what a store's tables look like; the loader, the demo
generator, the notebooks and docs/data.md all follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wxshop.data.vocabulary import (
    EVENT_ALIASES,
    GROUP_STATUS_ALIASES,
    POST_CHANNEL_ALIASES,
    PRIVATE_FILE_ALIASES,
    PRIVATE_HEADER_ALIASES,
    STATUS_ALIASES,
    TOUCH_KIND_ALIASES,
)

# Column names other modules read.
ORDER_ID = "order_id"
CUSTOMER_ID = "customer_id"
ORDERED_AT = "ordered_at"
AMOUNT = "amount"
STATUS = "status"
CHANNEL = "channel"
CAMPAIGN_ID = "campaign_id"
GROUP_BUY_ID = "group_buy_id"
DISCOUNT = "discount"
SKU_ID = "sku_id"
QUANTITY = "quantity"
UNIT_PRICE = "unit_price"

REFUND_AMOUNT = "refund_amount"
REFUNDED_AT = "refunded_at"

# Integer keys the loader adds (wxshop.data.keys): an order's key is its row in the checked
# orders, and its lines carry it; a buyer's key is the rank of customer_id among the orders'
# distinct ids, an SKU's the rank of sku_id among the order lines'. Not part of any export.
ORDER_KEY = "order_key"
CUSTOMER_KEY = "customer_key"
SKU_KEY = "sku_key"
KEY_COLUMNS = (ORDER_KEY, CUSTOMER_KEY, SKU_KEY)

STATUS_VALUES = ("paid", "refunded", "cancelled")
# A row of an export that records a refund rather than an order (a WeChat Pay bill's REFUND
# row): it folds into its order's refund_amount / refunded_at and is not an order itself.
REFUND_ROW = "refund"
# The behaviour funnel's steps, in order; then every event a mini-program analytics export
# may carry: a visit (app open, with its scene), sharing and the share's click-back, a coupon
# received, and the funnel steps.
FUNNEL_STEPS = ("view", "add_to_cart", "checkout", "pay")
EVENT_VALUES = ("visit", "share", "share_click", "coupon_received", *FUNNEL_STEPS)
# Campaign types of the campaigns table (the playbook's kinds): spend-threshold cut, percentage
# off, festival, member day, coupon, group buying, flash sale, distribution (commission).
CAMPAIGN_TYPES = ("满减", "折扣", "节日", "会员日", "优惠券", "拼团", "秒杀", "分销")
# How a group buy (拼团) ended: enough members joined in time, not enough, or still running.
GROUP_BUY_STATUSES = ("completed", "failed", "open")
# Private domain: how a staff member reached a customer (one-to-one chat, 群发助手 mass message,
# a 朋友圈 post, a 公众号 push), and where content is posted.
TOUCH_KINDS = ("1v1", "群发", "朋友圈", "公众号")
POST_CHANNELS = ("朋友圈", "公众号", "视频号")

# Columns that identify a person. They may be present in a customers export
# but are dropped at load and never reach a report.
PERSONAL_COLUMNS = (
    "phone",
    "openid",
    "unionid",
    "nickname",
    "address",
    "name_real",
    "wechat_id",
    "email",
    "id_card",
)


@dataclass(frozen=True)
class TableSpec:
    """What one table of a store looks like."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()  # columns that must be unique together
    timestamps: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # read as text, never as numbers
    nonnegative: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


TABLES: dict[str, TableSpec] = {
    "orders": TableSpec(
        "orders",
        required=(ORDER_ID, CUSTOMER_ID, ORDERED_AT, AMOUNT),
        optional=(STATUS, CHANNEL, CAMPAIGN_ID, DISCOUNT, REFUND_AMOUNT, REFUNDED_AT, "coupon_amount",
                  "commission", GROUP_BUY_ID),
        key=(ORDER_ID,),
        timestamps=(ORDERED_AT, REFUNDED_AT),
        numeric=(AMOUNT, DISCOUNT, REFUND_AMOUNT, "coupon_amount", "commission"),
        ids=(ORDER_ID, CUSTOMER_ID, CAMPAIGN_ID, GROUP_BUY_ID),
        nonnegative=(AMOUNT, DISCOUNT, REFUND_AMOUNT, "coupon_amount", "commission"),
        choices={STATUS: STATUS_VALUES},
    ),
    "order_items": TableSpec(
        "order_items",
        required=(ORDER_ID, SKU_ID, QUANTITY, UNIT_PRICE),
        optional=("item_name",),
        numeric=(QUANTITY, UNIT_PRICE),
        ids=(ORDER_ID, SKU_ID),
        nonnegative=(UNIT_PRICE,),
    ),
    "products": TableSpec(
        "products",
        required=(SKU_ID, "name", "category"),
        optional=("unit_cost", "list_price"),
        key=(SKU_ID,),
        numeric=("unit_cost", "list_price"),
        ids=(SKU_ID,),
        nonnegative=("unit_cost", "list_price"),
    ),
    "customers": TableSpec(
        "customers",
        required=(CUSTOMER_ID,),
        optional=(
            "registered_at",
            "city",
            "city_tier",
            "gender",
            "birth_year",
            "acquisition_channel",
            "inviter_id",
        ),
        key=(CUSTOMER_ID,),
        timestamps=("registered_at",),
        numeric=("birth_year",),
        ids=(CUSTOMER_ID, "inviter_id"),
    ),
    "experiments": TableSpec(
        "experiments",
        required=("experiment_id", CUSTOMER_ID, "variant", "assigned_at"),
        key=("experiment_id", CUSTOMER_ID, "variant"),
        timestamps=("assigned_at",),
        ids=("experiment_id", CUSTOMER_ID, "variant"),
    ),
    "events": TableSpec(
        "events",
        required=(CUSTOMER_ID, "ts", "event"),
        optional=(SKU_ID, "scene"),
        timestamps=("ts",),
        ids=(CUSTOMER_ID, SKU_ID, "scene"),
        choices={"event": EVENT_VALUES},
    ),
    "campaigns": TableSpec(
        "campaigns",
        required=(CAMPAIGN_ID, "start", "end"),
        optional=("name", "type", "rule", "threshold", "off", "fixed_cost", "audience"),
        key=(CAMPAIGN_ID,),
        timestamps=("start", "end"),
        numeric=("threshold", "off", "fixed_cost", "audience"),
        ids=(CAMPAIGN_ID,),
        nonnegative=("threshold", "off", "fixed_cost", "audience"),
        choices={"type": CAMPAIGN_TYPES},
    ),
    "group_buys": TableSpec(
        "group_buys",
        required=(GROUP_BUY_ID, "leader_id", "opened_at"),
        optional=("required_size", "joined", "group_status", "closed_at", SKU_ID),
        key=(GROUP_BUY_ID,),
        timestamps=("opened_at", "closed_at"),
        numeric=("required_size", "joined"),
        ids=(GROUP_BUY_ID, "leader_id", SKU_ID),
        nonnegative=("required_size", "joined"),
        choices={"group_status": GROUP_BUY_STATUSES},
    ),
    "contacts": TableSpec(
        "contacts",
        required=("contact_id", "added_at"),
        optional=("staff_id", "add_source", "tags", CUSTOMER_ID, "deleted_at"),
        key=("contact_id", "staff_id"),
        timestamps=("added_at", "deleted_at"),
        ids=("contact_id", "staff_id", CUSTOMER_ID),
    ),
    # 企业微信 联系客户统计 (the API's get_user_behavior_data): one row per staff member per day
    "staff_daily": TableSpec(
        "staff_daily",
        required=("staff_id", "date"),
        optional=("requests_sent", "requests_passed", "new_contacts", "chats", "messages",
                  "reply_percentage", "avg_reply_minutes", "deleted"),
        key=("staff_id", "date"),
        timestamps=("date",),
        numeric=("requests_sent", "requests_passed", "new_contacts", "chats", "messages",
                 "reply_percentage", "avg_reply_minutes", "deleted"),
        ids=("staff_id",),
        nonnegative=("requests_sent", "requests_passed", "new_contacts", "chats", "messages",
                     "reply_percentage", "avg_reply_minutes", "deleted"),
    ),
    # 企业微信 客户群: the groups, and who joined and left them
    "groups": TableSpec(
        "groups",
        required=("group_id",),
        optional=("group_type", "staff_id", "created_at", "dismissed_at"),
        key=("group_id",),
        timestamps=("created_at", "dismissed_at"),
        ids=("group_id", "staff_id"),
    ),
    "group_members": TableSpec(
        "group_members",
        required=("group_id", "member_id", "joined_at"),
        optional=("left_at", "join_scene", CUSTOMER_ID),
        key=("group_id", "member_id", "joined_at"),
        timestamps=("joined_at", "left_at"),
        ids=("group_id", "member_id", CUSTOMER_ID, "join_scene"),
    ),
    # 企业微信 客户群统计, where member lists are not exported: one row per group (or owner) per day
    "group_daily": TableSpec(
        "group_daily",
        required=("date",),
        optional=("group_id", "staff_id", "members", "joined", "left", "messages", "active_members"),
        timestamps=("date",),
        numeric=("members", "joined", "left", "messages", "active_members"),
        ids=("group_id", "staff_id"),
        nonnegative=("members", "joined", "left", "messages", "active_members"),
    ),
    "touches": TableSpec(
        "touches",
        required=(CUSTOMER_ID, "ts", "kind"),
        optional=("staff_id", "opened", "replied"),
        timestamps=("ts",),
        numeric=("opened", "replied"),
        ids=(CUSTOMER_ID, "staff_id"),
        nonnegative=("opened", "replied"),
        choices={"kind": TOUCH_KINDS},
    ),
    "posts": TableSpec(
        "posts",
        required=("channel", "posted_at"),
        optional=("post_id", "kind", "reach", "opens", "clicks", "interactions", "orders", "gmv"),
        timestamps=("posted_at",),
        numeric=("reach", "opens", "clicks", "interactions", "orders", "gmv"),
        ids=("post_id",),
        nonnegative=("reach", "opens", "clicks", "interactions", "orders", "gmv"),
        choices={"channel": POST_CHANNELS},
    ),
}

# Numbers exports write as percentages 0–100, with or without a % sign (企业微信's 已回复聊天占比).
PERCENT_COLUMNS = ("reply_percentage",)
# The private-domain playbook's tables (05_private_domain): never missed by another report.
PRIVATE_TABLES = ("contacts", "staff_daily", "groups", "group_members", "group_daily", "touches", "posts")

REQUIRED_TABLES = ("orders",)

# Identifier columns: never kept as they are, but replaced at read time by a keyed pseudonym
# (wxshop.data.identity); when a table has no key column (customer_id, contact_id), the first
# one present in this order becomes it. Header -> kind.
IDENTITY_ALIASES: dict[str, str] = {
    "unionid": "unionid",
    "union_id": "unionid",
    "openid": "openid",
    "open_id": "openid",
    "用户标识": "openid",
    "external_userid": "external_userid",
    "外部联系人id": "external_userid",
    "客户userid": "external_userid",
    "phone": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "手机": "phone",
    "买家手机号": "phone",
    "买家手机": "phone",
    "会员手机号": "phone",
    "会员手机": "phone",
    "用户手机号": "phone",
    "下单人手机号": "phone",
}
IDENTITY_PRIORITY = ("unionid", "openid", "external_userid", "phone", "id", "name", "staff")

# Headers that hold a person's data and are dropped whatever their table, unless a store's
# `columns:` or a profile maps them: matched on the normalised header (see normalise_header).
PERSONAL_HEADER = (
    r"手机|电话|姓名|昵称|地址|收货人|收件人|提货人|联系人|身份证|证件|微信号|邮箱|"
    r"(?:客户|买家|会员|用户|粉丝|顾客|下单人)(?:名称|名字|名)$|"
    r"email|phone|mobile|nickname|address|idcard|realname|wechatid"
)

# Header names seen in Chinese exports (微信小店, 有赞, 微盟, 企业微信, Excel by hand)
# mapped to canonical names. Matching ignores case, spaces and underscores.
# A store's YAML `columns:` mapping is applied first and wins.
HEADER_ALIASES: dict[str, str] = {
    # orders
    "订单号": ORDER_ID,
    "订单编号": ORDER_ID,
    "订单id": ORDER_ID,
    "买家id": CUSTOMER_ID,
    "会员id": CUSTOMER_ID,
    "客户id": CUSTOMER_ID,
    "用户id": CUSTOMER_ID,
    "顾客id": CUSTOMER_ID,
    "下单时间": ORDERED_AT,
    "订单创建时间": ORDERED_AT,
    "创建时间": ORDERED_AT,
    "支付时间": ORDERED_AT,
    "付款时间": ORDERED_AT,
    "实付金额": AMOUNT,
    "实付款": AMOUNT,
    "支付金额": AMOUNT,
    "订单金额": AMOUNT,
    "订单状态": STATUS,
    "状态": STATUS,
    "渠道": CHANNEL,
    "来源渠道": CHANNEL,
    "销售渠道": CHANNEL,
    "活动id": CAMPAIGN_ID,
    "活动编号": CAMPAIGN_ID,
    "优惠金额": DISCOUNT,
    "折扣金额": DISCOUNT,
    "优惠券金额": "coupon_amount",
    "券抵扣金额": "coupon_amount",
    "佣金": "commission",
    "分销佣金": "commission",
    "推广佣金": "commission",
    "拼团id": GROUP_BUY_ID,
    "拼团编号": GROUP_BUY_ID,
    "团号": GROUP_BUY_ID,
    # group buys (拼团)
    "团长id": "leader_id",
    "开团时间": "opened_at",
    "成团人数": "required_size",
    "参团人数": "joined",
    "拼团状态": "group_status",
    "成团状态": "group_status",
    "成团时间": "closed_at",
    "结束时间(拼团)": "closed_at",
    # campaigns
    "活动名称": "name",
    "活动类型": "type",
    "开始时间": "start",
    "活动开始时间": "start",
    "结束时间": "end",
    "活动结束时间": "end",
    "活动规则": "rule",
    "门槛": "threshold",
    "满减门槛": "threshold",
    "减免金额": "off",
    "固定成本": "fixed_cost",
    "活动成本": "fixed_cost",
    "触达人数": "audience",
    **PRIVATE_HEADER_ALIASES,
    # order items / products
    "商品编码": SKU_ID,
    "商品id": SKU_ID,
    "商品编号": SKU_ID,
    "sku编码": SKU_ID,
    "skuid": SKU_ID,
    "数量": QUANTITY,
    "购买数量": QUANTITY,
    "商品数量": QUANTITY,
    "单价": UNIT_PRICE,
    "成交单价": UNIT_PRICE,
    "商品名称": "name",  # item_name outside the products table
    "品名": "name",
    "类目": "category",
    "商品类目": "category",
    "品类": "category",
    "成本价": "unit_cost",
    "成本": "unit_cost",
    "吊牌价": "list_price",
    "标价": "list_price",
    "原价": "list_price",
    # customers
    "注册时间": "registered_at",
    "入会时间": "registered_at",
    "城市": "city",
    "城市等级": "city_tier",
    "城市线级": "city_tier",
    "性别": "gender",
    "出生年份": "birth_year",
    "获客渠道": "acquisition_channel",
    "拉新渠道": "acquisition_channel",
    "邀请人id": "inviter_id",
    "推荐人id": "inviter_id",
    "手机号": "phone",
    "手机": "phone",
    "电话": "phone",
    "昵称": "nickname",
    "微信昵称": "nickname",
    "地址": "address",
    "收货地址": "address",
    "详细地址": "address",
    "手机号码": "phone",
    "联系电话": "phone",
    "收货人手机": "phone",
    "收货人手机号": "phone",
    "收货人电话": "phone",
    "姓名": "name_real",
    "真实姓名": "name_real",
    "收货人": "name_real",
    "收货人姓名": "name_real",
    "买家昵称": "nickname",
    "用户昵称": "nickname",
    "微信号": "wechat_id",
    "邮箱": "email",
    "电子邮箱": "email",
    "身份证": "id_card",
    "身份证号": "id_card",
    # experiments / events
    "实验id": "experiment_id",
    "实验编号": "experiment_id",
    "分组": "variant",
    "实验组": "variant",
    "分组时间": "assigned_at",
    "进组时间": "assigned_at",
    "时间": "ts",
    "事件时间": "ts",
    "事件": "event",
    "行为": "event",
}


# Value aliases per column; matching ignores case and surrounding spaces.
VALUE_ALIASES: dict[str, dict[str, str]] = {STATUS: STATUS_ALIASES, "event": EVENT_ALIASES,
                                            "group_status": GROUP_STATUS_ALIASES,
                                            "kind": TOUCH_KIND_ALIASES, "channel": POST_CHANNEL_ALIASES}

# File names (without extension) seen in Chinese exports mapped to table names.
# A file named after the table itself (orders.csv) is always found.
FILE_ALIASES: dict[str, str] = {
    "订单": "orders",
    "订单明细": "order_items",
    "商品明细": "order_items",
    "商品": "products",
    "客户": "customers",
    "会员": "customers",
    "客户列表": "contacts",
    "企微客户": "contacts",
    "实验": "experiments",
    "活动": "campaigns",
    "营销活动": "campaigns",
    "拼团": "group_buys",
    "拼团记录": "group_buys",
    "行为": "events",
    "埋点": "events",
    **PRIVATE_FILE_ALIASES,
}


def normalise_header(name: object) -> str:
    """Header key used for alias matching: lower case, no spaces, underscores or BOM."""
    return str(name).replace("\ufeff", "").strip().lower().replace(" ", "").replace("_", "")
