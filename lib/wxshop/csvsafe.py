"""CSV cells that a spreadsheet will not run as a formula.

Excel and WPS run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and a tab or carriage
return before one) as a formula, so a customer id or a rejected row's text such as
``=HYPERLINK("http://…")`` in a CSV wxshop writes would run when a store operator opens it
(CSV / formula injection). Every CSV wxshop writes goes through :func:`safe_frame` (pandas) or
:func:`safe_table` (Arrow): a text cell starting with one of those characters gets a leading
apostrophe, which the spreadsheet shows as text and does not display. A plain number such as
``-5`` or ``+3.2`` is left as it is. Number columns are never touched.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

FORMULA_START = r"^[=+\-@\t\r]"
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"


def neutralise(s: pd.Series) -> pd.Series:
    """Text cells a spreadsheet would run, with a leading apostrophe.

    Examples
    --------
    >>> neutralise(pd.Series(['=1+2', '-5', '@SUM(A1)', '-2+3', 'ok', None])).tolist()
    ["'=1+2", '-5', "'@SUM(A1)", "'-2+3", 'ok', nan]
    """
    text = s.astype("str")
    risky = text.str.contains(FORMULA_START, regex=True, na=False) & ~text.str.fullmatch(
        _NUMBER, na=False)
    if not risky.any():
        return s
    return text.mask(risky, "'" + text)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text column neutralised (a new frame; numbers untouched).

    Examples
    --------
    >>> safe_frame(pd.DataFrame({"a": ["=cmd"], "n": [-1]})).values.tolist()
    [["'=cmd", -1]]
    """
    out = frame.copy(deep=False)
    for c in frame.columns:
        if pd.api.types.is_string_dtype(frame[c]) or pd.api.types.is_object_dtype(frame[c]):
            out[c] = neutralise(frame[c])
    return out


def safe_table(table: pa.Table) -> pa.Table:
    """An Arrow table with every string column neutralised."""
    for i, field in enumerate(table.schema):
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        column = table.column(i)
        risky = pc.and_(pc.match_substring_regex(column, FORMULA_START),
                        pc.invert(pc.match_substring_regex(column, _NUMBER)))
        if pc.any(risky).as_py():
            quote = pa.scalar("'", type=field.type)
            fixed = pc.if_else(risky, pc.binary_join_element_wise(quote, column,
                                                                   pa.scalar("", field.type)), column)
            table = table.set_column(i, field, fixed)
    return table
