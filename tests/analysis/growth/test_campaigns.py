"""Campaign effects (wxshop.analysis.growth.campaigns): a noiseless hand-made series, the interval
formula against statsmodels, a null simulation of placebo campaigns, and the planted lifts of a
demo store."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from wxshop import demo
from wxshop.analysis.growth.campaigns import (
    REFERENCE,
    bunching,
    by_type,
    campaign_effects,
    campaign_spans,
    daily_series,
    threshold_bunching,
)
from wxshop.demo.settings import PULL_FORWARD_DAYS, SPRING_FESTIVAL

EFFECTS = [
    "campaign_id", "name", "type", "start", "end", "days", "orders", "campaign_orders", "participation",
    "buyers", "aov", "baseline_aov", "aov_uplift", "gmv", "baseline_gmv", "incremental_gmv",
    "incremental_gmv_low", "incremental_gmv_high", "baseline_orders", "incremental_orders", "orders_lift",
    "lift_low", "lift_high", "after_incremental_orders", "after_low", "after_high", "campaign_gmv",
    "discount_cost", "fixed_cost", "cost", "roi_gmv", "incremental_profit", "roi_incremental",
    "significant", "note",
]
DAILY = ["day", "orders", "gmv", "discount", "campaign_orders"]
SPANS = ["campaign_id", "name", "type", "start", "end", "threshold", "fixed_cost"]
TYPES = ["type", "campaigns", "participation", "aov_uplift", "gmv", "cost", "roi_gmv", "incremental_gmv",
         "significant", "reference_roi", "reference_participation", "reference_aov_uplift"]

# 60,000 customers (~290,000 orders, generated in ~3 s): festival, member-day and 满减 lifts come
# out with intervals a few points wide. With seed 7 the test covers 14 member days, 15 满减 and
# 5 festivals (女神节 never has a 28-day baseline: 年货节 and 春节 fill its 56 days).
DEMO_CUSTOMERS = 60_000
FIRST = pd.Timestamp("2025-01-06")  # a Monday
WEEKDAY_EXTRA = np.array([0, 2, 4, 6, 8, 20, 15])  # Monday … Sunday


@lru_cache(maxsize=1)
def demo_store() -> tuple[dict[str, pd.DataFrame], dict]:
    return demo.generate_store(DEMO_CUSTOMERS, 7, store_id="t")


def frame(counts: np.ndarray, first: pd.Timestamp = FIRST, amount: float | np.ndarray = 100.0,
          discount: float = 0.0, campaign: str | None = None, customers: list[str] | None = None,
          status: str = "paid", tag: str = "o") -> pd.DataFrame:
    """Orders: counts[i] orders on day i after ``first`` (at noon)."""
    day = np.repeat(np.arange(len(counts)), counts)
    n = day.size
    who = customers * (n // len(customers) + 1) if customers else [f"{tag}{i}" for i in range(n)]
    return pd.DataFrame({
        "order_id": [f"{tag}{i}" for i in range(n)], "customer_id": who[:n],
        "ordered_at": first + pd.to_timedelta(day, "D") + pd.Timedelta(hours=12),
        "amount": np.broadcast_to(amount, n).astype(float), "status": status,
        "discount": float(discount), "campaign_id": campaign,
    })


def base_counts(days: int = 120) -> np.ndarray:
    """Noiseless paid orders per day: 60 + weekday extra + day index (exactly linear)."""
    t = np.arange(days)
    return 60 + WEEKDAY_EXTRA[(FIRST.day_of_week + t) % 7] + t


def on(days: int, first_day: int, last_day: int, per_day: int) -> np.ndarray:
    """per_day on days first_day..last_day (inclusive), 0 elsewhere."""
    out = np.zeros(days, np.int64)
    out[first_day:last_day + 1] = per_day
    return out


def day(i: int) -> pd.Timestamp:
    return FIRST + pd.Timedelta(days=i)


# ---------------------------------------------------------------- noiseless hand-made series


K = 7  # extra orders a day during C1


def noiseless_orders(spikes: tuple[int, ...] = ()) -> pd.DataFrame:
    base = base_counts()
    base[list(spikes)] += 40
    parts = [
        frame(base),
        frame(on(120, 70, 74, K), amount=80.0, discount=20.0, campaign="C1", customers=["b0", "b1", "b2"],
              tag="c1_"),
        frame(on(120, 80, 81, 10), campaign="C2", tag="c2_"),
        frame(on(120, 10, 11, 3), campaign="C0", tag="c0_"),
        # ignored: refunded and cancelled orders, and an order without a time
        frame(on(120, 30, 74, 5), amount=999.0, campaign="C1", status="refunded", tag="r"),
        frame(on(120, 60, 64, 2), amount=500.0, status="cancelled", tag="x"),
    ]
    orders = pd.concat(parts, ignore_index=True)
    lost = frame(np.array([1]), tag="nat_").assign(ordered_at=pd.NaT)
    return pd.concat([orders, lost], ignore_index=True)


def noiseless_table() -> pd.DataFrame:
    return pd.DataFrame({
        "campaign_id": ["C1", "C2", "C0"], "name": ["满199减20", "秒杀", "早鸟"],
        "type": ["满减", "秒杀", "折扣"],
        "start": [day(70), day(80).strftime("%Y-%m-%d"), day(10)],
        "end": [day(74), day(81).strftime("%Y-%m-%d"), day(11)],
        "threshold": [199.0, np.nan, np.nan], "fixed_cost": [500.0, np.nan, 0.0],
    })


def test_noiseless_series_gives_the_planted_increment_exactly():
    e = campaign_effects(noiseless_orders(), noiseless_table(), gross_margin=0.3).set_index("campaign_id")
    assert list(e.reset_index().columns) == EFFECTS
    assert list(e.index) == ["C0", "C1", "C2"]
    base = base_counts()
    sb = base[70:75].sum()  # what C1's days would have had
    c1 = e.loc["C1"]
    assert (c1["days"], c1["orders"], c1["campaign_orders"], c1["buyers"]) == (5, sb + 5 * K, 5 * K, 3)
    assert c1["incremental_orders"] == pytest.approx(K * 5, abs=1e-6)
    assert c1["baseline_orders"] == pytest.approx(sb, abs=1e-6)
    assert c1["orders_lift"] == pytest.approx((sb + 5 * K) / sb, abs=1e-9)
    assert c1["lift_low"] == pytest.approx(c1["orders_lift"], abs=1e-6)
    assert c1["lift_high"] == pytest.approx(c1["orders_lift"], abs=1e-6)
    # C2's two days lie in C1's 14 after days and are left out there: no dip, no surplus
    assert c1["after_incremental_orders"] == pytest.approx(0, abs=1e-6)
    assert c1["after_high"] - c1["after_low"] == pytest.approx(0, abs=1e-6)
    assert c1["participation"] == pytest.approx(5 * K / (sb + 5 * K))
    gmv = 100 * sb + 80 * 5 * K
    assert c1["gmv"] == pytest.approx(gmv)
    assert c1["baseline_gmv"] == pytest.approx(100 * sb, abs=0.01)
    assert c1["incremental_gmv"] == pytest.approx(80 * 5 * K, abs=0.01)
    assert c1["aov"] == pytest.approx(gmv / (sb + 5 * K), abs=0.005)
    assert c1["baseline_aov"] == pytest.approx(100.0)
    assert c1["aov_uplift"] == pytest.approx(gmv / (sb + 5 * K) / 100 - 1)
    assert (c1["campaign_gmv"], c1["discount_cost"], c1["fixed_cost"], c1["cost"]) == (2800, 700, 500, 1200)
    assert c1["roi_gmv"] == pytest.approx(2800 / 1200)
    assert c1["incremental_profit"] == pytest.approx(0.3 * 2800 - 500, abs=0.01)
    assert c1["roi_incremental"] == pytest.approx((0.3 * 2800 - 500) / 1200, abs=1e-5)
    assert bool(c1["significant"]) and c1["note"] == ""
    assert (c1["name"], c1["type"], c1["start"], c1["end"]) == ("满199减20", "满减", day(70), day(74))
    # C2: its baseline leaves C1's days out, so it is exact too; unknown fixed cost counts 0
    c2 = e.loc["C2"]
    assert c2["incremental_orders"] == pytest.approx(20, abs=1e-6)
    assert (c2["fixed_cost"], c2["cost"], c2["discount_cost"]) == (0, 0, 0)
    assert np.isnan(c2["roi_gmv"]) and np.isnan(c2["roi_incremental"])
    # C0: ten days into the data, no baseline; the descriptive figures are still there
    c0 = e.loc["C0"]
    assert c0["note"] == "baseline_too_short" and not c0["significant"]
    assert (c0["orders"], c0["campaign_orders"]) == (base[10:12].sum() + 6, 6)
    model = ["baseline_gmv", "incremental_gmv", "incremental_gmv_low", "incremental_gmv_high",
             "baseline_orders", "incremental_orders", "orders_lift", "lift_low", "lift_high",
             "after_incremental_orders", "after_low", "after_high", "incremental_profit"]
    assert c0[model].isna().all()


def test_without_a_margin_profit_is_nan_and_a_dip_after_shows_as_pull_forward():
    base = base_counts()
    base[75:80] -= 4  # 4 orders a day fewer on the five days after the campaign
    orders = pd.concat([frame(base), frame(on(120, 70, 74, K), campaign="C1", tag="c_")], ignore_index=True)
    e = campaign_effects(orders)  # derived span: days 70..74
    assert (e["start"].iloc[0], e["end"].iloc[0], e["type"].iloc[0]) == (day(70), day(74), "—")
    assert e["incremental_orders"].iloc[0] == pytest.approx(5 * K, abs=1e-6)
    assert e["after_incremental_orders"].iloc[0] == pytest.approx(-20, abs=1e-6)
    assert np.isnan(e["incremental_profit"].iloc[0])
    short = campaign_effects(orders, after_days=3)
    assert short["after_incremental_orders"].iloc[0] == pytest.approx(-12, abs=1e-6)


def test_exclude_leaves_days_out_of_the_baseline():
    spikes = (40, 41, 50)
    orders = noiseless_orders(spikes)
    e = campaign_effects(orders, noiseless_table()).set_index("campaign_id")
    assert abs(e.loc["C1", "incremental_orders"] - 5 * K) > 1  # the spikes bias the trend
    skip = [day(40).strftime("%Y-%m-%d"), day(41).date(), day(50)]
    e = campaign_effects(orders, noiseless_table(), exclude=skip).set_index("campaign_id")
    assert e.loc["C1", "incremental_orders"] == pytest.approx(5 * K, abs=1e-6)
    e = campaign_effects(orders, noiseless_table(), exclude=day(40))  # a single date
    assert len(e) == 3


def test_baseline_needs_28_days_with_two_of_each_weekday():
    orders = noiseless_orders()
    table = noiseless_table()
    assert campaign_effects(orders, table, baseline_days=27).set_index("campaign_id").loc[
        "C1", "note"] == "baseline_too_short"
    ok = campaign_effects(orders, table, baseline_days=28).set_index("campaign_id").loc["C1"]
    assert ok["note"] == "" and ok["incremental_orders"] == pytest.approx(5 * K, abs=1e-6)
    # C1's baseline is days 14..69: leaving out all its Sundays but k of them
    sundays = [day(i) for i in range(14, 70) if day(i).day_of_week == 6]
    for kept, note in ((0, "baseline_too_short"), (1, "baseline_too_short"), (2, "")):
        e = campaign_effects(orders, table, exclude=sundays[kept:]).set_index("campaign_id")
        assert e.loc["C1", "note"] == note
    assert e.loc["C1", "incremental_orders"] == pytest.approx(5 * K, abs=1e-6)
    with pytest.raises(ValueError):
        campaign_effects(orders, table, alpha=1.5)
    with pytest.raises(ValueError):
        campaign_effects(orders, table, gross_margin=2)
    with pytest.raises(ValueError):
        campaign_effects(orders, table, baseline_days=0)


# ------------------------------------------------------------- the interval against statsmodels


def poisson_orders(seed: int, days: int, level: float = 100.0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    w = np.array([0.94, 0.93, 0.96, 0.98, 1.03, 1.10, 1.06])
    t = np.arange(days)
    counts = rng.poisson(level * w[(FIRST.day_of_week + t) % 7] * (1 + 0.001 * t))
    orders = frame(counts, amount=rng.gamma(2.0, 40.0, counts.sum()).round(2))
    return orders, counts


def reference_fit(y: np.ndarray, base: np.ndarray) -> tuple[object, np.ndarray]:
    """The test's own design: one dummy per weekday (no intercept) and the raw day index."""
    def design(days: np.ndarray) -> np.ndarray:
        wd = (FIRST.day_of_week + days) % 7
        return np.column_stack([(wd[:, None] == np.arange(7)).astype(float), days.astype(float)])
    return sm.OLS(y[base], design(base)).fit(), design


