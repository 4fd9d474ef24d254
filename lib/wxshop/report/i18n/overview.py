"""Strings of the store overview: key figures, their definitions (``def.*``), trend, channel and
category tables and charts.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
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
    "kpi.gmv": ("GMV（净，扣除退款）", "Net GMV (after refunds)"),
    "kpi.gmv_gross": ("支付 GMV（含后来退款的）", "Gross GMV (payments)"),
    "kpi.spend_per_buyer": ("客单价（每位买家）", "Spend per buyer"),
    "kpi.aov": ("笔单价（每单）", "Average order value (per order)"),
    "kpi.frequency": ("人均购买次数", "Orders per customer"),
    "kpi.repurchase_rate": ("复购率", "Repurchase rate"),
    "kpi.refund_rate": ("退款率（按订单）", "Refund rate (orders)"),
    "kpi.refund_rate_amount": ("退款率（按金额）", "Refund rate (amount)"),
    "kpi.new_customers": ("首购客户数", "First-time buyers"),
    "def.customers": (
        "区间内至少有 1 笔有效订单的客户",
        "customers with at least one paid order in the period",
    ),
    "def.orders": (
        "状态为已支付的订单；退款、取消不计",
        "orders with status paid; refunded and cancelled excluded",
    ),
    "def.gmv": (
        "支付 GMV − 退款金额（元）：已支付订单实付之和，再减去其中的部分退款",
        "gross GMV − refunds (CNY): amount paid on paid orders, less their partial refunds",
    ),
    "def.gmv_gross": (
        "已支付 + 已退款订单的实付金额之和（元），即退款前收到的支付",
        "amount paid on paid and refunded orders (CNY): the payments before refunds",
    ),
    "def.spend_per_buyer": ("净 GMV ÷ 下单客户数（元/人）", "net GMV ÷ buying customers (CNY per buyer)"),
    "def.aov": ("净 GMV ÷ 有效订单数（元/单）", "net GMV ÷ paid orders (CNY per order)"),
    "def.frequency": ("有效订单数 ÷ 下单客户数", "paid orders ÷ buying customers"),
    "def.repurchase_rate": (
        "下单客户中，在不同的 2 天及以上下过有效订单的比例（%；同一天拆成多笔的订单算一次购买）",
        "share of buying customers who bought on 2 or more different days (%; orders split on one "
        "day are one purchase)",
    ),
    "def.refund_rate": (
        "已退款订单 ÷（已支付 + 已退款订单）",
        "refunded orders ÷ (paid + refunded orders)",
    ),
    "def.refund_rate_amount": (
        "退款金额 ÷ 支付 GMV；退款金额 = 已退款订单实付 + 已支付订单的部分退款",
        "refunds ÷ gross GMV; refunds = amount of refunded orders + partial refunds of paid orders",
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
    "col.new_customers": ("首购客户数", "First-time buyers"),
    "col.aov": ("笔单价（元/单）", "AOV (CNY per order)"),
    "chart.month": ("月份", "Month"),
    "chart.gmv_cny": ("GMV（元）", "GMV (CNY)"),
    "chart.customers": ("下单客户数", "Buying customers"),
    "chart.share": ("占比", "Share"),
    # period over period (wxshop.analysis.periods)
    "overview.periods": ("环比与同比", "Period over period"),
    "overview.periods_windows": (
        "本期 {start} 至 {end}（{days} 天），对比上期 {previous_start} 至 {previous_end}（环比）"
        "和去年同期 {last_year_start} 至 {last_year_end}（同比）。",
        "This period is {start} to {end} ({days} days), against the previous {days} days, "
        "{previous_start} to {previous_end}, and the same dates last year, {last_year_start} to "
        "{last_year_end}.",
    ),
    "overview.periods_how": (
        "订单按下单日归入期间，每个期间的指标口径与核心指标相同（复购率为期间内在不同的 2 天及以上下单的客户占比）。"
        "金额、人数、单数的变化是相对变化（%）；复购率和退款率的变化是百分点（个百分点）。",
        "Orders count in the period they were placed in, and each period's figures have the "
        "headline definitions (the repurchase rate is the share of the period's buyers who bought "
        "on 2 or more different days in it). Amounts and counts change in % of the earlier figure; the rates "
        "change in percentage points (pp).",
    ),
    "overview.periods_no_previous": (
        "数据从 {data_start} 开始，晚于上期的起点 {previous_start}：不计算环比（不完整的期间不做比较）。",
        "The data starts on {data_start}, after the previous period's first day "
        "({previous_start}): no change on the previous period, as a partial period is never compared.",
    ),
    "overview.periods_no_last_year": (
        "数据从 {data_start} 开始，晚于去年同期的起点 {last_year_start}：不计算同比（不完整的期间不做比较）。",
        "The data starts on {data_start}, after the first day of the same period last year "
        "({last_year_start}): no year-over-year change, as a partial period is never compared.",
    ),
    "overview.periods_leap": (
        "去年同期按日历日对齐，2 月 29 日对到 2 月 28 日，所以去年同期是 {n} 天。",
        "Last year's dates are the same calendar dates, 29 February matched to 28 February, so "
        "that period has {n} days.",
    ),
    "col.period_current": ("本期", "This period"),
    "col.period_previous": ("上期", "Previous period"),
    "col.change_prev": ("环比", "Change on previous"),
    "col.period_last_year": ("去年同期", "Same dates last year"),
    "col.change_yoy": ("同比", "Change on last year"),
    "change.pp": ("{value} 个百分点", "{value} pp"),
    "finding.period_change": (
        "近 {days} 天（{start} 至 {end}）净 GMV {gmv}，环比 {gmv_change}：下单客户 {buyers_change}，"
        "客单价 {spend} 环比 {spend_change}{yoy}。",
        "Last {days} days ({start} to {end}): net GMV {gmv}, {gmv_change} on the previous {days} "
        "days: buyers {buyers_change}, spend per buyer {spend} {spend_change}{yoy}.",
    ),
    "finding.period_yoy": ("；净 GMV 同比 {change}", "; net GMV {change} on the same dates last year"),
    "finding.period_no_yoy": (
        "；数据未覆盖去年同期，无同比",
        "; the data does not reach back to last year, so no year-over-year change",
    ),
}
