"""Header mapping (wxshop.data.headers): `columns:`, aliases, collisions, personal columns."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from store_files import EXPECTED, ORDERS_CSV, write

from conftest import canonical
from wxshop.data.headers import header_names, mapping_for
from wxshop.data.load import load_store
from wxshop.errors import DataError


def test_flat_columns_mapping(tmp_path):
    text = (
        "单号,客户,时间戳,实收,状态\n"
        "00123,c001,2024-06-18 20:15:00,99.5,paid\n"
        "00124,c002,2024-06-19 08:00:00,10,refunded\n"
        "00125,c001,2024-06-20 12:30:00,0,cancelled\n"
    )
    write(tmp_path, "orders.csv", text)
    mapping = {"单号": "order_id", "客户": "customer_id", "时间戳": "ordered_at", "实收": "amount"}
    assert_frame_equal(canonical(load_store(tmp_path, columns=mapping).orders), EXPECTED)


def test_per_table_columns_mapping_wins_over_flat(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV.replace("amount", "Total Paid"))
    write(tmp_path, "order_items.csv", "order_id,sku,qty,price\n00123,s1,1,5\n")
    columns = {
        "Total Paid": "amount",
        "order_items": {"SKU": "sku_id", "qty": "quantity", "price": "unit_price"},
        "orders": {"total_paid": "amount"},  # matched ignoring case, spaces, underscores
    }
    store = load_store(tmp_path, columns=columns)
    assert_frame_equal(canonical(store.orders), EXPECTED)
    assert canonical(store.order_items).columns.tolist() == ["order_id", "sku_id", "quantity", "unit_price"]


def test_mapping_two_headers_to_one_column_is_an_error(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV.replace("status", "amount2"))
    with pytest.raises(DataError, match="maps both"):
        load_store(tmp_path, columns={"amount": "amount", "amount2": "amount"})


def test_alias_collision_prefers_the_first_alias_and_keeps_the_other(tmp_path):
    text = "订单号,买家ID,下单时间,订单金额,实付金额\no1,c1,2024-06-18 20:15,120,99.5\n"
    write(tmp_path, "orders.csv", text)
    orders = load_store(tmp_path).orders
    assert canonical(orders).columns.tolist() == [
        "order_id",
        "customer_id",
        "ordered_at",
        "amount",
        "订单金额",
    ]
    assert orders["amount"].tolist() == [99.5]
    assert orders["订单金额"].tolist() == ["120"]  # unknown extras stay text


def test_mapping_beats_a_header_that_is_already_canonical(tmp_path):
    write(
        tmp_path,
        "orders.csv",
        "order_id,customer_id,ordered_at,amount,实收\no1,c1,2024-06-18,5,4\n",
    )
    orders = load_store(tmp_path, columns={"实收": "amount"}).orders
    assert canonical(orders).columns.tolist() == [
        "order_id",
        "customer_id",
        "ordered_at",
        "amount",
        "amount (not used)",
    ]
    assert orders["amount"].tolist() == [4.0]
    assert orders["amount (not used)"].tolist() == ["5"]


def test_canonical_names_match_ignoring_case_and_spaces(tmp_path):
    write(
        tmp_path, "orders.csv", ORDERS_CSV.replace("order_id,customer_id", "Order ID,CUSTOMER_ID")
    )
    assert_frame_equal(canonical(load_store(tmp_path).orders), EXPECTED)


def test_missing_amount_names_file_and_column(tmp_path):
    text = "订单号,买家ID,下单时间,实收\n00123,c001,2024-06-18,1\n"
    write(tmp_path, "orders.csv", text)
    with pytest.raises(DataError) as info:
        load_store(tmp_path, name="shop")
    err = info.value
    assert (err.file, err.column) == ("orders.csv", "amount")
    assert str(err) == (
        "orders.csv: required column 'amount' is missing (headers found: 订单号, 买家ID,"
        " 下单时间, 实收). Fix: rename the column, or map it in params/stores/shop.yaml"
        " under `columns:` e.g. `{实收: amount}` (wxshop inspect shows the whole mapping)."
    )


def test_missing_columns_suggest_headers_by_meaning_not_position(tmp_path):
    # a WeChat Pay bill's headers with the layout unknown (no backticks, fingerprint broken):
    # the old suggestion mapped the first spare header, 交易时间, to order_id
    text = "交易时间,商户号,商户订单号,用户标识,应结订单金额\n2024-06-18 10:00:00,1,A1,oX,9.9\n"
    write(tmp_path, "orders.csv", text)
    with pytest.raises(DataError) as info:
        load_store(tmp_path, name="shop", cache=False)
    assert "商户订单号: order_id" in str(info.value) and "交易时间: ordered_at" in str(info.value)
    assert "应结订单金额: amount" in str(info.value) and "交易时间: order_id" not in str(info.value)


def test_personal_columns_dropped_everywhere(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    text = (
        "会员ID,手机号,昵称,收货地址,城市,openid,name\n"
        "c001,13800000000,小王,北京路1号,上海,oX1,王小明\n"
        ",13900000000,小李,南京路2号,北京,oX2,李雷\n"
    )
    write(tmp_path, "会员.csv", text)
    out = tmp_path / "reports" / "rejected.csv"
    store = load_store(tmp_path, rejected_path=out)
    customers = pd.DataFrame({"customer_id": ["c001"], "city": ["上海"]}).astype("str")
    assert_frame_equal(store.customers, customers)
    assert store.quality.set_index("table").loc["customers", "personal_columns_dropped"] == 5
    assert store.rejected.columns.tolist() == [
        "table",
        "file",
        "row",
        "reason",
        "customer_id",
        "city",
    ]
    assert store.rejected["reason"].tolist() == ["empty customer_id"]
    written = out.read_text(encoding="utf-8-sig")
    for secret in ("139", "小李", "南京路", "oX2", "李雷"):
        assert secret not in written
        assert not any(secret in str(v) for v in store.rejected.to_numpy().ravel())


# --- the steps on their own ----------------------------------------------------------


def test_header_names_aliases_personal_columns_and_losers():
    names, personal = header_names(
        ["订单号", "实付金额", "订单金额", "手机号", "\ufeffstatus", "备注"], "orders", {}, "o.csv", "s"
    )
    assert names == ["order_id", "amount", "订单金额", "phone", "status", "备注"]
    assert personal == [False, False, False, True, False, False]


def test_header_names_plain_name_is_personal_outside_products():
    assert header_names(["name"], "customers", {}, "c.csv", "s") == (["name_real"], [True])
    assert header_names(["name"], "products", {}, "p.csv", "s") == (["name"], [False])


def test_mapping_for_flat_and_per_table_entries():
    columns = {"实收": "amount", "orders": {"实收": "discount"}, "products": {"货号": "sku_id"}}
    assert mapping_for(columns, "orders") == {"实收": "discount"}
    assert mapping_for(columns, "products") == {"实收": "amount", "货号": "sku_id"}
    assert mapping_for(None, "orders") == {}
