"""The shape every A/B result shares: frozen dataclasses with ``to_dict`` and ``to_frame``.

Results hold Python scalars for one experiment, or numpy arrays of one shape for a batch of
experiments (the seeded simulations); :func:`floats` and :func:`bools` give
that form, :func:`plain_value` the JSON-able one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["FloatLike", "Result", "bools", "plain_value", "results_frame", "floats"]

FloatLike = float | np.ndarray  # a scalar, or an array for a batch of simulated experiments


def floats(x: Any) -> Any:
    """Python float for a 0-d value, the array otherwise."""
    a = np.asarray(x, dtype=float)
    return float(a) if a.ndim == 0 else a


def bools(x: Any) -> Any:
    """Python bool for a 0-d value, the boolean array otherwise."""
    a = np.asarray(x, dtype=bool)
    return bool(a) if a.ndim == 0 else a


def plain_value(v: Any) -> Any:
    """A JSON-able value: arrays and tuples as lists, numpy scalars as Python scalars."""
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, tuple):
        return [plain_value(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


class Result:
    """``to_dict`` (JSON-able) and ``to_frame`` for the frozen result dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-able values (arrays and tuples as lists)."""
        return {f.name: plain_value(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def to_frame(self) -> pd.DataFrame:
        """One row; a result with per-arm or batched fields gives one row per element."""
        d = self.to_dict()
        if any(isinstance(v, list) for v in d.values()):
            return pd.DataFrame(d)
        return pd.DataFrame([d])


def results_frame(results: Iterable[Result]) -> pd.DataFrame:
    """Stack results (e.g. several :class:`MetricResult`) into one tidy frame."""
    frames = [r.to_frame() for r in results]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
