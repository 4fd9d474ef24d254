"""Plausibility guards (wxshop.data.guards): each misread the hostile test of issue 16 found
passes as data no more; it is set aside with its reason, or the store cannot be loaded."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from wxshop.data.load import load_store
from wxshop.errors import DataError
from wxshop.paths import sample_data_dir


@pytest.fixture
def sample(tmp_path):
    """The committed sample store's orders and order lines, as CSV text to change."""
    folder = tmp_path / "s"
    folder.mkdir()
    for name in ("orders.csv", "order_items.csv"):
        shutil.copy(sample_data_dir() / name, folder / name)
    return folder


def _orders(folder):
    return pd.read_csv(folder / "orders.csv", dtype=str, encoding="utf-8-sig")


def _reasons(store, table="orders"):
    r = store.rejected[store.rejected["table"] == table]
    return dict(zip(r["order_id"], r["reason"], strict=True))


def test_epoch_seconds_and_milliseconds_are_times_not_the_year_1704(sample):
    orders = _orders(sample)
    when = pd.to_datetime(orders["ordered_at"])
    seconds = ((when - pd.Timedelta(hours=8)) - pd.Timestamp("1970-01-01")) // pd.Timedelta(seconds=1)
    orders["ordered_at"] = seconds.astype(str)
    orders.loc[1, "ordered_at"] = str(int(seconds[1]) * 1000)  # one in milliseconds
    orders.to_csv(sample / "orders.csv", index=False)
    store = load_store(sample, cache=False)
    assert store.rejected.empty
    assert (store.orders["ordered_at"] == when.astype("datetime64[us]")).all()
    # Parquet int64 seconds too
    table = pa.table({"order_id": orders["order_id"], "customer_id": orders["customer_id"],
                      "ordered_at": pa.array(seconds.to_numpy(np.int64)),
                      "amount": orders["amount"].astype(float)})
    (sample / "orders.csv").unlink()
    (sample / "order_items.csv").unlink()
    pq.write_table(table, sample / "orders.parquet")
    assert (load_store(sample, cache=False).orders["ordered_at"] == when.astype("datetime64[us]")).all()


def test_a_stray_epoch_value_or_a_date_in_2062_is_set_aside_not_analysed(sample):
    orders = _orders(sample)
    orders.loc[3, "ordered_at"] = "1704412800"  # a stray Unix time among dates
    orders.loc[5, "ordered_at"] = "2062-08-03 10:00:00"  # a typo for 2026
    orders.to_csv(sample / "orders.csv", index=False)
    store = load_store(sample, cache=False)
    reasons = _reasons(store)
    assert set(reasons) == {orders.loc[3, "order_id"], orders.loc[5, "order_id"]}
    assert all(r.startswith("ordered_at outside 2013-01-01 … ") for r in reasons.values())
    assert store.orders["ordered_at"].between("2013-01-01", "2027-01-01").all()


def test_amounts_quantities_and_discounts_beyond_belief_are_set_aside(sample):
    orders = _orders(sample)
    orders.loc[2, "amount"] = "1e12"
    orders.loc[4, "discount"] = "9999999"
    orders.to_csv(sample / "orders.csv", index=False)
    items = pd.read_csv(sample / "order_items.csv", dtype=str, encoding="utf-8-sig")
    items.loc[0:3, "quantity"] = ["1e9", "-2", "0", "1.5"]
    items.to_csv(sample / "order_items.csv", index=False)
    store = load_store(sample, cache=False)
    reasons = _reasons(store)
    assert reasons[orders.loc[2, "order_id"]] == "amount implausible (> 100,000,000)"
    assert reasons[orders.loc[4, "order_id"]].startswith("discount implausible (> ")
    lines = store.rejected[store.rejected["table"] == "order_items"]
    assert lines["quantity"].tolist()[:4] == ["1e9", "-2", "0", "1.5"]
    assert lines["reason"].tolist()[0].startswith("quantity implausible")
    assert all(r.startswith("quantity not a whole number >= 1") for r in lines["reason"].tolist()[1:4])
    assert store.orders["amount"].max() < 1e5 and (store.order_items["quantity"] >= 1).all()


def test_ids_excel_wrote_in_scientific_notation_are_set_aside_and_warned(sample):
    orders = _orders(sample)
    orders["customer_id"] = [f"1.38E+{10 + i % 3}" if i % 4 == 0 else c
                             for i, c in enumerate(orders["customer_id"])]
    orders.to_csv(sample / "orders.csv", index=False)
    store = load_store(sample, cache=False)
    n = sum(1 for i in range(len(orders)) if i % 4 == 0)
    assert list(set(_reasons(store).values())) == ["customer_id in Excel scientific notation"]
    assert len(_reasons(store)) == n
    # a quarter of the orders set aside: the whole store is flagged, not reported "ok"
    assert store.warnings[0] == {"rule": "rejected_share", "table": "orders",
                                 "share": round(n / len(orders), 4), "max": 0.05,
                                 "rejected": n, "read": len(orders)}
    assert [w["table"] for w in store.warnings] == ["orders", "order_items"]  # their lines too
    relaxed = load_store(sample, cache=False, guards={"rejected_share": {"max": 0.5}})
    assert relaxed.warnings == []
    off = load_store(sample, cache=False, guards={"excel_ids": False, "rejected_share": False})
    assert off.rejected.empty and off.warnings == []


