"""The demo's private domain (wxshop.demo.private_domain): the seven tables follow the schema and
load, the planted rates come back from the tables, the SOP holdout is clean, the extra orders
leave the shop's experiments alone, and switching the private domain off changes nothing else."""

from __future__ import annotations

import json
import shutil
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from pandas.testing import assert_frame_equal

from conftest import SAMPLE
from wxshop import demo
from wxshop.data import schema
from wxshop.data.load import load_store
from wxshop.demo.private_domain import write_private_domain
from wxshop.demo.settings import (
    GROUP_LEAVE_RATE,
    GROUP_TYPES,
    SAMPLE_GROUP_SIZE_SCALE,
    SAMPLE_PD_SEED,
    STAGE_WINDOW_DAYS,
)

DAY = pd.Timedelta(days=1)
END = pd.Timestamp("2026-11-01")  # end exclusive of the default window
PD_START = pd.Timestamp("2025-11-01")


@lru_cache(maxsize=1)
def pd_store() -> tuple[dict[str, pd.DataFrame], dict]:
    """A store of its own (not demo_shared_store's), so the other demo tests may switch theirs off."""
    return demo.generate_store(4000, 7, store_id="pd")


@pytest.fixture(scope="module")
def store() -> tuple[dict[str, pd.DataFrame], dict]:
    return pd_store()


@lru_cache(maxsize=1)
def pair() -> tuple[tuple[dict, dict], tuple[dict, dict]]:
    """The same store with and without its private domain."""
    return demo.generate_store(1500, 11), demo.generate_store(1500, 11, private_domain=False)


def paid_first(orders: pd.DataFrame) -> pd.Series:
    """First paid order time per customer, the extra (T…) orders left out."""
    organic = orders[(orders["status"] == "paid") & ~orders["order_id"].str.startswith("T")]
    return organic.groupby("customer_id")["ordered_at"].min()


# ---------------------------------------------------------------------------------- schema


def test_tables_follow_the_schema(store):
    tables, _ = store
    for name in schema.PRIVATE_TABLES:
        spec, df = schema.TABLES[name], tables[name]
        assert list(df.columns) == [c for c in spec.columns if c in df.columns], name
        assert set(df.columns) == set(spec.columns), name
        assert len(df) > 0, name
        for col in spec.timestamps:
            assert df[col].dtype == "datetime64[s]", (name, col)
        for col in spec.numeric:
            assert pd.api.types.is_numeric_dtype(df[col]), (name, col)
        for col in spec.ids:
            assert pd.api.types.is_string_dtype(df[col]), (name, col)
        for col in spec.nonnegative:
            assert (df[col].dropna() >= 0).all(), (name, col)
        for col in spec.required:
            assert df[col].notna().all(), (name, col)
        if spec.key:
            assert not df.duplicated(list(spec.key)).any(), name
        for col, allowed in spec.choices.items():
            assert set(df[col]) <= set(allowed), (name, col)
    assert tables["contacts"]["contact_id"].str.fullmatch(r"K\d{7}").all()
    assert tables["staff_daily"]["staff_id"].str.fullmatch(r"S\d{2}").all()
    assert tables["groups"]["group_id"].str.fullmatch(r"G\d{3}").all()
    assert tables["posts"]["post_id"].str.fullmatch(r"P\d{5}").all()
    for name in ("contacts", "touches", "group_members"):  # plain shop customer ids, or empty
        ids = tables[name]["customer_id"].dropna()
        assert set(ids) <= set(tables["customers"]["customer_id"]), name
    assert set(tables["touches"]["opened"]) <= {0, 1}
    assert set(tables["touches"]["replied"].dropna()) <= {0, 1}
    assert tables["touches"]["kind"].value_counts().to_dict().keys() == {"1v1", "群发", "公众号"}


def test_a_written_csv_store_loads_without_rejections(store, tmp_path):
    tables, truth = store
    out = demo.write_store(tables, truth, tmp_path / "s", fmt="csv")
    loaded = load_store(out, cache=False)
    quality = loaded.quality.set_index("table")
    for name in schema.PRIVATE_TABLES:
        assert quality.loc[name, "rows_rejected"] == 0, name
        assert quality.loc[name, "rows_used"] == len(tables[name]), name
    assert quality.loc["orders", "rows_rejected"] == 0
    assert quality.loc["order_items", "rows_rejected"] == 0
    assert quality.loc["experiments", "rows_rejected"] == 0


