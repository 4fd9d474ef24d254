"""The demo events (wxshop.demo.events): a recent funnel of tracked customers."""

from __future__ import annotations

import pandas as pd
import pytest
from demo_shared_store import shared_store


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return shared_store()[0]


@pytest.fixture(scope="module")
def truth() -> dict:
    return shared_store()[1]


def test_events_cover_a_recent_funnel(tables, truth):
    ev, o = tables["events"], tables["orders"]
    start = pd.Timestamp(truth["events"]["period_start"])
    assert start == pd.Timestamp("2026-09-02")
    assert ev["ts"].min() >= start
    recent = (o["ordered_at"] >= start).sum()
    assert 1.0 * recent <= len(ev) <= 3.0 * recent
    counts = ev["event"].value_counts()
    assert counts["view"] > counts["add_to_cart"] > counts["checkout"] > counts["pay"]
    assert ev["ts"].is_monotonic_increasing
    # every pay event is an order of that customer at most a few minutes earlier
    pay = ev[ev["event"] == "pay"].sort_values("ts")
    joined = pd.merge_asof(pay, o.sort_values("ordered_at"), left_on="ts",
                           right_on="ordered_at", by="customer_id")
    assert (joined["ts"] - joined["ordered_at"]).max() < pd.Timedelta(hours=1)
    assert (joined["status"] != "cancelled").all()
