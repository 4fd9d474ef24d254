"""Finding a store's files: which tables to load and which file holds each.

A table's file is named after it in English or Chinese (``orders.csv``, ``订单.xlsx``,
``order_items.parquet``; :data:`wxshop.data.schema.FILE_ALIASES`), or named in the store
YAML's ``files:``. Two candidates for one table, an old ``.xls`` workbook, a ``files:``
entry that does not exist or a required table with no file raise
:class:`~wxshop.errors.DataError` naming the fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from wxshop.data.schema import FILE_ALIASES, REQUIRED_TABLES, TABLES
from wxshop.errors import DataError

SUFFIXES = (".csv", ".xlsx", ".parquet")


def wanted_tables(
    tables: Iterable[str] | None, files: Mapping | None, columns: Mapping | None, store: str
) -> list[str]:
    """The tables to load, in schema order: those asked for (default all), plus ``orders``
    when ``order_items`` are asked for; a table name unknown to the schema in ``tables``,
    ``files:`` or ``columns:`` raises :class:`~wxshop.errors.DataError`.

    Examples
    --------
    >>> wanted_tables(["order_items"], None, None, "demo")
    ['orders', 'order_items']
    """
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


def table_for_file(path: Path) -> str | None:
    """The table a file holds, from its name (``orders.csv``, ``订单.xlsx``), or None.

    Examples
    --------
    >>> table_for_file(Path("订单.xlsx")), table_for_file(Path("Orders.csv"))
    ('orders', 'orders')
    """
    stem = path.stem.strip()
    if stem.lower() in TABLES:
        return stem.lower()
    return FILE_ALIASES.get(stem)


def find_files(folder: Path, wanted: list[str], files: Mapping, store: str) -> dict[str, Path]:
    """The file of each wanted table found in ``folder`` or named in ``files:``; tables
    with no file are absent."""
    candidates: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith((".", "~$")):
            continue
        suffix = path.suffix.lower()
        table = table_for_file(path)
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


def require_tables(folder: Path, wanted: list[str], found: Mapping[str, Path], store: str) -> None:
    """Raise :class:`~wxshop.errors.DataError` when a required table that is wanted has no file."""
    for table in REQUIRED_TABLES:
        if table in wanted and table not in found:
            raise DataError(
                f"{folder}: no {table} file (looked for {table}.csv/.xlsx/.parquet"
                f" and {_chinese_names(table)}).",
                file=str(folder),
                fix=f"put the {table} export in that folder, or name it under `files:`"
                f" in params/stores/{store}.yaml.",
            )


def file_label(path: Path, folder: Path) -> str:
    """How messages and ``Store.quality`` name a file: its path relative to the data
    folder, else the full path."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return str(path)
