"""Arrow columns of the demo tables: labels from integer codes, padded ids, joined text and
timestamps counted in seconds from the window's start."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def label_column(labels: tuple[str, ...] | list[str], index: np.ndarray) -> pa.Array:
    """Labels picked by integer codes; negative codes become nulls."""
    index = np.asarray(index)
    return pc.take(pa.array(list(labels), pa.string()), pa.array(index, mask=index < 0))


def id_column(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded number, e.g. C0000123."""
    digits = pc.utf8_lpad(pc.cast(pa.array(np.asarray(numbers, np.int64)), pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def join_text(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of text columns and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def timestamp_column(origin: np.datetime64, seconds: np.ndarray) -> pa.Array:
    """``origin`` plus whole seconds, as a ``timestamp[s]`` column."""
    values = origin + np.asarray(seconds, np.int64).astype("timedelta64[s]")
    return pa.array(values, pa.timestamp("s"))




def iso_time(origin: np.datetime64, seconds: float) -> str:
    """``origin`` plus ``seconds`` as ``YYYY-MM-DD HH:MM:SS`` (the truth's time format)."""
    return str(origin + np.timedelta64(int(seconds), "s")).replace("T", " ")
