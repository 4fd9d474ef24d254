"""A pytest plugin (``-p nbval_marks`` in pyproject.toml): the nbval items carry the ``slow`` mark.

nbval collects the reference notebooks in this folder (``--nbval``, also in pyproject.toml) and
re-runs them on the sample store, about 20 s in all, so ``pytest -m "not slow"`` leaves them out
and ``pytest`` / ``make test`` runs them. A plugin, not a ``conftest.py``: a second conftest
below ``tests/`` would shadow the one test modules import names from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wxshop.batch.startup import skip_iri_checker

skip_iri_checker()  # this plugin loads before nbval imports nbformat: as in batch processes

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every cell item of a notebook in this folder ``slow``."""
    for item in items:
        if item.path.suffix == ".ipynb" and item.path.parent == HERE:
            item.add_marker(pytest.mark.slow)
