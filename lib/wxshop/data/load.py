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
rejected rows). This module runs them per table and keeps the checked tables in the
table cache (:mod:`wxshop.data.storecache`).

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wxshop.data import codes, storecache
from wxshop.data.checks import RowReasons, check_dates, check_rows, concat_rejected, rejected_rows
from wxshop.data.files import file_label, find_files, require_tables, wanted_tables
from wxshop.data.headers import check_required, header_names, mapping_for
from wxshop.data.parse import clean_id, map_values, parse_numbers, parse_timestamps
from wxshop.data.read import read_source
from wxshop.data.schema import CUSTOMER_ID, ORDER_ID, REQUIRED_TABLES, TABLES, VALUE_ALIASES, TableSpec
from wxshop.data.text import TEXT_DTYPE, as_text, clean_text
from wxshop.errors import DataError

QUALITY_COLUMNS = (
    "table",
    "file",
    "rows_read",
    "rows_used",
    "rows_rejected",
    "personal_columns_dropped",
)


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
        table, file, row (line in the source file; the header is line 1), reason,
        then the row's values as text under canonical column names. Personal columns
        are never included.
    missing : list[str]
        Optional tables that were asked for and not found.
    """

    name: str
    data_dir: Path
    tables: dict[str, pd.DataFrame] = field(repr=False)
    quality: pd.DataFrame = field(repr=False)
    rejected: pd.DataFrame = field(repr=False)
    missing: list[str] = field(default_factory=list)

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


def load_store(
    data_dir: str | Path,
    *,
    name: str | None = None,
    columns: Mapping | None = None,
    files: Mapping | None = None,
    rejected_path: str | Path | None = None,
    tables: Iterable[str] | None = None,
    cache: bool | str | Path | None = None,
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
    >>> for table, frame in store.tables.items():
    ...     print(table, len(frame))
    orders 994
    order_items 1599
    products 68
    customers 244
    experiments 27
    events 402
    >>> print(store.quality[["table", "rows_read", "rows_rejected"]].to_string(index=False))
          table  rows_read  rows_rejected
         orders        994              0
    order_items       1599              0
       products         68              0
      customers        244              0
    experiments         27              0
         events        402              0
    """
    folder = Path(data_dir).expanduser()
    store = name or folder.name
    if not folder.is_dir():
        raise DataError(
            f"data folder not found: {folder}",
            file=str(folder),
            fix=f"set `data_dir:` in params/stores/{store}.yaml to the folder with orders.csv.",
        )
    wanted = wanted_tables(tables, files, columns, store)
    found = find_files(folder, wanted, files or {}, store)
    require_tables(folder, wanted, found, store)

    loaded: dict[str, pd.DataFrame] = {}
    quality: list[dict] = []
    rejected: list[pd.DataFrame] = []
    table_cache = storecache.open_cache(cache)
    if table_cache is not None:
        storecache.hold_folder(folder)
    keys: dict[str, str] = {}
    for table in wanted:  # schema order: orders come before order_items
        if table not in found:
            continue
        path = found[table]
        label = file_label(path, folder)
        mapping = mapping_for(columns, table)
        result = None
        if table_cache is not None:
            keys[table] = table_cache.key(
                path, table, label, mapping, keys.get("orders") if table == "order_items" else None
            )
            result = table_cache.get(keys[table])
        if result is None:
            result = _load_table(
                path,
                label,
                TABLES[table],
                mapping,
                store,
                order_ids=loaded["orders"][ORDER_ID] if table == "order_items" else None,
            )
            if table_cache is not None:
                if table == "orders" and CUSTOMER_ID in result.used.columns:
                    result.customer_codes = codes.sorted_codes(result.used[CUSTOMER_ID])
                table_cache.put(keys[table], result)
        elif result.customer_codes is not None:  # grouping by customer starts from these
            codes.remember(result.used[CUSTOMER_ID], *result.customer_codes)
        if result.order_rows is not None:  # joining lines to orders starts from these
            codes.remember_rows(result.used[ORDER_ID], loaded["orders"][ORDER_ID], result.order_rows)
        loaded[table] = result.used
        quality.append(
            {
                "table": table,
                "file": label,
                "rows_read": result.rows_read,
                "rows_used": len(result.used),
                "rows_rejected": len(result.rejected),
                "personal_columns_dropped": result.personal_dropped,
            }
        )
        rejected.append(result.rejected)

    rejected_frame = concat_rejected(rejected)
    if rejected_path is not None:
        out = Path(rejected_path)
        out.parent.mkdir(parents=True, exist_ok=True)
        rejected_frame.to_csv(out, index=False, encoding="utf-8-sig")
    return Store(
        name=store,
        data_dir=folder,
        tables=loaded,
        quality=_quality_frame(quality),
        rejected=rejected_frame,
        missing=[t for t in wanted if t not in found and t not in REQUIRED_TABLES],
    )


