"""The translation layer: complete, consistent, and loud about gaps."""

import re
import string

import pytest

from wxshop.report import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def untranslated(strings: dict[str, tuple[str, str]]) -> list[str]:
    """Keys with an empty text in either language, or placeholders that differ."""
    out = []
    for key, (zh, en) in sorted(strings.items()):
        if not (zh.strip() and en.strip()):
            out.append(f"{key}: empty text ({zh!r}, {en!r})")
        elif _fields(zh) != _fields(en):
            out.append(f"{key}: placeholders zh {sorted(_fields(zh))} en {sorted(_fields(en))}")
    return out


def chinese_in_english(strings: dict[str, tuple[str, str]]) -> list[str]:
    return [f"{key}: {en!r}" for key, (_, en) in sorted(strings.items()) if CJK.search(en)]


def test_every_key_has_both_languages_with_same_placeholders():
    offenders = untranslated(i18n.STRINGS)
    assert not offenders, f"{len(offenders)} of {len(i18n.STRINGS)} keys:\n" + "\n".join(offenders)


def test_english_text_has_no_chinese():
    offenders = chinese_in_english(i18n.STRINGS)
    assert not offenders, f"{len(offenders)} English texts with Chinese:\n" + "\n".join(offenders)


def test_the_key_checks_can_fail():
    broken = {"a": ("甲 {n}", "a {m}"), "b": ("乙", " "), "c": ("丙", "丙"), "d": ("丁", "d")}
    assert untranslated(broken) == ["a: placeholders zh ['n'] en ['m']", "b: empty text ('乙', ' ')"]
    assert chinese_in_english(broken) == ["c: '丙'"]


def test_every_key_belongs_to_one_catalogue():
    seen: dict[str, list[str]] = {}
    for area, catalogue in i18n.CATALOGUES.items():
        for key in catalogue:
            seen.setdefault(key, []).append(area)
    twice = {key: areas for key, areas in seen.items() if len(areas) > 1}
    assert not twice, f"keys in more than one catalogue: {twice}"
    assert len(i18n.STRINGS) == sum(len(c) for c in i18n.CATALOGUES.values())


def test_unknown_key_and_language_fail():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "zh")
    with pytest.raises(ValueError, match="zh, en"):
        i18n.t("kpi.gmv", "fr")


def test_format_and_translator():
    assert i18n.t("overview.title", "en", store="s1") == "Store overview: s1"
    tr = i18n.Translator("zh")
    assert tr("kpi.aov") == "笔单价（每单）" and tr("kpi.spend_per_buyer") == "客单价（每位买家）"


@pytest.mark.parametrize(
    "raw, want",
    [
        ("negative amount", "amount 为负数"),
        ("empty customer_id; unparseable ordered_at", "customer_id 为空；ordered_at 无法解析为时间"),
        ("duplicate experiment_id+customer_id+variant", "experiment_id+customer_id+variant 重复（保留首行）"),
        ("status not one of paid/refunded/cancelled", "status 不属于 paid/refunded/cancelled"),
        ("order_id not in orders", "order_id 不在有效订单中"),
        ("quantity not a number", "quantity 不是数字"),
    ],
)
def test_reasons_translate(raw, want):
    assert i18n.reason(raw, "zh") == want
    assert i18n.reason(raw, "en") == raw


def test_unknown_reason_fails_loudly():
    with pytest.raises(KeyError):
        i18n.reason("something new", "zh")


def test_every_reason_from_a_messy_store_translates(tmp_path):
    from wxshop.data.load import load_store

    (tmp_path / "orders.csv").write_text(
        "order_id,customer_id,ordered_at,amount,status,discount\n"
        "o1,c1,2025-01-01,10,paid,0\n"
        "o1,c2,2025-01-02,10,paid,0\n"
        "o2,,2025-01-03,-1,weird,x\n"
        "o3,c3,not a date,abc,paid,-2\n"
        "o4,c4,2025-01-05,5,paid,0\n",
        encoding="utf-8",
    )
    (tmp_path / "order_items.csv").write_text(
        "order_id,sku_id,quantity,unit_price\no1,s1,1,10\no9,s1,x,-3\n,s2,1,1\n", encoding="utf-8"
    )
    store = load_store(tmp_path)
    reasons = store.rejected["reason"].tolist()
    assert len(reasons) == 5
    for r in reasons:
        zh = i18n.reason(r, "zh")
        assert not re.search(r"\b(empty|negative|duplicate|not a number|unparseable)\b", zh)
