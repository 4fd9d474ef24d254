"""Reading files as they are (wxshop.data.read): CSV encodings, XLSX, Parquet, unreadable files."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook
from pandas.testing import assert_frame_equal
from store_files import EXPECTED, ORDERS_CSV, write

from conftest import canonical
from wxshop.data.load import load_store
from wxshop.data.read import read_source
from wxshop.errors import DataError


def test_chinese_headers_in_gbk_load_without_mapping(tmp_path):
    text = (
        "订单号,买家ID,下单时间,实付金额,订单状态\n"
        "00123,c001,2024/06/18 20:15,99.5,已支付\n"
        "00124,c002,2024/06/19 08:00,10,已退款\n"
        "00125,c001,2024/06/20 12:30,0,交易关闭\n"
    )
    write(tmp_path, "订单.csv", text, encoding="gbk")
    store = load_store(tmp_path)
    assert_frame_equal(canonical(store.orders), EXPECTED)
    assert store.quality["file"].tolist() == ["订单.csv"]


def test_utf8_bom(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV, encoding="utf-8-sig")
    assert_frame_equal(canonical(load_store(tmp_path).orders), EXPECTED)


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
    assert_frame_equal(canonical(store.orders), expected)
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
    assert_frame_equal(canonical(load_store(tmp_path).orders), expected)


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


# --- read_source on its own --------------------------------------------------------


def test_read_source_keeps_headers_and_text_and_numbers_source_lines(tmp_path):
    path = write(tmp_path, "x.csv", "订单号\t金额\n00123\t1.50\n\t\n00124\t2\n", encoding="gbk")
    source = read_source(path, "x.csv")
    expected = pd.DataFrame({"订单号": ["00123", "00124"], "金额": ["1.50", "2"]}, dtype="str")
    assert_frame_equal(source.frame, expected)
    assert source.line.tolist() == [2, 4]  # the blank line 3 is not a row


def test_read_source_names_blank_and_repeated_xlsx_headers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append([None])  # rows above the header are skipped
    sheet.append(["金额", None, "金额"])
    sheet.append([1.0, "x", 2.5])
    book.save(tmp_path / "t.xlsx")
    source = read_source(tmp_path / "t.xlsx", "t.xlsx")
    assert list(source.frame.columns) == ["金额", "column_2", "金额.1"]
    assert source.frame.iloc[0].tolist() == ["1", "x", "2.5"]
    assert source.line.tolist() == [3]


def test_read_source_refuses_other_extensions(tmp_path):
    path = write(tmp_path, "orders.json", "{}")
    with pytest.raises(DataError, match="cannot read .json"):
        read_source(path, "orders.json")
