"""Shared samples of the A/B statistics tests: a skewed per-user table and batched simulated arms
(imported by the test modules beside it)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from wxshop.ab import stats as ab
from wxshop.ab.stats import ArmStats


def users_table(seed: int = 7, n: int = 4000) -> pd.DataFrame:
    """A per-user table with skewed revenue, orders and a correlated pre-period covariate."""
    rng = np.random.default_rng(seed)
    variant = np.where(rng.random(n) < 0.5, "control", "treatment")
    buy = rng.random(n) < np.where(variant == "treatment", 0.14, 0.12)
    orders = buy * (1 + rng.poisson(0.3, n))
    revenue = orders * rng.lognormal(4.0, 0.8, n)
    pre = 0.6 * revenue + rng.lognormal(3.0, 1.0, n) * (rng.random(n) < 0.4)
    return pd.DataFrame({"variant": variant, "revenue": revenue, "orders": orders, "pre_revenue": pre})


def arm_arrays(users: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    """The control and the treatment values of one column."""
    c = users.loc[users["variant"] == "control", col].to_numpy(float)
    t = users.loc[users["variant"] == "treatment", col].to_numpy(float)
    return c, t


def simulate_arm(rng: np.random.Generator, arm: str, sims: int, n: int, conv: float,
                  extra_orders: float = 0.25, log_mu: float = 4.0, log_sigma: float = 0.6) -> ArmStats:
    """Sufficient statistics of ``sims`` independent arms of ``n`` users each (batched).

    Each user buys with probability ``conv``; a buyer places 1 + Poisson(extra_orders) orders
    of lognormal(log_mu, log_sigma) CNY each. Non-buyers add zero to every sum, so only
    buyers and their orders are drawn: exact in distribution and cheap.
    """
    k = rng.binomial(n, conv, size=sims)
    sim_of_buyer = np.repeat(np.arange(sims), k)
    orders = 1 + rng.poisson(extra_orders, size=k.sum())
    values = rng.lognormal(log_mu, log_sigma, size=orders.sum())
    revenue = np.bincount(np.repeat(np.arange(k.sum()), orders), weights=values, minlength=k.sum())

    def per_sim(w: np.ndarray) -> np.ndarray:
        return np.bincount(sim_of_buyer, weights=w, minlength=sims)

    o = orders.astype(float)
    return ArmStats(arm, n=np.full(sims, float(n)), conversions=k.astype(float),
                    revenue_sum=per_sim(revenue), revenue_sumsq=per_sim(revenue**2),
                    orders_sum=per_sim(o), orders_sumsq=per_sim(o**2),
                    revenue_orders_sum=per_sim(revenue * o))


def user_variance(metric: str, conv: float, extra: float, log_mu: float, log_sigma: float) -> float:
    """True per-user variance of the metric under :func:`simulate_arm`'s model."""
    if metric == "conversion":
        return conv * (1 - conv)
    m, s2 = math.exp(log_mu + log_sigma**2 / 2), math.exp(2 * log_mu + 2 * log_sigma**2)
    k1, k2 = 1 + extra, 1 + 3 * extra + extra**2  # E[K], E[K²] for K = 1 + Poisson(extra)
    r1, r2 = k1 * m, k1 * s2 + (k2 - k1) * m**2  # E[R], E[R²] for R = sum of K order values
    return conv * r2 - (conv * r1) ** 2


def binomial_arm(rng: np.random.Generator, arm: str, sims: int, n: int, p: float) -> ArmStats:
    """Conversions of ``sims`` independent arms of ``n`` users converting with probability p."""
    return ArmStats(arm, n=np.full(sims, float(n)), conversions=rng.binomial(n, p, sims).astype(float))


def covers(result: ab.MetricResult, truth: float, relative: bool = False) -> np.ndarray:
    """Per simulated experiment: does the (relative) interval contain ``truth``?"""
    lo, hi = (result.rel_ci_low, result.rel_ci_high) if relative else (result.ci_low, result.ci_high)
    return (np.asarray(lo) <= truth) & (truth <= np.asarray(hi))


def metric_result(**kw) -> ab.MetricResult:
    """A conversion test of 500/10,000 vs 500/10,000 with the given fields replaced."""
    base = ab.conversion_test(ab.arm_stats_from_counts("c", 10_000, 500),
                              ab.arm_stats_from_counts("t", 10_000, 500))
    return replace(base, **kw)
