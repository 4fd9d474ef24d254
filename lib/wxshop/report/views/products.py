"""What the ``02_product_selection`` report shows: its KPI list, tables and rule sentences.

Each ``*_view`` takes a frame from :mod:`wxshop.analysis.selection`,
:mod:`wxshop.analysis.products` or :mod:`wxshop.analysis.baskets` and returns the columns the
report shows, codes in the report's language (:func:`wxshop.analysis.selection.labelled`) and
figures formatted (money in CNY, shares 0-1 as %, days as 1.23), under canonical column
names; show it with ``report.table(view, LABELS)``. The JSON records the unformatted frames.
"""

from __future__ import annotations

import pandas as pd

from wxshop.analysis import products as pr
from wxshop.analysis.selection import SelectionOptions, labelled
from wxshop.report.i18n import Translator
from wxshop.report.views.display import formatted

__all__ = [
    "KPIS", "LABELS", "abc_profit_text", "abc_view", "bundles_view", "channels_view", "cycle_view",
    "discounts_view", "reminders_record", "reminders_view", "role_labels", "roles_rule", "roles_view",
    "summary_view", "window_first_day",
]

# The headline table: (figure of selection.headline, format kind), in the order shown.
KPIS: list[tuple[str, str]] = [
    ("skus", "int"), ("categories", "int"), ("item_gmv", "cny"), ("gross_profit", "cny"),
    ("gross_margin", "share"), ("cost_coverage", "share"), ("a_skus", "int"),
    ("a_gmv_share", "share"), ("repeat_skus", "int"),
]

# Column → i18n key of its header, for every view below.
LABELS: dict[str, str] = {
    "category": "col.category", "gmv": "col.gmv", "gmv_share": "col.gmv_share",
    "gross_margin": "col.gross_margin", "buyers": "col.buyers", "repurchase_rate": "col.repurchase_rate",
    "role": "col.role", "scenes": "col.scenes",
    "purchases": "col.purchases", "censored": "col.censored", "naive_median_days": "col.naive_median",
    "km_median_days": "col.km_median", "repurchase_7d": "col.repurchase_7d",
    "repurchase_30d": "col.repurchase_30d", "repurchase_90d": "col.repurchase_90d",
    "eventual_share": "col.eventual_share",
    "sku_id": "col.sku", "name": "col.name", "cycle_days": "col.cycle_days", "role_rule": "col.rule",
    "abc_class": "col.abc", "items": "col.items", "item_share": "col.item_share", "value": "col.gmv",
    "value_share": "col.value_share",
    "category_cycle_days": "col.cycle_days", "channel_rule": "col.channel_rule",
    "reminder_day": "col.reminder_day", "observed_gaps": "col.repurchases", "reminder_reason": "col.note",
    "name_a": "col.item_a", "name_b": "col.item_b", "sku_id_a": "col.item_a", "sku_id_b": "col.item_b",
    "orders_together": "col.orders_together", "support": "col.support",
    "confidence_a_to_b": "col.confidence_ab", "confidence_b_to_a": "col.confidence_ba", "lift": "col.lift",
    "extra_orders": "col.extra_orders",
    "gross_sales": "col.gross_sales", "avg_discount_depth": "col.discount_depth", "flag": "col.flag",
}


def window_first_day(orders: pd.DataFrame, end: pd.Timestamp, window_days: int) -> pd.Timestamp:
    """First day of the analysis window: ``window_days`` calendar days ending with the day
    ``end`` (:func:`wxshop.analysis.overview.resolve_period_end`), or the first order's time
    (``ordered_at``) when ``window_days`` is 0.

    Examples
    --------
    >>> orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2026-01-05 10:00"])})
    >>> window_first_day(orders, pd.Timestamp("2026-01-31"), 7).date().isoformat()
    '2026-01-25'
    >>> str(window_first_day(orders, pd.Timestamp("2026-01-31"), 0))
    '2026-01-05 10:00:00'
    """
    return (end - pd.Timedelta(days=window_days - 1)) if window_days > 0 else orders["ordered_at"].min()


