"""The product-selection report's tables: one row per SKU and one per category, with sales,
margin, repurchase cycle, role, ABC class, channel fit and reminder day side by side.

This module only assembles what :mod:`wxshop.analysis.products` computes; conventions (paid orders,
item-line GMV before order discounts, purchase days, censoring at ``period_end``) are
those of that module. The same analysis window applies to every figure: item lines from
:func:`window_lines`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wxshop.analysis import products as pr
from wxshop.analysis.paid import DateLike, period_end_day, require_columns
from wxshop.data.schema import ORDERED_AT, SKU_ID

__all__ = [
    "SelectionOptions", "category_table", "headline", "item_tables", "labelled", "sku_table", "window_lines",
]

CYCLE_COLUMNS = (
    "purchases", "observed_gaps", "censored", "naive_median_days", "km_median_days",
    "km_median_reached", "repurchase_7d", "repurchase_30d", "repurchase_90d", "eventual_share",
)


@dataclass(frozen=True)
class SelectionOptions:
    """Every threshold of the product-selection tables (the notebook's parameters).

    roles : :class:`wxshop.analysis.products.RoleThresholds` fields (empty = playbook defaults).
    channel_rules : rules in the format of :data:`wxshop.analysis.products.CHANNEL_RULES` (empty =
        the playbook's table).
    abc_a, abc_b : cumulative-share edges of the A and B classes (0–1).
    reminder_share : share of eventual repurchasers who have bought again on the reminder
        day (0–1).
    reminder_min_day : earliest reminder day (days after purchase).
    min_repurchases : fewer observed repurchases than this give no reminder day.
    """

    roles: Mapping[str, Any] = field(default_factory=dict)
    channel_rules: Sequence[Mapping[str, Any]] = ()
    abc_a: float = 0.8
    abc_b: float = 0.95
    reminder_share: float = 0.5
    reminder_min_day: int = 1
    min_repurchases: int = 30

    def __post_init__(self) -> None:  # bad parameters fail here, before any work
        self.thresholds  # noqa: B018
        pr.check_rules(self.rules)
        if not 0 < self.abc_a <= self.abc_b <= 1:
            raise ValueError(f"need 0 < abc_a ≤ abc_b ≤ 1, got abc_a={self.abc_a}, abc_b={self.abc_b}")

    @property
    def thresholds(self) -> pr.RoleThresholds:
        return pr.RoleThresholds.from_mapping(self.roles or {})

    @property
    def rules(self) -> Sequence[Mapping[str, Any]]:
        return self.channel_rules or pr.CHANNEL_RULES

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["roles"] = self.thresholds.to_dict()
        out["channel_rules"] = [dict(r) for r in self.rules]
        return out


def window_lines(lines: pd.DataFrame, period_end: DateLike, days: int) -> pd.DataFrame:
    """Rows of ``lines`` (item lines, or orders: any frame with ordered_at) in the ``days``
    calendar days ending with ``period_end`` (inclusive).

    ``days`` ≤ 0 keeps every row up to the end of ``period_end``.

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
    >>> from wxshop.analysis.products import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> window_lines(lines, "2025-02-28", 30)["order_id"].tolist()
    ['o4', 'o5']
    """
    require_columns(lines, (ORDERED_AT,), "window_lines")
    end = period_end_day(period_end) + 1
    at = pd.to_datetime(lines[ORDERED_AT]).to_numpy("datetime64[ns]")
    keep = at < np.datetime64(end, "D")
    if days > 0:
        keep &= at >= np.datetime64(end - int(days), "D")
    if keep.all():  # no copy of millions of lines when the window holds them all
        return lines.reset_index(drop=True)
    return lines.loc[keep].reset_index(drop=True)


def _with_cycles(table: pd.DataFrame, cycles: pd.DataFrame, key: str) -> pd.DataFrame:
    return table.merge(cycles[[key, *CYCLE_COLUMNS]], on=key, how="left", validate="one_to_one")


def _reminders(lines: pd.DataFrame, period_end: DateLike, level: str, opts: SelectionOptions) -> pd.DataFrame:
    curves = pr.km_curves(lines, period_end, level=level)
    days = pr.reminder_days(curves, share=opts.reminder_share, min_day=opts.reminder_min_day,
                            min_repurchases=opts.min_repurchases)
    key = SKU_ID if level == "sku" else pr.CATEGORY
    return days.rename(columns={pr.GROUP: key, "reason": "reminder_reason"})[
        [key, "reminder_day", "reminder_reason"]
    ]


def _abc(table: pd.DataFrame, key: str, opts: SelectionOptions) -> pd.DataFrame:
    by_gmv = pr.abc_classes(table[[key, "gmv"]], "gmv", a=opts.abc_a, b=opts.abc_b)
    out = by_gmv[[key, "abc_class", "cum_share"]].rename(columns={"cum_share": "gmv_cum_share"})
    by_profit = pr.abc_classes(table[[key, "gross_profit"]], "gross_profit", a=opts.abc_a, b=opts.abc_b)
    profit = by_profit[[key, "abc_class", "cum_share"]].rename(
        columns={"abc_class": "abc_class_profit", "cum_share": "profit_cum_share"})
    return out.merge(profit, on=key, validate="one_to_one")


def _item_table(lines: pd.DataFrame, period_end: DateLike, level: str, opts: SelectionOptions,
              category_cycles: pd.DataFrame) -> pd.DataFrame:
    key = SKU_ID if level == "sku" else pr.CATEGORY
    table = pr.product_table(lines, level=level)
    cycles = category_cycles if level == "category" else pr.repurchase_cycles(lines, period_end, level)
    table = _with_cycles(table, cycles, key)
    roles = pr.assign_roles(table, cycles, opts.thresholds)
    channels = pr.channel_fit(table, category_cycles, opts.rules)
    out = roles.assign(
        category_cycle_days=channels["cycle_days"].to_numpy(),
        channel_rule=channels["channel_rule"].to_numpy(),
        scenes=channels["scenes"].to_numpy(),
        primary_scene=channels["primary_scene"].to_numpy(),
    )
    out = out.merge(_abc(table, key, opts), on=key, how="left", validate="one_to_one")
    out = out.merge(_reminders(lines, period_end, level, opts), on=key, how="left", validate="one_to_one")
    for col in (key, "name", "category"):
        if col in out.columns:
            out[col] = out[col].astype("str")
    return out


def sku_table(lines: pd.DataFrame, period_end: DateLike,
              opts: SelectionOptions | None = None) -> pd.DataFrame:
    """One row per SKU sold, largest GMV first.

    Parameters
    ----------
    lines : item lines from :func:`wxshop.analysis.products.item_lines` (usually through
        :func:`window_lines`).
    period_end : last day of the window; open purchases are censored at its end.
    opts : thresholds; None = defaults.

    Returns
    -------
    The columns of :func:`wxshop.analysis.products.product_table` (sku_id, name, category, units,
    orders, buyers, gmv, cost, gross_profit, gross_margin, cost_complete, gmv_share,
    repeat_buyers, repurchase_rate), the SKU's own repurchase cycle (purchases,
    observed_gaps, censored, naive_median_days, km_median_days, km_median_reached,
    repurchase_7d/30d/90d, eventual_share), its role (cycle_days = the SKU's KM median,
    else naive median; cycle_source, role, role_rule and the rule booleans of
    :func:`wxshop.analysis.products.assign_roles`), channel fit on its category's cycle
    (category_cycle_days, channel_rule, scenes, primary_scene), ABC classes by GMV and by
    gross profit (abc_class, gmv_cum_share, abc_class_profit, profit_cum_share) and the
    SKU's own reminder day (reminder_day, days after purchase, missing with too few
    repurchases; reminder_reason).

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
    >>> from wxshop.analysis.products import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> skus = sku_table(lines, "2025-02-28")
    >>> print(skus[["sku_id", "gmv", "role", "abc_class", "primary_scene"]].to_string(index=False))
    sku_id   gmv   role abc_class primary_scene
       cup 240.0 profit         A       general
       tea 180.0 repeat         A       general
    """
    return _item_tables(lines, period_end, opts, ("sku",))[0]


def category_table(lines: pd.DataFrame, period_end: DateLike,
                   opts: SelectionOptions | None = None) -> pd.DataFrame:
    """One row per category, largest GMV first: the columns of :func:`sku_table` at
    category level (no sku_id or name; cycle_days and category_cycle_days are the same
    curve's median). reminder_day here is the day to schedule for the category.

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
    >>> from wxshop.analysis.products import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> cats = category_table(lines, "2025-02-28")
    >>> print(cats[["category", "gmv", "km_median_days", "role"]].to_string(index=False))
    category   gmv  km_median_days   role
        数码配件 240.0             NaN profit
        食品饮料 180.0            30.0 repeat
    """
    return _item_tables(lines, period_end, opts, ("category",))[0]


def item_tables(lines: pd.DataFrame, period_end: DateLike,
                opts: SelectionOptions | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`sku_table` and :func:`category_table` of the same lines, together: the category
    cycles and the purchase events behind both are worked out once (a report shows both)."""
    skus, categories = _item_tables(lines, period_end, opts, ("sku", "category"))
    return skus, categories


def _item_tables(lines: pd.DataFrame, period_end: DateLike, opts: SelectionOptions | None,
                 levels: tuple[str, ...]) -> list[pd.DataFrame]:
    """The tables of ``levels``, sharing the category cycles and the purchase events."""
    opts = opts or SelectionOptions()
    with pr.shared_events():
        category_cycles = pr.repurchase_cycles(lines, period_end, "category")
        return [_item_table(lines, period_end, level, opts, category_cycles) for level in levels]


def headline(skus: pd.DataFrame) -> dict[str, Any]:
    """The report's headline figures from :func:`sku_table`.

    Returns
    -------
    skus (SKUs sold), categories (of the products table; SKUs missing from it, category
    ``"—"``, are not a category), item_gmv (CNY, item lines before order discounts),
    gross_profit (CNY, over SKUs with complete costs), gross_margin (gross_profit ÷ the GMV
    of those SKUs; NaN when no SKU has costs), cost_coverage (GMV share of SKUs with
    complete costs, 0–1), a_skus (SKUs in ABC class A by GMV), a_gmv_share (their GMV
    share), repeat_skus, traffic_skus, profit_skus, tail_skus (SKUs per role).

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
    >>> from wxshop.analysis.products import item_lines
    >>> lines = item_lines(orders, order_items, products, "2025-02-28")
    >>> h = headline(sku_table(lines, "2025-02-28"))
    >>> h["skus"], h["item_gmv"], h["gross_profit"], h["repeat_skus"], h["profit_skus"]
    (2, 420.0, 300.0, 1, 1)
    """
    require_columns(
        skus, ("category", "gmv", "gross_profit", "cost_complete", "abc_class", "role"), "headline"
    )
    gmv = float(skus["gmv"].sum())
    known = skus["cost_complete"].to_numpy(bool)
    known_gmv = float(skus.loc[known, "gmv"].sum())
    profit = float(skus.loc[known, "gross_profit"].sum())
    a = skus["abc_class"].astype("str") == "A"
    roles = skus["role"].astype("str").value_counts()
    out: dict[str, Any] = {
        "skus": int(len(skus)),
        "categories": int(skus["category"].astype("str").loc[lambda c: c != pr.UNKNOWN_CATEGORY].nunique()),
        "item_gmv": round(gmv, 2),
        "gross_profit": round(profit, 2) if known.any() else float("nan"),
        "gross_margin": profit / known_gmv if known_gmv > 0 else float("nan"),
        "cost_coverage": known_gmv / gmv if gmv > 0 else float("nan"),
        "a_skus": int(a.sum()),
        "a_gmv_share": float(skus.loc[a, "gmv"].sum()) / gmv if gmv > 0 else float("nan"),
    }
    for role in pr.ROLES:
        out[f"{role}_skus"] = int(roles.get(role, 0))
    return out


def _rule_text(code: str, tr: Any, th: pr.RoleThresholds) -> str:
    role, _, which = code.partition(":")
    if role == "tail":
        return tr(f"rule.tail_{which}")
    return tr(f"rule.{role}", cycle=pr.rule_number(th.short_cycle_days), rate=th.high_repurchase_rate,
              low=th.low_margin, top=th.top_buyers_share, high=th.high_margin)


def labelled(table: pd.DataFrame, tr: Any, opts: SelectionOptions | None = None) -> pd.DataFrame:
    """``table`` (from :func:`sku_table` or :func:`category_table`) with its codes as text
    in the report's language: role, role_rule, scenes, channel_rule, reminder_reason and
    the ABC classes. ``tr`` is a :class:`wxshop.report.i18n.Translator`."""
    opts = opts or SelectionOptions()
    th = opts.thresholds
    known_rules = {r["rule"] for r in pr.CHANNEL_RULES} | {"none"}
    sep = "、" if tr.lang == "zh" else ", "
    out = table.copy()
    mapping = {
        "role": lambda c: tr(f"role.{c}"),
        "role_rule": lambda c: _rule_text(c, tr, th),
        "scenes": lambda c: sep.join(tr(f"scene.{s}") for s in c.split("+") if s),
        "channel_rule": lambda c: tr(f"channel_rule.{c}") if c in known_rules
        else tr("channel_rule.custom", rule=c),
        "reminder_reason": lambda c: tr(f"reminder.{c}"),
        "abc_class": lambda c: tr(f"abc.{c}"),
        "abc_class_profit": lambda c: tr(f"abc.{c}"),
    }
    for col, fn in mapping.items():
        if col in out.columns:
            values = out[col].astype("str")
            found = values.dropna().unique()  # a handful of codes: translate each once
            out[col] = values.map({c: fn(c) for c in found})
    return out