def test_interval_matches_statsmodels_prediction():
    orders, counts = poisson_orders(3, 150)
    table = pd.DataFrame({"campaign_id": ["C", "D"], "start": [day(100), day(120)],
                          "end": [day(104), day(120)]})
    alpha = 0.1
    e = campaign_effects(orders, table, alpha=alpha).set_index("campaign_id")
    # C: five days, baseline days 44..99
    res, design = reference_fit(counts, np.arange(44, 100))
    xc = design(np.arange(100, 105))
    g = xc.sum(0)
    var = g @ np.asarray(res.cov_params()) @ g + 5 * res.scale
    half = stats.t.ppf(1 - alpha / 2, res.df_resid) * np.sqrt(var)
    inc = counts[100:105].sum() - (xc @ res.params).sum()
    c = e.loc["C"]
    assert c["incremental_orders"] == pytest.approx(inc, rel=1e-9)
    assert (c["lift_high"] - c["lift_low"]) / 2 * c["baseline_orders"] == pytest.approx(half, rel=1e-9)
    assert c["lift_low"] == pytest.approx((counts[100:105].sum() - half) / (xc @ res.params).sum(), rel=1e-9)
    # D: one day, baseline days 64..119 without C's days 100..104
    base = np.setdiff1d(np.arange(64, 120), np.arange(100, 105))
    res, design = reference_fit(counts, base)
    band = res.get_prediction(design(np.array([120]))).summary_frame(alpha=alpha)
    d = e.loc["D"]
    assert d["baseline_orders"] == pytest.approx(band["mean"].iloc[0], rel=1e-9)
    low = counts[120] - band["obs_ci_upper"].iloc[0]  # actual − prediction interval, shifted
    high = counts[120] - band["obs_ci_lower"].iloc[0]
    assert d["incremental_orders"] == pytest.approx(counts[120] - band["mean"].iloc[0], rel=1e-9)
    assert d["lift_low"] * d["baseline_orders"] - d["baseline_orders"] == pytest.approx(low, rel=1e-9)
    assert d["lift_high"] * d["baseline_orders"] - d["baseline_orders"] == pytest.approx(high, rel=1e-9)
    # the GMV interval of D, against the same computation on daily GMV (rounded to the fen)
    gmv = np.bincount((orders["ordered_at"] - FIRST).dt.days, weights=orders["amount"])
    res, design = reference_fit(gmv, base)
    band = res.get_prediction(design(np.array([120]))).summary_frame(alpha=alpha)
    assert d["incremental_gmv_low"] == pytest.approx(gmv[120] - band["obs_ci_upper"].iloc[0], abs=0.006)
    assert d["incremental_gmv_high"] == pytest.approx(gmv[120] - band["obs_ci_lower"].iloc[0], abs=0.006)
    assert bool(d["significant"]) == bool(d["incremental_gmv_low"] > 0 or d["incremental_gmv_high"] < 0)


