"""企业微信 action lists: content, encoding, one file per segment and stage."""

from __future__ import annotations

import pandas as pd
import pytest

from wxshop import exports

SEG_ACTIONS = {"important_value": "vip_care", "general_retain": "low_priority"}
CADENCE = {"new": 3, "active": 7, "silent": 14, "dormant": None}


@pytest.fixture
def actions() -> pd.DataFrame:
    segmented = pd.DataFrame({"customer_id": ["c1", "c2", "c3"],
                              "segment": ["important_value", "general_retain", "general_retain"]})
    stages = pd.DataFrame({"customer_id": ["c3", "c1", "c2"], "stage": ["dormant", "active", "new"]})
    predictions = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3"], "p_alive": [0.91234, 0.5, 0.1],
        "expected_purchases_90": [1.23456, 0.2, 0.01], "expected_value_90": [300.456, 20.0, 1.0],
    })
    return exports.customer_actions(segmented, stages, predictions, segment_actions=SEG_ACTIONS,
                                    stage_cadence=CADENCE, lang="zh")


def test_customer_actions(actions):
    row = actions.set_index("customer_id").loc["c1"]
    assert row["segment"] == "重要价值客户" and row["stage"] == "活跃"
    assert row["suggested_action"] == "7 天内推送；专属客服与会员权益，维持关系，避免打折"
    assert row["p_alive"] == 0.9123 and row["expected_value_90"] == 300.46
    assert actions.set_index("customer_id").loc["c3", "stage_code"] == "dormant"


def test_write_action_lists(actions, tmp_path):
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "segment-stale.csv").write_text("old")
    written = exports.write_action_lists(actions, tmp_path / "exports", "zh")
    files = sorted(p.name for p in (tmp_path / "exports").iterdir())
    assert files == ["all_customers.csv", "segment-general_retain.csv", "segment-important_value.csv",
                     "stage-active.csv", "stage-dormant.csv", "stage-new.csv"]
    assert written.set_index("file").loc["segment-general_retain.csv", "customers"] == 2
    raw = (tmp_path / "exports" / "segment-general_retain.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows Chinese
    back = pd.read_csv(tmp_path / "exports" / "segment-general_retain.csv", encoding="utf-8-sig",
                       dtype=str)
    assert list(back.columns) == ["客户ID", "客户分层", "生命周期阶段", "存活概率",
                                  "90天预期购买次数", "90天预期价值(元)", "建议动作"]
    assert back["客户ID"].tolist() == ["c2", "c3"]  # highest expected value first


def test_english_headers(actions, tmp_path):
    exports.write_action_lists(actions, tmp_path, "en")
    back = pd.read_csv(tmp_path / "stage-new.csv", encoding="utf-8-sig")
    assert back.columns[0] == "customer_id" and back["customer_id"].tolist() == ["c2"]


def test_action_plan_orders_by_stage_urgency(actions):
    plan = exports.action_plan(actions)
    assert plan["stage_code"].tolist() == ["new", "active", "dormant"]
    assert plan["customers"].tolist() == [1, 1, 1]
    assert plan.loc[1, "expected_value_sum"] == 300.46
