"""The demo store API (wxshop.demo.store): deterministic, follows the schema, writes what it
made and refuses bad arguments."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from demo_shared_store import shared_store
from pandas.testing import assert_frame_equal

from wxshop import demo
from wxshop.data import schema


@pytest.fixture(scope="module")
def store() -> tuple[dict[str, pd.DataFrame], dict]:
    return shared_store()


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return shared_store()[0]


@pytest.fixture(scope="module")
def truth() -> dict:
    return shared_store()[1]


# ----------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_store():
    a_tables, a_truth = demo.generate_store(1500, 11)
    b_tables, b_truth = demo.generate_store(1500, 11)
    assert a_tables.keys() == b_tables.keys()
    for name in a_tables:
        assert_frame_equal(a_tables[name], b_tables[name])
    assert json.dumps(demo.truth_for_json(a_truth)) == json.dumps(demo.truth_for_json(b_truth))
    assert_frame_equal(a_truth["_customers"], b_truth["_customers"])


def test_other_seed_gives_other_store(tables, truth):
    other, _ = demo.generate_store(len(tables["customers"]), truth["seed"] + 1)
    assert not other["orders"]["amount"].equals(tables["orders"]["amount"])
    assert not other["customers"]["phone"].equals(tables["customers"]["phone"])


# ---------------------------------------------------------------------------------- schema


# every table of the contract, the private domain's (企业微信) included
DEMO_TABLES = dict(schema.TABLES)
# times that are empty where nothing happened: no refund, a group still running, a contact or a
# member who stayed, a customer group never dismissed
OPEN_TIMES = ("refunded_at", "closed_at", "deleted_at", "left_at", "dismissed_at")


def test_every_table_has_every_schema_column(tables):
    assert set(tables) == set(DEMO_TABLES)
    for name, spec in DEMO_TABLES.items():
        # order lines carry no item_name: the demo's products table names every SKU; coupons,
        # distribution commissions and the 拼团 an order joined are not planted on orders yet
        missing = set(spec.columns) - set(tables[name].columns) - {
            "item_name", "coupon_amount", "commission", "group_buy_id"}
        assert not missing, f"{name} lacks {missing}"
        assert len(tables[name]) > 0, name


def test_column_types_keys_and_values(tables):
    for name, spec in DEMO_TABLES.items():
        df = tables[name]
        has = [c for c in spec.columns if c in df.columns]  # the columns the demo plants
        for col in (c for c in spec.timestamps if c in has):
            assert df[col].dtype == "datetime64[s]", (name, col)
            # a refund time only for refunds; a group that is still running has not closed
            assert df[col].notna().all() or col in OPEN_TIMES, (name, col)
        for col in (c for c in spec.numeric if c in has):
            assert pd.api.types.is_numeric_dtype(df[col]), (name, col)
        for col in (c for c in spec.ids if c in has):
            assert pd.api.types.is_string_dtype(df[col]), (name, col)
        for col in (c for c in spec.nonnegative if c in has):  # missing where it does not apply
            assert (df[col].dropna() >= 0).all() and df[col].notna().any(), (name, col)
        if spec.key:
            assert not df.duplicated(list(spec.key)).any(), name
        for col, allowed in spec.choices.items():
            assert set(df[col].unique()) <= set(allowed), (name, col)
    assert pd.api.types.is_integer_dtype(tables["order_items"]["quantity"])
    assert (tables["order_items"]["quantity"] >= 1).all()
    assert pd.api.types.is_integer_dtype(tables["customers"]["birth_year"])


def test_ids_look_like_ids(tables):
    # the shop's orders, and T… for the orders the private domain's SOP touches brought
    assert tables["orders"]["order_id"].str.fullmatch(r"O\d{9}|T\d{7}").all()
    assert tables["orders"]["order_id"].str.startswith("O").mean() > 0.98
    assert tables["customers"]["customer_id"].str.fullmatch(r"C\d{7}").all()
    assert tables["products"]["sku_id"].str.fullmatch(r"SKU\d{4}").all()


def test_tables_reference_each_other(tables):
    orders, items = tables["orders"], tables["order_items"]
    customers = set(tables["customers"]["customer_id"])
    assert set(items["order_id"]) == set(orders["order_id"])  # no order without lines
    assert set(items["sku_id"]) <= set(tables["products"]["sku_id"])
    assert set(orders["customer_id"]) == customers  # every customer bought
    assert set(tables["experiments"]["customer_id"]) <= customers
    assert set(tables["events"]["customer_id"]) <= customers
    assert set(tables["events"]["sku_id"].dropna()) <= set(tables["products"]["sku_id"])  # visits: none
    assert not items.duplicated(["order_id", "sku_id"]).any()


def test_timestamps_inside_window_with_second_resolution(tables, truth):
    start = pd.Timestamp("2024-11-01")
    end = pd.Timestamp("2026-11-01")
    assert truth["window"]["end_exclusive"] == "2026-11-01 00:00:00"
    for name, col in [("orders", "ordered_at"), ("customers", "registered_at"),
                      ("experiments", "assigned_at"), ("events", "ts")]:
        ts = tables[name][col]
        assert ts.min() >= start and ts.max() < end, (name, col)
        assert (ts == ts.dt.floor("s")).all()
    first = tables["orders"].groupby("customer_id")["ordered_at"].min()
    reg = tables["customers"].set_index("customer_id")["registered_at"]
    assert (reg.loc[first.index] <= first).all()


# ---------------------------------------------------------------------------------- writing


def test_truth_is_json_and_round_trips(store, tmp_path):
    tables, truth = store
    out = demo.write_store(tables, truth, tmp_path / "s")
    text = (out / "truth.json").read_text(encoding="utf-8")
    assert "食品饮料" in text  # ensure_ascii=False
    loaded = json.loads(text)
    assert loaded == demo.truth_for_json(truth)
    assert loaded["sizes"]["orders"] == len(tables["orders"])
    for name, df in tables.items():
        back = pd.read_parquet(out / f"{name}.parquet")
        times = [c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])]
        back = back.astype({c: df[c].dtype for c in times})  # Parquet has no seconds unit
        assert_frame_equal(back, df, check_dtype=False)
    tc = pd.read_parquet(out / "truth_customers.parquet")
    assert {"customer_id", "main_category", "alive", "heterogeneity_multiplier",
            "p_dropout"} <= set(tc.columns)
    assert len(tc) == len(tables["customers"])


def test_csv_files_are_utf8_with_bom_and_read_back(store, tmp_path):
    tables, truth = store
    out = demo.write_store(tables, truth, tmp_path / "c", fmt="csv")
    for name, df in tables.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        back = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                           keep_default_na=False)
        assert list(back.columns) == list(df.columns)
        assert len(back) == len(df)
    orders = pd.read_csv(out / "orders.csv", encoding="utf-8-sig", dtype={"order_id": str})
    assert orders["amount"].to_numpy() == pytest.approx(tables["orders"]["amount"].to_numpy())
    assert (pd.to_datetime(orders["ordered_at"]) == tables["orders"]["ordered_at"]).all()
    customers = pd.read_csv(out / "customers.csv", encoding="utf-8-sig", dtype=str)
    assert customers["phone"].tolist() == tables["customers"]["phone"].tolist()
    assert customers["city"].tolist() == tables["customers"]["city"].tolist()


def test_write_demo_stores_makes_different_stores(tmp_path):
    paths = demo.write_demo_stores(tmp_path, stores=2, customers=1500, seed=3)
    assert [p.name for p in paths] == ["demo_01", "demo_02"]
    truths = []
    for p in paths:
        assert {f"{t}.parquet" for t in DEMO_TABLES} | {"truth.json", "truth_customers.parquet"} \
            <= {f.name for f in p.iterdir()}
        truths.append(json.loads((p / "truth.json").read_text(encoding="utf-8")))
    assert [t["store_id"] for t in truths] == ["demo_01", "demo_02"]
    assert truths[0]["seed"] != truths[1]["seed"]
    sizes = [t["sizes"]["customers"] for t in truths]
    assert all(1050 <= s <= 1950 for s in sizes)
    mixes = [t["customers"]["planted"]["acquisition_channel_shares"] for t in truths]
    assert max(abs(mixes[0][c] - mixes[1][c]) for c in demo.CHANNELS) > 0.03
    again = demo.write_demo_stores(tmp_path / "again", stores=2, customers=1500, seed=3)
    for a, b in zip(paths, again, strict=True):
        assert (a / "truth.json").read_text(encoding="utf-8") == (b / "truth.json").read_text(
            encoding="utf-8")
        assert_frame_equal(pd.read_parquet(a / "orders.parquet"),
                           pd.read_parquet(b / "orders.parquet"))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="at least 10"):
        demo.generate_store(5, 0)
    with pytest.raises(ValueError, match="shorter than 120 days"):
        demo.generate_store(100, 0, start="2026-01-01", end="2026-02-01")
    with pytest.raises(ValueError, match="unknown channels"):
        demo.generate_store(100, 0, channel_shares={"抖音": 1.0})


def test_other_windows_work():
    tables, truth = demo.generate_store(300, 2, start="2025-03-01", end="2025-12-31")
    ts = tables["orders"]["ordered_at"]
    assert ts.min() >= pd.Timestamp("2025-03-01") and ts.max() < pd.Timestamp("2026-01-01")
    assert truth["window"]["days"] == 306
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 00:00:00", truth["window"]["start"])
