"""Contacts → first purchase → repeat (wxshop.analysis.private_domain.contacts): a hand-counted
store with every boundary, the window counter against a plain loop, and a random store against
a row-by-row computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis.private_domain.contacts import (
    FUNNEL_COLUMNS,
    added_before_first_order,
    contact_funnel,
    events_between,
    linked_ids,
    nanoseconds,
    paid_between,
)

END = "2025-03-31"  # with days=30: complete follow-up when added_at ≤ 2025-03-02 00:00


def ts(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), format="mixed"))


def hand_contacts() -> pd.DataFrame:
    rows = [
        ("c1", "a", "s1", "包裹卡", "2025-01-10 12:00"),  # bought before; 2 orders after: repeat
        ("c2", "b", "s1", "包裹卡", "2025-01-10 12:00"),  # an order at added_at exactly: bought before
        ("c3", "c", "s1", "扫码", "2025-02-01 08:00"),  # new (2 calendar days); 2nd order 1 s too late
        ("c4", "d", "s2", "扫码", "2025-02-10 20:00"),  # new (1 calendar day) and repeat
        ("c5", None, "s2", None, "2025-01-15 00:00"),  # unlinked: a contact that did not buy
        ("c6", "e", "s2", "扫码", "2025-03-02 00:00"),  # the last complete day: in; no order
        ("c7", "f", "s1", "扫码", "2025-03-02 00:00:01"),  # one second too late: out of the funnel
        ("c8", " a ", "s2", "活动", "2025-02-15 00:00"),  # a again, another staff member: bought before
        ("c9", "g", "s2", "扫码", None),  # no added_at: ignored
    ]
    frame = pd.DataFrame(rows, columns=["contact_id", "customer_id", "staff_id", "add_source", "added_at"])
    frame["added_at"] = pd.to_datetime(frame["added_at"], format="mixed")
    return frame.astype({c: "str" for c in ("contact_id", "customer_id", "staff_id", "add_source")})


def hand_orders() -> pd.DataFrame:
    rows = [
        ("a", "2025-01-05 10:00", "paid"),
        ("a", "2025-01-20 10:00", "paid"),
        ("a", "2025-02-09 12:00", "paid"),  # exactly added_at + 30 days: inside
        ("a", "2025-04-01 10:00", "paid"),  # after END: ignored
        ("b", "2025-01-10 12:00", "paid"),
        ("c", "2025-02-01 09:00", "refunded"),  # not paid
        ("c", "2025-02-03 07:00", "paid"),
        ("c", "2025-03-03 08:00:01", "paid"),  # added_at + 30 days + 1 s: outside
        ("d", "2025-02-11 01:00", "paid"),
        ("d", "2025-02-12 10:00", "paid"),
        ("f", "2025-03-03 10:00", "paid"),
        ("z", "2025-01-01 10:00", "paid"),  # a customer with no contact
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "status"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="mixed")
    frame["amount"] = 10.0
    return frame.astype({"customer_id": "str", "status": "str"})


def test_funnel_overall_by_hand():
    got = contact_funnel(hand_contacts(), hand_orders(), end=END, days=30)
    assert list(got.columns) == list(FUNNEL_COLUMNS)
    assert got.index.tolist() == ["all"] and got.index.name == "group"
    row = got.loc["all"]
    # c1 c2 c3 c4 c5 c6 c8; linked: all but c5; bought before: c1 c2 c8; new: c3 c4; repeat: c1 c4
    counts = ["contacts", "linked", "buyer_before", "new_after", "repeat_after"]
    assert row[counts].tolist() == [7, 6, 3, 2, 2]
    assert row["first_purchase_rate"] == pytest.approx(2 / (7 - 3))
    assert row["repeat_rate"] == pytest.approx(2 / 6)
    assert row["median_days_to_first"] == pytest.approx(1.5)  # days 2 (c3) and 1 (c4)


def test_funnel_by_staff_by_hand():
    got = contact_funnel(hand_contacts(), hand_orders(), end=END, days=30, by="staff_id")
    assert got.index.tolist() == ["s2", "s1"] and got.index.name == "staff_id"  # most contacts first
    s1, s2 = got.loc["s1"], got.loc["s2"]
    assert s1[["contacts", "linked", "buyer_before", "new_after", "repeat_after"]].tolist() == [3, 3, 2, 1, 1]
    assert s1["first_purchase_rate"] == 1.0 and s1["repeat_rate"] == pytest.approx(1 / 3)
    assert s1["median_days_to_first"] == 2.0
    assert s2[["contacts", "linked", "buyer_before", "new_after", "repeat_after"]].tolist() == [4, 3, 1, 1, 1]
    assert s2["first_purchase_rate"] == pytest.approx(1 / 3) and s2["repeat_rate"] == pytest.approx(1 / 3)
    assert s2["median_days_to_first"] == 1.0


def test_funnel_by_source_by_hand():
    got = contact_funnel(hand_contacts(), hand_orders(), end=END, days=30, by="add_source")
    assert got.index.tolist() == ["扫码", "包裹卡", "—", "活动"]
    assert got["contacts"].tolist() == [3, 2, 1, 1]
    assert got["new_after"].tolist() == [2, 0, 0, 0]
    card, missing, event = got.loc["包裹卡"], got.loc["—"], got.loc["活动"]
    assert np.isnan(card["first_purchase_rate"]) and card["repeat_rate"] == 0.5  # every contact bought before
    assert missing["first_purchase_rate"] == 0.0 and np.isnan(missing["repeat_rate"])  # unlinked only
    assert np.isnan(event["first_purchase_rate"]) and event["repeat_rate"] == 0.0
    assert got.loc["扫码", "first_purchase_rate"] == pytest.approx(2 / 3)
    assert got.loc["扫码", "median_days_to_first"] == 1.5


def test_funnel_window_length_moves_the_boundaries():
    # days=1: cohort up to 2025-03-31 00:00 (c7 in); a's order 10 days after c1 is outside one day
    got = contact_funnel(hand_contacts(), hand_orders(), end=END, days=1).loc["all"]
    assert got["contacts"] == 8 and got["buyer_before"] == 3
    assert got["new_after"] == 1  # d (5 h after); c's first order is 47 h after, f's 34 h
    assert got["repeat_after"] == 0


def test_funnel_without_customer_ids_and_empty():
    contacts = hand_contacts().drop(columns="customer_id")
    got = contact_funnel(contacts, hand_orders(), end=END, days=30).loc["all"]
    assert got["contacts"] == 7 and got["linked"] == 0 and got["first_purchase_rate"] == 0.0
    assert np.isnan(got["repeat_rate"]) and np.isnan(got["median_days_to_first"])
    empty = contact_funnel(hand_contacts(), hand_orders(), end="2024-12-31", days=30)
    assert empty.loc["all", "contacts"] == 0 and np.isnan(empty.loc["all", "first_purchase_rate"])
    assert len(contact_funnel(hand_contacts(), hand_orders(), end="2024-12-31", by="staff_id")) == 0


def test_funnel_errors():
    with pytest.raises(ValueError, match="by must be"):
        contact_funnel(hand_contacts(), hand_orders(), end=END, by="tags")
    with pytest.raises(ValueError, match="days"):
        contact_funnel(hand_contacts(), hand_orders(), end=END, days=0)
    with pytest.raises(KeyError, match="added_at"):
        contact_funnel(hand_contacts().drop(columns="added_at"), hand_orders(), end=END)
    with pytest.raises(KeyError, match="ordered_at"):
        contact_funnel(hand_contacts(), hand_orders().drop(columns="ordered_at"), end=END)


def test_added_before_first_order_by_hand():
    got = added_before_first_order(hand_contacts(), hand_orders())
    assert got.index.tolist() == ["added_first", "bought_first", "not_bought"] and got.index.name == "route"
    # linked with added_at: c1 c2 c3 c4 c6 c7 c8; added first: c3 (refund ignored), c4, c7;
    # bought first: c1, c2 (at added_at), c8; never bought: c6
    assert got["contacts"].tolist() == [3, 3, 1]
    assert got["share"].tolist() == pytest.approx([3 / 7, 3 / 7, 1 / 7])
    assert got["share_of_buyers"].tolist()[:2] == [0.5, 0.5] and np.isnan(got["share_of_buyers"].iloc[2])
    none = added_before_first_order(hand_contacts().iloc[[4]], hand_orders())  # unlinked only
    assert none["contacts"].tolist() == [0, 0, 0] and none["share"].isna().all()


def test_linked_ids_and_nanoseconds():
    assert linked_ids(pd.Series([" x", "  ", None])).isna().tolist() == [False, True, True]
    tz = pd.Series(pd.to_datetime(["2025-01-01 08:00"]).tz_localize("Asia/Shanghai"))
    assert nanoseconds(tz)[0] == nanoseconds(ts("2025-01-01 08:00"))[0]  # wall clock kept


def test_events_between_boundaries():
    ev_ids = pd.Series(["a", "a", "a", None, "b"])
    ev_at = nanoseconds(ts("2025-01-01", "2025-01-02", "2025-01-03", "2025-01-02", None))
    ids = pd.Series(["a", "a", "a", "b", None, "zz"])
    lo = nanoseconds(ts("2025-01-01", "2025-01-01", None, "2025-01-01", "2025-01-01", "2025-01-01"))
    hi = nanoseconds(ts("2025-01-03", "2025-01-03", None, "2025-01-09", "2025-01-09", "2025-01-09"))
    n, first = events_between(ev_ids, ev_at, ids, lo, hi)  # (lo, hi]
    assert n.tolist() == [2, 2, 3, 0, 0, 0]
    assert first[0] == nanoseconds(ts("2025-01-02"))[0] and first[2] == nanoseconds(ts("2025-01-01"))[0]
    assert (first[3:] == np.iinfo(np.int64).min).all()
    n, first = events_between(ev_ids, ev_at, ids, lo, hi, closed="left")  # [lo, hi)
    assert n.tolist() == [2, 2, 3, 0, 0, 0] and first[0] == nanoseconds(ts("2025-01-01"))[0]
    n, _ = events_between(ev_ids, ev_at, ids[:1], hi[:1], lo[:1])  # hi before lo: none
    assert n.tolist() == [0]
    n, first = events_between(pd.Series([], dtype="str"), np.zeros(0, np.int64), ids, lo, hi)
    assert n.tolist() == [0] * 6 and (first == np.iinfo(np.int64).min).all()
    with pytest.raises(ValueError, match="closed"):
        events_between(ev_ids, ev_at, ids, lo, hi, closed="both")


def test_events_between_matches_a_loop():
    rng = np.random.default_rng(5)
    base = np.datetime64("2025-01-01T00:00:00", "ns").astype(np.int64)
    hour = 3600 * 10**9
    ev_ids = pd.Series(rng.choice(list("abcdefg"), 400).astype(str))
    ev_at = base + rng.integers(0, 24 * 60, 400) * hour
    ev_at[:50] = ev_at[50:100]  # ties
    ids = pd.Series(rng.choice(list("abcdefghx"), 300).astype(str))
    lo = base + rng.integers(0, 24 * 60, 300) * hour
    lo[:30] = ev_at[:30]  # window bounds on an event
    hi = lo + rng.integers(0, 24 * 20, 300) * hour
    for closed in ("right", "left"):
        n, first = events_between(ev_ids, ev_at, ids, lo, hi, closed=closed)
        for i in range(len(ids)):
            t = ev_at[(ev_ids == ids[i]).to_numpy()]
            inside = t[(t > lo[i]) & (t <= hi[i])] if closed == "right" else t[(t >= lo[i]) & (t < hi[i])]
            assert n[i] == inside.size
            assert first[i] == (inside.min() if inside.size else np.iinfo(np.int64).min)


def test_paid_between_skips_unpaid_and_later_orders():
    orders = hand_orders()
    lo = nanoseconds(ts("2025-01-01"))
    n, _ = paid_between(orders, pd.Series(["a"]), lo, lo + 400 * 86400 * 10**9, end=END)
    assert n.tolist() == [3]  # the April order is after END
    n, _ = paid_between(orders, pd.Series(["a", "c"]), np.r_[lo, lo], np.r_[lo, lo] + 400 * 86400 * 10**9,
                        end=None)
    assert n.tolist() == [4, 2]  # every order, c's refund left out
    no_status = orders.drop(columns="status")
    n, _ = paid_between(no_status, pd.Series(["c"]), lo, lo + 400 * 86400 * 10**9, end=None)
    assert n.tolist() == [3]


def funnel_by_loop(contacts: pd.DataFrame, orders: pd.DataFrame, end: str, days: int) -> dict[str, float]:
    """contact_funnel's overall row, one contact at a time."""
    limit = pd.Timestamp(end) + pd.Timedelta(days=1)
    paid = orders[(orders["status"] == "paid") & (orders["ordered_at"] < limit)]
    rows = contacts[contacts["added_at"].notna() & (contacts["added_at"] + pd.Timedelta(days=days) <= limit)]
    n = linked = before_n = new_n = repeat_n = 0
    waits = []
    for _, c in rows.iterrows():
        n += 1
        if pd.isna(c["customer_id"]):
            continue
        linked += 1
        t = paid.loc[paid["customer_id"] == c["customer_id"], "ordered_at"]
        before = bool((t <= c["added_at"]).any())
        after = t[(t > c["added_at"]) & (t <= c["added_at"] + pd.Timedelta(days=days))]
        before_n += before
        repeat_n += len(after) >= 2
        if not before and len(after):
            new_n += 1
            waits.append((after.min().normalize() - c["added_at"].normalize()).days)
    return {"contacts": n, "linked": linked, "buyer_before": before_n, "new_after": new_n,
            "repeat_after": repeat_n, "first_purchase_rate": new_n / (n - before_n),
            "repeat_rate": repeat_n / linked, "median_days_to_first": float(np.median(waits))}


