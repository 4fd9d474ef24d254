"""text_edges reads each text's first and last byte off Arrow's buffers: the same as reading
them from the encoded strings, over chunks, slices, missing and empty texts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from wxshop.data.text import clean_text, text_edges


def reference(values: list[str | None]) -> tuple[list[int], list[int], list[bool]]:
    encoded = [None if v is None else v.encode("utf-8") for v in values]
    first = [b[0] if b else 0 for b in encoded]
    last = [b[-1] if b else 0 for b in encoded]
    return first, last, [b == b"" for b in encoded]


def texts(n: int, seed: int) -> list[str | None]:
    rng = np.random.default_rng(seed)
    pool = ["a", "订单", " x", "y ", "u2\u3000", "", "\u00a0z", "0012", "é"]
    return [None if rng.random() < 0.1 else "".join(rng.choice(pool, int(rng.integers(0, 3))))
            for _ in range(n)]


@pytest.mark.parametrize("layout", ["one_chunk", "chunks", "sliced", "large", "all_empty", "no_values"])
def test_text_edges_equal_the_bytes_of_each_text(layout):
    values = texts(3000, seed=len(layout))
    if layout == "all_empty":
        values = ["", None, ""]
    if layout == "no_values":
        values = [None, None]
    arr = pa.array(values, pa.large_string() if layout == "large" else pa.string())
    if layout == "chunks":
        arr = pa.chunked_array([arr.slice(0, 1000), arr.slice(1000, 1), arr.slice(1001)])
    if layout == "sliced":  # a chunk that starts inside its buffers
        values = values[777:2500]
        arr = pa.chunked_array([arr.slice(777, 2500 - 777)])
    s = pd.Series(pd.arrays.ArrowStringArray(arr) if isinstance(arr, pa.ChunkedArray)
                  else pd.arrays.ArrowStringArray(pa.chunked_array([arr])))
    first, last, empty = text_edges(s)
    want = reference(values)
    assert first.tolist() == want[0]
    assert last.tolist() == want[1]
    assert empty.tolist() == want[2]


def test_clean_text_strips_only_where_an_edge_may_be_a_space():
    values = texts(2000, seed=5)
    got = clean_text(pd.Series(values, dtype="str"))
    want = pd.Series([None if v is None or not v.strip() else v.strip() for v in values], dtype="str")
    assert got.isna().tolist() == want.isna().tolist()
    assert got.dropna().tolist() == want.dropna().tolist()
