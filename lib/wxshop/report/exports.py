"""Action lists for operators: one CSV per RFM segment and per lifecycle stage.

Files open in Excel with Chinese intact (UTF-8 with BOM) and import as 企业微信 customer
tags: one customer per row with the tag columns (segment, stage) and what to do.
No personal columns ever: the customer table is built from ids and model outputs only.
"""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from wxshop.csvsafe import safe_table
from wxshop.data.codes import arrow_text, positions
from wxshop.report.i18n import Translator

EXPORT_COLUMNS = (
    "customer_id",
    "segment",
    "stage",
    "p_alive",
    "expected_purchases_90",
    "expected_value_90",
    "suggested_action",
)


def customer_actions(
    segmented: pd.DataFrame,
    stages: pd.DataFrame,
    predictions: pd.DataFrame | None,
    *,
    action_matrix: Mapping[str, Mapping[str, str]],
    stage_cadence: dict[str, int | None],
    lang: str = "zh",
) -> pd.DataFrame:
    """One row per customer: ids, segment and stage (codes and labels), P(alive),
    expected purchases and value over the next 90 days (CNY) and the suggested action:
    when to contact (the stage's cadence) and what to do, from ``action_matrix[stage][segment]``
    (:data:`wxshop.analysis.actions.ACTION_MATRIX`: stage and segment together, so the two
    halves never contradict); the action's code is in ``action_code``.

    ``segmented``: customer_id, segment (``wxshop.analysis.rfm.rfm_segments``);
    ``stages``: customer_id, stage (``wxshop.analysis.lifecycle.lifecycle_stages``);
    ``predictions``: customer_id, p_alive, expected_purchases_90, expected_value_90
    (``wxshop.analysis.clv.predict_customers``), or None when no model could be fitted.
    """
    tr = Translator(lang)
    out = segmented[["customer_id", "segment"]].reset_index(drop=True)
    _require_unique(out["customer_id"])
    out["stage"] = _lookup(out["customer_id"], stages, ["stage"])["stage"]
    predicted = ["p_alive", "expected_purchases_90", "expected_value_90"]
    if predictions is None:
        out[predicted] = float("nan")
    else:
        out[predicted] = _lookup(out["customer_id"], predictions, predicted)
    # every text below depends on the (stage, segment) pair alone: worked out once per pair
    # present and taken for every customer (1M customers: 0.8 s of lookups by text → 0.1 s)
    stage_of, stages_seen = pd.factorize(out["stage"])
    segment_of, segments_seen = pd.factorize(out["segment"])
    pair_of, pairs = pd.factorize((stage_of + 1) * (len(segments_seen) + 1) + segment_of + 1)
    texts: dict[str, list[Any]] = {"segment": [], "stage": [], "suggested_action": [], "action_code": []}
    segments = {sg for row in action_matrix.values() for sg in row}
    for pair in pairs:
        st_i, sg_i = divmod(int(pair), len(segments_seen) + 1)
        st = stages_seen[st_i - 1] if st_i else None
        sg = segments_seen[sg_i - 1] if sg_i else None
        code = action_matrix.get(st, {}).get(sg) if st is not None and sg is not None else None
        when = tr(f"cadence.{st}") if st in stage_cadence else None
        texts["segment"].append(tr(f"segment.{sg}") if sg in segments else None)
        texts["stage"].append(tr(f"stage.{st}") if st in stage_cadence else None)
        texts["action_code"].append(code)
        both = when is not None and code is not None
        texts["suggested_action"].append(when + tr("sep.semicolon") + tr(f"action.{code}") if both else None)
    per_customer = {name: pd.array(values, dtype="str").take(pair_of, allow_fill=True)
                    for name, values in texts.items()}
    out = out.assign(
        segment_code=out["segment"],
        stage_code=out["stage"],
        **per_customer,
        p_alive=out["p_alive"].round(4),
        expected_purchases_90=out["expected_purchases_90"].round(3),
        expected_value_90=out["expected_value_90"].round(2),
        expected_value_exact=out["expected_value_90"],  # sums add these, not the fen-rounded ones
    )
    return out[[*EXPORT_COLUMNS, "segment_code", "stage_code", "action_code", "expected_value_exact"]]


def _require_unique(ids: pd.Series) -> None:
    if not pd.Index(ids).is_unique:
        raise ValueError("customer_actions: a customer_id appears twice in one of the tables")


