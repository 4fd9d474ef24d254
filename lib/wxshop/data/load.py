"""Read a store's export files into clean, typed tables.

``load_store(data_dir)`` finds one file per table (``orders.csv``, ``订单.xlsx``,
``order_items.parquet`` ...), reads it as text, maps the headers to the canonical
names of :mod:`wxshop.data.schema`, drops personal columns, types the columns and checks
every row. Rows that break a rule are not dropped silently: they go to
``Store.rejected`` with the source line number and a reason, and
``Store.quality`` counts them per table (``rows_read == rows_used + rows_rejected``).

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

import codecs
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc

from wxshop.data import codes, storecache
from wxshop.data.schema import (
    CUSTOMER_ID,
    FILE_ALIASES,
    HEADER_ALIASES,
    ORDER_ID,
    PERSONAL_COLUMNS,
    REQUIRED_TABLES,
    TABLES,
    VALUE_ALIASES,
    TableSpec,
    normalise_header,
)
from wxshop.errors import DataError

TIMEZONE = "Asia/Shanghai"  # naive timestamps are shop-local time
TIMESTAMP_DTYPE = "datetime64[us]"
TEXT_DTYPE = "str"  # pandas' string dtype; missing values are NaN
SUFFIXES = (".csv", ".xlsx", ".parquet")
REJECTED_COLUMNS = ("table", "file", "row", "reason")
QUALITY_COLUMNS = (
    "table",
    "file",
    "rows_read",
    "rows_used",
    "rows_rejected",
    "personal_columns_dropped",
)
_SNIFF_BYTES = 1 << 16
_FIRST_LINE = 2  # line of the first data row: the header is line 1


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
    """
    folder = Path(data_dir).expanduser()
    store = name or folder.name
    if not folder.is_dir():
        raise DataError(
            f"data folder not found: {folder}",
            file=str(folder),
            fix=f"set `data_dir:` in params/stores/{store}.yaml to the folder with orders.csv.",
        )
    wanted = _wanted_tables(tables, files, columns, store)
    found = _find_files(folder, wanted, files or {}, store)
    for table in REQUIRED_TABLES:
        if table in wanted and table not in found:
            raise DataError(
                f"{folder}: no {table} file (looked for {table}.csv/.xlsx/.parquet"
                f" and {_chinese_names(table)}).",
                file=str(folder),
                fix=f"put the {table} export in that folder, or name it under `files:`"
                f" in params/stores/{store}.yaml.",
            )

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
        label = _label(path, folder)
        mapping = _mapping_for(columns, table)
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

    rejected_frame = _concat_rejected(rejected)
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


# --- finding files -------------------------------------------------------------------


def _wanted_tables(
    tables: Iterable[str] | None, files: Mapping | None, columns: Mapping | None, store: str
) -> list[str]:
    asked = list(TABLES) if tables is None else list(tables)
    for where, names in (
        ("tables", asked),
        ("files", list(files or {})),
        ("columns", [k for k, v in (columns or {}).items() if isinstance(v, Mapping)]),
    ):
        unknown = [t for t in names if t not in TABLES]
        if unknown:
            raise DataError(
                f"`{where}:` names unknown table {unknown[0]!r}.",
                fix=f"use one of {', '.join(TABLES)} in params/stores/{store}.yaml.",
            )
    if "order_items" in asked:
        asked.append("orders")
    return [t for t in TABLES if t in asked]


def _chinese_names(table: str) -> str:
    return "/".join(k for k, v in FILE_ALIASES.items() if v == table) or table


def _table_for_file(path: Path) -> str | None:
    stem = path.stem.strip()
    if stem.lower() in TABLES:
        return stem.lower()
    return FILE_ALIASES.get(stem)


