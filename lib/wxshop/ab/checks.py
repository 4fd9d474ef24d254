"""Checks of setting values: a real number, a whole number (``bool`` is neither), a finite value."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["is_finite", "is_number", "is_whole_number"]


def is_number(v: Any) -> bool:
    """True for an int or float (numpy ones too), False for bool and anything else.

    Examples
    --------
    >>> is_number(0.05), is_number(3), is_number(True), is_number("1")
    (True, True, False, False)
    """
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool | np.bool_)


def is_whole_number(v: Any) -> bool:
    """True for an int (numpy ones too), False for bool, float and anything else.

    Examples
    --------
    >>> is_whole_number(30), is_whole_number(30.0), is_whole_number(False)
    (True, False, False)
    """
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def is_finite(value: Any) -> bool:
    """True when ``value`` converts to a finite float (None, text, NaN and inf are not).

    Examples
    --------
    >>> is_finite(3), is_finite("2.5"), is_finite(None), is_finite(float("nan"))
    (True, True, False, False)
    """
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