# ------------------------------------------------------------------------------ null simulation


def placebo_windows(rng: np.random.Generator, days: int, count: int) -> list[tuple[int, int]]:
    """``count`` non-overlapping windows of 1–11 days starting after day 60, a day apart at least."""
    taken = np.zeros(days + 1, bool)
    out: list[tuple[int, int]] = []
    while len(out) < count:
        length = int(rng.integers(1, 12))
        s = int(rng.integers(61, days - length))
        if not taken[s - 1:s + length + 1].any():
            taken[s:s + length] = True
            out.append((s, s + length - 1))
    return out


def test_null_simulation_flags_about_alpha_of_placebo_campaigns():
    """40 seeded stores of 400 days (Poisson orders, ~200 a day, weekday pattern × a slow trend,
    gamma amounts) with 8 placebo campaigns each: no effect anywhere."""
    alpha, days = 0.05, 400
    rng = np.random.default_rng(20250601)
    w = np.array([0.94, 0.93, 0.96, 0.98, 1.03, 1.10, 1.06])
    t = np.arange(days)
    rows = []
    for _ in range(40):
        counts = rng.poisson(200 * w[(FIRST.day_of_week + t) % 7] * (1 + 0.25 * t / days))
        at = FIRST + pd.to_timedelta(np.repeat(t, counts), "D")
        orders = pd.DataFrame({"ordered_at": at, "amount": rng.gamma(2.0, 40.0, counts.sum())})
        spans = placebo_windows(rng, days, 8)
        table = pd.DataFrame({"campaign_id": [f"P{i}" for i in range(len(spans))],
                              "start": [day(s) for s, _ in spans], "end": [day(e) for _, e in spans]})
        rows.append(campaign_effects(orders, table, alpha=alpha))
    e = pd.concat(rows, ignore_index=True)
    e = e[e["note"] == ""]
    n = len(e)
    assert n >= 300
    bound = alpha + 3 * np.sqrt(alpha * (1 - alpha) / n)
    gmv_rate = e["significant"].mean()
    orders_rate = ((e["lift_low"] > 1) | (e["lift_high"] < 1)).mean()
    after_rate = ((e["after_low"] > 0) | (e["after_high"] < 0)).mean()
    print(f"null: {n} placebo windows, flagged GMV {gmv_rate:.3f}, orders {orders_rate:.3f}, "
          f"after {after_rate:.3f} (bound {bound:.3f})")
    assert gmv_rate <= bound
    assert orders_rate <= bound
    assert after_rate <= bound
    assert (e["campaign_orders"] == 0).all() and e["participation"].eq(0).all()
    # incremental profit = incremental GMV × margin − fixed cost is increasing in GMV, so its
    # interval is the GMV interval mapped through it: a placebo shows a significant gain in profit
    # (lower bound above 0) no more often than α / 2 plus noise, at any margin and fixed cost
    for margin, fixed in ((0.4, 0.0), (0.25, 500.0)):
        profit_low = e["incremental_gmv_low"] * margin - fixed
        assert (profit_low > 0).mean() <= alpha / 2 + 3 * np.sqrt(alpha / 2 * (1 - alpha / 2) / n)
    with_margin = campaign_effects(orders, table.assign(fixed_cost=500.0), alpha=alpha, gross_margin=0.4)
    np.testing.assert_allclose(with_margin["incremental_profit"],
                               with_margin["incremental_gmv"] * 0.4 - 500.0, atol=0.01)


