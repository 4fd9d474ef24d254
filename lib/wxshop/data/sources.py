"""Source profiles: the layouts of real platform exports, as data.

A profile is one YAML file describing one export a merchant can download from a back office
(WeChat Pay's trade bill, 有赞's order export, 企业微信's customer list ...): the headers that
recognise it, where each header goes in the data contract, the status vocabulary, which
columns are buyer identifiers (pseudonymised at read time, :mod:`wxshop.data.identity`),
what ends the data (a summary block), whether each row is an order or an order line, and how
refund rows fold into their order. The built-in profiles live in ``wxshop/data/profiles/``;
a project adds or overrides its own in ``params/sources/*.yaml`` without touching the package.

Keys of a profile file (``docs/data.md`` has the full reference)::

    id: wxpay_bill                 # what `source:` in a store YAML names
    title: 微信支付交易账单 (WeChat Pay trade bill)
    download: where to download it in the back office
    headers_from: where the header list comes from (documentation, open-source parsers)
    table: orders                  # a table of the contract, or order_lines (orders + their lines)
    fingerprint: [交易时间, 微信订单号, 商户订单号]   # all present = this export
    columns: {商户订单号: order_id, ...}             # source header -> canonical column
    identities: {用户标识: openid}  # identifier columns -> kind; the first present is the key
    key: customer_id               # the column identities become (default customer_id)
    statuses: {SUCCESS: paid, REFUND: refund, REVOKED: cancelled}
    stop_at: [总交易单数]           # a row whose first cell starts with one ends the data
    personal: [备注]               # more headers this export fills with personal data
    repeat_key: [微信订单号, 交易状态, 微信退款单号]   # a row seen in an earlier file is a repeat
    items: [sku_id, quantity, unit_price, item_name]   # order_lines: the columns of a line
    refunds: {status: refund, amount: refund_amount, at: ordered_at}   # refund rows fold
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from wxshop.data.schema import TABLES, normalise_header
from wxshop.errors import DataError
from wxshop.paths import params_dir

BUILT_IN = Path(__file__).parent / "profiles"
TABLE_KINDS = ("order_lines", *TABLES)  # a contract table, or orders with their lines in one file
_KEYS = {"id", "title", "download", "headers_from", "table", "fingerprint", "columns",
         "identities", "key", "statuses", "stop_at", "items", "refunds", "notes", "personal", "repeat_key"}


@dataclass(frozen=True)
class Profile:
    """One export layout (see the module docstring for the keys)."""

    id: str
    title: str
    table: str
    fingerprint: tuple[str, ...]
    columns: dict[str, str] = field(default_factory=dict)
    identities: dict[str, str] = field(default_factory=dict)
    key: str = "customer_id"
    statuses: dict[str, str] = field(default_factory=dict)
    stop_at: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    refunds: dict[str, str] = field(default_factory=dict)
    personal: tuple[str, ...] = ()  # more headers dropped as personal in this export
    repeat_key: tuple[str, ...] = ()  # headers that identify a row across files
    download: str = ""
    headers_from: str = ""
    path: Path | None = None
    text: str = ""  # the file's text: cache keys depend on it

    @property
    def tables(self) -> tuple[str, ...]:
        """The contract tables this export feeds."""
        return ("orders", "order_items") if self.table == "order_lines" else (self.table,)

    def score(self, headers: list[str]) -> float:
        """Share of the profile's known headers (fingerprint and columns) among ``headers``."""
        have = {normalise_header(h) for h in headers}
        known = {normalise_header(h) for h in (*self.fingerprint, *self.columns, *self.identities)}
        return len(have & known) / max(1, len(known))

    def matches(self, headers: list[str]) -> bool:
        """Whether every fingerprint header is among ``headers``."""
        have = {normalise_header(h) for h in headers}
        return all(normalise_header(h) in have for h in self.fingerprint)


def _read_profile(path: Path) -> Profile:
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML ({exc}).", file=str(path),
                        fix="correct the profile file.") from None
    where = f"{path}"
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("fingerprint"):
        raise DataError(f"{where}: a source profile needs `id:` and `fingerprint:`.",
                        file=where, fix="see docs/data.md, section Source profiles.")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r}.", file=where,
                        fix=f"use only {', '.join(sorted(_KEYS))}.")
    table = str(raw.get("table", "orders"))
    if table not in TABLE_KINDS:
        raise DataError(f"{where}: `table: {table}` is not one of {', '.join(TABLE_KINDS)}.",
                        file=where, fix="name the table the export's rows feed.")
    known = {c for spec in TABLES.values() for c in spec.columns}
    for header, target in (raw.get("columns") or {}).items():
        if target not in known:
            raise DataError(f"{where}: column {header!r} maps to unknown {target!r}.",
                            file=where, fix="map it to a column of docs/data.md.")
    return Profile(
        id=str(raw["id"]),
        title=str(raw.get("title", raw["id"])),
        table=table,
        fingerprint=tuple(str(h) for h in raw["fingerprint"]),
        columns={str(k): str(v) for k, v in (raw.get("columns") or {}).items()},
        identities={str(k): str(v) for k, v in (raw.get("identities") or {}).items()},
        key=str(raw.get("key", "customer_id")),
        statuses={str(k): str(v) for k, v in (raw.get("statuses") or {}).items()},
        stop_at=tuple(str(s) for s in raw.get("stop_at") or ()),
        items=tuple(str(s) for s in raw.get("items") or ()),
        refunds={str(k): str(v) for k, v in (raw.get("refunds") or {}).items()},
        personal=tuple(str(s) for s in raw.get("personal") or ()),
        repeat_key=tuple(str(s) for s in raw.get("repeat_key") or ()),
        download=str(raw.get("download", "")),
        headers_from=str(raw.get("headers_from", "")),
        path=path,
        text=text,
    )