def test_funnel_matches_a_loop_on_a_random_store():
    rng = np.random.default_rng(11)
    start = pd.Timestamp("2025-01-01")
    customers = [f"u{i}" for i in range(120)]
    contacts = pd.DataFrame({
        "contact_id": [f"k{i}" for i in range(300)],
        "customer_id": pd.Series(rng.choice(customers, 300)).where(rng.random(300) > 0.2),
        "staff_id": rng.choice(["s1", "s2", "s3"], 300),
        "added_at": start + pd.to_timedelta(rng.integers(0, 150 * 24, 300), unit="h"),
    }).astype({"contact_id": "str", "customer_id": "str", "staff_id": "str"})
    orders = pd.DataFrame({
        "customer_id": rng.choice(customers, 900),
        "ordered_at": start - pd.Timedelta(days=30)
        + pd.to_timedelta(rng.integers(0, 220 * 24, 900), unit="h"),
        "status": rng.choice(["paid", "paid", "paid", "refunded"], 900),
    }).astype({"customer_id": "str", "status": "str"})
    want = funnel_by_loop(contacts, orders, "2025-05-31", 45)
    got = contact_funnel(contacts, orders, end="2025-05-31", days=45).loc["all"]
    assert want["contacts"] > 100 and want["new_after"] > 10 and want["repeat_after"] > 5
    for k, v in want.items():
        assert got[k] == pytest.approx(v), k
    by = contact_funnel(contacts, orders, end="2025-05-31", days=45, by="staff_id")
    for col in ("contacts", "linked", "buyer_before", "new_after", "repeat_after"):
        assert by[col].sum() == want[col]
