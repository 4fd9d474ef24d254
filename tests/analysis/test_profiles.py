"""Customer profiles and spend tiers on hand-computed fixtures and a demo store."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from wxshop import demo
from wxshop.analysis import profiles

END = "2025-06-30"


def make_orders(rows: list[tuple]) -> pd.DataFrame:
    """Orders from (customer_id, ordered_at, amount, status) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount", "status"])
    frame["ordered_at"] = pd.to_datetime(frame["ordered_at"], format="ISO8601")
    return frame


def table(values: dict) -> pd.DataFrame:
    frame = pd.DataFrame(values)
    frame["value"] = frame["value"].astype("str")
    frame["customers"] = frame["customers"].astype(np.int64)
    return frame


def test_age_band_edges():
    years = [2010, 2008, 2002, 2001, 1991, 1990, 1981, 1980, 1966, 1965, 1926, 1925, None, 2030, "x"]
    got = profiles.age_band(pd.Series(years, index=range(10, 25), dtype=object), 2026)
    want = pd.Series(
        ["<18", "18-24", "18-24", "25-35", "25-35", "36-45", "36-45", "46-60", "46-60", "60+",
         "60+", "unknown", "unknown", "unknown", "unknown"],
        index=range(10, 25), dtype="str", name="age_band",
    )  # ages 16, 18, 24, 25, 35, 36, 45, 46, 60, 61, 100, 101 (unknown), missing, -4, text
    pdt.assert_series_equal(got, want)


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["k1", "k2", "k3", "k4", "k5"],
            "city_tier": ["一线", "一线", "二线", " ", "新一线"],
            "gender": ["女", "男", "女", "女", "女"],
            "birth_year": [1995, 1980, np.nan, 2000, 1990],
            "acquisition_channel": ["社群", "朋友圈", None, "社群", "社群"],
        }
    )


@pytest.fixture
def orders() -> pd.DataFrame:
    # k5 never paid; k6 is not in the customers table. All history: GMV 500 over 7 orders.
    return make_orders(
        [
            ("k1", "2025-06-01", 100.0, "paid"),
            ("k1", "2025-03-01", 50.0, "paid"),
            ("k2", "2025-06-10", 200.0, "paid"),
            ("k3", "2024-12-01", 60.0, "paid"),
            ("k3", "2025-06-20", 40.0, "paid"),
            ("k4", "2025-01-15", 30.0, "paid"),
            ("k5", "2025-06-15", 500.0, "cancelled"),
            ("k6", "2025-06-30 23:00", 20.0, "paid"),
            ("k6", "2025-07-01 09:00", 80.0, "paid"),  # after period_end
        ]
    )


def test_profile_city_tier_all_history(orders, customers):
    got = profiles.profile_table(orders, customers, "city_tier", END)
    want = table(
        {
            "value": ["一线", "二线", "unknown"],  # k4 blank and k6 absent → unknown
            "customers": [2, 1, 2],
            "customer_share": [0.4, 0.2, 0.4],
            "gmv": [350.0, 100.0, 50.0],
            "gmv_share": [0.7, 0.2, 0.1],
            "aov": [350 / 3, 50.0, 25.0],
            "repurchase_rate": [0.5, 1.0, 0.0],
        }
    )
    pdt.assert_frame_equal(got, want)


def test_profile_city_tier_last_30_days(orders, customers):
    got = profiles.profile_table(orders, customers, "city_tier", END, period_days=30)
    want = table(
        {
            "value": ["一线", "二线", "unknown"],
            "customers": [2, 1, 1],  # k4 bought in January only
            "customer_share": [0.5, 0.25, 0.25],
            "gmv": [300.0, 40.0, 20.0],
            "gmv_share": [300 / 360, 40 / 360, 20 / 360],
            "aov": [150.0, 40.0, 20.0],
            "repurchase_rate": [0.0, 0.0, 0.0],
        }
    )
    pdt.assert_frame_equal(got, want)