# ------------------------------------------------------------------------ staff and contacts


def test_staff_daily_counts_the_contacts_table(store):
    tables, _ = store
    contacts, daily = tables["contacts"], tables["staff_daily"]
    assert daily["date"].min() == PD_START and daily["date"].max() == END - DAY
    assert len(daily) == daily["staff_id"].nunique() * 365
    for col, at in (("new_contacts", "added_at"), ("deleted", "deleted_at")):
        c = contacts[(contacts[at] >= PD_START) & (contacts[at] < END)]
        counted = c.groupby(["staff_id", c[at].dt.floor("D")]).size()
        got = daily.set_index(["staff_id", "date"])[col]
        expected = counted.reindex(got.index, fill_value=0)
        assert (got.to_numpy() == expected.to_numpy()).all(), col
        assert got.sum() == len(c), col


def test_pass_rates_come_back_per_staff_member(store):
    tables, truth = store
    staff = truth["private_domain"]["wecom"]["staff"]
    daily = tables["staff_daily"].groupby("staff_id")[["requests_sent", "requests_passed"]].sum()
    for sid, row in daily.iterrows():
        p, n = staff[sid]["pass_prob"], row["requests_sent"]
        assert abs(row["requests_passed"] / n - p) < 4 * np.sqrt(p * (1 - p) / n), sid
    rate = np.array([s["requests_per_day"] for s in staff.values()])
    prob = np.array([s["pass_prob"] for s in staff.values()])
    assert truth["private_domain"]["expected_pass_rate"] == pytest.approx((rate * prob).sum() / rate.sum())


def test_friend_add_share_is_p_add_within_sampling_error(store):
    tables, truth = store
    p_add = truth["private_domain"]["friend_add_rate"]
    assert 0.30 <= p_add <= 0.45
    first = paid_first(tables["orders"])
    contacts = tables["contacts"].dropna(subset=["customer_id"]).set_index("customer_id")
    # first order at least 30 days before the end: an add after the end is then negligible
    new = first[(first >= PD_START) & (first < END - 30 * DAY)]
    added = new.index.isin(contacts.index)
    n = len(new)
    assert n > 1500
    assert abs(added.mean() - p_add) < 4 * np.sqrt(p_add * (1 - p_add) / n)
    after = contacts.loc[new.index[added], "added_at"] > new[added]
    assert abs(after.mean() - 0.75) < 4 * np.sqrt(0.75 * 0.25 / added.sum())
    old = first[first < PD_START]
    assert abs(old.index.isin(contacts.index).mean() - 0.15) < 4 * np.sqrt(0.15 * 0.85 / len(old))
    prospects = tables["contacts"]["customer_id"].isna().sum()
    assert prospects == round(0.30 * contacts.shape[0])


# ----------------------------------------------------------------------------------- groups


def test_leaves_per_member_day_recover_the_planted_rate(store):
    tables, truth = store
    members = tables["group_members"].merge(tables["groups"][["group_id", "group_type"]], on="group_id")
    stay_from = members["joined_at"].clip(lower=PD_START)
    stay_to = members["left_at"].fillna(END).clip(upper=END)
    members = members.assign(days=((stay_to - stay_from) / DAY).clip(lower=0),
                             leaves=members["left_at"].between(PD_START, END, inclusive="left"))
    by_type = members.groupby("group_type")[["days", "leaves"]].sum()
    planted = truth["private_domain"]["groups"]["by_type"]
    for kind, mu in zip(GROUP_TYPES, GROUP_LEAVE_RATE, strict=True):
        days, leaves = by_type.loc[kind]
        assert abs(leaves - mu * days) < 4 * np.sqrt(mu * days), kind
        assert planted[kind]["leave_rate_realised"] == pytest.approx(leaves / days)


