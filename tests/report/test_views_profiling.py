"""report.views.profiling: the user-profiling tables and rule sentences, from real analysis frames."""

import pandas as pd
import pytest

from wxshop.analysis import lifecycle, profiles, rfm
from wxshop.report.i18n import STRINGS, Translator
from wxshop.report.views import profiling as view

EN, ZH = Translator("en"), Translator("zh")
END = pd.Timestamp("2026-03-31")


@pytest.fixture
def orders():
    rows = [("o1", "a", "2026-01-05", 100.0), ("o2", "a", "2026-02-05", 120.0),
            ("o3", "a", "2026-03-20", 80.0), ("o4", "b", "2026-01-10", 300.0),
            ("o5", "c", "2026-03-25", 50.0), ("o6", "c", "2026-03-28", 60.0)]
    return pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "amount"]).assign(
        ordered_at=lambda d: pd.to_datetime(d["ordered_at"]))


def test_segments_view_translates_codes_and_formats(orders):
    summary = rfm.segment_summary(rfm.rfm_segments(rfm.rfm_scores(rfm.rfm_table(orders, END), bins=3)))
    got = view.segments_view(summary, EN)
    assert list(got.columns) == ["segment", "customers", "customer_share", "gmv", "gmv_share",
                                 "avg_recency_days", "avg_frequency", "avg_monetary", "action"]
    assert set(got["segment"]) <= set(view.segment_labels(EN).values())
    assert all(s.endswith("%") for s in got["customer_share"]) and all(s.startswith("¥") for s in got["gmv"])
    assert got["customers"].tolist() == summary["customers"].tolist()


def test_stages_and_migration_views(orders):
    th = lifecycle.stage_thresholds(orders, END, active_days=30, dormant_days=60)
    table = lifecycle.stage_summary(lifecycle.lifecycle_stages(orders, END, th))
    got = view.stages_view(table, ZH)
    assert list(got.columns) == ["stage", "customers", "customer_share", "avg_days_since_last", "cadence",
                                 "action"]
    assert got["stage"].tolist() == [ZH(f"stage.{s}") for s in table["stage"]]
    migration = lifecycle.stage_migration(orders, END, 30, th)
    shown = view.migration_view(migration, EN)
    assert shown.columns[0] == EN("col.previous_stage") and len(shown) == len(migration)
    assert int(shown.iloc[:, 1:].to_numpy().sum()) == int(migration.to_numpy().sum())


def test_lifecycle_rule_says_where_the_thresholds_came_from(orders):
    th = lifecycle.stage_thresholds(orders, END, active_days=30, dormant_days=60)
    assert view.lifecycle_rule(th, 0.8, 0.95, EN) == EN(
        "profiling.lifecycle_override", new=th.new_days, active=30, dormant=60, lost=120)
    derived = lifecycle.stage_thresholds(orders, END)
    assert view.lifecycle_rule(derived, 0.8, 0.95, EN) == EN(
        "profiling.lifecycle_rule", n=derived.n_intervals, active_pct=80.0, dormant_pct=95.0,
        active=derived.active_days, dormant=derived.dormant_days, new=derived.new_days,
        lost=derived.lost_days, factor=2)
    assert "lost: over" in view.lifecycle_rule(derived, 0.8, 0.95, EN)
    assert "流失：超过" in view.lifecycle_rule(derived, 0.8, 0.95, ZH)


def test_rfm_rule_and_split():
    assert view.rfm_split("mean") == "mean" and view.rfm_split("2.5") == 2.5
    assert view.rfm_rule(4, {"recency": [30]}, "2.5", EN) == EN(
        "profiling.rfm_rule", bins=4, method=EN("method.cuts"), split=EN("split.value", value="2.5"))


def test_profile_and_spend_views(orders):
    customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "gender": ["女", None, "男"]})
    for table in profiles.profile_tables(orders, customers, END).values():
        got = view.profile_view(table, ZH)
        assert got["customers"].tolist() == table["customers"].tolist()
        assert profiles.UNKNOWN not in set(got["value"])
    tiers = profiles.spend_tiers(orders, END, 90)
    got = view.spend_tiers_view(tiers, EN)
    assert list(got.columns) == ["label", "customers", "customer_share", "gmv", "gmv_share",
                                 "avg_monthly_spend"]


@pytest.mark.parametrize("key", sorted({*view.LABELS.values(), *(s[2] for s in view.KPIS if len(s) > 2)}))
def test_every_label_is_translated(key):
    assert key in STRINGS