def summary_view(categories: pd.DataFrame, tr: Translator, opts: SelectionOptions) -> pd.DataFrame:
    """The category summary: GMV (CNY) and its share (%), gross margin (%), buyers,
    repurchase rate (%), role and sales scenes, in the report's language.

    ``categories`` is :func:`wxshop.analysis.selection.category_table`'s frame.

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "gmv": [500.0], "gmv_share": [1.0],
    ...                      "gross_margin": [0.6], "buyers": [4], "repurchase_rate": [0.5],
    ...                      "role": ["repeat"], "scenes": ["moments_showcase+referral"]})
    >>> v = summary_view(cats, Translator("en"), SelectionOptions())
    >>> print(v[["category", "gmv", "gmv_share", "gross_margin", "buyers", "role"]].to_string())
      category      gmv gmv_share gross_margin buyers           role
    0        茶  ¥500.00    100.0%        60.0%      4  Repeat driver
    """
    shown = labelled(categories, tr, opts)
    shown = shown[["category", "gmv", "gmv_share", "gross_margin", "buyers", "repurchase_rate", "role",
                   "scenes"]]
    return formatted(shown, {"gmv": "cny", "gmv_share": "share", "gross_margin": "share", "buyers": "int",
                             "repurchase_rate": "share"}, tr.lang)


