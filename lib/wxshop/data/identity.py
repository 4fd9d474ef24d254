"""Identities without personal data: keyed pseudonyms and the shapes of personal values.

Buyer identifiers in platform exports (WeChat ``openid`` / ``unionid``, 企业微信
``external_userid``, 买家手机号) may be a store's only customer key. They are replaced at
read time by a keyed hash, HMAC-SHA256 under a per-project secret, so the same buyer is the
same pseudonym in every file that carries the identifier (a WeChat Pay bill and a
mini-program order export both carry the openid) while nobody holding a report, a cache
entry or an export can go back to the identifier without the secret.

The secret is, first found: the text of ``$WXSHOP_SECRET``; the file ``$WXSHOP_SECRET_FILE``;
else ``~/.config/wxshop/keys/<project folder name>.key`` (``$XDG_CONFIG_HOME`` is honoured).
A missing file is created on first use (32 random bytes, hex, mode 0600), never inside the
project. Copy that file to keep pseudonyms stable across machines; :func:`rotate` replaces it
(the old one is kept beside it), after which every pseudonym changes.

Free-text personal values are recognised by shape too (:func:`personal_shape`): an 11-digit
mainland mobile (also masked ``138****5678`` or with ``+86``) or an 18-character resident ID
number anywhere in a text cell.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from wxshop.errors import DataError
from wxshop.paths import project_root

ENV_SECRET = "WXSHOP_SECRET"
ENV_SECRET_FILE = "WXSHOP_SECRET_FILE"

# Each pseudonym is bound to its kind of identifier (wxshop.data.schema.IDENTITY_PRIORITY lists
# them), so an openid and a phone number with the same characters never collide.

# pseudonym prefix per target column
PREFIX = {"customer_id": "u", "inviter_id": "u", "leader_id": "u", "contact_id": "k", "staff_id": "s",
          "member_id": "k"}
_HEX = 20  # 80 bits: no collision to expect among billions of ids

_MOBILE = r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}|\*{4})[ -]?\d{4}(?!\d)"
_ID_CARD = (  # region, birth date 19xx/20xx, sequence, check character
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[\dXx](?![0-9A-Za-z])"
)
SHAPES = {"mobile": re.compile(_MOBILE), "id_card": re.compile(_ID_CARD)}


def default_secret_file(root: Path | None = None) -> Path:
    """Where the project's secret lives when no environment variable names one."""
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "wxshop" / "keys" / f"{(root or project_root()).name}.key"


def secret_file() -> Path:
    """``$WXSHOP_SECRET_FILE``, else :func:`default_secret_file`."""
    given = os.environ.get(ENV_SECRET_FILE)
    return Path(given).expanduser() if given else default_secret_file()


def _create(path: Path) -> None:
    """Write a new random key to ``path`` unless another process got there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{time.time_ns()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    try:
        os.link(tmp, path)  # atomic: fails if the key exists, so a racing process keeps its own
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def secret() -> bytes:
    """The project's pseudonym key (created on first use)."""
    text = os.environ.get(ENV_SECRET)
    if text:
        return text.strip().encode("utf-8")
    path = secret_file()
    try:
        if not path.exists():
            _create(path)
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise DataError(
            f"cannot read or create the pseudonym key {path} ({exc.strerror}).",
            file=str(path),
            fix=f"set {ENV_SECRET_FILE} to a writable file, or {ENV_SECRET} to the key text.",
        ) from None
    if len(key) < 32:
        raise DataError(
            f"the pseudonym key in {path} is too short ({len(key)} characters, at least 32).",
            file=str(path),
            fix="delete the file to create a new key (every pseudonym then changes).",
        )
    return key.encode("utf-8")


def key_id() -> str:
    """A fingerprint of the key, safe to store: caches are keyed by it, so rotating the key
    never serves pseudonyms made with the old one."""
    return hashlib.sha256(b"wxshop key id\0" + secret()).hexdigest()[:16]


