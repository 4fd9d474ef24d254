"""Percentile bootstrap of a difference in means from the raw per-user values."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from wxshop.ab.stats.result_base import Result

__all__ = ["BootstrapResult", "bootstrap_diff"]


@dataclass(frozen=True)
class BootstrapResult(Result):
    """Percentile bootstrap of the difference (and ratio − 1) of two means.

    diff: observed mean_treatment − mean_control (metric unit); [ci_low, ci_high]: percentile
    interval; se: SD of the bootstrap differences; rel_*: the same for the relative lift.
    """

    n_boot: int
    seed: int
    alpha: float
    diff: float
    se: float
    ci_low: float
    ci_high: float
    rel_lift: float
    rel_ci_low: float
    rel_ci_high: float
    method: str = "percentile"


def bootstrap_diff(
    control: ArrayLike,
    treatment: ArrayLike,
    *,
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
    max_cells: int = 4_000_000,
) -> BootstrapResult:
    """Percentile bootstrap interval of mean(treatment) − mean(control), e.g. revenue per user.

    Users are resampled with replacement within each arm (numpy ``Generator(PCG64(seed))``),
    ``n_boot`` resamples drawn as index matrices in chunks of at most ``max_cells`` indices.
    A robustness check for heavy-tailed revenue next to the Welch interval.
    """
    c = np.asarray(control, dtype=float)
    t = np.asarray(treatment, dtype=float)
    if c.size < 2 or t.size < 2:
        raise ValueError("bootstrap_diff needs at least two users per arm")
    rng = np.random.default_rng(seed)
    chunk = max(1, max_cells // (c.size + t.size))
    mc, mt = np.empty(n_boot), np.empty(n_boot)
    for start in range(0, n_boot, chunk):  # loop over chunks of resamples, not over users
        k = min(chunk, n_boot - start)
        mc[start:start + k] = c[rng.integers(0, c.size, size=(k, c.size))].mean(axis=1)
        mt[start:start + k] = t[rng.integers(0, t.size, size=(k, t.size))].mean(axis=1)
    d = mt - mc
    q = [alpha / 2, 1 - alpha / 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = mt / mc - 1
        rel_obs = t.mean() / c.mean() - 1
    ok = bool(np.all(mc > 0))
    lo_r, hi_r = np.quantile(rel, q) if ok else (np.nan, np.nan)
    lo, hi = np.quantile(d, q)
    return BootstrapResult(n_boot, seed, alpha, float(t.mean() - c.mean()), float(d.std(ddof=1)),
                           float(lo), float(hi), float(rel_obs) if ok else np.nan, float(lo_r),
                           float(hi_r))
