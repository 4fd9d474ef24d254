"""Purchase events, repurchase cycles, KM curves and reminder days: hand-computed fixtures,
Kaplan–Meier cross-checked against statsmodels on seeded random data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest
from product_frames import assert_frame, frame
from statsmodels.duration.survfunc import SurvfuncRight

from wxshop.analysis import products as pr

# period_end E = 2024-06-30; purchases written as days before E.
# X: c1 100, 95 | c2 50, 45 | c3 30 (two orders that day), 20 | c4 200, 140 | c5 0 (on E)
#    c6 35 (and 3 days AFTER E: ignored) | c7 150, 70
#    observed gaps 5, 5, 10, 60, 80; censored durations (E − last day) 95, 45, 20, 140, 0, 35, 70
#    Kaplan–Meier product-limit table (at risk = purchases with duration ≥ day):
#      day  at risk  repurchases  S(day)
#        0     12        0        1
#        5     11        2        9/11             = 0.818
#       10      9        1        9/11·8/9 = 8/11  = 0.727
#       60      5        1        8/11·4/5 = 32/55 = 0.582   (60, 70, 80, 95, 140)
#       80      3        1        32/55·2/3 = 64/165 = 0.388 (80, 95, 140)
#    KM median 80 (first S ≤ 0.5); naive median of 5, 5, 10, 60, 80 = 10 (biased short).
#    1 − S: 7 d 2/11, 30 d 3/11, 90 d 101/165; eventual 101/165; last gap 80.
# Y: c1 100, 90 | c2 60 | c3 40 → observed 10; censored 90, 60, 40
#    day 0: 4 at risk; day 10: 4 at risk, 1 repurchase, S = 3/4 → never ≤ 0.5: no KM median.
# Z: c1 30, 26, 16 → observed 4, 10; censored 16
#    day 4: 3 at risk, S = 2/3; day 10: 2 at risk, S = 1/3 → KM median 10, naive (4+10)/2 = 7.
END = pd.Timestamp("2024-06-30")
PURCHASES = {
    "X": {"c1": [100, 95], "c2": [50, 45], "c3": [30, 30, 20], "c4": [200, 140], "c5": [0],
          "c6": [35, -3], "c7": [150, 70]},
    "Y": {"c1": [100, 90], "c2": [60], "c3": [40]},
    "Z": {"c1": [30, 26, 16]},
}


@pytest.fixture
def cycle_lines() -> pd.DataFrame:
    rows = []
    for cat, buyers in PURCHASES.items():
        for cust, days in buyers.items():
            for k, d in enumerate(days):
                # different hours (23:30 on E itself) so a day is a calendar day, not 24 h
                at = END - pd.Timedelta(days=d) + pd.Timedelta(hours=9 + 7 * k if d else 23.5)
                rows.append((f"o{len(rows)}", cust, at, cat))
    df = pd.DataFrame(rows, columns=["order_id", "customer_id", "ordered_at", "category"])
    return df.sample(frac=1.0, random_state=1).reset_index(drop=True)


CYCLE_COLUMNS = ["category", "purchases", "observed_gaps", "censored", "naive_median_days",
                 "km_median_days", "km_median_reached", "repurchase_7d", "repurchase_30d",
                 "repurchase_90d", "eventual_share", "last_gap_days"]


def test_repurchase_cycles_hand_computed(cycle_lines):
    got = pr.repurchase_cycles(cycle_lines, END, "category")
    want = frame(
        [("X", 12, 5, 7, 10.0, 80.0, True, 2 / 11, 3 / 11, 101 / 165, 101 / 165, 80.0),
         ("Y", 4, 1, 3, 10.0, np.nan, False, 0.0, 0.25, 0.25, 0.25, 10.0),
         ("Z", 3, 2, 1, 7.0, 10.0, True, 1 / 3, 2 / 3, 2 / 3, 2 / 3, 10.0)],
        CYCLE_COLUMNS,
        {"category": "str", "purchases": "int64", "observed_gaps": "int64", "censored": "int64",
         "km_median_reached": "bool"},
    )
    assert_frame(got, want)
    # the point of Kaplan–Meier: the open (censored) purchases make the cycle longer
    x = got.set_index("category").loc["X"]
    assert x["naive_median_days"] < x["km_median_days"] / 4


def test_purchase_events_hand_computed(cycle_lines):
    got = pr.purchase_events(cycle_lines, END, "category")

    def day(d: int) -> pd.Timestamp:
        return END - pd.Timedelta(days=d)

    # sorted by category, customer_id, day; duration to the next purchase day or to E
    want_y = pd.DataFrame(
        {
            "category": ["Y"] * 4,
            "customer_id": ["c1", "c1", "c2", "c3"],
            "purchase_day": [day(100), day(90), day(60), day(40)],
            "duration_days": [10, 90, 60, 40],
            "repurchased": [True, False, False, False],
        }
    ).astype({"category": "str", "customer_id": "str", "purchase_day": "datetime64[s]",
              "duration_days": "int64"})
    assert_frame(got[got["category"] == "Y"].reset_index(drop=True), want_y)
    x = got[got["category"] == "X"]
    # c3's two orders on one day are one purchase; c5 bought on E (duration 0); c6's order
    # after E is ignored, so c6 is censored at 35 days
    assert x["customer_id"].tolist() == ["c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4", "c5",
                                         "c6", "c7", "c7"]
    assert x["duration_days"].tolist() == [5, 95, 5, 45, 10, 20, 60, 140, 0, 35, 80, 70]
    assert x["repurchased"].tolist() == [True, False] * 4 + [False, False, True, False]
    assert len(got) == 12 + 4 + 3


def test_period_end_cuts_and_censors(cycle_lines):
    # E − 40: X keeps the purchases at 200/140 (c4), 100/95 (c1), 50/45 (c2), 150/70 (c7).
    # Durations from E − 40: c1 5, 55c; c2 5, 5c; c4 60, 100c; c7 80, 30c → observed
    # 5, 5, 60, 80; censored 55, 5, 100, 30. At risk: day 5: 8 → S 6/8; day 60: 3 (60, 80,
    # 100) → S 6/8·2/3 = 1/2 → median 60 (S exactly 0.5 counts); day 80: 2 → S 1/4.
    got = pr.repurchase_cycles(cycle_lines, END - pd.Timedelta(days=40), "category")
    x = got.set_index("category").loc["X"]
    assert (x["purchases"], x["observed_gaps"], x["censored"]) == (8, 4, 4)
    assert x["km_median_days"] == 60.0
    assert x["naive_median_days"] == (5 + 60) / 2
    assert x["repurchase_90d"] == pytest.approx(3 / 4, abs=1e-12)


def test_km_curves_hand_computed(cycle_lines):
    got = pr.km_curves(cycle_lines, END, "category")
    want = frame(
        [("X", 0, 1.0, 12, 0), ("X", 5, 9 / 11, 11, 2), ("X", 10, 8 / 11, 9, 1),
         ("X", 60, 32 / 55, 5, 1), ("X", 80, 64 / 165, 3, 1),
         ("Y", 0, 1.0, 4, 0), ("Y", 10, 0.75, 4, 1),
         ("Z", 0, 1.0, 3, 0), ("Z", 4, 2 / 3, 3, 1), ("Z", 10, 1 / 3, 2, 1)],
        ["group", "day", "survival", "at_risk", "repurchases"],
        {"group": "str", "day": "int64", "at_risk": "int64", "repurchases": "int64"},
    )
    assert_frame(got, want)
    only_y = pr.km_curves(cycle_lines, END, "category", groups=["Y"])
    assert_frame(only_y, want[want["group"] == "Y"].reset_index(drop=True))


REMINDER_COLUMNS = ["group", "reminder_day", "reason", "repurchases", "eventual_share", "target_share"]
REMINDER_DTYPES = {"group": "str", "reminder_day": "Int64", "reason": "str", "repurchases": "int64"}


def test_reminder_days_hand_computed(cycle_lines):
    curves = pr.km_curves(cycle_lines, END, "category")
    got = pr.reminder_days(curves, share=0.5, min_day=7, min_repurchases=2)
    # X: eventual 101/165, target 101/330 = 0.306; 1 − S = 0.18 (5), 0.27 (10), 0.42 (60) → 60
    # Y: 1 repurchase < 2 → no day
    # Z: eventual 2/3, target 1/3; 1 − S(4) = 1/3 reaches it exactly → day 4 < 7 → 7
    want = frame(
        [("X", 60, "ok", 5, 101 / 165, 101 / 330),
         ("Y", None, "too_few_repurchases", 1, 0.25, 0.125),
         ("Z", 7, "raised_to_min_day", 2, 2 / 3, 1 / 3)],
        REMINDER_COLUMNS, REMINDER_DTYPES,
    )
    assert_frame(got, want)
    assert set(got["reason"]) == set(pr.REMINDER_REASONS)
    # share 1: the day all eventual repurchasers have bought again = the last observed gap
    every = pr.reminder_days(curves, share=1.0, min_day=0, min_repurchases=0)
    assert every["reminder_day"].tolist() == [80, 10, 10]
    assert every["reason"].tolist() == ["ok"] * 3
    # row order of the curves does not matter
    shuffled = pr.reminder_days(curves.iloc[::-1], share=0.5, min_day=7, min_repurchases=2)
    assert_frame(shuffled, want)


def test_reminder_days_rejects_bad_arguments(cycle_lines):
    curves = pr.km_curves(cycle_lines, END, "category")
    for kwargs, match in [({"share": 0.0}, "share"), ({"share": 1.5}, "share"),
                          ({"min_day": -1}, "min_day"), ({"min_day": 1.5}, "min_day"),
                          ({"min_repurchases": -2}, "min_repurchases")]:
        with pytest.raises(ValueError, match=match):
            pr.reminder_days(curves, **kwargs)
    with pytest.raises(KeyError, match="survival"):
        pr.reminder_days(curves.drop(columns="survival"))


@pytest.fixture(scope="module")
def random_purchases() -> tuple[pd.DataFrame, pd.Timestamp]:
    """40 categories of very different sizes (2 to 300 customers) and repurchase habits, 3
    SKUs each, customers with 1–8 orders over 240 days, some on one day, some after the end."""
    rng = np.random.default_rng(20240630)
    start, days = pd.Timestamp("2024-01-01"), 240
    rows = []
    for g in range(40):
        n_cust = int(rng.choice([2, 3, 5, 8, 20, 60, 300]))
        repeat = rng.choice([0.1, 0.4, 1.5, 4.0])  # mean purchases after the first
        for c in rng.integers(0, 900, n_cust):
            k = 1 + min(rng.poisson(repeat), 7)
            day = rng.integers(0, days + 10, k)  # up to 10 days after the end: ignored
            sec = rng.integers(0, 86400, k)
            for d, s in zip(day, sec, strict=True):
                rows.append((f"u{c:03d}", start + pd.Timedelta(days=int(d), seconds=int(s)),
                             f"k{g:02d}", f"k{g:02d}-s{rng.integers(0, 3)}"))
    lines = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "category", "sku_id"])
    lines["name"] = lines["sku_id"]
    lines["order_id"] = [f"o{i}" for i in range(len(lines))]
    return lines, start + pd.Timedelta(days=days - 1)


def brute_force_events(lines: pd.DataFrame, end: pd.Timestamp, key: str) -> pd.DataFrame:
    """Survival data written the slow, obvious way: distinct (item, customer, day) up to the
    end, duration to the next day of the same customer and item, else to the end."""
    day = lines["ordered_at"].dt.normalize()
    ev = (pd.DataFrame({key: lines[key], "customer_id": lines["customer_id"], "purchase_day": day})
          .loc[day <= end].drop_duplicates().sort_values([key, "customer_id", "purchase_day"]))
    nxt = ev.groupby([key, "customer_id"])["purchase_day"].shift(-1)
    ev["duration_days"] = ((nxt.fillna(end) - ev["purchase_day"]).dt.days).astype("int64")
    ev["repurchased"] = nxt.notna()
    ev["purchase_day"] = ev["purchase_day"].astype("datetime64[s]")
    return ev.astype({key: "str", "customer_id": "str"}).reset_index(drop=True)


@pytest.mark.parametrize("level", ["category", "sku"])
def test_kaplan_meier_equals_statsmodels(random_purchases, level):
    lines, end = random_purchases
    key = "category" if level == "category" else "sku_id"
    events = pr.purchase_events(lines, end, level)
    want_events = brute_force_events(lines, end, key)
    pdt.assert_frame_equal(events, want_events)

    curves = pr.km_curves(lines, end, level)
    cycles = pr.repurchase_cycles(lines, end, level).set_index(key)
    assert events[key].nunique() >= 40
    # an item bought only after the end keeps a row with nothing at risk
    idle = cycles.loc[~cycles.index.isin(events[key])]
    assert (idle["purchases"] == 0).all() and idle["km_median_days"].isna().all()
    exact_half = reached = not_reached = 0
    for item, part in events.groupby(key):
        sf = SurvfuncRight(part["duration_days"].to_numpy(float), part["repurchased"].to_numpy(int))
        ours = curves[curves["group"] == item]
        head, steps = ours.iloc[0], ours.iloc[1:]
        assert (head["day"], head["survival"], head["at_risk"]) == (0, 1.0, len(part))
        np.testing.assert_array_equal(steps["day"].to_numpy(), sf.surv_times.astype(np.int64))
        np.testing.assert_allclose(steps["survival"].to_numpy(), sf.surv_prob, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(steps["at_risk"].to_numpy(), sf.n_risk)
        np.testing.assert_array_equal(steps["repurchases"].to_numpy(), sf.n_events)

        row = cycles.loc[item]
        observed = part.loc[part["repurchased"], "duration_days"].to_numpy()
        assert row["purchases"] == len(part) and row["observed_gaps"] == observed.size
        if observed.size == 0:
            assert np.isnan(row["naive_median_days"]) and np.isnan(row["km_median_days"])
            continue
        assert row["naive_median_days"] == np.median(observed)
        assert row["last_gap_days"] == observed.max()
        assert row["eventual_share"] == pytest.approx(1 - sf.surv_prob.min(), abs=1e-12)
        for t in (7, 30, 90):
            below = sf.surv_prob[sf.surv_times <= t]
            expected = 1 - (below[-1] if below.size else 1.0)
            assert row[f"repurchase_{t}d"] == pytest.approx(expected, abs=1e-12)
        if np.isclose(sf.surv_prob, 0.5, rtol=0, atol=1e-12).any():
            # statsmodels takes the first S < 0.5 (SAS); ours the first S ≤ 0.5 (R, lifelines)
            exact_half += 1
            assert row["km_median_days"] == sf.surv_times[sf.surv_prob <= 0.5 + 1e-12][0]
            later = sf.quantile(0.5)  # NaN when S stays at 0.5 after that step
            assert np.isnan(later) or row["km_median_days"] < later
        elif (sf.surv_prob < 0.5).any():
            reached += 1
            assert row["km_median_days"] == sf.quantile(0.5)
        else:
            not_reached += 1
            assert np.isnan(row["km_median_days"]) and not row["km_median_reached"]
            assert np.isnan(sf.quantile(0.5))
    # the data exercise every branch
    assert exact_half >= 1 and reached >= 5 and not_reached >= 1, (exact_half, reached, not_reached)


@pytest.mark.parametrize("size_factor", [1, 3, 1000])
def test_distinct_counts_equal_np_unique_with_counts_counted_or_sorted(size_factor):
    from wxshop.data.codes import distinct_counts

    rng = np.random.default_rng(size_factor)
    keys = rng.integers(0, 5_000 * size_factor, 5_000)
    keys[:40] = 0
    got = distinct_counts(keys, 5_000 * size_factor)
    want = np.unique(keys, return_counts=True)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
