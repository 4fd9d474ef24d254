"""Period over period (环比, 同比) on hand-computable orders, 29 Feb, and data that starts late."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from order_frames import demo_store

from wxshop.analysis import overview, periods

# period_end 2025-03-31, 10 days: current 03-22..03-31, previous 03-12..03-21,
# last year 2024-03-22..2024-03-31
ROWS = [  # customer, ordered_at, amount, status, refund_amount
    ("x", "2024-03-01 09:00", 20.0, "paid", 0.0),  # the data's first day, in no window
    ("a", "2024-03-25 10:00", 100.0, "paid", 0.0),  # last year
    ("b", "2024-03-30 10:00", 50.0, "paid", 0.0),  # last year
    ("a", "2025-03-11 23:59", 70.0, "paid", 0.0),  # the day before the previous window
    ("a", "2025-03-12 00:00", 100.0, "paid", 0.0),  # previous
    ("c", "2025-03-15 12:00", 40.0, "refunded", 0.0),  # previous
    ("a", "2025-03-21 23:59", 60.0, "paid", 0.0),  # previous
    ("a", "2025-03-22 00:00", 120.0, "paid", 0.0),  # current
    ("d", "2025-03-25 12:00", 100.0, "paid", 0.0),  # current
    ("d", "2025-03-26 12:00", 30.0, "cancelled", 0.0),  # current, never paid
    ("b", "2025-03-31 23:59", 80.0, "paid", 20.0),  # current, 20 refunded of 80
    ("e", "2025-04-01 00:00", 500.0, "paid", 0.0),  # after period_end
]


def make(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status", "refund_amount"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame


@pytest.fixture
def orders() -> pd.DataFrame:
    return make(ROWS)


def expected(last_year: list[float], last_year_reason: str = "", data_start: str = "2024-03-01"):
    # current: a 120, d 100, b 80 − 20 refunded → 3 buyers, 3 orders, gross 300, net 280
    # previous: a 100 + 60 paid, c 40 refunded → 1 buyer, 2 orders, gross 200, net 160
    # last year: a 100, b 50 → 2 buyers, 2 orders, gross = net = 150
    kpis = list(periods.DEFAULT_KPIS)
    current = [3, 3, 300, 280, 280 / 3, 280 / 3, 1, 0, 0, 20 / 300]
    previous = [1, 2, 200, 160, 160, 80, 2, 1, 1 / 3, 40 / 200]
    now, prev, year = (np.array(v, np.float64) for v in (current, previous, last_year))
    pp = np.array([k in periods.SHARES for k in kpis])
    with np.errstate(divide="ignore", invalid="ignore"):  # shares from 0: their change is in pp
        relative_prev, relative_yoy = now / prev - 1, now / year - 1
    return pd.DataFrame(
        {
            "kpi": pd.array(kpis, dtype="str"),
            "change_kind": pd.array(np.where(pp, "pp", "relative").tolist(), dtype="str"),
            "current": now,
            "previous": prev,
            "change_prev": np.where(pp, now - prev, relative_prev),
            "last_year": year,
            "change_yoy": np.where(pp, now - year, relative_yoy),
            "current_start": "2025-03-22", "current_end": "2025-03-31",
            "previous_start": "2025-03-12", "previous_end": "2025-03-21",
            "last_year_start": "2024-03-22", "last_year_end": "2024-03-31",
            "last_year_days": 10,
            "previous_reason": "", "last_year_reason": last_year_reason,
            "data_start": data_start,
        }
    ).astype({c: "str" for c in periods.COLUMNS if c.endswith(("_start", "_end", "_reason"))})


def test_three_windows_hand_computed(orders):
    got = periods.compare(orders, "2025-03-31", days=10)
    want = expected([2, 2, 150, 150, 75, 75, 1, 0, 0, 0])
    pdt.assert_frame_equal(got, want)
    # the changes as a reader says them: net GMV +75% 环比, +86.7% 同比; repurchase −100 pp
    row = got.set_index("kpi")
    assert row.loc["gmv", "change_prev"] == pytest.approx(0.75)
    assert row.loc["gmv", "change_yoy"] == pytest.approx(130 / 150)
    assert row.loc["spend_per_buyer", "change_prev"] == pytest.approx(280 / 3 / 160 - 1)
    assert row.loc["repurchase_rate", "change_prev"] == pytest.approx(-1.0)
    assert row.loc["refund_rate_amount", "change_yoy"] == pytest.approx(20 / 300)  # 0 → 6.7%: +6.7 pp


def test_every_window_has_store_kpis_definitions(orders):
    """Each window's figures are store_kpis on that window's orders, nothing re-derived."""
    got = periods.compare(orders, "2025-03-31", days=10).set_index("kpi")
    at = orders["ordered_at"]
    for column, lo, hi in [("current", "2025-03-22", "2025-04-01"),
                           ("previous", "2025-03-12", "2025-03-22"),
                           ("last_year", "2024-03-22", "2024-04-01")]:
        k = overview.store_kpis(orders[(at >= lo) & (at < hi)]).to_dict()
        assert got[column].to_dict() == pytest.approx({n: k[n] for n in periods.DEFAULT_KPIS})


def test_data_starting_after_the_year_ago_window_gives_no_yoy(orders):
    late = orders[orders["ordered_at"] >= "2025-01-01"].reset_index(drop=True)
    got = periods.compare(late, "2025-03-31", days=10)
    nan = [np.nan] * len(periods.DEFAULT_KPIS)
    pdt.assert_frame_equal(got, expected(nan, periods.BEFORE_DATA, "2025-03-11"))


def test_a_partly_covered_window_is_never_compared(orders):
    # the data starts on 2024-03-25, inside the year-ago window (which starts 03-22): a 同比
    # from three days short would be wrong, though the window holds both of its orders
    partial = orders[orders["ordered_at"] >= "2024-03-25"].reset_index(drop=True)
    got = periods.compare(partial, "2025-03-31", days=10)
    assert got["last_year"].isna().all() and got["change_yoy"].isna().all()
    assert set(got["last_year_reason"]) == {periods.BEFORE_DATA}
    # told that the export starts earlier (no orders on the first days), it compares
    told = periods.compare(partial, "2025-03-31", days=10, data_start="2024-03-22")
    assert told["last_year_reason"].eq("").all() and told["data_start"].eq("2024-03-22").all()
    assert told.set_index("kpi").loc["gmv", "last_year"] == 150.0


def test_previous_window_before_the_data_is_missing_too(orders):
    late = orders[orders["ordered_at"] >= "2025-03-20"].reset_index(drop=True)
    got = periods.compare(late, "2025-03-31", days=10)
    assert set(got["previous_reason"]) == {periods.BEFORE_DATA}
    assert got["previous"].isna().all() and got["change_prev"].isna().all()
    assert got.set_index("kpi").loc["gmv", "current"] == 280.0  # the current window still shows


def test_leap_day_moves_to_28_february():
    orders = make([
        ("a", "2023-01-01 10:00", 1.0, "paid", 0.0),  # the data reaches back
        ("a", "2023-02-23 10:00", 10.0, "paid", 0.0),  # a year before 2024-02-23
        ("b", "2023-02-28 22:00", 20.0, "paid", 0.0),  # a year before 2024-02-28 (and 29)
        ("c", "2023-03-01 10:00", 40.0, "paid", 0.0),  # not 29 Feb's "year ago"
        ("d", "2024-02-29 10:00", 80.0, "paid", 0.0),
    ])
    got = periods.compare(orders, "2024-02-29", days=7, kpis=["gmv", "orders"]).set_index("kpi")
    window = (got.loc["gmv", "last_year_start"], got.loc["gmv", "last_year_end"])
    assert window == ("2023-02-23", "2023-02-28")
    assert got.loc["gmv", "last_year_days"] == 6  # 29 Feb has no year-ago day of its own
    assert got.loc["gmv", "last_year"] == 30.0 and got.loc["orders", "last_year"] == 2
    assert got.loc["gmv", "change_yoy"] == pytest.approx(80 / 30 - 1)
    # a year later the window 2025-02-28..03-06 spans 29 Feb 2024: 8 days a year earlier
    later = periods.compare(orders, "2025-03-06", days=7, kpis=["gmv"])
    assert later.loc[0, "last_year_start"] == "2024-02-28" and later.loc[0, "last_year_days"] == 8
    assert later.loc[0, "last_year"] == 80.0  # the 29 Feb order is inside


def test_an_empty_window_counts_zero_and_its_relative_change_is_nan(orders):
    # 2024-12-31, 10 days: current and previous hold no order, last year (2023) is before the data
    got = periods.compare(orders, "2024-12-31", days=10, kpis=["gmv", "customers", "aov", "refund_rate"])
    row = got.set_index("kpi")
    assert row.loc["gmv", "current"] == 0.0 and row.loc["gmv", "previous"] == 0.0
    assert np.isnan(row.loc["gmv", "change_prev"])  # 0 → 0: no relative change
    assert np.isnan(row.loc["aov", "current"]) and np.isnan(row.loc["refund_rate", "change_prev"])


def test_default_period_end_is_the_last_order_day(orders):
    got = periods.compare(orders, days=10)
    assert got.loc[0, "current_end"] == "2025-04-01"


def test_bad_input_is_named(orders):
    with pytest.raises(ValueError, match="unknown KPI.*gmv_net"):
        periods.compare(orders, "2025-03-31", kpis=["gmv_net"])
    with pytest.raises(ValueError, match="days"):
        periods.compare(orders, "2025-03-31", days=0)
    with pytest.raises(KeyError, match="amount"):
        periods.compare(orders.drop(columns="amount"), "2025-03-31")


def test_demo_store_has_both_comparisons():
    tables, _ = demo_store()  # 24 months of orders up to 2026-10-31
    got = periods.compare(tables["orders"], days=30).set_index("kpi")
    assert got[["previous_reason", "last_year_reason"]].eq("").all().all()
    assert got[["current", "previous", "last_year"]].notna().loc["gmv"].all()
    at = tables["orders"]["ordered_at"]
    window = tables["orders"][(at >= "2026-10-02") & (at < "2026-11-01")]
    assert got.loc["gmv", "current"] == overview.store_kpis(window).gmv


def test_series_ends_with_compares_current_and_previous_windows(orders):
    """The sparkline's last two points are the 环比 table's current and previous figures."""
    got = periods.series(orders, "2025-03-31", days=10, n=4)
    cmp = periods.compare(orders, "2025-03-31", days=10).set_index("kpi")
    assert list(got["end"]) == ["2025-03-01", "2025-03-11", "2025-03-21", "2025-03-31"]
    assert list(got["start"]) == ["2025-02-20", "2025-03-02", "2025-03-12", "2025-03-22"]
    for kpi in periods.DEFAULT_KPIS:
        assert got[kpi].iloc[-1] == pytest.approx(cmp.loc[kpi, "current"])
        assert got[kpi].iloc[-2] == pytest.approx(cmp.loc[kpi, "previous"])


def test_series_windows_are_store_kpis_of_their_orders_and_nan_before_the_data(orders):
    late = orders[orders["ordered_at"] >= "2025-03-15"].reset_index(drop=True)
    got = periods.series(late, "2025-03-31", days=10, n=3, kpis=["gmv", "orders"])
    at = late["ordered_at"]
    k = overview.store_kpis(late[(at >= "2025-03-22") & (at < "2025-04-01")])
    assert got.loc[2, ["gmv", "orders"]].tolist() == pytest.approx([k.gmv, k.orders])
    assert got.loc[:1, ["gmv", "orders"]].isna().all().all()  # windows from 03-02 and 03-12: before the data
    with pytest.raises(ValueError, match="unknown KPI"):
        periods.series(orders, "2025-03-31", kpis=["nope"])


def test_headline_windows_call_the_reports_own_figures_on_each_window(orders):
    """Each point is the report's headline function at that window's end; 环比 and 同比 compare
    the current window with the one before and with the same dates a year earlier."""
    from wxshop.analysis import repurchase

    kpis = ["orders", "gmv", "repurchase_rate"]
    changes, spark = periods.headline_windows(repurchase.headline, orders, "2025-03-31", 10, kpis,
                                              shares=["repurchase_rate"], n=3)
    for i, end in enumerate(["2025-03-11", "2025-03-21", "2025-03-31"]):
        want = repurchase.headline(orders, end, 10)
        assert spark.loc[i, kpis].tolist() == pytest.approx([want[k] for k in kpis])
    now, prev = repurchase.headline(orders, "2025-03-31", 10), repurchase.headline(orders, "2025-03-21", 10)
    year = repurchase.headline(orders, "2024-03-31", 10)
    row = changes.set_index("kpi")
    assert row.loc["gmv", "change_prev"] == pytest.approx(now["gmv"] / prev["gmv"] - 1)
    assert row.loc["gmv", "change_yoy"] == pytest.approx(now["gmv"] / year["gmv"] - 1)
    assert row.loc["repurchase_rate", "change_kind"] == "pp"
    rates = now["repurchase_rate"] - prev["repurchase_rate"]
    assert row.loc["repurchase_rate", "change_prev"] == pytest.approx(rates)
    late = orders[orders["ordered_at"] >= "2025-03-15"].reset_index(drop=True)
    changes, spark = periods.headline_windows(repurchase.headline, late, "2025-03-31", 10, kpis, n=3)
    assert spark.loc[:1, kpis].isna().all().all() and changes["change_yoy"].isna().all()
