"""CLV models: hand-computed summaries, published CDNOW estimates, simulated truth, demo stores."""

from __future__ import annotations

import importlib.metadata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from scipy import integrate, special

from wxshop import demo
from wxshop.analysis import clv

# ----------------------------------------------------------------------------- helpers


def lifetimes_file(name: str) -> Path:
    """A data file shipped in the lifetimes distribution (the package itself is never imported)."""
    try:
        dist = importlib.metadata.distribution("lifetimes")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("the CDNOW sample comes with the 'lifetimes' distribution, which is not "
                    "installed: pip install -e '.[test]'")
    path = Path(str(dist.locate_file(f"lifetimes/datasets/{name}")))
    if not path.exists():
        pytest.skip(f"the lifetimes distribution has no datasets/{name}")
    return path


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    """CDNOW sample, 2,357 customers, 39-week calibration, weeks: ID, x, t_x, T, zbar."""
    return pd.read_csv(lifetimes_file("cdnow_customers_summary_with_transactions.csv"))


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


# ---------------------------------------------------------------------- purchase summary


@pytest.fixture
def orders() -> pd.DataFrame:
    # c1: paid 01-05 10:00 (100) and 18:00 (20) = one transaction of 120; paid 02-10 (50);
    #     refunded 02-11 (80, ignored); paid 03-01 (30); paid 04-02 (after the end, ignored)
    # c2: one paid order 01-20 (30); c3: cancelled only; c4: paid at 23:59 on the last day.
    return pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(1, 10)],
            "customer_id": ["c1", "c1", "c1", "c1", "c1", "c1", "c2", "c3", "c4"],
            "ordered_at": pd.to_datetime(
                ["2025-01-05 10:00", "2025-01-05 18:00", "2025-02-10 09:00", "2025-02-11 12:00",
                 "2025-03-01 20:00", "2025-04-02 08:00", "2025-01-20 11:00", "2025-02-01 10:00",
                 "2025-03-31 23:59"],
                format="ISO8601",
            ),
            "amount": [100.0, 20.0, 50.0, 80.0, 30.0, 70.0, 30.0, 60.0, 25.0],
            "status": ["paid", "paid", "paid", "refunded", "paid", "paid", "paid", "cancelled",
                       "paid"],
        }
    )


def test_purchase_summary_hand_computed(orders):
    got = clv.purchase_summary(orders, "2025-03-31")
    expected = pd.DataFrame(
        {
            "customer_id": pd.array(["c1", "c2", "c4"], dtype="str"),
            "frequency": np.array([2, 0, 0], dtype="int64"),
            "recency": [55.0, 0.0, 0.0],  # 01-05 → 03-01
            "T": [85.0, 70.0, 0.0],  # first purchase → 03-31
            "monetary_value": [40.0, 0.0, 0.0],  # (50 + 30) / 2 repeat transactions
            "first_purchase": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-03-31"]).astype(
                "datetime64[s]"),
            "last_purchase": pd.to_datetime(["2025-03-01", "2025-01-20", "2025-03-31"]).astype(
                "datetime64[s]"),
        }
    )
    pdt.assert_frame_equal(got, expected)


def test_purchase_summary_weeks_and_no_status(orders):
    weeks = clv.purchase_summary(orders, pd.Timestamp("2025-03-31 08:00"), unit_days=7)
    assert weeks["recency"].tolist() == pytest.approx([55 / 7, 0, 0])
    assert weeks["T"].tolist() == pytest.approx([85 / 7, 70 / 7, 0])
    # without a status column every order counts: c1 gains the refunded day, c3 appears
    no_status = clv.purchase_summary(orders.drop(columns="status"), "2025-03-31")
    c1 = no_status.set_index("customer_id").loc["c1"]
    assert c1["frequency"] == 3
    assert c1["monetary_value"] == pytest.approx((50 + 80 + 30) / 3)
    assert no_status["customer_id"].tolist() == ["c1", "c2", "c3", "c4"]


