"""The DuckDB reference: a store's headline figures in plain SQL, the floor wxshop is measured against.

    .venv/bin/python tools/duckdb_reference.py data/demo/demo_01             # JSON on stdout
    .venv/bin/python tools/duckdb_reference.py STORE_DIR --out ref.json      # JSON to a file
    .venv/bin/python tools/duckdb_reference.py STORE_DIR --memory-limit 3GB  # DuckDB spills beyond it

Reads ``orders``, ``order_items``, ``products`` and ``experiments`` (``<table>.parquet``, else
``<table>.csv``) from a store folder as ``wxshop demo-data`` / ``demo.write_store`` writes them,
and computes with the definitions of the wxshop library (each query names the function it
stands beside; ``tests/tools/test_duckdb_reference.py`` holds them equal on a generated store):

- store KPIs of the overview, every order (``analysis.overview.store_kpis``);
- the user-profiling headline over the last 90 days (``analysis.repurchase.headline``) and the
  store's repurchase intervals with their P80 / P95 (``analysis.lifecycle.stage_thresholds``);
- RFM means and the 8 segment counts, raw R, F, M against the store's means
  (``analysis.rfm``, ``rfm_split: raw``);
- per category, the gaps between a buyer's purchase days of it, their naive median, P80 and P95
  (``analysis.churn``, ``analysis.products.repurchase_cycles``);
- per SKU over the last 365 days, sales and gross margin, the categories' gaps over the same
  window and the product headline (``analysis.selection``, ``analysis.products.product_table``);
- per experiment and arm, the A/B sufficient statistics over the 14 days after each user's
  first assignment (``ab.outcomes.user_outcomes``).

Shared conventions (``wxshop.analysis.paid``): a paid order has ``status = 'paid'``; the
windows end on the day of the last order in the data (``end_day``) and count calendar days,
that day included; money in CNY. What the script does not do: the loader's cleaning and
plausibility guards (it reads the files as they are, so it agrees with wxshop on clean stores
such as the generated ones), a store without a status column, header mapping. Only duckdb and
the standard library: the time it prints is the floor for these figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

PERIOD_DAYS = 90  # user profiling's period_days
WINDOW_DAYS = 365  # product selection's window_days
AB_WINDOW_DAYS = 14  # the A/B test's window_days
PCT_ACTIVE, PCT_DORMANT = 0.8, 0.95  # lifecycle percentiles of the repurchase intervals
SEGMENTS_ORDER = ("important_value", "important_develop", "important_keep", "important_retain",
                  "general_value", "general_develop", "general_keep", "general_retain")

# Column types for CSV files (Parquet files carry their own).
CSV_TYPES = {
    "order_id": "VARCHAR", "customer_id": "VARCHAR", "sku_id": "VARCHAR", "experiment_id": "VARCHAR",
    "variant": "VARCHAR", "status": "VARCHAR", "category": "VARCHAR", "ordered_at": "TIMESTAMP",
    "assigned_at": "TIMESTAMP", "amount": "DOUBLE", "refund_amount": "DOUBLE", "quantity": "DOUBLE",
    "unit_price": "DOUBLE", "unit_cost": "DOUBLE",
}
# Optional columns a store may lack, and the value that means "nothing recorded".
OPTIONAL = {"orders": {"refund_amount": "CAST(0 AS DOUBLE)"},
            "products": {"unit_cost": "CAST(NULL AS DOUBLE)"}}

# ----------------------------------------------------------------------------- shared facts

FACTS = """
-- the data's last day; every window ends with it (overview.resolve_period_end)
CREATE TABLE span AS SELECT CAST(max(ordered_at) AS DATE) AS end_day FROM orders;

-- paid orders of known buyers (analysis.paid.paid_orders); ago = days before end_day
CREATE TABLE paid AS
SELECT order_id, customer_id, CAST(ordered_at AS DATE) AS day, end_day - CAST(ordered_at AS DATE) AS ago,
       coalesce(amount, 0) AS amount, coalesce(refund_amount, 0) AS refund_amount
FROM orders, span
WHERE status = 'paid' AND customer_id IS NOT NULL AND ordered_at IS NOT NULL;

-- a buyer's purchase days: several orders on one day are one purchase
CREATE TABLE buyer_days AS SELECT DISTINCT customer_id, day, ago FROM paid;

-- lines of paid orders with buyer, day and product (products.item_lines)
CREATE TABLE lines AS
SELECT p.order_id, p.customer_id, p.day, p.ago, i.sku_id, pr.category,
       i.quantity, i.quantity * i.unit_price AS gmv, i.quantity * pr.unit_cost AS cost
