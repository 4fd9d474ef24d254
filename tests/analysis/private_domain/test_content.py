"""Content reach (wxshop.analysis.private_domain.content): hand-computed posts, planted open rates
and best hours recovered from seeded posts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis.growth.timing import PLAYBOOK_WINDOWS
from wxshop.analysis.private_domain.content import (
    CONTENT_COLUMNS,
    CONTENT_REFERENCE,
    best_hours,
    content_rates,
    in_playbook_window,
)

START, END = "2025-03-01", "2025-03-31"


def posts_frame() -> pd.DataFrame:
    rows = [  # channel, kind, posted_at, reach, opens, clicks, interactions, orders, gmv
        ("朋友圈", "短文案", "2025-03-01 08:00", 200, 150, 20, 8, 2, 100.0),
        ("朋友圈", "短文案", "2025-03-02 20:30", 300, 180, None, 12, 1, 50.0),
        ("朋友圈", "海报", "2025-03-02 12:00", 100, None, 5, 1, 0, 0.0),
        ("公众号", "文章", "2025-03-03 08:59", 1000, 200, 30, 5, 3, 300.0),
        ("公众号", "文章", "2025-03-31 23:59", None, 80, 10, 2, 1, None),  # no reach: out of every rate
        ("视频号", None, "2025-03-04 03:00", 500, 100, 0, 40, 4, 400.0),
        ("公众号", "文章", "2025-04-01 00:00", 999, 999, 999, 999, 999, 999.0),  # after the window
        ("公众号", "文章", "2025-02-28 23:59", 999, 999, 999, 999, 999, 999.0),  # before it
    ]
    frame = pd.DataFrame(rows, columns=["channel", "kind", "posted_at", "reach", "opens", "clicks",
                                        "interactions", "orders", "gmv"])
    frame["posted_at"] = pd.to_datetime(frame["posted_at"])
    return frame.astype({"channel": "str", "kind": "str"} | {c: np.float64 for c in frame.columns[3:]})


def test_content_rates_by_channel_and_kind():
    out = content_rates(posts_frame(), start=START, end=END)
    assert out.columns.tolist() == ["channel", "kind", *CONTENT_COLUMNS, "reference_open_rate"]
    assert out[["channel", "kind"]].to_numpy().tolist() == [["公众号", "文章"], ["朋友圈", "海报"],
                                                           ["朋友圈", "短文案"], ["视频号", "—"]]
    article = out.iloc[0]
    assert article[["posts", "reach", "opens", "clicks", "orders", "gmv"]].tolist() == [
        2, 1000.0, 280.0, 40.0, 4.0, 300.0]
    assert article["open_rate"] == pytest.approx(200 / 1000)  # the post without reach is left out
    assert article["click_rate"] == pytest.approx(30 / 1000)
    assert article["order_rate"] == pytest.approx(3 / 1000)
    assert article["gmv_per_post"] == 300.0  # over the post with a gmv
    short = out.iloc[2]
    assert short["open_rate"] == pytest.approx(330 / 500)
    assert short["click_rate"] == pytest.approx(20 / 200)  # the post without clicks is left out
    assert short["interaction_rate"] == pytest.approx(20 / 500)
    assert short["gmv_per_post"] == 75.0
    poster = out.iloc[1]
    assert np.isnan(poster["open_rate"]) and np.isnan(poster["opens"])  # no post of it has opens
    assert out["reference_open_rate"].tolist() == pytest.approx(
        [CONTENT_REFERENCE[("公众号", "文章")], np.nan, 0.68, np.nan], nan_ok=True)


def test_content_rates_by_channel_and_by_hour():
    by_channel = content_rates(posts_frame(), start=START, end=END, by="channel")
    assert by_channel.columns.tolist() == ["channel", *CONTENT_COLUMNS]
    assert by_channel["posts"].tolist() == [2, 3, 1]
    assert by_channel["open_rate"].tolist() == pytest.approx([0.2, 330 / 500, 0.2])
    by_hour = content_rates(posts_frame(), start=START, end=END, by="hour")
    assert by_hour["hour"].tolist() == [3, 8, 12, 20, 23]
    assert by_hour["posts"].tolist() == [1, 2, 1, 1, 1]
    assert by_hour["open_rate"].iloc[1] == pytest.approx(350 / 1200)
    assert by_hour["in_playbook_window"].tolist() == [False, True, True, True, False]
    both = content_rates(posts_frame(), start=START, end=END, by=("channel", "hour"))
    assert len(both) == 6 and "in_playbook_window" in both.columns
    for bad in ("day", ("channel", "channel"), ()):
        with pytest.raises(ValueError, match="by"):
            content_rates(posts_frame(), start=START, end=END, by=bad)
    empty = content_rates(posts_frame(), start="2026-01-01", end="2026-01-31")
    assert empty.empty and "open_rate" in empty.columns


def test_missing_optional_columns_give_nan():
    bare = posts_frame()[["channel", "posted_at", "reach"]]
    out = content_rates(bare, start=START, end=END)
    assert out["kind"].eq("—").all()
    assert out[["opens", "clicks", "gmv", "open_rate", "gmv_per_post"]].isna().all().all()
    assert out["reach"].tolist() == [1000.0, 600.0, 500.0]


def test_playbook_windows_come_from_timing():
    hours = np.arange(24)
    expected = [h for a, b in PLAYBOOK_WINDOWS for h in range(a, b)]
    assert hours[in_playbook_window(hours)].tolist() == expected == [7, 8, 12, 13, 20, 21]


def simulated_posts(rng: np.random.Generator, rates: dict[tuple[str, str, int], float],
                    n: int) -> pd.DataFrame:
    """``n`` posts of each (channel, kind, hour) with opens ~ Binomial(reach, rate)."""
    rows = []
    for (channel, kind, hour), rate in rates.items():
        reach = rng.poisson(800, n)
        day = rng.integers(0, 31, n)
        rows.append(pd.DataFrame({
            "channel": channel, "kind": kind, "reach": reach.astype(float),
            "opens": rng.binomial(reach, rate).astype(float),
            "posted_at": pd.Timestamp(START) + pd.to_timedelta(day * 24 + hour, unit="h")
            + pd.to_timedelta(rng.integers(0, 60, n), unit="min")}))
    return pd.concat(rows, ignore_index=True).astype({"channel": "str", "kind": "str"})


def test_planted_open_rates_are_recovered():
    rng = np.random.default_rng(17)
    rates = {("朋友圈", "短文案", 8): 0.68, ("公众号", "文章", 12): 0.22, ("视频号", "直播", 20): 0.41}
    out = content_rates(simulated_posts(rng, rates, 60), start=START, end=END)
    for (channel, kind, _), rate in rates.items():
        row = out[(out["channel"] == channel) & (out["kind"] == kind)].iloc[0]
        assert abs(row["open_rate"] - rate) < 3 * np.sqrt(rate * (1 - rate) / row["reach"])
        assert row["reference_open_rate"] == rate


def test_best_hours():
    rng = np.random.default_rng(4)
    rates = {("朋友圈", "短文案", h): 0.30 for h in range(6, 24)}
    rates |= {("朋友圈", "短文案", 8): 0.50, ("朋友圈", "短文案", 12): 0.45, ("朋友圈", "短文案", 21): 0.40}
    posts = simulated_posts(rng, rates, 10)
    top = best_hours(posts, start=START, end=END)
    assert top["hour"].tolist() == [8, 12, 21]
    assert top["in_playbook_window"].all()
    # an hour with a higher open rate but too few posts does not qualify
    extra = simulated_posts(rng, {("朋友圈", "短文案", 3): 0.9}, 4)
    both = pd.concat([posts, extra], ignore_index=True)
    assert best_hours(both, start=START, end=END, k=1)["hour"].tolist() == [8]
    assert best_hours(both, start=START, end=END, k=1, min_posts=4)["hour"].tolist() == [3]
    assert len(best_hours(posts, start=START, end=END, k=50)) == 18
    assert best_hours(posts, start=START, end=END, min_posts=11).empty
    with pytest.raises(ValueError, match="k"):
        best_hours(posts, start=START, end=END, k=-1)


def test_best_hours_ties_go_to_the_earlier_hour():
    posts = pd.DataFrame({"channel": "朋友圈", "reach": 100.0, "opens": 50.0,
                          "posted_at": pd.to_datetime(["2025-03-01 21:00", "2025-03-01 09:00",
                                                       "2025-03-01 15:00"])})
    assert best_hours(posts, start=START, end=END, k=2, min_posts=1)["hour"].tolist() == [9, 15]
