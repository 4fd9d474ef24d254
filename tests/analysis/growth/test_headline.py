"""The growth headline reads each figure from its section's table (wxshop.analysis.growth.headline)."""

from __future__ import annotations

from functools import lru_cache

import pytest

from wxshop import demo
from wxshop.analysis.growth import campaigns, fission, funnel, group_buys, retention, timing
from wxshop.analysis.growth.headline import growth_headline


@lru_cache(maxsize=1)
def demo_store():
    return demo.generate_store(3000, 5, store_id="t")


def test_every_figure_is_its_sections_figure():
    tables, truth = demo_store()
    orders, customers, events = tables["orders"], tables["customers"], tables["events"]
    steps = funnel.funnel_steps(events)
    kept = retention.retention(customers, events)
    new = fission.new_customer_share(customers, orders, days=90)
    invites = fission.k_factor(customers, orders)
    effects = campaigns.campaign_effects(orders, tables["campaigns"])
    groups = group_buys.group_buy_summary(tables["group_buys"], by=None)
    peaks = timing.peak_hours(orders, k=3)
    h = growth_headline(steps, kept, new, invites, effects, groups, peaks)
    by_step = steps.set_index("step")["events"]
    assert h["activity_conversion"] == pytest.approx(by_step["pay"] / by_step["view"])
    assert h["d1_retention"] == kept["d1"].iloc[0] == truth["events"]["retention"]["realised"]["d1"]
    assert h["invited_share"] == new["share"] and h["k_factor"] == invites["k_factor"]
    assert h["campaign_roi_gmv"] == pytest.approx(effects["campaign_gmv"].sum() / effects["cost"].sum())
    gained = effects[effects["significant"] & (effects["incremental_gmv"] > 0)]
    assert h["campaigns_with_gain"] == len(gained) and (gained["incremental_gmv_low"] > 0).all()
    assert h["group_completion_rate"] == pytest.approx(truth["group_buys"]["completion_realised_all"])
    assert h["peak_hour"] == peaks[0]


def test_missing_tables_give_none():
    assert set(growth_headline().values()) == {None}