# ----------------------------------------------------------------------------- the demo store


def demo_exclude(tables: dict[str, pd.DataFrame], truth: dict | None = None) -> pd.DatetimeIndex:
    """春节: the shop's slowdown from 7 days before to 6 days after (wxshop.demo.shop_calendar);
    the experiments: their orders replace the participants' usual ones for 14 days after
    assignment, so from the first assignment to 14 days after the last; with ``truth``, also the
    pull-forward week after each campaign that has one (双11, 618), which would pull the
    baselines of the campaigns after it down."""
    spring = [pd.date_range(pd.Timestamp(d) - pd.Timedelta(days=7), pd.Timestamp(d) + pd.Timedelta(days=6))
              for d in SPRING_FESTIVAL.values()]
    trials = tables["experiments"]  # the A/B experiments, not the private domain's year-long touch holdout
    at = trials.loc[trials["experiment_id"] != "sop_holdout", "assigned_at"]
    trial = pd.date_range(at.min().normalize(), (at.max() + pd.Timedelta(days=14)).normalize())
    dips = [pd.date_range(pd.Timestamp(c["end"]) + pd.Timedelta(days=1), periods=PULL_FORWARD_DAYS)
            for c in (truth or {}).get("campaigns", []) if (c.get("after_ratio_planted") or 1) < 1]
    return pd.DatetimeIndex(np.concatenate([*(s.values for s in [*spring, *dips]), trial.values])).unique()


