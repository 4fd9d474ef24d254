"""Two-sided critical values and p-values of the t distribution, or the normal one at df = inf."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

__all__ = ["critical_value", "p_two_sided"]


def critical_value(alpha: float, df: Any) -> np.ndarray:
    """Two-sided critical value; df = inf means the normal distribution."""
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        t = stats.t.isf(alpha / 2, np.where(np.isfinite(df), df, 1.0))
    return np.where(np.isinf(df), stats.norm.isf(alpha / 2), np.where(np.isnan(df), np.nan, t))


def p_two_sided(stat: Any, df: Any) -> np.ndarray:
    """Two-sided p-value of a t (or, with df = inf, z) statistic; NaN where df is NaN."""
    stat, df = np.asarray(stat, dtype=float), np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        t = 2 * stats.t.sf(np.abs(stat), np.where(np.isfinite(df), df, 1.0))
    return np.where(np.isinf(df), 2 * stats.norm.sf(np.abs(stat)), np.where(np.isnan(df), np.nan, t))
