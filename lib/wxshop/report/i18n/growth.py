"""Strings of the growth report (``04_growth``): the behaviour funnel, when customers buy,
invitations (fission) and the sections the data cannot support yet.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    "notebook.growth": ("增长", "Growth"),
    # docs/definitions.md rows of figures without a KPI row of their own
    "doc.window.events": ("行为事件表覆盖的日期（截至 period_end）", "the days the events table covers (up to period_end)"),
    "doc.unit.hour": ("钟点 0–23", "hour of day 0–23"),
    "doc.label.weakest_step": ("流失最多的一步", "Step that loses most"),
    "doc.def.weakest_step": (
        "本步转化（本步事件 ÷ 上一步事件）最低的一步",
        "the step with the lowest step conversion (events of the step ÷ events of the step before)",
    ),
    "doc.label.weakest_step_conversion": ("该步转化", "Its conversion"),
    "doc.def.weakest_step_conversion": (
        "流失最多那一步的事件数 ÷ 上一步事件数",
        "events of the step that loses most ÷ events of the step before",
    ),
    "doc.label.peak_hours": ("下单最多的 3 个钟点", "The 3 busiest hours"),
    "doc.def.peak_hours": (
        "已支付订单最多的 3 个钟点，多的在前",
        "the 3 hours of day with the most paid orders, busiest first",
    ),
    "doc.label.acquired_difference_90": ("活动新客与自然新客 90 天价值之差", "Campaign vs organic buyers, 90-day value"),
    "doc.def.acquired_difference_90": (
        "首单用了活动的新客与自然新客，首单后 90 天人均已支付 GMV 之差（活动 − 自然）及其 Welch 95% 区间、p 值、两边人数；"
        "只算首单在数据结束前至少 90 天的客户",
        "mean paid GMV in the 90 days from the first order, buyers whose first order used a campaign minus "
        "organic ones, with its Welch 95% interval, p-value and both counts; buyers whose first order is at "
        "least 90 days before the data ends",
    ),
    "doc.label.peak_in_window": ("高峰是否在手册时段", "Peak in a playbook window"),
    "doc.def.peak_in_window": (
        "每个高峰钟点是否落在 7–9、12–14、20–22 点之一（含起点，不含终点）",
        "whether each peak hour falls in 7–9, 12–14 or 20–22 h (start included, end excluded)",
    ),
    "growth.title": ("增长：{store}", "Growth: {store}"),
    "growth.headline": ("增长核心指标", "Growth key figures"),
    "growth.reference": (
        "参考线（行业手册的数字，仅作对照，不代表本店应达到的值）：活动转化率 9% → 14%（优化前后）；"
        "裂变做得好的店铺约 60% 新客来自邀请链；内容阅读高峰 7–9 点、12–14 点、20–22 点。",
        "Reference lines (the playbook's figures, context only, not a target for this store): activity "
        "conversion 9% → 14% (before → after optimising); in a good fission programme about 60% of new "
        "customers come through invitation chains; content is read at 7–9, 12–14 and 20–22 o'clock.",
    ),
    # funnel
    "growth.funnel": ("行为漏斗：浏览 → 加购 → 下单 → 支付", "Funnel: view → add to cart → checkout → pay"),
    "growth.funnel_text": (
        "{window}的行为事件（{customers:,} 位有埋点的客户）。每一步的转化 = 该步事件数 ÷ 上一步事件数；"
        "流失 = 1 − 转化。浏览到支付 {rate}。",
        "Events of {window} ({customers:,} tracked customers). Step conversion = events of the step ÷ "
        "events of the step before; drop-off = 1 − conversion. View to pay: {rate}.",
    ),
    "growth.worst_step": (
        "流失最多的一步是「{step}」（转化 {rate}）：先优化这一步的页面与提醒。",
        "The step that loses most is “{step}” (conversion {rate}): improve that page and its reminders "
        "first.",
    ),
    "growth.funnel_by_channel": (
        "按获客渠道（客户首次进店的渠道）拆开的漏斗，每个渠道内各步转化：",
        "The funnel per acquisition channel (where the customer first came from), conversions within "
        "each channel:",
    ),
    "growth.funnel_by_category": (
        "按品类（浏览的商品所属品类）拆开的漏斗：",
        "The funnel per category (of the product viewed):",
    ),
    "growth.step_times": (
        "相邻两步之间的时间：每个后一步事件配对同一客户、同一商品在 1 天内最近的前一步事件；单位：分钟。",
        "Time between steps: each event is paired with the same customer's latest earlier event of the "
        "step before on the same SKU within 1 day; minutes.",
    ),
    "growth.view_to_pay": (
        "首次浏览到支付的间隔（同一客户、同一商品，首次浏览之后的首次支付），按性别 × 品类；单位：小时。",
        "From first view to pay (same customer and SKU, the first pay after the first view), by "
        "gender × category; hours.",
    ),
    # timing
    "growth.timing": ("什么时候下单", "When customers buy"),
    "growth.timing_text": (
        "{window}的已支付订单按星期和小时（下单时间，店铺时钟）。本店下单最多的小时：{hours}；"
        "手册建议的发内容时段：{windows}。",
        "Paid orders of {window} by weekday and hour (order time, the shop's clock). This store's "
        "busiest hours: {hours}; the playbook's posting windows: {windows}.",
    ),
    "growth.timing_match": (
        "高峰小时都落在手册的时段内：按这些时段发朋友圈、社群消息。",
        "Every peak hour falls in a playbook window: post to Moments and groups in those windows.",
    ),
    "growth.timing_outside": (
        "高峰小时 {hours} 不在手册的时段内：以本店自己的高峰为准安排推送。",
        "Peak hours {hours} fall outside the playbook's windows: schedule pushes by this store's own "
        "peaks.",
    ),
    "growth.hour_table": (
        "每小时的订单、GMV 与指数（该小时订单 ÷ 每小时平均订单；1 = 平均），并标出手册时段：",
        "Orders, GMV and index per hour (orders in the hour ÷ mean orders per hour; 1 = average), "
        "with the playbook's windows marked:",
    ),
    "growth.hourly_conversion": (
        "每小时的浏览与支付事件，转化 = 支付事件 ÷ 浏览事件（同一小时内）：",
        "View and pay events per hour; conversion = pay events ÷ view events in that hour:",
    ),
    # fission
    "growth.fission": ("邀请裂变", "Invitations (fission)"),
    "growth.fission_text": (
        "{window}：{invitees:,} 位下单客户由老客邀请而来（占下单客户 {share}），来自 {inviters:,} 位邀请人；"
        "K 因子 {k}（每位下单客户带来的下单新客）。参考：做得好的裂变约 60% 新客来自邀请。",
        "{window}: {invitees:,} buying customers came through an invitation ({share} of buying "
        "customers), from {inviters:,} inviters; K-factor {k} (buying invitees per buying customer). "
        "Reference: in a good fission programme about 60% of new customers come through invitations.",
    ),
    "growth.invitation_share": (
        "每月新客（当月首次付款）中被邀请的占比：",
        "Invited share of each month's new customers (first paid order that month):",
    ),
    "growth.chain_depth": (
        "邀请链深度：0 = 自己来的，1 = 被自己来的客户邀请，2 = 被受邀客户再邀请……",
        "Invitation chain depth: 0 = came by themselves, 1 = invited by such a customer, 2 = invited "
        "by an invitee, …",
    ),
    "growth.invitee_value": (
        "受邀客户与自然客户首单后 {days} 天的价值（只算首单在数据结束前至少 {days} 天的客户，窗口完整）：",
        "Value in the {days} days from the first paid order, invited against organic customers (only "
        "customers whose first order is at least {days} days before the data ends, so the window is "
        "complete):",
    ),
    "growth.invitee_diff": (
        "受邀客户的人均 GMV 比自然客户 {diff}（95% 置信区间 {low} 至 {high}，Welch t 检验）。",
        "Invited customers' mean GMV differs from organic customers' by {diff} (95% CI {low} to "
        "{high}, Welch t-test).",
    ),
    "growth.top_inviters": (
        "带来下单新客最多的邀请人（假名编号，可作为 KOC 候选）：",
        "The inviters who brought the most buying customers (pseudonymous ids; KOC candidates):",
    ),
    "growth.no_invitations": (
        "客户表没有邀请人（inviter_id）列，或没有一位下单客户是被邀请来的。",
        "The customers table has no inviter (inviter_id) column, or no buying customer was invited.",
    ),
    # what the data cannot support yet
    "growth.campaigns": ("活动 ROI", "Campaign ROI"),
    "growth.campaigns_text": (
        "每场活动的增量 = 活动期实际 − 假如没有活动的预测：用活动开始前 {baseline} 天（去掉其他活动日）的每日订单和 GMV，"
        "对星期几和线性趋势做回归，预测活动那几天；区间是这几天合计的 95% 预测区间。成本 = 活动订单的优惠 + 活动固定成本；"
        "GMV : 成本按手册的写法（活动订单 GMV ÷ 成本）；增量毛利 = 增量 GMV × 店铺毛利率 − 固定成本。"
        "数据里共 {n} 场活动，{significant} 场的增量 GMV 区间在 0 以上。",
        "A campaign's increment = what its days sold − what they would have sold without it, predicted "
        "by a regression of daily orders and GMV on weekday and a linear trend over the {baseline} days "
        "before it (other campaigns' days left out); the interval is the 95% prediction interval of "
        "those days' sum. Cost = discounts on its orders + its fixed cost; GMV : cost as the playbook "
        "writes it (GMV of campaign orders ÷ cost); incremental profit = incremental GMV × the store's "
        "gross margin − fixed cost. {n} campaigns in the data; for {significant} the incremental GMV "
        "interval lies above 0.",
    ),
    "growth.campaign_types": (
        "按活动类型，括号里是手册的参考数字：",
        "By campaign type, the playbook's figures in brackets:",
    ),
    "growth.campaign_list": ("最近 {n} 场活动：", "The last {n} campaigns:"),
    "growth.pull_forward": (
        "活动结束后 {days} 天的订单比预测{direction} {orders:,.0f} 单（{n} 场活动合计；少于预测说明活动提前透支了后面的购买）。",
        "In the {days} days after the campaigns, orders were {orders:,.0f} {direction} the prediction "
        "(summed over {n} campaigns; below means the campaigns pulled purchases forward).",
    ),
    "growth.bunching": (
        "满 {threshold:g} 元门槛：活动期间优惠前金额刚过门槛（{threshold:g}–{high:g} 元）与刚不到（{low:g}–{threshold:g} 元）"
        "的订单之比 {ratio}，非活动日 {baseline}。明显更高说明顾客在凑单。",
        "The {threshold:g} CNY threshold: on the campaign days, orders whose basket before the discount is "
        "just above it ({threshold:g}–{high:g}) against just below ({low:g}–{threshold:g}) {ratio}, on other "
        "days {baseline}. A clearly higher ratio means customers top up their baskets to reach it.",
    ),
    "growth.group_buys": ("拼团", "Group buying"),
    "growth.group_buys_text": (
        "{window}共开团 {groups:,} 个，成团率 {rate}（成团 ÷（成团 + 未成团），进行中的团不计）。按成团人数：",
        "{groups:,} groups opened in {window}; completion rate {rate} (completed ÷ (completed + failed); "
        "groups still running left out). By group size:",
    ),
    "growth.group_buys_by_month": ("按开团月份（最近 12 个月）：", "By month opened (last 12 months):"),
    "growth.acquired": (
        "活动带来的新客值不值：首单就用了活动的客户与自然新客，首单后 30 / 60 / 90 天的复购率与人均 GMV"
        "（只算窗口完整的客户）。注意：满减类活动只在够门槛时才算用了活动，所以活动新客本来就偏向大单客户。",
        "Are the buyers a campaign brought in worth keeping: customers whose first paid order used a "
        "campaign against organic ones, repurchase and mean GMV in the 30 / 60 / 90 days from the first "
        "order (complete windows only). Note: a threshold campaign only counts once the basket reached it, "
        "so campaign buyers lean towards big baskets from the start.",
    ),
    "growth.acquired_diff": (
        "活动新客首单后 90 天人均 GMV 比自然新客 {diff}（95% 置信区间 {low} 至 {high}，Welch t 检验）。",
        "Campaign buyers' mean GMV in their first 90 days differs from organic buyers' by {diff} (95% CI "
        "{low} to {high}, Welch t-test).",
    ),
    "growth.retention": ("新用户留存", "New-user retention"),
    "growth.retention_text": (
        "{window}注册的新用户：注册日为第 0 天，第 n 天打开过小程序算第 n 天留存（只算第 n 天已在数据内的新用户）。"
        "次日留存 {d1}，7 日 {d7}，30 日 {d30}。参考：手册里新用户次日留存从 8% 提到 15%（改进新人引导后）。",
        "New users registered in {window}: the registration day is day 0; a user is retained on day n "
        "when they open the mini-program that day (only users whose day n the data covers). Next day "
        "{d1}, day 7 {d7}, day 30 {d30}. Reference: the playbook's next-day retention went from 8% to "
        "15% after onboarding changes.",
    ),
    "growth.retention_by_channel": ("按获客渠道：", "By acquisition channel:"),
    "growth.retention_by_cohort": ("按注册月份：", "By registration month:"),
    "growth.no_visits": (
        "行为事件表里没有访问（visit）事件，无法计算新用户留存。",
        "The events table holds no visit events, so new-user retention cannot be measured.",
    ),
    # KPIs and their definitions
    "kpi.activity_conversion": ("活动转化率（浏览 → 支付）", "Activity conversion (view → pay)"),
    "def.activity_conversion": (
        "支付事件数 ÷ 浏览事件数（行为事件表，有埋点的客户）",
        "pay events ÷ view events (events table, tracked customers)",
    ),
    "kpi.invited_share": ("新客中受邀占比", "Invited share of new customers"),
    "def.invited_share": (
        "首次付款在窗口内、有邀请人（inviter_id）的新客 ÷ 首次付款在窗口内的新客",
        "new customers (first paid order in the window) with an inviter (inviter_id) ÷ all new "
        "customers of the window",
    ),
    "kpi.k_factor": ("K 因子", "K-factor"),
    "def.k_factor": (
        "被邀请且下过单的客户数 ÷ 下单客户数（每位下单客户带来的下单新客）",
        "invited customers with a paid order ÷ buying customers (buying invitees per buying customer)",
    ),
    "kpi.d1_retention": ("新用户次日留存", "New-user next-day retention"),
    "def.d1_retention": (
        "注册后第 1 天（注册日的下一天）打开过小程序的新用户 ÷ 该天已在数据内的新用户",
        "new users who opened the mini-program on the day after registering ÷ new users whose next day "
        "the data covers",
    ),
    "kpi.campaign_roi_gmv": ("活动 GMV : 成本", "Campaign GMV : cost"),
    "def.campaign_roi_gmv": (
        "全部活动的活动订单 GMV ÷（活动订单优惠 + 活动固定成本），手册写作 1 : x",
        "GMV of all campaigns' orders ÷ (their discounts + the campaigns' fixed costs), the playbook's 1 : x",
    ),
    "kpi.campaigns_with_gain": ("确有增量的活动数", "Campaigns with a clear gain"),
    "def.campaigns_with_gain": (
        "增量 GMV 的 95% 预测区间整个在 0 以上的活动数（相对活动前的星期 + 趋势回归）",
        "campaigns whose incremental GMV 95% prediction interval lies above 0 (against a weekday + trend "
        "regression on the days before)",
    ),
    "kpi.group_completion_rate": ("拼团成团率", "Group-buy completion rate"),
    "def.group_completion_rate": (
        "成团的团 ÷（成团 + 未成团的团），进行中的团不计",
        "completed groups ÷ (completed + failed groups); groups still running left out",
    ),
    "kpi.peak_hour": ("下单最多的小时", "Busiest hour"),
    "def.peak_hour": (
        "已支付订单最多的钟点（0–23 点，店铺时钟）",
        "hour of day (0–23, the shop's clock) with the most paid orders",
    ),
    # key findings
    "finding.growth_conversion_low": (
        "活动转化率（浏览 → 支付）{rate}，低于手册优化前的 {low}：先找流失最多的一步。",
        "Activity conversion (view → pay) is {rate}, below the playbook's {low} before optimising: start "
        "with the step that loses most.",
    ),
    "finding.growth_conversion_mid": (
        "活动转化率（浏览 → 支付）{rate}，在手册的 {low}（优化前）与 {high}（优化后）之间：还有提升空间。",
        "Activity conversion (view → pay) is {rate}, between the playbook's {low} (before) and {high} "
        "(after optimising): there is room to improve.",
    ),
    "finding.growth_conversion_high": (
        "活动转化率（浏览 → 支付）{rate}，达到手册优化后的 {high}：保持现在的页面与提醒。",
        "Activity conversion (view → pay) is {rate}, at or above the playbook's {high} after optimising: "
        "keep the current pages and reminders.",
    ),
    "finding.growth_none": (
        "数据里没有行为事件、邀请人或已支付订单，无法给出增长要点：接入小程序行为数据与客户表后重跑。",
        "The data has no events, inviters or paid orders to draw growth findings from: connect the "
        "mini-program's events and the customers table, then run again.",
    ),
    "finding.growth_d1_low": (
        "新用户次日留存 {rate}，低于手册改进后的 {high}（改进前 {low}）：优化新人引导，注册当天送首单券、次日提醒。",
        "New users' next-day retention is {rate}, below the playbook's {high} after onboarding work ({low} "
        "before): improve onboarding, give a first-order coupon on day 0 and a reminder on day 1.",
    ),
    "finding.growth_d1_high": (
        "新用户次日留存 {rate}，达到手册改进后的 {high}：保持现在的新人引导。",
        "New users' next-day retention is {rate}, at or above the playbook's {high} after onboarding "
        "work: keep the current onboarding.",
    ),
    "finding.growth_invited": (
        "近期新客中 {share} 由邀请而来（K 因子 {k}；手册：做得好的裂变约 {reference} 新客来自邀请）："
        "奖励带来下单新客最多的邀请人。",
        "{share} of recent new customers came through an invitation (K-factor {k}; the playbook: "
        "about {reference} of new customers in a good fission programme): reward the inviters who "
        "bring the most buyers.",
    ),
    # columns
    "col.step": ("步骤", "Step"),
    "col.events": ("事件数", "Events"),
    "col.step_conversion": ("本步转化", "Step conversion"),
    "col.from_view": ("自浏览累计转化", "From view"),
    "col.drop_off": ("流失", "Drop-off"),
    "col.group": ("分组", "Group"),
    "col.from_step": ("从", "From"),
    "col.to_step": ("到", "To"),
    "col.pairs": ("配对数", "Pairs"),
    "col.median_minutes": ("中位数（分钟）", "Median (minutes)"),
    "col.p80_minutes": ("P80（分钟）", "P80 (minutes)"),
    "col.median_hours": ("中位数（小时）", "Median (hours)"),
    "col.p80_hours": ("P80（小时）", "P80 (hours)"),
    "col.gender": ("性别", "Gender"),
    "col.hour": ("钟点", "Hour"),
    "col.share": ("占比", "Share"),
    "col.hour_index": ("指数", "Index"),
    "col.in_window": ("手册时段", "Playbook window"),
    "col.views": ("浏览", "Views"),
    "col.pays": ("支付", "Pays"),
    "col.invited": ("受邀", "Invited"),
    "col.depth": ("深度", "Depth"),
    "col.mean_gmv": ("人均 GMV", "Mean GMV"),
    "col.median_gmv": ("GMV 中位数", "Median GMV"),
    "col.inviter": ("邀请人", "Inviter"),
    "col.campaign_type": ("活动类型", "Type"),
    "col.required_size": ("成团人数", "Group size"),
    "col.groups": ("开团数", "Groups"),
    "col.completed": ("成团", "Completed"),
    "col.failed": ("未成团", "Failed"),
    "col.open": ("进行中", "Running"),
    "col.completion_rate": ("成团率", "Completion rate"),
    "col.mean_joined": ("平均参团人数", "Mean members"),
    "col.median_hours_to_fill": ("成团用时中位数（小时）", "Median hours to fill"),
    "col.buyer_group": ("新客来源", "Buyers"),
    "col.repurchase_30": ("30 天复购", "Repurchase 30 d"),
    "col.repurchase_60": ("60 天复购", "Repurchase 60 d"),
    "col.repurchase_90": ("90 天复购", "Repurchase 90 d"),
    "col.value_30": ("30 天人均 GMV", "GMV 30 d"),
    "col.value_60": ("60 天人均 GMV", "GMV 60 d"),
    "col.value_90": ("90 天人均 GMV", "GMV 90 d"),
    "col.campaigns": ("活动数", "Campaigns"),
    "col.participation": ("参与率（手册）", "Participation (playbook)"),
    "col.aov_uplift": ("笔单价提升（手册）", "AOV uplift (playbook)"),
    "col.roi_gmv": ("GMV : 成本（手册）", "GMV : cost (playbook)"),
    "col.incremental_gmv": ("增量 GMV（95% 区间）", "Incremental GMV (95% interval)"),
    "col.significant_campaigns": ("确有增量的活动", "Campaigns with a clear gain"),
    "col.campaign": ("活动", "Campaign"),
    "col.start": ("开始", "Start"),
    "col.days": ("天数", "Days"),
    "col.orders_lift": ("订单倍数", "Order lift"),
    "col.roi_incremental": ("增量毛利 ÷ 成本", "Incremental profit ÷ cost"),
    "col.cohort": ("注册月份", "Cohort"),
    "col.registered": ("新用户", "New users"),
    "col.d1": ("次日留存", "D1"),
    "col.d7": ("7 日留存", "D7"),
    "col.d30": ("30 日留存", "D30"),
    "col.invitees": ("带来的下单客户", "Buying invitees"),
    "col.invitee_gmv": ("受邀客户 GMV", "Invitees' GMV"),
    "step.view": ("浏览", "view"),
    "step.add_to_cart": ("加购", "add to cart"),
    "step.checkout": ("下单", "checkout"),
    "step.pay": ("支付", "pay"),
    "group.invited": ("受邀客户", "invited"),
    "group.organic": ("自然客户", "organic"),
    "group.campaign": ("活动新客", "via a campaign"),
    "weekday.short": ("一,二,三,四,五,六,日", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    "chart.hour_heatmap": ("已支付订单：星期 × 钟点", "Paid orders: weekday × hour"),
    "chart.hour": ("钟点", "hour"),
    "table.campaigns": ("活动", "campaigns"),
    "word.above": ("多", "above"),
    "word.below": ("少", "below"),
    "table.group_buys": ("拼团", "group-buys"),
}
