"""ABC classes and their summary on hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from product_frames import assert_frame

from wxshop.analysis import products as pr


# gmv: p 50, q 35, r 8, s 4, t 3 (positive total 100), w 0, u −5 (a loss), v unknown.
#  item share cum   share before → class
#  p    .50   .50    0            A
#  q    .35   .85    .50          A   (crosses 80 %: still A)
#  r    .08   .93    .85          B
#  s    .04   .97    .93          B   (crosses 95 %: still B)
#  t    .03  1.00    .97          C
#  w    0    1.00                 C   (value ≤ 0)
#  u   −.05  1.00                 C   (a loss adds nothing to cum_share)
#  v    NaN   NaN                 unknown, last
# Summary: A 2 items 85 (.85), B 2 items 12 (.12), C 3 items 3 + 0 − 5 = −2 (−.02), unknown 1.
@pytest.fixture
def abc_table() -> pd.DataFrame:
    return pd.DataFrame({"sku_id": ["s", "v", "q", "u", "p", "w", "t", "r"],
                         "gmv": [4.0, np.nan, 35.0, -5.0, 50.0, 0.0, 3.0, 8.0]})


def test_abc_classes_hand_computed(abc_table):
    got = pr.abc_classes(abc_table, "gmv")
    want = pd.DataFrame({
        "sku_id": ["p", "q", "r", "s", "t", "w", "u", "v"],
        "gmv": [50.0, 35.0, 8.0, 4.0, 3.0, 0.0, -5.0, np.nan],
        "rank": np.arange(1, 9, dtype=np.int64),
        "share": [0.50, 0.35, 0.08, 0.04, 0.03, 0.0, -0.05, np.nan],
        "cum_share": [0.50, 0.85, 0.93, 0.97, 1.0, 1.0, 1.0, np.nan],
        "abc_class": pd.array(["A", "A", "B", "B", "C", "C", "C", "unknown"], dtype="str"),
    })
    assert_frame(got, want)


def test_abc_edges_and_ties():
    # shares .4, .4, .2: the third item starts exactly at 0.8, which is not < 0.8 → B
    got = pr.abc_classes(pd.DataFrame({"sku_id": ["x", "y", "z"], "gmv": [40.0, 20.0, 40.0]}))
    assert got["sku_id"].tolist() == ["x", "z", "y"]  # the tie keeps the table's order
    assert got["abc_class"].tolist() == ["A", "A", "B"]
    # other edges and another value column
    got = pr.abc_classes(pd.DataFrame({"k": list("abcd"), "gross_profit": [70.0, 20.0, 6.0, 4.0]}),
                         "gross_profit", a=0.5, b=0.9)
    assert got["abc_class"].tolist() == ["A", "B", "C", "C"]  # before: 0, .7, .9, .96
    with pytest.raises(ValueError, match="must not exceed"):
        pr.abc_classes(got, "gross_profit", a=0.9, b=0.8)
    with pytest.raises(ValueError, match="a must be a share"):
        pr.abc_classes(got, "gross_profit", a=0.0)
    with pytest.raises(KeyError, match="gmv"):
        pr.abc_classes(got)


def test_abc_summary_sums(abc_table):
    got = pr.abc_summary(pr.abc_classes(abc_table, "gmv"), "gmv")
    want = pd.DataFrame({
        "abc_class": pd.array(["A", "B", "C", "unknown"], dtype="str"),
        "items": np.array([2, 2, 3, 1], np.int64),
        "item_share": [2 / 8, 2 / 8, 3 / 8, 1 / 8],
        "value": [85.0, 12.0, -2.0, np.nan],
        "value_share": [0.85, 0.12, -0.02, np.nan],
    })
    assert_frame(got, want)
