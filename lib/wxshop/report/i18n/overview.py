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
    "kpi.new_customers": ("新客数", "New customers"),
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
        "区间内有 ≥ 2 笔有效订单的客户占下单客户的比例",
        "share of buying customers with ≥ 2 paid orders in the period",
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
    "col.new_customers": ("新客数", "New customers"),
    "col.aov": ("笔单价（元/单）", "AOV (CNY per order)"),
    "chart.month": ("月份", "Month"),
    "chart.gmv_cny": ("GMV（元）", "GMV (CNY)"),
    "chart.customers": ("下单客户数", "Buying customers"),
    "chart.share": ("占比", "Share"),
}
