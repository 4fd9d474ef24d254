"""Strings of the definitions page (docs/definitions.md, :mod:`wxshop.report.definitions`): the
windows and units every figure is stated in, and the formulas of figures the reports record
without a KPI row of their own.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    "doc.title": ("口径说明：每个数字的公式、窗口与单位", "Definitions: every figure's formula, window and unit"),
    "doc.intro": (
        "本页由报告里的同一批文字生成（wxshop.report.definitions）；报告里每个数字都在这里有一行，"
        "缺了测试就会失败。JSON 名是报告 JSON（headline 或 tables）里的键。",
        "Generated from the very strings the reports print (wxshop.report.definitions); every figure "
        "of a report has a row here, and a test fails when one is missing. The JSON name is the key "
        "in the report's JSON (headline or tables).",
    ),
    "doc.col.name": ("JSON 名", "JSON name"),
    "doc.col.label": ("名称", "Name"),
    "doc.col.formula": ("公式", "Formula"),
    "doc.col.window": ("窗口", "Window"),
    "doc.col.unit": ("单位", "Unit"),
    "doc.variant": ("<分组>", "<variant>"),
    # windows
    "doc.window.report": ("报告期全部数据（页头起止日期，截至 period_end）",
                          "all data of the report period (header dates, up to period_end)"),
    "doc.window.period": ("近 period_days 天（默认 90），截至 period_end",
                          "last period_days days (default 90) up to period_end"),
    "doc.window.history": ("截至 period_end 的全部历史", "all history up to period_end"),
    "doc.window.compare": ("近 period_days 天（默认 30）、之前同样长的一段、去年同日期",
                           "last period_days days (default 30), the same length before, the same dates a year earlier"),
    "doc.window.compare_p": ("近 period_days 天（默认 90）、之前同样长的一段、去年同日期",
                             "last period_days days (default 90), the same length before, the same dates a year earlier"),
    "doc.window.products": ("近 window_days 天（默认 365），截至 period_end",
                            "last window_days days (default 365) up to period_end"),
    "doc.window.ab": ("每位用户分组后的 window 天（默认 14 天）", "each user's window days after assignment (default 14)"),
    "doc.window.future": ("未来 90 天（模型预测，用截至 period_end 的全部历史拟合）",
                          "the next 90 days (model forecast, fitted on all history up to period_end)"),
    "doc.window.holdout": ("最后 holdout_days 天（默认 90），用此前的数据预测", "the last holdout_days days (default 90), predicted from the data before"),
    "doc.window.none": ("—（参数或代码）", "— (a parameter or code)"),
    # units
    "doc.unit.int": ("个（人、单、商品）", "count (customers, orders, products)"),
    "doc.unit.cny": ("元", "CNY"),
    "doc.unit.share": ("比例 0–1（报告里显示为 %）", "share 0–1 (shown as % in the report)"),
    "doc.unit.float": ("比值", "ratio"),
    "doc.unit.days": ("天", "days"),
    "doc.unit.pp": ("比例变化：金额与人数为相对变化 %，比率为百分点", "change: % of the earlier figure for amounts and counts, percentage points for rates"),
    "doc.unit.code": ("代码（报告里翻译成文字）", "code (translated in the report)"),
    "doc.unit.p": ("概率 0–1", "probability 0–1"),
    "doc.unit.metric": ("主要指标的单位（转化率为比例，其余为元或次）", "the primary metric's unit (a share for conversion, else CNY or orders)"),
    "doc.unit.params": ("模型参数", "model parameters"),
    # names of figures without a KPI row of their own
    "doc.label.period_days": ("分析窗口长度", "Period length"),
    "doc.label.stage_thresholds": ("生命周期阈值", "Lifecycle lines"),
    "doc.label.bgnbd": ("购买次数模型参数", "Purchase model parameters"),
    "doc.label.gamma_gamma": ("每次消费模型参数", "Spend model parameters"),
    "doc.label.expected_purchases_90_total": ("未来 90 天预计购买次数合计", "Expected purchases, next 90 days"),
    "doc.label.expected_value_90_total": ("未来 90 天预计收入合计", "Expected revenue, next 90 days"),
    "doc.label.holdout": ("留出期检验", "Holdout check"),
    "doc.label.value_90": ("未来 90 天预计毛利（折现）", "Expected gross margin, next 90 days (discounted)"),
    "doc.label.traffic_skus": ("引流款数", "Traffic builders"),
    "doc.label.profit_skus": ("利润款数", "Profit makers"),
    "doc.label.tail_skus": ("长尾商品数", "Tail products"),
    "doc.label.role_counts": ("各角色商品数", "Products per role"),
    "doc.label.decision": ("结论", "Decision"),
    "doc.label.best_variant": ("建议上线的分组", "Variant to ship"),
    "doc.label.input": ("输入形式", "Input form"),
    "doc.label.control": ("对照组", "Control arm"),
    "doc.label.primary_metric": ("主要指标", "Primary metric"),
    "doc.label.users": ("分析用户数", "Users analysed"),
    "doc.label.srm_p_value": ("样本比例检验 p 值", "Sample-ratio p-value"),
    "doc.label.srm_mismatch": ("分流异常", "Sample-ratio mismatch"),
    "doc.label.excluded_multi_variant": ("多分组用户（排除）", "Users in several arms (left out)"),
    "doc.label.warnings": ("红色横幅", "Red banners"),
    "doc.label.analysis": ("完整分析记录", "Analysis record"),
    # figures without a KPI row of their own
    "doc.def.period_over_period": (
        "每个核心指标在三个窗口各算一次（与 store_kpis 同一口径）：本期、上期（环比）、去年同期（同比）；"
        "数据不覆盖整个窗口时不比较",
        "each headline KPI computed on three windows with store_kpis' definitions: this period, the "
        "previous one and the same dates last year; a window the data does not cover "
        "is not compared",
    ),
    "doc.label.card_trends": ("卡片上的环比、同比与走势线", "Cards' changes and sparklines"),
    "doc.def.card_trends": (
        "环比 = 本期 ÷ 上期 − 1，同比 = 本期 ÷ 去年同期 − 1（比率为两期之差，单位百分点），▲ 升、▼ 降；走势线 = "
        "同一指标在最近 8 个同长度窗口的值，从左到右由早到晚，早于数据开始的窗口留空；店铺概览的卡片显示近 "
        "period_days 天（同 periods.compare），用户画像与私域运营的卡片显示本报告自己的核心指标在各窗口重算的值",
        "vs prior = this period ÷ the previous one − 1, vs last year = this period ÷ the same dates a year "
        "earlier − 1 (for rates the difference, in percentage points), ▲ up, ▼ down; sparkline = the same "
        "figure over the last 8 windows of that length, oldest left, windows before the data left blank; the "
        "store overview's cards show the last period_days days (as periods.compare), the user profiling's "
        "and private domain's recompute the report's own headline on each window",
    ),
    "doc.window.card_trends": ("近 period_days 天及之前 7 个同长度窗口；去年同日期",
                               "the last period_days days and the 7 windows of that length before; the "
                               "same dates a year earlier"),
    "doc.def.period_days": ("参数：核心指标的窗口长度", "parameter: the length of the headline window"),
    "doc.def.traffic_skus": ("角色为引流款的商品数", "products whose role is traffic driver"),
    "doc.def.profit_skus": ("角色为利润款的商品数", "products whose role is profit driver"),
    "doc.def.tail_skus": ("角色为长尾款的商品数", "products whose role is long tail"),
    "doc.def.role_counts": ("每个角色的商品数", "products per role"),
    "doc.def.stage_thresholds": (
        "生命周期阈值：活跃线 = 复购间隔第 active_pct 百分位，沉睡线 = 第 dormant_pct 百分位，流失线 = "
        "lost_factor × 沉睡线（churn_by: category 时按客户主品类各算一组）",
        "lifecycle lines: active = the active_pct percentile of repurchase intervals, dormant = the "
        "dormant_pct percentile, lost = lost_factor × dormant (one set per main category with "
        "churn_by: category)",
    ),
    "doc.def.bgnbd": ("购买次数模型（MBG/NBD 或 BG/NBD）的 r、α、a、b", "r, α, a, b of the purchase model (MBG/NBD or BG/NBD)"),
    "doc.def.gamma_gamma": ("每次消费模型（Gamma-Gamma）的 p、q、γ", "p, q, γ of the spend model (Gamma-Gamma)"),
    "doc.def.expected_purchases_90_total": ("Σ 每位客户预计购买天数", "Σ each customer's expected purchase days"),
    "doc.def.expected_value_90_total": (
        "Σ 预计购买次数 × 预计每次消费（收入，未折现）", "Σ expected purchases × expected spend (revenue, undiscounted)"),
    "doc.def.mean_p_alive": ("客户仍在购买的概率的平均值", "mean probability that a customer is still buying"),
    "doc.def.holdout": (
        "相对误差 =（预测购买天数 − 实际）÷ 实际，模型只用留出期之前的数据拟合",
        "relative error = (predicted purchase days − actual) ÷ actual, the model fitted on the data "
        "before the holdout only",
    ),
    "doc.def.value_90": (
        "毛利 = Σ 每 30 天的预计购买增量 × 预计每次消费 × 客户毛利率 ÷ (1 + d)^k，d = (1 + discount_rate)^(30/365) − 1；"
        "客户毛利率 = 1 − 商品成本 ÷ 实付金额",
        "margin = Σ per 30-day step of expected extra purchases × expected spend × the customer's "
        "margin rate ÷ (1 + d)^k, d = (1 + discount_rate)^(30/365) − 1; margin rate = 1 − cost of "
        "goods ÷ amount paid",
    ),
    "doc.def.decision": (
        "ship / dont_ship / keep_running / inconclusive：主要指标显著且护栏都已检查且未受损才上线",
        "ship / dont_ship / keep_running / inconclusive: ship only when the primary metric wins "
        "significantly and every guardrail was checked and not harmed",
    ),
    "doc.def.best_variant": ("建议上线的分组（没有则为空）", "the variant to ship (empty when none)"),
    "doc.def.input": ("输入形式：users / orders / summary", "input form: users / orders / summary"),
    "doc.def.control": ("对照组名称（参数）", "name of the control arm (parameter)"),
    "doc.def.primary_metric": ("主要指标（参数）", "primary metric (parameter)"),
    "doc.def.users": ("进入分析的用户数（去掉同时在多个分组的用户）", "users analysed (users in several arms left out)"),
    "doc.def.srm_p_value": ("样本比例检验（卡方）的 p 值", "p-value of the sample-ratio check (chi-square)"),
    "doc.def.srm_mismatch": ("p < 0.001 时为真：分流有问题，结论不可信", "true when p < 0.001: the split is broken"),
    "doc.def.excluded_multi_variant": ("同时出现在多个分组、被排除的用户数", "users in several arms, left out"),
    "doc.def.warnings": ("报告顶部红色横幅的文字", "the texts of the report's red banners"),
    "doc.def.analysis": ("完整分析记录（每个分组 × 指标的统计量）", "the whole analysis record (statistics per variant × metric)"),
    "doc.def.v.decision": ("该分组的结论", "the variant's decision"),
    "doc.def.v.diff": ("主要指标：分组 − 对照", "primary metric: variant − control"),
    "doc.def.v.ci_low": ("差值 95% 区间下限", "lower end of the difference's 95% interval"),
    "doc.def.v.ci_high": ("差值 95% 区间上限", "upper end of the difference's 95% interval"),
    "doc.def.v.rel_lift": ("相对提升 = 差值 ÷ 对照均值（delta 方法）", "relative lift = difference ÷ control mean (delta method)"),
    "doc.def.v.p_value": ("主要指标的 p 值", "p-value of the primary metric"),
    "doc.def.v.p_adjusted": ("多重比较校正后的 p 值（默认 Holm，覆盖分组 × 指标）",
                             "p-value after the multiple-testing correction (Holm by default, over variants × metrics)"),
    "doc.def.metric.conversion": ("窗口内有已付款订单的用户 ÷ 分组用户", "users with a paid order in the window ÷ users in the arm"),
    "doc.def.metric.revenue_per_user": ("Σ 窗口内实付金额 ÷ 分组用户（可按 cap_percentile 截尾）",
                                        "Σ amount paid in the window ÷ users in the arm (capped at cap_percentile)"),
    "doc.def.metric.orders_per_user": ("窗口内已付款订单 ÷ 分组用户", "paid orders in the window ÷ users in the arm"),
    "doc.def.metric.aov": ("Σ 实付金额 ÷ 订单数（比率指标，delta 方法）", "Σ amount paid ÷ orders (a ratio metric, delta method)"),
    "doc.def.metric.spend_per_buyer": ("Σ 收入 ÷ 下单用户数（没有订单数时替代笔单价）",
                                       "Σ revenue ÷ converting users (stands in for AOV without order counts)"),
    "doc.def.metric.profit_per_user": ("Σ（收入 − 商品成本 − 未从收入扣掉的券与优惠）÷ 分组用户",
                                       "Σ (revenue − cost of goods − coupon and discount cost not already off revenue) ÷ users in the arm"),
}