def test_european_decimals_and_parquet_inf_are_not_numbers(tmp_path):
    csv = ("order_id,customer_id,ordered_at,amount\nA1,c1,2024-06-01,\"1.234,50\"\n"
           "A2,c2,2024-06-01,\"1,234.50\"\nA3,c3,2024-06-01,\"1,23\"\n")
    (tmp_path / "orders.csv").write_text(csv, encoding="utf-8")
    store = load_store(tmp_path, cache=False)
    assert store.orders["amount"].tolist() == [1234.5]
    assert sorted(store.rejected["reason"]) == ["amount not a number"] * 2
    (tmp_path / "orders.csv").unlink()
    pq.write_table(pa.table({"order_id": ["A1", "A2"], "customer_id": ["c1", "c2"],
                             "ordered_at": ["2024-06-01", "2024-06-02"],
                             "amount": [np.inf, 12.0]}), tmp_path / "orders.parquet")
    store = load_store(tmp_path, cache=False)
    assert store.orders["amount"].tolist() == [12.0]
    assert store.rejected["reason"].tolist() == ["amount not a number"]


def test_a_repeated_header_of_a_contract_column_stops_the_file(tmp_path):
    csv = "order_id,customer_id,ordered_at,amount,amount\nA1,c1,2024-06-01,10,12\n"
    (tmp_path / "orders.csv").write_text(csv, encoding="utf-8")
    with pytest.raises(DataError, match="two columns are headed 'amount'") as info:
        load_store(tmp_path, cache=False)
    assert info.value.column == "amount" and "rename one" in str(info.value)
    # a repeated header wxshop does not read is kept (有赞 exports list 分销员 twice)
    csv = "order_id,customer_id,ordered_at,amount,备注,备注\nA1,c1,2024-06-01,10,x,y\n"
    (tmp_path / "orders.csv").write_text(csv, encoding="utf-8")
    assert len(load_store(tmp_path, cache=False).orders) == 1


def test_guards_settings_are_checked(tmp_path):
    (tmp_path / "orders.csv").write_text("order_id,customer_id,ordered_at,amount\nA1,c1,2024-06-01,1\n")
    with pytest.raises(DataError, match="unknown rule 'amount_outliers'"):
        load_store(tmp_path, cache=False, guards={"amount_outliers": {}})
    with pytest.raises(DataError, match="takes factor, floor, ceiling"):
        load_store(tmp_path, cache=False, guards={"amount_outlier": {"facter": 3}})
    early = load_store(tmp_path, cache=False, guards={"date_window": {"earliest": "2025-01-01"}})
    assert early.rejected["reason"].tolist() == [f"ordered_at outside 2025-01-01 … "
                                                 f"{(pd.Timestamp.today() + pd.Timedelta(days=1)).date()}"]


def test_order_ids_excel_wrote_in_scientific_notation_are_not_one_order(sample):
    orders = _orders(sample)
    orders.loc[: len(orders) - 2, "order_id"] = "4.2000E+18"  # Excel: 993 of 994 ids alike
    orders.to_csv(sample / "orders.csv", index=False)
    (sample / "order_items.csv").unlink()
    store = load_store(sample, cache=False)
    assert len(store.orders) == 1
    assert all(r.startswith("order_id in Excel scientific notation") for r in store.rejected["reason"])
    assert store.warnings and store.warnings[0]["table"] == "orders"


def test_a_title_line_above_the_header_is_not_taken_for_a_column(tmp_path):
    text = "订单导出 2024-06-01 至 2024-06-30\n订单号,买家ID,下单时间,实收\nA1,c1,2024-06-18,10\n"
    (tmp_path / "orders.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_store(tmp_path, cache=False, name="shop")
    assert "订单导出" not in str(info.value) and "实收: amount" in str(info.value)
    store = load_store(tmp_path, cache=False, columns={"实收": "amount"})
    assert store.orders["amount"].tolist() == [10.0] and store.rejected.empty


def test_excel_numbers_equal_the_expression_on_every_row():
    """The first-byte screen (read off Arrow's buffers) leaves exactly the rows the regular
    expression would flag: digits, signs, letters, Chinese, empty and missing ids, in a column
    that is a slice of a bigger one (its buffers start before its first row)."""
    import re

    from wxshop.data.guards import EXCEL_NUMBER, excel_numbers

    rng = np.random.default_rng(3)
    pool = ["1.38E+10", "-2e5", "+3E7", "13800138000", "9", "u9f3e1", "订单1.2E+3", "", "e5",
            "1.5e+", "٣E5", "１E5", " 1E5", "1E5 ", "O000001"]
    ids = [pool[i] if i < len(pool) else None for i in rng.integers(0, len(pool) + 2, 5000)]
    column = pd.Series(["x"] * 7 + ids, dtype="str").iloc[7:].reset_index(drop=True)
    # an id Excel wrote starts with an ASCII digit or sign (Python's \d also takes ٣ and １)
    expected = [v is not None and v[:1] in set("0123456789+-") and re.fullmatch(EXCEL_NUMBER, v) is not None
                for v in ids]
    assert excel_numbers(column).tolist() == expected
    assert sum(expected) > 100
