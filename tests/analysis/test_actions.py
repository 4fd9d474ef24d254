"""Actions from stage × segment, and the segment × stage table against a pandas crosstab."""

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis import actions, lifecycle, rfm


def test_every_stage_and_segment_has_an_action_that_fits_both():
    for stage in lifecycle.STAGES:
        for segment in rfm.SEGMENTS:
            assert actions.ACTION_MATRIX[stage][segment]
    assert actions.ACTION_MATRIX["dormant"]["important_value"] == "win_back_high_value"
    assert actions.ACTION_MATRIX["active"]["important_value"] == "vip_care"
    assert actions.ACTION_MATRIX["lost"]["general_retain"] == "low_priority"


@pytest.mark.parametrize("shuffle", [False, True])
def test_segment_stage_table_matches_a_crosstab(shuffle):
    rng = np.random.default_rng(3)
    ids = [f"c{i:04d}" for i in range(2000)]
    segmented = pd.DataFrame({"customer_id": ids, "segment": rng.choice(rfm.SEGMENTS, len(ids))})
    stages = pd.DataFrame({"customer_id": ids, "stage": rng.choice(lifecycle.STAGES, len(ids))})
    if shuffle:  # rows in another order, and one customer missing from the stages
        stages = stages.sample(frac=1, random_state=1).iloc[1:]
    got = actions.segment_stage_table(segmented, stages)
    both = segmented.merge(stages, on="customer_id")
    want = pd.crosstab(both["segment"], both["stage"]).reindex(
        index=list(rfm.SEGMENTS), columns=list(lifecycle.STAGES), fill_value=0)
    assert got["customers"].tolist() == want.to_numpy().ravel().tolist()
    assert int(got["customers"].sum()) == len(both)
    shares = got.groupby("segment", sort=False)["segment_share"].sum()
    assert np.allclose(shares, 1.0)
