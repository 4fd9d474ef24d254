"""The behaviour funnel (wxshop.analysis.growth.funnel) on hand-computed fixtures and on a demo
store whose funnel rates are planted."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from wxshop import demo
from wxshop.analysis.growth import funnel
from wxshop.analysis.paid import UNKNOWN
from wxshop.data.schema import FUNNEL_STEPS

DAY = "2025-03-01 "


@lru_cache(maxsize=1)
def demo_store() -> tuple[dict[str, pd.DataFrame], dict]:
    """A 4,000-customer demo store, seed 7 (its events cover the last days of the window)."""
    return demo.generate_store(4000, 7, store_id="t")


def make_events(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """(customer_id, time of day on DAY, event, sku_id) rows as an events frame."""
    cid, hms, event, sku = zip(*rows, strict=True)
    return pd.DataFrame({
        "customer_id": pd.Series(cid, dtype="str"),
        "ts": pd.to_datetime([DAY + t for t in hms]).astype("datetime64[s]"),
        "event": pd.Series(event, dtype="str"),
        "sku_id": pd.Series(sku, dtype="str"),
    })


# 10 views, 4 carts, 3 checkouts, 2 pays. Four sessions go on past the view:
#   u1/A: view 10:00:00, cart +60 s, checkout +120 s, pay +30 s
#   u2/A: view 11:00:00, cart +20 s, checkout +40 s, pay +60 s
#   u3/B: view 12:00:00, cart +300 s, checkout +60 s (no pay)
#   u4/B: view 13:00:00, cart +40 s (no checkout)
# and six views go nowhere (u1/B, u3/A, u4/C, u5/A twice, u6/C).
FIXTURE = [
    ("u1", "09:00:00", "view", "B"),
    ("u1", "10:00:00", "view", "A"),
    ("u1", "10:01:00", "add_to_cart", "A"),
    ("u1", "10:03:00", "checkout", "A"),
    ("u1", "10:03:30", "pay", "A"),
    ("u2", "11:00:00", "view", "A"),
    ("u2", "11:00:20", "add_to_cart", "A"),
    ("u2", "11:01:00", "checkout", "A"),
    ("u2", "11:02:00", "pay", "A"),
    ("u3", "08:00:00", "view", "A"),
    ("u3", "12:00:00", "view", "B"),
    ("u3", "12:05:00", "add_to_cart", "B"),
    ("u3", "12:06:00", "checkout", "B"),
    ("u4", "13:00:00", "view", "B"),
    ("u4", "13:00:40", "add_to_cart", "B"),
    ("u4", "17:00:00", "view", "C"),
    ("u5", "14:00:00", "view", "A"),
    ("u5", "15:00:00", "view", "A"),
    ("u6", "16:00:00", "view", "C"),
]


@pytest.fixture
def events() -> pd.DataFrame:
    return make_events(FIXTURE)


def test_funnel_steps_by_hand(events):
    got = funnel.funnel_steps(events)
    assert list(got.columns) == funnel.FUNNEL_COLUMNS
    assert got["step"].tolist() == list(FUNNEL_STEPS)
    assert got["events"].tolist() == [10, 4, 3, 2]
    assert got["customers"].tolist() == [6, 4, 3, 2]  # u1–u6 view; u1–u4 cart; u1–u3; u1, u2
    conv = got["step_conversion"].to_numpy()
    assert math.isnan(conv[0])
    assert conv[1:].tolist() == [4 / 10, 3 / 4, 2 / 3]
    assert got["from_view"].tolist() == [1.0, 4 / 10, 3 / 10, 2 / 10]
    drop = got["drop_off"].to_numpy()
    assert math.isnan(drop[0]) and drop[1:].tolist() == [1 - 4 / 10, 1 - 3 / 4, 1 - 2 / 3]


def test_funnel_steps_empty_previous_step_is_nan():
    got = funnel.funnel_steps(make_events([("a", "10:00:00", "view", "A"), ("a", "10:05:00", "pay", "A"),
                                           ("b", "10:00:00", "ping", "A")]))  # not a step: ignored
    assert got["events"].tolist() == [1, 0, 0, 1]
    conv = got["step_conversion"].to_numpy()
    assert conv[1] == 0.0 and np.isnan(conv[[0, 2, 3]]).all()  # checkout and pay follow an empty step
    assert got["from_view"].tolist() == [1.0, 0.0, 0.0, 1.0]


def test_step_times_by_hand(events):
    got = funnel.step_times(events)
    assert list(got.columns) == funnel.STEP_TIME_COLUMNS
    assert got["from_step"].tolist() == ["view", "add_to_cart", "checkout"]
    assert got["to_step"].tolist() == ["add_to_cart", "checkout", "pay"]
    assert got["pairs"].tolist() == [4, 3, 2]
    # view→cart gaps 60, 20, 300, 40 s: sorted 20, 40, 60, 300; the 80th percentile sits at
    # position 0.8 × 3 = 2.4 (linear interpolation between 60 and 300)
    # cart→checkout 120, 40, 60 s: sorted 40, 60, 120, position 0.8 × 2 = 1.6
    # checkout→pay 30, 60 s: position 0.8
    assert got["median_seconds"].tolist() == [(40 + 60) / 2, 60.0, (30 + 60) / 2]
    assert got["p80_seconds"].tolist() == pytest.approx([60 + 0.4 * 240, 60 + 0.6 * 60, 30 + 0.8 * 30],
                                                        abs=1e-9)


def test_merge_asof_rule():
    ev = make_events([
        ("a", "10:00:00", "view", "s1"),
        ("a", "10:05:00", "view", "s1"),  # the latest earlier view of s1: the match
        ("a", "10:07:00", "view", "s2"),  # later, but another SKU
        ("a", "10:10:00", "add_to_cart", "s1"),
        ("a", "10:20:00", "add_to_cart", "s3"),  # no view of s3: not matched
        ("c", "10:11:00", "add_to_cart", "s1"),  # s1 viewed by another customer only: not matched
    ])
    far = pd.DataFrame({"customer_id": ["b", "b"], "event": ["view", "add_to_cart"], "sku_id": ["s1", "s1"],
                        "ts": pd.to_datetime(["2025-02-27 09:00:00", "2025-02-28 09:00:01"])})
    ev = pd.concat([ev, far.astype({"customer_id": "str", "event": "str", "sku_id": "str"})],
                   ignore_index=True)
    got = funnel.step_times(ev).set_index("to_step")
    assert got.loc["add_to_cart", "pairs"] == 1  # b's cart is 1 day 1 s after the view
    assert got.loc["add_to_cart", "median_seconds"] == 300.0
    assert got.loc["checkout", "pairs"] == 0 and math.isnan(got.loc["checkout", "median_seconds"])
    wide = funnel.step_times(ev, max_gap=pd.Timedelta(days=2)).set_index("to_step")
    assert wide.loc["add_to_cart", "pairs"] == 2
    assert wide.loc["add_to_cart", "p80_seconds"] == pytest.approx(300 + 0.8 * (86401 - 300))
    # without sku_id: same customer only, so a's carts match the 10:07 view
    no_sku = funnel.step_times(ev.drop(columns="sku_id")).set_index("to_step")
    assert no_sku.loc["add_to_cart", "pairs"] == 2
    assert no_sku.loc["add_to_cart", "median_seconds"] == (180 + 780) / 2


def test_view_to_pay_from_the_first_view(events):
    customers = pd.DataFrame({"customer_id": ["u1", "u2", "u3"], "gender": ["女", "女", "男"]})
    products = pd.DataFrame({"sku_id": ["A", "B"], "category": ["食品饮料", "美妆护肤"]})
    got = funnel.view_to_pay(events, customers, products)
    assert list(got.columns) == funnel.VIEW_TO_PAY_COLUMNS
    # paid pairs: u1/A 10:00:00 → 10:03:30 (210 s), u2/A 11:00 → 11:02 (120 s)
    assert got[["gender", "category", "customers", "pairs"]].values.tolist() == [["女", "食品饮料", 2, 2]]
    assert got["median_hours"].iloc[0] == pytest.approx((210 + 120) / 2 / 3600)
    assert got["p80_hours"].iloc[0] == pytest.approx((120 + 0.8 * 90) / 3600)
    ev = make_events([("x", "07:00:00", "pay", "s"), ("x", "08:00:00", "view", "s"),
                      ("x", "09:00:00", "view", "s"), ("x", "10:00:00", "pay", "s"),
                      ("x", "12:00:00", "pay", "s"), ("y", "08:00:00", "view", "s")])
    alone = funnel.view_to_pay(ev)  # first view 08:00, first pay after it 10:00; y never pays
    assert alone[["gender", "category", "customers", "pairs"]].values.tolist() == [[UNKNOWN, UNKNOWN, 1, 1]]
    assert alone["median_hours"].iloc[0] == 2.0
    by_gender = funnel.view_to_pay(events, customers.assign(gender=["女", "男", "男"]))
    rows = by_gender[["gender", "category", "pairs"]].values.tolist()
    assert rows == [["女", UNKNOWN, 1], ["男", UNKNOWN, 1]]  # no products: one category "—"


def test_demo_recovers_the_planted_funnel():
    tables, truth = demo_store()
    got = funnel.funnel_steps(tables["events"]).set_index("step")
    planted, realised = truth["events"]["funnel_rates_planted"], truth["events"]["funnel_rates_realised"]
    assert planted == {"view_to_cart": 0.35, "cart_to_checkout": 0.60, "checkout_to_pay": 0.85}
    assert got["events"].to_dict() == truth["events"]["stage_counts"]
    for key, step in zip(planted, FUNNEL_STEPS[1:], strict=True):
        assert got.loc[step, "step_conversion"] == pytest.approx(planted[key], abs=0.02), key
        assert got.loc[step, "step_conversion"] == pytest.approx(realised[key], abs=1e-12), key


def test_demo_step_times_match_nearly_every_later_event():
    # the demo writes each session's steps seconds to minutes apart, on one SKU: a cart, checkout
    # or pay lacks its previous step only when the session straddles the start of the events
    tables, truth = demo_store()
    got = funnel.step_times(tables["events"])
    counts = np.array([truth["events"]["stage_counts"][s] for s in FUNNEL_STEPS[1:]])
    assert (got["pairs"].to_numpy() <= counts).all() and (got["pairs"].to_numpy() >= 0.99 * counts).all()
    assert (got["median_seconds"] > 0).all() and (got["p80_seconds"] >= got["median_seconds"]).all()


def test_funnel_by_channel_adds_up():
    tables, _ = demo_store()
    events, customers = tables["events"], tables["customers"]
    got = funnel.funnel_by(events, customers, dimension="channel")
    total = funnel.funnel_steps(events).set_index("step")
    sums = got.groupby("step")[["events", "customers"]].sum()
    assert sums["events"].to_dict() == total["events"].to_dict()
    # each customer has one channel, so the distinct customers add up too
    assert sums["customers"].to_dict() == total["customers"].to_dict()
    channel = events["customer_id"].map(customers.set_index("customer_id")["acquisition_channel"])
    assert set(got["group"]) == set(channel.dropna())
    assert (got.groupby("group").size() == len(FUNNEL_STEPS)).all()
    views = got[got["step"] == "view"]["events"].to_numpy()
    assert (np.diff(views) <= 0).all()  # groups by view events, most first


def test_funnel_by_category_and_top_skus():
    tables, _ = demo_store()
    events, products = tables["events"], tables["products"]
    by_cat = funnel.funnel_by(events, products=products, dimension="category")
    assert by_cat.groupby("step")["events"].sum().sum() == events["event"].isin(FUNNEL_STEPS).sum()
    by_sku = funnel.funnel_by(events, dimension="sku")
    views = events.loc[events["event"] == "view", "sku_id"].value_counts()
    kept = set(by_sku["group"])
    assert len(kept) == 10
    assert views[list(kept)].min() >= views.drop(list(kept)).max()
    assert by_sku["events"].sum() == events["sku_id"].isin(kept).sum()


def test_missing_labels_group_under_unknown(events):
    by = pd.Series(["x"] * 5 + [None] * (len(events) - 5), index=events.index, dtype="str")
    got = funnel.funnel_steps(events, by=by)
    assert list(got.columns) == ["group", *funnel.FUNNEL_COLUMNS]
    assert got["group"].tolist() == ["x"] * 4 + [UNKNOWN] * 4  # UNKNOWN last, though it has more views
    assert got["events"].tolist() == [2, 1, 1, 1, 8, 3, 2, 1]


def test_funnel_by_needs_its_table(events):
    with pytest.raises(KeyError, match="customers table is missing"):
        funnel.funnel_by(events)
    with pytest.raises(KeyError, match="acquisition_channel"):
        funnel.funnel_by(events, customers=pd.DataFrame({"customer_id": ["u1"]}))
    with pytest.raises(KeyError, match="products table is missing"):
        funnel.funnel_by(events, dimension="category")
    with pytest.raises(KeyError, match="sku_id"):
        funnel.funnel_by(events.drop(columns="sku_id"), dimension="sku")
    with pytest.raises(ValueError, match="dimension"):
        funnel.funnel_by(events, dimension="city")


@pytest.mark.parametrize(
    ("call", "columns"),
    [
        (funnel.funnel_steps, funnel.FUNNEL_COLUMNS),
        (funnel.step_times, funnel.STEP_TIME_COLUMNS),
        (funnel.view_to_pay, funnel.VIEW_TO_PAY_COLUMNS),
        (lambda ev: funnel.funnel_steps(ev, by=ev["customer_id"]), ["group", *funnel.FUNNEL_COLUMNS]),
        (lambda ev: funnel.funnel_by(ev, dimension="sku"), ["group", *funnel.FUNNEL_COLUMNS]),
    ],
)
def test_empty_events_give_empty_frames(events, call, columns):
    got = call(events.iloc[:0])
    assert got.empty and list(got.columns) == columns
