"""Text helpers every loading step shares (wxshop.data.text)."""

import numpy as np
import pandas as pd

from wxshop.data.text import TEXT_DTYPE, as_text, clean_text, unique_names


def test_as_text_drops_the_point_zero_of_whole_floats_only():
    assert as_text(pd.Series([1.0, np.nan, 12.0])).tolist()[::2] == ["1", "12"]
    assert as_text(pd.Series([1.0, 2.5])).tolist() == ["1.0", "2.5"]
    assert as_text(pd.Series(["a", "b"], dtype="category")).dtype == TEXT_DTYPE


def test_clean_text_strips_and_blanks_become_missing():
    out = clean_text(pd.Series([" a ", "", "  ", None]))
    assert out.iloc[0] == "a" and out.iloc[1:].isna().all()


def test_unique_names_number_repeats():
    assert unique_names(["a", "a", "a.1", "b", "a"]) == ["a", "a.1", "a.1.1", "b", "a.2"]