@cache
def _read_folder(folder: Path, stamp: tuple) -> tuple[Profile, ...]:
    return tuple(_read_profile(p) for p in sorted(folder.glob("*.yaml")))


def _folder_profiles(folder: Path) -> tuple[Profile, ...]:
    if not folder.is_dir():
        return ()
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.yaml")))
    return _read_folder(folder, stamp)


def profiles(root: Path | None = None) -> dict[str, Profile]:
    """Every profile by id: the built-in ones, then the project's ``params/sources/`` (a
    project profile with a built-in id replaces it).

    Examples
    --------
    >>> sorted(profiles())[:3]
    ['erp_orders', 'wecom_contacts', 'wecom_group_stats']
    """
    out = {p.id: p for p in _folder_profiles(BUILT_IN)}
    out.update({p.id: p for p in _folder_profiles(params_dir(root) / "sources")})
    return out


def get(name: str, store: str = "", root: Path | None = None) -> Profile:
    """The profile called ``name``; an unknown name raises :class:`~wxshop.errors.DataError`."""
    known = profiles(root)
    if name not in known:
        raise DataError(
            f"`source: {name}` is not a known export layout.",
            fix=f"use one of {', '.join(sorted(known))} in params/stores/{store or '<store>'}.yaml,"
            " or add a profile in params/sources/.",
        )
    return known[name]


def detect(headers: list[str], root: Path | None = None) -> Profile | None:
    """The profile whose fingerprint ``headers`` hold; with several, the one that knows the
    most of the headers."""
    hits = [p for p in profiles(root).values() if p.matches(headers)]
    return max(hits, key=lambda p: (len(p.fingerprint), p.score(headers)), default=None)


def closest(headers: list[str], root: Path | None = None, n: int = 3) -> list[tuple[Profile, float]]:
    """The ``n`` profiles that know most of ``headers``, with that share."""
    ranked = sorted(((p, p.score(headers)) for p in profiles(root).values()),
                    key=lambda t: -t[1])
    return [(p, s) for p, s in ranked[:n] if s > 0]


# What a header means, by the words in it: (canonical column, words), most specific first.
MEANINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("order_id", ("商户订单号", "订单号", "订单编号", "订单id", "orderid", "orderno", "单号")),
    ("customer_id", ("买家id", "会员id", "客户id", "用户id", "用户标识", "openid", "unionid",
                     "buyer", "customer", "member", "买家", "会员", "客户", "用户")),
    ("ordered_at", ("下单时间", "创建时间", "支付时间", "付款时间", "交易时间", "成交时间",
                    "orderedat", "createdat", "paidat", "时间", "日期", "date", "time")),
    ("amount", ("实付金额", "实收金额", "实付", "实收", "支付金额", "付款金额", "订单金额",
                "应结订单金额", "成交金额", "amount", "total", "金额")),
    ("sku_id", ("商品编码", "sku编码", "规格编码", "商品id", "skuid", "sku", "货号")),
    ("quantity", ("数量", "件数", "qty", "quantity")),
    ("unit_price", ("单价", "price")),
    ("status", ("订单状态", "交易状态", "状态", "status")),
)


def suggest_mapping(headers: list[str], wanted: tuple[str, ...]) -> dict[str, str]:
    """For each ``wanted`` column, the header whose words mean it (not the one at its
    position): ``{header: column}``.

    Examples
    --------
    >>> suggest_mapping(["交易时间", "商户订单号", "用户标识", "总金额"],
    ...                 ("order_id", "customer_id", "ordered_at", "amount"))
    {'商户订单号': 'order_id', '用户标识': 'customer_id', '交易时间': 'ordered_at', '总金额': 'amount'}
    """
    meanings = dict(MEANINGS)
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in wanted:
        best = None
        for word in meanings.get(column, (column,)):
            w = normalise_header(word)
            hits = [h for h in headers if h not in taken and w in normalise_header(h)]
            if hits:
                best = min(hits, key=len)
                break
        if best is not None:
            out[best] = column
            taken.add(best)
    return out


def describe(profile: Profile) -> str:
    """One line naming a profile: id, title and the table it feeds."""
    return f"{profile.id} ({profile.title}) -> {', '.join(profile.tables)}"
