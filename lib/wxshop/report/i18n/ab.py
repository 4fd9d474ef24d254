"""Strings of the A/B test report: experiments, arms, tests, power and their tables and charts.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    # A/B tests
    "notebook.ab_test": ("A/B 实验评估", "A/B test evaluation"),
    "ab.title": ("A/B 实验：{experiment}（{store}）", "A/B test: {experiment} ({store})"),
    "ab.decision": ("结论", "Decision"),
    "ab.decision_line": ("结论：{decision}（{variant}）", "Decision: {decision} ({variant})"),
    "ab.decision_overall": ("总体结论：{decision}", "Overall decision: {decision}"),
    "ab.reasoning": ("依据：{reasons}", "Why: {reasons}"),
    "ab.source_assignments": (
        "数据来源：实验分组表 + 订单；指标窗口为每位用户分组后 {window} 天，分组前 {pre} 天的消费作为 CUPED 协变量。",
        "Source: experiment assignments + orders; metrics over {window} days after each user's "
        "assignment, spend in the {pre} days before as the CUPED covariate.",
    ),
    "ab.source_users": ("数据来源：按用户的结果表 {file}。", "Source: the per-user outcome table {file}."),
    "ab.source_counts": (
        "数据来源：参数中填写的汇总数（看板数字）；只能计算这些数字允许的指标。",
        "Source: summary counts typed into the parameters (dashboard numbers); only the metrics "
        "those numbers allow are computed.",
    ),
    "ab.no_source": (
        "没有可分析的数据：请设置 experiment_id（实验分组表）、outcomes_file 或 summary。",
        "Nothing to analyse: set experiment_id (assignments table), outcomes_file or summary.",
    ),
    "ab.trust": ("可信度检查", "Trust checks"),
    "ab.srm_ok": (
        "样本比例检查（SRM）：卡方 = {chi2:.2f}，p = {p:.3g}，与计划分流一致。",
        "Sample-ratio check (SRM): chi-square = {chi2:.2f}, p = {p:.3g}, consistent with the planned split.",
    ),
    "ab.srm_banner": (
        "⚠ 样本比例不匹配（SRM）：实际分流与计划不符（p = {p:.2g} < {threshold}）。分组或埋点有问题，以下结果不可信，请先排查再重新实验。",
        "⚠ Sample ratio mismatch (SRM): the observed split differs from the plan (p = {p:.2g} < "
        "{threshold}). Assignment or logging is broken; the results below are not to be trusted — "
        "find the cause and rerun.",
    ),
    "ab.multi_variant": (
        "{n} 位用户出现在多个实验组，已剔除并计数。",
        "{n} users were seen in more than one variant; they are excluded and counted.",
    ),
    "ab.incomplete": (
        "{n} 位用户的指标窗口超出数据截止日，其结果可能偏低。",
        "{n} users' metric windows run past the end of the data; their outcomes may be short.",
    ),
    "ab.balance": ("实验前均衡性（分组前的消费与新客占比）", "Pre-period balance (spend before assignment, share of new customers)"),
    "ab.arms": ("各组概况", "Arms"),
    "ab.metrics": ("指标与显著性", "Metrics and significance"),
    "ab.metrics_text": (
        "显著性水平 α = {alpha}；多重比较校正：{correction}（覆盖 {n} 个 变体 × 指标 检验）。{cap}",
        "Significance level α = {alpha}; multiple-testing correction: {correction} over {n} "
        "variant × metric tests. {cap}",
    ),
    "ab.cap_text": ("收入按 {cap} 分位数封顶。", "Revenue capped at the {cap} percentile."),
    "ab.no_cap": ("收入不封顶。", "Revenue is not capped."),
    "ab.cuped_text": (
        "CUPED（以分组前消费为协变量）使 {metric} 的方差降低 {reduction:.0%}；表中该指标两组的值为调整后的均值。",
        "CUPED (pre-period spend as covariate) reduced the variance of {metric} by {reduction:.0%}; "
        "the table shows both arms' adjusted means for it.",
    ),
    "ab.relative_undefined": (
        "对照组均值接近 0，相对提升无意义，只报告绝对差。",
        "The control mean is near zero: the relative lift is not meaningful; only the absolute difference is shown.",
    ),
    "ab.guardrails": ("护栏指标（非劣效检验）", "Guardrail metrics (non-inferiority)"),
    "ab.guardrails_text": (
        "护栏指标不得比对照组差超过 {margin:.0%}（单侧检验）。",
        "A guardrail must not be worse than control by more than {margin:.0%} (one-sided test).",
    ),
    "ab.bootstrap": ("稳健性：Bootstrap 区间（人均收入）", "Robustness: bootstrap interval (revenue per user)"),
    "ab.bayes": ("贝叶斯视角", "Bayesian view"),
    "ab.bayes_text": (
        "胜过对照组的概率与选择该组的期望损失（转化率用 Beta-二项模型，均值用正态近似）。",
        "Probability to beat control and the expected loss of choosing the variant (Beta-Binomial for "
        "conversion, normal approximation for means).",
    ),
    "ab.sequential": ("连续监测（随时有效的置信区间）", "Continuous monitoring (always-valid intervals)"),
    "ab.sequential_text": (
        "已开启 sequential：使用混合 SPRT 置信序列，每天查看结果也不会抬高误判率。",
        "sequential is on: mixture-SPRT confidence sequences keep the error rate even when results are checked daily.",
    ),
    "ab.power": ("功效与样本量", "Power and sample size"),
    "ab.power_text": (
        "目标：以 {power:.0%} 的功效检测 {mde:.0%} 的相对提升。实际功效按观测效应计算，仅作描述。",
        "Target: detect a {mde:.0%} relative lift with {power:.0%} power. Achieved power uses the observed "
        "effect and is descriptive only.",
    ),
    "ab.segments": ("分人群效果", "Effect by segment"),
    "ab.segments_caution": (
        "分人群结果已做多重比较校正；人群间差异容易是噪声，只作为下一次实验的线索，不作为上线依据。",
        "Segment results are corrected for multiplicity; differences between segments are easily noise — "
        "treat them as leads for the next test, not as grounds to ship.",
    ),
    "ab.segments_skipped": ("{n} 个人群样本过少（每组 < {min} 人），未计算。", "{n} segments were too small (< {min} users per arm) and skipped."),
    "decision.ship": ("上线", "Ship"),
    "decision.dont_ship": ("不上线", "Don't ship"),
    "decision.keep_running": ("继续实验", "Keep running"),
    "decision.inconclusive": ("无法下结论", "Inconclusive"),
    "reason.sample_ratio_mismatch": ("样本比例不匹配，结果不可信", "sample ratio mismatch: results not trustworthy"),
    "reason.primary_not_computable": ("主要指标无法计算", "the primary metric cannot be computed"),
    "reason.primary_significantly_better": ("主要指标显著提升", "the primary metric improved significantly"),
    "reason.primary_significantly_worse": ("主要指标显著下降", "the primary metric got significantly worse"),
    "reason.primary_not_significant": ("主要指标差异不显著", "no significant difference in the primary metric"),
    "reason.guardrails_non_inferior": ("护栏指标均未变差", "every guardrail is shown not worse"),
    "reason.guardrail_harmed": ("护栏指标显著变差", "a guardrail got significantly worse"),
    "reason.guardrail_not_yet_non_inferior": ("护栏指标尚未证明未变差", "a guardrail is not yet shown to be safe"),
    "reason.guardrail_not_checked": (
        "护栏指标无法用这份数据计算（如缺少订单数），不能直接上线：补充数据，或明确不设该护栏",
        "a guardrail cannot be computed from this input (e.g. no orders), so it cannot ship as it "
        "is: add the data, or drop that guardrail on purpose",
    ),
    "reason.power_unknown": ("无法判断样本是否足够（缺少目标提升或分组天数）", "cannot tell whether the sample is enough (no target lift or assignment days)"),
    "reason.effect_below_target_mde": ("样本已足够，效应小于目标提升", "enough users, and the effect is below the target lift"),
    "reason.target_sample_reached": ("已达到目标样本量", "the target sample is reached"),
    "reason.underpowered_keep_collecting": ("样本不足，目标样本可在期限内达到", "too few users yet; the target sample is within reach"),
    "reason.target_sample_out_of_reach": ("按当前流量难以达到目标样本量", "the target sample is out of reach at current traffic"),
    "metric.conversion": ("转化率", "Conversion"),
    "metric.revenue_per_user": ("人均收入", "Revenue per user"),
    "metric.orders_per_user": ("人均订单数", "Orders per user"),
    "metric.aov": ("笔单价（每单）", "AOV (per order)"),
    "metric.spend_per_buyer": ("客单价（每位下单用户）", "Spend per converting user"),
    "metric.profit_per_user": ("人均毛利", "Gross profit per user"),
    "correction.holm": ("Holm", "Holm"),
    "correction.bh": ("Benjamini–Hochberg", "Benjamini–Hochberg"),
    "segment_dim.is_new": ("新客 / 老客", "New vs returning"),
    "segment_dim.acquisition_channel": ("获客渠道", "Acquisition channel"),
    "segment_dim.city_tier": ("城市等级", "City tier"),
    "value.new": ("新客", "new"),
    "value.returning": ("老客", "returning"),
    "col.variant": ("实验组", "Variant"),
    "col.users": ("用户数", "Users"),
    "col.conversions": ("转化用户", "Converters"),
    "col.conversion": ("转化率", "Conversion"),
    "col.revenue_per_user": ("人均收入（元）", "Revenue per user (CNY)"),
    "col.orders_per_user": ("人均订单数", "Orders per user"),
    "col.spend_per_buyer": ("客单价（元/下单用户）", "Spend per converting user (CNY)"),
    "col.profit_per_user": ("人均毛利（元）", "Gross profit per user (CNY)"),
    "col.planned_share": ("计划占比", "Planned share"),
    "col.observed_share": ("实际占比", "Observed share"),
    "col.metric_name": ("指标", "Metric"),
    "col.control_mean": ("对照组", "Control"),
    "col.treatment_mean": ("实验组", "Treatment"),
    "col.diff": ("绝对差", "Difference"),
    "col.ci": ("95% 区间", "95% interval"),
    "col.rel_lift": ("相对提升", "Relative lift"),
    "col.rel_ci": ("相对提升区间", "Relative interval"),
    "col.p_value": ("p 值", "p-value"),
    "col.p_adjusted": ("校正后 p 值", "Adjusted p-value"),
    "col.significant": ("显著", "Significant"),
    "col.prob_beat": ("胜过对照的概率", "P(beats control)"),
    "col.expected_loss": ("期望损失", "Expected loss"),
    "col.achieved_power": ("实际功效", "Achieved power"),
    "col.mde_rel": ("当前可检测的最小提升", "Current MDE (relative)"),
    "col.n_needed": ("每组所需样本", "Users needed per arm"),
    "col.days_remaining": ("还需天数", "Days remaining"),
    "col.dimension": ("维度", "Dimension"),
    "col.segment_value": ("人群", "Segment"),
    "col.non_inferior": ("非劣效", "Non-inferior"),
    "col.margin": ("容许下降", "Margin"),
    "col.decision": ("结论", "Decision"),
    "col.reasons": ("依据", "Reasons"),
    "col.role_ab": ("角色", "Role"),
    "col.cuped": ("CUPED", "CUPED"),
    "col.variable": ("变量", "Variable"),
    "col.flagged": ("异常", "Flagged"),
    "col.welch_ci": ("Welch 95% 区间", "Welch 95% interval"),
    "col.bound": ("最差可能（区间下限）", "Worst case (interval bound)"),
    "role_ab.primary": ("主要指标", "primary"),
    "role_ab.guardrail": ("护栏指标", "guardrail"),
    "role_ab.secondary": ("次要指标", "secondary"),
    "guardrail.ok": ("未变差（通过）", "not worse (passed)"),
    "guardrail.unproven": ("尚未证明", "not yet shown"),
    "guardrail.harmed": ("显著变差", "significantly worse"),
    "guardrail.undefined": ("无法判断（对照组均值接近 0）", "undecidable (control mean near zero)"),
    "balance.pre_revenue": ("分组前人均消费", "Pre-period spend per user"),
    "balance.is_new": ("新客占比", "Share of new customers"),
    "ab.days_unknown": ("未知（缺少分组天数）", "unknown (assignment days not given)"),
    "ab.primary_line": (
        "{metric}：{variant} 比对照组 {diff}（{rel}），95% 区间 {ci}，校正后 p {p}。",
        "{metric}: {variant} vs control {diff} ({rel}), 95% interval {ci}, adjusted p {p}.",
    ),
    "ab.need_more": (
        "要证明结论，每组约需 {n} 人；按当前流量还需约 {days} 天。",
        "To settle it, about {n} users per arm are needed; at the current traffic about {days} more days.",
    ),
    "ab.action.ship": (
        "行动：把 {variant} 全量上线，上线后继续观察护栏指标。",
        "Action: roll {variant} out to everyone, and keep watching the guardrails after launch.",
    ),
    "ab.action.dont_ship": (
        "行动：保持现状（对照组），不要上线实验方案。",
        "Action: keep the current version (control); do not roll out the variant.",
    ),
    "ab.action.keep_running": (
        "行动：实验继续运行，达到所需样本后再决定；期间不要提前上线。",
        "Action: keep the experiment running until the needed sample is reached; do not roll out early.",
    ),
    "ab.action.inconclusive": (
        "行动：暂不上线；先处理下面列出的原因（分流问题、样本不足），再重新实验。",
        "Action: do not roll out; fix the reasons below (broken split, too little data) and rerun.",
    ),
    "ab.bootstrap_text": (
        "收入分布长尾；Bootstrap 区间（{n} 次重抽样）与 Welch 区间接近时，结论不受长尾影响。",
        "Revenue is heavy-tailed; when the bootstrap interval ({n} resamples) is close to the Welch "
        "interval, the conclusion does not hinge on the tail.",
    ),
    "ab.no_relative": (
        "部分指标的对照组均值接近 0，其相对提升不显示（—）。",
        "Some metrics have a control mean near zero; their relative lift is not shown (—).",
    ),
    "ab.skipped_metrics": (
        "输入数据不足以计算：{metrics}。",
        "The input does not allow: {metrics}.",
    ),
    "ab.other_metrics": ("其他指标：{items}。", "Other metrics: {items}."),
    "ab.metric_item": (
        "{metric}{role} {change}（{level} 区间 {low} 到 {high}），{verdict}",
        "{metric}{role} {change} ({level} interval {low} to {high}), {verdict}",
    ),
    "ab.item_sep": ("；", "; "),
    "ab.metric_item_na": ("{metric}{role} 无法计算", "{metric}{role} cannot be computed"),
    "ab.guardrail_tag": ("（护栏）", " (guardrail)"),
    "ab.significantly_up": ("显著上升", "significantly up"),
    "ab.significantly_down": ("显著下降", "significantly down"),
    "ab.not_significant": ("不显著", "not significant"),
    "ab.stand_in": (
        "没有订单数，无法计算{replaced}：改用{metric} = 收入 ÷ 下单用户数（比率指标，delta 方法），"
        "并沿用它的角色。",
        "No orders, so {replaced} cannot be computed: {metric} = revenue ÷ converting users (a ratio "
        "metric, delta method) is used instead, in the same role.",
    ),
    "ab.profit_text": (
        "人均毛利 = Σ（收入 − 商品成本 − 券与折扣成本）÷ 分组用户数（元/人，不封顶）。券与折扣只扣一次："
        "按订单计算时收入是实付金额，已扣除订单优惠，不再重复扣；结果表的 coupon_cost 只填收入中尚未扣除的券成本。",
        "Gross profit per user = Σ (revenue − cost of goods − coupon and discount cost) ÷ assigned "
        "users (CNY per user, not capped). Coupons and discounts count once: from orders, revenue is "
        "the amount paid, already net of the order discount, so nothing more is taken off; an "
        "outcome file's coupon_cost holds only coupon cost its revenue does not already net out.",
    ),
    "ab.cost_missing": (
        "{n} 笔订单缺少商品成本（无明细行或商品无成本价），无法计算人均毛利。",
        "{n} orders have no cost of goods (no item lines, or a product without a unit cost): gross "
        "profit per user is not computed.",
    ),
    "ab.profit_missing": (
        "没有商品成本（products.unit_cost，或结果表的 cost 列），无法计算人均毛利：优惠券等让利的成本未计入结论。",
        "No cost of goods (products.unit_cost, or a cost column in the outcome file): gross profit per "
        "user cannot be computed, so the cost of a coupon or discount is not weighed in the decision.",
    ),
    "ab.guardrail_not_checked": (
        "护栏指标 {metrics} 无法用此输入计算，未检查。",
        "Guardrail {metrics} cannot be computed from this input and was not checked.",
    ),
    "ab.imbalance": (
        "⚠ 分组前的指标在各组间差异过大（p < {threshold}）：分组可能依赖用户历史，结果需谨慎解读。",
        "⚠ Pre-period figures differ between arms more than chance allows (p < {threshold}): the "
        "assignment may depend on user history; read the results with care.",
    ),
    # the key-figure cards (wxshop.report.views.ab_cards): names, definitions, notes
    "kpi.ab_decision": ("结论", "Decision"),
    "kpi.ab_lift": ("主要指标相对提升", "Primary metric lift"),
    "kpi.ab_p_value": ("校正后 p 值", "Adjusted p-value"),
    "kpi.ab_users": ("分析用户数", "Users analysed"),
    "kpi.ab_days": ("已分组天数", "Days of assignment"),
    "kpi.ab_guardrails": ("护栏指标", "Guardrails"),
    "def.ab_decision": (
        "总体结论（JSON 的 decision，译成文字）：上线 / 不上线 / 继续实验 / 无法下结论；下方是卡片所说的分组与对照组"
        "（结论为上线时是建议上线的分组，否则是结论与总体结论相同、主要指标差值最大的分组）",
        "the overall decision (the JSON's decision, in words): ship / don't ship / keep running / "
        "inconclusive; under it the variant the cards describe, against control (the variant to ship, "
        "else the one with the overall decision and the largest primary-metric difference)",
    ),
    "def.ab_lift": (
        "该分组主要指标的相对提升 = 差值 ÷ 对照均值，下方是其 1 − α 区间（开启 sequential 时为随时有效区间）；"
        "对照均值接近 0 时改为绝对差",
        "the variant's relative lift of the primary metric = difference ÷ control mean, under it the "
        "1 − α interval (the always-valid one with sequential); the absolute difference when the "
        "control mean is near zero",
    ),
    "def.ab_p_value": (
        "结论所用的主要指标 p 值（多重比较校正后；开启 sequential 时为随时有效 p 值）：< α ✓ 显著，否则 ✗",
        "the primary metric's p-value the decision used (after the multiple-testing correction; the "
        "always-valid one with sequential): ✓ significant below α, else ✗",
    ),
    "def.ab_users": (
        "进入分析的用户数（各组合计），下方是样本比例检验：✓ 与计划分流一致，✗ p < 0.001 分流异常",
        "users analysed (all arms), under it the sample-ratio check: ✓ split as planned, ✗ a "
        "mismatch at p < 0.001",
    ),
    "def.ab_days": (
        "第一位到最后一位用户分组的日历天数（含首尾；输入为汇总数时是参数 days），下方是按当前流量达到目标样本"
        "（以 power 的功效检测 target_relative_mde）还需的天数：✓ 已达到；未达到且结论要等样本（继续实验、按当前流量难以达到）时 ✗",
        "calendar days from the first to the last user's assignment (both counted; the days "
        "parameter for typed-in counts), under it the "
        "days still needed at the current traffic for the target sample (target_relative_mde at "
        "the given power): ✓ reached; ✗ not yet, when the decision waits for it (keep running, out of "
        "reach at current traffic)",
    ),
    "def.ab_guardrails": (
        "该分组护栏指标的非劣效检验（下降不超过 guardrail_margin）：通过 ✓；变差、未检查（数据不足）或未证实 ✗",
        "the variant's guardrails, non-inferiority (a drop within guardrail_margin): passed ✓; "
        "harmed, unchecked (the input lacks them) or unproven ✗",
    ),
    "doc.window.ab_assignment": (
        "分组期：第一位到最后一位用户的分组日", "the assignment period: first to last user's assignment day",
    ),
    "ab.card.versus": ("{variant} 对比 {control}", "{variant} vs {control}"),
    "ab.card.interval": ("{metric}，{level} 区间 {low} 至 {high}", "{metric}, {level} CI {low} to {high}"),
    "ab.card.significant": ("显著：p < α = {alpha}", "significant: p < α = {alpha}"),
    "ab.card.not_significant": ("不显著：p ≥ α = {alpha}", "not significant: p ≥ α = {alpha}"),
    "ab.card.srm_ok": ("分流与计划一致，p {p}", "split as planned, p {p}"),
    "ab.card.srm_bad": ("分流异常，p {p}", "sample ratio mismatch, p {p}"),
    "ab.card.days": ("{days} 天", "{days} days"),
    "ab.card.sample_reached": ("已达到目标样本量", "target sample reached"),
    "ab.card.more_days": ("目标样本还需约 {days} 天", "about {days} more days to target sample"),
    "ab.card.need_users": ("目标样本：每组约 {n} 人", "target sample: about {n} users per arm"),
    "ab.card.guardrails_ok": ("通过", "Passed"),
    "ab.card.guardrails_harmed": ("变差", "Harmed"),
    "ab.card.guardrails_unchecked": ("未检查", "Unchecked"),
    "ab.card.guardrails_unproven": ("未证实", "Unproven"),
        "ab.card.name_sep": ("、", ", "),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "products.headline": ("选品概览", "At a glance"),
    "products.window": (
        "分析区间：{start} 至 {end}（{days} 天）的有效订单商品行。",
        "Analysed: item lines of paid orders from {start} to {end} ({days} days).",
    ),
    "products.partial_costs": (
        "部分商品缺少成本价：毛利按有成本的商品计算，覆盖 {coverage:.0%} 的 GMV。",
        "Some products have no unit cost: margins cover the products with costs, {coverage:.0%} of GMV.",
    ),
    "products.sku_rows": (
        "按 GMV 显示前 {shown} 个商品（共 {total} 个）；完整表格见报告的 JSON。",
        "Top {shown} of {total} products by GMV; the full table is in the report's JSON.",
    ),
    "products.quadrant_skipped": (
        "缺少成本或复购周期，无法绘制象限图。",
        "No costs or no repurchase cycles: the quadrant cannot be drawn.",
    ),
    "products.abc_profit": (
        "按毛利的 ABC：A 类 {a_items} 个商品贡献 {a_share:.0%} 的毛利。",
        "ABC by gross profit: {a_items} class-A products make {a_share:.0%} of gross profit.",
    ),
    "products.channels_text": (
        "规则按顺序匹配（参数 channel_rules 可改），以品类的复购周期（KM 中位数）和毛利率判断。",
        "Rules are tried in order (change them with the channel_rules parameter), using the "
        "category's repurchase cycle (KM median) and gross margin.",
    ),
    "products.discounts_none": (
        "订单中没有记录优惠金额（orders.discount），无法计算折扣深度。",
        "Orders record no discount (orders.discount): discount depth cannot be measured.",
    ),
    "products.discounts_flagged": (
        "{n} 个商品折扣深度 ≥ {threshold:.0%} 且复购率低于中位数（{median:.0%}）。",
        "{n} products have a discount depth ≥ {threshold:.0%} and a repurchase rate below the median ({median:.0%}).",
    ),
    "kpi.skus": ("在售商品数", "Products sold"),
    "kpi.categories": ("品类数", "Categories"),
    "kpi.item_gmv": ("商品销售额", "Item sales"),
    "kpi.gross_profit": ("毛利", "Gross profit"),
    "kpi.gross_margin": ("毛利率", "Gross margin"),
    "kpi.cost_coverage": ("成本覆盖率", "Cost coverage"),
    "kpi.a_skus": ("A 类商品数", "Class-A products"),
    "kpi.a_gmv_share": ("A 类 GMV 占比", "Class-A GMV share"),
    "kpi.repeat_skus": ("复购款数", "Repeat drivers"),
    "def.skus": ("区间内有销售的商品编码数", "SKUs with sales in the window"),
    "def.categories": ("区间内有销售的品类数（不在商品表里的 SKU 记为“—”，不算品类）",
                       "categories with sales in the window (SKUs missing from products show as —, not counted)"),
    "def.item_gmv": ("Σ 数量 × 单价（元，订单级优惠前）", "Σ quantity × unit price (CNY, before order discounts)"),
    "def.gross_profit": ("商品销售额 − 成本（元，只含有成本的商品）",
                         "item sales − cost (CNY, products with costs only)"),
    "def.gross_margin": ("毛利 ÷ 有成本商品的销售额", "gross profit ÷ sales of products with costs"),
    "def.cost_coverage": ("有成本价的商品占销售额的比例", "share of item sales from products with a unit cost"),
    "def.a_skus": ("按 GMV 累计划为 A 类的商品（规则见 ABC 分析）", "products in class A by GMV (rule under ABC analysis)"),
    "col.repurchases": ("已观察到的复购次数", "Repurchases observed"),
    "def.a_gmv_share": ("A 类商品的销售额占比", "share of item sales from class-A products"),
    "def.repeat_skus": ("角色为复购款的商品数", "products whose role is repeat driver"),
    "col.cycle_days": ("复购周期（天）", "Cycle (days)"),
    "col.eventual_share": ("最终复购占比", "Eventually repurchased"),
    "col.purchases": ("购买次数", "Purchases"),
    "col.censored": ("未复购（删失）", "Not yet repurchased (censored)"),
    "col.channel_rule": ("匹配规则", "Matched rule"),
    "col.items": ("商品数", "Products"),
    "col.item_share": ("商品占比", "Product share"),
    "col.value_share": ("销售额占比", "Sales share"),
    "col.note": ("说明", "Note"),
    "col.gross_sales": ("折前销售额", "Sales before discount"),
    "rule.repeat": ("周期 ≤ {cycle} 天且复购率 ≥ {rate:.0%}", "cycle ≤ {cycle} days and repurchase rate ≥ {rate:.0%}"),
    "rule.traffic": ("毛利率 < {low:.0%} 且买家数居前 {top:.0%}", "margin < {low:.0%} and buyers in the top {top:.0%}"),
    "rule.profit": ("毛利率 ≥ {high:.0%}", "margin ≥ {high:.0%}"),
    "rule.tail_no_rule": ("以上规则均不满足", "no rule above holds"),
    "rule.tail_margin_unknown": ("缺少成本，毛利未知", "no cost, margin unknown"),
    "channel_rule.short_cycle_food": ("短周期食品（周期 ≤ 15 天）", "short-cycle food (cycle ≤ 15 days)"),
    "channel_rule.high_margin_beauty": ("高毛利美妆（毛利率 ≥ 65%）", "high-margin beauty (margin ≥ 65%)"),
    "channel_rule.long_cycle_accessories": ("长周期配件（周期 ≥ 60 天）", "long-cycle accessories (cycle ≥ 60 days)"),
    "channel_rule.default": ("其他商品", "everything else"),
    "channel_rule.none": ("无匹配规则", "no rule matched"),
    "channel_rule.custom": ("自定义规则 {rule}", "custom rule {rule}"),
    "reminder.ok": ("按曲线", "from the curve"),
    "reminder.raised_to_min_day": ("提前于最早提醒日，已推迟", "raised to the earliest reminder day"),
    "reminder.too_few_repurchases": ("复购次数太少，暂不设提醒", "too few repurchases to set a day"),
    "abc.A": ("A", "A"),
    "abc.B": ("B", "B"),
    "abc.C": ("C", "C"),
    "abc.unknown": ("未知", "unknown"),
}
