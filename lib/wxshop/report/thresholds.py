"""The playbook's reference lines in one table: the value a headline figure should reach, with
its source, read by the index page (marks against each store) and the key findings.

Only the playbook's own numbers are built in:

- spend_per_buyer (客单价: GMV ÷ buying customers, as 生意参谋 counts it) ≥ 150 CNY is good —
  playbook; the value per order (笔单价, ``aov``) has no built-in line;
- friend_add_rate (好友添加率: new buyers added on 企业微信) ≥ 25% is good — playbook (38% in its
  example); session_open_rate (会话打开率: 1v1 and 群发 messages opened) ≥ 50% — playbook; both
  recorded by the private-domain report;
- activity_conversion (view → pay) ≥ 14%, the playbook's figure after optimising (9% before);
  d1_retention (新用户次日留存) ≥ 15%, its figure after onboarding changes (8% before);
  invited_share ≥ 60% of new customers from invitation chains, its good fission programme.

Repurchase and refund rates have no built-in threshold: the store overview measures them
over the whole data span (a longer span gives a higher repurchase rate) and a fair refund
rate depends on the category (apparel vs food), so no single number holds for every shop.
A house can set its own under ``index_thresholds:`` in ``params/defaults.yaml``
(:func:`wxshop.report.index.merge_thresholds`); the index labels those values as house
thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from wxshop.analysis.private_domain.staff import FRIEND_ADD_GOOD, SESSION_OPEN_GOOD

Better = Literal["higher", "lower"]
Source = Literal["playbook", "house"]


@dataclass(frozen=True)
class Threshold:
    """A value a figure should reach (``better`` higher: ≥ value; lower: ≤ value).

    source : ``playbook`` (the WeChat-shop playbook these reports follow) or ``house``
        (set in ``params/defaults.yaml`` under ``index_thresholds:``)

    Examples
    --------
    >>> aov = THRESHOLDS["spend_per_buyer"]
    >>> print(aov.value, aov.better, aov.source, aov.met(168.0), aov.met(99.0))
    150.0 higher playbook True False
    >>> print(Threshold(0.05, "lower", "house").met(0.04))
    True
    """

    value: float
    better: Better
    source: Source

    def met(self, value: float) -> bool:
        """Whether ``value`` reaches the threshold in its direction."""
        return value >= self.value if self.better == "higher" else value <= self.value


# figure key (wxshop.report.index.FIGURES) → the playbook's threshold
THRESHOLDS: dict[str, Threshold] = {
    "spend_per_buyer": Threshold(150.0, "higher", "playbook"),
    "friend_add_rate": Threshold(FRIEND_ADD_GOOD, "higher", "playbook"),
    "session_open_rate": Threshold(SESSION_OPEN_GOOD, "higher", "playbook"),
    "activity_conversion": Threshold(0.14, "higher", "playbook"),
    "d1_retention": Threshold(0.15, "higher", "playbook"),
    "invited_share": Threshold(0.60, "higher", "playbook"),
}