def test_purchase_summary_missing_column_and_empty(orders):
    with pytest.raises(KeyError, match="amount"):
        clv.purchase_summary(orders.drop(columns="amount"), "2025-03-31")
    empty = clv.purchase_summary(orders, "2024-12-31")
    assert empty.empty
    assert list(empty.columns) == list(clv.SUMMARY_COLUMNS)


def test_purchase_summary_reproduces_cdnow_summary():
    """From the raw CDNOW sample to the published per-customer (x, t_x, T, zbar) table."""
    raw = pd.read_csv(lifetimes_file("CDNOW_sample.txt"), sep=r"\s+", header=None,
                      names=["master_id", "customer_id", "date", "cds", "amount"],
                      dtype={"date": str})
    orders = pd.DataFrame({"order_id": np.arange(len(raw)).astype(str),
                           "customer_id": raw["customer_id"],
                           "ordered_at": pd.to_datetime(raw["date"], format="%Y%m%d"),
                           "amount": raw["amount"]})
    got = clv.purchase_summary(orders, "1997-09-30", unit_days=7)
    ref = pd.read_csv(lifetimes_file("cdnow_customers_summary_with_transactions.csv"))
    both = got.merge(ref, left_on="customer_id", right_on="ID", validate="1:1")
    assert len(both) == len(ref) == 2357
    assert (both["frequency"] == both["x"]).all()
    assert np.abs(both["recency"] - both["t_x"]).max() <= 0.005 + 1e-9
    assert np.abs(both["T_x"] - both["T_y"]).max() <= 0.005 + 1e-9
    assert np.abs(both["monetary_value"] - both["zbar"]).max() <= 0.005 + 1e-9


# -------------------------------------------------------------- published CDNOW results


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


def test_bgnbd_conditional_expectations_match_published_values(cdnow):
    fit = clv.fit_bgnbd(cdnow["x"], cdnow["t_x"], cdnow["T"])
    # Fader, Hardie & Lee (2005), section 5: x = 2, t_x = 30.43, T = 38.86 → 1.226 in 39 weeks
    assert clv.expected_purchases(fit, 39, [2], [30.43], [38.86])[0] == pytest.approx(1.226, abs=5e-4)
    # lifetimes documentation, the five best CDNOW customers by expected purchases next week
    rows = pd.DataFrame({"x": [18, 19, 17, 29, 26], "t_x": [35.14, 34.00, 28.43, 37.71, 30.86],
                         "T": [35.86, 34.14, 28.86, 38.00, 31.00]})
    got = clv.expected_purchases(fit, 1, rows["x"], rows["t_x"], rows["T"])
    np.testing.assert_allclose(got, [0.424877, 0.474738, 0.486526, 0.662396, 0.710623], atol=2e-6)


def test_gamma_gamma_reproduces_cdnow(cdnow):
    fit = clv.fit_gamma_gamma(cdnow["x"], cdnow["zbar"])
    assert fit.n_customers == 946  # repeat buyers only
    assert fit.p == pytest.approx(6.25, rel=0.01)
    assert fit.q == pytest.approx(3.74, rel=0.01)
    assert fit.v == pytest.approx(15.44, rel=0.01)
    assert fit.converged
    # lifetimes documentation: conditional expected average profit of customers 1, 2, 3
    spend = clv.expected_spend(fit, cdnow["x"], cdnow["zbar"])
    np.testing.assert_allclose(spend[:3], [24.658619, 18.911489, 35.170981], rtol=1e-5)
    assert spend[0] == pytest.approx((fit.p * (fit.v + 2 * 22.35)) / (2 * fit.p + fit.q - 1))


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


# --------------------------------------------------------------------- gradients


