"""Strings of the index page: the store list, stores compared with the median store and the playbook
thresholds (:mod:`wxshop.report.index`).

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
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
    "status.pending": ("未运行（批次中断）", "not run (batch stopped)"),
    "status.running": ("未完成（中断）", "stopped while running"),
    "status.interrupted": ("已中断", "interrupted"),
    "status.unreadable": ("状态文件损坏", "status file unreadable"),
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
    "index.warnings": ("{n} 条警告", "{n} warning(s)"),
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
    "index.fig.experiments": ("A/B 实验数", "A/B tests"),
    "index.fig.experiments_shipped": ("建议上线的实验", "Tests to ship"),
    "index.col.definition": ("口径", "Definition"),
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
    "index.filter": ("筛选店铺", "Filter stores"),
    "index.sort_hint": ("点列名排序，再点一次反向", "Tap a column to sort; again to reverse"),
    "index.card": ("卡片", "card"),
    "index.card_stores": ("店铺", "Stores"),
    "index.card_ok": ("成功的报告", "Reports done"),
    "index.card_failed": ("失败的报告", "Reports failed"),
    "index.card_warned": ("有警告的店铺", "Stores with warnings"),
    "index.card_failed_stores": ("先看失败的店铺：{stores}", "Look first at the stores that failed: {stores}"),
    "index.card_warned_stores": ("数据有警告的店铺：{stores}", "Stores whose data carries a warning: {stores}"),
    "index.card_all_good": ("所有报告都已生成，没有警告。", "Every report is done, with no warning."),
    # change since the previous batch run (wxshop.report.history)
    "index.change_title": ("与上次运行（{when}）相比，当时为 {value}", "vs previous run on {when}: {value}"),
    "index.legend_change": (
        "▲/▼：与上次运行相比的变化，单位同该指标（比例为百分点，金额为元，其余为个数），= 为没有变化；"
        "上次运行指记录过该指标的最近一次运行（失败的报告不计），日期在提示中。",
        "▲/▼: the change since the previous run, in the figure's unit (percentage points for "
        "shares, ¥ for amounts, a count otherwise), = for none; the previous run is the latest "
        "one that recorded the figure (failed reports record nothing), its date in the tooltip.",
    ),
    "index.history_note": (
        "上次运行的数字保存在 {file}（只有店铺编号、日期和数字，保留最近 {keep} 次运行，现有 {n} 次）。",
        "Earlier runs' figures are kept in {file} (store ids, dates and numbers only; the last "
        "{keep} runs, {n} so far).",
    ),
    "index.history_set_aside": (
        "运行历史 {file} 无法读取（{reason}），已改名为 {moved} 保留，并新建了历史；与上次运行的比较从下次运行起恢复。",
        "The run history {file} could not be read ({reason}); it was set aside as {moved} and a "
        "new one started. Changes since the previous run show again from the next run.",
    ),
    "index.history_not_moved": (
        "运行历史 {file} 无法读取（{reason}），也无法改名；本次不显示与上次运行的比较。",
        "The run history {file} could not be read ({reason}) nor set aside; no changes since "
        "the previous run are shown this time.",
    ),
    "index.history_problem.not-json": ("不是有效的 JSON", "not valid JSON"),
    "index.history_problem.not-history": ("内容不是运行历史", "not a run history"),
    "index.history_problem.unreadable": ("读取出错", "a read error"),
    "index.flag.failed": ("失败", "failed"),
    "index.flag.warned": ("警告", "warning"),
    "index.flag_title.failed": (
        "该店有报告未生成（失败、数据错误或未完成），排在最前",
        "a report of this store was not written (failed, bad data or not finished); listed first",
    ),
    "index.flag_title.warned": (
        "该店有报告带数据警告（红色横幅），排在失败之后",
        "a report of this store carries a data warning (red banner); listed after the failures",
    ),
}