def test_group_daily_adds_up(store):
    tables, _ = store
    daily = tables["group_daily"].sort_values(["group_id", "date"])
    nxt = daily.groupby("group_id")["members"].shift(-1)
    flow = daily["members"] + daily["joined"] - daily["left"]
    assert (nxt.dropna() == flow[nxt.notna()]).all()
    assert (daily["active_members"] <= daily["messages"]).all()
    members = tables["group_members"]
    inside = members[(members["joined_at"] >= PD_START)]
    joined = inside.groupby(["group_id", inside["joined_at"].dt.floor("D")]).size()
    got = daily.set_index(["group_id", "date"])["joined"]
    assert (got.to_numpy() == joined.reindex(got.index, fill_value=0).to_numpy()).all()
    contact_members = members["customer_id"].notna()
    assert abs(contact_members.mean() - 0.8) < 0.03
    assert members.loc[contact_members, "member_id"].isin(tables["contacts"]["contact_id"]).all()


# ---------------------------------------------------------------------------- touches, SOP


def test_holdout_arm_has_no_1v1_touch_and_the_sop_arm_one(store):
    tables, _ = store
    exp = tables["experiments"]
    sop = exp[exp["experiment_id"] == "sop_holdout"]
    assert set(sop["variant"]) == {"sop", "holdout"}
    assert abs((sop["variant"] == "holdout").mean() - 0.2) < 4 * np.sqrt(0.16 / len(sop))
    one = tables["touches"][tables["touches"]["kind"] == "1v1"].merge(sop, on="customer_id")
    in_window = one[(one["ts"] >= one["assigned_at"]) & (one["ts"] <= one["assigned_at"] + 30 * DAY)]
    assert not (in_window["variant"] == "holdout").any()
    per = in_window[in_window["variant"] == "sop"].groupby("customer_id")["ts"].agg(["size", "max"])
    assert (per["size"] == 1).all()
    assert len(per) == (sop["variant"] == "sop").sum()
    early = in_window[in_window["variant"] == "sop"]
    assert (early["ts"] <= early["assigned_at"] + 3 * DAY).all()


def test_extra_orders_skip_the_shops_experiments(store):
    tables, truth = store
    orders, items = tables["orders"], tables["order_items"]
    extra = orders[orders["order_id"].str.startswith("T")]
    assert len(extra) == truth["private_domain"]["extra_orders"]["orders"] > 0
    assert extra["order_id"].str.fullmatch(r"T\d{7}").all()
    assert set(extra["channel"]) == {"企业微信"} and set(extra["status"]) == {"paid"}
    exp = tables["experiments"]
    in_exp = set(exp.loc[exp["experiment_id"].str.startswith("exp_"), "customer_id"])
    assert not set(extra["customer_id"]) & in_exp
    touched = set(tables["touches"].loc[tables["touches"]["kind"] == "1v1", "customer_id"])
    assert not touched & in_exp
    assert set(extra["customer_id"]) <= touched
    # an extra order repeats the lines of an earlier paid order of its customer, at list price
    lines = items[items["order_id"].isin(extra["order_id"])].merge(tables["products"], on="sku_id")
    assert set(lines["order_id"]) == set(extra["order_id"])
    assert (lines["unit_price"] == lines["list_price"]).all()
    gross = (lines["quantity"] * lines["unit_price"]).groupby(lines["order_id"]).sum()
    assert np.allclose(gross.loc[extra["order_id"]].to_numpy(), extra["amount"].to_numpy())
    assert (extra["discount"] == 0).all() and extra["campaign_id"].isna().all()
    assert orders["ordered_at"].is_monotonic_increasing


def test_touch_effect_truth_follows_from_the_tables(store):
    tables, truth = store
    pd_truth = truth["private_domain"]
    exp = tables["experiments"]
    sop = exp[exp["experiment_id"] == "sop_holdout"]
    orders = tables["orders"]
    organic = orders[(orders["status"] == "paid") & ~orders["order_id"].str.startswith("T")]
    m = sop.merge(organic, on="customer_id", how="left")
    hit = (m["ordered_at"] > m["assigned_at"]) & (m["ordered_at"] <= m["assigned_at"] + 30 * DAY)
    share = hit.groupby(m["customer_id"]).any().reindex(sop["customer_id"]).mean()
    assert pd_truth["touch_effect"] == pytest.approx(0.06 * (1 - share))
    assert pd_truth["touch_effect_per_touch"] == 0.06
    assert pd_truth["naive_bias_direction"] in ("up", "down")
    assert 0.45 <= pd_truth["session_open_rate"] <= 0.65


