"""Acquisition by campaign (wxshop.analysis.growth.acquired): a hand-made store, a direct pandas
computation on a small random store, Welch's interval against scipy, and a demo store."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from wxshop import demo
from wxshop.analysis.growth.acquired import acquired_difference, acquired_value

KEYS = ["campaign_mean", "organic_mean", "diff", "ci_low", "ci_high", "p_value", "n_campaign", "n_organic"]


@lru_cache(maxsize=1)
def demo_store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(20_000, 7, store_id="t")


def columns(days: tuple[int, ...]) -> list[str]:
    return ["customers", *[f"{c}_{n}" for n in days for c in ("eligible", "repurchase", "value")]]


def make_orders(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status", "campaign_id"])
    frame.insert(0, "order_id", [f"o{i}" for i in range(len(frame))])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
    return frame.astype({"order_id": "str", "customer_id": "str", "status": "str", "campaign_id": "str"})


CAMPAIGNS = pd.DataFrame({"campaign_id": ["MJ", "JR", "ZK", "MJ"], "name": ["满减", "节日", "折扣", "x"],
                          "type": ["满减", "节日", "折扣", "秒杀"]}).astype("str")  # MJ twice: first row


def hand_orders() -> pd.DataFrame:
    """Last order day 2025-01-20 (f's refunded order): with days 10 a buyer is eligible when the
    first paid day is ≤ 2025-01-10, with days 18 when it is ≤ 2025-01-02."""
    return make_orders([
        ("a", "2025-01-01 10:00", 40.0, "paid", "MJ"),  # acquired by MJ
        ("a", "2025-01-01 18:00", 10.0, "paid", None),  # same day: not a repurchase
        ("a", "2025-01-03 09:00", 99.0, "cancelled", None),  # ignored
        ("b", "2025-01-02 09:00", 20.0, "paid", None),  # organic
        ("b", "2025-01-05 09:00", 30.0, "paid", "MJ"),  # a later campaign order: still organic
        ("b", "2025-01-12 09:00", 100.0, "paid", None),  # b's day 10: outside 10 days, inside 18
        ("c", "2025-01-15 09:00", 70.0, "paid", "JR"),  # acquired, but too recent for 10 days
        ("d", "2024-12-30 09:00", 5.0, "cancelled", "MJ"),  # not paid: d's first paid order is next
        ("d", "2025-01-03 09:00", 15.0, "paid", "EXP1"),  # an id not in CAMPAIGNS
        ("e", "2025-01-04 09:00", 12.0, "paid", " "),  # blank: organic
        ("e", "2025-01-06 09:00", np.nan, "paid", None),  # a missing amount counts 0, still a day
        ("f", "2025-01-20 09:00", 80.0, "refunded", "JR"),  # not a buyer; sets the last day
    ])


def test_hand_store_without_a_campaigns_table():
    got = acquired_value(hand_orders(), days=(10, 18))
    assert got.index.tolist() == ["campaign", "organic"] and got.index.name == "group"
    assert got.columns.tolist() == columns((10, 18))
    # campaign: a, c, d (EXP1 counts without a table); organic: b, e
    assert got.to_dict("list") == {
        "customers": [3, 2],
        # value_10: a 50, d 15 | b 50, e 12
        "eligible_10": [2, 2], "repurchase_10": [0.0, 1.0], "value_10": [32.5, 31.0],
        "eligible_18": [1, 1], "repurchase_18": [0.0, 1.0], "value_18": [50.0, 150.0],
    }
    assert got.dtypes["customers"] == np.int64 and got.dtypes["eligible_10"] == np.int64


def test_hand_store_with_a_campaigns_table_and_types():
    got = acquired_value(hand_orders(), CAMPAIGNS, days=10)
    assert got.columns.tolist() == columns((10,))
    assert got.customers.tolist() == [2, 3]  # a, c; b, d, e
    assert got.eligible_10.tolist() == [1, 3]
    assert got.repurchase_10.tolist() == pytest.approx([0.0, 2 / 3])
    assert got.value_10.tolist() == [50.0, round(77 / 3, 2)]
    split = acquired_value(hand_orders(), CAMPAIGNS, days=10, by_type=True)
    assert split.index.tolist() == ["满减", "折扣", "节日", "organic"]  # the playbook's order, no 秒杀
    assert split.customers.tolist() == [1, 0, 1, 3] and split.eligible_10.tolist() == [1, 0, 0, 3]
    assert split.value_10.iloc[0] == 50.0 and split.value_10.iloc[1:3].isna().all()
    assert split.loc["organic"].equals(got.loc["organic"])


def test_hand_store_difference_and_first_order_ties():
    got = acquired_difference(hand_orders(), days=10)
    assert list(got) == KEYS
    a, b = np.array([50.0, 15.0]), np.array([50.0, 12.0])
    welch = stats.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(0.95)
    assert (got["n_campaign"], got["n_organic"]) == (2, 2)
    assert (got["campaign_mean"], got["organic_mean"], got["diff"]) == (32.5, 31.0, 1.5)
    assert (got["ci_low"], got["ci_high"]) == (round(ci.low, 2), round(ci.high, 2))
    assert got["p_value"] == pytest.approx(welch.pvalue)
    one = acquired_difference(hand_orders(), CAMPAIGNS, days=10)  # one campaign buyer: no test
    assert one["campaign_mean"] == 50.0 and one["n_campaign"] == 1
    assert all(np.isnan(one[k]) for k in ("diff", "ci_low", "ci_high", "p_value"))
    tie = [("x", "2025-01-01 09:00", 10.0, "paid", "MJ"), ("x", "2025-01-01 09:00", 10.0, "paid", None)]
    assert acquired_value(make_orders(tie), days=1).customers.tolist() == [1, 0]  # the first row
    assert acquired_value(make_orders(tie[::-1]), days=1).customers.tolist() == [0, 1]


def test_empty_inputs_and_bad_arguments():
    orders = hand_orders()
    for none in (orders.iloc[:0], orders.assign(status="cancelled")):
        got = acquired_value(none, CAMPAIGNS, by_type=True)
        assert got.columns.tolist() == columns((30, 60, 90)) and len(got) == 0
        assert got.index.name == "group" and got.dtypes["eligible_30"] == np.int64
        r = acquired_difference(none)
        assert list(r) == KEYS and (r["n_campaign"], r["n_organic"]) == (0, 0)
        assert all(np.isnan(r[k]) for k in KEYS[:6])
    with pytest.raises(ValueError, match="by_type"):
        acquired_value(orders, by_type=True)
    with pytest.raises(KeyError, match="type"):
        acquired_value(orders, CAMPAIGNS.drop(columns="type"), by_type=True)
    with pytest.raises(KeyError, match="campaign_id"):
        acquired_value(orders.drop(columns="campaign_id"))
    with pytest.raises(ValueError, match="days"):
        acquired_value(orders, days=(30, 30))
    with pytest.raises(ValueError, match="days"):
        acquired_difference(orders, days=0)
    with pytest.raises(ValueError, match="alpha"):
        acquired_difference(orders, alpha=1.0)


# ------------------------------------------------------------------- against plain pandas


@lru_cache(maxsize=1)
def random_store() -> pd.DataFrame:
    """80 customers, 500 orders over 240 days, three statuses, missing amounts, campaign ids in and
    out of CAMPAIGNS, blank ones."""
    rng = np.random.default_rng(11)
    n = 500
    who = [f"c{w:02d}" for w in rng.integers(0, 80, n)]
    at = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 240 * 86_400, n), unit="s")
    amount = np.round(rng.gamma(2.0, 60.0, n), 2)
    amount[::41] = np.nan
    status = rng.choice(["paid", "paid", "paid", "refunded", "cancelled"], n)
    camp = rng.choice(np.array(["MJ", "JR", "ZK", "OTHER", " ", None, None, None], dtype=object), n)
    return make_orders(list(zip(who, at, amount, status, camp, strict=True)))


def direct(orders: pd.DataFrame, campaigns: pd.DataFrame | None, n: int) -> pd.DataFrame:
    """Per buyer, by plain pandas: group, eligible, repurchase and value over the first n days."""
    paid = orders[orders.status == "paid"].copy()
    paid["day"] = paid.ordered_at.dt.normalize()
    paid = paid.sort_values(["customer_id", "ordered_at"], kind="stable")
    first = paid.groupby("customer_id").head(1).set_index("customer_id")
    cid = first.campaign_id.str.strip()
    known = cid.isin(campaigns.campaign_id) if campaigns is not None else cid.notna() & (cid != "")
    types = campaigns.drop_duplicates("campaign_id").set_index("campaign_id").type if campaigns is not None \
        else None
    out = pd.DataFrame({"first": first.day, "campaign": known})
    out["type"] = cid.map(types) if types is not None else None
    paid = paid.join(out["first"], on="customer_id")
    inside = paid[(paid.day - paid["first"]).dt.days < n]
    out["value"] = inside.groupby("customer_id").amount.sum().reindex(out.index).fillna(0.0)
    out["again"] = inside.groupby("customer_id").day.nunique().reindex(out.index) >= 2
    out["eligible"] = (orders.ordered_at.max().normalize() - out["first"]).dt.days >= n
    return out


@pytest.mark.parametrize("with_table", [False, True])
def test_matches_pandas_on_a_random_store(with_table):
    orders = random_store()
    campaigns = CAMPAIGNS if with_table else None
    got = acquired_value(orders, campaigns, days=(30, 90))
    for n in (30, 90):
        d = direct(orders, campaigns, n)
        assert (~d.eligible).any() and d.campaign.sum() > 5
        for group, member in (("campaign", d.campaign), ("organic", ~d.campaign)):
            rows = d[member & d.eligible]
            assert got.loc[group, "customers"] == member.sum()
            assert got.loc[group, f"eligible_{n}"] == len(rows) > 2
            assert got.loc[group, f"repurchase_{n}"] == pytest.approx(rows.again.mean())
            assert got.loc[group, f"value_{n}"] == pytest.approx(round(rows.value.mean(), 2), abs=1e-9)
    if with_table:
        split = acquired_value(orders, campaigns, days=30, by_type=True)
        d = direct(orders, campaigns, 30)
        expected = d[d.campaign].groupby("type").size()
        assert split.index.tolist() == ["满减", "折扣", "节日", "organic"]
        assert split.customers.iloc[:3].tolist() == expected.reindex(["满减", "折扣", "节日"]).tolist()


@pytest.mark.parametrize("alpha", [0.05, 0.2])
def test_welch_matches_scipy(alpha):
    orders = random_store()
    d = direct(orders, CAMPAIGNS, 60)
    a = d.value[d.eligible & d.campaign].to_numpy()
    b = d.value[d.eligible & ~d.campaign].to_numpy()
    welch = stats.ttest_ind(a, b, equal_var=False)
    ci = welch.confidence_interval(1 - alpha)
    got = acquired_difference(orders, CAMPAIGNS, days=60, alpha=alpha)
    assert (got["n_campaign"], got["n_organic"]) == (a.size, b.size)
    assert got["campaign_mean"] == pytest.approx(round(a.mean(), 2), abs=1e-9)
    assert got["organic_mean"] == pytest.approx(round(b.mean(), 2), abs=1e-9)
    assert got["diff"] == pytest.approx(round(a.mean() - b.mean(), 2), abs=1e-9)
    assert got["ci_low"] == pytest.approx(round(ci.low, 2), abs=1e-9)
    assert got["ci_high"] == pytest.approx(round(ci.high, 2), abs=1e-9)
    assert got["p_value"] == pytest.approx(welch.pvalue)


# ------------------------------------------------------------------------------ the demo


def test_demo_campaign_buyers_repurchase_alike():
    """In the demo a buyer's purchase process (timing, dropout) ignores whether the first order was
    in a campaign: the 90-day repurchase shares agree (their 95% interval holds 0). Value does
    not: an order only takes a 满减 when its basket reaches the threshold, so campaign-acquired
    buyers are selected for big baskets (their first order and, through their main category,
    later ones), and the Welch interval of the 90-day value lies above 0."""
    tables, _ = demo_store()
    orders, campaigns = tables["orders"], tables["campaigns"]
    got = acquired_value(orders, campaigns)
    r = acquired_difference(orders, campaigns)
    print("demo 90-day value (campaign − organic):", r)
    c, o = got.loc["campaign"], got.loc["organic"]
    assert (r["n_campaign"], r["n_organic"]) == (c.eligible_90, o.eligible_90)
    assert (r["campaign_mean"], r["organic_mean"]) == (c.value_90, o.value_90)
    p, q = c.repurchase_90, o.repurchase_90
    diff = p - q
    half = stats.norm.ppf(0.975) * np.sqrt(p * (1 - p) / c.eligible_90 + q * (1 - q) / o.eligible_90)
    print(f"demo 90-day repurchase: {p:.4f} vs {q:.4f}, diff {diff:.4f} ± {half:.4f}")
    assert diff - half <= 0 <= diff + half
    assert r["ci_low"] <= r["diff"] <= r["ci_high"]
    assert r["ci_low"] > 0  # the threshold selection above, not the purchase process
    split = acquired_value(orders, campaigns, by_type=True)
    print(split[["customers", "eligible_90", "repurchase_90", "value_90"]])
    assert split.index[-1] == "organic" and split.loc["organic"].equals(o)
    for col in ("customers", "eligible_30", "eligible_60", "eligible_90"):
        assert split[col].iloc[:-1].sum() == c[col]
