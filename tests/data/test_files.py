"""Finding a store's files (wxshop.data.files): file names, `files:`, tables asked for, missing files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from store_files import ORDERS_CSV, write

from conftest import canonical
from wxshop.data.files import file_label, table_for_file, wanted_tables
from wxshop.data.load import load_store
from wxshop.errors import DataError


def test_chinese_file_names_and_files_override(tmp_path):
    write(tmp_path, "订单.csv", ORDERS_CSV)
    write(tmp_path, "商品明细.csv", "order_id,sku_id,quantity,unit_price\n00123,s1,2,9.5\n")
    write(tmp_path / "exports", "members.csv", "customer_id,city\nc001,上海\n")
    store = load_store(tmp_path, files={"customers": "exports/members.csv"})
    assert set(store.tables) == {"orders", "order_items", "customers"}
    assert store.quality["file"].tolist() == ["订单.csv", "商品明细.csv", "exports/members.csv"]
    items = pd.DataFrame(
        {"order_id": ["00123"], "sku_id": ["s1"], "quantity": [2.0], "unit_price": [9.5]}
    ).astype({"order_id": "str", "sku_id": "str"})
    assert_frame_equal(canonical(store.order_items), items)


def test_files_of_one_table_are_one_table_and_repeats_are_counted(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(tmp_path, "订单_202406.csv", ORDERS_CSV + "00126,c003,2024-06-21 09:00:00,5,paid\n")
    store = load_store(tmp_path, name="shop", cache=False)
    assert store.orders["order_id"].tolist() == ["00123", "00124", "00125", "00126"]
    q = store.quality.iloc[0]
    assert (q["rows_read"], q["rows_used"], q["rows_merged"], q["rows_rejected"]) == (7, 4, 3, 0)
    assert q["file"] == "orders.csv (+1)" and store.notes["orders"]["repeated"] == 3
    # Choosing one in `files:` settles which file is read.
    assert len(load_store(tmp_path, files={"orders": "orders.csv"}, cache=False).orders) == 3


def test_a_table_with_files_of_two_layouts_asks_which(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    bill = "交易时间,公众账号ID,商户号,微信订单号,商户订单号,用户标识,交易类型,交易状态,订单金额\n"
    write(tmp_path, "bill.csv", bill + "`2024-06-01 10:00:00,`wx1,`1,`42,`A1,`oX,`JSAPI,`SUCCESS,`9.90\n")
    with pytest.raises(DataError, match="two layouts") as info:
        load_store(tmp_path, name="shop", cache=False)
    assert "params/stores/shop.yaml" in str(info.value)


def test_tables_subset(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(tmp_path, "customers.csv", "customer_id\nc001\n")
    store = load_store(tmp_path, tables=["customers"])
    assert list(store.tables) == ["customers"]
    assert store.missing == []
    with pytest.raises(DataError, match="unknown table 'refunds'"):
        load_store(tmp_path, tables=["refunds"])


def test_missing_orders_file(tmp_path):
    write(tmp_path, "customers.csv", "customer_id\nc1\n")
    with pytest.raises(DataError, match="no orders file"):
        load_store(tmp_path)


def test_missing_data_dir(tmp_path):
    with pytest.raises(DataError, match="data folder not found"):
        load_store(tmp_path / "nope")


def test_missing_files_override(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    with pytest.raises(DataError, match="does not exist") as info:
        load_store(tmp_path, files={"customers": "members.csv"})
    assert info.value.file == "members.csv"


def test_order_items_alone_still_loads_orders(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(tmp_path, "order_items.csv", "order_id,sku_id,quantity,unit_price\n00999,s1,1,1\n")
    store = load_store(tmp_path, tables=["order_items"])
    assert set(store.tables) == {"orders", "order_items"}
    assert store.order_items.empty


# --- the steps on their own ----------------------------------------------------------


def test_wanted_tables_are_in_schema_order_and_names_are_checked():
    assert wanted_tables(["events", "orders"], None, None, "s") == ["orders", "events"]
    assert wanted_tables(["order_items"], None, None, "s") == ["orders", "order_items"]
    with pytest.raises(DataError, match="`files:` names unknown table 'refunds'"):
        wanted_tables(None, {"refunds": "r.csv"}, None, "s")
    with pytest.raises(DataError, match="`columns:` names unknown table 'refunds'"):
        wanted_tables(None, None, {"实收": "amount", "refunds": {"a": "b"}}, "s")


def test_table_for_file_and_file_label(tmp_path):
    assert table_for_file(Path("Orders.CSV")) == "orders"
    assert table_for_file(Path("订单明细.xlsx")) == "order_items"
    assert table_for_file(Path("notes.csv")) is None
    assert file_label(tmp_path / "sub" / "a.csv", tmp_path) == "sub/a.csv"
    assert file_label(Path("/elsewhere/a.csv"), tmp_path) == "/elsewhere/a.csv"
