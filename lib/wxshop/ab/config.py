"""Settings of one A/B analysis (:class:`ABConfig`), validated on creation, and their error."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import numpy as np

from wxshop.ab.checks import is_number, is_whole_number
from wxshop.ab.stats.metrics import AOV, CONVERSION, METRICS
from wxshop.errors import ParamsError
from wxshop.jsonable import to_jsonable

__all__ = ["ABConfig", "ABConfigError"]


class ABConfigError(ParamsError, ValueError):
    """An A/B analysis setting is invalid (a ValueError the CLI shows without traceback)."""


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
        if not is_number(self.guardrail_margin) or not 0 <= self.guardrail_margin < 1:
            raise bad("guardrail_margin", "must be a share in [0, 1) (0.05 = 5 %)")
        if not is_number(self.alpha) or not 0 < self.alpha <= 0.5:
            raise bad("alpha", "must be in (0, 0.5]")
        if self.correction not in ("holm", "bh"):
            raise bad("correction", "must be 'holm' or 'bh'")
        for name in ("cuped", "sequential"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise bad(name, "must be true or false")
        if self.cap_percentile is not None and (
            not is_number(self.cap_percentile) or not 0 < self.cap_percentile <= 1
        ):
            raise bad("cap_percentile", "must be a share in (0, 1] (0.99 = 99th percentile) or None")
        if self.planned_users_per_arm is not None and (
            not is_whole_number(self.planned_users_per_arm) or self.planned_users_per_arm < 2
        ):
            raise bad("planned_users_per_arm", "must be a whole number ≥ 2 or None")
        if not is_number(self.target_relative_mde) or not 0 < self.target_relative_mde < math.inf:
            raise bad("target_relative_mde", "must be a positive share (0.05 = 5 %)")
        if not is_number(self.power) or not self.alpha < self.power < 1:
            raise bad("power", f"must be in (alpha = {self.alpha}, 1)")
        if not is_number(self.srm_threshold) or not 0 < self.srm_threshold < 1:
            raise bad("srm_threshold", "must be in (0, 1)")
        if not is_whole_number(self.n_boot) or self.n_boot < 100:
            raise bad("n_boot", "must be a whole number ≥ 100")
        if not is_whole_number(self.seed) or self.seed < 0:
            raise bad("seed", "must be a whole number ≥ 0")
        if not is_number(self.max_days_to_wait) or not self.max_days_to_wait >= 0:
            raise bad("max_days_to_wait", "must be a number of days ≥ 0")
        if not is_whole_number(self.min_segment_users) or self.min_segment_users < 2:
            raise bad("min_segment_users", "must be a whole number ≥ 2")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None) -> ABConfig:
        """A config from a params mapping (e.g. YAML); unknown keys are an error.

        Examples
        --------
        >>> cfg = ABConfig.from_mapping({"primary_metric": "revenue_per_user", "guardrails": ["aov"]})
        >>> cfg.primary_metric, cfg.guardrails, cfg.alpha
        ('revenue_per_user', ('aov',), 0.05)
        >>> try:
        ...     ABConfig.from_mapping({"alpah": 0.1})
        ... except ABConfigError as e:
        ...     print(str(e)[:48])
        A/B config: unknown setting(s) alpah; known: con
        """
        values = dict(values or {})
        known = [f.name for f in fields(cls)]
        unknown = sorted(str(k) for k in values if k not in known)
        if unknown:
            raise ABConfigError(f"A/B config: unknown setting(s) {', '.join(unknown)}; "
                                f"known: {', '.join(known)}")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready values (``from_mapping`` reads them back)."""
        return to_jsonable(asdict(self))