@lru_cache(maxsize=1)
def demo_effects() -> pd.DataFrame:
    tables, truth = demo_store()
    planted = pd.DataFrame(truth["campaigns"]).dropna(subset=["start"])  # experiment coupons: no dates
    table = tables["campaigns"]  # the demo's campaigns table (with fixed_cost and audience)
    assert sorted(table["campaign_id"]) == sorted(planted["campaign_id"])
    skip = demo_exclude(tables, truth)
    e = campaign_effects(tables["orders"], table, exclude=skip)
    e = e.merge(planted[["campaign_id", "lift_planted"]], on="campaign_id", validate="1:1")
    e = e.merge(table[["campaign_id", "fixed_cost"]].rename(columns={"fixed_cost": "table_cost"}),
                on="campaign_id", validate="1:1")
    days = skip.values.astype("datetime64[D]")
    e["touches_excluded"] = [
        bool(((days >= s) & (days <= t)).any())
        for s, t in zip(e["start"].values.astype("datetime64[D]"), e["end"].values.astype("datetime64[D]"),
                        strict=True)
    ]
    return e


def test_demo_planted_lifts_lie_in_the_intervals():
    e = demo_effects()
    tested = e[e["type"].isin(["节日", "会员日", "满减"]) & e["lift_low"].notna() & ~e["touches_excluded"]]
    covered = (tested["lift_low"] <= tested["lift_planted"]) & (tested["lift_planted"] <= tested["lift_high"])
    per_type = covered.groupby(tested["type"]).agg(["size", "sum"])
    print("demo coverage per type (tested, covered):", per_type.to_dict("index"))
    assert per_type.loc["节日", "size"] >= 4 and per_type.loc["会员日", "size"] >= 10
    assert per_type.loc["满减", "size"] >= 10
    assert covered.mean() >= 0.8  # pooled over the three types
    assert (per_type["sum"] / per_type["size"]).min() >= 0.6  # and no type far off
    fest = tested[tested["type"] == "节日"]
    err = (fest["orders_lift"] - fest["lift_planted"]).abs().mean()
    print(f"demo 节日 mean |orders_lift - lift_planted| = {err:.4f} over {len(fest)}")
    assert err < 0.08
    # every order's rate scales with the day's intensity: no dip after the campaigns planted
    # without one (the pull-forward weeks are excluded above, so no after window reads them)
    after = tested[tested["after_low"].notna()]
    zero_in = ((after["after_low"] <= 0) & (after["after_high"] >= 0)).mean()
    print(f"demo after-window intervals containing 0: {zero_in:.3f} of {len(after)}")
    assert len(after) >= 20 and zero_in >= 0.8
    # the festivals' planted lift is large: all significant
    assert fest["significant"].all()


