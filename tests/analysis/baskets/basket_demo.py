"""Data of the basket tests: one demo store, generated once per session."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from wxshop import demo


@lru_cache(maxsize=1)
def demo_tables() -> dict[str, pd.DataFrame]:
    """Tables of a 3,000-customer demo store, seed 7."""
    tables, _ = demo.generate_store(3000, seed=7)
    return tables
