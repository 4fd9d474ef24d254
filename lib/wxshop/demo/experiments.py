"""The planted experiments: who is assigned to which arm and when, the experiment orders
that replace participants' base orders inside the metric window
(``[assigned_at, assigned_at + 14 days)``), and the experiments table.

Experiment orders are all ``paid``, have a single line from the customer's main category and
take no shop campaign.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from wxshop.data import schema
from wxshop.demo.columns import id_column, label_column, timestamp_column
from wxshop.demo.customers import Customers
from wxshop.demo.draws import draw_codes
from wxshop.demo.purchases import PurchaseProcess
from wxshop.demo.settings import (
    BASE_CONVERSION_K,
    EXPERIMENT_SHARE,
    EXPERIMENTS,
    EXTRA_ORDERS_MEAN,
    GAP_SHAPE,
    MAX_CONVERSION,
    METRIC_WINDOW_DAYS,
    MULTI_VARIANT_SHARE,
    SECONDS_PER_DAY,
)
from wxshop.demo.shop_calendar import ShopCalendar


@dataclass
class ExperimentOrders:
    """The experiment orders (customer, time, experiment, arm), the assignment rows and
    each experiment's participants."""

    customer: np.ndarray
    seconds: np.ndarray
    experiment: np.ndarray  # index into EXPERIMENTS
    arm: np.ndarray
    assignments: pd.DataFrame  # experiment, customer index, arm, seconds (rows of the table)
    participants: list[dict[str, np.ndarray]]  # per experiment: customer, arm, p, multi
    dropped: list[int]


def run_experiments(
    rng: np.random.Generator, cust: Customers, proc: PurchaseProcess, cal: ShopCalendar
) -> tuple[PurchaseProcess, ExperimentOrders]:
    """Assign eligible customers to the planted experiments and draw their orders in the
    metric window; returns the base process without the participants' orders inside their
    windows, and the experiment orders."""
    window = METRIC_WINDOW_DAYS * SECONDS_PER_DAY
    base_p = 1 - np.exp(-BASE_CONVERSION_K * METRIC_WINDOW_DAYS / (GAP_SHAPE * cust.gap_scale))
    group = rng.integers(0, int(round(1 / EXPERIMENT_SHARE)), cust.n)
    win_start = np.full(cust.n, 2**62)  # no metric window
    rows, participants, dropped = [], [], []
    new_c, new_s, new_e, new_a = [], [], [], []
    for e, plan in enumerate(EXPERIMENTS):
        a0 = cal.window_seconds - plan.assign_days[0] * SECONDS_PER_DAY
        a1 = cal.window_seconds - plan.assign_days[1] * SECONDS_PER_DAY
        who = np.nonzero((group == e) & (cust.first_seconds < a0) & (proc.death_seconds >= a1))[0]
        n = who.size
        if plan.randomisation == "complete":
            cut = np.round(np.cumsum(plan.split) * n).astype(np.int64)
            arm = np.searchsorted(cut, rng.permutation(n), side="right")
        else:
            arm = draw_codes(rng, plan.split, n)
        p = np.minimum(base_p[who] * (1 + np.asarray(plan.conversion_lift)[arm]), MAX_CONVERSION)
        randomised = who
        n_drop = 0
        if plan.srm_drop_share > 0 and (arm == 1).any():
            # the logging loses treatment users, mostly inactive ones: biased, not random
            treat = np.nonzero(arm == 1)[0]
            n_drop = int(round(plan.srm_drop_share * treat.size))
            w = np.where(base_p[who[treat]] < np.median(base_p[who[treat]]), 3.0, 1.0)
            key = np.log(rng.random(treat.size)) / w
            lost = treat[np.argsort(-key, kind="stable")[:n_drop]]
            keep = np.ones(n, bool)
            keep[lost] = False
            who, arm, p = who[keep], arm[keep], p[keep]
            n = who.size
        dropped.append(n_drop)
        lo_op, hi_op = cal.to_operational(np.asarray([a0, a1]))
        assigned = cal.to_calendar(rng.uniform(lo_op, hi_op, n))
        win_start[who] = assigned
        # logging bug: a few customers also show up in another arm
        n_multi = max(1, int(round(MULTI_VARIANT_SHARE * n))) if n >= 50 else 0
        multi = np.zeros(n, bool)
        multi[rng.choice(n, n_multi, replace=False)] = True
        other = (arm[multi] + rng.integers(1, len(plan.arms), n_multi)) % len(plan.arms)
        later = np.minimum(assigned[multi] + rng.integers(60, 3 * SECONDS_PER_DAY, n_multi), a1)
        rows.append(pd.DataFrame({
            "experiment": e, "customer": np.concatenate([who, who[multi]]),
            "arm": np.concatenate([arm, other]),
            "seconds": np.concatenate([assigned, later]),
        }))
        participants.append({"customer": who, "arm": arm, "p": p, "multi": multi,
                             "assigned": assigned, "randomised": randomised,
                             "randomised_base_p": base_p[randomised]})
        # experiment orders replace the base orders inside the metric window
        buys = rng.random(n) < p
        n_orders = np.where(buys, 1 + rng.poisson(EXTRA_ORDERS_MEAN, n), 0)
        oc = np.repeat(np.arange(n), n_orders)
        w0 = cal.to_operational(assigned[oc])
        w1 = cal.to_operational(assigned[oc] + window)
        secs = np.clip(cal.to_calendar(rng.uniform(w0, w1)), assigned[oc],
                       assigned[oc] + window - 1)
        new_c.append(who[oc])
        new_s.append(secs)
        new_e.append(np.full(oc.size, e))
        new_a.append(arm[oc])
    ws = win_start[proc.customer]
    outside = (proc.seconds < ws) | (proc.seconds >= ws + window)
    kept = PurchaseProcess(proc.customer[outside], proc.seconds[outside], proc.death_seconds,
                    proc.is_first[outside])
    exp = ExperimentOrders(
        np.concatenate(new_c), np.concatenate(new_s), np.concatenate(new_e),
        np.concatenate(new_a), pd.concat(rows, ignore_index=True), participants, dropped)
    return kept, exp


def experiment_table(exp: ExperimentOrders, cal: ShopCalendar, n_customers: int) -> pd.DataFrame:
    """experiment_id, customer_id, variant, assigned_at; sorted by assigned_at."""
    variants = sorted({a for p in EXPERIMENTS for a in p.arms})
    code = np.full((len(EXPERIMENTS), max(len(p.arms) for p in EXPERIMENTS)), -1)
    for e, plan in enumerate(EXPERIMENTS):
        code[e, : len(plan.arms)] = [variants.index(a) for a in plan.arms]
    rows = exp.assignments.sort_values(["seconds", "experiment", "customer"], kind="stable")
    e, arm = rows["experiment"].to_numpy(), rows["arm"].to_numpy()
    return pa.table({
        "experiment_id": label_column([p.experiment_id for p in EXPERIMENTS], e),
        schema.CUSTOMER_ID: id_column("C", rows["customer"].to_numpy() + 1,
                                 max(7, len(str(n_customers)))),
        "variant": label_column(variants, code[e, arm]),
        "assigned_at": timestamp_column(cal.origin, rows["seconds"].to_numpy()),
    }).to_pandas()
