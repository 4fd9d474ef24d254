"""BG/NBD (Fader, Hardie & Lee 2005) and MBG/NBD (Batislam, Denizel & Filiztekin 2007)
purchase models: fit by maximum likelihood, P(alive), expected purchases of existing and
new customers. Times are in the data's unit (days or weeks).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from wxshop.analysis.clv.fitting import (
    case_weights,
    compress,
    distinct_rows,
    fit_frame,
    float_array,
    maximise,
)

__all__ = [
    "BGNBDData", "BGNBDFit", "PurchaseModel", "bgnbd_objective", "dropout_shift", "expected_purchases",
    "expected_purchases_new", "fit_bgnbd", "future_if_alive", "future_if_alive_quadrature", "p_alive",
]

PurchaseModel = Literal["bgnbd", "mbgnbd"]


def dropout_shift(model: str) -> int:
    """Purchases before the first chance to leave: 0 for BG/NBD, 1 for MBG/NBD."""
    if model not in ("bgnbd", "mbgnbd"):
        raise ValueError(f"model must be 'bgnbd' or 'mbgnbd', got {model!r}")
    return 1 if model == "mbgnbd" else 0


@dataclass(frozen=True)
class BGNBDFit:
    """A fitted BG/NBD (or MBG/NBD) purchase model.

    r, alpha: Gamma(shape r, rate alpha) heterogeneity of purchase rates λ; alpha is in the
    time unit of the data (days or weeks), so the mean rate r/alpha is purchases per unit.
    a, b: Beta(a, b) heterogeneity of the chance p to leave after a purchase: after each
    repeat purchase (``model="bgnbd"``) or after every purchase including the first
    (``model="mbgnbd"``, Batislam, Denizel & Filiztekin 2007).
    log_likelihood: at the estimates, in the data's units. n_customers: sum of the weights.
    converged: a well-determined interior maximum was found: first-order conditions hold,
    no parameter ran to the edge of the search range (``at_bound``) and the standard errors
    are finite; otherwise ``message`` says what went wrong.
    iterations: optimiser iterations over all attempts. seconds: wall time of the fit.
    std_errors: asymptotic standard errors of r, alpha, a, b (observed information, delta
    method; NaN when the likelihood is flat).
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    converged: bool
    iterations: int
    seconds: float
    at_bound: tuple[str, ...] = ()
    message: str = ""
    std_errors: dict[str, float] = field(default_factory=dict)
    model: PurchaseModel = "bgnbd"

    @property
    def purchase_rate(self) -> float:
        """Mean purchase rate of active customers, r/alpha, per unit of time."""
        return self.r / self.alpha

    @property
    def dropout_probability(self) -> float:
        """Mean chance of leaving after a purchase, a/(a+b), share 0–1."""
        return self.a / (self.a + self.b)

    def to_dict(self) -> dict:
        return {**asdict(self), "at_bound": list(self.at_bound),
                "purchase_rate": self.purchase_rate, "dropout_probability": self.dropout_probability}

    def to_frame(self) -> pd.DataFrame:
        """One row; standard errors as ``<name>_se`` columns."""
        return fit_frame(self.to_dict())


_BG_NAMES = ("r", "alpha", "a", "b")


class BGNBDData:
    """Compressed BG/NBD data with times rescaled so that the mean T is one."""

    def __init__(self, x: np.ndarray, tx: np.ndarray, t_obs: np.ndarray, w: np.ndarray,
                 shift: int = 0) -> None:
        (x, tx, t_obs), w = compress(x, tx, t_obs, weights=w)
        total = w.sum()
        mean_t = float(w @ t_obs / total)
        self.shift = shift
        self.scale = mean_t if mean_t > 0 else 1.0
        self.w = w
        self.total = total
        self.sum_x = float(w @ x)
        self.ux, self.ix = np.unique(x, return_inverse=True)
        self.uT, self.iT = np.unique(t_obs / self.scale, return_inverse=True)
        self.utx, self.itx = np.unique(tx / self.scale, return_inverse=True)
        self.xr = x  # per row
        self.Wx = np.bincount(self.ix, weights=w, minlength=self.ux.size)
        self.rate = self.sum_x / float(w @ t_obs / self.scale) if self.sum_x > 0 else 0.0


