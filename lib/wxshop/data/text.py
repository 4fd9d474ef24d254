"""Text as every step of the loading pipeline sees it.

The pandas text dtype of the clean tables, any column as that text, blank cells as
missing, and header names made unique. Reading (:mod:`wxshop.data.read`), header mapping
(:mod:`wxshop.data.headers`), typing (:mod:`wxshop.data.parse`) and the row checks
(:mod:`wxshop.data.checks`) share them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

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

    A column none of whose texts starts or ends with a space or a non-ASCII character (which
    could be a full-width or no-break space), as id columns are, is not stripped: read off
    Arrow's buffers, that takes 0.02 s where stripping 4.7M order ids took 0.1 s.

    Examples
    --------
    >>> print(clean_text(pd.Series([" a ", "", "b"])).tolist())
    ['a', nan, 'b']
    >>> print(clean_text(pd.Series(["u1", "", None, "u2\u3000"], dtype="str")).tolist())
    ['u1', nan, nan, 'u2']
    """
    s = as_text(s)
    edges = text_edges(s)
    if edges is not None and not (_MAY_BE_SPACE[edges[0]] | _MAY_BE_SPACE[edges[1]]).any():
        empty = edges[2]
        return s.mask(empty) if empty.any() else s
    s = s.str.strip()
    return s.mask(s == "")


# bytes a text may start or end with when it has a space there: ASCII white space, or any
# byte of a longer UTF-8 character (U+3000 and U+00A0 among them)
_MAY_BE_SPACE = np.zeros(256, bool)
_MAY_BE_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_MAY_BE_SPACE[128:] = True


def text_edges(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The first and the last byte of each text of an Arrow-backed text column (0 for an empty
    or missing one), and whether it is empty (not missing), read off Arrow's buffers; None for
    a column not stored in Arrow.

    >>> first, last, empty = text_edges(pd.Series(["ab", "", None, "中"], dtype="str"))
    >>> first.tolist(), last.tolist(), empty.tolist()
    ([97, 0, 0, 228], [98, 0, 0, 173], [False, True, False, False])
    """
    data = getattr(s.array, "_pa_array", None)
    if data is None:
        return None
    chunks = data.chunks if hasattr(data, "chunks") else [data]
    parts = []
    for chunk in chunks:
        if chunk.type not in (pa.string(), pa.large_string()):
            return None
        width = np.int64 if chunk.type == pa.large_string() else np.int32
        _, offsets, values = chunk.buffers()
        offsets = np.frombuffer(offsets, width, count=len(chunk) + 1,
                                offset=chunk.offset * np.dtype(width).itemsize)
        start, end = offsets[:-1], offsets[1:]
        filled = end > start
        if values is not None and len(values):  # gathers, not masked writes: half the time
            raw = np.frombuffer(values, np.uint8)
            top = raw.size - 1
            first = np.where(filled, raw[np.minimum(start, top)], np.uint8(0))
            last = np.where(filled, raw[np.clip(end - 1, 0, top)], np.uint8(0))
        else:
            first = last = np.zeros(len(chunk), np.uint8)
        valid = (chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count
                 else np.ones(len(chunk), bool))
        parts.append((first, last, ~filled & valid))
    if not parts:
        return np.zeros(0, np.uint8), np.zeros(0, np.uint8), np.zeros(0, bool)
    if len(parts) == 1:
        return parts[0]
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))  # type: ignore[return-value]


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

