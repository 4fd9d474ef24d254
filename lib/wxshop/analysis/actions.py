"""What to do with a customer, from both the lifecycle stage and the RFM segment, and the
segment × stage cross-table.

The stage says *when* and *whether* a customer needs winning back (new, active, silent,
dormant 沉睡, lost 流失, each on the customer's own category cycle); the segment says *how
much* the customer is worth the effort (M high: 重要…; F high: buys often). So the two never
contradict: an 重要价值 customer who is dormant gets a high-value win-back, not "maintain the
relationship", and a lost general customer gets mass channels only.

================  ===========================  ===========================
stage             M high (重要…)                M low (一般…)
================  ===========================  ===========================
new               welcome_vip                  activate_new
active, F high    vip_care                     upsell
active, F low     raise_frequency              nurture_repeat
silent            reengage_loyal               remind_low_cost
dormant           win_back_high_value          win_back_coupon
lost              last_try                     low_priority
================  ===========================  ===========================

Codes are English snake_case, shown through :mod:`wxshop.report.i18n` (``action.<code>``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from wxshop.analysis.lifecycle import STAGES
from wxshop.analysis.paid import require_columns
from wxshop.analysis.rfm import SEGMENTS
from wxshop.data.codes import arrow_text, positions
from wxshop.data.schema import CUSTOMER_ID

__all__ = ["ACTION_MATRIX", "action_codes", "segment_stage_table"]

_M_HIGH = {s: s.startswith("important_") for s in SEGMENTS}
_F_HIGH = {s: s.endswith(("_value", "_keep")) for s in SEGMENTS}  # value, keep: F high in RFM


def _action(stage: str, segment: str) -> str:
    m, f = _M_HIGH[segment], _F_HIGH[segment]
    if stage == "new":
        return "welcome_vip" if m else "activate_new"
    if stage == "active":
        return {(True, True): "vip_care", (True, False): "raise_frequency",
                (False, True): "upsell", (False, False): "nurture_repeat"}[(m, f)]
    return {"silent": ("reengage_loyal", "remind_low_cost"),
            "dormant": ("win_back_high_value", "win_back_coupon"),
            "lost": ("last_try", "low_priority")}[stage][0 if m else 1]


# stage → segment → action code, for every stage and segment (module docstring)
ACTION_MATRIX: dict[str, dict[str, str]] = {st: {sg: _action(st, sg) for sg in SEGMENTS} for st in STAGES}


def action_codes(stage: pd.Series, segment: pd.Series) -> pd.Series:
    """The action code of each customer from its stage and segment codes (aligned Series);
    missing when either is missing or unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> action_codes(pd.Series(["dormant", "active", "lost"]),
    ...              pd.Series(["important_value", "important_value", "general_develop"])).tolist()
    ['win_back_high_value', 'vip_care', 'low_priority']
    """
    flat = {f"{st}|{sg}": code for st, row in ACTION_MATRIX.items() for sg, code in row.items()}
    key = stage.astype("str") + "|" + segment.astype("str")
    return key.map(flat).astype("str")


def segment_stage_table(segmented: pd.DataFrame, stages: pd.DataFrame) -> pd.DataFrame:
    """Customers in every RFM segment × lifecycle stage, with the action for the cell.

    ``segmented``: customer_id, segment (:func:`wxshop.analysis.rfm.rfm_segments`);
    ``stages``: customer_id, stage (:func:`wxshop.analysis.lifecycle.lifecycle_stages`),
    joined on customer_id (a customer missing from either, or with an unknown code, is left
    out). Returns one row per
    (segment, stage), all 8 × 5 in :data:`~wxshop.analysis.rfm.SEGMENTS` ×
    :data:`~wxshop.analysis.lifecycle.STAGES` order: segment, stage, customers (int),
    segment_share (share 0–1 of the segment's customers; NaN for an empty segment), action.

    Examples
    --------
    >>> import pandas as pd
    >>> seg = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...                     "segment": ["important_value", "important_value", "general_retain"]})
    >>> st = pd.DataFrame({"customer_id": ["c", "b", "a"], "stage": ["lost", "dormant", "active"]})
    >>> t = segment_stage_table(seg, st)
    >>> print(t[t["customers"] > 0].to_string(index=False))
            segment   stage  customers  segment_share              action
    important_value  active          1            0.5            vip_care
    important_value dormant          1            0.5 win_back_high_value
     general_retain    lost          1            1.0        low_priority
    """
    require_columns(segmented, (CUSTOMER_ID, "segment"), "segment_stage_table")
    require_columns(stages, (CUSTOMER_ID, "stage"), "segment_stage_table")
    if not (pd.Index(segmented[CUSTOMER_ID]).is_unique and pd.Index(stages[CUSTOMER_ID]).is_unique):
        raise ValueError("segment_stage_table: a customer_id appears twice")
    # each segmented customer's row in stages (the same rows in the same order, as the analyses
    # give them, needs no lookup); segments and stages as small integer codes
    same = len(segmented) == len(stages) and bool(pc.all(pc.equal(
        arrow_text(segmented[CUSTOMER_ID]), arrow_text(stages[CUSTOMER_ID]))).as_py() is True)
    at = np.arange(len(stages)) if same else positions(segmented[CUSTOMER_ID], stages[CUSTOMER_ID])
    seg = pd.Categorical(segmented["segment"].astype("str"), categories=list(SEGMENTS)).codes
    stage = pd.Categorical(stages["stage"].astype("str"), categories=list(STAGES)).codes
    stage = np.where(at >= 0, stage[np.maximum(at, 0)] if len(stage) else -1, -1)
    both = (seg >= 0) & (stage >= 0)
    n = np.bincount(seg[both] * len(STAGES) + stage[both], minlength=len(SEGMENTS) * len(STAGES))
    per_segment = n.reshape(len(SEGMENTS), len(STAGES)).sum(axis=1).astype(np.float64)
    grid = pd.MultiIndex.from_product([SEGMENTS, STAGES], names=["segment", "stage"]).to_frame(index=False)
    return pd.DataFrame({
        "segment": pd.array(grid["segment"], dtype="str"),
        "stage": pd.array(grid["stage"], dtype="str"),
        "customers": n,
        "segment_share": n / np.repeat(np.where(per_segment > 0, per_segment, np.nan), len(STAGES)),
        "action": pd.array([ACTION_MATRIX[st][sg] for sg, st in zip(grid["segment"], grid["stage"],
                                                                  strict=True)], dtype="str"),
    })