def bgnbd_objective(theta: np.ndarray, d: BGNBDData) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood (rescaled time) and its gradient in log-parameters.

    Per customer (Fader, Hardie & Lee 2005, eq. 6; with s = 1 Batislam et al. 2007):
    L = B(a, b+x+s)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+T)^(r+x))
        + [x+s > 0] B(a+1, b+x+s−1)/B(a, b) · Γ(r+x)α^r / (Γ(r)(α+t_x)^(r+x)),
    summed in log space with logaddexp.
    """
    r, al, a, b = np.exp(theta)
    ux = d.ux
    xs = ux + d.shift  # purchases after which the customer could have left
    pos = xs > 0
    lbab = special.betaln(a, b)
    a1 = special.gammaln(r + ux) - special.gammaln(r) + r * np.log(al)
    a2x = special.betaln(a, b + xs) - lbab
    a3x = np.full(ux.size, -np.inf)
    a3x[pos] = special.betaln(a + 1, b + xs[pos] - 1) - lbab
    log_t = np.log(al + d.uT)
    log_tx = np.log(al + d.utx)
    rx = r + d.xr
    a2 = a2x[d.ix] - rx * log_t[d.iT]
    a3 = a3x[d.ix] - rx * log_tx[d.itx]
    lse = np.logaddexp(a2, a3)
    ll = d.Wx @ a1 + d.w @ lse
    ww2 = d.w * np.exp(a2 - lse)  # weight × share of the "still active" term
    ww3 = d.w * np.exp(a3 - lse)
    psi_ab, psi_b = special.digamma(a + b), special.digamma(b)
    psi_abx = special.digamma(a + b + xs)
    d2a = psi_ab - psi_abx
    d2b = special.digamma(b + xs) - psi_abx - psi_b + psi_ab
    d3a = np.zeros(ux.size)
    d3b = np.zeros(ux.size)
    d3a[pos] = 1.0 / a - psi_abx[pos] + psi_ab
    d3b[pos] = special.digamma(b + xs[pos] - 1) - psi_abx[pos] - psi_b + psi_ab
    s2 = np.bincount(d.ix, weights=ww2, minlength=ux.size)
    s3 = np.bincount(d.ix, weights=ww3, minlength=ux.size)
    g_r = d.Wx @ (special.digamma(r + ux) - special.digamma(r) + np.log(al)) - (
        ww2 @ log_t[d.iT] + ww3 @ log_tx[d.itx]
    )
    g_al = d.total * r / al - rx @ (ww2 / (al + d.uT)[d.iT] + ww3 / (al + d.utx)[d.itx])
    g_a = s2 @ d2a + s3 @ d3a
    g_b = s2 @ d2b + s3 @ d3b
    grad = np.array([g_r * r, g_al * al, g_a * a, g_b * b])
    return -ll / d.total, -grad / d.total


def _bg_check(
    frequency: ArrayLike, recency: ArrayLike, t_obs: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = float_array(frequency, "frequency")
    tx = float_array(recency, "recency")
    tt = float_array(t_obs, "T")
    if not (x.size == tx.size == tt.size):
        raise ValueError(f"frequency, recency and T differ in length ({x.size}, {tx.size}, {tt.size})")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("frequency must be whole numbers ≥ 0 (repeat transactions)")
    if np.any(tx < 0) or np.any(tx > tt * (1 + 1e-9) + 1e-12):
        raise ValueError("recency must lie between 0 and T")
    if np.any((x == 0) & (tx > 0)):
        raise ValueError("recency must be 0 for customers with frequency 0")
    return x, np.minimum(tx, tt), tt


def fit_bgnbd(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    *,
    weights: ArrayLike | None = None,
    model: PurchaseModel = "bgnbd",
) -> BGNBDFit:
    """Fit the BG/NBD model (or MBG/NBD with ``model="mbgnbd"``) by maximum likelihood.

    Parameters
    ----------
    frequency : repeat transactions per customer (whole numbers ≥ 0).
    recency : time from first to last transaction (0 when frequency is 0).
    T : time from first transaction to the end of the period; recency and T in one unit
        (days or weeks); alpha comes back in that unit.
    weights : optional count of customers behind each row (e.g. from a grouped table).
    model : ``"bgnbd"``: customers can leave only after a repeat purchase, so a customer
        who bought once is taken to be active (P(alive) = 1); ``"mbgnbd"``: they can also
        leave right after the first purchase, which suits stores with many one-off buyers.

    Identical (frequency, recency, T) rows are merged into weights first, time is rescaled
    so that the mean T is one, and the likelihood is maximised over log-parameters with its
    analytic gradient (L-BFGS-B), from data-driven starts, retrying from others and with
    Nelder-Mead before reporting ``converged=False``. Raises ValueError without customers.

    Examples
    --------
    Four kinds of customer (frequency, recency, T in days), weighted by how many there are:

    >>> fit = fit_bgnbd([0, 1, 2, 5], [0, 10, 20, 40], [50, 50, 50, 50], weights=[40, 20, 10, 5])
    >>> fit.converged, fit.n_customers, fit.model
    (True, 75, 'bgnbd')
    >>> print(fit.to_frame()[["r", "alpha", "a", "b"]].round(2).to_string(index=False))
       r  alpha    a    b
    0.44  13.61 1.21 1.42
    """
    t0 = time.perf_counter()
    shift = dropout_shift(model)
    x, tx, tt = _bg_check(frequency, recency, T)
    w = case_weights(weights, x.size)
    if x.size == 0 or w.sum() <= 0:
        raise ValueError("fit_bgnbd needs at least one customer")
    d = BGNBDData(x, tx, tt, w, shift)
    rate = d.rate if d.rate > 0 else 0.1  # repeat purchases per unit of (rescaled) time
    starts = [
        np.log([r0, r0 / rate, a0, b0])
        for r0, a0, b0 in ((1.0, 1.0, 3.0), (0.3, 0.5, 2.0), (3.0, 2.0, 10.0), (0.1, 0.2, 1.0),
                           (10.0, 5.0, 50.0))
    ]
    opt = maximise(lambda th: bgnbd_objective(th, d), starts, _BG_NAMES, d.total)
    params = np.exp(opt.theta) * np.array([1.0, d.scale, 1.0, 1.0])
    ll = opt.mean_ll * d.total - np.log(d.scale) * d.sum_x
    message = opt.message
    if d.sum_x == 0:
        message = ("no repeat purchases in the data: the model cannot be fitted; it predicts "
                   "about 0 purchases")
    r, al, a, b = map(float, params)
    return BGNBDFit(
        r=r, alpha=al, a=a, b=b, log_likelihood=float(ll), n_customers=int(round(d.total)),
        converged=opt.converged and d.sum_x > 0, iterations=opt.iterations,
        seconds=time.perf_counter() - t0, at_bound=opt.at_bound, message=message,
        std_errors=dict(zip(_BG_NAMES, map(float, params * opt.se_log), strict=True)), model=model,
    )


def _log_odds_dead(fit: BGNBDFit, x: np.ndarray, tx: np.ndarray, tt: np.ndarray) -> np.ndarray:
    """log[P(dead | data) / P(alive | data)]; −inf where the customer cannot have left."""
    xs = x + dropout_shift(fit.model)
    out = np.full(x.size, -np.inf)
    m = xs > 0
    out[m] = (np.log(fit.a) - np.log(fit.b + xs[m] - 1)
              + (fit.r + x[m]) * (np.log(fit.alpha + tt[m]) - np.log(fit.alpha + tx[m])))
    return out


def p_alive(fit: BGNBDFit, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
    """P(customer still active at T | frequency, recency, T), share 0–1, in the fit's time unit.

    BG/NBD assumes customers leave only right after a repeat purchase, so it gives 1 to
    every customer with frequency 0; MBG/NBD does not.

    Examples
    --------
    With the published CDNOW estimates (weeks; Fader, Hardie & Lee 2005):

    >>> fit = BGNBDFit(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=float("nan"),
    ...                n_customers=2357, converged=True, iterations=0, seconds=0.0)
    >>> p_alive(fit, [0, 2], [0.0, 30.43], [38.86, 38.86]).round(3).tolist()
    [1.0, 0.727]
    """
    x, tx, tt = _bg_check(frequency, recency, T)
    return special.expit(-_log_odds_dead(fit, x, tx, tt))


def future_if_alive_quadrature(k: np.ndarray, a: float, bp: np.ndarray, u: np.ndarray,
                          nodes: int = 1201) -> np.ndarray:
    """E_{p~Beta(a, bp)}[(1 − (1 + p·u)^−k) / p] by quadrature in logit(p).

    The integrand is smooth in y = logit(p) and decays exponentially at both ends; the
    substitution y = y0 + σ·sinh(s) makes the decay double-exponential, so the trapezoidal
    rule in s converges fast whatever the parameters. Used where scipy's hyp2f1 fails.
    """
    out = np.empty(k.size)
    chunk = 2000
    # np.where evaluates both branches; the discarded ones may take log(0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        for lo in range(0, k.size, chunk):
            out[lo:lo + chunk] = _quad_chunk(k[lo:lo + chunk, None], a, bp[lo:lo + chunk, None],
                                             u[lo:lo + chunk, None], nodes)
    return out


def _quad_chunk(kk: np.ndarray, a: float, bb: np.ndarray, uu: np.ndarray, nodes: int) -> np.ndarray:
    """One block of :func:`future_if_alive_quadrature`; arguments are column vectors."""
    y0 = np.log(a) - np.log(bb)  # logit of the Beta mean
    sd = np.sqrt(special.polygamma(1, a) + special.polygamma(1, bb))  # sd of logit(p)
    sigma = np.minimum(1.0, sd)
    # far enough out for both the Gaussian-like core and the exponential tails e^{a·y}, e^{−bp·y}
    y_lo = np.minimum(y0, -np.log1p(uu)) - np.maximum(40 * sd, (60.0 + np.log1p(kk * uu)) / a)
    y_hi = y0 + np.maximum(40 * sd, 60.0 / bb) + 5.0
    s_lo = np.arcsinh((y_lo - y0) / sigma)
    s_hi = np.arcsinh((y_hi - y0) / sigma)
    s = s_lo + (s_hi - s_lo) * np.linspace(0.0, 1.0, nodes)[None, :]
    y = y0 + sigma * np.sinh(s)
    log_p = -np.logaddexp(0.0, -y)
    log_q = -np.logaddexp(0.0, y)
    # log(1 − (1 + p·u)^−k) without underflow where p·u is tiny
    log_pu = log_p + np.log(uu)
    log_v = np.log(kk) + np.where(log_pu < -30, log_pu, np.log(np.logaddexp(0.0, log_pu)))
    v = np.exp(log_v)
    log_gain = np.where(v < 1e-8, log_v - v / 2, np.log(-np.expm1(-v)))
    log_h = ((a - 1) * log_p + bb * log_q - special.betaln(a, bb) + log_gain
             + np.log(sigma) + np.logaddexp(s, -s) - np.log(2.0))
    return np.trapezoid(np.exp(log_h), s, axis=1)


def future_if_alive(k: np.ndarray, a: float, bp: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Expected purchases in the next t of an active customer.

    Active with purchase rate λ ~ Gamma(k, α+T) and dropout p ~ Beta(a, bp) given the
    history, the expectation is E_p[(1 − (1 + p·u)^−k) / p] with u = t/(α+T). Closed form
    C/(a−1)·[1 − (1+u)^−k · 2F1(k, bp; C; u/(1+u))], C = a + bp − 1 (Fader, Hardie & Lee
    2005, eq. 10), with quadrature where scipy's hyp2f1 fails or the result breaks the
    bounds 0 ≤ E ≤ k·u. At a ≈ 1 the closed form is 0/0, so it is interpolated linearly
    between a = 1 ± 1e-4 (E is smooth in a; relative error of order 1e-8).
    """
    delta = 1e-4
    if abs(a - 1) < delta:
        lo = _future_closed_form(k, 1 - delta, bp, u)
        hi = _future_closed_form(k, 1 + delta, bp, u)
        return lo + (a - 1 + delta) / (2 * delta) * (hi - lo)
    return _future_closed_form(k, a, bp, u)


