"""BG/NBD and MBG/NBD: published CDNOW estimates, gradients, formulas against quadrature and
simulation, recovery of simulated parameters, awkward inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cdnow_data import cdnow_summary
from scipy import integrate, special

from wxshop.analysis import clv
from wxshop.analysis.clv import bgnbd


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return cdnow_summary()


def simulate(
    n: int, r: float, alpha: float, a: float, b: float, t_obs: np.ndarray, horizon: float,
    seed: int, model: str = "bgnbd",
) -> pd.DataFrame:
    """Customers drawn from the (M)BG/NBD process itself, vectorised.

    λ ~ Gamma(r, rate alpha), p ~ Beta(a, b); the customer leaves right after purchase
    number J ~ Geometric(p), counting repeat purchases (BG/NBD) or all purchases (MBG/NBD).
    Returns frequency, recency, T over [0, T], future purchases in (T, T + horizon] and
    whether the customer is alive at T.
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    max_repeat = rng.geometric(p) - (1 if model == "mbgnbd" else 0)
    end = t_obs + horizon
    k = rng.poisson(lam * end)  # purchases if the customer never left
    who = np.repeat(np.arange(n), k)
    times = rng.random(who.size) * end[who]
    order = np.lexsort((times, who))
    who, times = who[order], times[order]
    rank = np.arange(who.size) - np.repeat(np.cumsum(k) - k, k)
    made = rank < max_repeat[who]
    cal = made & (times <= t_obs[who])
    x = np.bincount(who[cal], minlength=n)
    tx = np.zeros(n)
    np.maximum.at(tx, who[cal], times[cal])
    future = np.bincount(who[made & ~cal], minlength=n)
    return pd.DataFrame({"frequency": x, "recency": tx, "T": t_obs, "future": future,
                         "alive": x < max_repeat})


def test_bgnbd_reproduces_fader_hardie_lee_2005_cdnow(cdnow):
    fit = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert getattr(fit, name) == pytest.approx(value, rel=0.01), name
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.1)
    assert fit.converged and fit.at_bound == () and fit.n_customers == 2357
    assert all(np.isfinite(v) and v > 0 for v in fit.std_errors.values())
    row = fit.to_frame()
    assert len(row) == 1 and {"r", "alpha", "a", "b", "r_se", "b_se", "converged"} <= set(row.columns)
    assert fit.to_dict()["purchase_rate"] == pytest.approx(fit.r / fit.alpha)


def test_mbgnbd_reproduces_btydplus_cdnow(cdnow):
    """The default model pinned to published values, not only to simulations: BTYDplus's
    mbgcnbd.EstimateParameters on the same CDNOW sample gives r 0.525, alpha 6.183, a 0.891,
    b 1.614 (Platzer & Reutterer 2016, BTYDplus documentation)."""
    fit = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"], model="mbgnbd")
    published = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}
    for name, value in published.items():
        assert getattr(fit, name) == pytest.approx(value, abs=0.0015), name
    assert fit.converged and fit.at_bound == ()


def test_bgnbd_conditional_expectations_match_published_values(cdnow):
    fit = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    # Fader, Hardie & Lee (2005), section 5: x = 2, t_x = 30.43, T = 38.86 → 1.226 in 39 weeks
    assert clv.expected_purchases(fit, 39, [2], [30.43], [38.86])[0] == pytest.approx(1.226, abs=5e-4)
    # lifetimes documentation, the five best CDNOW customers by expected purchases next week
    rows = pd.DataFrame({"x": [18, 19, 17, 29, 26], "t_x": [35.14, 34.00, 28.43, 37.71, 30.86],
                         "T": [35.86, 34.14, 28.86, 38.00, 31.00]})
    got = clv.expected_purchases(fit, 1, rows["x"], rows["t_x"], rows["T"])
    np.testing.assert_allclose(got, [0.424877, 0.474738, 0.486526, 0.662396, 0.710623], atol=2e-6)


