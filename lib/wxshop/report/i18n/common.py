"""Strings of shared report furniture (store, period, data quality, parameters), common column
headers and the table names shown in skip notes.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

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
    "report.quality_line_merged": (
        "共读取 {read:,} 行 = 使用 {used:,} 行 + 剔除 {rejected:,} 行 + 合并 {merged:,} 行（多个文件里重复的行、"
        "同一订单的其他商品行、并入原订单的退款行；剔除明细见 rejected_rows.csv）",
        "{read:,} rows read = {used:,} rows used + {rejected:,} rows rejected + {merged:,} rows merged "
        "(rows repeated across files, an order's further lines, refund rows folded into their "
        "order; details in rejected_rows.csv)",
    ),
    "report.unknown_statuses": (
        "有 {n:,} 行的订单状态无法识别：{values}。这些行已剔除，金额没有计入任何指标。"
        "请在 params/stores/{store}.yaml 里加上 statuses: {{{first}: paid}}（或 refunded / cancelled）后重跑。",
        "{n:,} rows have an order status wxshop does not know: {values}. They are set aside and "
        "their money is in no figure. Add statuses: {{{first}: paid}} (or refunded / cancelled) to "
        "params/stores/{store}.yaml and run again.",
    ),
    "report.rejected_share": (
        "{table}表有 {rejected:,} / {read:,} 行（{share:.1%}，超过 {max:.0%}）因数据不合理或无法读取被剔除，"
        "本报告的数字可能不完整。请看 rejected_rows.csv 里的原因，修好导出文件后重跑"
        "（规则 rejected_share，可在 params/stores/{store}.yaml 的 guards: 里调整）。",
        "{rejected:,} of {read:,} rows of {table} ({share:.1%}, more than {max:.0%}) were set aside as "
        "implausible or unreadable, so the figures in this report may be incomplete. See the reasons in "
        "rejected_rows.csv, fix the export and run again (rule rejected_share; change it under guards: "
        "in params/stores/{store}.yaml).",
    ),
    "report.pseudonymised": (
        "客户编号是买家标识（{kinds}）的加密假名（HMAC-SHA256，密钥不在报告和项目里），报告中不出现原始标识。",
        "Customer ids are keyed pseudonyms (HMAC-SHA256; the key is kept outside the project and "
        "the reports) of the buyers' identifiers ({kinds}); no identifier appears in this report.",
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
    "col.rows_merged": ("合并行数", "Rows merged"),
    "col.source": ("数据来源格式", "Export layout"),
    "col.rows_used": ("使用行数", "Rows used"),
    "col.rows_rejected": ("剔除行数", "Rows rejected"),
    "col.reason": ("原因", "Reason"),
    "col.rows": ("行数", "Rows"),
    "col.metric": ("指标", "Metric"),
    "col.value": ("数值", "Value"),
    "col.definition": ("口径", "Definition"),
    "kpi.in_window": ("【{window}】{definition}", "[{window}] {definition}"),
    "window.all": ("全部数据 {start} 至 {end}", "all data, {start} to {end}"),
    "window.last_days": ("近 {days} 天 {start} 至 {end}", "last {days} days, {start} to {end}"),
    "window.up_to": ("截至 {end} 的全部历史", "all history up to {end}"),
    "col.month": ("月份", "Month"),
    "col.parameter": ("参数", "Parameter"),
    # a shown table (wxshop.report.tables): its scrolling box, the swipe hint, the link to its CSV
    "tables.region": ("表格：{columns}", "Table: {columns}"),
    "tables.hint": ("← 左右滑动查看更多列 →", "← swipe for more columns →"),
    "tables.csv": ("CSV 表格", "CSV"),
    # tables (names shown in skip notes)
    "table.orders": ("订单", "orders"),
    "table.order_items": ("订单明细", "order_items"),
    "table.products": ("商品", "products"),
    "table.customers": ("客户", "customers"),
    "table.experiments": ("实验分组", "experiments"),
    "table.events": ("行为事件", "events"),
    "table.contacts": ("企业微信客户", "WeCom contacts"),
    "card.line": ("手册线 {sign} {value}", "playbook line {sign} {value}"),
    "card.share": ("分享卡片", "share card"),
    "card.actions": ("要点与行动", "Key findings and actions"),
    "card.footer": ("wxshop {version} · {date} 生成", "wxshop {version} · made {date}"),
}
