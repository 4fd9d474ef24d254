"""Key findings that open each report: 3–5 sentences with numbers and the action each implies.

Each function reads what the notebook recorded for the JSON (``Report.headline`` and
``Report.tables``: plain dicts and lists of records), so a finding can only quote a figure the
JSON holds, and the tests can check every finding against the same figures. Thresholds the
playbook gives are in :data:`PLAYBOOK`; the text is in :mod:`wxshop.report.i18n` (``finding.*``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from wxshop.analysis.private_domain import community, staff
from wxshop.report.document import format_value
from wxshop.report.i18n import Translator
from wxshop.report.thresholds import THRESHOLDS
from wxshop.report.views.overview import change_text

__all__ = ["GROWTH_REFERENCE", "PLAYBOOK", "PRIVATE_REFERENCE", "ab_test", "for_notebook", "growth",
           "private_domain", "product_selection", "store_overview", "user_profiling"]

# Thresholds the playbook states (CNY), from the table the index page marks with
# (wxshop.report.thresholds.THRESHOLDS).
PLAYBOOK = {
    "aov_good": THRESHOLDS["spend_per_buyer"].value,  # 客单价 (per buyer) ≥ 150 CNY is good
}

Records = Sequence[Mapping[str, Any]]


def _ok(v: Any) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _cny(v: float) -> str:
    return f"¥{v:,.0f}" if abs(v) >= 1000 else f"¥{v:,.2f}"


def _pct(v: float) -> str:
    return format_value(v, "share")


def _period_change(rows: Records, tr: Translator) -> str | None:
    """Net GMV of the last period and its change on the period before (环比), split into buyers
    and 客单价 (GMV = buyers × spend per buyer), and on the same dates last year (同比); None
    without a previous period (``period_over_period``, :func:`wxshop.analysis.periods.compare`)."""
    by = {r.get("kpi"): r for r in rows}
    gmv = by.get("gmv")
    if not gmv or not _ok(gmv.get("change_prev")):
        return None
    buyers, spend = by.get("customers", {}), by.get("spend_per_buyer", {})
    start, end = gmv["current_start"], gmv["current_end"]
    days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
    if _ok(gmv.get("change_yoy")):
        yoy = tr("finding.period_yoy", change=change_text(gmv["change_yoy"], "relative", tr))
    else:
        yoy = tr("finding.period_no_yoy") if gmv.get("last_year_reason") else ""
    return tr(
        "finding.period_change", days=days, start=start, end=end, gmv=_cny(gmv["current"]),
        gmv_change=change_text(gmv["change_prev"], "relative", tr),
        buyers_change=change_text(buyers.get("change_prev"), "relative", tr),
        spend=_cny(spend["current"]) if _ok(spend.get("current")) else "—",
        spend_change=change_text(spend.get("change_prev"), "relative", tr), yoy=yoy,
    )


def store_overview(headline: Mapping[str, Any], tables: Mapping[str, Records], tr: Translator) -> list[str]:
    """Size of the business, the last period against the one before and last year, 客单价
    (spend per buyer) against the playbook's 150 CNY, repurchase, refunds; the top category
    gives way when that makes six."""
    h = headline
    out = [
        tr(
            "finding.overview_size",
            gmv=_cny(h["gmv"]),
            orders=f"{int(h['orders']):,}",
            customers=f"{int(h['customers']):,}",
        )
    ]
    change = _period_change(tables.get("period_over_period", []), tr)
    if change:
        out.append(change)
    if _ok(h.get("spend_per_buyer")):
        key = "finding.aov_good" if h["spend_per_buyer"] >= PLAYBOOK["aov_good"] else "finding.aov_low"
        out.append(tr(key, aov=_cny(h["spend_per_buyer"]), threshold=_cny(PLAYBOOK["aov_good"])))
    if _ok(h.get("repurchase_rate")):
        out.append(tr("finding.repurchase", rate=_pct(h["repurchase_rate"])))
    cats = [c for c in tables.get("categories", []) if _ok(c.get("sales_share"))]
    category = None
    if cats:
        top = max(cats, key=lambda c: c["sales_share"])
        category = tr("finding.top_category", category=top["category"], share=_pct(top["sales_share"]))
        out.append(category)
    if _ok(h.get("refund_rate_amount")):
        out.append(tr("finding.refunds", rate=_pct(h["refund_rate_amount"])))
    elif _ok(h.get("refund_rate")):
        out.append(tr("finding.refunds_orders", rate=_pct(h["refund_rate"])))
    if len(out) > 5 and category:  # the category table is in the report; refunds are an alarm
        out.remove(category)
    return out[:5]


def user_profiling(headline: Mapping[str, Any], tables: Mapping[str, Records], tr: Translator) -> list[str]:
    """Active and new customers, who to win back, the VIPs, the next 90 days."""
    h = headline
    out = [
        tr(
            "finding.active_customers",
            days=int(h.get("period_days", 90)),
            active=f"{int(h['active_customers']):,}",
            customers=f"{int(h['customers']):,}",
            new=f"{int(h['new_customers']):,}",
        )
    ]
    stages = {s["stage"]: s for s in tables.get("stages", [])}
    at_risk = sum(int(stages[s]["customers"]) for s in ("silent", "dormant") if s in stages)
    if at_risk:
        silent = int(stages.get("silent", {}).get("customers", 0))
        lost = int(stages.get("lost", {}).get("customers", 0))
        out.append(tr("finding.win_back", n=f"{at_risk:,}", silent=f"{silent:,}",
                      dormant=f"{at_risk - silent:,}", lost=f"{lost:,}"))
    segs = [s for s in tables.get("segments", []) if s.get("segment") == "important_value"]
    if segs and int(segs[0]["customers"]) > 0:
        s = segs[0]
        out.append(
            tr(
                "finding.vip",
                n=f"{int(s['customers']):,}",
                share=_pct(s["customer_share"]),
                gmv_share=_pct(s["gmv_share"]),
            )
        )
    if _ok(h.get("expected_purchases_90_total")):
        value = h.get("expected_value_90_total")
        out.append(
            tr(
                "finding.next_90",
                purchases=f"{h['expected_purchases_90_total']:,.0f}",
                value=_cny(value) if _ok(value) else "—",
            )
        )
    return out[:5]


def product_selection(
    headline: Mapping[str, Any], tables: Mapping[str, Records], tr: Translator
) -> list[str]:
    """Where the GMV is, the repurchase engine and its reminder day, the best bundle (the pair
    bought together most often beyond chance, :func:`wxshop.analysis.baskets.bundle_pairs`)."""
    h = headline
    out = []
    if _ok(h.get("a_gmv_share")):
        out.append(
            tr(
                "finding.abc",
                a=f"{int(h['a_skus']):,}",
                skus=f"{int(h['skus']):,}",
                share=_pct(h["a_gmv_share"]),
            )
        )
    cats = [c for c in tables.get("categories", []) if c.get("role") == "repeat"]
    if cats:
        top = max(cats, key=lambda c: c.get("gmv") or 0)
        day = top.get("reminder_day")
        out.append(
            tr(
                "finding.repeat_category",
                category=top["category"],
                cycle=f"{top['cycle_days']:.0f}" if _ok(top.get("cycle_days")) else "—",
                rate=_pct(top["repurchase_rate"]),
                day=f"{int(day)}" if _ok(day) else "—",
            )
        )
    if _ok(h.get("gross_margin")) and h.get("cost_coverage", 0) > 0:
        out.append(
            tr(
                "finding.margin",
                margin=_pct(h["gross_margin"]),
                profit_skus=f"{int(h.get('profit_skus', 0)):,}",
            )
        )
    bundles = tables.get("bundles", [])
    if bundles:
        b = bundles[0]
        out.append(
            tr(
                "finding.bundle",
                a=b.get("name_a") or b["sku_id_a"],
                b=b.get("name_b") or b["sku_id_b"],
                lift=f"{b['lift']:.1f}",
                n=f"{int(b['orders_together']):,}",
                extra=f"{b.get('extra_orders', 0):,.0f}",
            )
        )
    return out[:5] or [tr("finding.no_items")]


# The playbook's growth figures quoted beside a store's own (context, not targets).
GROWTH_REFERENCE = {
    "activity_conversion": (0.09, 0.14),  # activity conversion before → after optimising
    "invited_share": 0.60,  # new customers from invitation chains in a good fission programme
    "d1_retention": (0.08, 0.15),  # new users' next-day retention before → after onboarding work
}


def growth(headline: Mapping[str, Any], tables: Mapping[str, Records], tr: Translator) -> list[str]:
    """Activity conversion against the playbook's 9% → 14%, new users' next-day retention against
    8% → 15%, the step that loses most, the invited share of new customers against 60%, and
    whether the busiest hours fall in the playbook's windows; the first five that apply."""
    h, out = headline, []
    rate = h.get("activity_conversion")
    if _ok(rate):
        low, high = GROWTH_REFERENCE["activity_conversion"]
        key = ("finding.growth_conversion_high" if rate >= high else
               "finding.growth_conversion_mid" if rate >= low else "finding.growth_conversion_low")
        out.append(tr(key, rate=_pct(rate), low=_pct(low), high=_pct(high)))
    d1 = h.get("d1_retention")
    if _ok(d1):
        low, high = GROWTH_REFERENCE["d1_retention"]
        key = "finding.growth_d1_high" if d1 >= high else "finding.growth_d1_low"
        out.append(tr(key, rate=_pct(d1), low=_pct(low), high=_pct(high)))
    weakest = h.get("weakest_step")
    if weakest and _ok(h.get("weakest_step_conversion")):
        out.append(tr("growth.worst_step", step=tr(f"step.{weakest}"),
                      rate=_pct(h["weakest_step_conversion"])))
    share = h.get("invited_share")
    if _ok(share):
        out.append(tr("finding.growth_invited", share=_pct(share), k=f"{h.get('k_factor', 0):.2f}",
                      reference=_pct(GROWTH_REFERENCE["invited_share"])))
    peaks = h.get("peak_hours") or []
    if peaks:
        outside = [p for p in peaks if not h.get("peak_in_window", {}).get(str(p), False)]
        hours = ", ".join(f"{int(p):02d}:00" for p in (outside or peaks))
        out.append(tr("growth.timing_outside", hours=hours) if outside else tr("growth.timing_match"))
    return out[:5] or [tr("finding.growth_none")]