def entries_of(orders: pd.DataFrame) -> pd.DataFrame:
    """Stage entries from the organic paid orders, as the generator defines them: new (first
    paid order), active (second), silent (each 60-day gap: previous order + 60 days)."""
    paid = orders[(orders["status"] == "paid") & ~orders["order_id"].str.startswith("T")]
    paid = paid.sort_values(["customer_id", "ordered_at"])
    g = paid.groupby("customer_id")["ordered_at"]
    rank, nxt = g.cumcount(), g.shift(-1)
    quiet = paid[(nxt - paid["ordered_at"] > 60 * DAY) | nxt.isna()]
    parts = [(paid[rank == 0], "new", 0 * DAY), (paid[rank == 1], "active", 0 * DAY),
             (quiet, "silent", 60 * DAY)]
    e = pd.concat([pd.DataFrame({"customer_id": p["customer_id"].to_numpy(), "at": p["ordered_at"] + lag,
                                 "stage": stage}) for p, stage, lag in parts], ignore_index=True)
    return e[(e["at"] >= PD_START) & (e["at"] <= END - 30 * DAY)].reset_index(drop=True)


def test_observational_touches_are_confounded_with_slope_one(store):
    tables, truth = store
    orders, contacts, exp = tables["orders"], tables["contacts"], tables["experiments"]
    e = entries_of(orders)
    assert e["stage"].value_counts().to_dict() == truth["private_domain"]["touches"]["entries"]
    c = contacts.dropna(subset=["customer_id"])
    e = e.merge(c[["customer_id", "added_at", "deleted_at"]], on="customer_id")
    e = e[(e["added_at"] <= e["at"] + 3 * DAY) & ~(e["deleted_at"] <= e["at"])]
    e = e[~e["customer_id"].isin(exp.loc[exp["experiment_id"].str.startswith("exp_"), "customer_id"])]
    sop = exp[exp["experiment_id"] == "sop_holdout"].set_index("customer_id")["assigned_at"]
    assigned = e["customer_id"].map(sop)
    # the enrolled entries, and the enrolled customers' entries inside their 30 days, are not observed
    e = e[~((e["at"] >= assigned) & (e["at"] <= assigned + 30 * DAY))].reset_index(drop=True)
    paid = orders[(orders["status"] == "paid") & ~orders["order_id"].str.startswith("T")]
    prior = e.reset_index().merge(paid[["customer_id", "ordered_at"]], on="customer_id")
    prior = prior[(prior["ordered_at"] >= prior["at"] - 365 * DAY) & (prior["ordered_at"] < prior["at"])]
    x = np.log1p(prior.groupby("index").size().reindex(e.index, fill_value=0).to_numpy())
    one = tables["touches"][tables["touches"]["kind"] == "1v1"]
    t = e.reset_index().merge(one[["customer_id", "ts"]], on="customer_id")
    t = t[(t["ts"] > t["at"]) & (t["ts"] <= t["at"] + t["stage"].map(STAGE_WINDOW_DAYS) * DAY)]
    touched = e.index.isin(t["index"])
    counts = pd.Series(touched).groupby(e["stage"]).sum().to_dict()
    planted = truth["private_domain"]["touches"]["observational_touched"]
    assert all(abs(counts[k] - planted[k]) <= 0.05 * planted[k] for k in planted)  # windows may overlap
    z = (x - x.mean()) / x.std()
    fit = sm.Logit(touched.astype(float), sm.add_constant(z)).fit(disp=0)
    slope, se = fit.params[1], fit.bse[1]
    assert abs(slope - 1.0) < 4 * se and se < 0.1
    assert abs(touched.mean() - 0.5) < 0.05


def test_posts_open_rates_come_back(store):
    tables, truth = store
    posts = tables["posts"]
    planted = truth["private_domain"]["posts"]["open_rate_planted"]
    for (channel, kind), g in posts.groupby(["channel", "kind"]):
        p, n = planted[channel][kind], g["reach"].sum()
        assert abs(g["opens"].sum() / n - p) < 4 * np.sqrt(p * (1 - p) / n), (channel, kind)
    hours = posts.loc[posts["channel"] == "朋友圈", "posted_at"].dt.hour
    assert hours.isin([7, 8, 12, 13, 20, 21]).mean() > 0.4
    assert (posts.loc[posts["channel"] == "视频号", "posted_at"].dt.hour == 20).all()


