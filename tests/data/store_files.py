"""Tiny store files the data tests write, and the clean orders they should load as."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
    assert (q["rows_read"] == q["rows_used"] + q["rows_rejected"] + q["rows_merged"]).all()
    for table, used in zip(q["table"], q["rows_used"], strict=True):
        assert len(store.tables[table]) == used
    for table, rejected in zip(q["table"], q["rows_rejected"], strict=True):
        assert (store.rejected["table"] == table).sum() == rejected
