"""Row checks and quarantine: which rows break a rule, and the frame that keeps them.

Every rule of the loading contract is checked on every row, vectorised: required and
choice columns (a pandera schema over the typed columns), non-negative numbers, values
that did not parse (:mod:`wxshop.data.parse`), repeated keys (the first row is kept), and
order lines whose order is absent or rejected. A row's reasons are collected as bit flags
(:class:`RowReasons`) and joined with ``"; "`` in rule order. Rejected rows are not
dropped silently: :func:`rejected_rows` keeps them as text with their source line and
reason, for ``Store.rejected``. A date column that is mostly not dates is a wrong
column, not bad rows: :func:`check_dates` raises :class:`~wxshop.errors.DataError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.data import codes, engine
from wxshop.data.parse import TIMESTAMP_DTYPE
from wxshop.data.schema import ORDER_ID, TableSpec
from wxshop.data.text import TEXT_DTYPE, as_text, clean_text
from wxshop.errors import DataError

if TYPE_CHECKING:
    import pandera.pandas as pa

REJECTED_COLUMNS = ("table", "file", "row", "reason")


def _row_schema(spec: TableSpec, present: list[str]) -> pa.DataFrameSchema:
    """Column rules for the columns present; reasons are the checks' error texts. pandera is
    imported here, when a table is checked, not when the loader is: a report whose tables come
    from the cache never needs it (0.4 s of a kernel's start)."""
    import pandera.pandas as pa

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


class RowReasons:
    """Per-row reasons as bit flags, so many rules on many rows stay vectorised.

    Examples
    --------
    >>> reasons = RowReasons(3)
    >>> reasons.add("empty amount", np.array([True, False, True]))
    >>> reasons.add("negative amount", np.array([2]))
    >>> print(reasons.rejected.tolist(), reasons.text().tolist())
    [True, False, True] ['empty amount', 'empty amount; negative amount']
    """

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
        """Mask of the rows with at least one reason."""
        return self.flags != 0

    def text(self) -> np.ndarray:
        """The joined reason of every rejected row, in rule order."""
        combos, inverse = np.unique(self.flags[self.rejected], return_inverse=True)
        labels = ["; ".join(r for i, r in enumerate(self.names) if int(c) >> i & 1) for c in combos]
        return np.array(labels, dtype=object)[inverse] if len(combos) else np.array([], object)


def check_rows(
    frame: pd.DataFrame,
    spec: TableSpec,
    present: list[str],
    reasons: RowReasons,
    parse_failed: dict[str, np.ndarray],
    label: str,
    order_ids: pd.Series | None = None,
) -> np.ndarray | None:
    """Flag in ``reasons`` the rows of the typed ``frame`` that break a rule of ``spec``.

    ``present`` are the spec's columns found in the file, ``parse_failed`` the masks of
    values that did not parse (not reported again as empty). For order lines,
    ``order_ids`` are the orders' ids: the row of each line's order is returned (-1 when
    absent; :func:`wxshop.data.codes.positions`), else None.
    """
    from pandera.errors import SchemaErrors

    try:
        # inplace: pandera would otherwise copy the whole table first (coerce=False: nothing is changed)
        _row_schema(spec, present).validate(frame, lazy=True, inplace=True)
    except SchemaErrors as exc:
        _add_failures(reasons, exc.failure_cases, parse_failed, label)

    if spec.key:
        reasons.add(f"duplicate {'+'.join(spec.key)}", duplicated_keys(frame[list(spec.key)]))
    order_rows = None
    if order_ids is not None:  # each line's row among the orders, kept for the reports
        ids = frame[ORDER_ID]
        order_rows = codes.positions(ids, order_ids, unique=True)  # checked orders: each id once
        reasons.add("order_id not in orders", ids.notna().to_numpy() & (order_rows < 0))
    return order_rows


def duplicated_keys(key: pd.DataFrame) -> np.ndarray:
    """Rows repeating the non-empty key of an earlier row (the first one is kept).

    Counting values in Arrow finds the few repeated keys fast; pandas then marks
    the exact duplicates among the rows holding them.
    """
    if not has_repeats(key):
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


def has_repeats(key: pd.DataFrame) -> bool:
    """Whether any non-empty text key appears twice, counted in DuckDB (0.7 s on 4.7M order
    ids; Arrow's value counts took 2.1 s). Keys that are not all text say True, so the exact
    check runs."""
    if not all(pd.api.types.is_string_dtype(key[c]) for c in key.columns):
        return True
    if key.shape[1] == 1 and _strictly_increasing(codes.arrow_text(key.iloc[:, 0])):
        return False  # ids in ascending order, as exports often list them: none twice
    names = [f"k{i}" for i in range(key.shape[1])]
    cols = ", ".join(names)
    filled = " AND ".join(f"{n} IS NOT NULL" for n in names)
    with engine.connect() as con:
        con.register("k", pd.DataFrame({n: key[c].array for n, c in zip(names, key.columns,
                                                                          strict=True)}, copy=False))
        rows, distinct = con.execute(
            f"SELECT count(*), (SELECT count(*) FROM (SELECT DISTINCT {cols} FROM k WHERE {filled}))"
            f" FROM k WHERE {filled}"
        ).fetchone()
    return rows != distinct


def _strictly_increasing(text: pa.Array) -> bool:
    """Whether the non-missing texts each sort after the one before (one pass, 0.05 s for
    4.7M order ids, against 0.5 s for counting distinct ids).

    >>> _strictly_increasing(pa.array(["a1", None, "a2", "b"])), _strictly_increasing(pa.array(["b", "a"]))
    (True, False)
    """
    text = text.drop_null() if text.null_count else text
    if len(text) < 2:
        return True
    return bool(pc.all(pc.less(text.slice(0, len(text) - 1), text.slice(1))).as_py())


def check_dates(s: pd.Series, bad: np.ndarray, column: str, label: str) -> None:
    """A date column that is mostly not dates is a wrong column, not bad rows."""
    if not bad.any():
        return
    filled = int(clean_text(s).notna().sum())
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
    reasons: RowReasons, cases: pd.DataFrame, parse_failed: dict[str, np.ndarray], label: str
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


def rejected_rows(
    raw: pd.DataFrame, table: str, label: str | np.ndarray, line: np.ndarray, reason: np.ndarray
) -> pd.DataFrame:
    """The rejected rows for ``Store.rejected``: table, file (one label, or one per row),
    row (source line), reason, then the row's values as text (a source column named like one
    of those four gets `` (source)`` appended)."""
    values = {c: as_text(raw[c]).to_numpy() for c in raw.columns}
    values = {(f"{c} (source)" if c in REJECTED_COLUMNS else c): v for c, v in values.items()}
    frame = pd.DataFrame(
        {
            "table": pd.Series([table] * len(raw), dtype=TEXT_DTYPE),
            "file": pd.Series([label] * len(raw) if isinstance(label, str) else list(label),
                              dtype=TEXT_DTYPE),
            "row": pd.Series(line, dtype="int64"),
            "reason": pd.Series(reason, dtype=TEXT_DTYPE),
        }
    )
    for c, v in values.items():
        frame[c] = pd.Series(v, dtype=TEXT_DTYPE)
    return frame


def concat_rejected(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The rejected rows of every table in one frame; with none, the four leading columns."""
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