def test_profile_age_band_gender_channel(orders, customers):
    age = profiles.profile_table(orders, customers, "age_band", END)  # ages to 2025
    want = table(
        {
            "value": ["25-35", "36-45", "unknown"],  # k1 30, k4 25; k2 45; k3 no year, k6
            "customers": [2, 1, 2],
            "customer_share": [0.4, 0.2, 0.4],
            "gmv": [180.0, 200.0, 120.0],
            "gmv_share": [0.36, 0.4, 0.24],
            "aov": [60.0, 200.0, 40.0],
            "repurchase_rate": [0.5, 0.0, 0.5],
        }
    )
    pdt.assert_frame_equal(age, want)
    older = profiles.profile_table(orders, customers, "age_band", END, reference_year=2026)
    assert older["value"].tolist() == ["25-35", "46-60", "unknown"]  # k2 turns 46

    gender = profiles.profile_table(orders, customers, "gender", END)
    assert gender["value"].tolist() == ["女", "男", "unknown"]
    assert gender["customers"].tolist() == [3, 1, 1]
    assert gender["aov"].tolist() == pytest.approx([56.0, 200.0, 20.0])
    assert gender["repurchase_rate"].tolist() == pytest.approx([2 / 3, 0.0, 0.0])

    channel = profiles.profile_table(orders, customers, "acquisition_channel", END)
    # no natural order: most buyers first, unknown last
    assert channel["value"].tolist() == ["社群", "朋友圈", "unknown"]
    assert channel["gmv_share"].tolist() == pytest.approx([0.36, 0.4, 0.24])


def test_profile_names_a_missing_column(orders, customers):
    with pytest.raises(KeyError, match="birth_year"):
        profiles.profile_table(orders, customers.drop(columns="birth_year"), "age_band", END)


def test_spend_tiers_edges():
    # 487 days = exactly 16 months of 30.4375 days, so monthly spend = GMV / 16.
    # Window: 2024-03-01 … 2025-06-30.
    orders = make_orders(
        [
            ("t1", "2025-01-01", 7999.99, "paid"),  # 499.999… → low
            ("t2", "2024-03-01 00:00", 5000.0, "paid"),  # first day of the window
            ("t2", "2025-06-30 23:59", 3000.0, "paid"),  # 8000 → exactly 500 → mid
            ("t3", "2025-02-01", 31999.99, "paid"),  # 1999.999… → mid
            ("t4", "2025-02-01", 32000.0, "paid"),  # exactly 2000 → high
            ("t5", "2024-02-29 23:59", 900.0, "paid"),  # before the window: not a buyer
            ("t6", "2025-05-01", 1600.0, "paid"),  # 100 → low
            ("t6", "2025-05-02", 50000.0, "refunded"),
        ]
    )
    got = profiles.spend_tiers(orders, END, period_days=487, bands=(500, 2000))
    total = 9599.99 + 39999.99 + 32000.0
    want = pd.DataFrame(
        {
            "tier": pd.array(["low", "mid", "high"], dtype="str"),
            "label": pd.array(["<500", "500-2000", "2000+"], dtype="str"),
            "customers": np.array([2, 2, 1], dtype=np.int64),
            "customer_share": [0.4, 0.4, 0.2],
            "gmv": [9599.99, 39999.99, 32000.0],
            "gmv_share": [9599.99 / total, 39999.99 / total, 32000.0 / total],
            "avg_monthly_spend": [(7999.99 / 16 + 100) / 2, (500 + 31999.99 / 16) / 2, 2000.0],
        }
    )
    pdt.assert_frame_equal(got, want)


def test_spend_tiers_default_to_the_stores_own_edges():
    """Whole-wallet bands (500 / 2000 CNY a month) put every buyer of this shop in "low"; the
    store's own median and 90th percentile split them (issue 17)."""
    rows = [(f"c{i:03d}", "2025-06-01", float(3 * (i + 1)), "paid") for i in range(100)]
    orders = make_orders(rows)  # 90 days: monthly spend = amount / (90 / 30.4375)
    wallet = profiles.spend_tiers(orders, END, bands=(500, 2000))
    assert wallet["customers"].tolist() == [100, 0, 0]
    own = profiles.spend_tiers(orders, END)
    monthly = np.array([r[2] for r in rows]) / (90 / 30.4375)
    lo, hi = np.round(np.quantile(monthly, [0.5, 0.9]))
    assert own.attrs == {"edges": (lo, hi), "source": "store"}
    want = [(monthly < lo).sum(), ((monthly >= lo) & (monthly < hi)).sum(), (monthly >= hi).sum()]
    assert own["customers"].tolist() == [int(n) for n in want]
    assert own["customers"].tolist()[2] in (10, 11) and own["customers"].tolist()[0] in (50, 51)


