"""The touch holdout (wxshop.ab.holdout): hand-counted arms, the effect against statsmodels, and
seeded simulations where staff touch the customers who would buy anyway: the randomised
interval covers the planted effect, the naive touched − not-touched difference overshoots it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from wxshop.ab.holdout import EFFECT_KEYS, holdout_effect, holdout_outcomes, naive_effect
from wxshop.analysis.private_domain.cadence import (
    cadence_outcomes,
    exclude_experiment,
    stage_entries,
    touched_within,
)
from wxshop.errors import DataError


def hand_experiments() -> pd.DataFrame:
    rows = [
        ("sop", "h1", "holdout", "2025-01-01 00:00"),
        ("sop", "h2", "holdout", "2025-01-01 00:00"),
        ("sop", "h3", "holdout", "2025-03-02 00:00:01"),  # 30 days end 1 s after the data: incomplete
        ("sop", "h4", "holdout", "2025-03-02 00:00"),  # complete, just
        ("sop", "t1", "touch", "2025-01-10 00:00"),
        ("sop", "t1", "touch", "2025-01-01 00:00"),  # t1's first assignment
        ("sop", "t2", "touch", "2025-02-01 00:00"),
        ("sop", "m1", "holdout", "2025-01-01 00:00"),
        ("sop", "m1", "touch", "2025-01-01 00:00"),  # in two arms: left out
        ("sop", "b1", "touch_b", "2025-02-01 00:00"),
        ("other", "x1", "control", "2025-01-01 00:00"),
    ]
    out = pd.DataFrame(rows, columns=["experiment_id", "customer_id", "variant", "assigned_at"])
    out["assigned_at"] = pd.to_datetime(out["assigned_at"], format="mixed")
    return out.astype({c: "str" for c in ("experiment_id", "customer_id", "variant")})


def hand_orders() -> pd.DataFrame:
    rows = [
        ("h1", "2025-01-01 00:00", "paid"),  # at assigned_at: not after it
        ("h1", "2025-01-31 00:00", "paid"),  # exactly 30 days after: a buyer
        ("h2", "2025-01-05 00:00", "refunded"),  # not paid
        ("h3", "2025-03-05 00:00", "paid"),  # incomplete user: not counted at all
        ("h4", "2025-03-20 00:00", "paid"),
        ("t1", "2025-01-31 12:00", "paid"),  # 30.5 days after t1's first assignment: not a buyer
        ("t2", "2025-02-15 00:00", "paid"),
        ("m1", "2025-01-02 00:00", "paid"),
    ]
    out = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "status"])
    out["ordered_at"] = pd.to_datetime(out["ordered_at"])
    return out.astype({"customer_id": "str", "status": "str"})


def test_holdout_outcomes_by_hand():
    got = holdout_outcomes(hand_experiments(), hand_orders(), experiment_id="sop", end="2025-03-31")
    assert got.index.tolist() == ["holdout", "touch", "touch_b"] and got.index.name == "variant"
    assert got["assigned"].tolist() == [4, 2, 1]
    assert got["users"].tolist() == [3, 2, 1]
    assert got["buyers"].tolist() == [2, 1, 0]
    assert got["rate"].tolist() == pytest.approx([2 / 3, 1 / 2, 0.0])
    assert got.attrs["multi_variant"] == 1
    short = holdout_outcomes(hand_experiments(), hand_orders(), experiment_id="sop", end="2025-03-31",
                             days=10)
    # 10 days: h3 is complete and bought 3 days after; h1 (30 d), h4 (18 d), t2 (14 d) did not
    assert short["users"].tolist() == [4, 2, 1] and short["buyers"].tolist() == [1, 0, 0]


def test_holdout_outcomes_errors():
    with pytest.raises(DataError, match="'nope' not found.*other, sop"):
        holdout_outcomes(hand_experiments(), hand_orders(), experiment_id="nope", end="2025-03-31")
    with pytest.raises(DataError, match="no 'holdout' arm"):
        holdout_outcomes(hand_experiments(), hand_orders(), experiment_id="other", end="2025-03-31")
    with pytest.raises(DataError, match="experiments: column 'variant' missing"):
        holdout_outcomes(hand_experiments().drop(columns="variant"), hand_orders(), experiment_id="sop",
                         end="2025-03-31")
    got = holdout_outcomes(hand_experiments(), hand_orders(), experiment_id="other", end="2025-03-31",
                           control="control")
    assert got.index.tolist() == ["control"] and got["users"].tolist() == [1]
    with pytest.raises(DataError, match="no treatment arm"):
        holdout_effect(got, control="control")


def test_holdout_effect_pools_the_treatment_arms():
    outcomes = holdout_outcomes(hand_experiments(), hand_orders(), experiment_id="sop", end="2025-03-31")
    r = holdout_effect(outcomes)
    assert list(r) == list(EFFECT_KEYS)
    assert r["estimate"] == "randomised" and r["treatment"] == "touch+touch_b" and r["pooled"]
    assert (r["n_control"], r["buyers_control"], r["n_treatment"], r["buyers_treatment"]) == (3, 2, 3, 1)
    assert r["diff"] == pytest.approx(1 / 3 - 2 / 3)
    single = holdout_effect(outcomes.loc[["holdout", "touch"]])
    assert single["treatment"] == "touch" and not single["pooled"] and single["n_treatment"] == 2
    with pytest.raises(DataError, match="no 'ctrl' arm"):
        holdout_effect(outcomes, control="ctrl")


@pytest.mark.parametrize("x_c, n_c, x_t, n_t, alpha", [
    (100, 1000, 130, 1000, 0.05),
    (37, 412, 61, 388, 0.05),
    (5, 90, 1, 120, 0.10),
    (880, 9000, 1010, 9100, 0.01),
])
def test_holdout_effect_matches_statsmodels(x_c, n_c, x_t, n_t, alpha):
    outcomes = pd.DataFrame({"users": [n_c, n_t], "buyers": [x_c, x_t]}, index=["holdout", "touch"])
    r = holdout_effect(outcomes, alpha=alpha)
    low, high = confint_proportions_2indep(x_t, n_t, x_c, n_c, method="wald", compare="diff", alpha=alpha)
    z, p = proportions_ztest([x_t, x_c], [n_t, n_c])
    assert r["diff"] == pytest.approx(x_t / n_t - x_c / n_c, abs=1e-12)
    assert r["ci_low"] == pytest.approx(low, abs=1e-9) and r["ci_high"] == pytest.approx(high, abs=1e-9)
    assert r["p_value"] == pytest.approx(p, abs=1e-9)
    assert r["significant"] == (p < alpha)
    assert r["rel_lift"] == pytest.approx((x_t / n_t) / (x_c / n_c) - 1, abs=1e-12)
    naive = naive_effect({"touched": n_t, "not_touched": n_c, "buyers_30_touched": x_t, "buyers_30_not": x_c},
                         alpha=alpha)
    assert naive["estimate"] == "naive"
    assert naive["treatment"] == "touched" and naive["control"] == "not_touched"
    assert {k: naive[k] for k in ("diff", "ci_low", "ci_high", "p_value")} == pytest.approx(
        {k: r[k] for k in ("diff", "ci_low", "ci_high", "p_value")}, abs=1e-15)


def test_naive_effect_rows_and_edges():
    row = pd.Series({"touched": 40, "not_touched": 0, "buyers_14_touched": 10, "buyers_14_not": 0})
    r = naive_effect(row, days=14)
    assert r["n_treatment"] == 40 and r["rate_treatment"] == 0.25 and np.isnan(r["rate_control"])
    assert np.isnan(r["diff"]) and np.isnan(r["p_value"]) and r["significant"] is False
    with pytest.raises(KeyError, match="buyers_30_touched"):
        naive_effect(row)
    with pytest.raises(ValueError, match="alpha"):
        naive_effect(row, days=14, alpha=1.5)


def test_randomised_covers_the_effect_and_naive_overshoots():
    """200 seeded replications of 4,000 customers; purchase propensity p ∈ (0.02, 0.42) latent,
    touching adds δ = 0.04. Randomised: a fair coin decides the touch. Observational: staff touch
    with a probability rising steeply with p (they see who is engaged)."""
    rng = np.random.default_rng(2025)
    reps, n, delta = 200, 4000, 0.04
    p = 0.02 + 0.4 / (1 + np.exp(-1.5 * rng.normal(size=(reps, n))))
    coin = rng.random((reps, n)) < 0.5
    bought = rng.random((reps, n)) < p + delta * coin
    chosen = rng.random((reps, n)) < 1 / (1 + np.exp(-(8 * (p - 0.22) - 1)))
    bought_obs = rng.random((reps, n)) < p + delta * chosen
    rand, naive = [], []
    for r in range(reps):
        buyers = [int((bought[r] & ~coin[r]).sum()), int((bought[r] & coin[r]).sum())]
        outcomes = pd.DataFrame({"users": [int((~coin[r]).sum()), int(coin[r].sum())], "buyers": buyers},
                                index=pd.Index(["holdout", "touch"], name="variant"))
        rand.append(holdout_effect(outcomes))
        row = {"touched": int(chosen[r].sum()), "not_touched": int((~chosen[r]).sum()),
               "buyers_30_touched": int((bought_obs[r] & chosen[r]).sum()),
               "buyers_30_not": int((bought_obs[r] & ~chosen[r]).sum())}
        naive.append(naive_effect(row))
    rand_df, naive_df = pd.DataFrame(rand), pd.DataFrame(naive)
    covered = ((rand_df["ci_low"] <= delta) & (delta <= rand_df["ci_high"])).mean()
    assert covered >= 0.90
    se = rand_df["diff"].std() / np.sqrt(reps)
    assert abs(rand_df["diff"].mean() - delta) < 4 * se
    assert naive_df["diff"].mean() > delta + 0.05  # selection adds E[p | touched] − E[p | not]
    assert ((naive_df["ci_low"] <= delta) & (delta <= naive_df["ci_high"])).mean() < 0.05


def simulated_store(seed: int = 7, n: int = 6000, delta: float = 0.05):
    """First purchases in Jan–Feb 2025; half the customers enrolled in a holdout experiment at
    their first purchase (holdout: never touched; touch: a 1v1 chat a day later), the other half
    touched by staff who pick engaged customers. A repeat purchase within 30 days with probability
    p + δ·touched."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"c{i}" for i in range(n)])
    p = 0.03 + 0.35 / (1 + np.exp(-1.5 * rng.normal(size=n)))
    first = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 59 * 24 * 60, n), unit="min")
    enrolled = rng.random(n) < 0.5
    arm = np.where(rng.random(n) < 0.5, "holdout", "touch")
    touched = np.where(enrolled, arm == "touch", rng.random(n) < 1 / (1 + np.exp(-(20 * (p - 0.2) - 0.5))))
    again = rng.random(n) < p + delta * touched
    later = first + pd.to_timedelta(rng.uniform(1.5, 29.5, n), unit="D")
    orders = pd.DataFrame({"customer_id": np.r_[ids, ids[again]], "ordered_at": np.r_[first, later[again]],
                           "status": "paid"}).astype({"customer_id": "str", "status": "str"})
    experiments = pd.DataFrame({"experiment_id": "sop", "customer_id": ids[enrolled],
                                "variant": arm[enrolled], "assigned_at": first[enrolled]}).astype(
        {"experiment_id": "str", "customer_id": "str", "variant": "str"})
    touches = pd.DataFrame({"customer_id": ids[touched], "ts": first[touched] + pd.Timedelta(days=1),
                            "kind": "1v1"}).astype({"customer_id": "str", "kind": "str"})
    return orders, experiments, touches


def test_the_report_path_on_a_simulated_store():
    delta, end = 0.05, "2025-04-30"
    orders, experiments, touches = simulated_store(delta=delta)
    outcomes = holdout_outcomes(experiments, orders, experiment_id="sop", end=end, days=30)
    assert outcomes["users"].sum() == len(experiments)  # every window complete by the end
    randomised = holdout_effect(outcomes)
    assert randomised["ci_low"] <= delta <= randomised["ci_high"]
    entries = stage_entries(orders, start="2025-01-01", end=end)
    entries = exclude_experiment(touched_within(entries, touches), experiments, "sop")
    row = cadence_outcomes(entries, orders, end=end, outcome_days=(30,)).loc["new"]
    assert row["entrants"] == 6000 - len(experiments)
    naive = naive_effect(row, days=30)
    assert naive["ci_low"] > randomised["ci_high"]  # the naive figure is far above the effect
    assert naive["diff"] > delta + 0.08
    # the experiment's customers are left out of the naive comparison only when asked
    mixed = cadence_outcomes(touched_within(stage_entries(orders, start="2025-01-01", end=end), touches),
                             orders, end=end, outcome_days=(30,)).loc["new"]
    assert mixed["entrants"] == 6000
