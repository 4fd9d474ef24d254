"""Item keys and levels of the product analyses (an item is a SKU or a category), their column
names, and the small checks and array helpers every products module shares.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from wxshop.analysis.paid import UNKNOWN
from wxshop.data.schema import SKU_ID

__all__ = [
    "NAME", "CATEGORY", "UNIT_COST", "GROUP", "Level", "LEVELS", "UNKNOWN_CATEGORY", "TOL",
    "check_level", "key_columns", "check_share", "run_starts", "str_array", "ItemGroups", "item_groups",
]

NAME = "name"
CATEGORY = "category"
UNIT_COST = "unit_cost"
GROUP = "group"  # key column of km_curves / reminder_days (what wxshop.report.plots.km_curves reads)

Level = Literal["sku", "category"]
LEVELS: tuple[str, ...] = ("sku", "category")
UNKNOWN_CATEGORY = UNKNOWN  # category of lines whose SKU is not in products
TOL = 1e-12  # survival values are products of many factors; compare with a little slack


def check_level(level: str) -> str:
    """``level`` when it is one of :data:`LEVELS`; ValueError otherwise."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return level


def key_columns(level: str) -> list[str]:
    """Key columns of an item: sku_id, name, category (sku level) or category."""
    return [SKU_ID, NAME, CATEGORY] if level == "sku" else [CATEGORY]


def check_share(name: str, value: float, closed_low: bool = True) -> float:
    """``value`` as a float when it is a share in [0, 1] (or (0, 1]); ValueError naming ``name``."""
    v = float(value)
    ok = (0 <= v <= 1) if closed_low else (0 < v <= 1)
    if not ok:
        raise ValueError(f"{name} must be a share in {'[' if closed_low else '('}0, 1], got {value!r}")
    return v


def _first_index(code: np.ndarray, n_codes: int) -> np.ndarray:
    """Row index of the first row of every code 0 .. n_codes - 1 (codes -1 ignored)."""
    first = np.full(n_codes, code.size, np.int64)
    ok = code >= 0
    np.minimum.at(first, code[ok], np.flatnonzero(ok))
    return first


def run_starts(sorted_values: np.ndarray) -> np.ndarray:
    """Start positions of the runs of equal values in a sorted array."""
    if sorted_values.size == 0:
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.concatenate([[True], sorted_values[1:] != sorted_values[:-1]]))


def str_array(values: Any) -> pd.api.extensions.ExtensionArray:
    """Values as a pandas ``str`` array (missing values stay missing)."""
    return pd.array(np.asarray(values, dtype=object), dtype="str")


@dataclass(frozen=True)
class ItemGroups:
    """Items of a level: a code per line (-1 = no key) and one key row per code."""

    code: np.ndarray
    keys: pd.DataFrame  # key columns as str, one row per code, sorted by key

    @property
    def n(self) -> int:
        return len(self.keys)


def item_groups(lines: pd.DataFrame, level: str) -> ItemGroups:
    """The items of ``level`` in ``lines``: a code per line and their key rows, sorted by key."""
    key = SKU_ID if level == "sku" else CATEGORY
    code, uniques = pd.factorize(lines[key], sort=True)
    code = code.astype(np.int64)
    keys = pd.DataFrame({key: str_array(uniques)})
    if level == "sku":
        first = _first_index(code, len(uniques))
        for col in (NAME, CATEGORY):
            keys[col] = str_array(lines[col].iloc[first].to_numpy(dtype=object))
    return ItemGroups(code, keys[key_columns(level)])