def _find_files(folder: Path, wanted: list[str], files: Mapping, store: str) -> dict[str, Path]:
    candidates: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        suffix = path.suffix.lower()
        table = _table_for_file(path)
        if table is None or table in files or table not in wanted:
            continue
        if suffix == ".xls":
            raise DataError(
                f"{path.name}: old Excel format (.xls) cannot be read.",
                file=path.name,
                fix="open it in Excel or WPS and save it as .xlsx or CSV (UTF-8).",
            )
        if suffix in SUFFIXES:
            candidates.setdefault(table, []).append(path)

    found: dict[str, Path] = {}
    for table, paths in candidates.items():
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raise DataError(
                f"{folder}: two files for table '{table}': {names}; which one should be used?",
                file=paths[0].name,
                fix=f"keep one, or choose it in params/stores/{store}.yaml under `files:`"
                f" e.g. `{table}: {paths[0].name}`.",
            )
        found[table] = paths[0]
    for table, given in files.items():
        if table not in wanted:
            continue
        path = Path(given).expanduser()
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            raise DataError(
                f"`files:` says {table} is {given}, but {path} does not exist.",
                file=str(given),
                fix=f"correct the path under `files:` in params/stores/{store}.yaml"
                f" (relative to {folder}).",
            )
        found[table] = path
    return found


def _label(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)


# --- reading -------------------------------------------------------------------------


@dataclass
class Source:
    """A file as read, before header mapping: its frame and the source line of each row."""

    frame: pd.DataFrame  # source headers; text for CSV/XLSX, native types for Parquet
    line: np.ndarray  # source line of each row


def read_source(path: Path, label: str) -> Source:
    """Read a CSV (UTF-8 or GBK), XLSX or Parquet file as it is; ``label`` names it in errors."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _read_parquet(path, label)
    if suffix == ".xlsx":
        return _read_xlsx(path, label)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, label)
    raise DataError(
        f"{label}: cannot read {suffix or 'files without an extension'}.",
        file=label,
        fix="export it as CSV (UTF-8), XLSX or Parquet.",
    )


def _sniff_encoding(path: Path, label: str) -> tuple[str, str]:
    """Encoding and delimiter from the first bytes: UTF-8 (BOM or not), UTF-16, GB18030."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        raise DataError(f"{label}: the file is empty.", file=label, fix="export it again.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]  # Excel's "Unicode text"
    else:
        encodings = ["utf-8-sig", "gb18030"]  # gb18030 is a superset of GBK/GB2312
    for encoding in encodings:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        sep = "\t" if "\t" in first and "," not in first else ","
        return encoding, sep
    raise DataError(
        f"{label}: the text is neither UTF-8 nor GBK, so it cannot be read.",
        file=label,
        fix="save it again as CSV (UTF-8), or as .xlsx.",
    )


def _read_csv(path: Path, label: str) -> Source:
    encoding, sep = _sniff_encoding(path, label)
    # The sample decoded, but a later byte may not: fall back from UTF-8 to GB18030.
    tries = [encoding] + (["gb18030"] if encoding == "utf-8-sig" else [])
    for encoding in tries:
        try:
            frame = pd.read_csv(
                path,
                sep=sep,
                dtype=str,
                encoding=encoding,
                skip_blank_lines=False,  # keep line numbers; blank rows are removed below
            )
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise DataError(
                f"{label}: the file is empty.", file=label, fix="export it again."
            ) from None
        except (pd.errors.ParserError, ValueError) as exc:
            detail = str(exc).strip().splitlines()[-1]
            raise DataError(
                f"{label}: not a readable CSV ({detail}).",
                file=label,
                fix="check that fields containing commas are quoted, or export as .xlsx.",
            ) from None
    else:
        raise DataError(
            f"{label}: the text is neither UTF-8 nor GBK, so it cannot be read.",
            file=label,
            fix="save it again as CSV (UTF-8), or as .xlsx.",
        )
    return _drop_blank_rows(frame, np.arange(len(frame)) + _FIRST_LINE)


