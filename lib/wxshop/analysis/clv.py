"""Customer lifetime value: who is still a customer, how often they will buy, what they spend.

Two models, fitted by maximum likelihood:

- **BG/NBD** (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
  active, a customer buys at Poisson rate λ, λ ~ Gamma(r, α) across customers; after each
  repeat purchase the customer leaves for good with probability p, p ~ Beta(a, b). It gives
  P(alive) and the expected number of purchases in a coming period.
- **MBG/NBD** (Batislam, Denizel & Filiztekin 2007): the same, except that a customer may
  also leave right after the first purchase, so one-off buyers are not all taken to be
  active. The store-level functions use it by default (:data:`STORE_MODEL`): in shops with
  many one-off buyers BG/NBD puts P(alive) = 1 on all of them and overstates who is left
  (on the demo stores by about 0.25 in the mean P(alive)).
- **Gamma-Gamma** (Fader, Hardie & Lee 2005, "RFM and CLV"; Fader & Hardie 2013 note):
  a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, v) across customers,
  independent of how often they buy. It shrinks each repeat buyer's observed average
  spend towards the store's mean.

Definitions used throughout:

- a *transaction* is a calendar day with at least one paid order (several orders by one
  customer on the same day are one transaction, their amounts summed), so frequencies are
  days with purchases, not orders;
- frequency = repeat transactions (transaction days − 1); recency = time from the first to
  the last transaction; T = time from the first transaction to the end of the period; all
  times in units of ``unit_days`` (1 = days, 7 = weeks);
- monetary_value = mean amount (CNY) of the *repeat* transactions, 0 without repeats.

The models assume purchases at a steady rate while active, so seasonality (618, 双11,
春节) and campaigns show up as prediction error: check with :func:`holdout_check` on a
holdout period free of unusual events.

Fitting works in log-parameters with a numerically stable log-likelihood (gammaln,
betaln, logaddexp), an analytic gradient, data-driven starting values, time and money
rescaled to order one (so days and weeks give the same fit), identical rows compressed into
weights, and retries from other starts before a fit is reported as not converged.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import optimize, special

from wxshop.analysis.paid import paid_mask, require_columns
from wxshop.data.codes import codes_of, distinct, positions
from wxshop.data.schema import AMOUNT, CUSTOMER_ID, ORDERED_AT

__all__ = [
    "BGNBDFit",
    "GammaGammaFit",
    "expected_purchases",
    "expected_purchases_new",
    "expected_spend",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "holdout_check",
    "p_alive",
    "predict_customers",
    "purchase_summary",
]

# Column names other modules read.
FREQUENCY = "frequency"
RECENCY = "recency"
TENURE = "T"  # time from the first transaction to the end of the period
MONETARY_VALUE = "monetary_value"
FIRST_PURCHASE = "first_purchase"
LAST_PURCHASE = "last_purchase"
P_ALIVE = "p_alive"
EXPECTED_SPEND = "expected_spend"

SUMMARY_COLUMNS = (
    CUSTOMER_ID, FREQUENCY, RECENCY, TENURE, MONETARY_VALUE, FIRST_PURCHASE, LAST_PURCHASE
)
MIN_GAMMA_GAMMA_CUSTOMERS = 20  # repeat buyers needed before spend is modelled per customer
PurchaseModel = Literal["bgnbd", "mbgnbd"]
# Purchase model of the store-level functions. MBG/NBD lets one-off buyers have left (BG/NBD
# counts every one-off buyer as active), which matters in stores full of one-off buyers.
STORE_MODEL: PurchaseModel = "mbgnbd"

_LOG_BOUND = 12.0  # search box for log-parameters (after rescaling): e^±12
_KKT_TOL = 1e-5  # largest gradient of the mean log-likelihood accepted as a maximum
_MAX_LOG_SE = 5.0  # a log-parameter with a larger standard error is not pinned down


# =========================================================================== summary


def _days_since_epoch(ts: pd.Series) -> np.ndarray:
    """Calendar day numbers (wall clock) of timestamps; NaT becomes the int64 minimum."""
    if not pd.api.types.is_datetime64_any_dtype(ts):
        ts = pd.to_datetime(ts, format="ISO8601")
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)
    return ts.to_numpy().astype("datetime64[D]").astype(np.int64)


def _day_number(when: pd.Timestamp | str) -> int:
    """Calendar day number of a date (wall clock; a time of day is ignored)."""
    ts = pd.Timestamp(when)
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int(ts.normalize().to_datetime64().astype("datetime64[D]").astype(np.int64))


def _day_stamp(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[s]")


def _empty_summary(id_dtype: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            CUSTOMER_ID: pd.Series(dtype=id_dtype),
            FREQUENCY: pd.Series(dtype="int64"),
            RECENCY: pd.Series(dtype="float64"),
            TENURE: pd.Series(dtype="float64"),
            MONETARY_VALUE: pd.Series(dtype="float64"),
            FIRST_PURCHASE: pd.Series(dtype="datetime64[s]"),
            LAST_PURCHASE: pd.Series(dtype="datetime64[s]"),
        }
    )


def purchase_summary(
    orders: pd.DataFrame, period_end: pd.Timestamp | str, *, unit_days: float = 1.0
) -> pd.DataFrame:
    """Frequency, recency, age and repeat spend of each customer, the input of the CLV models.

    Uses ``orders`` columns customer_id, ordered_at, amount (CNY) and, when present, status:
    paid orders only (all orders without a status column) placed on or before the day
    ``period_end`` (the whole day counts). Orders without a customer or time are ignored;
    a missing amount counts as 0 CNY.

    Transactions are calendar days: several paid orders by one customer on the same day
    are one transaction whose amount is their sum.

    Returns one row per customer with a paid order by ``period_end``, ordered by customer_id:

    - customer_id;
    - frequency: repeat transactions (days with purchases − 1), integer;
    - recency: time from the first to the last transaction, in units of ``unit_days``;
    - T: time from the first transaction to ``period_end``, in units of ``unit_days``;
    - monetary_value: mean amount of the repeat transactions (CNY; the first one is left
      out, as the Gamma-Gamma model expects), 0 when frequency is 0;
    - first_purchase, last_purchase: days of the first and last transaction (midnight).

    ``unit_days`` = 1 measures time in days, 7 in weeks.
    """
    require_columns(orders, (CUSTOMER_ID, ORDERED_AT, AMOUNT), "purchase_summary")
    if not unit_days > 0:
        raise ValueError(f"unit_days must be positive, got {unit_days}")
    end = _day_number(period_end)
    day = _days_since_epoch(orders[ORDERED_AT])
    keep = (
        paid_mask(orders).to_numpy(bool)
        & orders[CUSTOMER_ID].notna().to_numpy()
        & orders[ORDERED_AT].notna().to_numpy()
        & (day <= end)
    )
    if not keep.any():
        return _empty_summary(orders[CUSTOMER_ID].dtype)
    day = day[keep]
    amount = pd.to_numeric(orders[AMOUNT], errors="coerce").to_numpy(float)[keep]
    codes, ids = codes_of(orders[CUSTOMER_ID], keep)
    first_day_all = day.min()
    span = int(end - first_day_all + 1)
    key = codes.astype(np.int64) * span + (day - first_day_all)
    # one row per (customer, day), sorted by customer then day
    ukey, inverse = np.unique(key, return_inverse=True)
    day_amount = np.bincount(inverse, weights=np.nan_to_num(amount), minlength=ukey.size)
    cust = ukey // span
    d = ukey % span + first_day_all
    starts = np.flatnonzero(np.r_[True, cust[1:] != cust[:-1]])
    n_days = np.diff(np.r_[starts, ukey.size])
    first = d[starts]
    last = d[starts + n_days - 1]
    total = np.add.reduceat(day_amount, starts)
    frequency = n_days - 1
    monetary = np.where(frequency > 0, (total - day_amount[starts]) / np.maximum(frequency, 1), 0.0)
    return pd.DataFrame(
        {
            CUSTOMER_ID: ids.take(cust[starts]),
            FREQUENCY: frequency.astype(np.int64),
            RECENCY: (last - first) / unit_days,
            TENURE: (end - first) / unit_days,
            MONETARY_VALUE: monetary,
            FIRST_PURCHASE: _day_stamp(first),
            LAST_PURCHASE: _day_stamp(last),
        }
    )


# ============================================================================ fitting


@dataclass(frozen=True)
class _Optimum:
    theta: np.ndarray  # log-parameters, rescaled units
    mean_ll: float  # mean log-likelihood per unit weight, rescaled units
    se_log: np.ndarray  # standard errors of the log-parameters; NaN when not determined
    converged: bool
    at_bound: tuple[str, ...]
    iterations: int
    message: str


def _kkt(theta: np.ndarray, grad: np.ndarray) -> tuple[bool, np.ndarray]:
    """First-order optimality of minimising in the box: gradient ≈ 0 or pushing outwards."""
    lo = theta <= -_LOG_BOUND + 1e-6
    hi = theta >= _LOG_BOUND - 1e-6
    projected = np.where(lo, np.minimum(grad, 0.0), np.where(hi, np.maximum(grad, 0.0), grad))
    return bool(np.all(np.abs(projected) <= _KKT_TOL)), lo | hi


def _log_se(
    gradient: Callable[[np.ndarray], np.ndarray], theta: np.ndarray, total: float
) -> np.ndarray:
    """Standard errors of log-parameters from the observed information (NaN if singular)."""
    n, h = theta.size, 1e-5
    hess = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        hess[i] = (gradient(theta + e) - gradient(theta - e)) / (2 * h)
    hess = (hess + hess.T) / 2 * total
    if not np.all(np.isfinite(hess)) or np.linalg.eigvalsh(hess).min() <= 0:
        return np.full(n, np.nan)
    return np.sqrt(np.diag(np.linalg.inv(hess)))


def _maximise(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    starts: list[np.ndarray],
    names: tuple[str, ...],
    total: float,
) -> _Optimum:
    """Minimise ``objective`` (mean negative log-likelihood and gradient in log-parameters).

    L-BFGS-B with the analytic gradient from each start in turn until one reaches a
    well-determined maximum (first-order conditions hold, no parameter at the edge of the
    search box, finite standard errors below ``_MAX_LOG_SE``). If no start even satisfies
    the first-order conditions, Nelder-Mead from the best point and L-BFGS-B again. The best
    point found is returned with an honest ``converged`` flag and message.
    """
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * len(names)

    def safe(theta: np.ndarray) -> tuple[float, np.ndarray]:
        with np.errstate(all="ignore"):
            f, g = objective(np.clip(theta, -_LOG_BOUND, _LOG_BOUND))
        if not np.isfinite(f) or not np.all(np.isfinite(g)):
            return 1e300, np.zeros_like(theta)
        return f, g

    assessed: dict[bytes, tuple[bool, np.ndarray, np.ndarray]] = {}

    def assess(theta: np.ndarray) -> tuple[bool, np.ndarray, np.ndarray]:
        key = theta.tobytes()
        if key not in assessed:
            kkt, edge = _kkt(theta, safe(theta)[1])
            se = _log_se(lambda th: safe(th)[1], theta, total) if kkt and not edge.any() else (
                np.full(theta.size, np.nan))
            assessed[key] = (kkt, edge, se)
        return assessed[key]

    tried: list[tuple[float, np.ndarray]] = []
    iterations = attempts = 0

    def run_lbfgsb(x0: np.ndarray) -> tuple[bool, np.ndarray, np.ndarray]:
        nonlocal iterations, attempts
        res = optimize.minimize(
            safe, np.clip(x0, -_LOG_BOUND, _LOG_BOUND), jac=True, method="L-BFGS-B",
            bounds=bounds, options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-7, "maxcor": 20},
        )
        iterations += int(res.nit)
        attempts += 1
        x = np.clip(np.asarray(res.x, float), -_LOG_BOUND, _LOG_BOUND)
        tried.append((float(res.fun), x))
        return assess(x)

    any_kkt = False
    for x0 in starts:
        kkt, edge, se = run_lbfgsb(x0)
        any_kkt |= kkt
        if kkt and not edge.any() and np.all(se < _MAX_LOG_SE):
            break
    if not any_kkt:
        best_x = min(tried, key=lambda t: t[0])[1]
        res = optimize.minimize(
            lambda th: safe(th)[0], best_x, method="Nelder-Mead",
            options={"maxiter": 2000, "xatol": 1e-9, "fatol": 1e-14},
        )
        iterations += int(res.nit)
        run_lbfgsb(res.x)
    f, theta = min(tried, key=lambda t: t[0])
    kkt, edge, se = assess(theta)
    at_bound = tuple(n for n, e in zip(names, edge, strict=True) if e)
    loose = tuple(n for n, v in zip(names, se, strict=True) if not v < _MAX_LOG_SE)
    converged = f < 1e299 and kkt and not at_bound and not loose
    if f >= 1e299:
        message = "the log-likelihood could not be evaluated at any start"
    elif not kkt:
        grad = safe(theta)[1]
        message = (f"no maximum found in {attempts} attempt(s): largest gradient "
                   f"{np.max(np.abs(grad)):.2g}")
    elif at_bound:
        message = (f"{', '.join(at_bound)} ran to the edge of the search range: the likelihood "
                   "has no interior maximum, the data do not pin the parameters down "
                   "(predictions are still usable, parameter values are not)")
    elif loose:
        pronoun = "it" if len(loose) == 1 else "them"
        message = (f"the likelihood is flat in {', '.join(loose)}: the data do not pin {pronoun} "
                   "down (predictions are still usable, parameter values are not)")
    else:
        message = f"converged in {attempts} attempt(s)"
    return _Optimum(theta, -f, se, bool(converged), at_bound, iterations, message)


def _as_float_array(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).reshape(-1)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has missing or infinite values")
    return arr


def _weights(weights: ArrayLike | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = _as_float_array(weights, "weights")
    if w.size != n:
        raise ValueError(f"weights has {w.size} values for {n} customers")
    if np.any(w < 0):
        raise ValueError("weights must not be negative")
    return w


def _distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct row, and each row's distinct-row number."""
    key = np.zeros(columns[0].size, np.int64)
    for col in columns:
        codes, uniq = pd.factorize(col)
        key, _ = pd.factorize(key * len(uniq) + codes)  # stays below rows² (no overflow)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first, inverse


