"""Non-inferiority of a guardrail metric: is the treatment no worse than control by a margin?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from wxshop.ab.stats.distributions import critical_value, p_two_sided
from wxshop.ab.stats.frequentist import MetricResult
from wxshop.ab.stats.result_base import Result

__all__ = ["NonInferiorityResult", "non_inferiority"]


@dataclass(frozen=True)
class NonInferiorityResult(Result):
    """Guardrail check: is the treatment no worse than control by more than ``margin``?

    estimate, bound: lift (absolute, or relative share) and its one-sided confidence bound on
    the harmful side. p_value: one-sided test of H0 "worse by at least the margin".
    non_inferior: p_value < alpha (one-sided). significantly_worse: the two-sided interval of
    the lift lies wholly on the harmful side of zero. undefined: relative margin but the
    relative lift is undefined (control mean near zero).
    """

    metric: str
    treatment: str
    margin: float
    margin_type: str
    higher_is_better: bool
    estimate: float
    bound: float
    p_value: float
    alpha: float
    non_inferior: bool
    significantly_worse: bool
    undefined: bool


def non_inferiority(
    result: MetricResult,
    margin: float,
    *,
    margin_type: Literal["relative", "absolute"] = "relative",
    higher_is_better: bool = True,
    alpha: float | None = None,
) -> NonInferiorityResult:
    """Non-inferiority test of a guardrail metric.

    Parameters
    ----------
    result : the metric's test (scalar, not sequential).
    margin : largest acceptable harm, >= 0: a share of the control mean (0.02 = 2 %) for
        ``relative``, or in the metric's unit for ``absolute``.
    higher_is_better : False for metrics where an increase is harm (e.g. refund rate).
    alpha : one-sided level; default ``result.alpha / 2``, so that the call agrees with
        "the two-sided (1 − alpha) interval clears the margin".
    """
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    a = result.alpha / 2 if alpha is None else alpha
    if margin_type == "relative":
        est, se, undefined = result.rel_lift, result.rel_se, bool(result.relative_undefined)
    elif margin_type == "absolute":
        est, se, undefined = result.diff, result.se, False
    else:
        raise ValueError(f"margin_type must be 'relative' or 'absolute', got {margin_type!r}")
    sign = 1.0 if higher_is_better else -1.0
    df = float(result.df)
    crit = float(critical_value(2 * a, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = (sign * est + margin) / se
    p = float(p_two_sided(stat, df)) / 2 if stat >= 0 else 1 - float(p_two_sided(stat, df)) / 2
    if undefined or not np.isfinite(stat):
        p = np.nan
    bound = est - sign * crit * se
    worse = (result.ci_high < 0) if higher_is_better else (result.ci_low > 0)
    return NonInferiorityResult(result.metric, result.treatment, margin, margin_type, higher_is_better,
                                float(est), float(bound), float(p), a, bool(p < a), bool(worse), undefined)
