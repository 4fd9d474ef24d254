"""Random codes drawn with given probabilities, and the shares (planted and realised) the
truth reports for them."""

from __future__ import annotations

import numpy as np


def draw_codes(rng: np.random.Generator, probs: np.ndarray | tuple[float, ...], size: int) -> np.ndarray:
    """Codes 0..k-1 with the given probabilities (inverse CDF, vectorised)."""
    cdf = np.cumsum(np.asarray(probs, float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(cdf) - 1)


def draw_codes_by_row(rng: np.random.Generator, cdf: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Codes drawn per element from the row ``rows[i]`` of a matrix of CDFs."""
    u = rng.random(rows.shape)
    return (u[..., None] >= cdf[rows]).sum(axis=-1)




def realised_shares(codes: np.ndarray, labels: tuple[str, ...] | list[str]) -> dict[str, float]:
    """Share of each label among the codes (0 for every label when there are none)."""
    counts = np.bincount(codes, minlength=len(labels))
    return {k: float(v) for k, v in zip(labels, counts / max(counts.sum(), 1), strict=True)}


def planted_shares(labels: tuple[str, ...] | list[str], shares: np.ndarray | tuple) -> dict[str, float]:
    """The planted weights normalised to shares, by label."""
    s = np.asarray(shares, float)
    return {k: float(v) for k, v in zip(labels, s / s.sum(), strict=True)}
