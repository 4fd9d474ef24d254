"""Channel fit: the playbook's channel rules and the scenes (社群团购, 直播, …) each item suits.

Conventions: :mod:`wxshop.analysis.products`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from wxshop.analysis.paid import require_columns
from wxshop.analysis.products.cycles import item_cycle
from wxshop.analysis.products.keys import CATEGORY, str_array

__all__ = ["SCENES", "CHANNEL_RULES", "check_rules", "channel_fit"]

SCENES: tuple[str, ...] = (
    "group_buying",  # 社群团购
    "moments_showcase",  # 朋友圈晒单
    "live_stream",  # 视频号直播
    "tutorial_seeding",  # 教程种草
    "mini_program_mall",  # 小程序商城
    "referral",  # 私域裂变
    "general",  # 常规上架
)

# The playbook's channel table as data. Rules are tried in order; the first that matches
# an item decides its scenes. Keys of a rule (a params YAML can pass a list of these):
#   rule            code naming the rule (required, snake_case)
#   scenes          list of scene codes from SCENES (required, first = primary)
#   categories      category names the rule applies to (omitted or empty = any category)
#   max_cycle_days  the cycle (KM median, else naive median) must be ≤ this
#   min_cycle_days  the cycle must be ≥ this
#   min_margin      the item's gross margin must be ≥ this (share 0–1)
#   max_margin      the item's gross margin must be ≤ this
# A bound on a missing cycle or margin does not match. End with a rule without
# conditions to give every item a scene.
CHANNEL_RULES: tuple[dict[str, Any], ...] = (
    {
        "rule": "short_cycle_food",
        "categories": ["食品饮料", "食品", "生鲜", "零食", "饮料", "粮油"],
        "max_cycle_days": 15,
        "scenes": ["group_buying", "moments_showcase"],
    },
    {
        "rule": "high_margin_beauty",
        "categories": ["美妆护肤", "美妆", "护肤", "彩妆", "个护"],
        "min_margin": 0.65,
        "scenes": ["live_stream", "tutorial_seeding"],
    },
    {
        "rule": "long_cycle_accessories",
        "categories": ["数码配件", "配件", "饰品", "数码"],
        "min_cycle_days": 60,
        "scenes": ["mini_program_mall", "referral"],
    },
    {"rule": "default", "scenes": ["general"]},
)

_RULE_KEYS = ("rule", "scenes", "categories", "max_cycle_days", "min_cycle_days", "min_margin", "max_margin")


def check_rules(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Channel rules checked (keys, scenes, bounds) and copied; ValueError naming the problem."""
    out = []
    if isinstance(rules, Mapping) or isinstance(rules, str):
        raise ValueError("rules must be a list of rule mappings")
    for i, r in enumerate(rules):
        if not isinstance(r, Mapping):
            raise ValueError(f"channel rule #{i} must be a mapping, got {type(r).__name__}")
        unknown = set(r) - set(_RULE_KEYS)
        if unknown:
            raise ValueError(
                f"channel rule #{i}: unknown key(s) {sorted(unknown)}; known: {list(_RULE_KEYS)}"
            )
        for req in ("rule", "scenes"):
            if req not in r:
                raise ValueError(f"channel rule #{i} needs {req!r}")
        scenes = [r["scenes"]] if isinstance(r["scenes"], str) else list(r["scenes"])
        bad = [s for s in scenes if s not in SCENES]
        if not scenes or bad:
            raise ValueError(f"channel rule {r['rule']!r}: scenes must be among {SCENES}, got {scenes}")
        cats = r.get("categories") or []
        cats = [cats] if isinstance(cats, str) else [str(c) for c in cats]
        out.append({**r, "scenes": scenes, "categories": cats})
    return out


def channel_fit(
    table: pd.DataFrame,
    cycles: pd.DataFrame | None,
    rules: Sequence[Mapping[str, Any]] = CHANNEL_RULES,
) -> pd.DataFrame:
    """Suggested WeChat selling scenes per item from the playbook's channel table.

    Default rules (:data:`CHANNEL_RULES`, first match wins): short-cycle food (category
    cycle ≤ 15 days) → group_buying + moments_showcase; high-margin beauty (gross margin ≥
    0.65) → live_stream + tutorial_seeding; long-cycle accessories (cycle ≥ 60 days) →
    mini_program_mall + referral; everything else → general. See the comment above
    :data:`CHANNEL_RULES` for the rule format.

    Parameters
    ----------
    table : from :func:`product_table`: category, gross_margin (and sku_id at SKU level);
        other columns are kept.
    cycles : from :func:`repurchase_cycles`, normally at category level (every SKU takes
        its category's cycle); at SKU level each SKU uses its own. None = no cycles.
    rules : list of rule mappings.

    Returns
    -------
    ``table`` in its order with: cycle_days (days, KM median else naive), cycle_source
    (code in :data:`CYCLE_SOURCES`), channel_rule (the ``rule`` code that matched, or
    ``"none"``), scenes (scene codes joined by ``"+"``, e.g. ``"group_buying+
    moments_showcase"``; empty when no rule matched), primary_scene (the first scene).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"sku_id": ["tea", "cream", "cable"],
    ...                       "category": ["食品饮料", "美妆护肤", "数码配件"],
    ...                       "gross_margin": [0.40, 0.70, 0.50]})
    >>> cycles = pd.DataFrame({"sku_id": ["tea", "cream", "cable"], "km_median_days": [12.0, None, 90.0],
    ...                        "naive_median_days": [10.0, 45.0, 80.0]})
    >>> print(channel_fit(table, cycles)[["sku_id", "cycle_days", "channel_rule", "primary_scene"]]
    ...       .to_string(index=False))
    sku_id  cycle_days           channel_rule     primary_scene
       tea        12.0       short_cycle_food      group_buying
     cream        45.0     high_margin_beauty       live_stream
     cable        90.0 long_cycle_accessories mini_program_mall
    """
    require_columns(table, (CATEGORY, "gross_margin"), "channel_fit")
    checked = check_rules(rules)
    n = len(table)
    cycle_days, source = item_cycle(table, cycles, "channel_fit")
    margin = pd.to_numeric(table["gross_margin"]).to_numpy(np.float64)
    category = table[CATEGORY].astype("str")
    rule = np.full(n, "none", dtype=object)
    scenes = np.full(n, "", dtype=object)
    primary = np.full(n, "", dtype=object)
    free = np.ones(n, bool)
    with np.errstate(invalid="ignore"):
        for r in checked:  # a handful of rules, each vectorised over the items
            m = free.copy()
            if r["categories"]:
                m &= category.isin(r["categories"]).to_numpy(bool)
            if r.get("max_cycle_days") is not None:
                m &= cycle_days <= float(r["max_cycle_days"])
            if r.get("min_cycle_days") is not None:
                m &= cycle_days >= float(r["min_cycle_days"])
            if r.get("min_margin") is not None:
                m &= margin >= float(r["min_margin"])
            if r.get("max_margin") is not None:
                m &= margin <= float(r["max_margin"])
            rule[m] = str(r["rule"])
            scenes[m] = "+".join(r["scenes"])
            primary[m] = r["scenes"][0]
            free &= ~m
    out = table.copy()
    out["cycle_days"] = cycle_days
    out["cycle_source"] = str_array(source)
    out["channel_rule"] = str_array(rule)
    out["scenes"] = str_array(scenes)
    out["primary_scene"] = str_array(primary)
    return out