# ------------------------------------------------------------------ determinism, switched off


def test_same_seed_gives_identical_private_domain():
    a_tables, a_truth = demo.generate_store(600, 5)
    b_tables, b_truth = demo.generate_store(600, 5)
    for name in (*schema.PRIVATE_TABLES, "orders", "order_items", "experiments"):
        assert_frame_equal(a_tables[name], b_tables[name])
    assert json.dumps(demo.truth_for_json(a_truth)) == json.dumps(demo.truth_for_json(b_truth))


def test_switching_it_off_changes_nothing_else():
    (on, on_truth), (off, off_truth) = pair()
    assert set(on) - set(off) == set(schema.PRIVATE_TABLES)
    assert "private_domain" not in off_truth
    orders = on["orders"]
    organic = orders[~orders["order_id"].str.startswith("T")]
    assert_frame_equal(organic.reset_index(drop=True), off["orders"])
    items = on["order_items"]
    assert_frame_equal(items[~items["order_id"].str.startswith("T")].reset_index(drop=True),
                       off["order_items"])
    exp = on["experiments"]
    assert_frame_equal(exp[exp["experiment_id"].str.startswith("exp_")].reset_index(drop=True),
                       off["experiments"])
    for name in ("products", "customers", "events", "campaigns", "group_buys"):
        assert_frame_equal(on[name], off[name])
    assert on_truth["experiments"] == off_truth["experiments"]  # A/B truths exactly as they were
    for key in ("purchase_process", "campaigns", "seasonality", "sku_margins", "customers", "events"):
        assert on_truth[key] == off_truth[key], key
    assert_frame_equal(on_truth["_customers"].drop(columns="orders_in_window"),
                       off_truth["_customers"].drop(columns="orders_in_window"))
    # the realised order figures count the extra orders, as the tables hold them
    paid = orders[orders["status"] == "paid"]
    assert on_truth["orders"]["gmv_paid"] == pytest.approx(paid["amount"].sum(), abs=0.005)
    assert on_truth["orders"]["aov_realised"] == pytest.approx(orders["amount"].mean())
    refunded = (orders["status"] == "refunded").mean()
    assert on_truth["orders"]["refund_rate_realised"] == pytest.approx(refunded)
    assert on_truth["orders"]["channel_shares_realised"]["企业微信"] == pytest.approx(
        (orders["channel"] == "企业微信").mean())
    counts = orders["customer_id"].value_counts()
    tc = on_truth["_customers"].set_index("customer_id")
    assert (counts.reindex(tc.index, fill_value=0) == tc["orders_in_window"]).all()
    lines = on["order_items"].merge(on["products"], on="sku_id")
    margin = lines.assign(v=lines["quantity"] * lines["unit_price"], c=lines["quantity"] * lines["unit_cost"])
    by_cat = margin.groupby("category")[["v", "c"]].sum()
    for cat, row in by_cat.iterrows():
        got = on_truth["categories"][cat]["gmv_weighted_margin_all"]
        assert got == pytest.approx(1 - row["c"] / row["v"], abs=1e-9)


# ------------------------------------------------------------------------------ the sample


def test_the_sample_private_domain_is_reproducible(tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    paths = write_private_domain(folder, SAMPLE_PD_SEED, group_size_scale=SAMPLE_GROUP_SIZE_SCALE)
    assert [p.name for p in paths] == [f"{t}.csv" for t in schema.PRIVATE_TABLES]
    for p in paths:
        assert p.read_bytes() == (SAMPLE / p.name).read_bytes(), p.name
    loaded = load_store(SAMPLE, cache=False)
    quality = loaded.quality.set_index("table")
    for name in schema.PRIVATE_TABLES:
        assert quality.loc[name, "rows_rejected"] == 0, name
    contacts = loaded.tables["contacts"]
    assert set(contacts["customer_id"].dropna()) <= set(loaded.tables["customers"]["customer_id"])
