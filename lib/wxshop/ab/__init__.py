"""A/B tests: per-user outcomes, the statistics, and the decision.

Data side: :mod:`~wxshop.ab.columns` (column names), :mod:`~wxshop.ab.outcomes` (per-user
outcomes from a store's experiments and orders), :mod:`~wxshop.ab.daily_counts`,
:mod:`~wxshop.ab.inputs` (an outcomes file, or counts typed into the parameters).
Statistics: the package :mod:`wxshop.ab.stats`. The analysis: :mod:`~wxshop.ab.config`
(settings), :mod:`~wxshop.ab.analysis` (``analyse_users`` / ``analyse_counts``), which uses
:mod:`~wxshop.ab.per_user` for what only per-user data allow, and :mod:`~wxshop.ab.results`
(what it returns).
"""