def test_demo_pull_forward_after_the_big_sales_is_recovered():
    """双11 and 618 are planted with a week at 80% intensity after them: over the 14 days after,
    orders ÷ orders without the dip = truth's after_ratio_planted. The after window's increment
    and interval give the ratio actual ÷ (actual − increment), which must cover it, and the dip
    must be significant."""
    tables, truth = demo_store()
    planted = {c["campaign_id"]: c["after_ratio_planted"] for c in truth["campaigns"]
               if (c.get("after_ratio_planted") or 1) < 1}
    e = campaign_effects(tables["orders"], tables["campaigns"], exclude=demo_exclude(tables))
    e = e[e["campaign_id"].isin(planted) & e["after_low"].notna()].set_index("campaign_id")
    assert len(e) >= 2
    daily = daily_series(tables["orders"]).set_index("day")["orders"]
    busy = set()
    for s_, t_ in zip(tables["campaigns"]["start"], tables["campaigns"]["end"], strict=True):
        busy.update(pd.date_range(s_, t_))
    busy.update(demo_exclude(tables))
    found = []
    for cid, row in e.iterrows():
        window = [d for d in pd.date_range(row["end"] + pd.Timedelta(days=1), periods=14)
                  if d not in busy and d in daily.index]
        actual = daily[window].sum()
        ratio = actual / (actual - row["after_incremental_orders"])
        low, high = actual / (actual - row["after_low"]), actual / (actual - row["after_high"])
        found.append((planted[cid], ratio, low, high))
        print(f"{cid}: planted {planted[cid]:.3f}, recovered {ratio:.3f} [{low:.3f}, {high:.3f}]")
    found = np.array(found)
    assert (found[:, 1] < 1).all()  # every dip seen
    assert np.abs(found[:, 1] - found[:, 0]).mean() < 0.08  # and about its planted depth
    assert ((found[:, 2] <= found[:, 0]) & (found[:, 0] <= found[:, 3])).mean() >= 0.5


def test_demo_by_type_and_threshold_bunching():
    e = demo_effects()
    t = by_type(e).set_index("type")
    for kind, rows in e.groupby("type"):
        assert t.loc[kind, "campaigns"] == len(rows)
        assert t.loc[kind, "gmv"] == pytest.approx(rows["campaign_gmv"].sum(), abs=0.02)
        roi = rows["campaign_gmv"].sum() / rows["cost"].sum()
        assert t.loc[kind, "roi_gmv"] == pytest.approx(roi, rel=1e-3)
    assert t.loc["节日", "reference_roi"] == REFERENCE["节日"]["roi"]
    # the table's fixed cost is added to the discounts of the campaign orders
    assert np.allclose(e["fixed_cost"], e["table_cost"].fillna(0))
    assert np.allclose(e["cost"], e["discount_cost"] + e["fixed_cost"], atol=0.011)
    assert (e["campaign_gmv"] > 0).all() and (e["discount_cost"] > 0).all()
    # 满129减15 in the demo: a discount only reaches baskets of 129 or more, so no campaign order of
    # a 满减 campaign lies just below the threshold
    tables, _ = demo_store()
    mj = e.loc[e["type"] == "满减", "campaign_id"].iloc[5]
    b = threshold_bunching(tables["orders"], 129, campaign_id=mj)
    assert b["just_below"] == 0 and b["just_above"] > 0 and np.isnan(b["ratio"])
    assert b["baseline_just_below"] > 0 and np.isfinite(b["baseline_ratio"])


# ------------------------------------------------------------------------- the other functions


def test_daily_series_counts_paid_orders_per_day_with_empty_days():
    orders = pd.DataFrame({
        "ordered_at": pd.to_datetime(["2025-03-01 23:59", "2025-03-04 00:00", "2025-03-04 10:00",
                                      "2025-03-04 11:00", "2025-03-02 09:00", None]),
        "amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0],
        "status": ["paid", "paid", "paid", "cancelled", "refunded", "paid"],
        "campaign_id": [None, "A", " ", "A", "A", "A"],
        "discount": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0],
    })
    d = daily_series(orders)
    assert list(d.columns) == DAILY
    assert d["day"].tolist() == list(pd.date_range("2025-03-01", "2025-03-04"))
    assert d["orders"].tolist() == [1, 0, 0, 2]
    assert d["gmv"].tolist() == [10.0, 0.0, 0.0, 50.0]
    assert d["discount"].tolist() == [1.0, 0.0, 0.0, 2.0]
    assert d["campaign_orders"].tolist() == [0, 0, 0, 1]  # a blank id is no campaign
    no_discount = daily_series(orders.drop(columns=["discount", "campaign_id"]))
    assert no_discount["discount"].eq(0).all() and no_discount["campaign_orders"].eq(0).all()


