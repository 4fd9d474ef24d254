"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013):
fit by maximum likelihood and the expected value of a customer's future transaction (CNY).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from wxshop.analysis.clv.fitting import case_weights, compress, fit_frame, float_array, maximise

__all__ = ["GammaGammaData", "GammaGammaFit", "expected_spend", "fit_gamma_gamma", "gamma_gamma_objective"]


@dataclass(frozen=True)
class GammaGammaFit:
    """A fitted Gamma-Gamma spend model.

    p: shape of the Gamma distribution of one customer's transaction values; q, v: shape and
    rate of the Gamma distribution of its rate ν across customers (v, γ in Fader & Hardie,
    is in CNY). Mean transaction value in the population p·v/(q−1) CNY (when q > 1).
    n_customers: repeat buyers used (sum of weights). excluded: repeat buyers left out for a
    non-positive mean spend. frequency_spend_corr: Pearson correlation of frequency and
    monetary_value among them; the model assumes it is near 0. std_errors, at_bound,
    converged and message as in :class:`BGNBDFit`.
    """

    p: float
    q: float
    v: float
    log_likelihood: float
    n_customers: int
    converged: bool
    iterations: int
    seconds: float
    excluded: int = 0
    frequency_spend_corr: float = float("nan")
    at_bound: tuple[str, ...] = ()
    message: str = ""
    std_errors: dict[str, float] = field(default_factory=dict)

    @property
    def mean_spend(self) -> float:
        """Population mean transaction value p·v/(q−1), CNY; NaN when q ≤ 1 (no finite mean)."""
        return self.p * self.v / (self.q - 1) if self.q > 1 else float("nan")

    def to_dict(self) -> dict:
        return {**asdict(self), "at_bound": list(self.at_bound), "mean_spend": self.mean_spend}

    def to_frame(self) -> pd.DataFrame:
        """One row; standard errors as ``<name>_se`` columns."""
        return fit_frame(self.to_dict())


_GG_NAMES = ("p", "q", "v")


class GammaGammaData:
    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> None:
        (x, m), w = compress(x, m, weights=w)
        self.total = w.sum()
        self.scale = float(w @ m / self.total)
        z = m / self.scale
        self.w, self.x, self.z = w, x, z
        self.ux, self.ix = np.unique(x, return_inverse=True)
        self.Wx = np.bincount(self.ix, weights=w, minlength=self.ux.size)
        # parts that do not depend on the parameters
        self.wx = w * x
        self.sum_wx_logzx = float(self.wx @ (np.log(z) + np.log(x)))
        self.sum_w_logz = float(w @ np.log(z))


