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
- metrics the input cannot support (no revenue or orders) are skipped and listed in
  ``skipped_metrics``; a guardrail among them is *not checked* (warning
  ``guardrail_not_checked``), it does not block the decision.

Codes (metrics, decisions, reasons, warnings) are English snake_case; display text lives with
the notebook's translations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from wxshop.ab import stats as ab
from wxshop.ab.outcomes import ACQUISITION_CHANNEL, ASSIGNED_AT, CITY_TIER, IS_NEW, PRE_REVENUE, UNKNOWN
from wxshop.ab.stats import (
    AOV,
    CONVERSION,
    CONVERTED,
    DONT_SHIP,
    INCONCLUSIVE,
    KEEP_RUNNING,
    METRICS,
    ORDERS,
    REVENUE,
    REVENUE_PER_USER,
    SHIP,
    VARIANT,
    ArmStats,
    Decision,
    MetricResult,
    SRMResult,
)
from wxshop.data.schema import CUSTOMER_ID
from wxshop.errors import ParamsError
from wxshop.jsonable import to_jsonable

__all__ = [
    "SEGMENT_DIMENSIONS",
    "WARNINGS",
    "ABAnalysis",
    "ABConfig",
    "ABConfigError",
    "OverallDecision",
    "analyse_counts",
    "analyse_users",
    "overall_decision",
]

SEGMENT_DIMENSIONS = (IS_NEW, ACQUISITION_CHANNEL, CITY_TIER)
# Segment values of the boolean is_new column (codes; the notebook translates them).
NEW, RETURNING = "new", "returning"

# Output column names other modules read.
ARM = "arm"
TREATMENT = "treatment"
ROLE = "role"  # primary / guardrail / secondary
CUPED = "cuped"  # bool: the CUPED-adjusted test was used
P_ADJUSTED = "p_adjusted"
SIGNIFICANT = "significant"  # p_adjusted < alpha
PRIMARY, GUARDRAIL, SECONDARY = "primary", "guardrail", "secondary"

WARNINGS = (
    "sample_ratio_mismatch",  # SRM p < srm_threshold: results not to be trusted
    "pre_period_imbalance",  # a balance p-value < srm_threshold: the assignment looks broken
    "guardrail_not_checked",  # a guardrail metric the input cannot compute
    "arm_without_users",  # a planned arm has no users
    "segments_skipped",  # segment cells below min_segment_users
)


class ABConfigError(ParamsError, ValueError):
    """An A/B analysis setting is invalid (a ValueError the CLI shows without traceback)."""


# ================================================================================= config


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool | np.bool_)


def _is_int(v: Any) -> bool:
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


