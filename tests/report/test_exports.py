"""企业微信 action lists: content, encoding, one file per segment and stage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wxshop.analysis.actions import ACTION_MATRIX
from wxshop.report import exports

CADENCE = {"new": 3, "active": 7, "silent": 14, "dormant": None, "lost": None}


@pytest.fixture
def actions() -> pd.DataFrame:
    segmented = pd.DataFrame({"customer_id": ["c1", "c2", "c3"],
                              "segment": ["important_value", "general_retain", "general_retain"]})
    stages = pd.DataFrame({"customer_id": ["c3", "c1", "c2"], "stage": ["dormant", "active", "new"]})
    predictions = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3"], "p_alive": [0.91234, 0.5, 0.1],
        "expected_purchases_90": [1.23456, 0.2, 0.01], "expected_value_90": [300.456, 20.0, 1.0],
    })
    return exports.customer_actions(segmented, stages, predictions, action_matrix=ACTION_MATRIX,
                                    stage_cadence=CADENCE, lang="zh")


def test_customer_actions(actions):
    row = actions.set_index("customer_id").loc["c1"]
    assert row["segment"] == "重要价值客户" and row["stage"] == "活跃"
    assert row["suggested_action"] == "7 天内促单；专属客服与会员权益，维持关系，避免打折"
    assert row["p_alive"] == 0.9123 and row["expected_value_90"] == 300.46
    assert actions.set_index("customer_id").loc["c3", "stage_code"] == "dormant"


def test_a_dormant_top_customer_is_won_back_not_kept():
    # Before: the line was the stage's "纳入召回活动" glued to the segment's "维持关系，避免打折".
    segmented = pd.DataFrame({"customer_id": ["v", "w"], "segment": ["important_value"] * 2})
    stages = pd.DataFrame({"customer_id": ["v", "w"], "stage": ["dormant", "lost"]})
    acts = exports.customer_actions(segmented, stages, None, action_matrix=ACTION_MATRIX,
                                    stage_cadence=CADENCE, lang="zh").set_index("customer_id")
    assert acts.loc["v", "suggested_action"] == "纳入召回活动；高价值召回：大额券或专属礼"
    assert acts.loc["v", "action_code"] == "win_back_high_value"
    assert acts.loc["w", "action_code"] == "last_try"
    assert not acts["suggested_action"].str.contains("维持关系").any()


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


def test_files_read_back_as_pandas_would_have_written_them(tmp_path):
    """Arrow writes the CSVs; Excel-hostile ids (commas, quotes, line breaks), Chinese and
    missing predictions must come back exactly as the frame has them."""
    ids = ["c,1", 'c"2', "c\n3", "客户4", "c5"]
    segmented = pd.DataFrame({"customer_id": ids, "segment": ["important_value"] * 3
                              + ["general_retain"] * 2})
    stages = pd.DataFrame({"customer_id": ids, "stage": ["new", "active", "new", "dormant", "new"]})
    predictions = pd.DataFrame({"customer_id": ids, "p_alive": [0.1, float("nan"), 0.3, 1e-5, 1.0],
                                "expected_purchases_90": [1.5, float("nan"), 0.0, 2.25, 12.0],
                                "expected_value_90": [1234567.89, float("nan"), 0.5, 99.0, 3.0]})
    acts = exports.customer_actions(segmented, stages, predictions, action_matrix=ACTION_MATRIX,
                                    stage_cadence=CADENCE, lang="en")
    written = exports.write_action_lists(acts, tmp_path, "en")
    assert written["customers"].sum() == 3 * len(ids)
    ordered = acts.sort_values(["expected_value_90", "customer_id"], ascending=[False, True],
                               na_position="last")
    new = ordered["stage_code"] == "new"
    ordered = ordered[list(exports.EXPORT_COLUMNS)]
    for name, rows in [("all_customers.csv", ordered), ("stage-new.csv", ordered[new])]:
        pandas_way = tmp_path / f"pandas-{name}"
        rows.to_csv(pandas_way, index=False, encoding="utf-8-sig")
        ours = pd.read_csv(tmp_path / name, encoding="utf-8-sig", keep_default_na=True)
        theirs = pd.read_csv(pandas_way, encoding="utf-8-sig", keep_default_na=True)
        theirs.columns = ours.columns  # the headers are checked above; here the values
        pd.testing.assert_frame_equal(ours, theirs)
        assert len(ours) == len(rows)
        assert "nan" not in (tmp_path / name).read_text(encoding="utf-8-sig").lower()


def test_customers_missing_from_stages_or_predictions_keep_a_row_and_duplicates_raise():
    segmented = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "segment": ["important_value"] * 3})
    stages = pd.DataFrame({"customer_id": ["c3", "c1"], "stage": ["dormant", "active"]})
    predictions = pd.DataFrame({"customer_id": ["c2"], "p_alive": [0.5],
                                "expected_purchases_90": [0.2], "expected_value_90": [20.0]})
    acts = exports.customer_actions(segmented, stages, predictions, action_matrix=ACTION_MATRIX,
                                    stage_cadence=CADENCE, lang="en").set_index("customer_id")
    assert acts["stage_code"].isna().tolist() == [False, True, False]
    assert acts["stage_code"].loc["c3"] == "dormant"
    assert acts["p_alive"].isna().tolist() == [True, False, True]
    assert acts.loc["c2", "expected_value_90"] == 20.0
    with pytest.raises(ValueError, match="twice"):
        exports.customer_actions(segmented, pd.concat([stages, stages]), predictions,
                                 action_matrix=ACTION_MATRIX, stage_cadence=CADENCE)


def test_tables_in_the_same_order_give_what_the_join_gives():
    """Stages and predictions listing the customers in the segments' order are taken as they
    are; shuffled (and with another index) they are joined: the same actions either way."""
    import numpy as np

    ids = [f"c{i:03d}" for i in range(200)]
    rng = np.random.default_rng(4)
    segmented = pd.DataFrame({"customer_id": pd.array(ids, dtype="str"),
                              "segment": rng.choice(["important_value", "general_retain"], 200)})
    stages = pd.DataFrame({"customer_id": pd.array(ids, dtype="str"),
                           "stage": rng.choice(list(CADENCE), 200)}, index=np.arange(200) + 7)
    predictions = pd.DataFrame({"customer_id": pd.array(ids, dtype="str"), "p_alive": rng.random(200),
                                "expected_purchases_90": rng.random(200),
                                "expected_value_90": rng.random(200)})
    stages.loc[stages.index[5], "stage"] = None

    def run(st, pr):
        return exports.customer_actions(segmented, st, pr, action_matrix=ACTION_MATRIX, stage_cadence=CADENCE)

    same = run(stages, predictions)
    order = rng.permutation(200)
    joined = run(stages.iloc[order], predictions.iloc[order].reset_index(drop=True))
    pd.testing.assert_frame_equal(same, joined)
    assert exports._same_ids(segmented["customer_id"], stages["customer_id"])
    assert not exports._same_ids(segmented["customer_id"], stages["customer_id"].iloc[order])


def test_action_lists_never_hold_a_cell_a_spreadsheet_would_run(actions, tmp_path):
    actions = actions.assign(customer_id=['=HYPERLINK("http://x.example","点我")', "+c2", "@c3"])
    written = exports.write_action_lists(actions, tmp_path, "en")
    back = pd.read_csv(tmp_path / "all_customers.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(back["customer_id"]) == ["'+c2", "'=HYPERLINK(\"http://x.example\",\"点我\")", "'@c3"]
    assert len(written) > 1
    for name in written["file"]:  # every list, segment and stage lists too
        rows = pd.read_csv(tmp_path / name, encoding="utf-8-sig", dtype=str)
        assert not rows.apply(lambda c: c.str.match(r"^[=+\-@]", na=False)).any().any(), name


def test_action_plan_sums_values_before_rounding():
    n = 300  # each customer's 90-day value is 1.004: rounded per row it is 1.00, and 300 of them 300
    segmented = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "segment": "general_retain"})
    stages = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "stage": "new"})
    predictions = pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "p_alive": 0.5,
                                "expected_purchases_90": 0.1, "expected_value_90": 1.004})
    actions = exports.customer_actions(segmented, stages, predictions, action_matrix=ACTION_MATRIX,
                                       stage_cadence=CADENCE, lang="zh")
    assert actions["expected_value_90"].iloc[0] == 1.0  # shown to the fen
    plan = exports.action_plan(actions)
    assert plan["expected_value_sum"].tolist() == [301.2]


def test_every_list_holds_its_rows_in_the_all_customers_order(tmp_path):
    """Each segment and stage list is the all-customers list's rows of that code, in the same
    order (highest value first, then id), customers without a stage in no stage list."""
    rng = np.random.default_rng(4)
    n = 600
    ids = [f"c{i:04d}" for i in rng.permutation(n)]
    segments = list(ACTION_MATRIX["new"])
    segmented = pd.DataFrame({"customer_id": ids, "segment": rng.choice(segments, n)})
    stages = pd.DataFrame({"customer_id": ids[: n - 40], "stage": rng.choice(list(CADENCE), n - 40)})
    value = np.round(rng.gamma(0.7, 40, n), 2)
    value[rng.random(n) < 0.3] = 0.0  # ties, broken by id
    predictions = pd.DataFrame({"customer_id": ids, "p_alive": 0.5, "expected_purchases_90": 1.0,
                                "expected_value_90": value})
    acts = exports.customer_actions(segmented, stages, predictions, action_matrix=ACTION_MATRIX,
                                    stage_cadence=CADENCE, lang="en")
    written = exports.write_action_lists(acts, tmp_path, "en").set_index("file")
    every = pd.read_csv(tmp_path / "all_customers.csv", encoding="utf-8-sig", dtype=str)
    ordered = acts.sort_values(["expected_value_90", "customer_id"], ascending=[False, True])
    assert every["customer_id"].tolist() == ordered["customer_id"].tolist()
    for kind, col in (("segment", "segment_code"), ("stage", "stage_code")):
        for code in sorted(acts[col].dropna().unique()):
            got = pd.read_csv(tmp_path / f"{kind}-{code}.csv", encoding="utf-8-sig", dtype=str)
            want = ordered[ordered[col] == code]["customer_id"].tolist()
            assert got["customer_id"].tolist() == want
            assert written.loc[f"{kind}-{code}.csv", "customers"] == len(want)
    assert written.loc[written["kind"] == "stage", "customers"].sum() == n - 40


def _reference_texts(out, action_matrix, stage_cadence, lang):
    """The action texts as pandas maps them row by row (the implementation before the texts
    were worked out once per (stage, segment) pair), kept here as the reference."""
    from wxshop.report.i18n import Translator

    tr = Translator(lang)
    segments = {sg for row in action_matrix.values() for sg in row}
    flat = {f"{st}|{sg}": code for st, row in action_matrix.items() for sg, code in row.items()}
    action_code = (out["stage_code"].astype("str") + "|" + out["segment_code"].astype("str")).map(flat)
    action_text = action_code.map({c: tr(f"action.{c}") for c in set(flat.values())})
    return pd.DataFrame({
        "segment": out["segment_code"].map({c: tr(f"segment.{c}") for c in segments}),
        "stage": out["stage_code"].map({c: tr(f"stage.{c}") for c in stage_cadence}),
        "suggested_action": out["stage_code"].map({c: tr(f"cadence.{c}") for c in stage_cadence})
        + tr("sep.semicolon") + action_text,
        "action_code": action_code.astype("str"),
    })


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_action_texts_equal_the_row_by_row_maps(lang):
    """Stages and segments in every combination, unknown ones and missing ones included."""
    rng = np.random.default_rng(8)
    n = 2000
    ids = [f"c{i:05d}" for i in range(n)]
    segments = [*ACTION_MATRIX["new"], "no_such_segment"]
    stage_names = [*CADENCE, "no_such_stage"]
    segmented = pd.DataFrame({"customer_id": ids, "segment": rng.choice(segments, n)})
    stages = pd.DataFrame({"customer_id": ids[:-100], "stage": rng.choice(stage_names, n - 100)})
    acts = exports.customer_actions(segmented, stages, None, action_matrix=ACTION_MATRIX,
                                    stage_cadence=CADENCE, lang=lang)
    want = _reference_texts(acts, ACTION_MATRIX, CADENCE, lang)
    pd.testing.assert_frame_equal(acts[list(want.columns)], want)
    assert acts["suggested_action"].isna().sum() > 100  # missing and unknown stages
