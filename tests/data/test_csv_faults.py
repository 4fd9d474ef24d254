"""CSV files with a fault in some rows (wxshop.data.read): a row with an unquoted comma is set
aside, line numbers stay true after a multi-line quoted field, and a UTF-8 file with one row in
another encoding is refused saying where."""

from __future__ import annotations

import pandas as pd
import platform_exports as exports
import pytest
from store_files import assert_counts_add_up, write

from wxshop.data import identity
from wxshop.data.load import load_store
from wxshop.data.read import read_source
from wxshop.errors import DataError
from wxshop.report.i18n import reason

HEADER = "order_id,customer_id,ordered_at,amount\n"
SIDE = ["table", "file", "row", "reason"]


def values_of(rejected: pd.DataFrame) -> pd.DataFrame:
    return rejected.drop(columns=SIDE)


# --- 1. a row with more fields than the header ----------------------------------------


def test_a_row_with_an_unquoted_comma_is_set_aside_and_the_file_loads(tmp_path):
    write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,1\n"
          "A2,13800138000,2024-06-01,10,extra\n"
          "A3,c3,2024-06-02,3\n")
    store = load_store(tmp_path, cache=False)
    assert store.orders["order_id"].tolist() == ["A1", "A3"]
    q = store.quality.iloc[0]
    assert (q["rows_read"], q["rows_used"], q["rows_rejected"]) == (3, 2, 1)
    assert_counts_add_up(store)
    rejected = store.rejected
    assert rejected[SIDE].to_dict("records") == [
        {"table": "orders", "file": "orders.csv", "row": 3,
         "reason": "row has 5 fields, the header has 4"}]
    # the row is cut in the wrong places: none of its values is copied (a phone could be anywhere)
    assert values_of(rejected).isna().all().all()
    assert "13800138000" not in rejected.to_csv()
    assert reason(rejected["reason"].iloc[0], "zh") == (
        "该行有 5 个字段，表头只有 4 个（多半是值里有未加引号的逗号）")


def test_set_aside_rows_sit_among_the_other_rejected_rows_in_line_order(tmp_path):
    write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,-1\n"
          "A2,c2,2024-06-01,10,extra,more\n"
          "A3,c3,2024-06-02,3\n"
          "A4,c4,2024-06-02,x\n"
          "A5,c5,2024-06-02,5\n")
    store = load_store(tmp_path, cache=False)
    assert store.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 2, "reason": "negative amount"},
        {"row": 3, "reason": "row has 6 fields, the header has 4"},
        {"row": 5, "reason": "amount not a number"},
    ]
    assert values_of(store.rejected).iloc[[0, 2]].notna().any(axis=1).all()
    assert values_of(store.rejected).iloc[1].isna().all()
    assert_counts_add_up(store)


def test_a_first_data_row_with_an_extra_field_does_not_shift_the_columns(tmp_path):
    # pandas would take the first column of such a file as its index, shifting every column
    write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,1,extra\n"
          "A2,c2,2024-06-01,2\n"
          "A3,c3,2024-06-02,3\n")
    store = load_store(tmp_path, cache=False)
    assert store.orders[["order_id", "customer_id", "amount"]].values.tolist() == [
        ["A2", "c2", 2.0], ["A3", "c3", 3.0]]
    assert store.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 2, "reason": "row has 5 fields, the header has 4"}]
    assert_counts_add_up(store)


def test_read_source_sets_aside_wide_rows_below_title_lines(tmp_path):
    path = write(tmp_path, "x.csv", "店铺订单导出\n\n订单号,金额\n1,2\n3,4,5\n\n6,\"7\n8\"\n9,10\n")
    source = read_source(path, "x.csv", ("订单号", "金额"))
    assert source.frame.values.tolist() == [["1", "2"], ["6", "7\n8"], ["9", "10"]]
    assert source.line.tolist() == [4, 7, 9]
    assert source.malformed == [(5, "row has 3 fields, the header has 2")]
    assert source.skipped == 2


def test_a_file_with_mostly_malformed_rows_is_still_refused(tmp_path):
    write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,1\n"
          "A2,c2,2024-06-01,1,x\nA3,c3,2024-06-01,1,x\nA4,c4,2024-06-01,1,x\n")
    with pytest.raises(DataError, match=r"orders.csv: not a readable CSV \(.*line 3") as info:
        load_store(tmp_path, cache=False)
    assert info.value.file == "orders.csv"
    assert "quoted" in info.value.fix


def test_a_clean_file_is_read_once_by_the_fast_reader(tmp_path, monkeypatch):
    path = write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,1\nA2,c2,2024-06-01,2\n")
    calls = []
    real = pd.read_csv

    def spy(source, *args, **kwargs):
        calls.append((source, kwargs.get("engine")))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pd, "read_csv", spy)
    read_source(path, "orders.csv")
    assert calls == [(path, None)]
    calls.clear()
    write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,1\nA2,c2,2024-06-01,2,x\n"
          "A3,c3,2024-06-01,3\n")
    assert read_source(path, "orders.csv").line.tolist() == [2, 4]
    assert calls[0] == (path, None) and len(calls) == 2  # the fast try, then the rest


