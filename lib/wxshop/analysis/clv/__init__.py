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

from wxshop.analysis.clv.bgnbd import (
    BGNBDFit,
    PurchaseModel,
    expected_purchases,
    expected_purchases_new,
    fit_bgnbd,
    p_alive,
)
from wxshop.analysis.clv.gamma_gamma import GammaGammaFit, expected_spend, fit_gamma_gamma
from wxshop.analysis.clv.store import (
    MIN_GAMMA_GAMMA_CUSTOMERS,
    STORE_MODEL,
    holdout_check,
    predict_customers,
)
from wxshop.analysis.clv.summary import (
    EXPECTED_SPEND,
    FIRST_PURCHASE,
    FREQUENCY,
    LAST_PURCHASE,
    MONETARY_VALUE,
    P_ALIVE,
    RECENCY,
    SUMMARY_COLUMNS,
    TENURE,
    purchase_summary,
)
from wxshop.analysis.clv.value import STEP_DAYS, discounted_margin, margin_rates, with_margin

__all__ = [
    "BGNBDFit",
    "EXPECTED_SPEND",
    "FIRST_PURCHASE",
    "FREQUENCY",
    "GammaGammaFit",
    "LAST_PURCHASE",
    "MIN_GAMMA_GAMMA_CUSTOMERS",
    "MONETARY_VALUE",
    "P_ALIVE",
    "PurchaseModel",
    "RECENCY",
    "STORE_MODEL",
    "STEP_DAYS",
    "SUMMARY_COLUMNS",
    "TENURE",
    "discounted_margin",
    "expected_purchases",
    "expected_purchases_new",
    "expected_spend",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "holdout_check",
    "margin_rates",
    "p_alive",
    "predict_customers",
    "purchase_summary",
    "with_margin",
]
