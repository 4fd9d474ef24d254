"""The decision rules, first match wins."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from ab_samples import metric_result
from pandas.testing import assert_frame_equal

from wxshop.ab import stats as ab

TIGHT = 1e-9


def _power(sufficient: bool | None, days: float = 5.0, target: float = 0.05) -> ab.PowerResult:
    return ab.PowerResult("conversion", 0.05, 0.8, 0.0, 0.01, 0.1, 0.02, 0.04, target, 1e4, 1e4, 2e4, 2e4,
                          1e3, days, sufficient)


def test_decision_rules():
    win = metric_result(p_value=0.001, diff=0.01, rel_lift=0.2, rel_ci_low=0.08, rel_ci_high=0.32)
    loss = metric_result(p_value=0.001, diff=-0.01, rel_lift=-0.2)
    flat = metric_result(p_value=0.6, diff=0.0005, rel_lift=0.01, rel_ci_low=-0.03, rel_ci_high=0.04)
    ok = ab.NonInferiorityResult("aov", "t", 0.02, "relative", True, 0.0, -0.01, 0.001, 0.025, True, False,
                                 False)
    unproven = replace(ok, bound=-0.05, p_value=0.2, non_inferior=False)
    harmed = replace(ok, metric="refund_rate", bound=-0.2, p_value=0.9, non_inferior=False,
                     significantly_worse=True)
    srm_bad = ab.srm_check({"c": 5_300, "t": 4_700}, [1, 1])
    cases = {
        "srm": ab.decide(win, guardrails=[ok], srm=srm_bad),
        "ship": ab.decide(win, guardrails=[ok], srm=ab.srm_check({"c": 5_010, "t": 4_990}, [1, 1])),
        "ship_no_guardrails": ab.decide(win),
        "harmed": ab.decide(win, guardrails=[ok, harmed]),
        "unproven": ab.decide(win, guardrails=[unproven]),
        "worse": ab.decide(loss),
        "adjusted_p": ab.decide(win, p_value=0.2),
        "nan": ab.decide(replace(win, p_value=np.nan)),
        "null_powered": ab.decide(flat, power=_power(True)),
        "null_powered_wide": ab.decide(flat, power=_power(True, target=0.03)),
        "null_short": ab.decide(flat, power=_power(False, days=10)),
        "null_long": ab.decide(flat, power=_power(False, days=60)),
        "lower_is_better": ab.decide(loss, higher_is_better=False),
    }
    got = pd.DataFrame({"case": list(cases), "decision": [d.decision for d in cases.values()],
                        "reasons": [", ".join(d.reasons) for d in cases.values()]})
    expected = pd.DataFrame([
        ("srm", "inconclusive", "sample_ratio_mismatch"),
        ("ship", "ship", "primary_significantly_better, guardrails_non_inferior"),
        ("ship_no_guardrails", "ship", "primary_significantly_better"),
        ("harmed", "dont_ship", "guardrail_harmed, primary_significantly_better"),
        ("unproven", "keep_running", "primary_significantly_better, guardrail_not_yet_non_inferior"),
        ("worse", "dont_ship", "primary_significantly_worse"),
        ("adjusted_p", "inconclusive", "primary_not_significant, power_unknown"),
        ("nan", "inconclusive", "primary_not_computable"),
        ("null_powered", "dont_ship",
         "primary_not_significant, target_sample_reached, effect_below_target_mde"),
        ("null_powered_wide", "inconclusive", "primary_not_significant, target_sample_reached"),
        ("null_short", "keep_running", "primary_not_significant, underpowered_keep_collecting"),
        ("null_long", "inconclusive", "primary_not_significant, target_sample_out_of_reach"),
        ("lower_is_better", "ship", "primary_significantly_better"),
    ], columns=["case", "decision", "reasons"])
    assert_frame_equal(got, expected)
    assert cases["harmed"].harmed_guardrails == ("refund_rate",)
    assert set(got["decision"]) <= set(ab.DECISIONS)
    assert {r for d in cases.values() for r in d.reasons} <= set(ab.REASONS)
    assert cases["ship"].to_frame().loc[0, "reasons"] == expected.loc[1, "reasons"]
