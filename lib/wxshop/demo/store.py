"""Synthetic WeChat stores with planted, recorded truths: generate one store, write it to
disk, write several demo stores.

Conventions
-----------
- Money in CNY with two decimals (computed in fen, so sums are exact to the fen).
- Timestamps are naive ``datetime64[s]`` Asia/Shanghai wall-clock time. The window is
  ``[start 00:00:00, end + 1 day 00:00:00)``: ``end`` is the last day included.
- ``city_tier`` values: ``一线`` (北上广深), ``新一线``, ``二线``, ``三线``, ``四线及以下``.
  "Tier 2–3" in the truth means 新一线 + 二线 + 三线.
- Age bands are ``end.year - birth_year``: ``18-24``, ``25-35``, ``36-45``, ``46-60``.
- Customers' personal columns (phone, openid, nickname, address) are fake but look real,
  so leak scans over reports have something to find.
- How the parts are drawn: :mod:`wxshop.demo.purchases` (the purchase process),
  :mod:`wxshop.demo.orders`, :mod:`wxshop.demo.experiments`; what is recorded:
  :mod:`wxshop.demo.truth`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wxshop.csvsafe import safe_frame
from wxshop.demo.customers import customer_table, draw_customers
from wxshop.demo.events import event_table
from wxshop.demo.experiments import experiment_table, run_experiments
from wxshop.demo.group_buys import group_buy_table
from wxshop.demo.orders import draw_orders, order_tables
from wxshop.demo.private_domain import EXTRA_ORDER_PREFIX, draw_private_domain, with_private_domain
from wxshop.demo.products import make_products
from wxshop.demo.purchases import purchase_process
from wxshop.demo.settings import (
    ACQUISITION_GROWTH,
    CATEGORIES,
    CHANNEL_SHARES,
    CHANNELS,
    DEMO_PROFILES,
    Format,
)
from wxshop.demo.shop_calendar import campaign_table, shop_calendar
from wxshop.demo.truth import fold_extra_orders, store_truth
from wxshop.jsonable import to_jsonable


def generate_store(
    customers: int,
    seed: int,
    *,
    store_id: str = "demo",
    start: str = "2024-11-01",
    end: str = "2026-10-31",
    channel_shares: Mapping[str, float] | None = None,
    category_weights: Mapping[str, float] | None = None,
    acquisition_growth: float = ACQUISITION_GROWTH,
    private_domain: bool = True,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Return ``({table_name: DataFrame}, truth)`` for one synthetic store.

    Parameters
    ----------
    customers : number of customers (all buy at least once in the window).
    seed : seed of the numpy PCG64 generator; the same seed gives identical tables.
    store_id : recorded in the truth.
    start, end : first and last day of the window, ``YYYY-MM-DD`` (at least 120 days).
    channel_shares : acquisition channel shares by name (missing channels get 0).
    category_weights : multipliers on the chance of each main category, by name.
    acquisition_growth : the first-purchase rate at ``end`` is ``1 + growth`` times the
        rate at ``start``.
    private_domain : draw the private domain over the last 365 days
        (:mod:`wxshop.demo.private_domain`): its seven tables, the extra orders the SOP touches
        cause (appended to orders and order_items) and the ``sop_holdout`` rows (appended to
        experiments); its truth is ``truth["private_domain"]``. Switched off, every other
        table is exactly as with it, less those appended rows.

    Returns
    -------
    tables : ``orders``, ``order_items``, ``products``, ``customers``, ``experiments``,
        ``events``, ``campaigns``, ``group_buys`` and the private domain's ``contacts``,
        ``staff_daily``, ``groups``, ``group_members``, ``group_daily``, ``touches``, ``posts``,
        with the columns of :data:`wxshop.data.schema.TABLES` (customers also carry
        ``phone``, ``openid``, ``nickname``, ``address``). Money in CNY, timestamps
        ``datetime64[s]``, ids as text.
    truth : JSON-serialisable dict of every planted and oracle figure; the per-customer
        truth is in ``truth["_customers"]`` (a DataFrame, written beside truth.json by
        :func:`write_store`).

    Examples
    --------
    >>> tables, truth = generate_store(200, seed=1)
    >>> print({name: len(df) for name, df in tables.items()})
    {'orders': 929, 'order_items': 1517, 'products': 68, 'customers': 200, 'experiments': 51, 'events': 273,
     'campaigns': 52, 'group_buys': 45, 'contacts': 90, 'staff_daily': 1095, 'groups': 4,
     'group_members': 2425, 'group_daily': 1103, 'touches': 890, 'posts': 702}
    >>> print(truth["window"]["start"], truth["window"]["end"], truth["window"]["days"])
    2024-11-01 00:00:00 2026-10-31 730
    """
    if customers < 10:
        raise ValueError(f"customers must be at least 10, got {customers}")
    t_start = pd.Timestamp(start).normalize()
    end_excl = pd.Timestamp(end).normalize() + pd.Timedelta(days=1)
    if (end_excl - t_start).days < 120:
        raise ValueError(f"the window {start} … {end} is shorter than 120 days")
    shares = np.asarray(CHANNEL_SHARES, float)
    if channel_shares is not None:
        unknown = set(channel_shares) - set(CHANNELS)
        if unknown:
            raise ValueError(f"unknown channels {sorted(unknown)}; known: {CHANNELS}")
        shares = np.asarray([float(channel_shares.get(c, 0.0)) for c in CHANNELS])
    cat_w = np.ones(len(CATEGORIES))
    if category_weights is not None:
        names = [c.name for c in CATEGORIES]
        unknown = set(category_weights) - set(names)
        if unknown:
            raise ValueError(f"unknown categories {sorted(unknown)}; known: {names}")
        cat_w = np.asarray([float(category_weights.get(c, 1.0)) for c in names])

    # one stream per part, so changing one part leaves the others' draws alone (children keep
    # their index: adding a stream at the end moves no earlier draw)
    seeds = np.random.SeedSequence(seed).spawn(10)
    streams = [np.random.Generator(np.random.PCG64(s)) for s in seeds[:9]]
    cal = shop_calendar(t_start, end_excl)
    prod = make_products(streams[0])
    cust = draw_customers(streams[1], customers, cal, pd.Timestamp(end).year,
                      shares, cat_w, acquisition_growth)
    proc = purchase_process(streams[2], cust, cal)
    proc, exp = run_experiments(streams[3], cust, proc, cal)
    orders, coupon_campaigns = draw_orders(streams[4], cust, proc, exp, prod, cal, streams[8])
    campaign_ids = [c["campaign_id"] for c in cal.campaigns + coupon_campaigns]
    order_table, items, pos = order_tables(orders, prod, cal, campaign_ids, customers)
    customers_df = customer_table(streams[5], cust, cal)
    events, events_truth = event_table(streams[6], cust, orders, pos, prod, cal)
    group_buys, group_buys_truth = group_buy_table(streams[7], cust, prod, cal)

    tables = {
        "orders": order_table,
        "order_items": items,
        "products": prod.table,
        "customers": customers_df,
        "experiments": experiment_table(exp, cal, customers),
        "events": events,
        "campaigns": campaign_table(cal, customers),
        "group_buys": group_buys,
    }
    pdm = None
    if private_domain:  # before the truth, so its sizes count the extra orders and the new tables
        pdm = draw_private_domain(seeds[9], order_table, customers_df, tables["experiments"], items,
                                  end=end_excl - pd.Timedelta(days=1))
        tables = with_private_domain(tables, pdm)
    truth = store_truth(store_id, seed, customers, t_start, end_excl, cal, cust, proc, exp, orders,
                   pos, prod, tables, coupon_campaigns, events_truth)
    truth["group_buys"] = group_buys_truth
    if pdm is not None:
        truth["private_domain"] = pdm.truth
        if len(pdm.orders):
            fold_extra_orders(truth, tables, EXTRA_ORDER_PREFIX)
    return tables, truth


