"""Sample variance and covariance of per-user values from their sums (n, Σ, Σ of squares, Σ x·y)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["sample_covariance", "sample_variance"]


def sample_variance(n: Any, s: Any, ss: Any) -> np.ndarray:
    """Sample variance (ddof 1, floored at 0) from n, Σ y and Σ y²; element-wise on arrays."""
    n, s, ss = (np.asarray(a, dtype=float) for a in (n, s, ss))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.maximum((ss - s * s / n) / (n - 1), 0.0)


def sample_covariance(n: Any, sx: Any, sy: Any, sxy: Any) -> np.ndarray:
    """Sample covariance (ddof 1) from n, Σ x, Σ y and Σ x·y; element-wise on arrays."""
    n, sx, sy, sxy = (np.asarray(a, dtype=float) for a in (n, sx, sy, sxy))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (sxy - sx * sy / n) / (n - 1)
