"""The demo purchase process (wxshop.demo.purchases) and its oracle figures in the truth."""

from __future__ import annotations

import pandas as pd
import pytest
from demo_shared_store import shared_lines, shared_store


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return shared_store()[0]


@pytest.fixture(scope="module")
def truth() -> dict:
    return shared_store()[1]


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    return shared_lines()


def test_oracle_repurchase_follows_the_cycles(tables, truth):
    cats = truth["categories"]
    oracle = {c: v["oracle_repurchase"]["median_days"] for c, v in cats.items()}
    order = sorted(cats, key=lambda c: cats[c]["cycle_days_planted"])
    assert [oracle[c] for c in order] == sorted(oracle[c] for c in order)
    assert cats["食品饮料"]["cycle_days_planted"] == 10.0
    assert 8 < oracle["食品饮料"] < 16
    assert 25 < oracle["美妆护肤"] < 45
    for v in cats.values():
        o = v["oracle_repurchase"]
        assert o["share_within_7_days"] <= o["share_within_30_days"] <= o["share_within_90_days"]
    # the censored data alone see shorter gaps than the uncensored oracle
    lines = tables["order_items"].merge(tables["products"], on="sku_id").merge(
        tables["orders"], on="order_id")
    food = lines[(lines["category"] == "食品饮料") & (lines["status"] == "paid")]
    food = food.drop_duplicates("order_id").sort_values(["customer_id", "ordered_at"])
    gap = food.groupby("customer_id")["ordered_at"].diff().dt.total_seconds() / 86400
    assert gap.dropna().median() < oracle["食品饮料"]
    assert 0 < cats["食品饮料"]["oracle_repurchase"]["share_never"] < 0.5


def test_oracle_agrees_with_the_observed_part(lines, truth):
    """Purchases more than 30 days before the end show their 30-day repurchase in the data;
    only later ones need the future, so the oracle share lies between two counts."""
    end = pd.Timestamp(truth["window"]["end_exclusive"])
    # the purchase process's own orders: not the T… orders the private domain's touches brought
    paid = lines[(lines["status"] == "paid") & lines["order_id"].str.startswith("O")]
    for cat, spec in truth["categories"].items():
        oracle = spec["oracle_repurchase"]
        buys = paid.loc[paid["category"] == cat, ["order_id", "customer_id", "ordered_at"]]
        buys = buys.drop_duplicates("order_id").sort_values(["customer_id", "ordered_at"])
        assert len(buys) == oracle["purchases"], cat
        gap = buys.groupby("customer_id")["ordered_at"].shift(-1) - buys["ordered_at"]
        within = gap <= pd.Timedelta(days=30)
        unresolved = (buys["ordered_at"] >= end - pd.Timedelta(days=30)) & ~within
        count = oracle["share_within_30_days"] * len(buys)
        assert within.sum() - 1e-6 <= count <= within.sum() + unresolved.sum() + 1e-6, cat
        if cat == "食品饮料":
            assert count > within.sum() + 0.5  # the oracle does see past the end


def test_dead_customers_stop_buying(tables, truth):
    tc = truth["_customers"].set_index("customer_id")
    assert tc["alive"].mean() == pytest.approx(truth["purchase_process"]["alive_share_at_end"])
    assert 0.1 < tc["alive"].mean() < 0.6
    assert tc["p_dropout"].between(0, 1).all()
    assert tc["heterogeneity_multiplier"].mean() == pytest.approx(1, abs=0.05)
    dropout = truth["purchase_process"]["dropout"]
    assert 0.15 <= dropout["a"] / (dropout["a"] + dropout["b"]) <= 0.25
    participants = set(tables["experiments"]["customer_id"])
    own = tables["orders"][tables["orders"]["order_id"].str.startswith("O")]  # not a touch's T… order
    last = own.groupby("customer_id")["ordered_at"].max()
    dead = tc[~tc["alive"] & ~tc.index.isin(participants)]
    assert (last.loc[dead.index] == dead["died_at"]).all()
    assert tc.loc[tc["alive"], "died_at"].isna().all()
    counts = tables["orders"]["customer_id"].value_counts()
    assert (counts.loc[tc.index] == tc["orders_in_window"]).all()
