"""report.views.overview (and views.display): the store overview's tables as the reader sees them."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from wxshop.report.i18n import STRINGS, Translator
from wxshop.report.views import overview as view
from wxshop.report.views.display import formatted

EN = Translator("en")


def test_formatted_formats_only_the_named_columns_and_keeps_the_input():
    df = pd.DataFrame({"gmv": [1234.5, float("nan")], "share": [0.125, None], "n": [1, 2]})
    got = formatted(df, {"gmv": "cny", "share": "share"})
    assert_frame_equal(got, pd.DataFrame({"gmv": ["¥1,234.50", "—"], "share": ["12.5%", "—"], "n": [1, 2]}))
    assert df["gmv"].iloc[0] == 1234.5  # the caller's frame is untouched


def test_trend_view_formats_money_only():
    trend = pd.DataFrame({"month": ["2026-01", "2026-02"], "orders": [4, 0], "customers": [3, 0],
                          "new_customers": [2, 0], "gmv": [600.0, 0.0], "aov": [150.0, float("nan")]})
    got = view.trend_view(trend, EN)
    assert got["gmv"].tolist() == ["¥600.00", "¥0.00"] and got["aov"].tolist() == ["¥150.00", "—"]
    assert got["orders"].tolist() == [4, 0]


def test_channels_and_categories_views():
    channels = pd.DataFrame({"channel": ["a"], "orders": [1], "gmv": [10.0], "gmv_share": [1.0]})
    assert view.channels_view(channels, EN).iloc[0].tolist() == ["a", 1, "¥10.00", "100.0%"]
    cats = pd.DataFrame({"category": ["c"], "units": [1200], "item_sales": [5.0], "sales_share": [0.5]})
    assert view.categories_view(cats, EN).iloc[0].tolist() == ["c", "1,200", "¥5.00", "50.0%"]


@pytest.mark.parametrize("key", sorted(set(view.LABELS.values())))
def test_every_label_is_translated(key):
    assert key in STRINGS


def test_kpis_name_known_figures():
    assert {name for name, _ in view.KPIS} == {
        "customers", "orders", "gmv_gross", "gmv", "spend_per_buyer", "aov", "frequency",
        "repurchase_rate", "refund_rate", "refund_rate_amount"}
    assert all(f"kpi.{name}" in STRINGS for name, _ in view.KPIS)