FROM order_items AS i JOIN paid AS p USING (order_id) LEFT JOIN products AS pr USING (sku_id);
"""

# ----------------------------------------------------------------------------- the figures

STORE_KPIS = """
-- overview.store_kpis, over every order. Gross GMV: paid and refunded orders as paid; refunds:
-- refunded orders plus the partial refunds of paid ones; GMV (net) = paid - partial refunds.
WITH o AS (
    SELECT count(*) FILTER (status = 'paid') AS orders,
           count(DISTINCT customer_id) FILTER (status = 'paid') AS customers,
           count(*) FILTER (status = 'refunded') AS refunded_orders,
           sum(amount) FILTER (status IN ('paid', 'refunded')) AS gross,
           sum(amount) FILTER (status = 'refunded')
             + coalesce(sum(refund_amount) FILTER (status = 'paid'), 0) AS refunds,
           sum(amount) FILTER (status = 'paid')
             - coalesce(sum(refund_amount) FILTER (status = 'paid'), 0) AS net,
           CAST(CAST(min(ordered_at) AS DATE) AS VARCHAR) AS period_start,
           CAST(CAST(max(ordered_at) AS DATE) AS VARCHAR) AS period_end
    FROM orders),
-- 复购率: buyers with paid orders on 2 or more different days
r AS (SELECT avg(CAST(days >= 2 AS DOUBLE)) AS repurchase_rate
      FROM (SELECT customer_id, count(*) AS days FROM buyer_days GROUP BY customer_id))
SELECT customers, orders, round(gross, 2) AS gmv_gross, round(net, 2) AS gmv, round(refunds, 2) AS refunds,
       net / customers AS spend_per_buyer,                -- 客单价
       net / orders AS aov,                               -- 笔单价
       orders / customers AS frequency, repurchase_rate,
       refunded_orders / (orders + refunded_orders) AS refund_rate,
       refunds / gross AS refund_rate_amount, period_start, period_end
FROM o, r
"""

PROFILING = f"""
-- repurchase.headline: the {PERIOD_DAYS} days ending with end_day (ago < {PERIOD_DAYS}) and the
-- {PERIOD_DAYS} days before them
WITH per AS (
    SELECT customer_id,
           count(*) FILTER (ago < {PERIOD_DAYS}) AS orders,
           count(DISTINCT day) FILTER (ago < {PERIOD_DAYS}) AS days,
           count(*) FILTER (ago >= {PERIOD_DAYS} AND ago < {2 * PERIOD_DAYS}) AS prev_orders,
           max(ago) AS first_ago,
           sum(amount) FILTER (ago < {PERIOD_DAYS}) AS paid,
           sum(refund_amount) FILTER (ago < {PERIOD_DAYS}) AS refunded
    FROM paid GROUP BY customer_id),
t AS (
    SELECT count(*) AS customers,
           count(*) FILTER (orders > 0) AS active_customers,
           count(*) FILTER (first_ago < {PERIOD_DAYS}) AS new_customers,
           sum(orders) AS orders,
           round(sum(paid) - sum(refunded), 2) AS gmv,
           count(*) FILTER (days >= 2) AS repeat_buyers,
           count(*) FILTER (prev_orders > 0) AS prev_buyers,
           count(*) FILTER (prev_orders > 0 AND orders > 0) AS returned
    FROM per)
SELECT customers, active_customers, new_customers, orders, gmv, gmv / orders AS aov,
       orders / active_customers AS frequency,
       active_customers AS buyers, repeat_buyers, repeat_buyers / active_customers AS repurchase_rate,
       prev_buyers, returned, returned / prev_buyers AS return_rate,
       CAST(end_day - {PERIOD_DAYS - 1} AS VARCHAR) AS period_start, CAST(end_day AS VARCHAR) AS period_end,
       CAST(end_day - {2 * PERIOD_DAYS - 1} AS VARCHAR) AS prev_start,
       CAST(end_day - {PERIOD_DAYS} AS VARCHAR) AS prev_end
FROM t, span
"""

INTERVALS = f"""
-- lifecycle.stage_thresholds: days between a buyer's consecutive purchase days, all buyers
WITH g AS (SELECT customer_id, day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS gap
           FROM buyer_days)
SELECT count(gap) AS n_intervals, count(DISTINCT customer_id) FILTER (gap IS NOT NULL) AS n_repeat_customers,
       quantile_cont(gap, {PCT_ACTIVE}) AS p_active, quantile_cont(gap, {PCT_DORMANT}) AS p_dormant
