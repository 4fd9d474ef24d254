"""Interpurchase intervals, lifecycle thresholds, stages, summary and migration on hand-computed fixtures."""

import math

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from order_frames import demo_store as cached_demo_store
from order_frames import make_orders, strs

from wxshop.analysis import lifecycle, repurchase

END = "2025-06-30"


@pytest.fixture
def lifecycle_orders() -> pd.DataFrame:
    # p repeats with intervals 10, 20, 30, 40, 50 days (two orders on Jan 11 are one
    # purchase day): P80 = 42, P95 = 48 → active 42, dormant 48, new min(30, 42) = 30.
    # The others buy once, at 30, 31, 42, 43, 48, 49 days before 2025-06-30.
    return make_orders(
        [
            ("p", "2025-01-01 09:00", 10.0, "paid"),
            ("p", "2025-01-11 10:00", 10.0, "paid"),
            ("p", "2025-01-11 18:00", 10.0, "paid"),
            ("p", "2025-01-31 12:00", 10.0, "paid"),
            ("p", "2025-03-02 12:00", 10.0, "paid"),
            ("p", "2025-04-11 12:00", 10.0, "paid"),
            ("p", "2025-05-31 12:00", 10.0, "paid"),
            ("p", "2025-07-05 12:00", 10.0, "paid"),  # after period_end
            ("n30", "2025-05-31 08:00", 10.0, "paid"),
            ("n31", "2025-05-30 08:00", 10.0, "paid"),
            ("a42", "2025-05-19 08:00", 10.0, "paid"),
            ("s43", "2025-05-18 08:00", 10.0, "paid"),
            ("s43", "2025-06-29 08:00", 10.0, "refunded"),
            ("s48", "2025-05-13 00:00", 10.0, "paid"),
            ("d49", "2025-05-12 23:59:59", 10.0, "paid"),
            ("d96", "2025-03-26 12:00", 10.0, "paid"),  # lost_days = 2 × 48 = 96
            ("l97", "2025-03-25 12:00", 10.0, "paid"),
        ]
    )


def test_interpurchase_intervals_exact(lifecycle_orders):
    got = repurchase.interpurchase_intervals(lifecycle_orders, END)
    want = pd.DataFrame(
        {
            "customer_id": strs(["p"] * 5),
            "purchase_day": pd.to_datetime(
                ["2025-01-11", "2025-01-31", "2025-03-02", "2025-04-11", "2025-05-31"]
            ).astype("datetime64[s]"),
            "interval_days": np.array([10, 20, 30, 40, 50], dtype=np.int64),
        }
    )
    pdt.assert_frame_equal(got, want)


def test_stage_thresholds_from_intervals(lifecycle_orders):
    th = lifecycle.stage_thresholds(lifecycle_orders, END)
    assert th == lifecycle.StageThresholds(
        active_days=42, dormant_days=48, new_days=30, active_pct=0.8, dormant_pct=0.95,
        p_active=42.0, p_dormant=48.0, n_intervals=5, n_repeat_customers=1, overridden=(),
        fallback=False, lost_days=96,
    )
    assert th.to_frame()["name"].tolist()[:3] == ["active_days", "dormant_days", "new_days"]
    assert lifecycle.stage_thresholds(lifecycle_orders, END, lost_factor=1.5).lost_days == 72
    assert lifecycle.stage_thresholds(lifecycle_orders, END, lost_days=60).overridden == ("lost_days",)
    with pytest.raises(ValueError, match="lost_days"):
        lifecycle.stage_thresholds(lifecycle_orders, END, lost_days=47)
    with pytest.raises(ValueError, match="lost_factor"):
        lifecycle.stage_thresholds(lifecycle_orders, END, lost_factor=0.5)


def test_stage_thresholds_overrides_and_fallback(lifecycle_orders):
    th = lifecycle.stage_thresholds(lifecycle_orders, END, active_days=20)
    assert (th.active_days, th.dormant_days, th.new_days) == (20, 48, 20)
    assert th.active_pct is None and th.dormant_pct == 0.95
    assert th.overridden == ("active_days",) and not th.fallback

    th = lifecycle.stage_thresholds(lifecycle_orders, END, active_pct=0.5, new_days=7)
    assert (th.active_days, th.new_days, th.p_active) == (30, 7, 30.0)  # median 30

    singles = lifecycle_orders.loc[lifecycle_orders["customer_id"] != "p"]
    th = lifecycle.stage_thresholds(singles, END)
    assert (th.active_days, th.dormant_days, th.new_days) == (30, 90, 30)
    assert th.fallback and th.n_intervals == 0 and math.isnan(th.p_active)
    assert th.active_pct is None

    with pytest.raises(ValueError, match="dormant_days"):
        lifecycle.stage_thresholds(lifecycle_orders, END, dormant_days=10)