@pytest.mark.parametrize("model", ["bgnbd", "mbgnbd"])
def test_bgnbd_gradient_matches_finite_differences(cdnow, model):
    d = clv._BGData(cdnow["x"].to_numpy(float), cdnow["t_x"].to_numpy(float),
                    cdnow["T"].to_numpy(float), np.ones(len(cdnow)), clv._shift(model))
    for theta in (np.log([0.24, 0.11, 0.79, 2.4]), np.array([0.3, -1.0, 1.5, -0.5]),
                  np.array([-3.0, 2.0, -2.0, 3.0])):
        _, grad = clv._bg_objective(theta, d)
        h = 1e-6
        numeric = [(clv._bg_objective(theta + h * e, d)[0] - clv._bg_objective(theta - h * e, d)[0])
                   / (2 * h) for e in np.eye(4)]
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_gamma_gamma_gradient_matches_finite_differences(cdnow):
    rep = cdnow[cdnow["x"] > 0]
    d = clv._GGData(rep["x"].to_numpy(float), rep["zbar"].to_numpy(float), np.ones(len(rep)))
    for theta in (np.log([6.0, 3.7, 0.4]), np.array([0.3, -1.0, 1.5]), np.array([2.5, 0.2, -2.0])):
        _, grad = clv._gg_objective(theta, d)
        h = 1e-6
        numeric = [(clv._gg_objective(theta + h * e, d)[0] - clv._gg_objective(theta - h * e, d)[0])
                   / (2 * h) for e in np.eye(3)]
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


# ------------------------------------------------------------------ formulas vs truth


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
    closed = clv._future_if_alive(np.array([k]), a, np.array([bp]), np.array([u]))[0]
    quad = clv._future_if_alive_quad(np.array([k]), a, np.array([bp]), np.array([u]))[0]
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


# --------------------------------------------------------------- recovering the truth

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


def test_gamma_gamma_recovers_simulated_parameters():
    p, q, v = 3.0, 5.0, 80.0
    rng = np.random.default_rng(5)
    n = 20_000
    x = rng.integers(1, 8, n)
    nu = rng.gamma(q, 1 / v, n)
    # the mean of x Gamma(p, ν) transactions is Gamma(p·x, x·ν)
    m = rng.gamma(p * x, 1 / (x * nu))
    fit = clv.fit_gamma_gamma(x, m)
    assert fit.converged, fit.message
    # four standard deviations of the relative errors seen over 20 seeds (3.4, 2.1, 5.4 %)
    assert fit.p == pytest.approx(p, rel=0.14)
    assert fit.q == pytest.approx(q, rel=0.09)
    assert fit.v == pytest.approx(v, rel=0.22)
    for name, value in (("p", p), ("q", q), ("v", v)):
        assert abs(getattr(fit, name) - value) < 4 * fit.std_errors[name], name
    assert abs(fit.frequency_spend_corr) < 0.05


# ---------------------------------------------------------------------- awkward inputs


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


# ----------------------------------------------------------------------- demo stores