def test_days_and_weeks_give_the_same_fit(cdnow):
    weeks = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    days = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"] * 7, cdnow["T"] * 7)
    for name in ("r", "a", "b"):
        assert getattr(days, name) == pytest.approx(getattr(weeks, name), rel=1e-5)
    assert days.alpha == pytest.approx(weeks.alpha * 7, rel=1e-5)
    # log-likelihoods differ by the Jacobian of the time change, sum(x)·ln 7
    shift = cdnow["x"].sum() * np.log(7)
    assert days.log_likelihood == pytest.approx(weeks.log_likelihood - shift, abs=1e-4)
    row = (3, 20.0, 35.0)
    assert clv.p_alive(days, [row[0]], [row[1] * 7], [row[2] * 7]) == pytest.approx(
        clv.p_alive(weeks, [row[0]], [row[1]], [row[2]]), rel=1e-5)


def test_weights_equal_repeated_rows(cdnow):
    sub = cdnow.iloc[:300]
    w = np.arange(300) % 3 + 1
    weighted = clv.fit_bgnbd(sub["x"], sub["t_x"], sub["T"], weights=w)
    rep = sub.loc[sub.index.repeat(w)]
    expanded = clv.fit_bgnbd(rep["x"], rep["t_x"], rep["T"])
    assert weighted.n_customers == expanded.n_customers == w.sum()
    assert weighted.log_likelihood == pytest.approx(expanded.log_likelihood, rel=1e-9)
    assert weighted.r == pytest.approx(expanded.r, rel=1e-4)


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_bgnbd_gradient_matches_finite_differences(cdnow, model):
    d = bgnbd.BGNBDData(cdnow["x"].to_numpy(float), cdnow["t_x"].to_numpy(float),
                    cdnow["T"].to_numpy(float), np.ones(len(cdnow)), bgnbd.dropout_shift(model))
    for theta in (np.log([0.24, 0.11, 0.79, 2.4]), np.array([0.3, -1.0, 1.5, -0.5]),
                  np.array([-3.0, 2.0, -2.0, 3.0])):
        _, grad = bgnbd.bgnbd_objective(theta, d)
        h = 1e-6
        numeric = [(bgnbd.bgnbd_objective(theta + h * e, d)[0] - bgnbd.bgnbd_objective(theta - h * e, d)[0])
                   / (2 * h) for e in np.eye(4)]
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def _beta_expectation(k: float, a: float, bp: float, u: float) -> float:
    """E_{p~Beta(a, bp)}[(1 − (1 + p·u)^−k)/p] by adaptive quadrature (independent check)."""
    lb = special.betaln(a, bp)

    def f(p: float) -> float:
        return -np.expm1(-k * np.log1p(p * u)) / p * np.exp((a - 1) * np.log(p)
                                                             + (bp - 1) * np.log1p(-p) - lb)

    return integrate.quad(f, 0, 1, limit=500, epsabs=0, epsrel=1e-11)[0]


