"""When customers buy (wxshop.analysis.growth.timing): hand-computed fixtures and the planted hour
and weekday profiles of a demo store."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from wxshop import demo
from wxshop.analysis.growth.timing import (
    PLAYBOOK_WINDOWS,
    hour_grid,
    hour_profile,
    hourly_conversion,
    peak_hours,
)
from wxshop.analysis.paid import UNKNOWN

# 100,000 customers (~440,000 paid orders): the closest planted pair of the top three hours,
# 12 h (1.60) against 22 h (1.55), is then ~4 standard deviations apart, so the top three come
# out exact for any seed (at 20,000 customers 3 seeds in 20 swap 12 and 22). Generated in ~2 s.
DEMO_CUSTOMERS = 100_000


@lru_cache(maxsize=1)
def demo_store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(DEMO_CUSTOMERS, 7, store_id="t")


def fixture_orders() -> pd.DataFrame:
    """2025-03-03 is a Monday (weekday 0), 2025-03-09 a Sunday (6)."""
    rows = [
        ("o1", "a", "2025-03-03 08:10:00", 10.004, "paid", "社群"),
        ("o2", "b", "2025-03-03 08:59:59", 10.004, "paid", "社群"),
        ("o3", "c", "2025-03-09 21:00:00", 20.0, "paid", None),
        ("o4", "a", "2025-03-04 08:00:00", 99.0, "refunded", "社群"),
        ("o5", "d", "2025-03-04 12:30:00", 5.0, "cancelled", "朋友圈"),
        ("o6", "e", "2025-03-04 12:30:00", None, "paid", "朋友圈"),
        ("o7", "f", None, 7.0, "paid", "朋友圈"),
        ("o8", None, "2025-03-10 21:45:00", 3.0, "paid", ""),
    ]
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "amount", "status",
                                        "channel"]).astype({"channel": "str"})
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame


# ------------------------------------------------------------------------- hand-made orders


def test_playbook_windows():
    assert PLAYBOOK_WINDOWS == ((7, 9), (12, 14), (20, 22))
    flags = hour_profile(fixture_orders())
    assert flags.loc[flags.in_playbook_window, "hour"].tolist() == [7, 8, 12, 13, 20, 21]


def test_hour_grid_counts_paid_orders_by_weekday_and_hour():
    grid = hour_grid(fixture_orders())
    assert grid.shape == (7, 24)
    assert grid.index.name == "weekday" and grid.index.tolist() == list(range(7))
    assert grid.columns.tolist() == list(range(24))
    expected = np.zeros((7, 24), np.int64)
    expected[0, 8] = 2  # o1, o2 (Monday); o4 refunded
    expected[6, 21] = 1  # o3 (Sunday)
    expected[1, 12] = 1  # o6 (a missing amount still is an order); o5 cancelled
    expected[0, 21] = 1  # o8: a missing customer does not matter here
    assert (grid.to_numpy() == expected).all()  # o7 without a time is left out


def test_hour_grid_gmv_rounds_to_the_fen():
    grid = hour_grid(fixture_orders(), value="gmv")
    assert grid.loc[0, 8] == 20.01  # 10.004 + 10.004 = 20.008
    assert grid.loc[6, 21] == 20.0
    assert grid.loc[1, 12] == 0.0  # missing amount counts 0
    assert grid.to_numpy().sum() == pytest.approx(43.01)
    with pytest.raises(ValueError, match="value"):
        hour_grid(fixture_orders(), value="amount")


def test_hour_grid_without_status_column_and_tz_aware_times():
    orders = pd.DataFrame({"ordered_at": pd.to_datetime(["2025-03-03 23:30"]).tz_localize("Asia/Shanghai"),
                           "amount": [1.0]})
    grid = hour_grid(orders)
    assert grid.loc[0, 23] == 1 and grid.to_numpy().sum() == 1  # wall clock kept


def test_hour_profile_figures():
    p = hour_profile(fixture_orders())
    assert p.columns.tolist() == ["hour", "orders", "gmv", "share", "index", "in_playbook_window"]
    assert p.hour.tolist() == list(range(24))
    by_hour = p.set_index("hour")
    assert by_hour.orders.to_dict() == {**dict.fromkeys(range(24), 0), 8: 2, 12: 1, 21: 2}
    assert by_hour.loc[8, "gmv"] == 20.01 and by_hour.loc[21, "gmv"] == 23.0
    assert by_hour.loc[8, "share"] == pytest.approx(2 / 5)
    assert by_hour.loc[8, "index"] == pytest.approx(2 / (5 / 24))
    assert p.share.sum() == pytest.approx(1.0) and p["index"].mean() == pytest.approx(1.0)


def test_hour_profile_by_channel():
    p = hour_profile(fixture_orders(), by="channel")
    assert p.columns.tolist() == ["channel", "hour", "orders", "gmv", "share", "index",
                                  "in_playbook_window"]
    # blocks: 社群 2 orders, then "—" (None and "") 2, then 朋友圈 1; ties by name
    assert p.channel.unique().tolist() == sorted([UNKNOWN, "社群"]) + ["朋友圈"]
    assert len(p) == 3 * 24
    totals = p.groupby("channel").orders.sum().to_dict()
    assert totals == {"社群": 2, UNKNOWN: 2, "朋友圈": 1}
    assert p.groupby("channel").share.sum().tolist() == pytest.approx([1.0, 1.0, 1.0])
    row = p[(p.channel == "朋友圈") & (p.hour == 12)].iloc[0]
    assert row.orders == 1 and row.share == 1.0 and row["index"] == 24.0
    with pytest.raises(ValueError, match="by"):
        hour_profile(fixture_orders(), by="city")
    with pytest.raises(KeyError, match="channel"):
        hour_profile(fixture_orders().drop(columns="channel"), by="channel")


def test_peak_hours_ties_and_short_lists():
    orders = fixture_orders()
    assert peak_hours(orders, 2) == [8, 21]  # 2 orders each: the earlier hour first
    assert peak_hours(orders, 10) == [8, 21, 12]  # only hours with paid orders
    assert peak_hours(orders, 0) == []
    with pytest.raises(ValueError):
        peak_hours(orders, -1)


def test_hourly_conversion():
    events = pd.DataFrame({
        "customer_id": ["a", "a", "b", "b", "c", "c", "d"],
        "ts": pd.to_datetime(["2025-03-03 20:01", "2025-03-03 20:09", "2025-03-04 20:30",
                              "2025-03-04 09:00", "2025-03-05 20:40", "2025-03-05 20:41", None]),
        "event": ["view", "pay", "view", "pay", "view", "checkout", "view"],
    }).astype({"event": "str"})
    c = hourly_conversion(events)
    assert c.columns.tolist() == ["hour", "views", "pays", "conversion"]
    assert c.hour.tolist() == list(range(24))
    assert c.views.sum() == 3 and c.pays.sum() == 2  # the event without ts is left out
    assert c.loc[20, "conversion"] == pytest.approx(1 / 3)
    assert np.isnan(c.loc[9, "conversion"]) and c.loc[9, "pays"] == 1
    assert c.conversion.notna().sum() == 1


def test_empty_inputs_and_missing_columns():
    empty = fixture_orders().iloc[:0]
    assert hour_grid(empty).shape == (0, 24)
    assert hour_profile(empty).columns.tolist() == ["hour", "orders", "gmv", "share", "index",
                                                    "in_playbook_window"]
    assert len(hour_profile(empty)) == 0
    assert hour_profile(empty, by="channel").columns[0] == "channel"
    assert peak_hours(empty) == []
    refunded = fixture_orders().assign(status="refunded")
    assert len(hour_profile(refunded)) == 0 and peak_hours(refunded) == []
    events = pd.DataFrame({"customer_id": [], "ts": pd.to_datetime([]), "event": []})
    assert hourly_conversion(events).columns.tolist() == ["hour", "views", "pays", "conversion"]
    assert len(hourly_conversion(events)) == 0
    with pytest.raises(KeyError, match="ordered_at"):
        peak_hours(pd.DataFrame({"amount": [1.0]}))
    with pytest.raises(KeyError, match="amount"):
        hour_grid(fixture_orders().drop(columns="amount"), value="gmv")
    with pytest.raises(KeyError, match="ts"):
        hourly_conversion(pd.DataFrame({"event": ["view"]}))


# ------------------------------------------------------------------------------ demo truth


def test_demo_peak_hours_are_the_planted_ones():
    tables, truth = demo_store()
    planted = np.asarray(truth["seasonality"]["hour_profile"], float)
    top = sorted(range(24), key=lambda h: (-planted[h], h))[:3]
    assert top == [21, 20, 12]
    assert peak_hours(tables["orders"], 3) == top


def test_demo_hour_shares_follow_the_planted_profile():
    tables, truth = demo_store()
    planted = np.asarray(truth["seasonality"]["hour_profile"], float)
    p = hour_profile(tables["orders"])
    r = np.corrcoef(p.share.to_numpy(), planted)[0, 1]
    assert r > 0.95
    # every order's time follows the planted intensity, so shares match it closely
    assert np.abs(p.share.to_numpy() - planted / planted.sum()).max() < 0.003
    assert np.abs(p["index"].to_numpy() - planted / planted.mean()).max() < 0.06
    paid = tables["orders"][tables["orders"].status == "paid"]
    assert p.orders.sum() == len(paid)
    assert p.gmv.sum() == pytest.approx(truth["orders"]["gmv_paid"], abs=0.5)


def test_demo_weekday_shares_follow_the_planted_profile():
    tables, truth = demo_store()
    planted = np.asarray(truth["seasonality"]["weekday_profile_mon_to_sun"], float)
    grid = hour_grid(tables["orders"])
    shares = grid.sum(axis=1).to_numpy() / grid.to_numpy().sum()
    # festivals and member days fall on any weekday: they blur the profile a little
    assert np.corrcoef(shares, planted)[0, 1] > 0.95
    assert np.abs(shares - planted / planted.sum()).max() < 0.005
    assert int(np.argmax(shares)) == int(np.argmax(planted)) == 5  # Saturday


def test_demo_hourly_conversion_is_flat_and_sane():
    tables, truth = demo_store()
    c = hourly_conversion(tables["events"])
    events = tables["events"]
    assert c.views.sum() == (events.event == "view").sum()
    assert c.pays.sum() == (events.event == "pay").sum()
    overall = c.pays.sum() / c.views.sum()
    # tracked sessions run view → pay within the hour mostly: no hour far from the overall rate
    busy = c[c.views >= 1000]
    assert (busy.conversion - overall).abs().max() < 0.05
