"""Multiple testing: Holm and Benjamini–Hochberg adjusted p-values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from wxshop.ab.stats.result_base import Result

__all__ = ["MultipleTestingResult", "adjust_pvalues"]


@dataclass(frozen=True)
class MultipleTestingResult(Result):
    """Adjusted p-values (same order as given); reject: p_adjusted <= alpha."""

    method: str
    alpha: float
    p_value: tuple[float, ...]
    p_adjusted: tuple[float, ...]
    reject: tuple[bool, ...]


def adjust_pvalues(
    p_values: ArrayLike, method: Literal["holm", "bh"] = "holm", *, alpha: float = 0.05
) -> MultipleTestingResult:
    """Holm (family-wise error) or Benjamini–Hochberg (false discovery rate) adjustment.

    Equal to ``statsmodels.stats.multitest.multipletests`` with ``"holm"`` / ``"fdr_bh"``.
    NaN p-values stay NaN and do not count towards the number of tests.

    Examples
    --------
    >>> r = adjust_pvalues([0.01, 0.04, 0.03], "holm")
    >>> [round(p, 2) for p in r.p_adjusted], r.reject
    ([0.03, 0.06, 0.06], (True, False, False))
    """
    p = np.asarray(p_values, dtype=float).ravel()
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1]")
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    order = np.argsort(q, kind="mergesort")
    ps = q[order]
    if method == "holm":
        adj_sorted = np.minimum(np.maximum.accumulate(ps * np.arange(m, 0, -1)), 1.0)
    elif method == "bh":
        adj_sorted = np.minimum(np.minimum.accumulate((ps * m / np.arange(1, m + 1))[::-1])[::-1], 1.0)
    else:
        raise ValueError(f"method must be 'holm' or 'bh', got {method!r}")
    adj = np.full(p.shape, np.nan)
    sub = np.empty(m)
    sub[order] = adj_sorted
    adj[ok] = sub
    reject = ok & (np.nan_to_num(adj, nan=2.0) <= alpha)
    return MultipleTestingResult(method, alpha, tuple(float(v) for v in p), tuple(float(v) for v in adj),
                                 tuple(bool(v) for v in reject))