FROM g
"""

RFM = """
-- rfm.rfm_table: recency = days from the last purchase day to end_day, frequency = paid
-- orders, monetary = paid amount (to the fen), per buyer
CREATE TABLE rfm AS
SELECT customer_id, min(ago) AS recency_days, count(*) AS frequency, round(sum(amount), 2) AS monetary
FROM paid GROUP BY customer_id;
CREATE TABLE rfm_means AS
SELECT avg(recency_days) AS recency_days, avg(frequency) AS frequency, avg(monetary) AS monetary FROM rfm;
"""

SEGMENTS = """
-- rfm.rfm_segments(split="raw"): high = better than the store's mean (recency below it)
SELECT CASE WHEN r.monetary > m.monetary THEN 'important' ELSE 'general' END || '_' ||
       CASE WHEN r.recency_days < m.recency_days AND r.frequency > m.frequency THEN 'value'
            WHEN r.recency_days < m.recency_days THEN 'develop'
            WHEN r.frequency > m.frequency THEN 'keep'
            ELSE 'retain' END AS segment,
       count(*) AS customers
FROM rfm AS r, rfm_means AS m
GROUP BY segment ORDER BY segment
"""


def category_gaps(days: int | None = None) -> str:
    """Per category, the gaps over every day up to end_day, or over the last ``days`` days."""
    window = f" AND ago < {days}" if days else ""
    return f"""
-- churn.category_thresholds / products.repurchase_cycles: days between a buyer's consecutive
-- purchase days of a category (lines of SKUs not in products left out)
WITH d AS (SELECT DISTINCT customer_id, category, day FROM lines WHERE category IS NOT NULL{window}),
g AS (SELECT category, day - lag(day) OVER (PARTITION BY customer_id, category ORDER BY day) AS gap FROM d)
SELECT category, count(*) AS purchases, count(gap) AS intervals,
       quantile_cont(gap, 0.5) AS naive_median_days,
       quantile_cont(gap, {PCT_ACTIVE}) AS p80_days, quantile_cont(gap, {PCT_DORMANT}) AS p95_days
FROM g GROUP BY category ORDER BY category
"""


SKUS = f"""
-- products.product_table per SKU over the last {WINDOW_DAYS} days: item GMV = quantity x unit
-- price (before order discounts), cost = quantity x unit cost (unknown when a line has none)
CREATE TABLE skus AS
SELECT sku_id, any_value(category) AS category, sum(quantity) AS units, count(DISTINCT order_id) AS orders,
       count(DISTINCT customer_id) AS buyers,
       round(sum(gmv), 2) AS gmv,
       CASE WHEN count(cost) = count(*) THEN round(sum(cost), 2) END AS cost,
       CASE WHEN count(cost) = count(*) THEN round(sum(gmv) - sum(cost), 2) END AS gross_profit,
       CASE WHEN count(cost) = count(*) AND sum(gmv) > 0 THEN (sum(gmv) - sum(cost)) / sum(gmv) END
         AS gross_margin
FROM lines WHERE ago < {WINDOW_DAYS}
GROUP BY sku_id
"""

PRODUCT_HEADLINE = """
-- selection.headline: sums of the SKU table's rounded figures; margin over SKUs with costs
SELECT count(*) AS skus, count(DISTINCT category) AS categories, round(sum(gmv), 2) AS item_gmv,
       round(sum(gross_profit), 2) AS gross_profit,
       sum(gross_profit) / sum(gmv) FILTER (gross_profit IS NOT NULL) AS gross_margin,
       sum(gmv) FILTER (gross_profit IS NOT NULL) / sum(gmv) AS cost_coverage
FROM skus
"""

AB_USERS = """
-- ab.outcomes.user_outcomes: a user is in one variant (users seen in several are left out and
-- counted); assigned_at is the first assignment
CREATE TABLE ab_users AS
SELECT experiment_id, customer_id, min(variant) AS variant, min(assigned_at) AS assigned_at,
       count(DISTINCT variant) AS variants
FROM experiments GROUP BY experiment_id, customer_id
"""

AB_ARMS = f"""
-- per user: paid orders in [assigned_at, assigned_at + {AB_WINDOW_DAYS} days) and their amount;
-- per arm: users, converters (>= 1 order), and the sums and sums of squares over users
WITH u AS (
    SELECT u.experiment_id, u.variant, u.customer_id, count(o.ordered_at) AS orders,
           coalesce(sum(o.amount), 0) AS revenue
    FROM ab_users AS u
    LEFT JOIN orders AS o
      ON o.customer_id = u.customer_id AND o.status = 'paid'
     AND o.ordered_at >= u.assigned_at AND o.ordered_at < u.assigned_at + INTERVAL {AB_WINDOW_DAYS} DAY
    WHERE u.variants = 1
    GROUP BY u.experiment_id, u.variant, u.customer_id)
SELECT experiment_id, variant, count(*) AS users, count(*) FILTER (orders > 0) AS converters,
       sum(orders) AS orders_sum, sum(orders * orders) AS orders_sumsq,
       sum(revenue) AS revenue_sum, sum(revenue * revenue) AS revenue_sumsq
