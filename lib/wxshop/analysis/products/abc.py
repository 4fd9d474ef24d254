"""ABC classes of items by cumulative share of a value (GMV by default) and their summary.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wxshop.analysis.paid import require_columns
from wxshop.analysis.products.keys import TOL, check_share, str_array

__all__ = ["ABC_CLASSES", "abc_classes", "abc_summary"]

ABC_CLASSES: tuple[str, ...] = ("A", "B", "C", "unknown")  # unknown = value missing


def abc_classes(table: pd.DataFrame, value: str = "gmv", a: float = 0.8, b: float = 0.95) -> pd.DataFrame:
    """ABC (Pareto) classes by ``value`` (e.g. ``"gmv"`` or ``"gross_profit"``).

    Items are sorted by ``value``, largest first (ties keep the order of ``table``).
    share = value / the sum of the positive values; cum_share = the running sum of share,
    including the item. Convention: an item is **A while the cumulative share before it is
    < a** (so the item that crosses ``a`` is still A), B while the share before it is < b,
    C otherwise. Items with value ≤ 0 (e.g. a loss) are C with share ≤ 0 and add nothing
    to cum_share; items with a missing value (e.g. gross profit without costs) come last,
    class ``"unknown"`` and NaN shares.

    Parameters
    ----------
    table : any table with ``value`` (e.g. from :func:`product_table`).
    value : column to rank by (CNY).
    a, b : cumulative share edges, 0 < a ≤ b ≤ 1.

    Returns
    -------
    ``table`` sorted with: rank (int, 1 = largest), share (0–1), cum_share (0–1),
    abc_class (code in :data:`ABC_CLASSES`).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"sku_id": ["s1", "s2", "s3", "s4"], "gmv": [700.0, 200.0, 60.0, None]})
    >>> print(abc_classes(table).round(2).to_string(index=False))  # A: starts below 80 %
    sku_id   gmv  rank  share  cum_share abc_class
        s1 700.0     1   0.73       0.73         A
        s2 200.0     2   0.21       0.94         A
        s3  60.0     3   0.06       1.00         B
        s4   NaN     4    NaN        NaN   unknown
    """
    require_columns(table, (value,), "abc_classes")
    a = check_share("a", a, closed_low=False)
    b = check_share("b", b, closed_low=False)
    if a > b:
        raise ValueError(f"a ({a}) must not exceed b ({b})")
    v = pd.to_numeric(table[value]).to_numpy(np.float64)
    order = np.lexsort((np.arange(v.size), -np.nan_to_num(v, nan=0.0), np.isnan(v)))
    out = table.iloc[order].reset_index(drop=True)
    v = v[order]
    pos = v > 0
    total = v[pos].sum()
    share = v / total if total > 0 else np.full(v.size, np.nan)
    cum = np.cumsum(np.where(pos, share, 0.0))
    before = cum - np.where(pos, share, 0.0)
    cls = np.where(pos & (before < a - TOL), "A", np.where(pos & (before < b - TOL), "B", "C"))
    missing = np.isnan(v)
    cls = np.where(missing, "unknown", cls)
    out["rank"] = np.arange(1, v.size + 1, dtype=np.int64)
    out["share"] = np.where(missing, np.nan, share)
    out["cum_share"] = np.where(missing | (total <= 0), np.nan, cum)
    out["abc_class"] = str_array(cls)
    return out


def abc_summary(classes: pd.DataFrame, value: str = "gmv") -> pd.DataFrame:
    """Items and value per ABC class, all of :data:`ABC_CLASSES` in order.

    Parameters
    ----------
    classes : abc_class and ``value`` (from :func:`abc_classes`).

    Returns
    -------
    abc_class, items (int), item_share (0–1), value (sum of ``value``, CNY), value_share
    (share of the total of the positive values, 0–1; NaN for ``unknown``).

    Examples
    --------
    >>> import pandas as pd
    >>> classes = pd.DataFrame({"abc_class": ["A", "B", "C", "unknown"], "gmv": [700.0, 200.0, 60.0, None]})
    >>> print(abc_summary(classes).round(2).to_string(index=False))
    abc_class  items  item_share  value  value_share
            A      1        0.25  700.0         0.73
            B      1        0.25  200.0         0.21
            C      1        0.25   60.0         0.06
      unknown      1        0.25    NaN          NaN
    """
    require_columns(classes, ("abc_class", value), "abc_summary")
    cls = classes["abc_class"].astype("str")
    v = pd.to_numeric(classes[value])
    items = cls.value_counts().reindex(list(ABC_CLASSES), fill_value=0).astype(np.int64)
    sums = v.groupby(cls).sum().reindex(list(ABC_CLASSES), fill_value=0.0).astype(np.float64)
    total = float(v[v > 0].sum())
    n = int(items.sum())
    unknown = np.asarray(ABC_CLASSES) == "unknown"
    value_share = np.where(unknown, np.nan, sums.to_numpy(np.float64) / total if total > 0 else np.nan)
    sums = sums.where(~unknown)
    return pd.DataFrame(
        {
            "abc_class": str_array(ABC_CLASSES),
            "items": items.to_numpy(),
            "item_share": (items / n).to_numpy(np.float64) if n else np.nan,
            "value": sums.round(2).to_numpy(),
            "value_share": value_share,
        }
    )
