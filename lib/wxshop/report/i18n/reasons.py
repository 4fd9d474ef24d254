"""Rejected-row reasons: the loader's English reasons (as in rejected_rows.csv) in the report
language."""

from __future__ import annotations

import re

from wxshop.report.i18n.translator import DEFAULT_LANG, check_lang

# Reasons the loader gives for a rejected row (English, as in rejected_rows.csv), with
# their Chinese text for reports. {col} is a canonical column name and stays as is.
REASON_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^empty (?P<col>[\w+]+)$", "{col} 为空"),
    (r"^unparseable (?P<col>\w+)$", "{col} 无法解析为时间"),
    (r"^(?P<col>\w+) not a number$", "{col} 不是数字"),
    (r"^negative (?P<col>\w+)$", "{col} 为负数"),
    (r"^(?P<col>\w+) not one of (?P<choices>[\w/]+)$", "{col} 不属于 {choices}"),
    (r"^duplicate (?P<col>[\w+]+)$", "{col} 重复（保留首行）"),
    (r"^order_id not in orders$", "order_id 不在有效订单中"),
    (r"^refund of an order not in the files$", "退款行对应的原订单不在这些文件里"),
    (r"^(?P<col>\w+) outside (?P<first>[\d-]+) … (?P<last>[\d-]+)$",
     "{col} 不在合理时间范围 {first} … {last} 内"),
    (r"^(?P<col>\w+) implausible \(> (?P<limit>[\d,]+)\)$", "{col} 超出合理范围（> {limit}）"),
    (r"^quantity not a whole number >= 1$", "quantity 不是 ≥ 1 的整数"),
    (r"^(?P<col>\w+) in Excel scientific notation$", "{col} 被 Excel 存成了科学计数法，原始数字已丢失"),
    (r"^row has (?P<n>\d+) fields, the header has (?P<m>\d+)$",
     "该行有 {n} 个字段，表头只有 {m} 个（多半是值里有未加引号的逗号）"),
)


def reason(text: str, lang: str = DEFAULT_LANG) -> str:
    """A rejected-row reason (possibly several joined by '; ') in the report language.

    Raises KeyError for a reason with no translation, so tests catch new loader rules.

    Examples
    --------
    >>> print(reason("negative amount; empty customer_id", "zh"))
    amount 为负数；customer_id 为空
    """
    if check_lang(lang) == "en":
        return text
    parts = []
    for part in str(text).split("; "):
        for pattern, zh in REASON_PATTERNS:
            m = re.match(pattern, part)
            if m:
                parts.append(zh.format(**m.groupdict()))
                break
        else:
            raise KeyError(f"no Chinese text for rejected-row reason {part!r}")
    return "；".join(parts)

