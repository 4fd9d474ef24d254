"""Gathering a table's files into one frame under canonical names, without personal data.

Every file of the table is read (:func:`wxshop.data.read.read_source`, with its export's
header fingerprint and end-of-data markers), rows repeated from an earlier file are set aside
and counted (a folder of overlapping monthly exports), headers are mapped (the store's
``columns:`` first, then the export's profile, then the aliases; :mod:`wxshop.data.headers`),
buyer identifiers become keyed pseudonyms (:mod:`wxshop.data.identity`), and personal
columns are dropped: those whose header says so and any text column holding a mobile number
or an ID number. What comes out holds no personal value, so nothing later (checks, rejected
rows, cache, reports) can leak one. Rows a file's reader set aside (a CSV row wider than its
header) are counted as read and kept by line and reason only: cut in the wrong places, any of
their cells may hold a phone number, so none of their values is kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wxshop.data import identity
from wxshop.data.checks import rejected_rows
from wxshop.data.files import file_label
from wxshop.data.headers import header_names, identity_kinds
from wxshop.data.read import read_source
from wxshop.data.schema import IDENTITY_PRIORITY, TABLES, TableSpec, normalise_header
from wxshop.data.sources import Profile
from wxshop.data.text import TEXT_DTYPE
from wxshop.errors import DataError


@dataclass
class Gathered:
    """A table's rows from all its files, mapped and made safe."""

    frame: pd.DataFrame  # canonical names (extras under their source header); no personal data
    line: np.ndarray  # source line of each row
    file: np.ndarray  # file of each row: an index into ``files``
    files: list[str]  # file labels
    headers: list[str]  # the source header of each column of ``frame``
    rows_read: int  # data rows in all files, those set aside as malformed included
    repeated: int  # rows set aside as repeats of an earlier file's row
    personal_dropped: int  # personal columns dropped (headers, value shapes, spare identifiers)
    skipped: int  # title and summary lines
    mapping: dict[str, str] = field(default_factory=dict)  # source header -> column
    pseudonymised: dict[str, str] = field(default_factory=dict)  # source header -> kind
    dropped: list[str] = field(default_factory=list)  # personal source headers, for inspect
    malformed: list[tuple[int, int, str]] = field(default_factory=list)  # (file, line, reason)

    @property
    def label(self) -> str:
        """How messages name the files: one file's label, or the first and the count."""
        if len(self.files) <= 1:
            return self.files[0] if self.files else ""
        return f"{self.files[0]} (+{len(self.files) - 1})"

    def file_labels(self, rows: np.ndarray) -> np.ndarray:
        """The file label of each row given by its file index."""
        return np.asarray(self.files, dtype=object)[rows] if len(rows) else np.array([], object)

    def notes(self, source: str, n_files: int, unknown: dict[str, int], store: str) -> dict:
        """What loading found, for ``Store.notes``, ``wxshop validate`` and ``wxshop inspect``:
        the export layout ``source``, its files, the mapping, pseudonymised and dropped
        headers, repeats, skipped lines and the statuses no mapping knows (``unknown``)."""
        note = {"label": self.label, "source": source, "files": n_files, "mapping": self.mapping,
                "pseudonymised": self.pseudonymised, "personal_dropped": self.dropped,
                "repeated": self.repeated, "skipped_lines": self.skipped}
        if unknown:
            first = next(iter(unknown))
            note["unknown_statuses"] = unknown
            note["status_fix"] = (f"add to params/stores/{store}.yaml: statuses: {{{first}: paid}}"
                                  " (or refunded / cancelled)")
        return note

    def with_malformed(self, rejected: pd.DataFrame, columns: pd.Index, table: str) -> pd.DataFrame:
        """``rejected`` (rows under ``columns``) with the rows set aside as malformed, by file
        and line: table, file, line and reason, their values left empty."""
        if not self.malformed:
            return rejected
        file, line, reason = (np.asarray(v) for v in zip(*self.malformed, strict=True))
        empty = pd.DataFrame(index=range(len(line)), columns=columns, dtype=TEXT_DTYPE)
        rows = rejected_rows(empty, table, self.file_labels(file), line, reason.astype(object))
        both = pd.concat([rejected, rows], ignore_index=True)
        order = np.lexsort((both["row"].to_numpy(),
                            both["file"].map({f: i for i, f in enumerate(self.files)}).to_numpy()))
        return both.iloc[order].reset_index(drop=True)


