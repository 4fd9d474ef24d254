"""The one translation layer: every string a report reader sees comes from here.

``t("kpi.gmv", "en")`` → ``"GMV"``. A key missing in either language raises, so a
report can never silently mix languages (tests/test_i18n.py walks every key).
"""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

# key: (zh, en). Placeholders use str.format names and must match in both languages.
STRINGS: dict[str, tuple[str, str]] = {
    # shared report furniture
    "report.store": ("店铺", "Store"),
    "report.period": ("分析区间", "Period"),
    "report.generated_at": ("生成时间", "Generated at"),
    "report.version": ("wxshop 版本", "wxshop version"),
    "report.data_quality": ("数据质量", "Data quality"),
    "report.quality_line": (
        "共读取 {read:,} 行 = 使用 {used:,} 行 + 剔除 {rejected:,} 行（剔除明细见 rejected_rows.csv）",
        "{read:,} rows read = {used:,} rows used + {rejected:,} rows rejected "
        "(details in rejected_rows.csv)",
    ),
    "report.personal_dropped": (
        "已在读取时删除 {n} 个个人信息列（手机号、openid、昵称、地址等），报告中不出现。",
        "{n} personal columns (phone, openid, nickname, address…) were dropped at load "
        "and appear nowhere in this report.",
    ),
    "report.skipped": (
        "未生成「{section}」：缺少 {table} 表。",
        "Skipped “{section}”: no {table} table.",
    ),
    "report.no_skips": ("所有章节均已生成。", "Every section was produced."),
    "report.rejected_reasons": ("剔除原因", "Why rows were rejected"),
    "report.parameters": ("本报告参数", "Parameters used"),
    "col.table": ("数据表", "Table"),
    "col.file": ("文件", "File"),
    "col.rows_read": ("读取行数", "Rows read"),
    "col.rows_used": ("使用行数", "Rows used"),
    "col.rows_rejected": ("剔除行数", "Rows rejected"),
    "col.reason": ("原因", "Reason"),
    "col.rows": ("行数", "Rows"),
    "col.metric": ("指标", "Metric"),
    "col.value": ("数值", "Value"),
    "col.definition": ("口径", "Definition"),
    "col.month": ("月份", "Month"),
    "col.parameter": ("参数", "Parameter"),
    # tables (names shown in skip notes)
    "table.orders": ("订单", "orders"),
    "table.order_items": ("订单明细", "order_items"),
    "table.products": ("商品", "products"),
    "table.customers": ("客户", "customers"),
    "table.experiments": ("实验分组", "experiments"),
    "table.events": ("行为事件", "events"),
    # store overview
    "overview.title": ("店铺概览：{store}", "Store overview: {store}"),
    "overview.kpis": ("核心指标", "Key figures"),
    "overview.trend": ("月度趋势", "Monthly trend"),
    "overview.channels": ("渠道构成", "Sales by channel"),
    "overview.quality": ("数据质量", "Data quality"),
    "overview.trend_caption": (
        "每月实付 GMV（柱）与下单客户数（线）。",
        "Paid GMV per month (bars) and buying customers (line).",
    ),
    "kpi.customers": ("下单客户数", "Buying customers"),
    "kpi.orders": ("有效订单数", "Paid orders"),
    "kpi.gmv": ("GMV（实付）", "GMV (paid)"),
    "kpi.aov": ("客单价", "AOV"),
    "kpi.frequency": ("人均购买次数", "Orders per customer"),
    "kpi.repurchase_rate": ("复购率", "Repurchase rate"),
    "kpi.refund_rate": ("退款率", "Refund rate"),
    "kpi.new_customers": ("新客数", "New customers"),
    "def.customers": (
        "区间内至少有 1 笔有效订单的客户",
        "customers with at least one paid order in the period",
    ),
    "def.orders": (
        "状态为已支付的订单；退款、取消不计",
        "orders with status paid; refunded and cancelled excluded",
    ),
    "def.gmv": ("有效订单实付金额之和（元）", "sum of amount paid on paid orders (CNY)"),
    "def.aov": ("GMV ÷ 有效订单数（元）", "GMV ÷ paid orders (CNY)"),
    "def.frequency": ("有效订单数 ÷ 下单客户数", "paid orders ÷ buying customers"),
    "def.repurchase_rate": (
        "区间内有 ≥ 2 笔有效订单的客户占下单客户的比例",
        "share of buying customers with ≥ 2 paid orders in the period",
    ),
    "def.refund_rate": (
        "已退款订单 ÷（已支付 + 已退款订单）",
        "refunded orders ÷ (paid + refunded orders)",
    ),
    "def.new_customers": (
        "首笔有效订单落在该月的客户",
        "customers whose first paid order falls in the month",
    ),
    "overview.categories": ("品类构成", "Sales by category"),
    "col.channel": ("渠道", "Channel"),
    "col.category": ("品类", "Category"),
    "col.orders": ("订单数", "Orders"),
    "col.gmv": ("GMV（元）", "GMV (CNY)"),
    "col.gmv_share": ("GMV 占比", "GMV share"),
    "col.units": ("件数", "Units"),
    "col.item_sales": ("商品销售额（元，优惠前）", "Item sales (CNY, before discounts)"),
    "col.sales_share": ("销售额占比", "Sales share"),
    "col.customers": ("下单客户数", "Buying customers"),
    "col.new_customers": ("新客数", "New customers"),
    "col.aov": ("客单价（元）", "AOV (CNY)"),
    "chart.month": ("月份", "Month"),
    "chart.gmv_cny": ("GMV（元）", "GMV (CNY)"),
    "chart.customers": ("下单客户数", "Buying customers"),
    "chart.share": ("占比", "Share"),
    # index page
    "index.title": ("wxshop 报告索引", "wxshop report index"),
    "index.generated_at": ("生成时间：{when}", "Generated at {when}"),
    "index.reports": ("店铺 × 报告", "Stores × reports"),
    "index.failures": ("失败列表", "Failures"),
    "index.no_failures": ("全部报告生成成功。", "Every report was written."),
    "index.summary": (
        "{stores} 家店铺，{ok} 份报告成功，{failed} 份失败。",
        "{stores} stores, {ok} reports written, {failed} failed.",
    ),
    "index.store": ("店铺", "Store"),
    "index.notebook": ("报告", "Report"),
    "index.error": ("错误", "Error"),
    "index.cell": ("出错单元格", "Failing cell"),
    "status.ok": ("成功", "ok"),
    "status.failed": ("失败", "failed"),
    "status.data_error": ("数据错误", "data error"),
    "status.missing": ("未运行", "not run"),
    "notebook.store_overview": ("店铺概览", "Store overview"),
    "channel.unknown": ("未标注", "not recorded"),
}


