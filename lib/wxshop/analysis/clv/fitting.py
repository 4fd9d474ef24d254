"""Maximum-likelihood machinery shared by the CLV models: a robust maximiser over
log-parameters (L-BFGS-B with retries, Nelder-Mead fallback, honest convergence flags and
standard errors), input checks, and merging identical rows into weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize

__all__ = [
    "KKT_TOL", "LOG_BOUND", "MAX_LOG_SE", "Optimum", "case_weights", "compress", "distinct_rows",
    "fit_frame", "float_array", "maximise",
]

LOG_BOUND = 12.0  # search box for log-parameters (after rescaling): e^±12
KKT_TOL = 1e-5  # largest gradient of the mean log-likelihood accepted as a maximum
MAX_LOG_SE = 5.0  # a log-parameter with a larger standard error is not pinned down


@dataclass(frozen=True)
class Optimum:
    theta: np.ndarray  # log-parameters, rescaled units
    mean_ll: float  # mean log-likelihood per unit weight, rescaled units
    se_log: np.ndarray  # standard errors of the log-parameters; NaN when not determined
    converged: bool
    at_bound: tuple[str, ...]
    iterations: int
    message: str


def _kkt(theta: np.ndarray, grad: np.ndarray) -> tuple[bool, np.ndarray]:
    """First-order optimality of minimising in the box: gradient ≈ 0 or pushing outwards."""
    lo = theta <= -LOG_BOUND + 1e-6
    hi = theta >= LOG_BOUND - 1e-6
    projected = np.where(lo, np.minimum(grad, 0.0), np.where(hi, np.maximum(grad, 0.0), grad))
    return bool(np.all(np.abs(projected) <= KKT_TOL)), lo | hi


def _log_se(
    gradient: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, total: float
) -> np.ndarray:
    """Standard errors of log-parameters from the observed information (NaN if singular)."""
    n, h = theta.size, 1e-5
    hess = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        hess[i] = (gradient(theta + e) - gradient(theta - e)) / (2 * h)
    hess = (hess + hess.T) / 2 * total
    if not np.all(np.isfinite(hess)) or np.linalg.eigvalsh(hess).min() <= 0:
        return np.full(n, np.nan)
    return np.sqrt(np.diag(np.linalg.inv(hess)))


def maximise(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    starts: list[np.ndarray],
    names: tuple[str, ...],
    total: float,
) -> Optimum:
    """Minimise ``objective`` (mean negative log-likelihood and gradient in log-parameters).

    L-BFGS-B with the analytic gradient from each start in turn until one reaches a
    well-determined maximum (first-order conditions hold, no parameter at the edge of the
    search box, finite standard errors below ``MAX_LOG_SE``). If no start even satisfies
    the first-order conditions, Nelder-Mead from the best point and L-BFGS-B again. The best
    point found is returned with an honest ``converged`` flag and message.
    """
    bounds = [(-LOG_BOUND, LOG_BOUND)] * len(names)

    def safe(theta: np.ndarray) -> tuple[float, np.ndarray]:
        with np.errstate(all="ignore"):
            f, g = objective(np.clip(theta, -LOG_BOUND, LOG_BOUND))
        if not np.isfinite(f) or not np.all(np.isfinite(g)):
            return 1e300, np.zeros_like(theta)
        return f, g

    assessed: dict[bytes, tuple[bool, np.ndarray, np.ndarray]] = {}

    def assess(theta: np.ndarray) -> tuple[bool, np.ndarray, np.ndarray]:
        key = theta.tobytes()
        if key not in assessed:
            kkt, edge = _kkt(theta, safe(theta)[1])
            se = _log_se(lambda th: safe(th)[1], theta, total) if kkt and not edge.any() else (
                np.full(theta.size, np.nan))
            assessed[key] = (kkt, edge, se)
        return assessed[key]

    tried: list[tuple[float, np.ndarray]] = []
    iterations = attempts = 0

    def run_lbfgsb(x0: np.ndarray) -> tuple[bool, np.ndarray, np.ndarray]:
        nonlocal iterations, attempts
        res = optimize.minimize(
            safe, np.clip(x0, -LOG_BOUND, LOG_BOUND), jac=True, method="L-BFGS-B",
            bounds=bounds, options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-7, "maxcor": 20},
        )
        iterations += int(res.nit)
        attempts += 1
        x = np.clip(np.asarray(res.x, float), -LOG_BOUND, LOG_BOUND)
        tried.append((float(res.fun), x))
        return assess(x)

    any_kkt = False
    for x0 in starts:
        kkt, edge, se = run_lbfgsb(x0)
        any_kkt |= kkt
        if kkt and not edge.any() and np.all(se < MAX_LOG_SE):
            break
    if not any_kkt:
        best_x = min(tried, key=lambda t: t[0])[1]
        res = optimize.minimize(
            lambda th: safe(th)[0], best_x, method="Nelder-Mead",
            options={"maxiter": 2000, "xatol": 1e-9, "fatol": 1e-14},
        )
        iterations += int(res.nit)
        run_lbfgsb(res.x)
    f, theta = min(tried, key=lambda t: t[0])
    kkt, edge, se = assess(theta)
    at_bound = tuple(n for n, e in zip(names, edge, strict=True) if e)
    loose = tuple(n for n, v in zip(names, se, strict=True) if not v < MAX_LOG_SE)
    converged = f < 1e299 and kkt and not at_bound and not loose
    if f >= 1e299:
        message = "the log-likelihood could not be evaluated at any start"
    elif not kkt:
        grad = safe(theta)[1]
        message = (f"no maximum found in {attempts} attempt(s): largest gradient "
                   f"{np.max(np.abs(grad)):.2g}")
    elif at_bound:
        message = (f"{', '.join(at_bound)} ran to the edge of the search range: the likelihood "
                   "has no interior maximum, the data do not pin the parameters down "
                   "(predictions are still usable, parameter values are not)")
    elif loose:
        pronoun = "it" if len(loose) == 1 else "them"
        message = (f"the likelihood is flat in {', '.join(loose)}: the data do not pin {pronoun} "
                   "down (predictions are still usable, parameter values are not)")
    else:
        message = f"converged in {attempts} attempt(s)"
    return Optimum(theta, -f, se, bool(converged), at_bound, iterations, message)


def float_array(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has missing or infinite values")
    return arr


def case_weights(weights: ArrayLike | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = float_array(weights, "weights")
    if w.size != n:
        raise ValueError(f"weights has {w.size} values for {n} customers")
    if np.any(w < 0):
        raise ValueError("weights must not be negative")
    return w


def distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct row, and each row's distinct-row number."""
    key = np.zeros(columns[0].size, np.int64)
    for col in columns:
        codes, uniq = pd.factorize(col)
        key, _ = pd.factorize(key * len(uniq) + codes)  # stays below rows² (no overflow)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse


def compress(*columns: np.ndarray, weights: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Identical rows merged (rows of zero weight dropped): distinct rows, summed weights."""
    keep = weights > 0
    columns = tuple(c[keep] for c in columns)
    first, inverse = distinct_rows(*columns)
    w = np.bincount(inverse, weights=weights[keep], minlength=first.size)
    return [c[first] for c in columns], w


def fit_frame(d: dict) -> pd.DataFrame:
    se = d.pop("std_errors")
    d["at_bound"] = ", ".join(d["at_bound"])
    return pd.DataFrame([{**d, **{f"{k}_se": v for k, v in se.items()}}])