def gamma_gamma_objective(theta: np.ndarray, d: GammaGammaData) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood of mean spends (rescaled money) and its log-gradient."""
    p, q, v = np.exp(theta)
    px = p * d.ux
    log_v_xz = np.log(v + d.x * d.z)
    ll = (d.Wx @ (special.gammaln(px + q) - special.gammaln(px)) - d.total * special.gammaln(q)
          + d.total * q * np.log(v) + p * d.sum_wx_logzx - d.sum_w_logz
          - (p * d.wx + q * d.w) @ log_v_xz)
    psi_pxq = special.digamma(px + q)
    g_p = (d.Wx * d.ux) @ (psi_pxq - special.digamma(px)) + d.sum_wx_logzx - d.wx @ log_v_xz
    g_q = d.Wx @ psi_pxq - d.total * special.digamma(q) + d.total * np.log(v) - d.w @ log_v_xz
    g_v = d.total * q / v - (p * d.wx + q * d.w) @ (1.0 / (v + d.x * d.z))
    grad = np.array([g_p * p, g_q * q, g_v * v])
    return -ll / d.total, -grad / d.total


def fit_gamma_gamma(
    frequency: ArrayLike, monetary_value: ArrayLike, *, weights: ArrayLike | None = None
) -> GammaGammaFit:
    """Fit the Gamma-Gamma spend model by maximum likelihood.

    Parameters
    ----------
    frequency : repeat transactions per customer; only customers with frequency > 0 are used.
    monetary_value : mean value of those repeat transactions (CNY); repeat buyers with a
        mean ≤ 0 are left out and counted in ``excluded``.
    weights : optional count of customers behind each row.

    Money is rescaled to a mean of one and the likelihood maximised over log-parameters
    with its analytic gradient, as in :func:`fit_bgnbd`. Raises ValueError when no repeat
    buyer with a positive spend is left.

    Examples
    --------
    400 simulated repeat buyers whose population mean spend is p·v/(q−1) = 60 CNY:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.integers(1, 6, 400)
    >>> m = rng.gamma(3.0 * x, 1 / (x * rng.gamma(4.0, 1 / 60.0, 400)))
    >>> fit = fit_gamma_gamma(x, m)
    >>> fit.converged, fit.n_customers, round(fit.mean_spend)
    (True, 400, 60)
    """
    t0 = time.perf_counter()
    x = float_array(frequency, "frequency")
    m = np.asarray(monetary_value, dtype=float).reshape(-1)
    if x.size != m.size:
        raise ValueError(f"frequency and monetary_value differ in length ({x.size}, {m.size})")
    w = case_weights(weights, x.size)
    repeat = (x > 0) & (w > 0)
    if np.any(x[repeat] != np.round(x[repeat])):
        raise ValueError("frequency must be whole numbers ≥ 0 (repeat transactions)")
    usable = repeat & np.isfinite(m) & (m > 0)
    excluded = int(round(w[repeat & ~usable].sum()))
    if not usable.any():
        raise ValueError("fit_gamma_gamma needs at least one repeat buyer with a positive spend")
    d = GammaGammaData(x[usable], m[usable], w[usable])
    starts = [np.log([p0, q0, (q0 - 1) / p0]) for p0, q0 in ((2.0, 3.0), (1.0, 2.0), (6.0, 4.0),
                                                               (20.0, 10.0), (0.5, 1.5))]
    opt = maximise(lambda th: gamma_gamma_objective(th, d), starts, _GG_NAMES, d.total)
    p, q, v = np.exp(opt.theta)
    ll = opt.mean_ll * d.total - np.log(d.scale) * d.total
    xs, ms = x[usable], m[usable]
    corr = float(np.corrcoef(xs, ms)[0, 1]) if xs.size > 2 and xs.std() > 0 and ms.std() > 0 else np.nan
    params = np.array([p, q, v * d.scale])
    return GammaGammaFit(
        p=float(p), q=float(q), v=float(v * d.scale), log_likelihood=float(ll),
        n_customers=int(round(d.total)), converged=opt.converged, iterations=opt.iterations,
        seconds=time.perf_counter() - t0, excluded=excluded, frequency_spend_corr=corr,
        at_bound=opt.at_bound, message=opt.message,
        std_errors=dict(zip(_GG_NAMES, map(float, params * opt.se_log), strict=True)),
    )


def expected_spend(
    fit_gg: GammaGammaFit, frequency: ArrayLike, monetary_value: ArrayLike
) -> np.ndarray:
    """E[value of a future transaction | frequency, monetary_value], CNY per transaction.

    (p·v + p·x·m̄) / (p·x + q − 1): the observed mean m̄ of a customer's x repeat
    transactions shrunk towards the population mean p·v/(q − 1). Customers without repeat
    purchases, or with a mean ≤ 0, get the population mean (NaN when q ≤ 1, where that
    mean is infinite).

    Examples
    --------
    With the published CDNOW estimates: a customer with 2 repeat transactions averaging 22.35,
    and one without repeats (the population mean):

    >>> fit = GammaGammaFit(p=6.25, q=3.74, v=15.44, log_likelihood=float("nan"), n_customers=946,
    ...                     converged=True, iterations=0, seconds=0.0)
    >>> expected_spend(fit, [2, 0], [22.35, 0.0]).round(2).tolist()
    [24.66, 35.22]
    """
    x = float_array(frequency, "frequency")
    m = np.nan_to_num(np.asarray(monetary_value, dtype=float).reshape(-1))
    p, q, v = fit_gg.p, fit_gg.q, fit_gg.v
    x = np.where(m > 0, x, 0.0)  # no usable spend history: population mean
    denom = p * x + q - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        out = p * (v + x * m) / denom
    return np.where(denom > 0, out, np.nan)
