"""The private domain of a demo store: 企业微信 staff and contacts, staff_daily, 社群 (groups,
group_members, group_daily), SOP touches with a randomised holdout and their extra orders, and
content posts, drawn from a store's own tables over its last 365 days.

:func:`draw_private_domain` takes the shop's tables (orders, customers, products, experiments),
so it runs inside :func:`wxshop.demo.store.generate_store` and on the committed sample store
alike; :func:`with_private_domain` adds its seven tables to a store and appends the extra orders
(``T0000001``…, channel 企业微信, the lines of an earlier paid order of the customer at list price,
no discount) and the ``sop_holdout`` assignments; :func:`write_private_domain` writes the seven
tables of a CSV store folder.

The parts and their formulas: :mod:`wxshop.demo.wecom` (staff, contacts, staff_daily),
:mod:`wxshop.demo.community` (groups), :mod:`wxshop.demo.touches` (stage entries, holdout,
touches, extra orders), :mod:`wxshop.demo.content` (posts); the window and the paid orders:
:mod:`wxshop.demo.private_inputs`. Each part draws from its own random stream.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wxshop.csvsafe import safe_frame
from wxshop.data import schema
from wxshop.demo.community import draw_groups, group_tables, group_truth
from wxshop.demo.content import posts_table
from wxshop.demo.private_inputs import (
    PaidHistory,
    PdWindow,
    paid_history,
    pd_window,
    text_series,
    time_series,
)
from wxshop.demo.settings import EXTRA_ORDER_CHANNEL, HOLDOUT_EXPERIMENT, PD_DAYS
from wxshop.demo.touches import draw_touches
from wxshop.demo.wecom import contacts_table, draw_contacts, draw_staff, staff_daily_table, wecom_truth

__all__ = ["EXTRA_ORDER_PREFIX", "PrivateDomain", "draw_private_domain", "with_private_domain",
           "write_private_domain"]

PRIVATE_TABLES = schema.PRIVATE_TABLES
EXTRA_ORDER_PREFIX = "T"

DEFINITIONS = {
    "window": "the private-domain window: the last 365 days of the store, [start, end] (days included)",
    "wecom": "staff (profile photo, pass probability, requests per day), friend adds and deletions",
    "friend_add_rate": "p_add: chance that a customer whose first paid order is in the window "
                       "becomes a contact (some are dropped: added after the end)",
    "pass_prob_by_profile": "chance a friend request sent by a staff member is passed, by profile photo",
    "expected_pass_rate": "Σ E[requests sent]·pass prob ÷ Σ E[requests sent] over the staff",
    "groups": "per group type: planted daily leaving rate μ per member-day and monthly "
              "replenishment r; realised leaves ÷ member-days at risk in the window",
    "touches": "stage entries, the sop_holdout experiment, 1v1 / 群发 / 公众号 touches, extra orders",
    "touch_effect_per_touch": "δ: chance that one 1v1 SOP touch makes an extra paid order within 10 days",
    "touch_effect": "expected sop − holdout difference (intention to treat) in P(any paid order in "
                    "(assigned_at, assigned_at + 30 days]) = δ × (1 − organic share over all enrolled)",
    "naive_bias_direction": "sign of the bias of the touched − not-touched comparison in the silent "
                            "stage (as the cadence report makes it, beside the holdout): 'up' when it "
                            "overstates the effect; values per stage in touches.naive_bias_expected",
    "session_open_rate": "chance that a 1v1 message is opened (store level)",
    "posts": "planted open rates per channel and kind (base × store factor), interaction rates",
    "extra_orders": "paid orders the touches caused, appended to orders (ids T…, channel 企业微信)",
}


@dataclass(frozen=True)
class PrivateDomain:
    """The seven private-domain tables, the extra orders and their lines, the sop_holdout
    assignment rows and the truth (``truth["private_domain"]`` of a store)."""

    tables: dict[str, pd.DataFrame]
    orders: pd.DataFrame
    order_items: pd.DataFrame
    experiments: pd.DataFrame
    truth: dict[str, Any]


def _pd_streams(seed: int | np.random.SeedSequence, n: int) -> list[np.random.Generator]:
    """``n`` independent generators from ``seed`` (the same every call: no spawn state kept)."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    keys = [np.random.SeedSequence(ss.entropy, spawn_key=(*ss.spawn_key, k)) for k in range(n)]
    return [np.random.Generator(np.random.PCG64(k)) for k in keys]


