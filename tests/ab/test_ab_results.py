"""What an A/B analysis returns: the overall decision over treatments."""

from __future__ import annotations

from wxshop.ab.results import OverallDecision, overall_decision
from wxshop.ab.stats import Decision


def _decision(treatment: str, decision: str, diff: float = 0.0) -> Decision:
    return Decision(decision=decision, reasons=(), primary_metric="conversion", treatment=treatment,
                    p_value=0.5, alpha=0.05, diff=diff, rel_lift=diff)


def test_overall_decision_rules() -> None:
    d = _decision

    def overall(*kinds: str) -> str:
        return overall_decision({f"t{i}": d(f"t{i}", k) for i, k in enumerate(kinds)}).decision

    ships = {"b": d("b", "ship", 0.01), "c": d("c", "ship", 0.03), "e": d("e", "dont_ship", -0.01)}
    assert overall_decision(ships) == OverallDecision("ship", "c", ("b", "c"))  # the larger lift
    assert overall_decision({"b": d("b", "keep_running"), "c": d("c", "dont_ship")}) == \
        OverallDecision("keep_running", None)
    assert overall("ship", "keep_running") == "ship"
    assert overall("inconclusive", "keep_running") == "keep_running"
    assert overall("dont_ship", "dont_ship") == "dont_ship"
    assert overall("dont_ship", "inconclusive") == "inconclusive"
    assert overall() == "inconclusive"
    assert overall_decision({"b": d("b", "ship", -0.02)}).best_variant == "b"  # the only ship candidate