def cycle_view(categories: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """The repurchase-cycle table per category: purchases, censored (not yet followed),
    naive and Kaplan-Meier median gaps (days), repurchase within 7/30/90 days and eventual
    repurchase share (%).

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "purchases": [10], "censored": [4],
    ...                      "naive_median_days": [20.0], "km_median_days": [28.5],
    ...                      "repurchase_7d": [0.1], "repurchase_30d": [0.4],
    ...                      "repurchase_90d": [0.55], "eventual_share": [0.6]})
    >>> v = cycle_view(cats, Translator("en"))
    >>> print(v[["category", "km_median_days", "repurchase_30d"]].to_string())
      category km_median_days repurchase_30d
    0        茶          28.50          40.0%
    """
    shown = categories[["category", "purchases", "censored", "naive_median_days", "km_median_days",
                        "repurchase_7d", "repurchase_30d", "repurchase_90d", "eventual_share"]]
    return formatted(shown, {"purchases": "int", "censored": "int", "naive_median_days": "float",
                             "km_median_days": "float", "repurchase_7d": "share", "repurchase_30d": "share",
                             "repurchase_90d": "share", "eventual_share": "share"}, tr.lang)


def role_labels(tr: Translator) -> dict[str, str]:
    """Product role code → its name in the report's language.

    Examples
    --------
    >>> role_labels(Translator("zh"))["traffic"]
    '引流款'
    """
    return {code: tr(f"role.{code}") for code in pr.ROLES}


def roles_rule(thresholds: pr.RoleThresholds, tr: Translator) -> str:
    """The sentence stating the role rules with their thresholds (days, shares).

    Examples
    --------
    >>> th = SelectionOptions().thresholds
    >>> roles_rule(th, Translator("en")) == Translator("en")(
    ...     "products.roles_rule", cycle=pr.rule_number(th.short_cycle_days),
    ...     rate=th.high_repurchase_rate, low=th.low_margin, top=th.top_buyers_share,
    ...     high=th.high_margin)
    True
    """
    th = thresholds
    return tr("products.roles_rule", cycle=pr.rule_number(th.short_cycle_days), rate=th.high_repurchase_rate,
              low=th.low_margin, top=th.top_buyers_share, high=th.high_margin)


def roles_view(skus: pd.DataFrame, tr: Translator, opts: SelectionOptions, rows: int) -> pd.DataFrame:
    """The first ``rows`` products of the SKU table: GMV (CNY), gross margin (%), buyers,
    repurchase rate (%), cycle (days), role and the rule that gave it.

    ``skus`` is :func:`wxshop.analysis.selection.sku_table`'s frame (largest GMV first).

    Examples
    --------
    >>> skus = pd.DataFrame({"sku_id": ["s1", "s2"], "name": ["绿茶", "红茶"], "category": ["茶", "茶"],
    ...                      "gmv": [300.0, 200.0], "gross_margin": [0.7, 0.3], "buyers": [3, 2],
    ...                      "repurchase_rate": [0.5, 0.0], "cycle_days": [20.0, None],
    ...                      "role": ["repeat", "tail"], "role_rule": ["repeat", "tail"]})
    >>> v = roles_view(skus, Translator("en"), SelectionOptions(), rows=1)
    >>> print(v[["sku_id", "gmv", "gross_margin", "cycle_days", "role"]].to_string())
      sku_id      gmv gross_margin cycle_days           role
    0     s1  ¥300.00        70.0%      20.00  Repeat driver
    """
    top = labelled(skus.head(rows), tr, opts)
    shown = top[["sku_id", "name", "category", "gmv", "gross_margin", "buyers", "repurchase_rate",
                 "cycle_days", "role", "role_rule"]]
    return formatted(shown, {"gmv": "cny", "gross_margin": "share", "buyers": "int",
                             "repurchase_rate": "share", "cycle_days": "float"}, tr.lang)


def abc_view(abc: pd.DataFrame, tr: Translator, opts: SelectionOptions) -> pd.DataFrame:
    """An ABC summary: class, items and their share (%), value (CNY) and its share (%).

    ``abc`` is :func:`wxshop.analysis.products.abc_summary`'s frame.

    Examples
    --------
    >>> abc = pd.DataFrame({"abc_class": ["A"], "items": [2], "item_share": [0.4],
    ...                     "value": [800.0], "value_share": [0.8]})
    >>> print(abc_view(abc, Translator("en"), SelectionOptions()).drop(columns="abc_class").to_string())
      items item_share    value value_share
    0     2      40.0%  ¥800.00       80.0%
    """
    return formatted(labelled(abc, tr, opts), {"items": "int", "item_share": "share", "value": "cny",
                                               "value_share": "share"}, tr.lang)


def abc_profit_text(abc_profit: pd.DataFrame, tr: Translator) -> str:
    """The sentence on class A by gross profit: its items and their share of gross profit.

    Examples
    --------
    >>> abc = pd.DataFrame({"abc_class": ["A", "B"], "items": [2, 3], "value_share": [0.75, 0.25]})
    >>> abc_profit_text(abc, Translator("en")) == Translator("en")(
    ...     "products.abc_profit", a_items=2, a_share=0.75)
    True
    """
    a_row = abc_profit.loc[abc_profit["abc_class"] == "A"].iloc[0]
    return tr("products.abc_profit", a_items=int(a_row["items"]), a_share=float(a_row["value_share"]))


def channels_view(categories: pd.DataFrame, tr: Translator, opts: SelectionOptions) -> pd.DataFrame:
    """Channel fit per category: cycle (days), gross margin (%), the channel rule that
    matched and its sales scenes, in the report's language.

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "category_cycle_days": [25.0], "gross_margin": [0.6],
    ...                      "channel_rule": ["none"], "scenes": [""]})
    >>> print(channels_view(cats, Translator("en"), SelectionOptions())[
    ...     ["category", "category_cycle_days", "gross_margin"]].to_string())
      category category_cycle_days gross_margin
    0        茶               25.00        60.0%
    """
    shown = labelled(categories, tr, opts)
    shown = shown[["category", "category_cycle_days", "gross_margin", "channel_rule", "scenes"]]
    return formatted(shown, {"category_cycle_days": "float", "gross_margin": "share"}, tr.lang)


def reminders_view(categories: pd.DataFrame, tr: Translator, opts: SelectionOptions) -> pd.DataFrame:
    """The reminder schedule per category: reminder day (days after a purchase), Kaplan-Meier
    median gap (days), eventual repurchase share (%), repurchases observed, and why.

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "reminder_day": pd.array([21], dtype="Int64"),
    ...                      "km_median_days": [28.5], "eventual_share": [0.6], "observed_gaps": [40],
    ...                      "reminder_reason": ["ok"]})
    >>> v = reminders_view(cats, Translator("en"), SelectionOptions())
    >>> print(v.drop(columns="reminder_reason").to_string())
      category reminder_day km_median_days eventual_share observed_gaps
    0        茶           21          28.50          60.0%            40
    """
    schedule = labelled(categories, tr, opts).assign(
        reminder_day=categories["reminder_day"].astype("Float64").astype("float64"))
    shown = schedule[["category", "reminder_day", "km_median_days", "eventual_share", "observed_gaps",
                      "reminder_reason"]]
    return formatted(shown, {"reminder_day": "int", "km_median_days": "float", "eventual_share": "share",
                             "observed_gaps": "int"}, tr.lang)


def reminders_record(categories: pd.DataFrame) -> pd.DataFrame:
    """The reminder schedule as the JSON records it: category, reminder_day (days, codes as
    they are), reminder_reason (code), km_median_days (days), eventual_share (0-1).

    Examples
    --------
    >>> cats = pd.DataFrame({"category": ["茶"], "reminder_day": [21], "reminder_reason": ["km"],
    ...                      "km_median_days": [28.5], "eventual_share": [0.6], "buyers": [4]})
    >>> list(reminders_record(cats).columns)
    ['category', 'reminder_day', 'reminder_reason', 'km_median_days', 'eventual_share']
    """
    return categories[["category", "reminder_day", "reminder_reason", "km_median_days", "eventual_share"]]


def bundles_view(pairs: pd.DataFrame, tr: Translator) -> pd.DataFrame:
    """Product pairs bought together: item A and B (names, or SKU ids without a products
    table), orders together and beyond chance (the ranking), support and confidences (%),
    lift (ratio).

    ``pairs`` is :func:`wxshop.analysis.baskets.bundle_pairs`'s frame.

    Examples
    --------
    >>> pairs = pd.DataFrame({"sku_id_a": ["s1"], "sku_id_b": ["s2"], "orders_together": [6],
    ...                       "extra_orders": [3.6], "support": [0.05], "confidence_a_to_b": [0.4],
    ...                       "confidence_b_to_a": [0.3], "lift": [2.5]})
    >>> print(bundles_view(pairs, Translator("en")).to_string())
      sku_id_a sku_id_b orders_together extra_orders support confidence_a_to_b confidence_b_to_a  lift
    0       s1       s2               6         3.60    5.0%             40.0%             30.0%  2.50
    """
    name_a = "name_a" if "name_a" in pairs else "sku_id_a"
    name_b = "name_b" if "name_b" in pairs else "sku_id_b"
    shown = pairs[[name_a, name_b, "orders_together", "extra_orders", "support", "confidence_a_to_b",
                   "confidence_b_to_a", "lift"]]
    return formatted(shown, {"orders_together": "int", "extra_orders": "float", "support": "share",
                             "confidence_a_to_b": "share", "confidence_b_to_a": "share",
                             "lift": "float"}, tr.lang)


def discounts_view(flagged: pd.DataFrame, tr: Translator, rows: int) -> pd.DataFrame:
    """The first ``rows`` products by discount: gross sales (CNY), average discount depth (%),
    repurchase rate (%) and a flag on deep discounts with low repurchase.

    ``flagged`` is :func:`wxshop.analysis.baskets.discount_vs_repurchase`'s frame.

    Examples
    --------
    >>> f = pd.DataFrame({"sku_id": ["s1"], "name": ["绿茶"], "gross_sales": [300.0],
    ...                   "avg_discount_depth": [0.25], "repurchase_rate": [0.1],
    ...                   "deep_discount_low_return": [False]})
    >>> print(discounts_view(f, Translator("en"), rows=20).drop(columns="name").to_string())
      sku_id gross_sales avg_discount_depth repurchase_rate flag
    0     s1     ¥300.00              25.0%           10.0%
    """
    shown = flagged.head(rows).assign(
        flag=flagged["deep_discount_low_return"].head(rows).map(
            {True: tr("flag.deep_discount_low_return"), False: ""}))
    shown = shown[["sku_id", "name", "gross_sales", "avg_discount_depth", "repurchase_rate", "flag"]]
    return formatted(shown, {"gross_sales": "cny", "avg_discount_depth": "share", "repurchase_rate": "share"},
                     tr.lang)
