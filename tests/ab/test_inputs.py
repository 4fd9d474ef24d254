"""The ways in that do not start from a store: a per-user outcomes file and per-arm counts typed
into the parameters; errors name the file, arm, key or column."""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

import numpy as np
import pytest

from wxshop.ab.inputs import arms_from_summary, read_user_outcomes
from wxshop.ab.stats import ArmStats, arm_stats_from_counts
from wxshop.errors import DataError, ParamsError

TIGHT = 1e-9

# Dashboard counts, easy to follow by hand: conversion 10 % vs 13 %, revenue per user ¥10 vs ¥13,
# orders per user 0.120 vs 0.156.
COUNTS = {
    "control": {
        "users": 1000,
        "conversions": 100,
        "revenue_sum": 10_000.0,
        "revenue_sumsq": 2_000_000.0,
        "orders_sum": 120,
        "orders_sumsq": 160,
    },
    "treatment": {
        "users": 1000,
        "conversions": 130,
        "revenue_sum": 13_000.0,
        "revenue_sumsq": 2_600_000.0,
        "orders_sum": 156,
        "orders_sumsq": 208,
    },
}


def test_read_user_outcomes_from_csv(tmp_path):
    f = tmp_path / "outcomes.csv"
    f.write_text("variant,orders,revenue,pre_revenue\ncontrol,0,0,5\ntreatment,2,30.5,0\n",
                 encoding="utf-8-sig")
    users = read_user_outcomes(f)
    assert list(users["variant"]) == ["control", "treatment"]
    assert list(users["converted"]) == [False, True]
    assert list(users["revenue"]) == [0.0, 30.5]


@pytest.mark.parametrize("text, match", [
    ("arm,orders\nc,1\n", "'variant' is missing"),
    ("variant,revenue\nc,1\n", "'converted' or an 'orders'"),
    ("variant,orders,revenue\nc,1,¥3\nt,0,x\n", "'revenue' has values that are not numbers \\(rows 2, 3\\)"),
])
def test_read_user_outcomes_errors_name_file_and_column(tmp_path, text, match):
    f = tmp_path / "o.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=match) as err:
        read_user_outcomes(f)
    assert "o.csv" in str(err.value)


def _assert_same_arm(got: ArmStats, expected: ArmStats) -> None:
    for f in fields(ArmStats):
        a, b = getattr(got, f.name), getattr(expected, f.name)
        if isinstance(b, float) and math.isnan(b):
            assert isinstance(a, float) and math.isnan(a), f.name
        else:
            assert a == b and type(a) is type(b), f.name


def test_arms_from_summary_equals_arm_stats_from_counts() -> None:
    arms = arms_from_summary(COUNTS)
    assert list(arms) == ["control", "treatment"]
    for name, counts in COUNTS.items():
        users, conversions = counts["users"], counts["conversions"]
        sums = {k: val for k, val in counts.items() if k not in ("users", "conversions")}
        _assert_same_arm(arms[name], arm_stats_from_counts(name, users, conversions, **sums))
    assert arms["treatment"].mean("orders_per_user") == pytest.approx(0.156, abs=TIGHT)


def test_arms_from_summary_optional_sums() -> None:
    """Only users and conversions are required; a pair of sums may be given alone; whole-number
    floats and numpy integers are accepted and stored as int."""
    arms = arms_from_summary(
        {
            "control": {"users": 1000.0, "conversions": np.int64(100)},
            "b": {"users": 900, "conversions": 95, "revenue_sum": 900.0, "revenue_sumsq": 90_000},
        }
    )
    _assert_same_arm(arms["control"], arm_stats_from_counts("control", 1000, 100))
    expected_b = arm_stats_from_counts("b", 900, 95, revenue_sum=900.0, revenue_sumsq=90_000.0)
    _assert_same_arm(arms["b"], expected_b)
    assert arms["control"].n == 1000 and type(arms["control"].n) is int
    assert not arms["control"].has("revenue_per_user") and not arms["b"].has("orders_per_user")
    assert arms["b"].has("revenue_per_user")


_OK = {"users": 1000, "conversions": 100}


@pytest.mark.parametrize(
    ("summary", "fragments"),
    [
        ({"control": _OK}, ["at least two arms"]),
        ([_OK, _OK], ["at least two arms"]),
        ({"control": _OK, "b": 500}, ["summary.b", "expected a mapping"]),
        ({"control": _OK, "b": {**_OK, "visitors": 5}}, ["summary.b", "unknown key", "visitors"]),
        ({"control": _OK, "b": {"conversions": 5}}, ["summary.b", "'users' is required"]),
        ({"control": _OK, "b": {"users": 50}}, ["summary.b", "'conversions' is required"]),
        ({"control": _OK, "b": {**_OK, "users": -5}}, ["summary.b.users", "number >= 0"]),
        ({"control": _OK, "b": {**_OK, "conversions": "many"}}, ["summary.b.conversions", "'many'"]),
        ({"control": _OK, "b": {**_OK, "conversions": [3]}}, ["summary.b.conversions", "number"]),
        ({"control": _OK, "b": {**_OK, "conversions": math.nan}}, ["summary.b.conversions", "number"]),
        ({"control": _OK, "b": {**_OK, "users": True}}, ["summary.b.users", "True"]),
        ({"control": {**_OK, "conversions": False}, "b": _OK}, ["summary.control.conversions", "False"]),
        ({"control": _OK, "b": {**_OK, "users": 1000.5}}, ["summary.b.users", "whole number", "1000.5"]),
        ({"control": _OK, "b": {**_OK, "conversions": 9.5}}, ["summary.b.conversions", "whole number"]),
        ({"control": _OK, "b": {"users": 100, "conversions": 150}}, ["arm 'b'", "conversions <= users"]),
        ({"control": _OK, "b": {"users": 0, "conversions": 0}}, ["arm 'b'", "users >= 1"]),
        (
            {"control": _OK, "b": {**_OK, "revenue_sum": 100.0}},
            ["summary.b", "revenue_sum and revenue_sumsq"],
        ),
        (
            {"control": {**_OK, "orders_sumsq": 10}, "b": _OK},
            ["summary.control", "orders_sum and orders_sumsq"],
        ),
        # Σ r² must be ≥ (Σ r)²/n: 100²/1000 = 10 > 9
        (
            {"control": _OK, "b": {**_OK, "revenue_sum": 100.0, "revenue_sumsq": 9.0}},
            ["arm 'b'", "revenue sum of squares"],
        ),
    ],
)
def test_arms_from_summary_errors_name_arm_and_key(summary: Any, fragments: list[str]) -> None:
    with pytest.raises(ParamsError) as err:
        arms_from_summary(summary)
    for fragment in fragments:
        assert fragment in str(err.value)


def test_arms_from_summary_error_uses_where() -> None:
    with pytest.raises(ParamsError, match=r"^params\.summary\.b\.users: "):
        arms_from_summary({"control": _OK, "b": {"users": -1, "conversions": 0}}, where="params.summary")


def test_summary_numbers_written_as_text_are_refused() -> None:
    """A quoted number in YAML ("5000") is a typo to fix, not a value to guess."""
    with pytest.raises(ParamsError, match=r"summary\.control\.users"):
        arms_from_summary(
            {"control": {"users": "5000", "conversions": 10}, "treatment": {"users": 5000, "conversions": 12}}
        )