# Reasons the loader gives for a rejected row (English, as in rejected_rows.csv), with
# their Chinese text for reports. {col} is a canonical column name and stays as is.
REASON_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^empty (?P<col>[\w+]+)$", "{col} 为空"),
    (r"^unparseable (?P<col>\w+)$", "{col} 无法解析为时间"),
    (r"^(?P<col>\w+) not a number$", "{col} 不是数字"),
    (r"^negative (?P<col>\w+)$", "{col} 为负数"),
    (r"^(?P<col>\w+) not one of (?P<choices>[\w/]+)$", "{col} 不属于 {choices}"),
    (r"^duplicate (?P<col>[\w+]+)$", "{col} 重复（保留首行）"),
    (r"^order_id not in orders$", "order_id 不在有效订单中"),
)


def reason(text: str, lang: str = DEFAULT_LANG) -> str:
    """A rejected-row reason (possibly several joined by '; ') in the report language.

    Raises KeyError for a reason with no translation, so tests catch new loader rules.
    """
    if check_lang(lang) == "en":
        return text
    parts = []
    for part in str(text).split("; "):
        for pattern, zh in REASON_PATTERNS:
            m = re.match(pattern, part)
            if m:
                parts.append(zh.format(**m.groupdict()))
                break
        else:
            raise KeyError(f"no Chinese text for rejected-row reason {part!r}")
    return "；".join(parts)


def check_lang(lang: str) -> Lang:
    """``lang`` if supported, else a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang  # type: ignore[return-value]


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``values``.

    Raises KeyError for an unknown key, so a missing translation fails loudly.
    """
    zh, en = STRINGS[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**values) if values else text


class Translator:
    """``tr = Translator("en"); tr("kpi.gmv")`` — t() bound to one language."""

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def columns(self, df, mapping: dict[str, str]):
        """``df`` with columns renamed by translation keys: {column: key}."""
        return df.rename(columns={c: self(k) for c, k in mapping.items()})