def _lookup(ids: pd.Series, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``table[columns]`` of each id (a left join on customer_id, missing when absent);
    ``table`` must list a customer once. ``ids`` are unique."""
    if _same_ids(ids, table["customer_id"]):  # the usual case: tables of the same customers in
        # the same order (sorted ids), so the join is the table itself (1M ids: 0.6 s saved)
        return table[columns].set_axis(ids.index)
    _require_unique(table["customer_id"])
    pos = positions(ids, table["customer_id"])
    if not len(table):
        return pd.DataFrame({c: pd.Series(np.nan, index=ids.index, dtype=table[c].dtype)
                             for c in columns})
    rows = table[columns].reset_index(drop=True).take(np.maximum(pos, 0)).reset_index(drop=True)
    return rows.where(np.broadcast_to((pos >= 0)[:, None], rows.shape)).set_axis(ids.index)


def _same_ids(a: pd.Series, b: pd.Series) -> bool:
    """Whether the two id columns hold the same text ids in the same order."""
    if len(a) != len(b) or a.isna().any() or b.isna().any():
        return False
    if not len(a):
        return True
    return bool(pc.all(pc.equal(arrow_text(a), arrow_text(b))).as_py())


def write_action_lists(actions: pd.DataFrame, out_dir: Path, lang: str = "zh") -> pd.DataFrame:
    """Write ``segment-<code>.csv`` and ``stage-<code>.csv`` (plus ``all_customers.csv``)
    into ``out_dir``, replacing what was there. Headers are in the report language.

    Returns the files written: file, kind (segment / stage / all), code, customers.
    """
    tr = Translator(lang)
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)  # stale lists from an earlier run must not linger
    out_dir.mkdir(parents=True)
    # highest expected value first, then by id; sorted in Arrow (pandas sorted the 1M text
    # ids in 1.5 s); NaN becomes null, an empty cell, as in pandas' CSV
    table = pa.Table.from_pandas(actions[[*EXPORT_COLUMNS, "segment_code", "stage_code"]],
                                 preserve_index=False)
    order = pc.sort_indices(  # missing values last (Arrow's default)
        table, sort_keys=[("expected_value_90", "descending"), ("customer_id", "ascending")]
    ).to_numpy()
    table = safe_table(table.select(list(EXPORT_COLUMNS)).take(order).rename_columns(  # no cell a
        [tr(f"export.{c}") for c in EXPORT_COLUMNS]))  # spreadsheet would run, checked once for all
    lists = [(table, "all_customers.csv", "all", "all")]
    for kind, col in (("segment", "segment_code"), ("stage", "stage_code")):
        # the rows of each code together, each list in the table's order: one take and a slice
        # per list (13 filters of a 1M-customer table took 1 s)
        names = sorted(actions[col].dropna().unique())
        code = pd.Categorical(actions[col], categories=names).codes[order]
        grouped = table.take(np.argsort(code, kind="stable"))
        counts = np.bincount(code[code >= 0], minlength=len(names))
        starts = int((code < 0).sum()) + np.cumsum(counts) - counts
        for name, start, count in zip(names, starts, counts, strict=True):
            lists.append((grouped.slice(int(start), int(count)), f"{kind}-{name}.csv", kind, str(name)))

    def write(rows: pa.Table, name: str) -> None:
        tmp = out_dir / f".{name}.tmp"  # renamed when whole: never a half-written list
        with tmp.open("wb") as handle:
            handle.write(codecs.BOM_UTF8)  # Excel then reads the Chinese as UTF-8
            pa_csv.write_csv(rows, handle)
        tmp.replace(out_dir / name)

    # Arrow writes CSV without holding the GIL, so two threads overlap the 13 lists (1M
    # customers: the whole function went from 2.1–2.8 s to 1.6–2.0 s)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda item: write(item[0], item[1]), lists))
    return pd.DataFrame([{"file": name, "kind": kind, "code": code, "customers": rows.num_rows}
                         for rows, name, kind, code in lists])


STAGE_PRIORITY = ("new", "active", "silent", "dormant", "lost")  # the cadence order of the playbook


def action_plan(actions: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """This week's contact plan: customers grouped by stage × segment.

    ``actions`` is :func:`customer_actions` output. Returns stage_code, segment_code,
    customers, mean_p_alive (0–1), expected_value_sum (CNY over the next 90 days) and
    suggested_action, ordered by stage urgency (new, active, silent, dormant, lost) and then
    expected value; the ``top`` largest groups by expected value are kept (at least the
    largest group of every stage).
    """
    g = actions.groupby(["stage_code", "segment_code"], sort=False, observed=True)
    plan = g.agg(
        customers=("customer_id", "size"),
        mean_p_alive=("p_alive", "mean"),
        expected_value_sum=("expected_value_exact" if "expected_value_exact" in actions.columns
                            else "expected_value_90", "sum"),
        suggested_action=("suggested_action", "first"),
    ).reset_index()
    plan["expected_value_sum"] = plan["expected_value_sum"].round(2)
    plan["mean_p_alive"] = plan["mean_p_alive"].round(4)
    ranked = plan.sort_values(["expected_value_sum", "customers"], ascending=False)
    keep = set(ranked.head(top).index) | set(ranked.groupby("stage_code").head(1).index)
    plan = plan.loc[sorted(keep)]
    order = {s: i for i, s in enumerate(STAGE_PRIORITY)}
    plan = plan.assign(_o=plan["stage_code"].map(order).fillna(len(order)))
    plan = plan.sort_values(["_o", "expected_value_sum"], ascending=[True, False])
    return plan.drop(columns="_o").reset_index(drop=True)
