"""Fission (wxshop.analysis.growth.fission): hand-made invitation trees, a direct pandas computation
on a small random store, Welch's interval against scipy, and the planted invitations of a demo
store."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from wxshop import demo
from wxshop.analysis.growth.fission import (
    chain_depth,
    invitation_share,
    invitee_value,
    k_factor,
    new_customer_share,
    top_inviters,
)
from wxshop.demo.settings import INVITE_CHANNEL

VALUE_COLUMNS = ["customers", "mean_gmv", "median_gmv", "repeat_rate", "diff_mean", "diff_ci_low",
                 "diff_ci_high", "p_value"]


@lru_cache(maxsize=1)
def demo_store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(20_000, 7, store_id="t")


def people(pairs: list[tuple[str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["customer_id", "inviter_id"]).astype("str")


def make_orders(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame.astype({"customer_id": "str", "status": "str"})


@lru_cache(maxsize=1)
def random_store() -> tuple[pd.DataFrame, pd.DataFrame]:
    """60 customers (about 40% invited, some by customers not in the table), 300 orders over
    200 days with all three statuses and a few missing amounts."""
    rng = np.random.default_rng(3)
    ids = [f"c{i:02d}" for i in range(60)]
    inviter = [ids[rng.integers(0, i)] if i and rng.random() < 0.4 else None for i in range(60)]
    inviter[7] = "ghost"
    customers = people(list(zip(ids, inviter, strict=True)))
    who = rng.integers(0, 62, 300)  # c60, c61: buyers not in the customers table
    at = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 200 * 86_400, 300), unit="s")
    amount = np.round(rng.gamma(2.0, 60.0, 300), 2)
    amount[::37] = np.nan
    status = rng.choice(["paid", "paid", "paid", "refunded", "cancelled"], 300)
    orders = make_orders([(f"c{w:02d}", t, a, s) for w, t, a, s in zip(who, at, amount, status,
                                                                         strict=True)])
    return customers, orders


def direct_window(customers: pd.DataFrame, orders: pd.DataFrame, days: int) -> pd.DataFrame:
    """Per buyer, by plain pandas: invited, complete window, GMV and distinct days in the first
    ``days`` days."""
    paid = orders[orders.status == "paid"].copy()
    paid["day"] = paid.ordered_at.dt.normalize()
    first = paid.groupby("customer_id").day.min().rename("first")
    paid = paid.join(first, on="customer_id")
    inside = paid[(paid.day - paid["first"]).dt.days < days]
    out = pd.DataFrame({"first": first})
    out["gmv"] = inside.groupby("customer_id").amount.sum().reindex(out.index).fillna(0.0)
    out["active"] = inside.groupby("customer_id").day.nunique().reindex(out.index)
    inviter = customers.drop_duplicates("customer_id").set_index("customer_id").inviter_id
    out["inviter"] = inviter.reindex(out.index)
    out["invited"] = out.inviter.notna()
    last_day = orders.ordered_at.max().normalize()
    out["complete"] = (last_day - out["first"]).dt.days >= days
    return out


# ------------------------------------------------------------------------------ chain depth


def test_chain_depth_of_a_chain():
    table = people([("a", None), ("b", "a"), ("c", "b"), ("d", None)])
    assert chain_depth(table).to_dict("list") == {"depth": [0, 1, 2], "customers": [2, 1, 1]}


def test_chain_depth_cycles_missing_inviters_and_duplicates():
    table = people([
        ("a", None), ("b", "a"), ("c", "b"), ("d", None),
        ("x", "y"), ("y", "x"), ("z", "x"), ("s", "s"),  # a cycle, a customer below it, a self-invite
        ("m", "ghost"), ("n", "m"),  # ghost is not in the table: m is depth 1
        ("b", None), ("e", " "),  # b listed twice (first row counts); a blank inviter is none
    ])
    got = chain_depth(table)
    assert got.to_dict("list") == {"depth": [0, 1, 2, -1], "customers": [3, 2, 2, 4]}
    assert got.dtypes.tolist() == [np.int64, np.int64]


def test_chain_depth_stops_after_100_rounds():
    ids = [f"r{i:03d}" for i in range(150)]
    table = people([(ids[i], ids[i - 1] if i else None) for i in range(150)])
    got = chain_depth(table).set_index("depth").customers
    assert got.loc[100] == 1 and 101 not in got.index
    assert got.loc[-1] == 49  # r101 … r149: deeper than 100 levels


def test_chain_depth_demo_has_no_cycles():
    tables, _ = demo_store()
    customers = tables["customers"]
    got = chain_depth(customers).set_index("depth").customers
    assert got.sum() == len(customers) and (got.index >= 0).all()
    assert got.loc[0] == customers.inviter_id.isna().sum()
    assert got.loc[1:].sum() == customers.inviter_id.notna().sum()


# ---------------------------------------------------------------------- invitation share


def test_invitation_share_by_month():
    customers = people([("a", None), ("b", "a"), ("c", "a"), ("d", "b"), ("e", "c")])
    orders = make_orders([
        ("a", "2025-01-05 10:00", 10.0, "paid"),
        ("b", "2025-01-20 10:00", 10.0, "refunded"),  # b's first PAID order is in April
        ("b", "2025-04-02 10:00", 10.0, "paid"),
        ("c", "2025-01-31 23:59", 10.0, "paid"),
        ("d", "2025-02-01 00:00", 10.0, "cancelled"),  # d never paid: not a new customer
        ("f", "2025-04-09 10:00", 10.0, "paid"),  # not in the customers table: organic
        ("c", "2025-04-10 10:00", 10.0, "paid"),
    ])
    got = invitation_share(customers, orders)
    assert got.columns.tolist() == ["month", "new_customers", "invited", "share"]
    assert got.month.tolist() == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert got.new_customers.tolist() == [2, 0, 0, 2]
    assert got.invited.tolist() == [1, 0, 0, 1]
    assert got.share.tolist()[::3] == [0.5, 0.5] and got.share[1:3].isna().all()
    quarters = invitation_share(customers, orders, freq="Q")
    assert quarters.to_dict("list") == {"quarter": ["2025-Q1", "2025-Q2"], "new_customers": [2, 2],
                                        "invited": [1, 1], "share": [0.5, 0.5]}
    assert invitation_share(customers, orders, freq="Y").year.tolist() == ["2025"]
    with pytest.raises(ValueError, match="freq"):
        invitation_share(customers, orders, freq="W")


def test_invitation_share_demo_adds_up():
    tables, _ = demo_store()
    got = invitation_share(tables["customers"], tables["orders"])
    k = k_factor(tables["customers"], tables["orders"])
    assert got.new_customers.sum() == k["customers"] and got.invited.sum() == k["invitees"]
    assert len(got) == 24  # 2024-11 … 2026-10


# ----------------------------------------------------------------------------- k factor


def test_k_factor_by_hand():
    customers = people([("a", None), ("b", "a"), ("c", "a"), ("d", "x"), ("e", "b"), ("f", "y")])
    orders = make_orders([
        ("a", "2025-01-01", 5.0, "paid"), ("b", "2025-01-02", 5.0, "paid"),
        ("c", "2025-01-03", 5.0, "paid"), ("d", "2025-01-04", 5.0, "refunded"),
        ("e", "2025-01-05", 5.0, "paid"), ("g", "2025-01-05", 5.0, "paid"),
    ])
    got = k_factor(customers, orders)
    assert got == {"inviters": 2, "invitees": 3, "customers": 5, "k_factor": 0.6,
                   "invited_share": 0.6, "invitees_per_inviter": 1.5}
    empty = k_factor(customers, orders.iloc[:0])
    assert empty["customers"] == 0 and np.isnan(empty["k_factor"])


def test_k_factor_demo_recovers_the_invited_share():
    tables, truth = demo_store()
    customers, orders = tables["customers"], tables["orders"]
    # independently: buyers = customers with a paid order; invited = an inviter recorded
    buyers = orders.loc[orders.status == "paid", "customer_id"].unique()
    invited = customers.set_index("customer_id").inviter_id.reindex(buyers).notna()
    got = k_factor(customers, orders)
    assert got["customers"] == len(buyers) and got["invitees"] == invited.sum()
    assert got["invited_share"] == pytest.approx(invited.mean(), abs=1e-12)
    assert got["k_factor"] == got["invited_share"]
    # the generator gives an inviter to exactly the 拼团邀请 customers
    assert ((customers.acquisition_channel == INVITE_CHANNEL) == customers.inviter_id.notna()).all()
    planted = truth["customers"]["planted"]["acquisition_channel_shares"][INVITE_CHANNEL]
    realised = truth["customers"]["realised"]["acquisition_channel_shares"][INVITE_CHANNEL]
    assert abs(got["invited_share"] - planted) < 0.02
    assert abs(got["invited_share"] - realised) < 0.01  # refunds barely change the buyers
    assert got["inviters"] == customers.inviter_id[customers.customer_id.isin(buyers)].nunique()


# ------------------------------------------------------------------------- invitee value


def test_invitee_value_matches_pandas():
    customers, orders = random_store()
    days = 30
    got = invitee_value(customers, orders, days=days)
    assert got.index.tolist() == ["invited", "organic"] and got.index.name == "group"
    assert got.columns.tolist() == VALUE_COLUMNS
    direct = direct_window(customers, orders, days)
    assert (~direct.complete).any() and direct.complete.any()
    for group, member in (("invited", direct.invited), ("organic", ~direct.invited)):
        rows = direct[direct.complete & member]
        assert got.loc[group, "customers"] == len(rows) > 2
        assert got.loc[group, "mean_gmv"] == pytest.approx(round(rows.gmv.mean(), 2), abs=1e-9)
        assert got.loc[group, "median_gmv"] == pytest.approx(round(rows.gmv.median(), 2), abs=1e-9)
        assert got.loc[group, "repeat_rate"] == pytest.approx((rows.active >= 2).mean())
    a = direct.gmv[direct.complete & direct.invited].to_numpy()
    b = direct.gmv[direct.complete & ~direct.invited].to_numpy()
    welch = stats.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(0.95)
    row = got.loc["invited"]
    assert row.diff_mean == pytest.approx(round(a.mean() - b.mean(), 2), abs=1e-9)
    assert row.diff_ci_low == pytest.approx(round(ci.low, 2), abs=1e-9)
    assert row.diff_ci_high == pytest.approx(round(ci.high, 2), abs=1e-9)
    assert row.p_value == pytest.approx(welch.pvalue)
    assert got.loc["organic", VALUE_COLUMNS[4:]].isna().all()


def test_invitee_value_window_by_hand():
    customers = people([("a", None), ("b", "a"), ("c", "a")])
    orders = make_orders([
        ("a", "2025-01-01 09:00", 10.0, "paid"), ("a", "2025-01-01 18:00", 5.0, "paid"),  # same day
        ("a", "2025-01-10 23:59", 7.0, "paid"),  # day 9 of a: inside 10 days
        ("b", "2025-01-02 08:00", 3.0, "refunded"), ("b", "2025-01-05 08:00", 20.0, "paid"),
        ("b", "2025-01-15 08:00", 30.0, "paid"),  # day 10 of b: outside
        ("c", "2025-01-07 08:00", 8.0, "paid"),  # 2025-01-07 + 10 days > 2025-01-16: incomplete
        ("a", "2025-01-16 12:00", 1.0, "cancelled"),  # the last order (any status) sets the end
    ])
    got = invitee_value(customers, orders, days=10)
    assert got.customers.tolist() == [1, 1]
    assert got.mean_gmv.tolist() == [20.0, 22.0] and got.repeat_rate.tolist() == [0.0, 1.0]
    assert got.loc["invited", VALUE_COLUMNS[4:]].isna().all()  # one buyer a side: no Welch
    with pytest.raises(ValueError, match="days"):
        invitee_value(customers, orders, days=0)


def test_invitee_value_demo_runs():
    tables, _ = demo_store()
    got = invitee_value(tables["customers"], tables["orders"])
    row = got.loc["invited"]
    assert row.diff_ci_low <= row.diff_mean <= row.diff_ci_high
    assert got.customers.sum() > 0.5 * k_factor(tables["customers"], tables["orders"])["customers"]


# -------------------------------------------------------------------------- top inviters


def test_top_inviters_by_hand():
    customers = people([("a", None), ("b", "a"), ("c", "a"), ("d", "b"), ("e", "z"), ("f", "b")])
    orders = make_orders([
        ("b", "2025-01-01", 10.0, "paid"), ("c", "2025-01-02", 20.0, "paid"),
        ("c", "2025-06-01", 500.0, "paid"),  # outside c's first 90 days
        ("d", "2025-01-04", 30.0, "paid"), ("e", "2025-01-05", 30.0, "paid"),
        ("f", "2025-01-05", 99.0, "refunded"),  # f never bought: not counted for b
    ])
    got = top_inviters(customers, orders, n=2)
    assert got.to_dict("list") == {"inviter_id": ["a", "b"], "invitees": [2, 1],
                                   "invitee_gmv": [30.0, 30.0]}  # b before z: same figures, id order
    assert top_inviters(customers, orders).inviter_id.tolist() == ["a", "b", "z"]
    assert top_inviters(customers, orders, days=365).invitee_gmv.tolist() == [530.0, 30.0, 30.0]


def test_top_inviters_match_pandas():
    customers, orders = random_store()
    direct = direct_window(customers, orders, 90)
    expected = direct[direct.invited].groupby("inviter").agg(invitees=("gmv", "size"),
                                                             invitee_gmv=("gmv", "sum"))
    got = top_inviters(customers, orders, n=1000)
    assert len(got) == len(expected)
    got = got.set_index("inviter_id")
    assert (got.invitees == expected.invitees.reindex(got.index)).all()
    assert np.allclose(got.invitee_gmv, expected.invitee_gmv.reindex(got.index).round(2))
    order = list(zip(-got.invitees, -got.invitee_gmv, got.index, strict=True))
    assert order == sorted(order)


# ------------------------------------------------------------------------------- empties


def test_empty_inputs_and_missing_columns():
    customers, orders = random_store()
    none = orders.iloc[:0]
    assert invitation_share(customers, none).columns.tolist() == ["month", "new_customers", "invited",
                                                                  "share"]
    assert len(invitation_share(customers, none)) == 0
    assert invitee_value(customers, none).columns.tolist() == VALUE_COLUMNS
    assert len(invitee_value(customers, none)) == 0
    assert top_inviters(customers, none).columns.tolist() == ["inviter_id", "invitees", "invitee_gmv"]
    assert chain_depth(customers.iloc[:0]).columns.tolist() == ["depth", "customers"]
    assert len(top_inviters(customers, orders.assign(status="cancelled"))) == 0
    with pytest.raises(KeyError, match="inviter_id"):
        k_factor(customers.drop(columns="inviter_id"), orders)
    with pytest.raises(KeyError, match="amount"):
        invitee_value(customers, orders.drop(columns="amount"))


@pytest.mark.parametrize("days", [30, 90])
def test_new_customer_share_matches_pandas(days):
    """The invited share of the last ``days`` days' new buyers, against a direct pandas count on
    the demo store: first paid day within the window ending on the last order's day."""
    tables, _ = demo_store()
    customers, orders = tables["customers"], tables["orders"]
    paid = orders[(orders.status == "paid") & orders.customer_id.notna()]
    first = paid.groupby("customer_id").ordered_at.min().dt.normalize()
    last = orders.ordered_at.max().normalize()
    new = first[first > last - pd.Timedelta(days=days)].index
    inviter = customers.set_index("customer_id").inviter_id.reindex(new)
    got = new_customer_share(customers, orders, days=days)
    assert got["new_customers"] == len(new) > 100
    assert got["invited"] == int(inviter.notna().sum()) > 0
    assert got["share"] == pytest.approx(inviter.notna().mean(), abs=1e-12)
