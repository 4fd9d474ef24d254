"""The A/B steps' check of an input table: present, with the columns the step needs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wxshop.errors import DataError

__all__ = ["require_table"]


def require_table(df: pd.DataFrame | None, columns: Sequence[str], table: str, what: str) -> None:
    """Raise a :class:`DataError` naming the table, the first missing column and the fix.

    ``df`` None means the store has no such table; ``what`` names the step that needs it.
    """
    if df is None:
        raise DataError(
            f"the store has no {table} table; {what} needs it.",
            file=table,
            fix=f"add a {table} export ({', '.join(columns)}) to the store's data folder.",
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        shown = ", ".join(map(str, df.columns)) or "none"
        raise DataError(
            f"{table}: column '{missing[0]}' missing; {what} needs {', '.join(columns)}"
            f" (columns found: {shown}).",
            file=table,
            column=missing[0],
            fix=f"add the '{missing[0]}' column to the {table} export, or map its header under"
            " `columns:` in the store's params YAML.",
        )