@dataclass(frozen=True)
class ABConfig:
    """Settings of one A/B analysis (all validated on creation).

    control: name of the control arm. primary_metric: one of ``abstats.METRICS``; the decision
    is taken on it. guardrails: metrics that must not get worse by more than
    ``guardrail_margin`` (share of the control mean, 0.05 = 5 %). metrics: the metrics tested
    and corrected over (None = every metric the data allow; must contain the primary and the
    guardrails). alpha: two-sided level. correction: ``holm`` (family-wise error) or ``bh``
    (false discovery rate) over treatments × metrics, and separately over segment cells.
    cuped: adjust per-user metrics for ``pre_revenue`` when present. cap_percentile: cap
    per-user revenue at this share-percentile (0.99 = 99th) of buyers' revenue, pooled over
    arms; None = no cap. sequential: add always-valid intervals and decide on them.
    planned_users_per_arm: the plan's control-arm sample, fixes the sequential mixing
    variance (None = the sample needed for target_relative_mde). target_relative_mde: lift
    (share) the test should detect with probability ``power``. srm_threshold: SRM p-value
    below which the split is called broken. n_boot, seed: bootstrap resamples and seed (also
    the Beta-Binomial Monte Carlo seed). max_days_to_wait: longest acceptable wait (days) for
    ``keep_running``. min_segment_users: segment cells with fewer users in either arm are
    skipped.
    """

    control: str = "control"
    primary_metric: str = CONVERSION
    guardrails: tuple[str, ...] = (AOV,)
    guardrail_margin: float = 0.05
    metrics: tuple[str, ...] | None = None
    alpha: float = 0.05
    correction: Literal["holm", "bh"] = "holm"
    cuped: bool = True
    cap_percentile: float | None = 0.99
    sequential: bool = False
    planned_users_per_arm: int | None = None
    target_relative_mde: float = 0.05
    power: float = 0.8
    srm_threshold: float = 0.001
    n_boot: int = 2000
    seed: int = 0
    max_days_to_wait: float = 28
    min_segment_users: int = 30

    def __post_init__(self) -> None:
        def bad(name: str, why: str) -> ABConfigError:
            return ABConfigError(f"A/B config: {name} {why}, got {getattr(self, name)!r}")

        for name in ("guardrails", "metrics"):  # YAML gives lists
            v = getattr(self, name)
            if isinstance(v, list):
                object.__setattr__(self, name, tuple(v))
        if not isinstance(self.control, str) or not self.control.strip():
            raise bad("control", "must be the control arm's name")
        if self.primary_metric not in METRICS:
            raise bad("primary_metric", f"must be one of {', '.join(METRICS)}")
        for name in ("guardrails", "metrics"):
            v = getattr(self, name)
            if v is None and name == "metrics":
                continue
            if not isinstance(v, tuple) or any(m not in METRICS for m in v) or len(set(v)) != len(v):
                raise bad(name, f"must be a list of distinct metrics among {', '.join(METRICS)}")
        if self.primary_metric in self.guardrails:
            raise bad("guardrails", f"must not contain the primary metric {self.primary_metric!r}")
        if self.metrics is not None:
            missing = [m for m in (self.primary_metric, *self.guardrails) if m not in self.metrics]
            if missing:
                raise bad("metrics", f"must contain the primary metric and guardrails ({', '.join(missing)})")
        if not _is_number(self.guardrail_margin) or not 0 <= self.guardrail_margin < 1:
            raise bad("guardrail_margin", "must be a share in [0, 1) (0.05 = 5 %)")
        if not _is_number(self.alpha) or not 0 < self.alpha <= 0.5:
            raise bad("alpha", "must be in (0, 0.5]")
        if self.correction not in ("holm", "bh"):
            raise bad("correction", "must be 'holm' or 'bh'")
        for name in ("cuped", "sequential"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise bad(name, "must be true or false")
        if self.cap_percentile is not None and (
            not _is_number(self.cap_percentile) or not 0 < self.cap_percentile <= 1
        ):
            raise bad("cap_percentile", "must be a share in (0, 1] (0.99 = 99th percentile) or None")
        if self.planned_users_per_arm is not None and (
            not _is_int(self.planned_users_per_arm) or self.planned_users_per_arm < 2
        ):
            raise bad("planned_users_per_arm", "must be a whole number ≥ 2 or None")
        if not _is_number(self.target_relative_mde) or not 0 < self.target_relative_mde < math.inf:
            raise bad("target_relative_mde", "must be a positive share (0.05 = 5 %)")
        if not _is_number(self.power) or not self.alpha < self.power < 1:
            raise bad("power", f"must be in (alpha = {self.alpha}, 1)")
        if not _is_number(self.srm_threshold) or not 0 < self.srm_threshold < 1:
            raise bad("srm_threshold", "must be in (0, 1)")
        if not _is_int(self.n_boot) or self.n_boot < 100:
            raise bad("n_boot", "must be a whole number ≥ 100")
        if not _is_int(self.seed) or self.seed < 0:
            raise bad("seed", "must be a whole number ≥ 0")
        if not _is_number(self.max_days_to_wait) or not self.max_days_to_wait >= 0:
            raise bad("max_days_to_wait", "must be a number of days ≥ 0")
        if not _is_int(self.min_segment_users) or self.min_segment_users < 2:
            raise bad("min_segment_users", "must be a whole number ≥ 2")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ABConfig:
        """A config from a params mapping (e.g. YAML); unknown keys are an error."""
        values = dict(values or {})
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(k) for k in values if k not in known)
        if unknown:
            raise ABConfigError(f"A/B config: unknown setting(s) {', '.join(unknown)}; "
                                f"known: {', '.join(known)}")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(asdict(self))


