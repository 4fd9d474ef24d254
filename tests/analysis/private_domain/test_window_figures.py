"""The private-domain cards' changes and sparklines (wxshop.analysis.private_domain.headline
.window_figures through wxshop.analysis.periods.headline_windows): each window's figures are the
sections' own functions over that window's days, the current window's are the report's headline."""

from __future__ import annotations

import pandas as pd
import pytest

from wxshop.analysis import overview, periods
from wxshop.analysis.private_domain import community, staff
from wxshop.analysis.private_domain.headline import WINDOWED, private_headline, window_figures, window_results
from wxshop.data.load import load_store
from wxshop.data.schema import PRIVATE_TABLES
from wxshop.demo.store import generate_store, write_store

DAYS = 30


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tables, truth = generate_store(3000, seed=5, store_id="pd_windows")
    folder = write_store(tables, truth, tmp_path_factory.mktemp("pdw") / "pd_windows", fmt="parquet")
    data = load_store(folder, name="pd_windows")
    present = {t: data.tables[t] for t in PRIVATE_TABLES if data.has(t)}
    end = overview.resolve_period_end(data.orders, "")
    return data.orders, present, end


def _window(end: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    return (end - pd.Timedelta(days=DAYS - 1)).normalize(), end


def test_the_current_window_is_the_reports_headline(store):
    orders, tables, end = store
    start, _ = _window(end)
    results = window_results(overview.in_period(orders, end.date().isoformat()), tables, start, end)
    headline = private_headline(**results._asdict())
    got = window_figures(orders, end.date().isoformat(), DAYS, tables=tables)
    assert got == pytest.approx({k: headline[k] for k in WINDOWED}, nan_ok=True)
    assert pd.notna(got["friend_add_rate"]) and pd.notna(got["daily_leaving_rate"])


def test_each_earlier_window_uses_its_own_days(store):
    """The previous window's figures are the section functions over the 30 days before."""
    orders, tables, end = store
    changes, spark = periods.headline_windows(window_figures, orders, end.date().isoformat(), DAYS, WINDOWED,
                                              shares=WINDOWED, n=3, tables=tables)
    prev_end = end - pd.Timedelta(days=DAYS)
    start, _ = _window(prev_end)
    cut = overview.in_period(orders, prev_end.date().isoformat())
    rate = staff.friend_add_rate(cut, tables["contacts"], start=start, end=prev_end)["rate"]
    members, groups = tables["group_members"], tables.get("groups")
    leaving = community.leaving_rates(members, groups, start=start, end=prev_end)
    assert spark["friend_add_rate"].iloc[-2] == pytest.approx(rate)
    assert spark["daily_leaving_rate"].iloc[-2] == pytest.approx(float(leaving["daily_rate"].iloc[0]))
    assert spark["end"].iloc[-2] == prev_end.date().isoformat()
    row = changes.set_index("kpi").loc["friend_add_rate"]
    now = spark["friend_add_rate"].iloc[-1]
    assert row["change_kind"] == "pp" and row["change_prev"] == pytest.approx(now - rate)