def test_campaign_spans_from_a_table_and_derived():
    orders = pd.DataFrame({
        "ordered_at": pd.to_datetime(["2025-03-02", "2025-03-09", "2025-03-05", "2025-03-20", "2025-03-25"]),
        "amount": 10.0, "status": ["paid", "paid", "paid", "refunded", "paid"],
        "campaign_id": ["B", "B", "A", "A", None],
    })
    derived = campaign_spans(orders)
    assert list(derived.columns) == SPANS
    assert derived["campaign_id"].tolist() == ["B", "A"]  # by start
    assert derived["end"].tolist() == [pd.Timestamp("2025-03-09"), pd.Timestamp("2025-03-05")]  # paid only
    assert derived["type"].eq("—").all() and derived["fixed_cost"].isna().all()
    table = pd.DataFrame({
        "campaign_id": ["A", "B", "A", "Z"], "type": ["节日", None, "满减", "秒杀"],
        "start": ["2025-03-01", None, "2025-01-01", None], "end": [pd.Timestamp("2025-03-08 18:00"), None,
                                                                   "2025-01-02", None],
        "fixed_cost": [100, 5, 1, 2],
    })
    s = campaign_spans(orders, table).set_index("campaign_id")
    assert list(s.index) == ["A", "B"]  # Z has no dates and no orders: left out; A listed twice: first
    ts = pd.Timestamp
    assert (s.loc["A", "start"], s.loc["A", "end"]) == (ts("2025-03-01"), ts("2025-03-08"))
    assert (s.loc["B", "start"], s.loc["B", "end"]) == (ts("2025-03-02"), ts("2025-03-09"))
    assert (s.loc["A", "name"], s.loc["B", "name"], s.loc["B", "type"]) == ("A", "B", "—")
    assert s.loc["A", "fixed_cost"] == 100 and np.isnan(s.loc["A", "threshold"])
    with pytest.raises(ValueError, match="end before start"):
        campaign_spans(orders, pd.DataFrame({"campaign_id": ["X"], "start": ["2025-03-05"],
                                             "end": ["2025-03-01"]}))


def test_by_type_against_hand_sums():
    effects = pd.DataFrame({
        "type": ["会员日", "满减", "会员日", "拼团", "满减"],
        "participation": [0.5, 0.3, np.nan, 0.1, 0.2], "aov_uplift": [0.1, -0.1, 0.3, 0.0, 0.4],
        "campaign_gmv": [100.0, 200.0, 300.0, 50.0, 0.0], "cost": [10.0, 50.0, 30.0, 0.0, 0.0],
        "incremental_gmv": [40.0, np.nan, 60.0, np.nan, np.nan],
        "significant": [True, False, True, False, False],
    })
    t = by_type(effects)
    assert list(t.columns) == TYPES
    assert t["type"].tolist() == ["满减", "会员日", "拼团"]  # the playbook's order
    m = t.set_index("type")
    vip = m.loc["会员日", ["campaigns", "participation", "aov_uplift", "gmv", "cost", "roi_gmv",
                        "incremental_gmv", "significant"]]
    assert vip.tolist() == pytest.approx([2, 0.5, 0.2, 400.0, 40.0, 10.0, 100.0, 2])
    assert (m.loc["满减", "participation"], m.loc["满减", "roi_gmv"]) == pytest.approx((0.25, 4.0))
    assert np.isnan(m.loc["满减", "incremental_gmv"]) and np.isnan(m.loc["拼团", "roi_gmv"])
    assert m.loc["会员日", "reference_participation"] == 0.12 and m.loc["满减", "reference_aov_uplift"] == 0.2
    assert m.loc["拼团", ["reference_roi", "reference_participation", "reference_aov_uplift"]].isna().all()