# ================================================================================ results


@dataclass(frozen=True)
class OverallDecision:
    """The experiment's decision over all treatments.

    decision: ``ship`` when some treatment is decided ship (best_variant: the one with the
    largest primary lift among them), else ``keep_running`` when any treatment is, else
    ``dont_ship`` when every treatment is, else ``inconclusive``. shippable: treatments
    decided ship.
    """

    decision: str
    best_variant: str | None
    shippable: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "best_variant": self.best_variant,
                "shippable": list(self.shippable)}


def overall_decision(decisions: Mapping[str, Decision]) -> OverallDecision:
    """Aggregate per-treatment decisions (see :class:`OverallDecision`)."""
    ships = [d for d in decisions.values() if d.decision == SHIP]
    if ships:
        best = max(ships, key=lambda d: float(d.diff))  # same metric and control: diff orders lifts
        return OverallDecision(SHIP, best.treatment, tuple(d.treatment for d in ships))
    kinds = [d.decision for d in decisions.values()]
    if KEEP_RUNNING in kinds:
        return OverallDecision(KEEP_RUNNING, None)
    if kinds and all(k == DONT_SHIP for k in kinds):
        return OverallDecision(DONT_SHIP, None)
    return OverallDecision(INCONCLUSIVE, None)


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    if frame is None:
        return None
    return to_jsonable(frame.to_dict(orient="records"))


