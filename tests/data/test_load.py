"""load_store: discovery, encodings, headers, typing and row rules on tiny stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook
from pandas.testing import assert_frame_equal

from wxshop.data.load import load_store
from wxshop.errors import DataError

ORDERS_CSV = (
    "order_id,customer_id,ordered_at,amount,status\n"
    "00123,c001,2024-06-18 20:15:00,99.5,paid\n"
    "00124,c002,2024-06-19 08:00:00,10,refunded\n"
    "00125,c001,2024-06-20 12:30:00,0,cancelled\n"
)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def orders_frame(rows: list[tuple], status: bool = True) -> pd.DataFrame:
    """Expected clean orders: (order_id, customer_id, ordered_at, amount[, status])."""
    cols = ["order_id", "customer_id", "ordered_at", "amount"] + (["status"] if status else [])
    frame = pd.DataFrame(rows, columns=cols)
    types = {"order_id": "str", "customer_id": "str", "ordered_at": "datetime64[us]"}
    types["amount"] = "float64"
    if status:
        types["status"] = "str"
    return frame.astype(types)


EXPECTED = orders_frame(
    [
        ("00123", "c001", "2024-06-18 20:15:00", 99.5, "paid"),
        ("00124", "c002", "2024-06-19 08:00:00", 10.0, "refunded"),
        ("00125", "c001", "2024-06-20 12:30:00", 0.0, "cancelled"),
    ]
)


def assert_counts_add_up(store) -> None:
    q = store.quality
    assert (q["rows_read"] == q["rows_used"] + q["rows_rejected"]).all()
    for table, used in zip(q["table"], q["rows_used"], strict=True):
        assert len(store.tables[table]) == used
    for table, rejected in zip(q["table"], q["rows_rejected"], strict=True):
        assert (store.rejected["table"] == table).sum() == rejected


# --- formats and encodings -----------------------------------------------------------


def test_canonical_csv(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    store = load_store(tmp_path)
    assert_frame_equal(store.orders, EXPECTED)
    assert store.name == tmp_path.name
    assert store.has("orders") and not store.has("customers")
    assert store.order_items is None
    assert store.missing == ["order_items", "products", "customers", "experiments", "events"]
    assert store.rejected.empty
    expected_quality = pd.DataFrame(
        {
            "table": ["orders"],
            "file": ["orders.csv"],
            "rows_read": [3],
            "rows_used": [3],
            "rows_rejected": [0],
            "personal_columns_dropped": [0],
        }
    ).astype({"table": "str", "file": "str"})
    assert_frame_equal(store.quality, expected_quality)


def test_chinese_headers_in_gbk_load_without_mapping(tmp_path):
    text = (
        "订单号,买家ID,下单时间,实付金额,订单状态\n"
        "00123,c001,2024/06/18 20:15,99.5,已支付\n"
        "00124,c002,2024/06/19 08:00,10,已退款\n"
        "00125,c001,2024/06/20 12:30,0,交易关闭\n"
    )
    write(tmp_path, "订单.csv", text, encoding="gbk")
    store = load_store(tmp_path)
    assert_frame_equal(store.orders, EXPECTED)
    assert store.quality["file"].tolist() == ["订单.csv"]


def test_utf8_bom(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV, encoding="utf-8-sig")
    assert_frame_equal(load_store(tmp_path).orders, EXPECTED)


def test_utf8_file_with_gbk_after_the_sniffed_head_falls_back_to_gb18030(tmp_path):
    # The first 64 KB are plain ASCII, so only the full read finds the GBK bytes.
    filler = "".join(f"{i:05d},c001,2024-06-18 20:15:00,1,paid\n" for i in range(3000))
    text = "order_id,customer_id,ordered_at,amount,status,备注\n" + filler.replace(
        "paid\n", "paid,\n"
    )
    text += "99999,c009,2024-06-18 20:15:00,1,已支付,好评\n"
    write(tmp_path, "orders.csv", text, encoding="gbk")
    orders = load_store(tmp_path).orders
    assert len(orders) == 3001
    assert orders["status"].iloc[-1] == "paid"
    assert orders["备注"].iloc[-1] == "好评"


def test_xlsx_first_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["订单号", "买家ID", "下单时间", "实付金额", "订单状态"])
    sheet.append(["00123", "c001", dt.datetime(2024, 6, 18, 20, 15), 99.5, "已支付"])
    sheet.append([124, "c002", "2024-06-19 08:00", 10, "已退款"])
    sheet.append([None, None, None, None, None])  # blank row: no data, not counted
    sheet.append(["00125", "c001", dt.datetime(2024, 6, 20, 12, 30), 0, "已取消"])
    book.create_sheet("other").append(["ignored"])
    book.save(tmp_path / "orders.xlsx")
    store = load_store(tmp_path)
    expected = EXPECTED.assign(order_id=pd.Series(["00123", "124", "00125"], dtype="str"))
    assert_frame_equal(store.orders, expected)
    assert store.quality["rows_read"].tolist() == [3]


def test_xlsx_rows_are_sheet_row_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["order_id", "customer_id", "ordered_at", "amount"])
    sheet.append(["o1", "c1", "2024-06-18", 1])
    sheet.append([None, None, None, None])
    sheet.append(["o2", "c1", "2024-06-18", -1])
    book.save(tmp_path / "orders.xlsx")
    rejected = load_store(tmp_path).rejected
    assert rejected[["row", "reason"]].to_dict("records") == [
        {"row": 4, "reason": "negative amount"}
    ]


def test_parquet_with_native_types(tmp_path):
    frame = pd.DataFrame(
        {
            "order_id": ["00123", "00124", "00125"],
            "customer_id": [1, 2, 1],  # numeric ids become text
            "ordered_at": pd.to_datetime(
                ["2024-06-18 12:15:00", "2024-06-19 00:00:00", "2024-06-20 04:30:00"]
            ).tz_localize("UTC"),  # aware: converted to Shanghai time
            "amount": [99.5, 10, 0],
            "status": pd.Categorical(["paid", "已退款", "cancelled"]),
        }
    )
    frame.to_parquet(tmp_path / "orders.parquet")
    expected = EXPECTED.assign(customer_id=pd.Series(["1", "2", "1"], dtype="str"))
    assert_frame_equal(load_store(tmp_path).orders, expected)


def test_ids_keep_leading_zeros_and_excel_quoting(tmp_path):
    # The first customer id is exported as ="007" so that Excel keeps the zeros.
    text = (
        "order_id,customer_id,ordered_at,amount\n"
        '000123,"=""007""",2024-06-18,1\n'
        " 0042 ,0001,2024-06-18,2\n"
    )
    write(tmp_path, "orders.csv", text)
    orders = load_store(tmp_path).orders
    assert orders["order_id"].tolist() == ["000123", "0042"]
    assert orders["customer_id"].tolist() == ["007", "0001"]
    assert orders["order_id"].dtype == "str"


