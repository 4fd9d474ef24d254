"""Figures as a report table shows them: the one place a view turns numbers into text."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wxshop.report.document import format_value

__all__ = ["formatted"]


def formatted(df: pd.DataFrame, formats: Mapping[str, str], lang: str = "zh") -> pd.DataFrame:
    """A copy of ``df`` with the ``formats`` columns as display text.

    ``formats`` maps a column to a :func:`~wxshop.report.document.format_value` kind:
    ``"int"`` (1,234), ``"cny"`` (¥1,234.50), ``"share"`` (0-1 shown as 12.5%),
    ``"float"`` (1.23) or ``"text"``; missing values show as ``—``. Other columns are kept.

    Examples
    --------
    >>> df = pd.DataFrame({"gmv": [1234.5, None], "share": [0.125, 1.0], "n": [3, 4]})
    >>> print(formatted(df, {"gmv": "cny", "share": "share"}).to_string())
             gmv   share  n
    0  ¥1,234.50   12.5%  3
    1          —  100.0%  4
    """
    shown = df.copy()
    for col, kind in formats.items():
        shown[col] = [format_value(v, kind, lang) for v in shown[col].tolist()]
    return shown
