"""Typing values: each source column to the dtype of its canonical column.

Ids and text become pandas ``str`` without surrounding spaces (blank is missing), numbers
``float64`` (``¥``, ``元`` and thousands separators are accepted), timestamps
``datetime64[us]`` in shop-local time (Asia/Shanghai, naive; ISO text, ``2024年6月18日``,
``20240618201500``, Unix time in seconds or milliseconds and Excel serial days are
understood), and ``status`` / ``event`` values go through their aliases. Parsers return the
typed column and a mask of the non-empty values that failed, which the row checks
(:mod:`wxshop.data.checks`) reject.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa_arrow
import pyarrow.compute as pc

from wxshop.data import codes
from wxshop.data.schema import normalise_header
from wxshop.data.text import TEXT_DTYPE, clean_text, text_edges

TIMEZONE = "Asia/Shanghai"  # naive timestamps are shop-local time
TIMESTAMP_DTYPE = "datetime64[us]"
_EPOCH = r"1\d{9}(?:\d{3})?"  # 2001-09 … 2033-05 in seconds, or in milliseconds


def clean_id(s: pd.Series) -> pd.Series:
    """Ids as text, also those exported as ``="00123"`` so that Excel keeps the zeros.

    Examples
    --------
    >>> print(clean_id(pd.Series(['="00123"', " 00124 ", ""])).tolist())
    ['00123', '00124', nan]
    """
    s = clean_text(s)
    # Exports sometimes write ids as ="00123" so Excel keeps the zeros.
    edges = text_edges(s)
    if (edges[0] == ord("=")).any() if edges is not None else s.str.startswith('="').any():
        s = s.str.replace(r'^="(.*)"$', r"\1", regex=True)
    return s


def map_values(s: pd.Series, aliases: dict[str, str], allowed: tuple[str, ...]) -> pd.Series:
    """Map values through aliases (case-insensitive) and lower-case them.

    Values already in ``allowed`` are left alone and the rest are mapped per
    distinct value, so a big column costs an ``isin`` and a few replacements.

    Examples
    --------
    >>> status = pd.Series(["已支付", "Paid", "paid"])
    >>> print(map_values(status, {"已支付": "paid"}, ("paid",)).tolist())
    ['paid', 'paid', 'paid']
    """
    s = clean_text(s)
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


def parse_numbers(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """float64 values and a mask of non-empty values that are not numbers.

    Examples
    --------
    >>> values, bad = parse_numbers(pd.Series(["¥1,299.00", "12元", "", "abc", "1.234,50"]))
    >>> print(values.tolist(), bad.tolist())
    [1299.0, 12.0, nan, nan, nan] [False, False, False, True, True]
    """
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.astype("float64")
        infinite = np.isinf(values.to_numpy())  # Parquet can hold inf; CSV text "inf" fails below
        return values.mask(infinite), infinite
    text = clean_text(s)
    try:  # a clean column casts in Arrow, far faster than to_numeric on text
        cast = pc.cast(codes.arrow_text(text), pa_arrow.float64()).to_numpy(zero_copy_only=False)
        values = pd.Series(cast, index=text.index, dtype="float64")
    except (pa_arrow.ArrowInvalid, pa_arrow.ArrowNotImplementedError, TypeError):
        values = pd.to_numeric(text, errors="coerce").astype("float64")
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    if bad.any():  # ¥1,299.00 / 12元: retry only the failures without the decoration
        retry = text[bad].str.replace(r"[¥￥元\s]", "", regex=True).str.replace("，", ",")
        # a comma only as a thousands separator: 1,234.50 is a number, 1.234,50 or 1,23 is not
        grouped = retry.str.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", na=False)
        retry = retry.where(~retry.str.contains(",", regex=False, na=False) | grouped)
        retry = retry.str.replace(",", "", regex=False)
        values.loc[bad] = pd.to_numeric(retry, errors="coerce").astype("float64").to_numpy()
    values = values.mask(np.isinf(values))
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    return values, bad


def parse_percent(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Percentages (0–100) written as numbers or as 85.5%, the way 企业微信 shows a share: the
    number without its % sign, and a mask of non-empty values that are not numbers.

    >>> values, bad = parse_percent(pd.Series(["85.5%", "100", "", "多"]))
    >>> print(values.tolist(), bad.tolist())
    [85.5, 100.0, nan, nan] [False, False, False, True]
    """
    if not pd.api.types.is_numeric_dtype(s.dtype):
        s = clean_text(s).str.replace(r"\s*[%％]$", "", regex=True)
    return parse_numbers(s)


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


def parse_timestamps(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Naive Asia/Shanghai timestamps and a mask of non-empty values that failed.

    Examples
    --------
    >>> values, bad = parse_timestamps(pd.Series(["2024-06-18 20:15", "2024年6月18日", "x"]))
    >>> print(values.astype(str).tolist(), bad.tolist())
    ['2024-06-18 20:15:00', '2024-06-18 00:00:00', nan] [False, False, True]
    >>> values, _ = parse_timestamps(pd.Series(["1704412800", "1704412800000"]))  # Unix time
    >>> print(values.astype(str).tolist())
    ['2024-01-05 08:00:00', '2024-01-05 08:00:00']
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return _to_local(s), np.zeros(len(s), dtype=bool)
    text = clean_text(s)
    # Unix time in seconds or milliseconds (1704412800), not the year 1704: a column whose first
    # values are Unix times is read as such (a stray one elsewhere is out of the plausible
    # window and set aside by wxshop.data.guards)
    head = text.dropna().iloc[:200]
    epoch = None
    if len(head) and head.str.fullmatch(_EPOCH).mean() > 0.5:
        epoch = text.str.fullmatch(_EPOCH, na=False)
    if epoch is not None and epoch.any():
        values = _parse_iso(text.where(~epoch))
        digits = pd.to_numeric(text.where(epoch), errors="coerce")
        seconds = digits.where(digits < 1e11, digits / 1000)
        values.loc[epoch] = _to_local(pd.to_datetime(seconds[epoch], unit="s", utc=True)).to_numpy()
    else:
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

