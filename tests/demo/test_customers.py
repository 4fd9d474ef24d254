"""Demo customers (wxshop.demo.customers): planted shares, cities, inviters, personal columns."""

from __future__ import annotations

import pandas as pd
import pytest
from demo_shared_store import shared_store

from wxshop.data import schema


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return shared_store()[0]


@pytest.fixture(scope="module")
def truth() -> dict:
    return shared_store()[1]


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
