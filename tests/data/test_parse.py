"""Typing values (wxshop.data.parse): ids, numbers, timestamps, value aliases."""

from __future__ import annotations

import pandas as pd
from store_files import write

from wxshop.data.load import load_store
from wxshop.data.parse import clean_id, map_values, parse_numbers, parse_timestamps


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


# --- the parsers on their own --------------------------------------------------------


def text(*values) -> pd.Series:
    return pd.Series(values, dtype="str")


def test_parse_numbers_accepts_decoration_and_flags_the_rest():
    values, bad = parse_numbers(text("1,299.00", "¥12", "12元", " ", None, "1e400", "abc"))
    assert values.tolist()[:3] == [1299.0, 12.0, 12.0]
    assert values.iloc[3:].isna().all()
    assert bad.tolist() == [False, False, False, False, False, True, True]
    native, none_bad = parse_numbers(pd.Series([1, 2], dtype="int64"))
    assert native.dtype == "float64" and not none_bad.any()


def test_parse_timestamps_every_accepted_form():
    values, bad = parse_timestamps(
        text("2024-06-18 20:15", "2024.06.18", "20240618201500", "45461", "2024-06-18T12:15:00Z", "x")
    )
    assert values.dtype == "datetime64[us]"
    assert values.astype(str).tolist()[:5] == [
        "2024-06-18 20:15:00",
        "2024-06-18 00:00:00",
        "2024-06-18 20:15:00",
        "2024-06-18 00:00:00",
        "2024-06-18 20:15:00",  # UTC to Asia/Shanghai
    ]
    assert bad.tolist() == [False] * 5 + [True]


def test_clean_id_and_map_values():
    assert clean_id(text('="007"', " 8 ", "")).tolist()[:2] == ["007", "8"]
    assert clean_id(text("")).isna().all()
    mapped = map_values(text("已支付", "PAID", "refunded", "odd"), {"已支付": "paid"}, ("paid", "refunded"))
    assert mapped.tolist() == ["paid", "paid", "refunded", "odd"]
    assert mapped.dtype == "str"
