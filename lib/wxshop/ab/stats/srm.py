"""Sample-ratio mismatch: are the users per arm what the planned split says?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from wxshop.ab.stats.arms import ArmStats
from wxshop.ab.stats.result_base import Result

__all__ = ["SRM_THRESHOLD", "SRMResult", "srm_check"]

SRM_THRESHOLD = 0.001  # p-value below which the split is called a sample-ratio mismatch


@dataclass(frozen=True)
class SRMResult(Result):
    """Sample-ratio mismatch check: chi-square goodness of fit of users per arm.

    users, expected: per arm (users); planned_share, observed_share: per arm (0–1).
    mismatch: p_value < threshold — the assignment or logging is broken and the results are
    not to be trusted.
    """

    arms: tuple[str, ...]
    users: tuple[int, ...]
    expected: tuple[float, ...]
    planned_share: tuple[float, ...]
    observed_share: tuple[float, ...]
    chi2: float
    df: int
    p_value: float
    threshold: float
    mismatch: bool


def srm_check(
    users: Mapping[str, ArmStats | int],
    planned_split: Mapping[str, float] | Sequence[float],
    *,
    threshold: float = SRM_THRESHOLD,
) -> SRMResult:
    """Chi-square test of the users per arm against the planned split.

    Parameters
    ----------
    users : arm → ArmStats or user count.
    planned_split : arm → planned share (or weights in the order of ``users``); normalised
        to sum to one.
    threshold : p-value below which a mismatch is flagged (0.001 by convention, since SRM
        checks run on every experiment and a false alarm stops a good one).

    Examples
    --------
    >>> r = srm_check({"control": 5000, "treatment": 4700}, {"control": 0.5, "treatment": 0.5})
    >>> round(r.chi2, 2), round(r.p_value, 4), r.mismatch
    (9.28, 0.0023, False)
    """
    arms = tuple(users)
    obs = np.array([u.n if isinstance(u, ArmStats) else u for u in users.values()], dtype=float)
    if isinstance(planned_split, Mapping):
        missing = [a for a in arms if a not in planned_split]
        if missing:
            raise ValueError(f"planned_split has no share for arm(s) {', '.join(missing)}")
        w = np.array([planned_split[a] for a in arms], dtype=float)
    else:
        w = np.asarray(planned_split, dtype=float)
    if w.shape != obs.shape or len(arms) < 2 or (w <= 0).any():
        raise ValueError("planned_split needs one positive share per arm (at least two arms)")
    share = w / w.sum()
    expected = share * obs.sum()
    chi2, p = stats.chisquare(obs, expected)
    return SRMResult(arms, tuple(int(v) for v in obs), tuple(float(v) for v in expected),
                     tuple(float(v) for v in share), tuple(float(v) for v in obs / obs.sum()),
                     float(chi2), len(arms) - 1, float(p), threshold, bool(p < threshold))
