"""Strings of the private-domain report (``05_private_domain``): 企业微信 contacts and staff, 社群
health, the 3 / 7 / 14-day touch cadence and what followed, content, and the page a store without
these tables gets.

key: (zh, en); placeholders use str.format names and must match in both languages.
"""

STRINGS: dict[str, tuple[str, str]] = {
    "notebook.private_domain": ("私域运营", "Private domain"),
    # docs/definitions.md rows of figures without a KPI row of their own
    "doc.window.holdout_sop": (
        "随机留出实验中分组后 outcome_days 天（默认 30），分组在 period_end 前至少这么多天",
        "outcome_days (default 30) from assignment in the randomised holdout, for customers assigned at "
        "least that long before period_end",
    ),
    "doc.unit.minutes": ("分钟", "minutes"),
    "doc.unit.share2": ("比例（0–1，显示两位小数的百分比）", "share (0–1, shown as a percentage with two decimals)"),
    "doc.label.touch_effect_interval": ("触达效果的 95% 区间", "Touch effect, 95% interval"),
    "doc.def.touch_effect_interval": (
        "SOP 组 − 留出组下单比例之差的 95% 区间 [下限, 上限]（Wald 双比例区间，与 A/B 报告同一方法）",
        "the 95% interval [low, high] of the SOP arm's purchase share minus the holdout's (the Wald "
        "two-proportion interval, as in the A/B report)",
    ),
    "doc.label.naive_touch_difference": ("触达 vs 未触达（观察）", "Touched vs untouched (observed)"),
    "doc.def.naive_touch_difference": (
        "实验外进入沉默阶段的客户：14 天内被一对一触达的人 30 天内下单比例 − 未触达的人的比例；是相关，不是因果",
        "silent customers outside the experiment: the share of those touched 1v1 within 14 days who "
        "bought within 30 days minus the share of the untouched; association, not effect",
    ),
    "doc.label.contacts": ("企业微信好友数", "WeCom contacts"),
    "doc.def.contacts": (
        "截至分析日已添加、未被删除的好友（客户 × 员工）行数",
        "contact rows (customer × staff member) added by period_end and not deleted by then",
    ),
    "doc.label.private_tables": ("本店有的私域数据表", "Private-domain tables present"),
    "doc.def.private_tables": (
        "contacts、staff_daily、groups、group_members、group_daily、touches、posts 中本店有的表",
        "which of contacts, staff_daily, groups, group_members, group_daily, touches and posts the "
        "store has",
    ),
    "private.title": ("私域运营：{store}", "Private domain: {store}"),
    "private.headline": ("私域核心指标", "Private-domain key figures"),
    "private.reference": (
        "参考线（行业手册的数字，仅作对照，不代表本店应达到的值）：好友添加率 > 25% 算好（手册案例 38%）；"
        "真人头像的好友申请通过率 68%（比品牌 logo 高 47%）；会话打开率 > 50% 达标；朋友圈互动率每天 3.2%；"
        "500 人的群不运营时每天约流失 2.3% 的成员，每月需补充 15–20% 新成员；入群后前 3 天是转化黄金期。",
        "Reference lines (the playbook's figures, context only, not a target for this store): a friend-add "
        "rate above 25% is good (38% in its example); friend requests pass 68% of the time with a "
        "real-person profile photo (47% more than with a logo); a chat open rate above 50% meets the bar; "
        "Moments interaction 3.2% a day; a 500-member group left to itself loses about 2.3% of its members a "
        "day and needs 15–20% new members a month; the first 3 days after joining are the golden window.",
    ),
    # key figures
    "kpi.friend_add_rate": ("好友添加率", "Friend-add rate"),
    "def.friend_add_rate": (
        "首单在本区间的新客中，截至分析日已加为企业微信好友（客户表能对上）的比例",
        "share of new buyers (first paid order in the window) who are a WeCom contact by the end "
        "(matched through the contact's customer link)",
    ),
    "kpi.request_pass_rate": ("好友申请通过率", "Friend-request pass rate"),
    "def.request_pass_rate": (
        "员工发出的好友申请中被通过的比例：Σ 申请通过数 ÷ Σ 发起申请数（联系客户统计）",
        "requests staff sent that were accepted: Σ requests passed ÷ Σ requests sent (staff daily "
        "statistics)",
    ),
    "kpi.session_open_rate": ("会话打开率", "Chat open rate"),
    "def.session_open_rate": (
        "一对一与群发消息中被客户打开的比例：打开的触达 ÷ 有打开记录的 1v1 与群发触达",
        "1v1 and mass messages the customer opened: touches opened ÷ 1v1 and mass-message touches with an "
        "opened value",
    ),
    "kpi.avg_reply_minutes": ("平均首次回复时长（分钟）", "Mean first-reply time (minutes)"),
    "def.avg_reply_minutes": (
        "员工每日平均首次回复时长按聊天数加权的平均，分钟",
        "staff members' daily mean first-reply time weighted by their chats, minutes",
    ),
    "kpi.moments_interaction": ("朋友圈互动率", "Moments interaction rate"),
    "def.moments_interaction": (
        "朋友圈内容的 Σ 互动（点赞 + 评论）÷ Σ 触达人数",
        "Σ interactions (likes + comments) ÷ Σ reach of the Moments posts",
    ),
    "kpi.daily_leaving_rate": ("社群日退群率", "Daily group leaving rate"),
    "def.daily_leaving_rate": (
        "区间内退群人数 ÷ 成员在群天数（每位成员在区间内在群的天数之和）",
        "members who left in the window ÷ member-days in the window (the days each member was in the "
        "group, summed)",
    ),
    "kpi.replenishment_rate": ("社群月补充率", "Monthly group replenishment"),
    "def.replenishment_rate": (
        "区间内各月新入群人数 ÷ 月初成员数的平均",
        "mean over the window's months of members who joined ÷ members at the start of the month",
    ),
    "kpi.touch_effect": ("SOP 触达的随机对照效果", "SOP touch effect (randomised)"),
    "def.touch_effect": (
        "随机留出实验中：SOP 组 − 留出组在分组后 outcome_days（默认 30）天内下单的比例之差（比例之差，0.05 = 5 个百分点），"
        "只算这些天已在数据内的客户；没有留出实验时为空",
        "in the randomised holdout: share of the SOP arm with a paid order within outcome_days (30 by "
        "default) of assignment minus the holdout arm's (a difference of shares, 0.05 = 5 points), "
        "customers whose days the data covers; empty without a holdout experiment",
    ),
    "table.staff_daily": ("企业微信联系客户统计", "WeCom staff statistics"),
    "table.groups": ("企业微信客户群", "WeCom customer groups"),
    "table.group_members": ("客户群成员", "Group members"),
    "table.group_daily": ("客户群统计", "Group statistics"),
    "table.touches": ("触达记录", "Touch records"),
    "table.posts": ("内容数据", "Content data"),
    # the page of a store without any private-domain table
    "private.unlock_title": ("需要哪些数据", "What data this report needs"),
    "private.unlock_text": (
        "这家店铺还没有任何私域数据表（企业微信好友、员工统计、客户群、触达记录、内容数据），所以这份报告只有这一页。"
        "把下面任意一张表放进店铺的数据文件夹（文件名如 contacts.csv 或中文名），重新运行即可解锁对应的部分。",
        "This store has none of the private-domain tables (WeCom contacts, staff statistics, customer "
        "groups, touch records, content data), so this report is this one page. Put any of the tables "
        "below in the store's data folder (named e.g. contacts.csv, or by its Chinese name) and run "
        "again to unlock its part.",
    ),
    "private.unlock.contacts": ("好友添加率；好友 → 首单 → 复购漏斗", "Friend-add rate; contact → first order → repeat"),
    "private.unlock.staff_daily": (
        "好友申请通过率、回复时长、员工排行", "Request pass rate, reply time, staff leaderboard"),
    "private.unlock.groups": ("社群类型与群主（配合群成员表）", "Group types and owners (with the members)"),
    "private.unlock.group_members": (
        "退群率、成员留存、月补充率、入群 3 天转化、人均 GMV、社群记分卡",
        "Leaving rate, member survival, replenishment, first-3-day conversion, GMV per member, scorecard",
    ),
    "private.unlock.group_daily": (
        "只有群统计时的退群率与群消息数", "Leaving rate and messages when only group statistics exist"),
    "private.unlock.touches": (
        "会话打开率；3 / 7 / 14 天 SOP 执行率与之后的购买", "Chat open rate; the 3 / 7 / 14-day SOP and what followed"),
    "private.unlock.posts": ("内容打开、点击、成交率与发布时段", "Content open, click and order rates and hours"),
    "private.where.contacts": (
        "企业微信管理后台 → 客户与上下游 → 客户联系 → 客户 → 导出",
        "WeCom admin → Customers and partners → Customer Contact → Customers → Export",
    ),
    "private.where.staff_daily": (
        "企业微信管理后台 → 客户与上下游 → 客户联系 → 统计 → 联系客户统计 → 导出（或接口 get_user_behavior_data）",
        "WeCom admin → Customer Contact → Statistics → Contact statistics → Export (or the API get_user_behavior_data)",
    ),
    "private.where.groups": (
        "企业微信管理后台 → 客户联系 → 客户群 → 导出（或接口 groupchat/list）",
        "WeCom admin → Customer Contact → Customer groups → Export (or the API groupchat/list)",
    ),
    "private.where.group_members": (
        "接口 groupchat/get 的成员列表（入群时间、入群方式），或 SCRM 工具的群成员导出",
        "the member list of the API groupchat/get (join time, join scene), or an SCRM tool's member export",
    ),
    "private.where.group_daily": (
        "企业微信管理后台 → 客户联系 → 统计 → 客户群统计 → 导出（或接口 groupchat/statistic）",
        "WeCom admin → Customer Contact → Statistics → Group statistics → Export (or the API groupchat/statistic)",
    ),
    "private.where.touches": (
        "SCRM 工具（如 企微管家、微伴、尘锋）的跟进 / 群发记录导出；群发助手的发送结果",
        "an SCRM tool's follow-up and mass-message records (e.g. WeiBan, ChenFeng); the mass-message assistant's results",
    ),
    "private.where.posts": (
        "公众号后台 → 数据 → 内容分析；视频号助手 → 直播数据；客户朋友圈的互动数据",
        "Official Account admin → Data → Content analysis; Channels assistant → live data; Moments interaction data",
    ),
    "col.pd_table": ("数据表", "Table"),
    "col.pd_unlocks": ("解锁", "Unlocks"),
    "col.pd_where": ("在哪里导出", "Where to export it"),
    "col.pd_present": ("已有", "Present"),
    # staff
    "private.staff": ("企业微信：好友与员工", "WeCom: contacts and staff"),
    "private.staff_text": (
        "{window}：新客 {new_buyers:,} 人，其中 {added:,} 人加了企业微信（好友添加率 {rate}，手册 > 25% 算好）。",
        "{window}: {new_buyers:,} new buyers, {added:,} of them added on WeCom (friend-add rate {rate}; "
        "the playbook calls above 25% good).",
    ),
    "private.staff_weekly": (
        "按周看员工工作（周一开始）：申请通过率、删除率（被删或拉黑 ÷ 新增好友）、回复占比与回复时长、会话打开率。",
        "Staff work by week (weeks start on Monday): pass rate, deletion rate (deleted or blocked ÷ new "
        "contacts), replied share and reply time, chat open rate.",
    ),
    "private.leaderboard": (
        "员工排行（按其好友在区间内的已支付 GMV，再按新增好友）。一位客户加了两位员工时两人都算。",
        "Staff leaderboard (by the paid GMV of their contacts in the window, then new contacts). A "
        "customer who added two staff members counts for both.",
    ),
    "private.no_staff_daily": (
        "没有联系客户统计（staff_daily），所以没有申请通过率和回复时长。",
        "No staff statistics (staff_daily), so no request pass rate or reply time.",
    ),
    # contacts funnel
    "private.contacts": ("从加好友到首单、复购", "From contact to first order to repeat"),
    "private.contacts_text": (
        "添加后 {days} 天内（只算添加日在分析日前至少 {days} 天的好友）：加好友时还没买过的人里有多少下了首单，"
        "能对上店铺客户的好友里有多少买了两次以上。对不上店铺客户的好友算作没有购买（无法追踪）。",
        "Within {days} days of being added (contacts added at least {days} days before the end): how many "
        "of those who had not bought yet placed a first order, and how many linked contacts bought twice "
        "or more. Contacts not linked to a shop customer count as not buying (they cannot be traced).",
    ),
    "private.contacts_by_source": ("按添加来源：", "By add source:"),
    "private.contacts_by_staff": ("按员工：", "By staff member:"),
    "private.added_before": (
        "能对上的好友中，{before} 是先加好友后下首单，{after} 是下单后（如包裹卡）加的。",
        "Of the linked contacts, {before} were added before their first order and {after} after it "
        "(e.g. through the package card).",
    ),
    # community
    "private.community": ("社群健康", "Group health"),
    "private.community_text": (
        "{window}：{groups} 个群，日退群率 {rate}（手册：500 人的群不运营约 2.3%/天）。按群类型和群规模（区间开始时的人数）：",
        "{window}: {groups} groups, daily leaving rate {rate} (playbook: about 2.3% a day for a "
        "500-member group left to itself). By group type and size (members at the start of the window):",
    ),
    "private.survival": (
        "成员留存：入群后第 n 天还在群里的比例（Kaplan–Meier，仍在群的成员按数据结束删失）。",
        "Member survival: share still in the group n days after joining (Kaplan–Meier; members still "
        "in are censored at the end of the data).",
    ),
    "private.replenishment": (
        "每月补充：新入群 ÷ 月初成员（手册：每月需补 15–20%）。",
        "Monthly replenishment: members who joined ÷ members at the start of the month (playbook: 15–20% "
        "a month needed).",
    ),
    "private.first_days": (
        "入群 {days} 天内的转化（入群是黄金期）：区间内入群、能对上店铺客户、{days} 天已在数据内的新成员里，"
        "入群后 {days} 天内下单的比例。",
        "Conversion in the first {days} days (the golden window): of new members in the window who are "
        "shop customers and whose {days} days the data covers, the share with a paid order within {days} "
        "days of joining.",
    ),
    "private.gmv_per_member": (
        "按群类型的人均 GMV（区间内在群成员的已支付 GMV ÷ 成员数），附手册的群类型参考。",
        "GMV per member by group type (paid GMV in the window of the members present ÷ members), with "
        "the playbook's group types for reference.",
    ),
    "private.group_types_reference": (
        "手册的群类型：福利闪购群（3–7 天一轮，人均约 300 元）、知识付费群（90 天，199–599 元）、会员专属群（年 8,000 元）。",
        "The playbook's group types: flash-deal groups (a 3–7-day cycle, about 300 CNY per member), "
        "paid-knowledge groups (90 days, 199–599 CNY), members-only groups (8,000 CNY a year).",
    ),
    "private.scorecard": (
        "社群记分卡：每群每天消息数、区间内转化（在群成员中下单的比例）、月退群率（退群 ÷ 在群天数 × 30），"
        "括号里是手册的同类群。",
        "Group scorecard: messages per group per day, conversion in the window (members present who "
        "bought), monthly leaving (leaves ÷ member-days × 30); the playbook's figures for the same type "
        "in brackets.",
    ),
    "private.community_daily": (
        "只有客户群统计（group_daily）：日退群率 = Σ 退群人数 ÷ Σ 当日开始时成员数（= 当日总人数 − 新增 + 退群）。",
        "Only group statistics (group_daily): daily leaving rate = Σ left ÷ Σ members at the start of "
        "each day (= the day's total − joined + left).",
    ),
    # cadence
    "private.cadence": ("SOP 节奏：3 / 7 / 14 天触达与之后的购买", "The SOP: 3 / 7 / 14-day touches and what followed"),
    "private.cadence_text": (
        "新客在首单后 3 天内激活、活跃客户（第二单）7 天内促单、沉默客户（{silent} 天没买）14 天内回访。"
        "下表是{window}进入各阶段、随后 30 天已在数据内的客户：按时触达的比例，以及触达与未触达的客户之后 14 / 30 天内下单的比例。",
        "New buyers activated within 3 days of the first order, active customers (second order) pushed "
        "within 7 days, silent customers ({silent} days without buying) visited again within 14 days. "
        "The table shows customers entering each stage in {window} whose next 30 days the data covers: "
        "the share touched in time, and the share of touched and untouched customers who bought within "
        "14 / 30 days.",
    ),
    "private.confounding": (
        "注意：这是观察数据。员工挑谁去触达（常挑最近买过、常买的客户；没加好友的客户根本触达不到），"
        "所以触达与未触达的客户本来就不一样，两者下单率之差混着挑选的效果，可能偏高也可能偏低，"
        "不等于「触达让人多买了多少」。要知道触达本身的作用，需要随机留出一部分客户不触达（见下）。",
        "Mind: this is observational. Staff choose whom to touch (often customers who bought often and "
        "recently; customers who are not contacts cannot be touched at all), so the touched and the "
        "untouched differed before any touch, and the difference in their purchase rates mixes in that "
        "choice, up or down: it is not what touching adds. Only a randomly held-out group that is not "
        "touched tells the effect of touching (below).",
    ),
    "private.naive": (
        "沉默客户（不含随机实验里的客户）：触达的 {touched} 在 30 天内下单，未触达的 {untouched}，差 {diff}"
        "（95% 区间 {low} 至 {high}）——这是相关，不是因果。",
        "Silent customers (those in the randomised experiment left out): {touched} of the touched bought "
        "within 30 days against {untouched} of the untouched, a difference of {diff} (95% interval {low} "
        "to {high}): association, not effect.",
    ),
    "private.holdout": (
        "随机留出实验 {experiment}：SOP 组 {treated}（{n_t:,} 人）在分组后 {days} 天内下单，留出组 {control}"
        "（{n_c:,} 人），触达的效果 {diff}（95% 区间 {low} 至 {high}，p = {p}）。{verdict}",
        "Randomised holdout {experiment}: {treated} of the SOP arm ({n_t:,} customers) bought within "
        "{days} days of assignment against {control} of the holdout ({n_c:,}); the effect of touching is "
        "{diff} (95% interval {low} to {high}, p = {p}). {verdict}",
    ),
    "private.holdout_significant": ("区间不含 0：触达确实带来了购买。", "The interval excludes 0: touching does bring purchases."),
    "private.holdout_harm": (
        "区间整个在 0 以下：触达反而让人少买了，检查话术和频率。",
        "The whole interval is below 0: touching made customers buy less; check the wording and frequency.",
    ),
    "window.holdout_days": ("随机留出实验分组后 {days} 天", "{days} days from assignment in the randomised holdout"),
    "private.holdout_unclear": (
        "区间含 0：还不能说触达带来了购买。", "The interval includes 0: no evidence yet that touching brings purchases."),
    "private.naive_vs_holdout": (
        "观察到的差值（{naive}）比随机实验的效果（{causal}）{direction}：只看「触达 vs 未触达」会{misjudge}触达的作用。",
        "The observed difference ({naive}) is {direction} the randomised effect ({causal}): comparing "
        "touched with untouched would {misjudge} what touching does.",
    ),
    "word.higher_than": ("高于", "above"),
    "word.lower_than": ("低于", "below"),
    "word.overstate": ("高估", "overstate"),
    "word.understate": ("低估", "understate"),
    "private.no_holdout": (
        "没有找到随机留出实验「{experiment}」（实验表中 variant 为 holdout 的客户不触达）。想知道触达本身的效果，"
        "随机留出 10–20% 的客户一个月不触达，把分组写进实验表。",
        "No randomised holdout \"{experiment}\" found (customers of variant holdout in the experiments "
        "table are not touched). To learn what touching itself does, hold out a random 10–20% of "
        "customers from touches for a month and write the assignment into the experiments table.",
    ),
    "sop.new": ("新客（3 天激活）", "New (3-day activation)"),
    "sop.active": ("活跃（7 天促单）", "Active (7-day push)"),
    "sop.silent": ("沉默（14 天回访）", "Silent (14-day return visit)"),
    "sop.all": ("全部", "All"),
    # content
    "private.content": ("内容：朋友圈、公众号、视频号", "Content: Moments, Official Account, Channels"),
    "private.content_text": (
        "{window}的内容：打开率 = 打开 ÷ 触达，点击率、互动率、成交率同样除以触达人数；括号里是手册的参考打开率"
        "（朋友圈短文案 68%、公众号文章 22%、视频号直播 41%）。",
        "Content of {window}: open rate = opens ÷ reach; click, interaction and order rates also per "
        "person reached; the playbook's reference open rates in brackets (Moments short copy 68%, Official "
        "Account article 22%, Channels live 41%).",
    ),
    "private.content_hours": (
        "按发布钟点：打开率最高的钟点 {hours}；手册建议的时段 7–9、12–14、20–22 点。",
        "By posting hour: the best open rates at {hours}; the playbook's windows are 7–9, 12–14 and "
        "20–22 h.",
    ),
    # findings
    "finding.private_friend_add": (
        "好友添加率 {rate}（手册：> {good} 算好）：{action}",
        "Friend-add rate {rate} (playbook: above {good} is good): {action}",
    ),
    "finding.private_friend_add_low": (
        "在包裹卡、支付成功页放员工二维码并给加好友福利。",
        "put a staff QR code on the package card and the payment page, with a reward for adding.",
    ),
    "finding.private_friend_add_ok": ("保持加好友入口。", "keep the add-friend entry points."),
    "finding.private_open_rate": (
        "会话打开率 {rate}（手册：> {good} 达标）：{action}",
        "Chat open rate {rate} (playbook: above {good} meets the bar): {action}",
    ),
    "finding.private_open_low": (
        "少发群发、多发一对一，消息开头写清对客户的好处。",
        "send fewer mass messages and more one-to-one ones, with the benefit to the customer first.",
    ),
    "finding.private_open_ok": ("保持现在的节奏。", "keep the current rhythm."),
    "finding.private_leaving": (
        "社群日退群率 {rate}（手册：不运营约 {reference}/天）；月补充 {replenish}（需要 15–20%）。",
        "Groups lose {rate} of members a day (playbook: about {reference} a day when left to "
        "themselves); monthly replenishment {replenish} (15–20% needed).",
    ),
    "finding.private_touch_effect": (
        "随机留出实验：SOP 触达让 30 天下单率 {diff}（95% 区间 {low} 至 {high}）；只看触达 vs 未触达会得到 {naive}。",
        "Randomised holdout: SOP touches change the 30-day purchase rate by {diff} (95% interval {low} to "
        "{high}); comparing touched with untouched would give {naive}.",
    ),
    "finding.private_pass_rate": (
        "好友申请通过率 {rate}（手册：真人头像 68%）：通过率低的员工换成真人头像和清楚的申请理由。",
        "Friend requests pass {rate} of the time (playbook: 68% with a real-person photo): staff with a "
        "low rate should use a real-person photo and a clear request note.",
    ),
    "finding.private_none": (
        "没有私域数据：把企业微信的客户、联系客户统计、客户群导出放进店铺文件夹即可生成这份报告。",
        "No private-domain data: put the WeCom customer, staff statistics and group exports in the "
        "store's folder to build this report.",
    ),
    # charts
    "chart.member_survival": ("入群后还在群里的成员比例", "Members still in the group after joining"),
    "chart.days_after_joining": ("入群后天数", "days after joining"),
    "chart.still_in_group": ("仍在群内", "still in the group"),
    "chart.playbook_leaving": ("手册：不运营每天流失 {rate}", "playbook: a group left to itself, {rate} a day"),
    "chart.open_rate_by_hour": ("内容打开率：按发布钟点（阴影为手册时段）", "Content open rate by posting hour (playbook windows shaded)"),
    # table columns
    "col.pd_staff": ("员工", "Staff"),
    "col.pd_week": ("周（周一）", "Week (Monday)"),
    "col.pd_requests_sent": ("发起申请", "Requests sent"),
    "col.pd_pass_rate": ("通过率", "Pass rate"),
    "col.pd_new_contacts": ("新增好友", "New contacts"),
    "col.pd_deletion_rate": ("被删率", "Deleted share"),
    "col.pd_chats": ("聊天数", "Chats"),
    "col.pd_replied": ("已回复占比", "Replied share"),
    "col.pd_reply_minutes": ("首次回复（分钟）", "First reply (min)"),
    "col.pd_open_rate": ("会话打开率", "Chat open rate"),
    "col.pd_reply_rate": ("打开后回复", "Replied after opening"),
    "col.pd_rank": ("排名", "Rank"),
    "col.pd_contacts": ("好友数", "Contacts"),
    "col.pd_linked": ("对上店铺客户", "Linked to a customer"),
    "col.pd_buyers": ("下单人数", "Buyers"),
    "col.pd_buyer_before": ("加好友前已购", "Bought before adding"),
    "col.pd_new_after": ("加后首单", "First order after"),
    "col.pd_first_purchase_rate": ("首单率", "First-order rate"),
    "col.pd_repeat_after": ("加后复购", "Repeat after"),
    "col.pd_repeat_rate": ("复购率", "Repeat rate"),
    "col.pd_days_to_first": ("到首单天数（中位）", "Days to first order (median)"),
    "col.pd_member_days": ("在群人天", "Member-days"),
    "col.pd_leaves": ("退群人数", "Left"),
    "col.pd_daily_rate": ("日退群率", "Daily leaving rate"),
    "col.pd_monthly_leaving": ("月退群率", "Monthly leaving"),
    "col.pd_members_start": ("月初成员", "Members at start"),
    "col.pd_joined": ("新入群", "Joined"),
    "col.pd_left": ("退群", "Left"),
    "col.pd_replenishment": ("补充率", "Replenishment"),
    "col.pd_net_growth": ("净增长", "Net growth"),
    "col.pd_new_members": ("新成员", "New members"),
    "col.pd_converted": ("已下单", "Bought"),
    "col.pd_rate": ("转化率", "Conversion"),
    "col.pd_group_type": ("群类型", "Group type"),
    "col.pd_members": ("成员", "Members"),
    "col.pd_gmv_per_member": ("人均 GMV", "GMV per member"),
    "col.pd_gmv_per_member_month": ("人均月 GMV", "GMV per member a month"),
    "col.pd_groups": ("群数", "Groups"),
    "col.pd_messages_per_day": ("每群每天消息", "Messages per group a day"),
    "col.pd_conversion": ("转化", "Conversion"),
    "col.pd_stage": ("阶段", "Stage"),
    "col.pd_entrants": ("进入人数", "Entered"),
    "col.pd_touched_share": ("按时触达", "Touched in time"),
    "col.pd_bought_14_touched": ("14 天下单·触达", "Bought in 14 d · touched"),
    "col.pd_bought_14_not": ("14 天下单·未触达", "Bought in 14 d · not touched"),
    "col.pd_bought_30_touched": ("30 天下单·触达", "Bought in 30 d · touched"),
    "col.pd_bought_30_not": ("30 天下单·未触达", "Bought in 30 d · not touched"),
    "col.pd_channel": ("渠道", "Channel"),
    "col.pd_kind": ("内容类型", "Kind"),
    "col.pd_posts": ("发布数", "Posts"),
    "col.pd_reach": ("触达人数", "Reach"),
    "col.pd_open_rate_content": ("打开率", "Open rate"),
    "col.pd_reference_open_rate": ("手册参考打开率", "Playbook open rate"),
    "col.pd_click_rate": ("点击率", "Click rate"),
    "col.pd_interaction_rate": ("互动率", "Interaction rate"),
    "col.pd_order_rate": ("成交率", "Order rate"),
    "col.pd_gmv_per_post": ("每条 GMV", "GMV per post"),
    "col.pd_reference": ("手册（消息 / 转化 / 月退群）", "Playbook (messages / conversion / monthly leaving)"),
    "col.pd_day_1": ("第 1 天", "Day 1"),
    "col.pd_day_3": ("第 3 天", "Day 3"),
    "col.pd_day_7": ("第 7 天", "Day 7"),
    "col.pd_day_14": ("第 14 天", "Day 14"),
    "col.pd_day_30": ("第 30 天", "Day 30"),
    "col.pd_day_60": ("第 60 天", "Day 60"),
    "col.pd_day_90": ("第 90 天", "Day 90"),
    "col.pd_touched_by_3": ("3 天内触达", "Touched by day 3"),
    "col.pd_touched_by_7": ("7 天内触达", "Touched by day 7"),
    "col.pd_touched_by_14": ("14 天内触达", "Touched by day 14"),
}