def test_malformed_lines_of_a_line_export_count_in_both_tables_and_after_totals_not_at_all(
        tmp_path, monkeypatch):
    project = exports.project_with_profile(tmp_path / "proj")
    monkeypatch.setenv("WXSHOP_HOME", str(project))
    folder = tmp_path / "shop"
    write(folder, "导出.csv",
          "单据编号,开单时间,实收金额,货品编码,件数,售价,买家手机,状态\n"
          "D1,2024-06-01 10:00,30,G1,1,10,13800138000,已审核\n"
          "D1,2024-06-01 10:00,30,G2,2,10,13800138000,已审核\n"
          "D3,2024-06-03 10:00,1,000,G1,1,5,13700137000,已审核\n"
          "D2,2024-06-02 10:00,5,G1,1,5,13900139000,作废\n"
          "本页小计,,35,,,,,\n"
          "打印人,张三,13600136000,2024-06-05,,,,,,\n")
    store = load_store(folder, cache=False)
    assert store.orders["order_id"].tolist() == ["D1", "D2"]
    assert len(store.order_items) == 3
    assert_counts_add_up(store)
    assert store.rejected[["table", "row", "reason"]].to_dict("records") == [
        {"table": t, "row": 4, "reason": "row has 9 fields, the header has 8"}
        for t in ("orders", "order_items")]
    text = store.rejected.to_csv()
    assert "13700137000" not in text and identity.pseudonym("13700137000", "phone", "u") not in text
    assert store.notes["orders"]["skipped_lines"] == 2  # the totals row and the line below it


# --- 2. line numbers after a multi-line quoted field -----------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_rows_after_a_multi_line_field_keep_their_physical_line(tmp_path, newline):
    rows = ["order_id,customer_id,ordered_at,amount,note",
            "A1,c1,2024-06-01,1,",
            'A2,c2,2024-06-01,2,"gift' + newline + 'wrap"',
            "A3,c3,2024-06-02,3,",
            "A4,c4,not a date,4,"]
    write(tmp_path, "orders.csv", newline.join(rows) + newline)
    store = load_store(tmp_path, cache=False)
    assert store.rejected[["row", "reason"]].to_dict("records") == [
        {"row": 6, "reason": "unparseable ordered_at"}]
    assert store.orders["note"].tolist()[1] == "gift" + newline + "wrap"


def test_read_source_numbers_records_by_the_line_they_start_on(tmp_path):
    path = write(tmp_path, "x.csv", 'a,b\n1,"x\n\ny"\n\n2,"p\nq"\n3,z\n')
    source = read_source(path, "x.csv")
    assert source.frame["a"].tolist() == ["1", "2", "3"]
    assert source.line.tolist() == [2, 6, 8]


# --- 3. a UTF-8 file with a row in another encoding --------------------------------------


def utf8_with_a_gbk_row(filler_rows: int) -> tuple[bytes, int, int]:
    """A UTF-8 orders file with one GBK row at the end; its line and the offset of its first
    non-ASCII byte."""
    head = "order_id,customer_id,ordered_at,amount,status,备注\n" + "".join(
        f"{i:05d},c001,2024-06-18 20:15:00,1,paid,好评\n" for i in range(filler_rows))
    good = head.encode("utf-8")
    bad = "99999,c009,2024-06-18 20:15:00,1,已支付,好评\n".encode("gbk")
    return good + bad, filler_rows + 2, len(good) + bad.index(next(b for b in bad if b > 127))


@pytest.mark.parametrize("filler_rows", [3, 3000])  # in the sniffed first 64 KB, and after them
def test_a_utf8_file_with_a_gbk_row_is_refused_naming_the_line_and_byte(tmp_path, filler_rows):
    data, line, offset = utf8_with_a_gbk_row(filler_rows)
    (tmp_path / "orders.csv").write_bytes(data)
    with pytest.raises(DataError) as info:
        load_store(tmp_path, cache=False)
    message = str(info.value)
    assert message.startswith("orders.csv: ")
    assert f"line {line}" in message and f"byte offset {offset}" in message
    assert "save the file again as UTF-8 (CSV UTF-8)" in info.value.fix
    assert info.value.file == "orders.csv"


def test_a_bom_marks_a_file_utf8_even_when_the_rest_before_the_bad_row_is_ascii(tmp_path):
    text = "\ufefforder_id,customer_id,ordered_at,amount\nA1,c1,2024-06-01,1\n"
    (tmp_path / "orders.csv").write_bytes(text.encode("utf-8") + "A2,张三,2024-06-01,2\n".encode("gbk"))
    with pytest.raises(DataError, match="line 3 .*byte offset 64"):
        load_store(tmp_path, cache=False)


def test_a_gbk_file_with_ascii_before_its_first_chinese_text_still_loads(tmp_path):
    write(tmp_path, "orders.csv", HEADER + "A1,c1,2024-06-01,1\nA2,张三,2024-06-01,2\n",
          encoding="gbk")
    source = read_source(tmp_path / "orders.csv", "orders.csv")
    assert source.frame["customer_id"].tolist() == ["c1", "张三"]
