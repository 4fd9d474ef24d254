"""Two groups' means compared: Welch's t-test and its interval (scipy), as the growth report
compares invited with organic buyers and campaign-acquired with organic ones."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

__all__ = ["welch"]


def welch(a: np.ndarray, b: np.ndarray, alpha: float = 0.05) -> dict[str, float]:
    """``diff`` = mean(a) − mean(b), its (1 − alpha) interval ``low``, ``high`` and the two-sided
    ``p_value`` of Welch's t-test (``scipy.stats.ttest_ind(equal_var=False)``); all NaN unless
    both groups have at least 2 values.

    Examples
    --------
    >>> r = welch(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0]))
    >>> round(r["diff"], 2), round(r["p_value"], 3)
    (1.5, 0.148)
    """
    out = dict.fromkeys(("diff", "low", "high", "p_value"), float("nan"))
    if a.size < 2 or b.size < 2:
        return out
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # equal values: no spread
        res = stats.ttest_ind(a, b, equal_var=False)
        ci = res.confidence_interval(confidence_level=1 - alpha)
    return {"diff": float(a.mean() - b.mean()), "low": float(ci.low), "high": float(ci.high),
            "p_value": float(res.pvalue)}
