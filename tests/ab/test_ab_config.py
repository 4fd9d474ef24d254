"""A/B analysis settings: every invalid value is refused with its name; YAML mappings round-trip."""

from __future__ import annotations

import pytest

from wxshop.ab.config import ABConfig, ABConfigError


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"primary_metric": "gmv"}, "primary_metric must be one of"),
    ({"guardrails": ("aov", "aov")}, "guardrails must be a list of distinct"),
    ({"guardrails": ("conversion",)}, "must not contain the primary"),
    ({"metrics": ("conversion",)}, "must contain the primary metric and guardrails"),
    ({"guardrail_margin": 5}, "guardrail_margin must be a share"),
    ({"alpha": 0}, "alpha must be in"),
    ({"correction": "bonferroni"}, "correction must be"),
    ({"cuped": "yes"}, "cuped must be true or false"),
    ({"cap_percentile": 99}, "cap_percentile must be a share"),
    ({"target_relative_mde": -0.1}, "target_relative_mde must be a positive"),
    ({"power": 0.01}, "power must be in"),
    ({"srm_threshold": 1.5}, "srm_threshold must be in"),
    ({"n_boot": 10}, "n_boot must be a whole number"),
    ({"seed": 1.5}, "seed must be a whole number"),
    ({"max_days_to_wait": -1}, "max_days_to_wait must be"),
    ({"planned_users_per_arm": True}, "planned_users_per_arm must be"),
    ({"control": ""}, "control must be"),
])
def test_config_validation(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ABConfig(**kwargs)


def test_config_from_mapping() -> None:
    cfg = ABConfig.from_mapping({"guardrails": ["aov", "orders_per_user"], "correction": "bh"})
    assert cfg.guardrails == ("aov", "orders_per_user") and cfg.correction == "bh"
    assert ABConfig.from_mapping(None) == ABConfig()
    with pytest.raises(ABConfigError, match="unknown setting.*alpah"):
        ABConfig.from_mapping({"alpah": 0.1})
    assert ABConfig.from_mapping(ABConfig(seed=3).to_dict()) == ABConfig(seed=3)
