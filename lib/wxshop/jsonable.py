"""Plain JSON values from what analyses produce (numpy scalars, NaN, timestamps)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd


def to_jsonable(value: Any, sep: str = "T") -> Any:
    """``value`` with numpy scalars as Python numbers, non-finite floats and missing values
    as None, dict keys as text and times in ISO format (``sep`` between date and time)."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, sep) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v, sep) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.isoformat(sep=sep)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