def _extra_orders(rng: np.random.Generator, hist: PaidHistory, customer: np.ndarray, seconds: np.ndarray,
                  window: PdWindow, orders: pd.DataFrame,
                  items: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The extra orders, in time order with the columns of ``orders`` and ``items``: each repeats
    the lines (SKUs, quantities, list prices) of a random earlier paid order of its customer,
    without discount or campaign, so amount = Σ quantity × unit_price."""
    order = np.argsort(seconds, kind="stable")
    cust, secs = customer[order], seconds[order]
    n = secs.size
    keys = hist.key(hist.customer, hist.seconds)
    lo = np.searchsorted(hist.customer, cust, side="left")
    hi = np.searchsorted(keys, hist.key(cust, secs - 1), side="right")
    pick = lo + np.floor(rng.random(n) * np.maximum(hi - lo, 1)).astype(np.int64)
    source = orders[schema.ORDER_ID].astype("str").to_numpy(object)[hist.row[pick]]
    ids = np.asarray([f"{EXTRA_ORDER_PREFIX}{k:07d}" for k in range(1, n + 1)], object)
    if items is not None:
        lines = pd.DataFrame({"_src": source, "_new": ids}).merge(
            items, left_on="_src", right_on=schema.ORDER_ID, how="inner")  # keeps the extras' order
        qty, price = lines[schema.QUANTITY].to_numpy(float), lines[schema.UNIT_PRICE].to_numpy(float)
        fen = pd.Series(np.rint(qty * price * 100)).groupby(lines["_new"].to_numpy()).sum()
        amount = fen.reindex(ids, fill_value=0).to_numpy() / 100
        lines = lines.assign(**{schema.ORDER_ID: text_series(lines["_new"].to_numpy())})[list(items.columns)]
    else:
        amount, lines = hist.amount[pick], pd.DataFrame()
    extra = pd.DataFrame({
        schema.ORDER_ID: text_series(ids), schema.CUSTOMER_ID: text_series(hist.ids[cust]),
        schema.ORDERED_AT: time_series(window, secs), schema.AMOUNT: np.asarray(amount, float),
        schema.STATUS: text_series(np.full(n, "paid", object)),
        schema.CHANNEL: text_series(np.full(n, EXTRA_ORDER_CHANNEL, object)),
        schema.DISCOUNT: np.zeros(n), schema.REFUND_AMOUNT: np.zeros(n),
    })
    extra = extra.reindex(columns=orders.columns).astype(orders.dtypes.to_dict())
    if items is not None:
        lines = lines.reset_index(drop=True).astype(items.dtypes.to_dict())
    return extra, lines


def draw_private_domain(
    seed: int | np.random.SeedSequence,
    orders: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    experiments: pd.DataFrame | None = None,
    order_items: pd.DataFrame | None = None,
    *,
    end: str | pd.Timestamp,
    group_size_scale: float = 1.0,
) -> PrivateDomain:
    """The private domain of a store over the 365 days ending with the day ``end``.

    Parameters
    ----------
    seed : seed or SeedSequence of the private domain's random streams.
    orders : the shop's orders (customer_id, ordered_at, amount, optional status).
    customers : the customers table (its size sets the staff and group counts), optional.
    experiments : the shop's experiment assignments: their customers are never touched by the SOP.
    order_items : the shop's order lines: an extra order repeats the lines of one of them.
    end : last day of the store.
    group_size_scale : multiplies the groups' founding sizes (a small sample store).

    Returns
    -------
    PrivateDomain : tables ``contacts``, ``staff_daily``, ``groups``, ``group_members``,
        ``group_daily``, ``touches``, ``posts`` (columns of :data:`wxshop.data.schema.TABLES`,
        times ``datetime64[s]``, ids text); the extra orders and their lines; the sop_holdout
        rows (experiment_id, customer_id, variant, assigned_at); the truth.

    Examples
    --------
    >>> from wxshop.demo.store import generate_store
    >>> tables, _ = generate_store(300, seed=1, private_domain=False)
    >>> pdm = draw_private_domain(5, tables["orders"], tables["customers"], tables["experiments"],
    ...                           tables["order_items"], end="2026-10-31")
    >>> print({name: len(df) for name, df in pdm.tables.items()})
    {'contacts': 96, 'staff_daily': 1095, 'groups': 4, 'group_members': 2358, 'group_daily': 1149,
     'touches': 1186, 'posts': 707}
    >>> print(pdm.orders["order_id"].tolist(), set(pdm.experiments["experiment_id"]))
    ['T0000001', 'T0000002', 'T0000003', 'T0000004'] {'sop_holdout'}
    """
    window = pd_window(end, PD_DAYS)
    hist = paid_history(orders, customers, window)
    n_customers = len(customers) if customers is not None else hist.n
    rng_contacts, rng_daily, rng_groups, rng_touch, rng_posts, rng_extra = _pd_streams(seed, 6)
    staff = draw_staff(rng_contacts, n_customers)
    contacts = draw_contacts(rng_contacts, hist, staff, window)
    daily = staff_daily_table(rng_daily, staff, contacts, window)
    groups = draw_groups(rng_groups, n_customers, staff, contacts, window, group_size_scale)
    groups_df, members_df, group_daily_df = group_tables(rng_groups, groups, staff, contacts, hist, window)
    in_exp = np.zeros(hist.n, bool)
    if experiments is not None and len(experiments):
        code = pd.Index(hist.ids).get_indexer(experiments[schema.CUSTOMER_ID].astype("str"))
        in_exp[code[code >= 0]] = True
    sop = draw_touches(rng_touch, hist, contacts, staff, in_exp, window)
    posts, posts_truth = posts_table(rng_posts, contacts, hist, window)
    extra, lines = _extra_orders(rng_extra, hist, sop.extra_customer, sop.extra_seconds, window, orders,
                                 order_items)
    assign_order = np.argsort(sop.assigned, kind="stable")
    assignments = pd.DataFrame({
        "experiment_id": text_series(np.full(sop.enrolled.size, HOLDOUT_EXPERIMENT, object)),
        schema.CUSTOMER_ID: text_series(hist.ids[sop.enrolled[assign_order]]),
        "variant": text_series(np.asarray(["sop", "holdout"], object)[sop.arm[assign_order]]),
        "assigned_at": time_series(window, sop.assigned[assign_order]),
    })
    tables = {"contacts": contacts_table(contacts, staff, hist, window), "staff_daily": daily,
              "groups": groups_df, "group_members": members_df, "group_daily": group_daily_df,
              "touches": sop.table, "posts": posts}
    wecom = wecom_truth(staff, contacts, hist, window, daily)
    start = pd.Timestamp(window.origin)
    truth = {
        "definitions": DEFINITIONS,
        "window": {"start": f"{start:%Y-%m-%d}",
                   "end": f"{start + pd.Timedelta(days=window.days - 1):%Y-%m-%d}", "days": window.days},
        "friend_add_rate": contacts.p_add,
        "pass_prob_by_profile": wecom["pass_prob_by_profile"],
        "expected_pass_rate": wecom["expected_pass_rate"],
        "session_open_rate": sop.truth["session_open_rate"],
        "touch_effect_per_touch": sop.truth["touch_effect_per_touch"],
        "touch_effect": sop.truth["touch_effect"],
        "naive_bias_direction": sop.truth["naive_bias_direction"],
        "wecom": wecom,
        "groups": group_truth(groups, window),
        "touches": sop.truth,
        "posts": posts_truth,
        "extra_orders": {"orders": len(extra), "gmv": float(extra[schema.AMOUNT].sum()),
                         "order_id_prefix": EXTRA_ORDER_PREFIX, "channel": EXTRA_ORDER_CHANNEL,
                         "customers_in_other_experiments": int(in_exp[sop.extra_customer].sum())},
    }
    return PrivateDomain(tables, extra, lines, assignments, truth)


def with_private_domain(tables: Mapping[str, pd.DataFrame], pdm: PrivateDomain,
                        *, extra_orders: bool = True) -> dict[str, pd.DataFrame]:
    """``tables`` plus the seven private-domain tables; with ``extra_orders``, the extra orders
    appended to orders (then sorted by ordered_at, stable), their lines to order_items and the
    sop_holdout rows to experiments."""
    out = dict(tables)
    if extra_orders:
        orders = pd.concat([out["orders"], pdm.orders], ignore_index=True)
        at = orders[schema.ORDERED_AT].to_numpy()
        out["orders"] = orders.iloc[np.argsort(at, kind="stable")].reset_index(drop=True)
        if "order_items" in out:
            out["order_items"] = pd.concat([out["order_items"], pdm.order_items], ignore_index=True)
        if "experiments" in out:
            out["experiments"] = pd.concat([out["experiments"], pdm.experiments], ignore_index=True)
    out.update(pdm.tables)
    return out


def write_private_domain(folder: str | Path, seed: int, *, end: str | None = None,
                         group_size_scale: float = 1.0) -> list[Path]:
    """Write the seven private-domain tables of the CSV store in ``folder`` (orders.csv, and
    customers.csv, experiments.csv when present) beside its files, without extra
    orders or experiment rows, so the store's other files and figures stay as they are. ``end``
    defaults to the truth.json window's end, else the last order's day. Returns the paths.
    """
    folder = Path(folder)

    def read(name: str) -> pd.DataFrame | None:
        path = folder / f"{name}.csv"
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False,
                           na_values=[""]) if path.exists() else None

    orders = read("orders")
    if orders is None:
        raise FileNotFoundError(f"no orders.csv in {folder}")
    orders[schema.ORDERED_AT] = pd.to_datetime(orders[schema.ORDERED_AT])
    orders[schema.AMOUNT] = orders[schema.AMOUNT].astype(float)
    truth_file = folder / "truth.json"
    if end is None and truth_file.exists():
        end = json.loads(truth_file.read_text(encoding="utf-8")).get("window", {}).get("end")
    if end is None:
        end = f"{orders[schema.ORDERED_AT].max():%Y-%m-%d}"
    pdm = draw_private_domain(seed, orders, read("customers"), read("experiments"), end=end,
                              group_size_scale=group_size_scale)
    paths = []
    for name in PRIVATE_TABLES:
        path = folder / f"{name}.csv"
        safe_frame(pdm.tables[name]).to_csv(path, index=False, encoding="utf-8-sig",
                                            date_format="%Y-%m-%d %H:%M:%S")
        paths.append(path)
    return paths
