"""Product roles (复购款 repeat, 引流款 traffic, 利润款 profit, 长尾 tail) and their thresholds.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from wxshop.analysis.paid import require_columns
from wxshop.analysis.products.cycles import item_cycle
from wxshop.analysis.products.keys import check_share, str_array

__all__ = ["ROLES", "RoleThresholds", "rule_number", "assign_roles"]

# In order of precedence: the first role whose rule holds wins.
ROLES: tuple[str, ...] = ("repeat", "traffic", "profit", "tail")  # 复购款, 引流款, 利润款, 长尾


@dataclass(frozen=True)
class RoleThresholds:
    """Thresholds of the product roles (playbook defaults).

    high_margin : gross margin ≥ this is high (share 0–1).
    low_margin : gross margin < this is low (share 0–1).
    short_cycle_days : repurchase cycle ≤ this many days is short.
    high_repurchase_rate : repurchase_rate ≥ this is high (share 0–1).
    top_buyers_share : "many buyers" = the top this share of items by buyers (0–1).
    """

    high_margin: float = 0.60
    low_margin: float = 0.45
    short_cycle_days: float = 30.0
    high_repurchase_rate: float = 0.30
    top_buyers_share: float = 0.20

    def __post_init__(self) -> None:
        for name in ("high_margin", "low_margin", "high_repurchase_rate", "top_buyers_share"):
            check_share(name, getattr(self, name))
        if self.low_margin > self.high_margin:
            raise ValueError(
                f"low_margin ({self.low_margin}) must not exceed high_margin ({self.high_margin})"
            )
        if not self.short_cycle_days > 0:
            raise ValueError(f"short_cycle_days must be > 0, got {self.short_cycle_days!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> RoleThresholds:
        """From a dict (e.g. a params YAML section); unknown keys are an error."""
        names = {f.name for f in fields(cls)}
        unknown = set(values) - names
        if unknown:
            raise ValueError(f"unknown role threshold(s) {sorted(unknown)}; known: {sorted(names)}")
        return cls(**{k: float(v) for k, v in values.items()})

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def rule_number(x: float) -> str:
    """Threshold as text for rule codes: 0.3 → "0.30", 30.0 → "30", 0.125 → "0.125".

    Examples
    --------
    >>> rule_number(0.3), rule_number(30.0), rule_number(0.125)
    ('0.30', '30', '0.125')
    """
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}" if round(x, 2) == x else f"{x:g}"


def assign_roles(
    table: pd.DataFrame,
    cycles: pd.DataFrame | None,
    thresholds: RoleThresholds | Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Product roles: repeat (复购款), traffic (引流款), profit (利润款), tail (长尾).

    Rules (thresholds from :class:`RoleThresholds`, edges as written):

    - repeat: cycle_days ≤ short_cycle_days and repurchase_rate ≥ high_repurchase_rate;
    - traffic: gross_margin < low_margin and many_buyers (the item is in the top
      ``top_buyers_share`` of items by buyers: fewer than ``top_buyers_share × items``
      items have strictly more buyers, so ties at the edge are all in);
    - profit: gross_margin ≥ high_margin;
    - tail: none of these.

    Precedence when several hold: repeat > traffic > profit > tail. traffic and profit
    cannot both hold (low_margin ≤ high_margin); repeat wins because it rests on observed
    behaviour and decides how the item is run (reminders on its cycle) whatever its margin.
    The booleans is_repeat, is_traffic and is_profit show every rule that held.

    cycle_days is the KM median of ``cycles``, the naive median when the KM median is not
    reached (cycle_source says which). When gross_margin is unknown (costs missing),
    traffic and profit cannot fire: such an item is repeat or ``tail:margin_unknown``.

    Parameters
    ----------
    table : from :func:`product_table`: the key (sku_id or category), buyers,
        gross_margin, repurchase_rate; other columns are kept (e.g. gmv for the quadrant
        chart).
    cycles : from :func:`repurchase_cycles` at the same level, or at category level (then
        every SKU takes its category's cycle); None = no cycles (repeat cannot fire).
    thresholds : :class:`RoleThresholds` or a dict of its fields; None = defaults.

    Returns
    -------
    ``table`` in its order with: cycle_days (days), cycle_source (code in
    :data:`CYCLE_SOURCES`), margin_known, many_buyers, is_repeat, is_traffic, is_profit
    (bool), role (code in :data:`ROLES`) and role_rule (the rule that fired, e.g.
    ``"repeat:cycle<=30&rate>=0.30"``, ``"traffic:margin<0.45&buyers_top20pct"``,
    ``"profit:margin>=0.60"``, ``"tail:no_rule"``, ``"tail:margin_unknown"``).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["o1", "o2", "o3", "o4", "o5"],
    ...     "customer_id": ["a", "a", "b", "b", "c"],
    ...     "ordered_at": pd.to_datetime(["2025-01-05", "2025-01-25", "2025-01-10", "2025-02-09",
    ...                                   "2025-02-01"]),
    ... })
    >>> order_items = pd.DataFrame({
    ...     "order_id": ["o1", "o1", "o2", "o3", "o3", "o4", "o5"],
    ...     "sku_id": ["tea", "cup", "tea", "tea", "cup", "tea", "cup"],
    ...     "quantity": [2, 1, 1, 1, 1, 2, 1],
    ...     "unit_price": [30.0, 80.0, 30.0, 30.0, 80.0, 30.0, 80.0],
    ... })
    >>> products = pd.DataFrame({"sku_id": ["tea", "cup"], "name": ["绿茶", "茶杯"],
    ...                          "category": ["食品饮料", "数码配件"], "unit_cost": [10.0, 20.0]})
    >>> from wxshop.analysis.products.lines import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> from wxshop.analysis.products.table import product_table
    >>> from wxshop.analysis.products.cycles import repurchase_cycles
    >>> table = product_table(lines, "sku")
    >>> cycles = repurchase_cycles(lines, "2025-02-28", "sku")
    >>> roles = assign_roles(table, cycles)
    >>> cols = ["sku_id", "gross_margin", "cycle_days", "role", "role_rule"]
    >>> print(roles[cols].round(2).to_string(index=False))
    sku_id  gross_margin  cycle_days   role                   role_rule
       cup          0.75         NaN profit         profit:margin>=0.60
       tea          0.67        30.0 repeat repeat:cycle<=30&rate>=0.30
    """
    require_columns(table, ("buyers", "gross_margin", "repurchase_rate"), "assign_roles")
    if thresholds is None:
        th = RoleThresholds()
    elif isinstance(thresholds, RoleThresholds):
        th = thresholds
    else:
        th = RoleThresholds.from_mapping(thresholds)
    n = len(table)
    cycle_days, source = item_cycle(table, cycles, "assign_roles")
    margin = pd.to_numeric(table["gross_margin"]).to_numpy(np.float64)
    rate = pd.to_numeric(table["repurchase_rate"]).to_numpy(np.float64)
    buyers = pd.to_numeric(table["buyers"]).to_numpy(np.float64)
    known = ~np.isnan(margin)
    more = pd.Series(buyers).rank(method="min", ascending=False).to_numpy() - 1
    many = (more < th.top_buyers_share * n) & (buyers > 0)
    with np.errstate(invalid="ignore"):
        is_repeat = (cycle_days <= th.short_cycle_days) & (rate >= th.high_repurchase_rate)
        is_traffic = known & (margin < th.low_margin) & many
        is_profit = known & (margin >= th.high_margin)
    rules = {
        "repeat": f"repeat:cycle<={rule_number(th.short_cycle_days)}"
        f"&rate>={rule_number(th.high_repurchase_rate)}",
        "traffic": f"traffic:margin<{rule_number(th.low_margin)}"
        f"&buyers_top{rule_number(round(100 * th.top_buyers_share, 6))}pct",
        "profit": f"profit:margin>={rule_number(th.high_margin)}",
    }
    tail = np.where(known, "tail:no_rule", "tail:margin_unknown")
    role = np.select([is_repeat, is_traffic, is_profit], ["repeat", "traffic", "profit"], "tail")
    rule = np.select([is_repeat, is_traffic, is_profit],
                     [rules["repeat"], rules["traffic"], rules["profit"]], tail)
    out = table.copy()
    out["cycle_days"] = cycle_days
    out["cycle_source"] = str_array(source)
    out["margin_known"] = known
    out["many_buyers"] = many
    out["is_repeat"] = is_repeat
    out["is_traffic"] = is_traffic
    out["is_profit"] = is_profit
    out["role"] = str_array(role)
    out["role_rule"] = str_array(rule)
    return out
