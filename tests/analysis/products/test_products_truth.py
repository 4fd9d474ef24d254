"""Product selection recovers what the demo generator planted: category repurchase cycles
(Kaplan–Meier median within ±15 % of the oracle median, which uses the uncensored future)
and margins (exactly)."""

from __future__ import annotations

import pytest

from wxshop import demo
from wxshop.analysis import products as pr


@pytest.fixture(scope="module", params=[(8000, 3), (6000, 11)], ids=["8000-seed3", "6000-seed11"])
def store(request):
    n, seed = request.param
    tables, truth = demo.generate_store(n, seed)
    end = truth["window"]["end"]
    lines = pr.item_lines(tables["orders"], tables["order_items"], tables["products"], end)
    return lines, truth, end


def test_km_median_recovers_the_planted_category_cycles(store):
    lines, truth, end = store
    cycles = pr.repurchase_cycles(lines, end, "category").set_index("category")
    seen = []
    for cat, t in truth["categories"].items():
        oracle = t["oracle_repurchase"]["median_days"]
        km = cycles.loc[cat, "km_median_days"]
        naive = cycles.loc[cat, "naive_median_days"]
        seen.append(f"{cat}: oracle {oracle:.1f}, KM {km:.0f}, naive {naive:.0f}")
        assert cycles.loc[cat, "observed_gaps"] >= 1000
        assert km == pytest.approx(oracle, rel=0.15), cat
        # the naive median only sees gaps that closed before the end: biased short
        assert naive < km
        if oracle >= 20:
            assert naive < 0.85 * oracle, cat
    print("\n".join(seen))


def test_margins_are_the_planted_ones_exactly(store):
    lines, truth, _ = store
    skus = pr.product_table(lines, "sku")
    assert len(skus) >= 50
    for row in skus.itertuples():
        assert row.gross_margin == pytest.approx(truth["sku_margins"][row.sku_id], abs=1e-12)
    cats = pr.product_table(lines, "category").set_index("category")
    for cat, t in truth["categories"].items():
        assert cats.loc[cat, "gross_margin"] == pytest.approx(t["gmv_weighted_margin_paid"], abs=1e-9)


def test_kaplan_meier_agrees_with_statsmodels():
    """Random purchases of 8 categories: every curve equals statsmodels' SurvfuncRight on the
    same survival data (durations and censoring from purchase_events)."""
    import numpy as np
    import pandas as pd
    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(5)
    n = 6000
    lines = pd.DataFrame({
        "customer_id": pd.Categorical([f"c{i}" for i in rng.integers(0, 700, n)]),
        "ordered_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, n), "s"),
        "category": pd.Categorical([f"k{i}" for i in rng.integers(0, 8, n)]),
    })
    end = "2025-10-27"  # 299 days after the start: every purchase is in
    events = pr.purchase_events(lines, end, "category")
    curves = pr.km_curves(lines, end, "category")
    cycles = pr.repurchase_cycles(lines, end, "category").set_index("category")
    for cat, part in events.groupby("category", observed=True):
        sf = SurvfuncRight(part["duration_days"].to_numpy(float), part["repurchased"].to_numpy(int))
        ours = curves[curves["group"] == cat].set_index("day")["survival"].iloc[1:]
        np.testing.assert_allclose(ours.to_numpy(), sf.surv_prob, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(ours.index.to_numpy(), sf.surv_times.astype(int))
        # medians agree unless S sits exactly at 0.5 on a step (the documented convention gap)
        if not np.isclose(sf.surv_prob, 0.5).any():
            assert cycles.loc[cat, "km_median_days"] == sf.quantile(0.5)
        for t in (7, 30, 90):
            below = sf.surv_prob[sf.surv_times <= t]
            expected = 1 - (below[-1] if below.size else 1.0)
            assert cycles.loc[cat, f"repurchase_{t}d"] == pytest.approx(expected, abs=1e-12)