def _future_closed_form(k: np.ndarray, a: float, bp: np.ndarray, u: np.ndarray) -> np.ndarray:
    c = a + bp - 1
    with np.errstate(all="ignore"):
        z = u / (1 + u)
        val = c / (a - 1) * (1 - np.exp(-k * np.log1p(u)) * special.hyp2f1(k, bp, c, z))
    bad = ~np.isfinite(val) | (val < -1e-12) | (val > k * u * (1 + 1e-9) + 1e-12) | (c <= 0)
    if bad.any():
        val[bad] = future_if_alive_quadrature(k[bad], a, bp[bad], u[bad])
    return np.clip(val, 0.0, None)


def expected_purchases(
    fit: BGNBDFit, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> np.ndarray:
    """Expected repeat transactions in the next ``t`` units, given each customer's history.

    E[Y(t) | frequency, recency, T] = P(alive) × E[purchases in t | alive]; ``t``, recency,
    T in the fit's time unit. Transactions are purchase days when the data came from
    :func:`purchase_summary`.

    Examples
    --------
    The paper's example customer (x = 2, t_x = 30.43, T = 38.86 weeks), next 39 weeks:

    >>> fit = BGNBDFit(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=float("nan"),
    ...                n_customers=2357, converged=True, iterations=0, seconds=0.0)
    >>> expected_purchases(fit, 39, [2], [30.43], [38.86]).round(3).tolist()
    [1.226]
    """
    x, tx, tt = _bg_check(frequency, recency, T)
    if not t >= 0:
        raise ValueError(f"t must be ≥ 0, got {t}")
    if x.size == 0:
        return np.zeros(0)
    # the active-customer part depends on (x, T) only: evaluate once per distinct pair
    first, inverse = distinct_rows(x, tt)
    ux, ut = x[first], tt[first]
    bp = fit.b + ux + dropout_shift(fit.model)
    future = future_if_alive(fit.r + ux, fit.a, bp, t / (fit.alpha + ut))
    return future[inverse] * special.expit(-_log_odds_dead(fit, x, tx, tt))


def expected_purchases_new(fit: BGNBDFit, t: float) -> float:
    """Expected repeat transactions in the first ``t`` units after a new customer's first one.

    E[X(t)] (Fader, Hardie & Lee 2005, eq. 9, for BG/NBD), ``t`` in the fit's time unit.

    Examples
    --------
    >>> fit = BGNBDFit(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=float("nan"),
    ...                n_customers=2357, converged=True, iterations=0, seconds=0.0)
    >>> round(expected_purchases_new(fit, 39), 3)
    1.197
    """
    if not t >= 0:
        raise ValueError(f"t must be ≥ 0, got {t}")
    return float(expected_purchases(fit, t, [0.0], [0.0], [0.0])[0])
