"""The demo store generator: deterministic, follows the schema, plants what truth says."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats

from wxshop import demo
from wxshop.data import schema

N = 4000  # customers in the shared store
SEED = 7


@pytest.fixture(scope="module")
def store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(N, SEED, store_id="t")


@pytest.fixture(scope="module")
def tables(store):
    return store[0]


@pytest.fixture(scope="module")
def truth(store):
    return store[1]


@pytest.fixture(scope="module")
def lines(tables) -> pd.DataFrame:
    """Order lines with their order, product and line value (CNY)."""
    items = tables["order_items"].merge(tables["products"], on="sku_id", validate="m:1")
    items = items.merge(tables["orders"], on="order_id", validate="m:1")
    return items.assign(value=items["quantity"] * items["unit_price"])


# ----------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_store():
    a_tables, a_truth = demo.generate_store(1500, 11)
    b_tables, b_truth = demo.generate_store(1500, 11)
    assert a_tables.keys() == b_tables.keys()
    for name in a_tables:
        assert_frame_equal(a_tables[name], b_tables[name])
    assert json.dumps(demo.truth_for_json(a_truth)) == json.dumps(demo.truth_for_json(b_truth))
    assert_frame_equal(a_truth["_customers"], b_truth["_customers"])


def test_other_seed_gives_other_store(tables):
    other, _ = demo.generate_store(N, SEED + 1)
    assert not other["orders"]["amount"].equals(tables["orders"]["amount"])
    assert not other["customers"]["phone"].equals(tables["customers"]["phone"])


# ---------------------------------------------------------------------------------- schema


def test_every_table_has_every_schema_column(tables):
    assert set(tables) == set(schema.TABLES)
    for name, spec in schema.TABLES.items():
        missing = set(spec.columns) - set(tables[name].columns)
        assert not missing, f"{name} lacks {missing}"
        assert len(tables[name]) > 0, name


def test_column_types_keys_and_values(tables):
    for name, spec in schema.TABLES.items():
        df = tables[name]
        for col in spec.timestamps:
            assert df[col].dtype == "datetime64[s]", (name, col)
            assert df[col].notna().all()
        for col in spec.numeric:
            assert pd.api.types.is_numeric_dtype(df[col]), (name, col)
        for col in spec.ids:
            assert pd.api.types.is_string_dtype(df[col]), (name, col)
        for col in spec.nonnegative:
            assert (df[col] >= 0).all(), (name, col)
        if spec.key:
            assert not df.duplicated(list(spec.key)).any(), name
        for col, allowed in spec.choices.items():
            assert set(df[col].unique()) <= set(allowed), (name, col)
    assert pd.api.types.is_integer_dtype(tables["order_items"]["quantity"])
    assert (tables["order_items"]["quantity"] >= 1).all()
    assert pd.api.types.is_integer_dtype(tables["customers"]["birth_year"])


def test_ids_look_like_ids(tables):
    assert tables["orders"]["order_id"].str.fullmatch(r"O\d{9}").all()
    assert tables["customers"]["customer_id"].str.fullmatch(r"C\d{7}").all()
    assert tables["products"]["sku_id"].str.fullmatch(r"SKU\d{4}").all()


def test_tables_reference_each_other(tables):
    orders, items = tables["orders"], tables["order_items"]
    customers = set(tables["customers"]["customer_id"])
    assert set(items["order_id"]) == set(orders["order_id"])  # no order without lines
    assert set(items["sku_id"]) <= set(tables["products"]["sku_id"])
    assert set(orders["customer_id"]) == customers  # every customer bought
    assert set(tables["experiments"]["customer_id"]) <= customers
    assert set(tables["events"]["customer_id"]) <= customers
    assert set(tables["events"]["sku_id"]) <= set(tables["products"]["sku_id"])
    assert not items.duplicated(["order_id", "sku_id"]).any()


def test_timestamps_inside_window_with_second_resolution(tables, truth):
    start = pd.Timestamp("2024-11-01")
    end = pd.Timestamp("2026-11-01")
    assert truth["window"]["end_exclusive"] == "2026-11-01 00:00:00"
    for name, col in [("orders", "ordered_at"), ("customers", "registered_at"),
                      ("experiments", "assigned_at"), ("events", "ts")]:
        ts = tables[name][col]
        assert ts.min() >= start and ts.max() < end, (name, col)
        assert (ts == ts.dt.floor("s")).all()
    first = tables["orders"].groupby("customer_id")["ordered_at"].min()
    reg = tables["customers"].set_index("customer_id")["registered_at"]
    assert (reg.loc[first.index] <= first).all()


# ----------------------------------------------------------------------------------- money


def test_amount_is_items_minus_discount_to_the_fen(tables, lines):
    orders = tables["orders"].set_index("order_id")
    gross = lines.groupby("order_id")["value"].sum().loc[orders.index]
    expected = (gross - orders["discount"]).round(2)
    assert np.abs(orders["amount"] - expected).max() < 0.005
    assert (orders["amount"] >= 0).all()
    assert (orders["discount"] <= gross + 1e-9).all()
    cents = orders["amount"] * 100
    assert np.abs(cents - cents.round()).max() < 1e-6


def test_unit_price_is_always_list_price(lines):
    assert (lines["unit_price"] == lines["list_price"]).all()


def test_sku_margins_are_the_planted_ones(tables, truth):
    p = tables["products"]
    margin = 1 - p["unit_cost"] / p["list_price"]
    planted = pd.Series(truth["sku_margins"]).loc[p["sku_id"]].to_numpy()
    np.testing.assert_allclose(margin.to_numpy(), planted, rtol=0, atol=1e-12)
    sizes = p.groupby("category").size()
    assert sizes.between(10, 20).all() and len(sizes) >= 5
    for cat, spec in truth["categories"].items():
        m = margin[p["category"] == cat]
        lo, hi = spec["margin_range_planted"]
        assert m.between(lo - 0.005, hi + 0.005).all(), cat
    assert truth["categories"]["食品饮料"]["margin_range_planted"] == [0.45, 0.60]
    assert truth["categories"]["美妆护肤"]["margin_range_planted"] == [0.65, 0.80]


def test_category_margin_from_lines_equals_truth(lines, truth):
    lines = lines.assign(cost=lines["quantity"] * lines["unit_cost"])
    for basis, rows in [("all", lines), ("paid", lines[lines["status"] == "paid"])]:
        by_cat = rows.groupby("category")[["cost", "value"]].sum()
        margin = 1 - by_cat["cost"] / by_cat["value"]
        for cat, value in margin.items():
            got = truth["categories"][cat][f"gmv_weighted_margin_{basis}"]
            assert value == pytest.approx(got, abs=1e-9), (basis, cat)


def test_order_values_are_realistic(tables, truth):
    paid = tables["orders"][tables["orders"]["status"] == "paid"]
    assert 100 <= paid["amount"].mean() <= 250
    assert truth["orders"]["aov_paid_realised"] == pytest.approx(paid["amount"].mean())
    per_order = tables["order_items"].groupby("order_id").size()
    assert per_order.max() <= 3 and 1.3 < per_order.mean() < 2.0


# ------------------------------------------------------------------------------- customers


def _share(series: pd.Series, values) -> float:
    return float(series.isin(list(values)).mean())


TOL = 0.035  # about 4 standard errors of a share at 4,000 customers


def test_customer_shares_near_planted(tables, truth):
    c = tables["customers"]
    assert _share(c["city_tier"], ["一线"]) == pytest.approx(0.38, abs=TOL)
    assert _share(c["city_tier"], truth["customers"]["tier_2_3"]) == pytest.approx(0.45, abs=TOL)
    assert _share(c["gender"], ["女"]) == pytest.approx(0.65, abs=TOL)
    assert set(c["gender"]) == {"女", "男"}
    age = truth["customers"]["age_reference_year"] - c["birth_year"]
    assert age.between(25, 35).mean() == pytest.approx(0.52, abs=TOL)
    assert age.between(36, 45).mean() == pytest.approx(0.28, abs=TOL)
    assert age.between(18, 60).all()
    planted = truth["customers"]["planted"]["acquisition_channel_shares"]
    assert set(planted) == {"朋友圈", "社群", "公众号", "视频号直播", "小程序", "拼团邀请"}
    realised = c["acquisition_channel"].value_counts(normalize=True)
    for channel, share in planted.items():
        assert realised[channel] == pytest.approx(share, abs=TOL), channel
    main = truth["_customers"]["main_category"].value_counts(normalize=True)
    for cat, share in truth["customers"]["planted"]["main_category_shares"].items():
        assert main[cat] == pytest.approx(share, abs=TOL), cat


def test_cities_match_their_tier(tables):
    c = tables["customers"]
    tier1 = {"北京", "上海", "广州", "深圳"}
    assert set(c.loc[c["city_tier"] == "一线", "city"]) == tier1
    assert not set(c.loc[c["city_tier"] != "一线", "city"]) & tier1
    assert {"杭州", "成都", "武汉"} <= set(c.loc[c["city_tier"] == "新一线", "city"])


def test_invited_customers_have_an_earlier_inviter(tables):
    c = tables["customers"].set_index("customer_id")
    invited = c["acquisition_channel"] == "拼团邀请"
    assert invited.sum() > 100
    assert c.loc[invited, "inviter_id"].notna().all()
    assert c.loc[~invited, "inviter_id"].isna().all()
    inviter = c.loc[invited, "inviter_id"]
    assert inviter.isin(c.index).all()
    first = tables["orders"].groupby("customer_id")["ordered_at"].min()
    assert (first.loc[inviter.to_numpy()].to_numpy() <= first.loc[inviter.index].to_numpy()).all()


def test_personal_columns_look_real(tables):
    c = tables["customers"]
    assert c["phone"].str.fullmatch(r"1[358]\d{9}").all()
    assert c["phone"].is_unique
    assert c["openid"].str.fullmatch(r"o[A-Za-z0-9_-]{27}").all()
    assert c["openid"].is_unique
    assert c["nickname"].str.contains(r"[\u4e00-\u9fff]").mean() > 0.95
    assert c["address"].str.fullmatch(r".+市.+(区|新区).+\d+号\d+栋\d单元\d+").all()
    assert all(city in addr for city, addr in zip(c["city"], c["address"], strict=True))
    assert set(schema.PERSONAL_COLUMNS) & set(c.columns) == {"phone", "openid", "nickname",
                                                              "address"}


# ----------------------------------------------------------------------------------- orders


def test_refund_and_cancel_rates(tables, truth):
    status = tables["orders"]["status"].value_counts(normalize=True)
    assert 0.04 <= status["refunded"] <= 0.06
    assert 0.008 <= status["cancelled"] <= 0.025
    assert status["refunded"] == pytest.approx(truth["orders"]["refund_rate_realised"])
    assert status["cancelled"] == pytest.approx(truth["orders"]["cancel_rate_realised"])
    live = tables["orders"]["channel"] == "视频号直播"
    by_live = tables["orders"].groupby(live)["status"].apply(lambda s: (s == "refunded").mean())
    assert by_live[True] > 1.4 * by_live[False]  # planted 9 % vs 4.5 %


def test_orders_mostly_come_through_the_customers_channel(tables):
    o = tables["orders"].merge(tables["customers"][["customer_id", "acquisition_channel"]],
                               on="customer_id")
    same = (o["channel"] == o["acquisition_channel"]).mean()
    assert 0.7 < same < 0.9
    assert set(o["channel"]) == set(demo.CHANNELS)


def test_campaigns_and_discounts(tables, truth):
    o = tables["orders"]
    with_campaign = o["campaign_id"].notna()
    assert ((o["discount"] > 0) == with_campaign).all()
    assert 0.03 < with_campaign.mean() < 0.4
    known = {c["campaign_id"]: c for c in truth["campaigns"]}
    assert set(o.loc[with_campaign, "campaign_id"]) <= set(known)
    assert {"满减", "节日", "会员日"} <= {c["type"] for c in truth["campaigns"]}
    for cid, group in o[with_campaign].groupby("campaign_id"):
        rule = known[cid]
        assert len(group) == rule["orders"]
        assert group["discount"].sum() == pytest.approx(rule["discount_total"])
        if "start" in rule:  # shop campaigns, not experiment coupons
            day = group["ordered_at"].dt.strftime("%Y-%m-%d")
            assert day.between(rule["start"], rule["end"]).all(), cid
        if "threshold" in rule:
            assert (group["discount"] == rule["off"]).all()
            assert (group["amount"] + group["discount"] >= rule["threshold"]).all()
    s11 = known["CP251101S11"]
    assert s11["rule"] == "满199减30" and s11["type"] == "节日"


def test_seasonality_is_visible(tables):
    ts = tables["orders"]["ordered_at"]
    daily = ts.dt.floor("D").value_counts().sort_index()
    median_day = daily["2025-01-01":].median()
    assert daily["2025-11-01":"2025-11-11"].mean() > 1.2 * median_day
    assert daily["2026-06-01":"2026-06-18"].mean() > 1.15 * median_day
    assert daily["2025-11-11"] > daily["2025-11-01":"2025-11-10"].mean()
    spring = daily["2026-02-16":"2026-02-23"].mean()  # 春节 2026-02-17: couriers stop
    assert spring < 0.75 * daily["2026-02-24":"2026-03-31"].mean()
    hour = ts.dt.hour.value_counts(normalize=True)
    assert hour[[20, 21]].mean() > 5 * hour[[3, 4]].mean()
    assert hour[[20, 21]].mean() > 1.5 * hour[[15, 16]].mean()  # planted 1.85 vs 0.93
    assert hour[12] > 1.2 * hour[[10, 15]].max()  # lunch peak
    # acquisition grows: more first orders in the second year
    first = tables["orders"].groupby("customer_id")["ordered_at"].min()
    assert (first >= "2025-11-01").mean() > 0.55


# ----------------------------------------------------------------------- purchase process


def test_oracle_repurchase_follows_the_cycles(tables, truth):
    cats = truth["categories"]
    oracle = {c: v["oracle_repurchase"]["median_days"] for c, v in cats.items()}
    order = sorted(cats, key=lambda c: cats[c]["cycle_days_planted"])
    assert [oracle[c] for c in order] == sorted(oracle[c] for c in order)
    assert cats["食品饮料"]["cycle_days_planted"] == 10.0
    assert 8 < oracle["食品饮料"] < 16
    assert 25 < oracle["美妆护肤"] < 45
    for v in cats.values():
        o = v["oracle_repurchase"]
        assert o["share_within_7_days"] <= o["share_within_30_days"] <= o["share_within_90_days"]
    # the censored data alone see shorter gaps than the uncensored oracle
    lines = tables["order_items"].merge(tables["products"], on="sku_id").merge(
        tables["orders"], on="order_id")
    food = lines[(lines["category"] == "食品饮料") & (lines["status"] == "paid")]
    food = food.drop_duplicates("order_id").sort_values(["customer_id", "ordered_at"])
    gap = food.groupby("customer_id")["ordered_at"].diff().dt.total_seconds() / 86400
    assert gap.dropna().median() < oracle["食品饮料"]
    assert 0 < cats["食品饮料"]["oracle_repurchase"]["share_never"] < 0.5


def test_oracle_agrees_with_the_observed_part(lines, truth):
    """Purchases more than 30 days before the end show their 30-day repurchase in the data;
    only later ones need the future, so the oracle share lies between two counts."""
    end = pd.Timestamp(truth["window"]["end_exclusive"])
    paid = lines[lines["status"] == "paid"]
    for cat, spec in truth["categories"].items():
        oracle = spec["oracle_repurchase"]
        buys = paid.loc[paid["category"] == cat, ["order_id", "customer_id", "ordered_at"]]
        buys = buys.drop_duplicates("order_id").sort_values(["customer_id", "ordered_at"])
        assert len(buys) == oracle["purchases"], cat
        gap = buys.groupby("customer_id")["ordered_at"].shift(-1) - buys["ordered_at"]
        within = gap <= pd.Timedelta(days=30)
        unresolved = (buys["ordered_at"] >= end - pd.Timedelta(days=30)) & ~within
        count = oracle["share_within_30_days"] * len(buys)
        assert within.sum() - 1e-6 <= count <= within.sum() + unresolved.sum() + 1e-6, cat
        if cat == "食品饮料":
            assert count > within.sum() + 0.5  # the oracle does see past the end


def test_dead_customers_stop_buying(tables, truth):
    tc = truth["_customers"].set_index("customer_id")
    assert tc["alive"].mean() == pytest.approx(truth["purchase_process"]["alive_share_at_end"])
    assert 0.1 < tc["alive"].mean() < 0.6
    assert tc["p_dropout"].between(0, 1).all()
    assert tc["heterogeneity_multiplier"].mean() == pytest.approx(1, abs=0.05)
    dropout = truth["purchase_process"]["dropout"]
    assert 0.15 <= dropout["a"] / (dropout["a"] + dropout["b"]) <= 0.25
    participants = set(tables["experiments"]["customer_id"])
    last = tables["orders"].groupby("customer_id")["ordered_at"].max()
    dead = tc[~tc["alive"] & ~tc.index.isin(participants)]
    assert (last.loc[dead.index] == dead["died_at"]).all()
    assert tc.loc[tc["alive"], "died_at"].isna().all()
    counts = tables["orders"]["customer_id"].value_counts()
    assert (counts.loc[tc.index] == tc["orders_in_window"]).all()


# ------------------------------------------------------------------------------ experiments


def test_experiment_splits_and_srm(tables, truth):
    e = tables["experiments"]
    assert set(e["experiment_id"]) == set(truth["experiments"])
    assert len(truth["experiments"]) >= 3
    assert set(e["variant"]) <= {"control", "treatment", "treatment_b"}
    for exp_id, t in truth["experiments"].items():
        rows = e[e["experiment_id"] == exp_id]
        counts = rows["variant"].value_counts()
        assert counts.to_dict() == {k: v for k, v in t["realised_counts"].items() if v}
        multi = rows.groupby("customer_id")["variant"].nunique()
        assert (multi > 1).sum() == t["customers_in_multiple_variants"] >= 1
        span = rows["assigned_at"].max() - rows["assigned_at"].min()
        assert pd.Timedelta(days=12) <= span <= pd.Timedelta(days=29)
        first = rows.drop_duplicates("customer_id")["variant"].value_counts()
        planned = np.array([t["planned_split"][v] for v in t["variants"]])
        observed = np.array([first.get(v, 0) for v in t["variants"]])
        p_value = stats.chisquare(observed, planned * observed.sum()).pvalue
        share = observed[1] / observed.sum()
        if t["has_srm"]:
            assert exp_id == "exp_share_card"
            assert 0.40 <= share <= 0.46  # 1 : 0.75 after the logging loses a quarter
        else:
            assert p_value > 0.001, exp_id
            assert share == pytest.approx(planned[1], abs=0.06)
    flags = {k: (v["is_null"], v["has_srm"]) for k, v in truth["experiments"].items()}
    assert flags == {"exp_coupon": (False, False), "exp_button": (True, False),
                     "exp_share_card": (False, True)}
    assert len(truth["experiments"]["exp_button"]["variants"]) == 3


def test_experiment_truth_matches_the_orders(tables, truth):
    o = tables["orders"]
    e = tables["experiments"].sort_values("assigned_at")
    for exp_id, t in truth["experiments"].items():
        rows = e[e["experiment_id"] == exp_id]
        clean = rows.groupby("customer_id").filter(lambda g: len(g) == 1)
        window = pd.Timedelta(days=t["window_days"])
        m = clean.merge(o, on="customer_id", how="left")
        inside = (m["ordered_at"] >= m["assigned_at"]) & (m["ordered_at"] < m["assigned_at"]
                                                           + window)
        assert (m.loc[inside, "status"] == "paid").all()
        per_user = m.assign(amount=m["amount"].where(inside, 0), buy=inside).groupby(
            ["customer_id", "variant"])[["amount", "buy"]].agg({"amount": "sum", "buy": "any"})
        arm = per_user.groupby("variant").mean()
        for variant, real in t["realised"].items():
            assert real["users"] == (clean["variant"] == variant).sum()
            assert arm.loc[variant, "buy"] == pytest.approx(real["conversion"])
            assert arm.loc[variant, "amount"] == pytest.approx(real["revenue_per_user"])
            # the data agree with the planted model within 4 standard errors
            p = t["expected_in_arm"][variant]["conversion"]
            se = np.sqrt(p * (1 - p) / real["users"])
            assert abs(real["conversion"] - p) < 4 * se + 1e-9, (exp_id, variant)


def test_experiment_planted_lifts(truth):
    coupon = truth["experiments"]["exp_coupon"]
    lift = coupon["relative_lift_expected"]["treatment"]
    assert lift["conversion"] == pytest.approx(0.20, abs=0.01)  # only clipping at 95 % bends it
    assert lift["revenue_per_user"] > 0.1
    button = truth["experiments"]["exp_button"]["relative_lift_expected"]
    for arm in ("treatment", "treatment_b"):
        assert button[arm] == {"conversion": 0.0, "revenue_per_user": 0.0}
    card = truth["experiments"]["exp_share_card"]
    assert card["relative_lift_expected"]["treatment"]["conversion"] == pytest.approx(0.05, abs=0.005)
    assert card["srm"]["dropped_treatment_users"] > 0


# ----------------------------------------------------------------------------------- events


def test_events_cover_a_recent_funnel(tables, truth):
    ev, o = tables["events"], tables["orders"]
    start = pd.Timestamp(truth["events"]["period_start"])
    assert start == pd.Timestamp("2026-09-02")
    assert ev["ts"].min() >= start
    recent = (o["ordered_at"] >= start).sum()
    assert 1.0 * recent <= len(ev) <= 3.0 * recent
    counts = ev["event"].value_counts()
    assert counts["view"] > counts["add_to_cart"] > counts["checkout"] > counts["pay"]
    assert ev["ts"].is_monotonic_increasing
    # every pay event is an order of that customer at most a few minutes earlier
    pay = ev[ev["event"] == "pay"].sort_values("ts")
    joined = pd.merge_asof(pay, o.sort_values("ordered_at"), left_on="ts",
                           right_on="ordered_at", by="customer_id")
    assert (joined["ts"] - joined["ordered_at"]).max() < pd.Timedelta(hours=1)
    assert (joined["status"] != "cancelled").all()


# ---------------------------------------------------------------------------------- writing


def test_truth_is_json_and_round_trips(store, tmp_path):
    tables, truth = store
    out = demo.write_store(tables, truth, tmp_path / "s")
    text = (out / "truth.json").read_text(encoding="utf-8")
    assert "食品饮料" in text  # ensure_ascii=False
    loaded = json.loads(text)
    assert loaded == demo.truth_for_json(truth)
    assert loaded["sizes"]["orders"] == len(tables["orders"])
    for name, df in tables.items():
        back = pd.read_parquet(out / f"{name}.parquet")
        assert_frame_equal(back, df, check_dtype=False)
    tc = pd.read_parquet(out / "truth_customers.parquet")
    assert {"customer_id", "main_category", "alive", "heterogeneity_multiplier",
            "p_dropout"} <= set(tc.columns)
    assert len(tc) == len(tables["customers"])


def test_csv_files_are_utf8_with_bom_and_read_back(store, tmp_path):
    tables, truth = store
    out = demo.write_store(tables, truth, tmp_path / "c", fmt="csv")
    for name, df in tables.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        back = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                           keep_default_na=False)
        assert list(back.columns) == list(df.columns)
        assert len(back) == len(df)
    orders = pd.read_csv(out / "orders.csv", encoding="utf-8-sig", dtype={"order_id": str})
    assert orders["amount"].to_numpy() == pytest.approx(tables["orders"]["amount"].to_numpy())
    assert (pd.to_datetime(orders["ordered_at"]) == tables["orders"]["ordered_at"]).all()
    customers = pd.read_csv(out / "customers.csv", encoding="utf-8-sig", dtype=str)
    assert customers["phone"].tolist() == tables["customers"]["phone"].tolist()
    assert customers["city"].tolist() == tables["customers"]["city"].tolist()


def test_write_demo_stores_makes_different_stores(tmp_path):
    paths = demo.write_demo_stores(tmp_path, stores=2, customers=1500, seed=3)
    assert [p.name for p in paths] == ["demo_01", "demo_02"]
    truths = []
    for p in paths:
        assert {f"{t}.parquet" for t in schema.TABLES} | {"truth.json", "truth_customers.parquet"} \
            <= {f.name for f in p.iterdir()}
        truths.append(json.loads((p / "truth.json").read_text(encoding="utf-8")))
    assert [t["store_id"] for t in truths] == ["demo_01", "demo_02"]
    assert truths[0]["seed"] != truths[1]["seed"]
    sizes = [t["sizes"]["customers"] for t in truths]
    assert all(1050 <= s <= 1950 for s in sizes)
    mixes = [t["customers"]["planted"]["acquisition_channel_shares"] for t in truths]
    assert max(abs(mixes[0][c] - mixes[1][c]) for c in demo.CHANNELS) > 0.03
    again = demo.write_demo_stores(tmp_path / "again", stores=2, customers=1500, seed=3)
    for a, b in zip(paths, again, strict=True):
        assert (a / "truth.json").read_text(encoding="utf-8") == (b / "truth.json").read_text(
            encoding="utf-8")
        assert_frame_equal(pd.read_parquet(a / "orders.parquet"),
                           pd.read_parquet(b / "orders.parquet"))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="at least 10"):
        demo.generate_store(5, 0)
    with pytest.raises(ValueError, match="shorter than 120 days"):
        demo.generate_store(100, 0, start="2026-01-01", end="2026-02-01")
    with pytest.raises(ValueError, match="unknown channels"):
        demo.generate_store(100, 0, channel_shares={"抖音": 1.0})


def test_other_windows_work():
    tables, truth = demo.generate_store(300, 2, start="2025-03-01", end="2025-12-31")
    ts = tables["orders"]["ordered_at"]
    assert ts.min() >= pd.Timestamp("2025-03-01") and ts.max() < pd.Timestamp("2026-01-01")
    assert truth["window"]["days"] == 306
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 00:00:00", truth["window"]["start"])