def test_timestamp_formats(tmp_path):
    text = (
        "order_id,customer_id,ordered_at,amount\n"
        "1,c,2024-06-18 20:15:00,1\n"
        "2,c,2024/06/18 20:15,1\n"
        "3,c,2024-06-18T20:15:00+08:00,1\n"
        "4,c,2024-06-18T12:15:00Z,1\n"
        "5,c,20240618,1\n"
        "6,c,2024年6月18日 20:15,1\n"
        "7,c,45461.84375,1\n"  # Excel serial day: 2024-06-18 20:15
        "8,c,2024-6-8 9:05,1\n"
    )
    write(tmp_path, "orders.csv", text)
    got = load_store(tmp_path).orders["ordered_at"]
    expected = pd.Series(
        ["2024-06-18 20:15"] * 4
        + ["2024-06-18", "2024-06-18 20:15", "2024-06-18 20:15", "2024-06-08 09:05"],
        name="ordered_at",
    ).astype("datetime64[us]")
    pd.testing.assert_series_equal(got, expected)


# --- discovery and headers -----------------------------------------------------------


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
    assert_frame_equal(store.order_items, items)


def test_two_files_for_one_table_asks_which(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(tmp_path, "订单.csv", ORDERS_CSV)
    with pytest.raises(DataError, match="two files for table 'orders'") as info:
        load_store(tmp_path, name="shop")
    assert "files:" in str(info.value) and "params/stores/shop.yaml" in str(info.value)
    # Choosing one in `files:` settles it.
    assert len(load_store(tmp_path, files={"orders": "订单.csv"}).orders) == 3


def test_tables_subset(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(tmp_path, "customers.csv", "customer_id\nc001\n")
    store = load_store(tmp_path, tables=["customers"])
    assert list(store.tables) == ["customers"]
    assert store.missing == []
    with pytest.raises(DataError, match="unknown table 'refunds'"):
        load_store(tmp_path, tables=["refunds"])


def test_flat_columns_mapping(tmp_path):
    text = (
        "单号,客户,时间戳,实收,状态\n"
        "00123,c001,2024-06-18 20:15:00,99.5,paid\n"
        "00124,c002,2024-06-19 08:00:00,10,refunded\n"
        "00125,c001,2024-06-20 12:30:00,0,cancelled\n"
    )
    write(tmp_path, "orders.csv", text)
    mapping = {"单号": "order_id", "客户": "customer_id", "时间戳": "ordered_at", "实收": "amount"}
    assert_frame_equal(load_store(tmp_path, columns=mapping).orders, EXPECTED)


def test_per_table_columns_mapping_wins_over_flat(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV.replace("amount", "Total Paid"))
    write(tmp_path, "order_items.csv", "order_id,sku,qty,price\n00123,s1,1,5\n")
    columns = {
        "Total Paid": "amount",
        "order_items": {"SKU": "sku_id", "qty": "quantity", "price": "unit_price"},
        "orders": {"total_paid": "amount"},  # matched ignoring case, spaces, underscores
    }
    store = load_store(tmp_path, columns=columns)
    assert_frame_equal(store.orders, EXPECTED)
    assert store.order_items.columns.tolist() == ["order_id", "sku_id", "quantity", "unit_price"]


def test_mapping_two_headers_to_one_column_is_an_error(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV.replace("status", "amount2"))
    with pytest.raises(DataError, match="maps both"):
        load_store(tmp_path, columns={"amount": "amount", "amount2": "amount"})


def test_alias_collision_prefers_the_first_alias_and_keeps_the_other(tmp_path):
    text = "订单号,买家ID,下单时间,订单金额,实付金额\no1,c1,2024-06-18 20:15,120,99.5\n"
    write(tmp_path, "orders.csv", text)
    orders = load_store(tmp_path).orders
    assert orders.columns.tolist() == [
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
    assert orders.columns.tolist() == [
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
    assert_frame_equal(load_store(tmp_path).orders, EXPECTED)


# --- whole-file errors ---------------------------------------------------------------


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
        " under `columns:` e.g. `实收: amount`."
    )


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


def test_undecodable_csv(tmp_path):
    (tmp_path / "orders.csv").write_bytes(b"order_id,amount\n\xff\xfe\x80\xff,1\n")
    with pytest.raises(DataError, match="orders.csv: the text is neither UTF-8 nor GBK"):
        load_store(tmp_path)


@pytest.mark.parametrize("name", ["orders.xlsx", "orders.parquet"])
def test_corrupt_binary_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"this is not what the extension says")
    with pytest.raises(DataError, match=name) as info:
        load_store(tmp_path)
    assert info.value.file == name


def test_empty_csv(tmp_path):
    write(tmp_path, "orders.csv", "")
    with pytest.raises(DataError, match="orders.csv: the file is empty"):
        load_store(tmp_path)


def test_unparseable_date_column(tmp_path):
    text = (
        "order_id,customer_id,ordered_at,amount\n"
        "1,c,18.06.24 abends,1\n"
        "2,c,soon,1\n"
        "3,c,2024-06-18,1\n"
    )
    write(tmp_path, "orders.csv", text)
    with pytest.raises(DataError, match="unparseable date column 'ordered_at'") as info:
        load_store(tmp_path)
    assert "2 of 3" in str(info.value) and "'18.06.24 abends'" in str(info.value)
    assert info.value.column == "ordered_at"


# --- row rules -----------------------------------------------------------------------


def test_negative_amounts_are_rejected(tmp_path):
    rows = [f"o{i},c{i},2024-06-18,{-i if i <= 5 else i}\n" for i in range(1, 9)]
    write(tmp_path, "orders.csv", "order_id,customer_id,ordered_at,amount\n" + "".join(rows))
    store = load_store(tmp_path)
    assert store.rejected["reason"].tolist() == ["negative amount"] * 5
    assert store.rejected["row"].tolist() == [2, 3, 4, 5, 6]
    assert store.orders["order_id"].tolist() == ["o6", "o7", "o8"]
    q = store.quality.iloc[0]
    assert (q["rows_read"], q["rows_used"], q["rows_rejected"]) == (8, 3, 5)
    assert_counts_add_up(store)


def test_duplicate_order_id_keeps_first(tmp_path):
    text = ORDERS_CSV + "00123,c009,2024-06-21 00:00:00,5,paid\n"
    write(tmp_path, "orders.csv", text)
    store = load_store(tmp_path)
    assert_frame_equal(store.orders, EXPECTED)
    assert store.rejected[["row", "reason", "customer_id"]].to_dict("records") == [
        {"row": 5, "reason": "duplicate order_id", "customer_id": "c009"}
    ]


def test_rejected_rows_exact_frame(tmp_path):
    text = (
        "order_id,customer_id,ordered_at,amount,status,备注\n"
        "o1,,2024-06-18,1,paid,\n"  # empty customer id
        "o2,c2,2024-13-45,1,paid,x\n"  # bad timestamp
        "o3,c3,2024-06-18,abc,paid,\n"  # not a number
        'o4,c4,2024-06-18,"¥1,299.00",paid,\n'  # fine: currency sign and separator
        "o5,c5,2024-06-18,-2,shipped,\n"  # two rules
        "o6,c6,2024-06-18,3,PAID,\n"
        "o7,c7,2024-06-18,3,,\n"  # empty status
    )
    write(tmp_path, "orders.csv", text)
    store = load_store(tmp_path)
    assert store.orders["order_id"].tolist() == ["o4", "o6"]
    assert store.orders["amount"].tolist() == [1299.0, 3.0]
    expected = pd.DataFrame(
        {
            "table": ["orders"] * 5,
            "file": ["orders.csv"] * 5,
            "row": [2, 3, 4, 6, 8],
            "reason": [
                "empty customer_id",
                "unparseable ordered_at",
                "amount not a number",
                "negative amount; status not one of paid/refunded/cancelled",
                "empty status",
            ],
            "order_id": ["o1", "o2", "o3", "o5", "o7"],
            "customer_id": [np.nan, "c2", "c3", "c5", "c7"],
            "ordered_at": ["2024-06-18", "2024-13-45", "2024-06-18", "2024-06-18", "2024-06-18"],
            "amount": ["1", "1", "abc", "-2", "3"],
            "status": ["paid", "paid", "paid", "shipped", np.nan],
            "备注": [np.nan, "x", np.nan, np.nan, np.nan],
        }
    ).astype({c: "str" for c in ["table", "file", "reason", "order_id", "customer_id"]})
    expected = expected.astype({c: "str" for c in ["ordered_at", "amount", "status", "备注"]})
    assert_frame_equal(store.rejected, expected)
    assert_counts_add_up(store)


def test_status_aliases(tmp_path):
    statuses = [
        "已支付",
        "已付款",
        "交易成功",
        "已退款",
        "退款成功",
        "已取消",
        "交易关闭",
        " Paid ",
        "Canceled",
    ]
    rows = [f"o{i},c,2024-06-18,1,{s}\n" for i, s in enumerate(statuses)]
    write(tmp_path, "orders.csv", "order_id,customer_id,ordered_at,amount,status\n" + "".join(rows))
    got = load_store(tmp_path).orders["status"].tolist()
    assert got == ["paid"] * 3 + ["refunded"] * 2 + ["cancelled"] * 2 + ["paid", "cancelled"]


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


def test_order_items_orphans(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV + "00126,,2024-06-21,5,paid\n")  # rejected order
    text = (
        "order_id,sku_id,quantity,unit_price\n"
        "00123,s1,1,10\n"
        "00999,s2,1,10\n"  # no such order
        "00126,s3,1,10\n"  # its order was rejected
        ",s4,1,10\n"
        "00124,s5,2,-1\n"
    )
    write(tmp_path, "order_items.csv", text)
    store = load_store(tmp_path)
    assert store.order_items["sku_id"].tolist() == ["s1"]
    items = store.rejected[store.rejected["table"] == "order_items"]
    assert items[["row", "reason"]].to_dict("records") == [
        {"row": 3, "reason": "order_id not in orders"},
        {"row": 4, "reason": "order_id not in orders"},
        {"row": 5, "reason": "empty order_id"},
        {"row": 6, "reason": "negative unit_price"},
    ]
    assert_counts_add_up(store)


def test_order_items_alone_still_loads_orders(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(tmp_path, "order_items.csv", "order_id,sku_id,quantity,unit_price\n00999,s1,1,1\n")
    store = load_store(tmp_path, tables=["order_items"])
    assert set(store.tables) == {"orders", "order_items"}
    assert store.order_items.empty


def test_other_tables_types_and_keys(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    write(
        tmp_path,
        "experiments.csv",
        "实验ID,客户ID,分组,进组时间\n"
        "e1,c1,A,2024-06-01\n"
        "e1,c1,A,2024-06-02\n"  # same experiment, customer, variant
        "e1,c1,B,2024-06-02\n",
    )
    write(
        tmp_path,
        "行为.csv",
        "用户ID,时间,事件,sku_id\nc1,2024-06-01 10:00,浏览,s1\nc1,2024-06-01 10:01,加购,\n"
        "c1,2024-06-01 10:02,share,s1\n",
    )
    store = load_store(tmp_path)
    assert store.experiments["variant"].tolist() == ["A", "B"]
    assert store.experiments["assigned_at"].dtype == "datetime64[us]"
    assert store.events["event"].tolist() == ["view", "add_to_cart"]
    assert store.events["sku_id"].isna().tolist() == [False, True]
    assert store.rejected["reason"].tolist() == [
        "duplicate experiment_id+customer_id+variant",
        "event not one of view/add_to_cart/checkout/pay",
    ]
    assert_counts_add_up(store)


def test_rejected_csv_has_bom_and_header_even_when_empty(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    out = tmp_path / "deep" / "er" / "rejected_rows.csv"
    load_store(tmp_path, rejected_path=out)
    assert out.read_bytes() == b"\xef\xbb\xbftable,file,row,reason\n"

    write(tmp_path, "orders.csv", ORDERS_CSV + "00126,c3,2024-06-21,-5,paid\n")
    load_store(tmp_path, rejected_path=out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbftable,file,row,reason,order_id,")
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert back[["row", "reason", "order_id"]].values.tolist() == [
        ["5", "negative amount", "00126"]
    ]


def test_repeat_check_counts_only_filled_keys():
    from wxshop.data.checks import has_repeats

    text = lambda *v: pd.Series(v, dtype="str")  # noqa: E731
    assert not has_repeats(pd.DataFrame({"a": text("x", "y", None, None)}))
    assert has_repeats(pd.DataFrame({"a": text("x", "y", "x")}))
    assert not has_repeats(pd.DataFrame({"a": text("x", "x", "x"), "b": text("1", "2", None)}))
    assert has_repeats(pd.DataFrame({"a": text("x", "x"), "b": text("1", "1")}))
    assert has_repeats(pd.DataFrame({"a": [1.0, 2.0]}))  # not text: the exact check decides
