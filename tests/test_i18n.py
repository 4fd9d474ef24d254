"""The translation layer: complete, consistent, and loud about gaps."""

import re
import string

import pytest

from wxshop import i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_every_key_has_both_languages_with_same_placeholders(key):
    zh, en = i18n.STRINGS[key]
    assert zh.strip() and en.strip()
    assert _fields(zh) == _fields(en), key


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_english_text_has_no_chinese(key):
    assert not CJK.search(i18n.STRINGS[key][1]), key


def test_unknown_key_and_language_fail():
    with pytest.raises(KeyError):
        i18n.t("no.such.key", "zh")
    with pytest.raises(ValueError, match="zh, en"):
        i18n.t("kpi.gmv", "fr")


def test_format_and_translator():
    assert i18n.t("overview.title", "en", store="s1") == "Store overview: s1"
    tr = i18n.Translator("zh")
    assert tr("kpi.aov") == "客单价"