def key_id_if_any() -> str:
    """:func:`key_id` when a key is configured or exists, else ``""`` (no key is created)."""
    if os.environ.get(ENV_SECRET) or secret_file().exists():
        return key_id()
    return ""


def rotate() -> tuple[Path, Path | None]:
    """Replace the key file with a new random key; the old file is kept as
    ``<name>.<timestamp>.old``. Returns (new key file, old key file or None)."""
    path = secret_file()
    old = None
    if path.exists():
        old = path.with_name(f"{path.name}.{time.strftime('%Y%m%d-%H%M%S')}.old")
        path.rename(old)
    _create(path)
    return path, old


def normalise(value: str, kind: str) -> str:
    """The identifier as compared: phone numbers as 11 digits, the rest stripped.

    Examples
    --------
    >>> normalise("+86 138-0013-8000", "phone"), normalise(" oAbC ", "openid")
    ('13800138000', 'oAbC')
    """
    value = str(value).strip()
    if kind == "phone":
        digits = re.sub(r"\D", "", value)
        return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    return value


@cache
def _digest_key(key: bytes, kind: str) -> bytes:
    return hmac.new(key, f"wxshop pseudonym\0{kind}".encode(), hashlib.sha256).digest()


def pseudonym(value: str, kind: str, prefix: str = "u", key: bytes | None = None) -> str:
    """One identifier's pseudonym: ``prefix`` + 20 hex digits of HMAC-SHA256.

    Examples
    --------
    >>> a = pseudonym("oAbC", "openid", key=b"k" * 32)
    >>> a == pseudonym(" oAbC", "openid", key=b"k" * 32), a == pseudonym("oAbC", "unionid", key=b"k" * 32)
    (True, False)
    >>> len(a), a[0]
    (21, 'u')
    """
    mac = hmac.new(_digest_key(key or secret(), kind), normalise(value, kind).encode(), hashlib.sha256)
    return prefix + mac.hexdigest()[:_HEX]


def pseudonymise(s: pd.Series, kind: str, prefix: str = "u") -> pd.Series:
    """Every non-empty value of ``s`` replaced by its pseudonym (hashed once per distinct
    value); blanks stay missing."""
    key = secret()
    text = s.astype("str").str.strip()
    text = text.mask(text == "")
    codes, uniques = pd.factorize(text)
    if not len(uniques):
        return pd.Series(np.nan, index=s.index, dtype="str")
    mapped = np.array([pseudonym(v, kind, prefix, key) for v in uniques], dtype=object)
    out = np.where(codes >= 0, mapped[np.maximum(codes, 0)], None)
    return pd.Series(out, index=s.index, dtype="str")


def personal_shape(s: pd.Series) -> str | None:
    """The kind of personal value (``mobile``, ``id_card``) found in any cell of the text
    column ``s``, or None; each distinct value is looked at once.

    Examples
    --------
    >>> personal_shape(pd.Series(["请电话 138 0013 8000 联系", "ok"]))
    'mobile'
    >>> personal_shape(pd.Series(["11010519491231002X"])), personal_shape(pd.Series(["SKU-1", None]))
    ('id_card', None)
    """
    values = pd.unique(s.dropna().astype("str"))
    if not len(values):
        return None
    joined = "\n".join(values)
    for kind, pattern in SHAPES.items():
        if pattern.search(joined):
            return kind
    return None


def looks_like(s: pd.Series, kind: str) -> bool:
    """Whether most non-empty values of an id column are whole ``kind`` values (mobiles):
    such a column is a personal identifier, whatever its header says.

    Examples
    --------
    >>> looks_like(pd.Series(["13800138000", "15912345678", None]), "mobile")
    True
    >>> looks_like(pd.Series(["C0001", "13800138000"]), "mobile")
    False
    """
    values = s.dropna().astype("str").str.strip()
    if not len(values):
        return False
    sample = values.iloc[:: max(1, len(values) // 2000)]
    return bool(sample.str.fullmatch(SHAPES[kind].pattern).mean() > 0.5)
