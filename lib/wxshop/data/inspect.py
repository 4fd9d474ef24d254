"""``wxshop inspect PATH``: what wxshop makes of a file or a store folder, before any report.

For each file: the export layout recognised (:mod:`wxshop.data.sources`) and the table it
feeds; for each table: the header mapping, the identifiers pseudonymised and the personal
columns dropped, rows read / used / rejected (by reason) / merged, the date range, statuses
no mapping knows (with the line to add) and a few cleaned rows, which hold pseudonyms only.
A file whose layout is not known gets the closest profiles and a mapping suggested from what
its headers mean.
"""

from __future__ import annotations

from pathlib import Path

from wxshop.data import sources
from wxshop.data.files import LINES, SUFFIXES, file_label, table_for_file
from wxshop.data.load import Store, load_store
from wxshop.data.read import headers_of
from wxshop.data.schema import TABLES
from wxshop.errors import DataError

ROWS_SHOWN = 3


def file_lines(path: Path, folder: Path) -> list[str]:
    """One file: its layout and table, or the closest layouts and a suggested mapping."""
    label = file_label(path, folder)
    headers = headers_of(path, label)
    found = sources.detect(headers)
    if found is not None:
        return [f"{label}: {sources.describe(found)}"]
    by_name = table_for_file(path) or (table_for_file(Path(path.parent.name + ".csv"))
                                       if path.parent != folder else None)
    if by_name is not None:
        return [f"{label}: wxshop contract table '{by_name}' (by its name)"]
    out = [f"{label}: layout not recognised; headers: {', '.join(headers[:15])}"
           + (" ..." if len(headers) > 15 else "")]
    near = sources.closest(headers)
    if near:
        out.append("  closest layouts: " + ", ".join(f"{p.id} ({share:.0%} of its headers)"
                                                   for p, share in near))
    guess = {h: c for h, c in sources.suggest_mapping(headers, TABLES["orders"].required).items()
             if h != c}
    if len(guess) > 1:
        out.append("  if these are orders, map in params/stores/<store>.yaml: columns: {"
                   + ", ".join(f"{h}: {c}" for h, c in guess.items()) + "}")
    return out


def table_lines(store: Store, table: str) -> list[str]:
    """What loading found for one table."""
    q = store.quality.set_index("table").loc[table]
    note = store.notes.get(table, {})
    frame = store.tables[table]
    out = [f"[{table}] {q['file']}" + (f" — layout {q['source']}" if q["source"] else "")]
    out.append(f"  rows read {q['rows_read']:,} = used {q['rows_used']:,} + rejected"
               f" {q['rows_rejected']:,} + merged {q['rows_merged']:,}"
               + (f"; {note.get('skipped_lines', 0)} title/summary lines skipped"
                  if note.get("skipped_lines") else ""))
    if note.get("repeated"):
        out.append(f"  rows repeated across files, set aside: {note['repeated']:,}")
    if note.get("refund_rows_folded") or note.get("revoked"):
        out.append(f"  refund rows folded into their order: {note.get('refund_rows_folded', 0):,};"
                   f" orders revoked: {note.get('revoked', 0):,}; refunds with no order in the"
                   f" files: {note.get('refund_orphans', 0):,}")
    if note.get("mapping"):
        out.append("  mapping: " + ", ".join(f"{h} -> {c}" for h, c in note["mapping"].items()))
    if note.get("pseudonymised"):
        out.append("  pseudonymised (keyed hash): " + ", ".join(
            f"{h} ({k})" for h, k in note["pseudonymised"].items()))
    if note.get("personal_dropped"):
        out.append("  personal columns dropped: " + ", ".join(note["personal_dropped"]))
    reasons = store.rejected.loc[store.rejected["table"] == table, "reason"].value_counts()
    for reason, n in reasons.items():
        out.append(f"  rejected: {reason}: {n:,}")
    if note.get("unknown_statuses"):
        counts = ", ".join(f"{k} ({v:,})" for k, v in note["unknown_statuses"].items())
        out.append(f"  unknown statuses: {counts}; {note.get('status_fix', '')}")
    for col in TABLES[table].timestamps:
        if col in frame.columns and frame[col].notna().any():
            out.append(f"  {col}: {frame[col].min()} — {frame[col].max()}")
    if len(frame):
        spec_cols = [c for c in TABLES[table].columns if c in frame.columns]
        shown = frame[spec_cols].head(ROWS_SHOWN).to_string(index=False, max_colwidth=24)
        out.extend("    " + line for line in shown.splitlines())
    return out


def inspect(path: str | Path) -> str:
    """The text ``wxshop inspect`` prints for a file or a store folder.

    Examples
    --------
    >>> from wxshop.paths import sample_data_dir
    >>> lines = inspect(sample_data_dir() / "orders.csv").splitlines()
    >>> print(lines[1].strip(), lines[3], sep=" | ")
    orders.csv: wxshop contract table 'orders' (by its name) | [orders] orders.csv
    """
    target = Path(path).expanduser()
    if not target.exists():
        raise DataError(f"{target} does not exist.", file=str(target),
                        fix="give a store's data folder or one export file.")
    folder = target if target.is_dir() else target.parent
    files = ([p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES
              and not p.name.startswith((".", "~$")) and len(p.relative_to(folder).parts) <= 2]
             if target.is_dir() else [target])
    out: list[str] = ["Files:"]
    for p in files:
        out.extend("  " + line for line in file_lines(p, folder))
    if target.is_file():
        headers = headers_of(target, target.name)
        found = sources.detect(headers)
        table = (found.table if found else table_for_file(target))
        if table is None:
            return "\n".join(out)
        tables = ["orders", "order_items"] if table == LINES else [table]
        store = load_store(folder, files={t: target.name for t in tables[:1]}, tables=tables,
                           cache=False)
    else:
        store = load_store(folder, cache=False)
    out.append("")
    for table in store.tables:
        out.extend(table_lines(store, table))
    if store.missing:
        out.append(f"optional tables not found: {', '.join(store.missing)}")
    return "\n".join(out)