TRUTH_FILE = "truth.json"
TRUTH_CUSTOMERS_FILE = "truth_customers.parquet"


def truth_for_json(truth: Mapping[str, Any]) -> dict[str, Any]:
    """The truth without its table parts (keys starting with ``_``), ready for json.dump.

    Examples
    --------
    >>> import numpy as np
    >>> print(truth_for_json({"seed": np.int64(3), "lift": float("nan"), "_customers": None}))
    {'seed': 3, 'lift': None}
    """
    # numpy scalars to Python, non-finite floats to None, keys to str
    return to_jsonable({k: v for k, v in truth.items() if not str(k).startswith("_")}, sep=" ")


def write_store(
    tables: Mapping[str, pd.DataFrame],
    truth: Mapping[str, Any],
    out_dir: Path,
    fmt: Format = "parquet",
) -> Path:
    """Write one store: ``<table>.<fmt>``, ``truth.json`` and ``truth_customers.parquet``.

    CSV files are UTF-8 with BOM (Excel opens them with the Chinese intact), timestamps as
    ``YYYY-MM-DD HH:MM:SS``, missing values empty. Returns ``out_dir``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tables, truth = generate_store(50, seed=2, store_id="tiny")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = write_store(tables, truth, Path(tmp) / "tiny", fmt="csv")
    ...     print(sorted(p.name for p in folder.glob("*.csv")))
    ...     print((folder / "truth.json").exists(), (folder / "truth_customers.parquet").exists())
    ['campaigns.csv', 'contacts.csv', 'customers.csv', 'events.csv', 'experiments.csv', 'group_buys.csv',
     'group_daily.csv', 'group_members.csv', 'groups.csv', 'order_items.csv', 'orders.csv', 'posts.csv',
     'products.csv', 'staff_daily.csv', 'touches.csv']
    True True
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        path = out_dir / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(path, index=False)
        else:
            safe_frame(df).to_csv(path, index=False, encoding="utf-8-sig",
                                  date_format="%Y-%m-%d %H:%M:%S")
    text = json.dumps(truth_for_json(truth), ensure_ascii=False, indent=2, allow_nan=False)
    (out_dir / TRUTH_FILE).write_text(text + "\n", encoding="utf-8")
    customers = truth.get("_customers")
    if isinstance(customers, pd.DataFrame):
        customers.to_parquet(out_dir / TRUTH_CUSTOMERS_FILE, index=False)
    return out_dir


def write_demo_stores(
    out: Path,
    stores: int = 3,
    customers: int = 20_000,
    seed: int = 0,
    fmt: Format = "parquet",
    names: list[str] | None = None,
) -> list[Path]:
    """Write ``out/demo_01``, ``out/demo_02``, … (tables, truth.json, truth_customers).

    ``names`` replaces the folder names (and store ids); its length sets the number of stores.

    Stores differ: each has its own seed (derived from ``seed`` and the store number), a
    size within ±30 % of ``customers``, a channel and category profile from
    :data:`DEMO_PROFILES` and a randomly perturbed channel mix. Returns the folders.

    Examples
    --------
    >>> import json
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folders = write_demo_stores(Path(tmp), stores=2, customers=100, seed=1)
    ...     truth = json.loads((folders[0] / "truth.json").read_text(encoding="utf-8"))
    ...     print([f.name for f in folders], truth["store_id"], truth["sizes"]["customers"])
    ['demo_01', 'demo_02'] demo_01 81
    """
    out = Path(out)
    paths = []
    if names:
        stores = len(names)
    for k in range(1, stores + 1):
        ss = np.random.SeedSequence([seed, k])
        store_seed = int(ss.generate_state(1, np.uint64)[0] >> np.uint64(1))
        rng = np.random.Generator(np.random.PCG64(ss.spawn(1)[0]))
        profile = DEMO_PROFILES[(k - 1) % len(DEMO_PROFILES)]
        tilt = np.asarray([profile["channels"].get(c, 1.0) for c in CHANNELS])
        shares = rng.dirichlet(200 * np.asarray(CHANNEL_SHARES) * tilt)
        size = max(10, int(round(customers * rng.uniform(0.7, 1.3))))
        store_id = names[k - 1] if names else f"demo_{k:02d}"
        tables, truth = generate_store(
            size, store_seed, store_id=store_id,
            channel_shares=dict(zip(CHANNELS, map(float, shares), strict=True)),
            category_weights=profile["categories"],
            acquisition_growth=float(rng.uniform(1.0, 3.0)),
        )
        paths.append(write_store(tables, truth, out / store_id, fmt))
    return paths
