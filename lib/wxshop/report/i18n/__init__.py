"""Report strings in Chinese and English: the translator (:mod:`.translator`), the rejected-row
reasons (:mod:`.reasons`) and one string catalogue per report area."""

from wxshop.report.i18n.reasons import REASON_PATTERNS, reason
from wxshop.report.i18n.translator import (
    CATALOGUES,
    DEFAULT_LANG,
    LANGS,
    STRINGS,
    Lang,
    Translator,
    check_lang,
    t,
)

__all__ = [
    "CATALOGUES",
    "DEFAULT_LANG",
    "LANGS",
    "REASON_PATTERNS",
    "STRINGS",
    "Lang",
    "Translator",
    "check_lang",
    "reason",
    "t",
]
