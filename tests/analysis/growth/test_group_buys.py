"""拼团 (wxshop.analysis.growth.group_buys): counts against a direct pandas computation and the
demo's planted completion rates by group size."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from wxshop import demo
from wxshop.analysis.growth.group_buys import group_buy_summary


@lru_cache(maxsize=1)
def demo_store():
    return demo.generate_store(20_000, 7, store_id="t")


def test_summary_matches_a_direct_count():
    tables, _ = demo_store()
    g = tables["group_buys"]
    got = group_buy_summary(g).set_index("required_size")
    for size, rows in g.groupby("required_size"):
        done = rows[rows.group_status == "completed"]
        ended = rows.group_status.isin(["completed", "failed"]).sum()
        assert got.loc[size, "groups"] == len(rows)
        assert got.loc[size, "completion_rate"] == pytest.approx(len(done) / ended, abs=1e-12)
        assert got.loc[size, "mean_joined"] == pytest.approx(rows.joined.mean(), abs=1e-12)
        hours = (done.closed_at - done.opened_at).dt.total_seconds() / 3600
        assert got.loc[size, "median_hours_to_fill"] == pytest.approx(hours.median(), abs=1e-9)
    whole = group_buy_summary(g, by=None).iloc[0]
    assert whole["groups"] == len(g) and whole["completed"] + whole["failed"] + whole["open"] == len(g)
    months = group_buy_summary(g, by="month")
    assert months["groups"].sum() == len(g) and months["month"].is_monotonic_increasing


def test_demo_completion_rates_are_recovered_by_size():
    """Planted: groups of 2 fill 80% of the time, of 3 60%, of 5 35% (demo.settings); recovered
    within 3 points, and equal to the realised rates the truth records."""
    tables, truth = demo_store()
    got = group_buy_summary(tables["group_buys"]).set_index("required_size")
    planted = truth["group_buys"]["completion_planted"]
    realised = truth["group_buys"]["completion_realised"]
    assert set(got.index.astype(str)) == set(planted)
    for size, rate in planted.items():
        assert got.loc[int(size), "completion_rate"] == pytest.approx(realised[size], abs=1e-12)
        assert abs(got.loc[int(size), "completion_rate"] - rate) < 0.03, size
    # a failed group has fewer members than it needs; a completed one exactly as many
    g = tables["group_buys"]
    assert (g.joined[g.group_status == "failed"] < g.required_size[g.group_status == "failed"]).all()
    assert (g.joined[g.group_status == "completed"] == g.required_size[g.group_status == "completed"]).all()


def test_open_groups_are_left_out_of_the_rate_and_no_ended_group_gives_nan():
    g = pd.DataFrame({"group_buy_id": ["a", "b"], "required_size": [3, 3], "joined": [1, 2],
                      "group_status": ["open", "open"], "opened_at": pd.to_datetime(["2025-01-01"] * 2),
                      "closed_at": pd.to_datetime([None, None])})
    row = group_buy_summary(g).iloc[0]
    assert row["open"] == 2 and np.isnan(row["completion_rate"]) and np.isnan(row["median_hours_to_fill"])
    with pytest.raises(KeyError, match="group_status"):
        group_buy_summary(g.drop(columns="group_status"))
