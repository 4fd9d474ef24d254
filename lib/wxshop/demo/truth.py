"""The truth of a demo store: every planted figure and the oracle figures an analysis should
recover.

Keys: ``window``, ``sizes``, ``customers`` (planted and realised shares of channels, tiers,
gender, age bands, main categories; growth; reference year), ``purchase_process`` (gap shape,
heterogeneity Gamma, dropout Beta(a, b), alive share at end), ``orders`` (channel mix, refund
and cancel rates planted and realised, AOV), ``categories`` (per category: planted cycle and
margin range, GMV-weighted margins over all and over paid orders, the oracle repurchase median
and 7/30/90-day shares over paid orders and over all statuses; a median the oracle cannot reach
is ``null``), ``sku_margins``, ``seasonality``, ``campaigns`` (rules, dates, realised orders and
discount), ``experiments`` (per experiment: planned split, realised counts, window, planted
parameters, expected and realised conversion and revenue per user per arm, relative lifts,
``is_null``, ``has_srm``, multi-variant customers) and ``events`` (funnel planted and
realised). ``truth["_customers"]`` holds the per-customer latent truth (a DataFrame).

With the private domain on, :func:`wxshop.demo.store.generate_store` adds ``group_buys`` and
``private_domain`` (:mod:`wxshop.demo.private_domain`: its ``definitions`` say what each key
means). The extra orders the SOP touches cause (order_id ``T…``, channel 企业微信) are in the
realised figures computed from the tables (:func:`fold_extra_orders`: ``sizes``, the realised
order figures, the categories' GMV-weighted margins, ``_customers.orders_in_window``); the
planted and oracle figures (purchase process, repurchase oracle, ``died_at``, campaigns,
seasonality, experiments) are of the shop's own orders (``O…``), as without the private domain.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from wxshop.data import schema
from wxshop.demo.columns import iso_time
from wxshop.demo.customers import Customers
from wxshop.demo.draws import planted_shares, realised_shares
from wxshop.demo.experiments import ExperimentOrders
from wxshop.demo.orders import Orders
from wxshop.demo.products import Products
from wxshop.demo.purchases import PurchaseProcess
from wxshop.demo.settings import (
    AGE_BANDS,
    BASE_CONVERSION_K,
    CANCEL_RATE,
    CATEGORIES,
    CHANNELS,
    CITY_TIERS,
    CROSS_SELL_PROB,
    DROPOUT_A,
    DROPOUT_B,
    EXPERIMENTS,
    EXTRA_ORDERS_MEAN,
    FUTURE_DAYS,
    GAMMA2_MEDIAN,
    GAP_SHAPE,
    GENDERS,
    HETEROGENEITY_SHAPE,
    HOUR_PROFILE,
    INVITE_CHANNEL,
    ITEMS_PER_ORDER_PROBS,
    MAX_CONVERSION,
    METRIC_WINDOW_DAYS,
    ORDER_CHANNEL_MIX,
    OWN_CHANNEL_PROB,
    REFUND_RATE,
    REFUND_RATE_DEFAULT,
    SECONDS_PER_DAY,
    SPRING_FESTIVAL,
    WEEKDAY_PROFILE,
    ExperimentPlan,
)
from wxshop.demo.shop_calendar import ShopCalendar


def _mean_or_nan(x: np.ndarray) -> float:
    """Mean of an array; NaN (None in the truth) when empty, without a warning."""
    return float(np.mean(x)) if np.size(x) else float("nan")


def _oracle(orders: Orders, prod: Products, cal: ShopCalendar, mask: np.ndarray) -> list[dict]:
    """Per category: days from each in-window purchase to the same customer's next purchase
    of that category, using the uncensored future (inf if never)."""
    n = orders.customer.size
    line_order = np.repeat(np.arange(n), orders.line_count)
    has = np.zeros((n, len(CATEGORIES)), bool)
    has[line_order, prod.category[orders.line_sku]] = True
    out = []
    for i in range(len(CATEGORIES)):
        idx = np.nonzero(has[:, i] & mask)[0]  # already grouped by customer, time ascending
        c, t = orders.customer[idx], orders.seconds[idx].astype(float)
        gap = np.full(idx.size, np.inf)
        same = c[1:] == c[:-1]
        gap[:-1][same] = (t[1:][same] - t[:-1][same]) / SECONDS_PER_DAY
        inwin = t < cal.window_seconds
        g = gap[inwin]
        out.append({
            "purchases": int(g.size),
            "median_days": float(np.median(g)) if g.size else float("nan"),
            "share_within_7_days": float(np.mean(g <= 7)) if g.size else float("nan"),
            "share_within_30_days": float(np.mean(g <= 30)) if g.size else float("nan"),
            "share_within_90_days": float(np.mean(g <= 90)) if g.size else float("nan"),
            "share_never": float(np.mean(~np.isfinite(g))) if g.size else float("nan"),
        })
    return out


def _lifts(by_arm: dict[str, dict[str, float]], arms: tuple[str, ...]) -> dict[str, Any]:
    """Relative lift of each arm over the first (control) arm."""
    base = by_arm[arms[0]]
    return {
        name: {key: by_arm[name][key] / base[key] - 1 if base[key] > 0 else None
               for key in ("conversion", "revenue_per_user")}
        for name in arms[1:]
    }


def _per_order(
    plan: ExperimentPlan, prod: Products, cust: Customers, who: np.ndarray,
    arm: np.ndarray | int,
) -> np.ndarray:
    """Expected amount of one experiment order, CNY: mean list price of the customer's main
    category times the expected quantity, less the coupon."""
    unit = prod.expected_price[cust.main_category[who]]
    return unit * (1 + np.asarray(plan.extra_quantity)[arm]) - np.asarray(plan.coupon)[arm]


def experiment_truth(
    exp: ExperimentOrders, orders: Orders, cust: Customers, prod: Products,
    cal: ShopCalendar, assignments: pd.DataFrame,
) -> dict[str, Any]:
    """Per planted experiment: design, planted parameters, expected and realised figures
    per arm and their relative lifts."""
    out: dict[str, Any] = {}
    net = orders.gross_fen - orders.discount_fen
    for e, plan in enumerate(EXPERIMENTS):
        part = exp.participants[e]
        m = orders.experiment == e
        n_cust = cust.n
        n_orders = np.bincount(orders.customer[m], minlength=n_cust)
        revenue = np.bincount(orders.customer[m], weights=net[m], minlength=n_cust) / 100
        clean = ~part["multi"]
        who, arm, p = part["customer"][clean], part["arm"][clean], part["p"][clean]
        lift = np.asarray(plan.conversion_lift)
        pop, pop_p = part["randomised"], part["randomised_base_p"]
        exp_rpu = p * (1 + EXTRA_ORDERS_MEAN) * _per_order(plan, prod, cust, who, arm)
        expected, in_arm, realised = {}, {}, {}
        for a, name in enumerate(plan.arms):
            s = arm == a
            conv = np.minimum(pop_p * (1 + lift[a]), MAX_CONVERSION)
            expected[name] = {
                "conversion": _mean_or_nan(conv),
                "orders_per_user": _mean_or_nan(conv) * (1 + EXTRA_ORDERS_MEAN),
                "revenue_per_user": _mean_or_nan(
                    conv * (1 + EXTRA_ORDERS_MEAN) * _per_order(plan, prod, cust, pop, a)),
            }
            in_arm[name] = {
                "conversion": _mean_or_nan(p[s]),
                "orders_per_user": _mean_or_nan(p[s]) * (1 + EXTRA_ORDERS_MEAN),
                "revenue_per_user": _mean_or_nan(exp_rpu[s]),
            }
            realised[name] = {
                "users": int(s.sum()),
                "conversion": _mean_or_nan(n_orders[who[s]] > 0),
                "orders_per_user": _mean_or_nan(n_orders[who[s]]),
                "revenue_per_user": _mean_or_nan(revenue[who[s]]),
            }

        rows = assignments[assignments["experiment_id"] == plan.experiment_id]
        counts = rows["variant"].value_counts()
        a0 = cal.window_seconds - plan.assign_days[0] * SECONDS_PER_DAY
        a1 = cal.window_seconds - plan.assign_days[1] * SECONDS_PER_DAY
        out[plan.experiment_id] = {
            "description": plan.description,
            "variants": list(plan.arms),
            "planned_split": dict(zip(plan.arms, map(float, plan.split), strict=True)),
            "randomisation": plan.randomisation,
            "assign_start": iso_time(cal.origin, a0),
            "assign_end": iso_time(cal.origin, a1),
            "window_days": METRIC_WINDOW_DAYS,
            "metric_window": "[assigned_at, assigned_at + window_days) of the first assignment",
            "conversion_definition": "at least one order in the metric window "
                                     "(experiment orders are all paid)",
            "revenue_definition": "sum of orders.amount in the metric window per assigned "
                                  "user, CNY",
            "planted": {
                "conversion_lift": dict(zip(plan.arms, map(float, plan.conversion_lift),
                                            strict=True)),
                "extra_quantity_mean": dict(zip(plan.arms, map(float, plan.extra_quantity),
                                                strict=True)),
                "coupon_cny": dict(zip(plan.arms, map(float, plan.coupon), strict=True)),
                "orders_per_converter_mean": 1 + EXTRA_ORDERS_MEAN,
                "base_conversion": f"1 - exp(-{BASE_CONVERSION_K} * {METRIC_WINDOW_DAYS} / "
                                   "mean purchase gap in operational days)",
                "max_conversion": MAX_CONVERSION,
            },
            "realised_counts": {name: int(counts.get(name, 0)) for name in plan.arms},
            "realised_split": {name: float(counts.get(name, 0) / max(len(rows), 1))
                               for name in plan.arms},
            "customers_in_multiple_variants": int(part["multi"].sum()),
            "expected_note": "expected: every randomised user (before any logging loss) "
                             "given that arm, from the planted parameters, so its lifts are "
                             "the causal truth; expected_in_arm: the same over the users "
                             "logged in the arm; realised: the data. The last two count "
                             "users in exactly one variant.",
            "randomised_users": int(pop.size),
            "expected": expected,
            "expected_in_arm": in_arm,
            "realised": realised,
            "relative_lift_expected": _lifts(expected, plan.arms),
            "relative_lift_expected_in_arm": _lifts(in_arm, plan.arms),
            "relative_lift_realised": _lifts(realised, plan.arms),
            "is_null": bool(all(v == 0 for v in plan.conversion_lift)
                            and len(set(plan.extra_quantity)) == 1 and len(set(plan.coupon)) == 1),
            "has_srm": plan.srm_drop_share > 0,
            "srm": {
                "dropped_treatment_users": int(exp.dropped[e]),
                "drop_share": float(plan.srm_drop_share),
                "rule": "treatment users lost by logging, 3x as likely below the median "
                        "base conversion",
            } if plan.srm_drop_share > 0 else None,
        }
    return out



def store_truth(
    store_id: str, seed: int, n: int, start: pd.Timestamp, end_excl: pd.Timestamp,
    cal: ShopCalendar, cust: Customers, proc: PurchaseProcess, exp: ExperimentOrders, orders: Orders,
    pos: np.ndarray, prod: Products, tables: dict[str, pd.DataFrame],
    coupon_campaigns: list[dict[str, Any]], events_truth: dict[str, Any],
) -> dict[str, Any]:
    """The truth dict of one store (see the module docstring for its keys)."""
    win = orders.seconds < cal.window_seconds
    paid = orders.status == 0
    st = orders.status[win]
    net = orders.gross_fen - orders.discount_fen
    cat_names = [c.name for c in CATEGORIES]

    # margins: GMV-weighted over order lines in the window
    line_order = np.repeat(np.arange(orders.customer.size), orders.line_count)
    line_cat = prod.category[orders.line_sku]
    value = orders.line_qty * prod.price_fen[orders.line_sku]
    cost = orders.line_qty * prod.cost_fen[orders.line_sku]
    sku_margin = 1 - prod.cost_fen / prod.price_fen

    def weighted_margin(mask: np.ndarray) -> np.ndarray:
        v = np.bincount(line_cat[mask], weights=value[mask], minlength=len(CATEGORIES))
        c = np.bincount(line_cat[mask], weights=cost[mask], minlength=len(CATEGORIES))
        return 1 - c / np.where(v > 0, v, np.nan)

    lw = win[line_order]
    m_all = weighted_margin(lw)
    m_paid = weighted_margin(lw & paid[line_order])
    oracle_paid = _oracle(orders, prod, cal, paid)
    oracle_any = _oracle(orders, prod, cal, np.ones(orders.customer.size, bool))
    categories = {}
    for i, c in enumerate(CATEGORIES):
        s = prod.category == i
        categories[c.name] = {
            "cycle_days_planted": c.cycle_days,
            "cycle_note": "median gap in operational days for a heterogeneity multiplier of 1",
            "margin_range_planted": list(c.margin),
            "sku_count": int(s.sum()),
            "mean_sku_margin": float(sku_margin[s].mean()),
            "gmv_weighted_margin_all": float(m_all[i]),
            "gmv_weighted_margin_paid": float(m_paid[i]),
            "expected_list_price": float(prod.expected_price[i]),
            "oracle_repurchase": oracle_paid[i],
            "oracle_repurchase_all_statuses": oracle_any[i],
        }

    alive = proc.death_seconds >= cal.window_seconds
    n_win = np.bincount(orders.customer[win], minlength=n)
    first_day, last_day = f"{start:%Y-%m-%d}", f"{end_excl - pd.Timedelta(days=1):%Y-%m-%d}"
    campaigns = []
    camp_w = orders.campaign[win]
    disc_w = orders.discount_fen[win]
    for k, c in enumerate(cal.campaigns + coupon_campaigns):
        if "start" in c and (c["start"] > last_day or c["end"] < first_day):
            continue
        m = camp_w == k
        campaigns.append({**c, "orders": int(m.sum()),
                          "discount_total": float(disc_w[m].sum() / 100)})

    cust_tbl = pd.DataFrame({
        schema.CUSTOMER_ID: tables["customers"][schema.CUSTOMER_ID],
        "main_category": pd.Series(np.asarray(cat_names, object)[cust.main_category], dtype="str"),
        "alive": alive,
        "heterogeneity_multiplier": cust.multiplier,
        "p_dropout": cust.dropout,
        "gap_median_days": cust.gap_scale * GAMMA2_MEDIAN,
        "orders_in_window": n_win,
        "died_at": pd.Series(cal.origin + np.where(
            np.isfinite(proc.death_seconds) & ~alive, proc.death_seconds, 0
        ).astype("timedelta64[s]")).where(~alive),
    })

    daily = np.bincount(orders.seconds[win] // SECONDS_PER_DAY, minlength=cal.window_days)
    days = pd.date_range(start, periods=cal.window_days, freq="D")
    in_11 = (days.month == 11) & (days.day <= 11)
    in_618 = (days.month == 6) & (days.day <= 18)
    refund_planted = {c: REFUND_RATE.get(c, REFUND_RATE_DEFAULT) for c in CHANNELS}
    ord_ch = orders.channel[win]
    base_w = orders.experiment[win] < 0
    truth: dict[str, Any] = {
        "store_id": store_id,
        "seed": seed,
        "generator": "wxshop.demo",
        "window": {
            "start": f"{start:%Y-%m-%d %H:%M:%S}",
            "end": f"{end_excl - pd.Timedelta(days=1):%Y-%m-%d}",
            "end_exclusive": f"{end_excl:%Y-%m-%d %H:%M:%S}",
            "days": cal.window_days,
            "future_days_simulated": FUTURE_DAYS,
            "timezone": "Asia/Shanghai wall clock, naive timestamps, second resolution",
        },
        "sizes": {k: len(v) for k, v in tables.items()},
        "customers": {
            "planted": cust.planted,
            "realised": {
                "acquisition_channel_shares": realised_shares(cust.channel, CHANNELS),
                "city_tier_shares": realised_shares(cust.tier, CITY_TIERS),
                "gender_shares": realised_shares(cust.gender, GENDERS),
                "age_band_shares": realised_shares(cust.age_band, [b[0] for b in AGE_BANDS]),
                "main_category_shares": realised_shares(cust.main_category, cat_names),
            },
            "tier_2_3": ["新一线", "二线", "三线"],
            "age_reference_year": cust.reference_year,
            "age_note": "age = age_reference_year - birth_year",
            "acquisition_growth": cust.growth,
            "acquisition_note": "first-purchase rate grows linearly to 1 + growth times the "
                                "start rate, times the shop's seasonal intensity",
            "invited_channel": INVITE_CHANNEL,
            "invited_with_inviter": int((cust.inviter >= 0).sum()),
            "personal_columns": ["phone", "openid", "nickname", "address"],
        },
        "purchase_process": {
            "gap_distribution": "gamma",
            "gap_shape": GAP_SHAPE,
            "gap_median": "cycle_days_planted[main category] * heterogeneity multiplier, "
                          "operational days",
            "heterogeneity": {"distribution": "gamma", "shape": HETEROGENEITY_SHAPE,
                              "scale": 1 / HETEROGENEITY_SHAPE, "mean": 1.0},
            "dropout": {"distribution": "beta", "a": DROPOUT_A, "b": DROPOUT_B,
                        "mean": DROPOUT_A / (DROPOUT_A + DROPOUT_B),
                        "meaning": "chance of leaving for good after each purchase"},
            "alive_share_at_end": float(alive.mean()),
            "orders_per_customer_in_window": float(n_win.mean()),
            "items_per_order_probs": list(ITEMS_PER_ORDER_PROBS),
            "cross_sell_line_prob": CROSS_SELL_PROB,
        },
        "orders": {
            "own_channel_prob": OWN_CHANNEL_PROB,
            "other_channel_mix": planted_shares(CHANNELS, ORDER_CHANNEL_MIX),
            "channel_shares_realised": realised_shares(ord_ch, CHANNELS),
            "refund_rate_planted_by_channel": refund_planted,
            "refund_rate_realised_by_channel": {
                c: float((st[base_w & (ord_ch == i)] == 1).mean())
                if (base_w & (ord_ch == i)).any() else None for i, c in enumerate(CHANNELS)},
            "cancel_rate_planted": CANCEL_RATE,
            "refund_rate_realised": float((st == 1).mean()),
            "cancel_rate_realised": float((st == 2).mean()),
            "status_note": "experiment-window orders are all paid; realised rates are over "
                           "all orders in the window",
            "aov_realised": float(net[win].mean() / 100),
            "aov_paid_realised": float(net[win & paid].mean() / 100),
            "gmv_paid": float(net[win & paid].sum() / 100),
            "discount_share_of_orders": float((orders.discount_fen[win] > 0).mean()),
        },
        "categories": categories,
        "sku_margins": dict(zip(tables["products"][schema.SKU_ID].tolist(),
                                map(float, sku_margin), strict=True)),
        "seasonality": {
            "hour_profile": list(HOUR_PROFILE),
            "weekday_profile_mon_to_sun": list(WEEKDAY_PROFILE),
            "spring_festival_dates": {str(k): v for k, v in SPRING_FESTIVAL.items()},
            "spring_festival_effect": "x0.85 from 7 to 2 days before, x0.5 from the eve to "
                                      "day 6 (couriers stop)",
            "median_daily_orders": float(np.median(daily)),
            "double11_mean_daily_orders": float(daily[in_11].mean()) if in_11.any() else None,
            "m618_mean_daily_orders": float(daily[in_618].mean()) if in_618.any() else None,
        },
        "campaigns": campaigns,
        "experiments": experiment_truth(exp, orders, cust, prod, cal, tables["experiments"]),
        "events": events_truth,
        "_customers": cust_tbl,
    }
    return truth


def fold_extra_orders(truth: dict[str, Any], tables: dict[str, pd.DataFrame], prefix: str) -> None:
    """The truth's realised order figures recomputed over the final orders and order lines, whose
    extra orders (order_id starting with ``prefix``: the private domain's) the internal arrays do not
    hold: in ``orders`` the channel shares (企业微信 added), refund and cancel rates, AOVs, paid GMV
    and discount share; in ``categories`` the GMV-weighted margins; in ``_customers`` the orders in
    the window. Money in fen, as :func:`store_truth` counts it, so the shop's own orders give the
    same figures as there. Planted and oracle figures are left as they are."""
    orders, items, products = tables["orders"], tables["order_items"], tables["products"]
    fen = np.rint(orders[schema.AMOUNT].to_numpy(float) * 100).astype(np.int64)
    status = orders[schema.STATUS].to_numpy(object)
    paid = status == "paid"
    channels = orders[schema.CHANNEL].value_counts()
    out = truth["orders"]
    out["channel_shares_realised"] = {c: float(channels.get(c, 0) / len(orders))
                                      for c in [*CHANNELS, *[c for c in channels.index if c not in CHANNELS]]}
    out["refund_rate_realised"] = float((status == "refunded").mean())
    out["cancel_rate_realised"] = float((status == "cancelled").mean())
    out["aov_realised"] = float(fen.mean() / 100)
    out["aov_paid_realised"] = float(fen[paid].mean() / 100)
    out["gmv_paid"] = float(fen[paid].sum() / 100)
    out["discount_share_of_orders"] = float((orders[schema.DISCOUNT].to_numpy(float) > 0).mean())
    out["extra_orders_note"] = (f"realised figures include the private domain's extra orders ({prefix}…); "
                                "the per-channel refund rates are over the shop's own channels")

    lines = items.merge(products[[schema.SKU_ID, "category", "unit_cost"]], on=schema.SKU_ID, how="left")
    lines = lines.merge(orders[[schema.ORDER_ID, schema.STATUS]], on=schema.ORDER_ID, how="left")
    qty = lines[schema.QUANTITY].to_numpy(np.int64)
    value = qty * np.rint(lines[schema.UNIT_PRICE].to_numpy(float) * 100).astype(np.int64)
    cost = qty * np.rint(lines["unit_cost"].to_numpy(float) * 100).astype(np.int64)
    names = [c.name for c in CATEGORIES]
    cat = pd.Index(names).get_indexer(lines["category"].astype("str"))
    line_paid = (lines[schema.STATUS] == "paid").to_numpy(bool)
    for basis, mask in (("all", cat >= 0), ("paid", (cat >= 0) & line_paid)):
        v = np.bincount(cat[mask], weights=value[mask], minlength=len(names))
        c = np.bincount(cat[mask], weights=cost[mask], minlength=len(names))
        margin = 1 - c / np.where(v > 0, v, np.nan)
        for i, name in enumerate(names):
            truth["categories"][name][f"gmv_weighted_margin_{basis}"] = float(margin[i])

    cust = truth["_customers"]
    counts = orders[schema.CUSTOMER_ID].value_counts()
    truth["_customers"] = cust.assign(
        orders_in_window=counts.reindex(cust[schema.CUSTOMER_ID]).fillna(0).to_numpy(np.int64))