def _compress(*columns: np.ndarray, weights: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Identical rows merged (rows of zero weight dropped): distinct rows, summed weights."""
    keep = weights > 0
    columns = tuple(c[keep] for c in columns)
    first, inverse = _distinct_rows(*columns)
    w = np.bincount(inverse, weights=weights[keep], minlength=first.size)
    return [c[first] for c in columns], w


def _fit_frame(d: dict) -> pd.DataFrame:
    se = d.pop("std_errors")
    d["at_bound"] = ", ".join(d["at_bound"])
    return pd.DataFrame([{**d, **{f"{k}_se": v for k, v in se.items()}}])


# ============================================================================= BG/NBD


def _shift(model: str) -> int:
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
        return _fit_frame(self.to_dict())


_BG_NAMES = ("r", "alpha", "a", "b")


class _BGData:
    """Compressed BG/NBD data with times rescaled so that the mean T is one."""

    def __init__(self, x: np.ndarray, tx: np.ndarray, t_obs: np.ndarray, w: np.ndarray,
                 shift: int = 0) -> None:
        (x, tx, t_obs), w = _compress(x, tx, t_obs, weights=w)
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


def _bg_objective(theta: np.ndarray, d: _BGData) -> tuple[float, np.ndarray]:
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
    x = _as_float_array(frequency, "frequency")
    tx = _as_float_array(recency, "recency")
    tt = _as_float_array(t_obs, "T")
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
    """
    t0 = time.perf_counter()
    shift = _shift(model)
    x, tx, tt = _bg_check(frequency, recency, T)
    w = _weights(weights, x.size)
    if x.size == 0 or w.sum() <= 0:
        raise ValueError("fit_bgnbd needs at least one customer")
    d = _BGData(x, tx, tt, w, shift)
    rate = d.rate if d.rate > 0 else 0.1  # repeat purchases per unit of (rescaled) time
    starts = [
        np.log([r0, r0 / rate, a0, b0])
        for r0, a0, b0 in ((1.0, 1.0, 3.0), (0.3, 0.5, 2.0), (3.0, 2.0, 10.0), (0.1, 0.2, 1.0),
                           (10.0, 5.0, 50.0))
    ]
    opt = _maximise(lambda th: _bg_objective(th, d), starts, _BG_NAMES, d.total)
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
    xs = x + _shift(fit.model)
    out = np.full(x.size, -np.inf)
    m = xs > 0
    out[m] = (np.log(fit.a) - np.log(fit.b + xs[m] - 1)
              + (fit.r + x[m]) * (np.log(fit.alpha + tt[m]) - np.log(fit.alpha + tx[m])))
    return out


def p_alive(fit: BGNBDFit, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> np.ndarray:
    """P(customer still active at T | frequency, recency, T), share 0–1, in the fit's time unit.

    BG/NBD assumes customers leave only right after a repeat purchase, so it gives 1 to
    every customer with frequency 0; MBG/NBD does not.
    """
    x, tx, tt = _bg_check(frequency, recency, T)
    return special.expit(-_log_odds_dead(fit, x, tx, tt))


def _future_if_alive_quad(k: np.ndarray, a: float, bp: np.ndarray, u: np.ndarray,
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
    """One block of :func:`_future_if_alive_quad`; arguments are column vectors."""
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


def _future_if_alive(k: np.ndarray, a: float, bp: np.ndarray, u: np.ndarray) -> np.ndarray:
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
        val[bad] = _future_if_alive_quad(k[bad], a, bp[bad], u[bad])
    return np.clip(val, 0.0, None)


def expected_purchases(
    fit: BGNBDFit, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> np.ndarray:
    """Expected repeat transactions in the next ``t`` units, given each customer's history.

    E[Y(t) | frequency, recency, T] = P(alive) × E[purchases in t | alive]; ``t``, recency,
    T in the fit's time unit. Transactions are purchase days when the data came from
    :func:`purchase_summary`.
    """
    x, tx, tt = _bg_check(frequency, recency, T)
    if not t >= 0:
        raise ValueError(f"t must be ≥ 0, got {t}")
    if x.size == 0:
        return np.zeros(0)
    # the active-customer part depends on (x, T) only: evaluate once per distinct pair
    first, inverse = _distinct_rows(x, tt)
    ux, ut = x[first], tt[first]
    bp = fit.b + ux + _shift(fit.model)
    future = _future_if_alive(fit.r + ux, fit.a, bp, t / (fit.alpha + ut))
    return future[inverse] * special.expit(-_log_odds_dead(fit, x, tx, tt))


def expected_purchases_new(fit: BGNBDFit, t: float) -> float:
    """Expected repeat transactions in the first ``t`` units after a new customer's first one.

    E[X(t)] (Fader, Hardie & Lee 2005, eq. 9, for BG/NBD), ``t`` in the fit's time unit.
    """
    if not t >= 0:
        raise ValueError(f"t must be ≥ 0, got {t}")
    return float(expected_purchases(fit, t, [0.0], [0.0], [0.0])[0])


# ======================================================================== Gamma-Gamma


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
        return _fit_frame(self.to_dict())


_GG_NAMES = ("p", "q", "v")


class _GGData:
    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray) -> None:
        (x, m), w = _compress(x, m, weights=w)
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


def _gg_objective(theta: np.ndarray, d: _GGData) -> tuple[float, np.ndarray]:
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
    """
    t0 = time.perf_counter()
    x = _as_float_array(frequency, "frequency")
    m = np.asarray(monetary_value, dtype=float).reshape(-1)
    if x.size != m.size:
        raise ValueError(f"frequency and monetary_value differ in length ({x.size}, {m.size})")
    w = _weights(weights, x.size)
    repeat = (x > 0) & (w > 0)
    if np.any(x[repeat] != np.round(x[repeat])):
        raise ValueError("frequency must be whole numbers ≥ 0 (repeat transactions)")
    usable = repeat & np.isfinite(m) & (m > 0)
    excluded = int(round(w[repeat & ~usable].sum()))
    if not usable.any():
        raise ValueError("fit_gamma_gamma needs at least one repeat buyer with a positive spend")
    d = _GGData(x[usable], m[usable], w[usable])
    starts = [np.log([p0, q0, (q0 - 1) / p0]) for p0, q0 in ((2.0, 3.0), (1.0, 2.0), (6.0, 4.0),
                                                               (20.0, 10.0), (0.5, 1.5))]
    opt = _maximise(lambda th: _gg_objective(th, d), starts, _GG_NAMES, d.total)
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
    """
    x = _as_float_array(frequency, "frequency")
    m = np.nan_to_num(np.asarray(monetary_value, dtype=float).reshape(-1))
    p, q, v = fit_gg.p, fit_gg.q, fit_gg.v
    x = np.where(m > 0, x, 0.0)  # no usable spend history: population mean
    denom = p * x + q - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        out = p * (v + x * m) / denom
    return np.where(denom > 0, out, np.nan)


# ====================================================================== store level


def _purchase_day_value(
    orders: pd.DataFrame, summary: pd.DataFrame, period_end: pd.Timestamp | str
) -> float:
    """Mean amount per transaction day over all customers (CNY), for the spend fallback."""
    paid = orders.loc[paid_mask(orders)]
    inside = _days_since_epoch(paid[ORDERED_AT]) <= _day_number(period_end)
    inside &= paid[ORDERED_AT].notna().to_numpy() & paid[CUSTOMER_ID].notna().to_numpy()
    total = float(pd.to_numeric(paid.loc[inside, AMOUNT], errors="coerce").sum())
    days = float((summary[FREQUENCY] + 1).sum())
    return total / days if days else float("nan")


def predict_customers(
    orders: pd.DataFrame,
    period_end: pd.Timestamp | str,
    *,
    horizons: Sequence[int] = (30, 90),
    value_horizon: int = 90,
    model: PurchaseModel = STORE_MODEL,
) -> tuple[pd.DataFrame, BGNBDFit, GammaGammaFit | None]:
    """Fit the purchase and spend models on a store's paid orders and predict every customer.

    Uses ``orders`` (customer_id, ordered_at, amount[, status]) up to the day
    ``period_end``; time in days, transactions are purchase days (see
    :func:`purchase_summary`).

    Returns ``(customers, purchase_fit, gamma_gamma_fit)``. ``customers`` has one row per
    customer: customer_id, frequency, recency (days), T (days), monetary_value (CNY),
    p_alive (share 0–1), ``expected_purchases_<h>`` for each horizon h (purchase days in
    the next h days), expected_spend (CNY per transaction) and
    ``expected_value_<value_horizon>`` (CNY over the next ``value_horizon`` days =
    expected purchases × expected spend, undiscounted).

    ``model``: ``"mbgnbd"`` (default, :data:`STORE_MODEL`) or ``"bgnbd"``, see
    :func:`fit_bgnbd`. With fewer than
    :data:`MIN_GAMMA_GAMMA_CUSTOMERS` repeat buyers, or when the fit
    fails, the Gamma-Gamma fit is ``None`` and expected_spend is each repeat buyer's own
    mean (others: the store's mean per purchase day).
    """
    summary = purchase_summary(orders, period_end)
    if summary.empty:
        raise ValueError(f"no paid orders on or before {period_end}")
    x = summary[FREQUENCY].to_numpy(float)
    tx, tt = summary[RECENCY].to_numpy(float), summary[TENURE].to_numpy(float)
    m = summary[MONETARY_VALUE].to_numpy(float)
    bg = fit_bgnbd(x, tx, tt, model=model)
    out = summary[[CUSTOMER_ID, FREQUENCY, RECENCY, TENURE, MONETARY_VALUE]].copy()
    out[P_ALIVE] = p_alive(bg, x, tx, tt)
    hs = list(dict.fromkeys([*horizons, value_horizon]))
    purchases = {h: expected_purchases(bg, h, x, tx, tt) for h in hs}
    for h in horizons:
        out[f"expected_purchases_{h}"] = purchases[h]
    gg: GammaGammaFit | None = None
    if int(((x > 0) & (m > 0)).sum()) >= MIN_GAMMA_GAMMA_CUSTOMERS:
        try:
            gg = fit_gamma_gamma(x, m)
        except ValueError:
            gg = None
    spend = expected_spend(gg, x, m) if gg is not None else np.full(x.size, np.nan)
    if gg is None or not np.all(np.isfinite(spend)):
        repeat = (x > 0) & (m > 0)
        fallback = float(np.average(m[repeat], weights=x[repeat])) if repeat.any() else (
            _purchase_day_value(orders, summary, period_end))
        spend = np.where(np.isfinite(spend), spend, np.where(repeat, m, fallback))
    out[EXPECTED_SPEND] = spend
    out[f"expected_value_{value_horizon}"] = purchases[value_horizon] * spend
    return out, bg, gg


def holdout_check(
    orders: pd.DataFrame,
    calibration_end: pd.Timestamp | str,
    holdout_days: int = 90,
    *,
    max_frequency: int = 7,
    model: PurchaseModel = STORE_MODEL,
) -> tuple[pd.DataFrame, dict]:
    """Fit the purchase model on orders up to ``calibration_end``, compare with the next days.

    Customers are those with a paid order by ``calibration_end``; actual = their purchase
    days in (calibration_end, calibration_end + holdout_days], predicted =
    :func:`expected_purchases` over ``holdout_days`` days.

    Returns ``(table, totals)``. ``table`` columns: frequency (calibration repeat
    transactions as text, ``"0"`` … and ``"≥<max_frequency>"`` for the last bucket),
    customers, actual_mean and predicted_mean (purchase days per customer in the holdout).
    ``totals``: calibration_end, holdout_end (ISO dates), holdout_days, customers,
    actual_total, predicted_total, relative_error ((predicted − actual) / actual),
    mae_per_customer (mean |predicted − actual|, purchase days) and the purchase-model
    fit (``fit``: its to_dict()). Warns when the orders stop before the holdout ends.
    ``model``: ``"mbgnbd"`` (default, :data:`STORE_MODEL`) or ``"bgnbd"``. Seasonal peaks
    or campaigns inside the holdout make it a check of those as much as of the model.
    """
    require_columns(orders, (CUSTOMER_ID, ORDERED_AT, AMOUNT), "holdout_check")
    if holdout_days <= 0:
        raise ValueError(f"holdout_days must be positive, got {holdout_days}")
    if max_frequency < 1:
        raise ValueError(f"max_frequency must be at least 1, got {max_frequency}")
    lo = _day_number(calibration_end)
    cal_end = pd.Timestamp(_day_stamp(np.array([lo]))[0])
    hold_end = cal_end + pd.Timedelta(days=holdout_days)
    summary = purchase_summary(orders, cal_end)
    if summary.empty:
        raise ValueError(f"no paid orders on or before {cal_end:%Y-%m-%d}")
    x = summary[FREQUENCY].to_numpy(float)
    tx, tt = summary[RECENCY].to_numpy(float), summary[TENURE].to_numpy(float)
    fit = fit_bgnbd(x, tx, tt, model=model)
    predicted = expected_purchases(fit, float(holdout_days), x, tx, tt)

    day = _days_since_epoch(orders[ORDERED_AT])
    valid = paid_mask(orders).to_numpy(bool) & orders[ORDERED_AT].notna().to_numpy()
    last_day = int(day[valid].max()) if valid.any() else lo
    if last_day < lo + holdout_days:
        warnings.warn(
            f"orders end on {_day_stamp(np.array([last_day]))[0]}, before the holdout ends on "
            f"{hold_end:%Y-%m-%d}: actual purchases are undercounted", stacklevel=2,
        )
    inside = (valid & orders[CUSTOMER_ID].notna().to_numpy() & (day > lo)
              & (day <= lo + holdout_days))
    code, ids = codes_of(orders[CUSTOMER_ID], inside)
    pairs = distinct(code * (holdout_days + 1) + (day[inside] - lo - 1))  # (customer, day)
    per_customer = np.bincount(pairs // (holdout_days + 1), minlength=len(ids))
    pos = positions(summary[CUSTOMER_ID], ids)
    actual = np.where(pos >= 0, per_customer[np.maximum(pos, 0)] if len(ids) else 0, 0).astype(float)

    bucket = np.minimum(x, max_frequency).astype(np.int64)
    labels = [str(i) for i in range(max_frequency)] + [f"≥{max_frequency}"]
    frame = pd.DataFrame({"bucket": bucket, "actual": actual, "predicted": predicted})
    g = frame.groupby("bucket")
    table = pd.DataFrame({
        "customers": g.size(), "actual_mean": g["actual"].mean(), "predicted_mean": g["predicted"].mean(),
    }).reindex(range(max_frequency + 1))
    table["customers"] = table["customers"].fillna(0).astype("int64")
    table.insert(0, FREQUENCY, pd.array(labels, dtype="str"))
    table = table.reset_index(drop=True)
    actual_total, predicted_total = float(actual.sum()), float(predicted.sum())
    totals = {
        "calibration_end": f"{cal_end:%Y-%m-%d}",
        "holdout_end": f"{hold_end:%Y-%m-%d}",
        "holdout_days": int(holdout_days),
        "customers": int(x.size),
        "actual_total": actual_total,
        "predicted_total": predicted_total,
        "relative_error": (predicted_total - actual_total) / actual_total if actual_total else np.nan,
        "mae_per_customer": float(np.mean(np.abs(predicted - actual))),
        "fit": fit.to_dict(),
    }
    return table, totals
