"""load_store: the Store it returns, its quality counts and the rejected-rows CSV."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from store_files import EXPECTED, ORDERS_CSV, write

from conftest import canonical
from wxshop.data.load import load_store
from wxshop.errors import DataError
from wxshop.paths import sample_data_dir


def test_canonical_csv(tmp_path):
    write(tmp_path, "orders.csv", ORDERS_CSV)
    store = load_store(tmp_path)
    assert_frame_equal(canonical(store.orders), EXPECTED)
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
            "rows_merged": [0],
            "personal_columns_dropped": [0],
            "source": [""],
        }
    ).astype({"table": "str", "file": "str", "source": "str"})
    assert_frame_equal(store.quality, expected_quality)


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


def test_store_on_the_committed_sample():
    store = load_store(sample_data_dir(), cache=False)
    assert list(store.tables) == ["orders", "order_items", "products", "customers", "experiments", "events",
                                  "campaigns", "group_buys", "contacts", "staff_daily", "groups",
                                  "group_members", "group_daily", "touches", "posts"]
    assert store.missing == [] and store.rejected.empty
    assert store.quality["personal_columns_dropped"].tolist() == [0, 0, 0, 4] + [0] * 11
    assert store.orders["ordered_at"].dtype == "datetime64[us]"
    assert store.orders["amount"].dtype == "float64"


def test_rejected_rows_csv_holds_no_cell_a_spreadsheet_would_run(tmp_path):
    text = ("order_id,customer_id,ordered_at,amount,备注\n"
            "=1+2,c1,2024-06-18,-5,\"=HYPERLINK(\"\"http://x.example\"\")\"\n"
            "A2,@SUM(A1),bad date,10,-2+3\n")
    write(tmp_path, "orders.csv", text)
    load_store(tmp_path, rejected_path=tmp_path / "rejected_rows.csv", cache=False)
    back = pd.read_csv(tmp_path / "rejected_rows.csv", encoding="utf-8-sig", dtype=str)
    assert back["order_id"].tolist() == ["'=1+2", "A2"]
    assert back["customer_id"].tolist() == ["c1", "'@SUM(A1)"]
    assert back["amount"].tolist() == ["-5", "10"]  # a plain negative number stays a number
    assert back["备注"].tolist() == ["'=HYPERLINK(\"http://x.example\")", "'-2+3"]


def test_a_failing_load_leaves_no_rejected_rows_of_an_earlier_load(tmp_path):
    write(tmp_path / "d", "orders.csv", "order_id,customer_id,ordered_at,amount\nA1,c1,2024-06-18,-5\n")
    out = tmp_path / "r" / "rejected_rows.csv"
    load_store(tmp_path / "d", rejected_path=out, cache=False)
    assert "negative amount" in out.read_text(encoding="utf-8-sig")
    write(tmp_path / "d", "orders.csv", "order_id,customer_id,ordered_at\nA1,c1,2024-06-18\n")
    with pytest.raises(DataError):
        load_store(tmp_path / "d", rejected_path=out, cache=False)
    assert not out.exists()
    assert not list(out.parent.glob(".*.tmp"))
