"""Row checks and rejected rows (wxshop.data.checks): every rule, reasons, duplicates, orphans."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from store_files import EXPECTED, ORDERS_CSV, assert_counts_add_up, write

from conftest import canonical
from wxshop.data.checks import RowReasons, check_dates, duplicated_keys, rejected_rows
from wxshop.data.load import load_store
from wxshop.errors import DataError


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
    assert_frame_equal(canonical(store.orders), EXPECTED)
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
        "c1,2024-06-01 10:02,分享回流,s1\nc1,2024-06-01 10:03,打开小程序,\nc1,2024-06-01 10:04,like,s1\n",
    )
    store = load_store(tmp_path)
    assert store.experiments["variant"].tolist() == ["A", "B"]
    assert store.experiments["assigned_at"].dtype == "datetime64[us]"
    assert store.events["event"].tolist() == ["view", "add_to_cart", "share_click", "visit"]
    assert store.events["sku_id"].isna().tolist() == [False, True, False, True]
    assert store.rejected["reason"].tolist() == [
        "duplicate experiment_id+customer_id+variant",
        "event not one of visit/share/share_click/coupon_received/view/add_to_cart/checkout/pay",
    ]
    assert_counts_add_up(store)


def test_repeat_check_counts_only_filled_keys():
    from wxshop.data.checks import has_repeats

    text = lambda *v: pd.Series(v, dtype="str")  # noqa: E731
    assert not has_repeats(pd.DataFrame({"a": text("x", "y", None, None)}))
    assert has_repeats(pd.DataFrame({"a": text("x", "y", "x")}))
    assert not has_repeats(pd.DataFrame({"a": text("x", "x", "x"), "b": text("1", "2", None)}))
    assert has_repeats(pd.DataFrame({"a": text("x", "x"), "b": text("1", "1")}))
    assert has_repeats(pd.DataFrame({"a": [1.0, 2.0]}))  # not text: the exact check decides


# --- the checks on their own ---------------------------------------------------------


def test_row_reasons_join_in_rule_order():
    reasons = RowReasons(4)
    reasons.names.append("empty a")  # registered first, so listed first
    reasons.add("negative b", np.array([1, 3]))
    reasons.add("empty a", np.array([False, False, False, True]))
    assert reasons.rejected.tolist() == [False, True, False, True]
    assert reasons.text().tolist() == ["negative b", "empty a; negative b"]
    assert RowReasons(0).text().tolist() == []


def test_duplicated_keys_keep_the_first_and_ignore_empty_keys():
    key = pd.DataFrame({"a": pd.Series(["x", "y", "x", None, None, "x"], dtype="str")})
    assert duplicated_keys(key).tolist() == [False, False, True, False, False, True]
    two = pd.DataFrame({"a": ["x", "x", "x"], "b": ["1", "2", "1"]}, dtype="str")
    assert duplicated_keys(two).tolist() == [False, False, True]


def test_check_dates_raises_only_when_most_values_are_not_dates():
    s = pd.Series(["2024-06-18", "x", "y"], dtype="str")
    check_dates(s, np.array([False, True, False]), "ordered_at", "o.csv")  # 1 of 3: bad rows
    with pytest.raises(DataError, match="unparseable date column 'ordered_at' \\(2 of 3"):
        check_dates(s, np.array([False, True, True]), "ordered_at", "o.csv")


def test_rejected_rows_keep_source_columns_named_like_the_leading_four():
    raw = pd.DataFrame({"order_id": ["1"], "reason": ["gift"], "amount": [2.0]})
    out = rejected_rows(raw, "orders", "o.csv", np.array([7]), np.array(["negative amount"], object))
    assert list(out.columns) == ["table", "file", "row", "reason", "order_id", "reason (source)", "amount"]
    assert out.iloc[0].tolist() == ["orders", "o.csv", 7, "negative amount", "1", "gift", "2"]


def test_checking_rows_leaves_the_table_as_it_was():
    """pandera validates the typed table in place (no copy of millions of rows): nothing in it
    may change, and the rules still flag their rows."""
    from wxshop.data.checks import check_rows
    from wxshop.data.schema import TABLES

    frame = pd.DataFrame({
        "order_id": pd.array(["o1", "o2", None], dtype="str"),
        "customer_id": pd.array(["a", "b", "c"], dtype="str"),
        "ordered_at": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]).astype("datetime64[us]"),
        "amount": [10.0, -1.0, 5.0],
        "status": pd.array(["paid", "paid", "paid"], dtype="str"),
    })
    before = frame.copy(deep=True)
    reasons = RowReasons(len(frame))
    present = list(frame.columns)
    reasons.names.extend(f"empty {c}" for c in present)
    check_rows(frame, TABLES["orders"], present, reasons, {}, "orders.csv")
    assert_frame_equal(frame, before)
    assert reasons.rejected.tolist() == [False, True, True]
    assert reasons.text().tolist() == ["negative amount", "empty order_id"]


@pytest.mark.parametrize("ids, repeated", [
    (["a1", "a2", None, "a3", "b"], False),  # ascending: decided in one pass
    (["a1", "a2", "a2", "a3"], True),  # ascending but for a repeat next to itself
    (["a1", None, "a1"], True),  # a repeat across a missing id
    (["b", "a"], False),  # not ascending: counted
    (["b", "a", "b"], True),
])
def test_has_repeats_of_ascending_and_other_ids(ids, repeated):
    from wxshop.data.checks import has_repeats

    assert has_repeats(pd.DataFrame({"order_id": pd.Series(ids, dtype="str")})) is repeated