@pytest.mark.parametrize(
    "k,a,bp,u",
    [(2.24, 0.79, 4.43, 0.5), (0.3, 2.5, 1.2, 3.0), (30.0, 1.6, 40.0, 0.05), (5.0, 0.5, 300.0, 20.0),
     (1.0, 1.00003, 3.0, 2.0), (80.0, 3.0, 120.0, 400.0), (0.02, 8.8, 250.0, 4500.0),
     (3.0, 5000.0, 20000.0, 2.0)],
)
def test_future_purchases_formula_matches_quadrature(k, a, bp, u):
    ref = _beta_expectation(k, a, bp, u)
    closed = bgnbd.future_if_alive(np.array([k]), a, np.array([bp]), np.array([u]))[0]
    quad = bgnbd.future_if_alive_quadrature(np.array([k]), a, np.array([bp]), np.array([u]))[0]
    assert closed == pytest.approx(ref, rel=1e-6)
    assert quad == pytest.approx(ref, rel=1e-6)


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_p_alive_and_expected_purchases_match_monte_carlo(model):
    """At the true parameters, model expectations equal simulated outcomes on average,
    overall and within each observed frequency (law of total expectation)."""
    r, alpha, a, b = 0.55, 9.0, 0.8, 2.5
    rng = np.random.default_rng(7)
    t_obs = rng.integers(8, 53, 200_000).astype(float)  # weeks since the first purchase
    sim = simulate(200_000, r, alpha, a, b, t_obs, horizon=26, seed=11, model=model)
    fit = clv.BGNBDFit(r, alpha, a, b, np.nan, 0, True, 0, 0.0, model=model)
    pa = clv.p_alive(fit, sim["frequency"], sim["recency"], sim["T"])
    ey = clv.expected_purchases(fit, 26, sim["frequency"], sim["recency"], sim["T"])
    groups = np.minimum(sim["frequency"], 6)
    for g in range(7):
        m = (groups == g).to_numpy()
        alive, fut = sim["alive"][m], sim["future"][m]
        assert pa[m].mean() == pytest.approx(alive.mean(), abs=4 * alive.std() / np.sqrt(m.sum()) + 1e-3)
        assert ey[m].mean() == pytest.approx(fut.mean(), abs=4 * fut.std() / np.sqrt(m.sum()) + 1e-3)
    if model == "bgnbd":
        assert np.all(pa[sim["frequency"] == 0] == 1.0)  # BG/NBD: one-off buyers count as active
    else:
        assert pa[sim["frequency"] == 0].max() < 1.0


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_expected_purchases_new_matches_monte_carlo(model):
    r, alpha, a, b = 0.8, 6.0, 1.5, 4.0
    sim = simulate(400_000, r, alpha, a, b, np.zeros(400_000), horizon=20, seed=3, model=model)
    fit = clv.BGNBDFit(r, alpha, a, b, np.nan, 0, True, 0, 0.0, model=model)
    got = clv.expected_purchases_new(fit, 20)
    fut = sim["future"]
    assert got == pytest.approx(fut.mean(), abs=4 * fut.std() / np.sqrt(fut.size))
    assert clv.expected_purchases_new(fit, 0) == 0.0
    assert clv.expected_purchases_new(fit, 40) > got


TRUTH = {"r": 0.6, "alpha": 8.0, "a": 0.9, "b": 3.0}
# Relative tolerances, about four standard deviations of the estimates at 20,000 customers.
# Over 20 seeds the relative errors had standard deviations (r, alpha, a, b) of
# BG/NBD 1.2, 1.6, 5.5, 7.9 % and MBG/NBD 4.1, 2.6, 7.3, 14.3 %; the reported standard
# errors matched (z-scores with standard deviation 0.7–1.05).
RECOVERY_REL_TOL = {
    "bgnbd": {"r": 0.06, "alpha": 0.08, "a": 0.25, "b": 0.35},
    "mbgnbd": {"r": 0.18, "alpha": 0.12, "a": 0.30, "b": 0.60},
}


@pytest.mark.parametrize("model,seed", [("bgnbd", 1), ("bgnbd", 2), ("mbgnbd", 3)])
def test_fit_recovers_simulated_parameters(model, seed):
    rng = np.random.default_rng(seed + 100)
    t_obs = rng.integers(13, 79, 20_000).astype(float)  # weeks
    sim = simulate(20_000, *TRUTH.values(), t_obs=t_obs, horizon=0, seed=seed, model=model)
    fit = clv.fit_bgnbd(sim["frequency"], sim["recency"], sim["T"], model=model)
    assert fit.converged, fit.message
    for name, value in TRUTH.items():
        est = getattr(fit, name)
        assert est == pytest.approx(value, rel=RECOVERY_REL_TOL[model][name]), name
        assert abs(est - value) < 4 * fit.std_errors[name], name  # standard errors honest


def test_everyone_bought_once():
    t_obs = np.random.default_rng(0).integers(1, 300, 1000).astype(float)
    fit = clv.fit_bgnbd(np.zeros(1000), np.zeros(1000), t_obs)
    assert all(np.isfinite([fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood]))
    assert not fit.converged and "no repeat purchases" in fit.message
    assert clv.expected_purchases(fit, 90, [0], [0], [30]).max() < 1e-3
    assert clv.p_alive(fit, [0], [0], [30]) == pytest.approx([1.0])


