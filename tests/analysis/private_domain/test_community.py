"""社群 health (wxshop.analysis.private_domain.community): hand-computed member lists, a planted
exponential leaving hazard recovered within 3 standard errors, Kaplan–Meier against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.duration.survfunc import SurvfuncRight

from wxshop.analysis.private_domain.community import (
    DAILY_LEAVING,
    GROUP_TYPE_REFERENCE,
    REPLENISHMENT,
    SCORECARD_REFERENCE,
    SIZE_BANDS,
    gmv_per_member,
    leaving_rates,
    leaving_rates_from_daily,
    membership_survival,
    new_member_conversion,
    replenishment,
    scorecard,
)

LO, HI = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-30")  # window 2025-03-01 .. 2025-04-29
START, END = "2025-03-01", "2025-04-29"
WINDOW_DAYS = 60


def members_frame(rows: list[tuple]) -> pd.DataFrame:
    """group_members from (group_id, member_id, joined_at, left_at[, customer_id]) tuples."""
    cols = ["group_id", "member_id", "joined_at", "left_at", "customer_id"][: len(rows[0])]
    frame = pd.DataFrame(rows, columns=cols)
    for c in ("joined_at", "left_at"):
        frame[c] = pd.to_datetime(frame[c], format="ISO8601")
    return frame.astype({c: "str" for c in cols if c.endswith("_id")})


def simulate(rng: np.random.Generator, n: int, hazard: float, group: str = "g", lead: float = 200.0,
             prefix: str = "m") -> pd.DataFrame:
    """Memberships joining uniformly from ``lead`` days before the window to its end, each staying
    an exponential time with the given daily hazard; a leave after the window's end is unknown
    (left_at missing), as in an export taken on the last day."""
    joined = rng.uniform(-lead, WINDOW_DAYS, n)
    left = joined + rng.exponential(1.0 / hazard, n)
    frame = pd.DataFrame({"group_id": group, "member_id": [f"{prefix}{i}" for i in range(n)],
                          "joined_at": LO + pd.to_timedelta(np.round(joined * 86400), unit="s"),
                          "left_at": LO + pd.to_timedelta(np.round(left * 86400), unit="s")})
    frame["left_at"] = frame["left_at"].where(frame["left_at"] < HI)
    return frame.astype({"group_id": "str", "member_id": "str"})


# ----------------------------------------------------------------------------- leaving rates


def test_leaving_rates_exposure_by_hand():
    members = members_frame([
        ("g", "a", "2025-01-01", "2025-03-11"),  # before the window, leaves in it: 10 days, 1 leave
        ("g", "b", "2025-02-01", None),  # before the window, still in: 60 days
        ("g", "c", "2025-04-20 12:00", None),  # joins in the window, still in: 9.5 days
        ("g", "d", "2025-03-10", "2025-03-12"),  # in and out inside: 2 days, 1 leave
        ("g", "e", "2025-01-01", "2025-02-01"),  # gone before: nothing
        ("g", "f", "2025-04-29", "2025-05-10"),  # leaves after: 1 day, no leave
        ("g", "h", "2025-05-01", None),  # joins after: nothing
        ("g", "i", None, None),  # no joined_at: left out
    ])
    out = leaving_rates(members, start=START, end=END)
    assert out.columns.tolist() == ["scope", "groups", "member_days", "leaves", "daily_rate",
                                    "monthly_equivalent"]
    row = out.iloc[0]
    assert row["scope"] == "all" and row["groups"] == 1
    assert row["member_days"] == pytest.approx(10 + 60 + 9.5 + 2 + 1)
    assert row["leaves"] == 2
    assert row["daily_rate"] == pytest.approx(2 / 82.5)
    assert row["monthly_equivalent"] == pytest.approx(1 - (1 - 2 / 82.5) ** 30)


def test_dismissal_ends_memberships_without_a_leave():
    members = members_frame([("g", "a", "2025-01-01", None), ("g", "b", "2025-01-01", "2025-03-20"),
                             ("g", "c", "2025-01-01", "2025-03-05"), ("h", "d", "2025-01-01", None)])
    groups = pd.DataFrame({"group_id": ["g", "h"], "group_type": ["综合福利群", None],
                           "dismissed_at": pd.to_datetime(["2025-03-11", None])})
    out = leaving_rates(members, groups, start=START, end=END, by="group_type")
    assert out["group_type"].tolist() == ["—", "综合福利群"]
    assert out["member_days"].tolist() == [60.0, 10 + 10 + 4]
    assert out["leaves"].tolist() == [0.0, 1.0]  # b "left" after the dismissal: not a leave


def test_planted_hazard_is_recovered_within_three_standard_errors():
    rng = np.random.default_rng(20)
    members = simulate(rng, 20_000, DAILY_LEAVING)
    row = leaving_rates(members, start=START, end=END).iloc[0]
    se = np.sqrt(row["leaves"]) / row["member_days"]
    assert abs(row["daily_rate"] - DAILY_LEAVING) < 3 * se
    assert abs(row["daily_rate"] - DAILY_LEAVING) < 0.003
    # counting exposure from joined_at (not from the window start) would be far off
    stay = (members["left_at"].fillna(HI) - members["joined_at"]).clip(lower=pd.Timedelta(0))
    naive = row["leaves"] / (stay / pd.Timedelta(days=1)).sum()
    assert abs(naive - DAILY_LEAVING) > 10 * se


def test_planted_hazards_per_group_type():
    rng = np.random.default_rng(3)
    members = pd.concat([simulate(rng, 8000, 0.023, "g1", prefix="a"),
                         simulate(rng, 8000, 0.008, "g2", prefix="b"),
                         simulate(rng, 4000, 0.008, "g3", prefix="c")], ignore_index=True)
    groups = pd.DataFrame({"group_id": ["g1", "g2", "g3"],
                           "group_type": ["综合福利群", "VIP会员群", "VIP会员群"]})
    out = leaving_rates(members, groups, start=START, end=END, by="group_type").set_index("group_type")
    for kind, hazard in (("综合福利群", 0.023), ("VIP会员群", 0.008)):
        row = out.loc[kind]
        assert abs(row["daily_rate"] - hazard) < 3 * np.sqrt(row["leaves"]) / row["member_days"]
    assert out.loc["VIP会员群", "groups"] == 2
    by_group = leaving_rates(members, groups, start=START, end=END, by="group_id")
    assert by_group["group_id"].tolist() == ["g1", "g2", "g3"]
    assert by_group["leaves"].sum() == out["leaves"].sum()
    assert by_group["member_days"].sum() == pytest.approx(out["member_days"].sum())


def test_size_bands_count_members_at_the_window_start():
    rows = []
    for group, size in (("s", 99), ("m", 100), ("l", 320), ("x", 500)):
        rows += [(group, f"{group}{i}", "2025-01-01", None) for i in range(size)]
    rows += [("s", f"late{i}", "2025-03-02", None) for i in range(50)]  # joined after the start
    rows += [("m", f"gone{i}", "2025-01-01", "2025-02-28") for i in range(50)]  # left before it
    out = leaving_rates(members_frame(rows), start=START, end=END, by="size_band")
    assert out["size_band"].tolist() == list(SIZE_BANDS)
    assert out["groups"].tolist() == [1.0, 1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="by"):
        leaving_rates(members_frame(rows), start=START, end=END, by="month")
    with pytest.raises(KeyError, match="group_type"):
        leaving_rates(members_frame(rows), start=START, end=END, by="group_type")
    with pytest.raises(ValueError, match="before"):
        leaving_rates(members_frame(rows), start=END, end=START)


def test_leaving_rates_from_daily():
    daily = pd.DataFrame({"group_id": ["g", "g", "g", "h", "h"],
                          "date": pd.to_datetime(["2025-02-28", "2025-03-01", "2025-03-02", "2025-03-01",
                                                  "2025-03-02"]),
                          "members": [500.0, 490.0, 480.0, 100.0, None], "joined": [0.0, 2.0, 5.0, 1.0, 1.0],
                          "left": [9.0, 12.0, 15.0, 1.0, 3.0]})
    groups = pd.DataFrame({"group_id": ["g", "h"], "group_type": ["A", "B"]})
    out = leaving_rates_from_daily(daily, groups, start=START, end=END)
    assert out[["group_days", "members", "leaves"]].iloc[0].tolist() == [3.0, 1070.0, 28.0]
    assert out["daily_rate"].iloc[0] == pytest.approx(28 / 1070)
    by_type = leaving_rates_from_daily(daily, groups, start=START, end=END, by="group_type")
    assert by_type["group_type"].tolist() == ["A", "B"]
    assert by_type["daily_rate"].tolist() == pytest.approx([27 / 970, 1 / 100])
    at_end = leaving_rates_from_daily(daily, start=START, end=END, by="group_id", members_at="end")
    assert at_end["members"].tolist() == [490 - 2 + 12 + 480 - 5 + 15, 100.0]
    bands = leaving_rates_from_daily(daily, start=START, end=END, by="size_band")
    assert bands["size_band"].tolist() == ["100–299", "300–499"]


# ----------------------------------------------------------------------------- survival


def statsmodels_survival(members: pd.DataFrame, last: pd.Timestamp, days: list[int]) -> np.ndarray:
    time = ((members["left_at"].where(members["left_at"] < last).fillna(last) - members["joined_at"])
            / pd.Timedelta(days=1)).to_numpy()
    status = (members["left_at"] < last).to_numpy(int)
    fit = SurvfuncRight(time, status)
    at = np.searchsorted(fit.surv_times, days, side="right") - 1
    return np.where(at >= 0, fit.surv_prob[np.maximum(at, 0)], 1.0)


def test_survival_matches_statsmodels_and_the_planted_hazard():
    rng = np.random.default_rng(11)
    members = simulate(rng, 6000, 0.02, lead=300.0)
    days = [1, 3, 7, 14, 30, 60, 90]
    out = membership_survival(members, days=days, end=END)
    shares = [f"day_{d}" for d in days]
    assert out.columns.tolist() == ["scope", "members", *shares, *[f"at_risk_{d}" for d in days]]
    assert out["members"].iloc[0] == (members["joined_at"] < HI).sum()
    curve = out[shares].iloc[0].to_numpy(np.float64)
    assert curve == pytest.approx(statsmodels_survival(members, HI, days), abs=1e-12)
    assert curve == pytest.approx(np.exp(-0.02 * np.array(days)), abs=0.03)
    assert (np.diff(out[[f"at_risk_{d}" for d in days]].iloc[0].to_numpy()) <= 0).all()
    # without `end` the data end is the latest timestamp in the list
    last = max(members["joined_at"].max(), members["left_at"].max())
    auto = membership_survival(members, days=days)[shares].iloc[0].to_numpy(np.float64)
    assert auto == pytest.approx(statsmodels_survival(members, last, days), abs=1e-12)


def test_survival_by_hand_with_ties_and_censoring():
    members = members_frame([
        ("g", "a", "2025-03-01", "2025-03-03"), ("g", "b", "2025-03-01", "2025-03-03"),
        ("g", "c", "2025-03-02", None), ("g", "d", "2025-03-01", "2025-03-08"),
        ("h", "e", "2025-03-01", "2025-03-02"), ("h", "f", "2025-03-10", None),  # f: at the data end
    ])
    days = (9, 0, 2, 5, 6, 7, 8, 2)  # sorted and deduplicated
    out = membership_survival(members, days=days, by="group_id", end="2025-03-09").set_index("group_id")
    assert out.index.tolist() == ["g", "h"] and out["members"].tolist() == [4.0, 1.0]
    shares = [f"day_{d}" for d in (0, 2, 5, 6, 7, 8, 9)]
    # g: a and b leave at 2 days (2 of 4 at risk), d at 7 (1 of 2), c is censored at 8 (data end
    # 03-10 00:00); past 8 days nobody was observed
    assert out.loc["g", shares].tolist() == pytest.approx([1.0, 0.5, 0.5, 0.5, 0.25, 0.25, np.nan],
                                                          nan_ok=True)
    at_risk = [f"at_risk_{d}" for d in (0, 2, 5, 6, 7, 8, 9)]
    assert out.loc["g", at_risk].tolist() == [4.0, 4.0, 2.0, 2.0, 2.0, 1.0, 0.0]
    # h: f joined at the data end and is left out; e left after 1 day: 0 stays 0
    assert out.loc["h", shares].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="by"):
        membership_survival(members, by="size_band")


# ----------------------------------------------------------------------------- replenishment


def test_replenishment_by_month_and_group():
    members = members_frame([
        ("g", "a", "2025-01-01", None), ("g", "b", "2025-01-01", "2025-03-10"),
        ("g", "c", "2025-01-01", "2025-04-01"), ("g", "d", "2025-03-05", None),
        ("g", "e", "2025-04-02", None),
        ("h", "f", "2025-04-10", None),
    ])
    out = replenishment(members, start="2025-03-01", end="2025-04-15", by="group_id")
    assert out.columns.tolist() == ["group_id", "month", "days", "members_start", "joined", "left",
                                    "replenishment", "net_growth"]
    assert out[["group_id", "month"]].to_numpy().tolist() == [["g", "2025-03"], ["g", "2025-04"],
                                                               ["h", "2025-04"]]
    assert out["days"].tolist() == [31, 15, 15]
    assert out["members_start"].tolist() == [3.0, 3.0, 0.0]
    assert out["joined"].tolist() == [1.0, 1.0, 1.0]
    assert out["left"].tolist() == [1.0, 1.0, 0.0]
    assert out["replenishment"].tolist() == pytest.approx([1 / 3, 1 / 3, np.nan], nan_ok=True)
    assert out["net_growth"].tolist() == pytest.approx([0.0, 0.0, np.nan], nan_ok=True)
    assert REPLENISHMENT == (0.15, 0.20)


# ----------------------------------------------------------------------------- conversion and GMV


def orders_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame.astype({"customer_id": "str"})


def test_new_member_conversion_boundaries():
    members = members_frame([
        ("g", "a", "2025-03-01 10:00", None, "a"),  # order exactly at joining: not after it
        ("g", "b", "2025-03-01 10:00", None, "b"),  # order exactly 3 days later: counts
        ("g", "c", "2025-03-01 10:00", None, "c"),  # refunded order: no
        ("h", "d", "2025-03-01 10:00", None, "d"),  # order 3 days + 1 minute later: no
        ("h", "e", "2025-04-27 00:01", None, "e"),  # its 3 days end after the window: left out
        ("h", "e2", "2025-04-27 00:00", None, "e2"),  # its 3 days end with the window: in, no order
        ("h", "f", "2025-03-02 00:00", None, None),  # no customer: left out
        ("h", "g", "2025-02-27 00:00", None, "g"),  # joined before the window: left out
    ])
    orders = orders_frame([("a", "2025-03-01 10:00", 5.0, "paid"), ("b", "2025-03-04 10:00", 5.0, "paid"),
                           ("c", "2025-03-02 10:00", 5.0, "refunded"), ("d", "2025-03-04 10:01", 5.0, "paid"),
                           ("e", "2025-04-28 00:00", 5.0, "paid"), ("g", "2025-03-01 00:00", 5.0, "paid")])
    out = new_member_conversion(members, orders, start=START, end=END)
    assert out[["new_members", "converted", "rate"]].iloc[0].tolist() == [5.0, 1.0, 0.2]
    groups = pd.DataFrame({"group_id": ["g", "h"], "group_type": ["X", "Y"]})
    by = new_member_conversion(members, orders, groups, start=START, end=END, days=7, by="group_type")
    assert by["group_type"].tolist() == ["X", "Y"]
    assert by["converted"].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="days"):
        new_member_conversion(members, orders, start=START, end=END, days=0)


def test_new_member_conversion_recovers_a_planted_share():
    rng = np.random.default_rng(8)
    n, p = 4000, 0.3
    joined = LO + pd.to_timedelta(rng.uniform(0, WINDOW_DAYS - 4, n) * 86400, unit="s").round("s")
    members = pd.DataFrame({"group_id": "g", "member_id": [f"m{i}" for i in range(n)],
                            "customer_id": [f"c{i}" for i in range(n)], "joined_at": joined}).astype(
        {"group_id": "str", "member_id": "str", "customer_id": "str"})
    buys = rng.random(n) < p
    lag = np.where(buys, rng.uniform(0.01, 2.99, n), rng.uniform(3.01, 20, n))
    orders = pd.DataFrame({"customer_id": members["customer_id"], "amount": 10.0,
                           "ordered_at": joined + pd.to_timedelta(np.round(lag * 86400), unit="s")})
    row = new_member_conversion(members, orders, start=START, end=END).iloc[0]
    assert row["new_members"] == n
    assert row["converted"] == buys.sum()
    assert abs(row["rate"] - p) < 3 * np.sqrt(p * (1 - p) / n)


def test_gmv_per_member_and_the_reference_table():
    members = members_frame([
        ("g", "a", "2025-01-01", None, "a"), ("g", "b", "2025-01-01", "2025-03-02", "b"),
        ("g", "c", "2025-01-01", "2025-02-01", "c"),  # gone before the window
        ("h", "a", "2025-04-01", None, "a"), ("h", "x", "2025-04-01", None, None),
    ])
    groups = pd.DataFrame({"group_id": ["g", "h"], "group_type": ["福利闪购", "会员专属"]})
    orders = orders_frame([("a", "2025-03-05", 100.0, "paid"), ("b", "2025-04-01", 60.0, "paid"),
                           ("c", "2025-03-05", 999.0, "paid"), ("a", "2025-05-01", 70.0, "paid"),
                           ("b", "2025-03-07", 40.0, "cancelled")])
    out = gmv_per_member(members, orders, groups, start=START, end=END).set_index("group_type")
    flash = out.loc["福利闪购", ["members", "buyers", "gmv", "gmv_per_member"]].tolist()
    assert flash == [2.0, 2.0, 160.0, 80.0]
    assert out.loc["会员专属", ["members", "buyers", "gmv"]].tolist() == [1.0, 1.0, 100.0]
    assert out.loc["福利闪购", "gmv_per_member_month"] == pytest.approx(80.0 * 30 / WINDOW_DAYS)
    assert [r["group_type"] for r in GROUP_TYPE_REFERENCE] == ["福利闪购", "知识付费", "会员专属"]


def test_scorecard_by_hand():
    groups = pd.DataFrame({"group_id": ["g1", "g2", "v", "old"],
                           "group_type": ["综合福利群", "综合福利群", "VIP会员群", "VIP会员群"],
                           "dismissed_at": pd.to_datetime([None, None, None, "2025-02-01"])})
    members = members_frame([
        ("g1", "a", "2025-01-01", None, "a"), ("g1", "b", "2025-01-01", "2025-03-31", "b"),
        ("g2", "c", "2025-01-01", None, "c"), ("v", "d", "2025-01-01", None, "d"),
    ])
    orders = orders_frame([("a", "2025-03-05", 10.0, "paid"), ("d", "2025-03-05", 10.0, "paid")])
    daily = pd.DataFrame({"group_id": ["g1", "g2", "g1", "v", "x"],
                          "messages": [30.0, 40.0, None, 28.0, 99.0],
                          "date": pd.to_datetime(["2025-03-01", "2025-03-01", "2025-03-02", "2025-03-01",
                                                  "2025-03-01"])})
    out = scorecard(members, orders, groups, daily, start=START, end=END).set_index("group_type")
    assert out.loc["综合福利群", "groups"] == 2 and out.loc["VIP会员群", "groups"] == 1  # "old" dismissed
    assert out.loc["综合福利群", "messages_per_day"] == 35.0
    assert out.loc["综合福利群", "conversion"] == pytest.approx(1 / 3)
    assert out.loc["综合福利群", "monthly_leaving"] == pytest.approx(1 / (60 + 30 + 60) * 30)
    assert out.loc["VIP会员群", ["conversion", "monthly_leaving"]].tolist() == [1.0, 0.0]
    ref = SCORECARD_REFERENCE["综合福利群"]
    refs = out.loc["综合福利群", ["reference_messages", "reference_conversion", "reference_leaving"]]
    assert refs.tolist() == [ref["messages"], ref["conversion"], ref["leaving"]] == [35.0, 0.06, 0.12]
    assert out.loc["VIP会员群", "reference_conversion"] == 0.15
    bare = scorecard(members, orders, groups, start=START, end=END)
    assert bare["messages_per_day"].isna().all()
