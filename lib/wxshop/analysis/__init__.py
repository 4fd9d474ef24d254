"""The analyses: store KPIs; customers (RFM, lifecycle, cohorts, profiles, purchase prediction);
products; baskets."""