def _cell_text(value: object) -> object:
    """One Excel cell as text, as Excel would show it without formatting."""
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, label: str) -> Source:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(
            f"{label}: cannot be opened as an Excel workbook ({type(exc).__name__}).",
            file=label,
            fix="open it in Excel or WPS and save it again as .xlsx, or export CSV.",
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some exporters write wrong sheet dimensions
        rows, lines, header = [], [], None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if header is None:
                if any(v is not None and str(v).strip() for v in values):
                    header = list(values)
                continue
            rows.append([_cell_text(v) for v in values])
            lines.append(number)
    except Exception as exc:
        raise DataError(
            f"{label}: the first sheet cannot be read ({type(exc).__name__}).",
            file=label,
            fix="open it in Excel or WPS and save it again as .xlsx, or export CSV.",
        ) from None
    finally:
        book.close()
    if header is None:
        raise DataError(
            f"{label}: the first sheet is empty.",
            file=label,
            fix="put the table on the first sheet with the column names in the top row.",
        )
    width = max([len(header), *map(len, rows)])
    header = header + [None] * (width - len(header))
    rows = [row + [None] * (width - len(row)) for row in rows]
    names = [_cell_text(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
    frame = pd.DataFrame(rows, columns=_unique_names(names), dtype=object).astype(TEXT_DTYPE)
    # Columns with neither a header nor data are spreadsheet debris.
    debris = [c for c, h in zip(frame.columns, header, strict=True) if h is None]
    frame = frame.drop(columns=[c for c in debris if frame[c].isna().all()])
    return _drop_blank_rows(frame, np.asarray(lines, dtype=np.int64))


def _read_parquet(path: Path, label: str) -> Source:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:  # ArrowInvalid, OSError, ...
        raise DataError(
            f"{label}: cannot be read as Parquet ({type(exc).__name__}).",
            file=label,
            fix="write the file again, or export CSV/XLSX instead.",
        ) from None
    # ignore_metadata: a saved pandas index comes back as an ordinary column.
    frame = table.to_pandas(ignore_metadata=True)
    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith("__index_level_")])
    return Source(frame, np.arange(len(frame), dtype=np.int64) + _FIRST_LINE)


def _drop_blank_rows(frame: pd.DataFrame, line: np.ndarray) -> Source:
    """Rows with every cell empty hold no data; they are not counted as read."""
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        frame = frame.loc[~blank].reset_index(drop=True)
        line = line[~blank]
    return Source(frame, line)


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        seen.setdefault(n, 0)
        out.append(n)
    return out


# --- headers -------------------------------------------------------------------------

_CANONICAL = {c for spec in TABLES.values() for c in spec.columns} | set(PERSONAL_COLUMNS)
_ALIAS_RANK = {normalise_header(k): i for i, k in enumerate(HEADER_ALIASES)}
_ALIASES = {normalise_header(k): v for k, v in HEADER_ALIASES.items()}
_ALIASES.update({normalise_header(c): c for c in _CANONICAL})
_CANONICAL_KEYS = {normalise_header(c) for c in _CANONICAL}


def _mapping_for(columns: Mapping | None, table: str) -> dict[str, str]:
    """The `columns:` entries that apply to one table; per-table entries win."""
    if not columns:
        return {}
    flat = {str(k): str(v) for k, v in columns.items() if not isinstance(v, Mapping)}
    per = columns.get(table)
    if isinstance(per, Mapping):
        flat.update({str(k): str(v) for k, v in per.items()})
    return flat


def _header_names(
    headers: list[str], table: str, mapping: dict[str, str], label: str, store: str
) -> tuple[list[str], list[bool]]:
    """Canonical name for each source header, and which ones are personal.

    The store's mapping is applied first, then HEADER_ALIASES. When two headers
    give the same canonical name, the mapping wins, then a header that is the
    canonical name itself, then the alias listed first in HEADER_ALIASES (the
    first alias is the most specific, e.g. 实付金额 over 订单金额). The others are
    kept as extra columns under their source header, or ``<header> (not used)``
    when that header is itself a canonical name.
    """
    by_norm = {normalise_header(k): v for k, v in mapping.items()}
    claims: list[tuple[str, tuple[int, int]]] = []  # (name, rank: lower wins)
    for h in headers:
        clean = str(h).replace("\ufeff", "").strip()
        key = normalise_header(h)
        if clean in mapping or key in by_norm:
            claims.append((mapping.get(clean, by_norm.get(key)), (0, 0)))
        elif key in _ALIASES:
            target = _ALIASES[key]
            rank = (1, 0) if key == normalise_header(target) else (2, _ALIAS_RANK[key])
            claims.append((target, rank))
        else:
            claims.append((clean, (3, 0)))
    if table != "products":  # outside products, a plain "name" is a person's name
        claims = [("name_real" if n == "name" else n, r) for n, r in claims]

    names = [n for n, _ in claims]
    for target in {n for n in names if names.count(n) > 1}:
        idx = [i for i, n in enumerate(names) if n == target]
        mapped = [headers[i] for i in idx if claims[i][1] == (0, 0)]
        if len(mapped) > 1:
            raise DataError(
                f"{label}: `columns:` maps both {mapped[0]} and {mapped[1]} to '{target}'.",
                file=label,
                column=target,
                fix=f"map only one of them in params/stores/{store}.yaml under `columns:`.",
            )
        winner = min(idx, key=lambda i: claims[i][1])
        for i in idx:
            if i != winner and target not in PERSONAL_COLUMNS:
                source = str(headers[i]).replace("\ufeff", "").strip()
                taken = normalise_header(source) in _CANONICAL_KEYS
                names[i] = f"{source} (not used)" if taken else source
    personal = [n in PERSONAL_COLUMNS for n in names]
    return _unique_names(names), personal


def _check_required(
    frame: pd.DataFrame, spec: TableSpec, headers: list[str], label: str, store: str
) -> None:
    missing = [c for c in spec.required if c not in frame.columns]
    if not missing:
        return
    known = set(spec.columns)
    spare = [h for h, c in zip(headers, frame.columns, strict=False) if c not in known]
    example = spare[0] if spare else "实收"
    shown = ", ".join(headers[:12]) + (", ..." if len(headers) > 12 else "")
    what = (
        f"required column '{missing[0]}' is"
        if len(missing) == 1
        else "required columns " + ", ".join(f"'{c}'" for c in missing) + " are"
    )
    raise DataError(
        f"{label}: {what} missing (headers found: {shown}).",
        file=label,
        column=missing[0],
        fix=f"rename the column, or map it in params/stores/{store}.yaml under `columns:`"
        f" e.g. `{example}: {missing[0]}`.",
    )


# --- typing --------------------------------------------------------------------------


def _as_text(s: pd.Series) -> pd.Series:
    """Any column as pandas text; whole-number floats lose their ``.0``."""
    if isinstance(s.dtype, pd.StringDtype):
        return s
    if pd.api.types.is_float_dtype(s.dtype):
        finite = s.dropna()
        if len(finite) and np.isfinite(finite).all() and (finite == np.floor(finite)).all():
            return s.astype("Int64").astype(TEXT_DTYPE)
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return s.astype(TEXT_DTYPE)


def _clean_text(s: pd.Series) -> pd.Series:
    """Text without surrounding spaces; blank becomes missing."""
    s = _as_text(s).str.strip()
    return s.mask(s == "")


def _clean_id(s: pd.Series) -> pd.Series:
    s = _clean_text(s)
    # Exports sometimes write ids as ="00123" so Excel keeps the zeros.
    if s.str.startswith('="').any():
        s = s.str.replace(r'^="(.*)"$', r"\1", regex=True)
    return s


def _map_values(s: pd.Series, aliases: dict[str, str], allowed: tuple[str, ...]) -> pd.Series:
    """Map values through aliases (case-insensitive) and lower-case them.

    Values already in ``allowed`` are left alone and the rest are mapped per
    distinct value, so a big column costs an ``isin`` and a few replacements.
    """
    s = _clean_text(s)
    todo = (s.notna() & ~s.isin(allowed)).to_numpy()
    if not todo.any():
        return s
    lookup = {normalise_header(k): v for k, v in aliases.items()}
    changes = {}
    for value in pd.unique(s[todo]):
        new = lookup.get(normalise_header(value), str(value)).lower()
        if new != value:
            changes[value] = new
    if len(changes) > 50:  # many distinct odd values: one pass over objects is cheaper
        out = s.to_numpy(dtype=object)
        out[todo] = [changes.get(v, v) for v in out[todo]]
        return pd.Series(out, index=s.index, dtype=TEXT_DTYPE)
    return s.replace(changes) if changes else s


def _parse_numbers(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """float64 values and a mask of non-empty values that are not numbers."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.astype("float64")
        return values, np.zeros(len(s), dtype=bool)
    text = _clean_text(s)
    try:  # a clean column casts in Arrow, far faster than to_numeric on text
        cast = pc.cast(codes.arrow_text(text), pa_arrow.float64()).to_numpy(zero_copy_only=False)
        values = pd.Series(cast, index=text.index, dtype="float64")
    except (pa_arrow.ArrowInvalid, pa_arrow.ArrowNotImplementedError, TypeError):
        values = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    if bad.any():  # ¥1,299.00 / 12元: retry only the failures without the decoration
        retry = text[bad].str.replace(r"[¥￥,，元\s]", "", regex=True)
        values.loc[bad] = pd.to_numeric(retry, errors="coerce").astype("float64").to_numpy()
    values = values.mask(np.isinf(values))
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    return values, bad


def _to_local(values: pd.Series) -> pd.Series:
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return values.astype(TIMESTAMP_DTYPE)


def _parse_iso(text: pd.Series) -> pd.Series:
    """ISO-like text (2024-06-18 20:15, 2024/06/18, 20240618, with or without +08:00)."""
    try:
        return _to_local(pd.to_datetime(text, format="ISO8601", errors="coerce"))
    except (ValueError, TypeError):  # a mix of zone-aware and naive values
        aware = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
        out = pd.Series(pd.NaT, index=text.index, dtype=TIMESTAMP_DTYPE)
        out.loc[aware] = _to_local(
            pd.to_datetime(text[aware], format="ISO8601", errors="coerce", utc=True)
        ).to_numpy()
        out.loc[~aware] = _to_local(
            pd.to_datetime(text[~aware], format="ISO8601", errors="coerce")
        ).to_numpy()
        return out


def _parse_timestamps(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Naive Asia/Shanghai timestamps and a mask of non-empty values that failed."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return _to_local(s), np.zeros(len(s), dtype=bool)
    text = _clean_text(s)
    values = _parse_iso(text)
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    if bad.any():  # 2024年6月18日 / 2024.06.18 / 20240618201500 / Excel serial days
        retry = text[bad]
        norm = retry.str.replace(r"[年月.]", "-", regex=True).str.replace("日", " ")
        norm = norm.str.replace(r"\s+", " ", regex=True).str.strip()
        again = _parse_iso(norm)
        compact = pd.to_datetime(retry, format="%Y%m%d%H%M%S", errors="coerce")
        again = again.fillna(compact.astype(TIMESTAMP_DTYPE))
        serial = pd.to_numeric(
            retry.where(retry.str.fullmatch(r"\d{5}(?:\.\d+)?")), errors="coerce"
        )
        serial = serial.where((serial > 10_000) & (serial < 80_000))
        excel = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D")
        again = again.fillna(excel.astype(TIMESTAMP_DTYPE))
        values.loc[bad] = again.to_numpy()
        bad = values.isna().to_numpy() & text.notna().to_numpy()
    return values, bad


# --- checking ------------------------------------------------------------------------


def _pandera_schema(spec: TableSpec, present: list[str]) -> pa.DataFrameSchema:
    """Column rules for the columns present; reasons are the checks' error texts."""
    cols = {}
    for c in present:
        checks = []
        if c in spec.timestamps:
            dtype = TIMESTAMP_DTYPE
        elif c in spec.numeric:
            dtype = "float64"
            if c in spec.nonnegative:
                checks.append(pa.Check.ge(0, error=f"negative {c}"))
        else:
            dtype = TEXT_DTYPE
        if c in spec.choices:
            allowed = list(spec.choices[c])
            checks.append(pa.Check.isin(allowed, error=f"{c} not one of {'/'.join(allowed)}"))
        nullable = c not in spec.required and c not in spec.choices
        cols[c] = pa.Column(dtype, checks=checks, nullable=nullable)
    return pa.DataFrameSchema(cols, strict=False, coerce=False, name=spec.name)


class _Reasons:
    """Per-row reasons as bit flags, so many rules on many rows stay vectorised."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.names: list[str] = []
        self.flags = np.zeros(n, dtype=np.uint64)

    def add(self, reason: str, rows: np.ndarray) -> None:
        """Flag ``rows`` (a boolean mask or positions) with ``reason``."""
        if reason not in self.names:
            if len(self.names) == 64:
                raise RuntimeError("more than 64 row rules in one table")
            self.names.append(reason)
        bit = np.uint64(1) << np.uint64(self.names.index(reason))
        self.flags[rows] |= bit

    @property
    def rejected(self) -> np.ndarray:
        return self.flags != 0

    def text(self) -> np.ndarray:
        """The joined reason of every rejected row, in rule order."""
        combos, inverse = np.unique(self.flags[self.rejected], return_inverse=True)
        labels = ["; ".join(r for i, r in enumerate(self.names) if int(c) >> i & 1) for c in combos]
        return np.array(labels, dtype=object)[inverse] if len(combos) else np.array([], object)


_Result = storecache.Entry


def _load_table(
    path: Path,
    label: str,
    spec: TableSpec,
    mapping: dict[str, str],
    store: str,
    order_ids: pd.Series | None = None,
) -> _Result:
    source = read_source(path, label)
    raw = source.frame
    headers = [str(h).replace("\ufeff", "").strip() for h in raw.columns]
    names, personal = _header_names(list(raw.columns), spec.name, mapping, label, store)
    raw = raw.set_axis(names, axis=1).loc[:, [not p for p in personal]]
    kept_headers = [h for h, p in zip(headers, personal, strict=True) if not p]
    _check_required(raw, spec, kept_headers, label, store)

    n = len(raw)
    reasons = _Reasons(n)
    spec_cols = [c for c in spec.columns if c in raw.columns]
    for c in spec_cols:  # register rules in column order so joined reasons read in order
        reasons.names.append(f"empty {c}")
    typed: dict[str, pd.Series] = {}
    parse_failed: dict[str, np.ndarray] = {}
    for c in raw.columns:
        s = raw[c].reset_index(drop=True)
        if c in spec.timestamps:
            typed[c], bad = _parse_timestamps(s)
            _check_dates(s, bad, c, label)
            parse_failed[c] = bad
            reasons.add(f"unparseable {c}", bad)
        elif c in spec.numeric:
            typed[c], bad = _parse_numbers(s)
            parse_failed[c] = bad
            reasons.add(f"{c} not a number", bad)
        elif c in VALUE_ALIASES:
            typed[c] = _map_values(s, VALUE_ALIASES[c], spec.choices.get(c, ()))
        elif c in spec.ids:
            typed[c] = _clean_id(s)
        elif c in spec.columns:
            typed[c] = _clean_text(s)
        else:  # unknown extras are kept as text, as they came
            typed[c] = _as_text(s)
    frame = pd.DataFrame(typed)[[*spec_cols, *[c for c in raw.columns if c not in spec_cols]]]

    try:
        _pandera_schema(spec, spec_cols).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _add_failures(reasons, exc.failure_cases, parse_failed, label)

    if spec.key:
        reasons.add(f"duplicate {'+'.join(spec.key)}", _duplicated(frame[list(spec.key)]))
    order_rows = None
    if order_ids is not None:  # each line's row among the orders, kept for the reports
        ids = frame[ORDER_ID]
        order_rows = codes.positions(ids, order_ids)
        reasons.add("order_id not in orders", ids.notna().to_numpy() & (order_rows < 0))

    bad = reasons.rejected
    used = frame.loc[~bad].reset_index(drop=True) if bad.any() else frame
    if order_rows is not None and bad.any():
        order_rows = order_rows[~bad]
    rejected = _rejected_rows(raw.loc[bad], spec.name, label, source.line[bad], reasons.text())
    return _Result(used, rejected, n, int(sum(personal)), order_rows=order_rows)


def _duplicated(key: pd.DataFrame) -> np.ndarray:
    """Rows repeating the non-empty key of an earlier row (the first one is kept).

    Counting values in Arrow finds the few repeated keys fast; pandas then marks
    the exact duplicates among the rows holding them.
    """
    if not _has_repeats(key):
        return np.zeros(len(key), dtype=bool)
    filled = key.notna().all(axis=1).to_numpy()
    candidates = filled
    if key.shape[1] == 1:
        values = codes.arrow_text(key.iloc[:, 0])
        counts = pc.value_counts(values)
        repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        candidates = filled & pc.is_in(values, value_set=repeated).to_numpy(zero_copy_only=False)
    out = np.zeros(len(key), dtype=bool)
    if candidates.any():
        out[candidates] = key.loc[candidates].duplicated(keep="first").to_numpy()
    return out


def _has_repeats(key: pd.DataFrame) -> bool:
    """Whether any non-empty text key appears twice, counted in DuckDB (0.7 s on 4.7M order
    ids; Arrow's value counts took 2.1 s). Keys that are not all text say True, so the exact
    check runs."""
    if not all(pd.api.types.is_string_dtype(key[c]) for c in key.columns):
        return True
    names = [f"k{i}" for i in range(key.shape[1])]
    cols = ", ".join(names)
    filled = " AND ".join(f"{n} IS NOT NULL" for n in names)
    with duckdb.connect() as con:
        con.register("k", pd.DataFrame({n: key[c].array for n, c in zip(names, key.columns,
                                                                          strict=True)}, copy=False))
        rows, distinct = con.execute(
            f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {cols} FROM k WHERE {filled}))"
            f" FROM k WHERE {filled}"
        ).fetchone()
    return rows != distinct


def _check_dates(s: pd.Series, bad: np.ndarray, column: str, label: str) -> None:
    """A date column that is mostly not dates is a wrong column, not bad rows."""
    if not bad.any():
        return
    filled = int(_clean_text(s).notna().sum())
    if bad.sum() * 2 > filled:
        example = str(s[bad].iloc[0]).strip()
        raise DataError(
            f"{label}: unparseable date column '{column}' ({int(bad.sum())} of {filled}"
            f" values are not dates, e.g. {example!r}).",
            file=label,
            column=column,
            fix="export dates as YYYY-MM-DD HH:MM:SS, or map the right column under `columns:`.",
        )


def _add_failures(
    reasons: _Reasons, cases: pd.DataFrame, parse_failed: dict[str, np.ndarray], label: str
) -> None:
    """Turn pandera's failure cases into row reasons."""
    unexpected = cases[cases["index"].isna()]
    if len(unexpected):  # a whole-column failure means the typing above is wrong
        case = unexpected.iloc[0]
        raise DataError(
            f"{label}: column '{case['column']}' failed check {case['check']}.",
            file=label,
            column=str(case["column"]),
            fix="report this to the wxshop maintainers with the file's header row.",
        )
    for (column, check), group in cases.groupby(["column", "check"], sort=False):
        rows = group["index"].to_numpy(dtype=np.int64)
        if check == "not_nullable":
            failed = parse_failed.get(column)
            if failed is not None:  # already reported as unparseable / not a number
                rows = rows[~failed[rows]]
            reasons.add(f"empty {column}", rows)
        else:
            reasons.add(str(check), rows)


def _rejected_rows(
    raw: pd.DataFrame, table: str, label: str, line: np.ndarray, reason: np.ndarray
) -> pd.DataFrame:
    values = {c: _as_text(raw[c]).to_numpy() for c in raw.columns}
    values = {(f"{c} (source)" if c in REJECTED_COLUMNS else c): v for c, v in values.items()}
    frame = pd.DataFrame(
        {
            "table": pd.Series([table] * len(raw), dtype=TEXT_DTYPE),
            "file": pd.Series([label] * len(raw), dtype=TEXT_DTYPE),
            "row": pd.Series(line, dtype="int64"),
            "reason": pd.Series(reason, dtype=TEXT_DTYPE),
        }
    )
    for c, v in values.items():
        frame[c] = pd.Series(v, dtype=TEXT_DTYPE)
    return frame


def _concat_rejected(parts: list[pd.DataFrame]) -> pd.DataFrame:
    empty = pd.DataFrame(
        {
            "table": pd.Series(dtype=TEXT_DTYPE),
            "file": pd.Series(dtype=TEXT_DTYPE),
            "row": pd.Series(dtype="int64"),
            "reason": pd.Series(dtype=TEXT_DTYPE),
        }
    )
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty
    return pd.concat(parts, ignore_index=True)


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