def test_spend_tiers_empty_tier_and_bad_bands():
    orders = make_orders([("a", "2025-06-01", 90.0, "paid")])
    got = profiles.spend_tiers(orders, END, bands=(100, 1000))  # 30 / month over 90 days
    assert got["customers"].tolist() == [1, 0, 0]
    assert got["label"].tolist() == ["<100", "100-1000", "1000+"]
    assert got["avg_monthly_spend"].iloc[0] == pytest.approx(90 / (90 / 30.4375))
    assert got["avg_monthly_spend"].iloc[1:].isna().all()
    with pytest.raises(ValueError, match="bands"):
        profiles.spend_tiers(orders, END, bands=(2000, 500))


# ------------------------------------------------------------------------- on a demo store


@pytest.fixture(scope="module")
def store():
    return demo.generate_store(3000, seed=5)


@pytest.mark.parametrize(
    ("dimension", "key"),
    [("city_tier", "city_tier_shares"), ("gender", "gender_shares"), ("age_band", "age_band_shares")],
)
def test_demo_profiles_recover_planted_shares(store, dimension, key):
    # ~2,950 buyers: the binomial SE of a share is ≤ 0.0092, so planted shares must be
    # within 0.04 (> 4 SE). Against the realised shares over all 3,000 customers the only
    # difference is the ~1.5 % with no paid order (refunded or cancelled only): 0.006.
    tables, truth = store
    got = profiles.profile_table(
        tables["orders"], tables["customers"], dimension, truth["window"]["end"],
        reference_year=truth["customers"]["age_reference_year"],
    ).set_index("value")["customer_share"]
    planted = pd.Series(truth["customers"]["planted"][key])
    realised = pd.Series(truth["customers"]["realised"][key])
    assert set(got.index) == set(planted.index)  # no unknown, no stray values
    assert (got - planted).abs().max() <= 0.04
    assert (got - realised).abs().max() <= 0.006


def test_profile_tables_share_one_pass_and_match_one_at_a_time(orders, customers):
    together = profiles.profile_tables(orders, customers, END, period_days=30, reference_year=2025)
    assert list(together) == [d for d in profiles.PROFILE_DIMENSIONS
                              if (d if d != "age_band" else "birth_year") in customers]
    for dimension, got in together.items():
        alone = profiles.profile_table(orders, customers, dimension, END, 30, 2025)
        pdt.assert_frame_equal(got, alone)
    without_gender = profiles.profile_tables(orders, customers.drop(columns="gender"), END)
    assert "gender" not in without_gender and "city_tier" in without_gender


def test_a_repeated_customer_row_counts_once_with_its_first_values(orders, customers):
    repeated = pd.concat([customers, customers.iloc[[1]].assign(city_tier="三线"),
                          pd.DataFrame({"customer_id": [None], "city_tier": ["四线及以下"]})],
                         ignore_index=True)
    pdt.assert_frame_equal(profiles.profile_table(orders, repeated, "city_tier", END),
                           profiles.profile_table(orders, customers, "city_tier", END))


def test_profile_repurchase_counts_purchase_days_not_orders():
    orders = pd.DataFrame({
        "order_id": ["o1", "o2", "o3"], "customer_id": ["a", "a", "b"],
        "ordered_at": pd.to_datetime(["2025-03-01 10:00", "2025-03-01 18:00", "2025-03-02 09:00"]),
        "amount": [10.0, 10.0, 10.0],
    })
    customers = pd.DataFrame({"customer_id": ["a", "b"], "gender": ["女", "女"]})
    table = profiles.profile_tables(orders, customers, "2025-03-31", ["gender"])["gender"]
    assert table["repurchase_rate"].tolist() == [0.0]  # a's two orders are on one day