FROM u GROUP BY experiment_id, variant ORDER BY experiment_id, variant
"""

AB_EXCLUDED = """
SELECT experiment_id, count(*) FILTER (variants > 1) AS multi_variant FROM ab_users
GROUP BY experiment_id ORDER BY experiment_id
"""


# ----------------------------------------------------------------------------- running it


def table_source(folder: Path, table: str) -> str:
    """The SQL that reads one table file: ``<table>.parquet``, else ``<table>.csv``."""
    parquet, text = folder / f"{table}.parquet", folder / f"{table}.csv"
    if parquet.is_file():
        return f"read_parquet('{parquet}')"
    if not text.is_file():
        raise SystemExit(f"{folder}: neither {parquet.name} nor {text.name}")
    with open(text, encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    types = ", ".join(f"'{c}': '{CSV_TYPES[c]}'" for c in header if c in CSV_TYPES)
    return f"read_csv('{text}', header = true, types = {{{types}}})"


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """The result of ``sql`` as a list of {column: value}; NaN and infinity become None."""
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [{n: plain(v) for n, v in zip(names, row, strict=True)} for row in cur.fetchall()]


def plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def reference(folder: Path, memory_limit: str | None = None, threads: int | None = None) -> dict[str, Any]:
    """Every figure of the module docstring for the store in ``folder``."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET temp_directory = '{Path(tempfile.gettempdir()) / 'duckdb_reference'}'")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for table in ("orders", "order_items", "products", "experiments"):
        source = table_source(folder, table)
        present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        missing = "".join(f", {value} AS {column}" for column, value in OPTIONAL.get(table, {}).items()
                          if column not in present)
        con.execute(f"CREATE VIEW {table} AS SELECT *{missing} FROM {source}")
    seconds: dict[str, float] = {}

    def timed(part: str, compute: Any) -> Any:
        t0 = time.perf_counter()
        out = compute()
        seconds[part] = round(time.perf_counter() - t0, 3)
        return out

    timed("facts", lambda: con.execute(FACTS))
    out: dict[str, Any] = {"store": str(folder), "duckdb": duckdb.__version__}
    out["end_day"] = str(con.execute("SELECT end_day FROM span").fetchone()[0])
    out["order_lines"] = con.execute("SELECT count(*) FROM order_items").fetchone()[0]
    out["store_kpis"] = timed("store_kpis", lambda: rows(con, STORE_KPIS)[0])
    out["profiling"] = timed("profiling", lambda: rows(con, PROFILING)[0] | {"period_days": PERIOD_DAYS})
    out["intervals"] = timed("intervals", lambda: rows(con, INTERVALS)[0])

    def rfm() -> dict[str, Any]:
        con.execute(RFM)
        means = rows(con, "SELECT * FROM rfm_means")[0]
        counts = {r["segment"]: r["customers"] for r in rows(con, SEGMENTS)}
        return {"means": means, "segments": {s: counts.get(s, 0) for s in SEGMENTS_ORDER}}

    out["rfm"] = timed("rfm", rfm)
    out["category_gaps"] = timed("category_gaps", lambda: rows(con, category_gaps()))

    def products() -> dict[str, Any]:
        con.execute(SKUS)
        return {"window_days": WINDOW_DAYS, "headline": rows(con, PRODUCT_HEADLINE)[0],
                "skus": rows(con, "SELECT * FROM skus ORDER BY sku_id"),
                "category_gaps": rows(con, category_gaps(WINDOW_DAYS))}

    out["products"] = timed("products", products)

    def ab() -> dict[str, Any]:
        con.execute(AB_USERS)
        found: dict[str, Any] = {r["experiment_id"]: {"window_days": AB_WINDOW_DAYS, **r, "arms": {}}
                                 for r in rows(con, AB_EXCLUDED)}
        for arm in rows(con, AB_ARMS):
            exp, variant = arm.pop("experiment_id"), arm.pop("variant")
            found[exp]["arms"][variant] = arm
        for exp in found.values():
            del exp["experiment_id"]
        return found

    out["ab"] = timed("ab", ab)
    con.close()
    out["seconds"] = round(time.perf_counter() - started, 3)
    out["seconds_by_part"] = seconds
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("store", type=Path, help="store folder (orders.parquet or orders.csv, ...)")
    ap.add_argument("--out", type=Path, help="write the JSON here instead of printing it")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 3GB (it spills to disk beyond)")
    ap.add_argument("--threads", type=int, help="DuckDB threads (default: every core)")
    args = ap.parse_args(argv)
    figures = reference(args.store.resolve(), args.memory_limit, args.threads)
    text = json.dumps(figures, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"{args.store}: {figures['order_lines']:,} order lines in {figures['seconds']} s -> {args.out}")
    else:
        print(text)


if __name__ == "__main__":
    sys.exit(main())
