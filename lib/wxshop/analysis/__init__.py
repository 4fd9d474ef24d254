"""The analyses: store KPIs (``overview``); customers: RFM and the 8 segments (``rfm``), lifecycle
stages (``lifecycle``), repurchase rates and the customers headline (``repurchase``), cohorts
(``cohorts``), profiles (``profiles``), purchase prediction and CLV (``clv``); products
(``products``, ``selection``); baskets (``baskets``). The paid-order conventions they all share
are in ``paid``."""
