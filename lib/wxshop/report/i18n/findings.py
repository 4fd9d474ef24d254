"""Strings of key findings (:mod:`wxshop.report.findings`) and the report's opening.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # key findings (wxshop.report.findings) and the report's opening
    "report.findings": ("关键发现", "Key findings"),
    "report.toc": ("目录", "Contents"),
    "report.data_until": ("数据截至", "Data up to"),
    "finding.overview_size": (
        "本期 GMV {gmv}，{orders} 笔订单，{customers} 位下单客户。",
        "This period: GMV {gmv} from {orders} orders by {customers} customers.",
    ),
    "finding.aov_good": (
        "客单价（每位买家）{aov}，达到 {threshold} 的良好线：保持组合装与满减门槛。",
        "Spend per buyer {aov} meets the {threshold} good line: keep bundles and spend thresholds.",
    ),
    "finding.aov_low": (
        "客单价（每位买家）{aov}，低于 {threshold} 的良好线：用组合装、满减门槛提高客单。",
        "Spend per buyer {aov} is below the {threshold} good line: raise it with bundles and spend "
        "thresholds.",
    ),
    "finding.repurchase": (
        "复购率 {rate}（全部数据期间在不同日期下单 2 次及以上的客户占比）：按品类提醒日在企业微信/社群提醒复购（见选品报告）。",
        "Repurchase rate {rate} (buyers who bought on 2 or more days over all the data): remind buyers on each category's reminder day via WeCom and groups "
        "(see the product report).",
    ),
    "finding.top_category": (
        "销售额最高的品类是 {category}，占 {share}：备货与推送优先保障。",
        "The top category is {category} with {share} of sales: give it priority in stock and pushes.",
    ),
    "finding.refunds": (
        "退款率 {rate}（按金额，退款 ÷ 支付 GMV）：高于往常时先查质量与发货。",
        "Refund rate {rate} (by amount: refunds ÷ gross GMV): if it is above usual, check quality and "
        "shipping first.",
    ),
    "finding.refunds_orders": (
        "退款率 {rate}（按订单）：高于往常时先查质量与发货。",
        "Refund rate {rate} (by orders): if it is above usual, check quality and shipping first.",
    ),
    "finding.active_customers": (
        "近 {days} 天有 {active} 位客户下单（累计客户 {customers} 位），其中 {new} 位是首次购买：给他们发第二单券。",
        "{active} of {customers} customers bought in the last {days} days, {new} of them for the first "
        "time: send those a second-order coupon.",
    ),
    "finding.win_back": (
        "{n} 位客户需要召回（沉默 {silent}，沉睡 {dormant}）：导出标签名单，在企业微信分批触达；"
        "另有 {lost} 位已流失，只做低成本触达。",
        "{n} customers need winning back ({silent} silent, {dormant} dormant): export the tag "
        "lists and reach them in WeCom in batches; {lost} more are lost: low-cost reach only.",
    ),
    "finding.vip": (
        "重要价值客户 {n} 位（占 {share}），贡献 {gmv_share} 的 GMV：专属客服与新品优先。",
        "{n} important-value customers ({share}) bring {gmv_share} of GMV: give them a dedicated "
        "adviser and first access to new products.",
    ),
    "finding.next_90": (
        "预计未来 90 天现有客户再购 {purchases} 次，约 {value}。",
        "Existing customers are expected to buy {purchases} more times in the next 90 days, about {value}.",
    ),
    "finding.abc": (
        "{a} 个 A 类商品（共 {skus} 个）贡献 {share} 的商品 GMV：保证库存与主推位。",
        "{a} class-A products (of {skus}) make {share} of item GMV: keep them in stock and on top.",
    ),
    "finding.repeat_category": (
        "复购主力品类 {category}：复购周期约 {cycle} 天，复购率 {rate}；购买后第 {day} 天提醒复购。",
        "Repeat driver {category}: cycle about {cycle} days, repurchase rate {rate}; remind buyers on "
        "day {day} after purchase.",
    ),
    "finding.margin": (
        "商品毛利率 {margin}；{profit_skus} 个利润款适合直播与种草。",
        "Item gross margin {margin}; {profit_skus} profit products suit live streams and seeding posts.",
    ),
    "finding.bundle": (
        "最值得组合的商品：{a} + {b}（同单 {n} 次，比随机多 {extra} 次，提升度 {lift}）：做成组合装。",
        "Best bundle: {a} + {b} ({n} orders together, {extra} more than by chance, lift {lift}): "
        "sell them as a set.",
    ),
    "finding.no_items": (
        "没有订单明细，无法做选品分析：请导出订单明细表。",
        "No order lines, so no product analysis: export the order items table.",
    ),
}
