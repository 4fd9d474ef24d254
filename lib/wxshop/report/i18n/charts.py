"""What each chart shows, in words: the description a screen reader reads and the page's ``alt``
text, built from the chart's own data (:mod:`wxshop.report.plots`)."""

# ruff: noqa: E501
STRINGS: dict[str, tuple[str, str]] = {
    "alt.none": ("图表", "Chart"),
    "alt.monthly_trend": (
        "柱状图：{first} 至 {last} 每月 GMV，最高为 {top_month}（{top}），最近一个月 {last_gmv}；折线：每月下单客户数，最近一个月 {last_customers} 人。",
        "Bar chart: GMV per month, {first} to {last}; highest {top_month} ({top}), latest month {last_gmv}. Line: buying customers per month, {last_customers} in the latest month.",
    ),
    "alt.retention": (
        "热力图：最近 {cohorts} 个首购月队列在首购后第 1–{months} 个月的留存率；第 1 个月平均 {first}，最高为 {best_cohort} 队列（{best}）。",
        "Heat map: retention of the latest {cohorts} first-purchase cohorts in months 1–{months} after the first purchase; month 1 averages {first}, highest for the {best_cohort} cohort ({best}).",
    ),
    "chart.cohorts_shown": ("最近 {cohorts} 个队列 · 第 1–{months} 月（完整表见 JSON）", "latest {cohorts} cohorts · months 1–{months} (full table in the JSON)"),
    "alt.repeat_curves": (
        "折线图：最近 {cohorts} 个首购月队列的累计复购占比；{cohort} 队列到第 {months} 个月为 {share}。",
        "Line chart: share of each of the latest {cohorts} first-purchase cohorts with a repeat purchase; the {cohort} cohort reaches {share} by month {months}.",
    ),
    "alt.segments": (
        "条形图：{n} 个 RFM 分层的客户占比与 GMV 占比；{top} 以 {customers} 的客户贡献 {gmv} 的 GMV。",
        "Bar chart: customer share and GMV share of {n} RFM segments; {top} brings {gmv} of GMV from {customers} of customers.",
    ),
    "alt.holdout": (
        "柱状图：按校准期复购次数分组，留出期人均复购次数的实际值与预测值；{groups} 组，实际与预测相差最大的是 {worst} 组（实际 {actual}，预测 {predicted}）。",
        "Bar chart: actual and predicted repeat purchases per customer in the holdout, by repeat purchases in the calibration period; {groups} groups, the widest gap in group {worst} (actual {actual}, predicted {predicted}).",
    ),
    "alt.quadrant": (
        "气泡图：{n} 个商品的毛利率（纵轴）与复购周期（横轴），气泡大小为 GMV；{roles}。",
        "Bubble chart: gross margin (up) against repurchase cycle (across) for {n} items, bubble size GMV; {roles}.",
    ),
    "alt.km": (
        "阶梯图：购买后 {days} 天内已复购的占比，共 {groups} 组；{day} 天时最高为 {best}（{best_share}），最低为 {worst}（{worst_share}）。",
        "Step chart: share of purchases repurchased within {days} days, {groups} groups; at day {day} highest {best} ({best_share}), lowest {worst} ({worst_share}).",
    ),
    "alt.pareto": (
        "柱状图：{n} 个商品按{value}从高到低排列，折线为累计占比；前 {top} 个商品贡献 80%。",
        "Bar chart: {n} items ranked by {value}, the line their cumulative share; the first {top} items bring 80%.",
    ),
    "alt.ab": (
        "区间图：{n} 个指标 × 实验组相对对照组的变化及其 95% 区间；校正后显著：{significant}。",
        "Interval chart: the change against control of {n} metric × treatment pairs with 95% intervals; significant after correction: {significant}.",
    ),
    "alt.none_significant": ("无", "none"),
    "alt.hours": (
        "热力图：按星期 × 钟点的已支付订单数，共 {orders} 单；最多在星期{weekday} {hour}:00（{top} 单）。",
        "Heat map: paid orders by weekday × hour, {orders} in all; most on {weekday} at {hour}:00 ({top}).",
    ),
    "alt.survival": (
        "折线图：入群后仍在群内的成员比例，按群类型；第 {day} 天：{values}；虚线为手册中不运营、每天流失 {rate} 的群（{playbook}）。",
        "Line chart: share of members still in the group after joining, by group type; at day {day}: {values}; dashed, the playbook's group left to itself, losing {rate} a day ({playbook}).",
    ),
    "alt.open_rate": (
        "柱状图：按发布钟点的内容打开率（{hours} 个钟点有内容）；最高为 {hour}:00（{rate}）。",
        "Bar chart: content open rate by posting hour ({hours} hours with posts); highest at {hour}:00 ({rate}).",
    ),
    "card.prev": ("{days} 天环比", "vs prior {days} d"),
    "card.yoy": ("同比", "vs last year"),
    "card.pp": ("{value} 个百分点", "{value} pp"),
    "card.trend": ("{name}，最近 {n} 个 {days} 天窗口：{values}", "{name}, last {n} windows of {days} days: {values}"),
}
