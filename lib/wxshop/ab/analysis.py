"""One-call analysis of an A/B test: everything the ``03_ab_test`` notebook displays.

:func:`analyse_users` (a per-user outcome table) and :func:`analyse_counts` (per-arm counts,
e.g. typed in from a dashboard) both reduce their input to :class:`~wxshop.ab.stats.ArmStats`
and run the same steps with the functions of :mod:`wxshop.ab.stats`:

1. trust checks: sample-ratio mismatch against the planned split, pre-period balance
   (per-user input with ``pre_revenue`` / ``is_new``), excluded users passed through;
2. every treatment against control on every metric the data allow (``ABConfig.metrics``),
   CUPED on ``pre_revenue`` where available, revenue capped at a percentile of buyers'
   revenue (the covariate is not capped); Holm or Benjamini–Hochberg over the family
   *treatments × metrics*;
3. guardrails: relative non-inferiority (one-sided at alpha/2, i.e. the two-sided
   (1 − alpha) interval must clear the margin); a variant ships only if *every* guardrail
   passes (an intersection-union test, so the guardrails need no multiplicity correction);
4. a percentile bootstrap of revenue per user, the Bayesian view, power, an optional
   always-valid (sequential) interval and segment lifts;
5. one :class:`~wxshop.ab.stats.Decision` per treatment and an overall decision.

Choices (see also the docstrings of the steps):

- *family and p-values*: the decision uses the primary metric's adjusted p-value from the
  family treatments × metrics. With ``sequential`` the primary rows of that family are replaced
  by the always-valid p-values (valid under daily peeking) before the same correction, and the
  decision uses those and the always-valid interval.
- *power* is computed at the Bonferroni level alpha/m (m = tests in the family), the level the
  smallest p-value must pass under Holm (and BH), so "target sample reached" means the corrected
  test has the stated power. With one treatment and one metric it is alpha.
- *sequential mixing variance* tau² is fixed by :func:`~wxshop.ab.stats.tuned_mixing_variance`
  at the *planned* sample per arm: ``ABConfig.planned_users_per_arm`` when given, else the
  control-arm sample the power analysis needs for ``target_relative_mde`` (then tau is about
  the target effect in the metric's unit). The per-user variances come from the current data;
  the radius is flat in tau² near its optimum, so their drift between looks barely moves it.
- *days*: ``days`` (length of the assignment period so far) gives the daily traffic
  (users in the two compared arms / days) for the days to reach the target sample; for a
  per-user table with ``assigned_at`` it defaults to the calendar days spanned. Without it,
  an under-powered non-significant result is ``inconclusive`` with reason ``power_unknown``
  rather than ``target_sample_out_of_reach``.
- *balance* is flagged at ``srm_threshold``, not alpha: chance imbalance is expected (and
  CUPED corrects it); a tiny p-value points at the assignment itself.
- *segments* use the global revenue cap and the primary metric's test; their p-values are
  corrected over all segment cells. Read them as hints for the next experiment, not findings.
- metrics the input cannot support (no revenue, orders or costs) are skipped and listed in
  ``skipped_metrics``. AOV without orders is replaced by spend per buyer (revenue ÷ converting
  users, the delta method on Σ revenue, Σ converted and Σ revenue·converted) in every role it
  had (``stand_ins``, :mod:`wxshop.ab.metric_plan`). A guardrail still missing is *not
  checked* (warning ``guardrail_not_checked``): a significant win is then ``inconclusive``,
  never a plain ``ship`` (set ``guardrails: []`` to decide on the primary metric alone).
- *profit per user* (:mod:`wxshop.ab.profit`) is tested when the input has costs; as primary
  or guardrail it weighs the coupon a variant gives away against the sales it brings.

Codes (metrics, decisions, reasons, warnings) are English snake_case; display text lives with
the notebook's translations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

import numpy as np
import pandas as pd

from wxshop.ab import stats as ab
from wxshop.ab.checks import is_number, is_whole_number
from wxshop.ab.columns import CONVERTED, ORDERS, PRE_REVENUE, REVENUE, VARIANT
from wxshop.ab.config import ABConfig
from wxshop.ab.metric_plan import plan_metrics
from wxshop.ab.per_user import (
    SEGMENT_DIMENSIONS,
    assignment_days,
    balance_table,
    bootstrap_table,
    segment_lifts,
    stats_columns,
)
from wxshop.ab.profit import with_profit
from wxshop.ab.results import (
    ARM,
    CUPED,
    GUARDRAIL,
    P_ADJUSTED,
    PRIMARY,
    ROLE,
    SECONDARY,
    SIGNIFICANT,
    TREATMENT,
    ABAnalysis,
    overall_decision,
)
from wxshop.ab.stats.arms import ArmStats
from wxshop.ab.stats.decision import Decision
from wxshop.ab.stats.frequentist import MetricResult
from wxshop.ab.stats.metrics import AOV, METRICS, PROFIT_PER_USER, RATIO_METRICS, REVENUE_PER_USER
from wxshop.data.schema import CUSTOMER_ID

# ABConfig is imported here too so that notebooks keep ``abreport.ABConfig``.
__all__ = ["ABConfig", "analyse_counts", "analyse_users"]

# What a metric needs beyond per-user sums, for the error when the primary cannot be computed.
_NEEDS = {AOV: "revenue and orders", PROFIT_PER_USER: "revenue and cost of goods"}


# ============================================================================== the steps


def _arm_order(names: Sequence[str], control: str) -> list[str]:
    rest = sorted({n for n in names if n != control})
    return [control, *rest] if control in names else rest


def _arms_frame(arms: Mapping[str, ArmStats], order: Sequence[str]) -> pd.DataFrame:
    rows = []
    for name in order:
        a = arms.get(name)
        row: dict[str, Any] = {ARM: name, "users": int(a.n) if a else 0,
                               "conversions": int(a.conversions) if a else 0}
        for m in METRICS:
            row[m] = float(a.mean(m)) if a is not None and a.has(m) else math.nan  # type: ignore[arg-type]
        row["revenue_cap"] = float(a.revenue_cap) if a else math.nan
        rows.append(row)
    return pd.DataFrame(rows).astype({"users": "int64", "conversions": "int64"})


def _with_columns(frame: pd.DataFrame, first: Mapping[str, Sequence[Any]] = (),
                  last: Mapping[str, Sequence[Any]] = ()) -> pd.DataFrame:
    front = pd.DataFrame(dict(first), index=frame.index)
    back = pd.DataFrame(dict(last), index=frame.index)
    return pd.concat([front, frame, back], axis=1)


def _nan_result(base: MetricResult, test: str) -> MetricResult:
    nan = math.nan
    return replace(base, test=test, ci_low=nan, ci_high=nan, p_value=nan, rel_ci_low=nan,
                   rel_ci_high=nan)


def _analyse(
    input_kind: str,
    arms: dict[str, ArmStats],
    planned_split: Mapping[str, float],
    config: ABConfig,
    days: float | None,
    excluded: Mapping[str, int] | None,
    users: pd.DataFrame | None = None,
    segments: Sequence[str] = (),
) -> ABAnalysis:
    cfg = config
    if not isinstance(planned_split, Mapping):
        raise ValueError("planned_split must map each arm's name to its planned share")
    if days is not None and (not is_number(days) or not 0 < days < math.inf):
        raise ValueError(f"days must be a positive number of days or None, got {days!r}")
    excluded_out: dict[str, int] = {}
    for k, v in dict(excluded or {}).items():
        if not is_whole_number(v) or v < 0:
            raise ValueError(f"excluded[{k!r}] must be a count ≥ 0, got {v!r}")
        excluded_out[str(k)] = int(v)
    planned = {str(k): v for k, v in planned_split.items()}
    if cfg.control not in arms:
        raise ValueError(f"control arm {cfg.control!r} has no users (arms: {', '.join(arms) or 'none'}); "
                         "set control to the control arm's name")
    order = _arm_order([*arms, *planned], cfg.control)
    arms = {a: arms[a] for a in order if a in arms}
    treatments = tuple(a for a in order if a in arms and a != cfg.control)
    if not treatments:
        raise ValueError("the experiment needs at least one treatment arm with users besides control")
    srm = ab.srm_check({a: arms[a].n if a in arms else 0 for a in order},  # type: ignore[misc]
                       planned, threshold=cfg.srm_threshold)

    # ---- metrics: every treatment × metric the sums allow, corrected over the family
    ctrl = arms[cfg.control]
    plan = plan_metrics(cfg, arms)
    cfg, usable, skipped = plan.config, list(plan.tested), plan.skipped
    if cfg.primary_metric not in usable:
        raise ValueError(f"primary metric {cfg.primary_metric!r} cannot be computed from this input "
                         f"(it needs {_NEEDS.get(cfg.primary_metric, 'per-user')} sums that are "
                         "missing); choose another primary_metric or provide the data")

    def use_cuped(m: str, c: ArmStats, t: ArmStats) -> bool:
        return cfg.cuped and m not in RATIO_METRICS and c.has(m, True) and t.has(m, True)

    results: dict[tuple[str, str], MetricResult] = {}
    cuped_used: dict[tuple[str, str], bool] = {}
    for t in treatments:
        for m in usable:
            cuped_used[t, m] = use_cuped(m, ctrl, arms[t])
            results[t, m] = ab.compare(ctrl, arms[t], m,  # type: ignore[arg-type]
                                       alpha=cfg.alpha, cuped=cuped_used[t, m])
    keys = list(results)
    adj = ab.adjust_pvalues([results[k].p_value for k in keys], cfg.correction, alpha=cfg.alpha)
    p_adj = dict(zip(keys, adj.p_adjusted, strict=True))
    family = int(np.isfinite(adj.p_value).sum()) if keys else 0
    role = {cfg.primary_metric: PRIMARY} | {g: GUARDRAIL for g in cfg.guardrails}
    metrics = _with_columns(
        ab.results_frame(results.values()),
        last={ROLE: [role.get(m, SECONDARY) for _, m in keys], CUPED: [cuped_used[k] for k in keys],
              P_ADJUSTED: [p_adj[k] for k in keys], SIGNIFICANT: [p_adj[k] < cfg.alpha for k in keys]},
    )

    # ---- guardrails: relative non-inferiority at one-sided alpha/2
    ni = {(t, g): ab.non_inferiority(results[t, g], cfg.guardrail_margin)
          for t in treatments for g in cfg.guardrails if g in usable}
    guardrails = (ab.results_frame(ni.values()) if ni
                  else pd.DataFrame(columns=[f.name for f in fields(ab.NonInferiorityResult)]))

    # ---- power of the primary at the Bonferroni level of the family
    alpha_power = cfg.alpha / max(family, 1)
    power: dict[str, ab.PowerResult] = {}
    for t in treatments:
        r = results[t, cfg.primary_metric]
        daily = (float(r.n_control) + float(r.n_treatment)) / days if days else None
        power[t] = ab.power_analysis(replace(r, alpha=alpha_power), power=cfg.power,
                                     target_relative_mde=cfg.target_relative_mde, daily_users=daily)
    power_frame = _with_columns(ab.results_frame(power.values()), first={TREATMENT: list(treatments)},
                                last={"tests_in_family": [family] * len(treatments)})

    # ---- sequential: always-valid interval on the primary (decides instead of the fixed test)
    sequential = None
    decision_primary = {t: results[t, cfg.primary_metric] for t in treatments}
    decision_p = {t: p_adj[t, cfg.primary_metric] for t in treatments}
    if cfg.sequential:
        sequential, decision_primary, decision_p = _sequential(ctrl, arms, treatments, cfg, power, results)

    # ---- decisions
    decisions: dict[str, Decision] = {}
    for t in treatments:
        pw = power[t]
        if days is None and pw.sufficient is False:
            pw = replace(pw, sufficient=None)  # days to the target are unknown, not "out of reach"
        decisions[t] = ab.decide(decision_primary[t], guardrails=[ni[t, g] for g in cfg.guardrails
                                                                   if (t, g) in ni],
                                 srm=srm, power=pw, p_value=decision_p[t],
                                 max_days_to_wait=cfg.max_days_to_wait,
                                 unchecked=[g for g in cfg.guardrails if g in skipped])

    # ---- Bayesian view: Beta-Binomial for conversion, normal approximation for revenue per user
    bayes_rows, bayes_arm = [], []
    for t in treatments:
        bayes_rows.append(ab.bayes_conversion(ctrl, arms[t], seed=cfg.seed))
        bayes_arm.append(t)
        if (t, REVENUE_PER_USER) in results:
            bayes_rows.append(ab.bayes_means(results[t, REVENUE_PER_USER]))
            bayes_arm.append(t)
    bayes = _with_columns(ab.results_frame(bayes_rows), first={TREATMENT: bayes_arm})

    balance = bootstrap = seg_frame = None
    seg_skipped = 0
    if users is not None:
        balance = balance_table(users, ctrl.arm, treatments, cfg.alpha, cfg.srm_threshold)
        bootstrap = bootstrap_table(users, cfg, treatments)
        seg_frame, seg_skipped = segment_lifts(users, cfg, treatments, segments)

    return ABAnalysis(
        input=input_kind, config=cfg, control=cfg.control, treatments=treatments,
        arms=_arms_frame(arms, order), srm=srm, balance=balance, metrics=metrics, skipped_metrics=skipped,
        guardrails=guardrails, bootstrap=bootstrap, bayes=bayes, power=power_frame, sequential=sequential,
        segments=seg_frame, segments_skipped=seg_skipped, decisions=decisions,
        decision=overall_decision(decisions), excluded=excluded_out,
        days=None if days is None else float(days), stand_ins=plan.stand_ins,
    )


def _sequential(
    ctrl: ArmStats,
    arms: Mapping[str, ArmStats],
    treatments: Sequence[str],
    cfg: ABConfig,
    power: Mapping[str, ab.PowerResult],
    results: Mapping[tuple[str, str], MetricResult],
) -> tuple[pd.DataFrame, dict[str, MetricResult], dict[str, float]]:
    """Always-valid results of the primary per treatment, the frame and their adjusted p-values.

    tau² is fixed at the planned control-arm sample (``planned_users_per_arm``, else the power
    analysis' sample for the target MDE, else the current sample) with the current per-user
    variances of the unadjusted test. The p-values are corrected in the family of
    :func:`_analyse` with the primary rows replaced by the always-valid ones.
    """
    primary = cfg.primary_metric
    seq: dict[str, MetricResult] = {}
    planned_n: list[float] = []
    planned_from: list[str] = []
    for t in treatments:
        base = ab.compare(ctrl, arms[t], primary, alpha=cfg.alpha)  # type: ignore[arg-type]
        if cfg.planned_users_per_arm is not None:
            n, source = float(cfg.planned_users_per_arm), "config"
        elif np.isfinite(power[t].n_needed_control):
            n, source = float(power[t].n_needed_control), "target_mde"
        else:
            n, source = float(base.n_control), "current_sample"
        planned_n.append(n)
        planned_from.append(source)
        pair = float(base.sd_control) ** 2 + float(base.sd_treatment) ** 2
        if pair > 0:
            tau2 = ab.tuned_mixing_variance(n, pair, cfg.alpha)
            seq[t] = ab.sequential_test(ctrl, arms[t], primary, alpha=cfg.alpha,  # type: ignore[arg-type]
                                        mixing_variance=tau2)
        else:  # no variation in either arm yet: nothing to test
            seq[t] = _nan_result(base, f"msprt_{base.test}")
    keys = list(results)
    p = [seq[t].p_value if m == primary else r.p_value for (t, m), r in results.items()]
    adjusted = dict(zip(keys, ab.adjust_pvalues(p, cfg.correction, alpha=cfg.alpha).p_adjusted, strict=True))
    p_seq = {t: adjusted[t, primary] for t in treatments}
    frame = _with_columns(
        ab.results_frame(seq.values()),
        last={"planned_users_per_arm": planned_n, "planned_from": planned_from,
              P_ADJUSTED: list(p_seq.values()), SIGNIFICANT: [v < cfg.alpha for v in p_seq.values()]},
    )
    return frame, seq, p_seq


# ============================================================================== public API


def analyse_users(
    users: pd.DataFrame,
    planned_split: Mapping[str, float],
    config: ABConfig = ABConfig(),  # noqa: B008 - frozen, so a shared default is safe
    *,
    days: float | None = None,
    segments: Sequence[str] = SEGMENT_DIMENSIONS,
    excluded: Mapping[str, int] | None = None,
) -> ABAnalysis:
    """Analyse an A/B test from a per-user outcome table.

    Parameters
    ----------
    users : one row per assigned user: variant; converted (bool) and/or orders (count);
        revenue (CNY, optional); pre_revenue (CNY, optional, the CUPED covariate and a balance
        variable); cost and coupon_cost (CNY, optional: gross profit per user, see
        :mod:`wxshop.ab.profit`; or a profit column); is_new (bool, optional); segment
        columns such as acquisition_channel and city_tier (optional); customer_id (optional,
        must be unique); assigned_at (optional, gives ``days`` when not given). Missing
        outcome values count as 0.
    planned_split : arm → planned share of users (normalised); every arm with users needs one.
    config : :class:`ABConfig`.
    days : length of the assignment period so far (days), for the daily traffic.
    segments : columns to break the primary lift down by (absent ones are ignored).
    excluded : counts of users left out upstream (e.g. ``{"multi_variant": 3}``), passed through.

    Returns
    -------
    :class:`ABAnalysis`.

    Examples
    --------
    >>> import pandas as pd
    >>> users = pd.DataFrame({
    ...     "variant": ["control"] * 4 + ["treatment"] * 4,
    ...     "orders": [0, 1, 0, 2, 1, 1, 0, 2],
    ...     "revenue": [0.0, 50.0, 0.0, 120.0, 60.0, 80.0, 0.0, 150.0],
    ... })
    >>> config = ABConfig(n_boot=200, cap_percentile=None)
    >>> a = analyse_users(users, {"control": 0.5, "treatment": 0.5}, config)
    >>> print(a.arms[["arm", "users", "conversion", "revenue_per_user", "aov"]].round(2).to_string())
             arm  users  conversion  revenue_per_user    aov
    0    control      4        0.50              42.5  56.67
    1  treatment      4        0.75              72.5  72.50
    >>> print(a.metrics[["metric", "role", "diff", "p_value"]].round(4).to_string())
                 metric       role     diff  p_value
    0        conversion    primary   0.2500   0.4652
    1  revenue_per_user  secondary  30.0000   0.5019
    2   orders_per_user  secondary   0.2500   0.7052
    3               aov  guardrail  15.8333   0.0058
    >>> a.decision.decision
    'inconclusive'
    """
    if not isinstance(users, pd.DataFrame):
        raise TypeError(f"users must be a DataFrame, got {type(users).__name__}")
    if VARIANT not in users.columns:
        found = ", ".join(map(str, users.columns)) or "none"
        raise ValueError(f"users needs a '{VARIANT}' column (columns found: {found})")
    if users[VARIANT].isna().any():
        raise ValueError(f"users: {int(users[VARIANT].isna().sum())} row(s) have no {VARIANT}")
    if not any(c in users.columns for c in (CONVERTED, ORDERS, REVENUE)):
        raise ValueError(f"users needs at least one outcome column: {CONVERTED}, {ORDERS} or {REVENUE}")
    if CUSTOMER_ID in users.columns and users[CUSTOMER_ID].duplicated().any():
        n = int(users[CUSTOMER_ID].duplicated().sum())
        raise ValueError(f"users has {n} repeated {CUSTOMER_ID}(s); give one row per user "
                         "(users seen in several variants must be excluded upstream)")
    if VARIANT in segments:
        raise ValueError(f"'{VARIANT}' cannot be a segment dimension")
    cfg = config
    users = with_profit(users.assign(**{VARIANT: users[VARIANT].astype(str)}))  # arm names are text
    cov = PRE_REVENUE if cfg.cuped and PRE_REVENUE in users.columns else None
    kw = stats_columns(users, cov)
    cap = cfg.cap_percentile * 100 if cfg.cap_percentile is not None and kw["revenue_col"] else None
    arms = ab.arm_stats_from_users(users, **kw, cap_percentile=cap)
    if kw["revenue_col"]:  # the bootstrap and the segments see the same capped revenue
        rev = pd.to_numeric(users[REVENUE], errors="raise").astype(float).fillna(0.0)
        cap_value = next(iter(arms.values())).revenue_cap
        users = users.assign(**{REVENUE: np.minimum(rev, cap_value) if np.isfinite(cap_value) else rev})
    if days is None:
        days = assignment_days(users)
    return _analyse("users", arms, planned_split, cfg, days, excluded, users=users, segments=segments)


def analyse_counts(
    arms: Mapping[str, ArmStats],
    planned_split: Mapping[str, float],
    config: ABConfig = ABConfig(),  # noqa: B008 - frozen, so a shared default is safe
    *,
    days: float | None = None,
    excluded: Mapping[str, int] | None = None,
) -> ABAnalysis:
    """Analyse an A/B test from per-arm sufficient statistics (e.g. dashboard counts).

    Parameters
    ----------
    arms : arm name → :class:`~wxshop.ab.stats.ArmStats` (e.g. from
        :func:`~wxshop.ab.stats.arm_stats_from_counts`); the key must equal ``ArmStats.arm``.
        Metrics whose sums are missing (NaN) are skipped; the primary metric must be computable.
    planned_split, config, days, excluded : as in :func:`analyse_users`.

    Returns
    -------
    :class:`ABAnalysis` with balance, bootstrap and segments None.

    Examples
    --------
    >>> from wxshop.ab.stats import arm_stats_from_counts
    >>> arms = {"control": arm_stats_from_counts("control", 1000, 100),
    ...         "treatment": arm_stats_from_counts("treatment", 1000, 130)}
    >>> a = analyse_counts(arms, {"control": 0.5, "treatment": 0.5}, ABConfig(guardrails=()), days=14)
    >>> print(a.metrics[["treatment", "metric", "diff", "ci_low", "ci_high", "p_value"]].round(4).to_string())
       treatment      metric  diff  ci_low  ci_high  p_value
    0  treatment  conversion  0.03  0.0021   0.0579   0.0355
    >>> a.decision.decision, a.skipped_metrics
    ('ship', ('revenue_per_user', 'orders_per_user', 'aov', 'profit_per_user'))
    """
    for name, a in arms.items():
        if not isinstance(a, ArmStats):
            raise TypeError(f"arms[{name!r}] must be an ArmStats, got {type(a).__name__}")
        if a.arm != name:
            raise ValueError(f"arms[{name!r}] holds the statistics of arm {a.arm!r}")
    return _analyse("counts", dict(arms), planned_split, config, days, excluded)
