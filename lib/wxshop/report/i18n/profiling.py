"""Strings of the user profiling report: segments, RFM, lifecycle, repurchase, CLV and profiles.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # user profiling
    "notebook.user_profiling": ("用户画像", "User profiling"),
    "profiling.title": ("用户画像与分层运营：{store}", "User profiling and segments: {store}"),
    "profiling.headline": ("核心指标（近 {days} 天）", "Key figures (last {days} days)"),
    "profiling.profiles": ("用户画像", "Customer profiles"),
    "profiling.profile_by": ("按{dimension}（{window}下单的客户）", "By {dimension} (customers who bought in the {window})"),
    "profiling.spend_tiers": ("消费层级（按月均消费）", "Spend tiers (by monthly spend)"),
    "profiling.spend_note_store": (
        "分界线是本店买家月均消费的中位数（{lo}/月）和 90 分位（{hi}/月）。手册里的 500 / 2000 元/月是"
        "买家在所有渠道的总消费，拿来切一家店会把几乎所有买家放进低档，只作参考。",
        "Tiers cut at the store's own median ({lo} a month) and 90th percentile ({hi} a month). "
        "The playbook's 500 / 2000 CNY a month is a buyer's spend everywhere: on one shop it would "
        "put nearly every buyer in the low tier, so it is context only.",
    ),
    "profiling.spend_note_given": (
        "分界线由参数 spend_bands 给定：{lo}/月 和 {hi}/月。",
        "Tiers cut at the spend_bands given: {lo} and {hi} a month.",
    ),
    "profiling.rfm": ("RFM 八类客户分层", "RFM segments"),
    "profiling.rfm_rule": (
        "R、F、M 各按{method}打 1–{bins} 分（分数越高越好）；高于{split}记为“高”。",
        "R, F and M are each scored 1–{bins} by {method} (higher is better); "
        "above the {split} counts as high.",
    ),
    "profiling.rfm_rule_raw": (
        "R、F、M 与本店均值比较定高低（有赞口径）：最近一次购买距今少于均值、购买次数和消费金额高于均值记为“高”；"
        "另按{method}打 1–{bins} 分供参考。",
        "High or low against the store's means (the Youzan convention): days since the last order "
        "below the mean, orders and spend above the mean count as high; R, F and M are also scored "
        "1–{bins} by {method} for reference.",
    ),
    "profiling.lifecycle": ("生命周期阶段", "Lifecycle stages"),
    "profiling.lifecycle_rule": (
        "全店阈值来自本店复购间隔（同一天的多笔订单算一次购买）：{n:,} 个间隔的第 {active_pct:.0f} 百分位为 "
        "{active} 天，第 {dormant_pct:.0f} 百分位为 {dormant} 天。新客：首单在 {new} 天内；活跃：最近一单在 "
        "{active} 天内；沉默：{active}–{dormant} 天；沉睡（可召回）：{dormant}–{lost} 天；"
        "流失：超过 {lost} 天（{factor:g} 倍沉睡线）。",
        "Store-wide thresholds come from this store's own repurchase intervals (orders on one day "
        "are one purchase): of {n:,} intervals, the {active_pct:.0f}th percentile is {active} days and "
        "the {dormant_pct:.0f}th is {dormant} days. New: first order within {new} days; active: last "
        "order within {active} days; silent: {active}–{dormant} days; dormant (can be won back): "
        "{dormant}–{lost} days; lost: over {lost} days ({factor:g} × the dormant line).",
    ),
    "profiling.lifecycle_override": (
        "阈值由参数指定：新客 {new} 天，活跃 {active} 天，沉睡 {dormant} 天，流失 {lost} 天。",
        "Thresholds set in parameters: new {new} days, active {active} days, dormant {dormant} days, "
        "lost {lost} days.",
    ),
    "profiling.lifecycle_fallback": (
        "本店复购间隔太少，使用默认阈值：活跃 {active} 天，沉睡 {dormant} 天，流失 {lost} 天。",
        "Too few repurchase intervals in this store; default thresholds used: "
        "active {active} days, dormant {dormant} days, lost {lost} days.",
    ),
    "profiling.churn_by_category": (
        "按品类周期判定：每位客户按其主品类（消费金额最多的品类）自己的复购间隔定活跃、沉睡、流失线"
        "（同样的百分位，间隔不少于 {min_n} 个的品类才用自己的线，否则用全店的）。长周期品类（如数码配件）"
        "的买家不会因为食品的短周期被算作流失。",
        "By category cycle: each customer's active, dormant and lost lines follow the repurchase "
        "intervals of their main category (the one they spent most on), at the same percentiles; a "
        "category needs at least {min_n} intervals for lines of its own, else the store's apply. "
        "Buyers of long-cycle categories (such as accessories) are not called lost on food's short "
        "clock.",
    ),
    "profiling.churn_by_store": (
        "所有客户使用同一组全店阈值（参数 churn_by: store，或阈值由参数指定，或缺少订单明细/商品表）。",
        "One set of store-wide thresholds for every customer (parameter churn_by: store, thresholds "
        "set by hand, or no order lines / products).",
    ),
    "profiling.segment_stage": ("分层 × 阶段", "Segments × lifecycle stages"),
    "profiling.segment_stage_text": (
        "每个 RFM 分层里各阶段的客户数。建议动作同时看两者：阶段决定何时联系、是否需要召回，分层决定投入多少"
        "（重要客户一对一、一般客户批量），所以“重要价值”里的沉睡客户走高价值召回，而不是“维持关系”。",
        "Customers of each RFM segment by lifecycle stage. Actions follow both: the stage says when "
        "to contact and whether to win back, the segment how much effort (1:1 for important "
        "customers, bulk for the rest), so a dormant 'important value' customer gets a high-value "
        "win-back, not 'keep the relationship'.",
    ),
    "col.intervals": ("复购间隔数", "Intervals"),
    "col.main_customers": ("主品类客户数", "Customers (main category)"),
    "col.active_days": ("活跃线（天）", "Active within (days)"),
    "col.dormant_days": ("沉睡线（天）", "Dormant after (days)"),
    "col.lost_days": ("流失线（天）", "Lost after (days)"),
    "col.threshold_source": ("阈值来源", "Lines from"),
    "source.category": ("本品类", "this category"),
    "source.store": ("全店（间隔太少）", "the store (too few intervals)"),
    "profiling.migration": ("阶段迁移（{start} → {end}）", "Stage migration ({start} → {end})"),
    "profiling.cohorts": ("首购月份同期群留存", "Monthly first-purchase cohorts: retention"),
    "profiling.repeat_curves": ("同期群累计复购曲线", "Cumulative repeat purchase by cohort"),
    "profiling.prediction": ("购买预测（BG/NBD + Gamma-Gamma）", "Purchase prediction (BG/NBD + Gamma-Gamma)"),
    "profiling.prediction_text": (
        "{model}，按天汇总交易拟合：r = {r:.3f}，α = {alpha:.3f}，a = {a:.3f}，b = {b:.3f}"
        "（{n:,} 位客户，{status}）。",
        "{model}, fitted on daily transactions: r = {r:.3f}, α = {alpha:.3f}, a = {a:.3f}, b = {b:.3f} "
        "({n:,} customers, {status}).",
    ),
    "model.mbgnbd": (
        "MBG/NBD 模型（BG/NBD 的变体：只买过一次的客户也可能已流失）",
        "MBG/NBD model (a BG/NBD variant in which one-off buyers may also have left)",
    ),
    "model.bgnbd": (
        "BG/NBD 模型（注意：此模型里只买过一次的客户 P(存活) 恒为 1，会高估他们还在的可能；"
        "一次性买家多的店用默认的 MBG/NBD）",
        "BG/NBD model (note: in this model a customer who bought once has P(alive) = 1, which "
        "overstates that one-off buyers are still there; stores with many of them should keep the "
        "default MBG/NBD)",
    ),
    "profiling.gg_text": (
        "客单价模型（Gamma-Gamma）：p = {p:.3f}，q = {q:.3f}，γ = {v:.3f}（{n:,} 位复购客户）。",
        "Spend model (Gamma-Gamma): p = {p:.3f}, q = {q:.3f}, γ = {v:.3f} ({n:,} repeat customers).",
    ),
    "profiling.gg_skipped": ("复购客户太少，未拟合客单价模型。", "Too few repeat customers to fit the spend model."),
    "profiling.model_failed": ("模型未能拟合：{reason}", "The model could not be fitted: {reason}"),
    "profiling.holdout": ("预测校验：留出期复购", "Holdout check: repeat purchases"),
    "profiling.holdout_text": (
        "用 {cal_end} 之前的数据拟合，预测之后 {days} 天：预测复购 {predicted:,.0f} 次，实际 {actual:,.0f} 次"
        "（相对误差 {error:+.1%}）。",
        "Fitted on data up to {cal_end}, predicting the next {days} days: {predicted:,.0f} repeat "
        "purchases predicted, {actual:,.0f} actual (relative error {error:+.1%}).",
    ),
    "profiling.value_text": (
        "预计未来 {days} 天：收入 {revenue}（预计购买次数 × 预计每次消费，未折现）；毛利 {margin}（每位客户的"
        "毛利率 × 预计收入，毛利率 = 1 − 商品成本 ÷ 实付金额，已扣优惠券和满减；按年折现率 {rate:.0%}、每 30 天"
        "一期折现到今天；全店毛利率 {store_rate:.1%}）。",
        "Expected over the next {days} days: revenue {revenue} (expected purchases × expected spend, "
        "undiscounted); gross margin {margin} (each customer's margin rate × expected revenue, the "
        "rate being 1 − cost of goods ÷ amount paid, after coupons and spend-threshold discounts; discounted to today at "
        "{rate:.0%} a year in 30-day steps; store margin rate {store_rate:.1%}).",
    ),
    "profiling.value_no_cost": (
        "预计未来 {days} 天收入 {revenue}（未折现）。商品表没有成本（unit_cost），算不出毛利。",
        "Expected revenue over the next {days} days: {revenue} (undiscounted). The products table "
        "has no unit_cost, so there is no margin figure.",
    ),
    "profiling.value_holdout": (
        "对照留出期检验：模型对购买次数的相对误差为 {error:+.1%}；若未来同样偏差，{what}约为 {adjusted}。",
        "Against the holdout check: the model's relative error on purchases was {error:+.1%}; with "
        "the same error ahead, the {what} would be about {adjusted}.",
    ),
    "word.margin": ("毛利", "margin"),
    "word.revenue": ("收入", "revenue"),
    "profiling.value_no_holdout": (
        "历史不够长，没有留出期误差可对照，以上预计仅供参考。",
        "Too little history for a holdout error to set beside these figures: treat them as indicative.",
    ),
    "profiling.holdout_skipped": (
        "历史不足 {days} 天，跳过留出期校验。",
        "Less than {days} days of history: holdout check skipped.",
    ),
    "profiling.exports": ("企业微信标签导出", "Exports for WeCom tags"),
    "profiling.exports_text": (
        "已在 exports/ 写出 {n} 个 CSV（UTF-8 BOM，可直接用 Excel 打开），每个分层、每个阶段一份，"
        "含客户ID、分层、阶段、存活概率、预期价值与建议动作。",
        "{n} CSV files written to exports/ (UTF-8 with BOM, open in Excel), one per segment and "
        "stage, with customer id, segment, stage, P(alive), expected value and suggested action.",
    ),
    "profiling.top_actions": ("本周行动清单", "This week's actions"),
    "kpi.active_customers": ("期内下单客户数", "Buyers in the period"),
    "kpi.return_rate": ("回购率", "Buy-back rate"),  # not "return rate": that reads as product returns
    "def.active_customers": (
        "本区间有有效订单的客户（不是生命周期里的“活跃”阶段）",
        "customers with a paid order in the period (not the lifecycle stage 'active')",
    ),
    "def.return_rate": (
        "上一区间的下单客户中，本区间再次下单的比例",
        "share of the previous period's buyers who bought again in this period",
    ),
    "method.quantiles": ("分位数", "quantiles"),
    "method.cuts": ("固定切点", "fixed cut points"),
    "split.mean": ("平均分", "mean score"),
    "split.median": ("中位分", "median score"),
    "split.value": ("{value} 分", "score {value}"),
    "status.converged": ("已收敛", "converged"),
    "status.not_converged": ("未收敛，结果仅供参考", "did not converge; treat as indicative"),
    "dim.city_tier": ("城市等级", "city tier"),
    "dim.age_band": ("年龄段", "age band"),
    "dim.gender": ("性别", "gender"),
    "dim.acquisition_channel": ("获客渠道", "acquisition channel"),
    "col.value_group": ("分组", "Group"),
    "col.customer_share": ("客户占比", "Customer share"),
    "col.repurchase_rate": ("复购率", "Repurchase rate"),
    "col.segment": ("客户分层", "Segment"),
    "col.stage": ("阶段", "Stage"),
    "col.action": ("建议动作", "Suggested action"),
    "col.cadence": ("触达时机", "When to contact"),
    "col.avg_recency": ("平均距今天数", "Avg days since last order"),
    "col.avg_frequency": ("平均订单数", "Avg orders"),
    "col.avg_monetary": ("平均消费（元）", "Avg spend (CNY)"),
    "col.tier": ("层级", "Tier"),
    "col.avg_monthly_spend": ("月均消费（元）", "Avg monthly spend (CNY)"),
    "col.previous_stage": ("上期阶段", "Previous stage"),
    "col.calibration_repeats": ("校准期复购次数", "Repeat purchases in calibration"),
    "col.actual_mean": ("实际（人均）", "Actual (per customer)"),
    "col.predicted_mean": ("预测（人均）", "Predicted (per customer)"),
    "col.p_alive": ("存活概率", "P(alive)"),
    "col.expected_value_90": ("90 天预计收入（元）", "Expected revenue, 90 days (CNY)"),
    "chart.months_since": ("距首购月数", "Months since first purchase"),
    "chart.cohort": ("首购月份", "First-purchase month"),
    "chart.repeat_share": ("累计复购占比", "Share with a repeat purchase"),
    "chart.customer_share": ("客户占比", "Customer share"),
    "chart.gmv_share": ("GMV 占比", "GMV share"),
    "chart.actual": ("实际", "Actual"),
    "chart.predicted": ("预测", "Predicted"),
    "chart.calibration_repeats": ("校准期复购次数", "Repeat purchases in calibration period"),
    "chart.holdout_repeats": ("留出期人均复购次数", "Repeat purchases per customer in holdout"),
    "segment.important_value": ("重要价值客户", "Important value"),
    "segment.important_develop": ("重要发展客户", "Important to develop"),
    "segment.important_keep": ("重要保持客户", "Important to keep"),
    "segment.important_retain": ("重要挽留客户", "Important to win back"),
    "segment.general_value": ("一般价值客户", "General value"),
    "segment.general_develop": ("一般发展客户", "General to develop"),
    "segment.general_keep": ("一般保持客户", "General to keep"),
    "segment.general_retain": ("一般挽留客户", "General to win back"),
    "stage.new": ("新客", "New"),
    "stage.active": ("活跃", "Active"),
    "stage.silent": ("沉默", "Silent"),
    "stage.dormant": ("沉睡", "Dormant"),
    "stage.lost": ("流失", "Lost"),
    "stage.not_yet": ("尚未购买", "Not yet a customer"),
    "cadence.new": ("3 天内激活", "Activate within 3 days"),
    "cadence.active": ("7 天内促单", "Nudge to buy within 7 days"),  # the playbook's 7-day 促单
    "cadence.silent": ("第 14 天回访", "Revisit at day 14"),
    "cadence.dormant": ("纳入召回活动", "Include in a win-back campaign"),
    "cadence.lost": ("仅低成本触达", "Low-cost reach only"),
    "sep.semicolon": ("；", "; "),
    "export.customer_id": ("客户ID", "customer_id"),
    "export.segment": ("客户分层", "segment"),
    "export.stage": ("生命周期阶段", "stage"),
    "export.p_alive": ("存活概率", "p_alive"),
    "export.expected_purchases_90": ("90天预期购买次数", "expected_purchases_90"),
    "export.expected_value_90": ("90天预期价值(元)", "expected_value_90_cny"),
    "export.suggested_action": ("建议动作", "suggested_action"),
    "value.unknown": ("未知", "unknown"),
    "action.vip_care": ("专属客服与会员权益，维持关系，避免打折", "VIP care and member benefits; avoid discounting"),
    "action.raise_frequency": ("会员卡/囤货装，提升购买频次", "Membership or refill packs to raise frequency"),
    "action.reengage_loyal": ("企业微信一对一关怀，了解流失原因", "1:1 WeCom contact to learn why they went quiet"),
    "action.win_back_high_value": ("高价值召回：大额券或专属礼", "High-value win-back: large coupon or gift"),
    "action.upsell": ("组合装/满减，提升客单价", "Bundles and spend thresholds to lift basket size"),
    "action.nurture_repeat": ("引导第二单：复购券与使用教程", "Guide to a second order: repeat coupon and how-tos"),
    "action.remind_low_cost": ("低成本提醒：社群/朋友圈触达", "Low-cost reminders via groups and Moments"),
    "action.low_priority": ("低优先级，仅大促时群发", "Low priority: mass messages at big sales only"),
    "action.welcome_vip": ("专人欢迎 + 第二单专属礼遇", "Personal welcome and a second-order gift"),
    "action.activate_new": ("欢迎语 + 第二单优惠券", "Welcome message and a second-order coupon"),
    "action.win_back_coupon": ("召回券，批量发放", "Win-back coupon, sent in bulk"),
    "action.last_try": (
        "最后一次一对一问候，无回应即停止投入", "One last 1:1 message; stop spending if there is no reply"),
    "stage_action.activate_new": ("欢迎语 + 第二单优惠券", "Welcome message and a second-order coupon"),
    "stage_action.push_regular": ("朋友圈/社群常规推送", "Regular Moments and group posts"),
    "stage_action.revisit": ("企业微信一对一回访", "1:1 WeCom revisit"),
    "stage_action.win_back_campaign": ("纳入召回活动", "Add to a win-back campaign"),
    "stage_action.low_cost_reach": ("只做群发/朋友圈，不再发券", "Mass messages and Moments only; no coupons"),
    "def.p.customers": ("截至期末至少有 1 笔有效订单的客户", "customers with a paid order up to the period end"),
    "def.p.new_customers": ("首笔有效订单落在本区间的客户", "customers whose first paid order falls in the period"),
    "def.p.orders": ("本区间已支付订单（不含退款、取消）", "paid orders in the period (refunded, cancelled excluded)"),
    "def.p.gmv": ("本区间有效订单实付金额之和，减去其中的部分退款（元）",
                  "amount paid on the period's paid orders, less their partial refunds (CNY)"),
    "def.p.aov": ("本区间 GMV ÷ 有效订单数（元）", "the period's GMV ÷ paid orders (CNY)"),
    "def.p.frequency": ("本区间有效订单数 ÷ 期内下单客户数", "the period's paid orders ÷ buyers in the period"),
    "def.p.repurchase_rate": (
        "本区间下单客户中，在本区间内不同的 2 天及以上下单的比例（%；同一天拆成多笔算一次购买）",
        "share of the period's buyers who bought on 2 or more different days in it (%; orders split "
        "on one day are one purchase)",
    ),
    "profiling.period": ("分析区间：{start} 至 {end}（上一区间 {prev_start} 至 {prev_end}）",
                         "Period: {start} to {end} (previous period {prev_start} to {prev_end})"),
    "col.cadence_days": ("触达时限（天）", "Contact within (days)"),
    "col.expected_value_sum": ("90 天预计收入合计（元，未折现）", "Expected revenue, next 90 days (CNY, undiscounted)"),
    "col.mean_p_alive": ("平均存活概率", "Mean P(alive)"),
    "col.kind": ("类型", "Kind"),
    "kind.segment": ("分层", "segment"),
    "kind.stage": ("阶段", "stage"),
    "kind.all": ("全部客户", "all customers"),
}
