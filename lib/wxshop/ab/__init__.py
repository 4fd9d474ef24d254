"""A/B tests: per-user outcomes, the statistics, and the decision."""
