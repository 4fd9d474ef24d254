"""Real platform exports load with no `columns:` mapping: a fixture per built-in source profile
(tests/data/exports.py), the figures a correct load must find, and no personal value anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import platform_exports as exports
import pytest
from store_files import assert_counts_add_up

from wxshop.data import identity, sources
from wxshop.data.inspect import inspect
from wxshop.data.load import load_store

T = exports.truth()


def _gmv(orders: list[exports.Order]) -> float:
    return round(sum(o.amount for o in orders), 2)


def _paid(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["status"] == "paid"]


def _leaks(paths: list[Path], values: list[str]) -> dict[str, list[str]]:
    """Planted values found in the bytes of any of ``paths``."""
    found: dict[str, list[str]] = {}
    for path in paths:
        data = path.read_bytes()
        hits = [v for v in values if v.encode("utf-8") in data or v.encode("gb18030") in data]
        if hits:
            found[str(path)] = hits[:5]
    return found


def test_every_built_in_profile_cites_its_headers_and_download_place():
    built = sources.profiles()
    assert set(built) >= {"wxpay_bill", "youzan_orders", "youzan_items", "weimob_orders",
                          "wxshop_orders", "wecom_contacts", "erp_orders", "wecom_staff_stats",
                          "wecom_group_stats"}
    for p in built.values():
        assert len(p.headers_from) > 80 and len(p.download) > 20, p.id
        assert p.fingerprint and all(h in p.columns or h in p.identities or h for h in p.fingerprint)


def test_thirty_daily_wechat_pay_bills_with_refunds_a_revoked_payment_and_summaries(tmp_path):
    folder = tmp_path / "shop"
    paths = exports.write_wxpay_bills(folder, T)
    assert len(paths) == 30
    store = load_store(folder, rejected_path=tmp_path / "rejected.csv", cache=tmp_path / "cache")
    orders = store.orders
    assert_counts_add_up(store)
    assert store.notes["orders"]["source"] == "wxpay_bill" and store.notes["orders"]["files"] == 30
    billed = T.of("paid", "partial", "refunded", "revoked")  # unpaid orders never reach a bill
    assert len(orders) == len(billed)
    by_status = orders["status"].value_counts().to_dict()
    assert by_status == {"paid": len(T.of("paid", "partial")), "refunded": len(T.of("refunded")),
                         "cancelled": len(T.of("revoked"))}
    assert _paid(orders)["amount"].sum() == pytest.approx(_gmv(T.of("paid", "partial")), abs=1e-6)
    refunds = sum(o.refund for o in T.of("refunded", "partial"))
    assert orders["refund_amount"].sum() == pytest.approx(refunds, abs=1e-6)
    partial = {f"WX{o.order_id}": o.refund for o in T.of("partial")}
    got = orders.set_index("order_id").loc[list(partial), "refund_amount"]
    assert got.to_dict() == pytest.approx(partial)
    refunded_at = orders.set_index("order_id").loc[f"WX{T.of('refunded')[0].order_id}", "refunded_at"]
    assert refunded_at == pd.Timestamp(T.of("refunded")[0].refund_at)
    q = store.quality.iloc[0]
    # rows: a SUCCESS row per billed order, a REFUND row per refund, a REVOKED row per revoke
    assert q["rows_read"] == len(billed) + len(T.of("refunded", "partial")) + len(T.of("revoked"))
    assert q["rows_merged"] == len(T.of("refunded", "partial")) + len(T.of("revoked"))
    assert store.notes["orders"]["skipped_lines"] == 30 * 2  # a summary header and row per bill
    # the same buyer is one customer across days; customer ids are pseudonyms of the openid
    assert orders["customer_id"].nunique() == len({o.buyer.openid for o in billed})
    assert orders["customer_id"].str.fullmatch(r"u[0-9a-f]{20}").all()


def test_a_refund_of_an_order_outside_the_bills_is_set_aside_with_its_reason(tmp_path):
    folder = tmp_path / "shop"
    exports.write_wxpay_bills(folder, T)
    last = sorted((folder / "bills").iterdir())[-1]
    lines = last.read_text(encoding="utf-8").splitlines()
    stray = lines[1].split(",`") if len(lines) > 3 else None
    row = ["`2024-06-30 09:00:00", "`wx8a5f2c1b3e4d6f70", "`1600012345", "`0", "`", "`4200099",
           "`WX-OLD-1", f"`{T.buyers[0].openid}", "`JSAPI", "`REFUND", "`OTHERS", "`CNY", "`0.00", "`0.00",
           "`5030", "`R1", "`12.00", "`0.00", "`ORIGINAL", "`SUCCESS", "`大米", "`", "`-0.07", "`0.60%",
           "`0.00", "`12.00", "`"]
    lines.insert(1, ",".join(row))
    last.write_text("\n".join(lines) + "\n", encoding="utf-8")
    del stray
    store = load_store(folder, rejected_path=tmp_path / "rejected.csv", cache=False)
    rejected = store.rejected
    assert rejected["reason"].tolist() == ["refund of an order not in the files"]
    assert rejected["row"].tolist() == [2] and rejected["file"].iloc[0].endswith(last.name)
    assert "WX-OLD-1" not in set(store.orders["order_id"])
    assert T.buyers[0].openid not in (tmp_path / "rejected.csv").read_text(encoding="utf-8-sig")


def test_youzan_order_and_item_exports_with_a_wecom_customer_list(tmp_path):
    folder = tmp_path / "shop"
    exports.write_youzan(folder, T)
    added = exports.write_wecom(folder, T)
    store = load_store(folder, cache=tmp_path / "cache")
    assert_counts_add_up(store)
    assert {store.notes[t]["source"] for t in ("orders", "order_items", "contacts")} == {
        "youzan_orders", "youzan_items", "wecom_contacts"}
    orders, items = store.orders, store.order_items
    assert len(orders) == len(T.orders)
    assert orders["status"].value_counts().to_dict() == {
        "paid": len(T.of("paid", "partial")), "refunded": len(T.of("refunded")),
        "cancelled": len(T.of("cancelled", "revoked"))}
    assert _paid(orders)["amount"].sum() == pytest.approx(_gmv(T.of("paid", "partial")), abs=1e-6)
    assert orders["refund_amount"].sum() == pytest.approx(sum(o.refund for o in T.orders), abs=1e-6)
    assert len(items) == sum(len(o.lines) for o in T.orders)
    assert (items["quantity"] * items["unit_price"]).sum() == pytest.approx(
        sum(q * p for o in T.orders for _, _, q, p in o.lines))
    assert orders["customer_id"].nunique() == len({o.buyer.phone for o in T.orders})
    contacts = store.contacts
    assert len(contacts) == len(added)
    assert contacts["staff_id"].nunique() == 2 and contacts["staff_id"].str.startswith("s").all()
    # a contact with a phone is linked to the shop customer with that phone
    with_phone = contacts[contacts["customer_id"].notna()]
    assert len(with_phone) == sum(1 for phone, _ in added if phone)
    buyers = set(orders["customer_id"])
    linked = {identity.pseudonym(phone, "phone", "u") for phone, _ in added if phone} & buyers
    assert set(with_phone["customer_id"]) & buyers == linked and linked


@pytest.mark.parametrize(
    ("writer", "profile", "statuses"),
    [
        (exports.write_weimob, "weimob_orders",
         {"paid": ("paid", "partial"), "refunded": ("refunded",), "cancelled": ("cancelled", "revoked")}),
        (exports.write_wxshop, "wxshop_orders",
         {"paid": ("paid", "partial"), "refunded": ("refunded",), "cancelled": ("cancelled", "revoked")}),
        (exports.write_erp, "erp_orders",
         {"paid": ("paid", "partial"), "cancelled": ("refunded", "cancelled", "revoked")}),
    ],
)
def test_line_level_exports_split_into_orders_and_lines(tmp_path, writer, profile, statuses):
    folder = tmp_path / "shop"
    writer(folder, T)
    store = load_store(folder, cache=False)
    assert_counts_add_up(store)
    assert store.notes["orders"]["source"] == profile
    orders, items = store.orders, store.order_items
    n_lines = sum(len(o.lines) for o in T.orders)
    assert len(orders) == len(T.orders) and len(items) == n_lines
    q = store.quality.set_index("table")
    assert q.loc["orders", "rows_merged"] == n_lines - len(T.orders)
    assert orders["status"].value_counts().to_dict() == {k: len(T.of(*v)) for k, v in statuses.items()}
    assert _paid(orders)["amount"].sum() == pytest.approx(_gmv(T.of("paid", "partial")), abs=1e-6)
    assert orders["customer_id"].nunique() == len({o.buyer.phone for o in T.orders})
    assert store.rejected.empty


@pytest.mark.parametrize("writer", [exports.write_weimob, exports.write_wxshop, exports.write_erp,
                                    exports.write_youzan, exports.write_wxpay_bills,
                                    exports.write_wecom])
def test_no_personal_value_reaches_tables_rejected_rows_or_cache(tmp_path, writer):
    folder = tmp_path / "shop"
    writer(folder, T)
    if writer is exports.write_wecom:
        exports.write_youzan(folder, T)
    # a bad row carrying personal data: rejected rows must not show it
    planted = [p for p in sorted(folder.rglob("*.csv")) if "items" not in p.name
               and p.read_bytes().count(b"2024-06") > 2][:1]
    for path in planted:
        text = path.read_bytes()
        encoding = "gb18030" if "聚水潭" in path.name else "utf-8-sig"
        lines = text.decode(encoding).splitlines()
        bad = next(line for line in reversed(lines) if "2024-06" in line)
        lines.insert(2, bad.replace("2024-06", "20X4-06"))
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    cache = tmp_path / "cache"
    store = load_store(folder, rejected_path=tmp_path / "rejected_rows.csv", cache=cache)
    values = exports.personal_values(T)
    assert bool(len(store.rejected)) == bool(planted)
    assert not planted or "unparseable ordered_at" in set(store.rejected["reason"])
    assert not _leaks([tmp_path / "rejected_rows.csv", *cache.iterdir()], values)
    for table, frame in store.tables.items():
        joined = frame.to_csv(index=False)
        assert not [v for v in values if v in joined], table
    assert (store.quality["personal_columns_dropped"] > 0).any()


def test_value_shapes_drop_a_free_text_column_that_holds_a_phone_or_id(tmp_path):
    csv = ("订单号,买家ID,下单时间,实付金额,配送说明,订单备忘\n"
           "A1,c1,2024-06-01 10:00,10,放门口,\n"
           "A2,c2,2024-06-01 11:00,12,电话 138-0013-8000,\n"
           "A3,c3,2024-06-01 12:00,15,,11010519491231002X\n"
           "A4,c4,2024-06-01 12:00,15,,\n")
    (tmp_path / "orders.csv").write_text(csv, encoding="utf-8")
    store = load_store(tmp_path, cache=False)
    assert "配送说明" not in store.orders.columns and "订单备忘" not in store.orders.columns
    assert store.notes["orders"]["personal_dropped"] == ["配送说明", "订单备忘"]
    # an 18-digit order number is an order number, not an ID card
    csv2 = "order_id,customer_id,ordered_at,amount\n110105194912310021,c1,2024-06-01,1\n"
    (tmp_path / "orders.csv").write_text(csv2, encoding="utf-8")
    assert load_store(tmp_path, cache=False).orders["order_id"].tolist() == ["110105194912310021"]


def test_customer_ids_that_are_phone_numbers_become_pseudonyms(tmp_path):
    csv = "order_id,customer_id,ordered_at,amount\nA1,13800138000,2024-06-01,1\nA2,15912345678,2024-06-02,2\n"
    (tmp_path / "orders.csv").write_text(csv, encoding="utf-8")
    ids = load_store(tmp_path, cache=False).orders["customer_id"].tolist()
    assert ids == [identity.pseudonym("13800138000", "phone", "u"),
                   identity.pseudonym("15912345678", "phone", "u")]


def test_unknown_statuses_are_listed_with_counts_and_the_line_to_add(tmp_path):
    csv = ("订单号,买家ID,下单时间,实付金额,订单状态\n"
           "A1,c1,2024-06-01,10,待发货\nA2,c2,2024-06-01,10,拼团中\nA3,c2,2024-06-02,10,拼团中\n"
           "A4,c3,2024-06-02,10,部分退款\n")
    (tmp_path / "orders.csv").write_text(csv, encoding="utf-8")
    store = load_store(tmp_path, name="shop", cache=False)
    assert store.notes["orders"]["unknown_statuses"] == {"拼团中": 2}
    assert "statuses: {拼团中: paid}" in store.notes["orders"]["status_fix"]
    assert store.orders["order_id"].tolist() == ["A1", "A4"]  # paid-like statuses are paid
    assert len(store.rejected) == 2
    fixed = load_store(tmp_path, name="shop", cache=False, statuses={"拼团中": "paid"})
    assert len(fixed.orders) == 4 and fixed.rejected.empty


def test_inspect_shows_layout_mapping_rows_and_pseudonymised_sample(tmp_path):
    folder = tmp_path / "shop"
    exports.write_wxpay_bills(folder, T)
    text = inspect(folder)
    assert "tradebill_all_20240601.csv: wxpay_bill" in text
    assert "商户订单号 -> order_id" in text and "用户标识 (openid)" in text
    assert "refund rows folded into their order: 18" in text
    assert not [v for v in exports.personal_values(T) if v in text]
    # an unknown layout: the closest profiles and a mapping from header meaning
    (tmp_path / "odd").mkdir()
    (tmp_path / "odd" / "export.csv").write_text(
        "交易时间,商户号,商户订单号,用户标识,交易类型,应结订单金额\n2024-06-01 10:00:00,1,A1,oX,JSAPI,1\n",
        encoding="utf-8")
    odd = inspect(tmp_path / "odd" / "export.csv")
    assert "closest layouts: wxpay_bill" in odd
    assert "商户订单号: order_id" in odd and "交易时间: ordered_at" in odd


def test_pseudonym_key_is_created_once_outside_the_project_and_rotates(tmp_path, monkeypatch):
    monkeypatch.delenv(identity.ENV_SECRET, raising=False)
    key_file = tmp_path / "keys" / "shop.key"
    monkeypatch.setenv(identity.ENV_SECRET_FILE, str(key_file))
    first = identity.pseudonym("13800138000", "phone")
    assert key_file.is_file() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert identity.pseudonym("13800138000", "phone") == first
    new, old = identity.rotate()
    assert old is not None and old.is_file() and new == key_file
    assert identity.pseudonym("13800138000", "phone") != first
    monkeypatch.setenv(identity.ENV_SECRET_FILE, str(tmp_path / "short.key"))
    (tmp_path / "short.key").write_text("abc")
    with pytest.raises(Exception, match="too short"):
        identity.secret()
    assert np.all([len(first) == 21])


def test_docs_list_every_built_in_source_with_where_to_download_it():
    from wxshop.paths import project_root

    doc = (project_root() / "docs" / "data.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Platform exports"):doc.index("## Identities")]
    for p in sources.profiles().values():
        row = next((line for line in section.splitlines() if line.startswith(f"| `{p.id}` |")), "")
        assert row, f"docs/data.md does not list {p.id}"
        # the back office named in the profile's download text is named in the row
        assert p.download.split("→")[0].strip().split()[0] in row, p.id


def test_a_project_profile_in_params_sources_adds_a_layout(tmp_path, monkeypatch):
    project = exports.project_with_profile(tmp_path / "proj")
    monkeypatch.setenv("WXSHOP_HOME", str(project))
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "导出.csv").write_text(
        "单据编号,开单时间,实收金额,货品编码,件数,售价,买家手机,状态\n"
        "D1,2024-06-01 10:00,30,G1,1,10,13800138000,已审核\n"
        "D1,2024-06-01 10:00,30,G2,2,10,13800138000,已审核\n"
        "D2,2024-06-02 10:00,5,G1,1,5,13900139000,作废\n"
        "本页小计,,35,,,,,\n", encoding="utf-8")
    store = load_store(folder, cache=False)
    assert store.notes["orders"]["source"] == "my_erp"
    assert store.orders[["order_id", "amount", "status"]].values.tolist() == [
        ["D1", 30.0, "paid"], ["D2", 5.0, "cancelled"]]
    assert len(store.order_items) == 3
    assert store.orders["customer_id"].iloc[0] == identity.pseudonym("13800138000", "phone", "u")
    (project / "params" / "sources" / "bad.yaml").write_text("id: bad\ntable: refunds\nfingerprint: [x]\n")
    with pytest.raises(Exception, match="is not one of"):
        sources.profiles()


def test_the_same_buyer_is_one_customer_in_a_bill_and_a_shop_export(tmp_path):
    exports.write_wxpay_bills(tmp_path / "bill", T)
    exports.write_wxshop(tmp_path / "shop", T)
    bill = load_store(tmp_path / "bill", cache=False).orders
    shop = load_store(tmp_path / "shop", cache=False).orders
    # both carry the buyer's openid: the bill's 商户订单号 WX00001 is the shop's order 37 00001 …
    by_order = {o.order_id: o.buyer.openid for o in T.orders}
    bill_ids = dict(zip(bill["order_id"].str[2:], bill["customer_id"], strict=True))
    shop_ids = dict(zip(shop["order_id"].str[2:7], shop["customer_id"], strict=True))
    common = sorted(set(bill_ids) & set(shop_ids))
    assert len(common) == len(bill)
    assert all(bill_ids[k] == shop_ids[k] for k in common)
    assert len({bill_ids[k] for k in common}) == len({by_order[k] for k in common})


def test_success_and_refund_bills_beside_the_all_bills_count_each_payment_and_refund_once(tmp_path):
    alone = tmp_path / "all"
    exports.write_wxpay_bills(alone, T)
    mixed = tmp_path / "mixed"
    exports.write_wxpay_bills(mixed, T)
    exports.write_wxpay_bills(mixed, T, "SUCCESS", sub="success")
    exports.write_wxpay_bills(mixed, T, "REFUND", sub="refund")
    a = load_store(alone, cache=False)
    m = load_store(mixed, cache=False)
    cols = ["order_id", "customer_id", "amount", "status", "refund_amount"]
    pd.testing.assert_frame_equal(a.orders[cols].sort_values("order_id").reset_index(drop=True),
                                  m.orders[cols].sort_values("order_id").reset_index(drop=True))
    billed = len(T.of("paid", "partial", "refunded", "revoked"))  # SUCCESS rows in both
    assert m.notes["orders"]["repeated"] == billed + len(T.of("refunded", "partial"))
    assert m.rejected.empty and m.notes["orders"]["files"] == 90
    # a REFUND bill alone: 交易时间 is the payment's time, 退款申请时间 the refund's
    only = tmp_path / "only"
    exports.write_wxpay_bills(only, T, "SUCCESS")
    exports.write_wxpay_bills(only, T, "REFUND", sub="refund")
    orders = load_store(only, cache=False).orders.set_index("order_id")
    first = T.of("partial")[0]
    assert orders.loc[f"WX{first.order_id}", "refunded_at"] == pd.Timestamp(first.refund_at)
    assert orders.loc[f"WX{first.order_id}", "refund_amount"] == pytest.approx(first.refund)


def test_youzan_customer_list_links_to_its_orders_by_phone(tmp_path):
    folder = tmp_path / "shop"
    exports.write_youzan(folder, T)
    exports.write_youzan_customers(folder, T)
    store = load_store(folder, cache=False, rejected_path=tmp_path / "rejected_rows.csv")
    customers = store.customers
    assert store.notes["customers"]["source"] == "youzan_customers"
    assert len(customers) == len(T.buyers) and customers["customer_id"].is_unique
    assert set(store.orders["customer_id"]) <= set(customers["customer_id"])
    assert set(customers["gender"]) == {"男", "女"} and customers["registered_at"].notna().all()
    assert not {"客户生日", "客户姓名", "客户昵称"} & set(customers.columns)
    assert not _leaks([tmp_path / "rejected_rows.csv"], exports.personal_values(T))
    joined = customers.to_csv(index=False)
    assert not [v for v in exports.personal_values(T) if v in joined]


def test_files_may_name_a_folder_of_a_tables_files(tmp_path):
    folder = tmp_path / "shop"
    exports.write_wxpay_bills(folder, T, sub="微信账单")
    store = load_store(folder, files={"orders": "微信账单"}, cache=False)
    assert store.notes["orders"]["files"] == 30 and store.notes["orders"]["source"] == "wxpay_bill"


def test_a_line_level_export_takes_the_order_items_mapping_too(tmp_path):
    folder = tmp_path / "shop"
    exports.write_wxshop(folder, T)
    path = folder / "视频号小店订单.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("商品数量", "件数", 1), encoding="utf-8-sig")
    store = load_store(folder, cache=False, columns={"order_items": {"件数": "quantity"}})
    assert store.order_items["quantity"].sum() == sum(q for o in T.orders for _, _, q, _ in o.lines)


def test_source_names_a_layout_for_files_it_does_not_recognise(tmp_path):
    folder = tmp_path / "shop"
    exports.write_wxpay_bills(folder, T)
    bill = sorted((folder / "bills").glob("*.csv"))[5]
    # a bill whose fingerprint headers were renamed by hand is read as a bill only when named
    text = bill.read_text(encoding="utf-8").replace("微信订单号", "微信单号", 1)
    shutil.rmtree(folder / "bills")
    (folder / "fixed.csv").write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match="no orders file"):
        load_store(folder, cache=False, tables=["orders"])
    store = load_store(folder, cache=False, source="wxpay_bill")
    assert store.notes["orders"]["source"] == "wxpay_bill" and len(store.orders) > 0
    with pytest.raises(Exception, match="not a known export layout"):
        load_store(folder, cache=False, source="nope")
