"""Per-user experiment outcomes: hand-computed fixtures and the demo store's planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from wxshop import demo
from wxshop.ab.daily_counts import daily_counts
from wxshop.ab.outcomes import (
    ExperimentUsers,
    experiment_ids,
    planned_split,
    user_outcomes,
)
from wxshop.data.load import load_store
from wxshop.errors import DataError, ParamsError

TS = pd.to_datetime


def _experiments() -> pd.DataFrame:
    """e1: A control, B treatment, C in both (excluded), D twice in treatment, E control late."""
    rows = [
        ("e1", "A", "control", "2024-01-10 12:00:00"),
        ("e1", "B", "treatment", "2024-01-10 00:00:00"),
        ("e1", "C", "control", "2024-01-11 08:00:00"),
        ("e1", "C", "treatment", "2024-01-12 08:00:00"),
        ("e1", "D", "treatment", "2024-01-13 09:00:00"),
        ("e1", "D", "treatment", "2024-01-12 09:00:00"),  # the earlier row is the assignment
        ("e1", "E", "control", "2024-01-20 00:00:00"),
        ("e2", "A", "x", "2024-01-01 00:00:00"),  # another experiment: must not leak in
        ("e2", "Z", "y", "2024-01-01 00:00:00"),
    ]
    df = pd.DataFrame(rows, columns=["experiment_id", "customer_id", "variant", "assigned_at"])
    return df.assign(assigned_at=TS(df["assigned_at"]))


def _orders() -> pd.DataFrame:
    rows = [
        # A, assigned 2024-01-10 12:00
        ("A", "2024-01-10 12:00:00", 10.0, "paid"),  # exactly at assignment: in the window
        ("A", "2024-01-24 11:59:59", 5.5, "paid"),  # last second of the window
        ("A", "2024-01-24 12:00:00", 20.0, "paid"),  # exactly at the window end: out
        ("A", "2024-01-15 10:00:00", 100.0, "refunded"),
        ("A", "2024-01-10 11:59:59", 4.0, "cancelled"),  # pre-period, not paid
        ("A", "2023-12-13 12:00:00", 7.0, "paid"),  # exactly 28 days before: pre-period
        ("A", "2023-12-13 11:59:59", 3.0, "paid"),  # before the pre-period
        # B, assigned 2024-01-10 00:00: never paid
        ("B", "2024-01-05 00:00:00", 50.0, "refunded"),
        ("B", "2024-01-12 00:00:00", 30.0, "cancelled"),
        # C is in two variants
        ("C", "2024-01-13 00:00:00", 99.0, "paid"),
        # D, assigned 2024-01-12 09:00 (first of two rows)
        ("D", "2024-01-01 00:00:00", 1.0, "paid"),
        ("D", "2024-01-13 10:00:00", 8.0, "paid"),
        ("D", "2024-01-26 08:59:59", 12.25, "paid"),
        # Z is not in e1; its order is the last one in the data
        ("Z", "2024-02-01 10:00:00", 60.0, "paid"),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    df.insert(0, "order_id", [f"O{i:02d}" for i in range(len(df))])
    return df.assign(ordered_at=TS(df["ordered_at"]))


def _customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A", "B", "E", "Z"],
            "city_tier": ["一线", None, "  ", "二线"],
            "acquisition_channel": ["社群", "小程序", "朋友圈", "公众号"],
            "registered_at": TS(["2023-01-01"] * 4),
        }
    )


def _users(**cols) -> pd.DataFrame:
    base = {
        "customer_id": pd.Series(["A", "B", "D", "E"], dtype="str"),
        "variant": pd.Series(["control", "treatment", "treatment", "control"], dtype="str"),
        "assigned_at": TS(
            ["2024-01-10 12:00:00", "2024-01-10 00:00:00", "2024-01-12 09:00:00", "2024-01-20 00:00:00"]
        ),
    }
    frame = pd.DataFrame(base | cols)
    frame["assigned_at"] = frame["assigned_at"].astype(_experiments()["assigned_at"].dtype)
    return frame


# ============================================================================ hand fixtures


def test_experiment_ids():
    assert experiment_ids(_experiments()) == ["e1", "e2"]


def test_user_outcomes_paid_only():
    res = user_outcomes(_experiments(), _orders(), "e1")
    expected = _users(
        converted=[True, False, True, False],
        orders=np.array([2, 0, 2, 0], np.int64),
        revenue=[15.5, 0.0, 20.25, 0.0],
        pre_orders=np.array([1, 0, 1, 0], np.int64),
        pre_revenue=[7.0, 0.0, 1.0, 0.0],
        is_new=[False, True, False, True],
    )
    assert_frame_equal(res.users, expected)
    assert isinstance(res, ExperimentUsers)
    assert res.experiment_id == "e1"
    assert res.variants == ["control", "treatment"]
    assert res.multi_variant == 1  # C
    assert res.window == (pd.Timestamp("2024-01-10 00:00"), pd.Timestamp("2024-02-03 00:00"))
    assert res.data_end == pd.Timestamp("2024-02-01 10:00")
    assert res.incomplete_windows == 1  # E: its window ends 2024-02-03, after the last order
    assert (res.window_days, res.pre_days, res.paid_only) == (14, 28, True)


def test_user_outcomes_all_statuses():
    res = user_outcomes(_experiments(), _orders(), "e1", paid_only=False)
    expected = _users(
        converted=[True, True, True, False],
        orders=np.array([3, 1, 2, 0], np.int64),
        revenue=[115.5, 30.0, 20.25, 0.0],
        pre_orders=np.array([2, 1, 1, 0], np.int64),
        pre_revenue=[11.0, 50.0, 1.0, 0.0],
        is_new=[False, True, False, True],  # B's refunded order does not make B a buyer
    )
    assert_frame_equal(res.users, expected)


def test_no_status_column_counts_every_order():
    with_status = user_outcomes(_experiments(), _orders(), "e1", paid_only=False)
    without = user_outcomes(_experiments(), _orders().drop(columns="status"), "e1")
    assert_frame_equal(
        without.users.drop(columns="is_new"), with_status.users.drop(columns="is_new")
    )
    assert without.users["is_new"].tolist() == [False, False, False, True]


def test_window_and_pre_days():
    res = user_outcomes(_experiments(), _orders(), "e1", window_days=1, pre_days=0)
    assert res.users["orders"].tolist() == [1, 0, 0, 0]  # A's order at 12:00; D's at +25 h is out
    assert res.users["revenue"].tolist() == [10.0, 0.0, 0.0, 0.0]
    assert res.users["pre_orders"].tolist() == [0, 0, 0, 0]
    assert res.users["pre_revenue"].tolist() == [0.0] * 4
    assert res.window == (pd.Timestamp("2024-01-10 00:00"), pd.Timestamp("2024-01-21 00:00"))
    assert res.incomplete_windows == 0


def test_customers_add_segments():
    res = user_outcomes(_experiments(), _orders(), "e1", customers=_customers())
    assert res.users["city_tier"].tolist() == ["一线", "unknown", "unknown", "unknown"]
    assert res.users["acquisition_channel"].tolist() == ["社群", "小程序", "unknown", "朋友圈"]
    assert str(res.users["city_tier"].dtype) == "str"
    bare = user_outcomes(_experiments(), _orders(), "e1", customers=_customers()[["customer_id"]])
    assert bare.users["city_tier"].tolist() == ["unknown"] * 4
    assert list(bare.users.columns[-2:]) == ["city_tier", "acquisition_channel"]


def test_to_frame_per_variant():
    res = user_outcomes(_experiments(), _orders(), "e1")
    expected = pd.DataFrame(
        {
            "variant": pd.Series(["control", "treatment"], dtype="str"),
            "users": np.array([2, 2], np.int64),
            "share": [0.5, 0.5],
            "conversions": np.array([1, 1], np.int64),
            "conversion": [0.5, 0.5],
            "orders": np.array([2, 2], np.int64),
            "orders_per_user": [1.0, 1.0],
            "revenue": [15.5, 20.25],
            "revenue_per_user": [7.75, 10.125],
            "pre_revenue_per_user": [3.5, 0.5],
        }
    )
    assert_frame_equal(res.to_frame(), expected)


def test_variant_with_only_multi_variant_users_is_listed_empty():
    exp = _experiments()
    exp.loc[(exp["customer_id"] == "C") & (exp["variant"] == "treatment"), "variant"] = "treatment_b"
    res = user_outcomes(exp, _orders(), "e1")
    assert res.variants == ["control", "treatment", "treatment_b"]
    frame = res.to_frame().set_index("variant")
    assert frame.loc["treatment_b", "users"] == 0
    assert np.isnan(frame.loc["treatment_b", "conversion"])


def test_without_control_variants_are_sorted():
    res = user_outcomes(_experiments(), _orders(), "e2")
    assert res.variants == ["x", "y"]
    assert res.users["customer_id"].tolist() == ["A", "Z"]
    assert res.multi_variant == 0


@pytest.mark.parametrize(
    ("last_order", "incomplete"), [("2024-02-03 00:00:00", 0), ("2024-02-02 23:59:59", 1)]
)
def test_incomplete_window_edge(last_order, incomplete):
    orders = _orders()
    orders.loc[orders["customer_id"] == "Z", "ordered_at"] = pd.Timestamp(last_order)
    res = user_outcomes(_experiments(), orders, "e1")  # E's window ends 2024-02-03 00:00
    assert res.incomplete_windows == incomplete


def test_no_orders_means_every_window_incomplete():
    res = user_outcomes(_experiments(), _orders().iloc[0:0], "e1")
    assert pd.isna(res.data_end)
    assert res.incomplete_windows == 4
    assert res.users["orders"].sum() == 0
    assert res.users["is_new"].all()


# ================================================================================== errors


def test_unknown_experiment_lists_the_ids():
    with pytest.raises(DataError, match=r"'nope' not found .*e1, e2") as info:
        user_outcomes(_experiments(), _orders(), "nope")
    assert (info.value.file, info.value.column) == ("experiments", "experiment_id")
    assert "Fix: set experiment_id to one of the ids in the table: e1, e2." in str(info.value)


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("experiments", "variant"),
        ("experiments", "assigned_at"),
        ("orders", "amount"),
        ("orders", "ordered_at"),
        ("customers", "customer_id"),
    ],
)
def test_missing_column_names_table_column_and_fix(table, column):
    frames = {"experiments": _experiments(), "orders": _orders(), "customers": _customers()}
    frames[table] = frames[table].drop(columns=column)
    with pytest.raises(DataError, match=f"{table}: column '{column}' missing") as info:
        user_outcomes(frames["experiments"], frames["orders"], "e1", customers=frames["customers"])
    assert (info.value.file, info.value.column) == (table, column)
    assert "Fix: add the" in str(info.value)


def test_no_experiments_table():
    with pytest.raises(DataError, match="no experiments table") as info:
        user_outcomes(None, _orders(), "e1")  # type: ignore[arg-type]
    assert info.value.file == "experiments"


def test_blank_assignment_time_is_an_error():
    exp = _experiments()
    exp.loc[1, "assigned_at"] = pd.NaT
    with pytest.raises(DataError, match="1 row.* no assigned_at") as info:
        user_outcomes(exp, _orders(), "e1")
    assert info.value.column == "assigned_at"


def test_missing_amount_is_an_error():
    orders = _orders()
    orders.loc[0, "amount"] = np.nan
    with pytest.raises(DataError, match="no amount") as info:
        user_outcomes(_experiments(), orders, "e1")
    assert (info.value.file, info.value.column) == ("orders", "amount")


@pytest.mark.parametrize(("kw", "value"), [("window_days", 0), ("window_days", 1.5), ("pre_days", -1)])
def test_bad_days(kw, value):
    with pytest.raises(ValueError, match=kw):
        user_outcomes(_experiments(), _orders(), "e1", **{kw: value})


# ============================================================================ planned split


def test_planned_split_default_is_equal():
    assert planned_split(["control", "treatment"]) == {"control": 0.5, "treatment": 0.5}
    thirds = planned_split(["control", "t1", "t2"])
    assert thirds == {"control": 1 / 3, "t1": 1 / 3, "t2": 1 / 3}


def test_planned_split_given():
    split = planned_split(["control", "treatment"], {"treatment": 0.25, "control": 0.75})
    assert list(split.items()) == [("control", 0.75), ("treatment", 0.25)]
    assert planned_split(["a", "b", "c"], [0.2, 0.3, 0.5]) == {"a": 0.2, "b": 0.3, "c": 0.5}
    assert planned_split(["a", "b", "c"], {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})["c"] == 1 / 3


@pytest.mark.parametrize(
    ("split", "message"),
    [
        ({"control": 0.5, "treat": 0.5}, r"missing \['treatment'\]; not a variant \['treat'\]"),
        ({"control": 0.5, "treatment": 0.6}, "sum to 1.1, not 1"),
        ({"control": 50, "treatment": 50}, "not 1. Give shares 0–1"),
        ({"control": 1.0, "treatment": 0.0}, "'treatment' must be a number > 0"),
        ({"control": 0.5, "treatment": "half"}, "'treatment' must be a number > 0"),
        ([0.5, 0.25, 0.25], "3 share"),
    ],
)
def test_planned_split_errors(split, message):
    with pytest.raises(ParamsError, match=message):
        planned_split(["control", "treatment"], split)


def test_planned_split_tolerance():
    planned_split(["a", "b"], [0.5 + 5e-10, 0.5])
    with pytest.raises(ParamsError):
        planned_split(["a", "b"], [0.5 + 5e-9, 0.5])


# ============================================================================= daily counts


def test_daily_counts_from_user_outcomes_and_empty():
    res = user_outcomes(_experiments(), _orders(), "e1")
    daily = daily_counts(res.users)
    assert daily["day"].max() == 11  # 2024-01-10 .. 2024-01-20
    last = daily.groupby("variant").tail(1).set_index("variant")
    totals = res.to_frame().set_index("variant")
    assert (last["users"] == totals["users"]).all()
    assert (last["conversions"] == totals["conversions"]).all()
    assert np.allclose(last["revenue_sum"], totals["revenue"], rtol=0, atol=1e-12)
    empty = daily_counts(res.users.iloc[0:0])
    assert empty.empty and list(empty.columns) == list(daily.columns)


# ========================================================================== demo truth


N = 10_000  # customers; about 600 users per experiment, a second to build
SEED = 7


@pytest.fixture(scope="module")
def store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(N, SEED, store_id="t")


def test_demo_truth_is_reproduced_exactly(store):
    tables, truth = store
    planted = truth["experiments"]
    assert experiment_ids(tables["experiments"]) == sorted([*planted, "sop_holdout"])  # + the touch holdout
    for exp_id, t in planted.items():
        res = user_outcomes(tables["experiments"], tables["orders"], exp_id, customers=tables["customers"])
        assert res.variants == t["variants"], exp_id
        assert res.multi_variant == t["customers_in_multiple_variants"] > 0, exp_id
        assert res.window_days == t["window_days"]
        assert res.incomplete_windows == 0
        frame = res.to_frame().set_index("variant")
        for arm, real in t["realised"].items():
            assert frame.loc[arm, "users"] == real["users"], (exp_id, arm)
            for metric in ("conversion", "orders_per_user", "revenue_per_user"):
                assert frame.loc[arm, metric] == pytest.approx(real[metric], rel=0, abs=1e-9), (
                    exp_id, arm, metric
                )
        # the planted assignment counts hold the multi-variant users' extra rows
        rows = tables["experiments"].query("experiment_id == @exp_id")
        assert len(rows) == len(res.users) + 2 * res.multi_variant
        assert planned_split(res.variants, t["planned_split"]) == t["planned_split"]
        assert (res.users["city_tier"] != "unknown").all()


def test_demo_through_the_loader_matches(store, tmp_path):
    tables, truth = store
    folder = demo.write_store(tables, truth, tmp_path / "t")
    loaded = load_store(folder, tables=["orders", "experiments"])
    exp_id = "exp_coupon"
    direct = user_outcomes(tables["experiments"], tables["orders"], exp_id).users
    via = user_outcomes(loaded.experiments, loaded.orders, exp_id).users
    assert_frame_equal(via, direct, check_dtype=False)


def test_segments_are_stripped_and_a_repeated_customer_reads_its_first_row():
    customers = pd.concat([_customers(), _customers().iloc[[0]].assign(city_tier="三线")], ignore_index=True)
    customers.loc[3, "city_tier"] = " 二线 "
    customers.loc[1, "customer_id"] = "Z"  # B is absent now; Z is listed twice (rows 1 and 3)
    res = user_outcomes(_experiments(), _orders(), "e1", customers=customers)
    first = dict(zip(res.users["customer_id"], res.users["city_tier"], strict=True))
    assert first["A"] == "一线"  # the first of A's two rows
    assert first["B"] == "unknown"
