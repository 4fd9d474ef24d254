"""Header mapping: each source header to its canonical column name.

A header becomes a canonical name of :mod:`wxshop.data.schema` through the store YAML's
``columns:`` mapping, then through :data:`~wxshop.data.schema.HEADER_ALIASES` (Chinese
export headers), then by being the canonical name itself (ignoring case and spaces).
Personal columns are recognised here so that they can be dropped before anything else
sees them; a required column that no header maps to raises
:class:`~wxshop.errors.DataError` with the mapping to add.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from wxshop.data.schema import (
    HEADER_ALIASES,
    IDENTITY_ALIASES,
    PERSONAL_COLUMNS,
    PERSONAL_HEADER,
    TABLES,
    TableSpec,
    normalise_header,
)
from wxshop.data.sources import suggest_mapping
from wxshop.data.text import unique_names
from wxshop.errors import DataError

_CANONICAL = {c for spec in TABLES.values() for c in spec.columns} | set(PERSONAL_COLUMNS)
_ALIAS_RANK = {normalise_header(k): i for i, k in enumerate(HEADER_ALIASES)}
_ALIASES = {normalise_header(k): v for k, v in HEADER_ALIASES.items()}
_ALIASES.update({normalise_header(c): c for c in _CANONICAL})
_CANONICAL_KEYS = {normalise_header(c) for c in _CANONICAL}
_IDENTITIES = {normalise_header(k): v for k, v in IDENTITY_ALIASES.items()}
_PERSONAL = re.compile(PERSONAL_HEADER)


def mapping_for(columns: Mapping | None, table: str) -> dict[str, str]:
    """The `columns:` entries that apply to one table; per-table entries win.

    Examples
    --------
    >>> mapping_for({"实收": "amount", "orders": {"实收": "discount"}}, "orders")
    {'实收': 'discount'}
    """
    if not columns:
        return {}
    flat = {str(k): str(v) for k, v in columns.items() if not isinstance(v, Mapping)}
    per = columns.get(table)
    if isinstance(per, Mapping):
        flat.update({str(k): str(v) for k, v in per.items()})
    return flat


def header_names(
    headers: list[str],
    table: str,
    mapping: dict[str, str],
    label: str,
    store: str,
    profile_columns: Mapping[str, str] | None = None,
) -> tuple[list[str], list[bool]]:
    """Canonical name for each source header, and which ones are personal.

    The store's mapping is applied first, then the export profile's ``columns:`` (in their
    order: the first listed wins), then HEADER_ALIASES. When two headers
    give the same canonical name, the mapping wins, then the profile, then a header that is the
    canonical name itself, then the alias listed first in HEADER_ALIASES (the
    first alias is the most specific, e.g. 实付金额 over 订单金额). The others are
    kept as extra columns under their source header, or ``<header> (not used)``
    when that header is itself a canonical name.
    """
    by_norm = {normalise_header(k): v for k, v in mapping.items()}
    profile = {normalise_header(k): (v, i) for i, (k, v) in enumerate((profile_columns or {}).items())}
    claims: list[tuple[str, tuple[int, int]]] = []  # (name, rank: lower wins)
    for h in headers:
        clean = str(h).replace("\ufeff", "").strip()
        key = normalise_header(h)
        if clean in mapping or key in by_norm:
            claims.append((mapping.get(clean, by_norm.get(key)), (0, 0)))
        elif key in profile:
            claims.append((profile[key][0], (0, 1 + profile[key][1])))
        elif key in _ALIASES:
            target = _ALIASES[key]
            rank = (1, 0) if key == normalise_header(target) else (2, _ALIAS_RANK[key])
            claims.append((target, rank))
        else:
            claims.append((clean, (3, 0)))
    if table not in ("products", "campaigns"):  # elsewhere a plain "name" is a person's name,
        # and 商品名称 / 品名 the name of the item bought
        claims = [
            (("name_real" if normalise_header(h) == "name" else "item_name") if n == "name" else n, r)
            for h, (n, r) in zip(headers, claims, strict=True)
        ]

    names = [n for n, _ in claims]
    for target in {n for n in names if names.count(n) > 1}:
        idx = [i for i, n in enumerate(names) if n == target]
        mapped = [headers[i] for i in idx if claims[i][1] == (0, 0)]
        if len(mapped) > 1:
            raise DataError(
                f"{label}: `columns:` maps both {mapped[0]} and {mapped[1]} to '{target}'.",
                file=label,
                column=target,
                fix=f"map only one of them in params/stores/{store}.yaml under `columns:`.",
            )
        winner = min(idx, key=lambda i: claims[i][1])
        for i in idx:
            if i != winner and target not in PERSONAL_COLUMNS:
                source = str(headers[i]).replace("\ufeff", "").strip()
                taken = normalise_header(source) in _CANONICAL_KEYS
                names[i] = f"{source} (not used)" if taken else source
    personal = [
        n in PERSONAL_COLUMNS or (rank[0] == 3 and bool(_PERSONAL.search(normalise_header(n))))
        for n, (_, rank) in zip(names, claims, strict=True)
    ]
    return unique_names(names), personal


def identity_kinds(
    headers: list[str], mapping: dict[str, str], identities: Mapping[str, str] | None = None
) -> list[str | None]:
    """The identifier kind of each source header (openid, unionid, external_userid, phone,
    staff ...), or None: from a profile's ``identities:``, then
    :data:`~wxshop.data.schema.IDENTITY_ALIASES`. A header the store's ``columns:`` maps is
    taken as mapped, not as an identifier.

    Examples
    --------
    >>> identity_kinds(["用户标识", "买家手机号", "收货人手机号", "订单号"], {})
    ['openid', 'phone', None, None]
    """
    given = {normalise_header(k): v for k, v in (identities or {}).items()}
    mapped = {normalise_header(k) for k in mapping}
    out: list[str | None] = []
    for h in headers:
        key = normalise_header(h)
        out.append(None if key in mapped else given.get(key, _IDENTITIES.get(key)))
    return out


def check_required(
    frame: pd.DataFrame, spec: TableSpec, headers: list[str], label: str, store: str
) -> None:
    """Raise :class:`~wxshop.errors.DataError` when a required column of ``spec`` is not
    among ``frame``'s (mapped) columns; ``headers`` are the source headers, for the message."""
    missing = [c for c in spec.required if c not in frame.columns]
    if not missing:
        return
    known = set(spec.columns)
    spare = [h for h, c in zip(headers, frame.columns, strict=False) if c not in known]
    guess = suggest_mapping(spare, tuple(missing))
    example = ", ".join(f"{h}: {c}" for h, c in guess.items()) or f"实收: {missing[0]}"
    shown = ", ".join(headers[:12]) + (", ..." if len(headers) > 12 else "")
    what = (
        f"required column '{missing[0]}' is"
        if len(missing) == 1
        else "required columns " + ", ".join(f"'{c}'" for c in missing) + " are"
    )
    raise DataError(
        f"{label}: {what} missing (headers found: {shown}).",
        file=label,
        column=missing[0],
        fix=f"rename the column, or map it in params/stores/{store}.yaml under `columns:`"
        f" e.g. `{{{example}}}` (wxshop inspect shows the whole mapping).",
    )

