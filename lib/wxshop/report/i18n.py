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
    # index page: stores compared with the median store and the thresholds (wxshop.report.index)
    "index.compare": ("店铺对比", "Stores compared"),
    "index.compare_intro": (
        "每家店的核心指标，与中位数店铺及阈值对照。",
        "Each store's headline figures beside the median store and the thresholds.",
    ),
    "index.threshold_row": ("阈值", "Threshold"),
    "index.median_row": ("中位数店铺", "Median store"),
    "index.median_n": ("{n} 家店", "n = {n}"),
    "index.legend": ("图例", "Legend"),
    "index.legend_good": ("达到阈值", "meets the threshold"),
    "index.legend_bad": ("未达到阈值", "misses the threshold"),
    "index.legend_missing": (
        "无数据：该店没有这份报告，或报告中没有这个数字",
        "no data: the store has no such report, or the report gives no such figure",
    ),
    "index.legend_diff": (
        "数值下方是与中位数店铺的差：客户数、订单数和金额为相对差（+12% 即高出 12%），"
        "比例为百分点差（+3.1 个百分点），实验数为个数差。",
        "Under each value is its difference to the median store: relative for customers, orders "
        "and amounts (+12% is 12% above), in percentage points for shares (+3.1 pp), a plain "
        "difference for test counts.",
    ),
    "index.legend_median": (
        "中位数只计有该指标的店铺（家数写在中位数下方）；店铺数为偶数时取中间两家的平均。",
        "The median counts only the stores that have the figure (n, under the median); with an "
        "even number of stores it is the mean of the middle two.",
    ),
    "index.figures": ("指标、来源与阈值", "Figures, sources and thresholds"),
    "index.col.figure": ("指标", "Figure"),
    "index.col.report": ("来源报告", "From report"),
    "index.col.threshold": ("阈值", "Threshold"),
    "index.col.source": ("阈值来源", "Threshold source"),
    "index.col.diff": ("与中位数比较", "Compared with the median"),
    "index.source.playbook": ("运营手册（playbook）", "playbook"),
    "index.source.house": (
        "本公司设定（params/defaults.yaml）",
        "house setting (params/defaults.yaml)",
    ),
    "index.no_report": ("暂无报告记录此指标", "no report records it yet"),
    "index.diff_rule.int": ("相对差（%）", "relative (%)"),
    "index.diff_rule.cny": ("相对差（%）", "relative (%)"),
    "index.diff_rule.share": ("百分点差", "percentage points"),
    "index.diff_rule.count": ("个数差", "difference in count"),
    "index.diff_pp": ("{diff} 个百分点", "{diff} pp"),
    "index.threshold_note": (
        "未设阈值的指标只与中位数比较。复购率、退款率没有默认阈值：两者随数据时长和品类变化很大，"
        "没有一个对所有店铺都成立的数。可在 params/defaults.yaml 的 {param} 下设定或修改阈值"
        "（比例写 0–1，如 refund_rate: 0.05；写 null 取消），这些值标为「本公司设定」。",
        "Figures without a threshold are compared with the median only. Repurchase and refund "
        "rates have no default threshold: both vary widely with the length of the data and the "
        "category, so no single number holds for every store. Set or change thresholds under "
        "{param} in params/defaults.yaml (shares as 0–1, e.g. refund_rate: 0.05; null removes "
        "one); those values are labelled house settings.",
    ),
    "index.fig.session_open_rate": ("会话打开率", "Chat open rate"),
    "index.fig.experiments": ("A/B 实验数", "A/B tests"),
    "index.fig.experiments_shipped": ("建议上线的实验", "Tests to ship"),
    "index.col.definition": ("口径", "Definition"),
    "index.def.session_open_rate": (
        "运营手册中的会话打开率；需要会话（消息）数据，目前没有报告记录这个数字",
        "the playbook's chat open rate; it needs chat (message) data, and no report records it yet",
    ),
    "index.def.return_rate": (
        "用户画像区间（默认近 90 天）：上一区间的下单客户中本区间再次下单的比例",
        "user profiling period (last 90 days by default): share of the previous period's buyers "
        "who bought again",
    ),
    "index.def.gross_margin": (
        "选品分析区间（默认近 365 天）：毛利 ÷ 有成本商品的销售额；无成本数据时为空",
        "product selection window (last 365 days by default): gross profit ÷ sales of products "
        "with costs; empty without costs",
    ),
    "index.def.experiments": (
        "该店成功生成的 A/B 实验报告数（店铺 YAML 的 experiments）",
        "A/B test reports written for the store (experiments in its YAML)",
    ),
    "index.def.experiments_shipped": (
        "其中结论为「上线」的实验数",
        "of those, tests whose decision is ship",
    ),
    # user profiling
    "notebook.user_profiling": ("用户画像", "User profiling"),
    "profiling.title": ("用户画像与分层运营：{store}", "User profiling and segments: {store}"),
    "profiling.headline": ("核心指标（近 {days} 天）", "Key figures (last {days} days)"),
    "profiling.profiles": ("用户画像", "Customer profiles"),
    "profiling.profile_by": ("按{dimension}", "By {dimension}"),
    "profiling.spend_tiers": ("消费层级（按月均消费）", "Spend tiers (by monthly spend)"),
    "profiling.rfm": ("RFM 八类客户分层", "RFM segments"),
    "profiling.rfm_rule": (
        "R、F、M 各按{method}打 1–{bins} 分（分数越高越好）；高于{split}记为“高”。",
        "R, F and M are each scored 1–{bins} by {method} (higher is better); "
        "above the {split} counts as high.",
    ),
    "profiling.lifecycle": ("生命周期阶段", "Lifecycle stages"),
    "profiling.lifecycle_rule": (
        "阈值来自本店复购间隔：{n:,} 个间隔的第 {active_pct:.0f} 百分位为 {active} 天，"
        "第 {dormant_pct:.0f} 百分位为 {dormant} 天。新客：首单在 {new} 天内；活跃：最近一单在 {active} 天内；"
        "沉默：{active}–{dormant} 天；沉睡（流失）：超过 {dormant} 天。",
        "Thresholds come from this store's own repurchase intervals: of {n:,} intervals, the "
        "{active_pct:.0f}th percentile is {active} days and the {dormant_pct:.0f}th is {dormant} days. "
        "New: first order within {new} days; active: last order within {active} days; "
        "silent: {active}–{dormant} days; dormant (churned): over {dormant} days.",
    ),
    "profiling.lifecycle_override": (
        "阈值由参数指定：新客 {new} 天，活跃 {active} 天，沉睡 {dormant} 天。",
        "Thresholds set in parameters: new {new} days, active {active} days, dormant {dormant} days.",
    ),
    "profiling.lifecycle_fallback": (
        "本店复购间隔太少，使用默认阈值：活跃 {active} 天，沉睡 {dormant} 天。",
        "Too few repurchase intervals in this store; default thresholds used: "
        "active {active} days, dormant {dormant} days.",
    ),
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
    "model.bgnbd": ("BG/NBD 模型", "BG/NBD model"),
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
    "kpi.active_customers": ("活跃客户数", "Active customers"),
    "kpi.return_rate": ("回购率", "Return rate"),
    "def.active_customers": ("区间内有有效订单的客户", "customers with a paid order in the period"),
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
    "col.expected_value_90": ("90 天预期价值（元）", "Expected value, 90 days (CNY)"),
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
    "stage.dormant": ("沉睡（流失）", "Dormant (churned)"),
    "stage.not_yet": ("尚未购买", "Not yet a customer"),
    "cadence.new": ("3 天内激活", "Activate within 3 days"),
    "cadence.active": ("7 天内推送", "Push within 7 days"),
    "cadence.silent": ("第 14 天回访", "Revisit at day 14"),
    "cadence.dormant": ("纳入召回活动", "Include in a win-back campaign"),
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
    "stage_action.activate_new": ("欢迎语 + 第二单优惠券", "Welcome message and a second-order coupon"),
    "stage_action.push_regular": ("朋友圈/社群常规推送", "Regular Moments and group posts"),
    "stage_action.revisit": ("企业微信一对一回访", "1:1 WeCom revisit"),
    "stage_action.win_back_campaign": ("纳入召回活动", "Add to a win-back campaign"),
    "def.p.customers": ("截至期末至少有 1 笔有效订单的客户", "customers with a paid order up to the period end"),
    "def.p.new_customers": ("首笔有效订单落在本区间的客户", "customers whose first paid order falls in the period"),
    "def.p.orders": ("本区间已支付订单（不含退款、取消）", "paid orders in the period (refunded, cancelled excluded)"),
    "def.p.gmv": ("本区间有效订单实付金额之和（元）", "amount paid on the period's paid orders (CNY)"),
    "def.p.aov": ("本区间 GMV ÷ 有效订单数（元）", "the period's GMV ÷ paid orders (CNY)"),
    "def.p.frequency": ("本区间有效订单数 ÷ 活跃客户数", "the period's paid orders ÷ active customers"),
    "def.p.repurchase_rate": (
        "复购率：本区间下单客户中，本区间内有 ≥ 2 笔有效订单的比例",
        "share of the period's buyers with ≥ 2 paid orders in the period",
    ),
    "profiling.period": ("分析区间：{start} 至 {end}（上一区间 {prev_start} 至 {prev_end}）",
                         "Period: {start} to {end} (previous period {prev_start} to {prev_end})"),
    "col.cadence_days": ("触达时限（天）", "Contact within (days)"),
    "col.expected_value_sum": ("90 天预期价值合计（元）", "Expected value, next 90 days (CNY)"),
    "col.mean_p_alive": ("平均存活概率", "Mean P(alive)"),
    "col.kind": ("类型", "Kind"),
    "kind.segment": ("分层", "segment"),
    "kind.stage": ("阶段", "stage"),
    "kind.all": ("全部客户", "all customers"),
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
        "支持度 = 同时包含两件商品的订单占比；置信度 = 买了 A 的订单中也买了 B 的比例；提升度 > 1 表示比随机更常一起买。",
        "Support = share of orders with both items; confidence = share of orders with A that "
        "also have B; lift > 1 means bought together more often than chance.",
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
    "chart.rel_lift": ("相对对照组的变化（95% 区间；绿色为校正后显著）", "Change vs control (95% interval; green: significant after correction)"),
    # key findings (wxshop.report.findings) and the report's opening
    "report.findings": ("关键发现", "Key findings"),
    "report.toc": ("目录", "Contents"),
    "report.data_until": ("数据截至", "Data up to"),
    "finding.overview_size": (
        "本期 GMV {gmv}，{orders} 笔订单，{customers} 位下单客户。",
        "This period: GMV {gmv} from {orders} orders by {customers} customers.",
    ),
    "finding.aov_good": (
        "客单价 {aov}，达到 {threshold} 的良好线：保持组合装与满减门槛。",
        "AOV {aov} meets the {threshold} good line: keep bundles and spend thresholds.",
    ),
    "finding.aov_low": (
        "客单价 {aov}，低于 {threshold} 的良好线：用组合装、满减门槛提高客单。",
        "AOV {aov} is below the {threshold} good line: raise it with bundles and spend thresholds.",
    ),
    "finding.repurchase": (
        "复购率 {rate}：按品类提醒日在企业微信/社群提醒复购（见选品报告）。",
        "Repurchase rate {rate}: remind buyers on each category's reminder day via WeCom and groups "
        "(see the product report).",
    ),
    "finding.top_category": (
        "销售额最高的品类是 {category}，占 {share}：备货与推送优先保障。",
        "The top category is {category} with {share} of sales: give it priority in stock and pushes.",
    ),
    "finding.refunds": (
        "退款率 {rate}（按金额）：高于往常时先查质量与发货。",
        "Refund rate {rate} (by amount): if it is above usual, check quality and shipping first.",
    ),
    "finding.active_customers": (
        "{customers} 位客户中本期活跃 {active} 位，新客 {new} 位：新客发第二单券。",
        "{active} of {customers} customers were active this period, {new} of them new: send new "
        "customers a second-order coupon.",
    ),
    "finding.win_back": (
        "{n} 位客户需要召回（沉默 {silent}，沉睡 {dormant}）：导出标签名单，在企业微信分批触达。",
        "{n} customers need winning back ({silent} silent, {dormant} dormant): export the tag "
        "lists and reach them in WeCom in batches.",
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
        "最值得组合的商品：{a} + {b}（提升度 {lift}，同单 {n} 次）：做成组合装。",
        "Best bundle: {a} + {b} (lift {lift}, {n} orders together): sell them as a set.",
    ),
    "finding.no_items": (
        "没有订单明细，无法做选品分析：请导出订单明细表。",
        "No order lines, so no product analysis: export the order items table.",
    ),
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
        "显著性水平 α = {alpha}；多重比较校正：{correction}（覆盖 {n} 个 变体 × 指标 检验）。收入按 {cap} 分位数封顶。",
        "Significance level α = {alpha}; multiple-testing correction: {correction} over {n} "
        "variant × metric tests. Revenue capped at the {cap} percentile.",
    ),
    "ab.no_cap": ("不封顶", "no cap"),
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
    "reason.power_unknown": ("无法判断样本是否足够（缺少目标提升或分组天数）", "cannot tell whether the sample is enough (no target lift or assignment days)"),
    "reason.effect_below_target_mde": ("样本已足够，效应小于目标提升", "enough users, and the effect is below the target lift"),
    "reason.target_sample_reached": ("已达到目标样本量", "the target sample is reached"),
    "reason.underpowered_keep_collecting": ("样本不足，目标样本可在期限内达到", "too few users yet; the target sample is within reach"),
    "reason.target_sample_out_of_reach": ("按当前流量难以达到目标样本量", "the target sample is out of reach at current traffic"),
    "metric.conversion": ("转化率", "Conversion"),
    "metric.revenue_per_user": ("人均收入", "Revenue per user"),
    "metric.orders_per_user": ("人均订单数", "Orders per user"),
    "metric.aov": ("客单价", "AOV"),
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
    "ab.guardrail_not_checked": (
        "护栏指标 {metrics} 无法用此输入计算，未检查。",
        "Guardrail {metrics} cannot be computed from this input and was not checked.",
    ),
    "ab.imbalance": (
        "⚠ 分组前的指标在各组间差异过大（p < {threshold}）：分组可能依赖用户历史，结果需谨慎解读。",
        "⚠ Pre-period figures differ between arms more than chance allows (p < {threshold}): the "
        "assignment may depend on user history; read the results with care.",
    ),
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
    "def.categories": ("区间内有销售的品类数", "categories with sales in the window"),
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
