"""Loading a store: its export files into clean, typed, checked tables.

``load_store(data_dir)`` finds one file per table (``orders.csv``, ``订单.xlsx``,
``order_items.parquet`` ...), reads it as text, maps the headers to the canonical
names of :mod:`wxshop.data.schema`, drops personal columns, types the columns and checks
every row. Rows that break a rule are not dropped silently: they go to
``Store.rejected`` with the source line number and a reason, and
``Store.quality`` counts them per table (``rows_read == rows_used + rows_rejected``).

Each step is a module of its own, in pipeline order: :mod:`wxshop.data.files` (which
file holds each table), :mod:`wxshop.data.read` (the file as it is),
:mod:`wxshop.data.headers` (source headers to canonical names, personal columns dropped),
:mod:`wxshop.data.parse` (typing values), :mod:`wxshop.data.checks` (row rules and the
rejected rows). This module runs them per table (the next table's files are read in a
background thread while the current one is checked: :mod:`wxshop.data.background`) and keeps
the checked tables in the table cache (:mod:`wxshop.data.storecache`; written behind, in another).

Problems that make a whole file unusable (no orders file, undecodable bytes, a
required column missing, a date column that is mostly not dates) raise
:class:`~wxshop.errors.DataError` naming the file, the column and the fix.

Row rules, with the reason recorded in ``rejected.reason`` (joined with ``"; "``
when a row breaks several):

- ``empty <column>``: a required column (or ``status`` / ``event``) is blank;
- ``<column> not a number``: a numeric value that does not parse (``¥`` and
  thousands separators are accepted);
- ``unparseable <column>``: a timestamp that does not parse;
- ``negative <column>``: amounts, prices and costs must be >= 0;
- ``<column> not one of a/b/c``: ``status`` and ``event`` after value aliases;
- ``duplicate <key>``: the first row with a key is kept, later ones rejected
  (whether or not the first row is itself valid);
- ``order_id not in orders``: an order line whose order is absent or rejected.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wxshop.csvsafe import safe_frame
from wxshop.data import identity, keys, storecache
from wxshop.data.background import ReadAhead, WriteBehind
from wxshop.data.checks import RowReasons, check_dates, check_rows, concat_rejected, rejected_rows
from wxshop.data.files import (
    LINES,
    TableFiles,
    find_sources,
    plan_tables,
    require_tables,
    wanted_tables,
)
from wxshop.data.fold import FOLD_VALUES, first_lines, fold_refunds, settle_refunded
from wxshop.data.gather import Gathered, gather
from wxshop.data.guards import Guards, row_reasons, share_warning
from wxshop.data.headers import check_required, mapping_for
from wxshop.data.parse import clean_id, map_values, parse_numbers, parse_percent, parse_timestamps
from wxshop.data.schema import (
    ORDER_ID,
    PERCENT_COLUMNS,
    PRIVATE_TABLES,
    REFUND_AMOUNT,
    REQUIRED_TABLES,
    STATUS,
    STATUS_VALUES,
    TABLES,
    VALUE_ALIASES,
    TableSpec,
)
from wxshop.data.text import TEXT_DTYPE, as_text, clean_text
from wxshop.errors import DataError

QUALITY_COLUMNS = (
    "table",
    "file",
    "rows_read",
    "rows_used",
    "rows_rejected",
    "rows_merged",
    "personal_columns_dropped",
    "source",
)
ORPHAN_REFUND = "refund of an order not in the files"


@dataclass
class Store:
    """One store's tables, as loaded by :func:`load_store`.

    Attributes
    ----------
    name : str
        Store id (the data folder's name unless given).
    data_dir : Path
        Folder the files were read from.
    tables : dict[str, DataFrame]
        Clean tables with canonical columns, only those found. Ids and text are
        ``str``, numbers ``float64``, timestamps ``datetime64[us]`` in shop-local
        time (Asia/Shanghai, naive). Optional columns absent from the file are
        absent here too.
    quality : DataFrame
        One row per table read: table, file, rows_read, rows_used, rows_rejected,
        personal_columns_dropped (a count of columns).
    rejected : DataFrame
        table, file, row (line in the source file), reason, then the row's values as text
        under canonical column names. Personal columns are never included, and identifiers
        appear only as pseudonyms.
    missing : list[str]
        Optional tables that were asked for and not found.
    notes : dict[str, dict]
        Per table, what loading found: the export layout (``source``), its files, the
        header mapping, identifiers pseudonymised, personal columns dropped, rows repeated
        across files, refund rows folded, title and summary lines skipped and the statuses
        no mapping knows (``unknown_statuses``: value -> rows).
    warnings : list[dict]
        Plausibility warnings for the whole store (:func:`wxshop.data.guards.share_warning`):
        every report shows each as a red banner.
    """

    name: str
    data_dir: Path
    tables: dict[str, pd.DataFrame] = field(repr=False)
    quality: pd.DataFrame = field(repr=False)
    rejected: pd.DataFrame = field(repr=False)
    missing: list[str] = field(default_factory=list)
    notes: dict[str, dict] = field(default_factory=dict, repr=False)
    warnings: list[dict] = field(default_factory=list, repr=False)

    def has(self, table: str) -> bool:
        """Whether ``table`` was found and loaded."""
        return table in self.tables

    @property
    def orders(self) -> pd.DataFrame | None:
        return self.tables.get("orders")

    @property
    def order_items(self) -> pd.DataFrame | None:
        return self.tables.get("order_items")

    @property
    def products(self) -> pd.DataFrame | None:
        return self.tables.get("products")

    @property
    def customers(self) -> pd.DataFrame | None:
        return self.tables.get("customers")

    @property
    def experiments(self) -> pd.DataFrame | None:
        return self.tables.get("experiments")

    @property
    def events(self) -> pd.DataFrame | None:
        return self.tables.get("events")

    @property
    def campaigns(self) -> pd.DataFrame | None:
        return self.tables.get("campaigns")

    @property
    def contacts(self) -> pd.DataFrame | None:
        return self.tables.get("contacts")


def load_store(
    data_dir: str | Path,
    *,
    name: str | None = None,
    columns: Mapping | None = None,
    files: Mapping | None = None,
    rejected_path: str | Path | None = None,
    tables: Iterable[str] | None = None,
    cache: bool | str | Path | None = None,
    source: str | None = None,
    statuses: Mapping | None = None,
    guards: Mapping | None = None,
) -> Store:
    """Load and check every table of one store.

    Parameters
    ----------
    data_dir : str or Path
        Folder holding the store's files.
    name : str, optional
        Store id used in messages (``params/stores/<name>.yaml``); default the
        folder's name.
    columns : mapping, optional
        The store YAML's ``columns:``: ``{source_header: canonical}`` for all tables,
        or ``{table: {source_header: canonical}}``, or both (per-table entries win).
    files : mapping, optional
        The store YAML's ``files:``: ``{table: path}``, relative to ``data_dir``.
    rejected_path : str or Path, optional
        Where to write the rejected rows as CSV (UTF-8 with BOM, header always).
    tables : iterable of str, optional
        Tables to load (default all). ``order_items`` are checked against
        ``orders``, so asking for order items also loads orders.
    cache : bool, str or Path, optional
        Where checked tables are kept between loads (:mod:`wxshop.data.storecache`):
        default the project's ``.cache/wxshop/tables`` (or ``$WXSHOP_CACHE_DIR``) unless
        ``WXSHOP_STORE_CACHE=0``; ``False`` reads and checks the files afresh.
    source : str, optional
        The store YAML's ``source:``: the export layout (:mod:`wxshop.data.sources`) of the
        files whose layout is not recognised by their headers; default: detected per file.
    statuses : mapping, optional
        The store YAML's ``statuses:``: ``{export status: paid/refunded/cancelled}`` for
        statuses no alias or profile knows.
    guards : mapping, optional
        The store YAML's ``guards:``: plausibility rules changed or switched off
        (:mod:`wxshop.data.guards`).

    Returns
    -------
    Store

    Raises
    ------
    DataError
        When a file or column makes a table unusable; the message names the file,
        the column and the fix.

    Examples
    --------
    The sample store committed with the project (``data/sample``):

    >>> from wxshop.paths import sample_data_dir
    >>> store = load_store(sample_data_dir(), cache=False)
    >>> print({table: len(frame) for table, frame in store.tables.items()})  # doctest: +NORMALIZE_WHITESPACE
    {'orders': 994, 'order_items': 1599, 'products': 68, 'customers': 244, 'experiments': 27,
     'events': 467, 'campaigns': 52, 'group_buys': 48, 'contacts': 99, 'staff_daily': 1095, 'groups': 4,
     'group_members': 558, 'group_daily': 1019, 'touches': 1436, 'posts': 687}
    >>> print(store.quality[["table", "rows_read", "rows_rejected"]].head(3).to_string(index=False))
          table  rows_read  rows_rejected
         orders        994              0
    order_items       1599              0
       products         68              0
    """
    folder = Path(data_dir).expanduser()
    store = name or folder.name
    if not folder.is_dir():
        raise DataError(
            f"data folder not found: {folder}",
            file=str(folder),
            fix=f"set `data_dir:` in params/stores/{store}.yaml to the folder with orders.csv.",
        )
    if rejected_path is not None:  # an earlier load's rows must not outlive a failing one
        Path(rejected_path).unlink(missing_ok=True)
    wanted = wanted_tables(tables, files, columns, store)
    rules = Guards.from_mapping(guards, store)
    groups = find_sources(folder, wanted, files or {}, store, source or None)
    require_tables(folder, wanted, groups, store)
    plan = plan_tables(folder, wanted, groups, store)

    quality: list[dict] = []
    rejected: list[pd.DataFrame] = []
    notes: dict[str, dict] = {}
    warnings: list[dict] = []
    table_cache = storecache.open_cache(cache)
    if table_cache is not None:
        storecache.hold_folder(folder)
    cache_keys: dict[str, str] = {}
    status_map = {str(k): str(v) for k, v in (statuses or {}).items()}
    cached: dict[str, _Result | None] = {}
    for table, group in plan:  # schema order: orders come before order_items
        cached[table] = None
        if table_cache is not None:
            extra = json.dumps([group.table, group.profile.text if group.profile else "",
                                status_map, identity.key_id_if_any(), rules.key()],
                               ensure_ascii=False)
            cache_keys[table] = table_cache.key(
                group.paths, table, str(folder), mapping_for(columns, table),
                cache_keys.get("orders") if table == "order_items" else None, extra,
            )
            cached[table] = table_cache.get(cache_keys[table])

    def read(group: TableFiles) -> Gathered:
        both = ({**mapping_for(columns, "orders"), **mapping_for(columns, "order_items")}
                if group.table == LINES else mapping_for(columns, group.table))
        return gather(group.paths, folder, group.table, both, store, group.profile)

    # a line-level export is gathered once for both tables, and let go after its last table
    to_read = list({id(g): g for t, g in plan if cached[t] is None}.values())
    last_use = {id(g): t for t, g in plan if cached[t] is None}
    results: dict[str, _Result] = {}

    def finish(table: str, result: _Result) -> None:  # in the writer's thread, behind the next table
        # the keys that sort ids (a million customers: the buyers 0.6 s, the lines' SKUs 0.3 s)
        if table == "orders":
            result.used = keys.with_order_keys(result.used)
        elif table == "order_items":
            result.used = keys.with_sku_keys(result.used)
        if table_cache is not None:
            table_cache.put(cache_keys[table], result)

    with ReadAhead(read, to_read) as reader, WriteBehind() as writer:
        for table, group in plan:
            result = cached.pop(table)
            if result is None:
                result = _load_table(
                    reader.get(group),
                    TABLES[table],
                    group,
                    store,
                    status_map,
                    rules,
                    order_ids=results["orders"].used[ORDER_ID] if table == "order_items" else None,
                )
                if last_use[id(group)] == table:
                    reader.release(group)
                writer.submit(finish, table, result)
            results[table] = result
            note = dict(result.notes or {})
            notes[table] = note
            quality.append(
                {
                    "table": table,
                    "file": note.get("label", ""),
                    "rows_read": result.rows_read,
                    "rows_used": len(result.used),
                    "rows_rejected": len(result.rejected),
                    "rows_merged": result.merged,
                    "personal_columns_dropped": result.personal_dropped,
                    "source": note.get("source", ""),
                }
            )
            rejected.append(result.rejected)
            warning = share_warning(table, result.rows_read, len(result.rejected), rules)
            if warning:
                warnings.append(warning)
    loaded = {table: result.used for table, result in results.items()}  # with their keys now

    rejected_frame = concat_rejected(rejected)
    if rejected_path is not None:  # via a temporary file: a reader never sees half of it
        out = Path(rejected_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            safe_frame(rejected_frame).to_csv(tmp, index=False, encoding="utf-8-sig")
            os.replace(tmp, out)
        finally:
            tmp.unlink(missing_ok=True)
    return Store(
        name=store,
        data_dir=folder,
        tables=loaded,
        quality=_quality_frame(quality),
        rejected=rejected_frame,
        # campaigns, group buys and the private domain's tables feed one playbook each: not missed
        # unless asked
        missing=[t for t in wanted if t not in loaded and t not in REQUIRED_TABLES
                 and (tables is not None or t not in ("campaigns", "group_buys", *PRIVATE_TABLES))],
        notes=notes,
        warnings=warnings,
    )


_Result = storecache.Entry
_ITEM_ONLY = ("sku_id", "quantity", "unit_price", "item_name")


def _part(g: Gathered, spec: TableSpec, group: TableFiles) -> tuple[pd.DataFrame, np.ndarray, int]:
    """The columns and rows of ``g`` that belong to ``spec``'s table, and the rows merged: a
    line-level export gives orders their first lines, order lines their own columns."""
    frame, keep, merged = g.frame, np.ones(len(g.frame), dtype=bool), 0
    if group.table != LINES:
        return frame, keep, merged
    items = set(_ITEM_ONLY) | set(group.profile.items if group.profile else ())
    if spec.name == "order_items":
        cols = [c for c in frame.columns if c in items or c == ORDER_ID]
        return frame[cols], keep, merged
    frame = frame[[c for c in frame.columns if c not in items]]
    if ORDER_ID in frame.columns:
        keep = first_lines(clean_id(frame[ORDER_ID]))
        merged = int((~keep).sum())
    return frame, keep, merged


def _load_table(
    g: Gathered,
    spec: TableSpec,
    group: TableFiles,
    store: str,
    statuses: Mapping[str, str],
    rules: Guards,
    order_ids: pd.Series | None = None,
) -> _Result:
    """One table through the pipeline: its part of the gathered files, typed, folded and
    checked; the clean rows, the rejected rows and the counts."""
    profile = group.profile
    raw, keep, merged = _part(g, spec, group)
    line, file = g.line, g.file
    if not keep.all():
        raw, line, file = raw.loc[keep].reset_index(drop=True), line[keep], file[keep]
    headers = [g.headers[list(g.frame.columns).index(c)] for c in raw.columns]
    label = g.label
    check_required(raw, spec, headers, label, store)

    aliases = dict(VALUE_ALIASES)
    fold = bool(profile and profile.refunds)
    if profile and profile.statuses or statuses:
        aliases[STATUS] = {**VALUE_ALIASES[STATUS], **(profile.statuses if profile else {}),
                           **statuses}
    allowed = {STATUS: STATUS_VALUES + (FOLD_VALUES if fold else ())}

    n = len(raw)
    reasons = RowReasons(n)
    spec_cols = [c for c in spec.columns if c in raw.columns]
    for c in spec_cols:  # register rules in column order so joined reasons read in order
        reasons.names.append(f"empty {c}")
    typed: dict[str, pd.Series] = {}
    parse_failed: dict[str, np.ndarray] = {}
    unknown: dict[str, int] = {}
    for c in raw.columns:
        s = raw[c].reset_index(drop=True)
        if c in spec.timestamps:
            typed[c], bad = parse_timestamps(s)
            check_dates(s, bad, c, label)
            parse_failed[c] = bad
            reasons.add(f"unparseable {c}", bad)
        elif c in spec.numeric:
            typed[c], bad = (parse_percent if c in PERCENT_COLUMNS else parse_numbers)(s)
            parse_failed[c] = bad
            reasons.add(f"{c} not a number", bad)
        elif c in aliases and (c == STATUS or c in spec.choices):  # orders' channel is free text
            choices = allowed.get(c, spec.choices.get(c, ()))
            typed[c] = map_values(s, aliases[c], choices)
            if c == STATUS:
                odd = typed[c][typed[c].notna() & ~typed[c].isin(choices)]
                unknown = {str(k): int(v) for k, v in raw[c].reset_index(drop=True)[odd.index]
                           .value_counts().items()}
        elif c in spec.ids:
            typed[c] = clean_id(s)
        elif c in spec.columns:
            typed[c] = clean_text(s)
        else:  # unknown extras are kept as text, as they came
            typed[c] = as_text(s)
    # copy=False: the typed columns as they are, not copied into blocks (copy-on-write)
    frame = pd.DataFrame(typed, copy=False)[[*spec_cols, *[c for c in raw.columns if c not in spec_cols]]]

    note = g.notes(group.profile.id if group.profile else "", len(group.paths), unknown, store)
    if spec.name == "orders":
        folded = fold_refunds(frame) if fold else None
        if folded is not None and (folded.folded.any() or folded.orphans.any()):
            reasons.add(ORPHAN_REFUND, folded.orphans)
            gone = folded.folded
            frame = folded.frame.loc[~gone].reset_index(drop=True)
            raw, line, file = raw.loc[~gone].reset_index(drop=True), line[~gone], file[~gone]
            reasons.flags = reasons.flags[~gone]
            reasons.n = len(frame)
            parse_failed = {c: m[~gone] for c, m in parse_failed.items()}
            merged += int(gone.sum())
            note.update(refund_rows_folded=folded.refunds, revoked=folded.revoked,
                        refund_orphans=int(folded.orphans.sum()))
            spec_cols = [c for c in spec.columns if c in frame.columns]
            frame = frame[[*spec_cols, *[c for c in frame.columns if c not in spec_cols]]]
        elif REFUND_AMOUNT in frame.columns:
            frame = frame.copy(deep=False)  # copy-on-write: only the status column is copied
            settle_refunded(frame)
        if STATUS in frame.columns and frame[STATUS].isin(FOLD_VALUES).any():
            frame[STATUS] = frame[STATUS].mask(frame[STATUS].isin(FOLD_VALUES), "paid")

    for reason, rows in row_reasons(frame, spec, rules):
        reasons.add(reason, rows)
    order_rows = check_rows(frame, spec, spec_cols, reasons, parse_failed, label, order_ids)

    bad = reasons.rejected
    used = frame.loc[~bad].reset_index(drop=True) if bad.any() else frame
    if order_rows is not None:  # order lines: checked against the orders, so each has its row
        used = keys.with_line_keys(used, order_rows[~bad] if bad.any() else order_rows)
    rejected = rejected_rows(raw.loc[bad], spec.name, g.file_labels(file[bad]), line[bad],
                             reasons.text())
    rejected = g.with_malformed(rejected, raw.columns, spec.name)  # values left empty
    return _Result(used, rejected, g.rows_read, g.personal_dropped,
                   merged=merged + g.repeated, notes=note)


def _quality_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(QUALITY_COLUMNS))
    return frame.astype(
        {
            "table": TEXT_DTYPE,
            "file": TEXT_DTYPE,
            "rows_read": "int64",
            "rows_used": "int64",
            "rows_rejected": "int64",
            "rows_merged": "int64",
            "personal_columns_dropped": "int64",
            "source": TEXT_DTYPE,
        }
    )
