"""企业微信's own statistics exports feed the private-domain tables as they come: 联系客户统计 per
member and day (staff_daily) and 客户群统计 per owner and day (group_daily). The staff member's
name, the only key those exports have, is pseudonymised when the file is read; 已回复聊天占比 is
read from "85.5%"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wxshop.data.load import load_store

ORDERS = "order_id,customer_id,ordered_at,amount\nO1,c1,2026-10-01 10:00:00,99\n"
STAFF = (
    "日期,成员,部门,发起申请数,新增客户数,聊天数,发送消息数,已回复聊天占比,平均首次回复时长,删除/拉黑成员的客户数\n"
    "2026-10-01,张三,华东运营部,12,9,30,118,85.5%,12.5,1\n"
    "2026-10-01,李四,华东运营部,8,4,21,60,100%,3,0\n"
    "2026-10-02,张三,华东运营部,10,7,25,90,90%,8.25,0\n"
)
GROUPS = (
    "日期,群主,新增群成员数,退群人数,截至当天客户群总人数,客户群消息总数,发过消息的群成员数\n"
    "2026-10-01,张三,12,5,480,35,40\n"
    "2026-10-02,张三,9,7,482,52,38\n"
)


def _store(folder: Path, files: dict[str, str], encoding: str = "utf-8-sig") -> Path:
    folder.mkdir()
    (folder / "orders.csv").write_text(ORDERS, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding=encoding)
    return folder


@pytest.mark.parametrize("name, encoding", [("联系客户统计_20261002.csv", "utf-8-sig"),
                                            ("export (3).csv", "gb18030")])
def test_contact_statistics_by_member_become_staff_daily(tmp_path, name, encoding):
    store = load_store(_store(tmp_path / "s", {name: STAFF}, encoding), cache=False,
                       tables=("orders", "staff_daily"))
    staff = store.tables["staff_daily"]
    assert store.rejected.empty and len(staff) == 3
    quality = store.quality.set_index("table")
    assert quality.loc["staff_daily", "source"] == "wecom_staff_stats"
    assert quality.loc["staff_daily", "personal_columns_dropped"] >= 1  # 部门
    # the names became keyed pseudonyms: the same person, the same id; no name anywhere
    assert staff["staff_id"].str.fullmatch(r"s[0-9a-f]{20}").all()
    assert staff["staff_id"].nunique() == 2 and staff["staff_id"].iloc[0] == staff["staff_id"].iloc[2]
    text = staff.to_csv() + store.quality.to_csv()
    assert "张三" not in text and "李四" not in text and "华东运营部" not in text
    assert staff["reply_percentage"].tolist() == [85.5, 100.0, 90.0]
    assert staff["avg_reply_minutes"].tolist() == [12.5, 3.0, 8.25]
    assert staff[["requests_sent", "new_contacts", "chats", "messages", "deleted"]].iloc[0].tolist() == [
        12, 9, 30, 118, 1]
    assert staff["date"].dt.date.astype(str).tolist() == ["2026-10-01", "2026-10-01", "2026-10-02"]


def test_a_share_that_is_not_a_number_is_set_aside_with_its_reason(tmp_path):
    bad = STAFF.replace("100%", "很高")
    store = load_store(_store(tmp_path / "s", {"联系客户统计.csv": bad}), cache=False,
                       tables=("orders", "staff_daily"))
    assert len(store.tables["staff_daily"]) == 2
    assert store.rejected["reason"].str.contains("reply_percentage not a number").all()
    assert "李四" not in store.rejected.to_csv()


def test_group_statistics_by_owner_become_group_daily(tmp_path):
    store = load_store(_store(tmp_path / "s", {"客户群统计.csv": GROUPS}), cache=False,
                       tables=("orders", "group_daily"))
    daily = store.tables["group_daily"]
    assert store.rejected.empty
    assert store.quality.set_index("table").loc["group_daily", "source"] == "wecom_group_stats"
    assert daily["staff_id"].str.fullmatch(r"s[0-9a-f]{20}").all() and "张三" not in daily.to_csv()
    assert daily[["members", "joined", "left", "messages", "active_members"]].to_numpy().tolist() == [
        [480, 12, 5, 35, 40], [482, 9, 7, 52, 38]]
    assert pd.api.types.is_datetime64_any_dtype(daily["date"])