def _read_all(paths: list[Path], folder: Path, profile: Profile | None):
    frames, lines, files, labels, skipped, malformed = [], [], [], [], 0, []
    fingerprint = profile.fingerprint if profile else ()
    stop_at = profile.stop_at if profile else ()
    for k, path in enumerate(paths):
        label = file_label(path, folder)
        source = read_source(path, label, fingerprint, stop_at)
        frame = source.frame
        frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
        frames.append(frame)
        lines.append(source.line)
        files.append(np.full(len(frame), k, dtype=np.int32))
        labels.append(label)
        skipped += source.skipped
        malformed += [(k, line, reason) for line, reason in source.malformed]
    if len(frames) == 1:
        return frames[0], lines[0], files[0], labels, skipped, malformed
    frame = pd.concat([f.astype(object) if f.columns.duplicated().any() else f for f in frames],
                      ignore_index=True)
    return frame, np.concatenate(lines), np.concatenate(files), labels, skipped, malformed


def repeated_rows(frame: pd.DataFrame, file: np.ndarray, key: tuple[str, ...] = ()) -> np.ndarray:
    """Rows equal to a row of an earlier file (within one file, equal rows are kept: two
    identical order lines are two lines). With ``key`` (a profile's ``repeat_key``), rows are
    compared on those columns only, blank and zero values alike, so one payment in a daily
    SUCCESS bill and in an ALL bill of the same day (which has more columns) is one row.

    Examples
    --------
    >>> f = pd.DataFrame({"a": ["1", "1", "1", "2"], "b": ["0", "x", None, "y"]})
    >>> repeated_rows(f[["a"]], np.array(["x", "x", "y", "y"])).tolist()
    [False, False, True, False]
    >>> repeated_rows(f, np.array(["x", "x", "y", "y"]), key=("a", "b")).tolist()
    [False, False, True, False]
    """
    if len(file) == 0 or len(np.unique(file)) < 2:
        return np.zeros(len(frame), dtype=bool)
    cols = [c for c in key if c in frame.columns]
    if cols:
        text = frame[cols].astype(TEXT_DTYPE).apply(lambda c: c.str.strip())
        text = text.mask(text.isin(["", "0", "0.00"])).fillna("")
    else:
        text = frame.astype(TEXT_DTYPE).fillna("\0")
    anywhere = text.duplicated(keep="first").to_numpy()
    within = text.assign(__file=file).duplicated(keep="first").to_numpy()
    return anywhere & ~within


