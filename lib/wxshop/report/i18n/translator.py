"""The one translation layer: every string a report reader sees comes from here.

``t("kpi.gmv", "en")`` → ``"GMV"``. A key missing in either language raises, so a
report can never silently mix languages (tests/report/test_i18n.py walks every key).
The strings live in one catalogue per report area; :data:`STRINGS` joins them.
"""

from __future__ import annotations

from typing import Literal

from wxshop.report.i18n import (
    ab,
    charts,
    common,
    definitions,
    findings,
    growth,
    index,
    overview,
    private_domain,
    products,
    profiling,
)

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"

# The catalogues, in the order the report areas appear; a key belongs to one area only
# (tests/report/test_i18n.py checks it).
CATALOGUES: dict[str, dict[str, tuple[str, str]]] = {
    "common": common.STRINGS,
    "overview": overview.STRINGS,
    "index": index.STRINGS,
    "profiling": profiling.STRINGS,
    "products": products.STRINGS,
    "findings": findings.STRINGS,
    "ab": ab.STRINGS,
    "growth": growth.STRINGS,
    "private_domain": private_domain.STRINGS,
    "definitions": definitions.STRINGS,
    "charts": charts.STRINGS,
}
# key: (zh, en). Placeholders use str.format names and must match in both languages.
STRINGS: dict[str, tuple[str, str]] = {
    key: text for catalogue in CATALOGUES.values() for key, text in catalogue.items()
}


def check_lang(lang: str) -> Lang:
    """``lang`` if supported, else a ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang  # type: ignore[return-value]


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text for ``key`` in ``lang``, formatted with ``values``.

    Raises KeyError for an unknown key, so a missing translation fails loudly.

    Examples
    --------
    >>> print(t("kpi.gmv", "en"), t("kpi.gmv", "zh"))
    Net GMV (after refunds) GMV（净，扣除退款）
    >>> print(t("overview.title", "en", store="demo_01"))
    Store overview: demo_01
    """
    zh, en = STRINGS[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**values) if values else text


class Translator:
    """:func:`t` bound to one language, for a report written in that language.

    Examples
    --------
    >>> import pandas as pd
    >>> tr = Translator("en")
    >>> print(tr("kpi.spend_per_buyer"), "|", Translator("zh")("kpi.spend_per_buyer"))
    Spend per buyer | 客单价（每位买家）
    >>> print(tr("overview.title", store="demo_01"))
    Store overview: demo_01
    >>> df = pd.DataFrame({"channel": ["社群"], "gmv": [1280.0]})
    >>> print(tr.columns(df, {"channel": "col.channel", "gmv": "col.gmv"}).to_string(index=False))
    Channel  GMV (CNY)
         社群     1280.0
    """

    def __init__(self, lang: str = DEFAULT_LANG) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def columns(self, df, mapping: dict[str, str]):
        """``df`` with columns renamed by translation keys: {column: key}."""
        return df.rename(columns={c: self(k) for c, k in mapping.items()})