def test_one_heavy_buyer_among_single_buyers():
    t_obs = np.random.default_rng(1).integers(30, 365, 2000).astype(float)
    x, tx = np.zeros(2000), np.zeros(2000)
    x[0], tx[0] = 60, t_obs[0] - 1
    for model in ("bgnbd", "mbgnbd"):
        fit = clv.fit_bgnbd(x, tx, t_obs, model=model)
        assert all(np.isfinite([fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood]))
        ey = clv.expected_purchases(fit, 90, x[:3], tx[:3], t_obs[:3])
        # the heavy buyer keeps buying at about his own rate; the others hardly at all
        assert ey[0] == pytest.approx(60 / t_obs[0] * 90, rel=0.05) and ey[1:].max() < 0.01
        # a and b cannot be told apart from one repeat buyer: said so, not hidden
        assert not fit.converged and "do not pin" in fit.message


@pytest.mark.parametrize("seed", range(6))
def test_tiny_store_fits_without_errors(cdnow, seed):
    small = cdnow.sample(20, random_state=seed)
    fit = clv.fit_bgnbd(small["x"], small["t_x"], small["T"])
    assert all(np.isfinite([fit.r, fit.alpha, fit.a, fit.b, fit.log_likelihood]))
    assert fit.log_likelihood <= 0
    ey = clv.expected_purchases(fit, 10, small["x"], small["t_x"], small["T"])
    assert np.all(np.isfinite(ey)) and np.all(ey >= 0)
    assert fit.converged == (not fit.at_bound and fit.message.startswith("converged"))
    if (small["x"] > 0).sum() >= 2:
        gg = clv.fit_gamma_gamma(small["x"], small["zbar"])
        assert np.all(np.isfinite(clv.expected_spend(gg, small["x"], small["zbar"])))


def test_clear_errors_for_bad_input():
    with pytest.raises(ValueError, match="at least one customer"):
        clv.fit_bgnbd([], [], [])
    with pytest.raises(ValueError, match="repeat buyer"):
        clv.fit_gamma_gamma([0, 0], [0.0, 0.0])
    with pytest.raises(ValueError, match="between 0 and T"):
        clv.fit_bgnbd([1], [5.0], [3.0])
    with pytest.raises(ValueError, match="whole numbers"):
        clv.fit_bgnbd([1.5], [1.0], [3.0])
    with pytest.raises(ValueError, match="model"):
        clv.fit_bgnbd([1], [1.0], [3.0], model="pareto")
    with pytest.raises(ValueError, match="no paid orders"):
        clv.predict_customers(pd.DataFrame({"customer_id": ["c"], "ordered_at": pd.to_datetime(
            ["2025-02-01"]), "amount": [1.0]}), "2025-01-01")


def test_extreme_parameters_give_finite_monotone_predictions():
    # where scipy's hyp2f1 returns NaN the quadrature takes over
    fit = clv.BGNBDFit(5.7, 0.01, 0.5, 290.0, np.nan, 0, True, 0, 0.0)
    x = np.array([0, 3, 120, 200])
    tx = np.array([0, 0.5, 1.0, 2.0])
    tt = np.array([0.0, 2.0, 2.0, 2.0])
    e30, e90 = (clv.expected_purchases(fit, t, x, tx, tt) for t in (30, 90))
    assert np.all(np.isfinite(e90)) and np.all(e90 > e30) and np.all(e30 > 0)


def test_the_report_says_bgnbd_keeps_one_off_buyers_alive():
    """With BG/NBD a one-off buyer's P(alive) is 1 whatever the time since: the report's model
    name says so (issue 17), in both languages."""
    from wxshop.report.i18n import Translator

    fit = clv.fit_bgnbd([0, 0, 2, 5], [0, 0, 30, 60], [100, 400, 100, 400])
    assert clv.p_alive(fit, [0, 0], [0, 0], [10, 1000]).tolist() == [1.0, 1.0]
    assert "P(alive) = 1" in Translator("en")("model.bgnbd")
    assert "P(存活) 恒为 1" in Translator("zh")("model.bgnbd")
