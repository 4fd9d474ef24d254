"""Text as every step of the loading pipeline sees it.

The pandas text dtype of the clean tables, any column as that text, blank cells as
missing, and header names made unique. Reading (:mod:`wxshop.data.read`), header mapping
(:mod:`wxshop.data.headers`), typing (:mod:`wxshop.data.parse`) and the row checks
(:mod:`wxshop.data.checks`) share them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TEXT_DTYPE = "str"  # pandas' string dtype; missing values are NaN


def as_text(s: pd.Series) -> pd.Series:
    """Any column as pandas text; whole-number floats lose their ``.0``.

    Examples
    --------
    >>> print(as_text(pd.Series([1.0, None, 12.0])).tolist())
    ['1', nan, '12']
    """
    if isinstance(s.dtype, pd.StringDtype):
        return s
    if pd.api.types.is_float_dtype(s.dtype):
        finite = s.dropna()
        if len(finite) and np.isfinite(finite).all() and (finite == np.floor(finite)).all():
            return s.astype("Int64").astype(TEXT_DTYPE)
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(object)
    return s.astype(TEXT_DTYPE)


def clean_text(s: pd.Series) -> pd.Series:
    """Text without surrounding spaces; blank becomes missing.

    Examples
    --------
    >>> print(clean_text(pd.Series([" a ", "", "b"])).tolist())
    ['a', nan, 'b']
    """
    s = as_text(s).str.strip()
    return s.mask(s == "")


def unique_names(names: list[str]) -> list[str]:
    """Header names with repeats numbered as pandas does (``金额``, ``金额.1``).

    Examples
    --------
    >>> unique_names(["金额", "金额", "id"])
    ['金额', '金额.1', 'id']
    """
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            n = f"{n}.{seen[n]}"
        seen.setdefault(n, 0)
        out.append(n)
    return out

