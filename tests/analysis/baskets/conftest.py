"""Shared fixtures of the basket tests: a demo store."""

from __future__ import annotations

import pandas as pd
import pytest

from wxshop import demo


@pytest.fixture(scope="module")
def store() -> dict[str, pd.DataFrame]:
    tables, _ = demo.generate_store(3000, seed=7)
    return tables
