"""The 3 / 7 / 14-day SOP cadence (wxshop.analysis.private_domain.cadence): hand-counted stage
entries, touches and outcomes with every boundary, and stage entries against a plain loop on a
random store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis.private_domain.cadence import (
    SILENT_DAYS,
    STAGE_WINDOWS,
    cadence_outcomes,
    exclude_experiment,
    stage_entries,
    touched_within,
)
from wxshop.errors import DataError


def frame(rows: list[tuple], columns: list[str], times: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=columns)
    for c in times:
        out[c] = pd.to_datetime(out[c], format="mixed")
    return out.astype({c: "str" for c in columns if c not in times and out[c].dtype == object})


def entry_orders() -> pd.DataFrame:
    return frame([
        ("a", "2024-11-01 00:00", "paid"),  # new before the window; silent 2024-12-31: before it
        ("a", "2025-01-15 00:00", "paid"),  # active, 1 order in the 365 days before
        ("a", "2025-02-01 00:00", "refunded"),  # not paid: does not break a's silence
        ("a", "2025-03-16 10:00", "paid"),  # after 60 days + 10 h: silent on 2025-03-16 00:00
        ("a", "2025-05-15 10:00", "paid"),  # exactly 60 days later: not silent
        ("b", "2025-01-01 00:00", "paid"),  # new on the first day of the window
        ("c", "2025-06-30 23:00", "paid"),  # new on the last day
        ("c", "2025-07-02 00:00", "paid"),  # after the end: ignored (no active entry)
        ("d", "2025-05-01 00:00", "cancelled"),  # never paid: no entry
        ("e", "2024-03-01 00:00", "paid"),
        ("e", "2024-04-11 00:00", "paid"),  # exactly 365 days before e's silence: counted as prior
        ("e", "2025-02-10 00:00", "paid"),  # a third order: no stage; silent on 2025-04-11
    ], ["customer_id", "ordered_at", "status"], ("ordered_at",))


def test_stage_entries_by_hand():
    got = stage_entries(entry_orders(), start="2025-01-01", end="2025-06-30")
    assert list(got.columns) == ["customer_id", "stage", "entered_at", "prior_orders"]
    want = [
        ("b", "new", "2025-01-01 00:00", 0),
        ("a", "active", "2025-01-15 00:00", 1),
        ("b", "silent", "2025-03-02 00:00", 1),
        ("a", "silent", "2025-03-16 00:00", 2),
        ("e", "silent", "2025-04-11 00:00", 2),
        ("c", "new", "2025-06-30 23:00", 0),
    ]
    assert got["customer_id"].tolist() == [w[0] for w in want]
    assert got["stage"].tolist() == [w[1] for w in want]
    assert got["entered_at"].tolist() == [pd.Timestamp(w[2]) for w in want]
    assert got["prior_orders"].tolist() == [w[3] for w in want]


def test_stage_entries_silent_days_and_window():
    got = stage_entries(entry_orders(), start="2025-01-01", end="2025-06-30", silent_days=45)
    silent = got.loc[got["stage"] == "silent"]
    # a: 2025-01-15 + 45 d = 03-01 (next order 03-16), 03-16 10:00 + 45 d = 04-30 10:00, 05-15 10:00
    # + 45 d = 06-29 10:00; b: 02-15; e: 2025-03-27; c's would be in August
    assert sorted(zip(silent["customer_id"], silent["entered_at"].dt.strftime("%m-%d %H"), strict=True)) == [
        ("a", "03-01 00"), ("a", "04-30 10"), ("a", "06-29 10"), ("b", "02-15 00"), ("e", "03-27 00")]
    july = stage_entries(entry_orders(), start="2025-07-01", end="2025-07-31")
    assert july[["customer_id", "stage"]].values.tolist() == [["c", "active"], ["a", "silent"]]
    assert july["prior_orders"].tolist() == [1, 4]  # a: 2024-11-01 … 2025-05-15 (the refund left out)
    assert stage_entries(entry_orders(), start="2025-07-15", end="2025-08-30").empty
    with pytest.raises(ValueError, match="after end"):
        stage_entries(entry_orders(), start="2025-02-01", end="2025-01-01")
    with pytest.raises(ValueError, match="silent_days"):
        stage_entries(entry_orders(), start="2025-01-01", end="2025-06-30", silent_days=0)


def entries_by_loop(orders: pd.DataFrame, start: str, end: str, silent_days: int) -> set[tuple]:
    lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
    paid = orders[(orders["status"] == "paid") & (orders["ordered_at"] < hi)]
    out = set()
    for cid, g in paid.groupby("customer_id"):
        t = sorted(g["ordered_at"])
        found = [("new", t[0])] + ([("active", t[1])] if len(t) > 1 else [])
        for i, prev in enumerate(t):
            quiet = prev + pd.Timedelta(days=silent_days)
            if i + 1 == len(t) or t[i + 1] > quiet:
                found.append(("silent", quiet))
        for stage, at in found:
            if lo <= at < hi:
                mine = paid.loc[paid["customer_id"] == cid, "ordered_at"]
                prior = int(((mine >= at - pd.Timedelta(days=365)) & (mine < at)).sum())
                out.add((cid, stage, at, prior))
    return out


def test_stage_entries_match_a_loop_on_a_random_store():
    rng = np.random.default_rng(3)
    n = 1500
    orders = pd.DataFrame({
        "customer_id": rng.choice([f"u{i}" for i in range(150)], n),
        "ordered_at": pd.Timestamp("2024-06-01") + pd.to_timedelta(rng.integers(0, 500 * 24, n), unit="h"),
        "status": rng.choice(["paid"] * 5 + ["refunded"], n),
    }).astype({"customer_id": "str", "status": "str"})
    got = stage_entries(orders, start="2025-01-01", end="2025-08-31", silent_days=30)
    want = entries_by_loop(orders, "2025-01-01", "2025-08-31", 30)
    assert len(want) > 100 and {s for _, s, _, _ in want} == {"new", "active", "silent"}
    rows = zip(got["customer_id"], got["stage"], got["entered_at"], got["prior_orders"], strict=True)
    assert set(rows) == want
    assert len(got) == len(want)
    assert got["entered_at"].is_monotonic_increasing


def hand_touches() -> pd.DataFrame:
    return frame([
        ("b", "2025-01-01 00:00", "1v1"),  # at entered_at: not after it
        ("b", "2025-01-04 00:00", "1v1"),  # exactly 3 days after: inside, day 3
        ("a", "2025-01-16 00:00", "群发"),  # a mass message: not a 1v1
        ("a", "2025-01-22 00:00:01", "1v1"),  # 7 days + 1 s: outside the active window
        ("b", "2025-03-02 12:00", "1v1"),  # silent b, day 1
        ("a", "2025-03-29 00:00", "1v1"),
        ("a", "2025-03-20 06:00", "1v1"),  # silent a: first touch 4 d 6 h after, day 5
        ("c", "2025-07-01 00:00", "1v1"),  # an hour after c's entry: day 1
    ], ["customer_id", "ts", "kind"], ("ts",))


def test_touched_within_by_hand():
    entries = stage_entries(entry_orders(), start="2025-01-01", end="2025-06-30")
    got = touched_within(entries, hand_touches())
    assert got[["customer_id", "stage"]].equals(entries[["customer_id", "stage"]])
    assert got["touched"].tolist() == [True, False, True, True, False, True]
    assert got["touched_day"].tolist()[0] == 3.0 and np.isnan(got["touched_day"].iloc[1])
    assert got["touched_day"].tolist()[2:4] == [1.0, 5.0] and got["touched_day"].iloc[5] == 1.0
    both = touched_within(entries, hand_touches(), kinds=("1v1", "群发"))
    assert both["touched"].iloc[1] and both["touched_day"].iloc[1] == 1.0  # the 群发 the next day
    wide = touched_within(entries, hand_touches(), windows={"new": 3, "active": 8, "silent": 14})
    assert wide["touched_day"].iloc[1] == 8.0  # 7 days + 1 s, rounded up


def test_touched_within_errors():
    entries = stage_entries(entry_orders(), start="2025-01-01", end="2025-06-30")
    with pytest.raises(ValueError, match="no window"):
        touched_within(entries, hand_touches(), windows={"new": 3, "active": 7})
    with pytest.raises(ValueError, match="kinds"):
        touched_within(entries, hand_touches(), kinds=("phone",))
    with pytest.raises(KeyError, match="kind"):
        touched_within(entries, hand_touches().drop(columns="kind"))
    assert STAGE_WINDOWS == {"new": 3, "active": 7, "silent": 14} and SILENT_DAYS == 60


def outcome_entries() -> pd.DataFrame:
    out = frame([
        ("x", "new", "2025-01-01 10:00", True, 1.0),
        ("y", "new", "2025-01-05 00:00", True, 3.0),
        ("z", "new", "2025-01-07 00:00", False, None),
        ("w", "new", "2025-03-02 00:00", False, None),  # the last complete instant for 30 days
        ("v", "new", "2025-03-02 00:00:01", False, None),  # incomplete for 30 days
        ("x", "active", "2025-01-10 00:00", True, 6.0),
        ("u", "silent", "2025-02-01 00:00", False, None),
        ("t", "silent", "2025-02-01 00:00", True, 10.0),
    ], ["customer_id", "stage", "entered_at", "touched", "touched_day"], ("entered_at",))
    return out.astype({"touched_day": float})


def outcome_orders() -> pd.DataFrame:
    return frame([
        ("x", "2025-01-01 10:00", "paid"),  # x's entry order: not an outcome
        ("x", "2025-01-10 00:00", "paid"),  # x new: bought within 14 and 30
        ("x", "2025-02-20 00:00", "paid"),  # x active: 41 days later, neither
        ("y", "2025-01-05 00:00", "paid"),
        ("y", "2025-02-04 00:00", "paid"),  # exactly 30 days: within 30, not 14
        ("z", "2025-01-07 00:00", "paid"),
        ("z", "2025-01-08 00:00", "refunded"),
        ("w", "2025-03-10 00:00", "paid"),
        ("v", "2025-03-03 00:00", "paid"),
        ("u", "2025-02-14 00:00", "paid"),
        ("t", "2025-03-01 00:00", "paid"),  # 28 days: within 30 only
        ("t", "2025-04-01 00:00", "paid"),  # after the end
    ], ["customer_id", "ordered_at", "status"], ("ordered_at",))


def test_cadence_outcomes_by_hand():
    got = cadence_outcomes(outcome_entries(), outcome_orders(), end="2025-03-31")
    assert got.index.tolist() == ["new", "active", "silent", "all"] and got.index.name == "stage"
    assert got.columns.tolist() == [
        "entrants", "touched", "not_touched", "touched_share",
        "touched_by_3", "touched_by_7", "touched_by_14",
        "buyers_14_touched", "buyers_14_not", "bought_14_touched", "bought_14_not",
        "buyers_30_touched", "buyers_30_not", "bought_30_touched", "bought_30_not"]
    counts = ["entrants", "touched", "not_touched", "buyers_14_touched", "buyers_14_not", "buyers_30_touched",
              "buyers_30_not"]
    assert got.loc["new", counts].tolist() == [4, 2, 2, 1, 1, 2, 1]
    assert got.loc["active", counts].tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert got.loc["silent", counts].tolist() == [2, 1, 1, 0, 1, 1, 1]
    assert got.loc["all", counts].tolist() == [7, 4, 3, 1, 2, 3, 2]
    shares = ["touched_share", "touched_by_3", "touched_by_7", "touched_by_14", "bought_14_touched",
              "bought_14_not", "bought_30_touched", "bought_30_not"]
    assert got.loc["new", shares].tolist() == [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5]
    assert got.loc["silent", shares].tolist() == [0.5, 0.0, 0.0, 0.5, 0.0, 1.0, 1.0, 1.0]
    active = got.loc["active", shares]
    assert active.tolist()[:5] == [1.0, 0.0, 1.0, 1.0, 0.0] and np.isnan(active["bought_14_not"])
    want = [4 / 7, 2 / 7, 3 / 7, 4 / 7, 1 / 4, 2 / 3, 3 / 4, 2 / 3]
    assert got.loc["all", shares].tolist() == pytest.approx(want)


def test_cadence_outcomes_window_choice():
    got = cadence_outcomes(outcome_entries(), outcome_orders(), end="2025-03-31", outcome_days=(14,))
    assert got.loc["new", "entrants"] == 5  # v is complete for 14 days
    assert got.loc["new", "buyers_14_not"] == 2  # w and v
    assert "bought_30_not" not in got.columns
    with pytest.raises(ValueError, match="distinct"):
        cadence_outcomes(outcome_entries(), outcome_orders(), end="2025-03-31", outcome_days=(14, 14))
    with pytest.raises(KeyError, match="touched_within"):
        cadence_outcomes(outcome_entries().drop(columns="touched"), outcome_orders(), end="2025-03-31")
    empty = cadence_outcomes(outcome_entries(), outcome_orders(), end="2025-01-10")
    assert (empty["entrants"] == 0).all() and empty["touched_share"].isna().all()


def test_the_pipeline_by_hand():
    entries = touched_within(stage_entries(entry_orders(), start="2025-01-01", end="2025-06-30"),
                             hand_touches())
    got = cadence_outcomes(entries, entry_orders(), end="2025-06-30", outcome_days=(30,))
    # complete (entered by 2025-05-31 00:00): b new, a active, b silent, a silent, e silent
    assert got.loc["all", ["entrants", "touched", "not_touched"]].tolist() == [5, 3, 2]
    # a silent (03-16) bought at 03-16 10:00; a active (01-15) had only a refund within 30 days
    assert got.loc["silent", ["buyers_30_touched", "buyers_30_not"]].tolist() == [1, 0]
    assert got.loc["active", ["buyers_30_touched", "buyers_30_not"]].tolist() == [0, 0]


def test_exclude_experiment():
    entries = outcome_entries()
    experiments = pd.DataFrame({"experiment_id": ["sop", "sop", "sop", "other"],
                                "customer_id": ["x", "t", "nobody", "y"]}).astype("str")
    got = exclude_experiment(entries, experiments, "sop")
    assert got["customer_id"].tolist() == ["y", "z", "w", "v", "u"]
    assert got.index.tolist() == list(range(5))
    with pytest.raises(DataError, match="'nope' not found.*other, sop"):
        exclude_experiment(entries, experiments, "nope")
