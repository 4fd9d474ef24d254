"""The growth report's key figures, each read from the table its section computes, so the
headline and the sections can never disagree. A figure whose table is missing is None."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["growth_headline"]


def growth_headline(
    funnel: pd.DataFrame | None = None,
    retention: pd.DataFrame | None = None,
    new_customers: dict[str, Any] | None = None,
    invitations: dict[str, Any] | None = None,
    effects: pd.DataFrame | None = None,
    group_buys: pd.DataFrame | None = None,
    peak_hours: list[int] | None = None,
) -> dict[str, Any]:
    """The key figures:

    - ``activity_conversion``: pay ÷ view events, the last step's ``from_view`` of
      :func:`~wxshop.analysis.growth.funnel.funnel_steps` (0–1);
    - ``d1_retention``: ``d1`` of :func:`~wxshop.analysis.growth.retention.retention` (0–1);
    - ``invited_share``: ``share`` of :func:`~wxshop.analysis.growth.fission.new_customer_share`;
    - ``k_factor``: of :func:`~wxshop.analysis.growth.fission.k_factor`;
    - ``campaign_roi_gmv``: Σ campaign orders' GMV ÷ Σ cost over every campaign of
      :func:`~wxshop.analysis.growth.campaigns.campaign_effects` (the playbook's 1 : x; None
      without cost);
    - ``campaigns_with_gain``: campaigns whose incremental GMV interval lies above 0;
    - ``group_completion_rate``: of :func:`~wxshop.analysis.growth.group_buys.group_buy_summary`
      with ``by=None``;
    - ``peak_hour``: the busiest hour (the first of ``peak_hours``).

    Examples
    --------
    >>> effects = pd.DataFrame({"campaign_gmv": [300.0, 100.0], "cost": [50.0, 50.0],
    ...                         "significant": [True, True], "incremental_gmv": [40.0, -5.0]})
    >>> h = growth_headline(effects=effects, peak_hours=[21, 20])
    >>> h["campaign_roi_gmv"], h["campaigns_with_gain"], h["peak_hour"], h["d1_retention"]
    (4.0, 1, 21, None)
    """
    def first(table: pd.DataFrame | None, column: str) -> float | None:
        return float(table[column].iloc[-1]) if table is not None and len(table) else None

    cost = float(effects["cost"].sum()) if effects is not None else 0.0
    return {
        "activity_conversion": first(funnel, "from_view"),
        "d1_retention": first(retention, "d1"),
        "invited_share": new_customers["share"] if new_customers else None,
        "k_factor": invitations["k_factor"] if invitations else None,
        "campaign_roi_gmv": float(effects["campaign_gmv"].sum()) / cost if cost > 0 else None,
        "campaigns_with_gain": (int((effects["significant"] & (effects["incremental_gmv"] > 0)).sum())
                                if effects is not None else None),
        "group_completion_rate": first(group_buys, "completion_rate"),
        "peak_hour": peak_hours[0] if peak_hours else None,
    }