@dataclass(frozen=True, eq=False)
class ABAnalysis:
    """Everything the A/B notebook shows. Frames are tidy; units as in :mod:`wxshop.ab.stats`.

    input: ``users`` or ``counts``. control, treatments: arm names (treatments with users, in
    order). arms: one row per planned or observed arm — arm, users, conversions, conversion
    (share 0–1), revenue_per_user (CNY), orders_per_user, aov (CNY per order), revenue_cap
    (CNY, NaN when uncapped); NaN where the input lacks the sums. srm: the sample-ratio check.
    balance: pre-period balance per treatment × variable (``pre_revenue``: Welch t, CNY per
    user; ``is_new``: two-proportion z, share) with p_value and ``flagged`` (p < srm_threshold:
    a difference chance rarely makes, e.g. an assignment that depends on the user's history); None
    without those columns. metrics: one row per treatment × metric, the fields of
    :class:`~wxshop.ab.stats.MetricResult` plus role, cuped, p_adjusted, significant.
    skipped_metrics: metrics the input cannot support. guardrails: one row per treatment ×
    guardrail (:class:`~wxshop.ab.stats.NonInferiorityResult`). bootstrap: per treatment,
    percentile bootstrap of revenue per user (capped, unadjusted; CNY); None for counts or
    without revenue. bayes: per treatment × metric, :class:`~wxshop.ab.stats.BayesResult`
    (conversion: Beta-Binomial on the counts; revenue_per_user: normal approximation to the
    test in ``metrics``, CUPED when used). power: per treatment, the primary metric's
    :class:`~wxshop.ab.stats.PowerResult` at alpha/m plus tests_in_family. sequential: per
    treatment, the always-valid result for the primary metric plus planned_users_per_arm,
    planned_from (``config`` / ``target_mde`` / ``current_sample``), p_adjusted, significant;
    None unless ``config.sequential``. segments: per dimension × value × treatment, the primary
    lift with p_adjusted over all cells; None when no segment column exists or for counts.
    segments_skipped: cells skipped for fewer than ``min_segment_users`` users in an arm.
    decisions: treatment → Decision; decision: the overall decision. excluded: counts of users
    left out upstream (e.g. ``multi_variant``), passed through. days: the assignment period
    used for traffic (days), None if unknown.
    """

    input: str
    config: ABConfig
    control: str
    treatments: tuple[str, ...]
    arms: pd.DataFrame
    srm: SRMResult
    balance: pd.DataFrame | None
    metrics: pd.DataFrame
    skipped_metrics: tuple[str, ...]
    guardrails: pd.DataFrame
    bootstrap: pd.DataFrame | None
    bayes: pd.DataFrame
    power: pd.DataFrame
    sequential: pd.DataFrame | None
    segments: pd.DataFrame | None
    segments_skipped: int
    decisions: dict[str, Decision]
    decision: OverallDecision
    excluded: dict[str, int] = field(default_factory=dict)
    days: float | None = None

    @property
    def warnings(self) -> tuple[str, ...]:
        """Codes from :data:`WARNINGS` that apply, most serious first."""
        out = []
        if self.srm.mismatch:
            out.append("sample_ratio_mismatch")
        if self.balance is not None and bool(self.balance["flagged"].any()):
            out.append("pre_period_imbalance")
        if any(g in self.skipped_metrics for g in self.config.guardrails):
            out.append("guardrail_not_checked")
        if (self.arms["users"] == 0).any():
            out.append("arm_without_users")
        if self.segments_skipped:
            out.append("segments_skipped")
        return tuple(out)

    def decisions_frame(self) -> pd.DataFrame:
        """One row per treatment: the Decision fields (reason lists joined with ", ")."""
        return ab.results_frame(self.decisions.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (NaN → None), codes only."""
        return to_jsonable({
            "input": self.input,
            "config": self.config.to_dict(),
            "control": self.control,
            "treatments": list(self.treatments),
            "days": self.days,
            "excluded": dict(self.excluded),
            "warnings": list(self.warnings),
            "arms": _records(self.arms),
            "srm": self.srm.to_dict(),
            "balance": _records(self.balance),
            "metrics": _records(self.metrics),
            "skipped_metrics": list(self.skipped_metrics),
            "guardrails": _records(self.guardrails),
            "bootstrap": _records(self.bootstrap),
            "bayes": _records(self.bayes),
            "power": _records(self.power),
            "sequential": _records(self.sequential),
            "segments": _records(self.segments),
            "segments_skipped": self.segments_skipped,
            "decisions": {t: d.to_dict() for t, d in self.decisions.items()},
            "decision": self.decision.to_dict(),
        })


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
    if days is not None and (not _is_number(days) or not 0 < days < math.inf):
        raise ValueError(f"days must be a positive number of days or None, got {days!r}")
    excluded_out: dict[str, int] = {}
    for k, v in dict(excluded or {}).items():
        if not _is_int(v) or v < 0:
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
    wanted = list(cfg.metrics) if cfg.metrics is not None else list(METRICS)
    usable = [m for m in wanted if all(arms[a].has(m) for a in arms)]
    skipped = tuple(m for m in wanted if m not in usable)
    if cfg.primary_metric not in usable:
        raise ValueError(f"primary metric {cfg.primary_metric!r} cannot be computed from this input "
                         f"(it needs {'revenue and orders' if cfg.primary_metric == AOV else 'per-user'} "
                         "sums that are missing); choose another primary_metric or provide the data")

    def use_cuped(m: str, c: ArmStats, t: ArmStats) -> bool:
        return cfg.cuped and m != AOV and c.has(m, True) and t.has(m, True)

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
                                 max_days_to_wait=cfg.max_days_to_wait)

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
        balance = _balance(users, ctrl.arm, treatments, cfg.alpha, cfg.srm_threshold)
        bootstrap = _bootstrap(users, cfg, treatments)
        seg_frame, seg_skipped = _segments(users, cfg, treatments, segments)

    return ABAnalysis(
        input=input_kind, config=cfg, control=cfg.control, treatments=treatments,
        arms=_arms_frame(arms, order), srm=srm, balance=balance, metrics=metrics, skipped_metrics=skipped,
        guardrails=guardrails, bootstrap=bootstrap, bayes=bayes, power=power_frame, sequential=sequential,
        segments=seg_frame, segments_skipped=seg_skipped, decisions=decisions,
        decision=overall_decision(decisions), excluded=excluded_out,
        days=None if days is None else float(days),
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


def _balance(users: pd.DataFrame, control: str, treatments: Sequence[str], alpha: float,
             threshold: float) -> pd.DataFrame | None:
    """Pre-period balance: pre_revenue (Welch t, CNY per user) and is_new (z-test, share).

    Flagged at the SRM threshold, not alpha: with two variables per treatment, alpha would
    flag about one honest experiment in ten, and CUPED already corrects chance imbalance in
    pre_revenue; a p-value below the threshold points at the assignment itself.
    """
    rows = []
    if PRE_REVENUE in users.columns:
        arms = ab.arm_stats_from_users(users, revenue_col=PRE_REVENUE, orders_col=None)
        for t in treatments:
            rows.append((t, PRE_REVENUE, ab.mean_test(arms[control], arms[t], REVENUE_PER_USER, alpha=alpha)))
    if IS_NEW in users.columns:
        arms = ab.arm_stats_from_users(users, revenue_col=None, orders_col=None, converted_col=IS_NEW)
        for t in treatments:
            rows.append((t, IS_NEW, ab.conversion_test(arms[control], arms[t], alpha=alpha)))
    if not rows:
        return None
    return pd.DataFrame([
        {TREATMENT: t, "variable": var, "test": r.test, "mean_control": r.mean_control,
         "mean_treatment": r.mean_treatment, "diff": r.diff, "rel_diff": r.rel_lift,
         "statistic": r.statistic, "p_value": r.p_value, "flagged": bool(r.p_value < threshold)}
        for t, var, r in rows
    ])


def _bootstrap(users: pd.DataFrame, cfg: ABConfig, treatments: Sequence[str]) -> pd.DataFrame | None:
    """Percentile bootstrap of revenue per user (already capped in ``users``)."""
    if REVENUE not in users.columns:
        return None
    rev = users[REVENUE].to_numpy(float)
    arm = users[VARIANT].to_numpy()
    c = rev[arm == cfg.control]
    rows = []
    for t in treatments:
        x = rev[arm == t]
        if c.size >= 2 and x.size >= 2:
            b = ab.bootstrap_diff(c, x, alpha=cfg.alpha, n_boot=cfg.n_boot, seed=cfg.seed)
            rows.append({TREATMENT: t, "metric": REVENUE_PER_USER, **b.to_dict()})
    return pd.DataFrame(rows) if rows else None


def _segment_values(col: pd.Series) -> pd.Series:
    if col.name == IS_NEW:
        flag = col.map(lambda v: None if pd.isna(v) else bool(v))
        return flag.map({True: NEW, False: RETURNING}).fillna(UNKNOWN)
    text = col.astype("string").str.strip()
    return text.mask(text.isna() | (text == ""), UNKNOWN).astype(str)


def _segments(users: pd.DataFrame, cfg: ABConfig, treatments: Sequence[str],
              dimensions: Sequence[str]) -> tuple[pd.DataFrame | None, int]:
    """Primary-metric lift per segment cell (dimension × value × treatment)."""
    dims = [d for d in dimensions if d in users.columns]
    if not dims:
        return None, 0
    cov = PRE_REVENUE if cfg.cuped and PRE_REVENUE in users.columns else None
    kw = _stats_columns(users, cov)
    rows, skipped = [], 0
    for dim in dims:
        values = _segment_values(users[dim])
        for value in sorted(values.unique()):
            part = users[(values == value).to_numpy()]
            counts = part[VARIANT].value_counts()
            seg_arms = None
            for t in treatments:
                n_c, n_t = int(counts.get(cfg.control, 0)), int(counts.get(t, 0))
                if min(n_c, n_t) < cfg.min_segment_users:
                    skipped += 1
                    continue
                if seg_arms is None:
                    seg_arms = ab.arm_stats_from_users(part, **kw)
                c, x = seg_arms[cfg.control], seg_arms[t]
                cuped = cfg.cuped and cfg.primary_metric != AOV and c.has(cfg.primary_metric, True)
                r = ab.compare(c, x, cfg.primary_metric,  # type: ignore[arg-type]
                               alpha=cfg.alpha, cuped=cuped)
                rows.append({"dimension": dim, "value": value, TREATMENT: t, "users_control": n_c,
                             "users_treatment": n_t, "metric": r.metric, "test": r.test, CUPED: cuped,
                             "mean_control": r.mean_control, "mean_treatment": r.mean_treatment,
                             "diff": r.diff, "ci_low": r.ci_low, "ci_high": r.ci_high,
                             "rel_lift": r.rel_lift, "rel_ci_low": r.rel_ci_low,
                             "rel_ci_high": r.rel_ci_high, "p_value": r.p_value})
    cols = ["dimension", "value", TREATMENT, "users_control", "users_treatment", "metric", "test", CUPED,
            "mean_control", "mean_treatment", "diff", "ci_low", "ci_high", "rel_lift", "rel_ci_low",
            "rel_ci_high", "p_value", P_ADJUSTED, SIGNIFICANT]
    if not rows:
        return pd.DataFrame(columns=cols), skipped
    frame = pd.DataFrame(rows)
    adj = ab.adjust_pvalues(frame["p_value"].to_numpy(float), cfg.correction, alpha=cfg.alpha)
    frame[P_ADJUSTED] = adj.p_adjusted
    frame[SIGNIFICANT] = frame[P_ADJUSTED] < cfg.alpha
    return frame[cols], skipped


def _stats_columns(users: pd.DataFrame, covariate: str | None) -> dict[str, Any]:
    """Keyword arguments of ``arm_stats_from_users`` for the columns ``users`` has."""
    return {"revenue_col": REVENUE if REVENUE in users.columns else None,
            "orders_col": ORDERS if ORDERS in users.columns else None,
            "converted_col": CONVERTED if CONVERTED in users.columns else None,
            "covariate_col": covariate}


def _assignment_days(users: pd.DataFrame) -> float | None:
    """Calendar days from the first to the last assignment (inclusive), if known."""
    if ASSIGNED_AT not in users.columns:
        return None
    at = pd.to_datetime(users[ASSIGNED_AT], errors="coerce").dropna()
    if at.empty:
        return None
    return float((at.max().normalize() - at.min().normalize()).days + 1)


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
        variable); is_new (bool, optional); segment columns such as acquisition_channel and
        city_tier (optional); customer_id (optional, must be unique); assigned_at (optional,
        gives ``days`` when not given). Missing outcome values count as 0.
    planned_split : arm → planned share of users (normalised); every arm with users needs one.
    config : :class:`ABConfig`.
    days : length of the assignment period so far (days), for the daily traffic.
    segments : columns to break the primary lift down by (absent ones are ignored).
    excluded : counts of users left out upstream (e.g. ``{"multi_variant": 3}``), passed through.

    Returns
    -------
    :class:`ABAnalysis`.
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
    users = users.assign(**{VARIANT: users[VARIANT].astype(str)})  # arm names are text everywhere
    cov = PRE_REVENUE if cfg.cuped and PRE_REVENUE in users.columns else None
    kw = _stats_columns(users, cov)
    cap = cfg.cap_percentile * 100 if cfg.cap_percentile is not None and kw["revenue_col"] else None
    arms = ab.arm_stats_from_users(users, **kw, cap_percentile=cap)
    if kw["revenue_col"]:  # the bootstrap and the segments see the same capped revenue
        rev = pd.to_numeric(users[REVENUE], errors="raise").astype(float).fillna(0.0)
        cap_value = next(iter(arms.values())).revenue_cap
        users = users.assign(**{REVENUE: np.minimum(rev, cap_value) if np.isfinite(cap_value) else rev})
    if days is None:
        days = _assignment_days(users)
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
    """
    for name, a in arms.items():
        if not isinstance(a, ArmStats):
            raise TypeError(f"arms[{name!r}] must be an ArmStats, got {type(a).__name__}")
        if a.arm != name:
            raise ValueError(f"arms[{name!r}] holds the statistics of arm {a.arm!r}")
    return _analyse("counts", dict(arms), planned_split, config, days, excluded)
