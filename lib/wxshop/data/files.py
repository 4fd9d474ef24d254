"""Finding a store's files: which tables to load and which files hold each.

A file belongs to a table when its headers are a known export's (a source profile,
:mod:`wxshop.data.sources`: a WeChat Pay bill feeds ``orders``), else when it is named after
the table in English or Chinese (``orders.csv``, ``订单_202406.xlsx``, ``order_items.parquet``;
:data:`wxshop.data.schema.FILE_ALIASES`) or sits in a subfolder so named (``orders/``), or
when the store YAML's ``files:`` names it. A table may have many files (a folder of daily
bills, overlapping monthly exports): they are read as one. Files of one table from two
different exports, an old ``.xls`` workbook, a ``files:`` entry that does not exist or a
required table with no file raise :class:`~wxshop.errors.DataError` naming the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wxshop.data import sources
from wxshop.data.read import headers_of
from wxshop.data.schema import FILE_ALIASES, REQUIRED_TABLES, TABLES
from wxshop.errors import DataError

SUFFIXES = (".csv", ".xlsx", ".parquet")
LINES = "order_lines"  # a line-level export: orders and their lines in one file


@dataclass
class TableFiles:
    """The files of one table (or of ``order_lines``) and the export layout they share."""

    table: str
    paths: list[Path] = field(default_factory=list)
    profile: sources.Profile | None = None


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
    if stem in FILE_ALIASES:
        return FILE_ALIASES[stem]
    # orders_2024-06.csv, 订单-202406.xlsx: a table's name, a separator, then anything
    names = sorted([*TABLES, *FILE_ALIASES], key=len, reverse=True)
    for name in names:
        if re.match(rf"^{re.escape(name)}[-_ .（(]", stem, flags=re.IGNORECASE):
            return FILE_ALIASES.get(name, name.lower())
    return None


def _candidates(folder: Path) -> list[Path]:
    """Data files in ``folder`` and its subfolders one level down."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        if path.is_dir():
            out.extend(p for p in sorted(path.iterdir())
                       if p.is_file() and not p.name.startswith((".", "~$")))
        elif path.is_file():
            out.append(path)
    return out


def _kind(path: Path, folder: Path, source: sources.Profile | None, root: Path | None,
          store: str) -> tuple[str | None, sources.Profile | None]:
    """The table a file feeds and its export layout."""
    by_name = table_for_file(path)
    if by_name is None and path.parent != folder:
        by_name = table_for_file(Path(path.parent.name + ".csv"))
    label = file_label(path, folder)
    try:
        headers = headers_of(path, label)
    except DataError:
        headers = []
    found = sources.detect(headers, root) if headers else None
    if found is None and source is not None and (by_name is None or by_name in source.tables):
        found = source
    if found is not None:
        return found.table, found
    return by_name, None


def find_sources(
    folder: Path,
    wanted: list[str],
    files: Mapping,
    store: str,
    source: str | None = None,
    root: Path | None = None,
) -> dict[str, TableFiles]:
    """The files of each wanted table found in ``folder`` (and its subfolders) or named in
    ``files:``, by table; a line-level export is under ``order_lines``."""
    given = sources.get(source, store, root) if source else None
    groups: dict[str, TableFiles] = {}
    named = {t: _given_path(folder, t, p, store) for t, p in files.items() if t in wanted}
    for path in _candidates(folder):
        suffix = path.suffix.lower()
        if suffix == ".xls":
            kind = table_for_file(path)
            if kind in wanted:
                raise DataError(
                    f"{path.name}: old Excel format (.xls) cannot be read.",
                    file=path.name,
                    fix="open it in Excel or WPS and save it as .xlsx or CSV (UTF-8).",
                )
            continue
        if suffix not in SUFFIXES:
            continue
        kind, profile = _kind(path, folder, given, root, store)
        if kind is None or kind in named:
            continue
        if kind not in wanted and not (kind == LINES and {"orders", "order_items"} & set(wanted)):
            continue
        group = groups.setdefault(kind, TableFiles(kind, [], profile))
        if (group.profile and group.profile.id) != (profile and profile.id):
            layouts = [group.profile.id if group.profile else "wxshop contract",
                       profile.id if profile else "wxshop contract"]
            raise DataError(
                f"{folder}: table '{kind}' has files of two layouts, {layouts[0]}"
                f" ({group.paths[0].name}) and {layouts[1]} ({path.name}).",
                file=path.name,
                fix=f"keep one layout in the folder, or choose the files under `files:` in"
                f" params/stores/{store}.yaml.",
            )
        group.paths.append(path)
    for table, paths in named.items():
        headers = headers_of(paths[0], file_label(paths[0], folder))
        profile = sources.detect(headers, root) or (given if given and table in given.tables else None)
        kind = profile.table if profile else table
        groups[kind] = TableFiles(kind, paths, profile)
    return groups


def _given_path(folder: Path, table: str, given: object, store: str) -> list[Path]:
    path = Path(str(given)).expanduser()
    path = path if path.is_absolute() else folder / path
    if path.is_dir():
        found = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in SUFFIXES]
        if found:
            return found
    if not path.is_file():
        raise DataError(
            f"`files:` says {table} is {given}, but {path} does not exist.",
            file=str(given),
            fix=f"correct the path under `files:` in params/stores/{store}.yaml"
            f" (relative to {folder}).",
        )
    return [path]


def plan_tables(
    folder: Path, wanted: list[str], groups: dict[str, TableFiles], store: str
) -> list[tuple[str, TableFiles]]:
    """Which files each wanted table comes from: its own files, else a line-level export
    (orders are its first lines; order lines all of them)."""
    lines = groups.get(LINES)
    if lines is not None and "order_items" in groups and "order_items" in wanted:
        raise DataError(
            f"{folder}: order lines come from both {groups['order_items'].paths[0].name} and the"
            f" line-level export {lines.paths[0].name}.",
            file=lines.paths[0].name,
            fix=f"keep one of them, or choose under `files:` in params/stores/{store}.yaml.",
        )
    plan = []
    for table in wanted:
        if table in groups:
            plan.append((table, groups[table]))
        elif table in ("orders", "order_items") and lines is not None:
            plan.append((table, lines))
    return plan


def require_tables(folder: Path, wanted: list[str], found: Mapping[str, object], store: str) -> None:
    """Raise :class:`~wxshop.errors.DataError` when a required table that is wanted has no file."""
    for table in REQUIRED_TABLES:
        if table in wanted and table not in found and not (table == "orders" and LINES in found):
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