def test_lifecycle_stage_boundaries(lifecycle_orders):
    got = lifecycle.lifecycle_stages(lifecycle_orders, END)  # thresholds 30 / 42 / 48 / 96
    want = pd.DataFrame(
        {
            "customer_id": strs(["a42", "d49", "d96", "l97", "n30", "n31", "p", "s43", "s48"]),
            # exactly 42 days → active; 49 > 48 → dormant; first exactly 30 days ago → new
            # (even though also recent); 31 → active; p last bought 30 days ago → active;
            # 43 → silent; exactly 48 → silent; exactly 96 → dormant (沉睡), 97 → lost (流失).
            "stage": strs(["active", "dormant", "dormant", "lost", "new", "active", "active", "silent",
                           "silent"]),
            "days_since_first": np.array([42, 49, 96, 97, 30, 31, 180, 43, 48], dtype=np.int64),
            "days_since_last": np.array([42, 49, 96, 97, 30, 31, 30, 43, 48], dtype=np.int64),
        }
    )
    pdt.assert_frame_equal(got, want)
    assert lifecycle.STAGE_CADENCE == {"new": 3, "active": 7, "silent": 14, "dormant": None, "lost": None}
    assert set(lifecycle.STAGE_ACTIONS) == set(lifecycle.STAGES)


def test_stage_summary(lifecycle_orders):
    got = lifecycle.stage_summary(lifecycle.lifecycle_stages(lifecycle_orders, END))
    want = pd.DataFrame(
        {
            "stage": strs(["new", "active", "silent", "dormant", "lost"]),
            "customers": np.array([1, 3, 2, 2, 1], dtype=np.int64),
            "customer_share": [1 / 9, 3 / 9, 2 / 9, 2 / 9, 1 / 9],
            "avg_days_since_last": [30.0, (42 + 31 + 30) / 3, (43 + 48) / 2, (49 + 96) / 2, 97.0],
            "cadence_days": pd.array([3, 7, 14, None, None], dtype="Int64"),
            "action": strs(["activate_new", "push_regular", "revisit", "win_back_campaign",
                            "low_cost_reach"]),
        }
    )
    pdt.assert_frame_equal(got, want)
    empty = lifecycle.stage_summary(lifecycle.lifecycle_stages(lifecycle_orders, "2024-12-31"))
    assert empty["customers"].tolist() == [0, 0, 0, 0, 0] and empty["customer_share"].isna().all()


def test_stage_migration_cells():
    # thresholds new 10, active 20, dormant 40; start = 2025-05-31 (30 days earlier)
    orders = make_orders(
        [
            ("x_notyet_active", "2025-06-15", 1.0, "paid"),  # not_yet → active (15 d)
            ("x_notyet_new", "2025-06-25", 1.0, "paid"),  # not_yet → new (5 d)
            ("x_back", "2025-01-10", 1.0, "paid"),  # lost at start (141 d > 80) …
            ("x_back", "2025-06-28", 1.0, "paid"),  # … active at end (2 d)
            ("x_fade", "2025-01-01", 1.0, "paid"),
            ("x_fade", "2025-05-25", 1.0, "paid"),  # active at start (6 d), silent at end (36 d)
            ("x_gone", "2025-01-01", 1.0, "paid"),
            ("x_gone", "2025-05-01", 1.0, "paid"),  # silent at start (30 d), dormant at end (60 d)
            ("x_new", "2025-05-28", 1.0, "paid"),  # new at start (3 d), silent at end (33 d)
            ("x_edge", "2025-05-31 23:00", 1.0, "paid"),  # counts at start: new → silent (30 d)
            ("x_sleep", "2025-01-01", 1.0, "paid"),
            ("x_sleep", "2025-04-20", 1.0, "paid"),  # dormant at start (41 d), lost at end (71 d > 60)
        ]
    )
    th = lifecycle.stage_thresholds(orders, END, active_days=20, dormant_days=40, new_days=10,
                                    lost_days=60)
    got = lifecycle.stage_migration(orders, END, period_days=30, thresholds=th)
    want = pd.DataFrame(
        np.array(
            [
                [1, 1, 0, 0, 0],  # not_yet
                [0, 0, 2, 0, 0],  # new
                [0, 0, 1, 0, 0],  # active
                [0, 0, 0, 1, 0],  # silent
                [0, 0, 0, 0, 1],  # dormant
                [0, 1, 0, 0, 0],  # lost
            ],
            dtype=np.int64,
        ),
        index=pd.Index(["not_yet", *lifecycle.STAGES], name="from_stage", dtype="str"),
        columns=pd.Index(list(lifecycle.STAGES), name="to_stage", dtype="str"),
    )
    pdt.assert_frame_equal(got, want)


# ---------------------------------------------------------------------------- repurchase



# ------------------------------------------------------------------------- on a demo store


@pytest.fixture(scope="module")
def demo_store():
    return cached_demo_store()


def test_demo_dead_customers_are_silent_or_dormant(demo_store):
    # Customers who left for good before the end (truth alive == False) should mostly be
    # silent or dormant. Over seeds 0–3, 11, 42 the share was 0.92–0.93 (≈2,100 dead
    # customers each, SE ≈ 0.006); for alive customers it was 0.37–0.39. Thresholds 0.85
    # and a 0.5 gap in the dormant share leave ≥ 10 SE of room, yet fail if stages ignore
    # recency or the thresholds are far off.
    tables, truth = demo_store
    stages = lifecycle.lifecycle_stages(tables["orders"], truth["window"]["end"])
    alive = truth["_customers"].set_index("customer_id")["alive"].astype(bool)
    dead = ~alive.reindex(stages["customer_id"]).to_numpy()
    quiet = stages["stage"].isin(["silent", "dormant", "lost"]).to_numpy()
    dormant = stages["stage"].isin(["dormant", "lost"]).to_numpy()
    assert quiet[dead].mean() >= 0.85
    assert dormant[dead].mean() - dormant[~dead].mean() >= 0.5
