"""Strings of the product selection report: rules, baskets, ABC classes and the selection tables.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # product selection
    "notebook.product_selection": ("选品分析", "Product selection"),
    "products.title": ("选品分析：{store}", "Product selection: {store}"),
    "products.summary": ("品类表现", "Category performance"),
    "products.skus": ("单品表现", "Product (SKU) performance"),
    "products.no_costs": (
        "缺少成本价（products.unit_cost），毛利相关部分未计算。",
        "No unit costs (products.unit_cost): margin sections are skipped.",
    ),
    "products.gmv_note": (
        "GMV 按商品行计算（数量 × 单价，订单级优惠前）；毛利率 = 1 − 成本 ÷ GMV。",
        "GMV from item lines (quantity × unit price, before order-level discounts); "
        "gross margin = 1 − cost ÷ GMV.",
    ),
    "products.cycle": ("复购周期", "Repurchase cycle"),
    "products.cycle_text": (
        "复购周期有两种算法并列：朴素中位数只看已经复购的间隔，偏短；Kaplan–Meier 曲线把尚未复购的购买"
        "按截至期末的时长计为删失，是更可靠的估计。",
        "Two estimates side by side: the naive median only looks at gaps that already happened "
        "and is biased short; the Kaplan–Meier curve counts purchases not yet followed by a "
        "repurchase as censored at the period end and is the one to trust.",
    ),
    "products.km": ("复购时间曲线（Kaplan–Meier）", "Time to repurchase (Kaplan–Meier)"),
    "products.quadrant": ("毛利率 × 复购周期", "Gross margin × repurchase cycle"),
    "products.roles": ("商品角色", "Product roles"),
    "products.roles_rule": (
        "规则（按优先级）：复购款 = 周期 ≤ {cycle} 天且复购率 ≥ {rate:.0%}；引流款 = 毛利率 < {low:.0%} "
        "且买家数居前 {top:.0%}；利润款 = 毛利率 ≥ {high:.0%}；其余为长尾。",
        "Rules, in order: repeat = cycle ≤ {cycle} days and repurchase rate ≥ {rate:.0%}; "
        "traffic = margin < {low:.0%} and buyers in the top {top:.0%}; profit = margin ≥ {high:.0%}; "
        "the rest is tail.",
    ),
    "products.abc": ("ABC 分析（帕累托）", "ABC analysis (Pareto)"),
    "products.abc_text": (
        "按 GMV 从高到低累计：累计占比达到 {a:.0%} 之前（含跨过该线的商品）为 A 类，达到 {b:.0%} 之前为 B 类，其余为 C 类。",
        "Items by GMV, highest first: A until the cumulative share reaches {a:.0%} (the item that "
        "crosses it included), B until {b:.0%}, C for the rest.",
    ),
    "products.channels": ("渠道匹配", "Channel fit"),
    "products.reminders": ("复购提醒时间表", "Repurchase reminder schedule"),
    "products.reminders_text": (
        "提醒日 = 最终会复购的客户中 {share:.0%} 已经复购的那一天（由 Kaplan–Meier 曲线推得），"
        "在这一天前后通过企业微信或社群提醒。",
        "Reminder day = the day by which {share:.0%} of eventual repurchasers have bought again "
        "(from the Kaplan–Meier curve); remind via WeCom or groups around that day.",
    ),
    "products.bundles": ("常一起购买的组合", "Frequently bought together"),
    "products.bundles_text": (
        "按“比随机多的同单数”排序 = 同单数 − 含 A 的订单数 × 含 B 的订单数 ÷ 总订单数，兼顾销量与关联强度；"
        "支持度 = 同时包含两件商品的订单占比；置信度 = 买了 A 的订单中也买了 B 的比例；提升度 > 1 表示比随机更常一起买。",
        "Ranked by orders together beyond chance = orders together − orders with A × orders with B ÷ "
        "all orders, which weighs volume and association; support = share of orders with both "
        "items; confidence = share of orders with A that also have B; lift > 1 means bought "
        "together more often than chance.",
    ),
    "products.no_bundles": ("没有达到最低订单数的商品组合。", "No pair reaches the minimum number of orders."),
    "products.discounts": ("折扣深度与复购", "Discount depth and repurchase"),
    "products.discounts_text": (
        "折扣深度 = 按行金额分摊的订单优惠 ÷ 商品销售额；标记的是折扣深但复购率低于中位数的商品。",
        "Discount depth = order discount allocated to lines pro rata ÷ item sales; flagged items "
        "have deep discounts and a repurchase rate below the median.",
    ),
    "role.traffic": ("引流款", "Traffic builder"),
    "role.profit": ("利润款", "Profit maker"),
    "role.repeat": ("复购款", "Repeat driver"),
    "role.tail": ("长尾", "Tail"),
    "scene.group_buying": ("社群团购", "Community group buying"),
    "scene.moments_showcase": ("朋友圈晒单", "Moments showcase posts"),
    "scene.live_stream": ("直播", "Live streaming"),
    "scene.tutorial_seeding": ("教程种草", "Tutorial seeding"),
    "scene.mini_program_mall": ("小程序商城", "Mini-program mall"),
    "scene.referral": ("私域裂变", "Private-domain referral"),
    "scene.general": ("常规上架", "Standard listing"),
    "col.sku": ("商品编码", "SKU"),
    "col.name": ("商品名称", "Product"),
    "col.buyers": ("买家数", "Buyers"),
    "col.gross_profit": ("毛利（元）", "Gross profit (CNY)"),
    "col.gross_margin": ("毛利率", "Gross margin"),
    "col.naive_median": ("朴素中位数（天）", "Naive median (days)"),
    "col.km_median": ("KM 中位数（天）", "KM median (days)"),
    "col.repurchase_7d": ("7 天内复购", "Within 7 days"),
    "col.repurchase_30d": ("30 天内复购", "Within 30 days"),
    "col.repurchase_90d": ("90 天内复购", "Within 90 days"),
    "col.role": ("角色", "Role"),
    "col.rule": ("规则", "Rule"),
    "col.abc": ("ABC 类", "ABC class"),
    "col.cum_share": ("累计占比", "Cumulative share"),
    "col.scenes": ("推荐场景", "Suggested scenes"),
    "col.reminder_day": ("购买后第几天提醒", "Remind on day"),
    "col.item_a": ("商品 A", "Item A"),
    "col.item_b": ("商品 B", "Item B"),
    "col.orders_together": ("共同订单数", "Orders together"),
    "col.support": ("支持度", "Support"),
    "col.confidence_ab": ("置信度 A→B", "Confidence A→B"),
    "col.confidence_ba": ("置信度 B→A", "Confidence B→A"),
    "col.lift": ("提升度", "Lift"),
    "col.extra_orders": ("比随机多的同单数", "Orders together beyond chance"),
    "col.discount_depth": ("平均折扣深度", "Avg discount depth"),
    "col.flag": ("提示", "Flag"),
    "flag.deep_discount_low_return": ("折扣深、复购低", "Deep discount, low return"),
    "chart.cycle_days": ("复购周期（天，KM 中位数）", "Repurchase cycle (days, KM median)"),
    "chart.gross_margin": ("毛利率", "Gross margin"),
    "chart.days_after_purchase": ("购买后天数", "Days after purchase"),
    "chart.repurchased_share": ("已复购占比", "Share repurchased"),
    "chart.items_ranked": ("商品（按 GMV 排序）", "Items ranked by GMV"),
    "chart.profit_cny": ("毛利（元）", "Gross profit (CNY)"),
    "chart.cum_share": ("累计占比", "Cumulative share"),
    "channel.unknown": ("未标注", "not recorded"),
    "chart.rel_lift": ("相对对照组的变化（95% 区间；实心点为校正后显著）", "Change vs control (95% interval; filled dot: significant after correction)"),
}