_Result = storecache.Entry


def _load_table(
    path: Path,
    label: str,
    spec: TableSpec,
    mapping: dict[str, str],
    store: str,
    order_ids: pd.Series | None = None,
) -> _Result:
    """One table through the pipeline: read, map headers, drop personal columns, type the
    values, check the rows; the clean rows, the rejected rows and the counts."""
    source = read_source(path, label)
    raw = source.frame
    headers = [str(h).replace("\ufeff", "").strip() for h in raw.columns]
    names, personal = header_names(list(raw.columns), spec.name, mapping, label, store)
    raw = raw.set_axis(names, axis=1).loc[:, [not p for p in personal]]
    kept_headers = [h for h, p in zip(headers, personal, strict=True) if not p]
    check_required(raw, spec, kept_headers, label, store)

    n = len(raw)
    reasons = RowReasons(n)
    spec_cols = [c for c in spec.columns if c in raw.columns]
    for c in spec_cols:  # register rules in column order so joined reasons read in order
        reasons.names.append(f"empty {c}")
    typed: dict[str, pd.Series] = {}
    parse_failed: dict[str, np.ndarray] = {}
    for c in raw.columns:
        s = raw[c].reset_index(drop=True)
        if c in spec.timestamps:
            typed[c], bad = parse_timestamps(s)
            check_dates(s, bad, c, label)
            parse_failed[c] = bad
            reasons.add(f"unparseable {c}", bad)
        elif c in spec.numeric:
            typed[c], bad = parse_numbers(s)
            parse_failed[c] = bad
            reasons.add(f"{c} not a number", bad)
        elif c in VALUE_ALIASES:
            typed[c] = map_values(s, VALUE_ALIASES[c], spec.choices.get(c, ()))
        elif c in spec.ids:
            typed[c] = clean_id(s)
        elif c in spec.columns:
            typed[c] = clean_text(s)
        else:  # unknown extras are kept as text, as they came
            typed[c] = as_text(s)
    frame = pd.DataFrame(typed)[[*spec_cols, *[c for c in raw.columns if c not in spec_cols]]]

    order_rows = check_rows(frame, spec, spec_cols, reasons, parse_failed, label, order_ids)

    bad = reasons.rejected
    used = frame.loc[~bad].reset_index(drop=True) if bad.any() else frame
    if order_rows is not None and bad.any():
        order_rows = order_rows[~bad]
    rejected = rejected_rows(raw.loc[bad], spec.name, label, source.line[bad], reasons.text())
    return _Result(used, rejected, n, int(sum(personal)), order_rows=order_rows)


def _quality_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(QUALITY_COLUMNS))
    return frame.astype(
        {
            "table": TEXT_DTYPE,
            "file": TEXT_DTYPE,
            "rows_read": "int64",
            "rows_used": "int64",
            "rows_rejected": "int64",
            "personal_columns_dropped": "int64",
        }
    )