# The playbook's private-domain figures quoted beside a store's own (context, not targets).
PRIVATE_REFERENCE = {
    "friend_add_rate": THRESHOLDS["friend_add_rate"].value,  # 好友添加率 above 25% is good
    "session_open_rate": THRESHOLDS["session_open_rate"].value,  # 会话打开率 above 50% meets the bar
    "request_pass_rate": staff.PASS_RATE_REAL_PERSON,  # requests pass with a real-person photo
    "daily_leaving_rate": community.DAILY_LEAVING,  # a 500-member group left to itself, per day
    "replenishment": community.REPLENISHMENT,  # new members a group needs a month
}


def private_domain(headline: Mapping[str, Any], tables: Mapping[str, Records], tr: Translator) -> list[str]:
    """The friend-add rate against 25%, the randomised touch effect beside the naive comparison, the
    chat open rate against 50%, the groups' leaving rate against 2.3% a day with their replenishment,
    and the request pass rate against 68%; the first five that apply."""
    h, out, ref = headline, [], PRIVATE_REFERENCE
    rate = h.get("friend_add_rate")
    if _ok(rate):
        good = rate > ref["friend_add_rate"]
        action = tr("finding.private_friend_add_ok" if good else "finding.private_friend_add_low")
        out.append(tr("finding.private_friend_add", rate=_pct(rate), good=_pct(ref["friend_add_rate"]),
                      action=action))
    effect, interval = h.get("touch_effect"), h.get("touch_effect_interval") or [None, None]
    if _ok(effect) and all(_ok(v) for v in interval):
        naive = h.get("naive_touch_difference")
        out.append(tr("finding.private_touch_effect", diff=_pct(effect), low=_pct(interval[0]),
                      high=_pct(interval[1]), naive=_pct(naive) if _ok(naive) else "—"))
    rate = h.get("session_open_rate")
    if _ok(rate):
        good = rate > ref["session_open_rate"]
        out.append(tr("finding.private_open_rate", rate=_pct(rate), good=_pct(ref["session_open_rate"]),
                      action=tr("finding.private_open_ok" if good else "finding.private_open_low")))
    rate = h.get("daily_leaving_rate")
    if _ok(rate):
        replenish = h.get("replenishment_rate")
        out.append(tr("finding.private_leaving", rate=f"{100 * rate:.2f}%",
                      reference=f"{100 * ref['daily_leaving_rate']:.1f}%",
                      replenish=_pct(replenish) if _ok(replenish) else "—"))
    rate = h.get("request_pass_rate")
    if _ok(rate):
        out.append(tr("finding.private_pass_rate", rate=_pct(rate)))
    return out[:5] or [tr("finding.private_none")]


def ab_test(lines: Sequence[str]) -> list[str]:
    """The A/B decision sentences (see :func:`wxshop.report.views.ab.decision_lines`), at most five."""
    return list(lines[:5])


def for_notebook(
    notebook: str, headline: Mapping[str, Any], tables: Mapping[str, Records], tr: Translator
) -> list[str]:
    """Findings of ``store_overview``, ``user_profiling``, ``product_selection``, ``growth`` or
    ``private_domain``."""
    makers = {
        "store_overview": store_overview,
        "user_profiling": user_profiling,
        "product_selection": product_selection,
        "growth": growth,
        "private_domain": private_domain,
    }
    return makers[notebook](headline, tables, tr)