@pytest.mark.parametrize("n,seed", [(3000, 1), (4000, 2), (5000, 3)])
def test_p_alive_on_demo_store_matches_planted_alive_share(n, seed):
    """The demo's customers may leave after any purchase, the first included (gamma-gap
    renewal, not Poisson): MBG/NBD's mean P(alive) lands within 0.08 of the planted alive
    share (seen: 0.03–0.05 above it). BG/NBD gives every one-off buyer P(alive) = 1, so it
    is only compared on repeat buyers."""
    tables, truth = demo.generate_store(n, seed)
    end = truth["window"]["end"]
    planted = truth["purchase_process"]["alive_share_at_end"]
    pred, bg, gg = clv.predict_customers(tables["orders"], end)
    assert bg.model == "mbgnbd" and bg.converged and gg is not None and gg.converged
    assert pred["p_alive"].mean() == pytest.approx(planted, abs=0.08)

    alive = truth["_customers"].set_index("customer_id")["alive"]
    summary = clv.purchase_summary(tables["orders"], end)
    x, tx, tt = (summary[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    fit = clv.fit_bgnbd(x, tx, tt, model="bgnbd")
    pa = clv.p_alive(fit, x, tx, tt)
    repeat = x > 0
    assert np.all(pa[~repeat] == 1.0)
    truth_repeat = alive.reindex(summary["customer_id"][repeat]).to_numpy(float).mean()
    assert pa[repeat].mean() == pytest.approx(truth_repeat, abs=0.08)


def test_predict_customers_columns_and_value():
    tables, truth = demo.generate_store(3000, 4)
    pred, bg, gg = clv.predict_customers(tables["orders"], truth["window"]["end"],
                                         horizons=(30, 90, 180), value_horizon=90)
    assert list(pred.columns) == [
        "customer_id", "frequency", "recency", "T", "monetary_value", "p_alive",
        "expected_purchases_30", "expected_purchases_90", "expected_purchases_180",
        "expected_spend", "expected_value_90",
    ]
    assert pred["customer_id"].is_unique and len(pred) == pred["customer_id"].nunique()
    assert pred["p_alive"].between(0, 1).all()
    assert (pred["expected_purchases_30"] <= pred["expected_purchases_90"]).all()
    assert (pred["expected_purchases_90"] <= pred["expected_purchases_180"]).all()
    np.testing.assert_allclose(pred["expected_value_90"],
                               pred["expected_purchases_90"] * pred["expected_spend"])
    # repeat buyers' spend is shrunk between their own mean and the population mean
    rep = pred[pred["frequency"] > 0]
    lo = np.minimum(rep["monetary_value"], gg.mean_spend)
    hi = np.maximum(rep["monetary_value"], gg.mean_spend)
    assert rep["expected_spend"].between(lo - 1e-9, hi + 1e-9).all()
    np.testing.assert_allclose(pred.loc[pred["frequency"] == 0, "expected_spend"], gg.mean_spend)


def test_predict_customers_without_enough_repeat_buyers():
    orders = pd.DataFrame({
        "order_id": [f"o{i}" for i in range(6)],
        "customer_id": ["a", "a", "b", "c", "d", "e"],
        "ordered_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-10", "2025-01-15",
                                      "2025-02-20", "2025-03-01"]),
        "amount": [10.0, 30.0, 20.0, 40.0, 50.0, 60.0],
    })
    pred, bg, gg = clv.predict_customers(orders, "2025-03-31")
    assert gg is None
    spend = pred.set_index("customer_id")["expected_spend"]
    assert spend["a"] == pytest.approx(30.0)  # own repeat mean
    assert spend["b"] == pytest.approx(30.0)  # repeat buyers' mean (a's only)
    assert np.isfinite(pred["expected_value_90"]).all()


def test_holdout_check_on_demo_store():
    """Calibrate to 2026-03-31, predict April–June (no planted experiments, no 春节 break):
    total predicted repeat purchase days within ±10 % of actual (brief: ±20 %). Seen for
    seeds 1–3: within ±4 % here; −9 % to +5 % for holdouts starting 2025-10-31 and
    2026-05-31; +6 % to +12 % for February–April (春节) and +11 % to +22 % for
    August–October 2026, where the demo's experiments replace participants' orders."""
    tables, truth = demo.generate_store(4000, 2)
    table, totals = clv.holdout_check(tables["orders"], "2026-03-31", 90)
    assert abs(totals["relative_error"]) <= 0.10
    assert table["frequency"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "≥7"]
    assert table["customers"].sum() == totals["customers"]
    assert totals["holdout_end"] == "2026-06-29"
    # more calibration purchases, more holdout purchases: actual and predicted agree on that
    assert table["predicted_mean"].iloc[-1] > 2 * table["predicted_mean"].iloc[0]
    assert table["actual_mean"].iloc[-1] > 2 * table["actual_mean"].iloc[0]
    # actual counts purchase days in the holdout, checked directly
    paid = tables["orders"].query("status == 'paid'")
    days = paid["ordered_at"].dt.normalize()
    inside = paid[(days > "2026-03-31") & (days <= "2026-06-29")]
    cal_customers = paid.loc[days <= "2026-03-31", "customer_id"].unique()
    inside = inside[inside["customer_id"].isin(cal_customers)]
    expected_total = inside.assign(day=inside["ordered_at"].dt.normalize()).drop_duplicates(
        ["customer_id", "day"]).shape[0]
    assert totals["actual_total"] == expected_total


def test_holdout_check_warns_when_orders_stop_early(orders):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table, totals = clv.holdout_check(orders, "2025-03-15", 90)
    assert any("before the holdout ends" in str(w.message) for w in caught)
    # calibration customers c1 and c2; in the holdout only c1 buys (04-02); c4 starts on 03-31
    assert totals["customers"] == 2
    assert totals["actual_total"] == 1