def test_threshold_bunching_by_hand():
    orders = pd.DataFrame({
        "ordered_at": pd.to_datetime(["2025-03-01"] * 6 + ["2025-03-03"] * 5 + ["2025-03-02"]),
        # gross = amount + discount
        "amount": [85.0, 88.0, 95.0, 100.0, 89.0, 70.0, 91.0, 95.0, 99.0, 101.0, 200.0, 99.0],
        "discount": [15.0, 15.0, 15.0, 15.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        "status": ["paid"] * 11 + ["refunded"],
        "campaign_id": ["M"] * 4 + [None] * 8,
    })
    b = threshold_bunching(orders, 100)
    # every paid order: gross 100, 103, 110, 115, 89, 70, 91, 95, 99, 101, 200
    assert (b["just_below"], b["just_above"], b["ratio"]) == (3, 3, 1.0)
    m = threshold_bunching(orders, 100, width=0.2, campaign_id="M")
    assert (m["just_below"], m["just_above"]) == (0, 4) and np.isnan(m["ratio"])  # [80, 100), [100, 120)
    # baseline: paid orders outside M's day (2025-03-01): 91, 95, 99, 101, 200 (w = 0.2: [80, 120))
    assert (m["baseline_just_below"], m["baseline_just_above"], m["baseline_ratio"]) == (3, 1, 1 / 3)
    assert (b["baseline_just_below"], b["baseline_just_above"]) == (3, 1)
    with pytest.raises(ValueError):
        threshold_bunching(orders, 0)


def test_empty_and_campaignless_inputs_give_empty_frames():
    empty = pd.DataFrame({"order_id": pd.Series(dtype="str"), "customer_id": pd.Series(dtype="str"),
                          "ordered_at": pd.Series(dtype="datetime64[us]"), "amount": pd.Series(dtype=float),
                          "status": pd.Series(dtype="str"), "campaign_id": pd.Series(dtype="str")})
    assert daily_series(empty).empty and list(daily_series(empty).columns) == DAILY
    assert campaign_spans(empty).empty and list(campaign_spans(empty).columns) == SPANS
    e = campaign_effects(empty)
    assert e.empty and list(e.columns) == EFFECTS
    assert by_type(e).empty and list(by_type(e).columns) == TYPES
    b = threshold_bunching(empty, 99)
    assert (b["just_below"], b["just_above"], b["baseline_just_below"]) == (0, 0, 0) and np.isnan(b["ratio"])
    plain = frame(base_counts(90))
    for orders in (plain, plain.drop(columns="campaign_id"), plain.assign(campaign_id="")):
        assert campaign_effects(orders).empty and list(campaign_effects(orders).columns) == EFFECTS
        assert campaign_spans(orders).empty
    # a table whose campaigns lie outside the data
    table = pd.DataFrame({"campaign_id": ["late"], "start": ["2030-01-01"], "end": ["2030-01-03"]})
    out = campaign_effects(plain, table)
    assert out.empty and list(out.columns) == EFFECTS


def test_bunching_pools_every_order_on_the_days_of_campaigns_sharing_a_threshold():
    """All paid orders on the campaigns' days count (an order carries the campaign only once its
    basket reached 满X), pooled per threshold, against the paid orders of days with no campaign;
    counted again here from the gross baskets."""
    rng = np.random.default_rng(3)
    n = 600
    day = pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.integers(0, 40, n), unit="D")
    gross = np.round(rng.uniform(80, 120, n), 2)
    table = pd.DataFrame({"campaign_id": ["A", "B", "C"], "threshold": [100.0, 100.0, 90.0],
                          "start": ["2025-03-03", "2025-03-20", "2025-03-10"],
                          "end": ["2025-03-05", "2025-03-22", "2025-03-11"]})
    in_ab = (day.isin(pd.date_range("2025-03-03", "2025-03-05"))
             | day.isin(pd.date_range("2025-03-20", "2025-03-22")))
    in_c = day.isin(pd.date_range("2025-03-10", "2025-03-11"))
    discount = np.where(in_ab & (gross >= 100), 10.0, 0.0)
    status = np.where(rng.random(n) < 0.1, "cancelled", "paid")
    orders = pd.DataFrame({"ordered_at": day, "amount": gross - discount, "discount": discount,
                           "campaign_id": np.where(discount > 0, "A", None), "status": status})
    got = bunching(orders, table).set_index("threshold")
    paid = status == "paid"
    calm = paid & ~in_ab & ~in_c
    for threshold, days in ((100.0, in_ab), (90.0, in_c)):
        below = (gross >= threshold * 0.9) & (gross < threshold)
        above = (gross >= threshold) & (gross < threshold * 1.1)
        row = got.loc[threshold]
        assert row["just_below"] == (below & days & paid).sum() > 0
        assert row["just_above"] == (above & days & paid).sum() > 0
        assert row["baseline_just_below"] == (below & calm).sum()
        assert row["baseline_just_above"] == (above & calm).sum()
    assert got.loc[100.0, "campaigns"] == 2 and got.loc[90.0, "campaigns"] == 1


def test_demo_baskets_bunch_above_each_threshold():
    """The demo tops up half the baskets within 10% below 满X on the campaign's days (demo.settings
    TOP_UP_*): above ÷ below the threshold must be well over the same ratio on days without a
    campaign, at every threshold (129, 159, 199)."""
    tables, _ = demo_store()
    b = bunching(tables["orders"], tables["campaigns"]).set_index("threshold")
    print(b[["just_below", "just_above", "ratio", "baseline_ratio"]].to_string())
    assert sorted(b.index) == [129.0, 159.0, 199.0]
    assert (b["just_below"] >= 100).all() and (b["baseline_just_below"] >= 1000).all()
    assert (b["ratio"] > 1.5 * b["baseline_ratio"]).all()
