"""Text helpers every loading step shares (wxshop.data.text)."""

import numpy as np
import pandas as pd
import pytest

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


@pytest.mark.parametrize("pool", [
    ["u1", "O0001", "abc", "", None],  # ids: nothing to strip, blanks and missing only
    ["u1", " u2", "u3 ", "\tu4", "u5\u3000", "\u00a0u6", "订单", "", None, "u\u3000x"],
    ["u1", "u5\u3000", "\u00a0u6", "", None],  # only spaces that are not ASCII
])
def test_clean_text_equals_strip_and_blank_to_missing(pool):
    """Whether the screen skips the strip (ids) or not (spaces of every kind, Chinese), the
    result is what stripping every text and turning blanks into missing gives; also for a
    column of several Arrow chunks that starts inside its data."""
    import pyarrow as pa

    rng = np.random.default_rng(5)
    values = [pool[i] for i in rng.integers(0, len(pool), 3000)]
    chunked = pa.chunked_array([pa.array(["skip"] + values[:1000]).slice(1), pa.array(values[1000:])])
    for s in (pd.Series(values, dtype="str"), pd.Series(pd.arrays.ArrowStringArray(chunked), dtype="str")):
        want = s.str.strip()
        want = want.mask(want == "")
        pd.testing.assert_series_equal(clean_text(s), want)