def gather(
    paths: list[Path],
    folder: Path,
    spec_name: str,
    mapping: Mapping[str, str],
    store: str,
    profile: Profile | None = None,
) -> Gathered:
    """All files of one table (``spec_name``: a table, or ``order_lines``) as one safe frame."""
    raw, line, file, labels, skipped, malformed = _read_all(paths, folder, profile)
    n_read = len(raw) + len(malformed)
    repeat = repeated_rows(raw, file, profile.repeat_key if profile else ())
    if repeat.any():
        keep = ~repeat
        raw, line, file = raw.loc[keep].reset_index(drop=True), line[keep], file[keep]

    headers = list(raw.columns)
    user = dict(mapping)
    table = "orders" if spec_name == "order_lines" else spec_name
    label = labels[0] if labels else ""
    names, personal = header_names(headers, table, user, label, store,
                                   profile.columns if profile else None)
    if profile and profile.personal:
        extra = {normalise_header(h) for h in profile.personal}
        personal = [p or _base(h) in extra for h, p in zip(headers, personal, strict=True)]
    _refuse_repeated_headers(headers, names, label)
    kinds = identity_kinds(headers, user, profile.identities if profile else None)
    key = profile.key if profile else ("contact_id" if table == "contacts" else "customer_id")

    columns: dict[str, pd.Series] = {}
    kept_headers: list[str] = []
    dropped: list[str] = []
    pseudonymised: dict[str, str] = {}
    listed = [normalise_header(h) for h in (profile.identities if profile else {})]

    def rank(t: tuple[int, str]) -> tuple[int, int]:  # by kind, then as the profile lists them
        i, k = t
        key_ = normalise_header(headers[i])
        return (IDENTITY_PRIORITY.index(k) if k in IDENTITY_PRIORITY else 99,
                listed.index(key_) if key_ in listed else 99)

    identities = sorted(((i, k) for i, k in enumerate(kinds) if k), key=rank)
    targets = [key] + (["customer_id"] if key != "customer_id" else [])
    for target in targets:
        if target in names:
            continue
        # the key from the first identifier present in each row, in IDENTITY_PRIORITY order
        # (a contact with no unionid is known by its phone); staff are a key of their own
        linked = [(i, k) for i, k in identities if k != "staff"]
        if target == "customer_id" and key != "customer_id":  # a contact's shop customer
            linked = [(i, k) for i, k in linked if k in ("unionid", "openid", "phone")]
        value = None
        for i, k in linked:
            made = identity.pseudonymise(raw.iloc[:, i], k, identity.PREFIX.get(target, "u"))
            value = made if value is None else value.fillna(made)
            pseudonymised.setdefault(headers[i], k)
        if value is not None:
            columns[target] = value
            kept_headers.append("+".join(headers[i] for i, _ in linked))
    for i, k in identities:
        if k == "staff" and "staff_id" not in names and "staff_id" not in columns:
            columns["staff_id"] = identity.pseudonymise(raw.iloc[:, i], k, "s")
            kept_headers.append(headers[i])
            pseudonymised[headers[i]] = k
        elif headers[i] not in pseudonymised:
            dropped.append(headers[i])  # a spare identifier: the table has its key
    spec_columns = _spec_columns(spec_name)
    for i, (name, is_personal) in enumerate(zip(names, personal, strict=True)):
        if kinds[i]:
            continue
        if is_personal:
            dropped.append(headers[i])
            continue
        values = raw.iloc[:, i]
        if name in ("customer_id", "inviter_id", "leader_id") and identity.looks_like(values, "mobile"):
            columns[name] = identity.pseudonymise(values, "phone", "u")
            pseudonymised[headers[i]] = "phone"
        elif _free_text(name, values, spec_columns) and identity.personal_shape(values):
            dropped.append(headers[i])
            continue
        else:
            columns[name] = values
        kept_headers.append(headers[i])
    # copy=False: the columns stay as they are, one block each (copy-on-write keeps `raw` apart);
    # pandas would otherwise copy every text and number column into blocks (0.6 s on 12M rows)
    frame = (pd.DataFrame(columns, index=raw.index, copy=False) if columns
             else pd.DataFrame(index=raw.index))
    by_name = {n: h for n, h in zip(names, headers, strict=True)}
    return Gathered(
        frame=frame,
        line=np.asarray(line, dtype=np.int64),
        file=np.asarray(file, dtype=np.int32),
        files=labels,
        headers=kept_headers,
        rows_read=n_read,
        repeated=int(repeat.sum()),
        personal_dropped=len(dropped),
        skipped=skipped,
        mapping={by_name.get(c, c): c for c in frame.columns if by_name.get(c, c) != c},
        pseudonymised=pseudonymised,
        dropped=dropped,
        malformed=malformed,
    )


def _refuse_repeated_headers(headers: list[str], names: list[str], label: str) -> None:
    """Two columns under one header that means a contract column (``amount`` twice, read as
    ``amount`` and ``amount.1``): which one holds the amounts cannot be told."""
    contract = {c for spec in TABLES.values() for c in spec.columns}
    present = set(headers)
    for h in headers:
        m = re.fullmatch(r"(.+)\.(\d+)", str(h))
        if m and m.group(1) in present and names[headers.index(m.group(1))] in contract:
            raise DataError(
                f"{label}: two columns are headed '{m.group(1)}', which wxshop reads as"
                f" '{names[headers.index(m.group(1))]}'.",
                file=label,
                column=m.group(1),
                fix="delete or rename one of them in the file (or map one under `columns:`).",
            )


def _base(header: str) -> str:
    """A header without the ``.1`` pandas adds to a repeated one, normalised."""
    return normalise_header(re.sub(r"\.\d+$", "", str(header)))


def _spec_columns(spec_name: str) -> dict[str, TableSpec]:
    specs = ("orders", "order_items") if spec_name == "order_lines" else (spec_name,)
    return {c: TABLES[s] for s in specs for c in TABLES[s].columns}


def _free_text(name: str, values: pd.Series, spec_columns: Mapping[str, TableSpec]) -> bool:
    """Whether a column is text that may hold a person's data: not an id, number or time of
    the contract (an 18-digit order number is not an ID card)."""
    spec = spec_columns.get(name)
    if spec is not None and (name in spec.ids or name in spec.numeric or name in spec.timestamps):
        return False
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
        return False
    return True
