"""report.views.products: the product-selection tables from the sample store's real frames."""

import pandas as pd
import pytest

from conftest import SAMPLE
from wxshop.analysis import baskets, overview, selection
from wxshop.analysis import products as pr
from wxshop.data.load import load_store
from wxshop.report.i18n import STRINGS, Translator
from wxshop.report.views import products as view

EN = Translator("en")
OPTS = selection.SelectionOptions()


@pytest.fixture(scope="module")
def frames():
    data = load_store(SAMPLE, cache=False)
    end = overview.resolve_period_end(data.orders, "")
    orders = selection.window_lines(data.orders, end, 365)
    lines = pr.item_lines(orders, data.order_items, data.products, end)
    return {"data": data, "end": end, "orders": orders, "skus": selection.sku_table(lines, end, OPTS),
            "categories": selection.category_table(lines, end, OPTS)}


def test_category_views_keep_rows_and_show_their_columns(frames):
    cats = frames["categories"]
    for fn, columns in [
        (view.summary_view, ["category", "gmv", "gmv_share", "gross_margin", "buyers", "repurchase_rate",
                             "role", "scenes"]),
        (view.channels_view, ["category", "category_cycle_days", "gross_margin", "channel_rule", "scenes"]),
        (view.reminders_view, ["category", "reminder_day", "km_median_days", "eventual_share",
                               "observed_gaps", "reminder_reason"]),
    ]:
        got = fn(cats, EN, OPTS)
        assert list(got.columns) == columns and len(got) == len(cats)
        assert got["category"].tolist() == cats["category"].tolist()
    cycle = view.cycle_view(cats, EN)
    assert all(v == "—" or v.endswith("%") for v in cycle["repurchase_30d"])
    assert list(view.reminders_record(cats).columns) == [
        "category", "reminder_day", "reminder_reason", "km_median_days", "eventual_share"]


def test_roles_view_shows_the_first_rows(frames):
    skus = frames["skus"]
    got = view.roles_view(skus, EN, OPTS, rows=3)
    assert got["sku_id"].tolist() == skus["sku_id"].head(3).tolist()
    assert set(got["role"]) <= set(view.role_labels(EN).values())
    th = selection.SelectionOptions(roles={"short_cycle_days": 45}).thresholds
    assert pr.rule_number(45) in view.roles_rule(th, EN)


def test_abc_views(frames):
    skus = frames["skus"]
    abc = pr.abc_summary(pr.abc_classes(skus, "gmv"), "gmv")
    got = view.abc_view(abc, EN, OPTS)
    assert got["abc_class"].tolist() == [EN(f"abc.{c}") for c in abc["abc_class"]]
    assert all(v.startswith("¥") or v == "—" for v in got["value"])
    profit = pr.abc_summary(pr.abc_classes(skus, "gross_profit"), "gross_profit")
    a = profit.loc[profit["abc_class"] == "A"].iloc[0]
    assert view.abc_profit_text(profit, EN) == EN("products.abc_profit", a_items=int(a["items"]),
                                                  a_share=float(a["value_share"]))


def test_bundle_and_discount_views(frames):
    data, end = frames["data"], frames["end"]
    pairs = baskets.bundle_pairs(frames["orders"], data.order_items, data.products, top=5,
                                 period_end=end.date().isoformat())
    got = view.bundles_view(pairs, EN)
    assert list(got.columns[:2]) == ["name_a", "name_b"] and len(got) == len(pairs)
    no_names = pairs.drop(columns=["name_a", "name_b"])
    assert list(view.bundles_view(no_names, EN).columns[:2]) == ["sku_id_a", "sku_id_b"]
    flagged = pd.DataFrame({"sku_id": ["s1", "s2", "s3"], "name": ["a", "b", "c"],
                            "gross_sales": [3.0, 2.0, 1.0],
                            "avg_discount_depth": [0.3, 0.1, 0.2], "repurchase_rate": [0.0, 0.5, 0.1],
                            "deep_discount_low_return": [True, False, True]})
    shown = view.discounts_view(flagged, EN, rows=2)
    assert shown["flag"].tolist() == [EN("flag.deep_discount_low_return"), ""]


def test_window_first_day(frames):
    end = pd.Timestamp("2026-03-31")
    assert view.window_first_day(frames["orders"], end, 31) == pd.Timestamp("2026-03-01")
    assert view.window_first_day(frames["data"].orders, end, 0) == frames["data"].orders["ordered_at"].min()


@pytest.mark.parametrize("key", sorted({*view.LABELS.values(), *(f"kpi.{n}" for n, _ in view.KPIS)}))
def test_every_label_is_translated(key):
    assert key in STRINGS
