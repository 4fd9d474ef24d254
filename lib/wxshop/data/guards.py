"""Plausibility guards: values that parse but cannot be true are set aside, never analysed.

A date in 2062, an amount of 1e12, a quantity of 1.5 or a customer id Excel turned into
``1.38E+10`` all parse, and each would give a report that looks fine and advises wrong. Each
guard is a named rule with a default, changed per store under ``guards:`` in the store's YAML
(``guards: {date_window: {earliest: "2018-01-01"}, amount_outlier: {factor: 50}}``; ``false``
switches a rule off). Row rules set the row aside with their reason (:data:`RULES`); the
``rejected_share`` rule puts a red banner in every report of the store when too many rows of
a table were set aside. ``docs/reliability.md`` lists them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from wxshop.data.codes import arrow_text
from wxshop.data.schema import TableSpec
from wxshop.data.text import text_edges
from wxshop.errors import DataError

# rule -> default settings
RULES: dict[str, dict[str, Any]] = {
    # times before the platforms existed (WeChat Pay opened in 2013) or after tomorrow
    "date_window": {"earliest": "2013-01-01", "days_ahead": 1},
    # amounts, prices and discounts far beyond the store's own: more than `factor` times the
    # 99.9th percentile of the column and more than `floor` CNY; anything above `ceiling`
    "amount_outlier": {"factor": 100, "floor": 10_000, "ceiling": 100_000_000},
    # a quantity is a whole number of at least 1, and not far beyond the store's own
    "quantity": {"factor": 100, "floor": 1_000},
    # ids Excel showed in scientific notation (1.38E+10): the digits are lost
    "excel_ids": {},
    # a table with more than this share of its rows set aside: red banner in every report
    "rejected_share": {"max": 0.05},
}
MONEY = ("amount", "discount", "unit_price", "refund_amount", "unit_cost", "list_price")
EXCEL_NUMBER = r"^[+-]?\d(?:\.\d+)?[eE]\+?\d+$"


@dataclass(frozen=True)
class Guards:
    """The rules in force for one store: ``settings[rule]`` or None when switched off."""

    settings: dict[str, dict[str, Any] | None]
    today: dt.date

    @classmethod
    def from_mapping(cls, given: Mapping | None, store: str = "",
                     today: dt.date | None = None) -> Guards:
        """Defaults updated by a store's ``guards:``; unknown rules or settings raise
        :class:`~wxshop.errors.DataError`.

        Examples
        --------
        >>> g = Guards.from_mapping({"amount_outlier": {"factor": 50}, "excel_ids": False})
        >>> g.settings["amount_outlier"]["factor"], g.settings["excel_ids"]
        (50, None)
        """
        settings: dict[str, dict[str, Any] | None] = {k: dict(v) for k, v in RULES.items()}
        for rule, value in (given or {}).items():
            if rule not in RULES:
                raise DataError(
                    f"`guards:` names unknown rule {rule!r}.",
                    fix=f"use one of {', '.join(RULES)} in params/stores/{store or '<store>'}.yaml.",
                )
            if value is False or value is None:
                settings[rule] = None
                continue
            if not isinstance(value, Mapping) or set(value) - set(RULES[rule]):
                known = ", ".join(RULES[rule]) or "no settings (true or false)"
                if value is True:
                    continue
                raise DataError(
                    f"`guards: {rule}:` takes {known}; got {value!r}.",
                    fix=f"correct it in params/stores/{store or '<store>'}.yaml.",
                )
            settings[rule] = {**RULES[rule], **dict(value)}
        return cls(settings, today or dt.date.today())

    def key(self) -> str:
        """What the checks depend on, for the table cache (the day: the window moves)."""
        return repr(sorted((k, sorted(v.items()) if v else None) for k, v in self.settings.items())
                    ) + self.today.isoformat()

    def on(self, rule: str) -> dict[str, Any] | None:
        return self.settings.get(rule)


def _window(g: Guards) -> tuple[pd.Timestamp, pd.Timestamp]:
    s = g.on("date_window") or {}
    earliest = pd.Timestamp(str(s.get("earliest", "1900-01-01")))
    latest = pd.Timestamp(g.today) + pd.Timedelta(days=1 + int(s.get("days_ahead", 1)))
    return earliest, latest


def row_reasons(frame: pd.DataFrame, spec: TableSpec, g: Guards) -> list[tuple[str, np.ndarray]]:
    """(reason, rows) for each guard a row of the typed ``frame`` breaks.

    Examples
    --------
    >>> from wxshop.data.schema import TABLES
    >>> f = pd.DataFrame({"order_id": ["a", "b", "c"], "customer_id": ["1.38E+10", "x", "y"],
    ...     "ordered_at": pd.to_datetime(["2024-01-01", "2062-08-03", "2024-01-02"]),
    ...     "amount": [10.0, 12.0, 1e12]})
    >>> g = Guards.from_mapping(None, today=dt.date(2026, 12, 1))
    >>> for reason, rows in row_reasons(f, TABLES["orders"], g):
    ...     print(reason, rows.nonzero()[0].tolist())
    ordered_at outside 2013-01-01 … 2026-12-02 [1]
    amount implausible (> 100,000,000) [2]
    customer_id in Excel scientific notation [0]
    """
    out: list[tuple[str, np.ndarray]] = []
    if g.on("date_window") is not None:
        earliest, latest = _window(g)
        for col in spec.timestamps:
            if col in frame.columns:
                values = frame[col]
                bad = ((values < earliest) | (values >= latest)).to_numpy()
                if bad.any():
                    last = (latest - pd.Timedelta(days=1)).date().isoformat()
                    out.append((f"{col} outside {earliest.date().isoformat()} … {last}", bad))
    money = g.on("amount_outlier")
    if money is not None:
        for col in spec.numeric:
            if col in frame.columns and col in MONEY:
                bad, limit = _outlier(frame[col], money)
                if bad.any():
                    out.append((f"{col} implausible (> {limit:,.0f})", bad))
    qty = g.on("quantity")
    if qty is not None and "quantity" in frame.columns and "quantity" in spec.numeric:
        q = frame["quantity"]
        whole = (q.notna() & ((q < 1) | (q != np.floor(q)))).to_numpy()
        if whole.any():
            out.append(("quantity not a whole number >= 1", whole))
        bad, limit = _outlier(q.where(~whole), {**qty, "ceiling": np.inf})
        if bad.any():
            out.append((f"quantity implausible (> {limit:,.0f})", bad))
    if g.on("excel_ids") is not None:
        for col in spec.ids:
            if col in frame.columns:
                bad = excel_numbers(frame[col])
                if bad.any():
                    out.append((f"{col} in Excel scientific notation", bad))
    return out


def excel_numbers(values: pd.Series) -> np.ndarray:
    """Rows whose id reads like a number Excel wrote in scientific notation (``1.38E+10``).

    Only ids that start with a digit or a sign can be one, so the regular expression runs on
    those alone (an id column of pseudonyms or order numbers with a letter in front is
    skipped in one pass: 4.7M ids took 0.5 s through the expression).

    >>> excel_numbers(pd.Series(["1.38E+10", "u9f3e1", "13800138000", None, "-2e5"])).tolist()
    [True, False, False, False, True]
    """
    edges = text_edges(values)
    if edges is not None:  # each text's first byte, read off Arrow's buffers: 3× faster than a slice
        starts = _NUMBER_BYTES[edges[0]]
    else:
        first = pc.utf8_slice_codeunits(arrow_text(values), 0, 1)
        starts = pc.is_in(first, value_set=_NUMBER_STARTS).fill_null(False).to_numpy(zero_copy_only=False)
    maybe = np.flatnonzero(starts & values.notna().to_numpy(bool))
    out = np.zeros(len(values), bool)
    if maybe.size:
        out[maybe] = values.iloc[maybe].astype("str").str.fullmatch(EXCEL_NUMBER, na=False).to_numpy(bool)
    return out


_NUMBER_STARTS = pa.array(list("0123456789+-"))
_NUMBER_BYTES = np.isin(np.arange(256), [ord(c) for c in "0123456789+-"])  # by a text's first byte


def _outlier(values: pd.Series, s: Mapping[str, Any]) -> tuple[np.ndarray, float]:
    """Rows above the bound: ``factor`` × the 99.9th percentile, at least ``floor``, at most
    ``ceiling``; and the bound."""
    finite = values.dropna()
    p999 = float(np.quantile(finite, 0.999)) if len(finite) else 0.0
    limit = min(max(float(s["factor"]) * p999, float(s["floor"])), float(s.get("ceiling", np.inf)))
    return (values > limit).fillna(False).to_numpy(dtype=bool), limit


def share_warning(table: str, rows_read: int, rejected: int, g: Guards) -> dict[str, Any] | None:
    """The ``rejected_share`` warning for a table, or None.

    Examples
    --------
    >>> share_warning("orders", 100, 7, Guards.from_mapping(None))
    {'rule': 'rejected_share', 'table': 'orders', 'share': 0.07, 'max': 0.05, 'rejected': 7, 'read': 100}
    """
    s = g.on("rejected_share")
    if not s or not rows_read or rejected / rows_read <= float(s["max"]):
        return None
    return {"rule": "rejected_share", "table": table, "share": round(rejected / rows_read, 4),
            "max": float(s["max"]), "rejected": rejected, "read": rows_read}
