"""企业微信 staff KPIs (wxshop.analysis.private_domain.staff): hand-computed frames and planted pass
and open rates recovered within 3 standard errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis.private_domain.staff import (
    FRIEND_ADD_GOOD,
    KPI_COLUMNS,
    MOMENTS_INTERACTION,
    PASS_RATE_REAL_PERSON,
    SESSION_OPEN_GOOD,
    friend_add_rate,
    leaderboard,
    moments_interaction,
    session_open_rate,
    staff_kpis,
)

START, END = "2025-03-03", "2025-03-16"  # two ISO weeks, Monday to Sunday


def daily_frame() -> pd.DataFrame:
    rows = [  # staff, date, sent, passed, new, deleted, chats, messages, reply %, minutes
        ("s1", "2025-03-03", 10, 7, 7, 1, 10, 40, 100, 2.0),
        ("s1", "2025-03-10", 20, 10, 10, 0, 30, 90, 50, 10.0),
        ("s1", "2025-03-17", 99, 99, 99, 99, 99, 99, 0, 99.0),  # after the window
        ("s2", "2025-03-04", 5, 1, 2, 2, 0, 0, 80, None),  # no chats: no weight
        ("s2", "2025-03-16 23:00", 5, 4, 4, None, 20, 60, None, 5.0),
        ("s3", "2025-03-02", 7, 7, 7, 7, 7, 7, 7, 7.0),  # before the window
    ]
    frame = pd.DataFrame(rows, columns=["staff_id", "date", "requests_sent", "requests_passed",
                                        "new_contacts", "deleted", "chats", "messages",
                                        "reply_percentage", "avg_reply_minutes"])
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    return frame.astype({"staff_id": "str"} | {c: np.float64 for c in frame.columns[2:]})


def touches_frame() -> pd.DataFrame:
    rows = [  # customer, staff, ts, kind, opened, replied
        ("a", "s1", "2025-03-03 10:00", "1v1", 1.0, 1.0),
        ("b", "s1", "2025-03-04 10:00", "群发", 0.0, 1.0),  # a reply without an open does not count
        ("c", "s1", "2025-03-11 10:00", "群发", 1.0, 0.0),
        ("d", "s1", "2025-03-11 10:00", "朋友圈", 1.0, 1.0),  # another kind
        ("e", "s2", "2025-03-12 10:00", "1v1", None, None),  # unknown opened
        ("f", "s2", "2025-03-12 10:00", "1v1", 1.0, None),
        ("g", None, "2025-03-05 10:00", "1v1", 0.0, 0.0),
        ("h", "s2", "2025-03-17 00:00", "1v1", 1.0, 1.0),  # after the window
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "staff_id", "ts", "kind", "opened", "replied"])
    frame["ts"] = pd.to_datetime(frame["ts"])
    return frame.astype({"customer_id": "str", "staff_id": "str"})


def test_staff_kpis_in_total():
    out = staff_kpis(daily_frame(), touches_frame(), start=START, end=END)
    assert out.columns.tolist() == ["scope", *KPI_COLUMNS]
    row = out.iloc[0]
    assert row["scope"] == "all"
    assert row[["requests_sent", "requests_passed", "new_contacts", "chats", "messages"]].tolist() == [
        40.0, 22.0, 23.0, 60.0, 190.0]
    assert row["pass_rate"] == pytest.approx(22 / 40)
    assert row["deleted"] == 3.0
    assert row["deletion_rate"] == pytest.approx(3 / 19)  # s2's day without `deleted` is left out
    # chat-weighted: (1.0 × 10 + 0.5 × 30) / 40; s2's 0-chat day weighs nothing, its 20 chats lack a %
    assert row["reply_percentage"] == pytest.approx(25 / 40)
    assert row["avg_reply_minutes"] == pytest.approx((2 * 10 + 10 * 30 + 5 * 20) / 60)
    assert row[["touches", "opened", "replied"]].tolist() == [5.0, 3.0, 1.0]
    assert row["session_open_rate"] == pytest.approx(3 / 5)
    assert row["reply_rate"] == pytest.approx(1 / 3)


def test_staff_kpis_per_staff_and_week():
    by_staff = staff_kpis(daily_frame(), touches_frame(), start=START, end=END, by="staff_id")
    assert by_staff["staff_id"].tolist() == ["s1", "s2", "—"]  # sorted; "—" is a touch without staff
    assert by_staff["requests_sent"].tolist() == [30.0, 10.0, 0.0]
    assert by_staff["pass_rate"].tolist() == pytest.approx([17 / 30, 0.5, np.nan], nan_ok=True)
    assert by_staff["touches"].tolist() == [3.0, 1.0, 1.0]
    assert by_staff["reply_rate"].iloc[1] == 0.0  # s2's opened touch has no `replied`: no reply
    weeks = staff_kpis(daily_frame(), touches_frame(), start="2025-03-05", end="2025-03-20", by="week")
    assert weeks["week"].tolist() == ["2025-03-03", "2025-03-10", "2025-03-17"]
    assert weeks["requests_sent"].tolist() == [0.0, 25.0, 99.0]  # 03-03 and 03-04 are before 03-05
    assert weeks["touches"].tolist() == [1.0, 2.0, 1.0]
    with pytest.raises(ValueError, match="by"):
        staff_kpis(daily_frame(), start=START, end=END, by="month")
    with pytest.raises(ValueError, match="before"):
        staff_kpis(daily_frame(), start=END, end=START)


def test_missing_optional_columns_give_nan_columns():
    bare = daily_frame()[["staff_id", "date", "requests_sent"]]
    out = staff_kpis(bare, start=START, end=END)
    assert out["requests_sent"].iloc[0] == 40.0
    missing = [c for c in KPI_COLUMNS if c != "requests_sent"]
    assert out[missing].isna().all().all()
    no_reply = touches_frame().drop(columns="replied")
    out = staff_kpis(bare, no_reply, start=START, end=END)
    assert out["touches"].iloc[0] == 5.0 and out[["replied", "reply_rate"]].isna().all().all()
    weeks = staff_kpis(bare, no_reply, start=START, end="2025-03-23", by="week")
    assert weeks["touches"].tolist() == [3.0, 2.0, 1.0]
    assert weeks[["replied", "reply_rate"]].isna().all().all()


def test_session_open_rate():
    assert session_open_rate(touches_frame(), start=START, end=END) == {"touches": 5.0, "opened": 3.0,
                                                                         "rate": 0.6}
    one = session_open_rate(touches_frame(), start=START, end=END, kinds=("朋友圈",))
    assert one == {"touches": 1.0, "opened": 1.0, "rate": 1.0}
    empty = session_open_rate(touches_frame(), start="2026-01-01", end="2026-01-31")
    assert empty["touches"] == 0.0 and np.isnan(empty["rate"])
    assert SESSION_OPEN_GOOD == 0.5


def orders_frame() -> pd.DataFrame:
    rows = [
        ("a", "2025-02-20", 10.0, "paid"),  # a: first paid before the window
        ("a", "2025-03-05", 20.0, "paid"),
        ("b", "2025-03-02", 5.0, "cancelled"),  # b: first PAID order is in the window
        ("b", "2025-03-04", 30.0, "paid"),
        ("c", "2025-03-10", 40.0, "paid"),
        ("d", "2025-03-16 23:59", 50.0, "paid"),
        ("e", "2025-03-17 00:00", 60.0, "paid"),  # after the window
        (None, "2025-03-05", 70.0, "paid"),
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame.astype({"customer_id": "str"})


def contacts_frame() -> pd.DataFrame:
    rows = [  # contact, staff, customer, added, deleted
        ("x1", "s1", "a", "2025-01-01", None),
        ("x2", "s1", "b", "2025-03-04", None),
        ("x3", "s2", "b", "2025-03-01", None),  # b is the contact of two staff
        ("x4", "s2", "c", "2025-03-17", None),  # added after the window
        ("x5", "s2", "d", "2025-03-01", "2025-03-10"),  # deleted in the window
        ("x6", "s9", None, "2025-03-01", "2025-03-20"),  # deleted after: still a contact
    ]
    frame = pd.DataFrame(rows, columns=["contact_id", "staff_id", "customer_id", "added_at", "deleted_at"])
    for c in ("added_at", "deleted_at"):
        frame[c] = pd.to_datetime(frame[c])
    return frame.astype({c: "str" for c in ("contact_id", "staff_id", "customer_id")})


def test_friend_add_rate():
    out = friend_add_rate(orders_frame(), contacts_frame(), start=START, end=END)
    # new buyers b, c, d; added by the end: b (twice), d (deleted later, still added); c too late
    assert out == {"new_buyers": 3.0, "added": 2.0, "rate": pytest.approx(2 / 3), "start": START, "end": END}
    none = friend_add_rate(orders_frame(), contacts_frame(), start="2026-01-01", end="2026-01-02")
    assert none["new_buyers"] == 0.0 and np.isnan(none["rate"])
    assert FRIEND_ADD_GOOD == 0.25


def test_leaderboard():
    board = leaderboard(daily_frame(), contacts_frame(), orders_frame(), touches_frame(),
                        start=START, end=END)
    assert board["staff_id"].tolist() == ["s1", "s2", "s9"]  # the touch without a staff id is left out
    assert board["rank"].tolist() == [1, 2, 3]
    s1, s2, s9 = (board.iloc[i] for i in range(3))
    # s1: a (20 in the window; a's February order is before it) and b (30)
    assert s1[["contacts", "linked", "buyers", "gmv"]].tolist() == [2.0, 2.0, 2.0, 50.0]
    # s2: b counts again; c added too late, d deleted by the end
    assert s2[["contacts", "linked", "buyers", "gmv"]].tolist() == [1.0, 1.0, 1.0, 30.0]
    assert s9[["contacts", "linked", "buyers", "gmv"]].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert np.isnan(s9["requests_sent"])  # no 联系客户统计 rows for s9
    assert s1["pass_rate"] == pytest.approx(17 / 30)
    assert board.columns.tolist() == ["staff_id", *KPI_COLUMNS, "contacts", "linked", "buyers", "gmv", "rank"]


def test_moments_interaction():
    posts = pd.DataFrame({"channel": ["朋友圈", "朋友圈", "朋友圈", "公众号", "朋友圈"],
                          "posted_at": pd.to_datetime(["2025-03-03", "2025-03-05", "2025-03-06", "2025-03-05",
                                                       "2025-03-17"]),
                          "reach": [100.0, 300.0, None, 1000.0, 50.0],
                          "interactions": [2.0, 10.0, 5.0, 300.0, 50.0]})
    out = moments_interaction(posts, start=START, end=END)
    assert out == {"posts": 3.0, "reach": 400.0, "interactions": 17.0, "rate": pytest.approx(12 / 400)}
    assert MOMENTS_INTERACTION == 0.032


def test_planted_pass_and_open_rates():
    rng = np.random.default_rng(5)
    days = pd.date_range(START, END)
    truth = {"s1": (0.68, 0.55), "s2": (0.45, 0.30)}  # pass rate, open rate
    daily, touches = [], []
    for staff, (p_pass, p_open) in truth.items():
        sent = rng.poisson(40, days.size).astype(float)
        daily.append(pd.DataFrame({"staff_id": staff, "date": days, "requests_sent": sent,
                                   "requests_passed": rng.binomial(sent.astype(int), p_pass).astype(float)}))
        n = 3000
        touches.append(pd.DataFrame({"customer_id": [f"{staff}-{i}" for i in range(n)], "staff_id": staff,
                                     "ts": days[rng.integers(0, days.size, n)],
                                     "kind": rng.choice(["1v1", "群发"], n),
                                     "opened": (rng.random(n) < p_open).astype(float)}))
    daily = pd.concat(daily, ignore_index=True).astype({"staff_id": "str"})
    touches = pd.concat(touches, ignore_index=True).astype({"staff_id": "str", "customer_id": "str"})
    out = staff_kpis(daily, touches, start=START, end=END, by="staff_id").set_index("staff_id")
    for staff, (p_pass, p_open) in truth.items():
        row = out.loc[staff]
        assert abs(row["pass_rate"] - p_pass) < 3 * np.sqrt(p_pass * (1 - p_pass) / row["requests_sent"])
        assert abs(row["session_open_rate"] - p_open) < 3 * np.sqrt(p_open * (1 - p_open) / row["touches"])
    assert PASS_RATE_REAL_PERSON == 0.68
